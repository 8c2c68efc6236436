//! Tells what a file is from its first bytes, never from its name alone.
//!
//! A shopper's phone may name a HEIC photo `.jpg`, or a chat export `.png`; the magic
//! bytes decide the media type, and the extension is only consulted to name a text
//! format (HTML, JSON, CSV…) once the bytes are known to be text.

use std::io::Read;
use std::path::Path;

/// How many bytes are read to decide.
pub const HEAD_LEN: usize = 8192;

/// The broad family of a file, which decides its kind outside the kind folders and
/// whether it is worth compressing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Image,
    Video,
    Audio,
    Pdf,
    Text,
    /// Already compressed containers (zip, gzip, 7z…).
    Archive,
    Other,
}

/// What the first bytes say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sniffed {
    pub media_type: String,
    pub family: Family,
}

impl Sniffed {
    /// Whether deflating is worth it: text and raw formats shrink, media and
    /// archives are already compressed and are stored as they are.
    pub fn compressible(&self) -> bool {
        match self.family {
            Family::Text => true,
            Family::Image => matches!(self.media_type.as_str(), "image/bmp" | "image/tiff"),
            Family::Audio => self.media_type == "audio/x-wav",
            _ => false,
        }
    }
}

/// Sniffs the first bytes of a file; `name` is used only to name text formats.
pub fn sniff(head: &[u8], name: &Path) -> Sniffed {
    if let Some(kind) = infer::get(head) {
        let media_type = kind.mime_type();
        let family = match kind.matcher_type() {
            infer::MatcherType::Image => Family::Image,
            infer::MatcherType::Video => Family::Video,
            infer::MatcherType::Audio => Family::Audio,
            infer::MatcherType::Archive if media_type == "application/pdf" => Family::Pdf,
            infer::MatcherType::Archive => Family::Archive,
            infer::MatcherType::Text => Family::Text,
            _ => Family::Other,
        };
        return Sniffed {
            media_type: media_type.to_owned(),
            family,
        };
    }
    if let Some(sniffed) = iso_bmff(head) {
        return sniffed;
    }
    if looks_like_text(head) {
        let extension = name
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let media_type = match extension.as_deref() {
            Some("html" | "htm") => "text/html",
            Some("mhtml" | "mht") => "multipart/related",
            Some("json") => "application/json",
            Some("csv") => "text/csv",
            Some("xml") => "application/xml",
            Some("eml") => "message/rfc822",
            Some("warc") => "application/warc",
            Some("md") => "text/markdown",
            _ => "text/plain",
        };
        return Sniffed {
            media_type: media_type.to_owned(),
            family: Family::Text,
        };
    }
    Sniffed {
        media_type: "application/octet-stream".to_owned(),
        family: Family::Other,
    }
}

/// An ISO base media file whose brand the `infer` crate does not list: Sony's `XAVC`,
/// a camera's own brand, `qt  ` without the usual box order. Any file that opens with
/// an `ftyp` box is one; its major brand says which kind.
fn iso_bmff(head: &[u8]) -> Option<Sniffed> {
    if head.get(4..8)? != b"ftyp" {
        return None;
    }
    let brand = head.get(8..12)?;
    let (media_type, family) = match brand {
        b"qt  " => ("video/quicktime", Family::Video),
        [b'3', b'g', b'p' | b'2', _] => ("video/3gpp", Family::Video),
        b"M4A " | b"M4B " => ("audio/mp4", Family::Audio),
        b"heic" | b"heix" | b"mif1" | b"msf1" | b"hevc" => ("image/heif", Family::Image),
        b"avif" | b"avis" => ("image/avif", Family::Image),
        _ => ("video/mp4", Family::Video),
    };
    Some(Sniffed {
        media_type: media_type.to_owned(),
        family,
    })
}

/// UTF-8 (a character cut at the end of the sample is fine) without NUL bytes.
fn looks_like_text(head: &[u8]) -> bool {
    if head.is_empty() || head.contains(&0) {
        return false;
    }
    match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && head.len() - e.valid_up_to() < 4,
    }
}

/// Reads up to [`HEAD_LEN`] bytes from the start of a reader.
pub fn read_head(reader: &mut impl Read) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(HEAD_LEN);
    reader.take(HEAD_LEN as u64).read_to_end(&mut head)?;
    Ok(head)
}

/// Whether an image carries a camera's EXIF (Make or Model), which tells a photo
/// from a screenshot. Unreadable EXIF counts as "no camera".
pub fn has_camera_exif(path: &Path) -> bool {
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    // Bounded: kamadak-exif reads only up to the EXIF block, and the container
    // parsers refuse blocks larger than the file.
    let mut reader = std::io::BufReader::new(file);
    // Read past a damaged entry, as the capture time is: a repaired phone photo with
    // one broken pointer is still a camera photo.
    let Ok((exif, _)) = tolerant(
        exif::Reader::new()
            .continue_on_error(true)
            .read_from_container(&mut reader),
    ) else {
        return false;
    };
    let tag_has_text = |tag| {
        exif.get_field(tag, exif::In::PRIMARY)
            .map(|f| f.display_value().to_string())
            .is_some_and(|v| !v.trim().trim_matches('"').trim().is_empty())
    };
    tag_has_text(exif::Tag::Make) || tag_has_text(exif::Tag::Model)
}

/// What a kamadak-exif reader with `continue_on_error` read: the fields it could,
/// and what was damaged, in words. Other errors (no EXIF, not a container) stay.
pub fn tolerant(
    read: Result<exif::Exif, exif::Error>,
) -> Result<(exif::Exif, Vec<String>), exif::Error> {
    match read {
        Ok(exif) => Ok((exif, Vec::new())),
        Err(exif::Error::PartialResult(partial)) => {
            let (exif, errors) = partial.into_inner();
            Ok((exif, errors.iter().map(ToString::to_string).collect()))
        }
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sniff_bytes(bytes: &[u8], name: &str) -> Sniffed {
        sniff(bytes, Path::new(name))
    }

    #[test]
    fn magic_bytes_win_over_the_name() {
        let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0];
        assert_eq!(sniff_bytes(&jpeg, "chat.txt").media_type, "image/jpeg");
        let text = sniff_bytes(b"not really a picture\n", "photo.jpg");
        assert_eq!(
            (text.media_type.as_str(), text.family),
            ("text/plain", Family::Text)
        );
        assert_eq!(sniff_bytes(b"%PDF-1.7\n", "x").family, Family::Pdf);
    }

    #[test]
    fn iso_media_with_brands_infer_does_not_know_are_still_media() {
        // guards: a Sony XAVC MP4 was "application/octet-stream", so its capture
        // time was never read and the file's modification time was shown.
        let ftyp = |brand: &[u8; 4]| {
            let mut head = vec![0, 0, 0, 24];
            head.extend_from_slice(b"ftyp");
            head.extend_from_slice(brand);
            head.extend_from_slice(&[0, 0, 0, 0]);
            head.extend_from_slice(brand);
            head.extend_from_slice(b"mp42");
            head
        };
        for (brand, media_type, family) in [
            (b"XAVC", "video/mp4", Family::Video),
            (b"3gp5", "video/3gpp", Family::Video),
            (b"M4A ", "audio/m4a", Family::Audio),
        ] {
            let sniffed = sniff_bytes(&ftyp(brand), "clip");
            assert_eq!(
                (sniffed.media_type.as_str(), sniffed.family),
                (media_type, family),
                "{}",
                String::from_utf8_lossy(brand)
            );
        }
        assert_eq!(iso_bmff(b"\0\0\0\x18moov"), None);
    }

    #[test]
    fn text_formats_are_named_by_extension_once_known_to_be_text() {
        assert_eq!(
            sniff_bytes(b"{\"a\":1}", "order.json").media_type,
            "application/json"
        );
        assert_eq!(
            sniff_bytes(b"\x00\x01binary", "order.json").media_type,
            "application/octet-stream"
        );
    }

    #[test]
    fn a_utf8_character_cut_by_the_sample_is_still_text() {
        let mut head = "Заказ не получен".as_bytes().to_vec();
        head.pop();
        assert!(looks_like_text(&head));
        assert!(!looks_like_text(&[0xFF, 0xFE, 0x41]));
    }
}
