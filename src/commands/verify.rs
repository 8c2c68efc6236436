//! `claimpack verify`: prints the verdict, naming every bad file.

use std::io::Write;

use crate::config::Format;
use crate::sanitize::sanitize_name;
use crate::verify::Report;

/// Prints a verification report for a person, or as JSON.
pub fn print(report: &Report, format: Format, out: &mut dyn Write) -> std::io::Result<()> {
    if format == Format::Json {
        serde_json::to_writer_pretty(&mut *out, report)?;
        return writeln!(out);
    }
    let file = sanitize_name(&report.file);
    if report.intact {
        writeln!(out, "{file}: INTACT")?;
        writeln!(
            out,
            "  every file matches manifest-sha256.txt and tagmanifest-sha256.txt; nothing missing, nothing added"
        )?;
    } else {
        let n = report.problems.len();
        writeln!(
            out,
            "{file}: NOT INTACT ({n} problem{})",
            if n == 1 { "" } else { "s" }
        )?;
        let width = report
            .problems
            .iter()
            .map(|p| p.problem.label().len())
            .max()
            .unwrap_or(0);
        for problem in &report.problems {
            writeln!(
                out,
                "  {:width$}  {}: {}",
                problem.problem.label(),
                sanitize_name(&problem.path),
                sanitize_name(&problem.detail),
            )?;
        }
    }
    if let Some(bag) = &report.bag {
        writeln!(out, "  bag       {}", sanitize_name(bag))?;
    }
    if let Some(id) = &report.facts.external_identifier {
        writeln!(out, "  order     {}", sanitize_name(id))?;
    }
    if let Some(created) = report
        .facts
        .created_at
        .as_ref()
        .or(report.facts.bagging_date.as_ref())
    {
        writeln!(
            out,
            "  sealed at {} (the builder's clock)",
            sanitize_name(created)
        )?;
    }
    let token_problems = report
        .problems
        .iter()
        .any(|p| p.path.starts_with(crate::layout::TIMESTAMPS_DIR));
    if report.timestamps.is_empty() && !token_problems && report.bag.is_some() {
        writeln!(
            out,
            "  trusted   none: no trusted timestamp in this bundle (build --tsa URL adds one)"
        )?;
    }
    for t in &report.timestamps {
        writeln!(
            out,
            "  trusted   {} by {} ({}, {}; {})",
            t.time,
            sanitize_name(&t.authority),
            sanitize_name(&t.file),
            t.signature,
            match t.chain_trusted {
                Some(true) => "chains to the certificate you trust",
                _ => "signature valid; pass --trust CAFILE to check the authority's chain",
            }
        )?;
    }
    writeln!(
        out,
        "  payload   {} files, {} ({} bytes)",
        report.facts.payload_files,
        crate::text::human_bytes(report.facts.payload_bytes),
        report.facts.payload_bytes
    )?;
    if let Some(seal) = &report.facts.seal {
        writeln!(out, "  seal      {seal}")?;
        match report.seal_matches {
            Some(true) => writeln!(
                out,
                "  seal      matches the seal you gave: this is the bundle that was sealed then"
            )?,
            Some(false) => writeln!(
                out,
                "  SEAL DOES NOT MATCH the seal you gave: this is not the bundle that was sealed then, even if every file matches its manifests (they can all be rewritten together)"
            )?,
            None => writeln!(
                out,
                "  compare the seal with the one build printed (or on the exhibit book's cover); --seal HEX checks it. A bundle whose files and manifests were all rewritten is intact, with another seal"
            )?,
        }
    }
    Ok(())
}
