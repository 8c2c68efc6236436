//! `claimpack demo`: the one-command tour.

use crate::util::{self, CREATED_AT, claimpack, run};

#[test]
fn demo_builds_a_verifiable_bundle_and_refuses_to_clobber() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = run(claimpack(dir.path()).args(["demo", "--created-at", CREATED_AT]));
    assert_eq!(code, 0, "{out}{err}");
    let zip = dir
        .path()
        .join("claimpack-demo/claim-aliexpress-8123456789012345-20261123.zip");
    assert!(out.contains("claimpack verify"), "{out}");
    assert_eq!(util::verify(&zip).0, 0);
    assert!(dir.path().join("claimpack-demo/ABOUT.txt").is_file());

    let (code, _, err) = run(claimpack(dir.path()).arg("demo"));
    assert_eq!(code, 2);
    assert!(err.contains("--force"), "{err}");
    let (code, _, err) =
        run(claimpack(dir.path()).args(["demo", "--force", "--created-at", CREATED_AT]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(util::verify(&zip).0, 0);
}
