//! Packaging: writes the sealed bundle, a zip that is a BagIt 1.0 bag.
//!
//! Every evidence file is read exactly once: each chunk is hashed and written into the
//! zip in the same pass, so memory stays flat however large the videos are. Entries go
//! in a fixed order with fixed times and permissions, so the same inputs and the same
//! bundle time give a byte-identical zip. Media that is already compressed is stored;
//! text is deflated. Nothing here modifies a source file: they are opened read-only, and
//! a file that changes while it is read fails the build instead of sealing a torn copy.

pub mod bagit;
pub mod output;
mod pump;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use jiff::Timestamp;
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::intake::SourceFile;
use crate::progress::Progress;
use bagit::{BagInfo, Oxum};
use output::AtomicFile;

/// Why a bundle could not be written. Nothing is left at the output path in any case.
#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    #[error("{} already exists; pass --force to replace it, or -o to write elsewhere", .0.display())]
    Exists(PathBuf),
    #[error("{}: cannot write", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: cannot read", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: the file changed while it was being packaged ({what}); close the program that is writing it and build again", path.display())]
    Changed { path: PathBuf, what: String },
    #[error("the bundle time {0} is before 1980, which a zip cannot record")]
    TimeOutOfRange(Timestamp),
    #[error("writing the zip failed")]
    Zip(#[source] zip::result::ZipError),
    #[error("interrupted; no bundle was written")]
    Interrupted,
}

/// What packaging learned about one evidence file.
#[derive(Debug, Clone, Copy)]
pub struct Packed {
    pub sha256: [u8; 32],
    pub bytes: u64,
}

/// The finished bundle.
#[derive(Debug, Clone)]
pub struct Sealed {
    pub path: PathBuf,
    /// SHA-256 of `manifest-sha256.txt`: one value that changes if any payload byte does.
    pub seal: [u8; 32],
    pub oxum: Oxum,
}

/// Writes one bag into one zip, in order: `bagit.txt`, the payload, the tag files.
pub struct BagWriter {
    zip: ZipWriter<AtomicFile>,
    root: String,
    options: SimpleFileOptions,
    payload: Vec<(String, [u8; 32])>,
    payload_bytes: u64,
    tags: Vec<(String, [u8; 32])>,
}

/// Shorthand for the zip crate's errors.
fn zip_error(e: zip::result::ZipError) -> PackageError {
    PackageError::Zip(e)
}

impl BagWriter {
    /// Starts a bundle at `target`, whose bag folder inside the zip is `root`.
    pub fn create(
        target: &Path,
        root: &str,
        created_at: Timestamp,
        force: bool,
    ) -> Result<Self, PackageError> {
        let file = AtomicFile::create(target, force)?;
        let options = SimpleFileOptions::default()
            .last_modified_time(zip_time(created_at)?)
            .unix_permissions(0o644);
        let mut writer = BagWriter {
            zip: ZipWriter::new(file),
            root: root.to_owned(),
            options,
            payload: Vec::new(),
            payload_bytes: 0,
            tags: Vec::new(),
        };
        // First entry: whoever lists the zip sees at once that it is a bag.
        writer.add_tag(bagit::BAGIT_TXT_NAME, bagit::BAGIT_TXT.as_bytes())?;
        Ok(writer)
    }

    /// The temporary file being written, which intake must not take as evidence.
    pub fn temp_path(&self) -> PathBuf {
        self.zip
            .get_ref()
            .map(|f| f.temp_path().to_owned())
            .unwrap_or_default()
    }

    fn start(&mut self, name: &str, compress: bool, size: u64) -> Result<(), PackageError> {
        let method = if compress {
            CompressionMethod::Deflated
        } else {
            CompressionMethod::Stored
        };
        let options = self
            .options
            .compression_method(method)
            .large_file(size >= u32::MAX as u64);
        self.zip
            .start_file(format!("{}/{}", self.root, name), options)
            .map_err(zip_error)
    }

    fn write_error(&self, source: std::io::Error) -> PackageError {
        PackageError::Write {
            path: self
                .zip
                .get_ref()
                .map(|f| f.target().to_owned())
                .unwrap_or_default(),
            source,
        }
    }

    /// Adds an in-memory payload file (`data/...`), deflated when asked.
    pub fn add_payload(
        &mut self,
        path: &str,
        bytes: &[u8],
        compress: bool,
    ) -> Result<[u8; 32], PackageError> {
        self.start(path, compress, bytes.len() as u64)?;
        std::io::Write::write_all(&mut self.zip, bytes).map_err(|e| self.write_error(e))?;
        let digest: [u8; 32] = Sha256::digest(bytes).into();
        self.payload.push((path.to_owned(), digest));
        self.payload_bytes += bytes.len() as u64;
        Ok(digest)
    }

    /// Streams one evidence file into `data/evidence/`, hashing as it goes.
    pub fn add_evidence(
        &mut self,
        file: &SourceFile,
        progress: &Progress,
    ) -> Result<Packed, PackageError> {
        let path_in_bag = format!("data/evidence/{}", file.bag_name);
        let read_error = |source| PackageError::Read {
            path: file.path.clone(),
            source,
        };
        let source = File::open(&file.path).map_err(read_error)?;
        let before = Stamp::of(&source).map_err(read_error)?;
        if before.len != file.bytes || before.modified != file.modified {
            return Err(changed(file, "it changed after the folder was read"));
        }
        self.start(&path_in_bag, file.sniffed.compressible(), file.bytes)?;
        let (sha256, copied) =
            pump::copy_and_hash(&source, &mut self.zip, progress).map_err(|e| match e {
                pump::PumpError::Read(source) => read_error(source),
                pump::PumpError::Write(source) => self.write_error(source),
                pump::PumpError::Interrupted => PackageError::Interrupted,
            })?;
        let after = Stamp::of(&source).map_err(read_error)?;
        if after != before || copied != before.len {
            return Err(changed(
                file,
                &format!(
                    "{} bytes before, {} read, {} after",
                    before.len, copied, after.len
                ),
            ));
        }
        if file.known_sha256.is_some_and(|known| known != sha256) {
            return Err(changed(file, "its contents differ from the first read"));
        }
        self.payload.push((path_in_bag, sha256));
        self.payload_bytes += copied;
        Ok(Packed {
            sha256,
            bytes: copied,
        })
    }

    fn add_tag(&mut self, name: &str, bytes: &[u8]) -> Result<(), PackageError> {
        self.start(name, true, bytes.len() as u64)?;
        std::io::Write::write_all(&mut self.zip, bytes).map_err(|e| self.write_error(e))?;
        if name != bagit::TAGMANIFEST_NAME {
            self.tags
                .push((name.to_owned(), Sha256::digest(bytes).into()));
        }
        Ok(())
    }

    /// The Payload-Oxum of what was added so far.
    pub fn oxum(&self) -> Oxum {
        Oxum {
            bytes: self.payload_bytes,
            files: self.payload.len() as u64,
        }
    }

    /// Writes the tag files, finishes the zip and moves it into place.
    pub fn finish(mut self, mut info: BagInfo) -> Result<Sealed, PackageError> {
        let oxum = self.oxum();
        info.push("Payload-Oxum", oxum.to_string());
        let manifest = bagit::manifest_text(&self.payload);
        let seal: [u8; 32] = Sha256::digest(manifest.as_bytes()).into();
        self.add_tag(bagit::BAG_INFO_NAME, info.text().as_bytes())?;
        self.add_tag(bagit::MANIFEST_NAME, manifest.as_bytes())?;
        let tagmanifest = bagit::manifest_text(&self.tags);
        self.add_tag(bagit::TAGMANIFEST_NAME, tagmanifest.as_bytes())?;
        let file = self.zip.finish().map_err(zip_error)?;
        let path = file.commit()?;
        Ok(Sealed { path, seal, oxum })
    }
}

fn changed(file: &SourceFile, what: &str) -> PackageError {
    PackageError::Changed {
        path: file.path.clone(),
        what: what.to_owned(),
    }
}

/// Size and modification time, compared before and after reading.
#[derive(Debug, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
}

impl Stamp {
    fn of(file: &File) -> std::io::Result<Stamp> {
        let metadata = file.metadata()?;
        Ok(Stamp {
            len: metadata.len(),
            modified: metadata.modified().ok(),
        })
    }
}

/// The zip's DOS time for the bundle time, in UTC (a zip records no zone).
fn zip_time(at: Timestamp) -> Result<zip::DateTime, PackageError> {
    let utc = at.to_zoned_datetime(jiff::tz::TimeZone::UTC);
    zip::DateTime::from_date_and_time(
        u16::try_from(utc.year()).map_err(|_| PackageError::TimeOutOfRange(at))?,
        utc.month() as u8,
        utc.day() as u8,
        utc.hour() as u8,
        utc.minute() as u8,
        utc.second() as u8,
    )
    .map_err(|_| PackageError::TimeOutOfRange(at))
}
