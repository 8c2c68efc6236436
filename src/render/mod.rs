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
use crate::metadata::thumbnail::Preview;
use crate::model::{Case, Exhibit};
use crate::profile::Profile;
use crate::templates::Templates;
use summary::Statement;
use timeline::Timeline;

/// Everything the documents are made from.
pub struct Inputs<'a> {
    pub templates: &'a Templates,
    pub case: &'a Case,
    pub exhibits: &'a [Exhibit],
    /// One per exhibit, in the same order.
    pub previews: &'a [Preview],
    pub assessment: &'a Assessment,
    pub profile: &'a Profile,
    pub skipped: &'a [Skipped],
    pub duplicates: &'a [Duplicate],
    pub created_at: Timestamp,
    pub bundle_name: &'a str,
    /// The time-stamping authorities the build will ask, after the documents are sealed.
    pub tsa: &'a [String],
}

/// The documents, in the order they go into the bag, and what the command prints
/// from them.
#[derive(Debug)]
pub struct Rendered {
    pub documents: Vec<Document>,
    pub statement: Statement,
    pub timeline: Timeline,
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
    let manifest_json = manifest::render(&manifest::Inputs {
        created_at: inputs.created_at,
        case,
        exhibits: inputs.exhibits,
        timeline: &timeline,
        assessment: inputs.assessment,
        skipped: inputs.skipped,
        duplicates: inputs.duplicates,
    })?;
    let report_html = report::render(
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
    )?;
    let text = |path: &str, bytes: Vec<u8>| Document {
        path: path.to_owned(),
        bytes,
        compression: Compression::Deflate,
    };
    // Name order, as a listing of the zip shows them.
    let mut documents = vec![
        text(layout::MANIFEST_JSON, manifest_json),
        text(layout::REPORT_HTML, report_html.into_bytes()),
        text(
            layout::SUMMARY_FORM,
            statement.form.text.clone().into_bytes(),
        ),
        text(layout::SUMMARY, statement.full.clone().into_bytes()),
    ];
    for (exhibit, preview) in inputs.exhibits.iter().zip(inputs.previews) {
        if let (Some(path), Preview::Image { jpeg, .. }) = (&exhibit.thumbnail, preview) {
            documents.push(Document {
                path: path.clone(),
                bytes: jpeg.clone(),
                compression: Compression::Store,
            });
        }
    }
    Ok(Rendered {
        documents,
        statement,
        timeline,
    })
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
