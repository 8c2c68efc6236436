//! The formats both the writer (`package`) and the readers (`verify`, the upload kit)
//! speak, kept below both so they can never disagree about a byte: BagIt's tag files,
//! RFC 3161 time-stamp tokens, and the compression-ratio guard for zip entries.

pub mod bagit;
pub mod inflation;
pub mod rfc3161;
