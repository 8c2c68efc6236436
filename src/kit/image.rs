//! Photos and screenshots fitted to an upload form: upright, without metadata, in a
//! format the form takes and under its per-file cap.
//!
//! Re-encoding is what strips the metadata: the encoders write pixels only, so GPS,
//! serial numbers, maker notes and XMP of the original stay in the sealed bundle and
//! nowhere else. Quality is lowered before size, and size never below what keeps a
//! phone screenshot's text legible; the same input always gives the same bytes.

use std::borrow::Cow;
use std::io::Cursor;

use image::codecs::png::PngEncoder;
use image::{DynamicImage, ImageEncoder, ImageReader, Limits};

use crate::analysis::upload::Rules;
use crate::text::megabytes;

/// The most memory one decode may take (a 200-megapixel photo needs 600 MB as RGB).
const MAX_DECODE_BYTES: u64 = 1 << 30;
/// A photo's long side in the kit at most: more than a dispute portal shows on a
/// reviewer's screen, and at this size a 12-megapixel photo fits 2 MB at quality 90
/// in one encode. The sealed original keeps every pixel.
const MAX_SIDE: u32 = 2400;
/// Downscaling stops here: a 1170-pixel-wide phone screenshot stays readable at 1080.
const MIN_SIDE: u32 = 1080;
/// The most parts a tall picture is cut into.
pub const MOST_PARTS: usize = 6;
/// JPEG qualities tried, best first, before anything is made smaller.
const QUALITIES: [u8; 7] = [90, 85, 80, 75, 70, 65, 60];

/// Whether a PNG may stay PNG.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lossless {
    /// A screenshot: kept lossless when the form takes PNG and it fits.
    IfPng,
    /// A photo (a HEIC decoded to PNG on the way): always JPEG.
    Never,
}

/// One fitted image.
#[derive(Debug, Clone)]
pub struct Fitted {
    pub bytes: Vec<u8>,
    pub extension: &'static str,
    pub media_type: &'static str,
    /// What was done, in order: `orient`, `strip-metadata`, `resize 2400`, `jpeg q80`.
    pub transform: Vec<String>,
    pub width: u32,
    pub height: u32,
}

/// A picture decoded and made upright, before it is fitted.
pub struct Decoded {
    pub image: DynamicImage,
    /// Whether it was a PNG: a screenshot may stay lossless.
    pub png: bool,
    /// What was done so far: `orient`.
    pub transform: Vec<String>,
}

/// Fits an image: `orientation` is the EXIF Orientation the bundle's manifest
/// recorded for it.
pub fn fit(
    bytes: &[u8],
    orientation: Option<u16>,
    rules: Rules,
    lossless: Lossless,
) -> Result<Fitted, String> {
    fit_decoded(decode(bytes, orientation)?, rules, lossless)
}

/// Decodes a picture within the memory limit and turns it upright.
pub fn decode(bytes: &[u8], orientation: Option<u16>) -> Result<Decoded, String> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| format!("cannot be read as an image: {e}"))?;
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let png = reader.format() == Some(image::ImageFormat::Png);
    let mut image = reader
        .decode()
        .map_err(|e| format!("cannot be decoded: {e}"))?;
    let mut transform = Vec::new();
    if let Some(o) = orientation.filter(|&o| o != 1)
        && let Some(o) = image::metadata::Orientation::from_exif(o as u8)
    {
        image.apply_orientation(o);
        transform.push("orient".to_owned());
    }
    Ok(Decoded {
        image,
        png,
        transform,
    })
}

/// Fits a decoded picture: metadata gone, size within reason, under the cap.
pub fn fit_decoded(decoded: Decoded, rules: Rules, lossless: Lossless) -> Result<Fitted, String> {
    let Decoded {
        mut image,
        png: is_png,
        mut transform,
    } = decoded;
    transform.push("strip-metadata".to_owned());
    // Very large photos come down to MAX_SIDE; a tall screenshot keeps its width
    // (at least MIN_SIDE), or its text would become unreadable.
    let shortest = image.width().min(image.height());
    let scale = (f64::from(MAX_SIDE) / f64::from(longest(&image)))
        .max(f64::from(MIN_SIDE) / f64::from(shortest.max(1)))
        .min(1.0);
    if scale < 1.0 {
        let target = (f64::from(longest(&image)) * scale).round() as u32;
        image = resize(&image, target)?;
        transform.push(format!("resize {target}"));
    }
    // A screenshot stays lossless when the form takes PNG and it fits.
    if is_png && rules.png && lossless == Lossless::IfPng {
        let png = encode_png(&image)?;
        if png.len() as u64 <= rules.max_bytes {
            transform.push("png".to_owned());
            return Ok(fitted(png, "png", "image/png", transform, &image));
        }
    }
    if !rules.jpeg {
        return Err(format!(
            "is larger than the form's {} as PNG, and the form takes no JPEG",
            megabytes(rules.max_bytes)
        ));
    }
    // The decoded picture is given up here: one 12-megapixel copy less in memory.
    let mut current = DynamicImage::ImageRgb8(flatten(image));
    loop {
        let Search { best, smallest } = best_quality(&current, rules.max_bytes)?;
        if let Some((quality, jpeg)) = best {
            transform.push(format!("jpeg q{quality}"));
            return Ok(fitted(jpeg, "jpg", "image/jpeg", transform, &current));
        }
        let side = longest(&current);
        let shortest = current.width().min(current.height());
        if shortest <= MIN_SIDE {
            return Err(format!(
                "does not fit the form's {} even at {}×{} pixels and JPEG quality {}",
                megabytes(rules.max_bytes),
                current.width(),
                current.height(),
                QUALITIES[QUALITIES.len() - 1]
            ));
        }
        // Bytes go with the pixel count: shrink by what the lowest quality missed
        // by, a fifth at least, never below MIN_SIDE on the short side.
        let needed = (rules.max_bytes as f64 / smallest as f64).sqrt() * 0.97;
        let scale = needed
            .min(0.8)
            .max(f64::from(MIN_SIDE) / f64::from(shortest));
        let target = ((f64::from(side) * scale).round() as u32).max(1);
        current = resize(&current, target)?;
        if let Some(last) = transform.last()
            && last.starts_with("resize ")
        {
            transform.pop();
        }
        transform.push(format!("resize {target}"));
    }
}

/// What a quality search at one size found.
struct Search {
    /// The best quality that fits, and its JPEG.
    best: Option<(u8, Vec<u8>)>,
    /// The bytes at the lowest quality (or at the first, when that fits).
    smallest: u64,
}

/// The highest of [`QUALITIES`] whose JPEG fits `max_bytes`, with its bytes, and
/// the size at the lowest quality. Bytes grow with quality, so the best is found by
/// bisection: the best quality, then the lowest, then the middle of what is left —
/// two encodes when nothing fits at this size, four at most otherwise.
fn best_quality(image: &DynamicImage, max_bytes: u64) -> Result<Search, String> {
    let first = encode_jpeg(image, QUALITIES[0])?;
    if first.len() as u64 <= max_bytes {
        let size = first.len() as u64;
        return Ok(Search {
            best: Some((QUALITIES[0], first)),
            smallest: size,
        });
    }
    let lowest = QUALITIES.len() - 1;
    let last = encode_jpeg(image, QUALITIES[lowest])?;
    let smallest = last.len() as u64;
    if smallest > max_bytes {
        return Ok(Search {
            best: None,
            smallest,
        });
    }
    // QUALITIES[too_high] is over the cap, QUALITIES[fits] is under it.
    let (mut too_high, mut fits, mut best) = (0, lowest, last);
    while fits - too_high > 1 {
        let middle = (too_high + fits) / 2;
        let jpeg = encode_jpeg(image, QUALITIES[middle])?;
        if jpeg.len() as u64 <= max_bytes {
            fits = middle;
            best = jpeg;
        } else {
            too_high = middle;
        }
    }
    Ok(Search {
        best: Some((QUALITIES[fits], best)),
        smallest,
    })
}

/// Parts of a tall picture, each of which a reader takes in at once: a captured
/// page taller than 1.6 times its width goes in A4-shaped parts, any other picture
/// taller than three times its width in phone-screen-shaped ones. Parts overlap by
/// a twentieth so a line cut at one edge is whole on the other part. At most
/// [`MOST_PARTS`]; `true` when the picture goes on below the last one.
/// A picture that needs no cutting is handed back as it is, not copied.
pub fn split_tall(image: DynamicImage, page: bool) -> (Vec<DynamicImage>, bool) {
    let (width, height) = (image.width().max(1), image.height());
    let (split_above, part_ratio) = if page { (1.6, 1.414) } else { (3.0, 2.0) };
    if f64::from(height) <= f64::from(width) * split_above {
        return (vec![image], false);
    }
    let part = (f64::from(width) * part_ratio).round() as u32;
    let step = part - part / 20;
    let mut parts = Vec::new();
    let mut top = 0;
    while top < height && parts.len() < MOST_PARTS {
        let rows = part.min(height - top);
        parts.push(image.crop_imm(0, top, width, rows));
        if top + rows >= height {
            return (parts, false);
        }
        top += step;
    }
    (parts, true)
}

fn fitted(
    bytes: Vec<u8>,
    extension: &'static str,
    media_type: &'static str,
    transform: Vec<String>,
    image: &DynamicImage,
) -> Fitted {
    Fitted {
        bytes,
        extension,
        media_type,
        transform,
        width: image.width(),
        height: image.height(),
    }
}

/// The picture with its longest side `target` pixels, Lanczos3, in 8-bit pixels
/// (image's own resize keeps a float copy: 190 MB for a 12-megapixel photo).
fn resize(image: &DynamicImage, target: u32) -> Result<DynamicImage, String> {
    let (width, height) = (image.width().max(1), image.height().max(1));
    let scaled = |side: u32, long: u32| {
        ((u64::from(side) * u64::from(target) + u64::from(long) / 2) / u64::from(long)).max(1)
            as u32
    };
    let (new_width, new_height) = if width >= height {
        (target, scaled(height, width))
    } else {
        (scaled(width, height), target)
    };
    // 8-bit RGB or RGBA in and out; other layouts (grey, 16-bit) are converted first.
    let source = match image {
        DynamicImage::ImageRgb8(_) | DynamicImage::ImageRgba8(_) => Cow::Borrowed(image),
        other if other.color().has_alpha() => {
            Cow::Owned(DynamicImage::ImageRgba8(other.to_rgba8()))
        }
        other => Cow::Owned(DynamicImage::ImageRgb8(other.to_rgb8())),
    };
    let mut resized = if source.color().has_alpha() {
        DynamicImage::new_rgba8(new_width, new_height)
    } else {
        DynamicImage::new_rgb8(new_width, new_height)
    };
    let options = fast_image_resize::ResizeOptions::new().resize_alg(
        fast_image_resize::ResizeAlg::Convolution(fast_image_resize::FilterType::Lanczos3),
    );
    fast_image_resize::Resizer::new()
        .resize(source.as_ref(), &mut resized, &options)
        .map_err(|e| format!("cannot be resized: {e}"))?;
    Ok(resized)
}

fn longest(image: &DynamicImage) -> u32 {
    image.width().max(image.height())
}

/// RGB on white: JPEG has no transparency, and a screenshot's transparent corners
/// would otherwise turn black.
fn flatten(image: DynamicImage) -> image::RgbImage {
    if !image.color().has_alpha() {
        return image.into_rgb8();
    }
    let rgba = image.to_rgba8();
    image::RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over = |c: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8;
        image::Rgb([over(r), over(g), over(b)])
    })
}

/// A baseline JPEG with the standard Huffman tables, 4:4:4 at quality 90 and 4:2:0
/// below, and no metadata: jpeg-encoder writes a JFIF header and the pixels only.
/// (Its optimised tables made a file libjpeg reads and zune-jpeg, image's decoder,
/// misreads at the bottom edge; a portal's decoder is unknown, so no risk is taken.)
fn encode_jpeg(image: &DynamicImage, quality: u8) -> Result<Vec<u8>, String> {
    let converted;
    let rgb = match image {
        DynamicImage::ImageRgb8(rgb) => rgb,
        other => {
            converted = other.to_rgb8();
            &converted
        }
    };
    let side = |v: u32| {
        u16::try_from(v).map_err(|_| format!("is {v} pixels across, more than JPEG allows"))
    };
    let (width, height) = (side(rgb.width())?, side(rgb.height())?);
    let mut out = Vec::new();
    let encoder = jpeg_encoder::Encoder::new(&mut out, quality);
    encoder
        .encode(rgb.as_raw(), width, height, jpeg_encoder::ColorType::Rgb)
        .map_err(|e| format!("cannot be encoded as JPEG: {e}"))?;
    Ok(out)
}

fn encode_png(image: &DynamicImage) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let encoder = PngEncoder::new(&mut out);
    encoder
        .write_image(
            image.as_bytes(),
            image.width(),
            image.height(),
            image.color().into(),
        )
        .map_err(|e| format!("cannot be encoded as PNG: {e}"))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tall_pictures_are_cut_into_overlapping_parts() {
        let picture = |w, h| DynamicImage::ImageRgb8(image::RgbImage::new(w, h));
        // A phone screenshot stays whole; a captured page that tall is cut.
        assert_eq!(split_tall(picture(1170, 2532), false).0.len(), 1);
        let (parts, cut) = split_tall(picture(1280, 4000), true);
        assert!(!cut);
        assert_eq!(parts.len(), 3);
        assert!(
            parts
                .iter()
                .all(|p| p.width() == 1280 && p.height() <= 1810)
        );
        // Together the parts cover the page, each overlapping the one before.
        let covered: u32 = parts.iter().map(DynamicImage::height).sum();
        assert!(covered > 4000);
        // A very long page: six parts, and the rest is said to go on.
        let (parts, cut) = split_tall(picture(1280, 40_000), true);
        assert_eq!(parts.len(), MOST_PARTS);
        assert!(cut);
    }

    fn noisy(width: u32, height: u32) -> DynamicImage {
        // A fixed pseudo-random pattern: compresses badly, like a real photo.
        let mut state = 0x2545_f491_u32;
        DynamicImage::ImageRgb8(image::RgbImage::from_fn(width, height, |_, _| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let b = state.to_le_bytes();
            image::Rgb([b[0], b[1], b[2]])
        }))
    }

    fn png_bytes(image: &DynamicImage) -> Vec<u8> {
        encode_png(image).unwrap()
    }

    #[test]
    fn a_large_image_is_fitted_under_the_cap_quality_first() {
        let image = noisy(1600, 1200);
        let source = png_bytes(&image);
        // A cap between what quality 90 and quality 60 give: quality goes down, the
        // size stays.
        let best = encode_jpeg(&image, 90).unwrap().len() as u64;
        let worst = encode_jpeg(&image, 60).unwrap().len() as u64;
        let rules = Rules {
            png: false,
            jpeg: true,
            max_bytes: (best + worst) / 2,
        };
        let fitted = fit(&source, None, rules, Lossless::IfPng).unwrap();
        assert!(fitted.bytes.len() as u64 <= rules.max_bytes);
        assert_eq!(fitted.extension, "jpg");
        assert_eq!((fitted.width, fitted.height), (1600, 1200));
        let quality = fitted.transform.last().unwrap();
        assert!(
            quality.starts_with("jpeg q") && quality != "jpeg q90",
            "{quality}"
        );
        // The same input gives the same bytes.
        assert_eq!(
            fit(&source, None, rules, Lossless::IfPng).unwrap().bytes,
            fitted.bytes
        );
    }

    #[test]
    fn orientation_is_applied_to_the_pixels() {
        let source = png_bytes(&noisy(40, 20));
        let rules = Rules {
            png: true,
            jpeg: true,
            max_bytes: 5_000_000,
        };
        let fitted = fit(&source, Some(6), rules, Lossless::IfPng).unwrap();
        assert_eq!((fitted.width, fitted.height), (20, 40));
        assert_eq!(fitted.transform, ["orient", "strip-metadata", "png"]);
    }

    #[test]
    fn a_tall_screenshot_keeps_a_readable_width() {
        let source = png_bytes(&noisy(1170, 6000));
        let rules = Rules {
            png: true,
            jpeg: true,
            max_bytes: 50_000_000,
        };
        let fitted = fit(&source, None, rules, Lossless::IfPng).unwrap();
        // Not the 468×2400 MAX_SIDE alone would give: the short side stays 1080.
        assert_eq!((fitted.width, fitted.height), (1080, 5538));
    }

    #[test]
    fn what_cannot_fit_says_why() {
        let source = png_bytes(&noisy(1200, 1200));
        let rules = Rules {
            png: true,
            jpeg: true,
            max_bytes: 1_000,
        };
        let why = fit(&source, None, rules, Lossless::IfPng).unwrap_err();
        assert!(why.contains("does not fit the form's 1 KB"), "{why}");
    }
}
