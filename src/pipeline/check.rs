//! `check` and `check --fix`: schema, glyph coverage and the punctuation lint, located in
//! the content file; and the lint's fixes written back into the YAML, touching nothing else.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use super::Builder;
use crate::diag::{Diagnostic, Failure};
use crate::model::{self, Document, SourceMap, SourceText, TextPath};
use crate::passes::{control, coverage, lint};

/// What `--fix` did to one file.
#[derive(Debug)]
pub struct Fixed {
    /// Findings rewritten in the file.
    pub fixed: usize,
    /// What `check` reports on the rewritten file.
    pub remaining: Vec<Diagnostic>,
}

/// A loaded content file and where its texts are written.
struct Located {
    name: String,
    /// The file's text, as read.
    text: String,
    document: Document,
    map: Option<SourceMap>,
}

impl Located {
    fn read(path: &Path, project: &crate::project::Project) -> Result<Self, Failure> {
        let text = model::read_utf8(path, "content files")?;
        Self::parse(&text, &path.display().to_string(), project)
    }

    fn parse(text: &str, name: &str, project: &crate::project::Project) -> Result<Self, Failure> {
        let document = model::load_str(text, name)?;
        project
            .check_layout(&document.layout, name)
            .map_err(|d| super::at_layout_key(text, d))?;
        Ok(Self {
            name: name.to_owned(),
            text: text.to_owned(),
            document,
            map: SourceMap::parse(text).ok(),
        })
    }

    /// An already loaded document with its source read again, to say where its texts
    /// are; only failures need that.
    fn reread(document: &Document, content: &Path) -> Self {
        let text = std::fs::read_to_string(content).unwrap_or_default();
        Self {
            name: content.display().to_string(),
            map: SourceMap::parse(&text).ok(),
            text,
            document: document.clone(),
        }
    }

    /// The source of the text at `path`, if the second parser read the same value there.
    fn source(&self, path: &TextPath, value: &str) -> Option<&SourceText> {
        self.map
            .as_ref()?
            .get(path)
            .filter(|source| source.value == value)
    }

    /// A diagnostic at character `index` of the text at `path`; without a position (but
    /// naming the path) if the text could not be located.
    fn at(&self, diagnostic: Diagnostic, path: &TextPath, value: &str, index: usize) -> Diagnostic {
        match (self.source(path, value), &self.map) {
            (Some(source), Some(map)) => {
                let (line, column) = map.line_column(source.offset_of(index));
                diagnostic.at(line, column)
            }
            _ => Diagnostic {
                message: format!("{path}: {}", diagnostic.message),
                ..diagnostic
            },
        }
    }

    fn lint(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for (path, value) in self.document.rendered_texts() {
            let source = self.source(&path, &value);
            for finding in lint::lint(&value) {
                let mut diagnostic = Diagnostic::warning(&self.name, finding.message)
                    .with_code(finding.rule.name())
                    .with_suggestion(finding.replacement);
                let bytes = source.and_then(|s| s.byte_range(finding.mark.clone()));
                if bytes.is_some_and(|bytes| self.text[bytes].contains(['\n', '\r'])) {
                    diagnostic = diagnostic.with_hint(
                        "the space is a line break that YAML folded: join the lines, or write the text as a literal block (|); --fix leaves it",
                    );
                }
                out.push(self.at(diagnostic, &path, &value, finding.mark.start));
            }
            if let Some(diagnostic) = source.and_then(|source| self.cut_by_comment(source)) {
                out.push(diagnostic);
            }
        }
        out
    }

    /// A warning when a `#` that YAML reads as a comment seems to belong to the text: it
    /// follows an unquoted text on the same line and is not followed by a space, as in
    /// `- 第 #1 号` (a comment written on purpose is `# note`).
    fn cut_by_comment(&self, source: &SourceText) -> Option<Diagnostic> {
        let at = source.comment_after?;
        let comment = self.text[at..].lines().next().unwrap_or("");
        let after_hash = comment[1..].chars().next()?;
        if after_hash.is_whitespace() {
            return None;
        }
        let (line, column) = self.map.as_ref()?.line_column(at);
        let chars: Vec<char> = source.value.chars().collect();
        let ending: String = chars[chars.len().saturating_sub(12)..].iter().collect();
        Some(
            Diagnostic::warning(
                &self.name,
                format!(
                    "`{comment}` is a YAML comment, not part of the text (a `#` after a space starts one), so the text ends at `{ending}`"
                ),
            )
            .with_code("yaml-comment")
            .with_hint("if it belongs to the text, put the whole text in quotes, or write `#` with no space before it")
            .at(line, column),
        )
    }

    /// An error at every control character of every text, metadata included.
    fn control_characters(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let texts = self.document.rendered_texts();
        for (path, value) in texts.iter().chain(&self.document.metadata_texts()) {
            for (index, c) in control::forbidden(value) {
                let diagnostic = Diagnostic::error(
                    &self.name,
                    format!(
                        "control character {} in the text: no output can print it",
                        control::describe(c)
                    ),
                )
                .with_code("control-character")
                .with_suggestion("")
                .with_hint("delete it; write a line break as a new line of a `|` block, and a page break as a new paragraph");
                out.push(self.at(diagnostic, path, value, index));
            }
        }
        out
    }

    fn missing_glyphs(&self, covers: &mut impl FnMut(char) -> bool) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for (path, value) in self.document.rendered_texts() {
            for (index, c) in coverage::missing(&value, &mut *covers) {
                let diagnostic = Diagnostic::error(
                    &self.name,
                    format!(
                        "U+{:04X} `{c}` is in none of the available fonts; it would print as an empty box",
                        c as u32
                    ),
                )
                .with_code("missing-glyph")
                .with_hint("replace the character, or add a font that has it with --font-path");
                out.push(self.at(diagnostic, &path, &value, index));
            }
        }
        out
    }
}

impl Builder {
    /// Everything `check` reports for one content file: a schema error alone if it does
    /// not load, else missing glyphs (errors) and punctuation findings (warnings).
    pub fn check(&self, content: &Path) -> Vec<Diagnostic> {
        match Located::read(content, &self.project) {
            Ok(located) => self.check_located(&located),
            Err(failure) => failure.0,
        }
    }

    fn check_located(&self, located: &Located) -> Vec<Diagnostic> {
        let mut diagnostics = located.control_characters();
        diagnostics.extend(located.missing_glyphs(&mut self.coverage()));
        diagnostics.extend(located.lint());
        sort_by_position(&mut diagnostics);
        diagnostics
    }

    /// A test for "some font draws this character", remembering answers in a table by
    /// code point (a document has a million characters but a few thousand distinct ones).
    fn coverage(&self) -> impl FnMut(char) -> bool + '_ {
        const UNKNOWN: u8 = 0;
        const COVERED: u8 = 1;
        const MISSING: u8 = 2;
        let fonts = self.fonts();
        let mut known = vec![UNKNOWN; 0x11_0000];
        move |c| {
            let slot = &mut known[c as usize];
            if *slot == UNKNOWN {
                *slot = if fonts.covers(c) { COVERED } else { MISSING };
            }
            *slot == COVERED
        }
    }

    /// Refuses a document with control characters in its texts, each located in
    /// `content`, before any output is written.
    pub(super) fn refuse_control_characters(
        document: &Document,
        content: &Path,
    ) -> Result<(), Failure> {
        let any = document
            .rendered_texts()
            .iter()
            .chain(&document.metadata_texts())
            .any(|(_, text)| text.chars().any(control::is_forbidden));
        if !any {
            return Ok(());
        }
        let located = Located::reread(document, content);
        let mut diagnostics = located.control_characters();
        sort_by_position(&mut diagnostics);
        Err(Failure(diagnostics))
    }

    /// Refuses a PDF/A build of a document without a date (PDF/A records when the file
    /// was made, and paiban never reads the clock), located at the content's header.
    pub(super) fn refuse_undated_archive(
        &self,
        document: &Document,
        content: &Path,
    ) -> Result<(), Failure> {
        let archival = self.pdf_standards.iter().any(|s| s.starts_with("a-"));
        if !archival || document.date.is_some() || super::source_date_epoch().is_some() {
            return Ok(());
        }
        let located = Located::reread(document, content);
        let diagnostic = Diagnostic::error(
            &located.name,
            format!(
                "PDF/A ({}) records the date the document was made, and this one has none",
                self.pdf_standards.join(", ")
            ),
        )
        .with_code("content")
        .with_hint("add `date: YYYY-MM-DD` to the header, or set SOURCE_DATE_EPOCH for the build");
        let title = TextPath::default().key("title");
        Err(located.at(diagnostic, &title, &document.title, 0).into())
    }

    /// Refuses a document with characters no font draws, each located in `content`.
    pub(super) fn refuse_missing_glyphs(
        &self,
        document: &Document,
        content: &Path,
    ) -> Result<(), Failure> {
        let mut covers = self.coverage();
        let any_missing = document
            .rendered_texts()
            .iter()
            .any(|(_, text)| !coverage::missing(text, &mut covers).is_empty());
        if !any_missing {
            return Ok(());
        }
        let located = Located::reread(document, content);
        let mut diagnostics = located.missing_glyphs(&mut covers);
        sort_by_position(&mut diagnostics);
        if let Some(last) = diagnostics.last_mut() {
            last.hints
                .push("or build anyway with --allow-missing-glyphs".to_owned());
        }
        Err(Failure(diagnostics))
    }

    /// Rewrites the punctuation findings of `content` in place, changing only their own
    /// bytes. Each rewrite is read back and compared with the expected document before it
    /// is kept; a text whose fix would not read back is left as it was and reported. A
    /// symbolic link is written through to the file it names.
    pub fn fix(&self, content: &Path) -> Result<Fixed, Failure> {
        let name = content.display().to_string();
        let mut located = Located::read(content, &self.project)?;
        let original = located.text.clone();
        let mut fixed = 0;
        let mut refused = Vec::new();
        // One pass fixes what the lint reports; a second catches what a fix revealed.
        for _ in 0..3 {
            let pass = self.fix_pass(&located);
            refused = pass.refused;
            if pass.fixed == 0 {
                break;
            }
            fixed += pass.fixed;
            located = Located::parse(&pass.text, &name, &self.project)?;
        }
        let text = &located.text;
        if *text != original {
            let target = std::fs::canonicalize(content).unwrap_or_else(|_| content.to_path_buf());
            let permissions = std::fs::metadata(&target).map(|m| m.permissions()).ok();
            super::write_atomically(&target, text.as_bytes())?;
            if let Some(permissions) = permissions {
                let _ = std::fs::set_permissions(&target, permissions);
            }
        }
        let mut remaining = self.check_located(&located);
        remaining.extend(refused);
        Ok(Fixed { fixed, remaining })
    }

    /// One round of fixes over the source of `located`.
    fn fix_pass(&self, located: &Located) -> FixPass {
        let text = located.text.as_str();
        let mut pass = FixPass {
            text: text.to_owned(),
            fixed: 0,
            refused: Vec::new(),
        };
        let Some(map) = &located.map else {
            return pass;
        };
        // Per text: its edits in the file and its expected value.
        let mut planned: Vec<(TextPath, Vec<Edit>, String)> = Vec::new();
        for (path, value) in located.document.rendered_texts() {
            let Some(source) = located.source(&path, &value) else {
                continue;
            };
            let mut edits = Vec::new();
            let mut applied = Vec::new();
            for mut finding in lint::lint(&value) {
                let Some(mut bytes) = source.byte_range(finding.chars.clone()) else {
                    continue;
                };
                // Spaces a mark absorbs may be a folded line break: keep those, fix the mark.
                if text[bytes.clone()].contains(['\n', '\r']) && finding.mark != finding.chars {
                    finding.chars = finding.mark.clone();
                    let Some(mark_bytes) = source.byte_range(finding.chars.clone()) else {
                        continue;
                    };
                    bytes = mark_bytes;
                }
                // A line break of the source is the author's to join.
                if text[bytes.clone()].contains(['\n', '\r']) {
                    continue;
                }
                edits.push((bytes, finding.replacement.clone()));
                applied.push(finding);
            }
            if !edits.is_empty() {
                let expected = lint::apply(&value, &applied);
                planned.push((path, edits, expected));
            }
        }
        if planned.is_empty() {
            return pass;
        }
        // All at once, which is right almost always. A text written once and used twice
        // (an anchor and its alias) plans the same edit for both: make it once.
        let mut all: Vec<Edit> = planned.iter().flat_map(|(_, e, _)| e.clone()).collect();
        all.sort_by(|(a, x), (b, y)| (a.start, a.end, x).cmp(&(b.start, b.end, y)));
        all.dedup();
        let expected: HashMap<&TextPath, &String> =
            planned.iter().map(|(p, _, want)| (p, want)).collect();
        if let Some(rewritten) = rewrite(text, &mut all)
            && self.reads_back(located, &rewritten, &expected)
        {
            pass.fixed = all.len();
            pass.text = rewritten;
            return pass;
        }
        // Else text by text, from the end of the file so earlier offsets stay valid.
        planned.sort_by_key(|(_, edits, _)| std::cmp::Reverse(edits[0].0.start));
        let mut accepted: HashMap<&TextPath, &String> = HashMap::new();
        for (path, edits, want) in &planned {
            let mut edits = edits.clone();
            let mut trial = accepted.clone();
            trial.insert(path, want);
            match rewrite(&pass.text, &mut edits) {
                Some(rewritten) if self.reads_back(located, &rewritten, &trial) => {
                    pass.fixed += edits.len();
                    pass.text = rewritten;
                    accepted = trial;
                }
                _ => {
                    let source = map.get(path).expect("planned from the map");
                    let (line, column) = map.line_column(source.offset_of(0));
                    pass.refused.push(
                        Diagnostic::warning(
                            &located.name,
                            format!(
                                "{path}: --fix cannot rewrite this text safely; fix it by hand"
                            ),
                        )
                        .with_code("fix-refused")
                        .at(line, column),
                    );
                }
            }
        }
        pass
    }

    /// Whether `rewritten` loads as `located`'s document with `expected` texts replaced.
    fn reads_back(
        &self,
        located: &Located,
        rewritten: &str,
        expected: &HashMap<&TextPath, &String>,
    ) -> bool {
        let mut want = located.document.clone();
        want.edit_rendered_texts(&mut |path, text| {
            if let Some(fixed) = expected.get(path) {
                *text = (*fixed).clone();
            }
        });
        Located::parse(rewritten, &located.name, &self.project)
            .is_ok_and(|reread| reread.document == want)
    }
}

/// Bytes of the file and what replaces them.
type Edit = (Range<usize>, String);

struct FixPass {
    text: String,
    fixed: usize,
    refused: Vec<Diagnostic>,
}

/// `text` with each byte range of `edits` replaced; `None` if two ranges overlap.
fn rewrite(text: &str, edits: &mut [Edit]) -> Option<String> {
    edits.sort_by_key(|(range, _)| (range.start, range.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (range, replacement) in edits.iter() {
        if range.start < at {
            return None;
        }
        out.push_str(text.get(at..range.start)?);
        out.push_str(replacement);
        at = range.end;
    }
    out.push_str(text.get(at..)?);
    Some(out)
}

fn sort_by_position(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|d| (d.line.unwrap_or(usize::MAX), d.column.unwrap_or(0)));
}
