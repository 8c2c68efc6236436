//! `claimpack demo`: a sample damaged-item case, written from files compiled into the
//! binary so it works from any folder with nothing but the executable.
//!
//! The story (ordered, shipped, delivered, the chat, the end of buyer protection) is
//! written for [`STORY_DAY`]; the demo moves every date by the days between that and
//! the day it is built, so `check` on a fresh demo never says protection ended. The
//! stand-in photos and video get capture times on the delivery day, written into their
//! EXIF and QuickTime headers, so the report's timeline has nothing to warn about.

use std::fs;
use std::path::{Path, PathBuf};

use jiff::Span;
use jiff::civil::Date;

use super::{ScaffoldError, write_atomically};
use crate::output::Existing;

/// (path inside the case folder, bytes)
const CASE_FILES: [(&str, &[u8]); 8] = [
    ("case.toml", include_bytes!("../../assets/demo/case.toml")),
    (
        "photos/box-front.jpg",
        include_bytes!("../../assets/demo/box-front.jpg"),
    ),
    (
        "photos/item-close-up.jpg",
        include_bytes!("../../assets/demo/item-close-up.jpg"),
    ),
    (
        "videos/unboxing.mov",
        include_bytes!("../../assets/demo/unboxing.mov"),
    ),
    (
        "chat/seller-chat.txt",
        include_bytes!("../../assets/demo/seller-chat.txt"),
    ),
    (
        "chat/seller-chat.png",
        include_bytes!("../../assets/demo/seller-chat.png"),
    ),
    (
        "tracking/tracking-page.html",
        include_bytes!("../../assets/demo/tracking-page.html"),
    ),
    (
        "order/order-page.png",
        include_bytes!("../../assets/demo/order-page.png"),
    ),
];

const ABOUT: &[u8] = include_bytes!("../../assets/demo/ATTRIBUTION.md");

/// The day the sample story is written for: its dates read as if the demo were
/// built on this day, and move with the day it is built.
const STORY_DAY: Date = jiff::civil::date(2026, 11, 23);
/// The story's delivery day (case.toml's `shipping.delivered`).
const DELIVERED: Date = jiff::civil::date(2026, 10, 28);

/// A stand-in's own capture date as its EXIF writes it, and the time of day (UTC)
/// its new capture time gets on the delivery day.
const PHOTO_DATES: [(&str, &str); 2] = [
    ("photos/box-front.jpg", "2018:07:25"),
    ("photos/item-close-up.jpg", "2015:07:22"),
];
/// The video's own creation date as its Apple metadata writes it (local time), and
/// the local time it gets: after the box photo (16:34), before the close-up (21:31).
const VIDEO_DATE: &str = "2026-03-23T15:57:19+0100";
const VIDEO_TIME: jiff::civil::Time = jiff::civil::time(16, 45, 0, 0);
const VIDEO_OFFSET_HOURS: i8 = 2;
/// The stand-in screenshots and when, in the story, they were taken (local time,
/// UTC+2): the chat after its last message, the order page the day after.
const SCREENSHOT_TIMES: [(&str, Date, jiff::civil::Time); 2] = [
    (
        "chat/seller-chat.png",
        jiff::civil::date(2026, 10, 30),
        jiff::civil::time(9, 0, 0, 0),
    ),
    (
        "order/order-page.png",
        jiff::civil::date(2026, 10, 31),
        jiff::civil::time(10, 15, 0, 0),
    ),
];

/// Where the demo was written.
#[derive(Debug, Clone)]
pub struct Demo {
    pub root: PathBuf,
    pub case_dir: PathBuf,
}

/// Writes the sample case into `root/my-claim` and the attributions into
/// `root/ABOUT.txt`. An existing, non-empty `root` needs [`Existing::Replace`]; even then, only the
/// demo's own files are replaced and the previous demo bundle is removed.
pub fn write(root: &Path, existing: Existing, day: Date) -> Result<Demo, ScaffoldError> {
    let force = existing == Existing::Replace;
    let not_empty = fs::read_dir(root).is_ok_and(|mut entries| entries.next().is_some());
    if not_empty && !force {
        return Err(ScaffoldError::NotEmpty(root.to_owned()));
    }
    let case_dir = root.join("my-claim");
    for (name, bytes) in CASE_FILES {
        let path = case_dir.join(name);
        if let Some(folder) = path.parent() {
            fs::create_dir_all(folder).map_err(|source| ScaffoldError::Write {
                path: folder.to_owned(),
                source,
            })?;
        }
        write_atomically(&path, &dated(name, bytes, day))?;
        // A plausible file time (the day after the chat), fixed by the day, so that
        // rebuilds on one day are identical.
        let fixed = file_time(day);
        let set_time = fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .and_then(|file| file.set_modified(fixed));
        set_time.map_err(|source| ScaffoldError::Write {
            path: path.clone(),
            source,
        })?;
    }
    write_atomically(&root.join("ABOUT.txt"), ABOUT)?;
    // The previous demo bundle is the demo's own output; with --force it is rebuilt.
    if force && let Ok(entries) = fs::read_dir(root) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with("claim-aliexpress-8123456789012345-") && name.ends_with(".zip") {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
    Ok(Demo {
        root: root.to_owned(),
        case_dir,
    })
}

/// The days between the story's day and `day`.
fn offset(day: Date) -> Span {
    day - STORY_DAY
}

/// The story's `date` as it falls when the demo is built on `day`.
fn moved(date: Date, day: Date) -> Date {
    date.checked_add(offset(day)).unwrap_or(date)
}

/// The files' modification time: the day after the chat, 10:00 UTC.
fn file_time(day: Date) -> std::time::SystemTime {
    let date = moved(jiff::civil::date(2026, 10, 31), day);
    let seconds = date
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp().as_second() + 10 * 3600)
        .unwrap_or(1_793_354_400);
    std::time::UNIX_EPOCH + std::time::Duration::from_secs(seconds.max(0) as u64)
}

/// A sample file with its dates moved to `day`.
fn dated(name: &str, bytes: &[u8], day: Date) -> Vec<u8> {
    let delivered = moved(DELIVERED, day);
    if let Some((_, own)) = PHOTO_DATES.iter().find(|(photo, _)| *photo == name) {
        return retime_exif(bytes, own, delivered);
    }
    if name.ends_with(".mov") {
        return retime_quicktime(bytes, delivered);
    }
    if let Some((_, date, time)) = SCREENSHOT_TIMES.iter().find(|(shot, ..)| *shot == name) {
        let local = moved(*date, day).to_datetime(*time);
        let stamp = format!(
            "{}+{:02}:00",
            local.strftime("%Y-%m-%dT%H:%M:%S"),
            VIDEO_OFFSET_HOURS
        );
        return with_png_creation_time(bytes, &stamp);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => shift_dates(text, day).into_bytes(),
        Err(_) => bytes.to_vec(),
    }
}

/// Every `YYYY-MM-DD` in a text file of the story, moved by the days from the
/// story's day to `day`.
fn shift_dates(text: &str, day: Date) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(|c: char| c.is_ascii_digit()) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let date = rest
            .get(..10)
            .filter(|s| s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-')
            .and_then(|s| s.parse::<Date>().ok());
        match date {
            Some(date) => {
                out.push_str(&moved(date, day).to_string());
                rest = &rest[10..];
            }
            None => {
                let digits = rest
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(rest.len());
                out.push_str(&rest[..digits]);
                rest = &rest[digits..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A JPEG whose capture date `own` (in EXIF's `2018:07:25` and XMP's `2018-07-25`
/// forms) reads as `to`; the time of day and everything else are kept. Only the
/// metadata at the start of the file is touched, never the picture.
fn retime_exif(bytes: &[u8], own: &str, to: Date) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let head = out.len().min(64 * 1024);
    let new_colon = to.strftime("%Y:%m:%d").to_string();
    let own_dash = own.replace(':', "-");
    let new_dash = to.to_string();
    for (from, into) in [(own, &new_colon), (own_dash.as_str(), &new_dash)] {
        replace_all(&mut out[..head], from.as_bytes(), into.as_bytes());
    }
    out
}

fn replace_all(bytes: &mut [u8], from: &[u8], to: &[u8]) {
    debug_assert_eq!(from.len(), to.len());
    let mut at = 0;
    while at + from.len() <= bytes.len() {
        if &bytes[at..at + from.len()] == from {
            bytes[at..at + from.len()].copy_from_slice(to);
            at += from.len();
        } else {
            at += 1;
        }
    }
}

/// The sample video, recorded on `day` at [`VIDEO_TIME`]: the Apple creation date
/// and the creation and modification times of the movie, track and media headers.
fn retime_quicktime(bytes: &[u8], day: Date) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let local = day.to_datetime(VIDEO_TIME);
    let apple = format!(
        "{}+{:02}00",
        local.strftime("%Y-%m-%dT%H:%M:%S"),
        VIDEO_OFFSET_HOURS
    );
    replace_all(&mut out, VIDEO_DATE.as_bytes(), apple.as_bytes());
    let utc_seconds = local
        .to_zoned_datetime(jiff::tz::TimeZone::fixed(jiff::tz::offset(
            VIDEO_OFFSET_HOURS,
        )))
        .map(|z| z.timestamp().as_second())
        .unwrap_or(0);
    // QuickTime counts seconds from 1904-01-01 UTC.
    let since_1904 = (utc_seconds + 2_082_844_800).clamp(0, u32::MAX as i64) as u32;
    let len = out.len();
    set_header_times(&mut out, 0, len, since_1904);
    out
}

/// A PNG with a `tEXt` chunk `Creation Time` = `stamp` after its header, as
/// screenshot tools write it.
fn with_png_creation_time(bytes: &[u8], stamp: &str) -> Vec<u8> {
    // Signature (8) and the IHDR chunk (4 + 4 + 13 + 4).
    const AFTER_IHDR: usize = 33;
    if bytes.len() < AFTER_IHDR || &bytes[12..16] != b"IHDR" {
        return bytes.to_vec();
    }
    let mut chunk = b"tEXtCreation Time\0".to_vec();
    chunk.extend_from_slice(stamp.as_bytes());
    let mut crc = flate2::Crc::new();
    crc.update(&chunk);
    let mut out = Vec::with_capacity(bytes.len() + chunk.len() + 8);
    out.extend_from_slice(&bytes[..AFTER_IHDR]);
    out.extend_from_slice(&((chunk.len() - 4) as u32).to_be_bytes());
    out.extend_from_slice(&chunk);
    out.extend_from_slice(&crc.sum().to_be_bytes());
    out.extend_from_slice(&bytes[AFTER_IHDR..]);
    out
}

/// Walks the boxes in `bytes[start..end]` and sets the creation and modification
/// times of every version-0 `mvhd`, `tkhd` and `mdhd`.
fn set_header_times(bytes: &mut [u8], start: usize, end: usize, time: u32) {
    let mut at = start;
    while at + 8 <= end {
        let size = u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
        let size = size as usize;
        if size < 8 || at + size > end {
            return;
        }
        let kind = &bytes[at + 4..at + 8];
        match kind {
            b"moov" | b"trak" | b"mdia" => set_header_times(bytes, at + 8, at + size, time),
            b"mvhd" | b"tkhd" | b"mdhd" if size >= 20 && bytes[at + 8] == 0 => {
                bytes[at + 12..at + 16].copy_from_slice(&time.to_be_bytes());
                bytes[at + 16..at + 20].copy_from_slice(&time.to_be_bytes());
            }
            _ => {}
        }
        at += size;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_story_moves_with_the_day() {
        let text = "placed = 2026-10-02\ndelivered = 2026-10-28 # 2026-10-28 14:31, order 8123456789012345";
        assert_eq!(shift_dates(text, STORY_DAY), text);
        assert_eq!(
            shift_dates(text, jiff::civil::date(2027, 1, 2)),
            "placed = 2026-11-11\ndelivered = 2026-12-07 # 2026-12-07 14:31, order 8123456789012345"
        );
    }
}
