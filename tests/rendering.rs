//! Built PDFs, read back with poppler: literal text, fidelity to the white paper,
//! numbering as the pass resolves it, embedded fonts, reproducible bytes.

mod common;

use common::{
    body_text, build_yaml, builder, poppler, printed_text, project_root, squeeze, yaml_quote,
};
use paiban::model::Block;
use paiban::passes::numbering::heading_label;
use paiban::pipeline::prepare;

/// Strings that mean something in Typst markup; each must come out as typed.
const MARKUP_TRAPS: &[&str] = &[
    "#", "$", "*", "_", "`", "<", ">", "@", "\\", "[", "]", "{", "}", "=", "-", "+", "/", "~", "'",
    "\"", "--", "---", "...", "//", "/*", "*/",
];

const LINE_START_TRAPS: &[&str] = &[
    "= Heading?",
    "- item?",
    "+ item?",
    "1. item?",
    "/ term: description?",
    "#panic(\"injected\")",
    "#read(\"/etc/passwd\")",
    "$x^2$ and `raw` and <label> and @ref",
    "*strong* _emph_ \\ backslash",
    "'single' \"double\" it's",
    "a -- b --- c ... d ~ e",
    "http://example.com // not a comment /* nor this */",
    "]#[ } { ) (",
];

/// Collapses whitespace runs, so line breaks in extraction do not matter, but the
/// characters and the spaces between them do.
fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn content_renders_literally() {
    let mut yaml = format!(
        "title: {}\nsubtitle: {}\nbody:\n",
        yaml_quote("Title #1 $x$ *b*"),
        yaml_quote("= not a heading")
    );
    let lone = MARKUP_TRAPS
        .iter()
        .map(|t| format!("x{t}x"))
        .collect::<Vec<_>>()
        .join(" ");
    yaml.push_str(&format!("  - {}\n", yaml_quote(&lone)));
    for trap in LINE_START_TRAPS {
        yaml.push_str(&format!("  - {}\n", yaml_quote(trap)));
    }
    yaml.push_str(&format!(
        "  - heading: {}\n  - sidebar: {}\n    body:\n      - {}\n  - dateline: {}\n",
        yaml_quote("Heading #x *y*"),
        yaml_quote("Panel <a> @b"),
        yaml_quote("- panel = text"),
        yaml_quote("(date) $5")
    ));
    let (_dir, pdf) = build_yaml(&yaml, "literal");
    let text = words(&poppler("pdftotext", &["-enc", "UTF-8"], &pdf));
    let mut expected = vec![
        "Title #1 $x$ *b*".to_owned(),
        "= not a heading".to_owned(),
        lone,
        "Heading #x *y*".to_owned(),
        "Panel <a> @b".to_owned(),
        "- panel = text".to_owned(),
        "(date) $5".to_owned(),
    ];
    expected.extend(LINE_START_TRAPS.iter().map(|t| t.to_string()));
    for wanted in expected {
        assert!(
            text.contains(&words(&wanted)),
            "`{wanted}` is not in the PDF text:\n{text}"
        );
    }
}

#[test]
fn every_paragraph_of_the_white_paper_is_in_the_pdf_in_order() {
    let content = project_root().join("content/whitepaper.yaml");
    let document = prepare(&content).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let built = builder().build_pdf(&content, dir.path()).unwrap();
    let text = squeeze(&body_text(&built.output, &document.title));

    let mut position = 0;
    let mut checked = 0;
    for block in document.walk() {
        let expected = printed_text(block);
        let expected = squeeze(&expected);
        let Some(found) = text[position..].find(&expected) else {
            panic!("not found in order after byte {position}: {expected}");
        };
        position += found + expected.len();
        checked += 1;
    }
    assert!(checked >= 60, "only {checked} blocks checked");
    for label in [
        "（四）促进全球普惠包容发展",
        "四、构建更加紧密",
        "（十）坚持互联网",
        "结束语",
    ] {
        assert!(text.contains(label), "{label}");
    }
    assert!(
        !text.contains("上接第十版"),
        "newspaper furniture leaked into the body"
    );
}

#[test]
fn the_white_paper_keeps_the_seed_text() {
    // Every character of the seed, in order, is in the content, except the newspaper's
    // furniture (recorded in `source`), and the two page-break splits are rejoined.
    // tests/data/seed.txt is a copy of the reference seed text.
    let seed = std::fs::read_to_string(project_root().join("tests/data/seed.txt")).unwrap();
    let document = prepare(&project_root().join("content/whitepaper.yaml")).unwrap();
    let from_content: String = document.walk().map(printed_text).collect();
    let seed = squeeze(&seed).replacen("（上接第十版）", "", 1).replacen(
        "携手构建网络空间命运共同体1.积极",
        "1.积极",
        1,
    );
    assert_eq!(squeeze(&from_content), seed);
    let source = document.source.unwrap();
    assert!(
        source.contains("上接第十版") && source.contains("眉题"),
        "{source}"
    );
}

#[test]
fn chinese_numbering_in_the_pdf_agrees_with_the_pass() {
    let mut yaml = String::from("title: 编号\nbody:\n");
    for section in 1..=12 {
        yaml.push_str(&format!("  - heading: 第{section}节\n"));
        if section == 12 {
            for sub in 1..=21 {
                yaml.push_str(&format!("  - {{heading: 小节{sub}, level: 2}}\n"));
            }
            yaml.push_str("  - {heading: 条, level: 3}\n  - {heading: 款, level: 4}\n");
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("numbers.yaml");
    std::fs::write(&content, &yaml).unwrap();
    let built = builder().build_pdf(&content, dir.path()).unwrap();
    let text = squeeze(&body_text(&built.output, "编号"));
    let document = prepare(&content).unwrap();
    for block in document.walk() {
        if let Block::Heading(h) = block {
            let line = format!("{}{}", heading_label(&h.resolved).unwrap(), h.text);
            assert!(text.contains(&line), "{line} not in {text}");
        }
    }
    for label in [
        "十二、第12节",
        "（十一）小节11",
        "（二十）小节20",
        "（二十一）小节21",
        "1.条",
        "（1）款",
    ] {
        assert!(text.contains(label), "{label}");
    }
}

#[test]
fn fonts_are_embedded_and_subset() {
    let (_dir, pdf) = build_yaml(
        "title: 字体\nbody:\n  - heading: 黑体标题\n  - 宋体正文。\n  - {sidebar: 楷体, body: [楷体正文。]}\n",
        "fonts",
    );
    let listing = poppler("pdffonts", &[], &pdf);
    let rows: Vec<&str> = listing.lines().skip(2).collect();
    assert!(rows.len() >= 4, "{listing}");
    for row in &rows {
        let columns: Vec<&str> = row.split_whitespace().collect();
        let n = columns.len();
        // name type… encoding emb sub uni object ID
        assert_eq!(&columns[n - 5..n - 2], ["yes", "yes", "yes"], "{row}");
    }
    for face in [
        "NotoSerifCJKsc-Bold",
        "NotoSerifCJKsc-Regular",
        "NotoSansCJKsc-Bold",
        "LXGWWenKai-Regular",
    ] {
        assert!(listing.contains(face), "{face} missing:\n{listing}");
    }
}

#[test]
fn builds_are_byte_identical() {
    let content = project_root().join("content/whitepaper.yaml");
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let first = builder().build_pdf(&content, a.path()).unwrap();
    let second = builder().build_pdf(&content, b.path()).unwrap();
    assert_eq!(
        std::fs::read(first.output).unwrap(),
        std::fs::read(second.output).unwrap()
    );
}

#[test]
fn only_used_faces_are_loaded() {
    let builder = paiban::pipeline::Builder::new(
        paiban::project::Project::at(&project_root()).unwrap(),
        &[],
        false,
    );
    assert_eq!(builder.fonts().faces.len(), 8, "bundled faces only");
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("plain.yaml");
    std::fs::write(&content, "title: 正文\nbody: [只有正文。]\n").unwrap();
    builder.build_pdf(&content, dir.path()).unwrap();
    // The title uses Song bold and the text Song regular; Hei and Kai stay unmapped.
    assert_eq!(builder.fonts().loaded(), 2);
}

#[test]
fn document_metadata_comes_from_the_content() {
    let (_dir, pdf) = build_yaml(
        "title: 元数据\nauthor: [国务院新闻办公室, 新华社]\ndate: 2022-11-07\nbody: [正文。]\n",
        "meta",
    );
    let info = poppler("pdfinfo", &[], &pdf);
    assert!(info.contains("Title:           元数据"), "{info}");
    assert!(
        info.contains("Author:          国务院新闻办公室, 新华社"),
        "{info}"
    );
    assert!(
        info.contains("2022"),
        "the content's date is the document's date:\n{info}"
    );
}

/// The v1 samples as they were before content format v2 (`tests/data/v1/`): built now,
/// every page renders to the same pixels (`pdftoppm -r 36 -gray`, stored as PNG beside
/// them), and the EPUB has the same text (and, since the EPUB has a cover page and the
/// print edition's page list, their words: 封面, 页码 and the page numbers).
#[test]
fn v1_documents_render_as_they_always_have() {
    let fixtures = common::project_root().join("tests/data/v1");
    let dir = tempfile::tempdir().unwrap();
    for name in ["whitepaper", "features", "gongwen"] {
        let content = dir.path().join(format!("{name}.yaml"));
        std::fs::copy(fixtures.join(format!("{name}.yaml")), &content).unwrap();
        let pdf = builder().build_pdf(&content, dir.path()).unwrap().output;
        let pages = dir.path().join(format!("{name}-page"));
        let status = std::process::Command::new("pdftoppm")
            .args(["-r", "36", "-gray", "-png"])
            .arg(&pdf)
            .arg(&pages)
            .status()
            .expect("pdftoppm (poppler-utils)");
        assert!(status.success());
        let mut rendered: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|f| f.starts_with(&format!("{name}-page")))
            .collect();
        rendered.sort();
        let expected = std::fs::read_dir(&fixtures)
            .unwrap()
            .flatten()
            .filter(|e| {
                let file = e.file_name().to_string_lossy().into_owned();
                file.starts_with(&format!("{name}-")) && file.ends_with(".png")
            })
            .count();
        assert_eq!(rendered.len(), expected, "{name}: page count");
        for page in rendered {
            let fixture = page.replace("-page-", "-");
            let now = std::fs::read(dir.path().join(&page)).unwrap();
            let then = std::fs::read(fixtures.join(&fixture)).unwrap();
            assert!(
                now == then,
                "{name}: {fixture} renders differently (see {})",
                dir.keep().join(&page).display()
            );
        }

        let epub = builder().build_epub(&content, dir.path(), false).unwrap();
        let files = common::entries(&epub);
        let mut names: Vec<&String> = files
            .iter()
            .map(|(n, _)| n)
            .filter(|n| n.ends_with(".xhtml"))
            .collect();
        names.sort();
        let mut text = String::new();
        for file in names {
            text.push_str(&format!("== {file}\n"));
            text.push_str(&common::xhtml_text(&common::entry_text(&files, file)));
        }
        let expected = std::fs::read_to_string(fixtures.join(format!("{name}.epub.txt"))).unwrap();
        assert_eq!(text, expected, "{name}: EPUB text");
    }
}
