//! The part of a bundle's `data/manifest.json` the kit reads: the case, the
//! exhibits and the timeline, as `build` wrote them.

use serde::Deserialize;

use crate::model::Reason;

/// The manifest, as far as the kit needs it.
#[derive(Debug, Deserialize)]
pub struct Manifest {
    pub created_at: String,
    pub case: ManifestCase,
    pub items: Vec<Item>,
    #[serde(default)]
    pub timeline: Vec<Event>,
    /// What `check` found, as of the bundle date (the kit reads only the places).
    #[serde(default)]
    pub checklist: Option<Checklist>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Checklist {
    /// Where tracking says the parcel was delivered, as `build` read it.
    #[serde(default)]
    pub places: Option<crate::analysis::places::Places>,
}

#[derive(Debug, Deserialize)]
pub struct ManifestCase {
    pub platform: String,
    pub reason: Reason,
    pub order: ManifestOrder,
    #[serde(default)]
    pub request: Option<ManifestRequest>,
    #[serde(default)]
    pub shipping: Option<ManifestShipping>,
}

#[derive(Debug, Deserialize)]
pub struct ManifestOrder {
    pub id: String,
    pub placed: Option<String>,
    pub item: Option<String>,
    pub seller: Option<String>,
    pub total: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ManifestRequest {
    pub resolution: Option<String>,
    pub amount: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ManifestShipping {
    #[serde(default)]
    pub tracking: Vec<String>,
    pub shipped: Option<String>,
    pub delivered: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Event {
    pub date: String,
    pub event: String,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Item {
    pub id: String,
    pub kind: String,
    pub path: String,
    pub source_name: String,
    pub sha256: String,
    pub media_type: String,
    pub orientation: Option<u16>,
    pub duration_s: Option<f64>,
    pub captured_at: Option<String>,
    pub captured_at_source: Option<String>,
    pub bytes: u64,
    pub caption: Option<String>,
    /// For a captured or saved web page.
    #[serde(default)]
    pub page: Option<Page>,
    /// Why the sealed file is not whole, when it is not.
    #[serde(default)]
    pub damaged: Option<String>,
    /// What a capture shows instead of its page, when it landed elsewhere.
    #[serde(default)]
    pub not_the_page: Option<String>,
    /// A capture's other files, sealed under this number.
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    /// A photo's or video's Content Credentials, as build checked them.
    #[serde(default)]
    pub content_credentials: Option<crate::model::ContentCredentials>,
}

/// One file sealed with an exhibit (a capture's WARC, PDF, text, record).
#[derive(Debug, Clone, Deserialize)]
pub struct Attachment {
    pub path: String,
    pub sha256: String,
    pub part: String,
}

/// What a captured page says about itself.
#[derive(Debug, Clone, Deserialize)]
pub struct Page {
    pub url: Option<String>,
    pub date: Option<String>,
}

impl Item {
    /// Whether the sealed original carries Content Credentials a copy would lose
    /// (checked or not; a file without any has nothing to lose).
    pub fn carries_credentials(&self) -> bool {
        self.content_credentials
            .as_ref()
            .is_some_and(|c| c.status != crate::model::CredentialStatus::None)
    }
}
