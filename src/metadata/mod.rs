//! Metadata: what each exhibit says about itself — when it was captured and how we
//! know, its size, orientation or rotation, duration, camera and position.
//!
//! It reads only headers (never whole images), opens files read-only, and never fails
//! a build: an unreadable, truncated or lying file is still evidence, so every
//! problem becomes a warning on the item. Times are kept exactly as precise as the
//! file makes them: an offset only when the file records one.

mod page;
mod photo;
pub mod time;
mod video;
mod xmp;

use crate::intake::SourceFile;
use crate::intake::sniff::Family;
use crate::model::{Capture, CaptureTime, PageInfo};

/// What reading one file found.
#[derive(Debug, Default)]
pub struct Found {
    pub capture: Capture,
    pub page: Option<PageInfo>,
    pub warnings: Vec<String>,
}

impl Found {
    fn warn(&mut self, warning: String) {
        self.warnings.push(warning);
    }

    /// Records a capture time unless a better source already gave one (sources are
    /// tried best first, but `mvhd` is read before Apple's key, which overrides it).
    fn set_time(&mut self, time: CaptureTime, source: &'static str) {
        let replaces = match self.capture.captured_at_source.as_deref() {
            None => true,
            // A capture record knows when claimpack fetched the page; a screenshot's
            // own PNG time (if any) is no better.
            Some(_) if source == "capture:started_at" => true,
            Some("mp4:mvhd") => source == "quicktime:CreationDate",
            Some(_) => false,
        };
        if replaces {
            self.capture.captured_at = Some(time);
            self.capture.captured_at_source = Some(source.to_owned());
        }
    }
}

/// Reads one exhibit's metadata. `show_location` keeps GPS coordinates; otherwise
/// only the fact that the file has them is kept.
pub fn read(file: &SourceFile, show_location: bool) -> Found {
    let mut found = Found::default();
    if file.bytes > 0 {
        match file.sniffed.family {
            Family::Image => photo::read(&file.path, &file.sniffed.media_type, &mut found),
            Family::Video => video::read(&file.path, &mut found),
            _ => {}
        }
        page::read(file, &mut found);
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
        found.capture.captured_at_source = Some("file:mtime".to_owned());
        if matches!(file.sniffed.family, Family::Image | Family::Video) {
            found.warn(
                "no capture time inside the file; the file's modification time is shown, which copying or editing changes"
                    .to_owned(),
            );
        }
    }
    found.capture.gps_present = found.capture.gps.is_some();
    if !show_location {
        found.capture.gps = None;
    }
    found
}
