//! `claimpack check`: what evidence is still missing for the reason, how many days are
//! left, what is wrong in case.toml, and the warnings buyers lose money over. It reads
//! the case folder and writes nothing.

use std::io::Write;
use std::path::Path;

use jiff::civil::Date;

use crate::analysis::checklist::{EvidenceRef, Level};
use crate::analysis::consistency::{Finding, Severity};
use crate::analysis::deadlines::{Deadline, Status};
use crate::analysis::places::{Located, Relation};
use crate::analysis::tracking::TrackingStatus;
use crate::analysis::upload::Tool;
use crate::analysis::{self, Assessment, Knowledge};
use crate::config::Format;
use crate::error::Error;
use crate::intake::{self, Intake};
use crate::metadata::thumbnail::Tools;
use crate::profile::Actor;
use crate::sanitize::sanitize_name;
use crate::templates::Templates;

/// A case folder read (without sealing anything) and assessed.
pub struct Assessed {
    pub intake: Intake,
    pub knowledge: Knowledge,
    pub assessment: Assessment,
}

/// Reads a case folder and assesses it as of `today`; `check` prints this and
/// `summary` writes the statement from it.
pub fn assess_folder(dir: &Path, templates: &Templates, today: Date) -> Result<Assessed, Error> {
    let case_file = intake::read_case(dir)?;
    // Broken template overrides fail before the folder is walked.
    let knowledge = Knowledge::load(templates, case_file.case.platform)?;
    let intake = intake::collect(dir, case_file)?;
    let evidence: Vec<EvidenceRef> = intake.files.iter().map(EvidenceRef::from).collect();
    let mut assessment = analysis::assess(&intake.case_file.case, &evidence, &knowledge, today);
    assessment.findings.extend(keep_numbers(dir, &intake));
    Ok(Assessed {
        intake,
        knowledge,
        assessment,
    })
}

/// Writes new exhibit numbers to `exhibits.lock` and says which numbered files are
/// gone (their numbers are not reused) and whether the lock could not be written.
pub fn keep_numbers(dir: &Path, intake: &Intake) -> Vec<Finding> {
    let mut findings: Vec<Finding> = intake
        .gone
        .iter()
        .map(|gone| Finding {
            severity: Severity::Warning,
            field: intake::exhibits::LOCK_FILE.to_owned(),
            message: format!(
                "{} ({}) was numbered before and is no longer in the folder: if it was removed by mistake, put it back and it gets {} again; a statement you already sent that cites {} now names no file, and {} is not given to another file; only if you removed it on purpose and have not sent any statement yet, delete exhibits.lock to number the exhibits without the gap",
                gone.id,
                sanitize_name(&gone.path),
                gone.id,
                gone.id,
                gone.id
            ),
        })
        .collect();
    if let Err(e) = intake::exhibits::save(dir, &intake.numbers) {
        findings.push(Finding {
            severity: Severity::Note,
            field: intake::exhibits::LOCK_FILE.to_owned(),
            message: format!(
                "could not be written ({e}): exhibit numbers may change when you add files"
            ),
        });
    }
    findings
}

/// Reads a case folder and assesses it as of `today`.
pub fn check(dir: &Path, templates: &Templates, today: Date) -> Result<Assessment, Error> {
    Ok(assess_folder(dir, templates, today)?.assessment)
}

/// Whether `--strict` should fail: required evidence missing, or the case
/// contradicts itself.
pub fn strict_failure(assessment: &Assessment) -> bool {
    !assessment.checklist.complete()
        || assessment
            .findings
            .iter()
            .any(|f| f.severity == Severity::Error)
}

fn deadline_line(d: &Deadline) -> (String, String) {
    if d.actor == Actor::Seller {
        return seller_line(d);
    }
    let when = match (
        d.status,
        &d.opens,
        &d.closes,
        d.days_left,
        d.days_until_open,
    ) {
        (Status::Unknown, ..) => format!("unknown: add {} to case.toml", d.needs.join(" or ")),
        (Status::Closed, _, Some(closes), Some(left), _) => {
            format!("CLOSED on {closes} ({} day{} ago)", -left, plural(-left))
        }
        (Status::NotYet, Some(opens), _, _, Some(wait)) => {
            format!("not before {opens} ({wait} day{} from now)", plural(wait))
        }
        (Status::Urgent, _, Some(closes), Some(left), _) => format!(
            "ONLY {left} DAY{} LEFT: last day {closes}",
            if left == 1 { "" } else { "S" }
        ),
        (_, _, Some(closes), Some(left), _) => {
            format!("last day {closes} ({left} day{} left)", plural(left))
        }
        (_, Some(opens), None, _, _) => format!("possible since {opens}"),
        _ => "unknown".to_owned(),
    };
    let mark = match d.status {
        Status::Urgent => "!!",
        Status::Closed => "xx",
        Status::Unknown => " ?",
        Status::NotYet => "..",
        Status::Open => "  ",
    };
    (mark.to_owned(), when)
}

/// The seller's time to answer, told as what it means for the buyer.
fn seller_line(d: &Deadline) -> (String, String) {
    let answered = d
        .answered
        .as_ref()
        .map(|day| format!("; the seller answered on {day}"))
        .unwrap_or_default();
    let when = match (d.status, &d.closes, d.days_left) {
        (Status::Unknown, ..) => format!("unknown: add {} to case.toml", d.needs.join(" or ")),
        (Status::Closed, Some(closes), _) => format!(
            "the seller's time ended on {closes}{answered}; {}",
            d.after_close.as_deref().unwrap_or("that step is over")
        ),
        (_, Some(closes), Some(left)) => format!(
            "the seller has until {closes} ({left} day{}){answered}",
            plural(left)
        ),
        _ => "unknown".to_owned(),
    };
    ("  ".to_owned(), when)
}

/// "\"GUANGZHOU, CN\" → Guangzhou, Guangdong, China (23.11667, 113.25000)".
fn located(located: &Located) -> String {
    format!(
        "\"{}\" → {}",
        sanitize_name(&located.text),
        located.reading()
    )
}

/// Whether the program a kit plan needs was found.
fn installed(tools: &Tools, tool: Tool) -> bool {
    match tool {
        Tool::Ffmpeg => tools.ffmpeg().is_some(),
        Tool::HeifConvert => tools.heif_convert().is_some(),
    }
}

fn plural(n: i64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Prints the assessment for a person, or as JSON.
pub fn print(
    assessment: &Assessment,
    tools: &Tools,
    format: Format,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    if format == Format::Json {
        serde_json::to_writer_pretty(&mut *out, assessment)?;
        return writeln!(out);
    }
    let a = assessment;
    writeln!(
        out,
        "{} · reason {} · as of {}",
        a.platform, a.reason, a.today
    )?;
    match a.platform_reason.get() {
        Some(name) => writeln!(out, "On the form, choose: {name}")?,
        None => writeln!(
            out,
            "The form's name for this reason is not known ({}).",
            a.platform_reason.source
        )?,
    }
    for d in a.deadlines.iter().filter(|d| d.status == Status::Urgent) {
        let (_, when) = deadline_line(d);
        writeln!(out, "!! {}: {when}", d.what)?;
    }

    writeln!(out)?;
    writeln!(out, "Evidence for {}", a.reason)?;
    let width = a
        .checklist
        .items
        .iter()
        .map(|i| i.id.len())
        .max()
        .unwrap_or(0);
    for item in &a.checklist.items {
        let level = match (item.level, item.present) {
            (Level::Required, false) => "REQUIRED",
            (Level::Required, true) => "required",
            (Level::Recommended, _) => "recommended",
        };
        let status = if item.present {
            let ids: Vec<String> = item.exhibits.iter().map(|m| m.id.to_string()).collect();
            ids.join(", ")
        } else {
            "missing".to_owned()
        };
        writeln!(
            out,
            "  [{}] {:width$}  {:11}  {status}: {}",
            if item.present { "x" } else { " " },
            item.id,
            level,
            item.what
        )?;
        if !item.present {
            writeln!(out, "      how: {}", item.how)?;
        }
    }
    if let Some(guidance) = a.guidance.as_ref().and_then(|g| g.get()) {
        writeln!(out, "  {} asks: {guidance}", a.platform)?;
    }

    if !a.deadlines.is_empty() {
        writeln!(out)?;
        writeln!(out, "Deadlines")?;
        for d in &a.deadlines {
            let (mark, when) = deadline_line(d);
            writeln!(out, "{mark} {}: {when}", d.what)?;
            if !d.basis.is_empty() {
                writeln!(out, "      counted {}", d.basis.join("; "))?;
            }
            writeln!(out, "      source: {}", d.source)?;
            if let Some(note) = &d.note {
                writeln!(out, "      note: {note}")?;
            }
        }
    }

    if !a.sources.is_empty() {
        writeln!(out)?;
        writeln!(out, "Sources")?;
        for (name, text) in &a.sources {
            writeln!(out, "  [{name}] {text}")?;
        }
    }

    if !a.tracking.is_empty() {
        writeln!(out)?;
        writeln!(out, "Tracking numbers")?;
        for t in &a.tracking {
            let mark = match t.status {
                TrackingStatus::Valid => "ok",
                TrackingStatus::FormatOnly => "ok?",
                TrackingStatus::Invalid => "BAD",
                TrackingStatus::Unknown => "?",
            };
            let courier = t
                .courier
                .as_deref()
                .map(|c| format!(" ({c})"))
                .unwrap_or_default();
            writeln!(
                out,
                "  {mark:3} {}{courier}: {}",
                sanitize_name(&t.number),
                t.detail
            )?;
        }
    }

    if let Some(places) = &a.places {
        writeln!(out)?;
        writeln!(
            out,
            "Where tracking says the parcel was delivered (read offline; {})",
            places.dataset
        )?;
        writeln!(out, "  tracking names  {}", located(&places.delivered_to))?;
        if let Some(buyer) = &places.buyer {
            writeln!(out, "  your town       {}", located(buyer))?;
        }
        if let Some(distance) = places
            .distance
            .as_ref()
            .filter(|_| places.relation != Some(Relation::SamePlace))
        {
            writeln!(
                out,
                "  distance        {distance}, between the two places' centres"
            )?;
        }
        writeln!(out, "  ({})", places.credit)?;
    }

    if !a.findings.is_empty() {
        writeln!(out)?;
        writeln!(out, "Problems in case.toml")?;
        for f in &a.findings {
            let severity = match f.severity {
                Severity::Error => "error  ",
                Severity::Warning => "warning",
                Severity::Note => "note   ",
            };
            writeln!(
                out,
                "  {severity} {}: {}",
                f.field,
                sanitize_name(&f.message)
            )?;
        }
    }

    if !a.kit.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "Upload kit for {} (made by `claimpack build --kit`, or `claimpack kit` from the bundle)",
            a.platform
        )?;
        for planned in &a.kit {
            writeln!(
                out,
                "  {} {} {}: {}",
                planned.exhibit,
                planned.kind.slug(),
                sanitize_name(&planned.name),
                planned.makes
            )?;
            if let Some(tool) = planned.needs
                && !installed(tools, tool)
            {
                writeln!(
                    out,
                    "      needs {}, which is not installed: {}",
                    tool.name(),
                    tool.install()
                )?;
            }
        }
        writeln!(
            out,
            "  The same evidence for another platform's form: claimpack kit BUNDLE --platform NAME"
        )?;
    }

    if !a.advice.is_empty() {
        writeln!(out)?;
        writeln!(out, "Before you press anything")?;
        for advice in &a.advice {
            writeln!(out, "  - {}", advice.text)?;
        }
    }

    writeln!(out)?;
    let missing: Vec<&str> = a
        .checklist
        .missing_required()
        .map(|i| i.id.as_str())
        .collect();
    if missing.is_empty() {
        writeln!(out, "All required evidence is present.")
    } else {
        writeln!(
            out,
            "Missing required evidence: {} ({} item{}).",
            missing.join(", "),
            missing.len(),
            if missing.len() == 1 { "" } else { "s" }
        )
    }
}
