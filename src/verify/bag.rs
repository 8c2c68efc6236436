//! The BagIt checks on a bag's hashed contents, and claimpack's own manifest.json.
//!
//! Kept apart from the zip reading so the same checks apply however the contents were
//! obtained. Every problem names the file it is about.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::{BagFacts, Contents, Problem, ProblemKind};
use crate::formats::bagit::{self, BagInfo, Oxum};
use crate::layout;

/// What the checks found, and the facts a report shows.
#[derive(Debug, Default)]
struct Outcome {
    problems: Vec<Problem>,
    facts: BagFacts,
}

/// Checks a bag. `corrupt` lists paths already reported unreadable; their hashes are
/// not compared again.
pub fn check(contents: &Contents, corrupt: &[String]) -> (Vec<Problem>, BagFacts) {
    let mut out = Outcome::default();
    let text = |name: &str| contents.texts.get(name).map(|b| String::from_utf8_lossy(b));

    check_declaration(text(bagit::BAGIT_TXT_NAME).as_deref(), &mut out);

    let payload: BTreeMap<&str, &super::FileFacts> = contents
        .files
        .iter()
        .filter(|(path, _)| layout::is_payload(path))
        .map(|(path, facts)| (path.as_str(), facts))
        .collect();
    out.facts.payload_files = payload.len() as u64;
    out.facts.payload_bytes = payload.values().map(|f| f.bytes).sum();

    // The payload manifest.
    let manifest_text = text(bagit::MANIFEST_NAME);
    let listed = match &manifest_text {
        Some(manifest) => {
            out.facts.seal = contents
                .texts
                .get(bagit::MANIFEST_NAME)
                .map(|b| hex::encode(Sha256::digest(b)));
            check_manifest(
                bagit::MANIFEST_NAME,
                manifest,
                contents,
                corrupt,
                true,
                &mut out,
            )
        }
        None => {
            out.problems.push(missing(
                bagit::MANIFEST_NAME,
                "the bag has no payload manifest",
            ));
            BTreeMap::new()
        }
    };
    for path in payload.keys() {
        if !listed.contains_key(*path) {
            out.problems.push(Problem::new(
                path,
                ProblemKind::Extra,
                format!(
                    "not listed in {}: added after sealing",
                    bagit::MANIFEST_NAME
                ),
            ));
        }
    }

    // The tag manifest, and tag files it does not cover.
    let tag_listed = match text(bagit::TAGMANIFEST_NAME) {
        Some(tagmanifest) => check_manifest(
            bagit::TAGMANIFEST_NAME,
            &tagmanifest,
            contents,
            corrupt,
            false,
            &mut out,
        ),
        None => {
            out.problems.push(missing(
                bagit::TAGMANIFEST_NAME,
                "the bag has no tag manifest",
            ));
            BTreeMap::new()
        }
    };
    for path in contents.files.keys() {
        let is_tag = !layout::is_payload(path);
        if is_tag && path != bagit::TAGMANIFEST_NAME && !tag_listed.contains_key(path.as_str()) {
            out.problems.push(Problem::new(
                path,
                ProblemKind::Extra,
                format!(
                    "not listed in {}: added after sealing",
                    bagit::TAGMANIFEST_NAME
                ),
            ));
        }
    }

    let actual = Oxum {
        bytes: out.facts.payload_bytes,
        files: out.facts.payload_files,
    };
    let info = check_bag_info(
        text(bagit::BAG_INFO_NAME).as_deref(),
        actual,
        &mut out.problems,
    );
    if let Some(info) = &info {
        out.facts.bagging_date = info.get("Bagging-Date").map(str::to_owned);
        out.facts.external_identifier = info.get("External-Identifier").map(str::to_owned);
    }
    let made_by_claimpack = info
        .as_ref()
        .and_then(|i| i.get("Bag-Software-Agent"))
        .is_some_and(|agent| agent.starts_with("claimpack"));
    check_manifest_json(contents, &listed, made_by_claimpack, &mut out);
    (out.problems, out.facts)
}

fn missing(path: &str, why: &str) -> Problem {
    Problem::new(path, ProblemKind::Missing, why.to_owned())
}

fn check_declaration(text: Option<&str>, out: &mut Outcome) {
    let Some(text) = text else {
        out.problems.push(missing(
            bagit::BAGIT_TXT_NAME,
            "the bag declaration is missing",
        ));
        return;
    };
    let info = BagInfo::parse(text).unwrap_or_default();
    let version_ok = matches!(info.get("BagIt-Version"), Some("1.0" | "0.97"));
    let encoding_ok = info
        .get("Tag-File-Character-Encoding")
        .is_some_and(|e| e.eq_ignore_ascii_case("UTF-8"));
    if !version_ok || !encoding_ok {
        out.problems.push(Problem::new(
            bagit::BAGIT_TXT_NAME,
            ProblemKind::Invalid,
            "must declare BagIt-Version 1.0 and Tag-File-Character-Encoding UTF-8".to_owned(),
        ));
    }
}

/// Checks every line of a manifest against the contents; returns the listed paths
/// with their recorded digests.
fn check_manifest(
    name: &str,
    text: &str,
    contents: &Contents,
    corrupt: &[String],
    payload: bool,
    out: &mut Outcome,
) -> BTreeMap<String, String> {
    let (lines, bad) = bagit::parse_manifest(text);
    for why in bad {
        out.problems
            .push(Problem::new(name, ProblemKind::Invalid, why));
    }
    let mut listed = BTreeMap::new();
    for line in lines {
        if payload != layout::is_payload(&line.path) {
            let why = if payload {
                "lists a file outside data/"
            } else {
                "lists a payload file; tag manifests list tag files"
            };
            out.problems.push(Problem::new(
                name,
                ProblemKind::Invalid,
                format!("line {} {why}: {}", line.line, line.path),
            ));
            continue;
        }
        if listed
            .insert(line.path.clone(), line.digest.clone())
            .is_some()
        {
            out.problems.push(Problem::new(
                name,
                ProblemKind::Invalid,
                format!("line {} lists {} a second time", line.line, line.path),
            ));
            continue;
        }
        match contents.files.get(&line.path) {
            None => out.problems.push(Problem::new(
                &line.path,
                ProblemKind::Missing,
                format!("listed in {name} but not in the bag"),
            )),
            Some(_) if corrupt.contains(&line.path) => {}
            Some(facts) if hex::encode(facts.sha256) != line.digest => {
                out.problems.push(Problem::new(
                    &line.path,
                    ProblemKind::Changed,
                    format!("its SHA-256 differs from the one in {name}"),
                ))
            }
            Some(_) => {}
        }
    }
    listed
}

/// Reads bag-info.txt and checks its Payload-Oxum against the payload found.
fn check_bag_info(
    text: Option<&str>,
    actual: Oxum,
    problems: &mut Vec<Problem>,
) -> Option<BagInfo> {
    let Some(text) = text else {
        problems.push(missing(bagit::BAG_INFO_NAME, "the bag has no bag-info.txt"));
        return None;
    };
    let info = match BagInfo::parse(text) {
        Ok(info) => info,
        Err(why) => {
            problems.push(Problem::new(
                bagit::BAG_INFO_NAME,
                ProblemKind::Invalid,
                why,
            ));
            return None;
        }
    };
    match info.get("Payload-Oxum").map(str::parse::<Oxum>) {
        Some(Ok(declared)) if declared == actual => {}
        Some(Ok(declared)) => problems.push(Problem::new(
            bagit::BAG_INFO_NAME,
            ProblemKind::Invalid,
            format!("Payload-Oxum says {declared} (bytes.files) but the payload is {actual}"),
        )),
        Some(Err(())) => problems.push(Problem::new(
            bagit::BAG_INFO_NAME,
            ProblemKind::Invalid,
            "Payload-Oxum is not <bytes>.<files>".to_owned(),
        )),
        None => problems.push(Problem::new(
            bagit::BAG_INFO_NAME,
            ProblemKind::Missing,
            "has no Payload-Oxum".to_owned(),
        )),
    }
    Some(info)
}

#[derive(Deserialize)]
struct ManifestJson {
    created_at: Option<String>,
    #[serde(default)]
    items: Vec<ManifestJsonItem>,
}

#[derive(Deserialize)]
struct ManifestJsonItem {
    id: Option<String>,
    path: String,
    sha256: String,
    bytes: u64,
    /// A capture's other files, sealed under the item's number.
    #[serde(default)]
    attachments: Vec<ManifestJsonAttachment>,
}

#[derive(Deserialize)]
struct ManifestJsonAttachment {
    path: String,
    sha256: String,
    bytes: u64,
}

/// `data/manifest.json` must describe exactly the evidence the manifest seals.
fn check_manifest_json(
    contents: &Contents,
    listed: &BTreeMap<String, String>,
    required: bool,
    out: &mut Outcome,
) {
    const NAME: &str = layout::MANIFEST_JSON;
    let Some(bytes) = contents.texts.get(NAME) else {
        if required {
            out.problems.push(missing(
                NAME,
                "claimpack's description of the exhibits is missing",
            ));
        }
        return;
    };
    let manifest: ManifestJson = match serde_json::from_slice(bytes) {
        Ok(m) => m,
        Err(e) => {
            out.problems.push(Problem::new(
                NAME,
                ProblemKind::Invalid,
                format!("is not a claimpack manifest: {e}"),
            ));
            return;
        }
    };
    out.facts.created_at = manifest.created_at;
    let mut described = BTreeSet::new();
    let entries = manifest.items.iter().flat_map(|item| {
        let label = item.id.as_deref().unwrap_or("an item");
        std::iter::once((label, item.path.as_str(), item.sha256.as_str(), item.bytes)).chain(
            item.attachments
                .iter()
                .map(move |a| (label, a.path.as_str(), a.sha256.as_str(), a.bytes)),
        )
    });
    for (label, path, sha256, bytes) in entries {
        described.insert(path);
        match (listed.get(path), contents.files.get(path)) {
            (None, _) => out.problems.push(Problem::new(
                path,
                ProblemKind::Mismatch,
                format!("manifest.json describes {label} at this path, but the bag's manifest does not list it"),
            )),
            (Some(digest), facts) => {
                if !digest.eq_ignore_ascii_case(sha256) {
                    out.problems.push(Problem::new(
                        path,
                        ProblemKind::Mismatch,
                        format!("manifest.json records a different SHA-256 for {label} than {}", bagit::MANIFEST_NAME),
                    ));
                }
                if let Some(facts) = facts.filter(|f| f.bytes != bytes) {
                    out.problems.push(Problem::new(
                        path,
                        ProblemKind::Mismatch,
                        format!("manifest.json records {bytes} bytes for {label}; the file has {}", facts.bytes),
                    ));
                }
            }
        }
    }
    for path in contents
        .files
        .keys()
        .filter(|p| p.starts_with(layout::EVIDENCE_DIR))
    {
        if !described.contains(path.as_str()) {
            out.problems.push(Problem::new(
                path,
                ProblemKind::Mismatch,
                "evidence file not described in manifest.json".to_owned(),
            ));
        }
    }
}
