//! What a document's language means for the words and numbers paiban itself prints: the
//! heading numbers of each level, 专栏, 目录, the dates of the title page, the EPUB's
//! navigation labels and accessibility summary. The numbering pass and both writers read
//! them from here, so the PDF and the EPUB always say the same thing.

use super::{Date, LanguageTag};
use crate::passes::numbering::{chinese_numeral, circled, traditional_chinese_numeral};

/// The families of labels paiban has. A language without its own uses English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Locale {
    /// Simplified Chinese (zh, zh-CN, zh-SG, zh-Hans, …).
    #[default]
    Hans,
    /// Traditional Chinese (zh-TW, zh-HK, zh-MO, zh-Hant, yue, …).
    Hant,
    Japanese,
    Korean,
    English,
}

impl Locale {
    /// The locale of a language tag.
    pub fn of(tag: &LanguageTag) -> Self {
        match tag.language().as_str() {
            "zh" | "cmn" | "wuu" | "hak" | "nan" | "gan" | "hsn" | "lzh" | "yue" => {
                if tag.is_traditional_chinese() {
                    Locale::Hant
                } else {
                    Locale::Hans
                }
            }
            "ja" => Locale::Japanese,
            "ko" => Locale::Korean,
            _ => Locale::English,
        }
    }

    /// The number a heading of `level` (1–5) prints before its text, for `number`.
    pub fn heading_label(self, resolved: &[u32]) -> Option<String> {
        let number = *resolved.last()?;
        let level = resolved.len();
        Some(match self {
            Locale::Hans | Locale::Hant => {
                let numeral = || match self {
                    Locale::Hant => traditional_chinese_numeral(number),
                    _ => chinese_numeral(number),
                };
                match level {
                    1 => format!("{}、", numeral()),
                    2 => format!("（{}）", numeral()),
                    3 => format!("{number}."),
                    4 => format!("（{number}）"),
                    _ => circled(number),
                }
            }
            // 公用文の見出し: 第１　１　（１）　ア　（ア）.
            Locale::Japanese => {
                let digits = full_width_digits(number);
                match level {
                    1 => format!("第{digits}\u{3000}"),
                    2 => format!("{digits}\u{3000}"),
                    3 => format!("（{digits}）"),
                    4 => format!("{}\u{3000}", gojuon(number).unwrap_or(digits)),
                    _ => format!("（{}）", gojuon(number).unwrap_or(digits)),
                }
            }
            // 행정업무규정: 1.  가.  1)  가)  (1)
            Locale::Korean => match level {
                1 => format!("{number}. "),
                2 => format!("{}. ", hangul(number).unwrap_or_else(|| number.to_string())),
                3 => format!("{number}) "),
                4 => format!("{}) ", hangul(number).unwrap_or_else(|| number.to_string())),
                _ => format!("({number}) "),
            },
            // Decimal numbers with the parents': 2, 2.1, 2.1.3.
            Locale::English => {
                let path: Vec<String> = resolved.iter().map(|n| n.max(&1).to_string()).collect();
                format!("{} ", path.join("."))
            }
        })
    }

    /// What a cross-reference to a heading prints: 第二部分 for a part, the label
    /// without its trailing mark below that (（三）, 3, （3）, ③); Section 2.1 in English.
    pub fn heading_reference(self, resolved: &[u32]) -> Option<String> {
        let label = self.heading_label(resolved)?;
        let number = *resolved.last()?;
        Some(match (self, resolved.len()) {
            (Locale::Hans, 1) => format!("第{}部分", chinese_numeral(number)),
            (Locale::Hant, 1) => format!("第{}部分", traditional_chinese_numeral(number)),
            (Locale::English, _) => format!("Section {}", label.trim_end()),
            _ => label
                .trim_end_matches(['、', '.', ' ', '\u{3000}'])
                .to_owned(),
        })
    }

    /// The word before a figure's number: 图3.
    pub fn figure(self) -> &'static str {
        match self {
            Locale::Hans => "图",
            Locale::Hant => "圖",
            Locale::Japanese => "図",
            Locale::Korean => "그림 ",
            Locale::English => "Figure ",
        }
    }

    /// The word before a table's number: 表3.
    pub fn table(self) -> &'static str {
        match self {
            Locale::Hans | Locale::Hant | Locale::Japanese => "表",
            Locale::Korean => "표 ",
            Locale::English => "Table ",
        }
    }

    /// The word before a note's number in a cross-reference: 注3.
    pub fn note(self) -> &'static str {
        match self {
            Locale::Hans | Locale::Japanese => "注",
            Locale::Hant => "註",
            Locale::Korean => "주 ",
            Locale::English => "Note ",
        }
    }

    /// An appendix's label: lettered (附录A, Appendix A) or, as 公文 number their
    /// attachments, numbered (附件1, Annex 1).
    pub fn appendix_label(self, number: u32, style: AppendixStyle) -> String {
        match style {
            AppendixStyle::Lettered => {
                let letter = latin_letters(number, b'A');
                match self {
                    Locale::Hans => format!("附录{letter}"),
                    Locale::Hant => format!("附錄{letter}"),
                    Locale::Japanese => format!("付録{letter}"),
                    Locale::Korean => format!("부록 {letter}"),
                    Locale::English => format!("Appendix {letter}"),
                }
            }
            AppendixStyle::Numbered => match self {
                Locale::Hans | Locale::Hant => format!("附件{number}"),
                Locale::Japanese => format!("別紙{}", full_width_digits(number)),
                Locale::Korean => format!("붙임 {number}"),
                Locale::English => format!("Annex {number}"),
            },
        }
    }

    /// The mark of a bulleted list's items, by how deep the list is (0 outermost).
    pub fn bullet(self, depth: usize) -> &'static str {
        ["•", "◦", "▪"][depth.min(2)]
    }

    /// A panel's label, with its number: 专栏4, Box 4.
    pub fn sidebar_label(self, number: u32) -> String {
        match self {
            Locale::Hans => format!("专栏{number}"),
            Locale::Hant => format!("專欄{number}"),
            Locale::Japanese => format!("コラム{}", full_width_digits(number)),
            Locale::Korean => format!("상자 {number}"),
            Locale::English => format!("Box {number}"),
        }
    }

    /// What separates a panel's label from its title.
    pub fn sidebar_separator(self) -> &'static str {
        match self {
            Locale::Hans | Locale::Hant | Locale::Japanese => "\u{3000}",
            Locale::Korean | Locale::English => ": ",
        }
    }

    /// The title of the table of contents.
    pub fn contents(self) -> &'static str {
        match self {
            Locale::Hans => "目录",
            Locale::Hant => "目錄",
            Locale::Japanese => "目次",
            Locale::Korean => "목차",
            Locale::English => "Contents",
        }
    }

    /// The title of the table of contents as a heading of its own: two Han characters
    /// are spaced apart (目　录), as Chinese books set them.
    pub fn contents_heading(self) -> String {
        let contents = self.contents();
        let chars: Vec<char> = contents.chars().collect();
        match self {
            Locale::Hans | Locale::Hant if chars.len() == 2 => {
                format!("{}\u{3000}{}", chars[0], chars[1])
            }
            _ => contents.to_owned(),
        }
    }

    /// What ends a text cut short to fit (a running head).
    pub fn ellipsis(self) -> &'static str {
        match self {
            Locale::Hans | Locale::Hant | Locale::Japanese => "……",
            Locale::Korean | Locale::English => "…",
        }
    }

    /// The EPUB landmark of the body.
    pub fn body_matter(self) -> &'static str {
        match self {
            Locale::Hans | Locale::Hant => "正文",
            Locale::Japanese => "本文",
            Locale::Korean => "본문",
            Locale::English => "Start of content",
        }
    }

    /// The heading of the EPUB's page list (the print edition's pages).
    pub fn pages(self) -> &'static str {
        match self {
            Locale::Hans => "页码",
            Locale::Hant => "頁碼",
            Locale::Japanese => "ページ",
            Locale::Korean => "페이지",
            Locale::English => "Pages",
        }
    }

    /// The EPUB landmark and page title of the cover.
    pub fn cover(self) -> &'static str {
        match self {
            Locale::Hans | Locale::Hant => "封面",
            Locale::Japanese => "表紙",
            Locale::Korean => "표지",
            Locale::English => "Cover",
        }
    }

    /// The heading of the EPUB's landmarks.
    pub fn landmarks(self) -> &'static str {
        match self {
            Locale::Hans => "导航",
            Locale::Hant => "導覽",
            Locale::Japanese => "ナビゲーション",
            Locale::Korean => "탐색",
            Locale::English => "Landmarks",
        }
    }

    /// A date as a title page or a signature gives it: day and month, or month only.
    pub fn date(self, date: Date, with_day: bool) -> String {
        let Date { year, month, day } = date;
        match (self, with_day) {
            (Locale::Hans | Locale::Hant | Locale::Japanese, true) => {
                format!("{year}年{month}月{day}日")
            }
            (Locale::Hans | Locale::Hant | Locale::Japanese, false) => format!("{year}年{month}月"),
            (Locale::Korean, true) => format!("{year}년 {month}월 {day}일"),
            (Locale::Korean, false) => format!("{year}년 {month}월"),
            (Locale::English, true) => format!("{day} {} {year}", MONTHS[usize::from(month) - 1]),
            (Locale::English, false) => format!("{} {year}", MONTHS[usize::from(month) - 1]),
        }
    }

    /// The EPUB's accessibility summary of the book `facts` describe, in the book's
    /// language and in English.
    pub fn accessibility_summary(self, facts: &AccessibilityFacts) -> String {
        let (n, k) = (facts.figures, facts.described);
        let edition = facts.print_edition.as_deref();
        let mut own = String::new();
        let mut english = String::from(
            "Text with numbered headings, a table of contents and the print reading order.",
        );
        match self {
            Locale::Hans => {
                own.push_str("正文为文字，标题分级编号，有目录导航，阅读顺序与印刷版一致。");
                match (n, k) {
                    (0, _) => {}
                    (n, k) if k == n => own.push_str(&format!("全书{n}幅插图均有文字说明。")),
                    (n, k) => {
                        own.push_str(&format!("全书{n}幅插图中{k}幅有文字说明，其余须看图。"))
                    }
                }
                if facts.panels {
                    own.push_str("专栏以边框标出。");
                }
                if let Some(edition) = edition {
                    own.push_str(&format!("标出了印刷版（{edition}）的页码，可按页码跳转。"));
                }
                if facts.conforms {
                    own.push_str("符合 EPUB Accessibility 1.1 与 WCAG 2.2 AA 级的要求。");
                }
            }
            Locale::Hant => {
                own.push_str("正文為文字，標題分級編號，有目錄導覽，閱讀順序與印刷版一致。");
                match (n, k) {
                    (0, _) => {}
                    (n, k) if k == n => own.push_str(&format!("全書{n}幅插圖均有文字說明。")),
                    (n, k) => {
                        own.push_str(&format!("全書{n}幅插圖中{k}幅有文字說明，其餘須看圖。"))
                    }
                }
                if facts.panels {
                    own.push_str("專欄以邊框標出。");
                }
                if let Some(edition) = edition {
                    own.push_str(&format!("標出了印刷版（{edition}）的頁碼，可按頁碼跳轉。"));
                }
                if facts.conforms {
                    own.push_str("符合 EPUB Accessibility 1.1 及 WCAG 2.2 AA 級的要求。");
                }
            }
            Locale::Japanese => {
                own.push_str(
                    "本文はテキストで、見出しには番号があり、目次から移動でき、読む順序は印刷版と同じです。",
                );
                match (n, k) {
                    (0, _) => {}
                    (n, k) if k == n => {
                        own.push_str(&format!("図{n}点にはすべて代替テキストがあります。"))
                    }
                    (n, k) => {
                        own.push_str(&format!("図{n}点のうち{k}点に代替テキストがあります。"))
                    }
                }
                if facts.panels {
                    own.push_str("コラムは囲みとして示されます。");
                }
                if let Some(edition) = edition {
                    own.push_str(&format!(
                        "印刷版（{edition}）のページ番号が示され、ページから移動できます。"
                    ));
                }
                if facts.conforms {
                    own.push_str("EPUB Accessibility 1.1（WCAG 2.2 レベル AA）に適合します。");
                }
            }
            Locale::Korean => {
                own.push_str(
                    "본문은 텍스트이며, 제목에 번호가 있고 목차로 이동할 수 있으며, 읽는 순서는 인쇄본과 같습니다. ",
                );
                match (n, k) {
                    (0, _) => {}
                    (n, k) if k == n => {
                        own.push_str(&format!("그림 {n}개 모두에 대체 텍스트가 있습니다. "))
                    }
                    (n, k) => {
                        own.push_str(&format!("그림 {n}개 중 {k}개에 대체 텍스트가 있습니다. "))
                    }
                }
                if facts.panels {
                    own.push_str("상자는 별도 영역으로 표시됩니다. ");
                }
                if let Some(edition) = edition {
                    own.push_str(&format!(
                        "인쇄본({edition})의 쪽 번호가 표시되어 있어 쪽으로 이동할 수 있습니다. "
                    ));
                }
                if facts.conforms {
                    own.push_str("EPUB Accessibility 1.1(WCAG 2.2 AA 등급)을 충족합니다. ");
                }
            }
            Locale::English => {}
        }
        match (n, k) {
            (0, _) => {}
            (1, 1) => english.push_str(" The figure has a text description."),
            (n, k) if k == n => {
                english.push_str(&format!(" All {n} figures have text descriptions."))
            }
            (n, k) => english.push_str(&format!(
                " {k} of {n} figures have text descriptions; the others must be seen."
            )),
        }
        if facts.panels {
            english.push_str(" Panels are marked as asides.");
        }
        if let Some(edition) = edition {
            english.push_str(&format!(
                " The page numbers of the print edition ({edition}) are marked and listed."
            ));
        }
        if facts.conforms {
            english.push_str(" Meets EPUB Accessibility 1.1 at WCAG 2.2 Level AA.");
        }
        // A Chinese or Japanese full stop needs no space after it.
        format!("{own}{english}")
    }
}

/// What an EPUB's accessibility summary says of the book.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessibilityFacts {
    /// Figures in the book, and how many of them have a text description.
    pub figures: usize,
    pub described: usize,
    /// Whether the book has panels (专栏), marked as asides.
    pub panels: bool,
    /// The print edition whose page numbers the book carries, if it does.
    pub print_edition: Option<String>,
    /// Whether the book claims EPUB Accessibility 1.1 at WCAG 2.2 AA.
    pub conforms: bool,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// How a layout numbers what the numbering pass counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NumberingStyle {
    /// Figures and tables by chapter (图2-1, 表2-3), else through the document (图3).
    pub figures_by_chapter: bool,
    /// 附录A or 附件1.
    pub appendix: AppendixStyle,
}

/// How a layout labels appendices: 附录A or 附件1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AppendixStyle {
    #[default]
    Lettered,
    Numbered,
}

/// 1 → a, 26 → z, 27 → aa: the letters of a spreadsheet's columns, from `first`.
pub fn latin_letters(number: u32, first: u8) -> String {
    let mut n = number.max(1);
    let mut out = Vec::new();
    while n > 0 {
        let digit = ((n - 1) % 26) as u8;
        out.push((first + digit) as char);
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

/// `12` as `１２`.
fn full_width_digits(number: u32) -> String {
    number
        .to_string()
        .chars()
        .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c))
        .collect()
}

/// ア, イ, ウ … in gojūon order, as Japanese official documents count their fourth level;
/// none past the 44 letters (ン and the obsolete ヰ ヱ are not used).
fn gojuon(number: u32) -> Option<String> {
    const KANA: &str = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲ";
    let index = usize::try_from(number.checked_sub(1)?).ok()?;
    KANA.chars().nth(index).map(String::from)
}

/// 가, 나, 다 … as Korean official documents count; none past the 14 letters.
fn hangul(number: u32) -> Option<String> {
    const LETTERS: &str = "가나다라마바사아자차카타파하";
    let index = usize::try_from(number.checked_sub(1)?).ok()?;
    LETTERS.chars().nth(index).map(String::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locale(tag: &str) -> Locale {
        Locale::of(&LanguageTag::parse(tag).unwrap())
    }

    #[test]
    fn languages_find_their_labels() {
        for (tag, expected) in [
            ("zh", Locale::Hans),
            ("zh-CN", Locale::Hans),
            ("zh-Hans-CN", Locale::Hans),
            ("zh-SG", Locale::Hans),
            ("zh-TW", Locale::Hant),
            ("zh-HK", Locale::Hant),
            ("zh-Hant", Locale::Hant),
            ("zh-Hant-CN", Locale::Hant),
            ("yue", Locale::Hant),
            ("ja", Locale::Japanese),
            ("ja-JP", Locale::Japanese),
            ("ko-KR", Locale::Korean),
            ("en", Locale::English),
            ("fr-CA", Locale::English),
            ("x-klingon", Locale::English),
            ("i-klingon", Locale::English),
        ] {
            assert_eq!(locale(tag), expected, "{tag}");
        }
    }

    #[test]
    fn each_locale_numbers_headings_its_way() {
        let labels = |locale: Locale| -> Vec<String> {
            (1..=5)
                .map(|level| {
                    let mut resolved = vec![2; level];
                    resolved[level - 1] = 11;
                    locale.heading_label(&resolved).unwrap()
                })
                .collect()
        };
        assert_eq!(
            labels(Locale::Hans),
            ["十一、", "（十一）", "11.", "（11）", "⑪"]
        );
        assert_eq!(
            labels(Locale::Hant),
            ["十一、", "（十一）", "11.", "（11）", "⑪"]
        );
        assert_eq!(
            labels(Locale::Japanese),
            [
                "第１１\u{3000}",
                "１１\u{3000}",
                "（１１）",
                "サ\u{3000}",
                "（サ）"
            ]
        );
        assert_eq!(
            labels(Locale::Korean),
            ["11. ", "카. ", "11) ", "카) ", "(11) "]
        );
        assert_eq!(
            labels(Locale::English),
            ["11 ", "2.11 ", "2.2.11 ", "2.2.2.11 ", "2.2.2.2.11 "]
        );
        // Where Simplified and Traditional numerals differ.
        assert_eq!(Locale::Hans.heading_label(&[20_000]).unwrap(), "二万、");
        assert_eq!(Locale::Hant.heading_label(&[20_000]).unwrap(), "二萬、");
    }

    #[test]
    fn words_and_dates() {
        let date = Date::new(2022, 11, 7).unwrap();
        assert_eq!(Locale::Hans.date(date, false), "2022年11月");
        assert_eq!(Locale::English.date(date, true), "7 November 2022");
        assert_eq!(Locale::Hans.contents_heading(), "目\u{3000}录");
        assert_eq!(Locale::English.contents_heading(), "Contents");
        assert_eq!(Locale::Hant.sidebar_label(4), "專欄4");
        assert_eq!(Locale::English.sidebar_label(4), "Box 4");
    }
}
