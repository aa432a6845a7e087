//! Blocks: what a document's body is made of.

use super::inline::{Id, Origin, Text};

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(Text),
    Heading(Heading),
    /// A boxed panel (专栏).
    Sidebar(Sidebar),
    /// The closing line of a news release or an official document.
    Dateline(Text),
    List(List),
    Quote(Quote),
    Verse(Verse),
    Table(Table),
    Figure(Figure),
    /// A scene break: a gap with an ornament, not a new section.
    Divider,
    PageBreak,
    /// The start of an appendix (附录A, 附件1): a heading above level 1, below which
    /// heading numbers start again.
    Appendix(Appendix),
    /// Another content file's blocks, in its place (`include: chapters/02.yaml`): the
    /// loader reads it; the pipeline puts the file's blocks here before anything else
    /// looks at the body, so no pass or writer ever sees one.
    Include(Include),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Include {
    /// As written: relative to the including file.
    pub path: String,
    pub origin: super::inline::Origin,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Heading {
    pub text: Text,
    /// 1 to 5.
    pub level: u8,
    /// The number the content sets explicitly; following siblings continue from it.
    pub number: Option<u32>,
    pub numbered: bool,
    pub id: Option<Id>,
    /// Filled by [`crate::passes::numbering`]: the counter at every level down to this one.
    /// Empty for unnumbered headings.
    pub resolved: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Sidebar {
    pub title: Text,
    /// The number the content sets explicitly; later panels continue from it.
    pub number: Option<u32>,
    pub body: Vec<Block>,
    /// Filled by [`crate::passes::numbering`].
    pub resolved: u32,
}

/// A bulleted or numbered list; each item holds blocks (often one paragraph).
#[derive(Debug, Clone, PartialEq)]
pub struct List {
    pub style: ListStyle,
    /// The first item's number (numbered lists).
    pub start: Option<u32>,
    pub items: Vec<Vec<Block>>,
    /// Filled by [`crate::passes::numbering`]: each item's label (1. （2） ③ 四、 e) •).
    pub labels: Vec<String>,
}

/// How list items are marked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListStyle {
    Bullet,
    /// A counter with the text around it: `（1）` is `（`, arabic, `）`.
    Numbered {
        prefix: String,
        counter: Counter,
        suffix: String,
    },
}

/// How a list counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counter {
    /// 1 2 3
    Arabic,
    /// ① ② ③ (then (51) past ㊿)
    Circled,
    /// 一 二 三
    Chinese,
    /// a b c … z aa ab
    LowerLatin,
    /// A B C
    UpperLatin,
}

impl ListStyle {
    /// Reads a style as written in content: `bullet`, or a pattern with one counter
    /// (`1.`, `（1）`, `①`, `一、`, `a)`, `A.`, `第1条`).
    pub fn parse(text: &str) -> Option<Self> {
        if text == "bullet" {
            return Some(Self::Bullet);
        }
        let symbols = [
            ('1', Counter::Arabic),
            ('①', Counter::Circled),
            ('一', Counter::Chinese),
            ('a', Counter::LowerLatin),
            ('A', Counter::UpperLatin),
        ];
        let found: Vec<(usize, char, Counter)> = text
            .char_indices()
            .filter_map(|(i, c)| {
                symbols
                    .iter()
                    .find(|(s, _)| *s == c)
                    .map(|&(s, counter)| (i, s, counter))
            })
            .collect();
        let [(at, symbol, counter)] = found[..] else {
            return None;
        };
        let prefix = &text[..at];
        let suffix = &text[at + symbol.len_utf8()..];
        let plain = |s: &str| !s.chars().any(|c| c.is_control() || c == '\n');
        (plain(prefix) && plain(suffix)).then(|| Self::Numbered {
            prefix: prefix.to_owned(),
            counter,
            suffix: suffix.to_owned(),
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Quote {
    pub body: Vec<Block>,
    /// Who said or wrote it, printed after the quotation.
    pub attribution: Option<Text>,
}

/// Lines of verse, kept as lines, in stanzas.
#[derive(Debug, Clone, PartialEq)]
pub struct Verse {
    pub title: Option<Text>,
    pub author: Option<Text>,
    pub stanzas: Vec<Vec<Text>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// A share of the table's width (fractions of the whole), else as wide as its content.
    pub width: Option<f64>,
    pub align: Option<Align>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub text: Text,
    pub colspan: u32,
    pub rowspan: u32,
    pub align: Option<Align>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub caption: Option<Text>,
    pub id: Option<Id>,
    pub columns: Vec<Column>,
    /// How many rows at the top are header rows (repeated on every page the table spans).
    pub header_rows: usize,
    pub rows: Vec<Vec<Cell>>,
    /// Filled by [`crate::passes::numbering`]: the table's number as printed after 表 (`3`,
    /// or `2-1` where the layout numbers by chapter); none for an uncaptioned table.
    pub resolved: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The image file as the content names it, relative to the content file.
    pub path: String,
    pub path_origin: Origin,
    /// The image file's path from the project root (`/content/images/a.png`), once the
    /// build has found and checked it.
    pub project_path: Option<String>,
    pub caption: Option<Text>,
    /// A description of the image for readers who cannot see it.
    pub alt: Option<String>,
    pub alt_origin: Origin,
    /// The image's width as a share of the text block's (0 to 1].
    pub width: Option<f64>,
    pub id: Option<Id>,
    /// Filled by [`crate::passes::numbering`], as for tables.
    pub resolved: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Appendix {
    pub title: Text,
    pub id: Option<Id>,
    /// Filled by [`crate::passes::numbering`]: 1 for the first appendix (附录A, 附件1).
    pub resolved: u32,
}

impl Block {
    /// The blocks directly inside this one (a panel's or a quote's body, a list's items).
    pub fn children(&self) -> Vec<&Block> {
        match self {
            Block::Sidebar(sidebar) => sidebar.body.iter().collect(),
            Block::Quote(quote) => quote.body.iter().collect(),
            Block::List(list) => list.items.iter().flatten().collect(),
            _ => Vec::new(),
        }
    }
}
