//! `check` and `check --fix`: schema, references, control characters, glyph coverage and
//! the punctuation lint, located in the content file; and the lint's fixes written back
//! into the YAML, touching nothing else.
//!
//! Everything is judged on the text a reader sees, one unit at a time (a paragraph with
//! its runs, a caption, a cell, a note: [`model::Unit`]); each character knows the YAML
//! scalar and the character of it that it came from, so a finding inside inline markup or
//! an escape is still located, and fixed, at its own bytes.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use super::Builder;
use super::includes::Overrides;
use crate::diag::{Diagnostic, Failure};
use crate::model::{self, Document, Origin, Piece, SourceMap, TextPath, Unit, gongwen};
use crate::passes::{control, coverage, lint};
use crate::project::settings::Severity as LintSeverity;

/// What `--fix` did to one file.
#[derive(Debug)]
pub struct Fixed {
    /// Findings rewritten in the file.
    pub fixed: usize,
    /// What `check` reports on the rewritten file.
    pub remaining: Vec<Diagnostic>,
}

/// One file of a document as read: the content file, or a file it includes.
struct SourceFile {
    name: String,
    /// The file's text, as read.
    text: String,
    map: Option<SourceMap>,
}

impl SourceFile {
    fn new(name: String, text: String) -> Self {
        Self {
            map: SourceMap::parse(&text).ok(),
            name,
            text,
        }
    }
}

/// A loaded document and where its texts are written.
struct Located {
    /// The content file, then the files it includes (`document.parts`), so that a text's
    /// `TextPath::file` is its file's index.
    files: Vec<SourceFile>,
    document: Document,
    /// Errors of the numbering pass: references to unknown ids, ids declared twice.
    references: Vec<Diagnostic>,
    /// Errors of the figures' images: missing, outside the project, not an image.
    figures: Vec<Diagnostic>,
}

/// The text of a unit as the lint reads it, and where each of its characters came from.
struct Joined<'a> {
    text: String,
    /// For each character: its piece and its index in the piece; none for the barrier
    /// that stands for code, which the lint must not read across.
    places: Vec<Option<(usize, usize)>>,
    pieces: &'a [Piece<'a>],
}

impl<'a> Joined<'a> {
    /// The unit's text for each set of punctuation rules its pieces are read against
    /// (a Japanese quotation in a Chinese book is not read by the Chinese rules): the
    /// pieces in another language, or under none, stand as barriers.
    fn by_rules(unit: &'a Unit<'a>, document: Option<lint::Rules>) -> Vec<(lint::Rules, Self)> {
        let rules_of = |piece: &Piece| piece.lang.map_or(document, lint::Rules::for_language);
        let mut sets: Vec<lint::Rules> = Vec::new();
        for piece in &unit.pieces {
            if let Some(rules) = rules_of(piece)
                && !sets.contains(&rules)
            {
                sets.push(rules);
            }
        }
        sets.into_iter()
            .map(|rules| {
                (
                    rules,
                    Self::new(unit, |piece| rules_of(piece) == Some(rules)),
                )
            })
            .collect()
    }

    fn new(unit: &'a Unit<'a>, read: impl Fn(&Piece) -> bool) -> Self {
        let mut text = String::new();
        let mut places = Vec::new();
        for (p, piece) in unit.pieces.iter().enumerate() {
            if piece.code || !read(piece) {
                text.push('\u{fffc}');
                places.push(None);
                continue;
            }
            for (i, c) in piece.text.chars().enumerate() {
                text.push(c);
                places.push(Some((p, i)));
            }
        }
        Self {
            text,
            places,
            pieces: &unit.pieces,
        }
    }

    /// The piece and the range of its characters that `chars` of the joined text cover,
    /// if they lie in one piece.
    fn within_one_piece(&self, chars: &Range<usize>) -> Option<(&'a Piece<'a>, Range<usize>)> {
        let (first_piece, first) = (*self.places.get(chars.start)?)?;
        let (last_piece, last) = (*self.places.get(chars.end.checked_sub(1)?)?)?;
        (first_piece == last_piece).then(|| (&self.pieces[first_piece], first..last + 1))
    }
}

impl Located {
    fn read(path: &Path, builder: &Builder) -> Result<Self, Failure> {
        let text = model::read_utf8(path, "content files")?;
        Self::parse(
            &text,
            &path.display().to_string(),
            builder,
            &Overrides::new(),
        )
    }

    /// The document whose content file `name` holds `text`; its included files as
    /// `overrides` has them, else as read.
    fn parse(
        text: &str,
        name: &str,
        builder: &Builder,
        overrides: &Overrides,
    ) -> Result<Self, Failure> {
        let mut document = model::load_str(text, name)?;
        builder.project.apply_defaults(&mut document);
        let content = Path::new(name);
        super::includes::assemble(&mut document, content, &builder.project.root, overrides)?;
        let style = builder
            .project
            .check_layout(&document.layout, name)
            .map_err(|d| super::at_layout_key(text, d))?;
        let problems = crate::passes::numbering::number_with(&mut document, style);
        let mut files = vec![SourceFile::new(name.to_owned(), text.to_owned())];
        for part in &document.parts {
            let text = match overrides.get(part) {
                Some(text) => text.clone(),
                None => std::fs::read_to_string(part).unwrap_or_default(),
            };
            files.push(SourceFile::new(part.display().to_string(), text));
        }
        let mut located = Self {
            files,
            document,
            references: Vec::new(),
            figures: Vec::new(),
        };
        let images = super::resources::resolve_figures(
            &mut located.document,
            content,
            &builder.project.root,
        );
        if let Err(problems) = images {
            located.figures = located.diagnostics(problems);
        }
        located.references = located.diagnostics(problems);
        Ok(located)
    }

    /// An already loaded document with its source read again, to say where its texts
    /// are; only failures need that.
    fn reread(document: &Document, content: &Path) -> Self {
        let files = std::iter::once(content)
            .chain(document.parts.iter().map(|p| p.as_path()))
            .map(|file| {
                let text = std::fs::read_to_string(file).unwrap_or_default();
                SourceFile::new(file.display().to_string(), text)
            })
            .collect();
        Self {
            files,
            document: document.clone(),
            references: Vec::new(),
            figures: Vec::new(),
        }
    }

    /// The content file's name, for what is not about one text.
    fn name(&self) -> &str {
        &self.files[0].name
    }

    /// The file a text written at `origin` is in.
    fn file_of(&self, origin: &Origin) -> &SourceFile {
        self.files
            .get(origin.path.file as usize)
            .unwrap_or(&self.files[0])
    }

    /// Errors at the places of `problems`.
    fn diagnostics(&self, problems: Vec<(Origin, String)>) -> Vec<Diagnostic> {
        problems
            .into_iter()
            .map(|(origin, message)| {
                let diagnostic = Diagnostic::error(self.name(), message).with_code("content");
                self.at_origin(diagnostic, &origin, 0)
            })
            .collect()
    }

    /// A finding at every figure without alt text: readers who cannot see the image get
    /// nothing (a warning; an error for PDF/UA, which requires it).
    fn figures_without_alt(&self, severity: crate::diag::Severity) -> Vec<Diagnostic> {
        self.document
            .walk()
            .filter_map(|block| match block {
                model::Block::Figure(figure) if figure.alt.as_deref().is_none_or(|a| a.trim().is_empty()) => {
                    let diagnostic = Diagnostic {
                        severity,
                        ..Diagnostic::warning(
                            self.name(),
                            format!("the figure `{}` has no alt text: readers who cannot see it learn nothing of it", figure.path),
                        )
                    }
                    .with_code("missing-alt")
                    .with_hint("describe the image in `alt:`");
                    Some(self.at_origin(diagnostic, &figure.path_origin, 0))
                }
                _ => None,
            })
            .collect()
    }

    /// The byte offset in the file of character `i` of a run written at `origin`, if the
    /// second parser read that character there too.
    fn offset(&self, origin: &Origin, i: usize, expected: Option<char>) -> Option<usize> {
        let source = self.file_of(origin).map.as_ref()?.get(&origin.path)?;
        let index = origin.index(i);
        if let Some(expected) = expected
            && source.value.chars().nth(index) != Some(expected)
        {
            return None;
        }
        Some(source.offset_of(index))
    }

    /// A diagnostic at character `i` of a run written at `origin`; without a position
    /// (but naming the path) if the character could not be located.
    fn at_origin(&self, diagnostic: Diagnostic, origin: &Origin, i: usize) -> Diagnostic {
        self.located(diagnostic, origin, i, None)
    }

    fn at_piece(&self, diagnostic: Diagnostic, piece: &Piece, i: usize) -> Diagnostic {
        let expected = piece.text.chars().nth(i);
        self.located(diagnostic, &piece.origin, i, expected)
    }

    fn located(
        &self,
        diagnostic: Diagnostic,
        origin: &Origin,
        i: usize,
        expected: Option<char>,
    ) -> Diagnostic {
        let file = self.file_of(origin);
        let diagnostic = Diagnostic {
            file: file.name.clone(),
            ..diagnostic
        };
        match (self.offset(origin, i, expected), &file.map) {
            (Some(offset), Some(map)) => {
                let (line, column) = map.line_column(offset);
                diagnostic.at(line, column)
            }
            _ => Diagnostic {
                message: format!("{}: {}", origin.path, diagnostic.message),
                ..diagnostic
            },
        }
    }

    /// The bytes of the file that characters `chars` of `piece` were written as, if they
    /// are one stretch of one scalar.
    fn byte_range(&self, piece: &Piece, chars: Range<usize>) -> Option<Range<usize>> {
        let source = self
            .file_of(&piece.origin)
            .map
            .as_ref()?
            .get(&piece.origin.path)?;
        let first = piece.origin.index(chars.start);
        let last = piece.origin.index(chars.end.checked_sub(1)?);
        // Escapes or markup between them: not one stretch the fix may replace.
        if last + 1 - first != chars.len() {
            return None;
        }
        let value: Vec<char> = source.value.chars().collect();
        let written: String = value.get(first..=last)?.iter().collect();
        let shown: String = piece
            .text
            .chars()
            .skip(chars.start)
            .take(chars.len())
            .collect();
        if written != shown {
            return None;
        }
        source.byte_range(first..last + 1)
    }

    fn lint(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let units = self.document.units();
        for unit in &units {
            for (rules, joined) in
                Joined::by_rules(unit, lint::Rules::for_language(&self.document.lang))
            {
                for finding in lint::lint(&joined.text, rules) {
                    let mut diagnostic = Diagnostic::warning(self.name(), finding.message)
                        .with_code(finding.rule.name())
                        .with_suggestion(finding.replacement);
                    let folded =
                        joined
                            .within_one_piece(&finding.mark)
                            .and_then(|(piece, chars)| {
                                let bytes = self.byte_range(piece, chars)?;
                                Some(self.file_of(&piece.origin).text[bytes].contains(['\n', '\r']))
                            });
                    if folded == Some(true) {
                        diagnostic = diagnostic.with_hint(
                        "the space is a line break that YAML folded: join the lines, or write the text as a literal block (|); --fix leaves it",
                    );
                    }
                    out.push(
                        match joined.places.get(finding.mark.start).copied().flatten() {
                            Some((p, i)) => self.at_piece(diagnostic, &unit.pieces[p], i),
                            None => diagnostic,
                        },
                    );
                }
            }
        }
        // A `#` comment that cut a text short, once per scalar.
        let mut seen = std::collections::HashSet::new();
        for piece in units.iter().flat_map(|unit| &unit.pieces) {
            if seen.insert(&piece.origin.path)
                && let Some(diagnostic) = self.cut_by_comment(&piece.origin.path)
            {
                out.push(diagnostic);
            }
        }
        out.extend(self.gongwen_findings());
        if self.document.writing == model::Writing::Vertical {
            out.push(super::vertical_pdf_warning(
                self.name(),
                &self.files[0].text,
            ));
        }
        for (origin, message) in &self.document.warnings {
            let diagnostic =
                Diagnostic::warning(self.name(), message.clone()).with_code("inline-syntax");
            out.push(self.at_origin(diagnostic, origin, 0));
        }
        out
    }

    /// The forms GB/T 9704 gives a 公文's parts: a 发文字号 with the year in 〔〕, no 第
    /// and no leading zeros (`document-number`); a 主送机关 that ends with a full-width
    /// colon (`addressee-colon`). Warnings, which `--fix` leaves to the author.
    fn gongwen_findings(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let Some(gongwen) = &self.document.gongwen else {
            return out;
        };
        if let Some(number) = &gongwen.number {
            for (index, message, suggestion) in gongwen::number_findings(&number.text) {
                let mut diagnostic =
                    Diagnostic::warning(self.name(), message).with_code("document-number");
                if !suggestion.is_empty() {
                    diagnostic = diagnostic.with_suggestion(suggestion);
                }
                out.push(self.at_origin(diagnostic, &number.origin, index));
            }
        }
        if let Some(addressee) = &gongwen.addressee {
            let text = addressee.text.trim_end();
            // A half-width colon is the punctuation lint's.
            if !text.ends_with(['：', ':']) {
                let diagnostic = Diagnostic::warning(
                    self.name(),
                    "a 主送机关 ends with a full-width colon (各区县档案局，市直各单位：)",
                )
                .with_code("addressee-colon")
                .with_suggestion(format!("{text}："));
                let last = text.chars().count().saturating_sub(1);
                out.push(self.at_origin(diagnostic, &addressee.origin, last));
            }
        }
        out
    }

    /// A warning when a `#` that YAML reads as a comment seems to belong to the text: it
    /// follows an unquoted text on the same line and is not followed by a space, as in
    /// `- 第 #1 号` (a comment written on purpose is `# note`).
    fn cut_by_comment(&self, path: &TextPath) -> Option<Diagnostic> {
        let file = self.files.get(path.file as usize)?;
        let source = file.map.as_ref()?.get(path)?;
        let at = source.comment_after?;
        let comment = file.text[at..].lines().next().unwrap_or("");
        let after_hash = comment[1..].chars().next()?;
        if after_hash.is_whitespace() {
            return None;
        }
        let (line, column) = file.map.as_ref()?.line_column(at);
        let chars: Vec<char> = source.value.chars().collect();
        let ending: String = chars[chars.len().saturating_sub(12)..].iter().collect();
        Some(
            Diagnostic::warning(
                &file.name,
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
        for piece in self.document.units().iter().flat_map(|unit| &unit.pieces) {
            for (index, c) in control::forbidden(piece.text) {
                let diagnostic = Diagnostic::error(
                    self.name(),
                    format!(
                        "control character {} in the text: no output can print it",
                        control::describe(c)
                    ),
                )
                .with_code("control-character")
                .with_suggestion("")
                .with_hint("delete it; write a line break as a new line of a `|` block, and a page break as a new paragraph");
                out.push(self.at_piece(diagnostic, piece, index));
            }
        }
        out
    }

    fn missing_glyphs(&self, covers: &mut impl FnMut(char) -> bool) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for piece in self.document.units().iter().flat_map(|unit| &unit.pieces) {
            for (index, c) in coverage::missing(piece.text, &mut *covers) {
                let diagnostic = Diagnostic::error(
                    self.name(),
                    format!(
                        "U+{:04X} `{c}` is in none of the available fonts; it would print as an empty box",
                        c as u32
                    ),
                )
                .with_code("missing-glyph")
                .with_hint("replace the character, or add a font that has it with --font-path");
                out.push(self.at_piece(diagnostic, piece, index));
            }
        }
        out
    }
}

impl Builder {
    /// Everything `check` reports for one content file: a schema error alone if it does
    /// not load, else references, control characters and missing glyphs (errors), and
    /// punctuation and syntax findings (warnings).
    pub fn check(&self, content: &Path) -> Vec<Diagnostic> {
        match Located::read(content, self) {
            Ok(located) => self.check_located(&located),
            Err(failure) => failure.0,
        }
    }

    fn check_located(&self, located: &Located) -> Vec<Diagnostic> {
        let mut diagnostics = located.references.clone();
        diagnostics.extend(located.figures.clone());
        diagnostics.extend(located.figures_without_alt(crate::diag::Severity::Warning));
        diagnostics.extend(located.control_characters());
        diagnostics.extend(located.missing_glyphs(&mut self.coverage()));
        diagnostics.extend(located.lint());
        self.apply_lint_severities(&mut diagnostics);
        sort_by_position(&mut diagnostics);
        diagnostics
    }

    /// The severities `[lint]` in `paiban.toml` gives: a finding turned off is dropped,
    /// the others take the severity it names.
    fn apply_lint_severities(&self, diagnostics: &mut Vec<Diagnostic>) {
        let lint = &self.project.settings.lint;
        if lint.is_empty() {
            return;
        }
        diagnostics.retain_mut(|diagnostic| {
            let Some(severity) = diagnostic.code.as_deref().and_then(|code| lint.get(code)) else {
                return true;
            };
            diagnostic.severity = match severity {
                LintSeverity::Off => return false,
                LintSeverity::Warning => crate::diag::Severity::Warning,
                LintSeverity::Error => crate::diag::Severity::Error,
            };
            true
        });
    }

    /// Whether `[lint]` in `paiban.toml` turns `rule` off (so `--fix` leaves it alone).
    fn rule_is_off(&self, rule: lint::Rule) -> bool {
        self.project.settings.lint.get(rule.name()) == Some(&LintSeverity::Off)
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
        let mut any = false;
        document.for_each_str(&mut |text| any |= text.chars().any(control::is_forbidden));
        if !any {
            return Ok(());
        }
        let located = Located::reread(document, content);
        let mut diagnostics = located.control_characters();
        sort_by_position(&mut diagnostics);
        Err(Failure(diagnostics))
    }

    /// Refuses the problems of a pass (unknown references, ids declared twice, images
    /// that cannot be read), each located in `content`.
    pub(super) fn refuse_problems(
        document: &Document,
        content: &Path,
        problems: Vec<(Origin, String)>,
    ) -> Result<(), Failure> {
        if problems.is_empty() {
            return Ok(());
        }
        let located = Located::reread(document, content);
        let mut diagnostics = located.diagnostics(problems);
        sort_by_position(&mut diagnostics);
        Err(Failure(diagnostics))
    }

    /// Refuses a PDF/UA build with figures that have no alt text, each located.
    pub(super) fn refuse_figures_without_alt(
        &self,
        document: &Document,
        content: &Path,
    ) -> Result<(), Failure> {
        let accessible = self.pdf_standards.iter().any(|s| s.starts_with("ua-"));
        let missing = document.walk().any(|block| {
            matches!(block, model::Block::Figure(f) if f.alt.as_deref().is_none_or(|a| a.trim().is_empty()))
        });
        if !accessible || !missing {
            return Ok(());
        }
        let located = Located::reread(document, content);
        let mut diagnostics = located.figures_without_alt(crate::diag::Severity::Error);
        for diagnostic in &mut diagnostics {
            diagnostic
                .hints
                .push("PDF/UA requires alt text for every figure".to_owned());
        }
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
            located.name(),
            format!(
                "PDF/A ({}) records the date the document was made, and this one has none",
                self.pdf_standards.join(", ")
            ),
        )
        .with_code("content")
        .with_hint("add `date: YYYY-MM-DD` to the header, or set SOURCE_DATE_EPOCH for the build");
        let title = Origin::at(TextPath::default().key("title"));
        Err(located.at_origin(diagnostic, &title, 0).into())
    }

    /// Refuses a document with characters no font draws, each located in `content`.
    pub(super) fn refuse_missing_glyphs(
        &self,
        document: &Document,
        content: &Path,
    ) -> Result<(), Failure> {
        let mut covers = self.coverage();
        let mut any_missing = false;
        document.for_each_str(&mut |text| {
            any_missing |= text.chars().any(|c| coverage::needs_glyph(c) && !covers(c));
        });
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
        let mut located = Located::read(content, self)?;
        let original: Vec<String> = located.files.iter().map(|f| f.text.clone()).collect();
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
            located = self.reparse(&located, &pass.texts)?;
        }
        // Each file of the book that changed, in place: a chapter's finding is fixed in
        // the chapter.
        for (file, before) in located.files.iter().zip(&original) {
            if file.text == *before {
                continue;
            }
            let path = Path::new(&file.name);
            let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
            let permissions = std::fs::metadata(&target).map(|m| m.permissions()).ok();
            super::write_atomically(&target, file.text.as_bytes())?;
            if let Some(permissions) = permissions {
                let _ = std::fs::set_permissions(&target, permissions);
            }
        }
        let mut remaining = self.check_located(&located);
        remaining.extend(refused);
        Ok(Fixed { fixed, remaining })
    }

    /// `located`'s document read again with its files' texts replaced by `texts`.
    fn reparse(&self, located: &Located, texts: &[String]) -> Result<Located, Failure> {
        let overrides: Overrides = located
            .document
            .parts
            .iter()
            .cloned()
            .zip(texts[1..].iter().cloned())
            .collect();
        Located::parse(&texts[0], located.name(), self, &overrides)
    }

    /// One round of fixes over the sources of `located`.
    fn fix_pass(&self, located: &Located) -> FixPass {
        let mut pass = FixPass {
            texts: located.files.iter().map(|f| f.text.clone()).collect(),
            fixed: 0,
            refused: Vec::new(),
        };
        // Per scalar: its edits in its file and what its characters become.
        let mut planned: HashMap<TextPath, (Vec<Edit>, Vec<Change>)> = HashMap::new();
        for unit in &located.document.units() {
            for (rules, joined) in
                Joined::by_rules(unit, lint::Rules::for_language(&located.document.lang))
            {
                for mut finding in lint::lint(&joined.text, rules) {
                    if self.rule_is_off(finding.rule) {
                        continue;
                    }
                    let Some((piece, mut chars)) = joined.within_one_piece(&finding.chars) else {
                        continue;
                    };
                    let text = located.file_of(&piece.origin).text.as_str();
                    let Some(mut bytes) = located.byte_range(piece, chars.clone()) else {
                        continue;
                    };
                    // Spaces a mark absorbs may be a folded line break: keep those, fix the mark.
                    if text[bytes.clone()].contains(['\n', '\r']) && finding.mark != finding.chars {
                        finding.chars = finding.mark.clone();
                        let Some((_, mark_chars)) = joined.within_one_piece(&finding.chars) else {
                            continue;
                        };
                        let Some(mark_bytes) = located.byte_range(piece, mark_chars.clone()) else {
                            continue;
                        };
                        chars = mark_chars;
                        bytes = mark_bytes;
                    }
                    // A line break of the source is the author's to join.
                    if text[bytes.clone()].contains(['\n', '\r']) {
                        continue;
                    }
                    let entry = planned.entry(piece.origin.path.clone()).or_default();
                    entry.0.push((bytes, finding.replacement.clone()));
                    entry.1.push(Change {
                        first: piece.origin.index(chars.start),
                        end: piece.origin.index(chars.end - 1) + 1,
                        replacement: finding.replacement,
                    });
                }
            }
        }
        if planned.is_empty() {
            return pass;
        }
        let mut planned: Vec<(TextPath, Vec<Edit>, Vec<Change>)> = planned
            .into_iter()
            .map(|(path, (edits, changes))| (path, edits, changes))
            .collect();
        // By file, and within a file from its end, so that earlier offsets stay valid.
        planned.sort_by_key(|(path, edits, _)| (path.file, std::cmp::Reverse(edits[0].0.start)));
        let mut accepted: Vec<(&TextPath, &[Change])> = Vec::new();
        for file in 0..located.files.len() {
            let mine: Vec<&(TextPath, Vec<Edit>, Vec<Change>)> = planned
                .iter()
                .filter(|(path, _, _)| path.file as usize == file)
                .collect();
            if mine.is_empty() {
                continue;
            }
            // All at once, which is right almost always. A text written once and used
            // twice (an anchor and its alias) plans the same edit for both: make it once.
            let mut all: Vec<Edit> = mine.iter().flat_map(|(_, e, _)| e.clone()).collect();
            all.sort_by(|(a, x), (b, y)| (a.start, a.end, x).cmp(&(b.start, b.end, y)));
            all.dedup();
            let mut trial = accepted.clone();
            trial.extend(
                mine.iter()
                    .map(|(path, _, changes)| (path, changes.as_slice())),
            );
            if let Some(rewritten) = rewrite(&pass.texts[file], &mut all) {
                let mut texts = pass.texts.clone();
                texts[file] = rewritten;
                if self.reads_back(located, &texts, &trial) {
                    pass.fixed += all.len();
                    pass.texts = texts;
                    accepted = trial;
                    continue;
                }
            }
            // Else scalar by scalar.
            for (path, edits, changes) in mine {
                let mut edits = edits.clone();
                let mut trial = accepted.clone();
                trial.push((path, changes));
                let rewritten = rewrite(&pass.texts[file], &mut edits).map(|rewritten| {
                    let mut texts = pass.texts.clone();
                    texts[file] = rewritten;
                    texts
                });
                match rewritten {
                    Some(texts) if self.reads_back(located, &texts, &trial) => {
                        pass.fixed += edits.len();
                        pass.texts = texts;
                        accepted = trial;
                    }
                    _ => {
                        let diagnostic = Diagnostic::warning(
                            located.name(),
                            format!(
                                "{path}: --fix cannot rewrite this text safely; fix it by hand"
                            ),
                        )
                        .with_code("fix-refused");
                        pass.refused.push(located.at_origin(
                            diagnostic,
                            &Origin::at(path.clone()),
                            0,
                        ));
                    }
                }
            }
        }
        pass
    }

    /// Whether the files' `texts` load as `located`'s document with the `expected`
    /// changes made to its texts.
    fn reads_back(
        &self,
        located: &Located,
        texts: &[String],
        expected: &[(&TextPath, &[Change])],
    ) -> bool {
        let by_path: HashMap<&TextPath, &[Change]> = expected.iter().copied().collect();
        let mut want = located.document.clone();
        want.edit_runs(&mut |run| {
            if let Some(changes) = by_path.get(&run.origin.path) {
                apply_changes(run, changes);
            }
        });
        self.reparse(located, texts)
            .is_ok_and(|reread| reread.document == want)
    }
}

/// Bytes of the file and what replaces them.
type Edit = (Range<usize>, String);

/// Characters `first..end` of a scalar's value, and what replaces them.
#[derive(Debug, Clone)]
struct Change {
    first: usize,
    end: usize,
    replacement: String,
}

/// Makes the `changes` that fall inside `run`, by the places its characters came from.
fn apply_changes(run: &mut model::Run, changes: &[Change]) {
    let chars: Vec<char> = run.text.chars().collect();
    let mut out = String::with_capacity(run.text.len());
    let mut i = 0;
    while i < chars.len() {
        let index = run.origin.index(i);
        match changes.iter().find(|c| c.first == index) {
            Some(change) => {
                out.push_str(&change.replacement);
                while i < chars.len() && run.origin.index(i) < change.end {
                    i += 1;
                }
            }
            None => {
                out.push(chars[i]);
                i += 1;
            }
        }
    }
    run.text = out;
}

struct FixPass {
    /// The texts of the document's files, as fixed so far.
    texts: Vec<String>,
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
