//! Audits a zip's structure before any of its data is trusted, and reads entries
//! only from where the audit found them.
//!
//! The `zip` crate reads archives well but shows a tidied view: entries with the same
//! name collapse into one, and when the end record points at one central directory
//! while another sits right before it, it reads the other one (as Info-ZIP `unzip` and
//! Python's `zipfile` do, to cope with self-extracting archives). A verifier that
//! audited one directory and read bytes through a library that follows another would
//! vouch for files nobody extracts. This module therefore reads the central directory
//! itself, insists that it is the only one (it must end exactly where the end record
//! begins, so every reader finds the same), checks what unzip tools could disagree on
//! or be hurt by (path traversal, absolute and Windows paths, duplicate names, symbolic
//! links, encryption, local headers that disagree with the directory, bytes that
//! belong to no entry, overlapping entries, decompression bombs), and then serves each
//! entry's bytes from the audited offset. Every read is bounded by the limits below;
//! nothing is extracted and nothing is allocated from a size the file declares.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use super::{Problem, ProblemKind, VerifyError};
use crate::formats::inflation::InflationGuard;

/// Entries one bundle may hold (a bundle has at most 10,000 exhibits plus their
/// derived files and the tag files).
pub const MAX_ENTRIES: u64 = 50_000;
/// The largest central directory read.
const MAX_DIRECTORY_BYTES: u64 = 64 << 20;

const EOCD_SIGNATURE: u32 = 0x0605_4b50;
const ZIP64_LOCATOR_SIGNATURE: u32 = 0x0706_4b50;
const ZIP64_EOCD_SIGNATURE: u32 = 0x0606_4b50;
const CENTRAL_SIGNATURE: u32 = 0x0201_4b50;
const LOCAL_SIGNATURE: u32 = 0x0403_4b50;
const DESCRIPTOR_SIGNATURE: u32 = 0x0807_4b50;

/// General-purpose flag: the entry is encrypted.
const FLAG_ENCRYPTED: u16 = 0x0001;
/// General-purpose flag: CRC and sizes follow the data in a data descriptor.
const FLAG_DESCRIPTOR: u16 = 0x0008;
/// General-purpose flag: the name is UTF-8.
const FLAG_UTF8: u16 = 0x0800;

/// One entry as the central directory describes it, and where its data starts.
#[derive(Debug, Clone)]
pub struct Entry {
    pub name: String,
    pub method: u16,
    pub crc32: u32,
    pub compressed: u64,
    pub uncompressed: u64,
    pub is_dir: bool,
    flags: u16,
    header_offset: u64,
    /// Known once the local header was read and agreed with the directory.
    data_start: Option<u64>,
}

/// The entries of a zip that passed every check, or the problems found.
#[derive(Debug)]
pub struct Audit {
    pub entries: Vec<Entry>,
    pub problems: Vec<Problem>,
}

fn structure(what: String) -> Problem {
    Problem::new("(zip structure)", ProblemKind::Unsafe, what)
}

/// Reads and checks the central directory of the zip at `path`.
pub fn audit(path: &Path, file: &mut File) -> Result<Audit, VerifyError> {
    let io_error = |source| VerifyError::Read {
        path: path.to_owned(),
        source,
    };
    let refused = |why: String| Audit {
        entries: Vec::new(),
        problems: vec![structure(why)],
    };
    let len = file.metadata().map_err(io_error)?.len();
    let end = match locate_end(file, len).map_err(io_error)? {
        Located::NotZip => return Err(VerifyError::NotZip(path.to_owned())),
        Located::Refused(why) => return Ok(refused(why)),
        Located::End(end) => end,
    };
    if end.entries > MAX_ENTRIES {
        return Ok(refused(format!(
            "the zip declares {} entries; a bundle has at most {MAX_ENTRIES}",
            end.entries
        )));
    }
    if end.directory_size > MAX_DIRECTORY_BYTES {
        return Ok(refused(format!(
            "the central directory declares {} bytes; a bundle's is at most {} MiB",
            end.directory_size,
            MAX_DIRECTORY_BYTES >> 20
        )));
    }
    // The one rule that makes every zip reader find the same directory: it ends
    // exactly where the end record (or the zip64 end record) begins. Readers that
    // find bytes between assume a prefix (a self-extractor) and read the directory
    // that sits right before the end record instead of the one it points at.
    if end.directory_offset.checked_add(end.directory_size) != Some(end.directory_end) {
        return Ok(refused(format!(
            "the end record points at a central directory of {} bytes at offset {}, which does not end where the end record begins (offset {}): other zip tools would read a different directory there",
            end.directory_size, end.directory_offset, end.directory_end
        )));
    }
    let mut directory = vec![0u8; end.directory_size as usize];
    file.seek(SeekFrom::Start(end.directory_offset))
        .and_then(|_| file.read_exact(&mut directory))
        .map_err(io_error)?;

    let (mut entries, mut problems) = parse_directory(&directory, end.entries);
    check_names(&entries, &mut problems);
    check_ratios(&entries, &mut problems);
    check_layout(file, &mut entries, end.directory_offset, &mut problems).map_err(io_error)?;
    Ok(Audit { entries, problems })
}

/// Where the central directory is, from the end-of-central-directory records.
struct End {
    entries: u64,
    directory_size: u64,
    directory_offset: u64,
    /// Where the directory must end: the zip64 end record, or the end record.
    directory_end: u64,
}

enum Located {
    NotZip,
    /// The end records are there but ambiguous or inconsistent.
    Refused(String),
    End(End),
}

fn locate_end(file: &mut File, len: u64) -> io::Result<Located> {
    // The record is 22 bytes plus a comment of at most 65,535.
    let tail_len = len.min(22 + 65_535);
    let mut tail = vec![0u8; tail_len as usize];
    file.seek(SeekFrom::Start(len - tail_len))?;
    file.read_exact(&mut tail)?;
    let Some(at) = (0..tail.len().saturating_sub(21)).rev().find(|&i| {
        u32_at(&tail, i) == EOCD_SIGNATURE && i + 22 + u16_at(&tail, i + 20) as usize == tail.len()
    }) else {
        return Ok(Located::NotZip);
    };
    let position = len - tail_len + at as u64;
    let record = &tail[at..at + 22];
    let comment = &tail[at + 22..];
    if comment
        .windows(4)
        .any(|w| w == EOCD_SIGNATURE.to_le_bytes())
    {
        return Ok(Located::Refused(
            "the zip's comment holds a second end-of-archive record; zip tools would disagree on which is real".to_owned(),
        ));
    }
    let total = u16_at(record, 10);
    if u16_at(record, 4) != 0 || u16_at(record, 6) != 0 || u16_at(record, 8) != total {
        return Ok(Located::Refused(
            "the zip says it spans several disks; a bundle is one file".to_owned(),
        ));
    }
    let short = End {
        entries: total as u64,
        directory_size: u32_at(record, 12) as u64,
        directory_offset: u32_at(record, 16) as u64,
        directory_end: position,
    };
    if position < 20 {
        return Ok(Located::End(short));
    }
    let mut locator = [0u8; 20];
    file.seek(SeekFrom::Start(position - 20))?;
    file.read_exact(&mut locator)?;
    if u32_at(&locator, 0) != ZIP64_LOCATOR_SIGNATURE {
        return Ok(Located::End(short));
    }
    // Python's zipfile and others use a zip64 end record whenever its locator is
    // there, whatever the short record says; so it must be sound and agree.
    let locator_at = position - 20;
    let record_at = u64_at(&locator, 8);
    if u32_at(&locator, 4) != 0 || u32_at(&locator, 16) > 1 {
        return Ok(Located::Refused(
            "the zip64 end locator says the zip spans several disks; a bundle is one file"
                .to_owned(),
        ));
    }
    if record_at.saturating_add(56) > locator_at {
        return Ok(Located::Refused(
            "the zip64 end record is out of place".to_owned(),
        ));
    }
    let mut zip64 = [0u8; 56];
    file.seek(SeekFrom::Start(record_at))?;
    file.read_exact(&mut zip64)?;
    let record_len = u64_at(&zip64, 4);
    if u32_at(&zip64, 0) != ZIP64_EOCD_SIGNATURE
        || record_len < 44
        || record_at
            .checked_add(12)
            .and_then(|n| n.checked_add(record_len))
            != Some(locator_at)
    {
        return Ok(Located::Refused(
            "the zip64 end record is damaged or does not end where its locator begins".to_owned(),
        ));
    }
    let long = End {
        entries: u64_at(&zip64, 32),
        directory_size: u64_at(&zip64, 40),
        directory_offset: u64_at(&zip64, 48),
        directory_end: record_at,
    };
    if u32_at(&zip64, 16) != 0 || u32_at(&zip64, 20) != 0 || u64_at(&zip64, 24) != long.entries {
        return Ok(Located::Refused(
            "the zip64 end record says the zip spans several disks; a bundle is one file"
                .to_owned(),
        ));
    }
    let agrees = |short: u64, long: u64, sentinel: u64| short == sentinel || short == long;
    if !agrees(short.entries, long.entries, 0xFFFF)
        || !agrees(short.directory_size, long.directory_size, 0xFFFF_FFFF)
        || !agrees(short.directory_offset, long.directory_offset, 0xFFFF_FFFF)
    {
        return Ok(Located::Refused(
            "the zip's two end records (zip64 and classic) disagree on where its directory is; zip tools would disagree on its contents".to_owned(),
        ));
    }
    Ok(Located::End(long))
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
        let crc32 = u32_at(directory, at + 16);
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
        fill_from_zip64(
            extra,
            &mut [&mut uncompressed, &mut compressed, &mut header_offset],
        );

        let name = match std::str::from_utf8(raw_name) {
            Ok(name) if flags & FLAG_UTF8 != 0 || name.is_ascii() => name.to_owned(),
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
        if flags & FLAG_ENCRYPTED != 0 {
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
            crc32,
            compressed,
            uncompressed,
            flags,
            header_offset,
            data_start: None,
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

/// Replaces each 0xFFFFFFFF value, in the order the format fixes for that header, by
/// the next 64-bit value of the zip64 extended-information field (id 1).
fn fill_from_zip64(extra: &[u8], values: &mut [&mut u64]) {
    let mut at = 0;
    while at + 4 <= extra.len() {
        let id = u16_at(extra, at);
        let size = u16_at(extra, at + 2) as usize;
        let body = &extra[at + 4..(at + 4 + size).min(extra.len())];
        if id == 0x0001 {
            let mut field = 0;
            for value in values.iter_mut() {
                if **value == 0xFFFF_FFFF && field + 8 <= body.len() {
                    **value = u64_at(body, field);
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
    let mut guard = InflationGuard::default();
    for entry in entries {
        if let Err(refusal) = guard.admit(entry.compressed, entry.uncompressed) {
            problems.push(Problem::new(
                &entry.name,
                ProblemKind::Unsafe,
                refusal.explain(entry.compressed, entry.uncompressed),
            ));
        }
    }
}

/// Reads each local header: its name, method, flags, CRC and sizes must match the
/// directory; the entries must follow one another from the first byte of the file
/// to the directory, with no byte that belongs to none of them and none shared.
fn check_layout(
    file: &mut File,
    entries: &mut [Entry],
    directory_offset: u64,
    problems: &mut Vec<Problem>,
) -> io::Result<()> {
    let mut spans: Vec<(u64, u64, usize)> = Vec::with_capacity(entries.len());
    let mut unplaced = false;
    for (index, entry) in entries.iter_mut().enumerate() {
        match local_span(file, entry, directory_offset)? {
            Ok((data_start, end)) => {
                entry.data_start = Some(data_start);
                spans.push((entry.header_offset, end, index));
            }
            Err(why) => {
                unplaced = true;
                problems.push(Problem::new(&entry.name, ProblemKind::Unsafe, why));
            }
        }
    }
    spans.sort();
    let mut covered = 0u64;
    let mut previous: Option<usize> = None;
    for &(start, end, index) in &spans {
        if start < covered {
            let other = previous.map_or("another entry", |p| entries[p].name.as_str());
            problems.push(Problem::new(
                &entries[index].name,
                ProblemKind::Unsafe,
                format!("its data overlaps {other} (a trick used by zip bombs)"),
            ));
        } else if start > covered && !unplaced {
            problems.push(unaccounted(covered, start));
        }
        if end > covered {
            covered = end;
            previous = Some(index);
        }
    }
    // Entries already refused leave holes of their own; a hole is only news when
    // every entry was placed.
    if covered < directory_offset && !unplaced {
        problems.push(unaccounted(covered, directory_offset));
    }
    Ok(())
}

fn unaccounted(from: u64, to: u64) -> Problem {
    structure(format!(
        "{} bytes at offset {from} belong to no entry in the directory: hidden data, or the remains of another archive that some zip tools would read",
        to - from
    ))
}

/// Where one entry's data starts and where its record ends (after a data
/// descriptor, if it has one), or why its local header cannot be trusted.
fn local_span(
    file: &mut File,
    entry: &Entry,
    directory_offset: u64,
) -> io::Result<Result<(u64, u64), String>> {
    let fail = |why: &str| Ok(Err(why.to_owned()));
    if entry.header_offset.saturating_add(30) > directory_offset {
        return fail("the entry's data lies outside the archive");
    }
    let mut header = [0u8; 30];
    file.seek(SeekFrom::Start(entry.header_offset))?;
    file.read_exact(&mut header)?;
    let name_len = u16_at(&header, 26) as u64;
    let extra_len = u16_at(&header, 28) as u64;
    let data_start = entry.header_offset + 30 + name_len + extra_len;
    if u32_at(&header, 0) != LOCAL_SIGNATURE || data_start > directory_offset {
        return fail("the entry's local header is missing or damaged");
    }
    let mut local_name = vec![0u8; name_len as usize];
    file.read_exact(&mut local_name)?;
    if local_name != entry.name.as_bytes() {
        return Ok(Err(format!(
            "the local header names it \"{}\": tools would disagree on its name",
            String::from_utf8_lossy(&local_name)
        )));
    }
    if u16_at(&header, 8) != entry.method {
        return fail("the local header and the directory disagree on its compression");
    }
    let flags = u16_at(&header, 6);
    let significant = FLAG_ENCRYPTED | FLAG_DESCRIPTOR;
    if flags & significant != entry.flags & significant {
        return fail("the local header and the directory disagree on its flags");
    }
    let data_end = data_start.saturating_add(entry.compressed);
    if data_end > directory_offset {
        return fail("the entry's data runs past the end of the archive data");
    }
    if entry.flags & FLAG_DESCRIPTOR == 0 {
        let mut extra = vec![0u8; extra_len as usize];
        file.read_exact(&mut extra)?;
        let mut uncompressed = u32_at(&header, 22) as u64;
        let mut compressed = u32_at(&header, 18) as u64;
        // The local header's zip64 field holds both sizes, uncompressed first.
        fill_from_zip64(&extra, &mut [&mut uncompressed, &mut compressed]);
        if u32_at(&header, 14) != entry.crc32
            || compressed != entry.compressed
            || uncompressed != entry.uncompressed
        {
            return fail(
                "the local header and the directory disagree on its size or CRC-32: tools would read different bytes",
            );
        }
        return Ok(Ok((data_start, data_end)));
    }
    // CRC and sizes follow the data: 12 or 20 bytes, after an optional signature.
    let room = (directory_offset - data_end).min(24) as usize;
    let mut descriptor = vec![0u8; room];
    file.seek(SeekFrom::Start(data_end))?;
    file.read_exact(&mut descriptor)?;
    let (signature, rest) = match descriptor.get(..4) {
        Some(sig) if u32_at(sig, 0) == DESCRIPTOR_SIGNATURE => (4, &descriptor[4..]),
        _ => (0, &descriptor[..]),
    };
    let short = rest.len() >= 12
        && u32_at(rest, 0) == entry.crc32
        && u32_at(rest, 4) as u64 == entry.compressed
        && u32_at(rest, 8) as u64 == entry.uncompressed;
    let long = rest.len() >= 20
        && u32_at(rest, 0) == entry.crc32
        && u64_at(rest, 4) == entry.compressed
        && u64_at(rest, 12) == entry.uncompressed;
    // Prefer the long form when both parse: a zip64 entry's descriptor is long.
    let descriptor_len = if long && entry.compressed.max(entry.uncompressed) >= 0xFFFF_FFFF {
        20
    } else if short {
        12
    } else if long {
        20
    } else {
        return fail("its data descriptor disagrees with the directory on its size or CRC-32");
    };
    Ok(Ok((data_start, data_end + signature + descriptor_len)))
}

/// Streams the bytes of one audited entry: read from the offset the audit checked,
/// limited to its compressed size, inflated when deflated. The caller checks the
/// length and CRC-32 it gets against the directory.
pub struct EntryReader<'a, R: BufRead> {
    inner: Inner<'a, R>,
    compressed: u64,
}

enum Inner<'a, R: BufRead> {
    Stored(io::Take<&'a mut R>),
    Deflated(flate2::bufread::DeflateDecoder<io::Take<&'a mut R>>),
}

impl<'a, R: BufRead + Seek> EntryReader<'a, R> {
    /// Opens `entry`, which must come from a successful [`audit`] of this file.
    pub fn open(file: &'a mut R, entry: &Entry) -> io::Result<Self> {
        let start = entry
            .data_start
            .ok_or_else(|| io::Error::other("the entry was not placed by the audit"))?;
        file.seek(SeekFrom::Start(start))?;
        let limited = file.take(entry.compressed);
        let inner = match entry.method {
            0 => Inner::Stored(limited),
            8 => Inner::Deflated(flate2::bufread::DeflateDecoder::new(limited)),
            other => return Err(io::Error::other(format!("compression method {other}"))),
        };
        Ok(EntryReader {
            inner,
            compressed: entry.compressed,
        })
    }

    /// After the last byte: whether the compressed data ended exactly at the size the
    /// directory gives (no hidden bytes after the deflate stream).
    pub fn used_all_input(&self) -> bool {
        match &self.inner {
            Inner::Stored(take) => take.limit() == 0,
            Inner::Deflated(decoder) => decoder.total_in() == self.compressed,
        }
    }
}

impl<R: BufRead> Read for EntryReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match &mut self.inner {
            Inner::Stored(take) => take.read(buf),
            Inner::Deflated(decoder) => decoder.read(buf),
        }
    }
}

/// A buffered reader over the zip for [`EntryReader`].
pub fn buffered(file: File) -> BufReader<File> {
    BufReader::with_capacity(1 << 20, file)
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
