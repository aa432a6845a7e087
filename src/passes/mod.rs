//! Pure passes over the document model. Each takes the model and gives it back changed;
//! none reads files or knows about writers.

pub mod numbering;
