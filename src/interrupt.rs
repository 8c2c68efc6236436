//! Ctrl-C as a flag that long loops poll, so that they stop between chunks and unwind
//! normally: temporary files are removed by their destructors and no partial bundle is
//! left behind. A second Ctrl-C ends the process at once.

use std::sync::atomic::{AtomicBool, Ordering};

static REQUESTED: AtomicBool = AtomicBool::new(false);

/// Installs the handler; safe to call more than once (later calls do nothing).
pub fn install() {
    let _ = ctrlc::set_handler(|| {
        if REQUESTED.swap(true, Ordering::SeqCst) {
            std::process::exit(crate::error::ExitCode::Interrupted as i32);
        }
    });
}

/// Whether Ctrl-C was pressed.
pub fn requested() -> bool {
    REQUESTED.load(Ordering::Relaxed)
}
