//! What a PNG says about itself in its chunks: the `Creation Time` screenshot tools
//! write, the `tIME` of its last change, its XMP packet (`iTXt XML:com.adobe.xmp`,
//! compressed or not) and EXIF that ImageMagick and Exiv2 keep as a hex "raw
//! profile" in a text chunk. (A standard `eXIf` chunk is read by kamadak-exif.)
//!
//! The walk is bounded: chunk count, text size and inflated size are capped, and
//! image data is skipped without being read.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use super::time;
use crate::model::CaptureTime;

const MAX_CHUNKS: usize = 10_000;
/// A text chunk larger than this is skipped: metadata is kilobytes, not megabytes.
const MAX_TEXT: u32 = 4 << 20;
/// A compressed text chunk is inflated to at most this much.
const MAX_INFLATED: u64 = 4 << 20;

/// The metadata chunks of one PNG.
#[derive(Debug, Default)]
pub struct PngMeta {
    /// The `Creation Time` text, as the tool wrote it.
    pub creation_time: Option<CaptureTime>,
    /// `tIME`: the last change, in UTC.
    pub modified: Option<CaptureTime>,
    /// TIFF-structured EXIF from a raw profile text chunk.
    pub raw_exif: Option<Vec<u8>>,
    pub xmp: Option<String>,
}

/// Reads the metadata chunks; `None` for a file that is not a PNG.
pub fn read(path: &Path) -> Option<PngMeta> {
    let mut file = BufReader::new(File::open(path).ok()?);
    let mut signature = [0u8; 8];
    file.read_exact(&mut signature).ok()?;
    if signature != *b"\x89PNG\r\n\x1a\n" {
        return None;
    }
    let mut meta = PngMeta::default();
    for _ in 0..MAX_CHUNKS {
        let mut header = [0u8; 8];
        if file.read_exact(&mut header).is_err() {
            break;
        }
        let len = u32::from_be_bytes([header[0], header[1], header[2], header[3]]);
        let kind = [header[4], header[5], header[6], header[7]];
        match &kind {
            b"tEXt" | b"zTXt" | b"iTXt" if len <= MAX_TEXT => {
                let mut data = vec![0u8; len as usize];
                if file.read_exact(&mut data).is_err() {
                    break;
                }
                if let Some((keyword, text)) = text_chunk(&kind, &data) {
                    meta.take_text(&keyword, &text);
                }
                file.seek_relative(4).ok()?;
            }
            b"tIME" if len == 7 => {
                let mut d = [0u8; 7];
                file.read_exact(&mut d).ok()?;
                file.seek_relative(4).ok()?;
                let year = i64::from(u16::from_be_bytes([d[0], d[1]]));
                meta.modified = time::civil(
                    year,
                    d[2].into(),
                    d[3].into(),
                    d[4].into(),
                    d[5].into(),
                    d[6].into(),
                    0,
                )
                .map(|local| CaptureTime {
                    local,
                    offset: Some(jiff::tz::Offset::UTC),
                });
            }
            b"IEND" => break,
            _ => {
                if file.seek(SeekFrom::Current(i64::from(len) + 4)).is_err() {
                    break;
                }
            }
        }
    }
    Some(meta)
}

impl PngMeta {
    fn take_text(&mut self, keyword: &[u8], text: &[u8]) {
        if keyword.eq_ignore_ascii_case(b"Creation Time") {
            if self.creation_time.is_none() {
                self.creation_time = time::free_text(&String::from_utf8_lossy(text));
            }
        } else if keyword == b"XML:com.adobe.xmp" {
            if self.xmp.is_none() {
                self.xmp = Some(String::from_utf8_lossy(text).into_owned());
            }
        } else if (keyword.eq_ignore_ascii_case(b"Raw profile type exif")
            || keyword.eq_ignore_ascii_case(b"Raw profile type APP1"))
            && self.raw_exif.is_none()
        {
            self.raw_exif = raw_profile(text).map(|bytes| match bytes.strip_prefix(b"Exif\0\0") {
                Some(tiff) => tiff.to_vec(),
                None => bytes,
            });
        }
    }
}

/// The keyword and the (inflated) text of a `tEXt`, `zTXt` or `iTXt` chunk.
fn text_chunk(kind: &[u8; 4], data: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let (keyword, rest) = split_nul(data)?;
    let text = match kind {
        b"tEXt" => rest.to_vec(),
        // compression method (0 = zlib), then the compressed text
        b"zTXt" => inflate(rest.get(1..)?)?,
        _ => {
            // compression flag, method, language\0, translated keyword\0, text
            let compressed = *rest.first()? == 1;
            let rest = rest.get(2..)?;
            let (_, rest) = split_nul(rest)?;
            let (_, text) = split_nul(rest)?;
            if compressed {
                inflate(text)?
            } else {
                text.to_vec()
            }
        }
    };
    Some((keyword.to_vec(), text))
}

fn inflate(data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(data)
        .take(MAX_INFLATED)
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}

/// ImageMagick's raw profile: `\nexif\n   24413\n4578696600…` — a name, the byte
/// count, then the bytes in hex over many lines.
fn raw_profile(text: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(text).ok()?;
    let mut words = text.split_ascii_whitespace();
    let _name = words.next()?;
    let count: usize = words.next()?.parse().ok()?;
    let hex: String = words.collect();
    let mut bytes = hex::decode(hex.get(..count.checked_mul(2)?.min(hex.len()))?).ok()?;
    bytes.truncate(count);
    (!bytes.is_empty()).then_some(bytes)
}

fn split_nul(data: &[u8]) -> Option<(&[u8], &[u8])> {
    let at = data.iter().position(|&b| b == 0)?;
    Some((&data[..at], &data[at + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_profiles_decode_to_their_declared_length() {
        assert_eq!(
            raw_profile(b"\nexif\n      8\n457869660000\n4d4d\n"),
            Some(b"Exif\0\0MM".to_vec())
        );
        assert_eq!(raw_profile(b"\nexif\n  nonsense\n00"), None);
        assert_eq!(raw_profile(b"\nexif\n  4\n0g0g0g0g"), None);
        assert_eq!(raw_profile(b""), None);
    }
}
