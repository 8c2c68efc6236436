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

/// A demo made any day reads as a fresh case: protection still running, every
/// capture time on the story's days, nothing for the timeline to warn about, and
/// "Try next" lines that run the program as it was started.
#[test]
fn the_demo_stays_fresh_and_clean_whatever_the_day() {
    for day in ["2026-11-23", "2027-08-14", "2031-02-28"] {
        let dir = tempfile::tempdir().unwrap();
        let created_at = format!("{day}T12:00:00Z");
        let (code, out, err) =
            run(claimpack(dir.path()).args(["demo", "--out", "d", "--created-at", &created_at]));
        assert_eq!(code, 0, "{err}");
        assert!(!out.contains("timeline warning"), "{day}: {out}");
        let me = env!("CARGO_BIN_EXE_claimpack");
        assert!(out.contains(&format!("  {me} verify ")), "{out}");

        let (code, check, _) =
            run(claimpack(dir.path()).args(["check", "d/my-claim", "--today", day, "--json"]));
        assert_eq!(code, 0);
        let check: serde_json::Value = serde_json::from_str(&check).unwrap();
        for deadline in check["deadlines"].as_array().unwrap() {
            assert_ne!(deadline["status"], "closed", "{day}: {deadline}");
        }
        // The story's delivery day moves with the day; the photos were taken on it.
        let case = std::fs::read_to_string(dir.path().join("d/my-claim/case.toml")).unwrap();
        let delivered: jiff::civil::Date = case
            .lines()
            .find_map(|l| l.strip_prefix("delivered       = "))
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        let today: jiff::civil::Date = day.parse().unwrap();
        assert_eq!((today - delivered).get_days(), 26, "{case}");
        let (_, json, _) = run(claimpack(dir.path()).args([
            "build",
            "d/my-claim",
            "-o",
            "again.zip",
            "--created-at",
            &created_at,
            "--json",
        ]));
        let built: serde_json::Value = serde_json::from_str(&json).unwrap();
        for exhibit in built["exhibits"].as_array().unwrap() {
            let at = exhibit["captured_at"].as_str().unwrap_or("");
            let source = exhibit["captured_at_source"].as_str().unwrap_or("");
            let media = exhibit["media_type"].as_str().unwrap_or("");
            if media.starts_with("image/") || media.starts_with("video/") {
                assert_ne!(source, "file:mtime", "{day}: {exhibit}");
            }
            if exhibit["kind"] == "photo" || exhibit["kind"] == "video" {
                assert!(at.starts_with(&delivered.to_string()), "{day}: {exhibit}");
            }
        }
        assert!(
            built["warnings"].as_array().unwrap().is_empty(),
            "{day}: {json}"
        );
    }
}
