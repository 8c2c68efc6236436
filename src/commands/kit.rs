//! `claimpack kit`: where the kit went, what it holds and what it left out.

use std::io::Write;

use crate::config::{Format, Hints, Output};
use crate::kit::Kit;
use crate::sanitize::sanitize_name;
use crate::text::human_bytes;

pub fn print(kit: &Kit, output: Output, out: &mut dyn Write) -> std::io::Result<()> {
    if output.format == Format::Json {
        serde_json::to_writer_pretty(&mut *out, kit)?;
        return writeln!(out);
    }
    let folder = sanitize_name(&kit.folder.display().to_string());
    let uploads: Vec<_> = kit.files.iter().filter(|f| f.from.is_some()).collect();
    writeln!(
        out,
        "Upload kit for {} in {folder}/",
        kit.platform.display_name()
    )?;
    let total: u64 = uploads.iter().map(|f| f.bytes).sum();
    writeln!(
        out,
        "  {} file{} to upload, {} in all; UPLOAD.txt says where each goes",
        uploads.len(),
        if uploads.len() == 1 { "" } else { "s" },
        human_bytes(total)
    )?;
    for file in &uploads {
        let from = file.from.as_ref().map(|f| f.exhibit.as_str()).unwrap_or("");
        writeln!(
            out,
            "  {from}  {}  {}  ({})",
            sanitize_name(&file.name),
            human_bytes(file.bytes),
            file.transform.join(", ")
        )?;
    }
    for stale in &kit.stale_removed {
        writeln!(
            out,
            "  removed   {}, left by a kit that was killed",
            sanitize_name(&stale.path.display().to_string())
        )?;
    }
    for left in &kit.left_out {
        writeln!(
            out,
            "  left out  {}: {}",
            left.exhibit,
            sanitize_name(&left.why)
        )?;
    }
    if output.hints == Hints::Show {
        writeln!(out)?;
        writeln!(
            out,
            "The copies carry no location or camera data; the sealed bundle keeps the originals."
        )?;
    }
    Ok(())
}
