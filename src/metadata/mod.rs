//! Metadata: what each exhibit says about itself — when it was captured and how we
//! know, its size, orientation or rotation, duration, camera and position.
//!
//! It reads only headers (never whole images), opens files read-only, and never fails
//! a build: an unreadable, truncated or lying file is still evidence, so every
//! problem becomes a warning on the item. Times are kept exactly as precise as the
//! file makes them: an offset only when the file records one.

pub mod credentials;
mod page;
mod photo;
mod png;
pub mod previews;
pub mod thumbnail;
pub mod time;
mod video;
mod xmp;

use crate::intake::SourceFile;
use crate::intake::sniff::Family;
use crate::layout;
use crate::model::{
    Capture, CaptureTime, ContentCredentials, CredentialStatus, Exhibit, PageInfo, TimeSource,
};
use crate::package::Packed;
use thumbnail::{Preview, Tools};

/// Whether GPS coordinates reach manifest.json and the report. The originals in the
/// bag always keep them; this is only about what claimpack repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// `--show-location`: the coordinates are shown.
    Show,
    /// Only the fact that the file records a position.
    Hide,
}

/// Settings for describing the sealed files.
#[derive(Debug, Clone)]
pub struct DescribeConfig {
    pub location: Location,
    /// Outside decoders for previews, found when the command's settings were made.
    pub tools: Tools,
    /// The Content Credentials checker, with the trust lists it checks against.
    pub credentials: credentials::Checker,
}

/// One exhibit and one preview per sealed file, in the order given.
#[derive(Debug)]
pub struct Described {
    pub exhibits: Vec<Exhibit>,
    /// Kept in a temporary file until the report and the bag's thumbnails use them.
    pub previews: std::sync::Arc<previews::PreviewStore>,
}

/// Files described between two spills of their previews: enough to keep both
/// workers busy, few enough that memory does not grow with the case.
const DESCRIBE_BATCH: usize = 32;

/// Makes the exhibits: what intake found about each file, what packaging sealed of
/// it and what its own metadata says, with a preview. Two files at a time, each read
/// for its metadata and then its preview while it is still in the page cache.
pub fn describe(files: &[SourceFile], sealed: &[Packed], config: &DescribeConfig) -> Described {
    assert_eq!(files.len(), sealed.len(), "one seal per file");
    let indices: Vec<usize> = (0..files.len()).collect();
    let mut exhibits = Vec::with_capacity(files.len());
    let mut store = previews::PreviewStore::new();
    for batch in indices.chunks(DESCRIBE_BATCH) {
        let described =
            thumbnail::parallel_map(batch, |&i| describe_one(&files[i], sealed[i], config));
        for (exhibit, preview) in described {
            exhibits.push(exhibit);
            store.push(preview);
        }
    }
    give_back_freed_memory();
    Described {
        exhibits,
        previews: std::sync::Arc::new(store),
    }
}

/// Returns memory the preview workers freed to the system. glibc keeps what a
/// thread's arena once held (decoded pictures, a megabyte or so each) for reuse;
/// the report and the seal that follow need none of it.
fn give_back_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory of the allocator's own arenas.
    unsafe {
        libc::malloc_trim(0);
    }
}

fn describe_one(file: &SourceFile, sealed: Packed, config: &DescribeConfig) -> (Exhibit, Preview) {
    let found = read(file, config.location);
    let (preview, preview_warning) = thumbnail::make(file, &found.capture, &config.tools);
    let mut warnings: Vec<String> = file.damaged.iter().cloned().collect();
    if let Some(instead) = &file.not_the_page {
        warnings.push(format!(
            "this capture shows {instead}, not the {} page: it is kept, but it does not show the {}; capture it again while signed in, or save the page from your browser into the case folder",
            file.kind, file.kind
        ));
    }
    warnings.extend(file.warnings.iter().cloned());
    warnings.extend(found.warnings);
    // A damaged file's failed preview says nothing more than that it is damaged.
    if file.damaged.is_none() {
        warnings.extend(preview_warning);
    }
    let content_credentials = config
        .credentials
        .check(
            &file.path,
            &file.sniffed.media_type,
            file.sniffed.family,
            file.bytes,
        )
        .map(Box::new);
    warnings.extend(content_credentials.as_deref().and_then(credential_warning));
    let thumbnail =
        matches!(preview, Preview::Image { .. }).then(|| layout::thumbnail_path(&file.bag_name));
    let exhibit = Exhibit {
        id: file.id,
        kind: file.kind,
        kind_source: file.kind_source,
        path: layout::evidence_path(&file.bag_name),
        source_name: file.source_name.clone(),
        bytes: sealed.bytes,
        sha256: hex::encode(sealed.sha256),
        media_type: file.sniffed.media_type.clone(),
        capture: found.capture,
        thumbnail,
        caption: file.caption.clone(),
        shows: file.shows.clone(),
        page: found.page,
        damaged: file.damaged.clone(),
        not_the_page: file.not_the_page.clone(),
        attachments: Vec::new(),
        content_credentials,
        warnings,
    };
    (exhibit, preview)
}

/// What a buyer must hear about a credential before a reviewer does: that it says AI
/// made or changed the picture, that it no longer checks, or that it records edits.
fn credential_warning(found: &ContentCredentials) -> Option<String> {
    match found.status {
        CredentialStatus::Invalid => Some(format!(
            "its Content Credentials do not check: {}. A reviewer who checks them will see this; say why the file changed, or use the original from the device",
            found
                .failed
                .iter()
                .map(|f| f.meaning.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        )),
        CredentialStatus::Trusted | CredentialStatus::Untrusted => {
            if let Some(ai) = found.ai {
                Some(format!(
                    "{}: a reviewer who checks the Content Credentials will see it, and the statement's exhibit list says so. Filing a picture made or changed by AI as a photo of what you received can get the claim refused; leave it out unless you can say what it shows",
                    ai.meaning()
                ))
            } else if found.edited() {
                Some(format!(
                    "its Content Credentials record what was done to it after capture ({}): a reviewer who checks them will see it; the untouched file from the device is stronger evidence",
                    found.changes().join(", ")
                ))
            } else {
                None
            }
        }
        CredentialStatus::None | CredentialStatus::Unreadable | CredentialStatus::NotChecked => {
            None
        }
    }
}

/// What reading one file found.
#[derive(Debug, Default)]
pub struct Found {
    pub capture: Capture,
    pub page: Option<PageInfo>,
    pub warnings: Vec<String>,
    /// Every capture time the file gave, with where it came from; [`Found::settle_time`]
    /// picks one by [`TimeSource::rank`] and names the others that disagree.
    times: Vec<Candidate>,
}

/// One capture time a file records.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    time: CaptureTime,
    source: TimeSource,
    /// The offset was worked out from the photo's GPS clock.
    offset_from_gps: bool,
}

/// Two recorded times further apart than this are said to disagree: a day, so that
/// a local time and a UTC time of the same moment never do.
const DISAGREE_SECONDS: i64 = 26 * 3600;

impl Found {
    fn warn(&mut self, warning: String) {
        self.warnings.push(warning);
    }

    /// Records a capture time the file gives; the best is chosen once all are read.
    fn offer_time(&mut self, time: CaptureTime, source: TimeSource) {
        self.offer_exif_time(time, source, false);
    }

    /// Records an EXIF capture time whose offset may come from the GPS clock.
    fn offer_exif_time(&mut self, time: CaptureTime, source: TimeSource, offset_from_gps: bool) {
        self.times.push(Candidate {
            time,
            source,
            offset_from_gps,
        });
    }

    /// Chooses the capture time with the best source (a camera's own capture tag over
    /// an editor's or a container's date) and, when other recorded times are more than
    /// a day away from it, says which: a file converted or edited years later keeps its
    /// capture tag, and a reviewer should see both rather than the wrong one.
    fn settle_time(&mut self) {
        let Some(best) = self.times.iter().min_by_key(|c| c.source.rank()).copied() else {
            return;
        };
        self.capture.captured_at = Some(best.time);
        self.capture.captured_at_source = Some(best.source);
        self.capture.offset_from_gps = best.offset_from_gps;
        let mut others: Vec<String> = Vec::new();
        for other in &self.times {
            let apart = best.time.local.duration_since(other.time.local).as_secs();
            let named = format!("{} says {}", other.source, other.time.local.date());
            if apart.abs() > DISAGREE_SECONDS && !others.contains(&named) {
                others.push(named);
            }
        }
        if !others.is_empty() {
            self.warn(format!(
                "other dates inside the file disagree: {}; the time shown is {}, {} (editing, converting or re-saving a file writes later dates)",
                others.join(", "),
                best.source,
                best.source.meaning()
            ));
        }
    }
}

/// Reads one exhibit's metadata. With [`Location::Hide`] only the fact that the file
/// records a position is kept, not the coordinates.
pub fn read(file: &SourceFile, location: Location) -> Found {
    let mut found = Found::default();
    if file.bytes > 0 {
        match file.sniffed.family {
            Family::Image => photo::read(&file.path, &file.sniffed.media_type, &mut found),
            Family::Video => video::read(&file.path, &mut found),
            // A voice memo or call recording in MP4 audio has the same movie header.
            Family::Audio
                if file.sniffed.media_type.contains("mp4")
                    || file.sniffed.media_type.contains("m4a") =>
            {
                video::read(&file.path, &mut found)
            }
            _ => {}
        }
        page::read(file, &mut found);
        found.settle_time();
    }
    if found.capture.captured_at.is_none()
        && let Some(time) = file
            .modified
            .and_then(|m| jiff::Timestamp::try_from(m).ok())
            // Whole seconds: finer digits would suggest a precision copying destroys.
            .and_then(|t| jiff::Timestamp::from_second(t.as_second()).ok())
            .and_then(time::utc)
    {
        found.capture.captured_at = Some(time);
        found.capture.captured_at_source = Some(TimeSource::FileModified);
        if matches!(file.sniffed.family, Family::Image | Family::Video) {
            found.warn(
                "no capture time inside the file; the file's modification time is shown, which copying or editing changes"
                    .to_owned(),
            );
        }
    }
    found.capture.gps_present = found.capture.gps.is_some();
    if location == Location::Hide {
        found.capture.gps = None;
    }
    found
}
