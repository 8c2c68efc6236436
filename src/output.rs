//! An output file that appears complete or not at all.
//!
//! Bytes go to a hidden temporary file beside the target (same folder, so the final
//! rename is atomic), named `.claimpack-….partial` and locked while it is written;
//! only after everything is written and synced to disk is it renamed into place. If
//! anything fails, or the process is interrupted, the temporary file is removed when
//! this value is dropped (or by the Ctrl-C handler, on a second Ctrl-C) and the target
//! is untouched; one left by a killed process is removed by the next build writing to
//! the same folder ([`remove_stale_partials`]), which can tell it is not in use
//! because nobody holds its lock. An existing target is replaced only when the caller
//! says [`Existing::Replace`] (the commands' `--force`). Files get the permissions the umask gives, as with any Unix tool.
//!
//! After a failed write (a full disk) the file stops writing and swallows the rest:
//! the zip writer, dropped with the error, would otherwise try to finish the archive
//! and print its own complaint after ours.
//!
//! Syncing a gigabyte at the end would stall the build for as long as the disk takes,
//! so a background thread asks the kernel to write back what has been written so far
//! every few dozen megabytes; the final sync then has only the tail left to do.

use std::cell::Cell;
use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, SyncSender};
use std::thread::JoinHandle;

use tempfile::NamedTempFile;

use crate::interrupt;

/// What to do when the target already exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Fail, even if the file appeared while the output was being written.
    Refuse,
    /// Replace it (the commands' `--force`).
    Replace,
}

/// Why an output could not be written; nothing is left at its path.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{} already exists", .0.display())]
    Exists(PathBuf),
    #[error("disk full while writing {}", path.display())]
    DiskFull { path: PathBuf, needed: u64 },
    #[error("{}: cannot write", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("interrupted; nothing was written")]
    Interrupted,
    #[error("{}: no such folder; create it first, or give -o a folder that exists", .0.display())]
    NoFolder(PathBuf),
    #[error("{}: cannot write into this folder ({why}); give -o a folder you can write to", folder.display())]
    NotWritable { folder: PathBuf, why: &'static str },
}

/// Why the temporary output could not be made in `folder`, as the user should see it:
/// a read-only disk or a folder without permission is named as such, not as an OS
/// error on a hidden temporary file name.
fn cannot_start(folder: &Path, source: io::Error) -> OutputError {
    // guards: a read-only output folder printed "cannot write / caused by: Read-only
    // file system (os error 30) at path …/.claimpack-FgL99x.partial".
    let why = match source.kind() {
        io::ErrorKind::ReadOnlyFilesystem => Some("the disk is read-only"),
        io::ErrorKind::PermissionDenied => Some("you have no permission to write there"),
        _ => None,
    };
    match why {
        Some(why) => OutputError::NotWritable {
            folder: folder.to_owned(),
            why,
        },
        None => OutputError::Write {
            path: folder.to_owned(),
            source,
        },
    }
}

/// Bytes written between background write-back requests.
const WRITEBACK_EVERY: u64 = 8 << 20;
/// How temporary outputs are named: `.claimpack-XXXXXX.partial`.
const PARTIAL_PREFIX: &str = ".claimpack-";
const PARTIAL_SUFFIX: &str = ".partial";

/// Where an output is being written.
pub struct AtomicFile {
    target: PathBuf,
    existing: Existing,
    temp: BufWriter<NamedTempFile>,
    unsynced: u64,
    flusher: Option<Flusher>,
    /// Bytes accepted by `write`, ever (a seek does not take them back).
    written: u64,
    /// Where the next byte goes, and the file's length, as seen through this value.
    position: u64,
    len: u64,
    /// Set by the first failed write or seek; everything after is discarded.
    failed: bool,
    /// How large the whole output is expected to be.
    expected: Cell<u64>,
    /// Dropped after `temp` (fields drop in order), which removes the file.
    _registered: interrupt::Registered,
}

/// Creates a temporary file for `target` in its folder: umask permissions, the
/// recognisable name, locked, and known to the Ctrl-C handler.
fn partial_for(folder: &Path) -> io::Result<(NamedTempFile, interrupt::Registered)> {
    #[cfg(unix)]
    let permissions = {
        use std::os::unix::fs::PermissionsExt;
        // Given to open(2), which applies the umask: 0666 & !022 = 0644.
        std::fs::Permissions::from_mode(0o666)
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(PARTIAL_PREFIX).suffix(PARTIAL_SUFFIX);
    #[cfg(unix)]
    builder.permissions(permissions);
    let temp = builder.tempfile_in(folder)?;
    // Held until the file is closed: a later build sees the lock and leaves the
    // file alone. Where locks are not supported the age rule still protects it.
    let _ = temp.as_file().lock();
    let registered = interrupt::register_partial(temp.path());
    Ok((temp, registered))
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
    /// Starts writing `target`; fails at once if it exists and may not be replaced.
    pub fn create(target: &Path, existing: Existing) -> Result<Self, OutputError> {
        refuse_existing(target, existing)?;
        let folder = folder_of(target);
        let (temp, registered) = partial_for(folder).map_err(|e| cannot_start(folder, e))?;
        let flusher = temp.as_file().try_clone().ok().and_then(Flusher::start);
        Ok(AtomicFile {
            target: target.to_owned(),
            existing,
            // Large buffer: fewer syscalls when streaming gigabytes of video.
            temp: BufWriter::with_capacity(1 << 20, temp),
            unsynced: 0,
            flusher,
            written: 0,
            position: 0,
            len: 0,
            failed: false,
            expected: Cell::new(0),
            _registered: registered,
        })
    }

    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Bytes written so far (what a compressed entry has produced, when sampled
    /// before and after it).
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Records how large the whole output will be.
    pub fn expect(&self, bytes: u64) {
        self.expected.set(bytes);
    }

    /// Bytes the output needs in all, for "disk full".
    pub fn needed(&self) -> u64 {
        self.expected.get().max(self.len)
    }

    /// Flushes, syncs and renames into place, unless Ctrl-C came first.
    pub fn commit(mut self) -> Result<PathBuf, OutputError> {
        drop(self.flusher.take());
        let needed = self.needed();
        let target = self.target.clone();
        let write_error = |source| write_failure(target.clone(), source, Some(needed));
        if self.failed {
            return Err(write_error(io::Error::other("an earlier write failed")));
        }
        let temp = self
            .temp
            .into_inner()
            .map_err(|e| write_error(e.into_error()))?;
        temp.as_file().sync_all().map_err(write_error)?;
        let temp_path = temp.path().to_owned();
        let replace = self.existing == Existing::Replace;
        let persisted = interrupt::commit(&temp_path, || {
            let persisted = if replace {
                temp.persist(&target).map_err(|e| e.error)
            } else {
                // Refuses to replace a file that appeared while we were writing.
                temp.persist_noclobber(&target).map_err(|e| e.error)
            };
            // A failed rename hands the file back in the error, which removes it
            // when dropped; a successful one leaves nothing to remove.
            persisted.map(drop)
        });
        match persisted {
            None => return Err(OutputError::Interrupted),
            Some(Ok(())) => {}
            Some(Err(e)) if e.kind() == io::ErrorKind::AlreadyExists => {
                return Err(OutputError::Exists(self.target.clone()));
            }
            Some(Err(source)) => return Err(write_error(source)),
        }
        sync_folder(&self.target);
        Ok(self.target)
    }
}

impl AtomicFile {
    fn advance(&mut self, bytes: usize) {
        self.written += bytes as u64;
        self.position += bytes as u64;
        self.len = self.len.max(self.position);
        if self.failed {
            return;
        }
        self.unsynced += bytes as u64;
        if self.unsynced >= WRITEBACK_EVERY {
            self.unsynced = 0;
            if let Some(flusher) = &self.flusher {
                flusher.request();
            }
        }
    }

    fn fail(&mut self, error: io::Error) -> io::Error {
        self.failed = true;
        error
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.failed {
            self.advance(buf.len());
            return Ok(buf.len());
        }
        let n = self.temp.write(buf).map_err(|e| self.fail(e))?;
        self.advance(n);
        Ok(n)
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        if !self.failed {
            self.temp.write_all(buf).map_err(|e| self.fail(e))?;
        }
        self.advance(buf.len());
        Ok(())
    }
    fn flush(&mut self) -> io::Result<()> {
        if self.failed {
            return Ok(());
        }
        self.temp.flush().map_err(|e| self.fail(e))
    }
}

impl Seek for AtomicFile {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        if !self.failed {
            match self.temp.seek(pos) {
                Ok(at) => {
                    self.position = at;
                    return Ok(at);
                }
                Err(e) => return Err(self.fail(e)),
            }
        }
        // Failed: keep answering consistently, so the zip writer ends quietly.
        let at = match pos {
            SeekFrom::Start(n) => Some(n),
            SeekFrom::End(d) => self.len.checked_add_signed(d),
            SeekFrom::Current(d) => self.position.checked_add_signed(d),
        };
        let at = at.ok_or_else(|| io::Error::from(io::ErrorKind::InvalidInput))?;
        self.position = at;
        Ok(at)
    }
}

/// A write error as the user should see it: "disk full … needs about N MB" when
/// the disk or quota is full.
pub fn write_failure(path: PathBuf, source: io::Error, needed: Option<u64>) -> OutputError {
    let full = matches!(
        source.kind(),
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded
    );
    match needed {
        Some(needed) if full => OutputError::DiskFull { path, needed },
        _ => OutputError::Write { path, source },
    }
}

/// The folder a path is in, `.` for a bare name.
pub fn folder_of(target: &Path) -> &Path {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// A temporary output that a killed build left behind.
#[derive(Debug, Clone)]
pub struct Stale {
    pub path: PathBuf,
    pub bytes: u64,
}

/// Removes `.claimpack-….partial` files in `folder` that no running claimpack is
/// writing: older than this process, and nobody holds their lock. Returns what went.
pub fn remove_stale_partials(folder: &Path) -> Vec<Stale> {
    let started = interrupt::started_at();
    let mut removed = Vec::new();
    let Ok(entries) = std::fs::read_dir(folder) else {
        return removed;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !(name.starts_with(PARTIAL_PREFIX) && name.ends_with(PARTIAL_SUFFIX)) {
            continue;
        }
        // "./.claimpack-x.partial" reads oddly in a message.
        let path = if folder == Path::new(".") {
            PathBuf::from(name)
        } else {
            entry.path()
        };
        let Ok(metadata) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        let old = metadata.modified().is_ok_and(|modified| modified < started);
        if !old {
            continue;
        }
        // A kit's folder, left by a killed `claimpack kit`; one being written holds
        // the lock on the file inside it.
        if metadata.is_dir() {
            let busy = File::open(path.join(DIR_LOCK)).is_ok_and(|f| f.try_lock().is_err());
            if !busy && std::fs::remove_dir_all(&path).is_ok() {
                removed.push(Stale { path, bytes: 0 });
            }
            continue;
        }
        if !metadata.is_file() {
            continue;
        }
        let Ok(file) = File::open(&path) else {
            continue;
        };
        if file.try_lock().is_err() {
            continue; // another build is writing it
        }
        if std::fs::remove_file(&path).is_ok() {
            removed.push(Stale {
                path,
                bytes: metadata.len(),
            });
        }
    }
    removed
}

/// Fails when `target` exists and replacing it was not asked for.
pub fn refuse_existing(target: &Path, existing: Existing) -> Result<(), OutputError> {
    let folder = folder_of(target);
    if !folder.is_dir() {
        return Err(OutputError::NoFolder(folder.to_owned()));
    }
    if existing == Existing::Refuse && target.symlink_metadata().is_ok() {
        return Err(OutputError::Exists(target.to_owned()));
    }
    Ok(())
}

/// An output folder that appears complete or not at all: files are written into a
/// hidden `.claimpack-….partial` folder beside the target, which is renamed into
/// place at the end. Dropped before [`commit`](AtomicDir::commit), it is removed.
pub struct AtomicDir {
    target: PathBuf,
    existing: Existing,
    /// Locked while the folder is written, so a later build's clean-up leaves it be.
    lock: Option<File>,
    temp: tempfile::TempDir,
    _registered: interrupt::Registered,
}

/// The lock file inside a folder being written; removed before the folder is renamed.
const DIR_LOCK: &str = ".claimpack.lock";

impl AtomicDir {
    /// Starts the folder `target`; fails at once if it exists and may not be replaced.
    pub fn create(target: &Path, existing: Existing) -> Result<Self, OutputError> {
        refuse_existing(target, existing)?;
        let folder = folder_of(target);
        let temp = tempfile::Builder::new()
            .prefix(PARTIAL_PREFIX)
            .suffix(PARTIAL_SUFFIX)
            .tempdir_in(folder)
            .map_err(|e| cannot_start(folder, e))?;
        let registered = interrupt::register_partial(temp.path());
        let lock = File::create(temp.path().join(DIR_LOCK)).ok();
        if let Some(lock) = &lock {
            let _ = lock.lock();
        }
        Ok(AtomicDir {
            target: target.to_owned(),
            existing,
            lock,
            temp,
            _registered: registered,
        })
    }

    /// Where the files go while they are written.
    pub fn path(&self) -> &Path {
        self.temp.path()
    }

    /// Syncs every file written and moves the folder into place. An earlier folder
    /// is replaced only with [`Existing::Replace`], and is removed only after the new
    /// one is in place.
    pub fn commit(mut self) -> Result<PathBuf, OutputError> {
        let write_error = |path: &Path| {
            let path = path.to_owned();
            move |source| OutputError::Write { path, source }
        };
        // The lock is not part of the output. Between here and the rename the folder
        // is unlocked but younger than any process that could remove it.
        drop(self.lock.take());
        let _ = std::fs::remove_file(self.temp.path().join(DIR_LOCK));
        for entry in std::fs::read_dir(self.temp.path()).map_err(write_error(self.temp.path()))? {
            let path = entry.map_err(write_error(self.temp.path()))?.path();
            File::open(&path)
                .and_then(|f| f.sync_all())
                .map_err(write_error(&path))?;
        }
        let partial = self.temp.path().to_owned();
        let target = self.target.clone();
        let moved = interrupt::commit(&partial, || -> Result<(), OutputError> {
            let old = match target.symlink_metadata() {
                Err(_) => None,
                Ok(_) if self.existing == Existing::Refuse => {
                    return Err(OutputError::Exists(target.clone()));
                }
                Ok(_) => {
                    // Out of the way first: a folder cannot be renamed over another.
                    let aside = partial.with_extension("old");
                    std::fs::rename(&target, &aside).map_err(write_error(&target))?;
                    Some(aside)
                }
            };
            std::fs::rename(&partial, &target).map_err(write_error(&target))?;
            if let Some(old) = old {
                let _ = std::fs::remove_dir_all(old);
            }
            Ok(())
        });
        match moved {
            None => Err(OutputError::Interrupted),
            Some(Err(error)) => Err(error),
            Some(Ok(())) => {
                // Renamed away: the temporary folder's destructor has nothing to remove.
                let _ = self.temp.keep();
                sync_folder(&self.target);
                Ok(self.target)
            }
        }
    }
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

/// Copies `reader` into `path` completely or not at all, like [`write_whole`] but
/// streamed, for files too large to hold in memory. `finish` runs on the written
/// file just before it is renamed into place (to give it the source's times).
/// Never replaces an existing file. Returns the bytes copied.
pub fn copy_whole(
    reader: &mut dyn Read,
    path: &Path,
    finish: impl FnOnce(&File) -> io::Result<()>,
) -> io::Result<u64> {
    let (mut temp, _registered) = partial_for(folder_of(path))?;
    let mut buffer = vec![0u8; 1 << 20];
    let mut copied = 0u64;
    loop {
        if interrupt::requested() {
            return Err(io::Error::from(io::ErrorKind::Interrupted));
        }
        let n = match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        temp.write_all(&buffer[..n])?;
        copied += n as u64;
    }
    temp.as_file().sync_all()?;
    finish(temp.as_file())?;
    let temp_path = temp.path().to_owned();
    let persisted = interrupt::commit(&temp_path, || {
        temp.persist_noclobber(path).map(drop).map_err(|e| e.error)
    });
    persisted.unwrap_or_else(|| Err(io::Error::from(io::ErrorKind::Interrupted)))?;
    Ok(copied)
}

/// Writes a small file completely or not at all (a temporary file beside it, synced,
/// then renamed). An existing file is replaced only with [`Existing::Replace`];
/// otherwise the call fails with `AlreadyExists`, even if the file appeared meanwhile.
pub fn write_whole(path: &Path, bytes: &[u8], existing: Existing) -> std::io::Result<()> {
    let (mut temp, _registered) = partial_for(folder_of(path))?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    let temp_path = temp.path().to_owned();
    let persisted = interrupt::commit(&temp_path, || {
        if existing == Existing::Replace {
            temp.persist(path).map(drop).map_err(|e| e.error)
        } else {
            temp.persist_noclobber(path).map(drop).map_err(|e| e.error)
        }
    });
    persisted.unwrap_or_else(|| Err(io::Error::from(io::ErrorKind::Interrupted)))
}
