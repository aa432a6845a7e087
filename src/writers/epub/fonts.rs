//! Font subsetting for EPUB embedding, with allsorts.
//!
//! A whole CJK face is 15–25 MB; a book uses a few thousand characters. allsorts is pure
//! Rust and writes a complete OpenType font (with `cmap`, which reading systems need),
//! from both CFF faces (Noto CJK) and TrueType faces (LXGW WenKai). typst's own
//! `subsetter` drops `cmap`, since it writes fonts for PDF only.
//!
//! allsorts writes no `GSUB`, but a CJK face needs two of its features in a book: `locl`,
//! which gives each language its glyph forms (骨 in Taiwan, 直 in Japan), and `vert`/`vrt2`,
//! which give vertical lines their punctuation. [`layout_forms`] reads those single
//! substitutions from the source face, the subset keeps the glyphs they reach, and a new
//! `GSUB` with just them, renumbered, is added to the subset face.

use std::collections::BTreeSet;

use allsorts::Font;
use allsorts::binary::read::ReadScope;
use allsorts::font::MatchingPresentation;
use allsorts::font_data::FontData;
use allsorts::subset::{CmapTarget, SubsetProfile, subset};
use std::collections::BTreeMap;
use write_fonts::FontBuilder;
use write_fonts::read::tables::layout::LangSys;
use write_fonts::read::{self as read, FontRef, ReadError, TableProvider};
use write_fonts::tables::gsub::{Gsub, SingleSubst, SubstitutionLookup};
use write_fonts::tables::layout::{
    CoverageTable, Feature, FeatureList, FeatureRecord, LangSys as WriteLangSys, LangSysRecord,
    Lookup, LookupFlag, LookupList, Script, ScriptList, ScriptRecord,
};
use write_fonts::types::{GlyphId16, Tag};

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
/// The glyph forms a book needs beyond its characters' default ones: the regional forms
/// of its languages (OpenType language systems such as `ZHT`, `JAN`), and vertical forms
/// if it is set in vertical lines.
#[derive(Debug, Clone, Default)]
pub struct Forms {
    pub languages: BTreeSet<Tag>,
    pub vertical: bool,
}

impl Forms {
    /// The OpenType language system whose `locl` gives `tag`'s forms, if it is a CJK
    /// language whose forms differ by region.
    pub fn language_system(tag: &crate::model::LanguageTag) -> Option<Tag> {
        use crate::model::Locale;
        Some(Tag::new(match Locale::of(tag) {
            Locale::Hant if tag.region().as_deref() == Some("hk") => b"ZHH ",
            Locale::Hant => b"ZHT ",
            Locale::Hans => b"ZHS ",
            Locale::Japanese => b"JAN ",
            Locale::Korean => b"KOR ",
            Locale::English => return None,
        }))
    }
}

pub fn embed(
    source: &FontSource,
    chars: &BTreeSet<char>,
    wanted: &Forms,
) -> Result<EmbeddedFont, Diagnostic> {
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
    let forms =
        LayoutForms::read(source.data, source.index, wanted).map_err(|e| fail(e.to_string()))?;
    forms.close_over(&mut glyphs);
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
    let data = forms
        .add_to(&data, &glyphs)
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

/// A script's default language system and its others, each as the indices of the kept
/// features it uses.
type ScriptForms = (Tag, Option<Vec<usize>>, Vec<(Tag, Vec<usize>)>);

/// A face's regional and vertical forms: its scripts and language systems (each with the
/// indices of its kept features), the kept features (each with its lookups), and the
/// single substitutions of each lookup those features use, by the lookup's index.
#[derive(Default)]
struct LayoutForms {
    scripts: Vec<ScriptForms>,
    features: Vec<(Tag, Vec<usize>)>,
    lookups: BTreeMap<usize, BTreeMap<u16, u16>>,
}

impl LayoutForms {
    /// Reads the features of face `index` of `data` that give the `wanted` forms: `locl`
    /// where a wanted language system uses it, `vert` and `vrt2` for vertical lines; none
    /// for a face without `GSUB`. Lookups other than single substitutions (none in the
    /// bundled faces) are left out.
    fn read(data: &[u8], index: u32, wanted: &Forms) -> Result<Self, ReadError> {
        let font = FontRef::from_index(data, index)?;
        let Ok(gsub) = font.gsub() else {
            return Ok(Self::default());
        };
        let script_list = gsub.script_list()?;
        let feature_list = gsub.feature_list()?;
        let lookup_list = gsub.lookup_list()?;
        // The features the wanted language systems use.
        let mut of_wanted_languages = BTreeSet::new();
        for record in script_list.script_records() {
            let script = record.script(script_list.offset_data())?;
            for language in script.lang_sys_records() {
                if wanted.languages.contains(&language.lang_sys_tag()) {
                    let lang_sys = language.lang_sys(script.offset_data())?;
                    of_wanted_languages.extend(
                        lang_sys
                            .feature_indices()
                            .iter()
                            .map(|i| usize::from(i.get())),
                    );
                }
            }
        }
        let wanted_feature = |i: usize, tag: Tag| match &tag.to_be_bytes() {
            b"locl" => of_wanted_languages.contains(&i),
            b"vert" | b"vrt2" => wanted.vertical,
            _ => false,
        };
        let mut forms = Self::default();
        // Old feature index → index among the kept features.
        let mut kept: BTreeMap<usize, usize> = BTreeMap::new();
        for (i, record) in feature_list.feature_records().iter().enumerate() {
            if !wanted_feature(i, record.feature_tag()) {
                continue;
            }
            let feature = record.feature(feature_list.offset_data())?;
            let mut lookups = Vec::new();
            for lookup_index in feature.lookup_list_indices() {
                let lookup_index = usize::from(lookup_index.get());
                if let std::collections::btree_map::Entry::Vacant(entry) =
                    forms.lookups.entry(lookup_index)
                {
                    let Some(map) = single_substitutions(&lookup_list, lookup_index)? else {
                        continue;
                    };
                    entry.insert(map);
                }
                lookups.push(lookup_index);
            }
            kept.insert(i, forms.features.len());
            forms.features.push((record.feature_tag(), lookups));
        }
        if forms.features.is_empty() {
            return Ok(Self::default());
        }
        let keep = |lang_sys: &LangSys| -> Vec<usize> {
            lang_sys
                .feature_indices()
                .iter()
                .filter_map(|i| kept.get(&usize::from(i.get())).copied())
                .collect()
        };
        for record in script_list.script_records() {
            let script = record.script(script_list.offset_data())?;
            let default = script.default_lang_sys().transpose()?.map(|l| keep(&l));
            let mut languages = Vec::new();
            for language in script.lang_sys_records() {
                let lang_sys = language.lang_sys(script.offset_data())?;
                languages.push((language.lang_sys_tag(), keep(&lang_sys)));
            }
            forms
                .scripts
                .push((record.script_tag(), default, languages));
        }
        Ok(forms)
    }

    /// Adds to `glyphs` every glyph the kept substitutions reach from them.
    fn close_over(&self, glyphs: &mut BTreeSet<u16>) {
        loop {
            let reached: Vec<u16> = self
                .lookups
                .values()
                .flat_map(|map| glyphs.iter().filter_map(|g| map.get(g).copied()))
                .filter(|g| !glyphs.contains(g))
                .collect();
            if reached.is_empty() {
                return;
            }
            glyphs.extend(reached);
        }
    }

    /// The subset face `subset`, whose glyphs are `glyphs` in order (glyph `glyphs[i]` of
    /// the source is glyph `i`), with a `GSUB` of the kept forms among them.
    fn add_to(&self, subset: &[u8], glyphs: &[u16]) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
        if self.features.is_empty() {
            return Ok(subset.to_vec());
        }
        let new_id: BTreeMap<u16, u16> = glyphs
            .iter()
            .enumerate()
            .map(|(i, &g)| (g, i as u16))
            .collect();
        // Each used lookup, renumbered; those with nothing left in the subset go.
        let mut lookup_index: BTreeMap<usize, usize> = BTreeMap::new();
        let mut lookups = Vec::new();
        for (&old, map) in &self.lookups {
            let pairs: BTreeMap<u16, u16> = map
                .iter()
                .filter_map(|(from, to)| Some((*new_id.get(from)?, *new_id.get(to)?)))
                .collect();
            if pairs.is_empty() {
                continue;
            }
            let coverage: CoverageTable = pairs.keys().map(|&g| GlyphId16::new(g)).collect();
            let substitutes = pairs.values().map(|&g| GlyphId16::new(g)).collect();
            lookup_index.insert(old, lookups.len());
            lookups.push(SubstitutionLookup::Single(Lookup::new(
                LookupFlag::empty(),
                vec![SingleSubst::format_2(coverage, substitutes)],
            )));
        }
        // Features with no lookup left go too; language systems keep the others.
        let mut feature_index: BTreeMap<usize, u16> = BTreeMap::new();
        let mut features = Vec::new();
        for (i, (tag, old_lookups)) in self.features.iter().enumerate() {
            let indices: Vec<u16> = old_lookups
                .iter()
                .filter_map(|l| lookup_index.get(l).map(|&n| n as u16))
                .collect();
            if indices.is_empty() {
                continue;
            }
            feature_index.insert(i, features.len() as u16);
            features.push(FeatureRecord::new(*tag, Feature::new(None, indices)));
        }
        if features.is_empty() {
            return Ok(subset.to_vec());
        }
        let lang_sys = |indices: &[usize]| {
            WriteLangSys::new(
                indices
                    .iter()
                    .filter_map(|i| feature_index.get(i).copied())
                    .collect(),
            )
        };
        let scripts = self
            .scripts
            .iter()
            .map(|(tag, default, languages)| {
                let records = languages
                    .iter()
                    .map(|(tag, indices)| LangSysRecord::new(*tag, lang_sys(indices)))
                    .collect();
                ScriptRecord::new(*tag, Script::new(default.as_deref().map(lang_sys), records))
            })
            .collect();
        let gsub = Gsub::new(
            ScriptList::new(scripts),
            FeatureList::new(features),
            LookupList::new(lookups),
        );
        let mut builder = FontBuilder::new();
        builder.add_table(&gsub)?;
        builder.copy_missing_tables(FontRef::new(subset)?);
        Ok(builder.build())
    }
}

/// The substitutions of lookup `index` if it is a single substitution, glyph by glyph.
fn single_substitutions(
    lookup_list: &read::tables::gsub::SubstitutionLookupList<'_>,
    index: usize,
) -> Result<Option<BTreeMap<u16, u16>>, ReadError> {
    use read::tables::gsub::{SingleSubst as ReadSingleSubst, SubstitutionSubtables};
    let lookup = lookup_list.lookups().get(index)?;
    let SubstitutionSubtables::Single(subtables) = lookup.subtables()? else {
        return Ok(None);
    };
    let mut map = BTreeMap::new();
    for subtable in subtables.iter() {
        match subtable? {
            ReadSingleSubst::Format1(table) => {
                let delta = table.delta_glyph_id();
                for glyph in table.coverage()?.iter() {
                    let to = (i32::from(glyph.to_u16()) + i32::from(delta)).rem_euclid(65536);
                    map.entry(glyph.to_u16()).or_insert(to as u16);
                }
            }
            ReadSingleSubst::Format2(table) => {
                let substitutes = table.substitute_glyph_ids();
                for (glyph, to) in table.coverage()?.iter().zip(substitutes) {
                    map.entry(glyph.to_u16()).or_insert(to.get().to_u16());
                }
            }
        }
    }
    Ok(Some(map))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The substitutions of `feature` in language system `language` of script `hani`
    /// (the default one for `None`), glyph to glyph.
    fn substitutions(
        font: &FontRef,
        feature: &[u8; 4],
        language: Option<&[u8; 4]>,
    ) -> BTreeMap<u16, u16> {
        let gsub = font.gsub().unwrap();
        let scripts = gsub.script_list().unwrap();
        let hani = scripts
            .script_records()
            .iter()
            .find(|r| r.script_tag() == Tag::new(b"hani"))
            .unwrap()
            .script(scripts.offset_data())
            .unwrap();
        let lang_sys = match language {
            None => hani.default_lang_sys().unwrap().unwrap(),
            Some(tag) => hani
                .lang_sys_records()
                .iter()
                .find(|r| r.lang_sys_tag() == Tag::new(tag))
                .unwrap()
                .lang_sys(hani.offset_data())
                .unwrap(),
        };
        let features = gsub.feature_list().unwrap();
        let lookups = gsub.lookup_list().unwrap();
        let mut map = BTreeMap::new();
        for index in lang_sys.feature_indices() {
            let record = &features.feature_records()[usize::from(index.get())];
            if record.feature_tag() != Tag::new(feature) {
                continue;
            }
            let feature = record.feature(features.offset_data()).unwrap();
            for lookup in feature.lookup_list_indices() {
                let found = single_substitutions(&lookups, usize::from(lookup.get()))
                    .unwrap()
                    .unwrap();
                for (from, to) in found {
                    map.entry(from).or_insert(to);
                }
            }
        }
        map
    }

    #[test]
    fn a_subset_face_keeps_regional_and_vertical_forms() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fonts/NotoSerifCJKsc-Regular.otf"
        );
        let data = std::fs::read(path).unwrap();
        let source = FontSource {
            family: "Noto Serif CJK SC".to_owned(),
            weight: 400,
            file_name: "NotoSerifCJKsc-Regular.otf".to_owned(),
            data: &data,
            index: 0,
        };
        let chars: BTreeSet<char> = "骨直今角。「」，甲".chars().collect();
        let wanted = Forms {
            languages: [b"ZHT ", b"JAN "].map(Tag::new).into(),
            vertical: true,
        };
        let embedded = embed(&source, &chars, &wanted).unwrap();
        let original = FontRef::new(&data).unwrap();
        let subset = FontRef::new(&embedded.data).unwrap();
        let glyph = |font: &FontRef, c: char| -> u16 {
            font.cmap().unwrap().map_codepoint(c).unwrap().to_u32() as u16
        };
        // Where each original glyph went: the subset keeps them in order, which its
        // cmap shows for the glyphs characters map to.
        let mut kept = BTreeSet::from([0u16]);
        kept.extend(chars.iter().map(|&c| glyph(&original, c)));
        LayoutForms::read(&data, 0, &wanted)
            .unwrap()
            .close_over(&mut kept);
        let new_id = |old: u16| kept.iter().position(|&g| g == old).unwrap() as u16;
        for &c in &chars {
            assert_eq!(glyph(&subset, c), new_id(glyph(&original, c)), "{c}");
        }
        // The same substitutions, renumbered: Taiwan's centred 。 and 骨, vertical 「 and ，.
        for (feature, language, text) in [
            (b"locl", Some(b"ZHT "), "骨。"),
            (b"locl", Some(b"JAN "), "直今"),
            (b"vert", None, "「」，。"),
        ] {
            let before = substitutions(&original, feature, language);
            let after = substitutions(&subset, feature, language);
            for c in text.chars() {
                let old = glyph(&original, c);
                let target = *before
                    .get(&old)
                    .unwrap_or_else(|| panic!("{c} has no form"));
                assert_eq!(after.get(&glyph(&subset, c)), Some(&new_id(target)), "{c}");
            }
        }
        // 甲 has no other form anywhere; Korean forms were not asked for.
        assert!(
            !substitutions(&subset, b"locl", Some(b"ZHT ")).contains_key(&glyph(&subset, '甲'))
        );
        assert!(substitutions(&subset, b"locl", Some(b"KOR ")).is_empty());
        // A horizontal Simplified Chinese book needs no other forms: no GSUB at all.
        let plain = embed(&source, &chars, &Forms::default()).unwrap();
        assert!(FontRef::new(&plain.data).unwrap().gsub().is_err());
    }
}
