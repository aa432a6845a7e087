//! Readers turn other inputs into the document model.

pub mod plaintext;
