//! A progress bar on standard error for long work, and nothing otherwise.
//!
//! It shows only when standard error is a terminal, the work is large enough to be
//! worth watching, and `--quiet` was not given, so scripts and tests see clean output.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Work below this many bytes finishes too fast to need a bar.
const WORTH_SHOWING: u64 = 64 << 20;

/// Whether long work shows a bar. Decided once from `--quiet` and whether standard
/// error is a terminal, when a command's settings are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A bar on standard error for work large enough to watch.
    Bar,
    Hidden,
}

impl Mode {
    /// A bar unless `quiet`, and only on a terminal: scripts and tests see clean output.
    pub fn for_terminal(quiet: bool) -> Mode {
        if quiet || !std::io::stderr().is_terminal() {
            Mode::Hidden
        } else {
            Mode::Bar
        }
    }
}

/// A byte counter that may or may not be drawn.
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A bar for `total` bytes, labelled `what`, if it is worth showing.
    pub fn bytes(total: u64, what: &str, mode: Mode) -> Progress {
        if mode == Mode::Hidden || total < WORTH_SHOWING {
            return Progress::hidden();
        }
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template(
            "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
        bar.set_style(style);
        bar.set_message(what.to_owned());
        Progress { bar: Some(bar) }
    }

    /// A counter that draws nothing.
    pub fn hidden() -> Progress {
        Progress { bar: None }
    }

    pub fn advance(&self, bytes: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(bytes);
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
