//! Reading content files (YAML) into the model, with located errors.
//!
//! The YAML is walked with hand-written visitors rather than derived ones so that every
//! error is raised while its own key or value is being read: serde_yaml then attaches
//! that node's line and column, and the message can say what was expected there. Every
//! text remembers the path of the scalar it was read from, for located diagnostics later.

mod blocks;
mod gongwen;
mod inline;
mod markup;
mod values;

use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

pub use values::MAX_NUMBER;

use super::inline::{Inline, Origin};
use super::source::{SourceMap, TextPath};
use super::{DEFAULT_LAYOUT, Document, LanguageTag, Writing};
use crate::diag::Diagnostic;
use blocks::{BlocksSeed, Place};
use inline::Context;
use values::{
    DateValue, InlineValue, LangValue, LayoutName, PaperValue, PlainText, SizeValue, TocDepth,
    WritingValue,
};

const DOCUMENT_KEYS: &[&str] = &[
    "title",
    "short-title",
    "subtitle",
    "author",
    "date",
    "lang",
    "source",
    "identifier",
    "cover",
    "layout",
    "paper",
    "size",
    "toc-depth",
    "colophon",
    "gongwen",
    "inline",
    "writing",
    "body",
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

/// `text` without a byte-order mark; an error at 1:1 if it holds nothing but comments
/// and document markers (`expected` says what it should hold).
fn refuse_blank<'a>(text: &'a str, name: &str, expected: &str) -> Result<&'a str, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let is_blank = text.lines().all(|line| {
        let line = line.trim();
        line.is_empty() || line.starts_with('#') || line == "---" || line == "..."
    });
    if is_blank {
        return Err(Diagnostic::error(name, format!("the file is empty; {expected}")).at(1, 1));
    }
    Ok(text)
}

/// Reads `blocks` (of the file `name`, which holds `text`) in the inline syntax; its
/// warnings go to `warnings`, an error is located in the file.
fn expand_markup(
    blocks: &mut [crate::model::Block],
    warnings: &mut Vec<(Origin, String)>,
    text: &str,
    name: &str,
) -> Result<(), Diagnostic> {
    markup::expand_blocks(blocks, warnings).map_err(|(origin, message)| {
        let diagnostic = Diagnostic::error(name, message);
        let map = SourceMap::parse(text).ok();
        match map.and_then(|map| map.locate(&origin.path, origin.index(0))) {
            Some((line, column)) => diagnostic.at(line, column),
            None => diagnostic,
        }
    })
}

fn load_document(text: &str, name: &str) -> Result<Document, Diagnostic> {
    let text = refuse_blank(
        text,
        name,
        "expected a mapping with at least `title` and `body`",
    )?;
    let context = Context::default();
    let deserializer = serde_yaml::Deserializer::from_str(text);
    let mut document = deserializer
        .deserialize_map(DocumentVisitor { context: &context })
        .map_err(|e| to_diagnostic(&e, name))?;
    check_gongwen_mark(&document, text, name)?;
    let numbers = context.numbers.into_inner();
    // Only a file with such texts is read a second time, or one whose inline syntax has
    // an error to locate.
    if !numbers.is_empty() {
        let map = SourceMap::parse(text).map_err(|e| Diagnostic::error(name, e))?;
        restore_numbers(&mut document.body, &numbers, &map);
    }
    if document.markup {
        let Document { body, warnings, .. } = &mut document;
        expand_markup(body, warnings, text, name)?;
    }
    Ok(document)
}

/// A 版头 needs a 发文机关标志: the content's `mark`, else one made from the first author.
/// Without either, the error is located at the first part of the 版头.
fn check_gongwen_mark(document: &Document, text: &str, name: &str) -> Result<(), Diagnostic> {
    let Some(gongwen) = &document.gongwen else {
        return Ok(());
    };
    if !gongwen.has_head() || gongwen.mark.is_some() || !document.authors.is_empty() {
        return Ok(());
    }
    let root = TextPath::default().key("gongwen");
    let first = [
        gongwen.copy_number.map(|_| root.key("copy-number")),
        gongwen.secrecy.as_ref().map(|run| run.origin.path.clone()),
        gongwen.urgency.as_ref().map(|run| run.origin.path.clone()),
        gongwen.number.as_ref().map(|run| run.origin.path.clone()),
        gongwen.signers.first().map(|run| run.origin.path.clone()),
    ]
    .into_iter()
    .flatten()
    .next();
    let diagnostic = Diagnostic::error(
        name,
        "this 版头 has no 发文机关标志: give the `gongwen` map a `mark` (示例市档案局文件), or the document an `author` (its name and 文件 make the mark)",
    );
    let place = first.and_then(|path| {
        let map = SourceMap::parse(text).ok()?;
        map.locate(&path, 0)
    });
    Err(match place {
        Some((line, column)) => diagnostic.at(line, column),
        None => diagnostic,
    })
}

/// Puts back the characters of texts that YAML read as numbers or truth values, as the
/// file writes them (`1.50`, not `1.5`; `007`, not `7`).
/// An included file's blocks, as [`load_part`] reads them.
#[derive(Debug)]
pub struct Part {
    pub blocks: Vec<crate::model::Block>,
    /// Inline markup that does not close, for `check`.
    pub warnings: Vec<(Origin, String)>,
}

/// Parses an included file (`name`, file `file` of its document): a list of blocks, or a
/// mapping with `body` alone. The book's header keys are errors here; `markup` is the
/// book's `inline` setting, which its files follow.
pub fn load_part(text: &str, name: &str, file: u32, markup: bool) -> Result<Part, Diagnostic> {
    load_part_blocks(text, name, file, markup).map_err(|d| d.with_code("content"))
}

fn load_part_blocks(text: &str, name: &str, file: u32, markup: bool) -> Result<Part, Diagnostic> {
    let text = refuse_blank(
        text,
        name,
        "an included file holds blocks: a list of them, or `body:`",
    )?;
    let context = Context::default();
    let deserializer = serde_yaml::Deserializer::from_str(text);
    let mut blocks = deserializer
        .deserialize_any(PartVisitor {
            context: &context,
            root: TextPath::in_file(file),
        })
        .map_err(|e| to_diagnostic(&e, name))?;
    let numbers = context.numbers.into_inner();
    if !numbers.is_empty() {
        let map = SourceMap::parse(text).map_err(|e| Diagnostic::error(name, e))?;
        restore_numbers(&mut blocks, &numbers, &map);
    }
    let mut warnings = Vec::new();
    if markup {
        expand_markup(&mut blocks, &mut warnings, text, name)?;
    }
    Ok(Part { blocks, warnings })
}

/// An included file: blocks, or a mapping whose one key is `body`.
struct PartVisitor<'a> {
    context: &'a Context,
    root: TextPath,
}

impl<'de> Visitor<'de> for PartVisitor<'_> {
    type Value = Vec<crate::model::Block>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an included file: a list of blocks, or a mapping with `body` alone")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        BlocksSeed {
            path: self.root,
            context: self.context,
            place: Place::Body,
        }
        .visit_seq(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut body = None;
        while let Some(key) = map.next_key::<String>()? {
            if key != "body" {
                return Err(de::Error::custom(
                    if DOCUMENT_KEYS.contains(&key.as_str()) {
                        format!(
                            "`{key}` belongs to the book's own file: an included file holds body blocks only (a list of blocks, or `body:`)"
                        )
                    } else {
                        format!("unknown key `{key}` in an included file; expected `body`")
                    },
                ));
            }
            if body.is_some() {
                return Err(de::Error::custom("duplicate key `body`"));
            }
            body = Some(map.next_value_seed(BlocksSeed {
                path: self.root.key("body"),
                context: self.context,
                place: Place::Body,
            })?);
        }
        body.ok_or_else(|| de::Error::custom(missing("body", "an included file")))
    }
}

fn restore_numbers(blocks: &mut [crate::model::Block], numbers: &[TextPath], map: &SourceMap) {
    let numbers: std::collections::HashSet<&TextPath> = numbers.iter().collect();
    let mut restore = |inline: &mut Inline| {
        if let Inline::Text(run) = inline
            && numbers.contains(&run.origin.path)
            && let Some(source) = map.get(&run.origin.path)
        {
            run.text = source.value.clone();
        }
    };
    super::walk::for_each_text_mut(blocks, &mut |text| {
        super::inline::visit_mut(&mut text.0, &mut restore);
    });
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
    } else if message.contains("while scanning an alias")
        || message.contains("cannot start any token")
        || message.contains("while parsing a block collection")
        || message.contains("while parsing a block mapping")
    {
        diagnostic.with_hint(
            "YAML gives `*`, `&`, `[`, `{`, `@`, `` ` ``, `!`, `|`, `>`, `%` and `#` a meaning at the start of a text: a text that starts with one (as inline markup such as **重点** or [链接](…) may) must be quoted, or written as a `|` block",
        )
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

struct DocumentVisitor<'a> {
    context: &'a Context,
}

impl<'de> Visitor<'de> for DocumentVisitor<'_> {
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
        let mut cover = None;
        let mut layout = DEFAULT_LAYOUT.to_owned();
        let mut paper = None;
        let mut size = None;
        let mut toc_depth = None;
        let mut colophon = None;
        let mut gongwen = None;
        let mut markup = false;
        let mut writing = Writing::Horizontal;
        let mut body = None;
        let context = "the document";
        while let Some(key) = map.next_key_seed(KeySeed {
            allowed: DOCUMENT_KEYS,
            seen: &mut seen,
            context,
        })? {
            match key {
                "title" => title = Some(map.next_value::<PlainText>()?.0),
                "short-title" => short_title = Some(map.next_value::<PlainText>()?.0),
                "subtitle" => subtitle = Some(map.next_value::<PlainText>()?.0),
                "author" => authors = map.next_value::<Authors>()?.0,
                "date" => date = Some(map.next_value::<DateValue>()?.0),
                "lang" => lang = map.next_value::<LangValue>()?.0,
                "source" => source = Some(map.next_value::<PlainText>()?.0),
                "identifier" => identifier = Some(map.next_value::<PlainText>()?.0),
                "cover" => {
                    cover = Some(super::CoverImage {
                        path: map.next_value::<PlainText>()?.0,
                        path_origin: super::Origin::at(TextPath::default().key("cover")),
                        project_path: None,
                    })
                }
                "layout" => layout = map.next_value::<LayoutName>()?.0,
                "paper" => paper = Some(map.next_value::<PaperValue>()?.0),
                "size" => size = Some(map.next_value::<SizeValue>()?.0),
                "toc-depth" => toc_depth = Some(map.next_value::<TocDepth>()?.0),
                "colophon" => colophon = Some(map.next_value::<PlainText>()?.0),
                "gongwen" => {
                    gongwen = Some(map.next_value_seed(gongwen::GongwenSeed {
                        path: TextPath::default().key("gongwen"),
                    })?)
                }
                "inline" => markup = map.next_value::<InlineValue>()?.0,
                "writing" => writing = map.next_value::<WritingValue>()?.0,
                "body" => {
                    body = Some(map.next_value_seed(BlocksSeed {
                        path: TextPath::default().key("body"),
                        context: self.context,
                        place: Place::Body,
                    })?)
                }
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
            layout_from_content: seen.contains(&"layout"),
            cover,
            layout,
            paper,
            size,
            toc_depth,
            colophon,
            gongwen,
            markup,
            writing,
            parts: Vec::new(),
            body: body.ok_or_else(|| de::Error::custom(missing("body", context)))?,
            warnings: Vec::new(),
            numbering: Default::default(),
        })
    }
}

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
                while let Some(PlainText(name)) = seq.next_element()? {
                    names.push(name);
                }
                Ok(Authors(names))
            }
        }
        deserializer.deserialize_any(AuthorsVisitor)
    }
}
