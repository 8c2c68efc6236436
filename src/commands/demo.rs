//! `claimpack demo`: writes the sample case, builds it, and shows what to try next.

use std::io::Write;

use super::build::Built;
use crate::config::Hints;
use crate::kit::Kit;
use crate::sanitize::sanitize_name;
use crate::scaffold::demo::Demo;
use crate::text::{human_bytes, shell_quote};

/// Tells the newcomer what was made and what to try next.
pub fn print(
    demo: &Demo,
    built: &Built,
    kit: &Kit,
    hints: Hints,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let case_dir = sanitize_name(&demo.case_dir.display().to_string());
    let bundle = sanitize_name(&built.bundle.display().to_string());
    writeln!(out, "Sample case written to {case_dir}")?;
    writeln!(out, "Sealed {bundle}")?;
    writeln!(
        out,
        "  {} exhibits, {} in the payload",
        built.exhibits.len(),
        human_bytes(built.payload_bytes)
    )?;
    writeln!(out, "  seal {}", built.seal)?;
    if !built.warnings.is_empty() {
        writeln!(
            out,
            "  {} timeline warnings, listed at the top of the report",
            built.warnings.len()
        )?;
    }
    let kit_folder = sanitize_name(&kit.folder.display().to_string());
    let uploads = kit.files.iter().filter(|f| f.from.is_some()).count();
    writeln!(
        out,
        "Upload kit in {kit_folder}/: {uploads} files fitted for the {} form, {} left out (listed in UPLOAD.txt)",
        kit.platform.display_name(),
        kit.left_out.len()
    )?;
    if hints == Hints::Hide {
        return Ok(());
    }
    let bundle = shell_quote(&bundle);
    let me = invoked_as();
    writeln!(out)?;
    writeln!(out, "Try next:")?;
    writeln!(out, "  {me} verify {bundle}          # exit 0: intact")?;
    writeln!(out, "  unzip -l {bundle}                  # the bag inside")?;
    writeln!(
        out,
        "  unzip -p {bundle} '*/data/summary.txt'   # the statement"
    )?;
    writeln!(
        out,
        "  unzip -p {bundle} '*/data/report.html' > report.html   # then open it in a browser"
    )?;
    writeln!(
        out,
        "  cat {}/UPLOAD.txt   # what to upload where",
        shell_quote(&kit_folder)
    )?;
    if let Ok(notes) = &built.notes {
        writeln!(
            out,
            "  cat {}   # your notes: missing evidence, deadlines, advice (not for the reviewer)",
            shell_quote(&sanitize_name(&notes.display().to_string()))
        )?;
    }
    let case = shell_quote(&case_dir);
    writeln!(
        out,
        "  {me} check {case}              # evidence checklist, deadlines, warnings"
    )?;
    writeln!(
        out,
        "  {me} summary {case} --form     # the statement cut to fit the AliExpress form"
    )?;
    writeln!(
        out,
        "  less {case}/case.toml                   # the case file to copy for your own claim"
    )?;
    writeln!(
        out,
        "The sample pictures are openly licensed stand-ins; see ABOUT.txt beside the case."
    )?;
    Ok(())
}

/// The program as this run was started, so the "Try next" lines work as printed:
/// `target/release/claimpack` after `cargo run`, `claimpack` when it is on PATH.
fn invoked_as() -> String {
    let program = std::env::args_os()
        .next()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default();
    let is_path = program.contains(std::path::MAIN_SEPARATOR) || program.contains('/');
    if is_path {
        shell_quote(&sanitize_name(&program))
    } else {
        "claimpack".to_owned()
    }
}
