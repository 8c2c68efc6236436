//! `claimpack add`: what was copied where, what was already there, what to run next.

use std::io::Write;

use crate::config::{Format, Hints, Output};
use crate::scaffold::add::AddReport;
use crate::text::{human_bytes, shell_quote};

pub fn print(report: &AddReport, output: Output, out: &mut dyn Write) -> std::io::Result<()> {
    if output.format == Format::Json {
        serde_json::to_writer_pretty(&mut *out, report)?;
        return writeln!(out);
    }
    let count = report.added.len();
    if count > 0 {
        writeln!(
            out,
            "Copied {count} file{} into {}:",
            if count == 1 { "" } else { "s" },
            report.case_dir
        )?;
    }
    for added in &report.added {
        writeln!(
            out,
            "  {}  ({}, {}){}",
            added.to,
            added.kind,
            human_bytes(added.bytes),
            if added.recorded {
                "  described in case.toml"
            } else {
                ""
            }
        )?;
    }
    for same in &report.already_there {
        writeln!(
            out,
            "  {} is already in the case as {}; not copied again",
            same.from, same.same_as
        )?;
    }
    if count == 0 && report.already_there.is_empty() {
        writeln!(out, "Nothing to add.")?;
    }
    if output.hints == Hints::Show && count > 0 {
        writeln!(
            out,
            "\nThe originals are untouched. See what is still missing: claimpack check {}",
            shell_quote(&report.case_dir)
        )?;
    }
    Ok(())
}
