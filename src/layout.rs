//! The bag's layout: where each kind of file lives inside a claimpack bundle. The
//! writer (`package`), the verifier and the upload kit all take paths from here, so
//! a bundle is read back exactly as it was written.
//!
//! ```text
//! claim-<platform>-<order>-<date>/      the zip's one top folder, the bag
//!   bagit.txt  bag-info.txt  manifest-sha256.txt  tagmanifest-sha256.txt
//!   timestamps/1.tsq 1.tsr 1.pem        trusted timestamps, when asked for
//!   data/case.toml                       the case file as written
//!   data/evidence/E01-<name>             the originals, bit for bit
//!   data/manifest.json                   what claimpack read of each exhibit
//!   data/report.html                     the printable report
//!   data/summary-form.txt  summary.txt   the statement, form-sized and full
//!   data/thumbs/E01-<stem>.jpg           previews of the images
//! ```

use crate::model::Case;

/// Every payload path starts with this.
pub const PAYLOAD_DIR: &str = "data/";
/// The originals.
pub const EVIDENCE_DIR: &str = "data/evidence/";
/// Previews derived from them.
pub const THUMBS_DIR: &str = "data/thumbs/";
/// Trusted timestamps (tag files).
pub const TIMESTAMPS_DIR: &str = "timestamps/";

/// The case file, as the buyer wrote it.
pub const CASE_TOML: &str = "data/case.toml";
/// claimpack's machine-readable description of the case and exhibits.
pub const MANIFEST_JSON: &str = "data/manifest.json";
/// The printable report.
pub const REPORT_HTML: &str = "data/report.html";
/// The statement cut to fit the platform's form.
pub const SUMMARY_FORM: &str = "data/summary-form.txt";
/// The whole statement.
pub const SUMMARY: &str = "data/summary.txt";

/// The bag's name, also the zip's: `claim-aliexpress-8123456789012345-20261123`.
pub fn bundle_name(case: &Case, created_at: jiff::Timestamp) -> String {
    let order: String = case
        .order
        .id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .take(40)
        .collect();
    let date = created_at.to_zoned_datetime(jiff::tz::TimeZone::UTC).date();
    format!(
        "claim-{}-{}-{}",
        case.platform.slug(),
        order.trim_matches('-'),
        date.strftime("%Y%m%d")
    )
}

/// Where an original goes: `data/evidence/E01-box-front.jpg`.
pub fn evidence_path(bag_name: &str) -> String {
    format!("{EVIDENCE_DIR}{bag_name}")
}

/// Where the preview of an original goes: the same stem, as a JPEG, under thumbs/.
pub fn thumbnail_path(bag_name: &str) -> String {
    let stem = bag_name.rsplit_once('.').map_or(bag_name, |(stem, _)| stem);
    format!("{THUMBS_DIR}{stem}.jpg")
}

/// Whether a bag path is in the payload (`data/…`) rather than a tag file.
pub fn is_payload(path: &str) -> bool {
    path.starts_with(PAYLOAD_DIR)
}

/// How a file is stored in the zip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// Text: deflated (stored after all if it would look like a bomb to `verify`).
    Deflate,
    /// Media that is already compressed.
    Store,
}

/// A file claimpack writes into the payload, rendered in memory.
#[derive(Debug, Clone)]
pub struct Document {
    /// Its bag path, e.g. [`REPORT_HTML`].
    pub path: String,
    pub bytes: Vec<u8>,
    pub compression: Compression,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumbnails_take_the_originals_stem() {
        assert_eq!(
            thumbnail_path("E01-box-front.heic"),
            "data/thumbs/E01-box-front.jpg"
        );
        assert_eq!(thumbnail_path("E02-notes"), "data/thumbs/E02-notes.jpg");
        assert_eq!(evidence_path("E03-a.b.mov"), "data/evidence/E03-a.b.mov");
    }
}
