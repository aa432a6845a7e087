//! Inline content: what a paragraph, a heading, a caption or a table cell holds. Runs of
//! literal text, and the elements around and between them (strong, emphasis, notes,
//! links, cross-references …), as pandoc's `Inline` has them.

use super::source::TextPath;

/// Where a run of text was written: the YAML scalar that holds it (by its path in the
/// content file) and, for each character of the run, its index in that scalar's value.
/// Located diagnostics and `check --fix` go through it back to the file's bytes.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    pub path: TextPath,
    /// The index in the scalar's value of the run's first character.
    pub start: usize,
    /// The index of every character, when the run skips characters of the value (an
    /// escape such as `\*`); else the characters follow `start` one by one.
    pub indices: Option<Vec<usize>>,
}

/// Where a text was written is not what it means: two documents that differ only there
/// are equal (so `check --fix` can compare a rewritten file with what it expects).
impl PartialEq for Origin {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Origin {
    pub fn at(path: TextPath) -> Self {
        Self {
            path,
            start: 0,
            indices: None,
        }
    }

    /// The index in the scalar's value of character `i` of the run.
    pub fn index(&self, i: usize) -> usize {
        match &self.indices {
            Some(indices) => indices
                .get(i)
                .or(indices.last())
                .copied()
                .unwrap_or(self.start),
            None => self.start + i,
        }
    }

    /// The origin of the run's characters from `from` on.
    pub fn from_char(&self, from: usize) -> Self {
        Self {
            path: self.path.clone(),
            start: self.index(from),
            indices: self
                .indices
                .as_ref()
                .map(|indices| indices.get(from..).unwrap_or_default().to_vec()),
        }
    }
}

/// Literal text and where it was written. A newline is a line break.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub text: String,
    pub origin: Origin,
}

impl Run {
    pub fn new(text: impl Into<String>, origin: Origin) -> Self {
        Self {
            text: text.into(),
            origin,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    /// Text that prints as written.
    Text(Run),
    Strong(Vec<Inline>),
    /// Emphasis: 着重号 (dots beside each Han character) in Chinese, italics in Latin text.
    Emphasis(Vec<Inline>),
    Superscript(Vec<Inline>),
    Subscript(Vec<Inline>),
    /// Code: literal, in a monospaced face, never parsed.
    Code(Run),
    Link(Link),
    Note(Note),
    Ref(Ref),
    /// An annotation set over its base: pinyin, zhuyin, furigana.
    Ruby(Ruby),
    /// 专名号: a straight line under a proper name.
    ProperName(Vec<Inline>),
    /// 书名号 in the classical style: a wavy line under a book's title.
    BookTitle(Vec<Inline>),
    /// Underlined text, as a manuscript underlines it (a Word file's underline). For a
    /// proper name's 专名号, `ProperName`.
    Underline(Vec<Inline>),
    /// Struck-through text (删除线): a correction shown, a price no longer asked.
    Strike(Vec<Inline>),
    /// Text in another language than the document's (a Japanese quotation in a Chinese
    /// book): its glyph forms, punctuation and line breaking follow it.
    Lang(Lang),
}

/// Ruby: a base text with its annotation, over the whole base (group ruby) or one
/// annotation per character of the base (mono ruby).
#[derive(Debug, Clone, PartialEq)]
pub struct Ruby {
    pub base: Run,
    /// One annotation for the whole base, or one for each of its characters.
    pub annotations: Vec<Run>,
}

impl Ruby {
    /// The base and its annotations, paired: the whole base with its one annotation, or
    /// each character with its own.
    pub fn pairs(&self) -> Vec<(String, &str)> {
        if self.annotations.len() == 1 {
            return vec![(self.base.text.clone(), self.annotations[0].text.as_str())];
        }
        self.base
            .text
            .chars()
            .zip(&self.annotations)
            .map(|(c, a)| (c.to_string(), a.text.as_str()))
            .collect()
    }
}

/// Text in a language of its own.
#[derive(Debug, Clone, PartialEq)]
pub struct Lang {
    pub tag: super::LanguageTag,
    pub content: Vec<Inline>,
}

/// A link to a web address (`http`, `https`, `mailto`).
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub target: String,
    pub target_origin: Origin,
    /// What the link shows; the address itself if empty.
    pub content: Vec<Inline>,
}

/// A footnote: anchored where it stands in the text, printed at the foot of the page.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub content: Vec<Inline>,
    pub id: Option<Id>,
    /// Filled by the numbering pass: the note's number in the document, from 1.
    pub resolved: u32,
}

/// A name a heading, figure, table, note or appendix declares, for references to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Id {
    pub name: String,
    pub origin: Origin,
}

/// A cross-reference: prints the resolved number of what `id` names, and links to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Ref {
    pub id: Id,
    /// Filled by the numbering pass.
    pub resolved: Option<Target>,
}

/// What a reference points to, as the numbering pass resolved it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub kind: TargetKind,
    /// The words a reference prints: 第二部分, （三）, 图3, 表1-2, 附录A, 注4.
    pub words: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKind {
    Heading,
    Figure,
    Table,
    Note,
    Appendix,
}

/// Inline content, as a paragraph, a heading or a caption holds it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Text(pub Vec<Inline>);

impl Text {
    /// One run of plain text written at `origin`.
    pub fn plain(text: impl Into<String>, origin: Origin) -> Self {
        Self(vec![Inline::Text(Run::new(text, origin))])
    }

    /// Text not written in any file (made by a reader such as `import`).
    pub fn from_string(text: impl Into<String>) -> Self {
        Self::plain(text, Origin::default())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// What the text shows, as one string without its notes: for tables of contents,
    /// running heads, titles of navigation entries.
    pub fn to_plain(&self) -> String {
        fn collect(inlines: &[Inline], out: &mut String) {
            for inline in inlines {
                match inline {
                    Inline::Text(run) | Inline::Code(run) => out.push_str(&run.text),
                    Inline::Strong(inner)
                    | Inline::Emphasis(inner)
                    | Inline::Superscript(inner)
                    | Inline::Subscript(inner) => collect(inner, out),
                    Inline::Link(link) if link.content.is_empty() => out.push_str(&link.target),
                    Inline::Link(link) => collect(&link.content, out),
                    Inline::Note(_) => {}
                    Inline::Ruby(ruby) => out.push_str(&ruby.base.text),
                    Inline::ProperName(inner)
                    | Inline::BookTitle(inner)
                    | Inline::Underline(inner)
                    | Inline::Strike(inner) => collect(inner, out),
                    Inline::Lang(lang) => collect(&lang.content, out),
                    Inline::Ref(reference) => {
                        if let Some(target) = &reference.resolved {
                            out.push_str(&target.words);
                        }
                    }
                }
            }
        }
        let mut out = String::new();
        collect(&self.0, &mut out);
        out
    }

    /// Every note in the text, outermost first.
    pub fn notes(&self) -> Vec<&Note> {
        let mut out = Vec::new();
        visit(&self.0, &mut |inline| {
            if let Inline::Note(note) = inline {
                out.push(note);
            }
        });
        out
    }
}

/// Plain text not written in any file; equal to the same text loaded from one, since
/// where a text was written is not what it means.
impl From<&str> for Text {
    fn from(text: &str) -> Self {
        Text::from_string(text)
    }
}

/// A text as it reads, without its notes (see [`Text::to_plain`]).
impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_plain())
    }
}

/// Calls `f` on every inline of `inlines` and of everything inside them (note content
/// included), in reading order.
pub fn visit<'a>(inlines: &'a [Inline], f: &mut impl FnMut(&'a Inline)) {
    for inline in inlines {
        f(inline);
        match inline {
            Inline::Strong(inner)
            | Inline::Emphasis(inner)
            | Inline::Superscript(inner)
            | Inline::Subscript(inner) => visit(inner, f),
            Inline::Link(link) => visit(&link.content, f),
            Inline::Note(note) => visit(&note.content, f),
            Inline::ProperName(inner)
            | Inline::BookTitle(inner)
            | Inline::Underline(inner)
            | Inline::Strike(inner) => visit(inner, f),
            Inline::Lang(lang) => visit(&lang.content, f),
            Inline::Text(_) | Inline::Code(_) | Inline::Ref(_) | Inline::Ruby(_) => {}
        }
    }
}

/// As [`visit`], mutably.
pub fn visit_mut(inlines: &mut [Inline], f: &mut impl FnMut(&mut Inline)) {
    for inline in inlines {
        f(inline);
        match inline {
            Inline::Strong(inner)
            | Inline::Emphasis(inner)
            | Inline::Superscript(inner)
            | Inline::Subscript(inner) => visit_mut(inner, f),
            Inline::Link(link) => visit_mut(&mut link.content, f),
            Inline::Note(note) => visit_mut(&mut note.content, f),
            Inline::ProperName(inner)
            | Inline::BookTitle(inner)
            | Inline::Underline(inner)
            | Inline::Strike(inner) => visit_mut(inner, f),
            Inline::Lang(lang) => visit_mut(&mut lang.content, f),
            Inline::Text(_) | Inline::Code(_) | Inline::Ref(_) | Inline::Ruby(_) => {}
        }
    }
}
