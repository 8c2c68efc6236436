//! Integration tests: the binary driven like a user would, one temp dir per test.

mod capture;
mod check;
mod cli;
mod golden;
mod hostile;
mod interop;
mod layering;
mod metadata;
mod output;
mod readme;
mod report;
mod roundtrip;
mod statement;
mod tamper;
mod timestamp;
mod util;
