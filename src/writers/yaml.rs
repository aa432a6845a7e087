//! Content format v1 as readable YAML: block style, characters as characters.

use std::fmt::Write;

use crate::model::{Block, Document};

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
    let _ = writeln!(out, "layout: {}", scalar(&document.layout));
    out.push_str("body:\n");
    write_blocks(&mut out, &document.body, "  ");
    out
}

fn write_blocks(out: &mut String, blocks: &[Block], indent: &str) {
    for block in blocks {
        match block {
            Block::Paragraph(text) => {
                let _ = writeln!(out, "{indent}- {}", scalar(text));
            }
            Block::Heading(heading) => {
                let _ = writeln!(out, "{indent}- heading: {}", scalar(&heading.text));
                if heading.level != 1 {
                    let _ = writeln!(out, "{indent}  level: {}", heading.level);
                }
                if let Some(number) = heading.number {
                    let _ = writeln!(out, "{indent}  number: {number}");
                }
                if !heading.numbered {
                    let _ = writeln!(out, "{indent}  numbered: false");
                }
            }
            Block::Sidebar(sidebar) => {
                let _ = writeln!(out, "{indent}- sidebar: {}", scalar(&sidebar.title));
                if let Some(number) = sidebar.number {
                    let _ = writeln!(out, "{indent}  number: {number}");
                }
                let _ = writeln!(out, "{indent}  body:");
                write_blocks(out, &sidebar.body, &format!("{indent}    "));
            }
            Block::Dateline(text) => {
                let _ = writeln!(out, "{indent}- dateline: {}", scalar(text));
            }
        }
    }
}

/// A plain scalar where YAML reads it back as the same string, else a double-quoted one.
fn scalar(text: &str) -> String {
    if is_plain_safe(text) {
        return text.to_owned();
    }
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
            .map(|t| Block::Paragraph((*t).to_owned()))
            .collect();
        document.source = Some("（上接第十版）".to_owned());
        let yaml = write(&document, "header");
        let back = load_str(&yaml, "back.yaml").unwrap();
        assert_eq!(back, document, "{yaml}");
        assert!(
            yaml.contains("- 普通段落。\n"),
            "characters as characters:\n{yaml}"
        );
        assert!(!yaml.contains("\\u4E"), "no escapes for Han text");
    }
}
