//! The data files claimpack is made of — the statement templates, the report and the
//! case.toml template under `templates/`, the platform profiles and the evidence
//! checklist under `knowledge/` — compiled into the binary, and overridable file by
//! file from a folder (`--templates DIR`).
//!
//! An override folder mirrors both: `DIR/summary/damaged.txt.j2` replaces that one
//! template, `DIR/platforms/ebay.toml` that profile, and everything else stays built in.
//! Override files are read as they are, bounded in size, all at once when the command
//! starts; nothing here writes.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The largest override file accepted; templates and profiles are a few KiB.
const MAX_OVERRIDE_BYTES: u64 = 1024 * 1024;

macro_rules! embed {
    ($folder:literal: $($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../", $folder, "/", $name)))),*]
    };
}

/// Facts: what each platform calls things and allows, and what each reason needs.
const KNOWLEDGE: &[(&str, &str)] = embed!("knowledge":
    "checklist.toml",
    "platforms/aliexpress.toml",
    "platforms/amazon.toml",
    "platforms/card.toml",
    "platforms/ebay.toml",
    "platforms/etsy.toml",
    "platforms/other.toml",
    "platforms/paypal.toml",
    "platforms/temu.toml",
);

/// Wording: the statement, the report and the case file `init` writes.
const TEMPLATES: &[(&str, &str)] = embed!("templates":
    "case.toml.j2",
    "report.html.j2",
    "summary/_card.txt.j2",
    "summary/_contacts.txt.j2",
    "summary/_delivered.txt.j2",
    "summary/_delivered_to.txt.j2",
    "summary/_exhibits.txt.j2",
    "summary/_opening.txt.j2",
    "summary/_protection.txt.j2",
    "summary/_received.txt.j2",
    "summary/_resolution.txt.j2",
    "summary/_shipping.txt.j2",
    "summary/_tracking_checks.txt.j2",
    "summary/_tracking_shows.txt.j2",
    "summary/counterfeit.txt.j2",
    "summary/customs-held.txt.j2",
    "summary/damaged.txt.j2",
    "summary/defective.txt.j2",
    "summary/delivered-not-received.txt.j2",
    "summary/empty-package.txt.j2",
    "summary/missing-items.txt.j2",
    "summary/no-tracking.txt.j2",
    "summary/not-as-described.txt.j2",
    "summary/not-received.txt.j2",
    "summary/not-shipped.txt.j2",
    "summary/refund-not-received.txt.j2",
    "summary/returned-to-sender.txt.j2",
    "summary/wrong-item.txt.j2",
);

/// Every built-in data file with its name relative to its folder.
fn embedded() -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    KNOWLEDGE.iter().chain(TEMPLATES)
}

/// Why a data file could not be had.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("the templates folder {0} does not exist or is not a folder")]
    NoFolder(PathBuf),
    #[error("could not read the template override {path}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the template override {path} is larger than 1 MiB")]
    TooLarge { path: PathBuf },
    #[error("the template override {path} is not UTF-8 text")]
    NotUtf8 { path: PathBuf },
    #[error(
        "{name} is not a claimpack template (built-in names are listed under templates/ and knowledge/)"
    )]
    Unknown { name: String },
    #[error("{name}, line {line}: {message}")]
    Invalid {
        name: String,
        line: usize,
        message: String,
    },
}

/// Where data files come from: the built-in set, with the files of an override
/// folder read once, when the command's settings are made.
#[derive(Debug, Clone, Default)]
pub struct Templates {
    /// Built-in name → the override's text.
    overrides: BTreeMap<&'static str, Arc<str>>,
}

impl Templates {
    /// Only the built-in files.
    pub fn builtin() -> Self {
        Self::default()
    }

    /// The built-in files, each replaced by `dir/<name>` where that exists. Every
    /// override is read and checked here, so a broken one fails before any work.
    pub fn with_overrides(dir: &Path) -> Result<Self, TemplateError> {
        if !dir.is_dir() {
            return Err(TemplateError::NoFolder(dir.to_owned()));
        }
        let mut overrides = BTreeMap::new();
        for &(name, _) in embedded() {
            if let Some(text) = read_override(&dir.join(name))? {
                overrides.insert(name, text);
            }
        }
        Ok(Self { overrides })
    }

    /// The text of one data file, e.g. `summary/damaged.txt.j2`.
    pub fn get(&self, name: &str) -> Result<Cow<'static, str>, TemplateError> {
        let builtin = embedded()
            .find(|(n, _)| *n == name)
            .map(|(_, text)| *text)
            .ok_or_else(|| TemplateError::Unknown {
                name: name.to_owned(),
            })?;
        Ok(match self.overrides.get(name) {
            Some(text) => Cow::Owned(text.to_string()),
            None => Cow::Borrowed(builtin),
        })
    }

    /// The names of the built-in files under a folder, e.g. `summary/`.
    pub fn names_under(prefix: &str) -> impl Iterator<Item = &'static str> {
        embedded()
            .map(|(name, _)| *name)
            .filter(move |name| name.starts_with(prefix))
    }
}

/// An override file's text; `None` when there is none (or it is not a file).
fn read_override(path: &Path) -> Result<Option<Arc<str>>, TemplateError> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => {
            if meta.len() > MAX_OVERRIDE_BYTES {
                return Err(TemplateError::TooLarge {
                    path: path.to_owned(),
                });
            }
            let bytes = std::fs::read(path).map_err(|source| TemplateError::Read {
                path: path.to_owned(),
                source,
            })?;
            let text = String::from_utf8(bytes).map_err(|_| TemplateError::NotUtf8 {
                path: path.to_owned(),
            })?;
            Ok(Some(text.into()))
        }
        Ok(_) => Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(TemplateError::Read {
            path: path.to_owned(),
            source,
        }),
    }
}

/// Parses a TOML data file, naming the file and line on error.
pub fn parse_toml<T: serde::de::DeserializeOwned>(
    name: &str,
    text: &str,
) -> Result<T, TemplateError> {
    toml::from_str(text).map_err(|e| TemplateError::Invalid {
        name: name.to_owned(),
        line: e.span().map_or(1, |span| {
            text[..span.start.min(text.len())].matches('\n').count() + 1
        }),
        message: e.message().trim_end().to_owned(),
    })
}
