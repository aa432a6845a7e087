//! The typed document model: what a content file means, independent of YAML and of any writer.

mod load;
pub mod locale;
pub mod print;
pub mod source;

pub use load::{MAX_NUMBER, decode_utf8, line_column_after, load_file, load_str, read_utf8};
pub use locale::Locale;
pub use print::{Paper, PrintSettings};
pub use source::{SourceMap, SourceText, TextPath};

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
    pub layout: String,
    /// The trim size; the command line's `--paper` overrides it; the layout's default if none.
    pub paper: Option<Paper>,
    /// The body type size in points (given as 五号 or 10.5pt); the layout's default if none.
    pub size: Option<f64>,
    /// How many heading levels the table of contents lists (0 for none).
    pub toc_depth: Option<u8>,
    /// Text for a colophon (版权页), where the layout prints one.
    pub colophon: Option<String>,
    pub body: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Paragraph(String),
    Heading(Heading),
    Sidebar(Sidebar),
    Dateline(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub text: String,
    /// 1 to 4.
    pub level: u8,
    /// The number the content sets explicitly; following siblings continue from it.
    pub number: Option<u32>,
    pub numbered: bool,
    /// Filled by [`crate::passes::numbering`]: the counter at every level down to this one.
    /// Empty for unnumbered headings.
    pub resolved: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sidebar {
    pub title: String,
    /// The number the content sets explicitly; later panels continue from it.
    pub number: Option<u32>,
    pub body: Vec<Block>,
    /// Filled by [`crate::passes::numbering`].
    pub resolved: u32,
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

impl Document {
    /// Every block in reading order, sidebar bodies included after their sidebar.
    pub fn walk(&self) -> impl Iterator<Item = &Block> {
        fn flatten<'a>(blocks: &'a [Block], out: &mut Vec<&'a Block>) {
            for block in blocks {
                out.push(block);
                if let Block::Sidebar(sidebar) = block {
                    flatten(&sidebar.body, out);
                }
            }
        }
        let mut out = Vec::new();
        flatten(&self.body, &mut out);
        out.into_iter()
    }

    /// Every text that appears on the page, with its place in the content file: title,
    /// short title, subtitle, authors, the body's texts in reading order, then the colophon.
    pub fn rendered_texts(&self) -> Vec<(TextPath, String)> {
        let mut texts = Vec::new();
        self.clone().edit_rendered_texts(&mut |path, text| {
            texts.push((path.clone(), std::mem::take(text)))
        });
        texts
    }

    /// The texts of the metadata that no page shows but the outputs carry (the EPUB's
    /// `dc:source` and `dc:identifier`), with their paths.
    pub fn metadata_texts(&self) -> Vec<(TextPath, String)> {
        let root = TextPath::default();
        [("source", &self.source), ("identifier", &self.identifier)]
            .into_iter()
            .filter_map(|(key, text)| Some((root.key(key), text.clone()?)))
            .collect()
    }

    /// Calls `edit` on every rendered text, with its path (`body[3].heading`).
    pub fn edit_rendered_texts(&mut self, edit: &mut impl FnMut(&TextPath, &mut String)) {
        fn blocks(
            body: &mut [Block],
            path: TextPath,
            edit: &mut impl FnMut(&TextPath, &mut String),
        ) {
            for (i, block) in body.iter_mut().enumerate() {
                let path = path.index(i);
                match block {
                    Block::Paragraph(text) => edit(&path, text),
                    Block::Heading(heading) => edit(&path.key("heading"), &mut heading.text),
                    Block::Sidebar(sidebar) => {
                        edit(&path.key("sidebar"), &mut sidebar.title);
                        blocks(&mut sidebar.body, path.key("body"), edit);
                    }
                    Block::Dateline(text) => edit(&path.key("dateline"), text),
                }
            }
        }
        let root = TextPath::default();
        edit(&root.key("title"), &mut self.title);
        if let Some(short_title) = &mut self.short_title {
            edit(&root.key("short-title"), short_title);
        }
        if let Some(subtitle) = &mut self.subtitle {
            edit(&root.key("subtitle"), subtitle);
        }
        for (i, author) in self.authors.iter_mut().enumerate() {
            edit(&root.key("author").index(i), author);
        }
        blocks(&mut self.body, root.key("body"), edit);
        if let Some(colophon) = &mut self.colophon {
            edit(&root.key("colophon"), colophon);
        }
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
