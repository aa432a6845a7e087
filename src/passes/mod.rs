//! Pure passes over the document model and its texts: numbering, the punctuation lint,
//! glyph coverage, control characters. None reads files or knows about writers.

pub mod control;
pub mod coverage;
pub mod lint;
pub mod numbering;
