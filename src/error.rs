//! The one error type the commands return, and the one printer.
//!
//! Each stage has its own error enum carrying the path, field or URL a person needs to
//! act; this module only gathers them, so only `commands` and `main` import it. The
//! printer sanitises everything it prints (see `sanitize`).

use std::io::Write;

use crate::exit::ExitCode;
use crate::sanitize::sanitize;

use crate::intake::IntakeError;
use crate::package::PackageError;
use crate::verify::VerifyError;

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
    Add(#[from] crate::scaffold::add::AddError),
    #[error(transparent)]
    Capture(#[from] crate::capture::CaptureError),
    #[error(transparent)]
    Kit(#[from] crate::kit::KitError),
    #[error("{}: {why}", path.display())]
    Trust {
        path: std::path::PathBuf,
        why: String,
    },
    #[error("invalid --today value \"{value}\": {why}")]
    Today { value: String, why: String },
    #[error("invalid --created-at or SOURCE_DATE_EPOCH value \"{value}\": {why}")]
    CreatedAt { value: String, why: String },
    #[error("{}: no such folder; create it first (man pages go in a folder such as ~/.local/share/man/man1)", .0.display())]
    ManFolder(std::path::PathBuf),
    #[error("{}: cannot write", path.display())]
    ManWrite {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: not sealed (--strict): {gaps}. Run `claimpack check {}` for how to capture it, or build without --strict", case_dir.display(), case_dir.display())]
    Incomplete {
        case_dir: std::path::PathBuf,
        gaps: String,
    },
    #[error(
        "invalid --seal value \"{value}\": a seal is 64 hexadecimal digits, as build printed it"
    )]
    Seal { value: String },
    #[error("could not write to standard output")]
    Stdout(#[source] std::io::Error),
}

impl Error {
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Error::Package(PackageError::Interrupted)
            | Error::Verify(VerifyError::Interrupted)
            | Error::Kit(crate::kit::KitError::Verify(VerifyError::Interrupted))
            | Error::Kit(crate::kit::KitError::Output(crate::output::OutputError::Interrupted)) => {
                ExitCode::Interrupted
            }
            Error::Incomplete { .. } => ExitCode::Failed,
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
