//! Capture times on files no one here wrote: the test files of ExifTool, Exiv2,
//! image-rs, mp4parse and exif-samples (tests/data/corpus/README.md), many of them
//! damaged on purpose. `expected.json` holds what ExifTool and ffprobe read from each
//! (`expect.py` regenerates it); claimpack must agree on at least 99 % of the files
//! that have a capture time and name a wrong date on none.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
struct Expected {
    tag: Option<String>,
    local: Option<String>,
    offset: Option<String>,
    /// Every date ExifTool prints for the file, to the second.
    also: Vec<String>,
}

fn corpus() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/corpus")
}

/// `2004-06-21T23:37:53.06+01:00` → (`2004-06-21T23:37:53`, `+01:00`).
fn split(time: &str) -> (String, Option<String>) {
    let (local, rest) = time.split_at(19.min(time.len()));
    let zone = rest.trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
    (
        local.to_owned(),
        (!zone.is_empty()).then(|| zone.to_owned()),
    )
}

#[test]
fn capture_times_agree_with_exiftool_on_other_projects_test_files() {
    let expected: BTreeMap<String, Expected> =
        serde_json::from_slice(&fs::read(corpus().join("expected.json")).unwrap()).unwrap();
    let dir = crate::util::media_case(&[]);
    let case = dir.path().join("case");
    for name in expected.keys() {
        let video = [".mp4", ".mov", ".m4a", ".3gp", ".m4v"]
            .iter()
            .any(|e| name.to_ascii_lowercase().ends_with(e));
        let folder = case.join(if video { "videos" } else { "photos" });
        fs::create_dir_all(&folder).unwrap();
        fs::copy(corpus().join(name), folder.join(name)).unwrap();
    }
    let built = crate::util::build_json(dir.path(), &[("CLAIMPACK_FFMPEG", "none")], &[]);
    let mut got: BTreeMap<String, &Value> = BTreeMap::new();
    for item in built["exhibits"].as_array().unwrap() {
        let name = item["source_name"]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap();
        got.insert(name.to_owned(), item);
    }

    let (mut dated, mut agree) = (0, 0);
    let mut wrong = Vec::new();
    let mut missed = Vec::new();
    for (name, want) in &expected {
        let item = got
            .get(name)
            .unwrap_or_else(|| panic!("{name}: not an exhibit"));
        let source = item["captured_at_source"].as_str().unwrap_or("");
        let from_file = source != "file:mtime" && !source.is_empty();
        let (local, offset) = split(item["captured_at"].as_str().unwrap_or(""));
        match (&want.tag, &want.local) {
            (Some(tag), Some(want_local)) => {
                dated += 1;
                if !from_file {
                    missed.push(format!("{name}: {tag} {want_local}, but {source}"));
                } else if local == *want_local
                    && (offset.is_none() || want.offset.is_none() || offset == want.offset)
                {
                    agree += 1;
                } else {
                    wrong.push(format!(
                        "{name}: {source} {local} {offset:?}, ExifTool {tag} {want_local} {:?}",
                        want.offset
                    ));
                }
            }
            // No capture tag ExifTool reads: claimpack may still find one ExifTool
            // stopped before (a damaged IFD), but only a date ExifTool prints too.
            _ => {
                if from_file && !want.also.contains(&local) {
                    wrong.push(format!(
                        "{name}: {source} {local}, a date ExifTool never reads"
                    ));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "wrong dates:\n{}", wrong.join("\n"));
    assert!(
        agree * 100 >= dated * 99,
        "{agree} of {dated} agree; missed:\n{}",
        missed.join("\n")
    );
    assert!(dated >= 150, "the corpus lost its dated files: {dated}");
}
