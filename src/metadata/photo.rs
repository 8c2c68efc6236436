//! Photos and screenshots: EXIF (JPEG, PNG eXIf, WebP, HEIC/HEIF) via kamadak-exif,
//! dimensions from the image header, GPS from XMP when EXIF has none, and the
//! creation time that screenshot tools leave in PNG text chunks.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use exif::{In, Tag, Value};

use super::{Found, time, xmp};
use crate::model::Gps;
use crate::model::TimeSource;

/// Reads everything a photo says about itself; problems become warnings.
pub fn read(path: &Path, media_type: &str, found: &mut Found) {
    let dims = imagesize::size(path);
    match &dims {
        Ok(size) => {
            found.capture.width = u32::try_from(size.width).ok();
            found.capture.height = u32::try_from(size.height).ok();
        }
        Err(e) => found.warn(format!("its image size cannot be read: {e}")),
    }

    // HEIF's displayed size is its clean aperture (`clap`), turned by `irot`; the
    // header size alone is the coded size (100×134 where a viewer shows 100×133).
    if (media_type.starts_with("image/hei") || media_type == "image/avif")
        && let Some((width, height)) = heif_display_size(path)
    {
        found.capture.width = Some(width);
        found.capture.height = Some(height);
    }

    let exif = File::open(path)
        .map_err(|e| e.to_string())
        .and_then(|file| {
            exif::Reader::new()
                .read_from_container(&mut BufReader::new(file))
                .map_err(|e| e.to_string())
        });
    match exif {
        Ok(exif) => read_exif(&exif, media_type, found),
        // Most screenshots have no EXIF at all: that is a fact, not a problem.
        Err(e) if e.contains("No Exif data") => {}
        Err(e) => found.warn(format!("its EXIF metadata cannot be read: {e}")),
    }

    if found.capture.gps.is_none() {
        found.capture.gps = xmp::gps(path);
    }
    if media_type == "image/png"
        && found.capture.captured_at.is_none()
        && let Some((time, source)) = png_creation_time(path)
    {
        found.set_time(time, source);
    }
}

fn read_exif(exif: &exif::Exif, media_type: &str, found: &mut Found) {
    let text = |tag| -> Option<String> {
        let field = exif.get_field(tag, In::PRIMARY)?;
        match &field.value {
            Value::Ascii(parts) => parts
                .first()
                .map(|p| {
                    String::from_utf8_lossy(p)
                        .trim()
                        .trim_end_matches('\0')
                        .trim()
                        .to_owned()
                })
                .filter(|s| !s.is_empty()),
            _ => None,
        }
    };
    for (date_tag, sub_tag, offset_tag, source) in [
        (
            Tag::DateTimeOriginal,
            Tag::SubSecTimeOriginal,
            Tag::OffsetTimeOriginal,
            TimeSource::ExifDateTimeOriginal,
        ),
        (
            Tag::DateTimeDigitized,
            Tag::SubSecTimeDigitized,
            Tag::OffsetTimeDigitized,
            TimeSource::ExifCreateDate,
        ),
    ] {
        let Some(date) = text(date_tag) else { continue };
        match time::exif(&date, text(sub_tag).as_deref(), text(offset_tag).as_deref()) {
            Ok(capture) => {
                found.set_time(capture, source);
                break;
            }
            Err(time::Rejected::NotADate(raw)) => {
                found.warn(format!(
                    "{source} is \"{raw}\", a clock default, not a date"
                ));
            }
        }
    }

    let orientation = exif
        .get_field(Tag::Orientation, In::PRIMARY)
        .and_then(|f| f.value.get_uint(0))
        .and_then(|o| u16::try_from(o).ok())
        .filter(|o| (1..=8).contains(o));
    found.capture.orientation = orientation;
    // HEIF rotates with its own `irot` box, which the header size already reflects;
    // EXIF orientation there is informational. Elsewhere 5–8 swap the sides.
    let heif = media_type.starts_with("image/hei");
    if !heif && orientation.is_some_and(|o| o >= 5) {
        let capture = &mut found.capture;
        std::mem::swap(&mut capture.width, &mut capture.height);
    }

    let make = text(Tag::Make);
    let model = text(Tag::Model);
    found.capture.camera = match (make, model) {
        // "Apple iPhone 6", but "NIKON Z 30" not "NIKON CORPORATION NIKON Z 30".
        (Some(make), Some(model)) => {
            let brand = make.split_whitespace().next().unwrap_or(&make).to_owned();
            if model.to_lowercase().starts_with(&brand.to_lowercase()) {
                Some(model)
            } else {
                Some(format!("{make} {model}"))
            }
        }
        (make, model) => make.or(model),
    };
    found.capture.serial_present =
        text(Tag::BodySerialNumber).is_some() || text(Tag::LensSerialNumber).is_some();
    found.capture.gps = exif_gps(exif);
    if let Some(time) = &mut found.capture.captured_at
        && time.offset.is_none()
        && let Some(utc) = exif_gps_time(exif, text(Tag::GPSDateStamp).as_deref())
        && let Some(offset) = time::offset_between(time.local, utc)
    {
        time.offset = Some(offset);
        found.capture.offset_from_gps = true;
    }
}

/// The GPS clock's time (UTC) from `GPSDateStamp` and `GPSTimeStamp`.
fn exif_gps_time(exif: &exif::Exif, date: Option<&str>) -> Option<jiff::civil::DateTime> {
    let field = exif.get_field(Tag::GPSTimeStamp, In::PRIMARY)?;
    let Value::Rational(parts) = &field.value else {
        return None;
    };
    if parts.len() < 3 || parts.iter().any(|r| r.denom == 0) {
        return None;
    }
    let seconds = parts[0].to_f64() * 3600.0 + parts[1].to_f64() * 60.0 + parts[2].to_f64();
    if !(0.0..86_400.0).contains(&seconds) {
        return None;
    }
    let whole = seconds as i64;
    let captured = time::exif(
        &format!(
            "{} {:02}:{:02}:{:02}",
            date?,
            whole / 3600,
            whole % 3600 / 60,
            whole % 60
        ),
        None,
        None,
    )
    .ok()?;
    Some(captured.local)
}

/// EXIF GPS in decimal degrees; an empty or NaN GPS block is no position, not 0,0.
fn exif_gps(exif: &exif::Exif) -> Option<Gps> {
    let coordinate = |tag, ref_tag, negative: &str| -> Option<f64> {
        let field = exif.get_field(tag, In::PRIMARY)?;
        let Value::Rational(parts) = &field.value else {
            return None;
        };
        if parts.len() < 3 || parts.iter().any(|r| r.denom == 0) {
            return None;
        }
        let degrees = parts[0].to_f64() + parts[1].to_f64() / 60.0 + parts[2].to_f64() / 3600.0;
        let reference = exif
            .get_field(ref_tag, In::PRIMARY)
            .map(|f| f.display_value().to_string())
            .unwrap_or_default();
        degrees.is_finite().then(|| {
            if reference.contains(negative) {
                -degrees
            } else {
                degrees
            }
        })
    };
    let latitude = coordinate(Tag::GPSLatitude, Tag::GPSLatitudeRef, "S")?;
    let longitude = coordinate(Tag::GPSLongitude, Tag::GPSLongitudeRef, "W")?;
    ((-90.0..=90.0).contains(&latitude) && (-180.0..=180.0).contains(&longitude)).then_some(Gps {
        latitude,
        longitude,
    })
}

/// The PNG `Creation Time` text chunk (screenshot tools write it, often after the
/// image data), else the `tIME` chunk (the last modification, in UTC).
fn png_creation_time(path: &Path) -> Option<(crate::model::CaptureTime, TimeSource)> {
    /// Bounded walk: chunk count and text size are capped; image data is skipped.
    const MAX_CHUNKS: usize = 10_000;
    const MAX_TEXT: u32 = 64 << 10;
    let mut file = File::open(path).ok()?;
    let mut signature = [0u8; 8];
    file.read_exact(&mut signature).ok()?;
    if signature != *b"\x89PNG\r\n\x1a\n" {
        return None;
    }
    let mut modified = None;
    for _ in 0..MAX_CHUNKS {
        let mut header = [0u8; 8];
        if file.read_exact(&mut header).is_err() {
            break;
        }
        let len = u32::from_be_bytes([header[0], header[1], header[2], header[3]]);
        let kind = &header[4..8];
        match kind {
            b"tEXt" | b"iTXt" if len <= MAX_TEXT => {
                let mut data = vec![0u8; len as usize];
                file.read_exact(&mut data).ok()?;
                file.seek(SeekFrom::Current(4)).ok()?;
                let (keyword, rest) = split_nul(&data)?;
                if keyword.eq_ignore_ascii_case(b"Creation Time") {
                    let value = if kind == b"iTXt" {
                        // compression flag, method, language\0, translated keyword\0, text
                        let rest = rest.get(2..)?;
                        let (_, rest) = split_nul(rest)?;
                        split_nul(rest)?.1
                    } else {
                        rest
                    };
                    if let Some(t) = time::free_text(&String::from_utf8_lossy(value)) {
                        return Some((t, TimeSource::PngCreationTime));
                    }
                }
            }
            b"tIME" if len == 7 => {
                let mut d = [0u8; 7];
                file.read_exact(&mut d).ok()?;
                file.seek(SeekFrom::Current(4)).ok()?;
                let year = i64::from(u16::from_be_bytes([d[0], d[1]]));
                modified = time::civil(
                    year,
                    d[2].into(),
                    d[3].into(),
                    d[4].into(),
                    d[5].into(),
                    d[6].into(),
                    0,
                )
                .map(|local| crate::model::CaptureTime {
                    local,
                    offset: Some(jiff::tz::Offset::UTC),
                });
            }
            b"IEND" => break,
            _ => {
                file.seek(SeekFrom::Current(i64::from(len) + 4)).ok()?;
            }
        }
    }
    modified.map(|t| (t, TimeSource::PngTime))
}

fn split_nul(data: &[u8]) -> Option<(&[u8], &[u8])> {
    let at = data.iter().position(|&b| b == 0)?;
    Some((&data[..at], &data[at + 1..]))
}

/// The primary image's displayed size from the HEIF item properties: `ispe` (coded
/// size), `clap` (clean aperture) and `irot` (quarter turns). `None` when the boxes
/// are missing or malformed; the header size then stands.
fn heif_display_size(path: &Path) -> Option<(u32, u32)> {
    use super::video::{be_u32, child, children, find_top_box};
    let meta = find_top_box(path, b"meta", 16 << 20).ok()??;
    let meta = meta.get(4..)?; // FullBox: version and flags
    let pitm = child(meta, b"pitm")?;
    let primary = if pitm.first()? == &0 {
        u32::from(u16::from_be_bytes(pitm.get(4..6)?.try_into().ok()?))
    } else {
        be_u32(pitm, 4)?
    };
    let iprp = child(meta, b"iprp")?;
    let ipco: Vec<([u8; 4], &[u8])> = children(child(iprp, b"ipco")?).collect();
    let ipma = child(iprp, b"ipma")?;
    let version = *ipma.first()?;
    let large_index = ipma.get(3)? & 1 == 1;
    let entries = be_u32(ipma, 4)?;
    let mut at = 8usize;
    let mut properties: Vec<usize> = Vec::new();
    for _ in 0..entries.min(100_000) {
        let item = if version < 1 {
            let id = u32::from(u16::from_be_bytes(ipma.get(at..at + 2)?.try_into().ok()?));
            at += 2;
            id
        } else {
            let id = be_u32(ipma, at)?;
            at += 4;
            id
        };
        let count = *ipma.get(at)? as usize;
        at += 1;
        for _ in 0..count {
            let index = if large_index {
                let v = u16::from_be_bytes(ipma.get(at..at + 2)?.try_into().ok()?);
                at += 2;
                usize::from(v & 0x7fff)
            } else {
                let v = *ipma.get(at)?;
                at += 1;
                usize::from(v & 0x7f)
            };
            if item == primary && index > 0 {
                properties.push(index - 1);
            }
        }
    }
    let property = |kind: &[u8; 4]| {
        properties
            .iter()
            .filter_map(|&i| ipco.get(i))
            .find(|(k, _)| k == kind)
            .map(|(_, body)| *body)
    };
    let ispe = property(b"ispe")?;
    let (mut width, mut height) = (be_u32(ispe, 4)?, be_u32(ispe, 8)?);
    if let Some(clap) = property(b"clap") {
        let ratio = |at: usize| -> Option<u32> {
            let n = be_u32(clap, at)?;
            let d = be_u32(clap, at + 4)?;
            (d > 0).then(|| n / d)
        };
        if let (Some(w), Some(h)) = (ratio(0), ratio(8))
            && w > 0
            && h > 0
            && w <= width
            && h <= height
        {
            (width, height) = (w, h);
        }
    }
    if let Some(irot) = property(b"irot")
        && irot.first().is_some_and(|a| a & 1 == 1)
    {
        std::mem::swap(&mut width, &mut height);
    }
    Some((width, height))
}
