//! `claimpack add`: copies evidence files into a case folder's right subfolder and
//! records their captions and checklist items in case.toml.
//!
//! The source files are opened read-only and never moved or changed; each copy keeps
//! the source's modification time (a capture time may fall back to it) and is checked
//! against the source's SHA-256. Nothing is overwritten: a name already taken by a
//! different file stops the whole command before anything is copied. case.toml is
//! edited with `toml_edit`, so the buyer's comments and layout stay byte for byte;
//! only the new `[[evidence]]` entries are appended.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::intake::{self, CASE_FILE, IntakeError, case_file, sniff};
use crate::model::EvidenceKind;

/// Why nothing (or not everything) was added.
#[derive(Debug, thiserror::Error)]
pub enum AddError {
    #[error("{}: not a case folder (it has no case.toml); create one with `claimpack init {}`", .0.display(), .0.display())]
    NoCase(PathBuf),
    #[error("{}: {why}", path.display())]
    Source { path: PathBuf, why: String },
    #[error("{}: already exists and is a different file; nothing was copied. Rename one of them, then run add again", .0.display())]
    Taken(PathBuf),
    #[error("{}: looks like a screenshot, and its kind decides where it goes: add it with --as chat, --as order, --as tracking or --as listing (or --as screenshot)", .0.display())]
    SayWhatItShows(PathBuf),
    #[error("{}: two of the files would both be copied to {}; rename one of them", first.display(), to)]
    SameName { first: PathBuf, to: String },
    #[error("--caption/--shows: {0}")]
    Entry(String),
    #[error("{}: {why}; nothing was changed (fix it, or add the files without --caption and --shows)", path.display())]
    CaseToml { path: PathBuf, why: String },
    #[error(transparent)]
    Intake(#[from] IntakeError),
    #[error("{}: cannot write", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: the copy does not match the file it was made from (SHA-256 differs); it was removed. Was the file changing while it was copied?", .0.display())]
    Mismatch(PathBuf),
}

/// Checked settings for `add`.
#[derive(Debug, Clone)]
pub struct AddConfig {
    pub files: Vec<PathBuf>,
    pub case_dir: PathBuf,
    pub kind: Option<EvidenceKind>,
    pub caption: Option<String>,
    pub shows: Vec<String>,
}

/// One file copied into the case.
#[derive(Debug, Clone, Serialize)]
pub struct Added {
    pub from: String,
    /// Path inside the case folder, with `/`.
    pub to: String,
    pub kind: EvidenceKind,
    pub bytes: u64,
    pub sha256: String,
    /// Whether an `[[evidence]]` entry was written for it.
    pub recorded: bool,
}

/// One file not copied because the case already holds the same bytes.
#[derive(Debug, Clone, Serialize)]
pub struct AlreadyThere {
    pub from: String,
    pub same_as: String,
}

/// What `add` did.
#[derive(Debug, Clone, Serialize)]
pub struct AddReport {
    pub case_dir: String,
    pub added: Vec<Added>,
    pub already_there: Vec<AlreadyThere>,
}

/// A file checked and ready to copy.
struct Planned {
    source: PathBuf,
    to: String,
    kind: EvidenceKind,
    /// Whether case.toml must name the kind (the folder does not imply it).
    kind_in_entry: bool,
    sha256: [u8; 32],
    bytes: u64,
}

/// Copies the files and records them; all checks happen before the first copy.
pub fn add(config: &AddConfig) -> Result<AddReport, AddError> {
    let root = &config.case_dir;
    let case_path = root.join(CASE_FILE);
    if !case_path.is_file() {
        return Err(AddError::NoCase(root.clone()));
    }
    let case_text = fs::read_to_string(&case_path).map_err(|e| AddError::CaseToml {
        path: case_path.clone(),
        why: format!("cannot be read as UTF-8 text ({e})"),
    })?;

    // --caption and --shows are checked by case.toml's own rules before anything else.
    case_file::check_entry(
        "photos/x.jpg",
        None,
        config.caption.as_deref(),
        &config.shows,
    )
    .map_err(AddError::Entry)?;

    let existing = intake::evidence_in(root)?;
    let mut by_size: HashMap<u64, Vec<&intake::SourceFile>> = HashMap::new();
    for file in &existing {
        by_size.entry(file.bytes).or_default().push(file);
    }

    let mut planned: Vec<Planned> = Vec::new();
    let mut already_there = Vec::new();
    for source in &config.files {
        let (kind, folder) = kind_and_folder(source, config.kind)?;
        let bytes = regular_file(source)?.len();
        let sha256 = hash(source)?;
        // The same bytes already in the case, or given twice: not copied again.
        let same = match by_size.get(&bytes) {
            Some(candidates) => first_identical(candidates, sha256)?,
            None => None,
        };
        if let Some(same_as) = same.or_else(|| {
            planned
                .iter()
                .find(|p| p.sha256 == sha256)
                .map(|p| p.to.clone())
        }) {
            already_there.push(AlreadyThere {
                from: shown(source),
                same_as,
            });
            continue;
        }
        let name = source
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| AddError::Source {
                path: source.clone(),
                why: "is not a file name".to_owned(),
            })?;
        let to = match folder {
            Some(folder) => format!("{folder}/{name}"),
            None => name,
        };
        if root.join(&to).symlink_metadata().is_ok() {
            return Err(AddError::Taken(root.join(&to)));
        }
        if let Some(first) = planned.iter().find(|p| p.to == to) {
            return Err(AddError::SameName {
                first: first.source.clone(),
                to,
            });
        }
        let kind_in_entry =
            config.kind.is_some() && folder.and_then(EvidenceKind::from_folder) != Some(kind);
        planned.push(Planned {
            source: source.clone(),
            to,
            kind,
            kind_in_entry,
            sha256,
            bytes,
        });
    }

    let describe = config.caption.is_some() || !config.shows.is_empty();
    for plan in &planned {
        let kind = plan.kind_in_entry.then_some(plan.kind);
        case_file::check_entry(&plan.to, kind, config.caption.as_deref(), &config.shows)
            .map_err(AddError::Entry)?;
    }
    let entries: Vec<&Planned> = planned
        .iter()
        .filter(|p| describe || p.kind_in_entry)
        .collect();
    let new_case_text = if entries.is_empty() {
        None
    } else {
        Some(with_entries(&case_path, &case_text, &entries, config)?)
    };

    let mut added = Vec::new();
    for plan in &planned {
        copy(root, plan)?;
        added.push(Added {
            from: shown(&plan.source),
            to: plan.to.clone(),
            kind: plan.kind,
            bytes: plan.bytes,
            sha256: hex::encode(plan.sha256),
            recorded: entries.iter().any(|e| e.to == plan.to),
        });
    }
    if let Some(text) = new_case_text {
        crate::output::write_whole(
            &case_path,
            text.as_bytes(),
            crate::output::Existing::Replace,
        )
        .map_err(|source| AddError::Write {
            path: case_path.clone(),
            source,
        })?;
    }
    Ok(AddReport {
        case_dir: shown(root),
        added,
        already_there,
    })
}

/// The kind of `source` and the subfolder it goes in (`None`: the case folder itself).
fn kind_and_folder(
    source: &Path,
    asked: Option<EvidenceKind>,
) -> Result<(EvidenceKind, Option<&'static str>), AddError> {
    let kind = match asked {
        Some(kind) => kind,
        None => {
            let mut head = Vec::with_capacity(8192);
            open(source)?
                .take(8192)
                .read_to_end(&mut head)
                .map_err(|e| source_error(source, e))?;
            match sniff::sniff(&head, source).family {
                sniff::Family::Image if sniff::has_camera_exif(source) => EvidenceKind::Photo,
                sniff::Family::Image => return Err(AddError::SayWhatItShows(source.to_owned())),
                sniff::Family::Video => EvidenceKind::Video,
                sniff::Family::Pdf => EvidenceKind::Document,
                _ => EvidenceKind::Other,
            }
        }
    };
    let folder = EvidenceKind::FOLDERS
        .iter()
        .find(|(_, k)| *k == kind)
        .map(|(folder, _)| *folder);
    Ok((kind, folder))
}

fn open(source: &Path) -> Result<File, AddError> {
    regular_file(source)?;
    File::open(source).map_err(|e| source_error(source, e))
}

/// The file's metadata, when it is a regular file (a FIFO would block the read).
fn regular_file(source: &Path) -> Result<fs::Metadata, AddError> {
    let metadata = fs::metadata(source).map_err(|e| source_error(source, e))?;
    if !metadata.is_file() {
        return Err(AddError::Source {
            path: source.to_owned(),
            why: if metadata.is_dir() {
                "is a folder; give the files inside it".to_owned()
            } else {
                "is not a regular file".to_owned()
            },
        });
    }
    Ok(metadata)
}

fn source_error(source: &Path, error: std::io::Error) -> AddError {
    AddError::Source {
        path: source.to_owned(),
        why: match error.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_owned(),
            std::io::ErrorKind::PermissionDenied => "cannot be read (permission denied)".to_owned(),
            _ => format!("cannot be read ({error})"),
        },
    }
}

fn hash(source: &Path) -> Result<[u8; 32], AddError> {
    regular_file(source)?;
    intake::sha256_file(source).map_err(|e| match e {
        IntakeError::Read { source: error, .. } => source_error(source, error),
        other => other.into(),
    })
}

/// The first of `candidates` (files of the same size) whose bytes hash to `sha256`.
fn first_identical(
    candidates: &[&intake::SourceFile],
    sha256: [u8; 32],
) -> Result<Option<String>, AddError> {
    for candidate in candidates {
        if intake::sha256_file(&candidate.path)? == sha256 {
            return Ok(Some(candidate.source_name.clone()));
        }
    }
    Ok(None)
}

/// case.toml with an `[[evidence]]` entry appended for each of `entries`; the rest
/// of the text is kept byte for byte.
fn with_entries(
    case_path: &Path,
    text: &str,
    entries: &[&Planned],
    config: &AddConfig,
) -> Result<String, AddError> {
    let mut document: toml_edit::DocumentMut =
        text.parse()
            .map_err(|e: toml_edit::TomlError| AddError::CaseToml {
                path: case_path.to_owned(),
                why: format!(
                    "is not valid TOML ({}), so it cannot be edited safely",
                    e.message()
                ),
            })?;
    let array = match document.entry("evidence") {
        toml_edit::Entry::Vacant(slot) => slot
            .insert(toml_edit::Item::ArrayOfTables(Default::default()))
            .as_array_of_tables_mut(),
        toml_edit::Entry::Occupied(slot) => slot.into_mut().as_array_of_tables_mut(),
    };
    let Some(array) = array else {
        return Err(AddError::CaseToml {
            path: case_path.to_owned(),
            why: "has an `evidence` key that is not a list of [[evidence]] tables".to_owned(),
        });
    };
    for plan in entries {
        let mut table = toml_edit::Table::new();
        table.insert("path", toml_edit::value(plan.to.as_str()));
        if plan.kind_in_entry {
            table.insert("kind", toml_edit::value(plan.kind.slug()));
        }
        if let Some(caption) = &config.caption {
            table.insert("caption", toml_edit::value(caption.as_str()));
        }
        if !config.shows.is_empty() {
            let shows: toml_edit::Array = config.shows.iter().map(String::as_str).collect();
            table.insert("shows", toml_edit::value(shows));
        }
        array.push(table);
    }
    let mut out = document.to_string();
    // An appended table starts on a line of its own, after one blank line.
    if !text.ends_with('\n') && out.starts_with(text) {
        out.insert(text.len(), '\n');
    }
    Ok(out)
}

/// Copies one planned file, keeping its modification time, and checks the copy.
fn copy(root: &Path, plan: &Planned) -> Result<(), AddError> {
    let target = root.join(&plan.to);
    let folder = crate::output::folder_of(&target).to_owned();
    fs::create_dir_all(&folder).map_err(|source| AddError::Write {
        path: folder,
        source,
    })?;
    let mut source = open(&plan.source)?;
    let modified = source.metadata().and_then(|m| m.modified()).ok();
    let hasher = std::cell::RefCell::new(Sha256::new());
    let mut tee = HashingReader {
        inner: &mut source,
        hasher: &hasher,
    };
    // Set when the bytes read differ from the bytes hashed at planning: the file
    // changed in between, and the copy is not put in place.
    let changed = std::cell::Cell::new(false);
    crate::output::copy_whole(&mut tee, &target, |file| {
        let digest: [u8; 32] = hasher.borrow().clone().finalize().into();
        if digest != plan.sha256 {
            changed.set(true);
            return Err(std::io::Error::other(
                "the file changed while it was copied",
            ));
        }
        match modified {
            Some(time) => file.set_modified(time),
            None => Ok(()),
        }
    })
    .map_err(|source| {
        if changed.get() {
            AddError::Mismatch(plan.source.clone())
        } else {
            AddError::Write {
                path: target.clone(),
                source,
            }
        }
    })?;
    Ok(())
}

/// Hashes what passes through.
struct HashingReader<'a> {
    inner: &'a mut File,
    hasher: &'a std::cell::RefCell<Sha256>,
}

impl Read for HashingReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.borrow_mut().update(&buf[..n]);
        Ok(n)
    }
}

/// A path as the buyer gave it, safe for a terminal.
fn shown(path: &Path) -> String {
    crate::sanitize::sanitize_name(&path.display().to_string())
}
