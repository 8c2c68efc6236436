//! `claimpack reasons`: the dispute reasons, what each means and what evidence it
//! needs; with `--platform`, the platform's own name for each, its upload limits and
//! its deadlines, each with its source.

use std::io::Write;

use serde::Serialize;

use crate::analysis::checklist::{Level, Requirements};
use crate::config::{Format, ReasonsConfig};
use crate::error::Error;
use crate::model::Reason;
use crate::profile::{Bound, Fact, Profile};

#[derive(Serialize)]
struct Row {
    slug: &'static str,
    meaning: &'static str,
    required: Vec<String>,
    recommended: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    platform_name: Option<Fact<String>>,
}

#[derive(Serialize)]
struct Listing {
    reasons: Vec<Row>,
    #[serde(skip_serializing_if = "Option::is_none")]
    platform: Option<Profile>,
}

/// Prints the reasons, and a platform's profile when one is asked for.
pub fn print(config: &ReasonsConfig, format: Format, out: &mut dyn Write) -> Result<(), Error> {
    let templates = &config.templates;
    let requirements = Requirements::load(templates)?;
    let profile = config
        .platform
        .map(|p| Profile::load(templates, p))
        .transpose()?;
    let reasons: Vec<Row> = Reason::ALL
        .iter()
        .map(|&r| {
            let items = &requirements.for_reason(r).items;
            let of = |level| {
                items
                    .iter()
                    .filter(|i| i.level == level)
                    .map(|i| i.id.clone())
                    .collect()
            };
            Row {
                slug: r.slug(),
                meaning: r.meaning(),
                required: of(Level::Required),
                recommended: of(Level::Recommended),
                platform_name: profile.as_ref().map(|p| p.reasons[&r].clone()),
            }
        })
        .collect();
    let listing = Listing {
        reasons,
        platform: profile,
    };
    write(&listing, format, out).map_err(Error::Stdout)
}

fn write(listing: &Listing, format: Format, out: &mut dyn Write) -> std::io::Result<()> {
    if format == Format::Json {
        serde_json::to_writer_pretty(&mut *out, listing)?;
        return writeln!(out);
    }
    let width = listing
        .reasons
        .iter()
        .map(|r| r.slug.len())
        .max()
        .unwrap_or(0);
    for row in &listing.reasons {
        writeln!(out, "{:width$}  {}", row.slug, row.meaning)?;
        if let Some(name) = &row.platform_name {
            match name.get() {
                Some(name) => writeln!(out, "{:width$}  on the form: {name}", "")?,
                None => writeln!(out, "{:width$}  on the form: unknown ({})", "", name.source)?,
            }
        }
        writeln!(
            out,
            "{:width$}  needs: {}{}",
            "",
            row.required.join(", "),
            if row.recommended.is_empty() {
                String::new()
            } else {
                format!("; also useful: {}", row.recommended.join(", "))
            }
        )?;
    }
    if let Some(profile) = &listing.platform {
        write_profile(profile, out)?;
    } else {
        writeln!(out)?;
        writeln!(
            out,
            "Use one as `reason = \"…\"` in case.toml, or `claimpack init DIR --reason …`. Add --platform P for a platform's names, limits and deadlines."
        )?;
    }
    Ok(())
}

fn fact<T>(f: &Fact<T>, show: impl Fn(&T) -> String) -> String {
    match f.get() {
        Some(v) => format!("{} ({})", show(v), f.source),
        None => format!("unknown ({})", f.source),
    }
}

fn bound(b: &Bound) -> String {
    let anchors: Vec<&str> = b.after.iter().map(|a| a.describe()).collect();
    let amount = match (b.days, b.business_days) {
        (d, 0) => format!("{d} days"),
        (0, bd) => format!("{bd} business days"),
        (d, bd) => format!("{d} days and {bd} business days"),
    };
    format!("{amount} after {}", anchors.join(" or "))
}

fn write_profile(p: &Profile, out: &mut dyn Write) -> std::io::Result<()> {
    // Platforms state limits in decimal megabytes ("10 MB"), so they are shown so.
    let mb = |b: &u64| format!("{} MB", *b as f64 / 1_000_000.0);
    let yes_no = |b: &bool| if *b { "yes" } else { "no" }.to_owned();
    writeln!(out)?;
    writeln!(out, "{}: {}", p.name, fact(&p.programme, String::clone))?;
    writeln!(out, "  Resolutions:")?;
    for (resolution, name) in &p.resolutions {
        writeln!(
            out,
            "    {:18} {}",
            resolution.slug(),
            fact(name, String::clone)
        )?;
    }
    let e = &p.evidence;
    writeln!(out, "  Uploads:")?;
    writeln!(
        out,
        "    formats        {}",
        fact(&e.formats, |f| f.join(", "))
    )?;
    writeln!(out, "    per file       {}", fact(&e.max_file_bytes, mb))?;
    writeln!(out, "    per submission {}", fact(&e.max_total_bytes, mb))?;
    writeln!(
        out,
        "    files          {}",
        fact(&e.max_files, u32::to_string)
    )?;
    writeln!(
        out,
        "    pages          {}",
        fact(&e.max_pages, u32::to_string)
    )?;
    writeln!(out, "    video          {}", fact(&e.video, yes_no))?;
    writeln!(out, "    zip            {}", fact(&e.zip, yes_no))?;
    writeln!(out, "  Statement box:")?;
    writeln!(
        out,
        "    characters     {}",
        fact(&p.text.limit, u32::to_string)
    )?;
    writeln!(
        out,
        "    ASCII only     {}",
        fact(&p.text.ascii_only, yes_no)
    )?;
    if !p.windows.is_empty() {
        writeln!(out, "  Deadlines:")?;
        for w in &p.windows {
            let mut when = Vec::new();
            if let Some(b) = &w.opens {
                when.push(format!("from {}", bound(b)));
            }
            if let Some(b) = &w.closes {
                when.push(format!("until {}", bound(b)));
            }
            writeln!(out, "    {}: {} ({})", w.what, when.join(", "), w.source)?;
        }
    }
    if !p.sources.is_empty() {
        writeln!(out, "  Sources:")?;
        for (name, text) in &p.sources {
            writeln!(out, "    [{name}] {text}")?;
        }
    }
    Ok(())
}
