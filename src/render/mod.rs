//! Render: the documents a bundle carries besides the evidence — the English statement
//! (`summary.txt`, `summary-form.txt`), the printable `report.html`, the
//! machine-readable `manifest.json` with the timeline, and the previews made by
//! `metadata`. Templates are data under `templates/`, compiled into the binary and
//! overridable with `--templates DIR`. Rendering reads no evidence and never changes an
//! exhibit; it only describes them.

pub mod facts;
pub mod manifest;
pub mod report;
pub mod summary;
pub mod timeline;

use jiff::Timestamp;

use crate::analysis::Assessment;
use crate::analysis::checklist::EvidenceRef;
use crate::intake::{Duplicate, Skipped};
use crate::layout::{self, Compression, Document};
use crate::metadata::previews::PreviewStore;
use crate::metadata::thumbnail::Preview;
use crate::model::{Case, Exhibit};
use crate::package::{BagWriter, PackageError};
use crate::profile::Profile;
use crate::templates::Templates;
use summary::Statement;
use timeline::Timeline;

/// Everything the documents are made from.
pub struct Inputs<'a> {
    pub templates: &'a Templates,
    pub case: &'a Case,
    /// Shared, so that the report can make its exhibit cards one at a time.
    pub exhibits: &'a std::sync::Arc<Vec<Exhibit>>,
    /// One per exhibit, in the same order.
    pub previews: &'a std::sync::Arc<PreviewStore>,
    pub assessment: &'a Assessment,
    pub profile: &'a Profile,
    pub skipped: &'a [Skipped],
    pub duplicates: &'a [Duplicate],
    pub created_at: Timestamp,
    pub bundle_name: &'a str,
    /// The time-stamping authorities the build will ask, after the documents are sealed.
    pub tsa: &'a [String],
}

/// The documents and what the command prints from them. The report waits in a
/// temporary file and the thumbnails in the preview store, so that a case of
/// thousands of exhibits is never held in memory at once; [`Rendered::write_into`]
/// puts them all into the bag.
#[derive(Debug)]
pub struct Rendered {
    /// summary-form.txt, summary.txt.
    pub documents: Vec<Document>,
    manifest_json: std::fs::File,
    report: std::fs::File,
    /// Bag path of each exhibit's thumbnail, by its index in the preview store.
    thumbnails: Vec<(String, usize)>,
    pub statement: Statement,
    pub timeline: Timeline,
}

impl Rendered {
    /// Writes every document into the bag in name order, as a listing of the zip
    /// shows them: manifest.json, report.html, the two statements, the thumbnails
    /// (each read back from `previews` just before it is written).
    pub fn write_into(
        &mut self,
        writer: &mut BagWriter,
        previews: &PreviewStore,
    ) -> Result<(), PackageError> {
        writer.add_payload_file(
            layout::MANIFEST_JSON,
            &mut self.manifest_json,
            Compression::Deflate,
        )?;
        writer.add_payload_file(layout::REPORT_HTML, &mut self.report, Compression::Deflate)?;
        writer.add_documents(&self.documents)?;
        for (path, index) in &self.thumbnails {
            if let Preview::Image { jpeg, .. } = previews.get(*index) {
                writer.add_payload(path, &jpeg, Compression::Store)?;
            }
        }
        Ok(())
    }
}

/// Renders every document of the bundle.
pub fn documents(inputs: &Inputs) -> Result<Rendered, RenderError> {
    let case = inputs.case;
    let timeline = timeline::build(case, inputs.exhibits, inputs.created_at);
    let evidence: Vec<EvidenceRef> = inputs.exhibits.iter().map(EvidenceRef::from).collect();
    let statement = summary::render(
        inputs.templates,
        &summary::Inputs {
            case,
            evidence: &evidence,
            assessment: inputs.assessment,
            profile: inputs.profile,
        },
    )?;
    let mut manifest_json = spill()?;
    manifest::render(
        &manifest::Inputs {
            created_at: inputs.created_at,
            case,
            exhibits: inputs.exhibits,
            timeline: &timeline,
            assessment: inputs.assessment,
            skipped: inputs.skipped,
            duplicates: inputs.duplicates,
        },
        &mut manifest_json,
    )?;
    let manifest_json = unspill(manifest_json)?;
    let mut report = spill()?;
    report::render(
        inputs.templates,
        &report::Inputs {
            case,
            exhibits: inputs.exhibits,
            previews: inputs.previews,
            timeline: &timeline,
            statement: &statement,
            assessment: inputs.assessment,
            created_at: inputs.created_at,
            bundle_name: inputs.bundle_name,
            tsa: inputs.tsa,
        },
        &mut report,
    )?;
    let report = unspill(report)?;
    let text = |path: &str, bytes: Vec<u8>| Document {
        path: path.to_owned(),
        bytes,
        compression: Compression::Deflate,
    };
    let documents = vec![
        text(
            layout::SUMMARY_FORM,
            statement.form.text.clone().into_bytes(),
        ),
        text(layout::SUMMARY, statement.full.clone().into_bytes()),
    ];
    let thumbnails = inputs
        .exhibits
        .iter()
        .enumerate()
        .filter_map(|(index, exhibit)| Some((exhibit.thumbnail.clone()?, index)))
        .collect();
    Ok(Rendered {
        documents,
        manifest_json,
        report,
        thumbnails,
        statement,
        timeline,
    })
}

/// A new unnamed temporary file for a large document, buffered.
fn spill() -> Result<std::io::BufWriter<std::fs::File>, RenderError> {
    tempfile::tempfile()
        .map(std::io::BufWriter::new)
        .map_err(RenderError::Spill)
}

/// The temporary file, all written.
fn unspill(out: std::io::BufWriter<std::fs::File>) -> Result<std::fs::File, RenderError> {
    out.into_inner()
        .map_err(|e| RenderError::Spill(e.into_error()))
}

/// Why a document could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("template {name} failed")]
    Template {
        name: String,
        #[source]
        source: minijinja::Error,
    },
    #[error("manifest.json could not be written")]
    Json(#[source] serde_json::Error),
    #[error(
        "no temporary file for the report and manifest.json could be written (is the temporary folder writable and not full?)"
    )]
    Spill(#[source] std::io::Error),
    #[error(transparent)]
    Templates(#[from] crate::templates::TemplateError),
    #[error(
        "{name}, output line {line}: \"{text}\" has no priority; every statement line must start with 1| to 9|"
    )]
    Unmarked {
        name: String,
        line: usize,
        text: String,
    },
    #[error(
        "the statement's essential sentences (reason, order, request) take {needed} characters, more than the form's limit of {limit}; shorten order.item or order.seller in case.toml"
    )]
    FormTooShort { limit: u32, needed: usize },
}
