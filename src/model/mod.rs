//! The typed document model: what a content file means, independent of YAML and of any writer.

mod blocks;
pub mod gongwen;
mod inline;
mod load;
pub mod locale;
pub mod pagelist;
pub mod print;
pub mod schema;
pub mod source;
pub mod walk;

pub use blocks::{
    Align, Appendix, Block, Cell, Column, Counter, Figure, Heading, Include, List, ListStyle,
    Quote, Sidebar, Table, Verse,
};
pub use gongwen::Gongwen;

pub use inline::{
    Id, Inline, Lang, Link, Note, Origin, Ref, Ruby, Run, Target, TargetKind, Text, visit,
    visit_mut,
};
pub use load::{
    MAX_NUMBER, Part, decode_utf8, line_column_after, load_file, load_part, load_str, read_utf8,
};
pub use locale::Locale;
pub use print::{Paper, PrintSettings};
pub use source::{SourceMap, SourceText, TextPath};
pub use walk::{Piece, Unit, for_each_text_mut, own_texts};

use std::fmt;

/// The content format's default language.
pub const DEFAULT_LANG: &str = "zh-CN";
/// The layout used when the content names none.
pub const DEFAULT_LAYOUT: &str = "whitepaper";

#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub title: String,
    /// A shorter title for running heads, where the layout prints the title on every page.
    pub short_title: Option<String>,
    pub subtitle: Option<String>,
    pub authors: Vec<String>,
    pub date: Option<Date>,
    pub lang: LanguageTag,
    pub source: Option<String>,
    /// A stable identifier for the publication (an ISBN, a URN); EPUB derives one if absent.
    pub identifier: Option<String>,
    /// The EPUB's cover picture (`cover:`); without one, the title page is pictured.
    pub cover: Option<CoverImage>,
    pub layout: String,
    /// Whether the content names its layout; else the project's default applies.
    pub layout_from_content: bool,
    /// The trim size; the command line's `--paper` overrides it; the layout's default if none.
    pub paper: Option<Paper>,
    /// The body type size in points (given as 五号 or 10.5pt); the layout's default if none.
    pub size: Option<f64>,
    /// How many heading levels the table of contents lists (0 for none).
    pub toc_depth: Option<u8>,
    /// Text for a colophon (版权页), where the layout prints one.
    pub colophon: Option<String>,
    /// The parts of a 公文 around its title and text (版头, 主送机关, 附件说明, 附注, 版记),
    /// from the content's `gongwen` map.
    pub gongwen: Option<Gongwen>,
    /// Whether the body's texts are written in paiban's inline syntax (`inline: markup`);
    /// else every character is literal.
    pub markup: bool,
    /// The direction of the lines: vertical in the EPUB if asked (`writing: vertical`).
    pub writing: Writing,
    /// The files the body includes (`include:`), in the order they were first met; the
    /// texts of `parts[n - 1]` carry `TextPath::file` n. Empty for a one-file document.
    pub parts: Vec<std::path::PathBuf>,
    pub body: Vec<Block>,
    /// What the loader noticed without refusing the file (inline markup that does not
    /// close), for `check` to report at its place.
    pub warnings: Vec<(Origin, String)>,
    /// How the layout numbers figures, tables and appendices; set by the numbering pass.
    pub numbering: locale::NumberingStyle,
}

/// A cover picture, as the content names it.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverImage {
    /// The image file, relative to the content file (the rules of a figure's path).
    pub path: String,
    pub path_origin: Origin,
    /// The file's path from the project root, once the build has found and checked it.
    pub project_path: Option<String>,
}

/// The direction lines run in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Writing {
    #[default]
    Horizontal,
    /// Top to bottom, lines from right to left (縦書き, 直排).
    Vertical,
}

/// A calendar date, validated on load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (year >= 1 && (1..=days_in_month).contains(&day)).then_some(Self { year, month, day })
    }

    /// Parses exactly `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        let shape_ok = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shape_ok {
            return None;
        }
        Self::new(
            text[0..4].parse().ok()?,
            text[5..7].parse().ok()?,
            text[8..10].parse().ok()?,
        )
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A BCP 47 language tag, checked for well-formedness (RFC 5646, private-use and
/// grandfathered tags included), not against the registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageTag(String);

impl LanguageTag {
    pub fn parse(text: &str) -> Option<Self> {
        oxilangtag::LanguageTag::parse(text)
            .ok()
            .map(|_| Self(text.to_owned()))
    }

    fn parsed(&self) -> oxilangtag::LanguageTag<&str> {
        oxilangtag::LanguageTag::parse(self.0.as_str()).expect("checked on parse")
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The primary language subtag, lower-cased (`zh`); `und` (undetermined) for a
    /// private-use or grandfathered tag that has none (`x-klingon`, `i-klingon`).
    pub fn language(&self) -> String {
        let tag = self.parsed();
        let language = tag.primary_language();
        let is_subtag =
            (2..=3).contains(&language.len()) && language.bytes().all(|b| b.is_ascii_alphabetic());
        if is_subtag {
            language.to_ascii_lowercase()
        } else {
            "und".to_owned()
        }
    }

    /// The script subtag in title case (`Hant`), if the tag has one.
    pub fn script(&self) -> Option<String> {
        let script = self.parsed().script()?.to_ascii_lowercase();
        let mut chars = script.chars();
        let first = chars.next()?.to_ascii_uppercase();
        Some(std::iter::once(first).chain(chars).collect())
    }

    /// The region subtag, lower-cased (`cn`), if the tag has one. Typst knows ISO 3166
    /// letter regions only, not UN M.49 numbers such as 419.
    pub fn region(&self) -> Option<String> {
        self.parsed()
            .region()
            .filter(|r| r.len() == 2 && r.bytes().all(|b| b.is_ascii_alphabetic()))
            .map(str::to_ascii_lowercase)
    }

    /// Whether the text is Chinese in Traditional characters: a `Hant` script, else a
    /// region that writes them (Taiwan, Hong Kong, Macao), else Cantonese.
    pub fn is_traditional_chinese(&self) -> bool {
        match self.script().as_deref() {
            Some("Hant") => true,
            Some(_) => false,
            None => {
                matches!(self.region().as_deref(), Some("tw" | "hk" | "mo"))
                    || self.language() == "yue"
            }
        }
    }
}

impl Default for LanguageTag {
    fn default() -> Self {
        Self(DEFAULT_LANG.to_owned())
    }
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn civil_from_days(days: i64) -> (i32, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked_against_the_calendar() {
        assert_eq!(Date::parse("2022-11-07"), Date::new(2022, 11, 7));
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("2023-02-29").is_none());
        assert!(Date::parse("2022-13-01").is_none());
        assert!(Date::parse("2022-1-07").is_none());
        assert!(Date::parse("2022/11/07").is_none());
    }

    #[test]
    fn language_tags_give_language_script_and_region() {
        let tag = LanguageTag::parse("zh-Hans-CN").unwrap();
        assert_eq!(tag.language(), "zh");
        assert_eq!(tag.script().as_deref(), Some("Hans"));
        assert_eq!(tag.region().as_deref(), Some("cn"));
        assert_eq!(LanguageTag::parse("zh-Hans").unwrap().region(), None);
        assert_eq!(LanguageTag::parse("es-419").unwrap().region(), None);
        assert!(
            LanguageTag::parse("zh-hant-tw")
                .unwrap()
                .is_traditional_chinese()
        );
        assert!(
            !LanguageTag::parse("zh-Hans-TW")
                .unwrap()
                .is_traditional_chinese()
        );
        for private in ["x-klingon", "i-klingon", "en-GB-oed"] {
            let tag = LanguageTag::parse(private).unwrap();
            assert_eq!(tag.language(), "und", "{private}");
            assert_eq!(tag.as_str(), private);
        }
        for wrong in ["中文", "zh_CN", "", "zh-", "toolonglanguage", "zh-CN-x"] {
            assert!(LanguageTag::parse(wrong).is_none(), "{wrong}");
        }
    }
}
