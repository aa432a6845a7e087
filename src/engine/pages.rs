//! What the laid-out pages tell the EPUB: where each page of the print edition begins in
//! the content (its page list), and the title page as a picture (its cover).
//!
//! Every glyph typst lays out carries the span of the markup it came from and its byte
//! offset in that span's text; paiban writes each text of the model as a string literal
//! and records where ([`Anchors`]), so the first glyph of a page's body leads back to the
//! exact character of the content where the page begins. What is not the page's body is
//! left out: the running head and folio (typst marks them as artifacts), a table's header
//! repeated at the top of a page, a table of contents' entries, and notes (at the foot of
//! the page, not where it begins).

use std::collections::HashMap;

use typst::World;
use typst::foundations::{Content, StyleChain, Value};
use typst::introspection::{Location, MetadataElem, Tag};
use typst::layout::{Frame, FrameItem};
use typst::model::{Numbering, OutlineEntry, TableCell};
use typst::pdf::ArtifactElem;
use typst::syntax::{Span, SyntaxNode};
use typst_layout::{Page, PagedDocument};

use super::world::PaibanWorld;
use crate::model::pagelist::{Anchors, PageBreak, Place};

/// Where each labelled page of `document` begins, in reading order. Pages the layout
/// does not number (a title page, a 目录, a blank verso in the front matter) have no
/// marker. A numbered page with nothing of the content on it (a blank page) shares the
/// place of the page after it.
pub fn page_breaks(
    world: &PaibanWorld,
    document: &PagedDocument,
    anchors: &Anchors,
) -> Vec<PageBreak> {
    // Where every node of the markup starts, found in one walk: looking each span up in
    // the syntax tree on its own costs a scan of its siblings, which on a book of
    // thousands of pages is most of the build.
    let mut spans = HashMap::new();
    if let Ok(source) = world.source(world.main()) {
        span_starts(source.root(), 0, &mut spans);
    }
    let mut finder = Finder {
        world,
        anchors,
        spans,
        excluded: Vec::new(),
        earliest: Vec::new(),
    };
    // Each numbered page with the first place of its body, if any.
    let mut pages: Vec<(usize, String, Located)> = Vec::new();
    for (index, page) in document.pages().iter().enumerate() {
        let mut first = finder.first_on(&page.frame);
        // The first page begins the book, whatever the layout prints on it first (a
        // 公文's 版头 from the layout's arguments).
        if index == 0 {
            first = Some((0, Place::DocumentStart));
        }
        if let Some(label) = label(page) {
            pages.push((index + 1, label, first));
        }
    }
    // Places only move forward: a page whose first place is not after the previous
    // page's (nothing new on it) stands where the next page begins.
    let mut breaks = Vec::with_capacity(pages.len());
    let mut next: Option<(usize, Place)> = None;
    let mut resolved: Vec<Option<(usize, Place)>> = vec![None; pages.len()];
    let mut last = None;
    for (i, (_, _, first)) in pages.iter().enumerate() {
        if let Some((order, place)) = first
            && last.is_none_or(|previous| *order > previous)
        {
            resolved[i] = Some((*order, *place));
            last = Some(*order);
        }
    }
    for i in (0..pages.len()).rev() {
        match resolved[i] {
            Some(found) => next = Some(found),
            None => resolved[i] = next.or(Some((usize::MAX, Place::End))),
        }
    }
    for ((physical, label, _), place) in pages.into_iter().zip(resolved) {
        let (_, place) = place.unwrap_or((usize::MAX, Place::End));
        breaks.push(PageBreak {
            label,
            physical,
            place,
        });
    }
    breaks
}

/// Records where `node` and every node inside it start, `offset` being where `node` does.
fn span_starts(node: &SyntaxNode, offset: usize, starts: &mut HashMap<Span, usize>) {
    starts.entry(node.span()).or_insert(offset);
    let mut at = offset;
    for child in node.children() {
        span_starts(child, at, starts);
        at += child.len();
    }
}

/// The page's number as the PDF labels it; none for a page the layout does not number.
fn label(page: &Page) -> Option<String> {
    match page.numbering.as_ref()? {
        Numbering::Pattern(pattern) => pattern
            .apply(None, &[page.number])
            .ok()
            .map(|label| label.to_string()),
        // A numbering function needs typst's engine; its number is the page's.
        Numbering::Func(_) => Some(page.number.to_string()),
    }
}

/// A place in the document with its order key (later in reading order, greater).
type Located = Option<(usize, Place)>;

struct Finder<'a> {
    world: &'a PaibanWorld,
    anchors: &'a Anchors,
    /// Where each span of the markup starts.
    spans: HashMap<Span, usize>,
    /// Elements open now whose content is not the page's body.
    excluded: Vec<Location>,
    /// Each span of the text item walked now, with its least offset (kept to reuse).
    earliest: Vec<(Span, u16)>,
}

impl Finder<'_> {
    /// The earliest place of the content on a page, with its order key.
    fn first_on(&mut self, frame: &Frame) -> Option<(usize, Place)> {
        let mut first: Option<(usize, Place)> = None;
        self.walk(frame, &mut first);
        first
    }

    fn walk(&mut self, frame: &Frame, first: &mut Option<(usize, Place)>) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(group) => self.walk(&group.frame, first),
                FrameItem::Text(text) if self.excluded.is_empty() => {
                    // Within one span a later offset never stands earlier in the document,
                    // so each span's first glyph is the only one to look up: looking up
                    // every glyph (a character count from the literal's start each time)
                    // cost 13 % of a 4,620-page build with its EPUB.
                    self.earliest.clear();
                    for glyph in &text.glyphs {
                        let (span, offset) = glyph.span;
                        match self.earliest.iter_mut().find(|(s, _)| *s == span) {
                            Some((_, earliest)) => *earliest = (*earliest).min(offset),
                            None => self.earliest.push((span, offset)),
                        }
                    }
                    for &(span, offset) in &self.earliest {
                        self.consider(span, usize::from(offset), first);
                    }
                }
                FrameItem::Image(_, _, span) if self.excluded.is_empty() => {
                    self.consider(*span, 0, first);
                }
                FrameItem::Tag(Tag::Start(element, _)) if self.excluded.is_empty() => {
                    // A layout marks the parts it prints from its arguments.
                    if let Some(metadata) = element.to_packed::<MetadataElem>()
                        && let Value::Str(name) = &metadata.value
                        && let Some(place) = match name.as_str() {
                            "paiban-place: closing" => Some(Place::Closing),
                            "paiban-place: banji" => Some(Place::Banji),
                            _ => None,
                        }
                        && let Some(order) = self.anchors.order(place)
                        && first.is_none_or(|(best, _)| order < best)
                    {
                        *first = Some((order, place));
                    }
                    self.exclude(element);
                }
                FrameItem::Tag(Tag::Start(element, _)) => self.exclude(element),
                FrameItem::Tag(Tag::End(location, ..)) => {
                    if let Some(i) = self.excluded.iter().rposition(|l| l == location) {
                        self.excluded.remove(i);
                    }
                }
                _ => {}
            }
        }
    }

    /// Notes the start of an element whose content is not the page's body.
    fn exclude(&mut self, element: &Content) {
        let outside_body = element.is::<ArtifactElem>()
            || element.is::<OutlineEntry>()
            || element
                .to_packed::<TableCell>()
                .is_some_and(|cell| cell.is_repeated.get(StyleChain::default()));
        if outside_body && let Some(location) = element.location() {
            self.excluded.push(location);
        }
    }

    fn consider(&self, span: Span, offset: usize, first: &mut Option<(usize, Place)>) {
        if span.is_detached() {
            return;
        }
        if span.id() != Some(self.world.main()) {
            return;
        }
        let Some(&start) = self.spans.get(&span) else {
            return;
        };
        if let Some((order, place)) = self.anchors.resolve(start, offset)
            && first.is_none_or(|(best, _)| order < best)
        {
            *first = Some((order, place));
        }
    }
}

/// The height of a cover rendered from the title page, in pixels (the width follows the
/// page's proportions: 1131 for A4, 1127 for A5).
pub const COVER_HEIGHT: u32 = 1600;

/// The first page (the title page) as a PNG image [`COVER_HEIGHT`] pixels high, without
/// bleed or crop marks; none for a document without pages.
pub fn title_page_png(document: &PagedDocument) -> Option<Vec<u8>> {
    let page = document.pages().first()?;
    let height = page.frame.size().y.to_pt();
    if height <= 0.0 {
        return None;
    }
    let options = typst_render::RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new(f64::from(COVER_HEIGHT) / height),
        render_bleed: false,
    };
    typst_render::render(page, &options).encode_png().ok()
}

/// The trim size of the body's pages in millimetres: the first numbered page's (the
/// bleed and a crop-mark slug lie outside a page's frame).
pub fn trim_mm(document: &PagedDocument) -> Option<(f64, f64)> {
    let page = document
        .pages()
        .iter()
        .find(|page| page.numbering.is_some())
        .or_else(|| document.pages().first())?;
    let size = page.frame.size();
    Some((size.x.to_mm(), size.y.to_mm()))
}
