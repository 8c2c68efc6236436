//! Exhibit numbers that do not move: a statement already pasted must keep meaning
//! what it said after files are added or removed (`exhibits.lock`).

use std::fs;
use std::path::Path;

use crate::util::{self, claimpack, run};

/// The "Exhibit Exx (kind): caption" lines of the statement `summary` prints.
fn exhibit_lines(root: &Path) -> Vec<String> {
    let (code, out, err) = run(claimpack(root).args(["summary", "case"]));
    assert_eq!(code, 0, "{err}");
    out.lines()
        .filter(|l| l.starts_with("- Exhibit E"))
        .map(str::to_owned)
        .collect()
}

/// The sample case's exhibit ids by file, as `build --json` reports them.
fn ids(root: &Path, zip: &str) -> Vec<(String, String)> {
    let (code, out, err) = run(claimpack(root).args([
        "build",
        "case",
        "-o",
        zip,
        "--created-at",
        util::CREATED_AT,
        "--json",
    ]));
    assert_eq!(code, 0, "{err}");
    let built: serde_json::Value = serde_json::from_str(&out).unwrap();
    built["exhibits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["id"].as_str().unwrap().to_owned(),
                e["source_name"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn adding_files_keeps_every_number_a_statement_cites() {
    let dir = util::sample_case();
    let root = dir.path();
    let first = ids(root, "first.zip");
    let lines_before = exhibit_lines(root);
    assert!(root.join("case/exhibits.lock").is_file());

    // Two files that sort before the others: numbered by folder, they would take
    // E01 and E03 and move everything else.
    let media = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/media");
    fs::copy(
        media.join("camera-nikon-z30-offset-xmpgps.jpg"),
        root.join("case/photos/aaa-first.jpg"),
    )
    .unwrap();
    fs::copy(media.join("no-exif.jpg"), root.join("case/chat/aaa.jpg")).unwrap();
    util::pin_times(&root.join("case/photos"));
    util::pin_times(&root.join("case/chat"));

    let second = ids(root, "second.zip");
    for (id, file) in &first {
        assert!(
            second.contains(&(id.clone(), file.clone())),
            "{id} was {file}, now: {second:?}"
        );
    }
    let new: Vec<_> = second.iter().filter(|e| !first.contains(e)).collect();
    let last = first.len();
    assert_eq!(
        new,
        [
            &(
                format!("E{:02}", last + 1),
                "photos/aaa-first.jpg".to_owned()
            ),
            &(format!("E{:02}", last + 2), "chat/aaa.jpg".to_owned()),
        ],
        "new files take the next numbers, in folder order"
    );
    // Every exhibit line of the earlier statement is in the new one, unchanged.
    let lines_after = exhibit_lines(root);
    for line in &lines_before {
        assert!(
            lines_after.contains(line),
            "{line} changed: {lines_after:#?}"
        );
    }
}

#[test]
fn a_removed_file_is_named_and_its_number_is_never_reused() {
    let dir = util::sample_case();
    let root = dir.path();
    let first = ids(root, "first.zip");
    let (gone_id, gone_file) = first
        .iter()
        .find(|(_, f)| f == "videos/unboxing.mov")
        .unwrap()
        .clone();
    fs::remove_file(root.join("case").join(&gone_file)).unwrap();

    let (code, out, _) = run(claimpack(root).args(["check", "case"]));
    assert_eq!(code, 0);
    assert!(
        out.contains(&format!(
            "warning exhibits.lock: {gone_id} (videos/unboxing.mov) was numbered before and is no longer in the folder"
        )),
        "{out}"
    );
    // A new file gets a new number, not the free one.
    fs::copy(
        util::asset("unboxing.mov"),
        root.join("case/videos/other.mov"),
    )
    .unwrap();
    fs::write(root.join("case/videos/other.mov"), b"not the same video").unwrap();
    let second = ids(root, "second.zip");
    assert!(!second.iter().any(|(id, _)| *id == gone_id), "{second:?}");
    let lock = fs::read_to_string(root.join("case/exhibits.lock")).unwrap();
    assert!(
        lock.contains(&format!("[gone]\n{gone_id} = \"videos/unboxing.mov\"")),
        "{lock}"
    );
    // The file comes back: so does its number.
    fs::copy(
        util::asset("unboxing.mov"),
        root.join("case/videos/unboxing.mov"),
    )
    .unwrap();
    let third = ids(root, "third.zip");
    assert!(third.contains(&(gone_id, gone_file)), "{third:?}");
}

#[test]
fn a_damaged_lock_is_named_not_guessed() {
    let dir = util::sample_case();
    let root = dir.path();
    fs::write(root.join("case/exhibits.lock"), "[numbers]\nE01 = 3\n").unwrap();
    let (code, _, err) = run(claimpack(root).args(["check", "case"]));
    assert_eq!(code, 2);
    assert!(
        err.contains("case/exhibits.lock: cannot be read")
            && err.contains("delete it to number every exhibit afresh"),
        "{err}"
    );
    // Deleting it numbers the exhibits afresh, as the message says.
    fs::remove_file(root.join("case/exhibits.lock")).unwrap();
    let (code, _, err) = run(claimpack(root).args(["check", "case"]));
    assert_eq!(code, 0, "{err}");
    assert!(root.join("case/exhibits.lock").is_file());
}
