//! Bundles pinned byte for byte: refactoring the pipeline must not change a single
//! byte of what a buyer has already sealed and pasted. When a change is *meant* to
//! alter bundles, rebuild with `CLAIMPACK_BLESS=1 cargo test golden` and say why in
//! the commit.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::util::{CREATED_AT, claimpack, run, sample_case};

fn sha256_file(path: &Path) -> String {
    hex::encode(Sha256::digest(std::fs::read(path).unwrap()))
}

/// Compares the zip's SHA-256 with the one committed under tests/data/golden.
fn assert_golden(name: &str, zip: &Path) {
    let pinned = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/golden")
        .join(format!("{name}.sha256"));
    let actual = sha256_file(zip);
    if std::env::var_os("CLAIMPACK_BLESS").is_some() {
        std::fs::write(&pinned, format!("{actual}\n")).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&pinned).unwrap();
    assert_eq!(
        actual,
        expected.trim(),
        "the {name} bundle changed; if that is intended, rebuild the pin with CLAIMPACK_BLESS=1"
    );
}

#[test]
fn the_demo_bundle_is_byte_identical_to_the_pinned_one() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = run(claimpack(dir.path()).args(["demo", "--created-at", CREATED_AT]));
    assert_eq!(code, 0, "{out}\n{err}");
    let zip = dir
        .path()
        .join("claimpack-demo/claim-aliexpress-8123456789012345-20261123.zip");
    assert_golden("demo", &zip);
}

#[test]
fn the_sample_case_bundle_is_byte_identical_to_the_pinned_one() {
    let dir = sample_case();
    let (code, out, err) = crate::util::build_with(dir.path(), &[]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert_golden("sample", &dir.path().join("claim.zip"));
}
