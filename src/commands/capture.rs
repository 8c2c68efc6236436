//! `claimpack capture`: prints where the capture went and what it holds.

use std::io::Write;

use crate::capture::Captured;
use crate::config::{Format, Hints, Output};
use crate::sanitize::sanitize_name;

pub fn print(captured: &Captured, output: Output, out: &mut dyn Write) -> std::io::Result<()> {
    let r = &captured.record;
    if output.format == Format::Json {
        serde_json::to_writer_pretty(&mut *out, r)?;
        return writeln!(out);
    }
    writeln!(
        out,
        "Captured {} (HTTP {}){}",
        sanitize_name(&r.final_url),
        r.status,
        r.title
            .as_deref()
            .map(|t| format!(": \"{}\"", sanitize_name(t)))
            .unwrap_or_default()
    )?;
    for redirect in &r.redirects {
        writeln!(
            out,
            "  redirect  {} {} → {}",
            redirect.status,
            sanitize_name(&redirect.url),
            sanitize_name(&redirect.location)
        )?;
    }
    writeln!(out, "  at        {} to {}", r.started_at, r.finished_at)?;
    for file in &r.files {
        writeln!(
            out,
            "  wrote     {}/{}  ({} bytes, sha256 {})",
            sanitize_name(&captured.folder.display().to_string()),
            file.name,
            file.bytes,
            &file.sha256[..16]
        )?;
    }
    writeln!(
        out,
        "  wrote     {}",
        sanitize_name(&captured.record_file.display().to_string())
    )?;
    for skipped in &r.skipped {
        writeln!(out, "  skipped   {}", sanitize_name(skipped))?;
    }
    if output.hints == Hints::Show {
        writeln!(out)?;
        writeln!(
            out,
            "The next `claimpack build` seals these files with the rest of the case."
        )?;
    }
    Ok(())
}
