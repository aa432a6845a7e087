//! Page-break markers and the page list: the print edition's page numbers in the book.

use std::collections::HashMap;
use std::fmt::Write;

use crate::model::pagelist::{PageList, Place, TextKey};

use super::xhtml::{escape, text};
use crate::diag::Diagnostic;

/// A piece of a text with markers: the text itself, or the marker before what follows.
pub enum Piece<'a> {
    Text(&'a str),
    Marker(String),
}

/// The markers of a page list, by where they stand, and where each was put.
#[derive(Default)]
pub struct Markers<'a> {
    list: Option<&'a PageList>,
    at_text: HashMap<TextKey, Vec<(usize, usize)>>,
    at_place: HashMap<Place, Vec<usize>>,
    /// Each marker's link target (`text/ch02.xhtml#page-5`), once it has been written.
    placed: Vec<Option<String>>,
}

impl<'a> Markers<'a> {
    pub fn new(list: Option<&'a PageList>) -> Self {
        let mut markers = Self {
            list,
            ..Self::default()
        };
        let Some(list) = list else { return markers };
        markers.placed = vec![None; list.breaks.len()];
        for (i, page) in list.breaks.iter().enumerate() {
            match page.place {
                Place::Text(key, character) => {
                    markers.at_text.entry(key).or_default().push((character, i))
                }
                place => markers.at_place.entry(place).or_default().push(i),
            }
        }
        markers
    }

    /// The marker of page `i`, written into the document at `href`.
    fn marker(&mut self, i: usize, href: &str) -> String {
        let Some(list) = self.list else {
            return String::new();
        };
        let page = &list.breaks[i];
        let id = format!("page-{}", page.physical);
        self.placed[i] = Some(format!("{href}#{id}"));
        format!(
            "<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"{id}\" aria-label=\"{}\"/>",
            escape(&page.label)
        )
    }

    /// The markers that stand at `place`, for the document `href`.
    pub fn at(&mut self, place: Place, href: &str) -> String {
        let Some(pages) = self.at_place.remove(&place) else {
            return String::new();
        };
        pages.into_iter().map(|i| self.marker(i, href)).collect()
    }

    /// `shown` (the text `key`, or the start of it) cut where markers stand, with the
    /// markers between the pieces. A marker past the end of `shown` comes after it.
    pub fn split<'s>(&mut self, key: TextKey, shown: &'s str, href: &str) -> Vec<Piece<'s>> {
        let Some(mut pages) = self.at_text.remove(&key) else {
            return vec![Piece::Text(shown)];
        };
        pages.sort();
        let mut pieces = Vec::new();
        let mut chars = shown.char_indices().map(|(byte, _)| byte).enumerate();
        let mut from = 0;
        for (character, i) in pages {
            let byte = chars
                .by_ref()
                .find(|&(index, _)| index == character)
                .map_or(shown.len(), |(_, byte)| byte);
            let byte = byte.max(from);
            if byte > from {
                pieces.push(Piece::Text(&shown[from..byte]));
            }
            pieces.push(Piece::Marker(self.marker(i, href)));
            from = byte;
        }
        if from < shown.len() {
            pieces.push(Piece::Text(&shown[from..]));
        }
        pieces
    }

    /// The markers of `key` that fall within characters `range` of it (a ruby's pair):
    /// each is put before the pair.
    pub fn within(&mut self, key: TextKey, range: std::ops::Range<usize>, href: &str) -> String {
        let Some(pages) = self.at_text.get_mut(&key) else {
            return String::new();
        };
        let (inside, outside): (Vec<_>, Vec<_>) = pages
            .drain(..)
            .partition(|(character, _)| range.contains(character));
        *pages = outside;
        inside
            .into_iter()
            .map(|(_, i)| self.marker(i, href))
            .collect()
    }

    /// The navigation document's page list: every page, in reading order, linked to its
    /// marker.
    pub fn nav(&self, heading: &str) -> Result<String, Diagnostic> {
        let Some(list) = self.list else {
            return Ok(String::new());
        };
        let mut out = format!(
            "<nav epub:type=\"page-list\" id=\"page-list\" hidden=\"hidden\">\n<h2>{}</h2>\n<ol>\n",
            text(heading)?
        );
        for (page, href) in list.breaks.iter().zip(&self.placed) {
            if let Some(href) = href {
                let _ = writeln!(
                    out,
                    "<li><a href=\"{}\">{}</a></li>",
                    escape(href),
                    text(&page.label)?
                );
            }
        }
        out.push_str("</ol>\n</nav>\n");
        Ok(out)
    }
}
