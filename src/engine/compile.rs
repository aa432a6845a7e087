//! Compilation to PDF, and typst's diagnostics turned into located [`Diagnostic`]s.

use typst::World;
use typst::WorldExt;
use typst::diag::{Severity as TypstSeverity, SourceDiagnostic};
use typst::foundations::Smart;
use typst_layout::PagedDocument;
use typst_pdf::PdfOptions;

use super::world::PaibanWorld;
use crate::diag::{Diagnostic, Failure, Severity};

pub struct CompileOutput {
    pub pdf: Vec<u8>,
    pub pages: usize,
    /// Warnings that did not fail the build.
    pub warnings: Vec<Diagnostic>,
}

/// Compiles the world's main markup and exports it as PDF.
///
/// Fonts are part of the contract: a warning that a font family is unknown fails the
/// build instead of letting typst fall back to whatever covers the text.
pub fn compile_pdf(world: &PaibanWorld) -> Result<CompileOutput, Failure> {
    let result = typst::compile::<PagedDocument>(world);
    let mut warnings: Vec<Diagnostic> = result.warnings.iter().map(|w| convert(world, w)).collect();
    for warning in &mut warnings {
        if warning.message.starts_with("unknown font family") {
            warning.severity = Severity::Error;
            warning.hints.push(
                "paiban uses only the fonts in the project's fonts/ and --font-path folders \
                 (and the system's with --system-fonts); `paiban fonts` lists them"
                    .to_owned(),
            );
        }
    }
    let document = match result.output {
        Ok(document) => document,
        Err(errors) => {
            let mut all: Vec<Diagnostic> = errors.iter().map(|e| convert(world, e)).collect();
            all.extend(warnings);
            return Err(Failure(all));
        }
    };
    if warnings.iter().any(Diagnostic::is_error) {
        return Err(Failure(warnings));
    }
    let options = PdfOptions {
        creator: Smart::Custom(Some(format!(
            "paiban {} (Typst 0.15.1)",
            env!("CARGO_PKG_VERSION")
        ))),
        ..PdfOptions::default()
    };
    let pdf = typst_pdf::pdf(&document, &options)
        .map_err(|errors| Failure(errors.iter().map(|e| convert(world, e)).collect()))?;
    Ok(CompileOutput {
        pdf,
        pages: document.pages().len(),
        warnings,
    })
}

fn convert(world: &PaibanWorld, diagnostic: &SourceDiagnostic) -> Diagnostic {
    let severity = match diagnostic.severity {
        TypstSeverity::Error => Severity::Error,
        TypstSeverity::Warning => Severity::Warning,
    };
    let mut out = Diagnostic {
        severity,
        hints: diagnostic.hints.iter().map(|h| h.v.to_string()).collect(),
        code: Some("typst".to_owned()),
        ..Diagnostic::error(
            world.display_path(world.main()),
            diagnostic.message.to_string(),
        )
    };
    // Point at the first place in a file: the error itself, else the call that led to it.
    let spans =
        std::iter::once(diagnostic.span).chain(diagnostic.trace.iter().map(|t| t.span.into()));
    for span in spans {
        let Some(id) = span.id() else { continue };
        let Some(range) = world.range(span) else {
            continue;
        };
        let Ok(source) = world.source(id) else {
            continue;
        };
        out.file = world.display_path(id);
        if let Some((line, column)) = source.lines().byte_to_line_column(range.start) {
            out.line = Some(line + 1);
            out.column = Some(column + 1);
        }
        break;
    }
    out
}
