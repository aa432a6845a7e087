//! Markdown import: the CommonMark spec's examples keep their text, a Chinese manuscript
//! with every element imports as written, and what the model cannot carry is kept as
//! text and named in a warning.

mod common;

use std::path::{Path, PathBuf};

use paiban::model::{Block, Document, Inline, Text, own_texts};
use paiban::readers::{Options, markdown};

use common::project::{plain as paiban, stderr};

/// pulldown-cmark's copy of the CommonMark spec's examples, from the sources cargo
/// unpacked to build paiban: (markdown, expected HTML) pairs.
fn spec_examples() -> Vec<(String, String)> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var("HOME").unwrap()).join(".cargo"));
    let spec = walkdir::WalkDir::new(home.join("registry/src"))
        .max_depth(5)
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| {
            e.path().ends_with("tests/suite/spec.rs")
                && e.path().to_string_lossy().contains("pulldown-cmark-0.13")
        })
        .expect("pulldown-cmark 0.13's sources in the cargo registry")
        .into_path();
    let source = std::fs::read_to_string(spec).unwrap();
    let literal = |rest: &str| -> (String, usize) {
        let start = rest.find("r##\"").unwrap() + 4;
        let end = rest[start..].find("\"##").unwrap() + start;
        (rest[start..end].to_owned(), end)
    };
    let mut examples = Vec::new();
    let mut rest = source.as_str();
    while let Some(at) = rest.find("let original = ") {
        rest = &rest[at..];
        let (original, end) = literal(rest);
        rest = &rest[end..];
        let at = rest.find("let expected = ").unwrap();
        rest = &rest[at..];
        let (expected, end) = literal(rest);
        rest = &rest[end..];
        examples.push((original, expected));
    }
    examples
}

/// Whether the HTML holds only what the model carries: no images, raw HTML or links to
/// anything but web addresses.
fn carried(html: &str) -> bool {
    const TAGS: &[&str] = &[
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "em",
        "strong",
        "code",
        "pre",
        "ul",
        "ol",
        "li",
        "blockquote",
        "hr",
        "br",
        "a",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    ];
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let name: String = rest
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if !TAGS.contains(&name.as_str()) {
            return false;
        }
        if name == "a" && !rest.starts_with('/') {
            let web = ["a href=\"http://", "a href=\"https://", "a href=\"mailto:"];
            if !web.iter().any(|w| rest.starts_with(w)) {
                return false;
            }
        }
    }
    true
}

/// The text of HTML: tags out, entities decoded, no whitespace.
fn html_text(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    // Entities, in one pass (so that `&amp;#1;` stays `&#1;`).
    let mut decoded = String::new();
    let mut rest = text.as_str();
    while let Some(at) = rest.find('&') {
        decoded.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|&end| end < 12);
        let entity = end.map(|end| &rest[1..end]);
        let c = match entity {
            Some("lt") => Some('<'),
            Some("gt") => Some('>'),
            Some("quot") => Some('"'),
            Some("amp") => Some('&'),
            Some(number) if number.starts_with('#') => {
                let number = &number[1..];
                match number.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => number.parse().ok(),
                }
                .map(|n| char::from_u32(n).unwrap_or('\u{fffd}'))
            }
            _ => None,
        };
        match (c, end) {
            (Some(c), Some(end)) => {
                decoded.push(c);
                rest = &rest[end + 1..];
            }
            _ => {
                decoded.push('&');
                rest = &rest[1..];
            }
        }
    }
    decoded.push_str(rest);
    decoded.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Every text of the document in reading order (the title first when it came from a
/// heading), without whitespace.
fn document_text(document: &Document, title_from_text: bool) -> String {
    let mut text = String::new();
    if title_from_text {
        text.push_str(&document.title);
    }
    for block in document.walk() {
        for own in own_texts(block) {
            text.push_str(&own.to_plain());
        }
    }
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn commonmark_examples_the_model_carries_keep_their_text() {
    let examples = spec_examples();
    assert!(examples.len() > 600, "{} examples", examples.len());
    let mut compared = 0;
    for (n, (original, expected)) in examples.iter().enumerate() {
        // A manuscript that opens with `---` has front matter (paiban's extension).
        if !carried(expected) || expected.trim().is_empty() || original.starts_with("---") {
            continue;
        }
        let imported = match markdown::import(original, "spec.md", &Options::default()) {
            Ok(imported) => imported,
            Err(error) => panic!("example {n}: {error}\n{original}"),
        };
        // Raw HTML is kept as text, tags and all, which is not the HTML's text.
        if imported.warnings.iter().any(|w| w.message.contains("HTML")) {
            continue;
        }
        let document = imported.document;
        // A heading's leading number (1. or 一、) is its number, not its text: such
        // examples are not about text.
        let numbered = document
            .walk()
            .any(|b| matches!(b, Block::Heading(h) if h.number.is_some()));
        if numbered {
            continue;
        }
        let title_from_text = document.title != "spec";
        assert_eq!(
            document_text(&document, title_from_text),
            html_text(expected),
            "example {n}:\n{original}\n{expected}"
        );
        compared += 1;
    }
    assert!(compared > 350, "only {compared} examples compared");
}

#[test]
fn a_chinese_manuscript_imports_as_written() {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/markdown");
    // A project of its own (the layouts copied), for the build at the end.
    let work = common::project::scratch_project();
    let manuscript = work.path().join("稿件.md");
    std::fs::copy(source.join("manuscript.md"), &manuscript).unwrap();
    std::fs::create_dir_all(work.path().join("pics")).unwrap();
    std::fs::copy(
        source.join("pics/shares.png"),
        work.path().join("pics/shares.png"),
    )
    .unwrap();
    let output = paiban(&["import", "稿件.md", "-o", "out/book.yaml"], work.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let warnings = stderr(&output);
    for expected in [
        "稿件.md:1:1: warning: the front matter's `editor: 王五`",
        "稿件.md:16:38: warning: a link to `notes.md`",
        "稿件.md:56:1: warning: raw HTML",
    ] {
        assert!(warnings.contains(expected), "{expected}:\n{warnings}");
    }
    // The image is copied beside the content, in a folder named after it.
    assert_eq!(
        std::fs::read(work.path().join("out/book/shares.png")).unwrap(),
        std::fs::read(source.join("pics/shares.png")).unwrap()
    );

    let yaml = std::fs::read_to_string(work.path().join("out/book.yaml")).unwrap();
    let document = paiban::model::load_str(&yaml, "book.yaml").unwrap();
    assert_eq!(document.title, "网络空间的国际合作");
    assert_eq!(document.subtitle.as_deref(), Some("书稿样章"));
    assert_eq!(document.authors, ["张三", "李四"]);
    assert_eq!(
        document.date.map(|d| d.to_string()).as_deref(),
        Some("2026-12-05")
    );
    let kinds: Vec<&str> = document
        .body
        .iter()
        .map(|block| match block {
            Block::Paragraph(_) => "p",
            Block::Heading(_) => "h",
            Block::List(_) => "list",
            Block::Quote(_) => "quote",
            Block::Sidebar(_) => "sidebar",
            Block::Figure(_) => "figure",
            Block::Table(_) => "table",
            Block::Divider => "divider",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "p", "h", "p", "h", "list", "list", "quote", "sidebar", "figure", "table", "p",
            "sidebar", "divider", "p"
        ]
    );
    let Block::Paragraph(first) = &document.body[0] else {
        panic!()
    };
    assert_eq!(
        first.to_plain(),
        "前言部分说明本书的来历，重点在于合作。中文的软换行不加空格，English words get a space."
    );
    assert!(matches!(&first.0[1], Inline::Strong(_)));
    assert!(matches!(&first.0[3], Inline::Emphasis(_)));
    let Block::Heading(h1) = &document.body[1] else {
        panic!()
    };
    assert_eq!(
        (h1.text.to_plain().as_str(), h1.level, h1.number),
        ("总体情况", 1, Some(1))
    );
    let Block::Heading(h2) = &document.body[3] else {
        panic!()
    };
    assert_eq!(
        (h2.text.to_plain().as_str(), h2.level, h2.number),
        ("具体做法", 2, Some(1))
    );
    let Block::Paragraph(with_note) = &document.body[2] else {
        panic!()
    };
    let note = with_note
        .0
        .iter()
        .find_map(|i| match i {
            Inline::Note(note) => Some(note),
            _ => None,
        })
        .expect("the footnote at its reference");
    assert_eq!(
        paiban::model::Text(note.content.clone()).to_plain(),
        "脚注内容，有粗体。"
    );
    assert!(
        with_note
            .0
            .iter()
            .any(|i| matches!(i, Inline::Link(l) if l.target == "https://www.news.cn/"))
    );
    let Block::List(nested) = &document.body[4] else {
        panic!()
    };
    assert!(
        matches!(nested.items[1].last(), Some(Block::List(_))),
        "a nested list"
    );
    let Block::List(third) = &document.body[5] else {
        panic!()
    };
    assert_eq!(third.start, Some(3));
    let Block::Sidebar(panel) = &document.body[7] else {
        panic!()
    };
    assert_eq!(
        (panel.number, panel.title.to_plain().as_str()),
        (Some(1), "数字丝绸之路")
    );
    let Block::Figure(figure) = &document.body[8] else {
        panic!()
    };
    assert_eq!(figure.alt.as_deref(), Some("份额图"));
    assert_eq!(
        figure.caption.as_ref().map(|c| c.to_plain()).as_deref(),
        Some("各国份额")
    );
    let Block::Table(table) = &document.body[9] else {
        panic!()
    };
    assert_eq!((table.header_rows, table.rows.len()), (1, 3));
    assert_eq!(table.rows[2][1].text.to_plain(), "删去 合作年");
    assert!(
        matches!(&table.rows[2][1].text.0[0], Inline::Strike(inner) if Text(inner.clone()).to_plain() == "删去")
    );
    let Block::Paragraph(code) = &document.body[10] else {
        panic!()
    };
    assert!(
        matches!(&code.0[..], [Inline::Code(run)] if run.text == "fn main() {\n    println!(\"排版\");\n}")
    );
    let Block::Sidebar(fenced) = &document.body[11] else {
        panic!()
    };
    assert_eq!(fenced.title.to_plain(), "数字经济");
    let Block::Paragraph(html) = &document.body[13] else {
        panic!()
    };
    assert_eq!(html.to_plain(), "<div class=\"x\">原始HTML</div>");

    // It builds, and the EPUB is valid.
    let build = paiban(
        &[
            "build",
            "out/book.yaml",
            "--format",
            "pdf,epub",
            "-o",
            "built",
        ],
        work.path(),
    );
    assert_eq!(build.status.code(), Some(0), "{}", stderr(&build));
    common::epubcheck(&work.path().join("built/book.epub"));
    // The code block keeps its lines in the EPUB too.
    let files = common::entries(&work.path().join("built/book.epub"));
    let book: String = files
        .iter()
        .filter(|(name, _)| name.ends_with(".xhtml"))
        .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
        .collect();
    let code = "<pre class=\"code\"><code>fn main() {<br/>    println!(&quot;排版&quot;);<br/>}</code></pre>";
    assert!(book.contains(code), "{book}");
}

#[test]
fn what_markdown_cannot_say_in_paiban_is_kept_and_named() {
    let work = tempfile::tempdir().unwrap();
    std::fs::write(
        work.path().join("a.md"),
        "---\ntitle: [unclosed\n---\n\n# 题目\n\n正文![无图](missing.png)与![网图](https://example.com/a.png)。\n\n引用[^x]。\n\n<!-- 待补：数据来源 -->\n\n```python\ndef f(x):\n    return x\n```\n",
    )
    .unwrap();
    let output = paiban(&["import", "a.md", "-o", "a.yaml"], work.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let warnings = stderr(&output);
    for expected in [
        "a.md:1:1: warning: the front matter is not YAML",
        "a.md:7:3: warning: cannot read the image `missing.png`",
        "a.md:7:22: warning: the image `https://example.com/a.png` is on the web",
        "a.md:11:1: warning: an HTML comment is left out: <!-- 待补：数据来源 -->",
    ] {
        assert!(warnings.contains(expected), "{expected}:\n{warnings}");
    }
    let yaml = std::fs::read_to_string(work.path().join("a.yaml")).unwrap();
    let document = paiban::model::load_str(&yaml, "a.yaml").unwrap();
    let text: String = document
        .walk()
        .flat_map(own_texts)
        .map(|t| t.to_plain())
        .collect();
    for kept in [
        "![无图](missing.png)",
        "![网图](https://example.com/a.png)",
        "[^x]",
    ] {
        assert!(text.contains(kept), "{kept} kept as text: {text}");
    }
    assert!(!text.contains("待补"), "{text}");
    // A code block keeps its lines, and prints as a block of them.
    let code = "def f(x):\n    return x";
    assert!(document.body.iter().any(|b| matches!(b, Block::Paragraph(t) if matches!(&t.0[..], [Inline::Code(r)] if r.text == code))));
    let markup = paiban::writers::typst::write(&document, "a.yaml", &Default::default());
    assert!(
        markup.contains("#raw(block: true, \"def f(x):\\n    return x\")"),
        "{markup}"
    );

    // A manuscript with images needs a file to write them beside.
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/markdown/pics/shares.png"),
        work.path().join("s.png"),
    )
    .unwrap();
    std::fs::write(work.path().join("b.md"), "# 题\n\n![图](s.png)\n").unwrap();
    let output = paiban(&["import", "b.md"], work.path());
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("give -o FILE.yaml"));
    // Nesting no book has (it would only exhaust the stack) is a located error, at once.
    for (name, text) in [
        ("q.md", format!("{} 引文\n", ">".repeat(50_000))),
        (
            "e.md",
            format!("{}强调{}\n", "*".repeat(50_000), "*".repeat(50_000)),
        ),
        (
            "l.md",
            (0..3000)
                .map(|i| format!("{}- 项\n", "  ".repeat(i)))
                .collect(),
        ),
    ] {
        std::fs::write(work.path().join(name), text).unwrap();
        let output = paiban(&["import", name, "-o", "deep.yaml"], work.path());
        assert_eq!(output.status.code(), Some(1), "{name}: {}", stderr(&output));
        assert!(
            stderr(&output).contains(&format!("{name}:"))
                && stderr(&output).contains("nested deeper than 32 levels"),
            "{name}: {}",
            stderr(&output)
        );
    }
    // An empty manuscript is an error.
    std::fs::write(work.path().join("c.md"), "\n\n").unwrap();
    assert_eq!(
        paiban(&["import", "c.md"], work.path()).status.code(),
        Some(1)
    );
}

#[test]
fn a_sidebar_block_keeps_its_heading_warnings_and_images() {
    let work = tempfile::tempdir().unwrap();
    let png = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/markdown/pics/shares.png");
    std::fs::create_dir_all(work.path().join("a")).unwrap();
    std::fs::create_dir_all(work.path().join("b")).unwrap();
    std::fs::copy(&png, work.path().join("a/pic.png")).unwrap();
    std::fs::write(work.path().join("b/pic.png"), b"\x89PNG\r\n\x1a\nother").unwrap();
    std::fs::write(
        work.path().join("m.md"),
        "# 书名\n\n## 一章\n\n![甲](a/pic.png)\n\n```sidebar 专题\n# 小标题\n\n<!-- 待删 -->\n\n![乙](b/pic.png)\n```\n",
    )
    .unwrap();
    let output = paiban(&["import", "m.md", "-o", "m.yaml"], work.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    // The comment is on line 10 of the manuscript (line 3 of the block).
    assert!(
        stderr(&output).contains("m.md:10:1: warning: an HTML comment is left out"),
        "{}",
        stderr(&output)
    );
    let yaml = std::fs::read_to_string(work.path().join("m.yaml")).unwrap();
    let document = paiban::model::load_str(&yaml, "m.yaml").unwrap();
    let Some(Block::Sidebar(panel)) = document
        .body
        .iter()
        .find(|b| matches!(b, Block::Sidebar(_)))
    else {
        panic!("{yaml}")
    };
    // The block's lone `#` heading stays in the panel (it is no title), as a bold
    // paragraph, since a panel holds no headings.
    assert!(
        matches!(&panel.body[0], Block::Paragraph(t) if matches!(&t.0[..], [Inline::Strong(_)]) && t.to_plain() == "小标题"),
        "{yaml}"
    );
    assert!(
        stderr(&output).contains("m.md:8:1: warning: a heading inside"),
        "{}",
        stderr(&output)
    );
    // Two images named alike both survive, under names of their own.
    let a = std::fs::read(work.path().join("m/pic.png")).unwrap();
    let b = std::fs::read(work.path().join("m/pic-2.png")).unwrap();
    assert_eq!(a, std::fs::read(work.path().join("a/pic.png")).unwrap());
    assert_eq!(b, std::fs::read(work.path().join("b/pic.png")).unwrap());
}

/// Imports the manuscript `text` as `a.md`: the document as built would load it, and the
/// importer's warnings.
fn import_text(text: &str) -> (Document, String) {
    let work = tempfile::tempdir().unwrap();
    std::fs::write(work.path().join("a.md"), text).unwrap();
    let output = paiban(&["import", "a.md", "-o", "a.yaml"], work.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let yaml = std::fs::read_to_string(work.path().join("a.yaml")).unwrap();
    (
        paiban::model::load_str(&yaml, "a.yaml").unwrap(),
        stderr(&output),
    )
}

/// The body's blocks as lines: panels with their number, title and block count.
fn kinds(document: &Document) -> Vec<String> {
    document
        .body
        .iter()
        .map(|b| match b {
            Block::Sidebar(s) => format!(
                "panel {:?} {} {}",
                s.number,
                s.title.to_plain(),
                s.body.len()
            ),
            Block::Dateline(t) => format!("dateline {}", t.to_plain()),
            Block::Paragraph(t) => t.to_plain(),
            Block::Heading(h) => format!("heading {}", h.text.to_plain()),
            other => format!("{other:?}"),
        })
        .collect()
}

/// Markdown converted from another format (pandoc writing an EPUB, say) keeps a panel and
/// a dateline only as words: `专栏N title` over a paragraph, `（…电）`.
#[test]
fn a_panel_title_and_a_dateline_written_as_paragraphs_are_recovered() {
    let (document, warnings) = import_text(
        "# 报告\n\n## 一、总体情况\n\n正文。\n\n专栏2　数字乡村\n\n数字乡村建设取得积极进展。\n\n其后的正文。\n\n专栏3 这不是标题，因为它是一句话。\n\n（新华社北京3月1日电）\n",
    );
    assert!(
        warnings.contains("a.md:7:1: warning: “专栏2 数字乡村”: a 专栏 title outside any box"),
        "{warnings}"
    );
    assert_eq!(
        kinds(&document),
        [
            "heading 总体情况",
            "正文。",
            "panel Some(2) 数字乡村 1",
            "其后的正文。",
            "专栏3 这不是标题，因为它是一句话。",
            "dateline （新华社北京3月1日电）",
        ]
    );
}

/// pandoc's fenced divs and an HTML div marked as a sidebar are panels; any other div
/// keeps its content; fences inside code blocks are code.
#[test]
fn a_div_marked_as_a_sidebar_is_a_panel() {
    let (document, warnings) = import_text(
        "# 报告\n\n::: sidebar\n专栏1　数字乡村\n\n乡村网络覆盖扩大。\n\n```\n代码\n```\n:::\n\n::: {.sidebar}\n专栏2 智慧城市\n\n城市大脑。\n:::\n\n<div class=\"sidebar\">\n\n专栏3 数据要素\n\n市场培育。\n\n</div>\n\n::: note\n注意事项。\n:::\n\n````\n::: sidebar\n代码里的冒号\n:::\n````\n",
    );
    assert!(
        warnings.contains("a.md:27:1: warning: a div `note` has no meaning in paiban"),
        "{warnings}"
    );
    assert_eq!(
        kinds(&document),
        [
            "panel Some(1) 数字乡村 2",
            "panel Some(2) 智慧城市 1",
            "panel Some(3) 数据要素 1",
            "注意事项。",
            "::: sidebar\n代码里的冒号\n:::",
        ]
    );
}
