//! Photos and screenshots: EXIF (JPEG, PNG eXIf or raw profile, WebP, HEIC/HEIF) via
//! kamadak-exif, read past damaged entries; dimensions from the image header; XMP's
//! capture times, and its GPS when EXIF has none; the PNG chunks screenshot tools
//! write; and the movie header of an image sequence.

use std::fs::File;
use std::io::BufReader;
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

    let png = (media_type == "image/png")
        .then(|| super::png::read(path))
        .flatten();
    match read_exif_of(path, png.as_ref()) {
        Ok(Some((exif, damage))) => {
            if let Some(first) = damage.first() {
                found.warn(format!(
                    "part of its EXIF metadata is damaged ({first}); the fields that could be read are used"
                ));
            }
            read_exif(&exif, media_type, found);
        }
        // Most screenshots have no EXIF at all: that is a fact, not a problem.
        Ok(None) => {}
        Err(e) => found.warn(format!("its EXIF metadata cannot be read: {e}")),
    }

    let packet = match &png {
        Some(png) => png.xmp.clone(),
        None => xmp::packet(path),
    };
    if let Some(packet) = &packet {
        if found.capture.gps.is_none() {
            found.capture.gps = xmp::gps(packet);
        }
        for (time, source) in xmp::times(packet) {
            found.offer_time(time, source);
        }
    }
    if let Some(png) = png {
        if let Some(time) = png.creation_time {
            found.offer_time(time, TimeSource::PngCreationTime);
        }
        if let Some(time) = png.modified {
            found.offer_time(time, TimeSource::PngTime);
        }
    }
    // An image sequence (animated AVIF, HEIF burst) has a movie header like a video's.
    if media_type.starts_with("image/hei") || media_type == "image/avif" {
        super::video::read_movie_time(path, found);
    }
}

/// The EXIF of a photo and what was damaged in it: kamadak-exif reads on past a
/// broken entry or pointer (as exiftool does) and returns what it could read.
/// `Ok(None)` when the file has no EXIF.
fn read_exif_of(
    path: &Path,
    png: Option<&super::png::PngMeta>,
) -> Result<Option<(exif::Exif, Vec<String>)>, String> {
    let mut reader = exif::Reader::new();
    reader.continue_on_error(true);
    let file = File::open(path).map_err(|e| e.to_string())?;
    let read = match reader.read_from_container(&mut BufReader::new(file)) {
        // A PNG without `eXIf` may still keep its EXIF in a raw profile chunk.
        Err(exif::Error::NotFound(_)) => match png.and_then(|p| p.raw_exif.clone()) {
            Some(tiff) => reader.read_raw(tiff),
            None => return Ok(None),
        },
        other => other,
    };
    match crate::intake::sniff::tolerant(read) {
        // Nothing readable at all: as unreadable as before.
        Ok((exif, damage)) if exif.fields().next().is_none() && !damage.is_empty() => {
            Err(damage.join("; "))
        }
        Ok(read) => Ok(Some(read)),
        Err(exif::Error::NotFound(_)) => Ok(None),
        Err(e) => Err(e.to_string()),
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
    // DateTimeOriginal belongs in the Exif IFD; some firmware writes it into IFD0.
    let date_tags = |tag: Tag| [tag, Tag(exif::Context::Tiff, tag.number())];
    let mut times = Vec::new();
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
        let Some(date) = date_tags(date_tag).into_iter().find_map(&text) else {
            continue;
        };
        match time::exif(&date, text(sub_tag).as_deref(), text(offset_tag).as_deref()) {
            Ok(capture) => times.push((capture, source)),
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
    let gps_clock = exif_gps_time(exif, text(Tag::GPSDateStamp).as_deref());
    for (mut time, source) in times {
        let offset_from_gps = time.offset.is_none()
            && gps_clock
                .and_then(|utc| time::offset_between(time.local, utc))
                .map(|offset| time.offset = Some(offset))
                .is_some();
        found.offer_exif_time(time, source, offset_from_gps);
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
