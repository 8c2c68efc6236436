//! Audits a zip's structure before any of its data is trusted.
//!
//! The `zip` crate reads archives well but shows a tidied view: entries with the same
//! name collapse into one, so a second, different copy of an exhibit would be invisible
//! to a verifier built on it alone. This module therefore reads the central directory
//! itself and checks what different unzip tools could disagree on or be hurt by: path
//! traversal, absolute and Windows paths, duplicate names (also by letter case),
//! symbolic links, encrypted or unusual entries, local headers that disagree with the
//! central directory, entries that overlap or run past the directory, and compression
//! ratios of a decompression bomb. Every read is bounded by the limits below; nothing
//! is extracted and nothing is allocated from a size the file declares.

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use super::{Problem, ProblemKind, VerifyError};

/// Entries one bundle may hold (a bundle has at most 10,000 exhibits plus their
/// derived files and the tag files).
pub const MAX_ENTRIES: u64 = 50_000;
/// The largest central directory read.
const MAX_DIRECTORY_BYTES: u64 = 64 << 20;
/// Deflate cannot honestly shrink real evidence beyond this; bombs do.
pub const MAX_RATIO: u64 = 200;
/// Entries smaller than this may have any ratio (a few kilobytes of zeros is no bomb).
const RATIO_FLOOR: u64 = 1 << 20;

const EOCD_SIGNATURE: u32 = 0x0605_4b50;
const ZIP64_LOCATOR_SIGNATURE: u32 = 0x0706_4b50;
const ZIP64_EOCD_SIGNATURE: u32 = 0x0606_4b50;
const CENTRAL_SIGNATURE: u32 = 0x0201_4b50;
const LOCAL_SIGNATURE: u32 = 0x0403_4b50;

/// One entry as the central directory describes it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub name: String,
    pub method: u16,
    pub compressed: u64,
    pub uncompressed: u64,
    pub is_dir: bool,
    header_offset: u64,
}

/// The entries of a zip that passed every check, or the problems found.
#[derive(Debug)]
pub struct Audit {
    pub entries: Vec<Entry>,
    pub problems: Vec<Problem>,
}

/// Reads and checks the central directory of the zip at `path`.
pub fn audit(path: &Path, file: &mut File) -> Result<Audit, VerifyError> {
    let io_error = |source| VerifyError::Read {
        path: path.to_owned(),
        source,
    };
    let len = file.metadata().map_err(io_error)?.len();
    let end = find_end(file, len)
        .map_err(io_error)?
        .ok_or_else(|| VerifyError::NotZip(path.to_owned()))?;

    let mut problems = Vec::new();
    let structure = |what: String| Problem::new("(zip structure)", ProblemKind::Unsafe, what);
    if end.entries > MAX_ENTRIES {
        problems.push(structure(format!(
            "the zip declares {} entries; a bundle has at most {MAX_ENTRIES}",
            end.entries
        )));
        return Ok(Audit {
            entries: Vec::new(),
            problems,
        });
    }
    if end.directory_size > MAX_DIRECTORY_BYTES
        || end.directory_offset.saturating_add(end.directory_size) > end.position
    {
        problems.push(structure(
            "the central directory is larger than the file or out of place".to_owned(),
        ));
        return Ok(Audit {
            entries: Vec::new(),
            problems,
        });
    }
    let mut directory = vec![0u8; end.directory_size as usize];
    file.seek(SeekFrom::Start(end.directory_offset))
        .and_then(|_| file.read_exact(&mut directory))
        .map_err(io_error)?;

    let (entries, mut entry_problems) = parse_directory(&directory, end.entries);
    problems.append(&mut entry_problems);
    check_names(&entries, &mut problems);
    check_ratios(&entries, &mut problems);
    check_layout(file, &entries, end.directory_offset, &mut problems).map_err(io_error)?;
    Ok(Audit { entries, problems })
}

/// Where the central directory is, from the end-of-central-directory records.
struct End {
    position: u64,
    entries: u64,
    directory_size: u64,
    directory_offset: u64,
}

fn find_end(file: &mut File, len: u64) -> std::io::Result<Option<End>> {
    // The record is 22 bytes plus a comment of at most 65,535.
    let tail_len = len.min(22 + 65_535);
    let mut tail = vec![0u8; tail_len as usize];
    file.seek(SeekFrom::Start(len - tail_len))?;
    file.read_exact(&mut tail)?;
    let Some(at) = (0..tail.len().saturating_sub(21)).rev().find(|&i| {
        u32_at(&tail, i) == EOCD_SIGNATURE && i + 22 + u16_at(&tail, i + 20) as usize == tail.len()
    }) else {
        return Ok(None);
    };
    let position = len - tail_len + at as u64;
    let mut end = End {
        position,
        entries: u16_at(&tail, at + 10) as u64,
        directory_size: u32_at(&tail, at + 12) as u64,
        directory_offset: u32_at(&tail, at + 16) as u64,
    };
    let needs_zip64 = end.entries == 0xFFFF
        || end.directory_size == 0xFFFF_FFFF
        || end.directory_offset == 0xFFFF_FFFF;
    if needs_zip64 && position >= 20 {
        let mut locator = [0u8; 20];
        file.seek(SeekFrom::Start(position - 20))?;
        file.read_exact(&mut locator)?;
        if u32_at(&locator, 0) == ZIP64_LOCATOR_SIGNATURE {
            let record_at = u64_at(&locator, 8);
            let mut record = [0u8; 56];
            if record_at.saturating_add(56) <= position {
                file.seek(SeekFrom::Start(record_at))?;
                file.read_exact(&mut record)?;
                if u32_at(&record, 0) == ZIP64_EOCD_SIGNATURE {
                    end.entries = u64_at(&record, 32);
                    end.directory_size = u64_at(&record, 40);
                    end.directory_offset = u64_at(&record, 48);
                    end.position = record_at;
                }
            }
        }
    }
    Ok(Some(end))
}

fn parse_directory(directory: &[u8], declared: u64) -> (Vec<Entry>, Vec<Problem>) {
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    let mut at = 0usize;
    let structure = |what: String| Problem::new("(zip structure)", ProblemKind::Unsafe, what);
    while at + 46 <= directory.len() && (entries.len() as u64) < declared {
        if u32_at(directory, at) != CENTRAL_SIGNATURE {
            problems.push(structure(format!(
                "a central directory record is damaged (entry {})",
                entries.len() + 1
            )));
            return (entries, problems);
        }
        let made_by_host = directory[at + 5];
        let flags = u16_at(directory, at + 8);
        let method = u16_at(directory, at + 10);
        let mut compressed = u32_at(directory, at + 20) as u64;
        let mut uncompressed = u32_at(directory, at + 24) as u64;
        let name_len = u16_at(directory, at + 28) as usize;
        let extra_len = u16_at(directory, at + 30) as usize;
        let comment_len = u16_at(directory, at + 32) as usize;
        let external = u32_at(directory, at + 38);
        let mut header_offset = u32_at(directory, at + 42) as u64;
        let record_end = at + 46 + name_len + extra_len + comment_len;
        if record_end > directory.len() {
            problems.push(structure(
                "the central directory ends inside a record".to_owned(),
            ));
            return (entries, problems);
        }
        let raw_name = &directory[at + 46..at + 46 + name_len];
        let extra = &directory[at + 46 + name_len..at + 46 + name_len + extra_len];
        read_zip64_extra(
            extra,
            &mut uncompressed,
            &mut compressed,
            &mut header_offset,
        );

        let name = match std::str::from_utf8(raw_name) {
            Ok(name) if flags & 0x0800 != 0 || name.is_ascii() => name.to_owned(),
            _ => {
                let shown = String::from_utf8_lossy(raw_name).into_owned();
                problems.push(Problem::new(
                    &shown,
                    ProblemKind::Unsafe,
                    "the entry name is not UTF-8, so tools would disagree on it".to_owned(),
                ));
                shown
            }
        };
        if flags & 0x0001 != 0 {
            problems.push(Problem::new(
                &name,
                ProblemKind::Unsafe,
                "the entry is encrypted".to_owned(),
            ));
        }
        if method != 0 && method != 8 {
            problems.push(Problem::new(
                &name,
                ProblemKind::Unsafe,
                format!(
                    "compression method {method} is not used in bundles (only stored and deflate)"
                ),
            ));
        }
        let unix_mode = if made_by_host == 3 { external >> 16 } else { 0 };
        if unix_mode & 0o170000 == 0o120000 {
            problems.push(Problem::new(
                &name,
                ProblemKind::Unsafe,
                "the entry is a symbolic link".to_owned(),
            ));
        }
        if method == 0 && compressed != uncompressed {
            problems.push(Problem::new(
                &name,
                ProblemKind::Unsafe,
                format!("stored entry declares {uncompressed} bytes but holds {compressed}"),
            ));
        }
        entries.push(Entry {
            is_dir: name.ends_with('/'),
            name,
            method,
            compressed,
            uncompressed,
            header_offset,
        });
        at = record_end;
    }
    if (entries.len() as u64) < declared {
        problems.push(structure(format!(
            "the zip declares {declared} entries but its directory holds {}",
            entries.len()
        )));
    }
    (entries, problems)
}

/// Replaces 0xFFFFFFFF fields by their zip64 values, in the order the format fixes.
fn read_zip64_extra(extra: &[u8], uncompressed: &mut u64, compressed: &mut u64, offset: &mut u64) {
    let mut at = 0;
    while at + 4 <= extra.len() {
        let id = u16_at(extra, at);
        let size = u16_at(extra, at + 2) as usize;
        let body = &extra[at + 4..(at + 4 + size).min(extra.len())];
        if id == 0x0001 {
            let mut field = 0;
            for value in [uncompressed, compressed, offset] {
                if *value == 0xFFFF_FFFF && field + 8 <= body.len() {
                    *value = u64_at(body, field);
                    field += 8;
                }
            }
            return;
        }
        at += 4 + size;
    }
}

/// Names that would write outside the target folder, mean different things on
/// different systems, or collide.
fn check_names(entries: &[Entry], problems: &mut Vec<Problem>) {
    let mut seen: HashMap<String, &str> = HashMap::new();
    for entry in entries {
        let name = entry.name.as_str();
        let trimmed = name.strip_suffix('/').unwrap_or(name);
        let why = if name.is_empty() {
            Some("the entry has an empty name")
        } else if name.chars().any(|c| c.is_control()) {
            Some("the name contains control characters")
        } else if name.starts_with('/') || name.starts_with('\\') {
            Some("absolute path: unzipping would write outside the target folder")
        } else if name.as_bytes().get(1) == Some(&b':') {
            Some("Windows drive path: unzipping would write outside the target folder")
        } else if name.contains('\\') {
            Some("backslash in the name: Windows tools read it as a folder separator")
        } else if trimmed.split('/').any(|part| part == "..") {
            Some("path traversal (..): unzipping would write outside the target folder")
        } else if trimmed
            .split('/')
            .any(|part| part.is_empty() || part == ".")
        {
            Some("the path has an empty or '.' component")
        } else {
            None
        };
        if let Some(why) = why {
            problems.push(Problem::new(name, ProblemKind::Unsafe, why.to_owned()));
        }
        let folded = name.to_lowercase();
        if let Some(first) = seen.insert(folded, name) {
            let why = if first == name {
                "the name appears twice; unzip tools would keep different copies".to_owned()
            } else {
                format!(
                    "differs from {first} only in letter case; on Windows and macOS one would overwrite the other"
                )
            };
            problems.push(Problem::new(name, ProblemKind::Unsafe, why));
        }
    }
}

fn check_ratios(entries: &[Entry], problems: &mut Vec<Problem>) {
    for entry in entries {
        if entry.uncompressed > RATIO_FLOOR
            && entry.uncompressed / entry.compressed.max(1) > MAX_RATIO
        {
            problems.push(Problem::new(
                &entry.name,
                ProblemKind::Unsafe,
                format!(
                    "declares {} bytes from {} compressed (more than {MAX_RATIO}:1): a decompression bomb",
                    entry.uncompressed, entry.compressed
                ),
            ));
        }
    }
}

/// Reads each local header: its name and method must match the directory, and the
/// entries' data must neither overlap nor run into the directory.
fn check_layout(
    file: &mut File,
    entries: &[Entry],
    directory_offset: u64,
    problems: &mut Vec<Problem>,
) -> std::io::Result<()> {
    let mut spans: Vec<(u64, u64, &str)> = Vec::with_capacity(entries.len());
    for entry in entries {
        let bad = |what: &str| Problem::new(&entry.name, ProblemKind::Unsafe, what.to_owned());
        if entry.header_offset.saturating_add(30) > directory_offset {
            problems.push(bad("the entry's data lies outside the archive"));
            continue;
        }
        let mut header = [0u8; 30];
        file.seek(SeekFrom::Start(entry.header_offset))?;
        file.read_exact(&mut header)?;
        let name_len = u16_at(&header, 26) as u64;
        let extra_len = u16_at(&header, 28) as u64;
        if u32_at(&header, 0) != LOCAL_SIGNATURE
            || entry.header_offset + 30 + name_len > directory_offset
        {
            problems.push(bad("the entry's local header is missing or damaged"));
            continue;
        }
        let mut local_name = vec![0u8; name_len as usize];
        file.read_exact(&mut local_name)?;
        if local_name != entry.name.as_bytes() {
            problems.push(bad(&format!(
                "the local header names it \"{}\": tools would disagree on its name",
                String::from_utf8_lossy(&local_name)
            )));
        }
        if u16_at(&header, 8) != entry.method {
            problems.push(bad(
                "the local header and the directory disagree on its compression",
            ));
        }
        let data_start = entry.header_offset + 30 + name_len + extra_len;
        let data_end = data_start.saturating_add(entry.compressed);
        if data_end > directory_offset {
            problems.push(bad(
                "the entry's data runs past the end of the archive data",
            ));
            continue;
        }
        spans.push((entry.header_offset, data_end, &entry.name));
    }
    spans.sort();
    for pair in spans.windows(2) {
        if pair[0].1 > pair[1].0 {
            problems.push(Problem::new(
                pair[1].2,
                ProblemKind::Unsafe,
                format!(
                    "its data overlaps {} (a trick used by zip bombs)",
                    pair[0].2
                ),
            ));
        }
    }
    Ok(())
}

fn u16_at(bytes: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([bytes[at], bytes[at + 1]])
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

fn u64_at(bytes: &[u8], at: usize) -> u64 {
    let mut raw = [0u8; 8];
    raw.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(raw)
}
