//! Plain text (newspaper printings, official documents, OCR output) into the model.
//!
//! Structure is recovered from the conventions of Chinese official documents: numbered
//! headings, 专栏 panels, datelines, newspaper continuation markers, and paragraphs cut by
//! page or column breaks, folios and running heads, tables typed with spaces, the title and
//! the closing of notices. Every guess the text alone cannot settle is reported as a warning
//! with its line number; every character ends up in the body, the title, `source` (page
//! furniture) or a warning (control characters, repeated running heads).

pub use super::Imported;
use crate::diag::Diagnostic;
use crate::model::{Block, Heading, Sidebar, Text};
use crate::passes::numbering::parse_chinese_numeral;

/// Characters that end a paragraph; one ending otherwise continues on the next line.
const TERMINAL: &[char] = &[
    '。', '！', '？', '…', '；', '：', '”', '’', '」', '』', '）', '》', '】', '.', '!', '?', ';',
    ':', '"', '\'', ')', ']',
];
/// Punctuation that marks a sentence, so a line with it is no heading.
const SENTENCE: &[char] = &['，', '。', '；', '：', '！', '？', ',', ';', ':', '!', '?'];

enum Unit {
    /// `standalone`: neither joined to the paragraph before nor continued by the next line.
    Paragraph {
        text: String,
        line: usize,
        standalone: bool,
    },
    /// A line that starts with a heading number: a heading or, if the evidence says so,
    /// a list item or a sentence (a paragraph). Decided once all lines are read.
    Numbered {
        text: String,
        line: usize,
    },
    /// An unnumbered heading, at its line.
    Heading(Heading, usize),
    Sidebar {
        title: String,
        number: u32,
    },
    Dateline(String),
    /// Rows of a table typed with spaces, a row a line.
    Table(String),
}

/// Warnings about one input, each at a line (and a column where it helps).
struct Warnings<'a> {
    name: &'a str,
    list: Vec<Diagnostic>,
}

impl Warnings<'_> {
    fn at(&mut self, line: usize, message: String) {
        self.list.push(Diagnostic {
            line: Some(line),
            ..Diagnostic::warning(self.name, message)
        });
    }

    fn at_column(&mut self, line: usize, column: usize, message: String) {
        self.list
            .push(Diagnostic::warning(self.name, message).at(line, column));
    }
}

/// One line of the input as the importer reads it: trimmed, without control characters,
/// and cut at form feeds (a form feed ends the line and starts a page).
struct Line {
    /// The 1-based line of the file.
    number: usize,
    /// Empty for a blank line.
    text: String,
    /// A page break (a form feed, or furniture taken out) comes right before it.
    after_break: bool,
}

/// Control characters reported one by one; the rest are counted in one warning.
const CONTROL_REPORTED: usize = 20;

/// The input's lines, with control characters dropped (each named in a warning) and form
/// feeds taken as page breaks.
fn read_lines(text: &str, warnings: &mut Warnings) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut dropped = 0;
    let mut unreported: std::collections::BTreeMap<char, usize> = Default::default();
    let mut page_break = false;
    let mut raws: Vec<&str> = text.split('\n').collect();
    if text.ends_with('\n') {
        raws.pop(); // the newline ends the last line
    }
    for (index, raw) in raws.into_iter().enumerate() {
        let number = index + 1;
        let mut piece = String::new();
        let mut pieces = Vec::new();
        for (column, c) in raw.chars().enumerate() {
            match c {
                '\u{c}' => pieces.push(std::mem::take(&mut piece)),
                '\t' => piece.push(c),
                c if c.is_control() => {
                    dropped += 1;
                    if dropped <= CONTROL_REPORTED {
                        let what = match control_name(c) {
                            Some(abbreviation) => format!("U+{:04X} ({abbreviation})", c as u32),
                            None => format!("U+{:04X}", c as u32),
                        };
                        warnings.at_column(
                            number,
                            column + 1,
                            format!("dropped the control character {what}"),
                        );
                    } else {
                        *unreported.entry(c).or_default() += 1;
                    }
                }
                c => piece.push(c),
            }
        }
        let cut = !pieces.is_empty();
        pieces.push(piece);
        let last = pieces.len() - 1;
        for (i, piece) in pieces.into_iter().enumerate() {
            let text = piece.trim().to_owned();
            // Only a line without form feeds can be a blank line.
            if !text.is_empty() || !cut {
                lines.push(Line {
                    number,
                    text,
                    after_break: std::mem::take(&mut page_break),
                });
            }
            if i < last {
                page_break = true;
            }
        }
    }
    if !unreported.is_empty() {
        let counts: Vec<String> = unreported
            .iter()
            .map(|(c, n)| format!("U+{:04X} ×{n}", *c as u32))
            .collect();
        warnings.at(
            lines.last().map_or(1, |l| l.number),
            format!(
                "dropped {} more control characters: {}",
                dropped - CONTROL_REPORTED,
                counts.join(", ")
            ),
        );
    }
    lines
}

/// The abbreviation of a C0 control character or DEL.
fn control_name(c: char) -> Option<&'static str> {
    const C0: [&str; 32] = [
        "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT", "FF", "CR",
        "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB",
        "ESC", "FS", "GS", "RS", "US",
    ];
    match c as u32 {
        n @ 0..=0x1F => Some(C0[n as usize]),
        0x7F => Some("DEL"),
        _ => None,
    }
}

/// Characters of the rules around a folio: `— 3 —`, `- 3 -`, `－3－`, `·3·`.
const FOLIO_RULES: &[char] = &['—', '–', '―', '─', '-', '－', '·', '•', '~', '～'];

/// How a line reads as a page number.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Folio {
    /// Marked as one: `— 3 —`, `第 3 页`, `3/12`, `Page 3`.
    Marked,
    /// A bare number, a folio only between lines of text.
    Bare,
}

fn folio(line: &str) -> Option<Folio> {
    let s: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    if s.chars().count() <= 4 && parse_digits(&s).is_some() {
        return Some(Folio::Bare);
    }
    let number = |n: &str| parse_digits(n).or_else(|| parse_chinese_numeral(n));
    // — 3 —
    let inner = s.trim_start_matches(FOLIO_RULES);
    let ruled_before = inner.len() < s.len();
    let trimmed = inner.trim_end_matches(FOLIO_RULES);
    if ruled_before && trimmed.len() < inner.len() && parse_digits(trimmed).is_some() {
        return Some(Folio::Marked);
    }
    // 第3页, 第3页共12页, 共12页第3页, 第3/12页, 第3版
    let separators: &[char] = &['，', ',', '/', '／', '、'];
    let of_total = |t: &str| {
        t.strip_prefix('共')
            .and_then(|t| t.strip_suffix('页'))
            .is_some_and(|n| number(n).is_some())
    };
    let page = |t: &str| {
        t.strip_prefix('第')
            .and_then(|t| t.strip_suffix('页').or_else(|| t.strip_suffix('版')))
            .is_some_and(|n| number(n).is_some() || fraction(n).is_some())
    };
    if page(&s) {
        return Some(Folio::Marked);
    }
    if let Some(at) = s.find("页") {
        let (first, second) = s.split_at(at + '页'.len_utf8());
        let second = second.trim_start_matches(separators);
        if (page(first) && of_total(second)) || (of_total(first) && page(second)) {
            return Some(Folio::Marked);
        }
    }
    // 3/12
    if fraction(&s).is_some_and(|(n, of)| n <= of) {
        return Some(Folio::Marked);
    }
    // Page 3, page 3 of 12
    let lower = line.trim().to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("page") {
        let mut words = rest.split_whitespace();
        let marked = match (words.next(), words.next(), words.next(), words.next()) {
            (Some(n), None, ..) => parse_digits(n).is_some(),
            (Some(n), Some("of"), Some(m), None) => {
                parse_digits(n).is_some() && parse_digits(m).is_some()
            }
            _ => false,
        };
        if marked {
            return Some(Folio::Marked);
        }
    }
    None
}

/// `3/12` as (3, 12).
fn fraction(text: &str) -> Option<(u32, u32)> {
    let (n, of) = text.split_once(['/', '／'])?;
    Some((parse_digits(n)?, parse_digits(of)?))
}

/// Running heads are at most this long.
const RUNNING_HEAD_CHARS: usize = 40;
/// Text between two repeats of a running head: about a page, not a few lines.
const PAGE_CHARS: usize = 80;
const PAGE_LINES: usize = 2;

/// The comparison key of a possible running head: without spaces, and with each run of
/// digits as `#`, since a head often carries the page number. `None` for a line that is
/// structure or text rather than furniture.
fn running_head_key(line: &str) -> Option<String> {
    let count = line.chars().count();
    let candidate = (2..=RUNNING_HEAD_CHARS).contains(&count)
        && !line.ends_with([
            '。', '！', '？', '；', '，', '、', '…', '：', '.', '!', '?', ';', ',', ':',
        ])
        && numbered(line).is_none()
        && sidebar(line).is_none()
        && !SECTION_WORDS.contains(&line)
        && !is_dateline(line)
        && folio(line).is_none()
        && split_continuation_marker(line).is_none();
    if !candidate {
        return None;
    }
    let mut key = String::new();
    for c in line.chars().filter(|c| !c.is_whitespace()) {
        if is_digit(c) {
            if !key.ends_with('#') {
                key.push('#');
            }
        } else {
            key.push(c);
        }
    }
    Some(key)
}

/// Moves folios and running heads (a line repeated three or more times about a page
/// apart) out of `lines` into `furniture`, each reported. The line after one is on a new
/// page, so a paragraph cut there is joined across it.
fn remove_page_furniture(
    lines: Vec<Line>,
    furniture: &mut Vec<(usize, String)>,
    warnings: &mut Warnings,
) -> Vec<Line> {
    let content: Vec<usize> = (0..lines.len())
        .filter(|&i| !lines[i].text.is_empty())
        .collect();
    let table_row = |i: usize| table_cells(&lines[i].text).is_some();
    let mut dropped = vec![false; lines.len()];

    for (k, &i) in content.iter().enumerate() {
        let before = k.checked_sub(1).map(|k| content[k]);
        let after = content.get(k + 1).copied();
        let is_text = |j: Option<usize>| {
            j.is_none_or(|j| folio(&lines[j].text) != Some(Folio::Bare) && !table_row(j))
        };
        let is_folio = match folio(&lines[i].text) {
            Some(Folio::Marked) => true,
            // A number alone between lines of text, not a cell of a table typed a
            // value a line.
            Some(Folio::Bare) => {
                (before.is_some() || after.is_some()) && is_text(before) && is_text(after)
            }
            None => false,
        };
        if is_folio {
            dropped[i] = true;
            warnings.at(
                lines[i].number,
                format!("folio moved to `source`: {}", lines[i].text),
            );
            furniture.push((lines[i].number, lines[i].text.clone()));
        }
    }

    let mut repeats: std::collections::HashMap<String, Vec<usize>> = Default::default();
    for (k, &i) in content.iter().enumerate() {
        if dropped[i] {
            continue;
        }
        // The head row of tables repeated through a report is no running head, nor are
        // the issuer and date that close letters collected in one file.
        let next = content.get(k + 1).map(|&j| lines[j].text.as_str());
        if (table_row(i) && content.get(k + 1).is_some_and(|&j| table_row(j)))
            || next.is_some_and(is_date_line)
            || (is_date_line(&lines[i].text) && !lines[i].text.contains(['星', '周']))
        {
            continue;
        }
        if let Some(key) = running_head_key(&lines[i].text) {
            repeats.entry(key).or_default().push(i);
        }
    }
    let mut heads: Vec<Vec<usize>> = repeats
        .into_values()
        .filter(|at| {
            at.len() >= 3
                && at.windows(2).all(|pair| {
                    let between = (pair[0] + 1..pair[1])
                        .filter(|&j| !dropped[j] && !lines[j].text.is_empty());
                    let (count, chars) = between.fold((0, 0), |(n, c), j| {
                        (n + 1, c + lines[j].text.chars().count())
                    });
                    count >= PAGE_LINES && chars >= PAGE_CHARS
                })
        })
        .collect();
    heads.sort();
    for at in heads {
        let numbers: Vec<String> = at.iter().map(|&i| lines[i].number.to_string()).collect();
        warnings.at(
            lines[at[0]].number,
            format!(
                "running head moved to `source` (lines {}): {}",
                numbers.join(", "),
                lines[at[0]].text
            ),
        );
        for i in at {
            dropped[i] = true;
            furniture.push((lines[i].number, lines[i].text.clone()));
        }
    }

    let mut kept = Vec::with_capacity(lines.len());
    let mut page_break = false;
    for (line, dropped) in lines.into_iter().zip(dropped) {
        if dropped {
            page_break = true;
        } else if line.text.is_empty() {
            kept.push(line);
        } else {
            kept.push(Line {
                after_break: line.after_break || std::mem::take(&mut page_break),
                ..line
            });
        }
    }
    kept
}

/// Tables typed with spaces: runs of two or more table rows (blank lines between them
/// allowed), as the first and last index in `lines`.
fn find_tables(lines: &[Line]) -> Vec<(usize, usize)> {
    let mut tables = Vec::new();
    // First and last line, rows, and whether the cells are cut by tabs: a row cut the
    // other way starts another table.
    let mut run: Option<(usize, usize, usize, bool)> = None;
    let mut close = |run: Option<(usize, usize, usize, bool)>| {
        if let Some((first, last, rows, _)) = run
            && rows >= 2
        {
            tables.push((first, last));
        }
    };
    for (index, line) in lines.iter().enumerate() {
        if line.text.is_empty() {
            continue;
        }
        if table_cells(&line.text).is_some() {
            let tabs = line.text.contains('\t');
            match run {
                Some((first, _, rows, same)) if same == tabs => {
                    run = Some((first, index, rows + 1, tabs));
                }
                _ => {
                    close(run.take());
                    run = Some((index, index, 1, tabs));
                }
            }
            continue;
        }
        close(run.take());
    }
    close(run);
    tables
}

/// The cells of a table row typed with spaces: text cut by tabs or runs of two or more
/// spaces into at least two cells of at most 40 characters each.
fn table_cells(line: &str) -> Option<Vec<&str>> {
    let mut cells = Vec::new();
    let mut rest = line.trim();
    while !rest.is_empty() {
        let gap = gap_at(rest);
        let (cell, after) = match gap {
            Some((start, end)) => (&rest[..start], &rest[end..]),
            None => (rest, ""),
        };
        cells.push(cell);
        rest = after;
    }
    (cells.len() >= 2 && cells.iter().all(|c| c.chars().count() <= 40)).then_some(cells)
}

/// The first gap between cells: a tab or two or more spaces (ASCII or ideographic).
fn gap_at(text: &str) -> Option<(usize, usize)> {
    let mut start = None;
    let mut width = 0;
    let mut tab = false;
    for (at, c) in text.char_indices() {
        if c == ' ' || c == '\u{3000}' || c == '\t' {
            start.get_or_insert(at);
            width += 1;
            tab |= c == '\t';
        } else if let Some(begin) = start {
            if width >= 2 || tab {
                return Some((begin, at));
            }
            start = None;
            width = 0;
        }
    }
    None
}

/// Imports `text`; `name` names the input in warnings, `title` overrides the guess.
/// A text with nothing but whitespace and continuation markers is refused.
pub fn import(text: &str, name: &str, title: Option<String>) -> Result<Imported, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut warnings = Warnings {
        name,
        list: Vec::new(),
    };
    let lines = read_lines(&text, &mut warnings);
    let mut furniture = Vec::new();
    let lines = remove_page_furniture(lines, &mut furniture, &mut warnings);

    let tables = find_tables(&lines);
    let top = top_line(&lines);
    let closing = find_closing(&lines, &tables, top);
    if let (Some(&first), Some(&last)) = (closing.first(), closing.last())
        && closing.len() > 1
    {
        warnings.at(
            lines[first].number,
            format!(
                "lines {}–{} taken as the closing (issuer and date): kept as paragraphs",
                lines[first].number, lines[last].number
            ),
        );
    }
    // Without --title, the title (and subtitle) lines of the text name the document.
    let (found_title, subtitle, heading_lines) = match (&title, top) {
        (None, Some(first)) => take_title(&lines, first, &mut warnings),
        _ => (None, None, Vec::new()),
    };
    let mut units: Vec<Unit> = Vec::new();
    let mut table_end = None;
    // A continuation marker alone on its line is a page break too.
    let mut page_break = false;
    for (index, current) in lines.iter().enumerate() {
        let number = current.number;
        let stands_alone = lines.get(index + 1).is_none_or(|next| next.text.is_empty());
        let mut line = current.text.as_str();
        if line.is_empty()
            || table_end.is_some_and(|end| index <= end)
            || heading_lines.contains(&index)
        {
            continue;
        }
        if let Some(&(_, end)) = tables.iter().find(|(start, _)| *start == index) {
            let rows: Vec<&str> = lines[index..=end]
                .iter()
                .filter(|l| !l.text.is_empty())
                .map(|l| l.text.as_str())
                .collect();
            warnings.at(
                number,
                format!(
                    "lines {number}–{} look like a table typed with spaces: kept as one \
                     paragraph, a row a line",
                    lines[end].number
                ),
            );
            units.push(Unit::Table(rows.join("\n")));
            table_end = Some(end);
            continue;
        }
        let after_break = std::mem::take(&mut page_break) || current.after_break;
        while let Some((marker, rest)) = split_continuation_marker(line) {
            furniture.push((number, marker.to_owned()));
            line = rest;
        }
        if let Some((rest, marker)) = split_trailing_marker(line) {
            furniture.push((number, marker.to_owned()));
            line = rest;
        }
        if line.is_empty() {
            page_break = true;
            continue;
        }
        // After a page break, an unfinished paragraph goes on, even with a short line.
        let continues = after_break && units.last_mut().and_then(open_paragraph).is_some();
        let role = if closing.contains(&index) {
            Role::Closing
        } else if top == Some(index) {
            Role::Top
        } else {
            Role::Body
        };
        let unit = classify(
            line,
            number,
            stands_alone && !continues,
            role,
            &mut warnings,
        );
        // A paragraph cut by a break: the last paragraph did not end a sentence.
        if let Unit::Paragraph {
            text: next,
            standalone: false,
            ..
        } = &unit
            && let Some((text, start)) = units.last_mut().and_then(open_paragraph)
            // A line ending in ： (an addressee, a list's lead) starts a block, unless the
            // paragraph before broke off mid-sentence.
            && (!next.ends_with(['：', ':']) || is_mid_sentence(text))
        {
            warnings.at(
                number,
                format!(
                    "joined to the paragraph of line {start}, which ends without \
                     terminal punctuation (a page or column break?)"
                ),
            );
            *text = join_lines(&[text.as_str(), next]);
            continue;
        }
        units.push(unit);
    }

    let units = decide_numbered(units, &mut warnings);
    let mut body = Vec::new();
    let mut iter = units.into_iter().peekable();
    while let Some(unit) = iter.next() {
        match unit {
            Unit::Paragraph { text, .. } => body.push(Block::Paragraph(Text::from_string(text))),
            Unit::Numbered { text, .. } => body.push(Block::Paragraph(Text::from_string(text))),
            Unit::Heading(heading, _) => body.push(Block::Heading(heading)),
            Unit::Dateline(text) => body.push(Block::Dateline(Text::from_string(text))),
            Unit::Table(text) => body.push(Block::Paragraph(Text::from_string(text))),
            Unit::Sidebar { title, number } => {
                // The panel holds the paragraph (or table) that follows it.
                let mut panel = Vec::new();
                if let Some(Unit::Paragraph { .. } | Unit::Table(_)) = iter.peek()
                    && let Some(Unit::Paragraph { text, .. } | Unit::Table(text)) = iter.next()
                {
                    panel.push(Block::Paragraph(Text::from_string(text)));
                }
                if panel.is_empty() {
                    panel.push(Block::Paragraph(Text::from_string(title.clone())));
                }
                body.push(Block::Sidebar(Sidebar {
                    title: Text::from_string(title),
                    number: Some(number),
                    body: panel,
                    resolved: 0,
                }));
            }
        }
    }

    if title.as_ref().is_some_and(|t| t.trim().is_empty()) {
        return Err(Diagnostic::error(name, "the title given is empty"));
    }
    let title = title.or(found_title).unwrap_or_else(|| {
        let stem = std::path::Path::new(name)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "untitled".to_owned());
        warnings.at(
            1,
            format!("the text names no title; using `{stem}` (set one with --title)"),
        );
        stem
    });
    if body.is_empty() {
        return Err(Diagnostic::error(name, "the text is empty: nothing to import").at(1, 1));
    }
    let mut document = super::new_document(title, body);
    document.subtitle = subtitle;
    document.source = source(furniture);
    Ok(Imported {
        document,
        images: Vec::new(),
        warnings: {
            let mut list = warnings.list;
            list.sort_by_key(|w| (w.line, w.column));
            list
        },
    })
}

/// The furniture in the order of the text, each text once.
fn source(mut furniture: Vec<(usize, String)>) -> Option<String> {
    furniture.sort_by_key(|(line, _)| *line);
    let mut seen = std::collections::HashSet::new();
    let texts: Vec<String> = furniture
        .into_iter()
        .filter_map(|(_, text)| seen.insert(text.clone()).then_some(text))
        .collect();
    (!texts.is_empty()).then(|| texts.join("；"))
}

/// Unnumbered headings of official documents, recognised wherever they stand.
pub(crate) const SECTION_WORDS: &[&str] = &[
    "前言",
    "引言",
    "序言",
    "序",
    "导言",
    "结束语",
    "结语",
    "后记",
    "附录",
    "附件",
    "说明",
    "目录",
];

/// What a line is by where it stands.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Body,
    /// The first line, which reads as the document's title.
    Top,
    /// The issuer or the date that close the document.
    Closing,
}

/// `stands_alone`: a blank line or the end follows, so a short line is no cut paragraph.
fn classify(
    line: &str,
    number: usize,
    stands_alone: bool,
    role: Role,
    warnings: &mut Warnings,
) -> Unit {
    let standalone = |line: &str| Unit::Paragraph {
        text: line.to_owned(),
        line: number,
        standalone: true,
    };
    if role == Role::Closing || is_date_line(line) || is_document_number(line) {
        return standalone(line);
    }

    if let Some((number_text, title)) = sidebar(line) {
        return Unit::Sidebar {
            title: title.to_owned(),
            number: number_text,
        };
    }
    if is_dateline(line) {
        return Unit::Dateline(line.to_owned());
    }
    if numbered(line).is_some() {
        return Unit::Numbered {
            text: line.to_owned(),
            line: number,
        };
    }
    if is_heading_text(line)
        && line.chars().count() <= 20
        && (stands_alone || SECTION_WORDS.contains(&line))
    {
        warnings.at(
            number,
            format!(
                "a short line without sentence punctuation is taken as an unnumbered heading: {line}"
            ),
        );
        return Unit::Heading(
            Heading {
                text: Text::from_string(line),
                id: None,
                level: 1,
                number: None,
                numbered: false,
                resolved: Vec::new(),
            },
            number,
        );
    }
    if role == Role::Top {
        warnings.at(
            number,
            "kept apart from the next line: it reads as the document's title".to_owned(),
        );
        return standalone(line);
    }
    Unit::Paragraph {
        text: line.to_owned(),
        line: number,
        standalone: false,
    }
}

/// The title and subtitle the text gives from line `first` on, reported, and the lines
/// that hold them.
fn take_title(
    lines: &[Line],
    first: usize,
    warnings: &mut Warnings,
) -> (Option<String>, Option<String>, Vec<usize>) {
    let (title_lines, subtitle_line) = title_lines(lines, first);
    let texts: Vec<&str> = title_lines
        .iter()
        .map(|&i| lines[i].text.as_str())
        .collect();
    let title = join_lines(&texts);
    let (start, end) = (
        lines[first].number,
        lines[*title_lines.last().unwrap_or(&first)].number,
    );
    if start == end {
        warnings.at(start, format!("taken as the document's title: {title}"));
    } else {
        warnings.at(
            start,
            format!(
                "lines {start}–{end} taken as the document's title, set on {} lines: {title}",
                texts.len()
            ),
        );
    }
    let subtitle = subtitle_line.map(|i| {
        warnings.at(
            lines[i].number,
            format!("taken as the subtitle: {}", lines[i].text),
        );
        lines[i].text.clone()
    });
    let mut taken = title_lines;
    taken.extend(subtitle_line);
    (Some(title), subtitle, taken)
}

/// Lines of one text joined: directly, but with a space between two Latin words.
fn join_lines(lines: &[&str]) -> String {
    let mut text = String::new();
    for line in lines {
        let latin_seam = text.ends_with(|c: char| c.is_ascii_alphanumeric())
            && line.starts_with(|c: char| c.is_ascii_alphanumeric());
        if latin_seam {
            text.push(' ');
        }
        text.push_str(line);
    }
    text
}

/// Words that end the title of an official document.
const DOCUMENT_KINDS: &[&str] = &[
    "通知",
    "通报",
    "意见",
    "决定",
    "决议",
    "办法",
    "规定",
    "报告",
    "请示",
    "批复",
    "公告",
    "通告",
    "方案",
    "规划",
    "纲要",
    "条例",
    "细则",
    "函",
    "纪要",
    "命令",
    "议案",
    "公报",
    "白皮书",
];

/// The lines of the title that starts at `first` (a title set on two lines, `国务院关于
/// 印发` then `某某规划的通知`, is one title), and the subtitle line under it: the next line
/// if it reads as a title too, or starts with a dash (`——记某某`), and text follows it.
fn title_lines(lines: &[Line], first: usize) -> (Vec<usize>, Option<usize>) {
    let mut content = (first + 1..lines.len()).filter(|&i| !lines[i].text.is_empty());
    let (Some(second), third) = (content.next(), content.next()) else {
        return (vec![first], None);
    };
    let (head, next) = (lines[first].text.as_str(), lines[second].text.as_str());
    let ends_kind = |t: &str| DOCUMENT_KINDS.iter().any(|k| t.ends_with(k));
    if head.contains("关于") && !ends_kind(head) && ends_kind(next) && is_title_like(next) {
        return (vec![first, second], None);
    }
    let subtitle = third.is_some()
        && (is_title_like(next) || (next.starts_with('—') && is_heading_text(next)));
    (vec![first], subtitle.then_some(second))
}

/// Text that broke off inside a sentence: it holds a comma or semicolon, or ends in `、`.
fn is_mid_sentence(text: &str) -> bool {
    text.contains(['，', ',', '；', ';']) || text.ends_with('、')
}

/// A line that may be a title or subtitle: short, without sentence punctuation, and
/// nothing else the importer knows (a number, a date, a section name, a table row …).
pub(crate) fn is_title_like(line: &str) -> bool {
    is_heading_text(line)
        && numbered(line).is_none()
        && sidebar(line).is_none()
        && !is_dateline(line)
        && !is_date_line(line)
        && !is_document_number(line)
        && !SECTION_WORDS.contains(&line)
        && table_cells(line).is_none()
        && folio(line).is_none()
}

/// The document's title line: the first standalone short line (a paragraph of its own,
/// title-like) before any numbered heading, after nothing but prose and a document number
/// (`国办发〔2022〕38号`), never the continuation of another page (`（上接第十版）`), and
/// with more text after it. A newspaper's page begins mid-text and names the document in
/// a line above its next part, which is the title.
fn top_line(lines: &[Line]) -> Option<usize> {
    let content: Vec<usize> = (0..lines.len())
        .filter(|&i| !lines[i].text.is_empty())
        .collect();
    for (n, &i) in content.iter().enumerate() {
        let text = lines[i].text.as_str();
        if n + 1 == content.len() || numbered(text).is_some() {
            return None;
        }
        if n == 0 && is_document_number(text) {
            continue;
        }
        // A paragraph of its own: the line before it ends one (or there is none).
        let previous = i.checked_sub(1).map(|p| lines[p].text.as_str());
        let starts_paragraph = previous.is_none_or(|p| p.is_empty() || p.ends_with(TERMINAL));
        if starts_paragraph && split_continuation_marker(text).is_none() && is_title_like(text) {
            return Some(i);
        }
    }
    None
}

/// The lines that close the document: a date line (`2022年11月7日`), followed by nothing
/// but notes in parentheses (`（此件公开发布）`), and the issuer lines right above it (up to
/// four short lines without sentence punctuation, below the title line `top`). Indices in
/// `lines`, in order; empty if the text does not end so.
fn find_closing(lines: &[Line], tables: &[(usize, usize)], top: Option<usize>) -> Vec<usize> {
    let in_table = |i: usize| {
        tables
            .iter()
            .any(|&(first, last)| (first..=last).contains(&i))
    };
    // Never the title line.
    let start = top.map_or(0, |top| top + 1);
    let mut content = (start..lines.len())
        .rev()
        .filter(|&i| !lines[i].text.is_empty() && !in_table(i));
    let date = loop {
        let Some(i) = content.next() else {
            return Vec::new();
        };
        let text = lines[i].text.as_str();
        if is_date_line(text) {
            break i;
        }
        let note = (text.starts_with('（') && text.ends_with('）'))
            || (text.starts_with('(') && text.ends_with(')'));
        if !note {
            return Vec::new();
        }
    };
    let mut closing = vec![date];
    for i in content.take(4) {
        let text = lines[i].text.as_str();
        let issuer = text.chars().count() <= 30
            && is_heading_text(text)
            && numbered(text).is_none()
            && !text.starts_with("特此")
            && !is_date_line(text)
            && !SECTION_WORDS.contains(&text);
        if !issuer {
            break;
        }
        closing.push(i);
    }
    closing.reverse();
    closing
}

/// A date alone on its line: `2022年11月7日`, `2022 年 11 月`, `二〇二二年十一月七日`,
/// `2022-11-07`, `2022.11.7`, with or without the weekday, in parentheses or not.
pub(crate) fn is_date_line(line: &str) -> bool {
    let s: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    let s = s
        .strip_prefix('（')
        .and_then(|s| s.strip_suffix('）'))
        .or_else(|| s.strip_prefix('(').and_then(|s| s.strip_suffix(')')))
        .unwrap_or(&s);
    let weekday = ["星期", "周", "礼拜"].iter().find_map(|w| {
        let at = s.rfind(w)?;
        let day = &s[at + w.len()..];
        ["一", "二", "三", "四", "五", "六", "日", "天"]
            .contains(&day)
            .then_some(at)
    });
    let s = &s[..weekday.unwrap_or(s.len())];
    let number = |n: &str| parse_digits(n).or_else(|| parse_chinese_numeral(n));
    let year = |y: &str| {
        y.chars().count() == 4
            && (y.chars().all(is_digit) || y.chars().all(|c| "〇零一二三四五六七八九".contains(c)))
    };
    if let Some((y, rest)) = s.split_once('年') {
        let Some((m, rest)) = rest.split_once('月') else {
            return false;
        };
        let day = rest
            .strip_suffix('日')
            .or_else(|| rest.strip_suffix('号'))
            .map(number);
        return year(y)
            && number(m).is_some_and(|m| m <= 12)
            && (rest.is_empty() || day.is_some_and(|d| d.is_some_and(|d| d <= 31)));
    }
    for separator in ['-', '.', '/'] {
        let parts: Vec<&str> = s.split(separator).collect();
        if let [y, m, d] = parts[..] {
            return year(y)
                && y.chars().all(is_digit)
                && parse_digits(m).is_some_and(|m| m <= 12)
                && parse_digits(d).is_some_and(|d| d <= 31);
        }
    }
    false
}

/// A document number: `国办发〔2022〕38号`, `京政发[2022]12号`.
pub(crate) fn is_document_number(line: &str) -> bool {
    let Some(open) = line.find(['〔', '[', '［']) else {
        return false;
    };
    let rest = &line[open..];
    let rest = &rest[rest.chars().next().map_or(0, char::len_utf8)..];
    let Some((year, rest)) = rest.split_once(['〕', ']', '］']) else {
        return false;
    };
    year.chars().count() == 4
        && year.chars().all(is_digit)
        && rest
            .strip_suffix('号')
            .is_some_and(|n| parse_digits(n.trim()).is_some())
        && line.chars().count() <= 30
}

/// The text and first line of `unit` if it is a paragraph the next line may continue:
/// one that ends without terminal punctuation.
fn open_paragraph(unit: &mut Unit) -> Option<(&mut String, usize)> {
    let (text, line) = match unit {
        Unit::Paragraph {
            text,
            line,
            standalone: false,
        } => (text, *line),
        // A numbered sentence, not a heading.
        Unit::Numbered { text, line } if !is_numbered_heading(text) => (text, *line),
        _ => return None,
    };
    (!text.ends_with(TERMINAL)).then_some((text, line))
}

/// A numbered line whose text after the number reads as a heading.
fn is_numbered_heading(line: &str) -> bool {
    numbered(line).is_some_and(|(_, _, rest)| is_heading_text(rest))
}

/// Numbered lines as headings, or as paragraphs where the evidence says they are list
/// items: a run of them (1., 2., … with nothing between) that follows a line ending in
/// `：`, that holds sentences, or that skips a level under its heading (`（1）` under `一、`
/// with no `（一）`). Every such guess is reported.
fn decide_numbered(units: Vec<Unit>, warnings: &mut Warnings) -> Vec<Unit> {
    let mut out: Vec<Unit> = Vec::with_capacity(units.len());
    // The level and line of each heading so far.
    let mut headings: Vec<(u8, usize)> = Vec::new();
    let mut units = units.into_iter().peekable();
    while let Some(unit) = units.next() {
        let Unit::Numbered { text, line } = unit else {
            if let Unit::Heading(heading, line) = &unit {
                headings.push((heading.level, *line));
            }
            out.push(unit);
            continue;
        };
        let Some((level, first, _)) = numbered(&text) else {
            // Not reached: classify makes a line Numbered for its number.
            out.push(Unit::Paragraph {
                text,
                line,
                standalone: true,
            });
            continue;
        };
        // The run: siblings numbered one after the other with nothing between.
        let mut run = vec![(text, line)];
        let mut value = first;
        while let Some(Unit::Numbered { text, .. }) = units.peek()
            && numbered(text).is_some_and(|(l, v, _)| l == level && Some(v) == value.checked_add(1))
            && let Some(Unit::Numbered { text, line }) = units.next()
        {
            value += 1;
            run.push((text, line));
        }
        let intro =
            matches!(out.last(), Some(Unit::Paragraph { text, .. }) if text.ends_with(['：', ':']));
        let sentences = run.iter().any(|(text, _)| !is_numbered_heading(text));
        let orphan = |headings: &[(u8, usize)]| {
            headings
                .iter()
                .rev()
                .find(|(l, _)| *l < level)
                .copied()
                .filter(|(l, _)| l + 1 < level)
        };

        if run.len() >= 2 && (intro || sentences || orphan(&headings).is_some()) {
            let why = match orphan(&headings) {
                _ if intro => "after a line ending in ：".to_owned(),
                _ if sentences => "its run holds sentences".to_owned(),
                Some((l, at)) => format!("level {level} under the level-{l} heading of line {at}"),
                None => String::new(),
            };
            for (text, line) in run {
                warnings.at(
                    line,
                    format!("may be a list item ({why}): kept as a paragraph with its number"),
                );
                out.push(Unit::Paragraph {
                    text,
                    line,
                    standalone: true,
                });
            }
            continue;
        }
        for (index, (text, line)) in run.into_iter().enumerate() {
            let Some((level, value, rest)) = numbered(&text) else {
                continue;
            };
            if !is_heading_text(rest) {
                warnings.at(
                    line,
                    "a numbered line is kept as a paragraph: after the number comes a \
                     sentence or nothing"
                        .to_owned(),
                );
                out.push(Unit::Paragraph {
                    text,
                    line,
                    standalone: true,
                });
                continue;
            }
            if intro && index == 0 {
                warnings.at(
                    line,
                    format!(
                        "taken as a level-{level} heading, though the line before ends in ：: \
                         it may be a list item"
                    ),
                );
            }
            if let Some((l, at)) = orphan(&headings) {
                warnings.at(
                    line,
                    format!(
                        "an orphan level: a level-{level} heading under the level-{l} heading \
                         of line {at}, with no level between (or a list item)"
                    ),
                );
            }
            headings.push((level, line));
            out.push(Unit::Heading(
                Heading {
                    text: Text::from_string(rest),
                    id: None,
                    level,
                    number: Some(value),
                    numbered: true,
                    resolved: Vec::new(),
                },
                line,
            ));
        }
    }
    out
}

pub(crate) fn is_heading_text(text: &str) -> bool {
    !text.is_empty()
        && text.chars().count() <= 50
        && !text.contains(SENTENCE)
        && !text.ends_with(TERMINAL)
}

/// `（上接第十版）` or `（下转第3版）` at the start of a line.
fn split_continuation_marker(line: &str) -> Option<(&str, &str)> {
    for open in ['（', '('] {
        let Some(rest) = line.strip_prefix(open) else {
            continue;
        };
        let end = rest.find(['）', ')'])?;
        let inner = &rest[..end];
        if is_marker(inner) {
            let close = rest[end..].chars().next()?.len_utf8();
            let cut = open.len_utf8() + end + close;
            return Some((&line[..cut], line[cut..].trim_start()));
        }
    }
    None
}

fn split_trailing_marker(line: &str) -> Option<(&str, &str)> {
    let start = line.rfind(['（', '('])?;
    let candidate = &line[start..];
    let (marker, rest) = split_continuation_marker(candidate)?;
    rest.is_empty().then(|| (line[..start].trim_end(), marker))
}

fn is_marker(inner: &str) -> bool {
    let body = inner
        .strip_prefix("上接第")
        .or_else(|| inner.strip_prefix("下转第"))
        .or_else(|| inner.strip_prefix("接第"))
        .or_else(|| inner.strip_prefix("转第"));
    body.and_then(|b| b.strip_suffix('版')).is_some_and(|n| {
        !n.is_empty() && (parse_chinese_numeral(n).is_some() || n.chars().all(is_digit))
    })
}

/// `专栏4 title`, `专栏４　title`.
pub(crate) fn sidebar(line: &str) -> Option<(u32, &str)> {
    let rest = line.strip_prefix("专栏")?;
    let digits_end = rest.find(|c: char| !is_digit(c)).unwrap_or(rest.len());
    let number = parse_digits(&rest[..digits_end])?;
    let title = rest[digits_end..].trim_start_matches([' ', '\u{3000}', '\t']);
    (!title.is_empty()).then_some((number, title))
}

/// `（新华社北京11月7日电）`.
pub(crate) fn is_dateline(line: &str) -> bool {
    let inner = line
        .strip_prefix('（')
        .and_then(|l| l.strip_suffix('）'))
        .or_else(|| line.strip_prefix('(').and_then(|l| l.strip_suffix(')')));
    inner.is_some_and(|i| i.chars().count() <= 40 && i.ends_with('电') && !i.contains(['（', '(']))
}

/// The numbering pattern at the start of a line: level, number and the rest.
pub(crate) fn numbered(line: &str) -> Option<(u8, u32, &str)> {
    // 一、
    let numeral_end = line
        .find(|c: char| !"零〇一二三四五六七八九十百千".contains(c))
        .unwrap_or(line.len());
    if numeral_end > 0
        && let Some(rest) = line[numeral_end..].strip_prefix('、')
    {
        return Some((
            1,
            parse_chinese_numeral(&line[..numeral_end])?,
            rest.trim_start(),
        ));
    }
    // （一） and （1）
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(inner_and_rest) = line.strip_prefix(open) {
            let end = inner_and_rest.find(close)?;
            let inner = &inner_and_rest[..end];
            let rest = inner_and_rest[end + close.len_utf8()..].trim_start();
            if let Some(n) = parse_chinese_numeral(inner) {
                return Some((2, n, rest));
            }
            if let Some(n) = parse_digits(inner) {
                return Some((4, n, rest));
            }
            return None;
        }
    }
    // ① to ㊿
    let first = line.chars().next()?;
    if let Some(n) = circled_value(first) {
        return Some((5, n, line[first.len_utf8()..].trim_start()));
    }
    // 1. 1、 １．
    let digits_end = line.find(|c: char| !is_digit(c)).unwrap_or(line.len());
    let value = parse_digits(&line[..digits_end])?;
    let after = &line[digits_end..];
    let separator = after.chars().next()?;
    if !['.', '、', '．'].contains(&separator) {
        return None;
    }
    let rest = after[separator.len_utf8()..].trim_start();
    // 1.5亿 is a number, not a heading.
    (!rest.starts_with(is_digit)).then_some((3, value, rest))
}

/// The value of a circled number ① to ㊿.
pub(crate) fn circled_value(c: char) -> Option<u32> {
    let c = c as u32;
    match c {
        0x2460..=0x2473 => Some(c - 0x2460 + 1),
        0x3251..=0x325F => Some(c - 0x3251 + 21),
        0x32B1..=0x32BF => Some(c - 0x32B1 + 36),
        _ => None,
    }
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

fn parse_digits(text: &str) -> Option<u32> {
    if text.is_empty() || !text.chars().all(is_digit) {
        return None;
    }
    text.chars()
        .map(|c| {
            if c.is_ascii_digit() {
                c
            } else {
                char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or('0')
            }
        })
        .collect::<String>()
        .parse()
        .ok()
        .filter(|&n| n >= 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_lines_and_document_numbers() {
        for date in [
            "2022年11月7日",
            "2022 年 11 月 7 日",
            "２０２２年１１月７日",
            "二〇二二年十一月七日",
            "二〇二二年十二月二十日",
            "2022年11月",
            "2022年11月8日 星期二",
            "（2022年11月7日）",
            "2022-11-07",
            "2022.11.7",
        ] {
            assert!(is_date_line(date), "{date}");
        }
        for text in [
            "2022年11月7日电",
            "2022年工作要点",
            "2022年13月1日",
            "截至2022年11月7日",
            "3/12",
            "1.5.2",
            "2022年11月7日，会议召开。",
        ] {
            assert!(!is_date_line(text), "{text}");
        }
        assert!(is_document_number("国办发〔2022〕38号"));
        assert!(is_document_number("京政发[2022]12号"));
        assert!(!is_document_number(
            "根据国办发〔2022〕38号文件精神，各地要认真落实。"
        ));
        assert!(!is_document_number("〔2022〕"));
    }

    #[test]
    fn folios_in_their_usual_forms() {
        for marked in [
            "— 3 —",
            "- 3 -",
            "－3－",
            "–12–",
            "·3·",
            "第 3 页",
            "第三页",
            "第3页 共12页",
            "第 3 页，共 12 页",
            "共12页 第3页",
            "第3/12页",
            "3/12",
            "3 / 12",
            "Page 3",
            "page 3 of 12",
            "第3版",
        ] {
            assert!(folio(marked) == Some(Folio::Marked), "{marked}");
        }
        for bare in ["3", "１２", "120"] {
            assert!(folio(bare) == Some(Folio::Bare), "{bare}");
        }
        for text in [
            "——",
            "12/3",
            "-3",
            "第3条",
            "3、总则",
            "12345",
            "2022年",
            "3/12号",
        ] {
            assert!(folio(text).is_none(), "{text}");
        }
    }
}
