//! Reading content files (format v1, YAML) into the model, with located errors.
//!
//! The YAML is walked with hand-written visitors rather than derived ones so that every
//! error is raised while its own key or value is being read: serde_yaml then attaches
//! that node's line and column, and the message can say what was expected there.

use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::print::{Paper, parse_font_size};
use super::{Block, DEFAULT_LAYOUT, Date, Document, Heading, LanguageTag, Sidebar};
use crate::diag::Diagnostic;

const DOCUMENT_KEYS: &[&str] = &[
    "title",
    "short-title",
    "subtitle",
    "author",
    "date",
    "lang",
    "source",
    "identifier",
    "layout",
    "paper",
    "size",
    "toc-depth",
    "colophon",
    "body",
];
const BLOCK_KEYS: &[&str] = &[
    "heading", "level", "number", "numbered", "sidebar", "body", "dateline",
];

/// Reads and parses one content file.
pub fn load_file(path: &Path) -> Result<Document, Diagnostic> {
    let text = read_utf8(path, "content files")?;
    load_str(&text, &path.display().to_string())
}

/// Reads a file that must be UTF-8, locating the first invalid byte by line and column.
/// `what` names the kind of file in the message ("content files").
pub fn read_utf8(path: &Path, what: &str) -> Result<String, Diagnostic> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::error(&name, format!("cannot read: {e}")).with_code("input"))?;
    decode_utf8(&name, bytes, &format!("{what} must be UTF-8"))
}

/// `bytes` (read from `name`) as UTF-8; if they are not, an error located at the first
/// invalid byte whose message ends with `advice` ("content files must be UTF-8").
pub fn decode_utf8(name: &str, bytes: Vec<u8>, advice: &str) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let valid_up_to = e.utf8_error().valid_up_to();
        // The valid prefix is UTF-8, so lines and columns count characters.
        let prefix = std::str::from_utf8(&bytes[..valid_up_to]).unwrap_or_default();
        let (line, column) = line_column_after(prefix);
        Diagnostic::error(
            name,
            format!(
                "invalid UTF-8 (byte 0x{:02X} at offset {valid_up_to}); {advice}",
                bytes[valid_up_to]
            ),
        )
        .at(line, column)
        .with_code("input")
    })
}

/// The 1-based line and column (in characters) just after `prefix`.
pub fn line_column_after(prefix: &str) -> (usize, usize) {
    let line = prefix.matches('\n').count() + 1;
    let column = prefix.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// Parses content text; `name` is the file name used in diagnostics.
pub fn load_str(text: &str, name: &str) -> Result<Document, Diagnostic> {
    load_document(text, name).map_err(|d| d.with_code("content"))
}

fn load_document(text: &str, name: &str) -> Result<Document, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let is_blank = text.lines().all(|line| {
        let line = line.trim();
        line.is_empty() || line.starts_with('#') || line == "---" || line == "..."
    });
    if is_blank {
        return Err(Diagnostic::error(
            name,
            "the file is empty; expected a mapping with at least `title` and `body`",
        )
        .at(1, 1));
    }
    let deserializer = serde_yaml::Deserializer::from_str(text);
    deserializer
        .deserialize_map(DocumentVisitor)
        .map_err(|e| to_diagnostic(&e, name))
}

fn to_diagnostic(error: &serde_yaml::Error, name: &str) -> Diagnostic {
    let message = without_prose_position(&error.to_string());
    let diagnostic = Diagnostic::error(name, message.clone());
    let diagnostic = match error.location() {
        Some(location) => diagnostic.at(location.line(), location.column()),
        None => diagnostic,
    };
    if message.contains("unknown key") && !message.contains("did you mean") {
        diagnostic.with_hint(
            "a paragraph that contains \": \" or starts with a YAML indicator must be quoted",
        )
    } else if let Some(kind) = ["integer", "floating point", "boolean"]
        .into_iter()
        .find(|kind| message.contains(&format!("invalid type: {kind}")))
    {
        let read_as = match kind {
            "boolean" => "a truth value",
            _ => "a number",
        };
        diagnostic.with_hint(format!(
            "YAML reads an unquoted 123, 1.50 or true as {read_as}, not as text: put it in quotes ('1.50') to print it exactly as written"
        ))
    } else if message.contains("invalid type: unit value") {
        diagnostic.with_hint(
            "YAML reads an empty value, `~` or `null` as nothing: give it text, or remove it",
        )
    } else {
        diagnostic
    }
}

/// serde_yaml says "at line L column C" in prose; paiban gives it as file:line:col.
fn without_prose_position(message: &str) -> String {
    let mut out = message.to_owned();
    while let Some(start) = out.find(" at line ") {
        let rest = &out[start + " at line ".len()..];
        let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
        let line_len = digits(rest);
        let after_line = &rest[line_len..];
        let Some(column_part) = after_line.strip_prefix(" column ") else {
            break;
        };
        let column_len = digits(column_part);
        if line_len == 0 || column_len == 0 {
            break;
        }
        let end = start + " at line ".len() + line_len + " column ".len() + column_len;
        out.replace_range(start..end, "");
    }
    out
}

/// Reads one mapping key, refusing unknown and repeated ones at the key's own position.
struct KeySeed<'a> {
    allowed: &'static [&'static str],
    seen: &'a mut Vec<&'static str>,
    context: &'static str,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = &'static str;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = &'static str;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a key of {}", self.context)
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        let Some(&known) = self.allowed.iter().find(|k| **k == key) else {
            return Err(E::custom(unknown_key_message(
                key,
                self.allowed,
                self.context,
            )));
        };
        if self.seen.contains(&known) {
            return Err(E::custom(format!(
                "duplicate key `{known}` in {}",
                self.context
            )));
        }
        self.seen.push(known);
        Ok(known)
    }
}

fn unknown_key_message(key: &str, allowed: &[&str], context: &str) -> String {
    let expected = allowed
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let closest = allowed
        .iter()
        .map(|k| (strsim::jaro_winkler(key, k), *k))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match closest {
        Some((_, suggestion)) => format!(
            "unknown key `{key}` in {context} (did you mean `{suggestion}`?); expected one of {expected}"
        ),
        None => format!("unknown key `{key}` in {context}; expected one of {expected}"),
    }
}

fn missing(key: &str, context: &str) -> String {
    format!("missing required key `{key}` in {context}")
}

struct DocumentVisitor;

impl<'de> Visitor<'de> for DocumentVisitor {
    type Value = Document;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a content document: a mapping with at least `title` and `body`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Document, A::Error> {
        let mut seen = Vec::new();
        let mut title = None;
        let mut short_title = None;
        let mut subtitle = None;
        let mut authors = Vec::new();
        let mut date = None;
        let mut lang = LanguageTag::default();
        let mut source = None;
        let mut identifier = None;
        let mut layout = DEFAULT_LAYOUT.to_owned();
        let mut paper = None;
        let mut size = None;
        let mut toc_depth = None;
        let mut colophon = None;
        let mut body = None;
        let context = "the document";
        while let Some(key) = map.next_key_seed(KeySeed {
            allowed: DOCUMENT_KEYS,
            seen: &mut seen,
            context,
        })? {
            match key {
                "title" => title = Some(map.next_value::<Text>()?.0),
                "short-title" => short_title = Some(map.next_value::<Text>()?.0),
                "subtitle" => subtitle = Some(map.next_value::<Text>()?.0),
                "author" => authors = map.next_value::<Authors>()?.0,
                "date" => date = Some(map.next_value::<DateValue>()?.0),
                "lang" => lang = map.next_value::<LangValue>()?.0,
                "source" => source = Some(map.next_value::<Text>()?.0),
                "identifier" => identifier = Some(map.next_value::<Text>()?.0),
                "layout" => layout = map.next_value::<LayoutName>()?.0,
                "paper" => paper = Some(map.next_value::<PaperValue>()?.0),
                "size" => size = Some(map.next_value::<SizeValue>()?.0),
                "toc-depth" => toc_depth = Some(map.next_value::<TocDepth>()?.0),
                "colophon" => colophon = Some(map.next_value::<Text>()?.0),
                "body" => body = Some(map.next_value::<Body>()?.0),
                _ => unreachable!("KeySeed only yields allowed keys"),
            }
        }
        Ok(Document {
            title: title.ok_or_else(|| de::Error::custom(missing("title", context)))?,
            short_title,
            subtitle,
            authors,
            date,
            lang,
            source,
            identifier,
            layout,
            paper,
            size,
            toc_depth,
            colophon,
            body: body.ok_or_else(|| de::Error::custom(missing("body", context)))?,
        })
    }
}

/// Reads a scalar and checks it inside serde_yaml's visit of that scalar, so that a
/// refusal carries the scalar's own line and column.
struct Checked<T> {
    expecting: &'static str,
    check: fn(&str) -> Result<T, String>,
}

impl<'de, T> Visitor<'de> for Checked<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        (self.check)(v).map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        (self.check)(&v.to_string()).map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        (self.check)(&v.to_string()).map_err(E::custom)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        (self.check)(&v.to_string()).map_err(E::custom)
    }
}

macro_rules! checked_value {
    ($name:ident($inner:ty), $method:ident, $expecting:expr, $check:expr) => {
        struct $name($inner);

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer
                    .$method(Checked {
                        expecting: $expecting,
                        check: $check,
                    })
                    .map($name)
            }
        }
    };
}

checked_value!(Text(String), deserialize_str, "text", |v| {
    if v.trim().is_empty() {
        Err("expected text, found an empty string".to_owned())
    } else {
        Ok(v.to_owned())
    }
});

checked_value!(
    DateValue(Date),
    deserialize_str,
    "a date as YYYY-MM-DD",
    |v| {
        Date::parse(v).ok_or_else(|| {
            format!("invalid date `{v}`: expected a real calendar date as YYYY-MM-DD")
        })
    }
);

checked_value!(
    LangValue(LanguageTag),
    deserialize_str,
    "a BCP 47 language tag",
    |v| {
        LanguageTag::parse(v).ok_or_else(|| {
            format!("invalid language tag `{v}`: expected BCP 47, such as zh-CN or zh-Hans")
        })
    }
);

checked_value!(LayoutName(String), deserialize_str, "a layout name", |v| {
    let ok = !v.is_empty()
        && v.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if ok {
        Ok(v.to_owned())
    } else {
        Err(format!(
            "invalid layout name `{v}`: expected the name of a folder in layouts/ \
             (lower-case letters, digits, `-`, `_`)"
        ))
    }
});

checked_value!(
    PaperValue(Paper),
    deserialize_str,
    "a paper size such as A5, 16k or 150x230mm",
    |v| Paper::parse(v)
);

checked_value!(
    SizeValue(f64),
    deserialize_any,
    "a type size: a 字号 such as 五号, or points such as 10.5pt",
    |v| parse_font_size(v)
);

checked_value!(
    TocDepth(u8),
    deserialize_i64,
    "a table-of-contents depth: 0 (none) to 5",
    |v| match v.parse::<u8>() {
        Ok(depth @ 0..=5) => Ok(depth),
        _ => Err(format!(
            "toc-depth {v} is out of range; expected 0 (none) to 5"
        )),
    }
);

checked_value!(Level(u8), deserialize_i64, "a heading level: 1 to 5", |v| {
    match v.parse::<u8>() {
        Ok(level @ 1..=5) => Ok(level),
        _ => Err(format!(
            "heading level {v} is out of range; expected 1 to 5"
        )),
    }
});

/// The largest number the content may set. Numbering continues from a set number, so it
/// must leave room to count on (and no document numbers a section in the millions).
pub const MAX_NUMBER: u32 = 99_999;

checked_value!(
    Number(u32),
    deserialize_i64,
    "a whole number from 1 to 99999",
    |v| {
        match v.parse::<u32>() {
            Ok(number @ 1..=MAX_NUMBER) => Ok(number),
            _ => Err(format!(
                "number {v} is out of range; expected a whole number from 1 to {MAX_NUMBER}, so that the numbers after it can count on"
            )),
        }
    }
);

struct Authors(Vec<String>);

impl<'de> Deserialize<'de> for Authors {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AuthorsVisitor;
        impl<'de> Visitor<'de> for AuthorsVisitor {
            type Value = Authors;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an author's name or a list of names")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Authors, E> {
                if v.trim().is_empty() {
                    return Err(E::custom(
                        "expected an author's name, found an empty string",
                    ));
                }
                Ok(Authors(vec![v.to_owned()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Authors, A::Error> {
                let mut names = Vec::new();
                while let Some(Text(name)) = seq.next_element()? {
                    names.push(name);
                }
                Ok(Authors(names))
            }
        }
        deserializer.deserialize_any(AuthorsVisitor)
    }
}

struct Body(Vec<Block>);

impl<'de> Deserialize<'de> for Body {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BodyVisitor;
        impl<'de> Visitor<'de> for BodyVisitor {
            type Value = Body;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of blocks")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Body, A::Error> {
                let mut blocks = Vec::new();
                while let Some(block) = seq.next_element::<Block>()? {
                    blocks.push(block);
                }
                if blocks.is_empty() {
                    return Err(de::Error::custom(
                        "`body` is an empty list; expected blocks",
                    ));
                }
                Ok(Body(blocks))
            }
        }
        deserializer.deserialize_seq(BodyVisitor)
    }
}

impl<'de> Deserialize<'de> for Block {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(BlockVisitor)
    }
}

struct BlockVisitor;

impl<'de> Visitor<'de> for BlockVisitor {
    type Value = Block;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(
            "a block: a paragraph string, or a mapping with `heading`, `sidebar` or `dateline`",
        )
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Block, E> {
        if v.trim().is_empty() {
            return Err(de::Error::custom(
                "empty paragraph; remove it or give it text",
            ));
        }
        Ok(Block::Paragraph(v.to_owned()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Block, A::Error> {
        let mut seen = Vec::new();
        let mut heading = None;
        let mut sidebar = None;
        let mut dateline = None;
        let mut level = None;
        let mut number = None;
        let mut numbered = None;
        let mut body = None;
        let context = "a block";
        while let Some(key) = map.next_key_seed(KeySeed {
            allowed: BLOCK_KEYS,
            seen: &mut seen,
            context,
        })? {
            match key {
                "heading" => heading = Some(map.next_value::<Text>()?.0),
                "sidebar" => sidebar = Some(map.next_value::<Text>()?.0),
                "dateline" => dateline = Some(map.next_value::<Text>()?.0),
                "level" => level = Some(map.next_value::<Level>()?.0),
                "number" => number = Some(map.next_value::<Number>()?.0),
                "numbered" => numbered = Some(map.next_value::<bool>()?),
                "body" => body = Some(map.next_value::<Body>()?.0),
                _ => unreachable!("KeySeed only yields allowed keys"),
            }
        }
        let kinds: Vec<&str> = ["heading", "sidebar", "dateline"]
            .into_iter()
            .filter(|k| seen.contains(k))
            .collect();
        let refuse = |key: &str, kind: &str| -> Result<(), A::Error> {
            if seen.contains(&key) {
                Err(de::Error::custom(format!(
                    "`{key}` does not apply to a {kind}"
                )))
            } else {
                Ok(())
            }
        };
        match kinds.as_slice() {
            ["heading"] => {
                refuse("body", "heading")?;
                if numbered == Some(false) {
                    refuse("number", "heading with `numbered: false`")?;
                }
                Ok(Block::Heading(Heading {
                    text: heading.expect("seen"),
                    level: level.unwrap_or(1),
                    numbered: numbered.unwrap_or(true),
                    number,
                    resolved: Vec::new(),
                }))
            }
            ["sidebar"] => {
                for key in ["level", "numbered"] {
                    refuse(key, "sidebar")?;
                }
                let body = body.ok_or_else(|| de::Error::custom(missing("body", "a sidebar")))?;
                if let Some(inner) = body.iter().find(|b| !matches!(b, Block::Paragraph(_))) {
                    let kind = match inner {
                        Block::Heading(_) => "a heading",
                        Block::Sidebar(_) => "a sidebar",
                        _ => "a dateline",
                    };
                    return Err(de::Error::custom(format!(
                        "a sidebar's body holds paragraphs only, but this one has {kind}"
                    )));
                }
                Ok(Block::Sidebar(Sidebar {
                    title: sidebar.expect("seen"),
                    number,
                    body,
                    resolved: 0,
                }))
            }
            ["dateline"] => {
                for key in ["level", "number", "numbered", "body"] {
                    refuse(key, "dateline")?;
                }
                Ok(Block::Dateline(dateline.expect("seen")))
            }
            [] => Err(de::Error::custom(
                "a block mapping needs one of `heading`, `sidebar` or `dateline`",
            )),
            _ => Err(de::Error::custom(format!(
                "a block can be only one kind, but this one has {}",
                kinds
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            ))),
        }
    }
}
