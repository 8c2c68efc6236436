//! What the upload kit does with each exhibit, decided from its media type and size and the
//! form's rules alone. The kit carries the plan out; `check` shows it before there is
//! a bundle, so a buyer learns in time that a HEIC photo needs heif-convert or that
//! the bank will get stills, not the video.

use serde::Serialize;

use crate::analysis::checklist::EvidenceRef;
use crate::model::{EvidenceKind, ExhibitId};
use crate::profile::Profile;
use crate::text::megabytes;

/// The per-file cap when the platform publishes none: what most forms take.
pub const DEFAULT_MAX_BYTES: u64 = 5_000_000;
/// The largest text exhibit whose text goes into the book.
pub const MAX_TEXT_BYTES: u64 = 1 << 20;

/// What the form takes.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    pub png: bool,
    pub jpeg: bool,
    pub max_bytes: u64,
}

/// The rules the kit applies, with where each comes from.
#[derive(Debug, Clone)]
pub struct Limits {
    /// The platform's name, as the profile spells it.
    pub name: String,
    pub rules: Rules,
    pub pdf: bool,
    /// Whether the form takes video; `None` when nobody published it.
    pub video: Option<bool>,
    /// Whether the platform asks for videos zipped.
    pub zip_videos: bool,
    /// All uploads of one submission together, when published.
    pub max_total_bytes: Option<u64>,
    /// How the caps and formats were chosen, for UPLOAD.txt.
    pub explained: Vec<String>,
}

impl Limits {
    pub fn of(profile: &Profile) -> Limits {
        let evidence = &profile.evidence;
        let mut explained = Vec::new();
        let formats: Vec<String> = match evidence.formats.get() {
            Some(formats) => {
                explained.push(format!(
                    "Formats taken: {} (source: {}).",
                    formats.join(", "),
                    evidence.formats.source
                ));
                formats.clone()
            }
            None => {
                explained.push(format!(
                    "Formats: {} publishes no list ({}); the kit uses JPEG and PNG, which every form seen takes.",
                    profile.name, evidence.formats.source
                ));
                vec!["jpg".into(), "png".into()]
            }
        };
        let max_bytes = match evidence.max_file_bytes.get() {
            Some(&bytes) => {
                explained.push(format!(
                    "Each file under {} (source: {}).",
                    megabytes(bytes),
                    evidence.max_file_bytes.source
                ));
                bytes
            }
            None => {
                explained.push(format!(
                    "Size: {} publishes no per-file limit ({}); the kit keeps each file under {}.",
                    profile.name,
                    evidence.max_file_bytes.source,
                    megabytes(DEFAULT_MAX_BYTES)
                ));
                DEFAULT_MAX_BYTES
            }
        };
        let max_total_bytes = evidence.max_total_bytes.get().copied();
        if let Some(total) = max_total_bytes {
            explained.push(format!(
                "All files together under {} (source: {}).",
                megabytes(total),
                evidence.max_total_bytes.source
            ));
        }
        let has = |ext: &str| formats.iter().any(|f| f.eq_ignore_ascii_case(ext));
        Limits {
            name: profile.name.clone(),
            rules: Rules {
                png: has("png"),
                jpeg: has("jpg") || has("jpeg"),
                max_bytes,
            },
            pdf: has("pdf"),
            video: evidence.video.get().copied(),
            zip_videos: evidence.zip.get() == Some(&true) && evidence.video.get() != Some(&true),
            max_total_bytes,
            explained,
        }
    }
}

/// A picture format the kit reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Picture {
    Jpeg,
    Png,
    Webp,
    /// HEIC or HEIF, decoded by libheif.
    Heic,
}

/// An outside program a plan needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tool {
    Ffmpeg,
    HeifConvert,
}

impl Tool {
    pub fn name(self) -> &'static str {
        match self {
            Tool::Ffmpeg => "ffmpeg",
            Tool::HeifConvert => "heif-convert",
        }
    }

    /// How to install it, on the systems buyers use.
    pub fn install(self) -> String {
        let program = match self {
            Tool::Ffmpeg => crate::tools::FFMPEG,
            Tool::HeifConvert => crate::tools::HEIF_CONVERT,
        };
        program.install.one_line()
    }
}

/// What the kit does with one exhibit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "does", rename_all = "kebab-case")]
pub enum Plan {
    /// A photo or screenshot made upright, stripped of metadata and fitted under the
    /// cap, in a format the form takes.
    Picture { from: Picture },
    /// The original as it is: a PDF or a video the form takes.
    Copy,
    /// A video the form takes but too big for it: an H.264 MP4 under the cap.
    Transcode,
    /// The original video in a zip of its own, as the platform asks.
    Zip,
    /// Stills of a video, for a form that opens none.
    Stills,
    /// Its text printed in the exhibit book.
    Text,
    /// No file of its own; the book lists it with its hash.
    LeftOut { why: String },
}

/// Why an exhibit proves nothing, when it does not: such a file goes into no kit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unusable<'a> {
    /// Cut short or broken.
    Damaged,
    /// A capture that shows this instead of its page ("a sign-in page …").
    NotThePage(&'a str),
}

impl<'a> Unusable<'a> {
    /// From an exhibit's `damaged` and `not_the_page`.
    pub fn of(damaged: Option<&str>, not_the_page: Option<&'a str>) -> Option<Self> {
        match (damaged, not_the_page) {
            (Some(_), _) => Some(Unusable::Damaged),
            (None, Some(instead)) => Some(Unusable::NotThePage(instead)),
            (None, None) => None,
        }
    }
}

/// Decides what the kit does with an exhibit: a damaged file or a capture of
/// another page is left out (the form would get a file that shows nothing), others
/// by media type and size.
pub fn plan(media_type: &str, bytes: u64, unusable: Option<Unusable>, limits: &Limits) -> Plan {
    match unusable {
        Some(Unusable::Damaged) => {
            return Plan::LeftOut {
                why: "damaged (cut short or broken), so no copy that opens can be made from it"
                    .to_owned(),
            };
        }
        Some(Unusable::NotThePage(instead)) => {
            return Plan::LeftOut {
                why: format!("a capture that shows {instead}, not the page itself"),
            };
        }
        None => {}
    }
    let picture = match media_type {
        "image/jpeg" => Some(Picture::Jpeg),
        "image/png" => Some(Picture::Png),
        "image/webp" => Some(Picture::Webp),
        "image/heic" | "image/heif" => Some(Picture::Heic),
        _ => None,
    };
    if let Some(from) = picture {
        return Plan::Picture { from };
    }
    if media_type == "application/pdf" {
        return if !limits.pdf {
            Plan::LeftOut {
                why: "a PDF, and this form takes no PDF".to_owned(),
            }
        } else if bytes > limits.rules.max_bytes {
            Plan::LeftOut {
                why: format!(
                    "a PDF of {}, over the form's {} per file",
                    megabytes(bytes),
                    megabytes(limits.rules.max_bytes)
                ),
            }
        } else {
            Plan::Copy
        };
    }
    if media_type.starts_with("video/") {
        return match limits.video {
            Some(true) if bytes <= limits.rules.max_bytes => Plan::Copy,
            Some(true) => Plan::Transcode,
            _ if limits.zip_videos => Plan::Zip,
            _ => Plan::Stills,
        };
    }
    if matches!(media_type, "text/plain" | "text/html") && bytes <= MAX_TEXT_BYTES {
        return Plan::Text;
    }
    if media_type.starts_with("image/") {
        return Plan::LeftOut {
            why: format!("an image of type {media_type}, which the kit does not convert yet"),
        };
    }
    Plan::LeftOut {
        why: format!("a file of type {media_type}, which the form does not take"),
    }
}

impl Plan {
    /// The outside program carrying the plan out needs.
    pub fn needs(&self) -> Option<Tool> {
        match self {
            Plan::Picture {
                from: Picture::Heic,
            } => Some(Tool::HeifConvert),
            Plan::Transcode | Plan::Stills => Some(Tool::Ffmpeg),
            _ => None,
        }
    }

    /// What the kit will make, in a few words: "a JPEG under 2 MB, upright, without
    /// location or camera data".
    pub fn describe(&self, limits: &Limits) -> String {
        let cap = megabytes(limits.rules.max_bytes);
        let stripped = "upright, without location or camera data";
        match self {
            Plan::Picture { from } => {
                let target = match (from, limits.rules.png, limits.rules.jpeg) {
                    (Picture::Png, true, true) => "a PNG (a JPEG if it does not fit)",
                    (_, true, false) => "a PNG",
                    _ => "a JPEG",
                };
                let stripped = if *from == Picture::Png {
                    "upright, without metadata"
                } else {
                    stripped
                };
                let from = match from {
                    Picture::Heic => ", converted from HEIC",
                    Picture::Webp => ", converted from WebP",
                    Picture::Jpeg | Picture::Png => "",
                };
                format!("{target} under {cap}{from}, {stripped}")
            }
            Plan::Copy => "the original, as it is".to_owned(),
            Plan::Transcode => {
                format!("an H.264 MP4 copy under {cap} (the original is too big for the form)")
            }
            Plan::Zip => format!(
                "the original video in a zip, as {} asks for videos",
                limits.name
            ),
            Plan::Stills => match limits.video {
                Some(false) => format!(
                    "3 to 8 stills with their times in the video ({} opens no video)",
                    limits.name
                ),
                _ => format!(
                    "3 to 8 stills with their times in the video ({} publishes no rule on video; every form takes pictures)",
                    limits.name
                ),
            },
            Plan::Text => "its text, printed in the exhibit book".to_owned(),
            Plan::LeftOut { why } => {
                format!("no upload file: {why}; the exhibit book lists it with its hash")
            }
        }
    }
}

/// One exhibit's plan, as `check` and the report show it.
#[derive(Debug, Clone, Serialize)]
pub struct Planned {
    pub exhibit: ExhibitId,
    pub kind: EvidenceKind,
    /// Its path in the case folder.
    pub name: String,
    #[serde(flatten)]
    pub plan: Plan,
    /// The plan in words: "a JPEG under 2 MB, upright, without location or camera data".
    pub makes: String,
    /// The outside program it needs.
    pub needs: Option<Tool>,
}

/// The plan for every exhibit, for this platform's form.
pub fn plan_all(profile: &Profile, evidence: &[EvidenceRef]) -> Vec<Planned> {
    let limits = Limits::of(profile);
    evidence
        .iter()
        .map(|e| {
            let plan = plan(
                e.media_type,
                e.bytes,
                Unusable::of(e.damaged, e.not_the_page),
                &limits,
            );
            Planned {
                exhibit: e.id,
                kind: e.kind,
                name: e.source_name.to_owned(),
                makes: plan.describe(&limits),
                needs: plan.needs(),
                plan,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(video: Option<bool>, zip_videos: bool, pdf: bool) -> Limits {
        Limits {
            name: "Form".to_owned(),
            rules: Rules {
                png: true,
                jpeg: true,
                max_bytes: 2_000_000,
            },
            pdf,
            video,
            zip_videos,
            max_total_bytes: None,
            explained: Vec::new(),
        }
    }

    #[test]
    fn videos_follow_the_form() {
        let mp4 = "video/mp4";
        assert_eq!(
            plan(mp4, 1_000, None, &limits(Some(true), false, false)),
            Plan::Copy
        );
        assert_eq!(
            plan(mp4, 9_000_000, None, &limits(Some(true), false, false)),
            Plan::Transcode
        );
        assert_eq!(
            plan(mp4, 9_000_000, None, &limits(None, true, false)),
            Plan::Zip
        );
        assert_eq!(
            plan(mp4, 1_000, None, &limits(Some(false), false, false)),
            Plan::Stills
        );
        // Nobody published whether the form takes video: stills are safe.
        assert_eq!(
            plan(mp4, 1_000, None, &limits(None, false, false)),
            Plan::Stills
        );
        assert_eq!(Plan::Stills.needs(), Some(Tool::Ffmpeg));
        // Unknown is not "no".
        assert!(
            Plan::Stills
                .describe(&limits(None, false, false))
                .contains("publishes no rule on video")
        );
        assert!(
            Plan::Stills
                .describe(&limits(Some(false), false, false))
                .contains("opens no video")
        );
    }

    #[test]
    fn pdfs_and_text() {
        let l = limits(None, false, true);
        assert_eq!(plan("application/pdf", 1_000, None, &l), Plan::Copy);
        assert!(matches!(
            plan("application/pdf", 3_000_000, None, &l),
            Plan::LeftOut { why } if why.contains("over the form's 2 MB")
        ));
        assert!(matches!(
            plan("application/pdf", 1_000, None, &limits(None, false, false)),
            Plan::LeftOut { .. }
        ));
        assert_eq!(plan("text/html", 1_000, None, &l), Plan::Text);
        assert!(matches!(
            plan("text/html", MAX_TEXT_BYTES + 1, None, &l),
            Plan::LeftOut { .. }
        ));
    }

    #[test]
    fn pictures_say_what_they_become() {
        let l = limits(None, false, false);
        let heic = plan("image/heic", 1, None, &l);
        assert_eq!(heic.needs(), Some(Tool::HeifConvert));
        assert_eq!(
            heic.describe(&l),
            "a JPEG under 2 MB, converted from HEIC, upright, without location or camera data"
        );
        assert_eq!(
            plan("image/png", 1, None, &l).describe(&l),
            "a PNG (a JPEG if it does not fit) under 2 MB, upright, without metadata"
        );
    }
}
