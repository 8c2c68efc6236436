//! Helpers shared by the integration tests: running the binary like a user, making
//! case folders, and taking zips apart and putting them back together.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

/// The fixed bundle time used by tests.
pub const CREATED_AT: &str = "2026-11-23T12:00:00Z";

/// The repository's sample evidence.
pub fn asset(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/demo")
        .join(name)
}

/// The binary, run in `cwd` with a cleared environment (no SOURCE_DATE_EPOCH, no
/// NO_COLOR surprises) and the optional outside decoders (ffmpeg, heif-convert) off.
pub fn claimpack(cwd: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_claimpack"));
    command.current_dir(cwd).env_clear();
    if let Ok(path) = std::env::var("PATH") {
        command.env("PATH", path);
    }
    // Bundles must not depend on whether ffmpeg happens to be installed.
    command.env("CLAIMPACK_FFMPEG", "none");
    command.env("CLAIMPACK_HEIF_CONVERT", "none");
    command.env("CLAIMPACK_CHROMIUM", "none");
    command
}

/// Runs an outside tool (pdftotext, qpdf, …) in `cwd` and returns its standard
/// output; a missing tool or a failure fails the test, with what the tool said.
pub fn outside_tool(program: &str, args: &[&str], cwd: &Path) -> String {
    let output = Command::new(program)
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap_or_else(|e| panic!("CLAIMPACK_INTEROP=1 needs {program} on PATH: {e}"));
    assert!(
        output.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Opens `page` in headless Chromium with a fresh profile under `profile`, and the
/// flags a closed network needs; returns what Chromium printed (`--dump-dom`).
pub fn chromium(profile: &Path, page: &Path, extra: &[String]) -> String {
    let output = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("CLAIMPACK_INTEROP=1 needs chromium on PATH");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Runs and returns (exit code, stdout, stderr).
pub fn run(command: &mut Command) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = command.output().expect("the binary runs");
    (
        status.code().unwrap_or(-1),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

/// The damaged-speaker case used across tests.
pub const CASE_TOML: &str = r#"platform = "aliexpress"
reason = "damaged"

[order]
id = "8123456789012345"
placed = 2026-10-02
item = "Bluetooth speaker, black"
seller = "XYZ Official Store"
total = "34.99 USD"

[shipping]
tracking = ["LP00432912345678"]
shipped = 2026-10-04
delivered = 2026-10-28

[request]
resolution = "refund-only"
amount = "34.99 USD"

[[contact]]
date = 2026-10-29
channel = "aliexpress-chat"
summary = "Sent photos of the crushed box; the seller offered 2 USD."

[[evidence]]
path = "photos/box-front.jpg"
caption = "Outer box crushed on arrival"
"#;

/// A case folder with a photo, a video, a chat text and a screenshot.
pub fn sample_case() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("case");
    for folder in ["photos", "videos", "chat", "order"] {
        std::fs::create_dir_all(root.join(folder)).unwrap();
    }
    std::fs::write(root.join("case.toml"), CASE_TOML).unwrap();
    std::fs::copy(asset("box-front.jpg"), root.join("photos/box-front.jpg")).unwrap();
    std::fs::copy(asset("unboxing.mov"), root.join("videos/unboxing.mov")).unwrap();
    std::fs::copy(asset("seller-chat.txt"), root.join("chat/seller-chat.txt")).unwrap();
    std::fs::copy(asset("order-page.png"), root.join("order/order-page.png")).unwrap();
    pin_times(&root);
    dir
}

/// Sets every file's modification time to 2026-11-01 12:00 UTC, so capture times that
/// fall back to the file time are the same on every run.
pub fn pin_times(folder: &Path) {
    let fixed = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_793_534_400);
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            pin_times(&path);
        } else {
            let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
            file.set_modified(fixed).unwrap();
        }
    }
}

/// A minimal eBay case in `dir/case` holding the given test media, each
/// (fixture name in tests/data/media, path inside the case).
pub fn media_case(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    std::fs::create_dir_all(&case).unwrap();
    std::fs::write(
        case.join("case.toml"),
        "platform = \"ebay\"\nreason = \"damaged\"\n[order]\nid = \"1\"\n",
    )
    .unwrap();
    for (fixture, path) in files {
        let target = case.join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(media(fixture), target).unwrap();
    }
    dir
}

/// A file in tests/data/media.
pub fn media(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/media")
        .join(name)
}

/// Builds `dir/case` into `dir/x.zip` with `--json`, with extra environment
/// variables and arguments, and returns what build printed.
pub fn build_json(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> serde_json::Value {
    let mut command = claimpack(dir);
    command.args([
        "build",
        "case",
        "-o",
        "x.zip",
        "--json",
        "-q",
        "--created-at",
        CREATED_AT,
    ]);
    command.args(args);
    for (key, value) in env {
        command.env(key, value);
    }
    let (code, out, err) = run(&mut command);
    assert_eq!(code, 0, "build failed:\n{out}\n{err}");
    serde_json::from_str(&out).unwrap()
}

/// Runs `claimpack build case -o claim.zip --created-at CREATED_AT` and `extra`
/// in `dir`; returns (exit code, stdout, stderr).
pub fn build_with(dir: &Path, extra: &[&str]) -> (i32, String, String) {
    run(build_command(dir).args(extra))
}

/// `claimpack build case -o claim.zip --created-at CREATED_AT` in `dir`, not yet run.
pub fn build_command(dir: &Path) -> Command {
    let mut command = claimpack(dir);
    command.args([
        "build",
        "case",
        "-o",
        "claim.zip",
        "--created-at",
        CREATED_AT,
    ]);
    command
}

/// Builds `dir/case` into `dir/claim.zip` and returns the zip's path.
pub fn build(dir: &Path) -> PathBuf {
    let (code, out, err) = build_with(dir, &[]);
    assert_eq!(code, 0, "build failed:\n{out}\n{err}");
    dir.join("claim.zip")
}

/// Runs `claimpack verify` on a zip.
pub fn verify(zip: &Path) -> (i32, String, String) {
    run(claimpack(zip.parent().unwrap()).arg("verify").arg(zip))
}

/// One entry of a zip, as read back.
#[derive(Clone)]
pub struct Entry {
    pub name: String,
    pub data: Vec<u8>,
    pub deflated: bool,
}

/// Reads every entry of a zip (through the zip crate, so only for well-formed zips).
pub fn read_entries(zip: &Path) -> Vec<Entry> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(zip).unwrap()).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            file.read_to_end(&mut data).unwrap();
            Entry {
                name: file.name().unwrap().into_owned(),
                data,
                deflated: file.compression() == zip::CompressionMethod::Deflated,
            }
        })
        .collect()
}

/// Writes entries as a new, well-formed zip: what someone does who unzips a bundle,
/// edits a file and zips it again.
pub fn write_entries(zip: &Path, entries: &[Entry]) {
    let mut writer = zip::ZipWriter::new(std::fs::File::create(zip).unwrap());
    for entry in entries {
        let method = if entry.deflated {
            zip::CompressionMethod::Deflated
        } else {
            zip::CompressionMethod::Stored
        };
        let options = zip::write::SimpleFileOptions::default().compression_method(method);
        writer.start_file(entry.name.as_str(), options).unwrap();
        writer.write_all(&entry.data).unwrap();
    }
    writer.finish().unwrap();
}

/// A zip entry written byte by byte, for archives no well-behaved writer would make.
#[derive(Clone)]
pub struct RawEntry {
    pub name: Vec<u8>,
    /// The stored bytes (already compressed when `method` is 8).
    pub data: Vec<u8>,
    pub method: u16,
    /// Declared uncompressed size (defaults to `data.len()`).
    pub size: Option<u64>,
    pub crc: Option<u32>,
    /// Unix mode in the high 16 bits of the external attributes.
    pub unix_mode: u32,
    pub flags: u16,
    /// A different name in the local header.
    pub local_name: Option<Vec<u8>>,
    /// A different CRC-32 in the local header.
    pub local_crc: Option<u32>,
    /// Point the central record at another entry's local header.
    pub same_offset_as: Option<usize>,
}

impl RawEntry {
    pub fn stored(name: &str, data: &[u8]) -> RawEntry {
        RawEntry {
            name: name.as_bytes().to_vec(),
            data: data.to_vec(),
            method: 0,
            size: None,
            crc: None,
            unix_mode: 0o100644,
            flags: 0x0800,
            local_name: None,
            local_crc: None,
            same_offset_as: None,
        }
    }
}

/// CRC-32 (IEEE), bit by bit: slow but independent of the code under test.
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= byte as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// Assembles a zip from raw entries: local headers, data, central directory, end.
pub fn raw_zip(entries: &[RawEntry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut offsets = Vec::new();
    for entry in entries {
        offsets.push(out.len() as u32);
        if entry.same_offset_as.is_some() {
            continue;
        }
        let name = entry.local_name.as_ref().unwrap_or(&entry.name);
        let crc = entry
            .local_crc
            .or(entry.crc)
            .unwrap_or_else(|| crc32(&entry.data));
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&20u16.to_le_bytes());
        out.extend_from_slice(&entry.flags.to_le_bytes());
        out.extend_from_slice(&entry.method.to_le_bytes());
        out.extend_from_slice(&[0, 0, 0x21, 0]); // time, date
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&(entry.data.len() as u32).to_le_bytes());
        out.extend_from_slice(
            &(entry.size.unwrap_or(entry.data.len() as u64) as u32).to_le_bytes(),
        );
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(name);
        out.extend_from_slice(&entry.data);
    }
    let directory_start = out.len() as u32;
    for (index, entry) in entries.iter().enumerate() {
        let offset = match entry.same_offset_as {
            Some(other) => offsets[other],
            None => offsets[index],
        };
        let crc = entry.crc.unwrap_or_else(|| crc32(&entry.data));
        out.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        out.extend_from_slice(&(0x0300u16 | 20).to_le_bytes()); // made by Unix
        out.extend_from_slice(&20u16.to_le_bytes());
        out.extend_from_slice(&entry.flags.to_le_bytes());
        out.extend_from_slice(&entry.method.to_le_bytes());
        out.extend_from_slice(&[0, 0, 0x21, 0]);
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&(entry.data.len() as u32).to_le_bytes());
        out.extend_from_slice(
            &(entry.size.unwrap_or(entry.data.len() as u64) as u32).to_le_bytes(),
        );
        out.extend_from_slice(&(entry.name.len() as u16).to_le_bytes());
        out.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0]); // extra, comment, disk, internal
        out.extend_from_slice(&(entry.unix_mode << 16).to_le_bytes());
        out.extend_from_slice(&offset.to_le_bytes());
        out.extend_from_slice(&entry.name);
    }
    let directory_size = out.len() as u32 - directory_start;
    let count = entries.len().min(0xFFFF) as u16;
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0, 0, 0, 0]);
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&directory_size.to_le_bytes());
    out.extend_from_slice(&directory_start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// What a second central directory says about one entry instead of the first.
pub struct Shadow {
    pub name: String,
    /// Stored as is.
    pub data: Vec<u8>,
    /// Unix mode in the external attributes (0o120777 makes a symbolic link).
    pub unix_mode: u32,
}

fn le16(bytes: &[u8], at: usize) -> usize {
    u16::from_le_bytes([bytes[at], bytes[at + 1]]) as usize
}

fn le32(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap())
}

/// The two-directory attack on a real bundle: every original entry, then a copy of
/// every entry in which `shadow` replaced some, then directory A (the original, which
/// the end record points at), then directory B (naming the copies), both padded with
/// a record comment to the same length, then the end record. Readers that take the
/// directory ending at the end record (the zip crate, Info-ZIP, Python) see B.
///
/// `shadow` gets each entry's index, name and contents, in directory order.
pub fn two_directories(
    bundle: &[u8],
    shadow: impl Fn(usize, &str, &[u8]) -> Option<Shadow>,
) -> Vec<u8> {
    let end = bundle.len() - 22;
    assert_eq!(le32(bundle, end), 0x0605_4b50, "a bundle without a comment");
    let count = le16(bundle, end + 10);
    let a_offset = le32(bundle, end + 16) as usize;
    let contents = read_entries_from(bundle);

    // Directory A's records, and each entry's local record (header to end of data).
    let mut records_a: Vec<Vec<u8>> = Vec::new();
    let mut locals: Vec<&[u8]> = Vec::new();
    let mut at = a_offset;
    for _ in 0..count {
        let len = 46 + le16(bundle, at + 28) + le16(bundle, at + 30) + le16(bundle, at + 32);
        let record = bundle[at..at + len].to_vec();
        let header = le32(&record, 42) as usize;
        let data_start = header + 30 + le16(bundle, header + 26) + le16(bundle, header + 28);
        locals.push(&bundle[header..data_start + le32(&record, 20) as usize]);
        records_a.push(record);
        at += len;
    }

    let mut copies = Vec::new();
    let mut records_b: Vec<(Vec<u8>, usize)> = Vec::new();
    for (index, record) in records_a.iter().enumerate() {
        let offset_in_copies = copies.len();
        let (name, data) = &contents[index];
        let record_b = match shadow(index, name, data) {
            None => {
                copies.extend_from_slice(locals[index]);
                record.clone()
            }
            Some(s) => {
                let crc = crc32(&s.data);
                let size = (s.data.len() as u32).to_le_bytes();
                copies.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
                copies.extend_from_slice(&[20, 0, 0, 8, 0, 0, 0, 0, 0x21, 0]);
                copies.extend_from_slice(&crc.to_le_bytes());
                copies.extend_from_slice(&size);
                copies.extend_from_slice(&size);
                copies.extend_from_slice(&(s.name.len() as u16).to_le_bytes());
                copies.extend_from_slice(&0u16.to_le_bytes());
                copies.extend_from_slice(s.name.as_bytes());
                copies.extend_from_slice(&s.data);
                let mut r = Vec::new();
                r.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
                r.extend_from_slice(&[20, 3, 20, 0, 0, 8, 0, 0, 0, 0, 0x21, 0]);
                r.extend_from_slice(&crc.to_le_bytes());
                r.extend_from_slice(&size);
                r.extend_from_slice(&size);
                r.extend_from_slice(&(s.name.len() as u16).to_le_bytes());
                r.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0]);
                r.extend_from_slice(&(s.unix_mode << 16).to_le_bytes());
                r.extend_from_slice(&0u32.to_le_bytes());
                r.extend_from_slice(s.name.as_bytes());
                r
            }
        };
        records_b.push((record_b, offset_in_copies));
    }
    // Readers add (where B is) - (where the end record says the directory is) to
    // every offset B gives: with both directories L bytes long that shift is
    // L + copies.len(), and a copy lies at a_offset + L + its offset in the copies.
    let mut records_b: Vec<Vec<u8>> = records_b
        .into_iter()
        .map(|(mut record, offset_in_copies)| {
            let stored = (a_offset + offset_in_copies)
                .checked_sub(copies.len())
                .expect("the copies are no longer than the originals");
            record[42..46].copy_from_slice(&(stored as u32).to_le_bytes());
            record
        })
        .collect();
    let len = |records: &Vec<Vec<u8>>| records.iter().map(Vec::len).sum::<usize>();
    let pad = |records: &mut Vec<Vec<u8>>, by: usize| {
        let last = records.last_mut().unwrap();
        let comment = le16(last, 32) + by;
        last[32..34].copy_from_slice(&(comment as u16).to_le_bytes());
        last.extend(std::iter::repeat_n(b' ', by));
    };
    let (la, lb) = (len(&records_a), len(&records_b));
    if la < lb {
        pad(&mut records_a, lb - la);
    } else if lb < la {
        pad(&mut records_b, la - lb);
    }

    let mut out = bundle[..a_offset].to_vec();
    out.extend(records_a.iter().flatten());
    out.extend_from_slice(&copies);
    out.extend(records_b.iter().flatten());
    push_end(&mut out, count, len(&records_a), a_offset);
    out
}

fn push_end(out: &mut Vec<u8>, count: usize, directory_len: usize, directory_offset: usize) {
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0, 0, 0, 0]);
    out.extend_from_slice(&(count as u16).to_le_bytes());
    out.extend_from_slice(&(count as u16).to_le_bytes());
    out.extend_from_slice(&(directory_len as u32).to_le_bytes());
    out.extend_from_slice(&(directory_offset as u32).to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
}

/// Names and contents of a well-formed zip's entries, in directory order.
pub fn read_entries_from(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            file.read_to_end(&mut data).unwrap();
            (file.name().unwrap().into_owned(), data)
        })
        .collect()
}
