//! Whether a photo, video or PDF is whole: a file cut short by an interrupted copy
//! or download is still sealed (it is what the buyer has), but it must be named as
//! damaged and not counted as proof.
//!
//! These are structural checks that read little: a JPEG must reach its end-of-image
//! marker after the picture data, a PNG its IEND chunk, a WebP the length its RIFF
//! header declares, an ISO-BMFF file (HEIC, MP4, MOV) must hold whole top-level boxes
//! including its header box, and a PDF must end with `%%EOF`. Normal files pass on
//! their last bytes; only a file whose tail looks wrong is read further.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

/// What is wrong with `path`, in words for the buyer, or `None` when it is whole
/// (or of a kind these checks do not cover).
pub fn damage(path: &Path, media_type: &str, len: u64) -> Option<String> {
    if len == 0 {
        return Some("the file is empty".to_owned());
    }
    let file = File::open(path).ok()?;
    match media_type {
        "image/jpeg" => jpeg(file, len),
        "image/png" => png(file, len),
        "image/webp" => webp(file, len),
        "application/pdf" => pdf(file, len),
        t if t.starts_with("video/") || t.starts_with("image/hei") || t == "image/avif" => {
            iso_bmff(file, len, t.starts_with("video/"))
        }
        _ => None,
    }
}

fn tail(file: &mut File, len: u64, bytes: u64) -> Option<Vec<u8>> {
    let take = len.min(bytes);
    file.seek(SeekFrom::Start(len - take)).ok()?;
    let mut out = vec![0u8; take as usize];
    file.read_exact(&mut out).ok()?;
    Some(out)
}

const CUT_SHORT: &str = "the file is cut short";

fn jpeg(mut file: File, len: u64) -> Option<String> {
    // Fast path: a JPEG ends with FF D9 (some writers pad with zeros after it).
    let end = tail(&mut file, len, 64)?;
    let trimmed = end
        .iter()
        .rposition(|&b| b != 0 && b != 0xFF)
        .map(|i| &end[..=i]);
    if trimmed.is_some_and(|t| t.ends_with(&[0xFF, 0xD9])) {
        return None;
    }
    // Otherwise (a motion photo's video after the picture, or a cut): walk the
    // segments to the picture data and look for its end marker there; the EXIF
    // thumbnail's own end marker, inside APP1, does not count.
    file.seek(SeekFrom::Start(0)).ok()?;
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let mut two = [0u8; 2];
    reader.read_exact(&mut two).ok()?;
    if two != [0xFF, 0xD8] {
        return None;
    }
    loop {
        let mut marker = [0u8; 2];
        if reader.read_exact(&mut marker).is_err() {
            return Some(format!("{CUT_SHORT}: it ends inside its headers"));
        }
        if marker[0] != 0xFF {
            return Some("the file is damaged: its headers are broken".to_owned());
        }
        match marker[1] {
            0xFF => continue,
            0xD9 => return None,
            0x01 | 0xD0..=0xD7 => continue,
            kind => {
                let mut size = [0u8; 2];
                if reader.read_exact(&mut size).is_err() {
                    return Some(format!("{CUT_SHORT}: it ends inside its headers"));
                }
                let size = u16::from_be_bytes(size);
                if size < 2 {
                    return Some("the file is damaged: its headers are broken".to_owned());
                }
                if reader.seek_relative(i64::from(size) - 2).is_err() {
                    return Some(format!("{CUT_SHORT}: it ends inside its headers"));
                }
                if kind == 0xDA {
                    return scan_for_end(&mut reader);
                }
            }
        }
    }
}

/// After a start-of-scan header: the picture data runs to FF D9; FF 00 and restart
/// markers occur inside it, and further scans (progressive JPEGs) follow.
fn scan_for_end(reader: &mut impl Read) -> Option<String> {
    let mut buffer = vec![0u8; 1 << 16];
    let mut previous_ff = false;
    loop {
        let n = match reader.read(&mut buffer) {
            Ok(0) => {
                return Some(format!(
                    "{CUT_SHORT}: the picture data stops before its end"
                ));
            }
            Ok(n) => n,
            Err(_) => return None,
        };
        for &byte in &buffer[..n] {
            if previous_ff && byte == 0xD9 {
                return None;
            }
            previous_ff = byte == 0xFF;
        }
    }
}

fn png(mut file: File, len: u64) -> Option<String> {
    const IEND: [u8; 12] = [0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xAE, 0x42, 0x60, 0x82];
    if tail(&mut file, len, 12)? == IEND {
        return None;
    }
    // Walk the chunks: a chunk running past the end is a cut.
    let mut at = 8u64;
    file.seek(SeekFrom::Start(at)).ok()?;
    for _ in 0..1_000_000 {
        let mut header = [0u8; 8];
        if file.read_exact(&mut header).is_err() {
            return Some(format!("{CUT_SHORT}: it has no end chunk (IEND)"));
        }
        let size = u64::from(u32::from_be_bytes([
            header[0], header[1], header[2], header[3],
        ]));
        if &header[4..8] == b"IEND" {
            return None;
        }
        at += 12 + size;
        if at > len {
            return Some(format!(
                "{CUT_SHORT}: the picture data stops before its end"
            ));
        }
        file.seek(SeekFrom::Start(at)).ok()?;
    }
    None
}

fn webp(mut file: File, len: u64) -> Option<String> {
    let mut header = [0u8; 8];
    file.read_exact(&mut header).ok()?;
    if &header[..4] != b"RIFF" {
        return None;
    }
    let declared = u64::from(u32::from_le_bytes([
        header[4], header[5], header[6], header[7],
    ])) + 8;
    (declared > len).then(|| format!("{CUT_SHORT}: it declares {declared} bytes and has {len}"))
}

fn pdf(mut file: File, len: u64) -> Option<String> {
    let end = tail(&mut file, len, 2048)?;
    let found = end.windows(5).any(|w| w == b"%%EOF");
    (!found).then(|| format!("{CUT_SHORT}: it does not end with %%EOF"))
}

/// Top-level boxes of HEIC, MP4 and MOV files: each whole, and the header box
/// (`moov` for a video, `meta` for a picture) present.
fn iso_bmff(mut file: File, len: u64, video: bool) -> Option<String> {
    let mut at = 0u64;
    let mut header_box = false;
    for _ in 0..100_000 {
        if at == len {
            break;
        }
        if len - at < 8 {
            return Some(format!("{CUT_SHORT}: it ends inside a box header"));
        }
        file.seek(SeekFrom::Start(at)).ok()?;
        let mut header = [0u8; 16];
        file.read_exact(&mut header[..8]).ok()?;
        let mut size = u64::from(u32::from_be_bytes([
            header[0], header[1], header[2], header[3],
        ]));
        let kind = [header[4], header[5], header[6], header[7]];
        if size == 1 {
            file.read_exact(&mut header[8..16]).ok()?;
            size = u64::from_be_bytes(header[8..16].try_into().ok()?);
        } else if size == 0 {
            size = len - at;
        }
        if size < 8 {
            return Some("the file is damaged: a box has an impossible size".to_owned());
        }
        if (video && &kind == b"moov") || (!video && &kind == b"meta") {
            header_box = true;
        }
        if at + size > len {
            let what = match &kind {
                b"mdat" => "the recorded data stops before its end",
                b"moov" => "the movie header stops before its end",
                _ => "a part of it stops before its end",
            };
            return Some(format!("{CUT_SHORT}: {what}"));
        }
        at += size;
    }
    if !header_box {
        return Some(if video {
            "the file is damaged or incomplete: it has no movie header (moov), as when a recording did not finish".to_owned()
        } else {
            "the file is damaged or incomplete: it has no picture header (meta)".to_owned()
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(bytes: &[u8], media_type: &str) -> Option<String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, bytes).unwrap();
        damage(&path, media_type, bytes.len() as u64)
    }

    fn media(name: &str) -> Vec<u8> {
        std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/data/media")
                .join(name),
        )
        .unwrap()
    }

    #[test]
    fn whole_files_pass_and_cut_ones_are_named() {
        for (name, media_type) in [
            ("phone-google-pixel-gps.jpg", "image/jpeg"),
            ("camera-sony-ilce7rm2-exif.webp", "image/webp"),
            ("phone-iphone13pro-livephoto.heic", "image/heic"),
            ("phone-iphone13pro-livephoto.mov", "video/quicktime"),
            ("video-rotate270.mp4", "video/mp4"),
        ] {
            let whole = media(name);
            assert_eq!(check(&whole, media_type), None, "{name}");
            let half = &whole[..whole.len() / 2];
            let why = check(half, media_type).unwrap_or_else(|| panic!("{name} cut passed"));
            assert!(why.starts_with("the file is cut short"), "{name}: {why}");
        }
        // A JPEG with data after its end (a motion photo's video) is whole.
        let mut motion = media("phone-google-pixel-gps.jpg");
        motion.extend_from_slice(b"\x00\x00\x00\x18ftypmp42 and the rest of a video");
        assert_eq!(check(&motion, "image/jpeg"), None);
        // A PNG, whole and cut.
        let png = media("screenshot-gnome-creation-time.png");
        assert_eq!(check(&png, "image/png"), None);
        assert!(check(&png[..png.len() - 20], "image/png").is_some());
        assert_eq!(
            check(b"", "image/png").as_deref(),
            Some("the file is empty")
        );
        assert_eq!(check(b"%PDF-1.4\n...\n%%EOF\n", "application/pdf"), None);
        assert!(check(b"%PDF-1.4\n... cut", "application/pdf").is_some());
    }
}
