//! Content format v2: every element, written in both inline styles, through PDF and EPUB;
//! the numbers both outputs print; bad input refused at its place; content that looks like
//! markup printed literally.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{entries, entry_text, epubcheck, poppler, project_root, squeeze, xhtml_text};
use paiban::model::{Block, Document, load_str};

/// The same document in the structured form and in the inline syntax.
const STRUCTURED: &str = r#"title: 元素示例
body:
  - heading: 行内格式
    id: sec-inline
  - [这是, {strong: “重点”}, 。这是, {emphasis: 着重}, ，上标x, {sup: "2"}, 和H, {sub: "2"}, O，代码, {code: "a*b"}, ，链接, {link: "https://example.com/p", text: 示例网站}, 。]
  - [正文, {note: [注释内容，含, {strong: 强调}, 。], id: n1}, 继续。见, {ref: fig-chart}, 、, {ref: tab-data}, 、, {ref: sec-list}, 与, {ref: n1}, 。]
  - heading: 列表与引文
    id: sec-list
  - list:
      - 第一项
      - body:
          - 第二项有嵌套：
          - list: [甲, 乙]
            style: a)
    style: （1）
    start: 3
  - quote: 天下兴亡，匹夫有责。
    attribution: 顾炎武
  - verse: [床前明月光，, 疑是地上霜。, "", 举头望明月，, 低头思故乡。]
    title: 静夜思
    author: 李白
  - divider:
  - figure: chart.svg
    caption: 三年数据
    alt: 三根柱子依次升高
    width: 0.5
    id: fig-chart
  - table: 各地数据
    id: tab-data
    widths: [2, 1]
    align: [left, right]
    header: 1
    rows:
      - [地区, 数量]
      - [东部, 120]
      - [{text: 合计, colspan: 2}]
  - appendix: 补充材料
    id: app-a
  - heading: 附录第一节
  - [附录正文，见, {ref: app-a}, 。]
"#;

const MARKUP: &str = r#"title: 元素示例
inline: markup
body:
  - heading: 行内格式
    id: sec-inline
  - 这是**“重点”**。这是*着重*，上标x^{2}和H_{2}O，代码`a*b`，链接[示例网站](https://example.com/p)。
  - [正文, {note: "注释内容，含**强调**。", id: n1}, "继续。见@{fig-chart}、@{tab-data}、@{sec-list}与@{n1}。"]
  - heading: 列表与引文
    id: sec-list
  - list:
      - 第一项
      - body:
          - 第二项有嵌套：
          - list: [甲, 乙]
            style: a)
    style: （1）
    start: 3
  - quote: 天下兴亡，匹夫有责。
    attribution: 顾炎武
  - verse: [床前明月光，, 疑是地上霜。, "", 举头望明月，, 低头思故乡。]
    title: 静夜思
    author: 李白
  - divider:
  - figure: chart.svg
    caption: 三年数据
    alt: 三根柱子依次升高
    width: 0.5
    id: fig-chart
  - table: 各地数据
    id: tab-data
    widths: [2, 1]
    align: [left, right]
    header: 1
    rows:
      - [地区, 数量]
      - [东部, 120]
      - [{text: 合计, colspan: 2}]
  - appendix: 补充材料
    id: app-a
  - heading: 附录第一节
  - 附录正文，见@{app-a}。
"#;

const SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="300" height="150"><rect width="300" height="150" fill="#7a5c3a"/></svg>"##;

fn paiban(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_paiban"))
        .args(args)
        .arg("--root")
        .arg(project_root())
        .current_dir(cwd)
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A folder inside the project (images must be inside it) holding `chart.svg`.
fn scratch() -> tempfile::TempDir {
    let parent = project_root().join("target-tests");
    std::fs::create_dir_all(&parent).unwrap();
    let dir = tempfile::tempdir_in(parent).unwrap();
    std::fs::write(dir.path().join("chart.svg"), SVG).unwrap();
    dir
}

/// Builds `yaml` as `name` in `dir` to PDF and EPUB; their paths.
fn build(dir: &Path, name: &str, yaml: &str) -> (PathBuf, PathBuf) {
    std::fs::write(dir.join(format!("{name}.yaml")), yaml).unwrap();
    let output = paiban(
        &[
            "build",
            &format!("{name}.yaml"),
            "-o",
            "out",
            "--format",
            "pdf,epub",
        ],
        dir,
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    (
        dir.join(format!("out/{name}.pdf")),
        dir.join(format!("out/{name}.epub")),
    )
}

/// Every content document of an EPUB, in file order, tags kept.
fn xhtml(epub: &Path) -> String {
    let files = entries(epub);
    let mut names: Vec<&String> = files
        .iter()
        .map(|(n, _)| n)
        .filter(|n| n.starts_with("EPUB/text/"))
        .collect();
    names.sort();
    names.iter().map(|n| entry_text(&files, n)).collect()
}

#[test]
fn both_inline_styles_mean_the_same() {
    let structured = load_str(STRUCTURED, "a.yaml").unwrap();
    let markup = load_str(MARKUP, "b.yaml").unwrap();
    let same = |d: &Document| Document {
        markup: false,
        ..d.clone()
    };
    assert_eq!(same(&structured).body, same(&markup).body);
}

#[test]
fn every_element_renders_in_pdf_and_epub() {
    let dir = scratch();
    for (name, yaml) in [("structured", STRUCTURED), ("markup", MARKUP)] {
        let (pdf, epub) = build(dir.path(), name, yaml);
        let text = poppler("pdftotext", &["-enc", "UTF-8"], &pdf);
        let flat = squeeze(&text);
        // In reading order, with the numbers the pass resolved.
        let expected = [
            "一、行内格式",
            "这是“重点”。这是着重，上标x2和H2O，代码a*b，链接示例网站。",
            "正文①继续。见图1、表1、第二部分与①。",
            "二、列表与引文",
            "（3）第一项",
            "（4）第二项有嵌套：",
            "a)甲",
            "b)乙",
            "天下兴亡，匹夫有责。",
            "——顾炎武",
            "静夜思",
            "李白",
            "床前明月光，",
            "低头思故乡。",
            "图1三年数据",
            "表1各地数据",
            "地区数量",
            "东部120",
            "合计",
            "①注释内容，含强调。",
            "附录A补充材料",
            "一、附录第一节",
            "附录正文，见附录A。",
        ];
        let mut at = 0;
        for part in expected {
            let found = flat[at..].find(&squeeze(part)).unwrap_or_else(|| {
                panic!("{name}: `{part}` not after byte {at} of the PDF's text:\n{flat}")
            });
            at += found + squeeze(part).len();
        }
        // The verse keeps its lines: each is a line of its own.
        assert!(
            text.lines().any(|l| l.trim() == "床前明月光，"),
            "{name}:\n{text}"
        );
        // The link is a link.
        let bytes = std::fs::read(&pdf).unwrap();
        assert!(
            String::from_utf8_lossy(&bytes).contains("/URI (https://example.com/p)")
                || String::from_utf8_lossy(&bytes).contains("/URI(https://example.com/p)"),
            "{name}: no link annotation"
        );

        epubcheck(&epub);
        let xhtml = xhtml(&epub);
        for fragment in [
            "<strong>“重点”</strong>",
            "<em>着重</em>",
            "<sup>2</sup>",
            "<sub>2</sub>",
            "<code>a*b</code>",
            "<a href=\"https://example.com/p\">示例网站</a>",
            "epub:type=\"noteref\" role=\"doc-noteref\" class=\"noteref\">①</a>",
            "<aside epub:type=\"footnote\" role=\"doc-footnote\"",
            "注释内容，含<strong>强调</strong>。",
            "class=\"ref\">图1</a>",
            "class=\"ref\">表1</a>",
            "class=\"ref\">第二部分</a>",
            "<span class=\"label\">（3）</span>第一项",
            "<span class=\"label\">a)</span>甲",
            "<blockquote>",
            "<figcaption class=\"attribution\">顾炎武</figcaption>",
            "<span class=\"line\">床前明月光，</span>",
            "<hr class=\"divider\"/>",
            "alt=\"三根柱子依次升高\"",
            "<figcaption><span class=\"number\">图1</span>　三年数据</figcaption>",
            "<caption><span class=\"number\">表1</span>　各地数据</caption>",
            "<thead>",
            "<td colspan=\"2\"",
            "<span class=\"number\">附录A</span>　补充材料",
            "class=\"ref\">附录A</a>",
        ] {
            assert!(
                xhtml.contains(fragment),
                "{name}: `{fragment}` not in the EPUB"
            );
        }
        // The image is in the package with its media type.
        let opf = entry_text(&entries(&epub), "EPUB/package.opf");
        assert!(opf.contains("media-type=\"image/svg+xml\""), "{opf}");
    }
}

/// A table long enough to cross a page: its header row is printed again on the next.
#[test]
fn a_long_table_repeats_its_header_and_notes_stay_with_their_reference() {
    let dir = scratch();
    let mut yaml = String::from(
        "title: 长表\nbody:\n  - table: 很长的表\n    header: 1\n    rows:\n      - [表头甲, 表头乙]\n",
    );
    for i in 1..=90 {
        yaml.push_str(&format!("      - [第{i}行, {i}]\n"));
    }
    // Notes on several pages: each note's text is on the page of its mark.
    for i in 1..=30 {
        yaml.push_str(&format!(
            "  - [第{i}段正文，{}, {{note: 第{i}条注释。}}, 段末。]\n",
            "内容较长的正文".repeat(12)
        ));
    }
    let (pdf, _) = build(dir.path(), "long", &yaml);
    let text = poppler("pdftotext", &["-enc", "UTF-8"], &pdf);
    // Han and digits are spaced apart in print: compare without white space.
    let pages: Vec<String> = text.split('\u{c}').map(squeeze).collect();
    let with_header: Vec<usize> = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.contains("第50行") || p.contains("第2行") || p.contains("第89行"))
        .map(|(i, _)| i)
        .collect();
    assert!(
        with_header.len() >= 2,
        "the table spans pages: {with_header:?}"
    );
    for page in &with_header {
        assert!(
            pages[*page].contains("表头甲"),
            "page {page} lacks the header:\n{}",
            pages[*page]
        );
    }
    for i in 1..=30 {
        let mark = pages
            .iter()
            .position(|p| p.contains(&format!("第{i}段正文")))
            .unwrap();
        assert!(
            pages[mark].contains(&format!("第{i}条注释。")),
            "note {i} is not on the page of its mark ({mark}):\n{}",
            pages[mark]
        );
    }
}

/// What both outputs print for numbers agrees: headings, lists, figures, tables,
/// appendices.
#[test]
fn pdf_and_epub_print_the_same_numbers() {
    let dir = scratch();
    let (pdf, epub) = build(dir.path(), "numbers", STRUCTURED);
    let pdf_text = squeeze(&poppler("pdftotext", &["-enc", "UTF-8"], &pdf));
    let epub_text = squeeze(&xhtml_text(&xhtml(&epub)));
    for label in [
        "一、行内格式",
        "二、列表与引文",
        "（3）第一项",
        "（4）",
        "a)甲",
        "b)乙",
        "图1",
        "表1",
        "附录A",
        "第二部分",
    ] {
        assert!(pdf_text.contains(label), "PDF lacks {label}");
        assert!(epub_text.contains(label), "EPUB lacks {label}");
    }
}

/// Each bad input: exit 1, the error at its place, nothing written, the old output kept.
#[test]
fn bad_input_is_refused_at_its_place() {
    let dir = scratch();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.svg"), SVG).unwrap();
    std::fs::write(dir.path().join("broken.png"), b"\x89PNG\r\n\x1a\nbroken").unwrap();
    std::fs::write(dir.path().join("scan.tif"), b"II*\0\x08\0\0\0").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        outside.path().join("secret.svg"),
        dir.path().join("link.svg"),
    )
    .unwrap();
    let good = "title: 好\nbody:\n  - 正文。\n";
    let cases: Vec<(String, (usize, usize), &str)> = vec![
        (
            "title: t\nbody:\n  - [点, {link: \"javascript:alert(1)\", text: 这里}]\n".into(),
            (3, 16),
            "not `javascript:`",
        ),
        (
            "title: t\ninline: markup\nbody:\n  - 点[这里](file:///etc/passwd)。\n".into(),
            (4, 11),
            "not `file:`",
        ),
        (
            "title: t\nbody:\n  - [见, {ref: nowhere}]\n".into(),
            (3, 15),
            "`nowhere`",
        ),
        (
            "title: t\nbody:\n  - {heading: a, id: x}\n  - {heading: b, id: x}\n".into(),
            (4, 22),
            "declared twice",
        ),
        (
            format!(
                "title: t\nbody:\n  - figure: {}\n    caption: c\n",
                outside.path().join("secret.svg").display()
            ),
            (3, 13),
            "absolute path",
        ),
        (
            "title: t\nbody:\n  - figure: ../../../../../etc/hostname\n    caption: c\n".into(),
            (3, 13),
            "",
        ),
        (
            "title: t\nbody:\n  - figure: missing.png\n".into(),
            (3, 13),
            "does not exist",
        ),
        (
            "title: t\nbody:\n  - figure: broken.png\n".into(),
            (3, 13),
            "cannot be decoded",
        ),
        (
            "title: t\nbody:\n  - figure: scan.tif\n".into(),
            (3, 13),
            "TIFF",
        ),
        (
            "title: t\ninline: markup\nbody:\n  - 正文^[外层^[内层]]。\n".into(),
            (4, 13),
            "a note inside a note",
        ),
    ];
    #[allow(unused_mut)]
    let mut cases = cases;
    #[cfg(unix)]
    cases.push((
        "title: t\nbody:\n  - figure: link.svg\n".into(),
        (3, 13),
        "outside the project",
    ));
    for (yaml, (line, column), message) in cases {
        let content = dir.path().join("bad.yaml");
        std::fs::write(&content, good).unwrap();
        let first = paiban(
            &["build", "bad.yaml", "-o", "out", "--format", "pdf,epub"],
            dir.path(),
        );
        assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
        let pdf = std::fs::read(dir.path().join("out/bad.pdf")).unwrap();
        std::fs::write(&content, &yaml).unwrap();
        let output = paiban(
            &["build", "bad.yaml", "-o", "out", "--format", "pdf,epub"],
            dir.path(),
        );
        let report = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{yaml}\n{report}");
        assert!(
            report.contains(&format!("bad.yaml:{line}:{column}: error")),
            "{yaml}: expected at {line}:{column}:\n{report}"
        );
        assert!(
            report.contains(message),
            "{yaml}: `{message}` not in:\n{report}"
        );
        assert_eq!(
            std::fs::read(dir.path().join("out/bad.pdf")).unwrap(),
            pdf,
            "{yaml}"
        );
        // check says the same, at the same place.
        let checked = paiban(&["check", "bad.yaml"], dir.path());
        assert_eq!(checked.status.code(), Some(1), "{yaml}");
        assert!(
            String::from_utf8_lossy(&checked.stdout)
                .contains(&format!("bad.yaml:{line}:{column}: error")),
            "{yaml}: check:\n{}",
            String::from_utf8_lossy(&checked.stdout)
        );
    }
}

/// Text that looks like Typst markup, code or XHTML prints as written, from every field.
#[test]
fn markup_in_content_is_printed_literally() {
    let dir = scratch();
    let payloads = [
        "#panic(\"x\")",
        "]#text(red)[",
        "<script>alert(1)</script>",
        "&amp;\\\"'",
        "$x^2$ @ref <label>",
    ];
    for (i, payload) in payloads.iter().enumerate() {
        let quoted = serde_json::to_string(payload).unwrap();
        let yaml = format!(
            "title: 注入{i}\nbody:\n  - heading: {quoted}\n  - [{quoted}, {{strong: {quoted}}}, {{note: {quoted}}}, {{code: {quoted}}}, {{link: \"https://example.com/\", text: {quoted}}}]\n  - sidebar: {quoted}\n    body: [{quoted}]\n  - list: [{quoted}]\n  - quote: {quoted}\n    attribution: {quoted}\n  - verse: [{quoted}]\n    title: {quoted}\n  - figure: chart.svg\n    caption: {quoted}\n    alt: {quoted}\n  - table: {quoted}\n    rows: [[{quoted}, {quoted}]]\n  - appendix: {quoted}\n  - dateline: {quoted}\n"
        );
        let (pdf, epub) = build(dir.path(), &format!("inject{i}"), &yaml);
        let text = squeeze(&poppler("pdftotext", &["-enc", "UTF-8"], &pdf));
        let count = text.matches(&squeeze(payload)).count();
        // heading, 4 runs, sidebar title and text, item, quote and attribution, verse
        // line and title, caption, table caption and 2 cells, appendix, dateline; the
        // note once in the text (its mark) and once at the foot.
        assert!(
            count >= 19,
            "payload {payload:?} printed {count} times:\n{text}"
        );
        let xhtml = xhtml(&epub);
        let literal = xhtml_text(&xhtml);
        assert!(
            literal.matches(*payload).count() >= 19,
            "payload {payload:?} not literal in the EPUB"
        );
        assert!(!xhtml.contains("<script>"), "{payload:?}");
        epubcheck(&epub);
        // The alt text is an attribute, escaped.
        let document = load_str(&yaml, "x.yaml").unwrap();
        let alt = document
            .walk()
            .find_map(|b| match b {
                Block::Figure(f) => f.alt.clone(),
                _ => None,
            })
            .unwrap();
        assert_eq!(alt, *payload);
    }
}

/// A figure without alt text is a warning in check, and refused for PDF/UA; a small image
/// printed large is a preflight warning with its resolution.
#[test]
fn alt_text_and_image_resolution_are_checked() {
    let dir = scratch();
    // 40 × 20 pixels printed across the text block: far below 300 ppi.
    let png = {
        let mut raw = Vec::new();
        for _ in 0..20 {
            raw.push(0u8);
            raw.extend(std::iter::repeat_n([120u8, 90, 60], 40).flatten());
        }
        png_bytes(40, 20, &raw)
    };
    std::fs::write(dir.path().join("small.png"), png).unwrap();
    std::fs::write(
        dir.path().join("fig.yaml"),
        "title: 图\ndate: 2026-12-04\nbody:\n  - 正文。\n  - figure: small.png\n    caption: 一张小图\n    width: 1\n",
    )
    .unwrap();
    let checked = paiban(&["check", "fig.yaml"], dir.path());
    assert_eq!(checked.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&checked.stdout);
    assert!(
        stdout.contains("fig.yaml:5:13: warning[missing-alt]"),
        "{stdout}"
    );

    let ua = paiban(
        &["build", "fig.yaml", "-o", "ua", "--pdf-standard", "ua-1"],
        dir.path(),
    );
    assert_eq!(ua.status.code(), Some(1));
    assert!(
        stderr(&ua).contains("fig.yaml:5:13: error[missing-alt]"),
        "{}",
        stderr(&ua)
    );
    assert!(!dir.path().join("ua").exists());

    let preflight = paiban(
        &["build", "fig.yaml", "-o", "out", "--preflight"],
        dir.path(),
    );
    assert_eq!(preflight.status.code(), Some(0), "{}", stderr(&preflight));
    let report = stderr(&preflight);
    assert!(report.contains("warning[preflight]"), "{report}");
    // 40 pixels across the A4 text block (160 mm): 6 ppi.
    assert!(
        report.contains("40×20 pixels at 160.0×80.0 mm: 6 ppi (below 300)"),
        "{report}"
    );
}

/// A truecolour PNG of `width` × `height` from filtered rows (each row led by its filter
/// byte).
fn png_bytes(width: u32, height: u32, rows: &[u8]) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend(data);
        out.extend(&body);
        out.extend(crc32(&body).to_be_bytes());
    }
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    // A stored (uncompressed) zlib stream: header, one final stored block, Adler-32.
    let mut zlib = vec![0x78, 0x01, 0x01];
    zlib.extend((rows.len() as u16).to_le_bytes());
    zlib.extend((!(rows.len() as u16)).to_le_bytes());
    zlib.extend(rows);
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in rows {
        a = (a + u32::from(byte)) % 65521;
        b = (b + a) % 65521;
    }
    zlib.extend(((b << 16) | a).to_be_bytes());
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = width.to_be_bytes().to_vec();
    header.extend(height.to_be_bytes());
    header.extend([8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &header);
    chunk(&mut out, b"IDAT", &zlib);
    chunk(&mut out, b"IEND", &[]);
    out
}
