//! How the process ends: the exit codes, which are part of the interface (README,
//! "Exit codes").

/// How the process ends; the numbers are part of the interface (README, "Exit codes").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// Done; for `verify`, the bundle is intact.
    Success = 0,
    /// `verify` found the bundle tampered or invalid.
    Failed = 1,
    /// Bad usage, bad input, or an I/O error: nothing was written.
    Error = 2,
    /// Stopped by Ctrl-C; nothing was left at the output path.
    Interrupted = 130,
}

impl From<ExitCode> for std::process::ExitCode {
    fn from(code: ExitCode) -> Self {
        std::process::ExitCode::from(code as u8)
    }
}
