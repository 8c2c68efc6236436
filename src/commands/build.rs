//! `claimpack build`: the whole pipeline from a case folder to a sealed bundle.

use std::io::Write;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::Serialize;

use crate::analysis::checklist::EvidenceRef;
use crate::analysis::deadlines::Status;
use crate::analysis::{self, Assessment, Knowledge};
use crate::config::{BuildConfig, Format, Hints, Output, Timestamps};
use crate::error::Error;
use crate::formats::bagit::BagInfo;
use crate::intake::{self, Duplicate, Intake, Skipped};
use crate::kit::KitConfig;
use crate::layout::{self, Compression};
use crate::metadata;
use crate::model::{Exhibit, exhibit_ids};
use crate::output::{self, Existing};
use crate::package::timestamp::{self, Stamped};
use crate::package::{BagWriter, PackageError, Packed, Sealed};
use crate::progress::{self, Progress};
use crate::render;
use crate::sanitize::sanitize_name;
use crate::text::{human_bytes, shell_quote};

/// What a build produced.
#[derive(Debug, Clone, Serialize)]
pub struct Built {
    pub bundle: PathBuf,
    pub seal: String,
    pub created_at: String,
    pub exhibits: Vec<Exhibit>,
    pub payload_bytes: u64,
    pub skipped: Vec<Skipped>,
    pub duplicates: Vec<Duplicate>,
    /// The buyer's notes beside the bundle, or why they could not be written.
    #[serde(serialize_with = "notes_json")]
    pub notes: Result<PathBuf, String>,
    /// Numbered files that are gone, and a lock that could not be written.
    pub numbering: Vec<crate::analysis::consistency::Finding>,
    /// Temporary files of killed builds removed from the output folder.
    #[serde(skip)]
    pub stale_removed: Vec<output::Stale>,
    /// Contradictions in the timeline a reviewer would notice.
    pub warnings: Vec<String>,
    /// The checklist, deadlines and findings as of the bundle date.
    pub assessment: Assessment,
    /// Trusted timestamps the bag holds.
    pub timestamps: Vec<Stamped>,
    /// Authorities that gave none, and why.
    pub timestamp_failures: Vec<String>,
    /// The upload kit made after it (`build --kit --json`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kit: Option<crate::kit::Kit>,
}

/// Runs the pipeline; the bundle appears at its path only if all of it succeeded.
pub fn build(config: &BuildConfig) -> Result<Built, Error> {
    if config.strictness == crate::config::Strictness::FailOnGaps {
        refuse_gaps(config)?;
    }
    let case_file = intake::read_case(&config.case_dir)?;
    // Broken template overrides fail here, before gigabytes are read.
    let knowledge = Knowledge::load(&config.templates, case_file.case.platform)?;
    let name = layout::bundle_name(&case_file.case, config.created_at);
    let target = output_path(config, &name)?;
    let stale = output::remove_stale_partials(output::folder_of(&target));
    let mut writer = BagWriter::create(&target, &name, config.created_at, config.existing)?;

    let intake = intake::collect(&config.case_dir, case_file)?;
    let sealed = seal_evidence(&mut writer, &intake, config.progress)?;
    interrupted()?;

    // The packed files come in the bag's order: each exhibit, then its attachments.
    let mut sealed_by_file = sealed.into_iter();
    let mut faces = Vec::with_capacity(intake.files.len());
    let mut attachments = Vec::with_capacity(intake.files.len());
    for file in &intake.files {
        let Some(face) = sealed_by_file.next() else {
            break;
        };
        faces.push(face);
        attachments.push(
            file.attachments
                .iter()
                .zip(sealed_by_file.by_ref())
                .map(|(attachment, packed)| crate::model::Attachment {
                    path: layout::evidence_path(&attachment.bag_name),
                    source_name: attachment.source_name.clone(),
                    bytes: packed.bytes,
                    sha256: hex::encode(packed.sha256),
                    media_type: attachment.sniffed.media_type.clone(),
                    part: intake::capture_part(&attachment.source_name)
                        .unwrap_or("part of the capture")
                        .to_owned(),
                })
                .collect::<Vec<_>>(),
        );
    }
    let mut described = metadata::describe(&intake.files, &faces, &config.describe);
    for (exhibit, attached) in described.exhibits.iter_mut().zip(attachments) {
        exhibit.attachments = attached;
    }
    interrupted()?;

    let case = &intake.case_file.case;
    let exhibits = std::sync::Arc::new(described.exhibits);
    let evidence: Vec<EvidenceRef> = exhibits.iter().map(EvidenceRef::from).collect();
    let assessment = analysis::assess(case, &evidence, &knowledge, day_of(config.created_at));

    let mut rendered = render::documents(&render::Inputs {
        templates: &config.templates,
        case,
        exhibits: &exhibits,
        previews: &described.previews,
        assessment: &assessment,
        profile: &knowledge.profile,
        skipped: &intake.skipped,
        duplicates: &intake.duplicates,
        created_at: config.created_at,
        bundle_name: &name,
        tsa: &config.tsa,
    })?;
    rendered.write_into(&mut writer, &described.previews)?;
    // The report's cards are done with them: this is the only holder again.
    let exhibits = std::sync::Arc::try_unwrap(exhibits).unwrap_or_else(|shared| (*shared).clone());

    let finished = finish(writer, bag_info(&intake, config.created_at), config)?;
    // The numbers the sealed statement cites are kept for the next statement.
    let numbering = super::check::keep_numbers(&config.case_dir, &intake);
    let notes = write_notes(&finished.sealed.path, &assessment, config);
    Ok(Built {
        bundle: finished.sealed.path,
        seal: hex::encode(finished.sealed.seal),
        created_at: config.created_at.to_string(),
        exhibits,
        payload_bytes: finished.sealed.oxum.bytes,
        skipped: intake.skipped,
        duplicates: intake.duplicates,
        stale_removed: stale,
        numbering,
        notes,
        warnings: rendered.timeline.warnings,
        assessment,
        timestamps: finished.stamped,
        timestamp_failures: finished.failures,
        kit: None,
    })
}

/// Writes the case file and streams every evidence file into the bag.
fn seal_evidence(
    writer: &mut BagWriter,
    intake: &Intake,
    progress: progress::Mode,
) -> Result<Vec<Packed>, PackageError> {
    // Evidence, plus the report and thumbnails: a guess for a "disk full" message.
    writer.expect_bytes(intake.total_bytes() + intake.files.len() as u64 * 100_000 + 1_000_000);
    // Attachments are evidence too: sealed under their exhibit's number.
    writer.add_payload(
        layout::CASE_TOML,
        &intake.case_file.bytes,
        Compression::Deflate,
    )?;
    let progress = Progress::bytes(intake.total_bytes(), "sealing", progress);
    writer.add_evidence(&intake.sealed_order(), &progress)
}

/// What the last step sealed and which trusted timestamps it holds.
struct Finished {
    sealed: Sealed,
    stamped: Vec<Stamped>,
    failures: Vec<String>,
}

/// Writes the tag files, with trusted timestamps over the payload manifest when
/// authorities were given, and moves the bundle into place.
fn finish(writer: BagWriter, info: BagInfo, config: &BuildConfig) -> Result<Finished, Error> {
    let mut stamped = Vec::new();
    let mut failures = Vec::new();
    let sealed = writer.finish_with(info, |manifest| {
        if config.tsa.is_empty() {
            return Ok(Vec::new());
        }
        let outcome = timestamp::stamp_all(&config.tsa, manifest);
        failures = outcome.failed.iter().map(ToString::to_string).collect();
        if config.timestamps == Timestamps::Required && !failures.is_empty() {
            return Err(PackageError::Timestamp(failures.join("; ")));
        }
        stamped = outcome.stamped;
        Ok(outcome.files)
    })?;
    Ok(Finished {
        sealed,
        stamped,
        failures,
    })
}

/// The bundle's day, in UTC: what deadlines are counted to.
pub fn day_of(created_at: Timestamp) -> jiff::civil::Date {
    created_at.to_zoned_datetime(jiff::tz::TimeZone::UTC).date()
}

/// The kit `build --kit` (and `demo`) makes beside the bundle just sealed.
pub fn kit_config(config: &BuildConfig, built: &Built, existing: Existing) -> KitConfig {
    KitConfig {
        bundle: built.bundle.clone(),
        platform: None,
        output: None,
        existing,
        progress: config.progress,
        templates: config.templates.clone(),
        tools: config.describe.tools.clone(),
    }
}

/// Stops between stages when Ctrl-C was pressed.
fn interrupted() -> Result<(), Error> {
    if crate::interrupt::requested() {
        return Err(PackageError::Interrupted.into());
    }
    Ok(())
}

/// Where the bundle goes, checked before gigabytes are read: its folder exists, it
/// is outside the case folder (so no flag can make a build overwrite evidence or
/// seal an earlier bundle), and an existing file there is replaced only with
/// `--force` and only if it is an earlier bundle.
fn output_path(config: &BuildConfig, name: &str) -> Result<PathBuf, PackageError> {
    let file_name = format!("{name}.zip");
    let target = match &config.output {
        Some(path) if path.is_dir() => path.join(file_name),
        Some(path)
            if path
                .as_os_str()
                .to_string_lossy()
                .ends_with(std::path::MAIN_SEPARATOR) =>
        {
            return Err(PackageError::NoFolder(path.clone()));
        }
        Some(path) => path.clone(),
        None => PathBuf::from(file_name),
    };
    let folder = output::folder_of(&target);
    let Ok(canonical_folder) = std::fs::canonicalize(folder) else {
        return Err(PackageError::NoFolder(folder.to_owned()));
    };
    if !canonical_folder.is_dir() {
        return Err(PackageError::NoFolder(folder.to_owned()));
    }
    if let Ok(case) = std::fs::canonicalize(&config.case_dir)
        && canonical_folder.starts_with(&case)
    {
        return Err(PackageError::InsideCase {
            target,
            case: config.case_dir.clone(),
        });
    }
    // The notes follow the bundle: claimpack's own notes are replaced with it (they
    // describe a bundle that is being made again); any other file there is not.
    let notes = notes_path(&target);
    if notes.symlink_metadata().is_ok() && !is_our_notes(&notes) {
        return Err(PackageError::NotOurNotes(notes));
    }
    match target.symlink_metadata() {
        Err(_) => {}
        Ok(_) if config.existing == Existing::Refuse => return Err(PackageError::Exists(target)),
        Ok(metadata) if metadata.is_file() && crate::verify::looks_like_bundle(&target) => {}
        Ok(_) => return Err(PackageError::NotABundle(target)),
    }
    Ok(target)
}

fn bag_info(intake: &Intake, created_at: Timestamp) -> BagInfo {
    let case = &intake.case_file.case;
    let mut info = BagInfo::default();
    info.push(
        "Bag-Software-Agent",
        format!(
            "claimpack {} <{}>",
            env!("CARGO_PKG_VERSION"),
            env!("CARGO_PKG_REPOSITORY")
        ),
    );
    info.push(
        "Bagging-Date",
        created_at
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .date()
            .to_string(),
    );
    if let Some(name) = case.buyer.as_ref().and_then(|b| b.name.as_deref()) {
        info.push("Contact-Name", name);
    }
    let item = case
        .order
        .item
        .as_deref()
        .map(|item| format!(": {item}"))
        .unwrap_or_default();
    let description: String = format!(
        "Evidence for a dispute on {} ({}) about order {}{item}",
        case.platform.display_name(),
        case.reason.slug(),
        case.order.id
    )
    .chars()
    .take(200)
    .collect();
    info.push("External-Description", description);
    info.push(
        "External-Identifier",
        format!("{}:{}", case.platform.slug(), case.order.id),
    );
    info
}

/// `"notes": {"path": …}` or `{"error": …}` in `--json`.
fn notes_json<S: serde::Serializer>(
    notes: &Result<PathBuf, String>,
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(1))?;
    match notes {
        Ok(path) => map.serialize_entry("path", path)?,
        Err(why) => map.serialize_entry("error", why)?,
    }
    map.end()
}

/// The buyer's notes beside `bundle`: `claim-….zip` → `claim-…-NOTES.txt`.
pub fn notes_path(bundle: &Path) -> PathBuf {
    let stem = bundle
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "claim".to_owned());
    bundle.with_file_name(format!("{stem}-NOTES.txt"))
}

/// The first words of the notes, by which a later build knows them as its own.
const NOTES_HEADER: &str = "Notes for you, not for the reviewer: ";

fn is_our_notes(path: &Path) -> bool {
    let mut head = [0u8; NOTES_HEADER.len()];
    std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
        .is_ok_and(|()| head == NOTES_HEADER.as_bytes())
}

/// Writes what only the buyer needs (missing evidence, deadlines, advice, the
/// kit's plan: what `check` prints, as of the bundle's day) beside the bundle, so
/// the report inside it is the reviewer's alone. The bundle is sealed whatever
/// happens here; a failure is reported, not fatal.
fn write_notes(
    bundle: &Path,
    assessment: &Assessment,
    config: &BuildConfig,
) -> Result<PathBuf, String> {
    let path = notes_path(bundle);
    let mut text = format!(
        "{NOTES_HEADER}what claimpack found in your case when it sealed\n{}.\nThe reviewer reads the bundle's report; nothing here is in the bundle.\n\n",
        bundle
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    )
    .into_bytes();
    super::check::print(assessment, &config.describe.tools, Format::Text, &mut text)
        .map_err(|e| e.to_string())?;
    output::write_whole(&path, &text, Existing::Replace).map_err(|e| e.to_string())?;
    Ok(path)
}

/// `--strict`: fails before anything is written while `check --strict` would.
fn refuse_gaps(config: &BuildConfig) -> Result<(), Error> {
    let assessed = super::check::assess_folder(
        &config.case_dir,
        &config.templates,
        day_of(config.created_at),
    )?;
    let assessment = &assessed.assessment;
    if !super::check::strict_failure(assessment) {
        return Ok(());
    }
    let mut gaps: Vec<String> = assessment
        .checklist
        .missing_required()
        .map(|item| format!("{} is missing ({})", item.id, item.what))
        .collect();
    gaps.extend(
        assessment
            .findings
            .iter()
            .filter(|f| f.severity == crate::analysis::consistency::Severity::Error)
            .map(|f| format!("{}: {}", f.field, f.message)),
    );
    Err(Error::Incomplete {
        case_dir: config.case_dir.clone(),
        gaps: gaps.join("; "),
    })
}

/// The two lines a build ends with while the case is not ready: the required
/// evidence still missing, and the nearest deadline the buyer must meet.
fn readiness_lines(assessment: &Assessment) -> Vec<String> {
    let mut lines = Vec::new();
    let missing: Vec<String> = assessment
        .checklist
        .missing_required()
        .map(|item| format!("{} ({})", item.id, item.what))
        .collect();
    if !missing.is_empty() {
        lines.push(format!(
            "missing   required evidence: {}; `claimpack check` says how to capture it, then build again",
            missing.join("; ")
        ));
    }
    let nearest = assessment
        .deadlines
        .iter()
        .filter(|d| d.actor != crate::profile::Actor::Seller)
        .filter(|d| matches!(d.status, Status::Open | Status::Urgent))
        .filter_map(|d| Some((d.days_left?, d)))
        .min_by_key(|(days, _)| *days);
    let undated = assessment
        .deadlines
        .iter()
        .find(|d| d.actor != crate::profile::Actor::Seller && d.status == Status::Unknown);
    if let (None, Some(deadline)) = (nearest, undated) {
        lines.push(format!(
            "deadline  {}: not known yet; add {} to case.toml",
            deadline.what,
            deadline.needs.join(" or ")
        ));
    }
    if let Some((days, deadline)) = nearest {
        lines.push(format!(
            "deadline  {}: last day {} ({} left{})",
            deadline.what,
            deadline.closes.as_deref().unwrap_or("?"),
            match days {
                0 => "today is the last day".to_owned(),
                1 => "1 day".to_owned(),
                n => format!("{n} days"),
            },
            if deadline.status == Status::Urgent {
                "; do it now"
            } else {
                ""
            }
        ));
    }
    lines
}

/// Prints what a person needs after a build: where, the seal, and anything left out.
pub fn print(built: &Built, output: Output, out: &mut dyn Write) -> std::io::Result<()> {
    if output.format == Format::Json {
        serde_json::to_writer_pretty(&mut *out, built)?;
        return writeln!(out);
    }
    let path = sanitize_name(&built.bundle.display().to_string());
    writeln!(out, "Sealed {path}")?;
    writeln!(
        out,
        "  {} exhibit{}, {} in the payload",
        built.exhibits.len(),
        if built.exhibits.len() == 1 { "" } else { "s" },
        human_bytes(built.payload_bytes)
    )?;
    writeln!(out, "  seal {}", built.seal)?;
    for s in &built.timestamps {
        writeln!(
            out,
            "  trusted time {} from {} ({}.tsr)",
            s.stamp.time,
            sanitize_name(&s.stamp.authority),
            s.stem
        )?;
    }
    for failure in &built.timestamp_failures {
        writeln!(
            out,
            "  warning   no trusted timestamp from {}; the bundle is sealed without it",
            sanitize_name(failure)
        )?;
    }
    for stale in &built.stale_removed {
        writeln!(
            out,
            "  removed   {} ({}), left by a build that was killed",
            sanitize_name(&stale.path.display().to_string()),
            human_bytes(stale.bytes)
        )?;
    }
    for skipped in &built.skipped {
        writeln!(
            out,
            "  skipped   {} ({})",
            sanitize_name(&skipped.path),
            skipped.why
        )?;
    }
    for finding in &built.numbering {
        writeln!(out, "  numbers   {}: {}", finding.field, finding.message)?;
    }
    for duplicate in &built.duplicates {
        writeln!(
            out,
            "  duplicate {} is identical to {}, sealed once",
            sanitize_name(&duplicate.path),
            duplicate.same_as
        )?;
    }
    for exhibit in &built.exhibits {
        for warning in &exhibit.warnings {
            writeln!(
                out,
                "  warning   {} {}: {}",
                exhibit.id,
                sanitize_name(&exhibit.source_name),
                sanitize_name(warning)
            )?;
        }
    }
    for warning in &built.warnings {
        writeln!(out, "  timeline  {}", sanitize_name(warning))?;
    }
    let gps = exhibit_ids(&built.exhibits, |e| e.capture.gps_present);
    if !gps.is_empty() {
        let shown = built.exhibits.iter().any(|e| e.capture.gps.is_some());
        writeln!(
            out,
            "  privacy   {}; {}. The originals in the bundle keep it: whoever gets the bundle can read it.",
            crate::text::exhibits_that(
                &gps,
                "records where it was taken (GPS)",
                "record where they were taken (GPS)"
            ),
            if shown {
                "the report shows the coordinates"
            } else {
                "the report says only \"GPS present\" (--show-location shows it)"
            }
        )?;
    }
    let serial = exhibit_ids(&built.exhibits, |e| e.capture.serial_present);
    if !serial.is_empty() {
        writeln!(
            out,
            "  privacy   {}.",
            crate::text::exhibits_that(
                &serial,
                "carries a camera or lens serial number",
                "carry a camera or lens serial number"
            )
        )?;
    }
    for line in readiness_lines(&built.assessment) {
        writeln!(out, "  {line}")?;
    }
    match &built.notes {
        Ok(path) => writeln!(
            out,
            "  notes     {}: what is missing, deadlines and advice, for you (not in the bundle)",
            sanitize_name(&path.display().to_string())
        )?,
        Err(why) => writeln!(out, "  notes     could not be written: {why}")?,
    }
    if output.hints == Hints::Show {
        writeln!(out)?;
        writeln!(
            out,
            "The seal is the SHA-256 of manifest-sha256.txt: note it, or paste it into your claim."
        )?;
        writeln!(
            out,
            "Check the bundle any time with: claimpack verify {}",
            shell_quote(&path)
        )?;
    }
    Ok(())
}
