//! Verification: says whether a bundle is exactly what was sealed, and if not, names
//! every file that is missing, extra, changed or unsafe.
//!
//! It first audits the zip's structure (see `zip_audit`), then hashes every entry in
//! one streaming pass and checks the bag: its declaration, both manifests, the
//! Payload-Oxum, and claimpack's own `data/manifest.json` against the payload. It never
//! extracts anything to disk, and reads only a bounded number of bytes per entry.

pub mod bag;
pub mod zip_audit;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::formats::bagit;
use crate::formats::rfc3161;
use crate::interrupt;
use crate::layout;
use crate::progress::{self, Progress};

/// Why a file could not be verified at all (as opposed to being found invalid).
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("{}: no such file", .0.display())]
    NotFound(PathBuf),
    #[error("{}: cannot read", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: not a zip file (it has no end-of-archive record); claimpack bundles are .zip files", .0.display())]
    NotZip(PathBuf),
    #[error("{}: not a regular file ({kind}); give the path of a bundle .zip", path.display())]
    NotAFile { path: PathBuf, kind: &'static str },
    #[error("{}: unreadable: {count} tag files to read; a bundle has at most {MAX_KEPT_FILES}", path.display())]
    TooManyTagFiles { path: PathBuf, count: usize },
    #[error("{}: unreadable: its tag files declare {bytes} bytes; a bundle's take at most {} MiB", path.display(), MAX_KEPT_BYTES >> 20)]
    TagFilesTooLarge { path: PathBuf, bytes: u64 },
    #[error("{}: unreadable: data/manifest.json declares {bytes} bytes; claimpack writes at most {} MiB", path.display(), MAX_MANIFEST_JSON >> 20)]
    ManifestTooLarge { path: PathBuf, bytes: u64 },
    #[error("interrupted")]
    Interrupted,
    #[error("{}: {bag_path} changed after the bundle was verified ({why}); nothing was derived from it", path.display())]
    ChangedSince {
        path: PathBuf,
        bag_path: String,
        why: String,
    },
    #[error("could not copy {bag_path} out of the bundle")]
    Copy {
        bag_path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: {bag_path} is {bytes} bytes, more than the {limit} this reader takes", path.display())]
    EntryTooLarge {
        path: PathBuf,
        bag_path: String,
        bytes: u64,
        limit: u64,
    },
}

/// What is wrong with one file or with the archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProblemKind {
    /// The zip itself is unsafe or malformed.
    Unsafe,
    /// The bytes differ from the manifest.
    Changed,
    /// The bytes cannot be read back (CRC error, bad compressed data, wrong size).
    Corrupt,
    /// A manifest lists it; the bag does not hold it.
    Missing,
    /// The bag holds it; no manifest lists it.
    Extra,
    /// A bag declaration, manifest line or Payload-Oxum is malformed or wrong.
    Invalid,
    /// `data/manifest.json` disagrees with the bag's manifest.
    Mismatch,
}

impl ProblemKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Unsafe => "unsafe",
            Self::Changed => "changed",
            Self::Corrupt => "corrupt",
            Self::Missing => "missing",
            Self::Extra => "extra",
            Self::Invalid => "invalid",
            Self::Mismatch => "mismatch",
        }
    }
}

/// One finding, naming the file (its path inside the bag where there is one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub path: String,
    pub problem: ProblemKind,
    pub detail: String,
}

impl Problem {
    pub fn new(path: &str, problem: ProblemKind, detail: String) -> Problem {
        Problem {
            path: path.to_owned(),
            problem,
            detail,
        }
    }
}

/// The verdict on one bundle.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub file: String,
    pub intact: bool,
    /// The bag's folder name inside the zip.
    pub bag: Option<String>,
    #[serde(flatten)]
    pub facts: BagFacts,
    /// Trusted timestamps that checked out.
    pub timestamps: Vec<TrustedTime>,
    pub problems: Vec<Problem>,
    /// With `--seal`: whether the bundle's seal is the one given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seal_matches: Option<bool>,
}

/// One valid RFC 3161 token in the bag.
#[derive(Debug, Clone, Serialize)]
pub struct TrustedTime {
    pub file: String,
    pub authority: String,
    pub time: String,
    pub hash_algorithm: &'static str,
    pub signature: String,
    /// `Some(true)` when the chain to a `--trust` certificate was checked.
    pub chain_trusted: Option<bool>,
}

/// What a bag says about itself, as found (whether or not it is intact).
#[derive(Debug, Clone, Default, Serialize)]
pub struct BagFacts {
    /// SHA-256 of `manifest-sha256.txt` as found.
    pub seal: Option<String>,
    pub bagging_date: Option<String>,
    pub created_at: Option<String>,
    pub external_identifier: Option<String>,
    pub payload_files: u64,
    pub payload_bytes: u64,
}

/// Hash and size of one file in the bag, and its text when it is a file the checks
/// need to read.
#[derive(Debug, Clone, Default)]
pub struct Contents {
    pub files: BTreeMap<String, FileFacts>,
    pub texts: BTreeMap<String, Vec<u8>>,
}

#[derive(Debug, Clone, Copy)]
pub struct FileFacts {
    pub sha256: [u8; 32],
    pub bytes: u64,
}

/// Tag files whose text verify keeps for checking (bagit.txt, bag-info.txt, the two
/// manifests and three files per trusted timestamp make well under a hundred).
const MAX_KEPT_FILES: usize = 200;
/// What those tag files may hold in all: a manifest line is about 120 bytes, so
/// 50,000 entries need 6 MB.
const MAX_KEPT_BYTES: u64 = 32 << 20;
/// claimpack's own `data/manifest.json`, kept apart from the tag files.
const MAX_MANIFEST_JSON: u64 = 64 << 20;

/// Whether the checks need the text of the file at this bag path.
fn keep_text(path: &str) -> bool {
    (!path.contains('/') && path.ends_with(".txt"))
        || path == layout::MANIFEST_JSON
        || path.starts_with(layout::TIMESTAMPS_DIR)
}

/// Refuses, before reading anything, a bag whose kept texts would not fit the
/// budget; the sizes are the declared ones, which reading then holds the bytes to.
fn check_budget(path: &Path, entries: &[zip_audit::Entry], root: &str) -> Result<(), VerifyError> {
    let mut count = 0usize;
    let mut bytes = 0u64;
    for entry in entries.iter().filter(|e| !e.is_dir) {
        let Some(bag_path) = entry.name.strip_prefix(root) else {
            continue;
        };
        if bag_path == layout::MANIFEST_JSON {
            if entry.uncompressed > MAX_MANIFEST_JSON {
                return Err(VerifyError::ManifestTooLarge {
                    path: path.to_owned(),
                    bytes: entry.uncompressed,
                });
            }
        } else if keep_text(bag_path) {
            count += 1;
            bytes = bytes.saturating_add(entry.uncompressed);
        }
    }
    if count > MAX_KEPT_FILES {
        return Err(VerifyError::TooManyTagFiles {
            path: path.to_owned(),
            count,
        });
    }
    if bytes > MAX_KEPT_BYTES {
        return Err(VerifyError::TagFilesTooLarge {
            path: path.to_owned(),
            bytes,
        });
    }
    Ok(())
}

/// What kind of file system object this is, for an error; `None` for a regular file.
pub fn special_kind(kind: std::fs::FileType) -> Option<&'static str> {
    if kind.is_file() {
        return None;
    }
    if kind.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some("a named pipe");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
        if kind.is_block_device() || kind.is_char_device() {
            return Some("a device");
        }
    }
    Some("not a plain file")
}

/// Verifies the bundle at `path`.
pub fn verify_zip(
    path: &Path,
    progress: progress::Mode,
    trusted: Option<&[x509_cert::Certificate]>,
) -> Result<Report, VerifyError> {
    let io_error = |source| VerifyError::Read {
        path: path.to_owned(),
        source,
    };
    // Looked at before opening: opening a named pipe would wait for a writer forever.
    let metadata = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => VerifyError::NotFound(path.to_owned()),
        _ => io_error(e),
    })?;
    if let Some(kind) = special_kind(metadata.file_type()) {
        return Err(VerifyError::NotAFile {
            path: path.to_owned(),
            kind,
        });
    }
    let mut file = File::open(path).map_err(io_error)?;
    // Swapped for a pipe between the look and the open: refuse rather than trust it.
    if let Some(kind) = special_kind(file.metadata().map_err(io_error)?.file_type()) {
        return Err(VerifyError::NotAFile {
            path: path.to_owned(),
            kind,
        });
    }
    let audit = zip_audit::audit(path, &mut file)?;
    let mut report = Report {
        file: path.display().to_string(),
        intact: false,
        bag: None,
        facts: BagFacts::default(),
        timestamps: Vec::new(),
        problems: audit.problems,
        seal_matches: None,
    };
    if !report.problems.is_empty() {
        // An unsafe archive is not read further: which copy of a duplicated entry
        // counts, or where an overlapping entry ends, is exactly what tools disagree on.
        return Ok(finish(report));
    }

    let Some(root) = bag_root(&audit.entries) else {
        report.problems.push(Problem::new(
            "bagit.txt",
            ProblemKind::Missing,
            "no bagit.txt at the top of the zip or in one folder: this is not a BagIt bag"
                .to_owned(),
        ));
        return Ok(finish(report));
    };
    report.bag = (!root.is_empty()).then(|| root.trim_end_matches('/').to_owned());
    check_budget(path, &audit.entries, &root)?;

    let total: u64 = audit.entries.iter().map(|e| e.uncompressed).sum();
    let progress = Progress::bytes(total, "verifying", progress);
    let mut reader = zip_audit::buffered(file);
    let mut buffer = vec![0u8; 1 << 20];
    let mut contents = Contents::default();
    for entry in &audit.entries {
        if entry.is_dir {
            continue;
        }
        let Some(bag_path) = entry.name.strip_prefix(&root) else {
            report.problems.push(Problem::new(
                &entry.name,
                ProblemKind::Extra,
                format!("outside the bag folder {root}"),
            ));
            continue;
        };
        let keep = if keep_text(bag_path) {
            Keep::Bytes
        } else {
            Keep::Hash
        };
        match read_entry(&mut reader, entry, keep, &mut buffer, &progress) {
            Ok((facts, text)) => {
                contents.files.insert(bag_path.to_owned(), facts);
                if let Some(text) = text {
                    contents.texts.insert(bag_path.to_owned(), text);
                }
            }
            Err(EntryError::Interrupted) => return Err(VerifyError::Interrupted),
            Err(EntryError::Read(source) | EntryError::Sink(source)) => {
                return Err(io_error(source));
            }
            Err(EntryError::Corrupt(detail)) => {
                report
                    .problems
                    .push(Problem::new(bag_path, ProblemKind::Corrupt, detail));
                // Still counted as present, so it is not also called missing.
                contents.files.insert(
                    bag_path.to_owned(),
                    FileFacts {
                        sha256: [0; 32],
                        bytes: entry.uncompressed,
                    },
                );
            }
        }
    }
    let corrupt: Vec<String> = report.problems.iter().map(|p| p.path.clone()).collect();
    let (problems, facts) = bag::check(&contents, &corrupt);
    report.problems.extend(problems);
    report.facts = facts;
    check_timestamps(&contents, trusted, &mut report);
    Ok(finish(report))
}

/// A bundle as `verify` found it: intact and open for reading, or not.
pub enum Opened {
    Intact(VerifiedBundle),
    /// Tampered or invalid: the report names every problem; nothing may be derived.
    Refused(Report),
}

/// A bundle that verified intact. Every file read from it is hashed again and must
/// match the sealed manifest, so whatever is derived from it derives from sealed bytes
/// even if the zip changed after the check.
pub struct VerifiedBundle {
    pub report: Report,
    path: PathBuf,
    /// Bag path (`data/evidence/E01-….jpg`) → its audited entry.
    entries: BTreeMap<String, zip_audit::Entry>,
    /// Bag path → SHA-256 from `manifest-sha256.txt` and `tagmanifest-sha256.txt`.
    sealed: BTreeMap<String, [u8; 32]>,
}

/// Verifies the bundle at `path` and, if it is intact, opens it for reading.
pub fn open_verified(
    path: &Path,
    progress: progress::Mode,
    trusted: Option<&[x509_cert::Certificate]>,
) -> Result<Opened, VerifyError> {
    let report = verify_zip(path, progress, trusted)?;
    if !report.intact {
        return Ok(Opened::Refused(report));
    }
    let io_error = |source| VerifyError::Read {
        path: path.to_owned(),
        source,
    };
    let mut file = File::open(path).map_err(io_error)?;
    let audit = zip_audit::audit(path, &mut file)?;
    let root = bag_root(&audit.entries).unwrap_or_default();
    let entries: BTreeMap<String, zip_audit::Entry> = audit
        .entries
        .into_iter()
        .filter(|e| !e.is_dir)
        .filter_map(|e| Some((e.name.strip_prefix(&root)?.to_owned(), e)))
        .collect();
    let mut bundle = VerifiedBundle {
        report,
        path: path.to_owned(),
        entries,
        sealed: BTreeMap::new(),
    };
    for manifest in [bagit::MANIFEST_NAME, bagit::TAGMANIFEST_NAME] {
        let text = bundle.read_unchecked(manifest, MAX_KEPT_BYTES)?;
        let (lines, _) = bagit::parse_manifest(&String::from_utf8_lossy(&text));
        for line in lines {
            let mut digest = [0u8; 32];
            if hex::decode_to_slice(&line.digest, &mut digest).is_ok() {
                bundle.sealed.insert(line.path, digest);
            }
        }
    }
    Ok(Opened::Intact(bundle))
}

impl VerifiedBundle {
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The bag paths of every sealed file, in bag order.
    pub fn sealed_paths(&self) -> impl Iterator<Item = &str> {
        self.sealed.keys().map(String::as_str)
    }

    /// Reads the file at `bag_path` (at most `limit` bytes), checking its SHA-256
    /// against the sealed manifests once more.
    pub fn read(&self, bag_path: &str, limit: u64) -> Result<Vec<u8>, VerifyError> {
        let changed = |why: &str| VerifyError::ChangedSince {
            path: self.path.clone(),
            bag_path: bag_path.to_owned(),
            why: why.to_owned(),
        };
        let Some(sealed) = self.sealed.get(bag_path) else {
            return Err(changed("it is not in the sealed manifests"));
        };
        let bytes = self.read_unchecked(bag_path, limit)?;
        let digest: [u8; 32] = Sha256::digest(&bytes).into();
        if digest != *sealed {
            return Err(changed("its SHA-256 is no longer the sealed one"));
        }
        Ok(bytes)
    }

    /// Streams the file at `bag_path` into `sink` (a temporary file for ffmpeg, an
    /// entry of the kit's zip), then checks that what was copied is the sealed file.
    /// On an error the sink holds a partial copy the caller discards.
    pub fn copy_to(
        &self,
        bag_path: &str,
        sink: &mut dyn std::io::Write,
    ) -> Result<(), VerifyError> {
        let sealed = *self
            .sealed
            .get(bag_path)
            .ok_or_else(|| VerifyError::ChangedSince {
                path: self.path.clone(),
                bag_path: bag_path.to_owned(),
                why: "it is not in the sealed manifests".to_owned(),
            })?;
        let (facts, _) = self.read_raw(bag_path, u64::MAX, Keep::Copy(sink))?;
        if facts.sha256 != sealed {
            return Err(VerifyError::ChangedSince {
                path: self.path.clone(),
                bag_path: bag_path.to_owned(),
                why: "its SHA-256 is no longer the sealed one".to_owned(),
            });
        }
        Ok(())
    }

    fn read_unchecked(&self, bag_path: &str, limit: u64) -> Result<Vec<u8>, VerifyError> {
        match self.read_raw(bag_path, limit, Keep::Bytes)? {
            (_, Some(bytes)) => Ok(bytes),
            (_, None) => Err(VerifyError::ChangedSince {
                path: self.path.clone(),
                bag_path: bag_path.to_owned(),
                why: "nothing was read".to_owned(),
            }),
        }
    }

    fn read_raw(
        &self,
        bag_path: &str,
        limit: u64,
        keep: Keep<'_>,
    ) -> Result<(FileFacts, Option<Vec<u8>>), VerifyError> {
        let changed = |why: String| VerifyError::ChangedSince {
            path: self.path.clone(),
            bag_path: bag_path.to_owned(),
            why,
        };
        let entry = self
            .entries
            .get(bag_path)
            .ok_or_else(|| changed("it is no longer in the zip".to_owned()))?;
        if entry.uncompressed > limit {
            return Err(VerifyError::EntryTooLarge {
                path: self.path.clone(),
                bag_path: bag_path.to_owned(),
                bytes: entry.uncompressed,
                limit,
            });
        }
        let file = File::open(&self.path).map_err(|source| VerifyError::Read {
            path: self.path.clone(),
            source,
        })?;
        let mut reader = zip_audit::buffered(file);
        let mut buffer = vec![0u8; 1 << 20];
        match read_entry(&mut reader, entry, keep, &mut buffer, &Progress::hidden()) {
            Ok(read) => Ok(read),
            Err(EntryError::Interrupted) => Err(VerifyError::Interrupted),
            Err(EntryError::Read(source)) => Err(VerifyError::Read {
                path: self.path.clone(),
                source,
            }),
            Err(EntryError::Sink(source)) => Err(VerifyError::Copy {
                bag_path: bag_path.to_owned(),
                source,
            }),
            Err(EntryError::Corrupt(why)) => Err(changed(why)),
        }
    }
}

/// Whether the file at `path` is a zip laid out as a claimpack bundle (a bag folder
/// with bagit.txt, bag-info.txt and data/manifest.json), judged from its directory
/// alone: cheap enough to ask of every zip in a case folder.
pub fn looks_like_bundle(path: &Path) -> bool {
    let Ok(metadata) = std::fs::metadata(path) else {
        return false;
    };
    if special_kind(metadata.file_type()).is_some() {
        return false;
    }
    let Ok(mut file) = File::open(path) else {
        return false;
    };
    let Ok(audit) = zip_audit::audit(path, &mut file) else {
        return false;
    };
    let Some(root) = bag_root(&audit.entries) else {
        return false;
    };
    let has = |name: &str| {
        audit
            .entries
            .iter()
            .any(|e| e.name == format!("{root}{name}"))
    };
    has(crate::formats::bagit::BAG_INFO_NAME) && has(layout::MANIFEST_JSON)
}

/// Checks every `timestamps/<n>.tsr` against `manifest-sha256.txt`, offline.
fn check_timestamps(
    contents: &Contents,
    trusted: Option<&[x509_cert::Certificate]>,
    report: &mut Report,
) {
    let Some(manifest) = contents.texts.get(crate::formats::bagit::MANIFEST_NAME) else {
        return;
    };
    for (path, reply) in &contents.texts {
        let Some(stem) = path.strip_suffix(".tsr") else {
            continue;
        };
        let nonce = contents
            .texts
            .get(&format!("{stem}.tsq"))
            .and_then(|q| rfc3161::request_nonce(q));
        let chain = contents
            .texts
            .get(&format!("{stem}.chain.pem"))
            .map(|pem| rfc3161::certificates_from_pem(&String::from_utf8_lossy(pem)))
            .unwrap_or_default();
        match rfc3161::check(reply, manifest, nonce.as_deref(), &chain, trusted) {
            Ok(stamp) => report.timestamps.push(TrustedTime {
                file: path.clone(),
                authority: stamp.authority,
                time: stamp.time,
                hash_algorithm: stamp.hash_algorithm,
                signature: stamp.signature,
                chain_trusted: stamp.chain_trusted,
            }),
            Err(e) => report.problems.push(Problem::new(
                path,
                ProblemKind::Invalid,
                format!("time-stamp token: {e}"),
            )),
        }
    }
}

fn finish(mut report: Report) -> Report {
    report
        .problems
        .sort_by(|a, b| (&a.path, a.problem).cmp(&(&b.path, b.problem)));
    report.problems.dedup();
    report.intact = report.problems.is_empty();
    report
}

/// The folder (with its trailing `/`) that holds `bagit.txt`, or "" for a bag at the
/// top of the zip.
fn bag_root(entries: &[zip_audit::Entry]) -> Option<String> {
    // With two bags in one zip the first wins; the other shows up as extra files.
    entries.iter().find_map(|e| {
        let name = e.name.as_str();
        if name == "bagit.txt" {
            Some(String::new())
        } else {
            let folder = name.strip_suffix("/bagit.txt")?;
            (!folder.contains('/')).then(|| format!("{folder}/"))
        }
    })
}

enum EntryError {
    Corrupt(String),
    /// The zip file itself could not be read (not the entry's fault).
    Read(std::io::Error),
    /// The copy's destination failed.
    Sink(std::io::Error),
    Interrupted,
}

/// What happens to an entry's bytes besides hashing.
enum Keep<'a> {
    Hash,
    /// Kept in memory (tag files, manifest.json).
    Bytes,
    /// Streamed into a writer as they are read.
    Copy(&'a mut dyn std::io::Write),
}

/// Hashes one entry, reading it only where the audit placed it, and checks its
/// length and CRC-32 against the directory; keeps or copies its bytes as asked.
fn read_entry(
    zip: &mut BufReader<File>,
    entry: &zip_audit::Entry,
    mut keep: Keep<'_>,
    buffer: &mut [u8],
    progress: &Progress,
) -> Result<(FileFacts, Option<Vec<u8>>), EntryError> {
    let mut reader = zip_audit::EntryReader::open(zip, entry).map_err(EntryError::Read)?;
    // The budget was checked against the declared size, which bounds what is kept.
    let mut text =
        matches!(keep, Keep::Bytes).then(|| Vec::with_capacity(entry.uncompressed as usize));
    let mut hasher = Sha256::new();
    let mut crc = flate2::Crc::new();
    let mut total = 0u64;
    loop {
        if interrupt::requested() {
            return Err(EntryError::Interrupted);
        }
        let n = match reader.read(buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e)
                if e.kind() == std::io::ErrorKind::InvalidInput
                    || e.kind() == std::io::ErrorKind::InvalidData =>
            {
                return Err(EntryError::Corrupt(format!(
                    "its data cannot be decompressed: {e}"
                )));
            }
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                return Err(EntryError::Corrupt(
                    "its compressed data ends too early".to_owned(),
                ));
            }
            Err(e) => return Err(EntryError::Read(e)),
        };
        total += n as u64;
        if total > entry.uncompressed {
            return Err(EntryError::Corrupt(format!(
                "holds more data than the {} bytes it declares (larger than declared)",
                entry.uncompressed
            )));
        }
        hasher.update(&buffer[..n]);
        crc.update(&buffer[..n]);
        if let Some(text) = text.as_mut() {
            text.extend_from_slice(&buffer[..n]);
        }
        if let Keep::Copy(sink) = &mut keep {
            sink.write_all(&buffer[..n]).map_err(EntryError::Sink)?;
        }
        progress.advance(n as u64);
    }
    if total != entry.uncompressed {
        return Err(EntryError::Corrupt(format!(
            "holds {total} bytes but declares {}",
            entry.uncompressed
        )));
    }
    if !reader.used_all_input() {
        return Err(EntryError::Corrupt(
            "its compressed data does not fill the space the zip gives it: bytes are hidden after it, or it was cut short".to_owned(),
        ));
    }
    if crc.sum() != entry.crc32 {
        return Err(EntryError::Corrupt(
            "its bytes do not match the zip's CRC-32: damaged or altered".to_owned(),
        ));
    }
    Ok((
        FileFacts {
            sha256: hasher.finalize().into(),
            bytes: total,
        },
        text,
    ))
}
