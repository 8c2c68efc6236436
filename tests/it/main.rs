//! Integration tests: the binary driven like a user would, one temp dir per test.

mod cli;
mod hostile;
mod interop;
mod readme;
mod tamper;
mod util;
