//! Resolves heading and sidebar numbers once, for every writer.
//!
//! Headings count like a Chinese official document: each level continues from its
//! previous sibling and restarts under a new parent; an explicit `number` sets the
//! count there (the excerpt case: the text starts inside section 三). Unnumbered
//! headings neither take nor advance a number.

use crate::model::{Block, Document};

/// Fills `Heading::resolved` and `Sidebar::resolved` throughout the document.
pub fn number(document: &mut Document) {
    let mut headings: Vec<u32> = Vec::new();
    let mut sidebars = 0;
    number_blocks(&mut document.body, &mut headings, &mut sidebars);
}

fn number_blocks(blocks: &mut [Block], headings: &mut Vec<u32>, sidebars: &mut u32) {
    for block in blocks {
        match block {
            Block::Heading(heading) if heading.numbered => {
                let depth = usize::from(heading.level);
                headings.resize(depth.max(headings.len()), 0);
                headings.truncate(depth);
                headings[depth - 1] = match heading.number {
                    Some(number) => number,
                    None => headings[depth - 1].saturating_add(1),
                };
                heading.resolved = headings.clone();
            }
            Block::Heading(heading) => heading.resolved.clear(),
            Block::Sidebar(sidebar) => {
                *sidebars = sidebar.number.unwrap_or(sidebars.saturating_add(1));
                sidebar.resolved = *sidebars;
                number_blocks(&mut sidebar.body, headings, sidebars);
            }
            Block::Paragraph(_) | Block::Dateline(_) => {}
        }
    }
}

/// The label a heading carries in Simplified Chinese print: 一、 / （一） / 1. / （1） / ①.
/// Other languages: [`Locale::heading_label`](crate::model::Locale::heading_label).
pub fn heading_label(resolved: &[u32]) -> Option<String> {
    crate::model::Locale::Hans.heading_label(resolved)
}

/// ① to ㊿, the level-5 numbers; Unicode has no circled numbers past 50, so (51) on.
pub fn circled(number: u32) -> String {
    let c = match number {
        1..=20 => char::from_u32(0x2460 + number - 1),
        21..=35 => char::from_u32(0x3251 + number - 21),
        36..=50 => char::from_u32(0x32B1 + number - 36),
        _ => None,
    };
    c.map_or_else(|| format!("({number})"), String::from)
}

/// Writes a number in simplified Chinese numerals, the way headings count:
/// 十, 十一, 二十, 一百零五, 一千零一十.
pub fn chinese_numeral(number: u32) -> String {
    const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    const UNITS: [&str; 4] = ["", "十", "百", "千"];
    if number == 0 {
        return "零".to_owned();
    }
    for (unit, name) in [(100_000_000, "亿"), (10_000, "万")] {
        if number >= unit {
            let high = chinese_numeral(number / unit);
            let low = number % unit;
            return match low {
                0 => format!("{high}{name}"),
                // A gap of a whole place or more below the unit is read as 零.
                _ if low < unit / 10 => format!("{high}{name}零{}", with_leading_ten(low)),
                _ => format!("{high}{name}{}", chinese_numeral(low)),
            };
        }
    }
    let digits: Vec<u32> = (0..4).rev().map(|p| number / 10u32.pow(p) % 10).collect();
    let mut out = String::new();
    let mut pending_zero = false;
    for (i, &digit) in digits.iter().enumerate() {
        let place = 3 - i;
        if digit == 0 {
            pending_zero = !out.is_empty();
            continue;
        }
        if pending_zero {
            out.push('零');
            pending_zero = false;
        }
        // 十一 rather than 一十一 when ten leads the number.
        if !(digit == 1 && place == 1 && out.is_empty()) {
            out.push(DIGITS[digit as usize]);
        }
        out.push_str(UNITS[place]);
    }
    out
}

/// Reads a Chinese numeral as [`chinese_numeral`] writes it (below 10,000); any other
/// spelling is refused.
pub fn parse_chinese_numeral(text: &str) -> Option<u32> {
    let mut total = 0u32;
    let mut digit: Option<u32> = None;
    for c in text.chars() {
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            '零' | '〇' => {
                digit = Some(0);
                continue;
            }
            c => {
                digit = Some("一二三四五六七八九".chars().position(|d| d == c)? as u32 + 1);
                continue;
            }
        };
        let step = digit.take().filter(|&d| d > 0).unwrap_or(1) * unit;
        total = total.checked_add(step)?;
    }
    let value = total.checked_add(digit.unwrap_or(0))?;
    (value > 0 && chinese_numeral(value) == text).then_some(value)
}

/// A number in Traditional Chinese numerals: as [`chinese_numeral`], with 萬 and 億.
pub fn traditional_chinese_numeral(number: u32) -> String {
    chinese_numeral(number)
        .replace('万', "萬")
        .replace('亿', "億")
}

/// Inside a larger number a leading ten keeps its 一: 一万零一十.
fn with_leading_ten(number: u32) -> String {
    let text = chinese_numeral(number);
    if (10..20).contains(&number) {
        format!("一{text}")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::load_str;

    #[test]
    fn chinese_numerals_past_ten() {
        let cases = [
            (1, "一"),
            (9, "九"),
            (10, "十"),
            (11, "十一"),
            (19, "十九"),
            (20, "二十"),
            (21, "二十一"),
            (99, "九十九"),
            (100, "一百"),
            (101, "一百零一"),
            (110, "一百一十"),
            (1010, "一千零一十"),
            (10_000, "一万"),
            (10_010, "一万零一十"),
            (12_345, "一万二千三百四十五"),
            (100_000_000, "一亿"),
            (100_010_000, "一亿零一万"),
            (u32::MAX, "四十二亿九千四百九十六万七千二百九十五"),
        ];
        for (number, expected) in cases {
            assert_eq!(chinese_numeral(number), expected, "{number}");
        }
    }

    #[test]
    fn chinese_numerals_read_back() {
        for number in 1..10_000 {
            assert_eq!(
                parse_chinese_numeral(&chinese_numeral(number)),
                Some(number)
            );
        }
        for wrong in ["", "一一", "十十", "零", "二十零", "一十", "甲"] {
            assert_eq!(parse_chinese_numeral(wrong), None, "{wrong}");
        }
    }

    #[test]
    fn labels_follow_the_official_pattern() {
        assert_eq!(heading_label(&[4]).as_deref(), Some("四、"));
        assert_eq!(heading_label(&[4, 10]).as_deref(), Some("（十）"));
        assert_eq!(heading_label(&[4, 11]).as_deref(), Some("（十一）"));
        assert_eq!(heading_label(&[0, 0, 3]).as_deref(), Some("3."));
        assert_eq!(heading_label(&[1, 2, 3, 12]).as_deref(), Some("（12）"));
        assert_eq!(heading_label(&[1, 2, 3, 4, 1]).as_deref(), Some("①"));
        assert_eq!(heading_label(&[1, 2, 3, 4, 20]).as_deref(), Some("⑳"));
        assert_eq!(heading_label(&[1, 2, 3, 4, 21]).as_deref(), Some("㉑"));
        assert_eq!(heading_label(&[1, 2, 3, 4, 36]).as_deref(), Some("㊱"));
        assert_eq!(heading_label(&[1, 2, 3, 4, 50]).as_deref(), Some("㊿"));
        assert_eq!(heading_label(&[1, 2, 3, 4, 51]).as_deref(), Some("(51)"));
        assert_eq!(heading_label(&[]), None);
    }

    fn resolved(yaml: &str) -> Vec<(Vec<u32>, Option<u32>)> {
        let mut document = load_str(yaml, "test.yaml").unwrap();
        number(&mut document);
        document
            .walk()
            .filter_map(|b| match b {
                Block::Heading(h) => Some((h.resolved.clone(), None)),
                Block::Sidebar(s) => Some((Vec::new(), Some(s.resolved))),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn explicit_numbers_set_the_count_and_siblings_continue() {
        let yaml = "title: t\nbody:\n\
            - {heading: a, level: 3}\n\
            - {heading: b, level: 3}\n\
            - {heading: c, level: 2, number: 4}\n\
            - {heading: d, level: 3}\n\
            - {heading: e, level: 1, number: 4}\n\
            - {heading: f, level: 2}\n\
            - {heading: g, level: 2}\n\
            - {heading: h, numbered: false}\n\
            - {heading: i}\n\
            - {sidebar: s, number: 4, body: [p]}\n\
            - {sidebar: s, body: [p]}\n";
        let got = resolved(yaml);
        let headings: Vec<Vec<u32>> = got.iter().take(9).map(|(h, _)| h.clone()).collect();
        assert_eq!(
            headings,
            vec![
                vec![0, 0, 1],
                vec![0, 0, 2],
                vec![0, 4],
                vec![0, 4, 1],
                vec![4],
                vec![4, 1],
                vec![4, 2],
                vec![],
                vec![5],
            ]
        );
        assert_eq!(got[9].1, Some(4));
        assert_eq!(got[10].1, Some(5));
    }

    #[test]
    fn the_largest_numbers_count_on_without_repeating() {
        let max = crate::model::MAX_NUMBER;
        let got = resolved(&format!(
            "title: t\nbody:\n- {{heading: a, number: {max}}}\n- {{heading: b}}\n\
             - {{sidebar: s, number: {max}, body: [p]}}\n- {{sidebar: s, body: [p]}}\n"
        ));
        assert_eq!(got[0].0, vec![max]);
        assert_eq!(got[1].0, vec![max + 1]);
        assert_eq!(got[2].1, Some(max));
        assert_eq!(got[3].1, Some(max + 1));
        let too_large = format!("title: t\nbody:\n- {{heading: a, number: {}}}\n", max + 1);
        let error = load_str(&too_large, "t.yaml").unwrap_err();
        assert!(error.message.contains("99999"), "{}", error.message);
        assert_eq!((error.line, error.column), (Some(3), Some(24)));
    }
}
