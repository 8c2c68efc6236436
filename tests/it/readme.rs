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
            // "# put your files in my-claim/photos …": do what it says.
            if line.contains("put your files") {
                std::fs::copy(
                    util::asset("box-front.jpg"),
                    dir.path().join("my-claim/photos/box.jpg"),
                )
                .unwrap();
            }
            continue;
        }
        let words: Vec<&str> = command.split_whitespace().collect();
        assert_eq!(words[0], "claimpack", "{line}");
        // The README's bundle name carries 2026-11-23: build at that time.
        let (code, out, err) = run(claimpack(dir.path())
            .env("SOURCE_DATE_EPOCH", "1795435200")
            .args(&words[1..]));
        assert_eq!(code, 0, "`{command}` failed:\n{out}{err}");
        ran += 1;
    }
    assert_eq!(ran, 6, "init, check, summary, build, verify, kit");
}

#[test]
fn the_sample_error_is_what_the_binary_prints() {
    let readme = readme();
    let shown = block_after(&readme, Some("With `total = \"34.99 UDS\"` on line 9:"));
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("my-claim");
    std::fs::create_dir(&case).unwrap();
    let text = util::CASE_TOML.replace("34.99 USD\"\n\n[shipping]", "34.99 UDS\"\n\n[shipping]");
    assert_eq!(text.lines().nth(8), Some("total = \"34.99 UDS\""));
    std::fs::write(case.join("case.toml"), text).unwrap();
    let (code, _, err) = run(claimpack(dir.path()).args(["check", "my-claim"]));
    assert_eq!(code, 2);
    assert_eq!(err.trim_end(), shown.join("\n"));
}
