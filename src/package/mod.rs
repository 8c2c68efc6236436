//! Packaging: writes the sealed bundle, a zip that is a BagIt 1.0 bag.
//!
//! Every evidence file is read exactly once: each chunk is hashed and written into the
//! zip in the same pass, so memory stays flat however large the videos are. Entries go
//! in a fixed order with fixed times and permissions, so the same inputs and the same
//! bundle time give a byte-identical zip. Media that is already compressed is stored;
//! text is deflated. Nothing here modifies a source file: they are opened read-only, and
//! a file that changes while it is read fails the build instead of sealing a torn copy.

mod pump;
pub mod timestamp;

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::formats::bagit::{self, BagInfo, Oxum};
use crate::formats::inflation::InflationGuard;
use crate::intake::SourceFile;
use crate::layout::{self, Compression, Document};
use crate::output::{self, AtomicFile, Existing, OutputError};
use crate::progress::Progress;

/// Why a bundle could not be written. Nothing is left at the output path in any case.
#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    #[error("no trusted timestamp, and --require-timestamp asks for one; nothing was written: {0}")]
    Timestamp(String),
    #[error("{} already exists; pass --force to replace it, or -o to write elsewhere", .0.display())]
    Exists(PathBuf),
    #[error("disk full while writing {} (the bundle needs about {} MB free there); free some space, or write it elsewhere with -o", path.display(), needed.div_ceil(1_000_000))]
    DiskFull { path: PathBuf, needed: u64 },
    #[error("{} is inside the case folder {}; a bundle is written outside the evidence it seals (use -o to put it elsewhere, e.g. -o ..)", target.display(), case.display())]
    InsideCase { target: PathBuf, case: PathBuf },
    #[error("{} exists and is not a claimpack bundle; --force replaces only an earlier bundle, so choose another name with -o", .0.display())]
    NotABundle(PathBuf),
    #[error("{}: no such folder; create it first, or give -o a folder that exists", .0.display())]
    NoFolder(PathBuf),
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
    #[error("{}: the file disappeared while the bundle was being made; put it back, or leave it out on purpose, and build again", .0.display())]
    Vanished(PathBuf),
    #[error("the bundle time {0} is before 1980, which a zip cannot record")]
    TimeOutOfRange(Timestamp),
    #[error("writing the zip failed")]
    Zip(#[source] zip::result::ZipError),
    #[error("interrupted; no bundle was written")]
    Interrupted,
    #[error(transparent)]
    Output(OutputError),
    #[error("{}: exists and is not claimpack's notes for this bundle; move it, or write the bundle elsewhere with -o", .0.display())]
    NotOurNotes(PathBuf),
}

impl From<OutputError> for PackageError {
    fn from(error: OutputError) -> Self {
        match error {
            OutputError::Exists(path) => PackageError::Exists(path),
            OutputError::DiskFull { path, needed } => PackageError::DiskFull { path, needed },
            OutputError::Write { path, source } => PackageError::Write { path, source },
            OutputError::Interrupted => PackageError::Interrupted,
            OutputError::NoFolder(path) => PackageError::NoFolder(path),
            other @ OutputError::NotWritable { .. } => PackageError::Output(other),
        }
    }
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
    /// The verifier's rule on inflation, applied to every deflated entry.
    guard: InflationGuard,
    /// Bytes written to the file when the current entry's data began.
    entry_start: u64,
}

impl BagWriter {
    /// Starts a bundle at `target`, whose bag folder inside the zip is `root`.
    pub fn create(
        target: &Path,
        root: &str,
        created_at: Timestamp,
        existing: Existing,
    ) -> Result<Self, PackageError> {
        let file = AtomicFile::create(target, existing)?;
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
            guard: InflationGuard::default(),
            entry_start: 0,
        };
        // First entry: whoever lists the zip sees at once that it is a bag.
        writer.add_tag(bagit::BAGIT_TXT_NAME, bagit::BAGIT_TXT.as_bytes())?;
        Ok(writer)
    }

    fn start(
        &mut self,
        name: &str,
        compression: Compression,
        size: u64,
    ) -> Result<(), PackageError> {
        let method = match compression {
            Compression::Deflate => CompressionMethod::Deflated,
            Compression::Store => CompressionMethod::Stored,
        };
        let options = self
            .options
            .compression_method(method)
            .large_file(size >= u32::MAX as u64);
        self.zip
            .start_file(format!("{}/{}", self.root, name), options)
            .map_err(|e| self.zip_error(e))?;
        self.entry_start = self.written();
        Ok(())
    }

    fn written(&self) -> u64 {
        self.zip.get_ref().map_or(0, AtomicFile::written)
    }

    /// After the last byte of a deflated entry: whether verify will accept it as
    /// deflated. The bytes written so far are at most its final compressed size
    /// (the compressor may hold a tail), so this errs towards storing, which verify
    /// always accepts.
    fn deflated_entry_passes(&mut self, uncompressed: u64) -> bool {
        let compressed_so_far = self.written() - self.entry_start;
        self.guard.admit(compressed_so_far, uncompressed).is_ok()
    }

    /// Drops the entry being written, so it can be written again stored.
    fn abort_entry(&mut self) -> Result<(), PackageError> {
        self.zip.abort_file().map_err(|e| self.zip_error(e))
    }

    fn target(&self) -> PathBuf {
        self.zip
            .get_ref()
            .map(|f| f.target().to_owned())
            .unwrap_or_default()
    }

    /// Tells the output how large the bundle will be, for a "disk full" message.
    pub fn expect_bytes(&mut self, bytes: u64) {
        if let Some(file) = self.zip.get_ref() {
            file.expect(bytes);
        }
    }

    fn write_error(&self, source: std::io::Error) -> PackageError {
        let needed = self.zip.get_ref().map(AtomicFile::needed);
        output::write_failure(self.target(), source, needed).into()
    }

    fn zip_error(&self, error: zip::result::ZipError) -> PackageError {
        match error {
            zip::result::ZipError::Io(source) => self.write_error(source),
            other => PackageError::Zip(other),
        }
    }

    /// Writes bytes held in memory as one entry: deflated when asked and verify
    /// would accept it, stored otherwise.
    fn write_bytes(
        &mut self,
        name: &str,
        bytes: &[u8],
        compression: Compression,
    ) -> Result<(), PackageError> {
        self.start(name, compression, bytes.len() as u64)?;
        std::io::Write::write_all(&mut self.zip, bytes).map_err(|e| self.write_error(e))?;
        if compression == Compression::Deflate && !self.deflated_entry_passes(bytes.len() as u64) {
            self.abort_entry()?;
            self.start(name, Compression::Store, bytes.len() as u64)?;
            std::io::Write::write_all(&mut self.zip, bytes).map_err(|e| self.write_error(e))?;
        }
        Ok(())
    }

    /// Adds rendered documents to the payload, in the order given.
    pub fn add_documents(&mut self, documents: &[Document]) -> Result<(), PackageError> {
        for document in documents {
            self.add_payload(&document.path, &document.bytes, document.compression)?;
        }
        Ok(())
    }

    /// Adds a payload file (`data/...`) that was written to a temporary file because
    /// it may be too large to hold in memory (the report of a large case), read from
    /// its start and deflated when asked, like [`BagWriter::add_payload`].
    pub fn add_payload_file(
        &mut self,
        path: &str,
        file: &mut std::fs::File,
        compression: Compression,
    ) -> Result<[u8; 32], PackageError> {
        use std::io::{Seek, SeekFrom};
        let read_error = |source| PackageError::Read {
            path: PathBuf::from(path),
            source,
        };
        let len = file.seek(SeekFrom::End(0)).map_err(read_error)?;
        let mut digest = self.copy_entry(path, file, len, compression)?;
        if compression == Compression::Deflate && !self.deflated_entry_passes(len) {
            self.abort_entry()?;
            digest = self.copy_entry(path, file, len, Compression::Store)?;
        }
        self.payload.push((path.to_owned(), digest));
        self.payload_bytes += len;
        Ok(digest)
    }

    /// Writes `len` bytes of `file`, from its start, as one entry; returns their hash.
    fn copy_entry(
        &mut self,
        name: &str,
        file: &mut std::fs::File,
        len: u64,
        compression: Compression,
    ) -> Result<[u8; 32], PackageError> {
        use std::io::{Read, Seek, SeekFrom};
        let read_error = |source| PackageError::Read {
            path: PathBuf::from(name),
            source,
        };
        file.seek(SeekFrom::Start(0)).map_err(read_error)?;
        self.start(name, compression, len)?;
        let mut hasher = Sha256::new();
        let mut buffer = vec![0u8; 1 << 20];
        let mut left = len;
        while left > 0 {
            let want = buffer
                .len()
                .min(usize::try_from(left).unwrap_or(usize::MAX));
            file.read_exact(&mut buffer[..want]).map_err(read_error)?;
            hasher.update(&buffer[..want]);
            std::io::Write::write_all(&mut self.zip, &buffer[..want])
                .map_err(|e| self.write_error(e))?;
            left -= want as u64;
        }
        Ok(hasher.finalize().into())
    }

    /// Adds an in-memory payload file (`data/...`), deflated when asked.
    pub fn add_payload(
        &mut self,
        path: &str,
        bytes: &[u8],
        compression: Compression,
    ) -> Result<[u8; 32], PackageError> {
        self.write_bytes(path, bytes, compression)?;
        let digest: [u8; 32] = Sha256::digest(bytes).into();
        self.payload.push((path.to_owned(), digest));
        self.payload_bytes += bytes.len() as u64;
        Ok(digest)
    }

    /// Streams every evidence file into `data/evidence/`, hashing as it goes; returns
    /// each file's digest in the order given.
    pub fn add_evidence(
        &mut self,
        files: &[&SourceFile],
        progress: &Progress,
    ) -> Result<Vec<Packed>, PackageError> {
        let jobs: Vec<pump::Job> = files
            .iter()
            .map(|f| pump::Job {
                path: &f.path,
                len: f.bytes,
                modified: f.modified,
            })
            .collect();
        let mut packed = Vec::with_capacity(files.len());
        let result = pump::stream(&jobs, |event| match event {
            pump::Event::Begin(index) => {
                let file = files[index];
                let path = layout::evidence_path(&file.bag_name);
                self.start(&path, compression_of(file), file.bytes)
            }
            pump::Event::Data(bytes) => {
                progress.advance(bytes.len() as u64);
                std::io::Write::write_all(&mut self.zip, bytes).map_err(|e| self.write_error(e))
            }
            pump::Event::End(index, sealed) => {
                let file = files[index];
                if file
                    .known_sha256
                    .is_some_and(|known| known != sealed.sha256)
                {
                    return Err(changed(file, "its contents differ from the first read"));
                }
                if compression_of(file) == Compression::Deflate
                    && !self.deflated_entry_passes(sealed.bytes)
                {
                    self.store_instead(file, sealed.sha256)?;
                }
                self.payload
                    .push((layout::evidence_path(&file.bag_name), sealed.sha256));
                self.payload_bytes += sealed.bytes;
                packed.push(Packed {
                    sha256: sealed.sha256,
                    bytes: sealed.bytes,
                });
                Ok(())
            }
        });
        match result {
            Ok(()) => Ok(packed),
            Err(pump::Failure::Sink(error)) => Err(error),
            Err(pump::Failure::Interrupted) => Err(PackageError::Interrupted),
            // guards: a file deleted mid-build gave "cannot read: No such file".
            Err(pump::Failure::Source(index, pump::SourceError::Read(source)))
                if source.kind() == std::io::ErrorKind::NotFound =>
            {
                Err(PackageError::Vanished(files[index].path.clone()))
            }
            Err(pump::Failure::Source(index, pump::SourceError::Read(source))) => {
                Err(PackageError::Read {
                    path: files[index].path.clone(),
                    source,
                })
            }
            Err(pump::Failure::Source(index, pump::SourceError::Changed(what))) => {
                Err(changed(files[index], &what))
            }
        }
    }

    /// Rewrites the evidence entry just deflated as stored, from a second read of
    /// the file, which must give the same bytes as the first. Only files that deflate
    /// far beyond what evidence does (a white screenshot saved as BMP) come here.
    fn store_instead(&mut self, file: &SourceFile, sha256: [u8; 32]) -> Result<(), PackageError> {
        use std::io::Read;
        self.abort_entry()?;
        self.start(
            &layout::evidence_path(&file.bag_name),
            Compression::Store,
            file.bytes,
        )?;
        let read_error = |source| PackageError::Read {
            path: file.path.clone(),
            source,
        };
        let mut source = std::fs::File::open(&file.path).map_err(read_error)?;
        let mut hasher = Sha256::new();
        let mut buffer = vec![0u8; 1 << 20];
        let mut copied = 0u64;
        loop {
            if crate::interrupt::requested() {
                return Err(PackageError::Interrupted);
            }
            let n = match source.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(read_error(e)),
            };
            hasher.update(&buffer[..n]);
            copied += n as u64;
            std::io::Write::write_all(&mut self.zip, &buffer[..n])
                .map_err(|e| self.write_error(e))?;
        }
        if copied != file.bytes || <[u8; 32]>::from(hasher.finalize()) != sha256 {
            return Err(changed(file, "its contents differ between two reads"));
        }
        Ok(())
    }

    fn add_tag(&mut self, name: &str, bytes: &[u8]) -> Result<(), PackageError> {
        self.write_bytes(name, bytes, Compression::Deflate)?;
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
    pub fn finish(self, info: BagInfo) -> Result<Sealed, PackageError> {
        self.finish_with(info, |_| Ok(Vec::new()))
    }

    /// Like [`finish`](Self::finish), with more tag files made from the payload
    /// manifest (trusted timestamps over it); they are listed in the tag manifest.
    pub fn finish_with(
        mut self,
        mut info: BagInfo,
        extra_tags: impl FnOnce(&[u8]) -> Result<Vec<(String, Vec<u8>)>, PackageError>,
    ) -> Result<Sealed, PackageError> {
        let oxum = self.oxum();
        info.push("Payload-Oxum", oxum.to_string());
        let manifest = bagit::manifest_text(&self.payload);
        let seal: [u8; 32] = Sha256::digest(manifest.as_bytes()).into();
        self.add_tag(bagit::BAG_INFO_NAME, info.text().as_bytes())?;
        self.add_tag(bagit::MANIFEST_NAME, manifest.as_bytes())?;
        for (name, bytes) in extra_tags(manifest.as_bytes())? {
            self.add_tag(&name, &bytes)?;
        }
        let tagmanifest = bagit::manifest_text(&self.tags);
        self.add_tag(bagit::TAGMANIFEST_NAME, tagmanifest.as_bytes())?;
        let target = self.target();
        let needed = self.zip.get_ref().map(AtomicFile::needed);
        let file = self.zip.finish().map_err(|e| match e {
            zip::result::ZipError::Io(source) => {
                output::write_failure(target, source, needed).into()
            }
            other => PackageError::Zip(other),
        })?;
        let path = file.commit()?;
        Ok(Sealed { path, seal, oxum })
    }
}

/// Text evidence is deflated; media, already compressed, is stored.
fn compression_of(file: &SourceFile) -> Compression {
    if file.sniffed.compressible() {
        Compression::Deflate
    } else {
        Compression::Store
    }
}

fn changed(file: &SourceFile, what: &str) -> PackageError {
    PackageError::Changed {
        path: file.path.clone(),
        what: what.to_owned(),
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
