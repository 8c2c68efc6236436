//! The one error type the commands return, the exit codes, and the one printer.
//!
//! Each stage has its own error enum carrying the path, field or URL a person needs to
//! act; this module only gathers them. The printer strips control characters from
//! everything it prints, because file names and case text come from untrusted sources
//! and must not move the cursor or recolour a terminal.

use std::io::Write;

use crate::intake::IntakeError;
use crate::package::PackageError;
use crate::verify::VerifyError;

/// How the process ends; the numbers are part of the interface (DESIGN.md).
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

/// Everything a command can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Intake(#[from] IntakeError),
    #[error(transparent)]
    Package(#[from] PackageError),
    #[error(transparent)]
    Verify(#[from] VerifyError),
    #[error(transparent)]
    Render(#[from] crate::render::RenderError),
    #[error(transparent)]
    Scaffold(#[from] crate::scaffold::ScaffoldError),
    #[error(transparent)]
    Templates(#[from] crate::templates::TemplateError),
    #[error(transparent)]
    Capture(#[from] crate::capture::CaptureError),
    #[error("{}: {why}", path.display())]
    Trust {
        path: std::path::PathBuf,
        why: String,
    },
    #[error("invalid --today value \"{value}\": {why}")]
    Today { value: String, why: String },
    #[error("invalid --created-at or SOURCE_DATE_EPOCH value \"{value}\": {why}")]
    CreatedAt { value: String, why: String },
    #[error("could not write to standard output")]
    Stdout(#[source] std::io::Error),
}

impl Error {
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Error::Package(PackageError::Interrupted) | Error::Verify(VerifyError::Interrupted) => {
                ExitCode::Interrupted
            }
            _ => ExitCode::Error,
        }
    }
}

/// Prints `error: …` and every cause on standard error, sanitised.
pub fn print_error(error: &(dyn std::error::Error + 'static)) {
    let mut text = format!("error: {}", sanitize(&error.to_string()));
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = sanitize(&cause.to_string());
        // thiserror's transparent wrappers repeat their inner message: say it once.
        if !text.ends_with(&cause_text) {
            text.push_str(&format!("\n  caused by: {cause_text}"));
        }
        source = cause.source();
    }
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

/// Characters that change how a terminal shows the text around them without showing
/// themselves: bidirectional overrides and isolates (which can make `evil.exe` read
/// as `exe.live`) and zero-width characters (which make two different names look
/// the same), plus the Unicode line separators.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// Replaces control characters (ESC, CR, BEL, …) and invisible formatting characters
/// with `?`, keeping newlines and tabs that our own messages use for layout.
pub fn sanitize(text: &str) -> String {
    text.chars()
        .map(|c| {
            if (c.is_control() && c != '\n' && c != '\t') || is_invisible(c) {
                '?'
            } else {
                c
            }
        })
        .collect()
}

/// Like [`sanitize`], for a single-line name: newlines and tabs become `?` too.
pub fn sanitize_name(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || is_invisible(c) {
                '?'
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_escapes_in_names_are_neutralised() {
        assert_eq!(sanitize_name("evil\x1b[2J\nname"), "evil?[2J?name");
        assert_eq!(sanitize("line one\nline\x07 two"), "line one\nline? two");
        // Right-to-left override: "photo\u{202E}gpj.exe" shows as "photoexe.jpg".
        assert_eq!(sanitize_name("photo\u{202E}gpj.exe"), "photo?gpj.exe");
        assert_eq!(sanitize_name("box\u{200B}front.jpg"), "box?front.jpg");
        assert_eq!(sanitize("\u{2066}x\u{2069}\u{FEFF}"), "?x??");
        assert_eq!(sanitize_name("коробка 家居 ✨"), "коробка 家居 ✨");
    }
}
