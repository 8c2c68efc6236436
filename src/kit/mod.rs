//! The upload kit: from a sealed bundle, the files one platform's dispute form takes,
//! with the steps to upload them.
//!
//! It reads the bundle, never the case folder, and only after `verify` found it
//! intact; every file it reads is hashed again against the sealed manifest, so each
//! upload copy derives from sealed bytes. The kit folder appears complete or not at
//! all, and the bundle is never modified.
//!
//! Photos and screenshots are fitted (upright, metadata stripped, under the form's
//! per-file cap); videos are copied, zipped or turned into stills as the form needs;
//! PDFs the form takes are copied; `exhibit-book.pdf` carries everything, text
//! exhibits included. An exhibit with no file of its own is listed as left out with
//! the reason, in `UPLOAD.txt` and `kit.json`, never dropped silently.

pub mod book;
mod contents;
mod fit;
pub mod image;
mod manifest;
mod stamp;

mod upload;
pub mod video;

use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::analysis::upload::{self as plan, Limits, Plan};
use crate::layout;
use crate::metadata::thumbnail::{Tools, parallel_map};
use crate::model::Platform;
use crate::output::{self, AtomicDir, Existing, OutputError};
use crate::profile::Profile;
use crate::progress;
use crate::templates::{TemplateError, Templates};
use crate::verify::{self, Opened, VerifyError};
use fit::{Content, Workshop};
use manifest::Manifest;

/// The exhibit book's file name in the kit.
const BOOK: &str = "exhibit-book.pdf";

/// Checked settings for one kit.
#[derive(Debug, Clone)]
pub struct KitConfig {
    pub bundle: PathBuf,
    /// The platform to fit for; `None` means the case's.
    pub platform: Option<Platform>,
    /// The kit folder; `None` means `<bundle name>-upload/` beside the bundle.
    pub output: Option<PathBuf>,
    pub existing: Existing,
    pub progress: progress::Mode,
    pub templates: Templates,
    /// Outside decoders (heif-convert for HEIC photos), found with the settings.
    pub tools: Tools,
}

/// Why no kit was made. Nothing is left at the kit's path in any case.
#[derive(Debug, thiserror::Error)]
pub enum KitError {
    #[error(transparent)]
    Verify(#[from] VerifyError),
    #[error("{}: the bundle is not intact ({count} problem{}, first: {first}); a kit is made only from an intact bundle — run `claimpack verify` on it", path.display(), if *count == 1 { "" } else { "s" })]
    Tampered {
        path: PathBuf,
        count: usize,
        first: String,
    },
    #[error("{}: data/manifest.json cannot be read ({why}); was this bundle made by claimpack?", path.display())]
    Manifest { path: PathBuf, why: String },
    #[error(transparent)]
    Templates(#[from] TemplateError),
    #[error("{}: {}", .0.display(), "already exists; pass --force to replace it, or -o to write elsewhere")]
    Exists(PathBuf),
    #[error(transparent)]
    Output(OutputError),
    #[error("the exhibit book could not be made: {0}")]
    Book(String),
}

impl From<OutputError> for KitError {
    fn from(error: OutputError) -> Self {
        match error {
            OutputError::Exists(path) => KitError::Exists(path),
            other => KitError::Output(other),
        }
    }
}

/// One file of the kit.
#[derive(Debug, Clone, Serialize)]
pub struct KitFile {
    pub name: String,
    pub bytes: u64,
    pub sha256: String,
    pub media_type: String,
    pub from: Option<Origin>,
    pub transform: Vec<String>,
}

/// The original a kit file was made from.
#[derive(Debug, Clone, Serialize)]
pub struct Origin {
    pub exhibit: String,
    pub sha256: String,
}

/// An exhibit with no file in the kit, and why.
#[derive(Debug, Clone, Serialize)]
pub struct LeftOut {
    pub exhibit: String,
    pub why: String,
}

/// What a kit holds; written as `kit.json`.
#[derive(Debug, Clone, Serialize)]
pub struct Kit {
    pub folder: PathBuf,
    pub platform: Platform,
    pub bundle: String,
    pub seal: String,
    pub files: Vec<KitFile>,
    pub left_out: Vec<LeftOut>,
    /// Temporary folders of killed kits removed beside it.
    #[serde(skip)]
    pub stale_removed: Vec<crate::output::Stale>,
}

/// Where the kit goes by default: `<bundle name>-upload/` beside the bundle.
pub fn default_folder(bundle: &Path) -> PathBuf {
    let stem = bundle
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "claim".to_owned());
    bundle.with_file_name(format!("{stem}-upload"))
}

/// Makes the kit.
pub fn kit(config: &KitConfig) -> Result<Kit, KitError> {
    let target = config
        .output
        .clone()
        .unwrap_or_else(|| default_folder(&config.bundle));
    // Fails before the bundle is read when the kit exists and --force was not given.
    output::refuse_existing(&target, config.existing)?;
    let stale_removed = output::remove_stale_partials(output::folder_of(&target));
    let bundle = match verify::open_verified(&config.bundle, config.progress, None)? {
        Opened::Intact(bundle) => bundle,
        Opened::Refused(report) => {
            return Err(KitError::Tampered {
                path: config.bundle.clone(),
                count: report.problems.len(),
                first: report
                    .problems
                    .first()
                    .map(|p| format!("{}: {}", p.path, p.detail))
                    .unwrap_or_default(),
            });
        }
    };
    let manifest_error = |why: String| KitError::Manifest {
        path: config.bundle.clone(),
        why,
    };
    let manifest_bytes = bundle.read(layout::MANIFEST_JSON, 64 << 20)?;
    let manifest: Manifest =
        serde_json::from_slice(&manifest_bytes).map_err(|e| manifest_error(e.to_string()))?;
    let case_platform = Platform::from_slug(&manifest.case.platform)
        .ok_or_else(|| manifest_error(format!("unknown platform {}", manifest.case.platform)))?;
    let platform = config.platform.unwrap_or(case_platform);
    let profile = Profile::load(&config.templates, platform)?;
    let limits = Limits::of(&profile);

    let folder = AtomicDir::create(&target, config.existing)?;
    let workshop = Workshop {
        bundle: &bundle,
        limits: &limits,
        tools: &config.tools,
        folder: folder.path(),
    };
    // Exhibits are fitted side by side, each worker holding one decoded picture.
    let plans: Vec<(&manifest::Item, Plan)> = manifest
        .items
        .iter()
        .map(|item| {
            let unusable =
                plan::Unusable::of(item.damaged.as_deref(), item.not_the_page.as_deref());
            let plan = plan::plan(&item.media_type, item.bytes, unusable, &limits);
            (item, plan)
        })
        .collect();
    let mut fits = parallel_map(&plans, |(item, plan)| workshop.fit(item, plan))
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
    // Over the total a submission takes, or a book over the per-file cap: every
    // picture again under a smaller budget, before anything is left out.
    let budget = picture_budget(&fits, &limits, folder.path());
    if let Some(budget) = budget {
        let tight = Limits {
            rules: plan::Rules {
                max_bytes: budget,
                ..limits.rules
            },
            ..limits.clone()
        };
        let workshop = Workshop {
            limits: &tight,
            ..workshop
        };
        let again = parallel_map(&plans, |(item, plan)| {
            matches!(plan, Plan::Picture { .. } | Plan::Stills).then(|| workshop.fit(item, plan))
        });
        for (fit, refit) in fits.iter_mut().zip(again) {
            // Fitting under the budget fails only where the picture cannot shrink
            // further; then it keeps its first fit.
            if let (Ok(_), Some(Ok(Ok(made)))) = (&*fit, refit) {
                *fit = Ok(made);
            }
        }
    }

    let mut files = Vec::new();
    let mut left_out = Vec::new();
    let mut pictures: std::collections::BTreeMap<String, Vec<book::Picture>> =
        std::collections::BTreeMap::new();
    for (item, fit) in manifest.items.iter().zip(fits) {
        match fit {
            Ok(made) => {
                for made in made {
                    if let (Content::Bytes(bytes), Some((width, height))) =
                        (&made.content, made.size)
                    {
                        pictures
                            .entry(item.id.clone())
                            .or_default()
                            .push(book::Picture {
                                name: made.name.clone(),
                                bytes: std::sync::Arc::clone(bytes),
                                jpeg: made.media_type == "image/jpeg",
                                width,
                                height,
                                label: made.label.clone(),
                                part: made.part,
                            });
                    }
                    let (bytes, sha256) = match &made.content {
                        Content::Bytes(bytes) => {
                            write(folder.path(), &made.name, bytes)?;
                            (
                                bytes.len() as u64,
                                hex::encode(Sha256::digest(bytes.as_slice())),
                            )
                        }
                        Content::Written => hash_file(&folder.path().join(&made.name))?,
                    };
                    let mut transform = made.transform;
                    if let Some(budget) = budget
                        && made.size.is_some()
                    {
                        transform.push(format!("budget {}", crate::text::megabytes(budget)));
                    }
                    files.push(KitFile {
                        bytes,
                        sha256,
                        name: made.name,
                        media_type: made.media_type,
                        from: Some(Origin {
                            exhibit: item.id.clone(),
                            sha256: item.sha256.clone(),
                        }),
                        transform,
                    });
                }
            }
            Err(why) => left_out.push(LeftOut {
                exhibit: item.id.clone(),
                why,
            }),
        }
    }
    // The form text is the case platform's; for another platform it would say the
    // wrong things ("I opened this dispute on AliExpress" to a bank).
    let form = (platform == case_platform)
        .then(|| bundle.read(layout::SUMMARY_FORM, 1 << 20))
        .transpose()?;
    if let Some(form) = &form {
        write(folder.path(), "form.txt", form)?;
        files.push(text_file("form.txt", form));
    }
    let seal = bundle.report.facts.seal.clone().unwrap_or_default();
    let bundle_name = bundle.report.bag.clone().unwrap_or_default();
    let book = contents::exhibit_book(&bundle, &manifest, &profile, &bundle_name, &seal, pictures)?;
    let book_notes = contents::fit_book(&book, &profile, &limits)?;
    write(folder.path(), BOOK, &book_notes.pdf)?;
    files.push(KitFile {
        name: BOOK.to_owned(),
        bytes: book_notes.pdf.len() as u64,
        sha256: hex::encode(Sha256::digest(&book_notes.pdf)),
        media_type: "application/pdf".to_owned(),
        from: None,
        transform: vec![format!("{} pages", book_notes.pages)],
    });
    let mut kit = Kit {
        folder: target.clone(),
        platform,
        bundle: bundle_name,
        seal,
        files,
        left_out,
        stale_removed,
    };
    let upload = upload::Steps {
        kit: &kit,
        profile: &profile,
        manifest: &manifest,
        limits: &limits,
        book: &book_notes,
        case_platform,
    }
    .text();
    write(folder.path(), "UPLOAD.txt", upload.as_bytes())?;
    kit.files.push(text_file("UPLOAD.txt", upload.as_bytes()));
    let mut json = serde_json::to_vec_pretty(&kit).map_err(|e| manifest_error(e.to_string()))?;
    json.push(b'\n');
    write(folder.path(), "kit.json", &json)?;
    kit.folder = folder.commit()?;
    Ok(kit)
}

/// What the exhibit book takes besides its pictures: fonts, text, the manifest.
const BOOK_OVERHEAD: u64 = 600_000;
/// No picture budget below this: a 1080-pixel JPEG at the lowest quality tried.
const SMALLEST_BUDGET: u64 = 250_000;

/// A smaller per-picture cap when the first fit is over what the form takes in
/// all (PayPal's 50 MB per submission, a card network's 14.5 MB) or would make a
/// book over the per-file cap; `None` when everything fits.
fn picture_budget(fits: &[fit::Fit], limits: &Limits, folder: &Path) -> Option<u64> {
    let made = fits.iter().filter_map(|fit| fit.as_ref().ok()).flatten();
    let (mut pictures, mut count, mut others) = (0u64, 0u64, 0u64);
    for made in made {
        match (&made.content, made.size) {
            (Content::Bytes(bytes), Some(_)) => {
                pictures += bytes.len() as u64;
                count += 1;
            }
            (Content::Bytes(bytes), None) => others += bytes.len() as u64,
            // Written straight into the folder: a zip or a video copy.
            (Content::Written, _) => {
                others += std::fs::metadata(folder.join(&made.name)).map_or(0, |m| m.len());
            }
        }
    }
    if count == 0 {
        return None;
    }
    // The book carries every picture again, when it is uploaded too.
    let copies = if limits.pdf { 2 } else { 1 };
    let mut room = u64::MAX;
    if let Some(total) = limits.max_total_bytes {
        let total = total / 10 * 9;
        room = room.min(total.saturating_sub(others + BOOK_OVERHEAD * (copies - 1)) / copies);
    }
    if limits.pdf {
        let book = limits.rules.max_bytes / 10 * 9;
        room = room.min(book.saturating_sub(BOOK_OVERHEAD));
    }
    if pictures <= room {
        return None;
    }
    Some(
        (room / count)
            .max(SMALLEST_BUDGET)
            .min(limits.rules.max_bytes),
    )
}

/// Size and SHA-256 of a file the kit wrote, read back in chunks.
fn hash_file(path: &Path) -> Result<(u64, String), KitError> {
    let read_error = |source| {
        KitError::Output(OutputError::Write {
            path: path.to_owned(),
            source,
        })
    };
    let mut file = std::fs::File::open(path).map_err(read_error)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    let mut bytes = 0u64;
    loop {
        let n = std::io::Read::read(&mut file, &mut buffer).map_err(read_error)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
        bytes += n as u64;
    }
    Ok((bytes, hex::encode(hasher.finalize())))
}

fn text_file(name: &str, bytes: &[u8]) -> KitFile {
    KitFile {
        name: name.to_owned(),
        bytes: bytes.len() as u64,
        sha256: hex::encode(Sha256::digest(bytes)),
        media_type: "text/plain; charset=utf-8".to_owned(),
        from: None,
        transform: Vec::new(),
    }
}

fn write(folder: &Path, name: &str, bytes: &[u8]) -> Result<(), KitError> {
    let path = folder.join(name);
    std::fs::write(&path, bytes)
        .map_err(|source| KitError::Output(OutputError::Write { path, source }))
}
