//! The model as readable content YAML: block style, characters as characters; inline
//! content in the structured form (a string, or a flow list of runs).

use std::fmt::Write;

use crate::model::{Align, Block, Document, Gongwen, Id, Inline, ListStyle, Run, Text};

/// Writes `document` so that [`crate::model::load_str`] reads back the same model.
pub fn write(document: &Document, header_comment: &str) -> String {
    let mut out = String::new();
    for line in header_comment.lines() {
        // A comment ends at any line break YAML knows, so those become spaces.
        let line: String = line
            .chars()
            .map(|c| {
                if c.is_control() || !is_printable(c) || ('\u{2028}'..='\u{2029}').contains(&c) {
                    ' '
                } else {
                    c
                }
            })
            .collect();
        let _ = writeln!(out, "# {line}");
    }
    let _ = writeln!(out, "title: {}", scalar(&document.title));
    if let Some(subtitle) = &document.subtitle {
        let _ = writeln!(out, "subtitle: {}", scalar(subtitle));
    }
    match document.authors.as_slice() {
        [] => {}
        [one] => {
            let _ = writeln!(out, "author: {}", scalar(one));
        }
        many => {
            out.push_str("author:\n");
            for author in many {
                let _ = writeln!(out, "  - {}", scalar(author));
            }
        }
    }
    if let Some(date) = document.date {
        let _ = writeln!(out, "date: {date}");
    }
    let _ = writeln!(out, "lang: {}", scalar(document.lang.as_str()));
    if let Some(source) = &document.source {
        let _ = writeln!(out, "source: {}", scalar(source));
    }
    if let Some(identifier) = &document.identifier {
        let _ = writeln!(out, "identifier: {}", scalar(identifier));
    }
    if let Some(cover) = &document.cover {
        let _ = writeln!(out, "cover: {}", scalar(&cover.path));
    }
    // A document that names no layout (an import) takes the project's default.
    if document.layout_from_content {
        let _ = writeln!(out, "layout: {}", scalar(&document.layout));
    }
    if document.writing == crate::model::Writing::Vertical {
        out.push_str("writing: vertical\n");
    }
    if let Some(gongwen) = &document.gongwen {
        write_gongwen(&mut out, gongwen);
    }
    out.push_str("body:\n");
    write_blocks(&mut out, &document.body, "  ");
    out
}

/// A book file and one chapter file per level-1 heading (`paiban import --split`): the
/// book keeps the header, what comes before the first level-1 heading and an `include:`
/// for each chapter, named `<folder>/01.yaml`, `02.yaml`, … (paths relative to the book
/// file). Loaded and assembled, the book is the same document as [`write`]'s. A document
/// without level-1 headings stays one file.
pub fn write_split(
    document: &Document,
    header_comment: &str,
    folder: &str,
) -> (String, Vec<(String, String)>) {
    let starts: Vec<usize> = document
        .body
        .iter()
        .enumerate()
        .filter(|(_, block)| matches!(block, Block::Heading(h) if h.level == 1))
        .map(|(i, _)| i)
        .collect();
    let Some(&first) = starts.first() else {
        return (write(document, header_comment), Vec::new());
    };
    let width = starts.len().to_string().len().max(2);
    let mut chapters = Vec::new();
    let mut book = document.clone();
    book.body = document.body[..first].to_vec();
    for (n, &start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(document.body.len());
        let path = format!("{folder}/{:0width$}.yaml", n + 1);
        let mut out = String::new();
        for line in header_comment.lines() {
            let _ = writeln!(out, "# {}", line.replace(['\n', '\r'], " "));
        }
        let _ = writeln!(
            out,
            "# A chapter of {}: the book file includes it.",
            scalar(&document.title)
        );
        out.push_str("body:\n");
        // A figure's path is relative to the file that names it: now the chapter file.
        let mut blocks = document.body[start..end].to_vec();
        crate::model::walk::for_each_figure(&mut blocks, &mut |figure| {
            figure.path = match figure.path.strip_prefix(&format!("{folder}/")) {
                Some(inside) => inside.to_owned(),
                None => format!("../{}", figure.path),
            };
        });
        write_blocks(&mut out, &blocks, "  ");
        book.body.push(Block::Include(crate::model::Include {
            path: path.clone(),
            origin: Default::default(),
        }));
        chapters.push((path, out));
    }
    (write(&book, header_comment), chapters)
}

/// The `gongwen` map, its keys in the order of the page.
fn write_gongwen(out: &mut String, gongwen: &Gongwen) {
    out.push_str("gongwen:");
    let start = out.len();
    let text = |out: &mut String, key: &str, run: &Option<Run>| {
        if let Some(run) = run {
            let _ = write!(out, "\n  {key}: {}", scalar(&run.text));
        }
    };
    let list = |out: &mut String, key: &str, runs: &[Run]| {
        if !runs.is_empty() {
            let _ = write!(out, "\n  {key}:");
            for run in runs {
                let _ = write!(out, "\n    - {}", scalar(&run.text));
            }
        }
    };
    if let Some(number) = gongwen.copy_number {
        let _ = write!(out, "\n  copy-number: \"{number:06}\"");
    }
    text(out, "secrecy", &gongwen.secrecy);
    text(out, "urgency", &gongwen.urgency);
    text(out, "mark", &gongwen.mark);
    text(out, "number", &gongwen.number);
    list(out, "signers", &gongwen.signers);
    text(out, "addressee", &gongwen.addressee);
    list(out, "attachments", &gongwen.attachments);
    if gongwen.sealed {
        out.push_str("\n  sealed: true");
    }
    text(out, "note", &gongwen.note);
    list(out, "copies-to", &gongwen.copies_to);
    text(out, "printed-by", &gongwen.printed_by);
    if let Some(date) = gongwen.printed_on {
        let _ = write!(out, "\n  printed-on: {date}");
    }
    // A map with nothing in it is still a map: the 公文's rules for its signature apply.
    if out.len() == start {
        out.push_str(" {}");
    }
    out.push('\n');
}

fn write_blocks(out: &mut String, blocks: &[Block], indent: &str) {
    let inner = format!("{indent}    ");
    for block in blocks {
        match block {
            Block::Paragraph(text) => {
                let _ = writeln!(out, "{indent}- {}", text_value(text));
            }
            Block::Heading(heading) => {
                let _ = writeln!(out, "{indent}- heading: {}", text_value(&heading.text));
                if heading.level != 1 {
                    let _ = writeln!(out, "{indent}  level: {}", heading.level);
                }
                if let Some(number) = heading.number {
                    let _ = writeln!(out, "{indent}  number: {number}");
                }
                if !heading.numbered {
                    let _ = writeln!(out, "{indent}  numbered: false");
                }
                write_id(out, indent, &heading.id);
            }
            Block::Sidebar(sidebar) => {
                let _ = writeln!(out, "{indent}- sidebar: {}", text_value(&sidebar.title));
                if let Some(number) = sidebar.number {
                    let _ = writeln!(out, "{indent}  number: {number}");
                }
                let _ = writeln!(out, "{indent}  body:");
                write_blocks(out, &sidebar.body, &inner);
            }
            Block::Dateline(text) => {
                let _ = writeln!(out, "{indent}- dateline: {}", text_value(text));
            }
            Block::List(list) => {
                let _ = writeln!(out, "{indent}- list:");
                for item in &list.items {
                    match item.as_slice() {
                        [Block::Paragraph(text)] => {
                            let _ = writeln!(out, "{indent}    - {}", text_value(text));
                        }
                        blocks => {
                            let _ = writeln!(out, "{indent}    - body:");
                            write_blocks(out, blocks, &format!("{indent}        "));
                        }
                    }
                }
                if let ListStyle::Numbered {
                    prefix,
                    counter,
                    suffix,
                } = &list.style
                {
                    let symbol = match counter {
                        crate::model::Counter::Arabic => "1",
                        crate::model::Counter::Circled => "①",
                        crate::model::Counter::Chinese => "一",
                        crate::model::Counter::LowerLatin => "a",
                        crate::model::Counter::UpperLatin => "A",
                    };
                    let _ = writeln!(
                        out,
                        "{indent}  style: {}",
                        scalar(&format!("{prefix}{symbol}{suffix}"))
                    );
                }
                if let Some(start) = list.start {
                    let _ = writeln!(out, "{indent}  start: {start}");
                }
            }
            Block::Quote(quote) => {
                let _ = writeln!(out, "{indent}- quote:");
                write_blocks(out, &quote.body, &inner);
                if let Some(attribution) = &quote.attribution {
                    let _ = writeln!(out, "{indent}  attribution: {}", text_value(attribution));
                }
            }
            Block::Verse(verse) => {
                let _ = writeln!(out, "{indent}- verse:");
                for (i, stanza) in verse.stanzas.iter().enumerate() {
                    if i > 0 {
                        let _ = writeln!(out, "{indent}    - \"\"");
                    }
                    for line in stanza {
                        let _ = writeln!(out, "{indent}    - {}", text_value(line));
                    }
                }
                if let Some(title) = &verse.title {
                    let _ = writeln!(out, "{indent}  title: {}", text_value(title));
                }
                if let Some(author) = &verse.author {
                    let _ = writeln!(out, "{indent}  author: {}", text_value(author));
                }
            }
            Block::Table(table) => {
                match &table.caption {
                    Some(caption) => {
                        let _ = writeln!(out, "{indent}- table: {}", text_value(caption));
                    }
                    None => {
                        let _ = writeln!(out, "{indent}- table:");
                    }
                }
                write_id(out, indent, &table.id);
                if table.columns.iter().any(|c| c.width.is_some()) {
                    let widths: Vec<String> = table
                        .columns
                        .iter()
                        .map(|c| c.width.unwrap_or(1.0).to_string())
                        .collect();
                    let _ = writeln!(out, "{indent}  widths: [{}]", widths.join(", "));
                }
                if table.columns.iter().any(|c| c.align.is_some()) {
                    let aligns: Vec<&str> = table
                        .columns
                        .iter()
                        .map(|c| align_name(c.align.unwrap_or(Align::Left)))
                        .collect();
                    let _ = writeln!(out, "{indent}  align: [{}]", aligns.join(", "));
                }
                if table.header_rows > 0 {
                    let _ = writeln!(out, "{indent}  header: {}", table.header_rows);
                }
                let _ = writeln!(out, "{indent}  rows:");
                for row in &table.rows {
                    let cells: Vec<String> = row
                        .iter()
                        .map(|cell| {
                            let text = if cell.text.is_empty() {
                                "\"\"".to_owned()
                            } else {
                                text_value(&cell.text)
                            };
                            let mut extra = Vec::new();
                            if cell.colspan > 1 {
                                extra.push(format!("colspan: {}", cell.colspan));
                            }
                            if cell.rowspan > 1 {
                                extra.push(format!("rowspan: {}", cell.rowspan));
                            }
                            if let Some(align) = cell.align {
                                extra.push(format!("align: {}", align_name(align)));
                            }
                            if extra.is_empty() {
                                text
                            } else {
                                format!("{{text: {text}, {}}}", extra.join(", "))
                            }
                        })
                        .collect();
                    let _ = writeln!(out, "{indent}    - [{}]", cells.join(", "));
                }
            }
            Block::Figure(figure) => {
                let _ = writeln!(out, "{indent}- figure: {}", scalar(&figure.path));
                if let Some(caption) = &figure.caption {
                    let _ = writeln!(out, "{indent}  caption: {}", text_value(caption));
                }
                if let Some(alt) = &figure.alt {
                    let _ = writeln!(out, "{indent}  alt: {}", scalar(alt));
                }
                if let Some(width) = figure.width {
                    let _ = writeln!(out, "{indent}  width: {width}");
                }
                write_id(out, indent, &figure.id);
            }
            Block::Divider => {
                let _ = writeln!(out, "{indent}- divider:");
            }
            Block::PageBreak => {
                let _ = writeln!(out, "{indent}- pagebreak:");
            }
            Block::Include(include) => {
                let _ = writeln!(out, "{indent}- include: {}", scalar(&include.path));
            }
            Block::Appendix(appendix) => {
                let _ = writeln!(out, "{indent}- appendix: {}", text_value(&appendix.title));
                write_id(out, indent, &appendix.id);
            }
        }
    }
}

fn write_id(out: &mut String, indent: &str, id: &Option<Id>) {
    if let Some(id) = id {
        let _ = writeln!(out, "{indent}  id: {}", scalar(&id.name));
    }
}

fn align_name(align: Align) -> &'static str {
    match align {
        Align::Left => "left",
        Align::Center => "center",
        Align::Right => "right",
    }
}

/// Inline content as a YAML value: a scalar for plain text, else a flow list of runs.
fn text_value(text: &Text) -> String {
    match text.0.as_slice() {
        [Inline::Text(run)] if !run.text.trim().is_empty() => scalar(&run.text),
        inlines => format!("[{}]", runs(inlines)),
    }
}

fn runs(inlines: &[Inline]) -> String {
    let items: Vec<String> = inlines
        .iter()
        .map(|inline| match inline {
            Inline::Text(run) => quoted(&run.text),
            Inline::Strong(inner) => format!("{{strong: [{}]}}", runs(inner)),
            Inline::Emphasis(inner) => format!("{{emphasis: [{}]}}", runs(inner)),
            Inline::Superscript(inner) => format!("{{sup: [{}]}}", runs(inner)),
            Inline::Subscript(inner) => format!("{{sub: [{}]}}", runs(inner)),
            Inline::Code(run) => format!("{{code: {}}}", quoted(&run.text)),
            Inline::Link(link) if link.content.is_empty() => {
                format!("{{link: {}}}", quoted(&link.target))
            }
            Inline::Link(link) => format!(
                "{{link: {}, text: [{}]}}",
                quoted(&link.target),
                runs(&link.content)
            ),
            Inline::Note(note) => match &note.id {
                Some(id) => format!(
                    "{{note: [{}], id: {}}}",
                    runs(&note.content),
                    quoted(&id.name)
                ),
                None => format!("{{note: [{}]}}", runs(&note.content)),
            },
            Inline::Ref(reference) => format!("{{ref: {}}}", quoted(&reference.id.name)),
            Inline::Ruby(ruby) => {
                let annotations: Vec<String> =
                    ruby.annotations.iter().map(|a| quoted(&a.text)).collect();
                let rt = match annotations.as_slice() {
                    [one] => one.clone(),
                    many => format!("[{}]", many.join(", ")),
                };
                format!("{{ruby: {}, rt: {rt}}}", quoted(&ruby.base.text))
            }
            Inline::ProperName(inner) => format!("{{proper-name: [{}]}}", runs(inner)),
            Inline::BookTitle(inner) => format!("{{book-title: [{}]}}", runs(inner)),
            Inline::Underline(inner) => format!("{{underline: [{}]}}", runs(inner)),
            Inline::Strike(inner) => format!("{{strike: [{}]}}", runs(inner)),
            Inline::Lang(lang) => format!(
                "{{lang: {}, text: [{}]}}",
                quoted(lang.tag.as_str()),
                runs(&lang.content)
            ),
        })
        .collect();
    items.join(", ")
}

/// A double-quoted scalar, safe anywhere in flow style.
fn quoted(text: &str) -> String {
    let plain = scalar(text);
    if plain.starts_with('"') {
        plain
    } else {
        scalar_quoted(text)
    }
}

/// A plain scalar where YAML reads it back as the same string, else a double-quoted one.
fn scalar(text: &str) -> String {
    if is_plain_safe(text) {
        return text.to_owned();
    }
    scalar_quoted(text)
}

fn scalar_quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || !is_printable(c) || ('\u{2028}'..='\u{2029}').contains(&c) => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// YAML 1.1's printable set (what libyaml accepts unescaped).
fn is_printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
        && c != '\u{feff}'
}

/// Plain style only for one-line text YAML reads back unchanged, as a string; the final
/// word is serde_yaml's own reading, so numbers, booleans, `.inf` and the like are quoted.
fn is_plain_safe(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    let simple = !"-?:,[]{}#&*!|>'\"%@` \t".contains(first)
        && !text.ends_with([' ', '\t', ':'])
        && !text.contains(": ")
        && !text.contains(" #")
        && text
            .chars()
            .all(|c| is_printable(c) && !c.is_control() && !('\u{2028}'..='\u{2029}').contains(&c));
    simple
        && matches!(
            serde_yaml::from_str::<serde_yaml::Value>(&format!("k: {text}")),
            Ok(serde_yaml::Value::Mapping(m)) if m.get("k") == Some(&serde_yaml::Value::String(text.to_owned()))
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::load_str;

    #[test]
    fn written_yaml_reads_back_as_the_same_document() {
        let tricky = [
            "普通段落。",
            "- 列表？",
            "a: b",
            "x #y",
            "true",
            "2019",
            "1.5",
            "'q'",
            "\"d\"",
            "[a]",
            "{b}",
            "#c",
            "tab\there",
            "line\nbreak",
            "@x",
            "`y`",
            "% z",
            "trailing:",
            "a\u{2028}b",
            "back\\slash",
            "null",
            "~",
            ".inf",
            "+.inf",
            ".NaN",
            "0b101",
            "+0x1F",
            "+0o7",
            "x\u{ffff}y",
            "z\u{fffe}",
            "a\u{85}b",
        ];
        let mut document = load_str("title: t\nbody: [x]\n", "t.yaml").unwrap();
        document.body = tricky
            .iter()
            .map(|t| Block::Paragraph(crate::model::Text::from_string(*t)))
            .collect();
        document.source = Some("（上接第十版）".to_owned());
        let gongwen = load_str(
            "title: t\nauthor: 示例市档案局\ngongwen:\n  copy-number: 12\n  secrecy: 机密★1年\n  urgency: 特急\n  mark: 示例市档案局文件\n  number: 示档发〔2026〕5号\n  signers: [张三, 李四]\n  addressee: \"各区县档案局: \"\n  attachments: [甲, \"true\"]\n  sealed: true\n  note: 此件公开发布\n  copies-to: 市委办公厅\n  printed-by: \"#办公室\"\n  printed-on: 2026-11-21\nbody: [x]\n",
            "g.yaml",
        )
        .unwrap()
        .gongwen;
        assert!(gongwen.is_some());
        document.gongwen = gongwen;
        let yaml = write(&document, "header");
        let back = load_str(&yaml, "back.yaml").unwrap();
        assert_eq!(back, document, "{yaml}");
        assert!(
            yaml.contains("- 普通段落。\n"),
            "characters as characters:\n{yaml}"
        );
        assert!(!yaml.contains("\\u4E"), "no escapes for Han text");
        assert!(yaml.contains("\n  copy-number: \"000012\"\n"), "{yaml}");
        document.gongwen = Some(Default::default());
        let yaml = write(&document, "header");
        assert!(yaml.contains("\ngongwen: {}\n"), "{yaml}");
        assert_eq!(load_str(&yaml, "back.yaml").unwrap(), document);
    }
}
