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
pub mod image;
pub mod video;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::layout;
use crate::metadata::thumbnail::Tools;
use crate::model::{Platform, Reason};
use crate::output::{self, AtomicDir, Existing, OutputError};
use crate::profile::Profile;
use crate::progress;
use crate::templates::{TemplateError, Templates};
use crate::verify::{self, Opened, VerifiedBundle, VerifyError};

/// What is read of one original at most (a photo or a PDF, not a video).
const MAX_READ_BYTES: u64 = 512 << 20;
/// The per-file cap when the platform publishes none: what most forms take.
const DEFAULT_MAX_BYTES: u64 = 5_000_000;

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

/// The part of `data/manifest.json` the kit needs.
#[derive(Debug, Deserialize)]
struct Manifest {
    created_at: String,
    case: ManifestCase,
    items: Vec<Item>,
    #[serde(default)]
    timeline: Vec<Event>,
}

#[derive(Debug, Deserialize)]
struct ManifestCase {
    platform: String,
    reason: Reason,
    order: ManifestOrder,
    #[serde(default)]
    request: Option<ManifestRequest>,
    #[serde(default)]
    shipping: Option<ManifestShipping>,
}

#[derive(Debug, Deserialize)]
struct ManifestOrder {
    id: String,
    placed: Option<String>,
    item: Option<String>,
    seller: Option<String>,
    total: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ManifestRequest {
    resolution: Option<String>,
    amount: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ManifestShipping {
    #[serde(default)]
    tracking: Vec<String>,
    shipped: Option<String>,
    delivered: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Event {
    date: String,
    event: String,
    source: String,
}

#[derive(Debug, Clone, Deserialize)]
struct Item {
    id: String,
    kind: String,
    path: String,
    source_name: String,
    sha256: String,
    media_type: String,
    orientation: Option<u16>,
    duration_s: Option<f64>,
    captured_at: Option<String>,
    captured_at_source: Option<String>,
    bytes: u64,
    caption: Option<String>,
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

/// The rules the kit applies, with where each comes from.
struct Limits {
    rules: image::Rules,
    pdf: bool,
    /// Whether the form takes video; `None` when nobody published it.
    video: Option<bool>,
    /// Whether the platform asks for videos zipped.
    zip_videos: bool,
    /// How the cap and formats were chosen, for UPLOAD.txt.
    explained: Vec<String>,
}

fn limits(profile: &Profile) -> Limits {
    let evidence = &profile.evidence;
    let mut explained = Vec::new();
    let formats: Vec<String> = match evidence.formats.get() {
        Some(formats) => {
            explained.push(format!(
                "Formats taken: {} (source: {}).",
                formats.join(", "),
                evidence.formats.source
            ));
            formats.clone()
        }
        None => {
            explained.push(format!(
                "Formats: {} publishes no list ({}); the kit uses JPEG and PNG, which every form seen takes.",
                profile.name, evidence.formats.source
            ));
            vec!["jpg".into(), "png".into()]
        }
    };
    let max_bytes = match evidence.max_file_bytes.get() {
        Some(&bytes) => {
            explained.push(format!(
                "Each file under {} (source: {}).",
                image::megabytes(bytes),
                evidence.max_file_bytes.source
            ));
            bytes
        }
        None => {
            explained.push(format!(
                "Size: {} publishes no per-file limit ({}); the kit keeps each file under {}.",
                profile.name,
                evidence.max_file_bytes.source,
                image::megabytes(DEFAULT_MAX_BYTES)
            ));
            DEFAULT_MAX_BYTES
        }
    };
    let has = |ext: &str| formats.iter().any(|f| f.eq_ignore_ascii_case(ext));
    Limits {
        rules: image::Rules {
            png: has("png"),
            jpeg: has("jpg") || has("jpeg"),
            max_bytes,
        },
        pdf: has("pdf"),
        video: evidence.video.get().copied(),
        zip_videos: evidence.zip.get() == Some(&true) && evidence.video.get() != Some(&true),
        explained,
    }
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
    let limits = limits(&profile);

    let folder = AtomicDir::create(&target, config.existing)?;
    let mut files = Vec::new();
    let mut left_out = Vec::new();
    let mut pictures: std::collections::BTreeMap<String, Vec<book::Picture>> =
        std::collections::BTreeMap::new();
    for item in &manifest.items {
        match fit_item(&bundle, item, &limits, &config.tools, folder.path())? {
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
                                bytes: bytes.clone(),
                                jpeg: made.media_type == "image/jpeg",
                                width,
                                height,
                                label: made
                                    .transform
                                    .iter()
                                    .find(|t| t.starts_with("still at "))
                                    .map(|t| format!("The video {t}")),
                            });
                    }
                    let (bytes, sha256) = match &made.content {
                        Content::Bytes(bytes) => {
                            write(folder.path(), &made.name, bytes)?;
                            (bytes.len() as u64, hex::encode(Sha256::digest(bytes)))
                        }
                        Content::Written => hash_file(&folder.path().join(&made.name))?,
                    };
                    files.push(KitFile {
                        bytes,
                        sha256,
                        name: made.name,
                        media_type: made.media_type,
                        from: Some(Origin {
                            exhibit: item.id.clone(),
                            sha256: item.sha256.clone(),
                        }),
                        transform: made.transform,
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
    let book = exhibit_book(&bundle, &manifest, &profile, &bundle_name, &seal, pictures)?;
    let book_notes = fit_book(&book, &profile, &limits)?;
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
    let upload = upload_text(
        &kit,
        &profile,
        &manifest,
        &limits,
        form.is_some(),
        case_platform,
        &book_notes,
    );
    write(folder.path(), "UPLOAD.txt", upload.as_bytes())?;
    kit.files.push(text_file("UPLOAD.txt", upload.as_bytes()));
    let mut json = serde_json::to_vec_pretty(&kit).map_err(|e| manifest_error(e.to_string()))?;
    json.push(b'\n');
    write(folder.path(), "kit.json", &json)?;
    kit.folder = folder.commit()?;
    Ok(kit)
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

/// One file made from an exhibit.
struct Made {
    name: String,
    content: Content,
    media_type: String,
    transform: Vec<String>,
    /// Pixel size, for pictures.
    size: Option<(u32, u32)>,
}

/// A made file's bytes: in memory, or already written into the kit folder.
enum Content {
    Bytes(Vec<u8>),
    Written,
}

impl Made {
    fn fitted(stem: &str, fitted: image::Fitted) -> Made {
        Made {
            name: format!("{stem}.{}", fitted.extension),
            content: Content::Bytes(fitted.bytes),
            media_type: fitted.media_type.to_owned(),
            transform: fitted.transform,
            size: Some((fitted.width, fitted.height)),
        }
    }
}

/// The files made from one exhibit, or why it has none.
type Fit = Result<Vec<Made>, String>;

fn fit_item(
    bundle: &VerifiedBundle,
    item: &Item,
    limits: &Limits,
    tools: &Tools,
    folder: &Path,
) -> Result<Fit, KitError> {
    let stem = item
        .path
        .rsplit('/')
        .next()
        .and_then(|name| name.rsplit_once('.').map(|(stem, _)| stem))
        .unwrap_or(&item.id)
        .to_owned();
    let media_type = item.media_type.as_str();
    if matches!(media_type, "image/heic" | "image/heif") {
        let Some(heif_convert) = tools.heif_convert() else {
            return Ok(Err(format!(
                "a HEIC photo, and converting it needs heif-convert ({}); the original is in the bundle",
                install("libheif-examples", "libheif")
            )));
        };
        let bytes = bundle.read(&item.path, MAX_READ_BYTES)?;
        // libheif applies HEIF's own rotation and crop; the EXIF orientation it
        // copies along must not turn the picture a second time.
        let decoded = match heif_to_png(heif_convert, &bytes) {
            Ok(png) => png,
            Err(why) => {
                return Ok(Err(format!(
                    "a HEIC photo heif-convert could not read: {why}"
                )));
            }
        };
        return Ok(
            image::fit(&decoded, None, limits.rules, image::Lossless::Never)
                .map(|mut fitted| {
                    fitted.transform.insert(0, "heif-convert".to_owned());
                    vec![Made::fitted(&stem, fitted)]
                })
                .map_err(|why| format!("the {} {why}", item.kind)),
        );
    }
    if matches!(media_type, "image/jpeg" | "image/png" | "image/webp") {
        let bytes = bundle.read(&item.path, MAX_READ_BYTES)?;
        let lossless = if media_type == "image/png" {
            image::Lossless::IfPng
        } else {
            image::Lossless::Never
        };
        return Ok(image::fit(&bytes, item.orientation, limits.rules, lossless)
            .map(|fitted| vec![Made::fitted(&stem, fitted)])
            .map_err(|why| format!("the {} {why}", item.kind)));
    }
    if media_type == "application/pdf" {
        if !limits.pdf {
            return Ok(Err(
                "a PDF, and this form takes no PDF; the original is in the bundle, and the exhibit book lists it with its hash"
                    .to_owned(),
            ));
        }
        let bytes = bundle.read(&item.path, MAX_READ_BYTES)?;
        if bytes.len() as u64 > limits.rules.max_bytes {
            return Ok(Err(format!(
                "a PDF of {}, over the form's {} per file",
                image::megabytes(bytes.len() as u64),
                image::megabytes(limits.rules.max_bytes)
            )));
        }
        return Ok(Ok(vec![Made {
            name: format!("{stem}.pdf"),
            content: Content::Bytes(bytes),
            media_type: item.media_type.clone(),
            transform: vec!["copy".to_owned()],
            size: None,
        }]));
    }
    if media_type.starts_with("video/") {
        return video_files(bundle, item, &stem, limits, tools, folder);
    }
    let why = match (media_type.split('/').next(), media_type) {
        (Some("image"), _) => format!(
            "a {media_type} image, which this version of the kit does not convert yet; the original is in the bundle"
        ),
        (_, "text/plain" | "text/html") if item.bytes <= 1 << 20 => format!(
            "a {} file ({media_type}): the form takes no text files; its text is in {BOOK}, and the original is in the bundle",
            item.kind
        ),
        _ => format!(
            "a {} file ({media_type}): the form takes no such file; {BOOK} lists it with its hash, and the original is in the bundle",
            item.kind
        ),
    };
    Ok(Err(why))
}

/// The original video in a zip of its own, written straight into the kit folder
/// (a video can be gigabytes): stored, as video does not compress, at a fixed time,
/// so the same bundle gives the same zip.
fn zip_video(
    bundle: &VerifiedBundle,
    item: &Item,
    stem: &str,
    folder: &Path,
) -> Result<Fit, KitError> {
    let name = format!("{stem}.zip");
    let path = folder.join(&name);
    let write_error = |source: std::io::Error| {
        KitError::Output(OutputError::Write {
            path: path.clone(),
            source,
        })
    };
    let zip_error = |e: zip::result::ZipError| write_error(std::io::Error::other(e));
    let file = std::fs::File::create(&path).map_err(write_error)?;
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default())
        .large_file(item.bytes >= u64::from(u32::MAX))
        .unix_permissions(0o644);
    let inner = item.path.rsplit('/').next().unwrap_or(stem);
    zip.start_file(inner, options).map_err(zip_error)?;
    bundle.copy_to(&item.path, &mut zip)?;
    let mut out = zip.finish().map_err(zip_error)?;
    std::io::Write::flush(&mut out).map_err(write_error)?;
    Ok(Ok(vec![Made {
        name,
        content: Content::Written,
        media_type: "application/zip".to_owned(),
        transform: vec!["zip".to_owned()],
        size: None,
    }]))
}

/// "Debian/Ubuntu: apt install P; macOS: brew install B".
fn install(apt: &str, brew: &str) -> String {
    format!(
        "Debian/Ubuntu: apt install {apt}; macOS: brew install {brew}; Windows: see the tool's site"
    )
}

/// A video as the form takes it: the original when it takes video and the file fits;
/// the original zipped when the platform asks for videos that way (AliExpress);
/// otherwise stills.
fn video_files(
    bundle: &VerifiedBundle,
    item: &Item,
    stem: &str,
    limits: &Limits,
    tools: &Tools,
    folder: &Path,
) -> Result<Fit, KitError> {
    if limits.video == Some(true) && item.bytes <= limits.rules.max_bytes {
        let bytes = bundle.read(&item.path, MAX_READ_BYTES)?;
        return Ok(Ok(vec![Made {
            name: item.path.rsplit('/').next().unwrap_or(stem).to_owned(),
            content: Content::Bytes(bytes),
            media_type: item.media_type.clone(),
            transform: vec!["copy".to_owned()],
            size: None,
        }]));
    }
    if limits.zip_videos {
        return zip_video(bundle, item, stem, folder);
    }
    let Some(ffmpeg) = tools.ffmpeg() else {
        return Ok(Err(format!(
            "a video, and this form takes none: making stills from it needs ffmpeg ({}); the original is in the bundle",
            install("ffmpeg", "ffmpeg")
        )));
    };
    // ffmpeg reads files: a private copy of the sealed original, checked as copied.
    let mut copy = tempfile::NamedTempFile::new().map_err(|source| VerifyError::Copy {
        bag_path: item.path.clone(),
        source,
    })?;
    bundle.copy_to(&item.path, copy.as_file_mut())?;
    let stills = match video::stills(ffmpeg, copy.path(), item.duration_s) {
        Ok(stills) => stills,
        Err(why) => return Ok(Err(format!("a video ffmpeg could not read: {why}"))),
    };
    let mut made = Vec::new();
    for still in stills {
        match image::fit(&still.png, None, limits.rules, image::Lossless::Never) {
            Ok(mut fitted) => {
                fitted
                    .transform
                    .insert(0, format!("still at {}", video::clock(still.at)));
                made.push(Made::fitted(
                    &format!("{stem}-{}", video::timecode(still.at)),
                    fitted,
                ));
            }
            Err(why) => return Ok(Err(format!("a still of the video {why}"))),
        }
    }
    Ok(Ok(made))
}

/// The exhibit book's file name in the kit.
const BOOK: &str = "exhibit-book.pdf";

/// The book as made, and what the buyer should know about it.
struct BookNotes {
    pdf: Vec<u8>,
    pages: usize,
    warnings: Vec<String>,
}

/// The book's contents, from the bundle's own files and the kit's pictures.
fn exhibit_book(
    bundle: &VerifiedBundle,
    manifest: &Manifest,
    profile: &Profile,
    bundle_name: &str,
    seal: &str,
    mut pictures: std::collections::BTreeMap<String, Vec<book::Picture>>,
) -> Result<book::Book, KitError> {
    let case = &manifest.case;
    let order = &case.order;
    let mut facts = vec![
        ("Dispute".to_owned(), profile.name.clone()),
        ("Reason".to_owned(), case.reason.meaning().to_owned()),
        ("Order".to_owned(), order.id.clone()),
    ];
    let mut fact = |label: &str, value: Option<&String>| {
        if let Some(value) = value {
            facts.push((label.to_owned(), value.clone()));
        }
    };
    fact("Item", order.item.as_ref());
    fact("Seller", order.seller.as_ref());
    fact("Order total", order.total.as_ref());
    fact("Ordered", order.placed.as_ref());
    if let Some(shipping) = &case.shipping {
        if !shipping.tracking.is_empty() {
            fact("Tracking", Some(&shipping.tracking.join(", ")));
        }
        fact("Shipped", shipping.shipped.as_ref());
        fact("Delivered", shipping.delivered.as_ref());
    }
    if let Some(request) = &case.request {
        fact("Resolution asked", request.resolution.as_ref());
        fact("Amount asked", request.amount.as_ref());
    }
    facts.push(("Bundle".to_owned(), bundle_name.to_owned()));
    facts.push(("Seal".to_owned(), seal.to_owned()));
    let stamps: Vec<String> = bundle
        .report
        .timestamps
        .iter()
        .map(|t| format!("{} from {}", t.time, t.authority))
        .collect();
    facts.push((
        "Trusted timestamp".to_owned(),
        if stamps.is_empty() {
            "none (the bundle's own time is the builder's clock)".to_owned()
        } else {
            stamps.join("; ")
        },
    ));
    let statement = String::from_utf8_lossy(&bundle.read(layout::SUMMARY, 4 << 20)?).into_owned();
    let manifest_text = bundle.read(crate::formats::bagit::MANIFEST_NAME, 32 << 20)?;
    let mut exhibits = Vec::new();
    for item in &manifest.items {
        let pictures = pictures.remove(&item.id).unwrap_or_default();
        let mut text = None;
        let mut note = None;
        if pictures.is_empty() {
            match item.media_type.as_str() {
                "text/plain" | "text/html" if item.bytes <= 1 << 20 => {
                    let bytes = bundle.read(&item.path, 1 << 20)?;
                    let decoded = crate::capture::text::decode(&bytes, None);
                    let body = if item.media_type == "text/html" {
                        crate::capture::text::visible_text(&decoded)
                    } else {
                        decoded
                    };
                    text = Some(shorten(&body, 6000));
                }
                _ => {
                    note = Some(format!(
                        "No picture of this {} ({}) is in the book; the original is in the bundle.",
                        item.kind, item.media_type
                    ));
                }
            }
        }
        exhibits.push(book::Exhibit {
            id: item.id.clone(),
            kind: item.kind.clone(),
            caption: item.caption.clone(),
            source_name: crate::sanitize::visible(&item.source_name),
            sha256: item.sha256.clone(),
            captured: item
                .captured_at
                .as_ref()
                .map(|at| match &item.captured_at_source {
                    Some(source) => format!("{at} ({source})"),
                    None => at.clone(),
                }),
            pictures,
            text,
            note,
        });
    }
    Ok(book::Book {
        title: format!(
            "Evidence for a dispute on {}: order {}",
            profile.name, order.id
        ),
        facts,
        statement,
        timeline: manifest
            .timeline
            .iter()
            .map(|e| (e.date.clone(), e.event.clone(), e.source.clone()))
            .collect(),
        exhibits,
        bundle: bundle_name.to_owned(),
        seal: seal.to_owned(),
        manifest: manifest_text,
        created: manifest.created_at.parse().unwrap_or_default(),
    })
}

/// At most `limit` characters, cut at a line, with a note that more is in the bundle.
fn shorten(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_owned();
    }
    let cut: String = text.chars().take(limit).collect();
    let cut = cut.rsplit_once('\n').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}\n[… the rest is in the bundle's original file]")
}

/// Renders the book, more compactly when the roomy layout is over the platform's
/// page cap, and says what still does not fit.
fn fit_book(book: &book::Book, profile: &Profile, limits: &Limits) -> Result<BookNotes, KitError> {
    let failed = |why: String| KitError::Book(why);
    let mut rendered = book::render(book, book::Density::Roomy).map_err(failed)?;
    let max_pages = profile.evidence.max_pages.get().copied();
    if max_pages.is_some_and(|max| rendered.pages > max as usize) {
        rendered = book::render(book, book::Density::Compact).map_err(failed)?;
    }
    let mut warnings = Vec::new();
    if let Some(max) = max_pages
        && rendered.pages > max as usize
    {
        warnings.push(format!(
            "the book has {} pages, more than the {max} {} takes ({}); upload the pages that matter most and keep the rest for later",
            rendered.pages, profile.name, profile.evidence.max_pages.source
        ));
    }
    if limits.pdf && rendered.pdf.len() as u64 > limits.rules.max_bytes {
        warnings.push(format!(
            "the book is {}, over the form's {} per file",
            image::megabytes(rendered.pdf.len() as u64),
            image::megabytes(limits.rules.max_bytes)
        ));
    }
    if rendered.missing_glyphs {
        warnings.push("some characters of the case text cannot be drawn in the book's font and show as ?; the bundle's summary.txt and originals have the exact text".to_owned());
    }
    Ok(BookNotes {
        pages: rendered.pages,
        pdf: rendered.pdf,
        warnings,
    })
}

/// Decodes a HEIC photo with libheif into a lossless PNG, through a private
/// temporary folder (heif-convert reads and writes files).
fn heif_to_png(heif_convert: &std::ffi::OsStr, bytes: &[u8]) -> Result<Vec<u8>, String> {
    let folder = tempfile::tempdir().map_err(|e| e.to_string())?;
    let input = folder.path().join("in.heic");
    let output = folder.path().join("out.png");
    std::fs::write(&input, bytes).map_err(|e| e.to_string())?;
    let mut command = std::process::Command::new(heif_convert);
    command.arg(&input).arg(&output);
    crate::tools::run(command, None, std::time::Duration::from_secs(60))?;
    std::fs::read(&output).map_err(|e| e.to_string())
}

/// Step by step, for this platform.
fn upload_text(
    kit: &Kit,
    profile: &Profile,
    manifest: &Manifest,
    limits: &Limits,
    has_form: bool,
    case_platform: Platform,
    book: &BookNotes,
) -> String {
    let mut out = String::new();
    let mut line = |text: &str| {
        out.push_str(text);
        out.push('\n');
    };
    line(&format!("Upload kit for {} — {}", profile.name, kit.bundle));
    line(&format!(
        "Made from the sealed bundle with seal {}.",
        kit.seal
    ));
    let originals = kit
        .files
        .iter()
        .any(|f| f.transform.iter().any(|t| t == "copy" || t == "zip"));
    line("Photos, screenshots and stills here are copies fitted for the form: upright,");
    line("without location or camera data. The originals, bit for bit, stay in the bundle.");
    if originals {
        line("Files marked \"original\" are sealed originals, metadata (location too) included.");
    }
    line("");
    let reason = profile
        .reasons
        .get(&manifest.case.reason)
        .and_then(|f| f.get().cloned());
    let mut step = 0;
    let mut next = |text: String, out: &mut dyn FnMut(&str)| {
        step += 1;
        out(&format!("{step}. {text}"));
    };
    match reason {
        Some(name) => next(format!("Choose the reason \"{name}\"."), &mut line),
        None => next(
            format!(
                "Choose the reason closest to \"{}\".",
                manifest.case.reason.meaning()
            ),
            &mut line,
        ),
    }
    if has_form {
        next(
            "Paste form.txt into the description box, unchanged.".to_owned(),
            &mut line,
        );
    } else {
        next(
            format!(
                "No form.txt: the bundle's statement was written for {} and would say the wrong things to {}. Set platform = \"{}\" in case.toml and run `claimpack build` again for a statement and kit that fit.",
                case_platform.display_name(),
                profile.name,
                profile.platform.slug()
            ),
            &mut line,
        );
    }
    let uploads: Vec<&KitFile> = kit.files.iter().filter(|f| f.from.is_some()).collect();
    if uploads.is_empty() {
        next(
            "There is no file to upload from this kit.".to_owned(),
            &mut line,
        );
    } else {
        next("Upload these files, in this order:".to_owned(), &mut line);
        for file in &uploads {
            let caption = file
                .from
                .as_ref()
                .and_then(|from| manifest.items.iter().find(|i| i.id == from.exhibit))
                .map(|item| {
                    item.caption
                        .clone()
                        .unwrap_or_else(|| crate::sanitize::visible(&item.source_name))
                })
                .unwrap_or_default();
            let still = file
                .transform
                .iter()
                .find_map(|t| t.strip_prefix("still at "))
                .map(|at| format!(" — still at {at}"))
                .unwrap_or_default();
            let original = if file.transform.iter().any(|t| t == "copy" || t == "zip") {
                " — original"
            } else {
                ""
            };
            line(&format!(
                "     {}  ({})  {}{still}{original}",
                file.name,
                image::megabytes(file.bytes),
                crate::sanitize::visible(&caption)
            ));
        }
    }
    if limits.pdf {
        next(
            format!(
                "Upload {BOOK} ({} pages, {}): the case, the statement, the timeline and every exhibit with its hash.",
                book.pages,
                image::megabytes(book.pdf.len() as u64)
            ),
            &mut line,
        );
    } else {
        line(&format!(
            "   {BOOK} ({} pages) is for your records or to email: this form takes no PDF.",
            book.pages
        ));
    }
    for warning in &book.warnings {
        line(&format!("   Note: {warning}"));
    }
    line("");
    line("Limits applied:");
    for explained in &limits.explained {
        line(&format!("  - {explained}"));
    }
    if !kit.left_out.is_empty() {
        line("");
        line("Left out of this kit (the originals are in the bundle):");
        for left in &kit.left_out {
            line(&format!("  - {}: {}", left.exhibit, left.why));
        }
    }
    // The sources cited as [name] above, spelled out.
    let cited: Vec<(&String, &String)> = profile
        .sources
        .iter()
        .filter(|(name, _)| {
            limits
                .explained
                .iter()
                .any(|e| e.contains(&format!("[{name}]")))
        })
        .collect();
    if !cited.is_empty() {
        line("");
        line("Sources:");
        for (name, source) in cited {
            line(&format!("  [{name}] {source}"));
        }
    }
    line("");
    line("Keep the bundle (.zip) itself: it is the proof that these files are unchanged.");
    out
}
