//! `check` and `check --fix`: schema, glyph coverage and the punctuation lint, located in
//! the content file; and the lint's fixes written back into the YAML, touching nothing else.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use super::Builder;
use crate::diag::{Diagnostic, Failure};
use crate::model::{self, Document, SourceMap, SourceText, TextPath};
use crate::passes::{coverage, lint};

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
    fn read(path: &Path, project: &crate::project::Project) -> Result<(Self, String), Failure> {
        let text = model::read_utf8(path, "content files")?;
        let located = Self::parse(&text, &path.display().to_string(), project)?;
        Ok((located, text))
    }

    fn parse(text: &str, name: &str, project: &crate::project::Project) -> Result<Self, Failure> {
        let document = model::load_str(text, name)?;
        project.check_layout(&document.layout, name)?;
        Ok(Self {
            name: name.to_owned(),
            text: text.to_owned(),
            document,
            map: SourceMap::parse(text).ok(),
        })
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
                let bytes = source.and_then(|s| s.byte_range(finding.chars.clone()));
                if bytes.is_some_and(|bytes| self.text[bytes].contains('\n')) {
                    diagnostic = diagnostic.with_hint(
                        "the space is a line break that YAML folded: join the lines, or write the text as a literal block (|); --fix leaves it",
                    );
                }
                out.push(self.at(diagnostic, &path, &value, finding.chars.start));
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
            Ok((located, _)) => self.check_located(&located),
            Err(failure) => failure.0,
        }
    }

    fn check_located(&self, located: &Located) -> Vec<Diagnostic> {
        let mut diagnostics = located.missing_glyphs(&mut self.coverage());
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
        // Only now is the file read again, to say where each character is.
        let name = content.display().to_string();
        let text = std::fs::read_to_string(content).unwrap_or_default();
        let map = SourceMap::parse(&text).ok();
        let located = Located {
            name,
            text,
            document: document.clone(),
            map,
        };
        let mut diagnostics = located.missing_glyphs(&mut covers);
        sort_by_position(&mut diagnostics);
        if let Some(last) = diagnostics.last_mut() {
            last.hints
                .push("or build anyway with --allow-missing-glyphs".to_owned());
        }
        Err(Failure(diagnostics))
    }

    /// Rewrites the punctuation findings of `content` in place, changing only their own
    /// bytes. The result is loaded again and compared with the expected texts before it
    /// replaces the file; the file is left as it was if anything disagrees.
    pub fn fix(&self, content: &Path) -> Result<Fixed, Failure> {
        let name = content.display().to_string();
        let (located, text) = Located::read(content, &self.project)?;
        let Some(map) = &located.map else {
            return Err(Diagnostic::error(
                &name,
                "cannot locate the texts of this file to fix them",
            )
            .into());
        };
        let mut edits: Vec<(Range<usize>, String)> = Vec::new();
        let mut expected: HashMap<TextPath, String> = HashMap::new();
        for (path, value) in located.document.rendered_texts() {
            let Some(source) = map.get(&path).filter(|s| s.value == value) else {
                continue;
            };
            let fixable: Vec<lint::Finding> = lint::lint(&value)
                .into_iter()
                .filter_map(|finding| {
                    let bytes = source.byte_range(finding.chars.clone())?;
                    // A line break of the source (a folded scalar) is the author's to join.
                    if text[bytes.clone()].contains('\n') {
                        return None;
                    }
                    edits.push((bytes, finding.replacement.clone()));
                    Some(finding)
                })
                .collect();
            if !fixable.is_empty() {
                expected.insert(path, lint::apply(&value, &fixable));
            }
        }
        if edits.is_empty() {
            return Ok(Fixed {
                fixed: 0,
                remaining: self.check_located(&located),
            });
        }
        let rewritten = rewrite(&text, &mut edits)
            .ok_or_else(|| Diagnostic::error(&name, "cannot fix: two fixes overlap in the file"))?;

        let mut want = located.document.clone();
        want.edit_rendered_texts(&mut |path, text| {
            if let Some(fixed) = expected.get(path) {
                *text = fixed.clone();
            }
        });
        let reread = Located::parse(&rewritten, &name, &self.project);
        match &reread {
            Ok(reread) if reread.document == want => {}
            _ => {
                return Err(Diagnostic::error(
                    &name,
                    "cannot fix this file safely: the rewritten YAML would not read back as the fixed text; the file is unchanged",
                )
                .into());
            }
        }
        let permissions = std::fs::metadata(content).map(|m| m.permissions()).ok();
        super::write_atomically(content, rewritten.as_bytes())?;
        if let Some(permissions) = permissions {
            let _ = std::fs::set_permissions(content, permissions);
        }
        let reread = reread.expect("checked above");
        Ok(Fixed {
            fixed: edits.len(),
            remaining: self.check_located(&reread),
        })
    }
}

/// `text` with each byte range of `edits` replaced; `None` if two ranges overlap.
fn rewrite(text: &str, edits: &mut [(Range<usize>, String)]) -> Option<String> {
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
