//! Chinese punctuation lint after GB/T 15834-2011 (标点符号用法): marks that Chinese text
//! sets full-width, written with their half-width look-alikes.
//!
//! A mark counts as Chinese by its neighbours: the nearest non-space character on either
//! side is a Han character or a full-width mark. So `1,500`, English sentences and URLs are
//! left alone. Each finding carries its replacement; [`apply`] makes them.

use std::ops::Range;

use unicode_script::{Script, UnicodeScript};

use crate::model::{LanguageTag, Locale};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// `, ; : ? ! ( )` next to Chinese text.
    HalfWidthPunctuation,
    /// A bracket pair with one full-width and one half-width bracket.
    MixedBrackets,
    /// `"` or `'` in Chinese text.
    StraightQuotes,
    /// `...` (or a lone `…`) for the Chinese ellipsis `……`.
    Ellipsis,
    /// `--` for the Chinese dash `——`. A lone `—` is left alone: it is the 一字线
    /// connector (中国—东盟).
    Dash,
    /// ASCII spaces between Chinese characters.
    SpaceBetweenHan,
    /// `~` for the wave dash `～` of a numeric range (2020～2022年).
    RangeTilde,
    /// `<<…>>` for the book title marks `《…》`.
    BookTitleMarks,
}

impl Rule {
    pub const ALL: [Rule; 8] = [
        Rule::HalfWidthPunctuation,
        Rule::MixedBrackets,
        Rule::StraightQuotes,
        Rule::Ellipsis,
        Rule::Dash,
        Rule::SpaceBetweenHan,
        Rule::RangeTilde,
        Rule::BookTitleMarks,
    ];

    /// The rule's name in reports and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Rule::HalfWidthPunctuation => "half-width-punctuation",
            Rule::MixedBrackets => "mixed-brackets",
            Rule::StraightQuotes => "straight-quotes",
            Rule::Ellipsis => "ellipsis",
            Rule::Dash => "dash",
            Rule::SpaceBetweenHan => "space-between-han",
            Rule::RangeTilde => "range-tilde",
            Rule::BookTitleMarks => "book-title-marks",
        }
    }
}

/// One finding in one text, in characters (not bytes). `mark` is what the finding is
/// about; `chars` is what the replacement replaces: the mark and any spaces it absorbs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub chars: Range<usize>,
    pub mark: Range<usize>,
    pub rule: Rule,
    pub message: String,
    /// What replaces `chars`; empty to delete them.
    pub replacement: String,
}

/// Which punctuation standard a text is read against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rules {
    /// GB/T 15834-2011, for Simplified Chinese: quotations in “” and ‘’.
    Mainland,
    /// The Taiwanese (and Hong Kong) usage of the Ministry of Education's 重訂標點符號手冊:
    /// quotations in 「」 and 『』; otherwise as the mainland's.
    Taiwan,
}

impl Rules {
    /// The rules for text in `tag`'s language: none for Japanese and Korean, whose
    /// punctuation is not China's; the mainland's for any other language, where they
    /// only ever read marks next to Chinese text.
    pub fn for_language(tag: &LanguageTag) -> Option<Self> {
        match Locale::of(tag) {
            Locale::Hant => Some(Rules::Taiwan),
            Locale::Japanese | Locale::Korean => None,
            Locale::Hans | Locale::English => Some(Rules::Mainland),
        }
    }

    fn quotes(self) -> [(char, (char, char)); 2] {
        match self {
            Rules::Mainland => [('"', ('“', '”')), ('\'', ('‘', '’'))],
            Rules::Taiwan => [('"', ('「', '」')), ('\'', ('『', '』'))],
        }
    }
}

/// Lints one rendered text against `rules`. Findings are in text order and never overlap.
pub fn lint(text: &str, rules: Rules) -> Vec<Finding> {
    let text = Text::new(text);
    let mut findings = Vec::new();
    text.half_width_marks(&mut findings);
    text.brackets(&mut findings);
    for (straight, curly) in rules.quotes() {
        text.quotes(straight, curly, &mut findings);
    }
    text.runs(&mut findings);
    text.spaces(&mut findings);
    text.range_tildes(&mut findings);
    text.book_titles(&mut findings);
    findings.sort_by_key(|f| (f.chars.start, f.chars.end));
    // Two findings may absorb the same spaces (`中文 , (注)`): the later one gives them up.
    // Findings about the same characters keep the first.
    let mut kept: Vec<Finding> = Vec::with_capacity(findings.len());
    for mut finding in findings {
        if let Some(last) = kept.last() {
            if finding.mark.start < last.chars.end {
                continue;
            }
            finding.chars.start = finding.chars.start.max(last.chars.end);
        }
        kept.push(finding);
    }
    kept
}

/// `text` with `findings` (as [`lint`] returns them: ordered, not overlapping) replaced.
pub fn apply(text: &str, findings: &[Finding]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for finding in findings {
        out.extend(&chars[at..finding.chars.start]);
        out.push_str(&finding.replacement);
        at = finding.chars.end;
    }
    out.extend(&chars[at..]);
    out
}

pub fn is_han(c: char) -> bool {
    c.script() == Script::Han
}

/// Full-width marks of Chinese text: CJK symbols and punctuation, full-width forms, and
/// vertical forms. Curly quotes, `…` and `—` are shared with Western text, so they do not
/// make their neighbours Chinese.
fn is_full_width_mark(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303F}' | '\u{FE10}'..='\u{FE1F}' | '\u{FE30}'..='\u{FE4F}' | '\u{FF01}'..='\u{FF60}')
}

fn is_opening(c: char) -> bool {
    "（《〈「『【〔〖｛［“‘".contains(c)
}

fn is_closing(c: char) -> bool {
    "）》〉」』】〕〗｝］”’".contains(c)
}

fn is_chinese(c: char) -> bool {
    is_han(c) || is_full_width_mark(c)
}

fn is_space(c: char) -> bool {
    c == ' ' || c == '\t'
}

fn full_width(c: char) -> char {
    match c {
        ',' => '，',
        ';' => '；',
        ':' => '：',
        '?' => '？',
        '!' => '！',
        '(' => '（',
        ')' => '）',
        other => other,
    }
}

struct Text {
    chars: Vec<char>,
    /// Characters inside URLs, which keep their ASCII marks.
    exempt: Vec<bool>,
}

impl Text {
    fn new(text: &str) -> Self {
        let chars: Vec<char> = text.chars().collect();
        let exempt = url_mask(&chars);
        Self { chars, exempt }
    }

    fn at(&self, i: usize) -> Option<char> {
        self.chars.get(i).copied()
    }

    /// The nearest character before `i` that is not a space.
    fn before(&self, i: usize) -> Option<char> {
        self.chars[..i]
            .iter()
            .rev()
            .find(|c| !is_space(**c))
            .copied()
    }

    /// The nearest character at or after `i` that is not a space.
    fn after(&self, i: usize) -> Option<char> {
        self.chars
            .get(i..)?
            .iter()
            .find(|c| !is_space(**c))
            .copied()
    }

    /// Whether the text around `run` (its nearest non-space neighbours) is Chinese. A
    /// mark between Latin text and an opening or closing full-width mark belongs to the
    /// Latin text: `《Who Moved My Cheese?》`, `（Hello, world!）`.
    fn chinese_around(&self, run: &Range<usize>) -> bool {
        let before = self.before(run.start);
        let after = self.after(run.end);
        let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        (before.is_some_and(is_chinese) && !(before.is_some_and(is_opening) && latin(after)))
            || (after.is_some_and(is_chinese) && !(after.is_some_and(is_closing) && latin(before)))
    }

    /// Whether the characters right next to `run` (no spaces between) make it Chinese:
    /// Chinese on one side and Chinese or the end of the text on the other.
    fn chinese_attached(&self, run: &Range<usize>) -> bool {
        let before = run.start.checked_sub(1).map(|i| self.chars[i]);
        let after = self.at(run.end);
        match (before, after) {
            (Some(b), Some(a)) => is_chinese(b) && is_chinese(a),
            (Some(c), None) | (None, Some(c)) => is_chinese(c),
            (None, None) => false,
        }
    }

    fn has_han(&self) -> bool {
        self.chars.iter().any(|&c| is_han(c))
    }

    /// Spaces right before `i`, unless they open the text or a line (an indent).
    fn spaces_before(&self, i: usize) -> usize {
        let n = self.chars[..i]
            .iter()
            .rev()
            .take_while(|c| is_space(**c))
            .count();
        match i.checked_sub(n + 1).map(|j| self.chars[j]) {
            None | Some('\n') => 0,
            Some(_) => n,
        }
    }

    fn spaces_after(&self, i: usize) -> usize {
        self.chars[i..].iter().take_while(|c| is_space(**c)).count()
    }

    /// `run` with the spaces on both sides of it, which a full-width mark replaces too.
    fn with_spaces_around(&self, run: &Range<usize>) -> Range<usize> {
        run.start - self.spaces_before(run.start)..run.end + self.spaces_after(run.end)
    }

    /// Maximal runs of characters matching `member`, outside URLs.
    fn runs_of(&self, member: impl Fn(char) -> bool) -> Vec<Range<usize>> {
        let mut runs = Vec::new();
        let mut i = 0;
        while i < self.chars.len() {
            if member(self.chars[i]) && !self.exempt[i] {
                let start = i;
                while i < self.chars.len() && member(self.chars[i]) && !self.exempt[i] {
                    i += 1;
                }
                runs.push(start..i);
            } else {
                i += 1;
            }
        }
        runs
    }

    /// `, ; : ? !` next to Chinese text; a run such as `?!` is one finding. Full-width marks
    /// carry their own spacing, so spaces around the run go with it.
    ///
    /// A `?` or `!` that ends a Chinese text ends a Chinese sentence even after a Latin
    /// word (`你用的是Python?`), and a `.` right after a Han character is a full stop.
    fn half_width_marks(&self, out: &mut Vec<Finding>) {
        for run in self.runs_of(|c| ",;:?!".contains(c)) {
            let ends_sentence = self.after(run.end).is_none()
                && self.chars[run.clone()].iter().all(|c| "?!".contains(*c))
                && self.has_han();
            if !self.chinese_around(&run) && !ends_sentence {
                continue;
            }
            let marks: String = self.chars[run.clone()].iter().collect();
            out.push(Finding {
                chars: self.with_spaces_around(&run),
                mark: run.clone(),
                rule: Rule::HalfWidthPunctuation,
                message: format!("half-width `{marks}` in Chinese text"),
                replacement: marks.chars().map(full_width).collect(),
            });
        }
        for run in self.runs_of(|c| c == '.') {
            let after_han = run.start > 0 && is_han(self.chars[run.start - 1]);
            let ends = self
                .at(run.end)
                .is_none_or(|c| is_space(c) || is_chinese(c));
            if run.len() == 1 && after_han && ends {
                out.push(Finding {
                    chars: run.start..run.end + self.spaces_after(run.end),
                    mark: run.clone(),
                    rule: Rule::HalfWidthPunctuation,
                    message: "half-width `.` after Chinese text".to_owned(),
                    replacement: "。".to_owned(),
                });
            }
        }
    }

    /// Round brackets, matched in pairs across both widths. A pair is Chinese if it
    /// encloses Han text or stands next to Chinese text; then both brackets are full-width.
    fn brackets(&self, out: &mut Vec<Finding>) {
        let mut open: Vec<usize> = Vec::new();
        let mut pairs = Vec::new();
        let mut unmatched = Vec::new();
        for (i, &c) in self.chars.iter().enumerate() {
            if self.exempt[i] {
                continue;
            }
            match c {
                '(' | '（' => open.push(i),
                ')' | '）' => match open.pop() {
                    Some(o) => pairs.push((o, i)),
                    None => unmatched.push(i),
                },
                _ => {}
            }
        }
        unmatched.extend(open);
        for (o, c) in pairs {
            // `foo(a, b)函数` is code: a bracket attached to a Latin word, with no Han inside.
            let attached_to_latin = o > 0 && self.chars[o - 1].is_ascii_alphanumeric();
            let chinese = self.before(o).is_some_and(is_chinese)
                || (self.after(c + 1).is_some_and(is_chinese) && !attached_to_latin)
                || self.chars[o + 1..c].iter().any(|&ch| is_han(ch));
            let half = |i: usize| self.chars[i].is_ascii();
            let mixed = half(o) != half(c);
            for i in [o, c] {
                if chinese && half(i) {
                    let (rule, message) = if mixed {
                        (
                            Rule::MixedBrackets,
                            "bracket pair mixes full- and half-width brackets",
                        )
                    } else {
                        (
                            Rule::HalfWidthPunctuation,
                            "half-width bracket in Chinese text",
                        )
                    };
                    out.push(self.bracket_finding(i, rule, message, full_width(self.chars[i])));
                } else if !chinese && mixed && !half(i) {
                    let ascii = if i == o { '(' } else { ')' };
                    out.push(Finding {
                        chars: i..i + 1,
                        mark: i..i + 1,
                        rule: Rule::MixedBrackets,
                        message: "bracket pair mixes full- and half-width brackets".to_owned(),
                        replacement: ascii.to_string(),
                    });
                }
            }
        }
        for i in unmatched {
            if self.chars[i].is_ascii() && self.chinese_around(&(i..i + 1)) {
                let message = "half-width bracket in Chinese text";
                let replacement = full_width(self.chars[i]);
                out.push(self.bracket_finding(i, Rule::HalfWidthPunctuation, message, replacement));
            }
        }
    }

    /// A half-width bracket made full-width, with the spaces on its outer side.
    fn bracket_finding(&self, i: usize, rule: Rule, message: &str, replacement: char) -> Finding {
        let chars = if self.chars[i] == '(' {
            i - self.spaces_before(i)..i + 1
        } else {
            i..i + 1 + self.spaces_after(i + 1)
        };
        Finding {
            chars,
            mark: i..i + 1,
            rule,
            message: message.to_owned(),
            replacement: replacement.to_string(),
        }
    }

    /// Straight quotes, paired in order; a pair in Chinese text becomes curly.
    /// An apostrophe between Latin letters or digits is not a quote, nor is a mark right
    /// after a digit (15.6" inches, 5' feet).
    fn quotes(&self, straight: char, (opening, closing): (char, char), out: &mut Vec<Finding>) {
        let not_a_quote = |i: usize| {
            let after_digit = i > 0 && self.chars[i - 1].is_ascii_digit();
            let apostrophe = straight == '\''
                && i > 0
                && self.chars[i - 1].is_ascii_alphanumeric()
                && self.at(i + 1).is_some_and(|c| c.is_ascii_alphanumeric());
            after_digit || apostrophe
        };
        let found: Vec<usize> = (0..self.chars.len())
            .filter(|&i| self.chars[i] == straight && !self.exempt[i] && !not_a_quote(i))
            .collect();
        let message = format!("straight quote `{straight}` in Chinese text");
        let mut push = |i: usize, curly: char| {
            out.push(Finding {
                chars: i..i + 1,
                mark: i..i + 1,
                rule: Rule::StraightQuotes,
                message: message.clone(),
                replacement: curly.to_string(),
            })
        };
        let mut pairs = found.chunks_exact(2);
        for pair in &mut pairs {
            let (o, c) = (pair[0], pair[1]);
            let chinese = self.before(o).is_some_and(is_chinese)
                || self.after(c + 1).is_some_and(is_chinese)
                || self.chars[o + 1..c].iter().any(|&ch| is_han(ch));
            if chinese {
                push(o, opening);
                push(c, closing);
            }
        }
        if let [lone] = pairs.remainder()
            && (self.chinese_around(&(*lone..lone + 1)) || (*lone == 0 && self.has_han()))
        {
            // Text right after the mark opens a quotation; a space, the end, or a closing
            // or sentence mark closes one.
            let opens = self.at(lone + 1).is_some_and(|c| {
                !is_space(c) && !is_closing(c) && !"。，、；：？！,.;:?!".contains(c)
            });
            push(*lone, if opens { opening } else { closing });
        }
    }

    /// `...` (and a lone `…`) and `--` in Chinese text, for `……` and `——`.
    fn runs(&self, out: &mut Vec<Finding>) {
        // (the run's character, which run lengths are wrong, rule, Chinese form)
        type Kind = (char, fn(usize) -> bool, Rule, &'static str);
        let kinds: [Kind; 3] = [
            ('.', |len| len >= 3, Rule::Ellipsis, "……"),
            ('…', |len| len == 1, Rule::Ellipsis, "……"),
            ('-', |len| len >= 2, Rule::Dash, "——"),
        ];
        for (mark, wrong_length, rule, chinese_form) in kinds {
            for run in self.runs_of(|c| c == mark) {
                // Attached on both sides, so that `--fix`, `-->` and `以 -- 开头` stay.
                if !wrong_length(run.len()) || !self.chinese_attached(&run) {
                    continue;
                }
                let written: String = self.chars[run.clone()].iter().collect();
                out.push(Finding {
                    chars: run.clone(),
                    mark: run,
                    rule,
                    message: format!(
                        "`{written}` in Chinese text; the Chinese form is `{chinese_form}`"
                    ),
                    replacement: chinese_form.to_owned(),
                });
            }
        }
    }

    /// ASCII spaces with Chinese text right on both sides. Next to a full-width mark the
    /// space is surplus and goes; between two Han characters it may be a deliberate gap
    /// (between the phrases of a slogan), so it becomes the ideographic space U+3000.
    /// Only U+0020 counts: a tab is not a space the author typed by mistake for a gap,
    /// and what it stands for is the author's to say.
    fn spaces(&self, out: &mut Vec<Finding>) {
        for run in self.runs_of(|c| c == ' ') {
            let before = run.start.checked_sub(1).and_then(|i| self.at(i));
            let after = self.at(run.end);
            let (Some(before), Some(after)) = (before, after) else {
                continue;
            };
            if !(is_chinese(before) && is_chinese(after)) {
                continue;
            }
            let (message, replacement) = if is_han(before) && is_han(after) {
                (
                    "ASCII space between Han characters; --fix makes it the ideographic space U+3000 (a deliberate gap, as between the phrases of a slogan); delete it instead if it is stray",
                    "\u{3000}",
                )
            } else {
                ("ASCII space next to a full-width mark", "")
            };
            out.push(Finding {
                chars: run.clone(),
                mark: run,
                rule: Rule::SpaceBetweenHan,
                message: message.to_owned(),
                replacement: replacement.to_owned(),
            });
        }
    }

    /// A `~` between two numbers in a Chinese text: GB/T 15834 writes a range with the
    /// wave dash (2020～2022年). Spaces around it go with it.
    fn range_tildes(&self, out: &mut Vec<Finding>) {
        if !self.has_han() {
            return;
        }
        // A number, perhaps with its unit sign (5%～8%), on either side.
        let number_end =
            |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit() || "%‰°".contains(c));
        let number_start = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
        for run in self.runs_of(|c| c == '~') {
            if run.len() != 1
                || !number_end(self.before(run.start))
                || !number_start(self.after(run.end))
            {
                continue;
            }
            out.push(Finding {
                chars: self.with_spaces_around(&run),
                mark: run,
                rule: Rule::RangeTilde,
                message:
                    "`~` in a numeric range in Chinese text; the Chinese form is the wave dash `～`"
                        .to_owned(),
                replacement: "～".to_owned(),
            });
        }
    }

    /// `<<` and the next `>>` on the same line around a title in Chinese text, for `《` `》`.
    fn book_titles(&self, out: &mut Vec<Finding>) {
        let opens = self.runs_of(|c| c == '<');
        let closes = self.runs_of(|c| c == '>');
        let mut closes = closes.into_iter().filter(|run| run.len() == 2).peekable();
        for open in opens.into_iter().filter(|run| run.len() == 2) {
            while closes.next_if(|close| close.start < open.end).is_some() {}
            let Some(close) = closes.peek().cloned() else {
                break;
            };
            let inside = &self.chars[open.end..close.start];
            if inside.is_empty()
                || inside.contains(&'\n')
                || inside.windows(2).any(|w| w == ['<', '<'])
                || !(inside.iter().any(|&c| is_chinese(c))
                    || self.chinese_around(&(open.start..close.end)))
            {
                continue;
            }
            closes.next();
            let title: String = inside.iter().collect();
            for (run, replacement) in [(open, "《"), (close, "》")] {
                out.push(Finding {
                    chars: run.clone(),
                    mark: run,
                    rule: Rule::BookTitleMarks,
                    message: format!(
                        "`<<{title}>>` in Chinese text; the Chinese form is `《{title}》`"
                    ),
                    replacement: replacement.to_owned(),
                });
            }
        }
    }
}

/// Marks the characters of URLs (`scheme://…`, `www.…`): ASCII up to the next space or
/// non-ASCII character.
fn url_mask(chars: &[char]) -> Vec<bool> {
    let mut exempt = vec![false; chars.len()];
    let starts_at = |i: usize, s: &str| {
        s.chars()
            .enumerate()
            .all(|(k, c)| chars.get(i + k).is_some_and(|x| x.eq_ignore_ascii_case(&c)))
    };
    let mut i = 0;
    while i < chars.len() {
        let start = if starts_at(i, "://") {
            let scheme = chars[..i]
                .iter()
                .rev()
                .take_while(|c| c.is_ascii_alphanumeric() || "+.-".contains(**c))
                .count();
            (scheme > 0).then_some(i - scheme)
        } else if starts_at(i, "www.") && (i == 0 || !chars[i - 1].is_ascii_alphanumeric()) {
            Some(i)
        } else {
            None
        };
        match start {
            Some(start) => {
                let mut end = i;
                while end < chars.len() && chars[end].is_ascii_graphic() {
                    end += 1;
                }
                // Trailing punctuation ends the sentence, not the URL (as GFM autolinks
                // read it); a `)` stays only if it closes a `(` of the URL.
                while end > i + 1 {
                    let last = chars[end - 1];
                    let url = &chars[start..end];
                    let unbalanced = last == ')'
                        && url.iter().filter(|&&c| c == ')').count()
                            > url.iter().filter(|&&c| c == '(').count();
                    if ".,;:?!'\"".contains(last) || unbalanced {
                        end -= 1;
                    } else {
                        break;
                    }
                }
                exempt[start..end].iter_mut().for_each(|e| *e = true);
                i = end.max(i + 1);
            }
            None => i += 1,
        }
    }
    exempt
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lint(text: &str) -> Vec<Finding> {
        super::lint(text, Rules::Mainland)
    }

    #[test]
    fn taiwanese_text_quotes_in_corner_brackets() {
        let taiwan = |text: &str| apply(text, &super::lint(text, Rules::Taiwan));
        assert_eq!(taiwan("他說\"好\"。"), "他說「好」。");
        assert_eq!(taiwan("他說'好'。"), "他說『好』。");
        for correct in ["他說：「『學而時習之』，不亦說乎？」", "《論語》〈學而〉"]
        {
            assert_eq!(super::lint(correct, Rules::Taiwan), [], "{correct}");
            assert_eq!(lint(correct), [], "{correct}");
        }
        assert_eq!(fixed("他说\"好\"。"), "他说“好”。");
        let tag = |t: &str| LanguageTag::parse(t).unwrap();
        assert_eq!(Rules::for_language(&tag("zh-TW")), Some(Rules::Taiwan));
        assert_eq!(Rules::for_language(&tag("zh-Hant-HK")), Some(Rules::Taiwan));
        assert_eq!(Rules::for_language(&tag("zh-CN")), Some(Rules::Mainland));
        assert_eq!(Rules::for_language(&tag("ja")), None);
        assert_eq!(Rules::for_language(&tag("ko-KR")), None);
    }

    fn fixed(text: &str) -> String {
        apply(text, &lint(text))
    }

    fn rules(text: &str) -> Vec<&'static str> {
        lint(text).iter().map(|f| f.rule.name()).collect()
    }

    #[test]
    fn half_width_marks_next_to_chinese_become_full_width() {
        assert_eq!(
            fixed("中国,美国;日本:如下?是!"),
            "中国，美国；日本：如下？是！"
        );
        assert_eq!(fixed("真的?!不"), "真的？！不");
        assert_eq!(fixed("中文 , 英文"), "中文，英文");
        assert_eq!(fixed("工作,2022年"), "工作，2022年");
    }

    #[test]
    fn numbers_english_and_urls_are_left_alone() {
        for text in [
            "共1,500人参加",
            "时间为10:30。",
            "Hello, world; is it? Yes! (really)",
            "It's a dog's life -- isn't it... ok",
            "详见https://example.com/a,b?x=1:2(c)",
            "网址www.example.com/x,y",
            "“中文”",
            "中文——中文……",
            "（一）全面推进",
        ] {
            assert_eq!(lint(text), [], "{text}");
        }
    }

    #[test]
    fn brackets_are_judged_in_pairs() {
        assert_eq!(fixed("中坦(坦桑尼亚)"), "中坦（坦桑尼亚）");
        assert_eq!(fixed("中文(English)"), "中文（English）");
        assert_eq!(fixed("中古(古巴） 合作"), "中古（古巴）合作");
        assert_eq!(rules("中古(古巴）"), ["mixed-brackets"]);
        assert_eq!(fixed("a (b） c"), "a (b) c");
        assert_eq!(fixed("见下文(注"), "见下文（注");
    }

    #[test]
    fn a_tab_is_not_a_space_between_han() {
        assert_eq!(rules("集智聚力\t共筑数"), Vec::<&str>::new());
        assert_eq!(fixed("集智聚力\t共筑数"), "集智聚力\t共筑数");
        assert_eq!(fixed("集智聚力 共筑数"), "集智聚力\u{3000}共筑数");
    }

    #[test]
    fn ranges_and_book_titles() {
        assert_eq!(fixed("2020~2022年"), "2020～2022年");
        assert_eq!(fixed("增长5% ~ 8%"), "增长5%～8%");
        assert_eq!(fixed("约3~5天"), "约3～5天");
        assert_eq!(rules("2020~2022年"), ["range-tilde"]);
        assert_eq!(
            fixed("通过了<<金砖国家数字经济伙伴关系框架>>。"),
            "通过了《金砖国家数字经济伙伴关系框架》。"
        );
        assert_eq!(fixed("阅读<<Rust>>一书"), "阅读《Rust》一书");
        assert_eq!(rules("<<甲>>和<<乙>>"), ["book-title-marks"; 4]);
        for text in [
            "range 3~5 days",
            "路径~/bin下",
            "约~5天",
            "x << 2 and y >> 1",
            "左移<<",
            "中文<<a\nb>>",
            "中文<<>>",
            "见https://example.com/<<a>>",
        ] {
            assert_eq!(lint(text), [], "{text}");
        }
    }

    #[test]
    fn quotes_ellipses_dashes_and_spaces() {
        assert_eq!(fixed("他说\"你好\"。"), "他说“你好”。");
        assert_eq!(fixed("他说'你好'。"), "他说‘你好’。");
        assert_eq!(fixed("等等...还有"), "等等……还有");
        assert_eq!(fixed("等等…还有"), "等等……还有");
        assert_eq!(fixed("中国--世界"), "中国——世界");
        assert_eq!(lint("中国—东盟"), [], "the 一字线 connector");
        assert_eq!(fixed("中国 世界 ，好"), "中国\u{3000}世界，好");
        assert_eq!(rules("中国  世界"), ["space-between-han"]);
        assert_eq!(fixed("使用 Python 语言"), "使用 Python 语言");
    }

    #[test]
    fn cases_from_review() {
        // Shared spaces: both findings are fixed in one pass.
        assert_eq!(fixed("中文 , (注)"), "中文，（注）");
        assert_eq!(fixed("好! (注)"), "好！（注）");
        // A URL ends before the sentence's punctuation.
        assert_eq!(
            fixed("见(https://example.com)。"),
            "见（https://example.com）。"
        );
        assert_eq!(
            fixed("访问https://example.com,然后登录"),
            "访问https://example.com，然后登录"
        );
        // Command-line flags, arrows, and a spaced `--` stay.
        for text in [
            "使用 --fix 参数修正",
            "点击设置-->高级",
            "SQL 注释以 -- 开头",
        ] {
            assert_eq!(rules(text), [] as [&str; 0], "{text}");
        }
        // Latin text inside full-width marks keeps its own punctuation.
        for text in [
            "《Who Moved My Cheese?》是一本畅销书。",
            "他喊了一声（Hello, world!）就走了。",
        ] {
            assert_eq!(lint(text), [], "{text}");
        }
        // Quote direction and inch marks.
        assert_eq!(fixed("\"《红楼梦》是一部小说。"), "“《红楼梦》是一部小说。");
        assert_eq!(fixed("\"……他停了下来。"), "“……他停了下来。");
        assert_eq!(
            fixed("屏幕为15.6\"的笔记本,他说\"好\"。"),
            "屏幕为15.6\"的笔记本，他说“好”。"
        );
        // Code keeps its brackets.
        assert_eq!(fixed("调用foo(a, b)函数即可。"), "调用foo(a, b)函数即可。");
        // Sentence ends.
        assert_eq!(fixed("这是一句话."), "这是一句话。");
        assert_eq!(fixed("你用的是Python?"), "你用的是Python？");
        assert_eq!(lint("版本1.5和中文.com"), []);
        // The mark is located at itself, not at the spaces it absorbs.
        assert_eq!(lint("中文 , 英文")[0].mark, 3..4);
    }

    #[test]
    fn fixing_converges() {
        for text in [
            "中文 ,(注) \"引\" ... --",
            "他说:\"好!\"",
            "（一)全面推进 (二)",
        ] {
            let once = fixed(text);
            assert_eq!(lint(&once), [], "{text} → {once}");
        }
    }
}
