//! The README's commands, run as written: the first block must be the two newcomer
//! commands, and the quick start must work end to end.

use std::path::Path;

use crate::util::{self, claimpack, run};

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

/// The lines of the first fenced block after `heading` (or the first block at all).
fn block_after(text: &str, heading: Option<&str>) -> Vec<String> {
    let start = heading.map_or(0, |h| text.find(h).unwrap_or_else(|| panic!("{h} missing")));
    let rest = &text[start..];
    let open = rest.find("```").unwrap();
    let body = &rest[open..];
    let body = &body[body.find('\n').unwrap() + 1..];
    let close = body.find("```").unwrap();
    body[..close].lines().map(str::to_owned).collect()
}

#[test]
fn the_readme_opens_with_the_two_newcomer_commands() {
    let first = block_after(&readme(), None);
    assert!(
        first[0].starts_with("cargo run --release -- demo"),
        "{first:?}"
    );
    assert!(first[1].starts_with("cargo test"), "{first:?}");
}

#[test]
fn the_quick_start_works_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let lines = block_after(&readme(), Some("## Quick start"));
    let mut ran = 0;
    for line in lines {
        let command = line.split('#').next().unwrap().trim();
        if command.is_empty() {
            // "# (or put your files in my-claim/photos …)": do what it says.
            if line.contains("put your files") {
                std::fs::copy(
                    util::asset("box-front.jpg"),
                    dir.path().join("my-claim/photos/box.jpg"),
                )
                .unwrap();
            }
            continue;
        }
        // `claimpack add ~/Downloads/IMG_0412.JPG … --caption "Crushed corner of the box"`:
        // the shell's `~` and quotes, done here, with the photo where it says.
        let home = dir.path().join("home");
        std::fs::create_dir_all(home.join("Downloads")).unwrap();
        std::fs::copy(
            util::asset("box-front.jpg"),
            home.join("Downloads/IMG_0412.JPG"),
        )
        .unwrap();
        let command = command.replace('~', &home.display().to_string());
        let words: Vec<String> = match command.split_once(" \"") {
            Some((head, quoted)) => head
                .split_whitespace()
                .map(str::to_owned)
                .chain([quoted.trim_end_matches('"').to_owned()])
                .collect(),
            None => command.split_whitespace().map(str::to_owned).collect(),
        };
        assert_eq!(words[0], "claimpack", "{line}");
        // The README's bundle name carries 2026-11-23: build at that time.
        let (code, out, err) = run(claimpack(dir.path())
            .env("SOURCE_DATE_EPOCH", "1795435200")
            .args(&words[1..]));
        assert_eq!(code, 0, "`{command}` failed:\n{out}{err}");
        ran += 1;
    }
    assert_eq!(ran, 7, "init, add, check, summary, build, verify, kit");
}

#[test]
fn the_sample_error_is_what_the_binary_prints() {
    let readme = readme();
    let shown = block_after(&readme, Some("`resolution = \"refund\"`:"));
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("my-claim");
    std::fs::create_dir(&case).unwrap();
    let mut text = util::CASE_TOML.to_owned();
    for (from, to) in [
        ("reason = \"damaged\"", "reason = \"not-recieved\""),
        ("placed = 2026-10-02", "placed = 10/18/2026"),
        ("total = \"34.99 USD\"", "total = \"$34.99\""),
        ("resolution = \"refund-only\"", "resolution = \"refund\""),
    ] {
        assert!(text.contains(from), "{from}");
        text = text.replacen(from, to, 1);
    }
    std::fs::write(case.join("case.toml"), text).unwrap();
    let (code, _, err) = run(claimpack(dir.path()).args(["check", "my-claim"]));
    assert_eq!(code, 2);
    assert_eq!(err.trim_end(), shown.join("\n"));
}
