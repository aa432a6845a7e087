//! Resolves every number once, for every writer: headings, panels, figures, tables,
//! notes, list items and appendices, and the words each cross-reference prints.
//!
//! Headings count like a Chinese official document: each level continues from its
//! previous sibling and restarts under a new parent; an explicit `number` sets the
//! count there (the excerpt case: the text starts inside section 三). Unnumbered
//! headings neither take nor advance a number. An appendix starts the count again.

use std::collections::HashMap;

pub use crate::model::locale::NumberingStyle;
use crate::model::locale::{AppendixStyle, latin_letters};
use crate::model::{
    Block, Counter, Document, Id, Inline, ListStyle, Locale, Origin, Target, TargetKind,
    for_each_text_mut, visit_mut,
};

/// A problem at a place in the content: an unknown or repeated id.
pub type Problem = (Origin, String);

/// Fills every `resolved` number and label of the document and resolves its
/// cross-references; returns the references it could not resolve and the ids declared
/// twice.
pub fn number(document: &mut Document) -> Vec<Problem> {
    number_with(document, NumberingStyle::default())
}

/// As [`number`], in a layout's style.
pub fn number_with(document: &mut Document, style: NumberingStyle) -> Vec<Problem> {
    document.numbering = style;
    let locale = Locale::of(&document.lang);
    let mut state = State {
        style,
        locale,
        ..State::default()
    };
    number_blocks(&mut document.body, &mut state, 0);
    let mut problems = state.problems;
    resolve_references(&mut document.body, &state.targets, &mut problems);
    problems
}

#[derive(Default)]
struct State {
    style: NumberingStyle,
    locale: Locale,
    headings: Vec<u32>,
    sidebars: u32,
    appendices: u32,
    /// The chapter figures and tables count in: the level-1 heading's or appendix's.
    chapter: Option<String>,
    figures: u32,
    tables: u32,
    /// Notes count by chapter (the EPUB's files); the PDF's layout may count by page.
    notes: u32,
    targets: HashMap<String, Target>,
    problems: Vec<Problem>,
}

impl State {
    fn declare(&mut self, id: &Option<Id>, kind: TargetKind, words: String) {
        let Some(id) = id else { return };
        if self.targets.contains_key(&id.name) {
            self.problems.push((
                id.origin.clone(),
                format!(
                    "the id `{}` is declared twice; ids name one thing each",
                    id.name
                ),
            ));
            return;
        }
        self.targets.insert(id.name.clone(), Target { kind, words });
    }

    /// A new chapter: figures, tables and notes count from 1 again where they count by
    /// chapter.
    fn new_chapter(&mut self, chapter: String) {
        self.chapter = Some(chapter);
        if self.style.figures_by_chapter {
            self.figures = 0;
            self.tables = 0;
        }
        self.notes = 0;
    }

    /// A figure's or table's number as printed: `3`, or `2-3` by chapter.
    fn figure_number(&self, n: u32) -> String {
        match (&self.chapter, self.style.figures_by_chapter) {
            (Some(chapter), true) => format!("{chapter}-{n}"),
            _ => n.to_string(),
        }
    }
}

fn number_blocks(blocks: &mut [Block], state: &mut State, depth: usize) {
    for block in blocks {
        match block {
            Block::Heading(heading) if heading.numbered => {
                let level = usize::from(heading.level);
                state.headings.resize(level.max(state.headings.len()), 0);
                state.headings.truncate(level);
                state.headings[level - 1] = match heading.number {
                    Some(number) => number,
                    None => state.headings[level - 1].saturating_add(1),
                };
                heading.resolved = state.headings.clone();
                if level == 1 {
                    state.new_chapter(state.headings[0].to_string());
                }
                let words = state
                    .locale
                    .heading_reference(&heading.resolved)
                    .unwrap_or_default();
                state.declare(&heading.id, TargetKind::Heading, words);
                number_notes(&mut heading.text.0, state);
            }
            Block::Heading(heading) => {
                heading.resolved.clear();
                // Every part starts its notes from 1, as the EPUB's files do.
                if heading.level == 1 {
                    state.notes = 0;
                }
                let words = heading.text.to_plain();
                state.declare(&heading.id, TargetKind::Heading, words);
                number_notes(&mut heading.text.0, state);
            }
            Block::Appendix(appendix) => {
                state.appendices += 1;
                appendix.resolved = state.appendices;
                state.headings.clear();
                let chapter = match state.style.appendix {
                    AppendixStyle::Lettered => latin_letters(state.appendices, b'A'),
                    AppendixStyle::Numbered => state.appendices.to_string(),
                };
                state.new_chapter(chapter);
                let words = state
                    .locale
                    .appendix_label(state.appendices, state.style.appendix);
                state.declare(&appendix.id, TargetKind::Appendix, words);
                number_notes(&mut appendix.title.0, state);
            }
            Block::Sidebar(sidebar) => {
                state.sidebars = sidebar.number.unwrap_or(state.sidebars.saturating_add(1));
                sidebar.resolved = state.sidebars;
                number_notes(&mut sidebar.title.0, state);
                number_blocks(&mut sidebar.body, state, depth);
            }
            Block::Figure(figure) => {
                if figure.caption.is_some() {
                    state.figures += 1;
                    let number = state.figure_number(state.figures);
                    let words = format!("{}{number}", state.locale.figure());
                    figure.resolved = Some(number);
                    state.declare(&figure.id, TargetKind::Figure, words);
                } else {
                    figure.resolved = None;
                    if let Some(id) = &figure.id {
                        state.problems.push((
                            id.origin.clone(),
                            format!("the figure `{}` has no caption, so no number to refer to; give it a caption", id.name),
                        ));
                    }
                }
                if let Some(caption) = &mut figure.caption {
                    number_notes(&mut caption.0, state);
                }
            }
            Block::Table(table) => {
                if table.caption.is_some() {
                    state.tables += 1;
                    let number = state.figure_number(state.tables);
                    let words = format!("{}{number}", state.locale.table());
                    table.resolved = Some(number);
                    state.declare(&table.id, TargetKind::Table, words);
                } else {
                    table.resolved = None;
                    if let Some(id) = &table.id {
                        state.problems.push((
                            id.origin.clone(),
                            format!("the table `{}` has no caption, so no number to refer to; give it a caption", id.name),
                        ));
                    }
                }
                if let Some(caption) = &mut table.caption {
                    number_notes(&mut caption.0, state);
                }
                for cell in table.rows.iter_mut().flatten() {
                    number_notes(&mut cell.text.0, state);
                }
            }
            Block::List(list) => {
                list.labels = (0..list.items.len())
                    .map(|i| {
                        let number = list.start.unwrap_or(1).saturating_add(i as u32);
                        list_label(&list.style, number, depth, state.locale)
                    })
                    .collect();
                for item in &mut list.items {
                    number_blocks(item, state, depth + 1);
                }
            }
            Block::Quote(quote) => {
                number_blocks(&mut quote.body, state, depth);
                if let Some(attribution) = &mut quote.attribution {
                    number_notes(&mut attribution.0, state);
                }
            }
            Block::Paragraph(text) | Block::Dateline(text) => number_notes(&mut text.0, state),
            Block::Verse(verse) => {
                for text in verse
                    .title
                    .iter_mut()
                    .chain(verse.author.iter_mut())
                    .chain(verse.stanzas.iter_mut().flatten())
                {
                    number_notes(&mut text.0, state);
                }
            }
            Block::Divider | Block::PageBreak | Block::Include(_) => {}
        }
    }
}

/// Numbers the notes of `inlines` in reading order, and declares their ids.
fn number_notes(inlines: &mut [Inline], state: &mut State) {
    visit_mut(inlines, &mut |inline| {
        if let Inline::Note(note) = inline {
            state.notes += 1;
            note.resolved = state.notes;
            let words = format!("{}{}", state.locale.note(), state.notes);
            state.declare(&note.id, TargetKind::Note, words);
        }
    });
}

/// Gives every cross-reference the words of its target; an unknown id is a problem.
fn resolve_references(
    blocks: &mut [Block],
    targets: &HashMap<String, Target>,
    problems: &mut Vec<Problem>,
) {
    for_each_text_mut(blocks, &mut |text| {
        visit_mut(&mut text.0, &mut |inline| {
            if let Inline::Ref(reference) = inline {
                reference.resolved = targets.get(&reference.id.name).cloned();
                if reference.resolved.is_none() {
                    let mut known: Vec<&String> = targets.keys().collect();
                    known.sort();
                    let closest = known
                        .iter()
                        .map(|k| (strsim::jaro_winkler(&reference.id.name, k), *k))
                        .filter(|(score, _)| *score >= 0.8)
                        .max_by(|a, b| a.0.total_cmp(&b.0));
                    let hint = match closest {
                        Some((_, k)) => format!(" (did you mean `{k}`?)"),
                        None => String::new(),
                    };
                    problems.push((
                        reference.id.origin.clone(),
                        format!(
                            "a reference to `{}`, which no heading, figure, table, note or appendix declares as its `id`{hint}",
                            reference.id.name
                        ),
                    ));
                }
            }
        });
    });
}

/// The label of item `number` of a list in `style`, `depth` lists deep.
pub fn list_label(style: &ListStyle, number: u32, depth: usize, locale: Locale) -> String {
    match style {
        ListStyle::Bullet => locale.bullet(depth).to_owned(),
        ListStyle::Numbered {
            prefix,
            counter,
            suffix,
        } => {
            let value = match counter {
                Counter::Arabic => number.to_string(),
                Counter::Circled => circled(number),
                Counter::Chinese if locale == Locale::Hant => traditional_chinese_numeral(number),
                Counter::Chinese => chinese_numeral(number),
                Counter::LowerLatin => latin_letters(number, b'a'),
                Counter::UpperLatin => latin_letters(number, b'A'),
            };
            format!("{prefix}{value}{suffix}")
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
        assert!(number(&mut document).is_empty());
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
    fn figures_and_tables_count_by_chapter_where_the_layout_says_so() {
        let yaml = "title: t\nbody:\n\
            - {heading: a}\n\
            - {figure: x.png, caption: c}\n\
            - {table: t, rows: [[a]]}\n\
            - {heading: b}\n\
            - {figure: y.png, caption: c, id: f}\n\
            - {figure: z.png}\n\
            - {table: t, rows: [[a]]}\n\
            - {appendix: x}\n\
            - {table: t, rows: [[a]], id: t}\n\
            - [见, {ref: f}, 和, {ref: t}]\n";
        let numbers = |style: NumberingStyle| {
            let mut document = load_str(yaml, "t.yaml").unwrap();
            assert!(number_with(&mut document, style).is_empty());
            let found: Vec<String> = document
                .walk()
                .filter_map(|b| match b {
                    Block::Figure(f) => {
                        Some(format!("图{}", f.resolved.clone().unwrap_or_default()))
                    }
                    Block::Table(t) => {
                        Some(format!("表{}", t.resolved.clone().unwrap_or_default()))
                    }
                    Block::Paragraph(p) => Some(p.to_plain()),
                    _ => None,
                })
                .collect();
            found
        };
        assert_eq!(
            numbers(NumberingStyle::default()),
            ["图1", "表1", "图2", "图", "表2", "表3", "见图2和表3"]
        );
        assert_eq!(
            numbers(NumberingStyle {
                figures_by_chapter: true,
                appendix: AppendixStyle::Lettered,
            }),
            [
                "图1-1",
                "表1-1",
                "图2-1",
                "图",
                "表2-1",
                "表A-1",
                "见图2-1和表A-1"
            ]
        );
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
