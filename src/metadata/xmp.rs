//! What an XMP packet says: the capture times photo programs copy there
//! (`exif:DateTimeOriginal`, `xmp:CreateDate`) and GPS, for files whose EXIF has none
//! (digiKam, Lightroom and messengers write them only there).
//!
//! XMP is RDF/XML, but the values needed are always written as
//! `exif:GPSLatitude="50,5.3752490N"` (attribute) or as an element of the same name,
//! so a bounded text search is enough and no XML parser sees untrusted input.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use super::time;
use crate::model::{CaptureTime, Gps, TimeSource};

/// XMP sits in a JPEG's or HEIC's header segments; reading more would read image
/// data. A WebP keeps it after the image, so the file's end is searched too.
const SEARCH_LIMIT: u64 = 1 << 20;
const TAIL_LIMIT: u64 = 256 << 10;

/// The XMP packet of a file, from its first megabyte or its last 256 KiB.
pub fn packet(path: &Path) -> Option<String> {
    let mut file = File::open(path).ok()?;
    let len = file.metadata().ok()?.len();
    let mut head = Vec::new();
    (&mut file).take(SEARCH_LIMIT).read_to_end(&mut head).ok()?;
    if let Some(packet) = packet_in(&head) {
        return Some(packet);
    }
    if len <= SEARCH_LIMIT {
        return None;
    }
    let mut tail = Vec::new();
    file.seek(SeekFrom::Start(
        len.saturating_sub(TAIL_LIMIT).max(SEARCH_LIMIT),
    ))
    .ok()?;
    file.take(TAIL_LIMIT).read_to_end(&mut tail).ok()?;
    packet_in(&tail)
}

fn packet_in(bytes: &[u8]) -> Option<String> {
    let start = find(bytes, b"<x:xmpmeta").or_else(|| find(bytes, b"<rdf:RDF"))?;
    let rest = &bytes[start..];
    let end = find(rest, b"</x:xmpmeta>")
        .or_else(|| find(rest, b"</rdf:RDF>"))
        .unwrap_or(rest.len());
    Some(String::from_utf8_lossy(&rest[..end]).into_owned())
}

/// The capture times in a packet, each with its source.
pub fn times(packet: &str) -> Vec<(CaptureTime, TimeSource)> {
    // `xap:` is the namespace prefix XMP used before 2004; older Photoshop writes it.
    [
        (
            ["exif:DateTimeOriginal", ""],
            TimeSource::XmpDateTimeOriginal,
        ),
        (
            ["xmp:CreateDate", "xap:CreateDate"],
            TimeSource::XmpCreateDate,
        ),
    ]
    .into_iter()
    .filter_map(|(names, source)| {
        let text = names
            .iter()
            .filter(|n| !n.is_empty())
            .find_map(|name| value(packet, name))?;
        Some((date(text)?, source))
    })
    .collect()
}

/// XMP's ISO 8601 date: `2002-07-13T15:58:28Z`, `2009-06-03T17:02:22.35+02:00`,
/// `2002-07-13T15:58`, or EXIF's `2021:08:19 18:48:53` as darktable writes it. A
/// date without a time says too little and is not used; an offset that is not one
/// is dropped, not guessed.
fn date(text: &str) -> Option<CaptureTime> {
    let text = text.trim();
    let (day, clock) = text.split_once('T').or_else(|| text.split_once(' '))?;
    let digits_end = clock
        .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
        .unwrap_or(clock.len());
    let (hms, zone) = clock.split_at(digits_end);
    let (hms, fraction) = hms.split_once('.').unwrap_or((hms, ""));
    let hms = if hms.len() == 5 {
        format!("{hms}:00")
    } else {
        hms.to_owned()
    };
    let mut captured = time::exif(&format!("{day} {hms}"), Some(fraction), None).ok()?;
    captured.offset = time::parse_offset(zone);
    Some(captured)
}

/// The XMP GPS position in a packet, if it has one.
pub fn gps(packet: &str) -> Option<Gps> {
    let latitude = coordinate(value(packet, "exif:GPSLatitude")?, 'S', 90.0)?;
    let longitude = coordinate(value(packet, "exif:GPSLongitude")?, 'W', 180.0)?;
    Some(Gps {
        latitude,
        longitude,
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// `name="…"` or `<name>…</name>`.
fn value<'a>(packet: &'a str, name: &str) -> Option<&'a str> {
    if let Some(at) = packet.find(&format!("{name}=\"")) {
        let rest = &packet[at + name.len() + 2..];
        return rest.split('"').next();
    }
    let at = packet.find(&format!("<{name}>"))?;
    let rest = &packet[at + name.len() + 2..];
    rest.split('<').next()
}

/// XMP's `DDD,MM.mmmmk` or `DDD,MM,SSk`, k being N/S/E/W.
fn coordinate(text: &str, negative: char, limit: f64) -> Option<f64> {
    let text = text.trim();
    let direction = text.chars().last()?;
    let numbers = text[..text.len() - direction.len_utf8()].split(',');
    let parts: Vec<f64> = numbers
        .map(|p| p.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .ok()?;
    let degrees = match parts.as_slice() {
        [d, m] => d + m / 60.0,
        [d, m, s] => d + m / 60.0 + s / 3600.0,
        _ => return None,
    };
    let signed = if direction.eq_ignore_ascii_case(&negative) {
        -degrees
    } else {
        degrees
    };
    (signed.is_finite() && signed.abs() <= limit).then_some(signed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xmp_coordinates_parse_both_forms() {
        assert!((coordinate("50,5.3752490N", 'S', 90.0).unwrap() - 50.089_587_48).abs() < 1e-6);
        assert!((coordinate("0,0,15.04W", 'W', 180.0).unwrap() + 0.004_177_7).abs() < 1e-6);
        assert_eq!(coordinate("nonsense", 'S', 90.0), None);
        assert_eq!(coordinate("95,0N", 'S', 90.0), None);
        let packet = "<x:xmpmeta><exif:GPSLongitude>14,23.8445707E</exif:GPSLongitude>";
        assert_eq!(value(packet, "exif:GPSLongitude"), Some("14,23.8445707E"));
    }

    #[test]
    fn xmp_dates_parse_with_and_without_offset_and_seconds() {
        let shown = |t: &str| date(t).map(|c| c.to_string());
        assert_eq!(
            shown("2009-06-03T17:02:22.35+02:00").as_deref(),
            Some("2009-06-03T17:02:22.35+02:00")
        );
        assert_eq!(
            shown("2002-07-13T15:58:28Z").as_deref(),
            Some("2002-07-13T15:58:28Z")
        );
        assert_eq!(
            shown("2002-07-13T15:58").as_deref(),
            Some("2002-07-13T15:58:00")
        );
        // An unknown zone letter is dropped, not read as UTC.
        assert_eq!(
            shown("2021-08-19T18:48:53A").as_deref(),
            Some("2021-08-19T18:48:53")
        );
        assert_eq!(shown("2004-06-21"), None);
        assert_eq!(shown("0000-00-00T00:00:00"), None);
        let packet = "<x:xmpmeta><rdf:Description xmp:CreateDate=\"2016-03-23T13:26:36Z\"><exif:DateTimeOriginal>2004-06-21T23:37:53+01:00</exif:DateTimeOriginal>";
        let found: Vec<TimeSource> = times(packet).into_iter().map(|(_, s)| s).collect();
        assert_eq!(
            found,
            [TimeSource::XmpDateTimeOriginal, TimeSource::XmpCreateDate]
        );
    }
}
