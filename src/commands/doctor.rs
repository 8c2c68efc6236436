//! `claimpack doctor`: which optional programs this machine has, what each adds, and
//! how to install the missing ones. Everything else claimpack does is built in.

use std::io::Write;

use serde::Serialize;

use crate::config::Format;
use crate::tools::{OPTIONAL, Optional};

/// One optional program as found on this machine.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    #[serde(flatten)]
    pub program: Optional,
    pub found: bool,
    /// The command that will be run, when found.
    pub path: Option<String>,
    pub version: Option<String>,
}

/// What `doctor` reports.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub claimpack: &'static str,
    pub programs: Vec<Finding>,
    /// Programs buyers ask about that claimpack does not need.
    pub not_needed: Vec<NotNeeded>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NotNeeded {
    pub name: &'static str,
    pub why: &'static str,
}

/// Looks every optional program up and asks it for its version.
pub fn doctor() -> Report {
    let programs = OPTIONAL
        .iter()
        .map(|program| {
            let path = program.find();
            let version = path.as_deref().and_then(|p| program.version(p));
            Finding {
                program: *program,
                found: path.is_some(),
                path: path.map(|p| crate::sanitize::sanitize_name(&p.to_string_lossy())),
                version,
            }
        })
        .collect();
    Report {
        claimpack: env!("CARGO_PKG_VERSION"),
        programs,
        not_needed: vec![
            NotNeeded {
                name: "exiftool",
                why: "claimpack reads EXIF, XMP and QuickTime capture times itself",
            },
            NotNeeded {
                name: "c2patool",
                why: if cfg!(feature = "content-credentials") {
                    "claimpack reads and checks C2PA Content Credentials itself, offline, against the C2PA trust lists of 2026-08-05"
                } else {
                    "this claimpack was built without the content-credentials feature: signed photos are reported as not checked; c2patool can check them"
                },
            },
            NotNeeded {
                name: "openssl",
                why: "claimpack checks trusted timestamps itself (openssl can check them too; see the README)",
            },
        ],
    }
}

pub fn print(report: &Report, format: Format, out: &mut dyn Write) -> std::io::Result<()> {
    if format == Format::Json {
        serde_json::to_writer_pretty(&mut *out, report)?;
        return writeln!(out);
    }
    writeln!(out, "claimpack {}: optional programs\n", report.claimpack)?;
    for finding in &report.programs {
        let program = &finding.program;
        match (&finding.path, &finding.version) {
            (Some(path), Some(version)) => {
                writeln!(out, "  found    {:<13} {version} ({path})", program.name)?
            }
            (Some(path), None) => writeln!(out, "  found    {:<13} {path}", program.name)?,
            (None, _) => writeln!(out, "  missing  {}", program.name)?,
        }
        writeln!(out, "           adds: {}", program.enables)?;
        if !finding.found {
            writeln!(out, "           without it: {}", program.without)?;
            writeln!(
                out,
                "           install on Debian/Ubuntu: {}",
                program.install.debian
            )?;
            writeln!(
                out,
                "                      macOS: {}",
                program.install.macos
            )?;
            writeln!(
                out,
                "                      Windows: {}",
                program.install.windows
            )?;
            writeln!(
                out,
                "           installed elsewhere? set {} to its path",
                program.variable
            )?;
        }
    }
    for other in &report.not_needed {
        writeln!(out, "  not needed {}: {}", other.name, other.why)?;
    }
    let missing = report.programs.iter().filter(|f| !f.found).count();
    writeln!(out)?;
    if missing == 0 {
        writeln!(out, "Everything claimpack can use is installed.")
    } else {
        writeln!(
            out,
            "Sealing, verifying, the statement, the report and the exhibit book need none of these."
        )
    }
}
