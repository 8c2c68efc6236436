//! Content Credentials: the C2PA signature a phone, camera or editing app may put in
//! a photo or video. A valid one from a maker on the C2PA trust list says which
//! device signed the file, when, and that it has not changed since; an AI marker in
//! it is a warning the buyer must see.
//!
//! Everything here is offline. The c2pa crate is built without HTTP, and the
//! settings also forbid remote manifests, OCSP and every network host, so a file
//! that points elsewhere is reported, never fetched. Files without a credential are
//! found by a scan for the C2PA manifest store's label before the crate is asked, so
//! that they cost one read and give the same answer with or without the
//! `content-credentials` feature.

use crate::intake::sniff::Family;
use crate::model::{ContentCredentials, CredentialStatus};
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

/// The trust list shipped with claimpack, as manifest.json names it.
pub const CREDENTIALS_TRUST_LIST: &str = "C2PA Trust List and C2PA TSA Trust List of 2026-08-05";

/// Their certificates (CC BY 4.0, c2pa-org/conformance-public; see data/c2pa/SOURCE.md).
#[cfg(feature = "content-credentials")]
const TRUST_ANCHORS: &str = concat!(
    include_str!("../../data/c2pa/C2PA-TRUST-LIST.pem"),
    "\n",
    include_str!("../../data/c2pa/C2PA-TSA-TRUST-LIST.pem"),
);

/// The start of every embedded C2PA manifest store: a JUMBF description box (`jumd`)
/// with the store's UUID, 63327061-0011-0010-8000-00AA00389B71, whose first four
/// bytes spell "c2pa". JPEG, PNG, WebP, HEIF and MP4 all carry it contiguously.
const STORE_LABEL: &[u8] = b"jumdc2pa\x00\x11\x00\x10\x80\x00\x00\xaa\x00\x38\x9b\x71";

/// Files up to this size are scanned whole for a store.
const SCAN_WHOLE: u64 = 256 << 20;

/// Of larger files that are not ISO media, the start and the end are scanned.
const SCAN_ENDS: u64 = 32 << 20;

/// Photos larger than this are not handed to the checker, which reads a photo into
/// memory whole; no camera writes one.
const CHECK_PHOTO_AT_MOST: u64 = 512 << 20;

/// Checks Content Credentials with one set of trust anchors, shared by the workers.
#[derive(Clone)]
pub struct Checker {
    /// "C2PA Trust List … and /path/extra.pem".
    checked_against: String,
    #[cfg(feature = "content-credentials")]
    context: std::sync::Arc<c2pa::Context>,
}

impl std::fmt::Debug for Checker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Checker")
            .field("checked_against", &self.checked_against)
            .finish_non_exhaustive()
    }
}

impl Checker {
    /// A checker trusting the shipped C2PA lists and, with `--c2pa-trust`, the
    /// certificates in `extra` (a PEM bundle, already read and checked).
    pub fn new(extra: Option<(&Path, &str)>) -> Result<Checker, String> {
        let checked_against = match extra {
            // The file's name only: manifest.json should not carry the buyer's folders.
            Some((path, _)) => format!(
                "{CREDENTIALS_TRUST_LIST}, and the certificates in {} (--c2pa-trust)",
                path.file_name().map_or_else(
                    || path.display().to_string(),
                    |n| n.to_string_lossy().into_owned()
                )
            ),
            None => CREDENTIALS_TRUST_LIST.to_owned(),
        };
        Ok(Checker {
            #[cfg(feature = "content-credentials")]
            context: std::sync::Arc::new(offline_context(extra.map(|(_, pem)| pem))?),
            checked_against,
        })
    }

    /// What the file's Content Credentials say. Only photos and videos are looked
    /// at; `None` for anything else.
    pub fn check(
        &self,
        path: &Path,
        media_type: &str,
        family: Family,
        bytes: u64,
    ) -> Option<ContentCredentials> {
        if !matches!(family, Family::Image | Family::Video) {
            return None;
        }
        match carries_store(path, bytes) {
            Ok(false) => return Some(ContentCredentials::none()),
            Ok(true) => {}
            Err(e) => {
                let mut unread = ContentCredentials::with_status(CredentialStatus::NotChecked);
                unread.note = Some(format!("the file could not be read for them ({e})"));
                return Some(unread);
            }
        }
        if family == Family::Image && bytes > CHECK_PHOTO_AT_MOST {
            let mut large = ContentCredentials::with_status(CredentialStatus::NotChecked);
            large.note = Some(format!(
                "the picture is larger than {} MiB, which no camera writes",
                CHECK_PHOTO_AT_MOST >> 20
            ));
            return Some(large);
        }
        let mut found = self.read(path, media_type);
        if matches!(
            found.status,
            CredentialStatus::Trusted | CredentialStatus::Untrusted | CredentialStatus::Invalid
        ) {
            found.checked_against = Some(self.checked_against.clone());
        }
        Some(found)
    }

    #[cfg(feature = "content-credentials")]
    fn read(&self, path: &Path, media_type: &str) -> ContentCredentials {
        let file = match File::open(path) {
            Ok(file) => io::BufReader::with_capacity(1 << 20, file),
            Err(e) => {
                let mut unread = ContentCredentials::with_status(CredentialStatus::NotChecked);
                unread.note = Some(format!("the file could not be read for them ({e})"));
                return unread;
            }
        };
        // The parser meets hostile files; a panic in it must cost one exhibit's
        // credential line, not the build.
        let context = self.context.clone();
        let reader = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            c2pa::Reader::from_shared_context(&context).with_stream(media_type, file)
        }));
        match reader {
            Ok(Ok(reader)) => checked::describe(&reader),
            Ok(Err(e)) => checked::unreadable(&e),
            Err(_) => {
                let mut failed = ContentCredentials::with_status(CredentialStatus::Unreadable);
                failed.note = Some("the checker could not parse them".to_owned());
                failed
            }
        }
    }

    #[cfg(not(feature = "content-credentials"))]
    fn read(&self, _path: &Path, _media_type: &str) -> ContentCredentials {
        let mut unchecked = ContentCredentials::with_status(CredentialStatus::NotChecked);
        unchecked.note =
            Some("this claimpack was built without the content-credentials feature".to_owned());
        unchecked
    }
}

/// The c2pa settings for reading offline: the shipped and added trust anchors, no
/// remote manifests, no OCSP, and no host allowed should anything try.
#[cfg(feature = "content-credentials")]
fn offline_context(extra_anchors: Option<&str>) -> Result<c2pa::Context, String> {
    let mut settings = c2pa::settings::Settings::default();
    settings.trust.trust_anchors = Some(TRUST_ANCHORS.to_owned());
    settings.trust.user_anchors = extra_anchors.map(str::to_owned);
    settings.verify.ocsp_fetch = false;
    settings.verify.remote_manifest_fetch = false;
    settings.core.allowed_network_hosts = Some(Vec::new());
    // CAWG identity assertions are validated asynchronously, over the network.
    settings.core.decode_identity_assertions = false;
    c2pa::Context::new()
        .with_settings(settings)
        .map_err(|e| format!("the C2PA checker refused these trust anchors ({e})"))
}

/// Whether the file carries an embedded C2PA manifest store. Files up to
/// [`SCAN_WHOLE`] are scanned whole; larger ISO media (videos) have their top-level
/// `uuid` boxes scanned, where the store must be; other large files their two ends.
pub fn carries_store(path: &Path, bytes: u64) -> io::Result<bool> {
    let mut file = File::open(path)?;
    if bytes <= SCAN_WHOLE {
        return scan(&mut file, bytes);
    }
    let mut head = [0u8; 8];
    file.read_exact(&mut head)?;
    file.rewind()?;
    if &head[4..8] == b"ftyp" {
        return scan_iso_uuid_boxes(&mut file, bytes);
    }
    if scan(&mut file, SCAN_ENDS)? {
        return Ok(true);
    }
    file.seek(SeekFrom::Start(bytes - SCAN_ENDS))?;
    scan(&mut file, SCAN_ENDS)
}

/// Scans the next `length` bytes for [`STORE_LABEL`], 256 KiB at a time.
fn scan(file: &mut File, length: u64) -> io::Result<bool> {
    let finder = memchr::memmem::Finder::new(STORE_LABEL);
    let keep = STORE_LABEL.len() - 1;
    let mut buffer = vec![0u8; (256 << 10) + keep];
    let mut filled = 0;
    let mut left = length;
    while left > 0 {
        let want = (buffer.len() - filled).min(left as usize);
        let got = file.read(&mut buffer[filled..filled + want])?;
        if got == 0 {
            break;
        }
        left -= got as u64;
        filled += got;
        if finder.find(&buffer[..filled]).is_some() {
            return Ok(true);
        }
        // A label split across two reads is found in the next one.
        let tail = filled.saturating_sub(keep);
        buffer.copy_within(tail..filled, 0);
        filled -= tail;
    }
    Ok(false)
}

/// Walks the top-level boxes of ISO media and scans the start of each `uuid` box.
fn scan_iso_uuid_boxes(file: &mut File, bytes: u64) -> io::Result<bool> {
    let mut at = 0u64;
    while at + 8 <= bytes {
        file.seek(SeekFrom::Start(at))?;
        let mut header = [0u8; 16];
        file.read_exact(&mut header[..8])?;
        let size32 = u32::from_be_bytes([header[0], header[1], header[2], header[3]]);
        let size = match size32 {
            0 => bytes - at,
            1 => {
                file.read_exact(&mut header[8..16])?;
                u64::from_be_bytes(header[8..16].try_into().expect("eight bytes"))
            }
            n => u64::from(n),
        };
        if size < 8 {
            return Ok(false);
        }
        if &header[4..8] == b"uuid" {
            file.seek(SeekFrom::Start(at))?;
            if scan(file, size.min(4096))? {
                return Ok(true);
            }
        }
        at = at.saturating_add(size);
    }
    Ok(false)
}

/// Turning what the c2pa crate read into claimpack's words.
#[cfg(feature = "content-credentials")]
mod checked {
    use crate::model::{
        AiUse, ContentCredentials, CredentialAction, CredentialIngredient, CredentialStatus,
        FailedCheck, is_ai_source,
    };
    use c2pa::validation_status::{
        SIGNING_CREDENTIAL_UNTRUSTED, TIMESTAMP_TRUSTED, ValidationStatus,
    };

    pub fn describe(reader: &c2pa::Reader) -> ContentCredentials {
        let Some(manifest) = reader.active_manifest() else {
            let mut broken = ContentCredentials::with_status(CredentialStatus::Unreadable);
            broken.note = Some("the store names no active manifest".to_owned());
            return broken;
        };
        let codes = reader
            .validation_results()
            .and_then(|r| r.active_manifest());
        let failures: Vec<&ValidationStatus> = codes
            .map(|c| {
                c.failure()
                    .iter()
                    .filter(|s| s.code() != SIGNING_CREDENTIAL_UNTRUSTED)
                    .collect()
            })
            .unwrap_or_default();
        let status = match reader.validation_state() {
            c2pa::ValidationState::Trusted if failures.is_empty() => CredentialStatus::Trusted,
            c2pa::ValidationState::Valid | c2pa::ValidationState::Trusted
                if failures.is_empty() =>
            {
                CredentialStatus::Untrusted
            }
            _ => CredentialStatus::Invalid,
        };
        let mut found = ContentCredentials::with_status(status);
        found.failed = failures
            .iter()
            .map(|s| FailedCheck {
                code: s.code().to_owned(),
                meaning: meaning(s.code()).to_owned(),
            })
            .collect();
        if found.status == CredentialStatus::Invalid && found.failed.is_empty() {
            found.failed.push(FailedCheck {
                code: "general.error".to_owned(),
                meaning: meaning("general.error").to_owned(),
            });
        }
        if let Some(info) = manifest.signature_info() {
            found.signer = subject(info.cert_chain()).or_else(|| info.common_name.clone());
            found.signer_organization = info.issuer.clone();
            found.signed_at = info.time.as_deref().map(utc);
        }
        // The SDK does not check the time-stamping authority of a version 1 claim
        // (before C2PA 2.0) yet reports it trusted; only a later claim's report counts.
        found.signed_at_trusted = found.signed_at.is_some()
            && manifest.claim_version().is_some_and(|v| v >= 2)
            && codes.is_some_and(|c| c.success().iter().any(|s| s.code() == TIMESTAMP_TRUSTED));
        found.claim_generator = generator(manifest);
        found.actions = actions(manifest);
        found.ai = ai_use(&found.actions);
        found.ingredients = manifest
            .ingredients()
            .iter()
            .map(|i| CredentialIngredient {
                title: i.title().map(str::to_owned),
                relationship: relationship(i),
            })
            .collect();
        found
    }

    /// A store that is there but could not be read as one.
    pub fn unreadable(error: &c2pa::Error) -> ContentCredentials {
        let (status, note) = match error {
            c2pa::Error::JumbfNotFound | c2pa::Error::ProvenanceMissing => (
                CredentialStatus::Unreadable,
                "the file has the label of a C2PA store, but no store the checker can find"
                    .to_owned(),
            ),
            c2pa::Error::RemoteManifestUrl(url) | c2pa::Error::RemoteManifestFetch(url) => (
                CredentialStatus::NotChecked,
                format!("they are kept online at {url}, and claimpack works offline"),
            ),
            c2pa::Error::UnsupportedType => (
                CredentialStatus::NotChecked,
                "the checker does not read this kind of file".to_owned(),
            ),
            other => (CredentialStatus::Unreadable, other.to_string()),
        };
        let mut found = ContentCredentials::with_status(status);
        found.note = Some(note);
        found
    }

    /// What a failed C2PA check means for a reviewer.
    fn meaning(code: &str) -> &'static str {
        match code {
            "assertion.dataHash.mismatch"
            | "assertion.bmffHash.mismatch"
            | "assertion.boxesHash.mismatch"
            | "assertion.collectionHash.mismatch" => {
                "the file's content changed after it was signed"
            }
            "claimSignature.mismatch" | "claimSignature.missing" => {
                "the signature does not match what it signs"
            }
            "signingCredential.expired" => "the signing certificate had expired when it signed",
            "signingCredential.ocsp.revoked" => "the signing certificate was revoked",
            "signingCredential.invalid" => {
                "the signing certificate is not one that may sign Content Credentials"
            }
            "claimSignature.outsideValidity" => {
                "the signature was made outside the certificate's validity"
            }
            "assertion.hashedURI.mismatch" | "assertion.missing" | "hashedURI.mismatch" => {
                "a signed part of the record was changed or removed"
            }
            "timeStamp.mismatch" | "timeStamp.malformed" | "timeStamp.outsideValidity" => {
                "the time-stamp does not match the signature"
            }
            "algorithm.unsupported" => "the signature uses an algorithm C2PA does not allow",
            code if code.starts_with("ingredient.") => {
                "the credential of a file it was made from does not check"
            }
            _ => "the record does not check as the C2PA specification requires",
        }
    }

    /// The signing certificate's subject, from the first certificate of the chain.
    fn subject(chain_pem: &str) -> Option<String> {
        let first = crate::formats::rfc3161::certificates_from_pem(chain_pem)
            .into_iter()
            .next()?;
        Some(first.tbs_certificate.subject.to_string())
    }

    /// The time-stamp's time as RFC 3339 UTC, to the second.
    fn utc(time: &str) -> String {
        match time.parse::<jiff::Timestamp>() {
            Ok(t) => jiff::Timestamp::from_second(t.as_second())
                .unwrap_or(t)
                .to_string(),
            Err(_) => time.to_owned(),
        }
    }

    /// "Pixel Camera 10.2": the first claim generator's name and version.
    fn generator(manifest: &c2pa::Manifest) -> Option<String> {
        if let Some(info) = manifest
            .claim_generator_info
            .as_ref()
            .and_then(|v| v.first())
        {
            return Some(match &info.version {
                Some(version) => format!("{} {version}", info.name),
                None => info.name.clone(),
            });
        }
        // Version 1 claims name it in one user-agent-like string.
        manifest
            .claim_generator()
            .map(|g| g.split_whitespace().next().unwrap_or(g).replace('_', " "))
    }

    fn actions(manifest: &c2pa::Manifest) -> Vec<CredentialAction> {
        let mut found = Vec::new();
        for assertion in manifest.assertions() {
            if !assertion.label().starts_with("c2pa.actions") {
                continue;
            }
            let Ok(value) = assertion.value() else {
                continue;
            };
            let Some(list) = value.get("actions").and_then(|a| a.as_array()) else {
                continue;
            };
            for action in list {
                let Some(name) = action.get("action").and_then(|a| a.as_str()) else {
                    continue;
                };
                let agent = action.get("softwareAgent").and_then(|a| {
                    a.as_str()
                        .or_else(|| a.get("name").and_then(|n| n.as_str()))
                        .map(str::to_owned)
                });
                found.push(CredentialAction {
                    action: name.to_owned(),
                    digital_source_type: action
                        .get("digitalSourceType")
                        .and_then(|t| t.as_str())
                        .map(str::to_owned),
                    software_agent: agent,
                });
            }
        }
        found
    }

    /// Whether AI made the picture (a creation from a generative source) or changed it.
    fn ai_use(actions: &[CredentialAction]) -> Option<AiUse> {
        let ai = |a: &&CredentialAction| a.digital_source_type.as_deref().is_some_and(is_ai_source);
        if actions
            .iter()
            .filter(ai)
            .any(|a| a.action == "c2pa.created")
        {
            Some(AiUse::Generated)
        } else if actions.iter().any(|a| ai(&a)) {
            Some(AiUse::Edited)
        } else {
            None
        }
    }

    /// `parentOf`, `componentOf` or `inputTo`, as C2PA spells it.
    fn relationship(ingredient: &c2pa::Ingredient) -> String {
        serde_json::to_value(ingredient.relationship())
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_else(|| "componentOf".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn file_with(prefix_len: usize, tail: &[u8]) -> tempfile::NamedTempFile {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(&vec![0x55; prefix_len]).unwrap();
        file.write_all(tail).unwrap();
        file.flush().unwrap();
        file
    }

    #[test]
    fn the_store_label_is_found_wherever_it_falls_against_the_reads() {
        for at in [0, 1, (256 << 10) - 5, 256 << 10, (256 << 10) + 3, 3 << 20] {
            let file = file_with(at, STORE_LABEL);
            let bytes = file.as_file().metadata().unwrap().len();
            assert!(carries_store(file.path(), bytes).unwrap(), "label at {at}");
        }
        let without = file_with(2 << 20, b"jumdc2pX");
        assert!(!carries_store(without.path(), 2 << 20).unwrap());
    }

    #[test]
    fn large_iso_media_is_scanned_in_its_uuid_boxes_only() {
        let mut movie = Vec::new();
        movie.extend_from_slice(&[0, 0, 0, 16]);
        movie.extend_from_slice(b"ftypisom\0\0\0\0");
        let uuid_box_len = 8 + 16 + STORE_LABEL.len() as u32;
        movie.extend_from_slice(&uuid_box_len.to_be_bytes());
        movie.extend_from_slice(b"uuid");
        movie.extend_from_slice(&[0xd8; 16]);
        movie.extend_from_slice(STORE_LABEL);
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(&movie).unwrap();
        let mut file_ = file.as_file();
        // A sparse 300 MiB `mdat` after it: only the headers are read.
        let mdat = (300u64 << 20) as u32;
        file_.write_all(&mdat.to_be_bytes()).unwrap();
        file_.write_all(b"mdat").unwrap();
        let bytes = movie.len() as u64 + u64::from(mdat);
        file_.set_len(bytes).unwrap();
        assert!(carries_store(file.path(), bytes).unwrap());
    }

    #[test]
    fn files_other_than_photos_and_videos_are_not_looked_at() {
        let file = file_with(10, STORE_LABEL);
        let checker = Checker::new(None).unwrap();
        assert_eq!(
            checker.check(file.path(), "application/pdf", Family::Pdf, 30),
            None
        );
        let none = file_with(10, b"nothing");
        assert_eq!(
            checker
                .check(none.path(), "image/jpeg", Family::Image, 17)
                .unwrap(),
            ContentCredentials::none()
        );
    }
}
