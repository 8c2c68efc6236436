//! Carries out an exhibit's [`Plan`]: the upload files made from its sealed bytes.

use std::path::Path;
use std::sync::Arc;

use super::image;
use super::manifest::Item;
use super::{KitError, stamp, video};
use crate::analysis::upload::{Limits, Picture, Plan, Tool};
use crate::metadata::thumbnail::Tools;
use crate::output::OutputError;
use crate::sanitize::visible;
use crate::verify::{VerifiedBundle, VerifyError};

/// What is read of one original at most (a photo or a PDF, not a video).
const MAX_READ_BYTES: u64 = 512 << 20;

/// One file made from an exhibit.
pub struct Made {
    pub name: String,
    pub content: Content,
    pub media_type: String,
    pub transform: Vec<String>,
    /// Pixel size, for pictures.
    pub size: Option<(u32, u32)>,
    /// What the book says over the picture: "The video at 0:12", "Part 2 of 3".
    pub label: Option<String>,
    /// A part of a tall picture.
    pub part: bool,
}

/// A made file's bytes: in memory, or already written into the kit folder.
pub enum Content {
    /// Shared with the book's picture.
    Bytes(Arc<Vec<u8>>),
    Written,
}

impl Made {
    fn fitted(stem: &str, fitted: image::Fitted) -> Made {
        Made {
            name: format!("{stem}.{}", fitted.extension),
            content: Content::Bytes(Arc::new(fitted.bytes)),
            media_type: fitted.media_type.to_owned(),
            transform: fitted.transform,
            size: Some((fitted.width, fitted.height)),
            label: None,
            part: false,
        }
    }

    /// The original's bytes under its own name.
    fn original(item: &Item, bytes: Vec<u8>) -> Made {
        Made {
            name: file_name(item).to_owned(),
            content: Content::Bytes(Arc::new(bytes)),
            media_type: item.media_type.clone(),
            transform: vec!["copy".to_owned()],
            size: None,
            label: None,
            part: false,
        }
    }
}

/// The files made from one exhibit, or why it has none.
pub type Fit = Result<Vec<Made>, String>;

/// The exhibit's file name in the bag (`E01-broken-lid.jpg`).
fn file_name(item: &Item) -> &str {
    item.path.rsplit('/').next().unwrap_or(&item.id)
}

/// The kit folder and the tools a fit may use.
pub struct Workshop<'a> {
    pub bundle: &'a VerifiedBundle,
    pub limits: &'a Limits,
    pub tools: &'a Tools,
    pub folder: &'a Path,
}

impl Workshop<'_> {
    /// Makes the exhibit's upload files as `plan` says; `Ok(Err(why))` when it gets
    /// none (a missing tool, a file nothing can read).
    pub fn fit(&self, item: &Item, plan: &Plan) -> Result<Fit, KitError> {
        let stem = file_name(item)
            .rsplit_once('.')
            .map_or(file_name(item), |(stem, _)| stem)
            .to_owned();
        match plan {
            Plan::Picture { from } => self.picture(item, *from, &stem),
            Plan::Copy => Ok(Ok(vec![Made::original(
                item,
                self.bundle.read(&item.path, MAX_READ_BYTES)?,
            )])),
            Plan::Zip => self.zip(item, &stem),
            Plan::Transcode => self.transcode(item, &stem),
            Plan::Stills => self.stills(item, &stem),
            Plan::Text => Ok(Err(format!(
                "a {} file ({}): the form takes no text files; its text is in {}, and the original is in the bundle",
                item.kind,
                item.media_type,
                super::BOOK
            ))),
            Plan::LeftOut { why } => Ok(Err(format!(
                "{why}; the original is in the bundle, and {} lists it with its hash",
                super::BOOK
            ))),
        }
    }

    /// Why a plan came to nothing on this machine: the program it needs is missing.
    fn missing(&self, plan: &Plan, tool: Tool) -> String {
        format!(
            "the kit would make {}, which needs {} ({}); the original is in the bundle",
            plan.describe(self.limits),
            tool.name(),
            tool.install()
        )
    }

    fn picture(&self, item: &Item, from: Picture, stem: &str) -> Result<Fit, KitError> {
        let bytes = self.bundle.read(&item.path, MAX_READ_BYTES)?;
        let decoded = match from {
            Picture::Heic => {
                let Some(heif_convert) = self.tools.heif_convert() else {
                    let plan = Plan::Picture { from };
                    return Ok(Err(self.missing(&plan, Tool::HeifConvert)));
                };
                // libheif applies HEIF's own rotation and crop; the EXIF orientation
                // it copies along must not turn the picture a second time.
                let png = match heif_to_png(heif_convert, &bytes) {
                    Ok(png) => png,
                    Err(why) => {
                        return Ok(Err(format!(
                            "a HEIC photo heif-convert could not read: {why}"
                        )));
                    }
                };
                image::decode(&png, None).map(|mut decoded| {
                    decoded.transform.insert(0, "heif-convert".to_owned());
                    // A photo, though it came through PNG.
                    decoded.png = false;
                    decoded
                })
            }
            Picture::Jpeg | Picture::Png | Picture::Webp => image::decode(&bytes, item.orientation),
        };
        let decoded = match decoded {
            Ok(decoded) => decoded,
            Err(why) => return Ok(Err(format!("the {} {why}", item.kind))),
        };
        let lossless = if from == Picture::Png {
            image::Lossless::IfPng
        } else {
            image::Lossless::Never
        };
        let page = item.page.as_ref().filter(|p| p.url.is_some());
        let image::Decoded {
            image: whole,
            png,
            transform: done,
        } = decoded;
        let (parts, cut_short) = image::split_tall(whole, page.is_some());
        let count = parts.len();
        let mut made = Vec::new();
        for (index, part) in parts.into_iter().enumerate() {
            let number = index + 1;
            let of = if count > 1 {
                format!(" · part {number} of {count}")
            } else {
                String::new()
            };
            let mut lines = Vec::new();
            if let Some(page) = page {
                lines.push(visible(page.url.as_deref().unwrap_or_default()));
                lines.push(format!(
                    "{} · captured {}{of}",
                    item.id,
                    page.date
                        .as_deref()
                        .map_or("at an unknown time".to_owned(), visible)
                ));
            } else if count > 1 {
                lines.push(format!("{} · {}{of}", item.id, visible(&item.source_name)));
            }
            let mut transform = done.clone();
            let image = if lines.is_empty() {
                part
            } else {
                if count > 1 {
                    transform.push(format!("part {number} of {count}"));
                }
                transform.push("header band".to_owned());
                stamp::band(&part, &lines, stamp::Edge::Top)
            };
            let piece = image::Decoded {
                image,
                png,
                transform,
            };
            let fitted = match image::fit_decoded(piece, self.limits.rules, lossless) {
                Ok(fitted) => fitted,
                Err(why) => return Ok(Err(format!("the {} {why}", item.kind))),
            };
            let name = if count > 1 {
                format!("{stem}-part{number}")
            } else {
                stem.to_owned()
            };
            let mut piece = Made::fitted(&name, fitted);
            piece.part = count > 1;
            if count > 1 {
                piece.label = Some(if cut_short && number == count {
                    format!(
                        "Part {number} of {count}: the picture goes on below; the whole of it is the sealed original"
                    )
                } else {
                    format!("Part {number} of {count}")
                });
            }
            made.push(piece);
        }
        Ok(Ok(made))
    }

    /// The original video in a zip of its own, written straight into the kit folder
    /// (a video can be gigabytes): stored, as video does not compress, at a fixed
    /// time, so the same bundle gives the same zip.
    fn zip(&self, item: &Item, stem: &str) -> Result<Fit, KitError> {
        let name = format!("{stem}.zip");
        let path = self.folder.join(&name);
        let write_error = |source: std::io::Error| {
            KitError::Output(OutputError::Write {
                path: path.clone(),
                source,
            })
        };
        let zip_error = |e: zip::result::ZipError| write_error(std::io::Error::other(e));
        let file = std::fs::File::create(&path).map_err(write_error)?;
        let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored)
            .last_modified_time(zip::DateTime::default())
            .large_file(item.bytes >= u64::from(u32::MAX))
            .unix_permissions(0o644);
        zip.start_file(file_name(item), options)
            .map_err(zip_error)?;
        self.bundle.copy_to(&item.path, &mut zip)?;
        let mut out = zip.finish().map_err(zip_error)?;
        std::io::Write::flush(&mut out).map_err(write_error)?;
        Ok(Ok(vec![Made {
            name,
            content: Content::Written,
            media_type: "application/zip".to_owned(),
            transform: vec!["zip".to_owned()],
            size: None,
            label: None,
            part: false,
        }]))
    }

    /// A private copy of the sealed original, checked as copied: ffmpeg reads files.
    fn private_copy(&self, item: &Item) -> Result<tempfile::NamedTempFile, KitError> {
        let mut copy = tempfile::NamedTempFile::new().map_err(|source| VerifyError::Copy {
            bag_path: item.path.clone(),
            source,
        })?;
        self.bundle.copy_to(&item.path, copy.as_file_mut())?;
        Ok(copy)
    }

    fn transcode(&self, item: &Item, stem: &str) -> Result<Fit, KitError> {
        let Some(ffmpeg) = self.tools.ffmpeg() else {
            return Ok(Err(self.missing(&Plan::Transcode, Tool::Ffmpeg)));
        };
        let copy = self.private_copy(item)?;
        let name = format!("{stem}.mp4");
        let max_bytes = self.limits.rules.max_bytes;
        match video::transcode(
            ffmpeg,
            copy.path(),
            &self.folder.join(&name),
            item.duration_s,
            max_bytes,
        ) {
            Ok(()) => Ok(Ok(vec![Made {
                name,
                content: Content::Written,
                media_type: "video/mp4".to_owned(),
                transform: vec![
                    "orient".to_owned(),
                    "strip-metadata".to_owned(),
                    format!("h264 under {}", crate::text::megabytes(max_bytes)),
                ],
                size: None,
                label: None,
                part: false,
            }])),
            Err(why) => Ok(Err(format!("a video too big for the form, and {why}"))),
        }
    }

    fn stills(&self, item: &Item, stem: &str) -> Result<Fit, KitError> {
        let Some(ffmpeg) = self.tools.ffmpeg() else {
            return Ok(Err(self.missing(&Plan::Stills, Tool::Ffmpeg)));
        };
        let copy = self.private_copy(item)?;
        let stills = match video::stills(ffmpeg, copy.path(), item.duration_s) {
            Ok(stills) => stills,
            Err(why) => return Ok(Err(format!("a video ffmpeg could not read: {why}"))),
        };
        let length = item
            .duration_s
            .map(|d| format!(" of {}", video::clock(d.ceil())))
            .unwrap_or_default();
        let mut made = Vec::new();
        for still in stills {
            let at = video::clock(still.at);
            let frame = match image::decode(&still.png, None) {
                Ok(frame) => frame,
                Err(why) => return Ok(Err(format!("a still of the video {why}"))),
            };
            // The time is part of the picture, so it travels with the file.
            let line = format!(
                "{} · {} · {at}{length}",
                item.id,
                visible(&item.source_name)
            );
            let stamped = image::Decoded {
                image: stamp::band(&frame.image, &[line], stamp::Edge::Bottom),
                png: false,
                transform: vec![format!("still at {at}"), "timecode band".to_owned()],
            };
            match image::fit_decoded(stamped, self.limits.rules, image::Lossless::Never) {
                Ok(fitted) => {
                    let mut still =
                        Made::fitted(&format!("{stem}-{}", video::timecode(still.at)), fitted);
                    still.label = Some(format!("The video at {at}{length}"));
                    made.push(still);
                }
                Err(why) => return Ok(Err(format!("a still of the video {why}"))),
            }
        }
        Ok(Ok(made))
    }
}

/// Decodes a HEIC photo with libheif into a lossless PNG, through a private
/// temporary folder (heif-convert reads and writes files).
fn heif_to_png(heif_convert: &std::ffi::OsStr, bytes: &[u8]) -> Result<Vec<u8>, String> {
    let folder = tempfile::tempdir().map_err(|e| e.to_string())?;
    let input = folder.path().join("in.heic");
    let output = folder.path().join("out.png");
    std::fs::write(&input, bytes).map_err(|e| e.to_string())?;
    let mut command = std::process::Command::new(heif_convert);
    command.arg(&input).arg(&output);
    crate::tools::run(command, None, std::time::Duration::from_secs(60))?;
    std::fs::read(&output).map_err(|e| e.to_string())
}
