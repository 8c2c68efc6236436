//! `claimpack build`: the whole pipeline from a case folder to a sealed bundle.

use std::io::Write;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::Serialize;

use crate::analysis::checklist::EvidenceRef;
use crate::analysis::{self, Assessment, Knowledge, timeline};
use crate::error::Error;
use crate::formats::bagit::BagInfo;
use crate::intake::{self, Duplicate, Intake, Skipped};
use crate::metadata;
use crate::model::{Case, Exhibit, exhibit_ids};
use crate::output::{self, Existing};
use crate::package::{BagWriter, PackageError};
use crate::progress::Progress;
use crate::render::thumbnail::{self, Preview};
use crate::render::{manifest, report, summary};
use crate::sanitize::sanitize_name;
use crate::templates::Templates;
use crate::text::{human_bytes, shell_quote};

/// Checked settings for one build.
#[derive(Debug, Clone)]
pub struct BuildConfig {
    pub case_dir: PathBuf,
    /// The bundle path, or a folder to put `<bundle name>.zip` in; `None` means the
    /// current folder.
    pub output: Option<PathBuf>,
    pub created_at: Timestamp,
    /// Whether an earlier bundle at the output path may be replaced (`--force`).
    pub existing: Existing,
    pub show_progress: bool,
    /// Keep GPS coordinates in manifest.json and the report (the originals always
    /// keep them).
    pub show_location: bool,
    /// RFC 3161 authorities to ask for a trusted timestamp.
    pub tsa: Vec<String>,
    /// Fail unless every authority answers with a valid token.
    pub require_timestamp: bool,
    pub templates: Templates,
}

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
    /// Temporary files of killed builds removed from the output folder.
    #[serde(skip)]
    pub stale_removed: Vec<output::Stale>,
    /// Contradictions in the timeline a reviewer would notice.
    pub warnings: Vec<String>,
    /// The checklist, deadlines and findings as of the bundle date.
    pub assessment: Assessment,
    /// Trusted timestamps the bag holds.
    pub timestamps: Vec<crate::package::timestamp::Stamped>,
    /// Authorities that gave none, and why.
    pub timestamp_failures: Vec<String>,
}

/// The bag's name, also the zip's: `claim-aliexpress-8123456789012345-20261123`.
pub fn bundle_name(case: &Case, created_at: Timestamp) -> String {
    let order: String = case
        .order
        .id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .take(40)
        .collect();
    let date = created_at.to_zoned_datetime(jiff::tz::TimeZone::UTC).date();
    format!(
        "claim-{}-{}-{}",
        case.platform.slug(),
        order.trim_matches('-'),
        date.strftime("%Y%m%d")
    )
}

/// Runs intake, packaging and rendering; the bundle appears at its path only if all
/// of it succeeded.
pub fn build(config: &BuildConfig) -> Result<Built, Error> {
    let case_file = intake::read_case(&config.case_dir)?;
    // Broken template overrides fail here, before gigabytes are read.
    let knowledge = Knowledge::load(&config.templates, case_file.case.platform)?;
    let name = bundle_name(&case_file.case, config.created_at);
    let target = output_path(config, &name)?;
    let stale = output::remove_stale_partials(folder_of(&target));

    let mut writer = BagWriter::create(&target, &name, config.created_at, config.existing)?;
    let intake = intake::collect(&config.case_dir, case_file)?;
    // Evidence, plus the report and thumbnails: a guess for a "disk full" message.
    writer.expect_bytes(intake.total_bytes() + intake.files.len() as u64 * 100_000 + 1_000_000);
    let progress = Progress::bytes(intake.total_bytes(), "sealing", !config.show_progress);

    writer.add_payload("data/case.toml", &intake.case_file.bytes, true)?;
    let packed = writer.add_evidence(&intake.files, &progress)?;
    let mut exhibits = Vec::with_capacity(intake.files.len());
    for (file, packed) in intake.files.iter().zip(packed) {
        let found = metadata::read(file, config.show_location);
        let mut warnings = file.warnings.clone();
        warnings.extend(found.warnings);
        exhibits.push(Exhibit {
            id: file.id,
            kind: file.kind,
            kind_source: file.kind_source,
            path: format!("data/evidence/{}", file.bag_name),
            source_name: file.source_name.clone(),
            bytes: packed.bytes,
            sha256: hex::encode(packed.sha256),
            media_type: file.sniffed.media_type.clone(),
            capture: found.capture,
            thumbnail: None,
            caption: file.caption.clone(),
            shows: file.shows.clone(),
            page: found.page,
            warnings,
        });
    }
    drop(progress);
    interrupted()?;

    let captures: Vec<_> = exhibits.iter().map(|e| e.capture.clone()).collect();
    let previews = thumbnail::make_all(&intake.files, &captures);
    let mut thumbs: Vec<String> = Vec::new();
    let previews: Vec<Preview> = exhibits
        .iter_mut()
        .zip(previews)
        .map(|(exhibit, (preview, warning))| {
            exhibit.warnings.extend(warning);
            if matches!(preview, Preview::Image { .. }) {
                let name = exhibit.path.rsplit('/').next().unwrap_or_default();
                let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
                exhibit.thumbnail = Some(format!("data/thumbs/{stem}.jpg"));
            }
            preview
        })
        .collect();
    thumbs.extend(exhibits.iter().filter_map(|e| e.thumbnail.clone()));
    interrupted()?;

    let case = &intake.case_file.case;
    let timeline = timeline::build(case, &exhibits, config.created_at);
    let bundle_day = config
        .created_at
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date();
    let evidence: Vec<EvidenceRef> = exhibits.iter().map(EvidenceRef::from).collect();
    let assessment = analysis::assess(case, &evidence, &knowledge, bundle_day);
    let statement = summary::render(
        &config.templates,
        &summary::Inputs {
            case,
            evidence: &evidence,
            assessment: &assessment,
            profile: &knowledge.profile,
        },
    )?;
    let manifest_json = manifest::render(&manifest::Inputs {
        created_at: config.created_at,
        case,
        exhibits: &exhibits,
        timeline: &timeline,
        assessment: &assessment,
        skipped: &intake.skipped,
        duplicates: &intake.duplicates,
    })?;
    let report_html = report::render(&report::Inputs {
        case,
        exhibits: &exhibits,
        previews: &previews,
        timeline: &timeline,
        statement: &statement,
        assessment: &assessment,
        created_at: config.created_at,
        bundle_name: &name,
        tsa: &config.tsa,
    })?;
    // Payload in name order: manifest.json, report.html, summary-form.txt,
    // summary.txt, thumbs/.
    writer.add_payload("data/manifest.json", &manifest_json, true)?;
    writer.add_payload("data/report.html", report_html.as_bytes(), true)?;
    writer.add_payload(
        "data/summary-form.txt",
        statement.form.text.as_bytes(),
        true,
    )?;
    writer.add_payload("data/summary.txt", statement.full.as_bytes(), true)?;
    let jpegs = previews.iter().filter_map(|p| match p {
        Preview::Image { jpeg, .. } => Some(jpeg),
        Preview::Placeholder(_) => None,
    });
    for (path, jpeg) in thumbs.iter().zip(jpegs) {
        writer.add_payload(path, jpeg, false)?;
    }

    let mut stamped = Vec::new();
    let mut failures = Vec::new();
    let sealed = writer.finish_with(bag_info(&intake, config.created_at), |manifest| {
        if config.tsa.is_empty() {
            return Ok(Vec::new());
        }
        let outcome = crate::package::timestamp::stamp_all(&config.tsa, manifest);
        failures = outcome.failed.iter().map(ToString::to_string).collect();
        if config.require_timestamp && !failures.is_empty() {
            return Err(crate::package::PackageError::Timestamp(failures.join("; ")));
        }
        stamped = outcome.stamped;
        Ok(outcome.files)
    })?;
    Ok(Built {
        bundle: sealed.path,
        seal: hex::encode(sealed.seal),
        created_at: config.created_at.to_string(),
        exhibits,
        payload_bytes: sealed.oxum.bytes,
        skipped: intake.skipped,
        duplicates: intake.duplicates,
        stale_removed: stale,
        warnings: timeline.warnings,
        assessment,
        timestamps: stamped,
        timestamp_failures: failures,
    })
}

/// Stops between stages when Ctrl-C was pressed.
fn interrupted() -> Result<(), Error> {
    if crate::interrupt::requested() {
        return Err(PackageError::Interrupted.into());
    }
    Ok(())
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
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
    let folder = folder_of(&target);
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

/// Prints what a person needs after a build: where, the seal, and anything left out.
pub fn print(built: &Built, json: bool, quiet: bool, out: &mut dyn Write) -> std::io::Result<()> {
    if json {
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
            "  privacy   {} record where they were taken (GPS); {}. The originals in the bundle keep it: whoever gets the bundle can read it.",
            gps.join(", "),
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
            "  privacy   {} carry a camera or lens serial number.",
            serial.join(", ")
        )?;
    }
    if !quiet {
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
