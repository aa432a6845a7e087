//! Inline content as content files write it in the structured form: a string, or a list
//! of runs, each a string or a one-key map (`{strong: 重点}`, `{note: …}`, `{ref: fig-1}`).

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::values::LangValue;
use super::values::PlainText;
use super::{KeySeed, missing};
use crate::model::inline::{Id, Inline, Lang, Link, Note, Origin, Ref, Ruby, Run, Text};
use crate::model::source::TextPath;

/// What one load remembers between the visitors.
#[derive(Default)]
pub(super) struct Context {
    /// Texts that YAML read as numbers or truth values (`- 1.50`, `- 2022`); their
    /// characters are taken from the file as written once the load is done.
    pub numbers: RefCell<Vec<TextPath>>,
}

const RUN_KEYS: &[&str] = &[
    "strong",
    "emphasis",
    "sup",
    "sub",
    "code",
    "link",
    "text",
    "note",
    "id",
    "ref",
    "ruby",
    "rt",
    "proper-name",
    "book-title",
    "underline",
    "strike",
    "lang",
];

/// The keys that give a run its kind; the others (`text`, `id`, `rt`) go with one.
const KIND_KEYS: &[&str] = &[
    "strong",
    "emphasis",
    "sup",
    "sub",
    "note",
    "code",
    "link",
    "ref",
    "ruby",
    "proper-name",
    "book-title",
    "underline",
    "strike",
    "lang",
];

/// Text: a string (one run), a list of runs, or a single run written as a map.
pub(super) struct TextSeed<'a> {
    pub path: TextPath,
    pub context: &'a Context,
}

impl<'de> DeserializeSeed<'de> for TextSeed<'_> {
    type Value = Text;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Text, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TextSeed<'_> {
    type Value = Text;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("text: a string, or a list of runs such as [这是, {strong: 重点}, 。]")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
        if v.trim().is_empty() {
            return Err(E::custom("expected text, found an empty string"));
        }
        Ok(Text::plain(v, Origin::at(self.path)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
        Ok(number_text(v.to_string(), self.path, self.context))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
        Ok(number_text(v.to_string(), self.path, self.context))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
        Ok(number_text(v.to_string(), self.path, self.context))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
        Ok(number_text(v.to_string(), self.path, self.context))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Text, A::Error> {
        let mut runs = Vec::new();
        while let Some(run) = seq.next_element_seed(RunSeed {
            path: self.path.index(runs.len()),
            context: self.context,
        })? {
            runs.push(run);
        }
        if runs.is_empty() {
            return Err(de::Error::custom(
                "expected text, found an empty list of runs",
            ));
        }
        Ok(Text(runs))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Text, A::Error> {
        Ok(Text(vec![run_map(map, self.path, self.context)?]))
    }
}

/// A text YAML read as a number: its characters as `to_string` gives them for now; the
/// loader puts back those the file holds.
fn number_text(text: String, path: TextPath, context: &Context) -> Text {
    context.numbers.borrow_mut().push(path.clone());
    Text::plain(text, Origin::at(path))
}

/// One run of a list: a string, or a one-key map.
pub(super) struct RunSeed<'a> {
    pub path: TextPath,
    pub context: &'a Context,
}

impl<'de> DeserializeSeed<'de> for RunSeed<'_> {
    type Value = Inline;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Inline, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for RunSeed<'_> {
    type Value = Inline;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(
            "a run: a string, or a one-key map such as {strong: …}, {emphasis: …}, {sup: …}, \
             {sub: …}, {code: …}, {link: URL}, {note: …}, {ref: ID}, {ruby: 汉字, rt: hànzì}, \
             {proper-name: …}, {book-title: …} or {lang: ja, text: …}",
        )
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Inline, E> {
        Ok(Inline::Text(Run::new(v, Origin::at(self.path))))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Inline, E> {
        Ok(number_run(v.to_string(), self.path, self.context))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Inline, E> {
        Ok(number_run(v.to_string(), self.path, self.context))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Inline, E> {
        Ok(number_run(v.to_string(), self.path, self.context))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Inline, E> {
        Ok(number_run(v.to_string(), self.path, self.context))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Inline, A::Error> {
        run_map(map, self.path, self.context)
    }
}

fn number_run(text: String, path: TextPath, context: &Context) -> Inline {
    let Text(mut runs) = number_text(text, path, context);
    runs.remove(0)
}

/// A run written as a map: its kind is its one key (a link may add `text`, a note `id`).
fn run_map<'de, A: MapAccess<'de>>(
    mut map: A,
    path: TextPath,
    context: &Context,
) -> Result<Inline, A::Error> {
    let mut seen = Vec::new();
    let mut inner: Option<(&'static str, Text)> = None;
    let mut code = None;
    let mut link = None;
    let mut link_text = None;
    let mut reference = None;
    let mut id = None;
    let mut ruby_base = None;
    let mut annotations = None;
    let mut lang = None;
    let what = "a run";
    while let Some(key) = map.next_key_seed(KeySeed {
        allowed: RUN_KEYS,
        seen: &mut seen,
        context: what,
    })? {
        let key_path = path.key(key);
        match key {
            "strong" | "emphasis" | "sup" | "sub" | "note" | "proper-name" | "book-title"
            | "underline" | "strike" => {
                let text = map.next_value_seed(TextSeed {
                    path: key_path,
                    context,
                })?;
                inner = Some((key, text));
            }
            "code" => {
                let PlainText(text) = map.next_value()?;
                code = Some(Run::new(text, Origin::at(key_path)));
            }
            "link" => {
                let target = map.next_value_seed(UrlSeed)?;
                link = Some((target, Origin::at(key_path)));
            }
            "text" => {
                link_text = Some(map.next_value_seed(TextSeed {
                    path: key_path,
                    context,
                })?)
            }
            "ref" => reference = Some(map.next_value_seed(IdSeed { path: key_path })?),
            "ruby" => {
                let PlainText(text) = map.next_value()?;
                ruby_base = Some(Run::new(text, Origin::at(key_path)));
            }
            "rt" => annotations = Some(map.next_value_seed(AnnotationSeed { path: key_path })?),
            "lang" => {
                let LangValue(tag) = map.next_value()?;
                lang = Some(tag);
            }
            "id" => id = Some(map.next_value_seed(IdSeed { path: key_path })?),
            _ => unreachable!("KeySeed only yields allowed keys"),
        }
    }
    let kinds: Vec<&str> = KIND_KEYS
        .iter()
        .copied()
        .filter(|k| seen.contains(k))
        .collect();
    let refuse = |key: &str, kind: &str| -> Result<(), A::Error> {
        if seen.contains(&key) {
            Err(de::Error::custom(format!(
                "`{key}` does not apply to {kind}"
            )))
        } else {
            Ok(())
        }
    };
    if !kinds.contains(&"ruby") {
        refuse("rt", "this run (only `ruby` has an `rt`)")?;
    }
    match kinds.as_slice() {
        ["ruby"] => {
            refuse("id", "ruby")?;
            refuse("text", "ruby (its base is the value of `ruby`)")?;
            let base = ruby_base.expect("seen");
            let annotations = annotations.ok_or_else(|| {
                de::Error::custom(missing("rt", "ruby (the annotation over the base)"))
            })?;
            let base_chars = base.text.chars().count();
            if annotations.len() > 1 && annotations.len() != base_chars {
                return Err(de::Error::custom(format!(
                    "ruby `{}` has {base_chars} characters but {} annotations: give one `rt` for the whole base, or one for each character",
                    base.text,
                    annotations.len()
                )));
            }
            Ok(Inline::Ruby(Ruby { base, annotations }))
        }
        ["lang"] => {
            refuse("id", "a language run")?;
            let text = link_text.ok_or_else(|| {
                de::Error::custom(missing(
                    "text",
                    "a language run (the text in that language)",
                ))
            })?;
            Ok(Inline::Lang(Lang {
                tag: lang.expect("seen"),
                content: text.0,
            }))
        }
        ["link"] => {
            refuse("id", "a link")?;
            let (target, target_origin) = link.expect("seen");
            Ok(Inline::Link(Link {
                target,
                target_origin,
                content: link_text.map(|t| t.0).unwrap_or_default(),
            }))
        }
        ["note"] => {
            refuse("text", "a note")?;
            let (_, text) = inner.expect("seen");
            Ok(Inline::Note(Note {
                content: text.0,
                id,
                resolved: 0,
            }))
        }
        [kind] => {
            refuse(
                "text",
                &format!("`{kind}` (only a link or a language run has a `text`)"),
            )?;
            refuse(
                "id",
                &format!("`{kind}` (only a note has an `id` among runs)"),
            )?;
            Ok(match *kind {
                "code" => Inline::Code(code.expect("seen")),
                "ref" => Inline::Ref(Ref {
                    id: reference.expect("seen"),
                    resolved: None,
                }),
                "strong" => Inline::Strong(inner.expect("seen").1.0),
                "emphasis" => Inline::Emphasis(inner.expect("seen").1.0),
                "sup" => Inline::Superscript(inner.expect("seen").1.0),
                "proper-name" => Inline::ProperName(inner.expect("seen").1.0),
                "book-title" => Inline::BookTitle(inner.expect("seen").1.0),
                "underline" => Inline::Underline(inner.expect("seen").1.0),
                "strike" => Inline::Strike(inner.expect("seen").1.0),
                _ => Inline::Subscript(inner.expect("seen").1.0),
            })
        }
        [] if seen.contains(&"text") => {
            Err(de::Error::custom(missing("link", "a run with `text`")))
        }
        [] => Err(de::Error::custom(
            "a run map needs one of `strong`, `emphasis`, `sup`, `sub`, `code`, `link`, `note`, `ref`, `ruby`, `proper-name`, `book-title`, `underline`, `strike` or `lang`",
        )),
        _ => Err(de::Error::custom(format!(
            "a run can be only one kind, but this one has {}",
            kinds
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(" and ")
        ))),
    }
}

/// Ruby annotations: one string over the whole base, or a list with one per character.
struct AnnotationSeed {
    path: TextPath,
}

impl<'de> DeserializeSeed<'de> for AnnotationSeed {
    type Value = Vec<Run>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Vec<Run>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for AnnotationSeed {
    type Value = Vec<Run>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a ruby annotation: a string, or a list of strings (one per base character)")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<Run>, E> {
        if v.trim().is_empty() {
            return Err(E::custom(
                "expected a ruby annotation, found an empty string",
            ));
        }
        Ok(vec![Run::new(v, Origin::at(self.path))])
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Run>, A::Error> {
        let mut runs = Vec::new();
        while let Some(PlainText(text)) = seq.next_element()? {
            runs.push(Run::new(text, Origin::at(self.path.index(runs.len()))));
        }
        if runs.is_empty() {
            return Err(de::Error::custom(
                "expected ruby annotations, found an empty list",
            ));
        }
        Ok(runs)
    }
}

/// A link target: an `http`, `https` or `mailto` address.
pub(super) struct UrlSeed;

impl<'de> DeserializeSeed<'de> for UrlSeed {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for UrlSeed {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a web address starting with http://, https:// or mailto:")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        check_url(v).map(|()| v.to_owned()).map_err(E::custom)
    }
}

/// Whether `url` may be a link: `http://`, `https://` or `mailto:` with something after
/// it, and no white space or control characters. Anything else (`javascript:`, `file:`, a
/// bare `www.…`) is refused: a link must not run code or reach into the reader's machine.
pub fn check_url(url: &str) -> Result<(), String> {
    let lower = url.to_ascii_lowercase();
    let rest = ["http://", "https://", "mailto:"]
        .iter()
        .find_map(|scheme| lower.strip_prefix(scheme));
    let Some(rest) = rest else {
        let scheme = url
            .split(':')
            .next()
            .filter(|s| url.contains(':') && !s.is_empty());
        return Err(match scheme {
            Some(scheme) => format!("links may use http, https or mailto, not `{scheme}:` ({url})"),
            None => format!(
                "`{url}` is not a web address: a link starts with http://, https:// or mailto:"
            ),
        });
    };
    if rest.is_empty() {
        return Err(format!("`{url}` has nothing after its scheme"));
    }
    if let Some(bad) = url.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "`{url}` has U+{:04X} in it; write a space in a web address as %20",
            bad as u32
        ));
    }
    Ok(())
}

/// An id a heading, figure, table, note or appendix declares, or a reference names.
pub(super) struct IdSeed {
    pub path: TextPath,
}

impl<'de> DeserializeSeed<'de> for IdSeed {
    type Value = Id;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Id, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for IdSeed {
    type Value = Id;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an id: letters, digits, `_`, `-`, `.` or `:`")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Id, E> {
        check_id(v).map_err(E::custom)?;
        Ok(Id {
            name: v.to_owned(),
            origin: Origin::at(self.path),
        })
    }
}

/// An id is letters and digits of any script, `_`, `-`, `.` and `:`, starting with a
/// letter, a digit or `_`; at most 100 characters.
pub fn check_id(id: &str) -> Result<(), String> {
    let first_ok = id
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || c == '_');
    let rest_ok = id
        .chars()
        .all(|c| c.is_alphanumeric() || "_-.:".contains(c));
    if first_ok && rest_ok && id.chars().count() <= 100 {
        Ok(())
    } else {
        Err(format!(
            "invalid id `{id}`: an id is letters and digits (any script), `_`, `-`, `.` and `:`, starting with a letter, digit or `_` (at most 100 characters)"
        ))
    }
}
