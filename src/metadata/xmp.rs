//! GPS from an XMP packet, for files whose EXIF has none (photo managers such as
//! digiKam write the position only there).
//!
//! XMP is RDF/XML, but the two values needed are always written as
//! `exif:GPSLatitude="50,5.3752490N"` (attribute) or as an element of the same name,
//! so a bounded text search is enough and no XML parser sees untrusted input.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::model::Gps;

/// XMP sits in the file's header segments; reading more would read image data.
const SEARCH_LIMIT: u64 = 1 << 20;

/// The XMP GPS position of a file, if it has one.
pub fn gps(path: &Path) -> Option<Gps> {
    let mut head = Vec::new();
    File::open(path)
        .ok()?
        .take(SEARCH_LIMIT)
        .read_to_end(&mut head)
        .ok()?;
    let start = find(&head, b"<x:xmpmeta")?;
    let end = find(&head[start..], b"</x:xmpmeta>").map_or(head.len(), |e| start + e);
    let packet = String::from_utf8_lossy(&head[start..end]);
    let latitude = coordinate(value(&packet, "exif:GPSLatitude")?, 'S', 90.0)?;
    let longitude = coordinate(value(&packet, "exif:GPSLongitude")?, 'W', 180.0)?;
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
}
