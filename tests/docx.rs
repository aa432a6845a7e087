//! `paiban import FILE.docx`, on Word files written by python-docx and LibreOffice
//! (tests/data/docx/make.py generates them).

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::project_root;
use paiban::model::{Block, Document, Inline, ListStyle, load_file, own_texts, visit};

fn paiban(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_paiban"))
        .args(args)
        .current_dir(project_root())
        .output()
        .unwrap()
}

fn fixture(name: &str) -> String {
    format!("tests/data/docx/{name}")
}

/// Imports a fixture into `dir`; the document as `paiban build` would load it, and stderr.
fn import(name: &str, dir: &Path) -> (Document, String, String) {
    let yaml = dir.join("book.yaml");
    let output = paiban(&["import", &fixture(name), "-o", yaml.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let written = std::fs::read_to_string(&yaml).unwrap();
    (load_file(&yaml).unwrap(), written, stderr)
}

/// Every text of the body in reading order, notes after the text they stand in.
fn all_text(document: &Document) -> String {
    let mut out = String::new();
    for block in document.walk() {
        for text in own_texts(block) {
            out.push_str(&text.to_plain());
            for note in text.notes() {
                let mut inner = String::new();
                visit(&note.content, &mut |i| {
                    if let Inline::Text(run) = i {
                        inner.push_str(&run.text);
                    }
                });
                out.push_str(&inner);
            }
        }
    }
    out.replace('\n', "")
}

fn tempdir() -> tempfile::TempDir {
    let parent = project_root().join("target-tests");
    std::fs::create_dir_all(&parent).unwrap();
    tempfile::tempdir_in(parent).unwrap()
}

#[test]
fn a_word_file_imports_with_its_text_structure_and_image_and_builds() {
    let dir = tempdir();
    let (document, yaml, stderr) = import("word.docx", dir.path());

    // The text, character for character, as make.py wrote it (without the deletion).
    let expected = std::fs::read_to_string(project_root().join(fixture("word.txt"))).unwrap();
    assert_eq!(all_text(&document), expected.replace('\n', ""));
    assert!(!yaml.contains("删除的文字"));
    // A deleted paragraph mark, accepted: one paragraph.
    assert!(yaml.contains("  - 段落的前半与后半。\n"), "{yaml}");

    assert_eq!(document.title, "数字经济发展报告");
    assert_eq!(document.authors, ["张三"]);
    assert_eq!(document.lang.as_str(), "zh-CN");

    let headings: Vec<(u8, Option<u32>, String)> = document
        .walk()
        .filter_map(|b| match b {
            Block::Heading(h) => Some((h.level, h.number, h.text.to_plain())),
            _ => None,
        })
        .collect();
    assert_eq!(
        headings,
        [
            (1, Some(1), "总体情况".to_owned()),
            (2, Some(1), "主要指标".to_owned()),
            // Numbered by Word (a definition counting from 3), the label not in the text.
            (3, Some(3), "指标说明".to_owned()),
        ]
    );
    // Runs split by revisions are one strong; sub- and superscripts; the link.
    assert!(yaml.contains(r#"{strong: ["快速增长"]}"#), "{yaml}");
    assert!(yaml.contains(r#"{emphasis: ["新高"]}"#), "{yaml}");
    assert!(yaml.contains(r#"{sub: ["2"]}"#) && yaml.contains(r#"{sup: ["2"]}"#));
    assert!(
        yaml.contains(r#"{link: "https://example.org/report", text: ["报告全文"]}"#),
        "the link is not underlined: {yaml}"
    );
    assert!(
        yaml.contains(r#"["请", {underline: ["务必"]}, "核对", {strike: ["旧数据"]}, "新数据。"]"#),
        "{yaml}"
    );

    let lists: Vec<_> = document
        .body
        .iter()
        .filter_map(|b| match b {
            Block::List(l) => Some(l),
            _ => None,
        })
        .collect();
    assert_eq!(lists.len(), 2);
    assert_eq!(lists[0].style, ListStyle::Bullet);
    assert_eq!(lists[0].items.len(), 2);
    let Block::List(nested) = &lists[0].items[0][1] else {
        panic!("no nested list: {:?}", lists[0].items[0]);
    };
    assert_eq!(nested.items.len(), 2);
    assert!(matches!(lists[1].style, ListStyle::Numbered { .. }));

    let table = document
        .body
        .iter()
        .find_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
        .unwrap();
    assert_eq!(table.header_rows, 1);
    assert_eq!(table.rows[1][0].rowspan, 2);
    assert_eq!(table.rows[2].len(), 2);
    assert_eq!(table.rows[3][0].colspan, 2);

    let figure = document
        .body
        .iter()
        .find_map(|b| match b {
            Block::Figure(f) => Some(f),
            _ => None,
        })
        .unwrap();
    assert_eq!(figure.alt.as_deref(), Some("三年数据对比柱状图"));
    assert_eq!(
        figure.caption.as_ref().map(|c| c.to_plain()).as_deref(),
        Some("三年数据对比")
    );
    let image = std::fs::read(dir.path().join(&figure.path)).unwrap();
    assert!(image.starts_with(b"\x89PNG"));

    // A VML text box and a DrawingML one (with its VML fallback, read once), and a group
    // of framed paragraphs.
    let panels: Vec<(Option<u32>, String, usize)> = document
        .body
        .iter()
        .filter_map(|b| match b {
            Block::Sidebar(s) => Some((s.number, s.title.to_plain(), s.body.len())),
            _ => None,
        })
        .collect();
    assert_eq!(
        panels,
        [
            (Some(2), "智慧城市".to_owned(), 1),
            (Some(3), "数据要素".to_owned(), 1),
            // Framed paragraphs.
            (Some(4), "绿色发展".to_owned(), 1)
        ]
    );

    assert!(yaml.contains(r#""第一行\n第二行""#), "a line break: {yaml}");
    // What is dropped is named with its paragraph.
    assert!(
        stderr.contains("“面积按公式计算。”: an equation dropped")
            && stderr.contains("“面积按公式计算。”: a comment dropped")
            && stderr.contains("“结束语。”: hidden text dropped, as Word hides it: “隐藏的批注”")
            && stderr.contains("“销售图表如下：”: a chart dropped")
            && stderr.contains("“组织结构如下：”: a SmartArt diagram dropped")
            && stderr.contains("“附表见嵌入的工作簿：”: an embedded object (OLE) dropped"),
        "{stderr}"
    );
    assert_eq!(
        stderr.matches("tracked changes").count(),
        1,
        "one warning for the tracked changes: {stderr}"
    );

    let build = paiban(&[
        "build",
        dir.path().join("book.yaml").to_str().unwrap(),
        "-o",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(
        build.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    assert!(dir.path().join("book.pdf").exists());
}

#[test]
fn a_libreoffice_file_keeps_its_footnote_and_panel_and_names_what_it_drops() {
    let dir = tempdir();
    let (document, _, stderr) = import("libreoffice.docx", dir.path());
    let notes: Vec<String> = document
        .walk()
        .flat_map(own_texts)
        .flat_map(|t| t.notes())
        .map(|n| {
            let mut text = String::new();
            visit(&n.content, &mut |i| {
                if let Inline::Text(run) = i {
                    text.push_str(&run.text);
                }
            });
            text
        })
        .collect();
    // The endnote is printed as a footnote, and says so.
    assert_eq!(notes, ["数据来源：国家统计局。", "尾注的说明。"]);
    assert!(
        stderr.contains("“结束语。”: an endnote is printed as a footnote"),
        "{stderr}"
    );
    // The one-cell table that starts with 专栏1.
    assert!(document.body.iter().any(|b| matches!(
        b,
        Block::Sidebar(s) if s.number == Some(1) && s.title.to_plain() == "数字乡村"
    )));
    // LibreOffice links HTML's images instead of embedding them: the warning names the
    // paragraph.
    assert!(
        stderr.contains("paragraph") && stderr.contains("linked image"),
        "{stderr}"
    );
    assert!(all_text(&document).contains("数字经济持续快速增长"));
}

#[test]
fn files_that_are_no_word_document_are_refused_clearly() {
    for (name, message) in [
        ("truncated.docx", "truncated or corrupt"),
        ("odt-renamed.docx", "OpenDocument"),
        ("ole.docx", "OLE compound file"),
    ] {
        let output = paiban(&["import", &fixture(name)]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{name}: {stderr}");
        assert!(
            stderr.contains(name) && stderr.contains(message),
            "{name}: {stderr}"
        );
    }
}

#[test]
fn the_title_paragraph_names_the_document_and_lists_keep_their_start() {
    let dir = tempdir();
    let (document, _, stderr) = import("titled.docx", dir.path());
    assert_eq!(document.title, "年度报告");
    assert_eq!(document.subtitle.as_deref(), Some("二〇二四年"));
    // python-docx's template says en-US; the text is Chinese.
    assert_eq!(document.lang.as_str(), "zh-CN", "{stderr}");
    let Some(Block::List(list)) = document.body.first() else {
        panic!("{:?}", document.body);
    };
    assert_eq!(list.start, Some(5));
    assert!(matches!(
        list.style,
        ListStyle::Numbered {
            counter: paiban::model::Counter::Circled,
            ..
        }
    ));
    // A one-cell table without 专栏N stays a table; 表1 above it is its caption.
    let Some(Block::Table(table)) = document.body.get(1) else {
        panic!("{:?}", document.body);
    };
    assert_eq!(
        table.caption.as_ref().map(|c| c.to_plain()).as_deref(),
        Some("各地数据")
    );
    assert_eq!(table.rows[0][0].text.to_plain(), "只有一格的表");
    assert!(
        !document
            .walk()
            .any(|b| matches!(b, Block::Paragraph(t) if t.to_plain() == "年度报告"))
    );
}

/// pandoc: `PANDOC`, `pandoc` on the path, or the one PyPI's `pypandoc-binary` bundles.
fn pandoc() -> String {
    if let Ok(pandoc) = std::env::var("PANDOC") {
        return pandoc;
    }
    if Command::new("pandoc").arg("--version").output().is_ok() {
        return "pandoc".to_owned();
    }
    let output = Command::new("python3")
        .args(["-c", "import pypandoc; print(pypandoc.get_pandoc_path())"])
        .output()
        .expect("python3");
    assert!(
        output.status.success(),
        "pandoc not found: pip install pypandoc-binary (.ci/run does), or set PANDOC"
    );
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

/// Inlines as a string that shows their kinds: `数字经济<strong>快速</strong>`.
fn shape(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for inline in inlines {
        let (tag, inner) = match inline {
            Inline::Text(run) => {
                out.push_str(&run.text);
                continue;
            }
            Inline::Code(run) => {
                out.push_str(&format!("<code>{}</code>", run.text));
                continue;
            }
            Inline::Strong(inner) => ("strong", inner),
            Inline::Emphasis(inner) => ("em", inner),
            Inline::Superscript(inner) => ("sup", inner),
            Inline::Subscript(inner) => ("sub", inner),
            Inline::Underline(inner) => ("u", inner),
            Inline::Strike(inner) => ("s", inner),
            Inline::Link(link) => {
                out.push_str(&format!("<a {}>{}</a>", link.target, shape(&link.content)));
                continue;
            }
            Inline::Note(note) => ("note", &note.content),
            other => panic!("not expected in the round trip: {other:?}"),
        };
        out.push_str(&format!("<{tag}>{}</{tag}>", shape(inner)));
    }
    out
}

/// The blocks as lines: kind, numbers as the numbering pass resolves them, and text.
fn outline(blocks: &[Block], depth: usize, out: &mut Vec<String>) {
    let indent = "  ".repeat(depth);
    for block in blocks {
        match block {
            Block::Paragraph(text) => out.push(format!("{indent}{}", shape(&text.0))),
            Block::Heading(h) => out.push(format!(
                "{indent}heading {} {:?} {}",
                h.level,
                h.resolved,
                shape(&h.text.0)
            )),
            Block::Sidebar(s) => {
                out.push(format!(
                    "{indent}panel {} {}",
                    s.resolved,
                    shape(&s.title.0)
                ));
                outline(&s.body, depth + 1, out);
            }
            Block::Dateline(text) => out.push(format!("{indent}dateline {}", shape(&text.0))),
            Block::List(list) => {
                out.push(format!("{indent}list {:?}", list.labels));
                for item in &list.items {
                    outline(item, depth + 1, out);
                }
            }
            Block::Table(table) => {
                let caption = table.caption.as_ref().map(|c| shape(&c.0));
                out.push(format!(
                    "{indent}table {:?} {caption:?} header {}",
                    table.resolved, table.header_rows
                ));
                for row in &table.rows {
                    let cells: Vec<String> = row
                        .iter()
                        .map(|c| format!("{}({}x{})", shape(&c.text.0), c.colspan, c.rowspan))
                        .collect();
                    out.push(format!("{indent}  {}", cells.join(" | ")));
                }
            }
            Block::Figure(f) => out.push(format!(
                "{indent}figure {:?} {:?}",
                f.caption.as_ref().map(|c| shape(&c.0)),
                f.alt
            )),
            other => out.push(format!("{indent}{other:?}")),
        }
    }
}

/// A document built to EPUB, converted to Word by pandoc (which knows nothing of 专栏,
/// heading numbers or datelines) and imported back: the same blocks, numbers and text,
/// after the EPUB's cover and title page.
#[test]
fn an_epub_converted_to_word_by_pandoc_imports_back_to_the_same_blocks() {
    let pandoc = pandoc();
    for source in [
        "content/whitepaper.yaml",
        "tests/data/roundtrip/report.yaml",
    ] {
        let dir = tempdir();
        let build = paiban(&[
            "build",
            source,
            "--format",
            "epub",
            "-o",
            dir.path().to_str().unwrap(),
        ]);
        assert_eq!(build.status.code(), Some(0), "{source}: {build:?}");
        let stem = Path::new(source).file_stem().unwrap().to_str().unwrap();
        let epub = dir.path().join(format!("{stem}.epub"));
        let docx = dir.path().join("converted.docx");
        let converted = Command::new(&pandoc)
            .arg(&epub)
            .arg("-o")
            .arg(&docx)
            .output()
            .unwrap();
        assert!(converted.status.success(), "{converted:?}");
        let yaml = dir.path().join("imported.yaml");
        let import = paiban(&[
            "import",
            docx.to_str().unwrap(),
            "-o",
            yaml.to_str().unwrap(),
        ]);
        assert_eq!(import.status.code(), Some(0), "{import:?}");

        let original = paiban::pipeline::prepare(&project_root().join(source)).unwrap();
        let imported = paiban::pipeline::prepare(&yaml).unwrap();
        assert_eq!(imported.title, original.title, "{source}");
        assert_eq!(imported.authors, original.authors, "{source}");
        assert_eq!(imported.date, original.date, "{source}");
        let (mut expected, mut got) = (Vec::new(), Vec::new());
        outline(&original.body, 0, &mut expected);
        outline(&imported.body, 0, &mut got);
        // The EPUB's cover and title page come first: images, and the title, the author
        // and the date as paragraphs.
        let start = got
            .iter()
            .position(|line| *line == expected[0])
            .unwrap_or_else(|| panic!("{source}: no `{}` in\n{}", expected[0], got.join("\n")));
        for line in &got[..start] {
            assert!(
                line.starts_with("figure ")
                    || *line == original.title
                    || original.authors.contains(line)
                    || line.ends_with('月'),
                "{source}: `{line}` before the body"
            );
        }
        // The first line that differs, not two whole documents.
        let got = &got[start..];
        if let Some(i) = (0..expected.len().max(got.len())).find(|&i| got.get(i) != expected.get(i))
        {
            panic!(
                "{source}: block {i} differs:\n  expected {:?}\n  imported {:?}",
                expected.get(i),
                got.get(i)
            );
        }
        // The image is the same file.
        if let Some(Block::Figure(figure)) = imported
            .body
            .iter()
            .find(|b| matches!(b, Block::Figure(f) if f.caption.is_some()))
        {
            assert_eq!(
                std::fs::read(dir.path().join(&figure.path)).unwrap(),
                std::fs::read(project_root().join("content/images/shares.png")).unwrap()
            );
        }
    }
}

/// A .docx made of `document` as its main part, the other parts Word needs, and `extra`
/// parts, deflated.
fn package(document: &[u8], extra: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let types = br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
    let rels = br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
    let parts: Vec<(&str, &[u8])> = [
        ("[Content_Types].xml", &types[..]),
        ("_rels/.rels", &rels[..]),
        ("word/document.xml", document),
    ]
    .into_iter()
    .chain(extra.iter().copied())
    .collect();
    for (name, bytes) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

/// Runs `paiban import` on `bytes` written as `name`; the exit code and stderr.
fn import_bytes(dir: &Path, name: &str, bytes: &[u8]) -> (Option<i32>, String) {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    let yaml = dir.join(format!("{name}.yaml"));
    let output = paiban(&[
        "import",
        path.to_str().unwrap(),
        "-o",
        yaml.to_str().unwrap(),
    ]);
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn hostile_and_huge_word_files_are_refused_or_read_in_bounded_time() {
    let dir = tempdir();
    let dir = dir.path();

    // A zip bomb: 100 MB of spaces deflate to about 100 KB; refused at the 64 MB a part may
    // inflate to, without inflating the rest.
    let mut bomb = format!("<w:document {W}><w:body><w:p><w:r><w:t>");
    bomb.push_str(&" ".repeat(100 << 20));
    bomb.push_str("</w:t></w:r></w:p></w:body></w:document>");
    let bytes = package(bomb.as_bytes(), &[]);
    assert!(bytes.len() < 1 << 20, "{} bytes", bytes.len());
    let (code, stderr) = import_bytes(dir, "bomb.docx", &bytes);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("bomb.docx")
            && stderr.contains("word/document.xml: inflates to")
            && stderr.contains("zip bomb"),
        "{stderr}"
    );

    // Declared sizes that lie: the archive claims 4 GB for a small part.
    let small = format!(
        "<w:document {W}><w:body><w:p><w:r><w:t>正文。</w:t></w:r></w:p></w:body></w:document>"
    );
    let mut lying = package(small.as_bytes(), &[]);
    let name = b"word/document.xml";
    for (signature, size_at) in [(&b"PK\x03\x04"[..], 22), (&b"PK\x01\x02"[..], 24)] {
        let name_at = if signature == b"PK\x03\x04" { 30 } else { 46 };
        let header = (0..lying.len() - name_at - name.len())
            .find(|&i| lying[i..].starts_with(signature) && lying[i + name_at..].starts_with(name))
            .expect("the part's header");
        lying[header + size_at..header + size_at + 4]
            .copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
    }
    let (code, stderr) = import_bytes(dir, "lying.docx", &lying);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("lying.docx") && stderr.contains("zip bomb"),
        "{stderr}"
    );

    // External and internal entities: a DTD is refused, nothing is fetched or expanded.
    let secret = dir.join("secret.txt");
    std::fs::write(&secret, "SECRET").unwrap();
    let xxe = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file://{}\"><!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><w:document {W}><w:body><w:p><w:r><w:t>&x;&b;</w:t></w:r></w:p></w:body></w:document>",
        secret.display()
    );
    let (code, stderr) = import_bytes(dir, "xxe.docx", &package(xxe.as_bytes(), &[]));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("xxe.docx")
            && stderr.contains("document type declaration")
            && !stderr.contains("SECRET"),
        "{stderr}"
    );
    assert!(!dir.join("xxe.docx.yaml").exists());

    // 100,000 empty paragraphs around one sentence: read in one pass (a quadratic reader
    // would take minutes), the sentence kept, the empty paragraphs spacing.
    let mut many = format!("<w:document {W}><w:body>");
    many.push_str(&"<w:p/>".repeat(50_000));
    many.push_str("<w:p><w:r><w:t>唯一的一句话。</w:t></w:r></w:p>");
    many.push_str(&"<w:p><w:pPr><w:spacing w:after=\"0\"/></w:pPr></w:p>".repeat(50_000));
    many.push_str("</w:body></w:document>");
    let (code, stderr) = import_bytes(dir, "empty.docx", &package(many.as_bytes(), &[]));
    assert_eq!(code, Some(0), "{stderr}");
    let document = load_file(&dir.join("empty.docx.yaml")).unwrap();
    assert_eq!(document.body.len(), 1, "{:?}", document.body);
    assert_eq!(all_text(&document), "唯一的一句话。");
    // Only empty paragraphs: nothing to import, said so.
    let (code, stderr) = import_bytes(
        dir,
        "blank.docx",
        &package(
            format!(
                "<w:document {W}><w:body>{}</w:body></w:document>",
                "<w:p/>".repeat(100_000)
            )
            .as_bytes(),
            &[],
        ),
    );
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("blank.docx") && stderr.contains("no text"),
        "{stderr}"
    );

    // A password-protected .docx is an OLE file with an EncryptedPackage stream.
    let mut encrypted = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    encrypted.resize(1024, 0);
    encrypted.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    encrypted.resize(4096, 0);
    let (code, stderr) = import_bytes(dir, "locked.docx", &encrypted);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("locked.docx") && stderr.contains("encrypted (password-protected)"),
        "{stderr}"
    );
}

/// What LibreOffice reads from each fixture (`NAME.lo.txt`, written by make.py with
/// `soffice --convert-to txt`) is in the import: every line, once LibreOffice's own
/// additions are taken off (list labels, the heading numbers and caption labels paiban
/// prints itself, note anchors), is in the imported text, or is what accepting tracked
/// changes removes, or is named in a warning (hidden text). LibreOffice leaves text boxes
/// out of its text, so the other direction is word.txt's (the first test).
#[test]
fn every_line_libreoffice_reads_is_imported_or_named() {
    for (name, deleted) in [
        ("word", &["删除的文字"][..]),
        ("libreoffice", &[][..]),
        ("titled", &[][..]),
    ] {
        let dir = tempdir();
        let (document, _, stderr) = import(&format!("{name}.docx"), dir.path());
        let mut imported: String = all_text(&document);
        imported.push_str(&document.title);
        imported.extend(document.subtitle.clone());
        let imported: String = imported.chars().filter(|c| !c.is_whitespace()).collect();
        let extracted =
            std::fs::read_to_string(project_root().join(fixture(&format!("{name}.lo.txt"))))
                .unwrap();
        let mut lines = 0;
        for line in extracted.trim_start_matches('\u{feff}').lines() {
            let mut line = without_libreoffice_additions(line);
            for gone in deleted {
                line = line.replace(gone, "");
            }
            if line.is_empty() {
                continue;
            }
            lines += 1;
            let named = stderr.contains(&line);
            let kept = imported.contains(&line)
                || line.split_once('。').is_some_and(|(before, after)| {
                    imported.contains(&format!("{before}。")) && stderr.contains(after)
                });
            assert!(
                kept || named,
                "{name}: LibreOffice reads `{line}`, the import lost it"
            );
        }
        assert!(lines >= 5, "{name}: only {lines} lines");
    }
}

/// A line of LibreOffice's text without what LibreOffice adds: whitespace, a list label
/// (`•`, `◦`, `1.`, `⑤`), a heading number (`一、`, `（一）`), a caption or panel label
/// (`图1`, `表1`, `专栏4`) and a note anchor after the sentence (`。1`, `。i`).
fn without_libreoffice_additions(line: &str) -> String {
    let mut line: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    for bullet in ['•', '◦', '▪'] {
        if let Some(rest) = line.strip_prefix(bullet) {
            line = rest.to_owned();
        }
    }
    let circled = |c: char| ('\u{2460}'..='\u{2473}').contains(&c);
    if line.starts_with(circled) {
        line = line.chars().skip(1).collect();
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && line[digits..].starts_with('.') {
        line = line[digits + 1..].to_owned();
    }
    if let Some((_, _, rest)) = paiban_heading_number(&line) {
        line = rest;
    }
    for label in ["图", "表", "专栏"] {
        if let Some(rest) = line.strip_prefix(label) {
            let digits = rest.chars().take_while(char::is_ascii_digit).count();
            if digits > 0 {
                line = rest[digits..].to_owned();
            }
        }
    }
    if let Some(stop) = line.rfind('。') {
        let anchor = &line[stop + '。'.len_utf8()..];
        if !anchor.is_empty()
            && anchor
                .chars()
                .all(|c| c.is_ascii_digit() || "ivx".contains(c))
        {
            line.truncate(stop + '。'.len_utf8());
        }
    }
    line
}

/// `一、rest` and `（一）rest`: the numeral and the rest.
fn paiban_heading_number(line: &str) -> Option<(char, char, String)> {
    let numerals = "一二三四五六七八九十";
    let mut chars = line.chars();
    match (chars.next()?, chars.next()?, chars.next()) {
        (n, '、', _) if numerals.contains(n) => Some((n, '、', line.chars().skip(2).collect())),
        ('（', n, Some('）')) if numerals.contains(n) => {
            Some((n, '）', line.chars().skip(3).collect()))
        }
        _ => None,
    }
}
