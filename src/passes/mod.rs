//! Pure passes over the document model and its texts: numbering, the punctuation lint,
//! glyph coverage. None reads files or knows about writers.

pub mod coverage;
pub mod lint;
pub mod numbering;
