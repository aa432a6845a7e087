//! Font subsetting for EPUB embedding, with allsorts.
//!
//! A whole CJK face is 15–25 MB; a book uses a few thousand characters. allsorts is pure
//! Rust and writes a complete OpenType font (with `cmap`, which reading systems need),
//! from both CFF faces (Noto CJK) and TrueType faces (LXGW WenKai). typst's own
//! `subsetter` drops `cmap`, since it writes fonts for PDF only.

use std::collections::BTreeSet;

use allsorts::Font;
use allsorts::binary::read::ReadScope;
use allsorts::font::MatchingPresentation;
use allsorts::font_data::FontData;
use allsorts::subset::{CmapTarget, SubsetProfile, subset};

use crate::diag::Diagnostic;

/// A face to embed, as the layout's stylesheet names it.
pub struct FontSource<'a> {
    pub family: String,
    pub weight: u16,
    /// An ASCII file name for the package.
    pub file_name: String,
    pub data: &'a [u8],
    pub index: u32,
}

/// A subset face inside the package.
pub struct EmbeddedFont {
    pub family: String,
    pub weight: u16,
    pub file_name: String,
    pub media_type: &'static str,
    pub data: Vec<u8>,
}

/// Subsets `source` to the glyphs of `chars` (those the face has).
pub fn embed(source: &FontSource, chars: &BTreeSet<char>) -> Result<EmbeddedFont, Diagnostic> {
    let fail = |what: String| {
        Diagnostic::error(
            &source.file_name,
            format!("cannot subset {} for EPUB: {what}", source.family),
        )
    };
    let scope = ReadScope::new(source.data);
    let font_data = scope
        .read::<FontData<'_>>()
        .map_err(|e| fail(e.to_string()))?;
    let provider = font_data
        .table_provider(source.index as usize)
        .map_err(|e| fail(e.to_string()))?;
    let mut font = Font::new(provider).map_err(|e| fail(e.to_string()))?;
    // Glyph 0 (.notdef) must stay first.
    let mut glyphs = BTreeSet::from([0u16]);
    for &c in chars {
        let (glyph, _) = font.lookup_glyph_index(c, MatchingPresentation::NotRequired, None);
        glyphs.insert(glyph);
    }
    let glyphs: Vec<u16> = glyphs.into_iter().collect();
    let provider = font_data
        .table_provider(source.index as usize)
        .map_err(|e| fail(e.to_string()))?;
    let is_cff = source.data.get(..4) == Some(b"OTTO".as_slice()) || {
        use allsorts::tables::FontTableProvider;
        provider.has_table(allsorts::tag::CFF)
    };
    let data = subset(
        &provider,
        &glyphs,
        &SubsetProfile::Minimal,
        CmapTarget::Unrestricted,
    )
    .map_err(|e| fail(e.to_string()))?;
    let (extension, media_type) = if is_cff {
        ("otf", "font/otf")
    } else {
        ("ttf", "font/ttf")
    };
    let stem = source
        .file_name
        .rsplit_once('.')
        .map_or(source.file_name.as_str(), |(stem, _)| stem);
    Ok(EmbeddedFont {
        family: source.family.clone(),
        weight: source.weight,
        file_name: format!("{stem}.{extension}"),
        media_type,
        data,
    })
}
