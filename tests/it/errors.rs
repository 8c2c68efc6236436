//! Every error a buyer is likely to meet, pinned as the whole text claimpack prints
//! (one snapshot, in `snapshots/`), with its exit code. A message that changes shows
//! up in review as a diff of what the buyer reads, not as a passing substring.

use std::fmt::Write as _;
use std::path::Path;

use crate::util::{self, CASE_TOML, claimpack, run};

/// Runs `args` in `dir` and returns "$ claimpack args\nexit N\n<stderr>", with the
/// temporary folder's path replaced by `<tmp>`.
fn transcript(dir: &Path, args: &[&str]) -> String {
    let (code, out, err) = run(claimpack(dir).args(args));
    assert!(
        out.is_empty() || code != 2,
        "{args:?} printed to stdout: {out}"
    );
    let tmp = dir.display().to_string();
    format!(
        "$ claimpack {}\nexit {code}\n{}",
        args.join(" "),
        err.replace(&tmp, "<tmp>")
    )
}

/// The sample case with `from` replaced by `to` in case.toml.
fn broken_case(from: &str, to: &str) -> tempfile::TempDir {
    let dir = util::sample_case();
    let text = CASE_TOML.replace(from, to);
    assert_ne!(text, CASE_TOML, "{from} not found");
    std::fs::write(dir.path().join("case/case.toml"), text).unwrap();
    dir
}

#[test]
fn case_file_mistakes_read_as_pinned() {
    let mistakes = [
        ("reason = \"damaged\"", "reason = \"broken\""),
        ("total = \"34.99 USD\"", "total = \"34,99 USD\""),
        ("total = \"34.99 USD\"", "total = \"34.99 UDS\""),
        ("placed = 2026-10-02", "placed = \"2026-10-02\""),
        ("placed = 2026-10-02", "placed = 2026-02-30"),
        ("seller = ", "sellr = "),
        (
            "[[contact]]\ndate = 2026-10-29",
            "[[contact]]\ndate = 2026-10-29T10:00:00",
        ),
        (
            "path = \"photos/box-front.jpg\"",
            "path = \"photos/nope.jpg\"",
        ),
        // A phone names files in capitals; the buyer types them in lower case.
        (
            "path = \"photos/box-front.jpg\"",
            "path = \"photos/Box-Front.JPG\"",
        ),
        ("placed = 2026-10-02", "placed = 10/18/2026"),
        ("placed = 2026-10-02", "placed = 2026/11/10"),
        ("placed = 2026-10-02", "placed = Nov 10 2026"),
        ("placed = 2026-10-02", "placed = \"04/05/2026\""),
        ("total = \"34.99 USD\"", "total = \"$34.99\""),
        ("total = \"34.99 USD\"", "total = 34.99"),
        ("reason = \"damaged\"", "reason = \"not-recieved\""),
        ("resolution = \"refund-only\"", "resolution = \"refund\""),
        (
            "seller = \"XYZ Official Store\"",
            "seller = XYZ Official Store",
        ),
        // Every mistake of a hurried file, in one run and in file order.
        (
            "reason = \"damaged\"\n\n[order]\nid = \"8123456789012345\"\nplaced = 2026-10-02",
            "reason = \"damged\"\n\n[order]\nplaced = 10/02/2026\nquantity = 0",
        ),
    ];
    let mut all = String::new();
    for (from, to) in mistakes {
        let dir = broken_case(from, to);
        writeln!(all, "# {to}").unwrap();
        all.push_str(&transcript(dir.path(), &["build", "case"]));
        all.push('\n');
        // Nothing is written when the case is wrong.
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name() != "case")
            .collect();
        assert!(left.is_empty(), "{to}: left {left:?}");
    }
    insta::assert_snapshot!(all);
}

#[test]
fn command_line_mistakes_read_as_pinned() {
    let dir = util::sample_case();
    let root = dir.path();
    std::fs::write(root.join("notes.txt"), "not a bundle").unwrap();
    std::fs::create_dir(root.join("folder")).unwrap();
    std::fs::write(root.join("empty.pem"), "no certificate here").unwrap();
    let built = util::build(root);
    assert!(built.is_file());
    let runs: [&[&str]; 19] = [
        &["build", "case", "-o", "claim.zip"],
        &["build", "case", "-o", "notes.txt", "--force"],
        &["build", "case", "-o", "case/inside.zip"],
        &["build", "case", "-o", "missing/"],
        &["build", "case", "--created-at", "yesterday"],
        &["build", "nowhere"],
        &["check", "case", "--today", "12/04/2026"],
        &["check", "case", "--today", "2026/12/04"],
        &["kit", "claim.zip", "-o", "missing/kit"],
        &[
            "capture",
            "mailto:x@example.com",
            "--into",
            "case/case.toml",
        ],
        &["summary", "case", "--today", "tomorrow"],
        &["verify", "missing.zip"],
        &["verify", "notes.txt"],
        &["verify", "claim.zip", "--trust", "empty.pem"],
        &["verify", "claim.zip", "--trust", "folder"],
        &["init", "case"],
        &["reasons", "--templates", "no-such-folder"],
        &["capture", "ftp://example.com/x", "--into", "case"],
        &["demo", "--out", "case"],
    ];
    let mut all = String::new();
    for args in runs {
        all.push_str(&transcript(root, args));
        all.push('\n');
    }
    insta::assert_snapshot!(all);
}
