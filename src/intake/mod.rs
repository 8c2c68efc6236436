//! Intake: turns a case folder into a checked case and an ordered list of exhibits.
//!
//! It walks the folder, decides each file's kind (subfolder, `[[evidence]]` override,
//! or content), skips hidden and system files and says so, refuses symbolic links that
//! lead outside the folder, reports identical files once, and numbers the exhibits
//! E01…: files seen before keep their numbers (`exhibits.lock`, see [`exhibits`]),
//! new files get the next ones in a fixed order. It opens evidence read-only and
//! never writes anything; the commands write the lock back.

pub mod case_file;
pub mod exhibits;
pub mod integrity;
pub mod sniff;

use std::collections::{BTreeMap, HashMap};
use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use serde::Serialize;
use sha2::{Digest, Sha256};

pub use case_file::CaseFile;

use crate::capture::{self, CaptureRecord};
use crate::model::{EvidenceKind, ExhibitId, KindSource};
use sniff::{Family, Sniffed};

/// The file name of the case description inside a case folder.
pub const CASE_FILE: &str = "case.toml";

/// The most exhibits one bundle takes; a verifier refuses zips with far more entries.
pub const MAX_EXHIBITS: usize = 10_000;

/// Why intake refused a case folder.
#[derive(Debug, thiserror::Error)]
pub enum IntakeError {
    #[error("{path}: no such case folder (create one with `claimpack init {path}`)", path = .0.display())]
    NoFolder(PathBuf),
    #[error("{}: not a case folder: it has no case.toml (create one with `claimpack init`)", .0.display())]
    NoCaseFile(PathBuf),
    #[error("{}: cannot read", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}:{line}: case.toml must be UTF-8 text; save it as UTF-8", path.display())]
    CaseNotUtf8 { path: PathBuf, line: usize },
    #[error("{}", case_file::describe(path, problems))]
    CaseInvalid {
        path: PathBuf,
        problems: Vec<case_file::Problem>,
    },
    #[error("{}: is a symbolic link to {}, outside the case folder; copy the file into the folder instead", link.display(), target.display())]
    SymlinkOutside { link: PathBuf, target: PathBuf },
    #[error("{}: two files are both named \"{name}\", with its letters spelled two ways in Unicode ({first} and {second}); macOS, Windows and unzip tools take them for one file: rename one of them", folder.display())]
    SpellingCollision {
        folder: PathBuf,
        name: String,
        /// Each name with its non-ASCII characters as code points: `caf\u{e9}.txt`.
        first: String,
        second: String,
    },
    #[error("{}: two files read as \"{name}\" ({} and {}); rename one of them", folder.display(), first.display(), second.display())]
    NameCollision {
        folder: PathBuf,
        name: String,
        first: PathBuf,
        second: PathBuf,
    },
    #[error("{}: cannot be read ({why}); it keeps the exhibit numbers statements cite, so fix it, or delete it to number every exhibit afresh", path.display())]
    ExhibitLock { path: PathBuf, why: String },
    #[error("{}: has {count} evidence files; one bundle takes at most {MAX_EXHIBITS}", folder.display())]
    TooManyFiles { folder: PathBuf, count: usize },
}

/// One evidence file, numbered and described, not yet hashed (except as noted).
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub id: ExhibitId,
    /// Path inside the case folder, with `/` separators.
    pub source_name: String,
    /// Where to read it.
    pub path: PathBuf,
    pub kind: EvidenceKind,
    pub kind_source: KindSource,
    pub sniffed: Sniffed,
    pub bytes: u64,
    pub modified: Option<SystemTime>,
    pub caption: Option<String>,
    /// Checklist items case.toml says this file shows.
    pub shows: Vec<String>,
    /// Its name inside the bag's `data/evidence/`.
    pub bag_name: String,
    /// Set when intake already hashed it to find duplicates; packaging checks the
    /// bytes it reads against it.
    pub known_sha256: Option<[u8; 32]>,
    /// Whether case.toml has an `[[evidence]]` entry for it.
    pub described: bool,
    /// The `claimpack capture` record this file belongs to, read once here.
    pub capture_record: Option<Arc<CaptureRecord>>,
    /// Why the file is not whole (cut short, empty, broken headers): it is sealed,
    /// but not counted as evidence.
    pub damaged: Option<String>,
    /// For a capture that landed elsewhere: what it shows instead ("a sign-in
    /// page", "an error page (HTTP 404)"). Sealed, not counted as the page.
    pub not_the_page: Option<String>,
    /// The other files of one `claimpack capture` (WARC, PDF, text, record): sealed
    /// under this exhibit's number, not numbered themselves.
    pub attachments: Vec<SourceFile>,
    pub warnings: Vec<String>,
}

/// A file intake left out, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    pub path: String,
    pub why: String,
}

/// A file identical to an exhibit, reported once under the exhibit's id.
#[derive(Debug, Clone, Serialize)]
pub struct Duplicate {
    pub path: String,
    pub same_as: ExhibitId,
}

/// What intake hands to the next stages.
#[derive(Debug, Clone)]
pub struct Intake {
    pub root: PathBuf,
    pub case_file: CaseFile,
    pub files: Vec<SourceFile>,
    pub skipped: Vec<Skipped>,
    pub duplicates: Vec<Duplicate>,
    /// The exhibit numbers, with any new ones; [`exhibits::save`] writes them back.
    pub numbers: exhibits::Lock,
    /// Numbered files no longer in the folder; their numbers are not reused.
    pub gone: Vec<exhibits::Gone>,
}

impl Intake {
    /// Bytes of evidence to package, attachments included.
    pub fn total_bytes(&self) -> u64 {
        self.sealed_order().iter().map(|f| f.bytes).sum()
    }

    /// Every file to seal, in the bag's order: each exhibit, then its attachments.
    pub fn sealed_order(&self) -> Vec<&SourceFile> {
        self.files
            .iter()
            .flat_map(|f| std::iter::once(f).chain(f.attachments.iter()))
            .collect()
    }
}

/// Reads only the case file (for commands that need no evidence).
pub fn read_case(root: &Path) -> Result<CaseFile, IntakeError> {
    if !root.is_dir() {
        return Err(IntakeError::NoFolder(root.to_owned()));
    }
    let path = root.join(CASE_FILE);
    // Checked before reading: a named pipe would block the read forever.
    if fs::metadata(&path).is_ok_and(|m| !m.is_file()) {
        return Err(IntakeError::Read {
            path,
            source: std::io::Error::other("not a regular file"),
        });
    }
    let bytes = match fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(IntakeError::NoCaseFile(root.to_owned()));
        }
        Err(source) => return Err(IntakeError::Read { path, source }),
    };
    case_file::parse(&path, bytes)
}

/// The evidence files already in a case folder, as intake would take them, without
/// reading case.toml (for `add`, which must work on a case still being filled in).
pub fn evidence_in(root: &Path) -> Result<Vec<SourceFile>, IntakeError> {
    let canonical_root = fs::canonicalize(root).map_err(|source| IntakeError::Read {
        path: root.to_owned(),
        source,
    })?;
    let mut found = Vec::new();
    walk(root, &canonical_root, &mut found, &mut Vec::new())?;
    Ok(found)
}

/// Walks a case folder whose case file was read with [`read_case`].
pub fn collect(root: &Path, case_file: CaseFile) -> Result<Intake, IntakeError> {
    let canonical_root = fs::canonicalize(root).map_err(|source| IntakeError::Read {
        path: root.to_owned(),
        source,
    })?;

    let mut found = Vec::new();
    let mut skipped = Vec::new();
    walk(root, &canonical_root, &mut found, &mut skipped)?;
    if found.len() > MAX_EXHIBITS {
        return Err(IntakeError::TooManyFiles {
            folder: root.to_owned(),
            count: found.len(),
        });
    }

    refuse_name_collisions(root, &found)?;
    note_hard_links(&mut found);

    let case_path = root.join(CASE_FILE);
    apply_notes(&case_file, &case_path, &mut found, &skipped)?;
    describe_captures(&mut found);

    // Numbered by folder (photos, videos, chat, …, then everything else), then path,
    // so the same folder always gives the same exhibit ids.
    found.sort_by(|a, b| {
        (folder_rank(&a.source_name), &a.source_name)
            .cmp(&(folder_rank(&b.source_name), &b.source_name))
    });

    let duplicates: Vec<(String, String)> = remove_duplicates(&mut found)?
        .into_iter()
        .map(|(path, kept)| (path, found[kept].source_name.clone()))
        .collect();
    // A capture's files become one exhibit: the face, with the rest attached.
    let mut found = group_captures(found);
    // New files are numbered in the order above; files seen before keep their numbers.
    let mut numbers = exhibits::Lock::read(root)?;
    let also_present: Vec<String> = duplicates
        .iter()
        .map(|(path, _)| path.clone())
        .chain(
            found
                .iter()
                .flat_map(|f| f.attachments.iter().map(|a| a.source_name.clone())),
        )
        .collect();
    let gone = numbers.number(&mut found, &also_present);
    let id_of = |name: &str| {
        found
            .iter()
            .find(|f| f.source_name == name || f.attachments.iter().any(|a| a.source_name == name))
            .map(|f| f.id)
    };
    let duplicates = duplicates
        .iter()
        .filter_map(|(path, kept)| {
            Some(Duplicate {
                path: path.clone(),
                same_as: id_of(kept)?,
            })
        })
        .collect();
    found.sort_by_key(|file| file.id);
    for file in &mut found {
        file.bag_name = bag_name(file.id, &file.source_name, file.kind);
        let id = file.id;
        for attachment in &mut file.attachments {
            attachment.id = id;
            attachment.bag_name = bag_name(id, &attachment.source_name, attachment.kind);
        }
    }

    Ok(Intake {
        root: root.to_owned(),
        case_file,
        files: found,
        skipped,
        duplicates,
        numbers,
        gone,
    })
}

/// Captions for the files of a `claimpack capture` that case.toml does not describe,
/// from their capture record: what the page is, from where, when, and which part.
fn describe_captures(found: &mut [SourceFile]) {
    // A capture's five files share one record: read each record once.
    let mut records: HashMap<PathBuf, Option<Arc<CaptureRecord>>> = HashMap::new();
    for file in found.iter_mut() {
        let Some(path) = capture::record_path(&file.path) else {
            continue;
        };
        file.capture_record = records
            .entry(path)
            .or_insert_with_key(|path| capture::read_record(path).map(Arc::new))
            .clone();
    }
}

/// Which part of a capture a file is, by its name.
pub fn capture_part(source_name: &str) -> Option<&'static str> {
    let name = source_name.to_ascii_lowercase();
    Some(if name.ends_with(".capture.json") {
        "capture record with the hash of each file"
    } else if name.ends_with(".warc.gz") {
        "web archive (WARC) of the exchange with the server"
    } else if name.ends_with(".png") {
        "full-page screenshot"
    } else if name.ends_with(".pdf") {
        "PDF print"
    } else if name.ends_with(".txt") {
        "visible text"
    } else {
        return None;
    })
}

/// The file of a capture a reviewer looks at first: the screenshot, else the PDF,
/// the visible text, the WARC, the record.
fn face_rank(source_name: &str) -> usize {
    let name = source_name.to_ascii_lowercase();
    [".png", ".pdf", ".txt", ".warc.gz", ".capture.json"]
        .iter()
        .position(|ending| name.ends_with(ending))
        .unwrap_or(5)
}

/// One exhibit per `claimpack capture`: the files that share a capture record are
/// grouped under the one a reviewer looks at (the face); the others ride along as
/// attachments. The face gets the capture's caption unless case.toml gave one, and
/// is flagged when the capture landed on a sign-in or error page.
fn group_captures(found: Vec<SourceFile>) -> Vec<SourceFile> {
    let mut out: Vec<SourceFile> = Vec::with_capacity(found.len());
    let mut groups: BTreeMap<PathBuf, Vec<SourceFile>> = BTreeMap::new();
    for file in found {
        let record = file
            .capture_record
            .as_ref()
            .and_then(|_| capture::record_path(&file.path));
        match record {
            Some(record) if capture_part(&file.source_name).is_some() => {
                groups.entry(record).or_default().push(file)
            }
            _ => out.push(file),
        }
    }
    for (_, mut files) in groups {
        files.sort_by_key(|f| (face_rank(&f.source_name), f.source_name.clone()));
        let mut face = files.remove(0);
        face.attachments = files;
        if let Some(record) = face.capture_record.clone() {
            if face.caption.is_none() {
                let what = match &record.caption {
                    Some(caption) => caption.clone(),
                    None => format!("{} page", record.kind.slug().replace('-', " ")),
                };
                // "5 December 2026 at 20:02 UTC": a reviewer reads it; the exact
                // instant is in the record and the manifest.
                let when = record
                    .started_at
                    .parse::<jiff::Timestamp>()
                    .map(|t| t.strftime("%-d %B %Y at %H:%M UTC").to_string())
                    .unwrap_or_else(|_| record.started_at.clone());
                let mut caption = format!("{what}, captured {when} from {}", record.final_url);
                if let Some(first) = caption.get(..1) {
                    caption = first.to_uppercase() + &caption[1..];
                }
                face.caption = Some(caption);
            }
            face.not_the_page = capture::landed_elsewhere(&record);
        }
        out.push(face);
    }
    // The order numbering expects: by folder, then path.
    out.sort_by(|a, b| {
        (folder_rank(&a.source_name), &a.source_name)
            .cmp(&(folder_rank(&b.source_name), &b.source_name))
    });
    out
}

/// Names that operating systems and sync tools drop into folders.
pub fn is_system_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    name.starts_with('.')
        || name.starts_with("~$")
        || matches!(
            lower.as_str(),
            "thumbs.db" | "ehthumbs.db" | "desktop.ini" | "icon\r"
        )
}

fn walk(
    root: &Path,
    canonical_root: &Path,
    found: &mut Vec<SourceFile>,
    skipped: &mut Vec<Skipped>,
) -> Result<(), IntakeError> {
    let mut walker = walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .min_depth(1)
        .into_iter();
    while let Some(entry) = walker.next() {
        let entry = entry.map_err(|e| IntakeError::Read {
            path: e
                .path()
                .map(Path::to_owned)
                .unwrap_or_else(|| root.to_owned()),
            source: e
                .into_io_error()
                .unwrap_or_else(|| std::io::Error::other("folder loop")),
        })?;
        let path = entry.path();
        let relative = relative_name(root, path);
        let name = entry.file_name().to_string_lossy();
        let file_type = entry.file_type();

        if entry.depth() == 1 && (name == CASE_FILE || name == exhibits::LOCK_FILE) {
            continue;
        }
        if is_system_name(&name) {
            let what = if file_type.is_dir() {
                "hidden or system folder"
            } else {
                "hidden or system file"
            };
            skipped.push(Skipped {
                path: relative,
                why: what.to_owned(),
            });
            if file_type.is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if file_type.is_dir() {
            continue;
        }
        if file_type.is_symlink() {
            let target = match fs::canonicalize(path) {
                Ok(target) => target,
                Err(_) => {
                    skipped.push(Skipped {
                        path: relative,
                        why: "broken symbolic link".to_owned(),
                    });
                    continue;
                }
            };
            if !target.starts_with(canonical_root) {
                return Err(IntakeError::SymlinkOutside {
                    link: path.to_owned(),
                    target,
                });
            }
            // A link inside the folder points at a file that is taken on its own.
            skipped.push(Skipped {
                path: relative,
                why: format!(
                    "symbolic link to {} (that file is taken itself)",
                    relative_name(canonical_root, &target)
                ),
            });
            continue;
        }
        if !file_type.is_file() {
            skipped.push(Skipped {
                path: relative,
                why: format!(
                    "{}, not a regular file: nothing to seal",
                    crate::verify::special_kind(file_type).unwrap_or("not a plain file")
                ),
            });
            continue;
        }
        let mut file = describe(path, relative)?;
        if is_escaped(root, path) {
            file.warnings.push(format!(
                "its name is not valid UTF-8; it is shown as {} (the bytes that are not UTF-8 written as \\xNN)",
                file.source_name
            ));
        }
        // An earlier bundle sealed into the next one would double it at every build.
        if file.sniffed.media_type == "application/zip" && crate::verify::looks_like_bundle(path) {
            skipped.push(Skipped {
                path: file.source_name,
                why: "a claimpack bundle; bundles are not sealed into bundles".to_owned(),
            });
            continue;
        }
        found.push(file);
    }
    Ok(())
}

/// One file as intake sees it: its kind (from the folder in `source_name`, else its
/// content), sniffed type, size and damage. Reads at most its first 8 KiB, plus EXIF
/// for images outside the kind folders. The fuzz targets describe files with it.
pub fn describe(path: &Path, source_name: String) -> Result<SourceFile, IntakeError> {
    let read_error = |source| IntakeError::Read {
        path: path.to_owned(),
        source,
    };
    let mut file = File::open(path).map_err(read_error)?;
    let metadata = file.metadata().map_err(read_error)?;
    let head = sniff::read_head(&mut file).map_err(read_error)?;
    let sniffed = sniff::sniff(&head, path);

    let folder_kind = source_name
        .split_once('/')
        .and_then(|(folder, _)| EvidenceKind::from_folder(folder));
    let (kind, kind_source) = match folder_kind {
        Some(kind) => (kind, KindSource::Folder),
        None => (
            match sniffed.family {
                Family::Image if sniff::has_camera_exif(path) => EvidenceKind::Photo,
                Family::Image => EvidenceKind::Screenshot,
                Family::Video => EvidenceKind::Video,
                Family::Pdf => EvidenceKind::Document,
                _ => EvidenceKind::Other,
            },
            KindSource::Content,
        ),
    };

    let mut warnings = Vec::new();
    let damaged = integrity::damage(path, &sniffed.media_type, metadata.len()).map(|why| {
        format!(
            "{why}: copy it again from the phone, camera or download; it is sealed as it is, but not counted as evidence"
        )
    });
    if let Some(expected) = expected_family(kind)
        && sniffed.family != expected
        && metadata.len() > 0
    {
        warnings.push(format!(
            "it is filed as a {kind} but its content is {}",
            sniffed.media_type
        ));
    }
    Ok(SourceFile {
        id: ExhibitId(0),
        source_name,
        path: path.to_owned(),
        kind,
        kind_source,
        sniffed,
        bytes: metadata.len(),
        modified: metadata.modified().ok(),
        caption: None,
        shows: Vec::new(),
        bag_name: String::new(),
        known_sha256: None,
        described: false,
        capture_record: None,
        damaged,
        not_the_page: None,
        attachments: Vec::new(),
        warnings,
    })
}

fn expected_family(kind: EvidenceKind) -> Option<Family> {
    match kind {
        EvidenceKind::Photo | EvidenceKind::Screenshot => Some(Family::Image),
        EvidenceKind::Video => Some(Family::Video),
        _ => None,
    }
}

/// Applies `[[evidence]]` captions and kinds; every entry must name a file taken.
/// Every entry that does not is reported at once, as a case.toml mistake.
fn apply_notes(
    case_file: &CaseFile,
    case_path: &Path,
    found: &mut [SourceFile],
    skipped: &[Skipped],
) -> Result<(), IntakeError> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut problems = Vec::new();
    for (index, note) in case_file.case.evidence_notes.iter().enumerate() {
        let mut fail = |why: String| {
            problems.push(case_file::Problem {
                line: note.line,
                column: 1,
                field: Some(format!("evidence[{}].path", index + 1)),
                message: format!("\"{}\" {why}", note.path),
            })
        };
        if let Some(first) = seen.insert(note.path.as_str(), note.line) {
            fail(format!("is already described at line {first}"));
            continue;
        }
        match found.iter_mut().find(|f| f.source_name == note.path) {
            Some(file) => {
                file.described = true;
                file.caption.clone_from(&note.caption);
                file.shows.clone_from(&note.shows);
                if let Some(kind) = note.kind {
                    file.kind = kind;
                    file.kind_source = KindSource::CaseFile;
                }
            }
            None => fail(match skipped.iter().find(|s| s.path == note.path) {
                Some(s) => format!("is not taken as evidence: {}", s.why),
                None => match found
                    .iter()
                    .find(|f| f.source_name.to_lowercase() == note.path.to_lowercase())
                {
                    // Phones write IMG_0001.JPG; buyers type img_0001.jpg.
                    Some(file) => format!(
                        "does not exist, but \"{}\" does (the letter case differs): write path = \"{}\"",
                        file.source_name, file.source_name
                    ),
                    None => "does not exist in the case folder".to_owned(),
                },
            }),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(IntakeError::CaseInvalid {
            path: case_path.to_owned(),
            problems,
        })
    }
}

/// Drops files identical to another, returning (dropped path, index of the kept
/// file). Of identical files the one case.toml describes is kept (its caption must
/// not be lost), else the first.
///
/// Packaging reads every file exactly once, so this must not read them all first.
/// Only files of equal size can be identical; of those, only files whose first and
/// last 64 KiB also agree are hashed in full. Different videos of the same length
/// differ in their first bytes, so in practice only true duplicates are read twice.
fn remove_duplicates(found: &mut Vec<SourceFile>) -> Result<Vec<(String, usize)>, IntakeError> {
    let mut by_size: BTreeMap<u64, Vec<usize>> = BTreeMap::new();
    for (index, file) in found.iter().enumerate() {
        by_size.entry(file.bytes).or_default().push(index);
    }
    let mut candidates: BTreeMap<[u8; 32], Vec<usize>> = BTreeMap::new();
    for indices in by_size.values().filter(|v| v.len() > 1) {
        for &index in indices {
            let print = fingerprint(&found[index].path, found[index].bytes)?;
            candidates.entry(print).or_default().push(index);
        }
    }
    let mut drop: BTreeMap<usize, usize> = BTreeMap::new();
    for indices in candidates.values().filter(|v| v.len() > 1) {
        let mut by_digest: BTreeMap<[u8; 32], Vec<usize>> = BTreeMap::new();
        for &index in indices {
            let digest = sha256_file(&found[index].path)?;
            found[index].known_sha256 = Some(digest);
            by_digest.entry(digest).or_default().push(index);
        }
        for same in by_digest.values().filter(|v| v.len() > 1) {
            let kept = same
                .iter()
                .copied()
                .find(|&i| found[i].described)
                .unwrap_or(same[0]);
            drop.extend(same.iter().filter(|&&i| i != kept).map(|&i| (i, kept)));
        }
    }
    // Map kept indices to their positions after removal.
    let mut new_index = vec![0usize; found.len()];
    let mut next = 0;
    for (index, slot) in new_index.iter_mut().enumerate() {
        *slot = next;
        if !drop.contains_key(&index) {
            next += 1;
        }
    }
    // What the buyer said a dropped copy shows still counts, on the kept file.
    for (&index, &kept) in &drop {
        let tags = found[index].shows.clone();
        for tag in tags {
            if !found[kept].shows.contains(&tag) {
                found[kept].shows.push(tag);
            }
        }
    }
    let duplicates = drop
        .iter()
        .map(|(&index, &kept)| (found[index].source_name.clone(), new_index[kept]))
        .collect();
    let mut index = 0;
    found.retain(|_| {
        let keep = !drop.contains_key(&index);
        index += 1;
        keep
    });
    Ok(duplicates)
}

/// SHA-256 of a file's size, first 64 KiB and last 64 KiB.
fn fingerprint(path: &Path, len: u64) -> Result<[u8; 32], IntakeError> {
    const EDGE: u64 = 64 << 10;
    let read_error = |source| IntakeError::Read {
        path: path.to_owned(),
        source,
    };
    let mut file = File::open(path).map_err(read_error)?;
    let mut hasher = Sha256::new();
    hasher.update(len.to_le_bytes());
    let mut buffer = Vec::with_capacity(EDGE as usize);
    (&mut file)
        .take(EDGE)
        .read_to_end(&mut buffer)
        .map_err(read_error)?;
    hasher.update(&buffer);
    if len > EDGE {
        buffer.clear();
        std::io::Seek::seek(
            &mut file,
            std::io::SeekFrom::Start(len.saturating_sub(EDGE).max(EDGE)),
        )
        .map_err(read_error)?;
        file.take(EDGE)
            .read_to_end(&mut buffer)
            .map_err(read_error)?;
        hasher.update(&buffer);
    }
    Ok(hasher.finalize().into())
}

pub fn sha256_file(path: &Path) -> Result<[u8; 32], IntakeError> {
    let read_error = |source| IntakeError::Read {
        path: path.to_owned(),
        source,
    };
    let mut file = File::open(path).map_err(read_error)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buffer).map_err(read_error)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hasher.finalize().into())
}

fn folder_rank(source_name: &str) -> usize {
    let folder = source_name.split_once('/').map(|(f, _)| f);
    EvidenceKind::FOLDERS
        .iter()
        .position(|(name, _)| Some(*name) == folder)
        .unwrap_or(EvidenceKind::FOLDERS.len())
}

fn relative_name(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative
        .components()
        .map(|c| readable_name(c.as_os_str()))
        .collect::<Vec<_>>()
        .join("/")
}

/// A file name as text. Bytes that are not UTF-8 (names from old cameras, zip
/// tools or another system's code page) are written `\xE9`, not replaced by one
/// shared "�": two different names must stay two different names.
fn readable_name(name: &std::ffi::OsStr) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        for chunk in name.as_bytes().utf8_chunks() {
            out.push_str(chunk.valid());
            for byte in chunk.invalid() {
                out.push_str(&format!("\\x{byte:02X}"));
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        name.to_string_lossy().into_owned()
    }
}

/// Whether a path inside the folder had to be escaped by [`readable_name`].
fn is_escaped(root: &Path, path: &Path) -> bool {
    path.strip_prefix(root).unwrap_or(path).to_str().is_none()
}

/// Files with more names (hard links) than the folder holds: the same bytes are
/// reachable from outside it, which is worth a second look (a link to a system
/// file, or to a file another program keeps writing). Only the link count is
/// consulted; where the file system has no such count nothing is said.
fn note_hard_links(found: &mut [SourceFile]) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let identity = |file: &SourceFile| {
            fs::symlink_metadata(&file.path)
                .ok()
                .map(|m| ((m.dev(), m.ino()), m.nlink()))
        };
        let ids: Vec<_> = found.iter().map(identity).collect();
        let mut inside: HashMap<(u64, u64), u64> = HashMap::new();
        for (id, _) in ids.iter().flatten() {
            *inside.entry(*id).or_default() += 1;
        }
        for (file, id) in found.iter_mut().zip(&ids) {
            let Some((id, links)) = id else { continue };
            let here = inside.get(id).copied().unwrap_or(1);
            if *links > here {
                file.warnings.push(format!(
                    "the file is hard-linked: it has {links} names on this disk and {here} in the case folder, so it is also reachable from outside the folder; make sure it is the file you meant to seal"
                ));
            }
        }
    }
    #[cfg(not(unix))]
    let _ = found;
}

/// Two files whose names read the same: through escaped names (`caf\xE9` written
/// out), or the same letters in two Unicode spellings — `é` as one character (NFC,
/// what Windows and Linux keyboards type) and as `e` plus a combining accent (NFD,
/// what macOS file systems wrote). Linux keeps both; a reviewer, case.toml's `path`
/// and every other system see one name.
fn refuse_name_collisions(root: &Path, found: &[SourceFile]) -> Result<(), IntakeError> {
    let nfc = icu_normalizer::ComposingNormalizerBorrowed::new_nfc();
    let mut seen: HashMap<&str, &Path> = HashMap::new();
    let mut spelled: HashMap<String, &str> = HashMap::new();
    for file in found {
        if let Some(first) = seen.insert(file.source_name.as_str(), &file.path) {
            return Err(IntakeError::NameCollision {
                folder: root.to_owned(),
                name: file.source_name.clone(),
                first: first.to_owned(),
                second: file.path.clone(),
            });
        }
        let normal = nfc.normalize(&file.source_name).into_owned();
        if let Some(first) = spelled.insert(normal.clone(), &file.source_name) {
            return Err(IntakeError::SpellingCollision {
                folder: root.to_owned(),
                name: normal,
                first: code_points(first),
                second: code_points(&file.source_name),
            });
        }
    }
    Ok(())
}

/// A name with every non-ASCII character written as its code point.
fn code_points(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii() && !c.is_ascii_control() {
                c.to_string()
            } else {
                format!("\\u{{{:x}}}", u32::from(c))
            }
        })
        .collect()
}

/// The exhibit's file name in the bag: `E03-box-front.jpg`.
///
/// Only ASCII letters, digits, `-`, `_` and `.` survive: unzip tools on macOS and
/// Windows rewrite other characters (Unicode normalisation, code pages), and a renamed
/// file would then fail `bagit.py --validate` on the receiving side. The original name
/// is kept in manifest.json as `source_name`.
pub fn bag_name(id: ExhibitId, source_name: &str, kind: EvidenceKind) -> String {
    let file_name = source_name.rsplit('/').next().unwrap_or(source_name);
    let (stem, extension) = match file_name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && !ext.is_empty() && ext.len() <= 8 => {
            (stem, Some(ext))
        }
        _ => (file_name, None),
    };
    let mut clean = String::new();
    for c in stem.chars() {
        let c = if c.is_ascii_alphanumeric() || c == '_' || c == '.' {
            c
        } else {
            '-'
        };
        // No leading dots (hidden files on unzip) and no runs of dashes.
        if (c == '-' || c == '.') && clean.is_empty() || c == '-' && clean.ends_with('-') {
            continue;
        }
        clean.push(c);
    }
    let mut clean: String = clean
        .trim_end_matches(['-', '.'])
        .chars()
        .take(60)
        .collect();
    clean = clean.trim_end_matches(['-', '.']).to_owned();
    if clean.is_empty() {
        clean = kind.slug().to_owned();
    }
    let extension = extension
        .map(|e| e.to_ascii_lowercase())
        .filter(|e| e.chars().all(|c| c.is_ascii_alphanumeric()));
    match extension {
        Some(ext) => format!("{id}-{clean}.{ext}"),
        None => format!("{id}-{clean}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bag_names_are_portable() {
        let name = |s| bag_name(ExhibitId(3), s, EvidenceKind::Photo);
        assert_eq!(name("photos/Box Front (1).JPG"), "E03-Box-Front-1.jpg");
        assert_eq!(name("photos/коробка.jpg"), "E03-photo.jpg");
        assert_eq!(name("chat/..hidden..txt"), "E03-hidden.txt");
        assert_eq!(name("noext"), "E03-noext");
        assert_eq!(name("a/b/c.tar.gz"), "E03-c.tar.gz");
        let long = format!("photos/{}.jpg", "x".repeat(300));
        assert_eq!(name(&long).len(), "E03-".len() + 60 + ".jpg".len());
    }

    #[test]
    fn system_files_are_recognised() {
        for name in [
            ".DS_Store",
            "Thumbs.db",
            "desktop.ini",
            "._photo.jpg",
            "~$report.docx",
            ".git",
        ] {
            assert!(is_system_name(name), "{name}");
        }
        assert!(!is_system_name("photo.jpg"));
    }
}
