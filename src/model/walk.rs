//! One traversal for every job that visits the text a reader sees: the punctuation lint,
//! glyph coverage, control characters, `check --fix`. Each unit is what a reader reads as
//! one piece of text (a paragraph, a heading, a caption, a cell, a verse line, a note, the
//! title), made of the runs it shows, each with where it was written.

use super::blocks::Block;
use super::inline::{Inline, Origin, Run, Text};
use super::source::TextPath;
use super::{Document, LanguageTag};

/// A run of a unit: its text and where it was written.
#[derive(Debug, Clone)]
pub struct Piece<'a> {
    pub text: &'a str,
    pub origin: Origin,
    /// Code is literal: checked for glyphs and control characters, never linted.
    pub code: bool,
    /// The language of a run set in another language than the document's.
    pub lang: Option<&'a LanguageTag>,
}

/// What a reader reads as one text.
#[derive(Debug, Clone, Default)]
pub struct Unit<'a> {
    pub pieces: Vec<Piece<'a>>,
}

impl Document {
    /// Every unit of text the outputs carry, in reading order: the 公文's 版头, title,
    /// short title, subtitle, authors, the 主送机关, the body (notes after the text that
    /// anchors them), the 公文's 附件说明, 附注 and 版记, the colophon, then the metadata
    /// only the files carry (`source`, `identifier`).
    pub fn units(&self) -> Vec<Unit<'_>> {
        let mut out = Vec::new();
        let root = TextPath::default();
        fn plain(text: &str, path: TextPath) -> Unit<'_> {
            Unit {
                pieces: vec![Piece {
                    text,
                    origin: Origin::at(path),
                    code: false,
                    lang: None,
                }],
            }
        }
        fn run(run: &Run) -> Unit<'_> {
            Unit {
                pieces: vec![Piece {
                    text: &run.text,
                    origin: run.origin.clone(),
                    code: false,
                    lang: None,
                }],
            }
        }
        let (head, addressee, tail) = match &self.gongwen {
            Some(gongwen) => (
                gongwen.head_runs(),
                gongwen.addressee.as_ref(),
                gongwen.tail_runs(),
            ),
            None => Default::default(),
        };
        out.extend(head.into_iter().map(run));
        out.push(plain(&self.title, root.key("title")));
        if let Some(short) = &self.short_title {
            out.push(plain(short, root.key("short-title")));
        }
        if let Some(subtitle) = &self.subtitle {
            out.push(plain(subtitle, root.key("subtitle")));
        }
        for (i, author) in self.authors.iter().enumerate() {
            out.push(plain(author, root.key("author").index(i)));
        }
        out.extend(addressee.map(run));
        blocks(&self.body, &mut out);
        out.extend(tail.into_iter().map(run));
        if let Some(colophon) = &self.colophon {
            out.push(plain(colophon, root.key("colophon")));
        }
        for (key, text) in [("source", &self.source), ("identifier", &self.identifier)] {
            if let Some(text) = text {
                out.push(plain(text, root.key(key)));
            }
        }
        out
    }

    /// Calls `f` on the characters of every text the outputs carry (runs and code, header
    /// and metadata), without saying where they were written: the quick scan a build makes
    /// before it looks closer (control characters, glyphs).
    pub fn for_each_str(&self, f: &mut impl FnMut(&str)) {
        let header = [
            &self.short_title,
            &self.subtitle,
            &self.colophon,
            &self.source,
            &self.identifier,
        ];
        f(&self.title);
        for text in header.into_iter().flatten() {
            f(text);
        }
        for author in &self.authors {
            f(author);
        }
        if let Some(gongwen) = &self.gongwen {
            let runs = gongwen.head_runs().into_iter().chain(&gongwen.addressee);
            for run in runs.chain(gongwen.tail_runs()) {
                f(&run.text);
            }
        }
        for block in self.walk() {
            for text in own_texts(block) {
                super::inline::visit(&text.0, &mut |inline| match inline {
                    Inline::Text(run) | Inline::Code(run) => f(&run.text),
                    Inline::Ruby(ruby) => {
                        f(&ruby.base.text);
                        ruby.annotations.iter().for_each(|a| f(&a.text));
                    }
                    _ => {}
                });
            }
            if let Block::Figure(figure) = block
                && let Some(alt) = &figure.alt
            {
                f(alt);
            }
        }
    }

    /// Calls `edit` on every run of text in the body and on every text of the header
    /// (as a run written at its key), mutably: for `check --fix` to say what it expects.
    pub fn edit_runs(&mut self, edit: &mut impl FnMut(&mut Run)) {
        let root = TextPath::default();
        let header = |key: TextPath, text: &mut String, edit: &mut dyn FnMut(&mut Run)| {
            let mut run = Run::new(std::mem::take(text), Origin::at(key));
            edit(&mut run);
            *text = run.text;
        };
        header(root.key("title"), &mut self.title, edit);
        if let Some(short) = &mut self.short_title {
            header(root.key("short-title"), short, edit);
        }
        if let Some(subtitle) = &mut self.subtitle {
            header(root.key("subtitle"), subtitle, edit);
        }
        for (i, author) in self.authors.iter_mut().enumerate() {
            header(root.key("author").index(i), author, edit);
        }
        if let Some(colophon) = &mut self.colophon {
            header(root.key("colophon"), colophon, edit);
        }
        for (key, text) in [
            ("source", &mut self.source),
            ("identifier", &mut self.identifier),
        ] {
            if let Some(text) = text {
                header(root.key(key), text, edit);
            }
        }
        if let Some(gongwen) = &mut self.gongwen {
            for run in gongwen.runs_mut() {
                edit(run);
            }
        }
        for_each_text_mut(&mut self.body, &mut |text| {
            super::inline::visit_mut(&mut text.0, &mut |inline| match inline {
                Inline::Text(run) | Inline::Code(run) => edit(run),
                Inline::Ruby(ruby) => {
                    edit(&mut ruby.base);
                    ruby.annotations.iter_mut().for_each(&mut *edit);
                }
                _ => {}
            });
        });
    }

    /// Every block of the body in reading order, each followed by the blocks inside it.
    pub fn walk(&self) -> impl Iterator<Item = &Block> {
        fn flatten<'a>(blocks: &'a [Block], out: &mut Vec<&'a Block>) {
            for block in blocks {
                out.push(block);
                flatten_children(block, out);
            }
        }
        fn flatten_children<'a>(block: &'a Block, out: &mut Vec<&'a Block>) {
            match block {
                Block::Sidebar(sidebar) => flatten(&sidebar.body, out),
                Block::Quote(quote) => flatten(&quote.body, out),
                Block::List(list) => {
                    for item in &list.items {
                        flatten(item, out);
                    }
                }
                _ => {}
            }
        }
        let mut out = Vec::new();
        flatten(&self.body, &mut out);
        out.into_iter()
    }
}

/// The texts a block shows itself (not those of the blocks inside it), in reading order.
pub fn own_texts(block: &Block) -> Vec<&Text> {
    match block {
        Block::Paragraph(text) | Block::Dateline(text) => vec![text],
        Block::Heading(heading) => vec![&heading.text],
        Block::Sidebar(sidebar) => vec![&sidebar.title],
        Block::Appendix(appendix) => vec![&appendix.title],
        Block::Quote(quote) => quote.attribution.iter().collect(),
        Block::Verse(verse) => verse
            .title
            .iter()
            .chain(&verse.author)
            .chain(verse.stanzas.iter().flatten())
            .collect(),
        Block::Table(table) => table
            .caption
            .iter()
            .chain(table.rows.iter().flatten().map(|cell| &cell.text))
            .collect(),
        Block::Figure(figure) => figure.caption.iter().collect(),
        Block::List(_) | Block::Divider | Block::PageBreak | Block::Include(_) => Vec::new(),
    }
}

/// Calls `f` on every text of `blocks` and of the blocks inside them, mutably.
pub fn for_each_text_mut(blocks: &mut [Block], f: &mut impl FnMut(&mut Text)) {
    for block in blocks {
        match block {
            Block::Paragraph(text) | Block::Dateline(text) => f(text),
            Block::Heading(heading) => f(&mut heading.text),
            Block::Sidebar(sidebar) => {
                f(&mut sidebar.title);
                for_each_text_mut(&mut sidebar.body, f);
            }
            Block::Appendix(appendix) => f(&mut appendix.title),
            Block::Quote(quote) => {
                for_each_text_mut(&mut quote.body, f);
                if let Some(attribution) = &mut quote.attribution {
                    f(attribution);
                }
            }
            Block::Verse(verse) => {
                for text in verse
                    .title
                    .iter_mut()
                    .chain(verse.author.iter_mut())
                    .chain(verse.stanzas.iter_mut().flatten())
                {
                    f(text);
                }
            }
            Block::Table(table) => {
                if let Some(caption) = &mut table.caption {
                    f(caption);
                }
                for cell in table.rows.iter_mut().flatten() {
                    f(&mut cell.text);
                }
            }
            Block::Figure(figure) => {
                if let Some(caption) = &mut figure.caption {
                    f(caption);
                }
            }
            Block::List(list) => {
                for item in &mut list.items {
                    for_each_text_mut(item, f);
                }
            }
            Block::Divider | Block::PageBreak | Block::Include(_) => {}
        }
    }
}

/// The units of `blocks` in reading order: each text, then the notes it anchors.
fn blocks<'a>(body: &'a [Block], out: &mut Vec<Unit<'a>>) {
    for block in body {
        match block {
            Block::Sidebar(sidebar) => {
                text_units(&sidebar.title, out);
                blocks(&sidebar.body, out);
            }
            Block::Quote(quote) => {
                blocks(&quote.body, out);
                if let Some(attribution) = &quote.attribution {
                    text_units(attribution, out);
                }
            }
            Block::List(list) => {
                for item in &list.items {
                    blocks(item, out);
                }
            }
            Block::Figure(figure) => {
                if let Some(caption) = &figure.caption {
                    text_units(caption, out);
                }
                if let Some(alt) = &figure.alt {
                    out.push(Unit {
                        pieces: vec![Piece {
                            text: alt,
                            origin: figure.alt_origin.clone(),
                            code: false,
                            lang: None,
                        }],
                    });
                }
            }
            other => {
                for text in own_texts(other) {
                    text_units(text, out);
                }
            }
        }
    }
}

/// The unit of `text`, then one unit for each note in it (and the notes in those).
fn text_units<'a>(text: &'a Text, out: &mut Vec<Unit<'a>>) {
    inlines_units(&text.0, out);
}

fn inlines_units<'a>(inlines: &'a [Inline], out: &mut Vec<Unit<'a>>) {
    let mut side = Side::default();
    let mut unit = Unit::default();
    collect(inlines, &mut unit, &mut side, None);
    out.push(unit);
    // Ruby annotations are read apart from the text they annotate: checked for glyphs
    // and control characters, not read as part of its sentence.
    for run in side.annotations {
        out.push(Unit {
            pieces: vec![Piece {
                text: &run.text,
                origin: run.origin.clone(),
                code: true,
                lang: None,
            }],
        });
    }
    for note in side.notes {
        inlines_units(note, out);
    }
}

/// What a text holds that is read as a text of its own: its notes, its annotations.
#[derive(Default)]
struct Side<'a> {
    notes: Vec<&'a [Inline]>,
    annotations: Vec<&'a Run>,
}

/// The pieces of `inlines` into `unit`; the content of each note and each ruby
/// annotation is left for a unit of its own.
fn collect<'a>(
    inlines: &'a [Inline],
    unit: &mut Unit<'a>,
    side: &mut Side<'a>,
    lang: Option<&'a LanguageTag>,
) {
    for inline in inlines {
        match inline {
            Inline::Text(run) => unit.pieces.push(Piece {
                text: &run.text,
                origin: run.origin.clone(),
                code: false,
                lang,
            }),
            Inline::Code(run) => unit.pieces.push(Piece {
                text: &run.text,
                origin: run.origin.clone(),
                code: true,
                lang,
            }),
            Inline::Ruby(ruby) => {
                unit.pieces.push(Piece {
                    text: &ruby.base.text,
                    origin: ruby.base.origin.clone(),
                    code: false,
                    lang,
                });
                side.annotations.extend(&ruby.annotations);
            }
            Inline::Strong(inner)
            | Inline::Emphasis(inner)
            | Inline::Superscript(inner)
            | Inline::Subscript(inner)
            | Inline::ProperName(inner)
            | Inline::BookTitle(inner)
            | Inline::Underline(inner)
            | Inline::Strike(inner) => collect(inner, unit, side, lang),
            Inline::Lang(run_lang) => collect(&run_lang.content, unit, side, Some(&run_lang.tag)),
            Inline::Link(link) => collect(&link.content, unit, side, lang),
            Inline::Note(note) => side.notes.push(&note.content),
            Inline::Ref(_) => {}
        }
    }
}

/// Calls `f` on every figure of `blocks`, inside panels, quotations and list items too.
pub fn for_each_figure(blocks: &mut [Block], f: &mut impl FnMut(&mut super::Figure)) {
    for block in blocks {
        match block {
            Block::Figure(figure) => f(figure),
            Block::Sidebar(sidebar) => for_each_figure(&mut sidebar.body, f),
            Block::Quote(quote) => for_each_figure(&mut quote.body, f),
            Block::List(list) => {
                for item in &mut list.items {
                    for_each_figure(item, f);
                }
            }
            _ => {}
        }
    }
}
