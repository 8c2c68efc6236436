//! claimpack turns a folder of purchase-dispute evidence into a sealed, reproducible
//! BagIt zip with an English statement, and verifies such bundles.
//!
//! The pipeline stages are modules of their own, each taking the previous stage's
//! typed output: `intake` (walk, kinds, exhibit ids) → `package` (seal the evidence)
//! → `metadata` (describe each exhibit, previews) → `analysis` (checklist, deadlines,
//! contradictions) → `render` (statement, report, manifest.json, timeline) →
//! `package` (seal the documents, finish). `capture` saves web pages into a case
//! folder; `verify` checks any bundle. `config` turns the command line (`cli`) into
//! each command's checked settings and `commands` runs them. CONTRIBUTING.md has the
//! picture and the layering rules.

pub mod analysis;
pub mod capture;
pub mod cli;
pub mod commands;
pub mod config;
pub mod error;
pub mod exit;
pub mod formats;
#[doc(hidden)]
pub mod fuzzing;
pub mod geo;
pub mod http;
pub mod intake;
pub mod interrupt;
pub mod kit;
pub mod layout;
pub mod metadata;
pub mod model;
pub mod output;
pub mod package;
pub mod profile;
pub mod progress;
pub mod render;
pub mod sanitize;
pub mod scaffold;
pub mod suggest;
pub mod templates;
pub mod text;
pub mod tools;
pub mod verify;

pub use commands::run;
