//! paiban: structured content (YAML) to print-ready PDF, CJK first.
//!
//! The pipeline, one module per stage:
//! - [`model`]: the typed document and its YAML loader;
//! - [`readers`]: other inputs (plain text) into the model;
//! - [`passes`]: pure transformations over the model (numbering);
//! - [`writers`]: the model written out as Typst markup;
//! - [`engine`]: the typst `World`, fonts, compilation and PDF export;
//! - [`pipeline`]: the stages strung together, as the command line uses them.

// The JSON Schema (model/schema.rs) is one `json!` literal, deeper than the default allows.
#![recursion_limit = "256"]

pub mod diag;
pub mod engine;
pub mod model;
pub mod passes;
pub mod pipeline;
pub mod project;
pub mod readers;
pub mod writers;

pub use diag::{Diagnostic, Severity};
