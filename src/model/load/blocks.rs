//! Blocks as content files write them: a string or a list of runs is a paragraph; a map
//! is a block of the kind its key names (`heading`, `list`, `table`, `figure` …).

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::inline::{Context, IdSeed, TextSeed};
use super::values::{
    AlignValue, Fraction, Level, Nothing, Number, PlainText, RowCount, Span, Start, StyleValue,
    Weight,
};
use super::{KeySeed, missing};
use crate::model::blocks::{
    Appendix, Block, Cell, Column, Figure, Heading, Include, List, ListStyle, Quote, Sidebar,
    Table, Verse,
};
use crate::model::inline::{Origin, Text};
use crate::model::source::TextPath;

const BLOCK_KEYS: &[&str] = &[
    "heading",
    "level",
    "number",
    "numbered",
    "id",
    "sidebar",
    "body",
    "dateline",
    "list",
    "style",
    "start",
    "quote",
    "attribution",
    "verse",
    "title",
    "author",
    "table",
    "widths",
    "align",
    "header",
    "rows",
    "figure",
    "caption",
    "alt",
    "width",
    "divider",
    "pagebreak",
    "appendix",
    "include",
];

/// The keys that say what kind a block is.
const KINDS: &[&str] = &[
    "heading",
    "sidebar",
    "dateline",
    "list",
    "quote",
    "verse",
    "table",
    "figure",
    "divider",
    "pagebreak",
    "appendix",
    "include",
];

/// Where blocks stand, and so which kinds they may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    /// The document's body: every kind.
    Body,
    /// Inside a panel, a quotation or a list item: no headings or appendices, which
    /// would cut the enclosing block in two.
    Inside(&'static str),
}

/// A list of blocks.
pub(super) struct BlocksSeed<'a> {
    pub path: TextPath,
    pub context: &'a Context,
    pub place: Place,
}

impl<'de> DeserializeSeed<'de> for BlocksSeed<'_> {
    type Value = Vec<Block>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Vec<Block>, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for BlocksSeed<'_> {
    type Value = Vec<Block>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of blocks")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Block>, A::Error> {
        let mut blocks = Vec::new();
        while let Some(block) = seq.next_element_seed(BlockSeed {
            path: self.path.index(blocks.len()),
            context: self.context,
            place: self.place,
        })? {
            blocks.push(block);
        }
        if blocks.is_empty() {
            return Err(de::Error::custom("an empty list; expected blocks"));
        }
        Ok(blocks)
    }
}

/// One block.
pub(super) struct BlockSeed<'a> {
    pub path: TextPath,
    pub context: &'a Context,
    pub place: Place,
}

impl<'de> DeserializeSeed<'de> for BlockSeed<'_> {
    type Value = Block;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Block, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl BlockSeed<'_> {
    fn text(&self) -> TextSeed<'_> {
        TextSeed {
            path: self.path.clone(),
            context: self.context,
        }
    }
}

impl<'de> Visitor<'de> for BlockSeed<'_> {
    type Value = Block;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(
            "a block: a paragraph (a string, or a list of runs), or a map with `heading`, \
             `sidebar`, `dateline`, `list`, `quote`, `verse`, `table`, `figure`, `divider`, \
             `pagebreak` or `appendix`",
        )
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Block, E> {
        if v.trim().is_empty() {
            return Err(E::custom("empty paragraph; remove it or give it text"));
        }
        self.text().visit_str(v).map(Block::Paragraph)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Block, E> {
        self.text().visit_i64(v).map(Block::Paragraph)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Block, E> {
        self.text().visit_u64(v).map(Block::Paragraph)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Block, E> {
        self.text().visit_f64(v).map(Block::Paragraph)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Block, E> {
        self.text().visit_bool(v).map(Block::Paragraph)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Block, A::Error> {
        self.text().visit_seq(seq).map(Block::Paragraph)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Block, A::Error> {
        block_map(map, &self)
    }
}

/// Every value a block map may hold; which apply depends on the block's kind.
#[derive(Default)]
struct Fields {
    heading: Option<Text>,
    sidebar: Option<Text>,
    dateline: Option<Text>,
    appendix: Option<Text>,
    list: Option<Vec<Vec<Block>>>,
    quote: Option<Vec<Block>>,
    verse: Option<Vec<Vec<Text>>>,
    table: Option<Option<Text>>,
    figure: Option<(String, Origin)>,
    level: Option<u8>,
    number: Option<u32>,
    numbered: Option<bool>,
    id: Option<crate::model::Id>,
    body: Option<Vec<Block>>,
    style: Option<ListStyle>,
    start: Option<u32>,
    attribution: Option<Text>,
    title: Option<Text>,
    author: Option<Text>,
    widths: Option<Vec<f64>>,
    align: Option<Vec<crate::model::Align>>,
    header: Option<usize>,
    rows: Option<Vec<Vec<Cell>>>,
    caption: Option<Text>,
    alt: Option<(String, Origin)>,
    width: Option<f64>,
    include: Option<(String, Origin)>,
}

fn block_map<'de, A: MapAccess<'de>>(mut map: A, seed: &BlockSeed) -> Result<Block, A::Error> {
    let context = seed.context;
    let mut seen = Vec::new();
    let mut fields = Fields::default();
    let what = "a block";
    while let Some(key) = map.next_key_seed(KeySeed {
        allowed: BLOCK_KEYS,
        seen: &mut seen,
        context: what,
    })? {
        let path = seed.path.key(key);
        let text = || TextSeed {
            path: path.clone(),
            context,
        };
        let inside = |name| BlocksSeed {
            path: path.clone(),
            context,
            place: Place::Inside(name),
        };
        match key {
            "heading" => fields.heading = Some(map.next_value_seed(text())?),
            "sidebar" => fields.sidebar = Some(map.next_value_seed(text())?),
            "dateline" => fields.dateline = Some(map.next_value_seed(text())?),
            "appendix" => fields.appendix = Some(map.next_value_seed(text())?),
            "attribution" => fields.attribution = Some(map.next_value_seed(text())?),
            "title" => fields.title = Some(map.next_value_seed(text())?),
            "author" => fields.author = Some(map.next_value_seed(text())?),
            "caption" => fields.caption = Some(map.next_value_seed(text())?),
            "table" => {
                fields.table = Some(map.next_value_seed(OptionalText(text()))?);
            }
            "list" => {
                fields.list = Some(map.next_value_seed(ItemsSeed {
                    path: path.clone(),
                    context,
                })?)
            }
            "quote" => fields.quote = Some(map.next_value_seed(QuoteSeed(inside("a quotation")))?),
            "body" => fields.body = Some(map.next_value_seed(inside("a panel"))?),
            "verse" => fields.verse = Some(map.next_value_seed(VerseSeed(text()))?),
            "figure" => {
                let PlainText(file) = map.next_value()?;
                fields.figure = Some((file, Origin::at(path)));
            }
            "alt" => {
                let PlainText(alt) = map.next_value()?;
                fields.alt = Some((alt, Origin::at(path)));
            }
            "include" => {
                let PlainText(file) = map.next_value()?;
                fields.include = Some((file, Origin::at(path)));
            }
            "divider" | "pagebreak" => {
                let Nothing = map.next_value()?;
            }
            "level" => fields.level = Some(map.next_value::<Level>()?.0),
            "number" => fields.number = Some(map.next_value::<Number>()?.0),
            "numbered" => fields.numbered = Some(map.next_value::<bool>()?),
            "id" => fields.id = Some(map.next_value_seed(IdSeed { path })?),
            "style" => fields.style = Some(map.next_value::<StyleValue>()?.0),
            "start" => fields.start = Some(map.next_value::<Start>()?.0),
            "widths" => {
                let Weights(widths) = map.next_value()?;
                fields.widths = Some(widths);
            }
            "align" => {
                let Aligns(align) = map.next_value()?;
                fields.align = Some(align);
            }
            "header" => fields.header = Some(map.next_value::<RowCount>()?.0),
            "rows" => {
                fields.rows = Some(map.next_value_seed(RowsSeed {
                    path: path.clone(),
                    context,
                })?)
            }
            "width" => fields.width = Some(map.next_value::<Fraction>()?.0),
            _ => unreachable!("KeySeed only yields allowed keys"),
        }
    }
    let kinds: Vec<&str> = KINDS.iter().copied().filter(|k| seen.contains(k)).collect();
    let [kind] = kinds[..] else {
        return Err(de::Error::custom(if kinds.is_empty() {
            "a block map needs one of `heading`, `sidebar`, `dateline`, `list`, `quote`, \
             `verse`, `table`, `figure`, `divider`, `pagebreak`, `appendix` or `include`"
                .to_owned()
        } else {
            format!(
                "a block can be only one kind, but this one has {}",
                kinds
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            )
        }));
    };
    let allowed: &[&str] = match kind {
        "heading" => &["level", "number", "numbered", "id"],
        "sidebar" => &["number", "body"],
        "list" => &["style", "start"],
        "quote" => &["attribution"],
        "verse" => &["title", "author"],
        "table" => &["id", "widths", "align", "header", "rows"],
        "figure" => &["id", "caption", "alt", "width"],
        "appendix" => &["id"],
        _ => &[],
    };
    if let Some(stray) = seen.iter().find(|k| **k != kind && !allowed.contains(k)) {
        return Err(de::Error::custom(format!(
            "`{stray}` does not apply to a {kind}{}",
            if allowed.is_empty() {
                String::new()
            } else {
                format!(
                    " (it takes {})",
                    allowed
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        )));
    }
    if let (Place::Inside(where_), "heading" | "appendix") = (seed.place, kind) {
        return Err(de::Error::custom(format!(
            "{where_} cannot hold a {kind}: it would cut it in two; end it before the {kind}"
        )));
    }
    if let (Place::Inside(where_), "include") = (seed.place, kind) {
        return Err(de::Error::custom(format!(
            "{where_} cannot hold an `include`: a file is included among the body's blocks"
        )));
    }
    Ok(match kind {
        "heading" => {
            if fields.numbered == Some(false) && fields.number.is_some() {
                return Err(de::Error::custom(
                    "`number` does not apply to a heading with `numbered: false`",
                ));
            }
            Block::Heading(Heading {
                text: fields.heading.expect("seen"),
                level: fields.level.unwrap_or(1),
                numbered: fields.numbered.unwrap_or(true),
                number: fields.number,
                id: fields.id,
                resolved: Vec::new(),
            })
        }
        "sidebar" => Block::Sidebar(Sidebar {
            title: fields.sidebar.expect("seen"),
            number: fields.number,
            body: fields
                .body
                .ok_or_else(|| de::Error::custom(missing("body", "a sidebar")))?,
            resolved: 0,
        }),
        "dateline" => Block::Dateline(fields.dateline.expect("seen")),
        "appendix" => Block::Appendix(Appendix {
            title: fields.appendix.expect("seen"),
            id: fields.id,
            resolved: 0,
        }),
        "list" => {
            let style = fields.style.unwrap_or(ListStyle::Bullet);
            if style == ListStyle::Bullet && fields.start.is_some() {
                return Err(de::Error::custom(
                    "`start` does not apply to a bulleted list; give it a `style` such as 1. or （1）",
                ));
            }
            Block::List(List {
                style,
                start: fields.start,
                items: fields.list.expect("seen"),
                labels: Vec::new(),
            })
        }
        "quote" => Block::Quote(Quote {
            body: fields.quote.expect("seen"),
            attribution: fields.attribution,
        }),
        "verse" => Block::Verse(Verse {
            title: fields.title,
            author: fields.author,
            stanzas: fields.verse.expect("seen"),
        }),
        "table" => table(fields)?,
        "figure" => {
            let (path, path_origin) = fields.figure.expect("seen");
            let (alt, alt_origin) = match fields.alt {
                Some((alt, origin)) => (Some(alt), origin),
                None => (None, Origin::default()),
            };
            Block::Figure(Figure {
                path,
                path_origin,
                project_path: None,
                caption: fields.caption,
                alt,
                alt_origin,
                width: fields.width,
                id: fields.id,
                resolved: None,
            })
        }
        "divider" => Block::Divider,
        "include" => {
            let (path, origin) = fields.include.expect("seen");
            Block::Include(Include { path, origin })
        }
        _ => Block::PageBreak,
    })
}

/// A table from its fields: the rows must fit the columns, counting spans.
fn table<E: de::Error>(fields: Fields) -> Result<Block, E> {
    let rows = fields
        .rows
        .ok_or_else(|| E::custom(missing("rows", "a table")))?;
    let columns = table_columns(&rows);
    let widths = fields.widths.unwrap_or_default();
    let align = fields.align.unwrap_or_default();
    for (what, count) in [("widths", widths.len()), ("align", align.len())] {
        if count != 0 && count != columns {
            return Err(E::custom(format!(
                "`{what}` gives {count} columns, but the rows have {columns}"
            )));
        }
    }
    let header_rows = fields.header.unwrap_or(0);
    if header_rows > rows.len() {
        return Err(E::custom(format!(
            "`header: {header_rows}` asks for more header rows than the table's {}",
            rows.len()
        )));
    }
    Ok(Block::Table(Table {
        caption: fields.table.flatten(),
        id: fields.id,
        columns: (0..columns)
            .map(|i| Column {
                width: widths.get(i).copied(),
                align: align.get(i).copied(),
            })
            .collect(),
        header_rows,
        rows,
        resolved: None,
    }))
}

/// How many columns `rows` make: the widest row, counting column spans and the cells that
/// rows above reach down into.
fn table_columns(rows: &[Vec<Cell>]) -> usize {
    // For each column, how many more rows a cell above still covers.
    let mut covered: Vec<u32> = Vec::new();
    let mut widest = 0;
    for row in rows {
        let mut column = 0;
        for cell in row {
            while covered.get(column).is_some_and(|&n| n > 0) {
                column += 1;
            }
            let span = cell.colspan as usize;
            if covered.len() < column + span {
                covered.resize(column + span, 0);
            }
            for slot in &mut covered[column..column + span] {
                *slot = cell.rowspan;
            }
            column += span;
        }
        while covered.get(column).is_some_and(|&n| n > 0) {
            column += 1;
        }
        widest = widest.max(column);
        for slot in &mut covered {
            *slot = slot.saturating_sub(1);
        }
    }
    widest
}

/// A table's caption, or nothing (`- table:` alone).
struct OptionalText<'a>(TextSeed<'a>);

impl<'de> DeserializeSeed<'de> for OptionalText<'_> {
    type Value = Option<Text>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<Text>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for OptionalText<'_> {
    type Value = Option<Text>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a caption, or nothing")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<Text>, E> {
        Ok(None)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<Text>, E> {
        self.0.visit_str(v).map(Some)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Option<Text>, E> {
        self.0.visit_i64(v).map(Some)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<Text>, E> {
        self.0.visit_u64(v).map(Some)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Option<Text>, E> {
        self.0.visit_f64(v).map(Some)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Option<Text>, A::Error> {
        self.0.visit_seq(seq).map(Some)
    }
}

/// A list's items: each is text (one paragraph) or `{body: [blocks]}`.
struct ItemsSeed<'a> {
    path: TextPath,
    context: &'a Context,
}

impl<'de> DeserializeSeed<'de> for ItemsSeed<'_> {
    type Value = Vec<Vec<Block>>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ItemsSeed<'_> {
    type Value = Vec<Vec<Block>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of items")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(ItemSeed {
            path: self.path.index(items.len()),
            context: self.context,
        })? {
            items.push(item);
        }
        if items.is_empty() {
            return Err(de::Error::custom("a list without items"));
        }
        Ok(items)
    }
}

struct ItemSeed<'a> {
    path: TextPath,
    context: &'a Context,
}

impl ItemSeed<'_> {
    fn paragraph<E>(&self, text: Result<Text, E>) -> Result<Vec<Block>, E> {
        text.map(|text| vec![Block::Paragraph(text)])
    }

    fn text(&self) -> TextSeed<'_> {
        TextSeed {
            path: self.path.clone(),
            context: self.context,
        }
    }
}

impl<'de> DeserializeSeed<'de> for ItemSeed<'_> {
    type Value = Vec<Block>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<Block>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ItemSeed<'_> {
    type Value = Vec<Block>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list item: text, or a map with `body` (a list of blocks)")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<Block>, E> {
        self.paragraph(self.text().visit_str(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Vec<Block>, E> {
        self.paragraph(self.text().visit_i64(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Vec<Block>, E> {
        self.paragraph(self.text().visit_u64(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Vec<Block>, E> {
        self.paragraph(self.text().visit_f64(v))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Vec<Block>, E> {
        self.paragraph(self.text().visit_bool(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Vec<Block>, A::Error> {
        self.paragraph(self.text().visit_seq(seq))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<Block>, A::Error> {
        let mut seen = Vec::new();
        let mut body = None;
        while let Some(key) = map.next_key_seed(KeySeed {
            allowed: &["body"],
            seen: &mut seen,
            context: "a list item (an item of several blocks is a map with `body`)",
        })? {
            debug_assert_eq!(key, "body");
            body = Some(map.next_value_seed(BlocksSeed {
                path: self.path.key("body"),
                context: self.context,
                place: Place::Inside("a list item"),
            })?);
        }
        body.ok_or_else(|| de::Error::custom(missing("body", "a list item")))
    }
}

/// A quotation: text (one paragraph) or a list of blocks.
struct QuoteSeed<'a>(BlocksSeed<'a>);

impl<'de> DeserializeSeed<'de> for QuoteSeed<'_> {
    type Value = Vec<Block>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<Block>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for QuoteSeed<'_> {
    type Value = Vec<Block>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a quotation: text (one paragraph) or a list of blocks")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<Block>, E> {
        let text = TextSeed {
            path: self.0.path.clone(),
            context: self.0.context,
        }
        .visit_str(v)?;
        Ok(vec![Block::Paragraph(text)])
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Vec<Block>, A::Error> {
        self.0.visit_seq(seq)
    }
}

/// Verse: its lines, each text; an empty line (`""` or `~`) separates stanzas.
struct VerseSeed<'a>(TextSeed<'a>);

impl<'de> DeserializeSeed<'de> for VerseSeed<'_> {
    type Value = Vec<Vec<Text>>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for VerseSeed<'_> {
    type Value = Vec<Vec<Text>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the lines of the verse, an empty line between stanzas")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut stanzas = vec![Vec::new()];
        let mut index = 0;
        while let Some(line) = seq.next_element_seed(LineSeed(TextSeed {
            path: self.0.path.index(index),
            context: self.0.context,
        }))? {
            index += 1;
            match line {
                Some(line) => stanzas.last_mut().expect("one stanza").push(line),
                None if stanzas.last().is_some_and(|s| !s.is_empty()) => stanzas.push(Vec::new()),
                None => {}
            }
        }
        stanzas.retain(|s| !s.is_empty());
        if stanzas.is_empty() {
            return Err(de::Error::custom("verse without lines"));
        }
        Ok(stanzas)
    }
}

/// One line of verse, or `None` for a stanza break.
struct LineSeed<'a>(TextSeed<'a>);

impl<'de> DeserializeSeed<'de> for LineSeed<'_> {
    type Value = Option<Text>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<Text>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for LineSeed<'_> {
    type Value = Option<Text>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a line of verse, or an empty line between stanzas")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<Text>, E> {
        Ok(None)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<Text>, E> {
        if v.trim().is_empty() {
            return Ok(None);
        }
        self.0.visit_str(v).map(Some)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Option<Text>, E> {
        self.0.visit_i64(v).map(Some)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<Text>, E> {
        self.0.visit_u64(v).map(Some)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Option<Text>, E> {
        self.0.visit_f64(v).map(Some)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Option<Text>, A::Error> {
        self.0.visit_seq(seq).map(Some)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<Text>, A::Error> {
        self.0.visit_map(map).map(Some)
    }
}

/// A table's rows, each a list of cells.
struct RowsSeed<'a> {
    path: TextPath,
    context: &'a Context,
}

impl<'de> DeserializeSeed<'de> for RowsSeed<'_> {
    type Value = Vec<Vec<Cell>>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for RowsSeed<'_> {
    type Value = Vec<Vec<Cell>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of rows, each a list of cells")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut rows = Vec::new();
        while let Some(row) = seq.next_element_seed(RowSeed {
            path: self.path.index(rows.len()),
            context: self.context,
        })? {
            rows.push(row);
        }
        if rows.is_empty() {
            return Err(de::Error::custom("a table without rows"));
        }
        Ok(rows)
    }
}

struct RowSeed<'a> {
    path: TextPath,
    context: &'a Context,
}

impl<'de> DeserializeSeed<'de> for RowSeed<'_> {
    type Value = Vec<Cell>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<Cell>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for RowSeed<'_> {
    type Value = Vec<Cell>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a row: a list of cells")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Cell>, A::Error> {
        let mut cells = Vec::new();
        while let Some(cell) = seq.next_element_seed(CellSeed {
            path: self.path.index(cells.len()),
            context: self.context,
        })? {
            cells.push(cell);
        }
        if cells.is_empty() {
            return Err(de::Error::custom("a row without cells"));
        }
        Ok(cells)
    }
}

/// A cell: text, or `{text: …, colspan:, rowspan:, align:}`. An empty cell is `""` or `~`.
struct CellSeed<'a> {
    path: TextPath,
    context: &'a Context,
}

impl CellSeed<'_> {
    fn cell<E>(text: Result<Text, E>) -> Result<Cell, E> {
        text.map(|text| Cell {
            text,
            colspan: 1,
            rowspan: 1,
            align: None,
        })
    }

    fn text(&self) -> TextSeed<'_> {
        TextSeed {
            path: self.path.clone(),
            context: self.context,
        }
    }
}

impl<'de> DeserializeSeed<'de> for CellSeed<'_> {
    type Value = Cell;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Cell, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for CellSeed<'_> {
    type Value = Cell;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a cell: text, or a map with `text` and `colspan`, `rowspan`, `align`")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Cell, E> {
        Self::cell(Ok(Text::default()))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Cell, E> {
        if v.is_empty() {
            return self.visit_unit();
        }
        Self::cell(self.text().visit_str(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Cell, E> {
        Self::cell(self.text().visit_i64(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Cell, E> {
        Self::cell(self.text().visit_u64(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Cell, E> {
        Self::cell(self.text().visit_f64(v))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Cell, E> {
        Self::cell(self.text().visit_bool(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Cell, A::Error> {
        Self::cell(self.text().visit_seq(seq))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Cell, A::Error> {
        let mut seen = Vec::new();
        let mut cell = Cell {
            text: Text::default(),
            colspan: 1,
            rowspan: 1,
            align: None,
        };
        while let Some(key) = map.next_key_seed(KeySeed {
            allowed: &["text", "colspan", "rowspan", "align"],
            seen: &mut seen,
            context: "a cell (a styled run in a cell is written as a list: [{strong: …}])",
        })? {
            match key {
                "text" => {
                    cell.text = map
                        .next_value_seed(OptionalText(TextSeed {
                            path: self.path.key("text"),
                            context: self.context,
                        }))?
                        .unwrap_or_default()
                }
                "colspan" => cell.colspan = map.next_value::<Span>()?.0,
                "rowspan" => cell.rowspan = map.next_value::<Span>()?.0,
                _ => cell.align = Some(map.next_value::<AlignValue>()?.0),
            }
        }
        Ok(cell)
    }
}

struct Weights(Vec<f64>);

impl<'de> serde::Deserialize<'de> for Weights {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::<Weight>::deserialize(d).map(|w| Weights(w.into_iter().map(|w| w.0).collect()))
    }
}

struct Aligns(Vec<crate::model::Align>);

impl<'de> serde::Deserialize<'de> for Aligns {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::<AlignValue>::deserialize(d).map(|a| Aligns(a.into_iter().map(|a| a.0).collect()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(colspan: u32, rowspan: u32) -> Cell {
        Cell {
            text: Text::default(),
            colspan,
            rowspan,
            align: None,
        }
    }

    #[test]
    fn columns_count_spans_both_ways() {
        assert_eq!(table_columns(&[vec![cell(1, 1), cell(2, 1)]]), 3);
        // A cell two rows tall leaves its column taken in the row below.
        assert_eq!(
            table_columns(&[vec![cell(1, 2), cell(1, 1)], vec![cell(1, 1)]]),
            2
        );
        assert_eq!(
            table_columns(&[
                vec![cell(1, 1), cell(1, 1)],
                vec![cell(1, 1), cell(1, 1), cell(1, 1)]
            ]),
            3
        );
    }
}
