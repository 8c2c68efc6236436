//! `data/manifest.json`: everything the tool knows about the case and its exhibits,
//! in a stable shape that other tools and claimpack's verifier can read.

use jiff::Timestamp;
use serde::Serialize;

use super::RenderError;
use crate::analysis::Assessment;
use crate::intake::{Duplicate, Skipped};
use crate::model::{Case, Exhibit};
use crate::render::timeline::{Event, Timeline};

/// The format name and version of manifest.json.
pub const FORMAT: &str = "claimpack-bundle/1";

#[derive(Serialize)]
struct Manifest<'a> {
    format: &'static str,
    created_at: String,
    tool: Tool,
    case: &'a Case,
    items: &'a [Exhibit],
    timeline: &'a [Event],
    /// The evidence checklist, deadlines (as of the bundle date), tracking checks and
    /// consistency findings.
    checklist: &'a Assessment,
    skipped: &'a [Skipped],
    duplicates: &'a [Duplicate],
    warnings: Vec<String>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

/// Everything manifest.json describes.
pub struct Inputs<'a> {
    pub created_at: Timestamp,
    pub case: &'a Case,
    pub exhibits: &'a [Exhibit],
    pub timeline: &'a Timeline,
    pub assessment: &'a Assessment,
    pub skipped: &'a [Skipped],
    pub duplicates: &'a [Duplicate],
}

/// Writes manifest.json, pretty-printed with a final newline, into `out` (a
/// temporary file: a case of thousands of exhibits makes tens of megabytes).
pub fn render(inputs: &Inputs, out: &mut impl std::io::Write) -> Result<(), RenderError> {
    let warnings = inputs
        .exhibits
        .iter()
        .flat_map(|e| e.warnings.iter().map(move |w| format!("{}: {w}", e.id)))
        .chain(inputs.timeline.warnings.iter().cloned())
        .collect();
    let manifest = Manifest {
        format: FORMAT,
        created_at: inputs.created_at.to_string(),
        tool: Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        case: inputs.case,
        items: inputs.exhibits,
        timeline: &inputs.timeline.events,
        checklist: inputs.assessment,
        skipped: inputs.skipped,
        duplicates: inputs.duplicates,
        warnings,
    };
    serde_json::to_writer_pretty(&mut *out, &manifest).map_err(RenderError::Json)?;
    out.write_all(b"\n").map_err(RenderError::Spill)
}
