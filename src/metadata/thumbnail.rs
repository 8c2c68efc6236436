//! Thumbnails: a 480-pixel preview of every photo and screenshot, upright, and a
//! poster frame for videos when ffmpeg is installed.
//!
//! They are derived files, stored beside the originals with their own hashes; an
//! original is never decoded in place of being sealed. Speed comes from decoding JPEGs
//! at 1/2, 1/4 or 1/8 scale inside the decoder (the "shrink-on-load" libvips uses) and
//! from working on two files at once. Memory is bounded: decoders get allocation
//! limits, so a decompression bomb gives a placeholder and a warning, not an OOM.
//! HEIC photos and video frames need outside decoders (libheif's heif-convert,
//! ffmpeg); without them the exhibit gets a placeholder that says so.

use std::io::{BufReader, Cursor};
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use image::{DynamicImage, ImageDecoder, ImageReader, Limits};

use crate::intake::SourceFile;
use crate::intake::sniff::Family;
use crate::model::Capture;

/// The longest side of a thumbnail.
pub const SIZE: u32 = 480;
/// Images taller than this many widths are previewed by their top.
pub const TALL_RATIO: u32 = 3;
/// The most memory one decode may take.
const MAX_DECODE_BYTES: u64 = 512 << 20;
/// Larger images are refused as bombs (a 200-megapixel camera is 16384 wide).
const MAX_SIDE: u32 = 30_000;
/// How long ffmpeg or heif-convert may take for one file.
const TOOL_TIMEOUT: Duration = Duration::from_secs(30);
/// A 480-pixel frame is far below this; more is not a thumbnail.
const MAX_TOOL_OUTPUT: u64 = 16 << 20;

/// A preview of one exhibit.
#[derive(Debug, Clone)]
pub enum Preview {
    /// A JPEG thumbnail.
    Image {
        jpeg: Vec<u8>,
        width: u32,
        height: u32,
    },
    /// No picture: why, in words for the report.
    Placeholder(String),
    /// A text file's beginning, for the report to show as text (a chat transcript,
    /// a captured page's visible text). `more` when the file goes on.
    Text { excerpt: String, more: bool },
}

/// The most characters of a text exhibit the report shows.
const TEXT_EXCERPT: usize = 3_000;

/// The first [`TEXT_EXCERPT`] characters of a UTF-8 (or near enough) text file.
fn text_excerpt(path: &Path) -> Option<(String, bool)> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take((TEXT_EXCERPT * 4 + 4) as u64)
        .read_to_end(&mut bytes)
        .ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let mut chars = text.char_indices();
    match chars.nth(TEXT_EXCERPT) {
        Some((at, _)) => Some((text[..at].to_owned(), true)),
        None => {
            let whole = std::fs::metadata(path).ok()?.len() as usize <= bytes.len();
            Some((text.into_owned(), !whole))
        }
    }
}

/// The width of a captured page's screenshot preview: wide enough to read in the
/// report, where other pictures get [`SIZE`].
pub const PAGE_SIZE: u32 = 1_000;

/// A preview and, when something went wrong, a warning for the exhibit.
pub type Made = (Preview, Option<String>);

/// Outside programs used when present: ffmpeg for poster frames, heif-convert
/// (libheif) for HEIC photos. `CLAIMPACK_FFMPEG` and `CLAIMPACK_HEIF_CONVERT` name
/// them; `none` turns one off.
#[derive(Debug, Clone, Default)]
pub struct Tools {
    ffmpeg: Option<std::ffi::OsString>,
    heif_convert: Option<std::ffi::OsString>,
}

impl Tools {
    /// ffmpeg, when installed.
    pub fn ffmpeg(&self) -> Option<&std::ffi::OsStr> {
        self.ffmpeg.as_deref()
    }

    /// libheif's converter, when installed.
    pub fn heif_convert(&self) -> Option<&std::ffi::OsStr> {
        self.heif_convert.as_deref()
    }

    /// Looks the programs up; done once, when a command's settings are made.
    pub fn find() -> Tools {
        Tools {
            ffmpeg: crate::tools::FFMPEG.find(),
            heif_convert: crate::tools::HEIF_CONVERT.find(),
        }
    }
}

/// Applies `work` to every item on up to four threads, keeping the order. Each
/// thread holds one decoded image at a time, so memory is bounded by the thread count.
pub fn parallel_map<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers.min(items.len()))
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(index) else { break };
                        done.push((index, work(item)));
                    }
                    done
                })
            })
            .collect();
        handles
            .into_iter()
            // A worker only panics on a bug; its items are then missing and caught below.
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    done.sort_by_key(|(index, _)| *index);
    assert_eq!(done.len(), items.len(), "a thumbnail worker stopped");
    done.into_iter().map(|(_, result)| result).collect()
}

/// A JPEG thumbnail of a photo or screenshot at `path`, upright, at most
/// [`SIZE`] pixels on its longest side: (JPEG bytes, width, height).
pub fn thumbnail_image(
    path: &Path,
    media_type: &str,
    orientation: Option<u16>,
) -> Result<(Vec<u8>, u32, u32), String> {
    thumbnail_sized(path, media_type, orientation, SIZE)
}

/// [`thumbnail_image`] at most `size` pixels on its longer side.
pub fn thumbnail_sized(
    path: &Path,
    media_type: &str,
    orientation: Option<u16>,
    size: u32,
) -> Result<(Vec<u8>, u32, u32), String> {
    let mut image = if media_type == "image/jpeg" {
        decode_jpeg(path)?
    } else {
        decode_other(path)?
    };
    if let Some(orientation) = orientation
        .and_then(|o| u8::try_from(o).ok())
        .and_then(image::metadata::Orientation::from_exif)
    {
        image.apply_orientation(orientation);
    }
    // A full-page screenshot is many screens tall; shrunk whole it is a grey strip. Its
    // top, where a tracking page shows the status, is previewed instead (the report
    // says so); the exhibit is the whole image.
    if image.height() > image.width().saturating_mul(TALL_RATIO) {
        let width = image.width();
        image = image.crop_imm(0, 0, width, width.saturating_mul(4) / 3);
    }
    // Never enlarge: a small original is its own preview.
    let thumb = if image.width().max(image.height()) > size {
        image.thumbnail(size, size)
    } else {
        image
    };
    let jpeg = encode(&thumb)?;
    Ok((jpeg, thumb.width(), thumb.height()))
}

/// One preview; never fails, a problem becomes a placeholder and a warning.
pub fn make(file: &SourceFile, capture: &Capture, tools: &Tools) -> Made {
    let media_type = file.sniffed.media_type.as_str();
    match file.sniffed.family {
        _ if file.bytes == 0 => (Preview::Placeholder("empty file".to_owned()), None),
        Family::Image if media_type.starts_with("image/hei") || media_type == "image/avif" => {
            let Some(heif_convert) = &tools.heif_convert else {
                return (
                    Preview::Placeholder(
                        "HEIC photo: no preview (install libheif-examples for one); open the original"
                            .to_owned(),
                    ),
                    None,
                );
            };
            preview_or_warning(
                heif_preview(heif_convert, &file.path),
                "HEIC photo: no preview",
            )
        }
        Family::Image => {
            // A screenshot `claimpack capture` took is read, not glanced at.
            let size = if file.capture_record.is_some() {
                PAGE_SIZE
            } else {
                SIZE
            };
            preview_or_warning(
                thumbnail_sized(&file.path, media_type, capture.orientation, size),
                "no preview",
            )
        }
        Family::Video => {
            let duration = capture
                .duration_s
                .map(|d| format!(", {d:.1} s"))
                .unwrap_or_default();
            let placeholder = Preview::Placeholder(format!("video{duration}"));
            let Some(ffmpeg) = &tools.ffmpeg else {
                return (placeholder, None);
            };
            match poster_frame(ffmpeg, &file.path) {
                Ok(jpeg) => image_preview(jpeg),
                Err(why) => (placeholder, Some(format!("no poster frame: {why}"))),
            }
        }
        _ if media_type.starts_with("text/plain") => match text_excerpt(&file.path) {
            Some((excerpt, more)) => (Preview::Text { excerpt, more }, None),
            None => (Preview::Placeholder(file.sniffed.media_type.clone()), None),
        },
        _ => (Preview::Placeholder(file.sniffed.media_type.clone()), None),
    }
}

/// A thumbnail, or a placeholder saying `instead` and a warning saying why.
fn preview_or_warning(made: Result<(Vec<u8>, u32, u32), String>, instead: &str) -> Made {
    match made {
        Ok((jpeg, width, height)) => (
            Preview::Image {
                jpeg,
                width,
                height,
            },
            None,
        ),
        Err(why) => (
            Preview::Placeholder(instead.to_owned()),
            Some(format!("no preview could be made: {why}")),
        ),
    }
}

/// Decodes a JPEG at the smallest DCT scale that still covers the thumbnail.
fn decode_jpeg(path: &Path) -> Result<DynamicImage, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut decoder = jpeg_decoder::Decoder::new(BufReader::new(file));
    decoder.set_max_decoding_buffer_size(MAX_DECODE_BYTES as usize);
    decoder.read_info().map_err(|e| e.to_string())?;
    let info = decoder.info().ok_or("no image header")?;
    if u32::from(info.width) > MAX_SIDE || u32::from(info.height) > MAX_SIDE {
        return Err(format!(
            "{}×{} pixels is larger than any camera makes",
            info.width, info.height
        ));
    }
    // Ask for at least SIZE on the shorter side so the final resize still averages.
    decoder
        .scale(SIZE as u16, SIZE as u16)
        .map_err(|e| e.to_string())?;
    let pixels = decoder.decode().map_err(|e| e.to_string())?;
    let info = decoder.info().ok_or("no image header")?;
    let (w, h) = (u32::from(info.width), u32::from(info.height));
    let image = match info.pixel_format {
        jpeg_decoder::PixelFormat::RGB24 => {
            image::RgbImage::from_raw(w, h, pixels).map(DynamicImage::ImageRgb8)
        }
        jpeg_decoder::PixelFormat::L8 => {
            image::GrayImage::from_raw(w, h, pixels).map(DynamicImage::ImageLuma8)
        }
        jpeg_decoder::PixelFormat::L16 => {
            let wide: Vec<u16> = pixels
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            image::ImageBuffer::from_raw(w, h, wide).map(DynamicImage::ImageLuma16)
        }
        jpeg_decoder::PixelFormat::CMYK32 => {
            let rgb: Vec<u8> = pixels
                .chunks_exact(4)
                .flat_map(|p| {
                    let k = u16::from(255 - p[3]);
                    [p[0], p[1], p[2]].map(|c| ((u16::from(255 - c) * k) / 255) as u8)
                })
                .collect();
            image::RgbImage::from_raw(w, h, rgb).map(DynamicImage::ImageRgb8)
        }
    };
    image.ok_or_else(|| "decoder returned fewer pixels than its size".to_owned())
}

/// PNG, WebP and the rest, with the decoder's memory limits set.
fn decode_other(path: &Path) -> Result<DynamicImage, String> {
    let mut reader = ImageReader::open(path)
        .map_err(|e| e.to_string())?
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    reader.limits(limits);
    let decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    let (w, h) = decoder.dimensions();
    if w > MAX_SIDE || h > MAX_SIDE {
        return Err(format!("{w}×{h} pixels is larger than any camera makes"));
    }
    // The crate does not enforce max_alloc on every path: check the output size here,
    // before a single pixel is decoded.
    let needed = decoder.total_bytes();
    if needed > MAX_DECODE_BYTES {
        return Err(format!(
            "{w}×{h} pixels would need {} MiB to decode (limit {} MiB)",
            needed >> 20,
            MAX_DECODE_BYTES >> 20
        ));
    }
    DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())
}

fn encode(image: &DynamicImage) -> Result<Vec<u8>, String> {
    let mut out = Cursor::new(Vec::new());
    let rgb = DynamicImage::ImageRgb8(image.to_rgb8());
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80);
    rgb.write_with_encoder(encoder).map_err(|e| e.to_string())?;
    Ok(out.into_inner())
}

fn image_preview(jpeg: Vec<u8>) -> Made {
    match image::load_from_memory_with_format(&jpeg, image::ImageFormat::Jpeg) {
        Ok(image) => (
            Preview::Image {
                width: image.width(),
                height: image.height(),
                jpeg,
            },
            None,
        ),
        Err(e) => (
            Preview::Placeholder("video".to_owned()),
            Some(format!("no poster frame: {e}")),
        ),
    }
}

/// A HEIC photo through libheif: it applies HEIF's own rotation and crop, and the
/// JPEG it writes is then thumbnailed like any other (its copied EXIF orientation is
/// ignored, or the picture would turn twice).
fn heif_preview(
    heif_convert: &std::ffi::OsStr,
    path: &Path,
) -> Result<(Vec<u8>, u32, u32), String> {
    let folder = tempfile::tempdir().map_err(|e| e.to_string())?;
    let out = folder.path().join("full.jpg");
    let mut command = Command::new(heif_convert);
    command.args(["-q", "90"]).arg(path).arg(&out);
    crate::tools::run(command, None, TOOL_TIMEOUT)?;
    thumbnail_image(&out, "image/jpeg", None)
}

/// The first frame, upright (ffmpeg applies the display matrix), at most 480 px.
fn poster_frame(ffmpeg: &std::ffi::OsStr, path: &Path) -> Result<Vec<u8>, String> {
    let mut command = Command::new(ffmpeg);
    command
        .args(["-nostdin", "-v", "error", "-i"])
        .arg(path)
        .args([
            "-frames:v",
            "1",
            "-vf",
            // Fit in 480×480, never enlarging (autorotation runs before this filter).
            "scale='min(480,iw)':'min(480,ih)':force_original_aspect_ratio=decrease",
            "-f",
            "image2pipe",
            "-vcodec",
            "mjpeg",
            "-",
        ]);
    let bytes = crate::tools::run(command, Some(MAX_TOOL_OUTPUT), TOOL_TIMEOUT)?;
    if bytes.is_empty() {
        return Err("ffmpeg could not read a frame".to_owned());
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_page_screenshot_is_previewed_by_its_top() {
        // 600×6000: ten screens tall; the top 600×800 is shrunk to 360×480.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tall.png");
        image::RgbImage::from_pixel(600, 6000, image::Rgb([250, 250, 250]))
            .save(&path)
            .unwrap();
        let (_, width, height) = thumbnail_image(&path, "image/png", None).unwrap();
        assert_eq!((width, height), (360, 480));
        // An ordinary portrait photo keeps its whole frame.
        let photo = dir.path().join("photo.png");
        image::RgbImage::from_pixel(600, 800, image::Rgb([0, 0, 0]))
            .save(&photo)
            .unwrap();
        let (_, width, height) = thumbnail_image(&photo, "image/png", None).unwrap();
        assert_eq!((width, height), (360, 480));
    }
}
