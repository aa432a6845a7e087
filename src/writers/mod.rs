//! Writers turn the (numbered) model into an output format.

pub mod epub;
pub mod typst;
pub mod yaml;
