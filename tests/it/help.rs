//! The help texts and `claimpack reasons`, pinned.

use crate::util::{claimpack, run};

#[test]
fn reasons_lists_all_fourteen() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, _) = run(claimpack(dir.path()).args(["reasons", "--json"]));
    assert_eq!(code, 0);
    let listing: serde_json::Value = serde_json::from_str(&out).unwrap();
    let reasons = listing["reasons"].as_array().unwrap();
    assert_eq!(reasons.len(), 14);
    assert!(
        reasons
            .iter()
            .all(|r| !r["required"].as_array().unwrap().is_empty())
    );
    let (_, text, _) = run(claimpack(dir.path()).arg("reasons"));
    insta::assert_snapshot!(text);
}

#[test]
fn help_is_pinned() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, _) = run(claimpack(dir.path()).arg("--help"));
    assert_eq!(code, 0);
    insta::assert_snapshot!("help", out);
    let (_, out, _) = run(claimpack(dir.path()).args(["build", "--help"]));
    insta::assert_snapshot!("build_help", out);
}
