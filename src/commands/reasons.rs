//! `claimpack reasons`: the dispute reasons and what each means.

use std::io::Write;

use serde::Serialize;

use crate::model::Reason;

#[derive(Serialize)]
struct Row {
    slug: &'static str,
    meaning: &'static str,
}

pub fn print(json: bool, out: &mut dyn Write) -> std::io::Result<()> {
    let rows: Vec<Row> = Reason::ALL
        .iter()
        .map(|r| Row {
            slug: r.slug(),
            meaning: r.meaning(),
        })
        .collect();
    if json {
        serde_json::to_writer_pretty(&mut *out, &rows)?;
        return writeln!(out);
    }
    let width = rows.iter().map(|r| r.slug.len()).max().unwrap_or(0);
    for row in &rows {
        writeln!(out, "{:width$}  {}", row.slug, row.meaning)?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "Use one as `reason = \"…\"` in case.toml, or `claimpack init DIR --reason …`."
    )
}
