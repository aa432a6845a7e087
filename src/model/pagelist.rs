//! Print page numbers for the EPUB: where each page of the PDF begins in the content.
//!
//! The typst markup writer records [`Anchors`]: for every string literal that holds a
//! text of the model, its byte range in the markup and the text it holds; for every
//! block, list item and note, the range of markup it spans. The engine lays the markup
//! out, finds the first glyph (or image) of each page's body, and maps its source span
//! back through the anchors to a [`Place`] in the model; the EPUB writer puts a
//! page-break marker there.
//!
//! Texts and blocks are named by their address in the document ([`TextKey`],
//! [`BlockKey`]): both writers are given the same, unchanged `Document`, so an address
//! names the same text in both.

use std::ops::Range;

use super::Block;

/// A text of the document (a run's, a link's address, a reference's words), by address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TextKey(usize);

impl TextKey {
    #[allow(clippy::ptr_arg)] // the address of the `String` the model holds is the key
    pub fn of(text: &String) -> Self {
        Self(std::ptr::from_ref(text) as usize)
    }
}

/// A block of the document, by address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BlockKey(usize);

impl BlockKey {
    pub fn of(block: &Block) -> Self {
        Self(std::ptr::from_ref(block) as usize)
    }
}

/// Where a page-break marker stands in the EPUB.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Place {
    /// At the start of the book's text: before a 公文's 版头 or the title block.
    DocumentStart,
    /// Before a block.
    Block(BlockKey),
    /// At the start of item `n` (from 0) of a list, before its label.
    Item(BlockKey, usize),
    /// Inside a text, before its character `n` (from 0).
    Text(TextKey, usize),
    /// Before a 公文's closing (附件说明, signature, 附注).
    Closing,
    /// Before a 公文's 版记.
    Banji,
    /// After everything else.
    End,
}

/// One page of the print edition: its label (the folio it prints) and where it begins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageBreak {
    /// The page's number as the PDF labels it (`17`).
    pub label: String,
    /// The page's place among all the PDF's pages, from 1: unique, for the marker's id.
    pub physical: usize,
    pub place: Place,
}

/// The print edition's pages, in reading order, and the edition they come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageList {
    pub breaks: Vec<PageBreak>,
    /// The print edition, for the EPUB's `pageBreakSource`: the content's identifier
    /// (else its title) and the edition (`urn:isbn:… (PDF, A5, 148×210 mm)`).
    pub source: String,
    /// The edition alone (`PDF, A5, 148×210 mm`), for the accessibility summary.
    pub edition: String,
}

/// What a text literal in the markup holds.
#[derive(Debug, Clone)]
struct TextAnchor {
    range: Range<usize>,
    key: TextKey,
    /// The index in the text of the literal's first character (a text may be written
    /// as several literals).
    char_base: usize,
    /// The literal's value, to turn typst's byte offsets into characters.
    value: String,
    /// The place its first character stands for: the start of the block (or item) it
    /// opens, when it is the first text written in it.
    lead: Option<usize>,
    /// Inside a note: printed at the foot of the page, never where the page begins.
    in_note: bool,
}

#[derive(Debug, Clone)]
enum ExtentKind {
    Place(Place),
    /// A note: nothing in it marks where a page begins.
    Note,
}

/// The markup a block, a list item or a note spans.
#[derive(Debug, Clone)]
struct Extent {
    start: usize,
    end: usize,
    kind: ExtentKind,
    /// The extent this one is inside.
    parent: Option<usize>,
    /// Where the first text literal inside it starts: markup before that (a heading's
    /// number, a caption's label, an image) stands for the extent's start.
    first_text: Option<usize>,
}

/// A literal that is not the model's text but stands for a place: a list item's label,
/// the title or a 公文's parts in the layout's arguments.
#[derive(Debug, Clone)]
struct Label {
    range: Range<usize>,
    place: Place,
}

/// The map from markup positions back to places in the document.
#[derive(Debug, Clone, Default)]
pub struct Anchors {
    texts: Vec<TextAnchor>,
    extents: Vec<Extent>,
    labels: Vec<Label>,
    /// Extents opened and holding no text yet, innermost last.
    pending: Vec<usize>,
    /// Extents open now, innermost last.
    open: Vec<usize>,
    notes: usize,
    /// Order keys of the places that are not extents.
    closing: usize,
    banji: usize,
    end: usize,
    /// Where each block and item begins.
    starts: std::collections::HashMap<Place, usize>,
}

impl Anchors {
    /// Opens the extent of `place` at markup offset `at`.
    pub fn open(&mut self, place: Place, at: usize) {
        self.open_kind(ExtentKind::Place(place), at);
    }

    /// Opens a note's extent.
    pub fn open_note(&mut self, at: usize) {
        self.notes += 1;
        self.open_kind(ExtentKind::Note, at);
    }

    fn open_kind(&mut self, kind: ExtentKind, at: usize) {
        let index = self.extents.len();
        self.extents.push(Extent {
            start: at,
            end: usize::MAX,
            kind: kind.clone(),
            parent: self.open.last().copied(),
            first_text: None,
        });
        self.open.push(index);
        if matches!(kind, ExtentKind::Place(_)) && self.notes == 0 {
            self.pending.push(index);
        }
    }

    /// Closes the innermost open extent at `at`.
    pub fn close(&mut self, at: usize) {
        let Some(index) = self.open.pop() else { return };
        self.extents[index].end = at;
        if matches!(self.extents[index].kind, ExtentKind::Note) {
            self.notes -= 1;
        }
        self.pending.retain(|&i| i != index);
    }

    /// Records a literal at `range` that holds `value`, the characters of the text
    /// `key` from its character `char_base` on.
    pub fn text(&mut self, range: Range<usize>, key: TextKey, char_base: usize, value: &str) {
        let in_note = self.notes > 0;
        let lead = if char_base == 0 && !in_note {
            self.pending.first().copied()
        } else {
            None
        };
        if !in_note {
            self.pending.clear();
        }
        for &index in &self.open {
            let extent = &mut self.extents[index];
            if extent.first_text.is_none() {
                extent.first_text = Some(range.start);
            }
        }
        self.texts.push(TextAnchor {
            range,
            key,
            char_base,
            value: value.to_owned(),
            lead,
            in_note,
        });
    }

    /// Records a literal that stands for `place` (a list item's label, the title).
    pub fn label(&mut self, range: Range<usize>, place: Place) {
        self.labels.push(Label { range, place });
    }

    /// Ends the record: `body_end` is where the body's markup ends.
    pub fn finish(&mut self, body_end: usize) {
        while !self.open.is_empty() {
            self.close(body_end);
        }
        if self.closing == 0 {
            self.closing = body_end;
        }
        self.banji = body_end + 1;
        self.end = body_end + 2;
        self.starts = self
            .extents
            .iter()
            .filter_map(|e| match e.kind {
                ExtentKind::Place(place) => Some((place, e.start)),
                ExtentKind::Note => None,
            })
            .collect();
        self.texts.sort_by_key(|t| t.range.start);
        self.labels.sort_by_key(|l| l.range.start);
    }

    /// Notes that a block starting at `at` is an appendix: a 公文's closing stands
    /// before its first 附件.
    pub fn closing_before_first(&mut self, at: usize) {
        if self.closing == 0 {
            self.closing = at.saturating_sub(1).max(1);
        }
    }

    /// The order key of a place that is not inside a text: the markup offset where it
    /// begins. Later in reading order is a greater key.
    pub fn order(&self, place: Place) -> Option<usize> {
        self.order_of(place)
    }

    fn order_of(&self, place: Place) -> Option<usize> {
        match place {
            Place::DocumentStart => Some(0),
            Place::Closing => Some(self.closing),
            Place::Banji => Some(self.banji),
            Place::End => Some(self.end),
            Place::Text(..) => None,
            Place::Block(_) | Place::Item(..) => self.starts.get(&place).copied(),
        }
    }

    /// Where the glyph typst drew from markup offset `at` (the start of its span), byte
    /// `offset` into the span's text, stands in the document, with its order key; none
    /// for what does not mark the start of a page (a note, a reference's mark, the
    /// layout's own words).
    pub fn resolve(&self, at: usize, offset: usize) -> Option<(usize, Place)> {
        // A literal holding the model's text.
        let i = self.texts.partition_point(|t| t.range.start <= at);
        if let Some(text) = i.checked_sub(1).map(|i| &self.texts[i])
            && text.range.contains(&at)
        {
            if text.in_note {
                return None;
            }
            let offset = offset.min(text.value.len());
            let chars = text
                .value
                .char_indices()
                .take_while(|(byte, _)| *byte < offset)
                .count();
            let character = text.char_base + chars;
            if character == 0
                && let Some(lead) = text.lead
            {
                let extent = &self.extents[lead];
                if let ExtentKind::Place(place) = extent.kind {
                    return Some((extent.start, place));
                }
            }
            return Some((text.range.start + offset, Place::Text(text.key, character)));
        }
        // A literal standing for a place.
        let i = self.labels.partition_point(|l| l.range.start <= at);
        if let Some(label) = i.checked_sub(1).map(|i| &self.labels[i])
            && label.range.contains(&at)
        {
            return self.order_of(label.place).map(|order| (order, label.place));
        }
        // Markup of a block before its first text: its number, its label, its image.
        let i = self.extents.partition_point(|e| e.start <= at);
        let mut next = i.checked_sub(1);
        while let Some(index) = next {
            let extent = &self.extents[index];
            if (extent.start..extent.end).contains(&at) {
                return match extent.kind {
                    ExtentKind::Note => None,
                    ExtentKind::Place(place) => {
                        let before_text = extent.first_text.is_none_or(|first| at < first);
                        before_text.then_some((extent.start, place))
                    }
                };
            }
            // The last extent to start before `at` ended before it: only an extent around
            // it can hold `at`.
            next = extent.parent;
        }
        None
    }

    /// How many literals of the model's text were recorded.
    pub fn text_count(&self) -> usize {
        self.texts.len()
    }
}
