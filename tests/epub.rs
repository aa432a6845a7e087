//! EPUB: EPUBCheck-clean with and without fonts, the same text as the content, and
//! reproducible bytes.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{
    builder, entries, entry_text, epubcheck, printed_text, project_root, squeeze, xhtml_text,
};
use paiban::model::{Block, Document, Locale};
use paiban::pipeline::prepare;

fn content_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(project_root().join("content"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 2, "{files:?}");
    files
}

#[test]
fn every_document_passes_epubcheck_with_and_without_fonts() {
    for content in content_files() {
        for embed in [false, true] {
            let dir = tempfile::tempdir().unwrap();
            let epub = builder()
                .build_epub(&content, dir.path(), embed)
                .unwrap_or_else(|f| panic!("{f}"));
            epubcheck(&epub);
        }
    }
}

#[test]
fn the_package_is_laid_out_as_ocf_requires() {
    let dir = tempfile::tempdir().unwrap();
    let content = project_root().join("content/whitepaper.yaml");
    let epub = builder().build_epub(&content, dir.path(), true).unwrap();
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&epub).unwrap()).unwrap();
    let first = archive.by_index(0).unwrap();
    assert_eq!(first.name().unwrap(), "mimetype");
    assert_eq!(first.compression(), zip::CompressionMethod::Stored);
    drop(first);
    assert_eq!(
        archive.by_index(1).unwrap().name().unwrap(),
        "META-INF/container.xml"
    );
    let files = entries(&epub);
    assert!(
        files.iter().all(|(name, _)| name.is_ascii()),
        "ASCII names only"
    );
    let fonts = files
        .iter()
        .filter(|(n, _)| n.starts_with("EPUB/fonts/"))
        .count();
    assert_eq!(
        fonts, 7,
        "the seven faces the stylesheet names (code adds the mono pair)"
    );
    let size = std::fs::metadata(&epub).unwrap().len();
    assert!(size < 3 * 1024 * 1024, "{size} bytes with fonts");

    let text = |name: &str| entry_text(&files, name);
    let opf = text("EPUB/package.opf");
    for needle in [
        "<dc:title>携手构建网络空间命运共同体</dc:title>",
        "<dc:creator>中华人民共和国国务院新闻办公室</dc:creator>",
        "<dc:date>2022-11-07</dc:date>",
        "<dc:language>zh-CN</dc:language>",
        "<dc:identifier id=\"book-id\">urn:uuid:",
        "property=\"dcterms:modified\"",
        "schema:accessMode",
        "schema:accessModeSufficient",
        "schema:accessibilityFeature",
        "schema:accessibilityHazard",
        "schema:accessibilitySummary",
    ] {
        assert!(opf.contains(needle), "{needle} not in OPF:\n{opf}");
    }
    let nav = text("EPUB/nav.xhtml");
    for entry in [
        ">1.积极参与全球互联网治理</a>",
        ">（四）促进全球普惠包容发展</a><ol>",
        ">四、构建更加紧密的网络空间命运共同体的中国主张</a><ol>",
        ">（十）坚持互联网的发展成果惠及全人类</a>",
        ">结束语</a>",
        "epub:type=\"landmarks\"",
    ] {
        assert!(nav.contains(entry), "{entry} not in nav:\n{nav}");
    }
    let chapter = text("EPUB/text/ch02.xhtml");
    assert!(chapter.contains("lang=\"zh-CN\""), "{chapter}");
    assert!(
        chapter.contains("<h1 id=\"h8\"><span class=\"number\">四、</span>构建更加紧密"),
        "{chapter}"
    );
    let first = text("EPUB/text/ch01.xhtml");
    assert!(first.contains("<aside class=\"sidebar\""), "{first}");
    assert!(
        first.contains("<span class=\"number\">专栏4</span>"),
        "{first}"
    );
    assert!(
        text("EPUB/text/ch03.xhtml").contains("<p class=\"dateline\">（新华社北京11月7日电）</p>")
    );
    let css = text("EPUB/css/book.css");
    for rule in [
        "text-indent: 2em",
        "text-align: justify",
        "line-break: strict",
        "\"LXGW WenKai\"",
    ] {
        assert!(css.contains(rule), "{rule}");
    }
}

/// The text of each block-level line of the content documents, in spine order.
fn epub_text_lines(epub: &Path) -> Vec<String> {
    let files = entries(epub);
    let opf = entry_text(&files, "EPUB/package.opf");
    let mut lines = Vec::new();
    for idref in opf.split("<itemref idref=\"").skip(1) {
        let id = &idref[..idref.find('"').unwrap()];
        if id == "nav" {
            continue;
        }
        let href_start = opf.find(&format!("<item id=\"{id}\" href=\"")).unwrap()
            + format!("<item id=\"{id}\" href=\"").len();
        let href = &opf[href_start..href_start + opf[href_start..].find('"').unwrap()];
        let xhtml = entry_text(&files, &format!("EPUB/{href}"));
        let body = &xhtml[xhtml.find("<body>").unwrap()..];
        for line in body.lines() {
            let text = xhtml_text(&line.replace("<br/>", "\n"));
            if !text.is_empty() {
                lines.push(text);
            }
        }
    }
    lines
}

/// The lines of text a document's EPUB shows, in order, from the model: a 公文's 版头
/// before the title, its 主送机关 before the text, its closing (附件说明, issuers, date,
/// 附注) before the first 附件 and its 版记 at the very end; other documents' issuers and
/// month in the title block.
fn expected_lines(document: &Document) -> Vec<String> {
    let locale = Locale::of(&document.lang);
    let gongwen = document.gongwen.as_ref();
    let text = |run: &Option<paiban::model::Run>| run.as_ref().map(|r| r.text.clone());
    let mut expected = Vec::new();
    if let Some(g) = gongwen.filter(|g| g.has_head()) {
        expected.extend(g.copy_number_text());
        expected.extend(text(&g.secrecy));
        expected.extend(text(&g.urgency));
        expected.extend(g.mark_text(document));
        expected.extend(text(&g.number));
    }
    expected.push(document.title.clone());
    expected.extend(document.subtitle.clone());
    match gongwen {
        None => {
            expected.extend(document.authors.clone());
            if let Some(date) = document.date {
                expected.push(format!("{}年{}月", date.year, date.month));
            }
        }
        Some(g) => expected.extend(text(&g.addressee)),
    }
    let closing = |expected: &mut Vec<String>| {
        let Some(g) = gongwen else { return };
        let words = locale.gongwen_words();
        match g.attachments.as_slice() {
            [] => {}
            [one] => expected.push(format!("{}{}", words.attachments, one.text)),
            many => {
                expected.push(words.attachments.to_owned());
                for (i, name) in many.iter().enumerate() {
                    expected.push(format!("{}.{}", i + 1, name.text));
                }
            }
        }
        expected.extend(document.authors.clone());
        expected.extend(document.date.map(|d| locale.date(d, true)));
        expected.extend(g.note_text());
    };
    let mut closed = false;
    for block in document.walk() {
        match block {
            Block::Appendix(appendix) => {
                if !closed {
                    closing(&mut expected);
                    closed = true;
                }
                expected.push(format!(
                    "{}\u{3000}{}",
                    locale.appendix_label(appendix.resolved, document.numbering.appendix),
                    appendix.title.to_plain()
                ));
            }
            Block::Table(table) => {
                for row in &table.rows {
                    expected.push(row.iter().map(|cell| cell.text.to_plain()).collect());
                }
            }
            other => expected.push(printed_text(other)),
        }
    }
    if !closed {
        closing(&mut expected);
    }
    if let Some(g) = gongwen {
        expected.extend(
            g.copies_to_text()
                .map(|c| format!("{}{c}", locale.gongwen_words().copies_to)),
        );
        let printed: Vec<String> = text(&g.printed_by)
            .into_iter()
            .chain(g.printed_on_text(locale))
            .collect();
        if !printed.is_empty() {
            expected.push(printed.join("\u{3000}"));
        }
    }
    expected.retain(|line| !line.is_empty());
    expected
}

/// The 公文 sample: its EPUB shows the 版头, the text, the closing and the 版记 in order,
/// line for line.
#[test]
fn the_gongwen_epub_text_equals_its_parts_and_text() {
    let content = project_root().join("content/gongwen.yaml");
    // Numbered in the layout's style (附件1 in a 公文), as the build numbers it.
    let document = paiban::pipeline::load(&content, &builder().project).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let epub = builder().build_epub(&content, dir.path(), false).unwrap();
    assert_eq!(epub_text_lines(&epub), expected_lines(&document));
}

/// The v1 samples: the EPUB's text is the content's, line for line.
#[test]
fn the_epub_text_equals_the_content_text() {
    let v1 = project_root().join("tests/data/v1");
    for name in ["whitepaper", "features", "gongwen"] {
        let content = v1.join(format!("{name}.yaml"));
        let document = prepare(&content).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let epub = builder().build_epub(&content, dir.path(), false).unwrap();
        let mut expected = vec![document.title.clone()];
        expected.extend(document.subtitle.clone());
        expected.extend(document.authors.clone());
        if let Some(date) = document.date {
            expected.push(format!("{}年{}月", date.year, date.month));
        }
        expected.extend(document.walk().map(printed_text));
        assert_eq!(epub_text_lines(&epub), expected, "{}", content.display());
        // And nothing is lost to whitespace either.
        assert_eq!(
            squeeze(&epub_text_lines(&epub).concat()),
            squeeze(&expected.concat())
        );
    }
}

/// Every sample: each text of every block is in the EPUB, in reading order, and every
/// note's text is there too (at the end of its part).
#[test]
fn every_text_of_every_sample_is_in_the_epub_in_order() {
    for content in content_files() {
        let document = paiban::pipeline::load(
            &content,
            &paiban::project::Project::at(&project_root()).unwrap(),
        )
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let epub = builder().build_epub(&content, dir.path(), false).unwrap();
        let text = squeeze(&epub_text_lines(&epub).concat());
        let mut at = 0;
        for own in reading_order(&document.body) {
            let want = squeeze(&with_note_marks(&own.0));
            let found = text[at..].find(&want).unwrap_or_else(|| {
                panic!("{}: `{want}` not in order in the EPUB", content.display())
            });
            at += found + want.len();
        }
        for block in document.walk() {
            for own in paiban::model::own_texts(block) {
                for note in own.notes() {
                    let want = squeeze(&paiban::model::Text(note.content.clone()).to_plain());
                    assert!(text.contains(&want), "{}: note `{want}`", content.display());
                }
            }
        }
    }
}

/// The texts of `blocks` in the order a reader meets them (a quotation's attribution
/// after it).
fn reading_order(blocks: &[paiban::model::Block]) -> Vec<&paiban::model::Text> {
    use paiban::model::Block;
    let mut out = Vec::new();
    for block in blocks {
        match block {
            Block::Quote(quote) => {
                out.extend(reading_order(&quote.body));
                out.extend(&quote.attribution);
            }
            Block::Sidebar(sidebar) => {
                out.push(&sidebar.title);
                out.extend(reading_order(&sidebar.body));
            }
            Block::List(list) => {
                for item in &list.items {
                    out.extend(reading_order(item));
                }
            }
            other => out.extend(paiban::model::own_texts(other)),
        }
    }
    out
}

/// A text as the EPUB shows it where it stands: its notes as their marks (①).
fn with_note_marks(inlines: &[paiban::model::Inline]) -> String {
    use paiban::model::Inline;
    let mut out = String::new();
    for inline in inlines {
        match inline {
            Inline::Text(run) | Inline::Code(run) => out.push_str(&run.text),
            Inline::Strong(inner)
            | Inline::Emphasis(inner)
            | Inline::Superscript(inner)
            | Inline::Subscript(inner) => out.push_str(&with_note_marks(inner)),
            Inline::Link(link) if link.content.is_empty() => out.push_str(&link.target),
            Inline::Link(link) => out.push_str(&with_note_marks(&link.content)),
            Inline::Note(note) => out.push_str(&paiban::passes::numbering::circled(note.resolved)),
            Inline::Ref(reference) => {
                out.push_str(&reference.resolved.as_ref().unwrap().words);
            }
            // Tags removed, ruby reads as its base with each annotation in its <rp>s.
            Inline::Ruby(ruby) => {
                for (base, annotation) in ruby.pairs() {
                    out.push_str(&format!("{base}({annotation})"));
                }
            }
            Inline::ProperName(inner)
            | Inline::BookTitle(inner)
            | Inline::Underline(inner)
            | Inline::Strike(inner) => out.push_str(&with_note_marks(inner)),
            Inline::Lang(lang) => out.push_str(&with_note_marks(&lang.content)),
        }
    }
    out
}

fn build_with_epoch(epoch: &str, out: &Path) -> Vec<u8> {
    let status = Command::new(env!("CARGO_BIN_EXE_paiban"))
        .args([
            "build",
            "content/whitepaper.yaml",
            "--format",
            "epub",
            "--epub-embed-fonts",
            "-o",
        ])
        .arg(out)
        .current_dir(project_root())
        .env("SOURCE_DATE_EPOCH", epoch)
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::read(out.join("whitepaper.epub")).unwrap()
}

#[test]
fn builds_are_byte_identical_for_the_same_source_date() {
    let (a, b, c) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let first = build_with_epoch("1700000000", a.path());
    let second = build_with_epoch("1700000000", b.path());
    assert!(first == second, "two builds differ");
    let later = build_with_epoch("1800000000", c.path());
    assert!(
        first != later,
        "SOURCE_DATE_EPOCH must reach dcterms:modified"
    );
    let opf = entry_text(
        &entries(&c.path().join("whitepaper.epub")),
        "EPUB/package.opf",
    );
    assert!(opf.contains("2027-01-15T08:00:00Z"));
}

#[test]
fn line_breaks_in_metadata_stay_text() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("multi.yaml");
    std::fs::write(
        &content,
        "title: |\n  两行\n  标题\nbody:\n  - \"甲\\n乙\"\n",
    )
    .unwrap();
    let epub = builder().build_epub(&content, dir.path(), false).unwrap();
    let files = entries(&epub);
    let opf = entry_text(&files, "EPUB/package.opf");
    assert!(opf.contains("<dc:title>两行\n标题\n</dc:title>"), "{opf}");
    let chapter = entry_text(&files, "EPUB/text/ch01.xhtml");
    assert!(chapter.contains("<p>甲<br/>乙</p>"), "{chapter}");
    assert!(
        !chapter[..chapter.find("<body>").unwrap()].contains("<br/>"),
        "{chapter}"
    );
    epubcheck(&epub);
}

#[test]
fn characters_xml_cannot_carry_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("bell.yaml");
    std::fs::write(&content, "title: t\nbody:\n  - \"a\\x07b\"\n").unwrap();
    let failure = builder()
        .build_epub(&content, dir.path(), false)
        .unwrap_err();
    assert!(failure.to_string().contains("U+0007"), "{failure}");
    assert!(!dir.path().join("bell.epub").exists());
}

#[test]
fn a_gongwen_has_its_parts_in_order_and_passes_epubcheck() {
    let content = project_root().join("content/gongwen.yaml");
    let dir = tempfile::tempdir().unwrap();
    let epub = builder().build_epub(&content, dir.path(), false).unwrap();
    let files = entries(&epub);
    let opf = entry_text(&files, "EPUB/package.opf");
    // The chapters in spine order, joined.
    let mut chapters = Vec::new();
    for idref in opf.split("<itemref idref=\"").skip(1) {
        let id = &idref[..idref.find('"').unwrap()];
        if id != "nav" {
            chapters.push(entry_text(&files, &format!("EPUB/text/{id}.xhtml")));
        }
    }
    let all = chapters.concat();
    let mut at = 0;
    for marker in [
        "<header class=\"banhead\">",
        "<p class=\"copy-number\">000001</p>",
        "<p class=\"secrecy\">机密★1年</p>",
        "<p class=\"urgency\">特急</p>",
        "<p class=\"mark\">示例市档案局文件</p>",
        "<p class=\"doc-number\">示档发〔2026〕5号</p>",
        "</header>",
        "<div class=\"title-block\">",
        "<p class=\"addressee\">各区县档案局，市直各单位：</p>",
        "为进一步加强档案资源建设",
        "及时报告。",
        "<div class=\"attachments\">",
        "<span class=\"label\">1.</span>档案数字化加工质量检查要求",
        "<span class=\"label\">2.</span>数字档案长期保存工作进展情况报告表",
        "<div class=\"signature\">",
        "<p class=\"issuer\">示例市档案局</p>",
        "<time datetime=\"2026-11-20\">2026年11月20日</time>",
        "<p class=\"gongwen-note\">（联系人：",
        "<span class=\"number\">附件1</span>",
        "<span class=\"number\">附件2</span>",
        "<footer class=\"banji\">",
        "<span class=\"label\">抄送：</span>市委办公厅，市人大常委会办公厅，市政府办公厅，市政协办公厅。",
        "<span class=\"printed-by\">示例市档案局办公室</span>",
        "<span class=\"printed-on\">2026年11月21日印发</span>",
        "</footer>",
    ] {
        let Some(found) = all[at..].find(marker) else {
            panic!("`{marker}` is not after byte {at}");
        };
        at += found + marker.len();
    }
    // The title block of a 公文 does not sign it: the signature does, after the text.
    // It is no header of its own: the 版头 is the document's one banner.
    let title_block = &all[all.find("<div class=\"title-block\">").unwrap()..];
    let title_block = &title_block[..title_block.find("</div>").unwrap()];
    assert!(!title_block.contains("示例市档案局<"), "{title_block}");
    // The signature closes the chapter before the first 附件; the 版记 ends the last.
    let first_appendix = chapters
        .iter()
        .position(|c| c.contains("epub:type=\"appendix\""))
        .unwrap();
    assert!(chapters[first_appendix - 1].contains("<div class=\"signature\">"));
    assert!(
        chapters
            .last()
            .unwrap()
            .contains("<footer class=\"banji\">")
    );
    assert_eq!(all.matches("<footer class=\"banji\">").count(), 1);
    epubcheck(&epub);

    // A 上行文 under a seal, with one attachment and no 版记.
    let content = dir.path().join("upward.yaml");
    std::fs::write(
        &content,
        "title: 关于档案工作的请示\nauthor: 示例市档案局\ndate: 2026-11-20\nlayout: gongwen\ngongwen:\n  number: 示档〔2026〕7号\n  signers: [张三, 李四]\n  attachments: 工作方案\n  sealed: true\nbody: [正文。]\n",
    )
    .unwrap();
    let epub = builder().build_epub(&content, dir.path(), true).unwrap();
    let xhtml = entry_text(&entries(&epub), "EPUB/text/ch01.xhtml");
    for marker in [
        "<p class=\"mark\">示例市档案局文件</p>",
        "<p class=\"doc-number upward\"><span class=\"number\">示档〔2026〕7号</span>\u{3000}<span class=\"signers\">签发人：<span class=\"signer\">张三</span>\u{3000}<span class=\"signer\">李四</span></span></p>",
        "<p><span class=\"label\">附件：</span>工作方案</p>",
        "<div class=\"signature sealed\">",
    ] {
        assert!(xhtml.contains(marker), "`{marker}` not in\n{xhtml}");
    }
    assert!(!xhtml.contains("banji"));
    epubcheck(&epub);
}
