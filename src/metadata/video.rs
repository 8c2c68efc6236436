//! Videos (MP4, MOV, 3GP): capture time, duration, size, rotation, camera, GPS.
//!
//! These are ISO base media files. The few boxes needed are read here directly
//! because the time's *source* matters: Apple's `com.apple.quicktime.creationdate`
//! carries the capture time with its offset, while `mvhd` holds when the file was
//! written (in UTC), which after a re-encode is not the capture. The crates at hand
//! merge the two into one value. Every read is bounded: `moov` is at most 64 MiB,
//! and box sizes are checked against what holds them.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use super::{Found, time};
use crate::model::TimeSource;
use crate::model::{CaptureTime, Gps};

const MAX_MOOV: u64 = 64 << 20;
const MAX_TOP_LEVEL_BOXES: usize = 10_000;
/// Seconds from 1904-01-01 (the QuickTime epoch) to 1970-01-01.
const EPOCH_1904: i64 = 2_082_844_800;

/// Reads a video's metadata; problems become warnings.
pub fn read(path: &Path, found: &mut Found) {
    let moov = match find_moov(path) {
        Ok(Some(moov)) => moov,
        Ok(None) => {
            found.warn(
                "it has no movie header (moov box): duration and capture time unknown".to_owned(),
            );
            return;
        }
        Err(why) => {
            found.warn(format!("its movie header cannot be read: {why}"));
            return;
        }
    };
    let apple = apple_keys(&moov);
    let get = |key: &str| {
        apple
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };

    if let Some(mvhd) = child(&moov, b"mvhd") {
        read_mvhd(mvhd, found);
    }
    for trak in children(&moov).filter(|(kind, _)| kind == b"trak") {
        if let Some(tkhd) = child(trak.1, b"tkhd")
            && read_tkhd(tkhd, found)
        {
            break;
        }
    }
    if let Some(text) = get("com.apple.quicktime.creationdate") {
        match apple_date(text) {
            Some(t) => found.offer_time(t, TimeSource::QuickTimeCreationDate),
            None => found.warn(format!("its Apple creation date \"{text}\" is not a date")),
        }
    }
    let make = get("com.apple.quicktime.make").map(str::to_owned);
    let model = get("com.apple.quicktime.model").map(str::to_owned);
    found.capture.camera = match (make, model) {
        (Some(make), Some(model)) => Some(format!("{make} {model}")),
        (make, model) => make.or(model),
    };
    found.capture.gps = get("com.apple.quicktime.location.ISO6709")
        .and_then(iso6709)
        .or_else(|| {
            child(&moov, b"udta")
                .and_then(|u| child(u, b"\xa9xyz"))
                .and_then(|b| {
                    // Android: 2 bytes length, 2 bytes language, then "+52.2097-000.8955/".
                    b.get(4..)
                        .and_then(|t| iso6709(&String::from_utf8_lossy(t)))
                })
        });
}

/// Finds and reads the `moov` box, skipping media data without reading it.
fn find_moov(path: &Path) -> Result<Option<Vec<u8>>, String> {
    find_top_box(path, b"moov", MAX_MOOV)
}

/// The body of the first top-level box of `kind`, if it is at most `max` bytes.
pub(super) fn find_top_box(
    path: &Path,
    kind: &[u8; 4],
    max: u64,
) -> Result<Option<Vec<u8>>, String> {
    let mut file = File::open(path).map_err(|e| e.to_string())?;
    let len = file.metadata().map_err(|e| e.to_string())?.len();
    let mut at = 0u64;
    for _ in 0..MAX_TOP_LEVEL_BOXES {
        if at + 8 > len {
            return Ok(None);
        }
        file.seek(SeekFrom::Start(at)).map_err(|e| e.to_string())?;
        let mut header = [0u8; 16];
        file.read_exact(&mut header[..8])
            .map_err(|e| e.to_string())?;
        let mut size = u64::from(u32::from_be_bytes([
            header[0], header[1], header[2], header[3],
        ]));
        let mut header_len = 8;
        if size == 1 {
            file.read_exact(&mut header[8..])
                .map_err(|e| e.to_string())?;
            size = u64::from_be_bytes(header[8..16].try_into().map_err(|_| "short header")?);
            header_len = 16;
        } else if size == 0 {
            size = len - at;
        }
        if size < header_len || at + size > len {
            return Err(format!(
                "a box at byte {at} claims {size} bytes, past the end of the file"
            ));
        }
        if &header[4..8] == kind {
            let body = size - header_len;
            if body > max {
                return Err(format!(
                    "its {} box is {body} bytes, more than a real one",
                    String::from_utf8_lossy(kind)
                ));
            }
            let mut moov = vec![0u8; body as usize];
            file.read_exact(&mut moov).map_err(|e| e.to_string())?;
            return Ok(Some(moov));
        }
        at += size;
    }
    Ok(None)
}

/// The child boxes of a box body: (type, body). Stops at the first malformed size.
pub(super) fn children(data: &[u8]) -> impl Iterator<Item = ([u8; 4], &[u8])> {
    let mut rest = data;
    std::iter::from_fn(move || {
        if rest.len() < 8 {
            return None;
        }
        let size = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        let kind = [rest[4], rest[5], rest[6], rest[7]];
        let (header, size) = match size {
            0 => (8, rest.len()),
            1 => {
                let big = u64::from_be_bytes(rest.get(8..16)?.try_into().ok()?);
                (16, usize::try_from(big).ok()?)
            }
            n => (8, n),
        };
        if size < header || size > rest.len() {
            return None;
        }
        let body = &rest[header..size];
        rest = &rest[size..];
        Some((kind, body))
    })
}

pub(super) fn child<'a>(data: &'a [u8], kind: &[u8; 4]) -> Option<&'a [u8]> {
    children(data)
        .find(|(k, _)| k == kind)
        .map(|(_, body)| body)
}

pub(super) fn be_u32(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

fn be_u64(data: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_be_bytes(data.get(at..at + 8)?.try_into().ok()?))
}

/// Creation time (seconds since 1904, UTC) and duration.
fn read_mvhd(mvhd: &[u8], found: &mut Found) {
    let version = mvhd.first().copied().unwrap_or(0);
    let (created, timescale, duration) = if version == 1 {
        (be_u64(mvhd, 4), be_u32(mvhd, 20), be_u64(mvhd, 24))
    } else {
        (
            be_u32(mvhd, 4).map(u64::from),
            be_u32(mvhd, 12),
            be_u32(mvhd, 16).map(u64::from),
        )
    };
    if let (Some(timescale), Some(duration)) = (timescale, duration)
        && timescale > 0
        && duration != u64::from(u32::MAX)
        && duration != u64::MAX
    {
        let seconds = duration as f64 / f64::from(timescale);
        found.capture.duration_s = Some((seconds * 1000.0).round() / 1000.0);
    }
    offer_created(created, found);
}

/// The movie's creation time: seconds since 1904, UTC.
fn offer_created(created: Option<u64>, found: &mut Found) {
    let instant = created
        .and_then(|c| i64::try_from(c).ok())
        .filter(|&c| c > 0)
        .and_then(|c| jiff::Timestamp::from_second(c - EPOCH_1904).ok())
        .and_then(time::utc);
    match instant {
        Some(t) => found.offer_time(t, TimeSource::Mp4Mvhd),
        None => {
            if created.is_some_and(|c| c > 0) {
                found.warn("its container creation time is a clock default, not a date".to_owned());
            }
        }
    }
}

/// The `mvhd` creation time of a still-image file that holds a sequence (an animated
/// AVIF, a HEIF burst); nothing, and no warning, for a plain still image.
pub(super) fn read_movie_time(path: &Path, found: &mut Found) {
    let Ok(Some(moov)) = find_moov(path) else {
        return;
    };
    if let Some(mvhd) = child(&moov, b"mvhd") {
        let created = if mvhd.first() == Some(&1) {
            be_u64(mvhd, 4)
        } else {
            be_u32(mvhd, 4).map(u64::from)
        };
        offer_created(created, found);
    }
}

/// Size and rotation of the first track with a picture; false for audio tracks.
fn read_tkhd(tkhd: &[u8], found: &mut Found) -> bool {
    let version = tkhd.first().copied().unwrap_or(0);
    let matrix_at = if version == 1 { 52 } else { 40 };
    let (Some(width), Some(height)) = (be_u32(tkhd, matrix_at + 36), be_u32(tkhd, matrix_at + 40))
    else {
        return false;
    };
    let (width, height) = (width >> 16, height >> 16);
    if width == 0 || height == 0 {
        return false;
    }
    let fixed = |i: usize| be_u32(tkhd, matrix_at + 4 * i).map(|v| v as i32 as f64 / 65536.0);
    let rotation = match (fixed(0), fixed(1)) {
        (Some(a), Some(b)) => {
            // As ExifTool reports it: clockwise degrees, from the matrix's first row.
            let degrees = b.atan2(a).to_degrees().round() as i32;
            degrees.rem_euclid(360) as u16
        }
        _ => 0,
    };
    let (w, h) = if rotation == 90 || rotation == 270 {
        (height, width)
    } else {
        (width, height)
    };
    found.capture.width = Some(w);
    found.capture.height = Some(h);
    found.capture.rotation = Some(rotation);
    true
}

/// Apple's `moov/meta` key/value pairs (`keys` names them, `ilst` holds the values).
fn apple_keys(moov: &[u8]) -> Vec<(String, String)> {
    let Some(meta) = child(moov, b"meta") else {
        return Vec::new();
    };
    // QuickTime's meta is a plain box; ISO's is a full box with 4 bytes of flags.
    let meta = if meta.get(4..8) == Some(b"hdlr") {
        meta
    } else {
        meta.get(4..).unwrap_or(&[])
    };
    let Some(keys) = child(meta, b"keys") else {
        return Vec::new();
    };
    let mut names = Vec::new();
    for (_, body) in children(keys.get(8..).unwrap_or(&[])) {
        names.push(String::from_utf8_lossy(body).into_owned());
    }
    let Some(ilst) = child(meta, b"ilst") else {
        return Vec::new();
    };
    let mut pairs = Vec::new();
    for (index, item) in children(ilst) {
        let index = u32::from_be_bytes(index) as usize;
        let Some(name) = index.checked_sub(1).and_then(|i| names.get(i)) else {
            continue;
        };
        let Some(data) = child(item, b"data") else {
            continue;
        };
        // 4 bytes type (1 = UTF-8), 4 bytes locale, then the value.
        if be_u32(data, 0) == Some(1)
            && let Some(value) = data.get(8..)
        {
            pairs.push((name.clone(), String::from_utf8_lossy(value).into_owned()));
        }
    }
    pairs
}

/// `2021-04-10T11:43:59+0100`.
fn apple_date(text: &str) -> Option<CaptureTime> {
    let text = text.trim().trim_end_matches('\0');
    let local: jiff::civil::DateTime = text.get(..19)?.parse().ok()?;
    let local = time::civil(
        local.year().into(),
        local.month().into(),
        local.day().into(),
        local.hour().into(),
        local.minute().into(),
        local.second().into(),
        0,
    )?;
    let offset = text.get(19..).and_then(time::parse_offset);
    Some(CaptureTime { local, offset })
}

/// ISO 6709 `+52.2097-000.8955+103.640/`: latitude and longitude in degrees.
fn iso6709(text: &str) -> Option<Gps> {
    let text = text.trim().trim_end_matches(['\0', '/']);
    let mut starts = text.match_indices(['+', '-']).map(|(i, _)| i);
    let (a, b) = (starts.next()?, starts.next()?);
    let end = starts.next().unwrap_or(text.len());
    let latitude: f64 = text.get(a..b)?.parse().ok()?;
    let longitude: f64 = text.get(b..end)?.parse().ok()?;
    ((-90.0..=90.0).contains(&latitude) && (-180.0..=180.0).contains(&longitude)).then_some(Gps {
        latitude,
        longitude,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso6709_locations_parse() {
        let gps = iso6709("+52.2097-000.8955+103.640/").unwrap();
        assert_eq!((gps.latitude, gps.longitude), (52.2097, -0.8955));
        assert!(iso6709("garbage").is_none());
    }

    #[test]
    fn malformed_boxes_end_the_walk_instead_of_panicking() {
        let boxes = [0, 0, 0, 200, b'm', b'o', b'o', b'v', 1, 2, 3];
        assert_eq!(children(&boxes).count(), 0);
        let tiny = [0, 0, 0, 1, b'x', b'x', b'x', b'x', 0, 0];
        assert_eq!(children(&tiny).count(), 0);
    }
}
