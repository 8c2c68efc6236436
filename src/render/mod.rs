//! Render: the documents a bundle carries besides the evidence — the English statement
//! (`summary.txt`) and the machine-readable `manifest.json`. Templates are data under
//! `templates/`, compiled into the binary. Rendering reads no files and never changes
//! an exhibit; it only describes them.

pub mod facts;
pub mod manifest;
pub mod report;
pub mod summary;
pub mod thumbnail;

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
