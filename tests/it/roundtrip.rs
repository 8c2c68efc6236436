//! Every bundle `build` can make, `verify` accepts: honest inputs at the edges of
//! what the verifier calls a decompression bomb.

use std::fs;
use std::path::Path;

use crate::util::{self, claimpack, run};

/// A 24-bit BMP of `width` × `height`, white but for a block of dark "text".
fn white_bmp(width: u32, height: u32) -> Vec<u8> {
    let row = (width * 3).div_ceil(4) * 4;
    let pixels = row * height;
    let mut bmp = Vec::with_capacity(54 + pixels as usize);
    bmp.extend_from_slice(b"BM");
    bmp.extend_from_slice(&(54 + pixels).to_le_bytes());
    bmp.extend_from_slice(&[0, 0, 0, 0]);
    bmp.extend_from_slice(&54u32.to_le_bytes());
    bmp.extend_from_slice(&40u32.to_le_bytes());
    bmp.extend_from_slice(&width.to_le_bytes());
    bmp.extend_from_slice(&height.to_le_bytes());
    bmp.extend_from_slice(&1u16.to_le_bytes());
    bmp.extend_from_slice(&24u16.to_le_bytes());
    bmp.extend_from_slice(&[0; 4]);
    bmp.extend_from_slice(&pixels.to_le_bytes());
    bmp.extend_from_slice(&[0x13, 0x0B, 0, 0, 0x13, 0x0B, 0, 0]);
    bmp.extend_from_slice(&[0; 8]);
    let mut state = 7u32;
    for y in 0..height {
        for x in 0..row {
            let text = (100..140).contains(&y) && x < 600;
            let byte = if text {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                (state >> 24) as u8
            } else {
                0xFF
            };
            bmp.push(byte);
        }
    }
    bmp
}

fn case_with(files: &[(&str, Vec<u8>)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    fs::create_dir_all(&case).unwrap();
    fs::write(
        case.join("case.toml"),
        "platform = \"ebay\"\nreason = \"not-as-described\"\n[order]\nid = \"1\"\n",
    )
    .unwrap();
    for (path, bytes) in files {
        let target = case.join(path);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::write(target, bytes).unwrap();
    }
    dir
}

fn build_and_verify(dir: &Path) -> Vec<(String, bool)> {
    let zip = util::build(dir);
    let (code, out, err) = util::verify(&zip);
    assert_eq!(code, 0, "verify refused a bundle build made:\n{out}{err}");
    let (code, out, _) = run(claimpack(dir).args(["verify", "claim.zip", "--json"]));
    assert_eq!(code, 0);
    assert!(out.contains("\"intact\": true"), "{out}");
    util::read_entries(&zip)
        .into_iter()
        .map(|e| (e.name, e.deflated))
        .collect()
}

fn deflated(entries: &[(String, bool)], suffix: &str) -> bool {
    entries
        .iter()
        .find(|(name, _)| name.ends_with(suffix))
        .unwrap_or_else(|| panic!("no {suffix}"))
        .1
}

#[test]
fn a_white_4k_bmp_screenshot_is_stored_and_verifies() {
    // guards: a mostly white 3840x2160 BMP deflated 359:1 and verify then called the
    // honest bundle "NOT INTACT … a decompression bomb".
    let bmp = white_bmp(3840, 2160);
    assert_eq!(bmp.len(), 24_883_254);
    let small = white_bmp(64, 64);
    let dir = case_with(&[
        ("screenshots/listing.bmp", bmp),
        ("screenshots/icon.bmp", small),
        (
            "documents/notes.txt",
            b"Ordinary notes that deflate a little.\n".repeat(100),
        ),
    ]);
    let entries = build_and_verify(dir.path());
    assert!(
        !deflated(&entries, "-listing.bmp"),
        "the 359:1 BMP is stored"
    );
    assert!(
        deflated(&entries, "-icon.bmp"),
        "a small BMP is still deflated"
    );
    assert!(deflated(&entries, "-notes.txt"));
}

#[test]
fn text_that_deflates_a_thousandfold_is_stored_and_verifies() {
    let dir = case_with(&[("documents/log.txt", vec![b'a'; 50 << 20])]);
    let entries = build_and_verify(dir.path());
    assert!(!deflated(&entries, "-log.txt"));
}

#[test]
fn many_small_highly_compressible_files_stay_within_the_budget() {
    // Each is under the ratio floor, so each may deflate any amount, but together
    // they may inflate to at most 64 MiB: the ones past it are stored.
    let files: Vec<(String, Vec<u8>)> = (0..70)
        .map(|i| {
            // Distinct, or intake would seal them once as duplicates.
            let mut text = format!("chat log {i}\n").into_bytes();
            text.resize(1 << 20, b'z');
            (format!("chat/{i:02}.txt"), text)
        })
        .collect();
    let files: Vec<(&str, Vec<u8>)> = files.iter().map(|(p, b)| (p.as_str(), b.clone())).collect();
    let dir = case_with(&files);
    let entries = build_and_verify(dir.path());
    let stored = entries
        .iter()
        .filter(|(name, deflated)| name.contains("/data/evidence/") && !deflated)
        .count();
    assert!((6..=70).contains(&stored), "{stored} of 70 stored");
    assert!(deflated(&entries, "E01-00.txt"));
}
