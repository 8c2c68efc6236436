//! Analysis: what the case and its exhibits say when put side by side. For now, the
//! timeline of the case's own dates; evidence capture times and contradiction checks
//! join it as metadata becomes available.

pub mod timeline;
pub mod tracking;
