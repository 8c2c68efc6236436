//! Ctrl-C as a flag that long loops poll, so that they stop between chunks and unwind
//! normally: temporary files are removed by their destructors and no partial bundle is
//! left behind.
//!
//! A second Ctrl-C ends the process at once, but first removes every temporary output
//! still registered here, so even an impatient user is left with nothing partial. The
//! last step of every output, the rename into place, runs under the same lock and only
//! if no Ctrl-C came: an interrupted build never leaves a finished-looking bundle and
//! exits 0.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::SystemTime;

static REQUESTED: AtomicBool = AtomicBool::new(false);
/// Temporary outputs being written, which a second Ctrl-C removes.
static PARTIALS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static STARTED: OnceLock<SystemTime> = OnceLock::new();
/// Set while a question waits for the buyer's answer and nothing has been written.
static AT_PROMPT: AtomicBool = AtomicBool::new(false);

/// Installs the handler; safe to call more than once (later calls do nothing).
pub fn install() {
    started_at();
    let _ = ctrlc::set_handler(|| {
        if AT_PROMPT.load(Ordering::SeqCst) {
            eprintln!("\ninterrupted; nothing was written");
            std::process::exit(crate::exit::ExitCode::Interrupted as i32);
        }
        if REQUESTED.swap(true, Ordering::SeqCst) {
            // Waits for a rename in progress, so the file is either in place or gone.
            for path in partials().drain(..) {
                if path.symlink_metadata().is_ok_and(|m| m.is_dir()) {
                    let _ = std::fs::remove_dir_all(path);
                } else {
                    let _ = std::fs::remove_file(path);
                }
            }
            std::process::exit(crate::exit::ExitCode::Interrupted as i32);
        }
    });
}

/// While held, Ctrl-C ends the process at once (exit 130) with one line: for
/// questions asked before anything is written, where a read of the terminal would
/// otherwise block until Enter.
#[derive(Debug)]
pub struct AtPrompt(());

impl AtPrompt {
    pub fn enter() -> Self {
        AT_PROMPT.store(true, Ordering::SeqCst);
        AtPrompt(())
    }
}

impl Drop for AtPrompt {
    fn drop(&mut self) {
        AT_PROMPT.store(false, Ordering::SeqCst);
    }
}

/// Whether Ctrl-C was pressed.
pub fn requested() -> bool {
    REQUESTED.load(Ordering::Relaxed)
}

/// When this process started (first asked; `install` asks at once).
pub fn started_at() -> SystemTime {
    *STARTED.get_or_init(SystemTime::now)
}

fn partials() -> MutexGuard<'static, Vec<PathBuf>> {
    // A panic while holding the lock leaves the list usable.
    PARTIALS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A temporary output known to the handler until this is dropped.
#[derive(Debug)]
pub struct Registered(PathBuf);

impl Drop for Registered {
    fn drop(&mut self) {
        partials().retain(|p| *p != self.0);
    }
}

/// Records a temporary output for removal on a second Ctrl-C.
pub fn register_partial(path: &Path) -> Registered {
    partials().push(path.to_owned());
    Registered(path.to_owned())
}

/// Runs `rename` (which moves the temporary output `partial` into place) unless
/// Ctrl-C was pressed; `None` when it was. The handler cannot remove files meanwhile.
pub fn commit<T>(partial: &Path, rename: impl FnOnce() -> T) -> Option<T> {
    let mut list = partials();
    if requested() {
        return None;
    }
    let result = rename();
    list.retain(|p| p != partial);
    Some(result)
}
