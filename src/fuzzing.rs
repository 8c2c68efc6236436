//! Entry points for the fuzz targets in `fuzz/` and for the regression inputs they
//! found (`tests/it/fuzz.rs` runs every file in `fuzz/regressions/<target>/` through
//! the same function on stable Rust). Each takes arbitrary bytes and must return
//! without panicking, hanging or allocating without bound; what it returns does not
//! matter.
//!
//! Readers that take a path get the bytes through one scratch file per process, named
//! with the extension the reader looks at.

use std::path::{Path, PathBuf};

use crate::intake::{self, case_file};
use crate::metadata::{self, Location, thumbnail};

/// A fuzz target: takes any bytes, must not panic.
pub type Target = fn(&[u8]);

/// The fuzz targets, by name: the names of `fuzz/fuzz_targets/*.rs` and of the
/// folders of regression inputs.
pub const TARGETS: [(&str, Target); 5] = [
    ("case_toml", case_toml),
    ("bundle", bundle),
    ("media", media),
    ("page", page),
    ("timestamp", timestamp),
];

/// case.toml parsing, with every mistake described as the user would read it.
pub fn case_toml(data: &[u8]) {
    if let Err(error) = case_file::parse(Path::new("case.toml"), data.to_vec()) {
        let _ = error.to_string();
    }
}

/// `claimpack verify` on a zip: the zip audit, the bag reader, manifest.json and the
/// timestamp check behind it.
pub fn bundle(data: &[u8]) {
    let path = scratch("claim.zip", data);
    let _ = crate::verify::verify_zip(&path, crate::progress::Mode::Hidden, None);
}

/// The folder and name `media` files its input under, by its first byte.
pub const MEDIA_NAMES: [&str; 4] = [
    "photos/input.jpg",
    "photos/input.png",
    "videos/input.mp4",
    "screenshots/input.heic",
];

/// The name `page` files its input under, by its first byte.
pub const PAGE_NAMES: [&str; 5] = [
    "tracking/page.warc.gz",
    "tracking/page.warc",
    "tracking/page.mhtml",
    "tracking/page.html",
    "tracking/page.pdf",
];

/// A photo or video as intake and metadata see it: sniffing, the damage checks,
/// EXIF/XMP/PNG/ISO-BMFF readers and the preview (without outside programs). The
/// first byte picks the name from [`MEDIA_NAMES`] (and so the kind the file is filed
/// as); the rest is the file.
pub fn media(data: &[u8]) {
    filed_as(data, &MEDIA_NAMES);
}

/// A saved page: WARC (plain and gzip), MHTML, HTML and PDF headers. The first byte
/// picks the name from [`PAGE_NAMES`], which picks the reader; the rest is the file.
pub fn page(data: &[u8]) {
    filed_as(data, &PAGE_NAMES);
}

fn filed_as(data: &[u8], names: &[&str]) {
    let Some((&selector, content)) = data.split_first() else {
        return;
    };
    let source_name = names[usize::from(selector) % names.len()];
    let file_name = source_name.rsplit('/').next().unwrap_or(source_name);
    let path = scratch(file_name, content);
    describe(&path, source_name.to_owned());
}

/// An RFC 3161 reply or token, checked against data it does not cover.
pub fn timestamp(data: &[u8]) {
    let _ = crate::formats::rfc3161::check(data, b"data", None, &[], None);
}

fn describe(path: &Path, source_name: String) {
    let Ok(file) = intake::describe(path, source_name) else {
        return;
    };
    let found = metadata::read(&file, Location::Show);
    let _ = thumbnail::make(&file, &found.capture, &thumbnail::Tools::default());
    static CHECKER: std::sync::OnceLock<metadata::credentials::Checker> =
        std::sync::OnceLock::new();
    let checker = CHECKER.get_or_init(|| {
        metadata::credentials::Checker::new(None).expect("the shipped trust lists load")
    });
    let _ = checker.check(
        &file.path,
        &file.sniffed.media_type,
        file.sniffed.family,
        file.bytes,
    );
}

/// Writes `data` to this process's scratch file `name` and returns its path.
fn scratch(name: &str, data: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("claimpack-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(name);
    std::fs::write(&path, data).expect("the scratch folder is writable");
    path
}
