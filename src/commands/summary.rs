//! `claimpack summary`: prints the English statement, in full or in the version that
//! fits the platform's text box. It reads the case folder and writes nothing.

use std::io::Write;
use std::path::Path;

use jiff::civil::Date;
use serde::Serialize;

use crate::analysis::checklist::EvidenceRef;
use crate::config::{Format, Hints, Output, Version};
use crate::error::Error;
use crate::render::summary::{self, Statement};
use crate::templates::Templates;

/// The statement and what a person should know about it.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    #[serde(flatten)]
    pub statement: Statement,
    /// Facts the statement would state if case.toml gave them.
    pub missing_facts: Vec<crate::analysis::consistency::Finding>,
}

/// Renders the statement of a case folder as of `today`. Photos and videos have their
/// Content Credentials checked as `build` does, so that the statement printed here
/// is the one the bundle will hold (its AI markers and credential sentences too).
pub fn summary(
    dir: &Path,
    templates: &Templates,
    today: Date,
    credentials: &crate::metadata::credentials::Checker,
) -> Result<Summary, Error> {
    let super::check::Assessed {
        intake,
        knowledge,
        assessment,
    } = super::check::assess_folder(dir, templates, today)?;
    let case = &intake.case_file.case;
    let checked: Vec<_> = intake
        .files
        .iter()
        .map(|f| credentials.check(&f.path, &f.sniffed.media_type, f.sniffed.family, f.bytes))
        .collect();
    let evidence: Vec<EvidenceRef> = intake
        .files
        .iter()
        .zip(&checked)
        .map(|(f, found)| EvidenceRef {
            credentials: found.as_ref(),
            ..EvidenceRef::from(f)
        })
        .collect();
    let statement = summary::render(
        templates,
        &summary::Inputs {
            case,
            evidence: &evidence,
            assessment: &assessment,
            profile: &knowledge.profile,
        },
    )?;
    let missing_facts = assessment
        .findings
        .iter()
        .filter(|f| {
            f.severity == crate::analysis::consistency::Severity::Note
                || f.field == "request.resolution"
        })
        .filter(|f| !f.field.starts_with("evidence"))
        .cloned()
        .collect();
    Ok(Summary {
        statement,
        missing_facts,
    })
}

/// Prints the statement on stdout; notes about it go to stderr so that stdout can be
/// pasted or piped as it is.
pub fn print(
    summary: &Summary,
    version: Version,
    output: Output,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let form = version == Version::Form;
    let quiet = output.hints == Hints::Hide;
    if output.format == Format::Json {
        serde_json::to_writer_pretty(&mut *out, summary)?;
        return writeln!(out);
    }
    let f = &summary.statement.form;
    if form {
        out.write_all(f.text.as_bytes())?;
    } else {
        out.write_all(summary.statement.full.as_bytes())?;
    }
    if quiet {
        return Ok(());
    }
    let mut err = std::io::stderr().lock();
    writeln!(
        err,
        "note: read it before you paste it: each \"Exhibit E..\" it cites should show what the sentence says."
    )?;
    for fact in &summary.missing_facts {
        writeln!(
            err,
            "note: {}: {}",
            crate::sanitize::sanitize_name(&fact.field),
            fact.message
        )?;
    }
    for field in &f.left_out {
        writeln!(
            err,
            "note: {field} is left out of the form, which takes English characters only; write it in English in case.toml"
        )?;
    }
    if form {
        writeln!(
            err,
            "note: {} of {} characters{}{}.",
            f.chars,
            f.limit,
            if f.ascii_only {
                ", English (ASCII) characters only"
            } else {
                ""
            },
            if f.dropped.is_empty() {
                String::new()
            } else {
                format!(
                    "; {} lower-priority sentence{} left out (the full statement is in the bundle)",
                    f.dropped.len(),
                    if f.dropped.len() == 1 { "" } else { "s" }
                )
            }
        )?;
        if !f.limit_known {
            writeln!(err, "note: {}", f.limit_source)?;
        }
    } else if !f.left_out.is_empty() {
        writeln!(
            err,
            "note: the form version leaves those fields out; `claimpack summary --form` prints it."
        )?;
    } else if f.dropped.is_empty() {
        writeln!(err, "note: this statement fits the form as it is.")?;
    } else {
        writeln!(
            err,
            "note: too long for the form ({} characters at most); `claimpack summary --form` prints the short version.",
            f.limit
        )?;
    }
    Ok(())
}
