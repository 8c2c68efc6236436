//! An output file that appears complete or not at all.
//!
//! Bytes go to a hidden temporary file beside the target (same folder, so the final
//! rename is atomic); only after everything is written and synced to disk is it
//! renamed into place. If anything fails, or the process is interrupted, the
//! temporary file is removed when this value is dropped and the target is untouched.
//! An existing target is replaced only when the caller says `force`.

use std::fs::File;
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use super::PackageError;

/// Where an output is being written.
pub struct AtomicFile {
    target: PathBuf,
    force: bool,
    temp: BufWriter<NamedTempFile>,
}

impl AtomicFile {
    /// Starts writing `target`; fails at once if it exists and `force` is false.
    pub fn create(target: &Path, force: bool) -> Result<Self, PackageError> {
        refuse_existing(target, force)?;
        let folder = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let temp = tempfile::Builder::new()
            .prefix(".claimpack-")
            .suffix(".partial")
            .tempfile_in(folder)
            .map_err(|source| PackageError::Write {
                path: folder.to_owned(),
                source,
            })?;
        Ok(AtomicFile {
            target: target.to_owned(),
            force,
            // Large buffer: fewer syscalls when streaming gigabytes of video.
            temp: BufWriter::with_capacity(1 << 20, temp),
        })
    }

    pub fn target(&self) -> &Path {
        &self.target
    }

    /// The temporary file's path, so intake can leave it out of the evidence.
    pub fn temp_path(&self) -> &Path {
        self.temp.get_ref().path()
    }

    /// Flushes, syncs and renames into place.
    pub fn commit(self) -> Result<PathBuf, PackageError> {
        let write_error = |source| PackageError::Write {
            path: self.target.clone(),
            source,
        };
        let temp = self
            .temp
            .into_inner()
            .map_err(|e| write_error(e.into_error()))?;
        temp.as_file().sync_all().map_err(write_error)?;
        let persisted = if self.force {
            temp.persist(&self.target).map_err(|e| e.error)
        } else {
            // Refuses to replace a file that appeared while we were writing.
            temp.persist_noclobber(&self.target).map_err(|e| e.error)
        };
        match persisted {
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                return Err(PackageError::Exists(self.target.clone()));
            }
            Err(source) => return Err(write_error(source)),
        }
        sync_folder(&self.target);
        Ok(self.target)
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.temp.write(buf)
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.temp.write_all(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.temp.flush()
    }
}

impl Seek for AtomicFile {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.temp.seek(pos)
    }
}

/// Fails when `target` exists and replacing it was not asked for.
pub fn refuse_existing(target: &Path, force: bool) -> Result<(), PackageError> {
    if !force && target.symlink_metadata().is_ok() {
        return Err(PackageError::Exists(target.to_owned()));
    }
    Ok(())
}

/// Makes the rename itself durable; a failure here loses nothing, so it is ignored.
fn sync_folder(target: &Path) {
    if let Some(folder) = target.parent() {
        let folder = if folder.as_os_str().is_empty() {
            Path::new(".")
        } else {
            folder
        };
        if let Ok(dir) = File::open(folder) {
            let _ = dir.sync_all();
        }
    }
}
