//! Integration tests: the binary driven like a user would, one temp dir per test.

mod add;
mod build;
mod capture;
mod check;
mod corpus;
mod demo;
mod errors;
mod golden;
mod help;
mod hostile;
mod init;
mod interop;
mod kit;
mod layering;
mod metadata;
mod numbers;
mod output;
mod places;
mod readme;
mod report;
mod roundtrip;
mod statement;
mod tamper;
mod timestamp;
mod util;
