//! paiban's inline syntax, for documents that opt in with `inline: markup`.
//!
//! | written | means |
//! |---|---|
//! | `**重点**` | strong |
//! | `*着重*` | emphasis |
//! | `` `code` `` | code (literal; more backticks around it to hold a backtick) |
//! | `^{2}`, `_{2}` | superscript, subscript |
//! | `^[注释]` | a footnote |
//! | `[文字](https://…)` | a link |
//! | `@{id}` | a cross-reference |
//! | `{汉字|hànzì}`, `{中国|zhōng|guó}` | ruby over the whole base, or one per character |
//! | `__孔子__` | 专名号 (proper name) |
//! | `~~论语~~` | 书名号 in the classical style (book title) |
//! | `\*` | the character itself, for any ASCII punctuation after `\` |
//!
//! Delimiters need no space or punctuation around them, so they work directly against
//! Han characters and full-width punctuation (`**“重点”**。`): an opener is one when a
//! closer follows in the same text, and anything that does not close prints as written
//! (and `check` says so). A bad link target or id is an error at its place.

use super::inline::{check_id, check_url};
use crate::model::Block;
use crate::model::inline::{Id, Inline, Link, Note, Origin, Ref, Ruby, Run, Text};

/// A problem at a character, as the origin of a one-character run.
type Problem = (Origin, String);

/// Reads every text of `blocks` in the inline syntax; code runs stay literal. Delimiters
/// that do not close are recorded in `warnings_out`.
pub fn expand_blocks(blocks: &mut [Block], warnings_out: &mut Vec<Problem>) -> Result<(), Problem> {
    let mut failure = None;
    let mut warnings = Vec::new();
    crate::model::walk::for_each_text_mut(blocks, &mut |text| {
        if failure.is_some() {
            return;
        }
        match expand_inlines(std::mem::take(&mut text.0), &mut warnings) {
            Ok(inlines) => text.0 = inlines,
            Err(problem) => failure = Some(problem),
        }
    });
    if let Some(problem) = failure {
        return Err(problem);
    }
    warnings_out.extend(warnings);
    // Notes inside notes have nowhere to go on the page.
    check_no_nested_notes(blocks)
}

fn expand_inlines(
    inlines: Vec<Inline>,
    warnings: &mut Vec<Problem>,
) -> Result<Vec<Inline>, Problem> {
    let mut out = Vec::new();
    for inline in inlines {
        match inline {
            Inline::Text(run) => {
                let chars: Vec<(char, usize)> = run
                    .text
                    .chars()
                    .enumerate()
                    .map(|(i, c)| (c, run.origin.index(i)))
                    .collect();
                let mut parser = Parser {
                    chars: &chars,
                    path: &run.origin,
                    warnings,
                    failed: Default::default(),
                    depth: 0,
                    last_brace: chars.iter().rposition(|&(c, _)| c == '}'),
                };
                out.extend(parser.parse_all()?);
            }
            Inline::Strong(inner) => out.push(Inline::Strong(expand_inlines(inner, warnings)?)),
            Inline::Emphasis(inner) => out.push(Inline::Emphasis(expand_inlines(inner, warnings)?)),
            Inline::Superscript(inner) => {
                out.push(Inline::Superscript(expand_inlines(inner, warnings)?))
            }
            Inline::Subscript(inner) => {
                out.push(Inline::Subscript(expand_inlines(inner, warnings)?))
            }
            Inline::Link(mut link) => {
                link.content = expand_inlines(link.content, warnings)?;
                out.push(Inline::Link(link));
            }
            Inline::Note(mut note) => {
                note.content = expand_inlines(note.content, warnings)?;
                out.push(Inline::Note(note));
            }
            Inline::ProperName(inner) => {
                out.push(Inline::ProperName(expand_inlines(inner, warnings)?))
            }
            Inline::BookTitle(inner) => {
                out.push(Inline::BookTitle(expand_inlines(inner, warnings)?))
            }
            Inline::Underline(inner) => {
                out.push(Inline::Underline(expand_inlines(inner, warnings)?))
            }
            Inline::Strike(inner) => out.push(Inline::Strike(expand_inlines(inner, warnings)?)),
            Inline::Lang(mut lang) => {
                lang.content = expand_inlines(lang.content, warnings)?;
                out.push(Inline::Lang(lang));
            }
            literal @ (Inline::Code(_) | Inline::Ref(_) | Inline::Ruby(_)) => out.push(literal),
        }
    }
    Ok(out)
}

/// Refuses a note inside a note (from either form), at the inner note's first character.
pub fn check_no_nested_notes(blocks: &[Block]) -> Result<(), Problem> {
    let mut problem = None;
    let mut blocks = blocks.to_vec();
    crate::model::walk::for_each_text_mut(&mut blocks, &mut |text: &mut Text| {
        for note in text.notes() {
            for inner in Text(note.content.clone()).notes() {
                if problem.is_none() {
                    let origin = first_origin(&inner.content).unwrap_or_default();
                    problem = Some((
                        origin,
                        "a note inside a note: a footnote cannot have footnotes of its own; write it into the outer note".to_owned(),
                    ));
                }
            }
        }
    });
    problem.map_or(Ok(()), Err)
}

fn first_origin(inlines: &[Inline]) -> Option<Origin> {
    let mut found = None;
    crate::model::inline::visit(inlines, &mut |inline| {
        if found.is_none()
            && let Inline::Text(run) | Inline::Code(run) = inline
        {
            found = Some(run.origin.clone());
        }
    });
    found
}

/// What ends the content being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Until {
    End,
    /// `**`
    Strong,
    /// `*` (not part of `**`)
    Emphasis,
    /// `}`
    Brace,
    /// `]`
    Bracket,
    /// `__`
    ProperName,
    /// `~~`
    BookTitle,
}

struct Parser<'a> {
    /// Each character of the text with its index in the scalar's value.
    chars: &'a [(char, usize)],
    path: &'a Origin,
    warnings: &'a mut Vec<Problem>,
    /// Openers already found not to close: they never will, however deep (this keeps a
    /// text of a thousand unclosed `^[` from taking exponential time).
    failed: std::collections::HashSet<(usize, Until)>,
    depth: usize,
    /// Where the last `}` is: no `@{` after it can close.
    last_brace: Option<usize>,
}

/// How deep constructs may nest before an opener is taken as literal (for the stack).
const MAX_DEPTH: usize = 32;

/// Text being gathered, with each character's index in the value.
#[derive(Default)]
struct Pending(Vec<(char, usize)>);

impl<'a> Parser<'a> {
    fn parse_all(&mut self) -> Result<Vec<Inline>, Problem> {
        let (inlines, _) = self.parse(0, Until::End)?.expect("the end always comes");
        Ok(inlines)
    }

    fn char(&self, i: usize) -> Option<char> {
        self.chars.get(i).map(|&(c, _)| c)
    }

    fn starts(&self, i: usize, text: &str) -> bool {
        text.chars()
            .enumerate()
            .all(|(k, c)| self.char(i + k) == Some(c))
    }

    fn origin_at(&self, i: usize) -> Origin {
        let index = self
            .chars
            .get(i)
            .or(self.chars.last())
            .map_or(self.path.start, |&(_, index)| index);
        Origin {
            path: self.path.path.clone(),
            start: index,
            indices: None,
        }
    }

    fn warn(&mut self, i: usize, message: String) {
        let origin = self.origin_at(i);
        self.warnings.push((origin, message));
    }

    /// As [`Self::parse`], for an opener: remembers failures, and forgets the warnings
    /// of an attempt that failed (its text is read again as literal).
    fn attempt(
        &mut self,
        start: usize,
        until: Until,
    ) -> Result<Option<(Vec<Inline>, usize)>, Problem> {
        let closer = match until {
            Until::Strong | Until::Emphasis => '*',
            Until::Brace => '}',
            Until::Bracket => ']',
            Until::ProperName => '_',
            Until::BookTitle => '~',
            Until::End => return self.parse(start, until),
        };
        let can_close = self
            .chars
            .get(start..)
            .is_some_and(|rest| rest.iter().any(|&(c, _)| c == closer));
        if !can_close || self.depth >= MAX_DEPTH || self.failed.contains(&(start, until)) {
            return Ok(None);
        }
        let before = self.warnings.len();
        self.depth += 1;
        let result = self.parse(start, until);
        self.depth -= 1;
        let result = result?;
        if result.is_none() {
            self.warnings.truncate(before);
            self.failed.insert((start, until));
        }
        Ok(result)
    }

    /// Reads from `i` until `until` closes; `None` if it never does (the opener is then
    /// literal). Returns the content and the index after the closer.
    fn parse(
        &mut self,
        mut i: usize,
        until: Until,
    ) -> Result<Option<(Vec<Inline>, usize)>, Problem> {
        let mut out = Vec::new();
        let mut pending = Pending::default();
        loop {
            let Some(c) = self.char(i) else {
                return Ok(if until == Until::End {
                    pending.flush(self.path, &mut out);
                    Some((out, i))
                } else {
                    None
                });
            };
            // The closer of what is being read.
            let closes = match until {
                Until::Strong => self.starts(i, "**"),
                Until::Emphasis => c == '*' && !self.starts(i, "**"),
                Until::Brace => c == '}',
                Until::Bracket => c == ']',
                Until::ProperName => self.starts(i, "__"),
                Until::BookTitle => self.starts(i, "~~"),
                Until::End => false,
            };
            if closes {
                pending.flush(self.path, &mut out);
                let width = match until {
                    Until::Strong | Until::ProperName | Until::BookTitle => 2,
                    _ => 1,
                };
                return Ok(Some((out, i + width)));
            }
            match c {
                '\\' if self.char(i + 1).is_some_and(|n| n.is_ascii_punctuation()) => {
                    pending.0.push(self.chars[i + 1]);
                    i += 2;
                }
                '`' => {
                    let ticks = self.chars[i..]
                        .iter()
                        .take_while(|&&(c, _)| c == '`')
                        .count();
                    match self.code_span(i, ticks) {
                        Some((run, next)) => {
                            pending.flush(self.path, &mut out);
                            out.push(Inline::Code(run));
                            i = next;
                        }
                        None => {
                            self.warn(i, unclosed("`"));
                            pending.0.extend_from_slice(&self.chars[i..i + ticks]);
                            i += ticks;
                        }
                    }
                }
                '*' => {
                    let (width, inner) = if self.starts(i, "**") {
                        (2, Until::Strong)
                    } else {
                        (1, Until::Emphasis)
                    };
                    match self.attempt(i + width, inner)? {
                        Some((content, next)) if !content.is_empty() => {
                            pending.flush(self.path, &mut out);
                            out.push(if inner == Until::Strong {
                                Inline::Strong(content)
                            } else {
                                Inline::Emphasis(content)
                            });
                            i = next;
                        }
                        _ => {
                            // `**` with nothing to close it (or nothing inside) prints.
                            if !(until == Until::Emphasis && width == 2) {
                                self.warn(i, unclosed(if width == 2 { "**" } else { "*" }));
                            }
                            pending.0.extend_from_slice(&self.chars[i..i + width]);
                            i += width;
                        }
                    }
                }
                '_' | '~' if self.char(i + 1) == Some(c) => {
                    let (inner, opener) = if c == '_' {
                        (Until::ProperName, "__")
                    } else {
                        (Until::BookTitle, "~~")
                    };
                    match self.attempt(i + 2, inner)? {
                        Some((content, next)) if !content.is_empty() => {
                            pending.flush(self.path, &mut out);
                            out.push(if c == '_' {
                                Inline::ProperName(content)
                            } else {
                                Inline::BookTitle(content)
                            });
                            i = next;
                        }
                        _ => {
                            self.warn(i, unclosed(opener));
                            pending.0.extend_from_slice(&self.chars[i..i + 2]);
                            i += 2;
                        }
                    }
                }
                '{' => match self.ruby(i)? {
                    Some((ruby, next)) => {
                        pending.flush(self.path, &mut out);
                        out.push(Inline::Ruby(ruby));
                        i = next;
                    }
                    None => {
                        pending.0.push(self.chars[i]);
                        i += 1;
                    }
                },
                '^' | '_' if self.char(i + 1) == Some('{') => {
                    match self.attempt(i + 2, Until::Brace)? {
                        Some((content, next)) if !content.is_empty() => {
                            pending.flush(self.path, &mut out);
                            out.push(if c == '^' {
                                Inline::Superscript(content)
                            } else {
                                Inline::Subscript(content)
                            });
                            i = next;
                        }
                        _ => {
                            self.warn(i, unclosed(&format!("{c}{{")));
                            pending.0.extend_from_slice(&self.chars[i..i + 2]);
                            i += 2;
                        }
                    }
                }
                '^' if self.char(i + 1) == Some('[') => {
                    match self.attempt(i + 2, Until::Bracket)? {
                        Some((content, next)) if !content.is_empty() => {
                            pending.flush(self.path, &mut out);
                            out.push(Inline::Note(Note {
                                content,
                                id: None,
                                resolved: 0,
                            }));
                            i = next;
                        }
                        _ => {
                            self.warn(i, unclosed("^["));
                            pending.0.extend_from_slice(&self.chars[i..i + 2]);
                            i += 2;
                        }
                    }
                }
                '@' if self.char(i + 1) == Some('{') => {
                    let close = self.last_brace.filter(|&last| last > i + 1).and_then(|_| {
                        (i + 2..self.chars.len()).find(|&k| self.char(k) == Some('}'))
                    });
                    match close {
                        Some(close) => {
                            let name: String =
                                self.chars[i + 2..close].iter().map(|&(c, _)| c).collect();
                            check_id(&name).map_err(|e| (self.origin_at(i + 2), e))?;
                            pending.flush(self.path, &mut out);
                            out.push(Inline::Ref(Ref {
                                id: Id {
                                    name,
                                    origin: self.origin_at(i + 2),
                                },
                                resolved: None,
                            }));
                            i = close + 1;
                        }
                        None => {
                            self.warn(i, unclosed("@{"));
                            pending.0.extend_from_slice(&self.chars[i..i + 2]);
                            i += 2;
                        }
                    }
                }
                '[' => match self.link(i)? {
                    Some((link, next)) => {
                        pending.flush(self.path, &mut out);
                        out.push(Inline::Link(link));
                        i = next;
                    }
                    None => {
                        pending.0.push(self.chars[i]);
                        i += 1;
                    }
                },
                _ => {
                    pending.0.push(self.chars[i]);
                    i += 1;
                }
            }
        }
    }

    /// A code span opened by `ticks` backticks at `i`: closed by the next run of exactly
    /// as many; its content literal.
    fn code_span(&self, i: usize, ticks: usize) -> Option<(Run, usize)> {
        let mut k = i + ticks;
        while k < self.chars.len() {
            if self.char(k) == Some('`') {
                let run = self.chars[k..]
                    .iter()
                    .take_while(|&&(c, _)| c == '`')
                    .count();
                if run == ticks {
                    let content = &self.chars[i + ticks..k];
                    if content.is_empty() {
                        return None;
                    }
                    let mut pending = Pending(content.to_vec());
                    let run = pending.take_run(self.path);
                    return Some((run, k + ticks));
                }
                k += run;
            } else {
                k += 1;
            }
        }
        None
    }

    /// Ruby `{base|annotation}` or `{base|a|b}` at `i`, read literally; `None` (a literal
    /// `{`) without a `|` before the closing `}` on the same line. A count of annotations
    /// that is neither one nor one per base character is an error: the ruby was meant.
    fn ruby(&self, i: usize) -> Result<Option<(Ruby, usize)>, Problem> {
        let Some(close) = (i + 1..self.chars.len())
            .take_while(|&k| !matches!(self.char(k), Some('{' | '\n')))
            .find(|&k| self.char(k) == Some('}'))
        else {
            return Ok(None);
        };
        let inner = &self.chars[i + 1..close];
        let parts: Vec<&[(char, usize)]> = inner.split(|&(c, _)| c == '|').collect();
        if parts.len() < 2 {
            return Ok(None);
        }
        if let Some(empty) = parts
            .iter()
            .position(|part| part.iter().all(|(c, _)| c.is_whitespace()))
        {
            let at = parts[..empty].iter().map(|p| p.len() + 1).sum::<usize>();
            let what = if empty == 0 { "base" } else { "annotation" };
            return Err((
                self.origin_at(i + 1 + at),
                format!("ruby with an empty {what}: write it as {{base|annotation}}"),
            ));
        }
        let base = Pending(parts[0].to_vec()).take_run(self.path);
        let annotations: Vec<Run> = parts[1..]
            .iter()
            .map(|part| Pending(part.to_vec()).take_run(self.path))
            .collect();
        let base_chars = parts[0].len();
        if annotations.len() > 1 && annotations.len() != base_chars {
            return Err((
                self.origin_at(i + 1),
                format!(
                    "ruby `{}` has {base_chars} characters but {} annotations: give one annotation for the whole base, or one for each character",
                    base.text,
                    annotations.len()
                ),
            ));
        }
        Ok(Some((Ruby { base, annotations }, close + 1)))
    }

    /// `[text](target)` at `i`; `None` (a literal `[`) unless both parts are there.
    fn link(&mut self, i: usize) -> Result<Option<(Link, usize)>, Problem> {
        // Warnings from a `[` that turns out not to be a link are not this text's.
        let before = self.warnings.len();
        let Some((content, after)) = self.attempt(i + 1, Until::Bracket)? else {
            return Ok(None);
        };
        if self.char(after) != Some('(') {
            self.warnings.truncate(before);
            return Ok(None);
        }
        let Some(close) = (after + 1..self.chars.len()).find(|&k| self.char(k) == Some(')')) else {
            self.warnings.truncate(before);
            return Ok(None);
        };
        let target: String = self.chars[after + 1..close]
            .iter()
            .map(|&(c, _)| c)
            .collect();
        check_url(&target).map_err(|e| (self.origin_at(after + 1), e))?;
        Ok(Some((
            Link {
                target,
                target_origin: self.origin_at(after + 1),
                content,
            },
            close + 1,
        )))
    }
}

impl Pending {
    fn flush(&mut self, path: &Origin, out: &mut Vec<Inline>) {
        if !self.0.is_empty() {
            out.push(Inline::Text(self.take_run(path)));
        }
    }

    /// The gathered characters as a run, with their places in the value.
    fn take_run(&mut self, path: &Origin) -> Run {
        let chars = std::mem::take(&mut self.0);
        let text: String = chars.iter().map(|&(c, _)| c).collect();
        let start = chars.first().map_or(0, |&(_, index)| index);
        let contiguous = chars
            .iter()
            .enumerate()
            .all(|(k, &(_, index))| index == start + k);
        Run::new(
            text,
            Origin {
                path: path.path.clone(),
                start,
                indices: (!contiguous).then(|| chars.iter().map(|&(_, index)| index).collect()),
            },
        )
    }
}

fn unclosed(opener: &str) -> String {
    format!(
        "`{opener}` opens no inline markup here (nothing closes it), so it prints as written; write `\\{}` to mean the character",
        opener.chars().next().unwrap_or('\\')
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TextPath;

    fn parse(text: &str) -> (Vec<Inline>, Vec<Problem>) {
        let run = Run::new(text, Origin::at(TextPath::default().key("t")));
        let mut warnings = Vec::new();
        let inlines = expand_inlines(vec![Inline::Text(run)], &mut warnings).unwrap();
        (inlines, warnings)
    }

    /// A compact rendering of inlines: `S(…)` strong, `E(…)` emphasis, `^(…)`, `_(…)`,
    /// `C(…)` code, `N(…)` note, `L(…→url)`, `@id`.
    fn show(inlines: &[Inline]) -> String {
        inlines
            .iter()
            .map(|inline| match inline {
                Inline::Text(run) => run.text.clone(),
                Inline::Code(run) => format!("C({})", run.text),
                Inline::Strong(i) => format!("S({})", show(i)),
                Inline::Emphasis(i) => format!("E({})", show(i)),
                Inline::Superscript(i) => format!("^({})", show(i)),
                Inline::Subscript(i) => format!("_({})", show(i)),
                Inline::Note(n) => format!("N({})", show(&n.content)),
                Inline::Link(l) => format!("L({}→{})", show(&l.content), l.target),
                Inline::Ref(r) => format!("@{}", r.id.name),
                Inline::Ruby(r) => format!(
                    "R({}|{})",
                    r.base.text,
                    r.annotations
                        .iter()
                        .map(|a| a.text.as_str())
                        .collect::<Vec<_>>()
                        .join("|")
                ),
                Inline::ProperName(i) => format!("P({})", show(i)),
                Inline::BookTitle(i) => format!("B({})", show(i)),
                Inline::Underline(i) => format!("U({})", show(i)),
                Inline::Strike(i) => format!("S({})", show(i)),
                Inline::Lang(l) => format!("{}({})", l.tag.as_str(), show(&l.content)),
            })
            .collect()
    }

    #[test]
    fn delimiters_work_against_han_and_full_width_punctuation() {
        for (text, expected) in [
            ("**“重点”**。", "S(“重点”)。"),
            ("这是**重点**，不是*着重*。", "这是S(重点)，不是E(着重)。"),
            ("（**括号**）", "（S(括号)）"),
            ("H_{2}O与x^{2}", "H_(2)O与x^(2)"),
            ("正文^[注释，含**强调**]。", "正文N(注释，含S(强调))。"),
            ("见@{fig-1}。", "见@fig-1。"),
            (
                "访问[网站](https://example.com/a_b)。",
                "访问L(网站→https://example.com/a_b)。",
            ),
            ("代码`a*b*c`不变", "代码C(a*b*c)不变"),
            ("两个``有`号``", "两个C(有`号)"),
            ("*斜**粗**斜*", "E(斜S(粗)斜)"),
            (
                "{汉字|hànzì}和{中国|zhōng|guó}",
                "R(汉字|hànzì)和R(中国|zhōng|guó)",
            ),
            ("__孔子__曰~~诗~~云", "P(孔子)曰B(诗)云"),
            ("__颜渊____季路__", "P(颜渊)P(季路)"),
            ("~~**论语**~~", "B(S(论语))"),
            ("{a*b*|星}", "R(a*b*|星)"),
        ] {
            let (inlines, warnings) = parse(text);
            assert_eq!(show(&inlines), expected, "{text}");
            assert!(warnings.is_empty(), "{text}: {warnings:?}");
        }
    }

    #[test]
    fn what_does_not_close_prints_as_written_and_is_reported() {
        for (text, warned) in [
            ("5*3=15", 1),
            ("**未闭合", 1),
            ("a_{b", 1),
            ("x^y and ~z~", 0),
            ("[不是链接]和[也不是](", 0),
            ("邮件 a@b.com", 0),
            ("`单个反引号", 1),
            ("集合{1, 2}与{x}", 0),
            ("__专名", 1),
            ("~~书名", 1),
            ("{a|b\n}", 0),
        ] {
            let (inlines, warnings) = parse(text);
            assert_eq!(show(&inlines), text, "{text}");
            assert_eq!(warnings.len(), warned, "{text}: {warnings:?}");
        }
    }

    #[test]
    fn escapes_print_the_character_and_keep_positions() {
        let (inlines, _) = parse(r"\*不是强调\* \\ \[x\]");
        assert_eq!(show(&inlines), r"*不是强调* \ [x]");
        let Inline::Text(run) = &inlines[0] else {
            panic!()
        };
        // `*` is character 1 of the value (after the backslash), `不` is 2.
        assert_eq!(run.origin.index(0), 1);
        assert_eq!(run.origin.index(1), 2);
        assert_eq!(run.origin.index(5), 7);
        // A backslash before anything else is itself.
        assert_eq!(show(&parse(r"C:\路径").0), r"C:\路径");
    }

    #[test]
    fn pathological_openers_end_without_exhausting_time_or_stack() {
        for opener in ["^[", "**", "*", "_{", "[", "@{", "`", "__", "~~", "{", "{|"] {
            // Without a memory of failed openers and a bound on nesting, these would take
            // exponential time or overflow the stack.
            let text = opener.repeat(20_000);
            let (inlines, _) = parse(&text);
            assert_eq!(show(&inlines), text);
            let nested = format!("{}{}", "^[".repeat(5_000), "]".repeat(5_000));
            assert!(show(&parse(&nested).0).contains("N("));
        }
    }

    #[test]
    fn bad_targets_and_ids_are_errors_at_their_place() {
        let run = Run::new(
            "点[这里](javascript:alert(1))",
            Origin::at(TextPath::default().key("t")),
        );
        let (origin, message) =
            expand_inlines(vec![Inline::Text(run)], &mut Vec::new()).unwrap_err();
        assert_eq!(origin.start, 6);
        assert!(message.contains("javascript"), "{message}");
        let run = Run::new("见@{坏 id}", Origin::at(TextPath::default()));
        assert!(expand_inlines(vec![Inline::Text(run)], &mut Vec::new()).is_err());
        for (text, at) in [("读{中国|zhōng}{学而|xué|ér|x}", 12), ("注{|hàn}", 2)] {
            let run = Run::new(text, Origin::at(TextPath::default()));
            let (origin, message) =
                expand_inlines(vec![Inline::Text(run)], &mut Vec::new()).unwrap_err();
            assert_eq!(origin.start, at, "{text}: {message}");
        }
    }
}
