//! Compilation to PDF, and typst's diagnostics turned into located [`Diagnostic`]s.

use std::time::{Duration, Instant};

use serde::Deserialize;
use serde::de::IntoDeserializer;
use typst::World;
use typst::WorldExt;
use typst::diag::{Severity as TypstSeverity, SourceDiagnostic};
use typst::foundations::Datetime;
use typst::foundations::Smart;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use super::amend::{Amendments, amend};
use super::world::PaibanWorld;
use crate::diag::{Diagnostic, Failure, Severity};

/// How the PDF is written.
#[derive(Debug, Clone, Default)]
pub struct PdfSettings {
    /// Standards typst enforces and declares, by typst's names (`a-2b`, `ua-1`, `1.7`).
    pub standards: Vec<String>,
    /// Add a BleedBox this far outside the TrimBox on every page.
    pub bleed_box_mm: Option<f64>,
    /// The document's language tag (BCP 47), which the PDF declares in full.
    pub language: String,
    /// The creation time (Unix seconds) for documents without a date; PDF/A needs one.
    pub timestamp: Option<i64>,
}

/// The standard names typst accepts.
pub const STANDARD_NAMES: &[&str] = &[
    "1.4", "1.5", "1.6", "1.7", "2.0", "a-1b", "a-1a", "a-2b", "a-2u", "a-2a", "a-3b", "a-3u",
    "a-3a", "a-4", "a-4f", "a-4e", "ua-1",
];

/// Whether typst accepts these standards together (`a-2b,a-3b` it does not).
pub fn check_standards(names: &[String]) -> Result<(), Diagnostic> {
    standards(names).map(|_| ())
}

fn standards(names: &[String]) -> Result<PdfStandards, Diagnostic> {
    let mut list = Vec::new();
    for name in names {
        let standard = PdfStandard::deserialize(name.as_str().into_deserializer()).map_err(
            |_: serde::de::value::Error| {
                Diagnostic::error(
                    "paiban",
                    format!(
                        "unknown PDF standard `{name}`: expected one of {}",
                        STANDARD_NAMES.join(", ")
                    ),
                )
            },
        )?;
        list.push(standard);
    }
    PdfStandards::new(&list).map_err(|e| {
        let mut diagnostic = Diagnostic::error(
            "paiban",
            format!("PDF standards {}: {}", names.join(", "), e.message()),
        );
        diagnostic.hints = e.hints().iter().map(|h| h.to_string()).collect();
        diagnostic
    })
}

fn timestamp(seconds: i64) -> Option<Timestamp> {
    let (year, month, day) = crate::model::civil_from_days(seconds.div_euclid(86_400));
    let second_of_day = seconds.rem_euclid(86_400);
    let datetime = Datetime::from_ymd_hms(
        year,
        month,
        day,
        (second_of_day / 3600) as u8,
        (second_of_day / 60 % 60) as u8,
        (second_of_day % 60) as u8,
    )?;
    Some(Timestamp::new_utc(datetime))
}

pub struct CompileOutput {
    pub pdf: Vec<u8>,
    pub pages: usize,
    /// Warnings that did not fail the build.
    pub warnings: Vec<Diagnostic>,
    pub timings: StageTimings,
}

/// Where a build's time went, for `watch` and the benchmarks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StageTimings {
    /// typst's evaluation and layout.
    pub typeset: Duration,
    /// typst-pdf's export, and the amendments (BleedBox, language) if any.
    pub export: Duration,
}

/// The laid-out pages of a document, before they are written as PDF.
pub struct Typeset {
    pub document: PagedDocument,
    /// Warnings that did not fail the build.
    pub warnings: Vec<Diagnostic>,
    /// typst's evaluation and layout.
    pub time: Duration,
}

/// Compiles the world's main markup and exports it as PDF.
///
/// Fonts are part of the contract: a warning that a font family is unknown fails the
/// build instead of letting typst fall back to whatever covers the text.
pub fn compile_pdf(world: &PaibanWorld, settings: &PdfSettings) -> Result<CompileOutput, Failure> {
    // A standard typst does not know is refused before anything is laid out.
    standards(&settings.standards)?;
    let typeset = typeset(world)?;
    export_pdf(world, &typeset, settings)
}

/// Compiles the world's main markup into pages (without writing a PDF).
pub fn typeset(world: &PaibanWorld) -> Result<Typeset, Failure> {
    let started = Instant::now();
    let result = typst::compile::<PagedDocument>(world);
    let time = started.elapsed();
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
    Ok(Typeset {
        document,
        warnings,
        time,
    })
}

/// Writes laid-out pages as PDF, with the amendments typst does not make.
pub fn export_pdf(
    world: &PaibanWorld,
    typeset: &Typeset,
    settings: &PdfSettings,
) -> Result<CompileOutput, Failure> {
    let standards = standards(&settings.standards)?;
    let started = Instant::now();
    let options = PdfOptions {
        creator: Smart::Custom(Some(format!(
            "paiban {} (Typst 0.15.1)",
            env!("CARGO_PKG_VERSION")
        ))),
        standards,
        timestamp: settings.timestamp.and_then(timestamp),
        ..PdfOptions::default()
    };
    let mut pdf = typst_pdf::pdf(&typeset.document, &options).map_err(|errors| {
        Failure(
            errors
                .iter()
                .map(|e| {
                    let diagnostic = convert(world, e);
                    if diagnostic.message.contains("missing document date") {
                        diagnostic.with_hint(
                            "give the content a `date`, or set SOURCE_DATE_EPOCH for the build",
                        )
                    } else if diagnostic.message.contains("attach") {
                        diagnostic.with_hint(
                            "PDF/A-2 allows no attached files: embed the source with --pdf-standard a-3b (or a-3u)",
                        )
                    } else {
                        diagnostic
                    }
                })
                .collect(),
        )
    })?;
    let amendments = Amendments::needed(&pdf, settings.bleed_box_mm, &settings.language);
    if !amendments.is_empty() {
        pdf = amend(&pdf, &amendments)
            .map_err(|e| Diagnostic::error(world.display_path(world.main()), e))?;
    }
    Ok(CompileOutput {
        pdf,
        pages: typeset.document.pages().len(),
        warnings: typeset.warnings.clone(),
        timings: StageTimings {
            typeset: typeset.time,
            export: started.elapsed(),
        },
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
        if id == world.main() {
            out.hints.push(format!(
                "{} is the markup paiban generated from the content; `paiban typst` writes it",
                out.file
            ));
        }
        break;
    }
    if diagnostic
        .message
        .contains("first heading must be of level 1")
    {
        out.hints.push(
            "PDF/UA-1 needs the headings to start at level 1; this content starts at a deeper \
             level (an excerpt?)"
                .to_owned(),
        );
    }
    out
}
