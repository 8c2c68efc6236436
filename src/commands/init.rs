//! `claimpack init`: what was created and what to do next.

use std::io::Write;

use crate::config::Hints;
use crate::model::EvidenceKind;
use crate::sanitize::sanitize_name;
use crate::scaffold::Created;
use crate::text::shell_quote;

/// Tells the user what was made and what to do next.
pub fn print(created: &Created, hints: Hints, out: &mut dyn Write) -> std::io::Result<()> {
    let dir = sanitize_name(&created.dir.display().to_string());
    writeln!(out, "Created {dir}/case.toml and the evidence folders:")?;
    let folders: Vec<String> = EvidenceKind::FOLDERS
        .iter()
        .map(|(folder, _)| format!("{folder}/"))
        .collect();
    writeln!(out, "  {}", folders.join("  "))?;
    if !created.missing.is_empty() {
        writeln!(
            out,
            "Still to fill in case.toml: {}",
            created.missing.join(", ")
        )?;
    }
    if hints == Hints::Show {
        writeln!(out)?;
        writeln!(
            out,
            "Next: put photos, videos, chat screenshots and tracking pages in those folders,"
        )?;
        writeln!(
            out,
            "complete case.toml, then run: claimpack build {}",
            shell_quote(&dir)
        )?;
    }
    Ok(())
}
