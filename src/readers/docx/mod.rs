//! Word (.docx): paragraphs and their formatting, headings from heading styles and outline
//! levels, lists and heading numbers from numbering definitions, tables with merged cells,
//! footnotes and endnotes, images with their captions, 专栏 panels (a text box or a
//! one-cell table that starts with 专栏N), tracked changes as accepted, and the document's
//! properties. What the model cannot carry (equations, charts, comments …) is dropped
//! with a warning naming the paragraph it stood in.

mod package;
mod styles;
mod xml;

use std::collections::HashMap;

use roxmltree::Node;

use self::package::{MAX_MEDIA_BYTES, Package, Relationship, parse};
use self::styles::{Numbering, RunProps, Styles, Vert, heading_level_of_name, list_style};
use self::xml::{all_text, attr, child, descendants, is_on, val};
use super::{
    CaptionKind, Image, Imported, Options, caption_label, drop_leading_chars, excerpt,
    heading_number, panel_title, push_text, trim_text,
};
use crate::diag::Diagnostic;
use crate::model::{
    Block, Cell, Column, Date, Figure, Heading, Inline, LanguageTag, Link, List, ListStyle, Note,
    Origin, Run, Sidebar, Table, Text,
};

/// Reads a .docx; `name` names it in messages.
pub fn import(bytes: &[u8], name: &str, options: &Options) -> Result<Imported, Diagnostic> {
    let mut package = Package::open(name, bytes.to_vec())?;
    let main = package
        .main_part()
        .unwrap_or_else(|| "word/document.xml".to_owned());
    let rels = package.relationships(&main)?;
    let part_of = |kind: &str| {
        rels.values()
            .find(|r| !r.external && r.kind.ends_with(kind))
            .map(|r| r.target.clone())
    };
    let parts = [
        "/styles",
        "/numbering",
        "/footnotes",
        "/endnotes",
        "/comments",
    ]
    .map(part_of);
    let [
        styles_part,
        numbering_part,
        footnotes_part,
        endnotes_part,
        comments_part,
    ] = parts;
    let load = |package: &mut Package, part: &Option<String>| match part {
        Some(part) => package.xml(part),
        None => Ok(None),
    };
    let styles_text = load(&mut package, &styles_part)?;
    let numbering_text = load(&mut package, &numbering_part)?;
    let footnotes_text = load(&mut package, &footnotes_part)?;
    let endnotes_text = load(&mut package, &endnotes_part)?;
    let comments_text = load(&mut package, &comments_part)?;
    let core_text = package.xml("docProps/core.xml")?;
    let main_text = package.xml(&main)?.ok_or_else(|| {
        Diagnostic::error(name, format!("the document part {main} is missing")).with_code("input")
    })?;

    let styles = match (&styles_text, &styles_part) {
        (Some(text), Some(part)) => Styles::read(parse(name, part, text)?.root_element()),
        _ => Styles::default(),
    };
    let numbering = match (&numbering_text, &numbering_part) {
        (Some(text), Some(part)) => Numbering::read(parse(name, part, text)?.root_element()),
        _ => Numbering::default(),
    };
    let mut reader = Reader {
        name,
        package,
        styles,
        numbering,
        rels: HashMap::new(),
        notes: HashMap::new(),
        options,
        warnings: Vec::new(),
        images: Vec::new(),
        paragraphs: 0,
        place: String::new(),
        issues: Vec::new(),
        tracked: false,
        comments: 0,
        toc_reported: false,
        join_next: false,
        title: None,
        subtitle: None,
        authors: Vec::new(),
        date: None,
    };
    // Notes first: the body's references take them in.
    for (kind, text, part) in [
        ("footnote", &footnotes_text, &footnotes_part),
        ("endnote", &endnotes_text, &endnotes_part),
    ] {
        if let (Some(text), Some(part)) = (text, part) {
            let document = parse(name, part, text)?;
            reader.rels = reader.package.relationships(part)?;
            reader.read_notes(kind, document.root_element());
        }
    }
    reader.rels = rels;
    reader.place = String::new();
    reader.paragraphs = 0;
    let document = parse(name, &main, &main_text)?;
    let body = child(document.root_element(), "body").ok_or_else(|| {
        Diagnostic::error(name, format!("{main}: no w:body: not a Word document"))
            .with_code("input")
    })?;
    let body = reader.blocks(body);
    let body = super::loose_panels_and_datelines(body, &mut |_, message| reader.warn(message));

    // Comments are reported where they are anchored; any the text never refers to, here.
    if let Some(text) = &comments_text
        && let Some(part) = &comments_part
    {
        let count = descendants(parse(name, part, text)?.root_element(), "comment").count();
        if count > reader.comments {
            reader.warn(format!(
                "{} comment(s) anchored nowhere in the text dropped",
                count - reader.comments
            ));
        }
    }
    if reader.tracked {
        reader.warn(
            "the document has tracked changes: imported as if all were accepted (insertions \
             kept, deletions dropped)"
                .to_owned(),
        );
    }
    let core = match &core_text {
        Some(text) => Core::read(&parse(name, "docProps/core.xml", text)?),
        None => Core::default(),
    };
    if body.is_empty() {
        return Err(
            Diagnostic::error(name, "the document has no text: nothing to import")
                .with_code("input"),
        );
    }
    if options.title.as_ref().is_some_and(|t| t.trim().is_empty()) {
        return Err(Diagnostic::error(name, "the title given is empty"));
    }
    let title = match options
        .title
        .clone()
        .or(core.title.clone())
        .or(reader.title.clone())
    {
        Some(title) => title,
        None => {
            let stem = std::path::Path::new(name)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "untitled".to_owned());
            reader.warn(format!(
                "the document names no title (no title property, no Title-styled paragraph); \
                 using `{stem}` (set one with --title)"
            ));
            stem
        }
    };
    let mut document = super::new_document(title, body);
    document.subtitle = reader.subtitle.clone();
    // What the page shows comes before the properties (a converter stamps `created` with
    // the day it ran).
    document.authors = match reader.authors.is_empty() {
        true => core.creator.into_iter().collect(),
        false => std::mem::take(&mut reader.authors),
    };
    document.date = reader.date.or(core.created);
    let language = core.language.or(reader.styles.language.clone());
    if let Some(language) = language {
        match LanguageTag::parse(&language) {
            // LibreOffice writes the user interface's language, not the text's: a mostly
            // Chinese text labelled English is taken as Chinese.
            Some(tag) if looks_chinese(&document) && !tag.as_str().starts_with("zh") => {
                reader.warn(format!(
                    "the document says its language is {language}, but its text is mostly \
                     Chinese: kept {}",
                    document.lang.as_str()
                ));
            }
            Some(tag) => document.lang = tag,
            None => reader.warn(format!(
                "the document's language `{language}` is no language tag: ignored"
            )),
        }
    }
    Ok(Imported {
        document,
        warnings: reader.warnings,
        images: reader.images,
    })
}

/// Whether Han characters outnumber Latin letters in the title and the body.
fn looks_chinese(document: &crate::model::Document) -> bool {
    let mut han = 0usize;
    let mut latin = 0usize;
    let texts = document
        .walk()
        .flat_map(crate::model::own_texts)
        .map(Text::to_plain)
        .chain([document.title.clone()]);
    for text in texts {
        for c in text.chars() {
            if ('\u{4e00}'..='\u{9fff}').contains(&c) {
                han += 1;
            } else if c.is_ascii_alphabetic() {
                latin += 1;
            }
        }
    }
    han > latin
}

/// docProps/core.xml: the Dublin Core properties Word keeps.
#[derive(Default)]
struct Core {
    title: Option<String>,
    creator: Option<String>,
    created: Option<Date>,
    language: Option<String>,
}

impl Core {
    fn read(document: &roxmltree::Document) -> Self {
        let text = |local: &str| {
            document
                .root_element()
                .children()
                .find(|n| n.is_element() && n.tag_name().name() == local)
                .and_then(|n| n.text())
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
        };
        Self {
            title: text("title"),
            creator: text("creator"),
            created: text("created").and_then(|d| {
                d.get(..10)
                    .and_then(Date::parse)
                    .or_else(|| Date::parse(&d))
            }),
            language: text("language"),
        }
    }
}

struct Reader<'a> {
    name: &'a str,
    package: Package,
    styles: Styles,
    numbering: Numbering,
    /// The relationships of the part being read.
    rels: HashMap<String, Relationship>,
    /// Footnotes and endnotes by kind and id.
    notes: HashMap<(&'static str, String), Vec<Inline>>,
    options: &'a Options,
    warnings: Vec<Diagnostic>,
    images: Vec<Image>,
    /// Paragraphs read so far, to name one in a warning.
    paragraphs: usize,
    /// Where the paragraphs being read are, for warnings (`footnote 2, `).
    place: String,
    /// What the paragraph being read drops or guesses; reported once its text is known.
    issues: Vec<String>,
    tracked: bool,
    comments: usize,
    toc_reported: bool,
    /// The paragraph read last had its mark deleted: the next one continues it.
    join_next: bool,
    title: Option<String>,
    subtitle: Option<String>,
    /// Author- and Date-styled paragraphs (pandoc's title block).
    authors: Vec<String>,
    date: Option<Date>,
}

/// Formatting of a piece of a paragraph.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Format {
    strong: bool,
    emphasis: bool,
    underline: bool,
    strike: bool,
    vert: Option<Vert>,
    code: bool,
}

impl Format {
    fn of(props: RunProps) -> Self {
        Self {
            strong: props.bold == Some(true),
            emphasis: props.italic == Some(true) || props.emphasis_mark == Some(true),
            underline: props.underline == Some(true),
            strike: props.strike == Some(true),
            vert: props.vert.filter(|v| *v != Vert::Baseline),
            code: props.code,
        }
    }
}

/// A piece of a paragraph: text, or an inline already made (a note, a link), with its
/// formatting.
enum Piece {
    Text(String, Format),
    Inline(Inline, Format),
}

impl Piece {
    fn format(&self) -> Format {
        match self {
            Piece::Text(_, f) | Piece::Inline(_, f) => *f,
        }
    }
}

/// Nests pieces in Strong, Emphasis, Underline, Strike, Superscript/Subscript and Code,
/// outermost first, so neighbouring runs with the same formatting (split by spell-check or
/// revisions) share one.
fn build(pieces: Vec<Piece>) -> Vec<Inline> {
    const CODE: u8 = 5;
    fn layer(pieces: Vec<Piece>, depth: u8) -> Vec<Inline> {
        let key = |f: Format| match depth {
            0 => f.strong as u8,
            1 => f.emphasis as u8,
            2 => f.underline as u8,
            3 => f.strike as u8,
            4 => match f.vert {
                Some(Vert::Super) => 1,
                Some(Vert::Sub) => 2,
                _ => 0,
            },
            _ => f.code as u8,
        };
        if depth > CODE {
            let mut out = Vec::new();
            for piece in pieces {
                match piece {
                    Piece::Text(text, _) => push_text(&mut out, &text),
                    Piece::Inline(inline, _) => out.push(inline),
                }
            }
            return out;
        }
        let mut out = Vec::new();
        let mut group: Vec<Piece> = Vec::new();
        let flush = |group: Vec<Piece>, out: &mut Vec<Inline>| {
            let Some(first) = group.first() else { return };
            let k = key(first.format());
            if depth == CODE && k == 1 {
                // Code holds literal text only.
                let mut text = String::new();
                let mut rest = Vec::new();
                for piece in group {
                    match piece {
                        Piece::Text(t, _) => text.push_str(&t),
                        Piece::Inline(inline, _) => rest.push(inline),
                    }
                }
                out.push(Inline::Code(Run::new(text, Origin::default())));
                out.extend(rest);
                return;
            }
            let inner = layer(group, depth + 1);
            match (depth, k) {
                (_, 0) | (CODE, _) => {
                    for inline in inner {
                        match inline {
                            Inline::Text(run) => push_text(out, &run.text),
                            other => out.push(other),
                        }
                    }
                }
                (0, _) => out.push(Inline::Strong(inner)),
                (1, _) => out.push(Inline::Emphasis(inner)),
                (2, _) => out.push(Inline::Underline(inner)),
                (3, _) => out.push(Inline::Strike(inner)),
                (_, 1) => out.push(Inline::Superscript(inner)),
                _ => out.push(Inline::Subscript(inner)),
            }
        };
        for piece in pieces {
            if let Some(last) = group.last()
                && key(last.format()) != key(piece.format())
            {
                flush(std::mem::take(&mut group), &mut out);
            }
            group.push(piece);
        }
        flush(group, &mut out);
        out
    }
    layer(pieces, 0)
}

/// A paragraph as read: its inlines, and the blocks it carries (images, text boxes).
struct Para {
    inlines: Vec<Inline>,
    after: Vec<Block>,
    page_break: bool,
}

/// A numbered or bulleted paragraph, before items are gathered into lists.
struct Entry {
    num_id: String,
    ilvl: u8,
    style: ListStyle,
    number: u32,
    blocks: Vec<Block>,
}

enum Item {
    Block(Box<Block>),
    /// A block of a paragraph with a border: Word draws one box around a run of them.
    Framed(Box<Block>),
    Entry(Entry),
}

impl Reader<'_> {
    fn warn(&mut self, message: String) {
        self.warnings
            .push(Diagnostic::warning(self.name, message).with_code("import"));
    }

    /// Reports the issues of paragraph `index`, naming it by its first characters.
    fn report(&mut self, index: usize, text: &str, issues: Vec<String>) {
        for issue in issues {
            let at = if text.trim().is_empty() {
                format!("{}paragraph {index}", self.place)
            } else {
                format!("{}paragraph {index} “{}”", self.place, excerpt(text))
            };
            self.warn(format!("{at}: {issue}"));
        }
    }

    fn read_notes(&mut self, kind: &'static str, root: Node) {
        for note in root.children().filter(|n| n.tag_name().name() == kind) {
            let Some(id) = attr(note, "id") else { continue };
            // The separator lines above the notes are Word's furniture, not notes.
            if matches!(
                attr(note, "type"),
                Some("separator" | "continuationSeparator" | "continuationNotice")
            ) {
                continue;
            }
            self.place = format!("{kind} {id}, ");
            // A note's paragraphs are counted within the note.
            self.paragraphs = 0;
            let mut blocks = self.blocks(note);
            // Word prints a note's mark itself; one typed as text (a converter copies the
            // mark an EPUB or HTML note shows) would print twice.
            if let Some(Block::Paragraph(first)) = blocks.first_mut()
                && let Some(mark) = typed_note_mark(&first.to_plain())
            {
                drop_leading_chars(first, mark.chars().count());
                trim_text(first);
                self.warn(format!(
                    "{kind} {id}: the mark “{}” typed before its text dropped: the note is \
                     numbered when printed",
                    mark.trim()
                ));
            }
            let mut content = Vec::new();
            for text in blocks_text(&blocks) {
                if !content.is_empty() {
                    push_text(&mut content, "\n");
                }
                content.extend(text.0);
            }
            if blocks.iter().any(|b| !matches!(b, Block::Paragraph(_))) {
                self.warn(format!(
                    "{kind} {id}: a note holds text only; its table, list or image is kept as \
                     text or dropped"
                ));
            }
            self.notes.insert((kind, id.to_owned()), content);
        }
    }

    /// The blocks of a body, a table cell, a text box or a note.
    fn blocks(&mut self, container: Node) -> Vec<Block> {
        let mut items = Vec::new();
        // A deleted mark joins paragraphs of one container only.
        let join_next = std::mem::take(&mut self.join_next);
        self.block_items(container, &mut items);
        self.join_next = join_next;
        let blocks = gather_lists(items);
        self.captions(blocks)
    }

    fn block_items(&mut self, container: Node, items: &mut Vec<Item>) {
        for node in container.children().filter(|n| n.is_element()) {
            match node.tag_name().name() {
                "p" => self.paragraph(node, items),
                "tbl" => {
                    let block = self.table(node);
                    items.push(Item::Block(Box::new(block)));
                }
                "sdt" => {
                    let gallery = descendants(node, "docPartGallery")
                        .next()
                        .and_then(val)
                        .unwrap_or_default();
                    if gallery.contains("Table of Contents") {
                        self.warn(format!(
                            "{}a table of contents dropped: paiban makes its own",
                            self.place
                        ));
                    } else if let Some(content) = child(node, "sdtContent") {
                        self.block_items(content, items);
                    }
                }
                "customXml" | "ins" | "moveTo" => self.block_items(node, items),
                "del" | "moveFrom" => self.tracked = true,
                "AlternateContent" => {
                    if let Some(choice) = child(node, "Choice") {
                        self.block_items(choice, items);
                    }
                }
                "sectPr" | "bookmarkStart" | "bookmarkEnd" | "proofErr" | "permStart"
                | "permEnd" | "commentRangeStart" | "commentRangeEnd" | "moveFromRangeStart"
                | "moveFromRangeEnd" | "moveToRangeStart" | "moveToRangeEnd" | "tblPr" | "tcPr"
                | "trPr" => {}
                other => {
                    let text = all_text(node);
                    if !text.trim().is_empty() {
                        self.warn(format!(
                            "{}a `{other}` element dropped, with its text “{}”",
                            self.place,
                            excerpt(&text)
                        ));
                    }
                }
            }
        }
    }

    fn paragraph(&mut self, node: Node, items: &mut Vec<Item>) {
        self.paragraphs += 1;
        let index = self.paragraphs;
        let saved = std::mem::take(&mut self.issues);
        let ppr = child(node, "pPr");
        let style_id = ppr
            .and_then(|p| child(p, "pStyle"))
            .and_then(val)
            .map(str::to_owned)
            .or(self.styles.default_paragraph.clone());
        let style = style_id
            .as_deref()
            .and_then(|id| self.styles.get(id))
            .cloned()
            .unwrap_or_default();
        let mark = ppr.and_then(|p| child(p, "rPr"));
        // A deleted paragraph mark: accepted, this paragraph and the next are one.
        let mark_deleted = mark.is_some_and(|r| child(r, "del").is_some());
        if mark_deleted
            || mark.is_some_and(|r| child(r, "ins").is_some())
            || ppr.is_some_and(|p| child(p, "pPrChange").is_some())
        {
            self.tracked = true;
        }
        let joins_previous = std::mem::replace(&mut self.join_next, mark_deleted);
        let outline = ppr
            .and_then(|p| child(p, "outlineLvl"))
            .and_then(val)
            .and_then(|v| v.parse::<u8>().ok())
            .or(style.outline_level)
            .filter(|&l| l < 9)
            .map(|l| l + 1);
        let level = heading_level_of_name(&style.name).or(outline);
        // pandoc's captions are "Image Caption" and "Table Caption".
        let special = matches!(
            style.name.as_str(),
            "title" | "subtitle" | "caption" | "author" | "date"
        ) || style.name.ends_with(" caption");
        // A heading's or a title's style sets how it looks, not what it stresses.
        let base = if level.is_some() || special {
            RunProps::default()
        } else {
            style.run
        };
        let mut para = Para {
            inlines: Vec::new(),
            after: Vec::new(),
            page_break: false,
        };
        let mut pieces = Vec::new();
        self.inline_children(node, base, &mut pieces, &mut para);
        para.inlines = build(pieces);
        let mut text = Text(std::mem::take(&mut para.inlines));
        trim_text(&mut text);
        let plain = text.to_plain();
        let numbering = ppr
            .and_then(styles::numbering_of)
            .or(style.numbering.clone())
            .filter(|(id, _)| id != "0");

        let mut block = None;
        let mut entry = None;
        if style.name.starts_with("toc ") || style.name == "toc heading" {
            // A table of contents as a field's result: paiban makes its own.
            if !self.toc_reported {
                self.toc_reported = true;
                self.issues.push(
                    "a table of contents dropped (from here on): paiban makes its own".to_owned(),
                );
            }
        } else if text.is_empty() && text.notes().is_empty() {
            // An empty paragraph is spacing; a numbered one still counts.
            if let Some((id, ilvl)) = &numbering {
                self.numbering.count(id, *ilvl);
            }
        } else if style.name == "title" && self.title.is_none() {
            self.title = Some(plain.clone());
        } else if style.name == "subtitle" && self.subtitle.is_none() {
            self.subtitle = Some(plain.clone());
        } else if style.name == "author" && self.place.is_empty() {
            // pandoc's title block: Title, Subtitle, Author and Date paragraphs.
            self.authors.push(plain.clone());
        } else if style.name == "date"
            && self.date.is_none()
            && let Some(date) = super::manuscript_date(&plain)
        {
            self.date = Some(date);
        } else if let Some(level) = level {
            let mut number = None;
            if let Some((id, ilvl)) = &numbering {
                match self.numbering.count(id, *ilvl) {
                    Some((n, _)) => number = Some(n),
                    None => self.issues.push(format!(
                        "its numbering (numId {id}) is not defined: the heading is unnumbered"
                    )),
                }
            }
            if number.is_none()
                && let Some((_, n, rest)) = heading_number(&plain)
            {
                let typed = plain.chars().count() - rest.chars().count();
                drop_leading_chars(&mut text, typed);
                trim_text(&mut text);
                number = Some(n);
            }
            if let [Inline::Strong(inner)] = text.0.as_mut_slice() {
                text.0 = std::mem::take(inner);
            }
            let level = if level > 5 {
                self.issues.push(format!(
                    "a level-{level} heading: paiban has five levels, so it is level 5"
                ));
                5
            } else {
                level
            };
            block = Some(Block::Heading(Heading {
                text,
                level,
                number,
                numbered: number.is_some(),
                id: None,
                resolved: Vec::new(),
            }));
        } else if let Some((id, ilvl)) = &numbering {
            let definition = self.numbering.level(id, *ilvl).cloned();
            match (definition, self.numbering.count(id, *ilvl)) {
                (Some(definition), Some((number, label))) => {
                    // The label typed again before the text (as a converter writes a list
                    // whose labels were text) would print twice.
                    let typed = label.trim();
                    if !typed.is_empty() && plain.starts_with(typed) && plain.len() > typed.len() {
                        drop_leading_chars(&mut text, typed.chars().count());
                        trim_text(&mut text);
                        self.issues.push(format!(
                            "the label `{typed}` typed before the item repeats the list's own \
                             numbering: dropped"
                        ));
                    }
                    let (style, exact) = list_style(&definition, *ilvl);
                    if definition.text.is_empty() && definition.format != "none" {
                        self.issues.push(format!(
                            "list level {} has no label in its numbering definition: printed \
                             as bullets",
                            ilvl + 1
                        ));
                    } else if !exact {
                        self.issues.push(format!(
                            "the list label `{label}` is printed approximately (paiban's \
                             lists have one counter with text around it)"
                        ));
                    }
                    entry = Some(Entry {
                        num_id: id.clone(),
                        ilvl: *ilvl,
                        style,
                        number,
                        blocks: vec![Block::Paragraph(text)],
                    });
                }
                _ => {
                    self.issues.push(format!(
                        "its numbering (numId {id}) is not defined: kept as a paragraph"
                    ));
                    block = Some(Block::Paragraph(text));
                }
            }
        } else {
            block = Some(Block::Paragraph(text));
        }
        let issues = std::mem::replace(&mut self.issues, saved);
        self.report(index, &plain, issues);
        let after = std::mem::take(&mut para.after);
        // After a deleted paragraph mark, the text continues the paragraph before.
        let mut joined = false;
        if joins_previous
            && let Some(Item::Block(last) | Item::Framed(last)) = items.last_mut()
            && let Block::Paragraph(previous) = &mut **last
            && let Some(Block::Paragraph(text)) =
                block.take_if(|b| matches!(b, Block::Paragraph(_)))
        {
            for inline in text.0 {
                match inline {
                    Inline::Text(run) => push_text(&mut previous.0, &run.text),
                    other => previous.0.push(other),
                }
            }
            joined = true;
        }
        match entry {
            Some(mut entry) => {
                entry.blocks.extend(after);
                items.push(Item::Entry(entry));
            }
            None => {
                let framed = !joined
                    && ppr
                        .and_then(|p| child(p, "pBdr"))
                        .map(styles::has_border)
                        .unwrap_or(style.framed);
                let item = |b| match framed {
                    true => Item::Framed(Box::new(b)),
                    false => Item::Block(Box::new(b)),
                };
                items.extend(block.into_iter().chain(after).map(item));
            }
        }
        if para.page_break {
            items.push(Item::Block(Box::new(Block::PageBreak)));
        }
    }

    /// The inline content of a paragraph, hyperlink, field or revision.
    fn inline_children(
        &mut self,
        node: Node,
        base: RunProps,
        out: &mut Vec<Piece>,
        para: &mut Para,
    ) {
        for node in node.children().filter(|n| n.is_element()) {
            match node.tag_name().name() {
                "r" => self.run(node, base, out, para),
                "hyperlink" => self.hyperlink(node, base, out, para),
                "ins" | "moveTo" => {
                    self.tracked = true;
                    self.inline_children(node, base, out, para);
                }
                "del" | "moveFrom" => self.tracked = true,
                "smartTag" | "customXml" | "fldSimple" | "bdo" | "dir" => {
                    self.inline_children(node, base, out, para)
                }
                "sdt" => {
                    if let Some(content) = child(node, "sdtContent") {
                        self.inline_children(content, base, out, para);
                    }
                }
                "AlternateContent" => {
                    if let Some(choice) = child(node, "Choice") {
                        self.inline_children(choice, base, out, para);
                    }
                }
                "oMath" | "oMathPara" => self.issues.push(format!(
                    "an equation dropped (paiban prints no equations yet): “{}”",
                    all_text(node)
                )),
                "pPr" | "bookmarkStart" | "bookmarkEnd" | "proofErr" | "permStart" | "permEnd"
                | "commentRangeStart" | "commentRangeEnd" | "moveFromRangeStart"
                | "moveFromRangeEnd" | "moveToRangeStart" | "moveToRangeEnd" => {}
                other => {
                    let text = all_text(node);
                    self.issues.push(format!(
                        "a `{other}` element dropped{}",
                        if text.is_empty() {
                            String::new()
                        } else {
                            format!(", with its text “{text}”")
                        }
                    ));
                }
            }
        }
    }

    fn hyperlink(&mut self, node: Node, base: RunProps, out: &mut Vec<Piece>, para: &mut Para) {
        let mut inner = Vec::new();
        self.inline_children(node, base, &mut inner, para);
        // Word underlines a link (its Hyperlink style) to show it is one, not to stress it.
        for piece in &mut inner {
            match piece {
                Piece::Text(_, format) | Piece::Inline(_, format) => format.underline = false,
            }
        }
        let target = attr(node, "id").and_then(|id| self.rels.get(id));
        match target {
            Some(rel)
                if ["http://", "https://", "mailto:"]
                    .iter()
                    .any(|p| rel.target.to_ascii_lowercase().starts_with(p)) =>
            {
                let target = rel.target.clone();
                out.push(Piece::Inline(
                    Inline::Link(Link {
                        target,
                        target_origin: Origin::default(),
                        content: build(inner),
                    }),
                    Format::default(),
                ));
            }
            other => {
                // An internal link (a bookmark, a table of contents) keeps its text only.
                if let Some(rel) = other {
                    self.issues.push(format!(
                        "a link to `{}` kept as text: paiban links to http, https and mailto \
                         addresses only",
                        rel.target
                    ));
                } else if attr(node, "id").is_some() {
                    self.issues
                        .push("a link whose address is missing kept as text".to_owned());
                }
                out.extend(inner);
            }
        }
    }

    fn run(&mut self, node: Node, base: RunProps, out: &mut Vec<Piece>, para: &mut Para) {
        let rpr = child(node, "rPr");
        if rpr.is_some_and(|r| child(r, "rPrChange").is_some()) {
            self.tracked = true;
        }
        let character = rpr
            .and_then(|r| child(r, "rStyle"))
            .and_then(val)
            .and_then(|id| self.styles.get(id))
            .map(|s| s.run)
            .unwrap_or_default();
        let props = rpr
            .map(RunProps::read)
            .unwrap_or_default()
            .over(character)
            .over(base);
        let format = Format::of(props);
        // Hidden text (w:vanish) is not printed by Word either.
        if rpr.and_then(|r| child(r, "vanish")).is_some_and(is_on) {
            let hidden = all_text(node);
            if !hidden.trim().is_empty() {
                self.issues
                    .push(format!("hidden text dropped, as Word hides it: “{hidden}”"));
            }
            return;
        }
        let text = |out: &mut Vec<Piece>, t: &str| out.push(Piece::Text(t.to_owned(), format));
        for node in node.children().filter(|n| n.is_element()) {
            match node.tag_name().name() {
                "t" => text(out, node.text().unwrap_or_default()),
                "tab" | "ptab" => text(out, "\t"),
                "br" => match attr(node, "type") {
                    Some("page") => para.page_break = true,
                    // A column break only moves the text.
                    Some("column") => {}
                    _ => text(out, "\n"),
                },
                "cr" => text(out, "\n"),
                "noBreakHyphen" => text(out, "\u{2011}"),
                "softHyphen" => text(out, "\u{ad}"),
                "sym" => {
                    let symbol = attr(node, "char")
                        .and_then(|c| u32::from_str_radix(c, 16).ok())
                        .and_then(char::from_u32);
                    let font = attr(node, "font").unwrap_or_default();
                    match symbol {
                        // Symbol fonts map private-use code points to their glyphs.
                        Some(c) if !('\u{e000}'..='\u{f8ff}').contains(&c) => {
                            text(out, &c.to_string())
                        }
                        _ => self.issues.push(format!(
                            "a symbol from the font {font} dropped (no Unicode character)"
                        )),
                    }
                }
                "footnoteReference" | "endnoteReference" => {
                    let kind = if node.tag_name().name() == "footnoteReference" {
                        "footnote"
                    } else {
                        "endnote"
                    };
                    let id = attr(node, "id").unwrap_or_default();
                    match self.notes.get(&(kind, id.to_owned())) {
                        Some(content) => {
                            if kind == "endnote" {
                                self.issues.push(
                                    "an endnote is printed as a footnote (paiban has footnotes \
                                     only)"
                                        .to_owned(),
                                );
                            }
                            out.push(Piece::Inline(
                                Inline::Note(Note {
                                    content: content.clone(),
                                    id: None,
                                    resolved: 0,
                                }),
                                Format::default(),
                            ));
                        }
                        None => self
                            .issues
                            .push(format!("a reference to {kind} {id}, which is missing")),
                    }
                }
                "commentReference" => {
                    self.comments += 1;
                    self.issues
                        .push("a comment dropped: paiban prints no comments".to_owned());
                }
                "drawing" => self.drawing(node, para),
                "pict" => self.picture(node, para),
                "object" => self.issues.push(
                    "an embedded object (OLE) dropped: paste it as an image to keep it".to_owned(),
                ),
                "AlternateContent" => {
                    if let Some(choice) = child(node, "Choice") {
                        // The choice holds run content: read it with this run's formatting.
                        self.run(choice, props, out, para);
                    }
                }
                "ruby" => {
                    if let Some(ruby_base) = child(node, "rubyBase") {
                        self.inline_children(ruby_base, base, out, para);
                    }
                    self.issues.push(format!(
                        "a ruby annotation “{}” dropped, its base kept",
                        child(node, "rt").map(all_text).unwrap_or_default()
                    ));
                }
                "delText" | "delInstrText" => self.tracked = true,
                "rPr"
                | "instrText"
                | "fldChar"
                | "lastRenderedPageBreak"
                | "footnoteRef"
                | "endnoteRef"
                | "separator"
                | "continuationSeparator"
                | "annotationRef"
                | "dayShort"
                | "monthShort"
                | "yearShort"
                | "dayLong"
                | "monthLong"
                | "yearLong"
                | "pgNum" => {}
                other => {
                    let text = all_text(node);
                    self.issues.push(format!(
                        "a `{other}` element dropped{}",
                        if text.is_empty() {
                            String::new()
                        } else {
                            format!(", with its text “{text}”")
                        }
                    ));
                }
            }
        }
    }

    /// A DrawingML object: an image, a text box, a chart, SmartArt or a shape.
    fn drawing(&mut self, node: Node, para: &mut Para) {
        let alt = descendants(node, "docPr")
            .next()
            .and_then(|d| attr(d, "descr").or(attr(d, "title")))
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_owned);
        let uri = descendants(node, "graphicData")
            .next()
            .and_then(|g| attr(g, "uri"))
            .unwrap_or_default();
        if let Some(content) = descendants(node, "txbxContent").next() {
            self.text_box(content, para);
            return;
        }
        let blips: Vec<String> = descendants(node, "blip")
            .filter_map(|b| attr(b, "embed").map(str::to_owned))
            .collect();
        // `r:link`: the image stays outside the file (LibreOffice links HTML's images).
        for linked in descendants(node, "blip").filter_map(|b| attr(b, "link")) {
            let target = self
                .rels
                .get(linked)
                .map_or(linked.to_owned(), |r| r.target.clone());
            self.issues.push(format!(
                "a linked image `{target}` dropped: it is not in the file (embed it)"
            ));
        }
        let linked = descendants(node, "blip").any(|b| attr(b, "link").is_some());
        if uri.contains("chart") {
            self.issues.push(
                "a chart dropped: paiban prints no charts; paste it as an image to keep it"
                    .to_owned(),
            );
        } else if uri.contains("diagram") {
            self.issues
                .push("a SmartArt diagram dropped: paste it as an image to keep it".to_owned());
        } else if blips.is_empty() && !linked {
            self.issues.push(format!(
                "a drawn shape dropped{}",
                match all_text(node) {
                    t if t.is_empty() => String::new(),
                    t => format!(", with its text “{t}”"),
                }
            ));
        }
        if !uri.contains("chart") && !uri.contains("diagram") {
            for id in blips {
                self.image(&id, alt.clone(), para);
            }
        }
    }

    /// VML (`w:pict`): an image in an older file, or a text box.
    fn picture(&mut self, node: Node, para: &mut Para) {
        if let Some(content) = descendants(node, "txbxContent").next() {
            self.text_box(content, para);
            return;
        }
        let mut found = false;
        for data in descendants(node, "imagedata") {
            if let Some(id) = attr(data, "id") {
                found = true;
                let alt = attr(data, "title").map(str::to_owned);
                self.image(id, alt, para);
            }
        }
        if !found {
            self.issues.push("a VML shape dropped".to_owned());
        }
    }

    /// A text box: a 专栏 panel if its first line reads 专栏N, else its blocks follow the
    /// paragraph it is anchored in.
    fn text_box(&mut self, content: Node, para: &mut Para) {
        let blocks = self.blocks(content);
        match panel(blocks) {
            Ok(sidebar) => para.after.push(sidebar),
            Err(blocks) => {
                if !blocks.is_empty() {
                    self.issues.push(
                        "a text box: its text follows the paragraph it is anchored in".to_owned(),
                    );
                }
                para.after.extend(blocks);
            }
        }
    }

    fn image(&mut self, id: &str, alt: Option<String>, para: &mut Para) {
        let Some(rel) = self.rels.get(id) else {
            self.issues.push(format!(
                "an image whose relationship {id} is missing dropped"
            ));
            return;
        };
        if rel.external {
            self.issues.push(format!(
                "a linked image `{}` dropped: it is not in the file",
                rel.target
            ));
            return;
        }
        let target = rel.target.clone();
        let bytes = match self.package.read(&target, MAX_MEDIA_BYTES) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => {
                self.issues.push(format!(
                    "the image {target} is missing from the file: dropped"
                ));
                return;
            }
            Err(e) => {
                self.issues
                    .push(format!("the image {target} dropped: {}", e.message));
                return;
            }
        };
        let Some(format) = super::image_format(&bytes) else {
            self.issues.push(format!(
                "the image {target} dropped: its format (EMF, WMF, TIFF?) is not one paiban \
                 prints; save it as PNG or JPEG"
            ));
            return;
        };
        let wanted = match target.rsplit_once('.') {
            Some((stem, _)) => format!("{stem}.{format}"),
            None => format!("{target}.{format}"),
        };
        let file = super::image_name(&wanted, &self.images);
        let folder = self.options.image_folder.trim_end_matches('/');
        let path = if folder.is_empty() {
            file
        } else {
            format!("{folder}/{file}")
        };
        if alt.is_none() {
            self.issues
                .push(format!("the image {path} has no alternative text"));
        }
        self.images.push(Image {
            path: path.clone(),
            bytes,
        });
        para.after.push(Block::Figure(Figure {
            path,
            path_origin: Origin::default(),
            project_path: None,
            caption: None,
            alt,
            alt_origin: Origin::default(),
            width: None,
            id: None,
            resolved: None,
        }));
    }

    fn table(&mut self, node: Node) -> Block {
        let first_paragraph = self.paragraphs + 1;
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        let mut cell_blocks: Vec<Vec<Vec<Block>>> = Vec::new();
        let mut header_rows = 0;
        let mut header_open = true;
        // By grid column: the row and cell a vertical merge started in.
        let mut merges: HashMap<usize, (usize, usize)> = HashMap::new();
        let mut columns = 0;
        for tr in node.children().filter(|n| n.tag_name().name() == "tr") {
            let trpr = child(tr, "trPr");
            let header = trpr.and_then(|p| child(p, "tblHeader")).is_some_and(is_on);
            if header && header_open {
                header_rows += 1;
            } else {
                header_open = false;
            }
            let r = rows.len();
            let mut row = Vec::new();
            let mut row_blocks = Vec::new();
            let mut column = trpr
                .and_then(|p| child(p, "gridBefore"))
                .and_then(val)
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(0);
            for tc in tr.children().filter(|n| n.tag_name().name() == "tc") {
                let tcpr = child(tc, "tcPr");
                let span = tcpr
                    .and_then(|p| child(p, "gridSpan"))
                    .and_then(val)
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(1)
                    .max(1);
                let vmerge = tcpr.and_then(|p| child(p, "vMerge"));
                let blocks = self.blocks(tc);
                match vmerge.map(|v| val(v).unwrap_or("continue")) {
                    Some("restart") => {
                        merges.insert(column, (r, row.len()));
                    }
                    Some(_) if merges.contains_key(&column) => {
                        let (mr, mc) = merges[&column];
                        let cell: &mut Cell = &mut rows[mr][mc];
                        cell.rowspan += 1;
                        if blocks_text(&blocks).iter().any(|t| !t.is_empty()) {
                            self.warn(format!(
                                "the table at paragraph {first_paragraph}: a merged cell's \
                                 text dropped: “{}”",
                                excerpt(
                                    &blocks_text(&blocks)
                                        .iter()
                                        .map(Text::to_plain)
                                        .collect::<String>()
                                )
                            ));
                        }
                        column += span;
                        continue;
                    }
                    _ => {
                        merges.remove(&column);
                    }
                }
                row.push(Cell {
                    text: Text::default(),
                    colspan: span as u32,
                    rowspan: 1,
                    align: None,
                });
                row_blocks.push(blocks);
                column += span;
            }
            columns = columns.max(column);
            rows.push(row);
            cell_blocks.push(row_blocks);
        }
        // A one-cell table that starts with 专栏N is a panel.
        if rows.len() == 1 && rows[0].len() == 1 {
            let blocks = cell_blocks
                .pop()
                .and_then(|mut r| r.pop())
                .unwrap_or_default();
            return match panel(blocks) {
                Ok(sidebar) => sidebar,
                Err(blocks) => self.cells(
                    vec![vec![Cell {
                        text: Text::default(),
                        colspan: 1,
                        rowspan: 1,
                        align: None,
                    }]],
                    vec![vec![blocks]],
                    header_rows,
                    columns,
                    first_paragraph,
                ),
            };
        }
        self.cells(rows, cell_blocks, header_rows, columns, first_paragraph)
    }

    /// A table of cells holding text: a cell's paragraphs become lines.
    fn cells(
        &mut self,
        mut rows: Vec<Vec<Cell>>,
        blocks: Vec<Vec<Vec<Block>>>,
        header_rows: usize,
        columns: usize,
        first_paragraph: usize,
    ) -> Block {
        let mut dropped = false;
        for (row, row_blocks) in rows.iter_mut().zip(blocks) {
            for (cell, blocks) in row.iter_mut().zip(row_blocks) {
                dropped |= blocks.iter().any(|b| {
                    !matches!(b, Block::Paragraph(_) | Block::Heading(_) | Block::List(_))
                });
                let mut inlines = Vec::new();
                for text in blocks_text(&blocks) {
                    if !inlines.is_empty() {
                        push_text(&mut inlines, "\n");
                    }
                    inlines.extend(text.0);
                }
                cell.text = Text(inlines);
            }
        }
        if dropped {
            self.warn(format!(
                "the table at paragraph {first_paragraph}: a cell holds an image, a table or \
                 a panel, which a cell cannot carry: only its text is kept"
            ));
        }
        Block::Table(Table {
            caption: None,
            id: None,
            columns: vec![
                Column {
                    width: None,
                    align: None
                };
                columns.max(1)
            ],
            header_rows,
            rows,
            resolved: None,
        })
    }

    /// Caption paragraphs (图1 … below a figure, 表1 … above a table) become captions.
    fn captions(&mut self, blocks: Vec<Block>) -> Vec<Block> {
        let label = |block: Option<&Block>, kind: CaptionKind| match block {
            Some(Block::Paragraph(text)) => caption_label(&text.to_plain())
                .filter(|(k, _)| *k == kind)
                .map(|(_, n)| n),
            _ => None,
        };
        let mut out: Vec<Block> = Vec::new();
        let mut iter = blocks.into_iter().peekable();
        while let Some(mut block) = iter.next() {
            let kind = match &block {
                Block::Figure(f) if f.caption.is_none() => CaptionKind::Figure,
                Block::Table(t) if t.caption.is_none() => CaptionKind::Table,
                _ => {
                    out.push(block);
                    continue;
                }
            };
            // A figure's caption is below it, a table's above; either is taken.
            let (first, second) = match kind {
                CaptionKind::Figure => (label(iter.peek(), kind), label(out.last(), kind)),
                CaptionKind::Table => (None, label(out.last(), kind)),
            };
            let taken = match (first, second) {
                (Some(n), _) => iter.next().map(|b| (b, n)),
                (None, Some(n)) => out.pop().map(|b| (b, n)),
                (None, None) if kind == CaptionKind::Table => {
                    label(iter.peek(), kind).and_then(|n| iter.next().map(|b| (b, n)))
                }
                _ => None,
            };
            if let Some((Block::Paragraph(mut text), n)) = taken {
                drop_leading_chars(&mut text, n);
                trim_text(&mut text);
                // A caption set all in italics or bold has that from its style.
                if let [Inline::Emphasis(inner) | Inline::Strong(inner)] = text.0.as_mut_slice() {
                    text.0 = std::mem::take(inner);
                }
                match &mut block {
                    Block::Figure(f) => f.caption = Some(text),
                    Block::Table(t) => t.caption = Some(text),
                    _ => {}
                }
            }
            out.push(block);
        }
        out
    }
}

/// A note mark at the start of a note's text: a circled number (①) or a bracketed one
/// (`[1]`), with the space after it.
fn typed_note_mark(text: &str) -> Option<&str> {
    let circled = |c: char| super::plaintext::circled_value(c).is_some();
    let mark_end = if text.starts_with(circled) {
        text.chars().next().map(char::len_utf8)?
    } else {
        let inner = text.strip_prefix('[')?;
        let digits = inner.chars().take_while(char::is_ascii_digit).count();
        (digits > 0 && inner[digits..].starts_with(']')).then_some(digits + 2)?
    };
    let rest = &text[mark_end..];
    let space = rest.len()
        - rest
            .trim_start_matches([' ', '\u{3000}', '\t', '\u{a0}'])
            .len();
    (space > 0 && rest.len() > space).then(|| &text[..mark_end + space])
}

/// The texts of blocks, a paragraph or a list item a text.
fn blocks_text(blocks: &[Block]) -> Vec<Text> {
    let mut out = Vec::new();
    for block in blocks {
        match block {
            Block::Paragraph(text) => out.push(text.clone()),
            Block::Heading(heading) => out.push(heading.text.clone()),
            Block::List(list) => {
                for item in &list.items {
                    out.extend(blocks_text(item));
                }
            }
            Block::Sidebar(sidebar) => {
                out.push(sidebar.title.clone());
                out.extend(blocks_text(&sidebar.body));
            }
            Block::Table(table) => {
                for row in &table.rows {
                    for cell in row {
                        out.push(cell.text.clone());
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Blocks whose first paragraph reads 专栏N (title) as a panel; else the blocks back.
fn panel(mut blocks: Vec<Block>) -> Result<Block, Vec<Block>> {
    let first = match blocks.first() {
        Some(Block::Paragraph(text)) => text.to_plain(),
        Some(Block::Heading(heading)) if heading.number.is_none() => heading.text.to_plain(),
        _ => return Err(blocks),
    };
    let Some((number, title)) = panel_title(&first) else {
        return Err(blocks);
    };
    let title = Text::from_string(title);
    blocks.remove(0);
    if blocks.is_empty() {
        blocks.push(Block::Paragraph(title.clone()));
    }
    Ok(Block::Sidebar(Sidebar {
        title,
        number: Some(number),
        body: blocks,
        resolved: 0,
    }))
}

/// Gathers numbered and bulleted paragraphs into lists, nested by their level, and a run
/// of framed paragraphs whose first reads 专栏N into a panel.
fn gather_lists(items: Vec<Item>) -> Vec<Block> {
    let mut out = Vec::new();
    let mut entries: Vec<Entry> = Vec::new();
    let mut framed: Vec<Block> = Vec::new();
    let end_frame = |framed: &mut Vec<Block>, out: &mut Vec<Block>| {
        if !framed.is_empty() {
            match panel(std::mem::take(framed)) {
                Ok(panel) => out.push(panel),
                Err(blocks) => out.extend(blocks),
            }
        }
    };
    for item in items {
        match item {
            Item::Entry(entry) => {
                end_frame(&mut framed, &mut out);
                entries.push(entry)
            }
            Item::Block(block) => {
                end_frame(&mut framed, &mut out);
                out.extend(lists(std::mem::take(&mut entries)));
                out.push(*block);
            }
            Item::Framed(block) => {
                out.extend(lists(std::mem::take(&mut entries)));
                framed.push(*block);
            }
        }
    }
    end_frame(&mut framed, &mut out);
    out.extend(lists(entries));
    out
}

/// Lists of consecutive entries: items at the shallowest level, deeper entries nested in
/// the item before them; a new list where the numbering or the style changes.
fn lists(entries: Vec<Entry>) -> Vec<Block> {
    let Some(top) = entries.iter().map(|e| e.ilvl).min() else {
        return Vec::new();
    };
    let mut out: Vec<Block> = Vec::new();
    let mut current: Option<(String, List)> = None;
    let mut deeper: Vec<Entry> = Vec::new();
    let finish_item = |current: &mut Option<(String, List)>, deeper: &mut Vec<Entry>| {
        if deeper.is_empty() {
            return;
        }
        let nested = lists(std::mem::take(deeper));
        if let Some((_, list)) = current
            && let Some(item) = list.items.last_mut()
        {
            item.extend(nested);
        }
    };
    for entry in entries {
        if entry.ilvl > top && current.is_some() {
            deeper.push(entry);
            continue;
        }
        finish_item(&mut current, &mut deeper);
        let same = current
            .as_ref()
            .is_some_and(|(id, list)| *id == entry.num_id && list.style == entry.style);
        if !same {
            if let Some((_, list)) = current.take() {
                out.push(Block::List(list));
            }
            let start = match entry.style {
                ListStyle::Numbered { .. } if entry.number != 1 => Some(entry.number),
                _ => None,
            };
            current = Some((
                entry.num_id.clone(),
                List {
                    style: entry.style.clone(),
                    start,
                    items: Vec::new(),
                    labels: Vec::new(),
                },
            ));
        }
        if let Some((_, list)) = &mut current {
            list.items.push(entry.blocks);
        }
    }
    finish_item(&mut current, &mut deeper);
    if let Some((_, list)) = current {
        out.push(Block::List(list));
    }
    out
}
