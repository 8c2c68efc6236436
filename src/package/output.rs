//! An output file that appears complete or not at all.
//!
//! Bytes go to a hidden temporary file beside the target (same folder, so the final
//! rename is atomic); only after everything is written and synced to disk is it
//! renamed into place. If anything fails, or the process is interrupted, the
//! temporary file is removed when this value is dropped and the target is untouched.
//! An existing target is replaced only when the caller says `force`.
//!
//! Syncing a gigabyte at the end would stall the build for as long as the disk takes,
//! so a background thread asks the kernel to write back what has been written so far
//! every few dozen megabytes; the final sync then has only the tail left to do.

use std::fs::File;
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, SyncSender};
use std::thread::JoinHandle;

use tempfile::NamedTempFile;

use super::PackageError;

/// Bytes written between background write-back requests.
const WRITEBACK_EVERY: u64 = 8 << 20;

/// Where an output is being written.
pub struct AtomicFile {
    target: PathBuf,
    force: bool,
    temp: BufWriter<NamedTempFile>,
    unsynced: u64,
    flusher: Option<Flusher>,
}

/// A thread that runs `fdatasync` on request, so disk writes overlap the build.
/// Dropping it ends the thread and waits for it.
struct Flusher {
    requests: Option<SyncSender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Flusher {
    fn start(file: File) -> Option<Flusher> {
        // One pending request at most: when the disk is behind, requests merge.
        let (requests, pending) = mpsc::sync_channel::<()>(1);
        let thread = std::thread::Builder::new()
            .name("writeback".to_owned())
            .spawn(move || {
                while pending.recv().is_ok() {
                    // A failure here shows again, and is reported, at the final sync.
                    let _ = file.sync_data();
                }
            })
            .ok()?;
        Some(Flusher {
            requests: Some(requests),
            thread: Some(thread),
        })
    }

    fn request(&self) {
        if let Some(requests) = &self.requests {
            // Busy flusher: this request merges with the one it is serving.
            let _ = requests.try_send(());
        }
    }
}

impl Drop for Flusher {
    fn drop(&mut self) {
        drop(self.requests.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
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
        let flusher = temp.as_file().try_clone().ok().and_then(Flusher::start);
        Ok(AtomicFile {
            target: target.to_owned(),
            force,
            // Large buffer: fewer syscalls when streaming gigabytes of video.
            temp: BufWriter::with_capacity(1 << 20, temp),
            unsynced: 0,
            flusher,
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
    pub fn commit(mut self) -> Result<PathBuf, PackageError> {
        drop(self.flusher.take());
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

impl AtomicFile {
    fn written(&mut self, bytes: usize) {
        self.unsynced += bytes as u64;
        if self.unsynced >= WRITEBACK_EVERY {
            self.unsynced = 0;
            if let Some(flusher) = &self.flusher {
                flusher.request();
            }
        }
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.temp.write(buf)?;
        self.written(n);
        Ok(n)
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.temp.write_all(buf)?;
        self.written(buf.len());
        Ok(())
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

/// Writes a small file completely or not at all (a temporary file beside it, synced,
/// then renamed). An existing file is replaced only when `replace` is set; otherwise
/// the call fails with `AlreadyExists`, even if the file appeared meanwhile.
pub fn write_whole(path: &Path, bytes: &[u8], replace: bool) -> std::io::Result<()> {
    use std::io::Write;
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".claimpack-")
        .suffix(".partial")
        .tempfile_in(folder)?;
    temp.write_all(bytes)?;
    // Temporary files are private (0600); the file is an ordinary one, so it gets the
    // usual read permissions.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        temp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    temp.as_file().sync_all()?;
    if replace {
        temp.persist(path).map_err(|e| e.error)?;
    } else {
        temp.persist_noclobber(path).map_err(|e| e.error)?;
    }
    Ok(())
}
