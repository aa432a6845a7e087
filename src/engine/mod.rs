//! The engine: everything that knows the typst crates' API.
//! A [`world::PaibanWorld`] serves sources, layouts and fonts; [`compile`] turns markup
//! into a PDF and typst's diagnostics into ours.

pub mod amend;
pub mod compile;
pub mod fonts;
pub mod images;
pub mod pages;
pub mod preflight;
pub mod world;

pub use compile::{
    CompileOutput, PdfSettings, StageTimings, Typeset, compile_pdf, export_pdf, typeset,
};
pub use fonts::{FontOptions, Fonts};
pub use world::PaibanWorld;
