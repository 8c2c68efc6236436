//! `claimpack add`: evidence copied into the right folder, the original untouched,
//! case.toml extended without disturbing a byte of what the buyer wrote.

use std::fs;
use std::path::Path;

use crate::util::{claimpack, run};

/// A fresh case from `init`, with lines of the buyer's own below the template.
fn case_with_notes(root: &Path) -> String {
    let (code, _, err) = run(claimpack(root).args([
        "init",
        "c",
        "--platform",
        "ebay",
        "--reason",
        "damaged",
        "--order",
        "12-34",
    ]));
    assert_eq!(code, 0, "{err}");
    let mut text = fs::read_to_string(root.join("c/case.toml")).unwrap();
    text.push_str(
        "\n[[evidence]]\npath = \"photos/first.jpg\"   # my first photo\ncaption = \"First\"\n\n\
         # where I live\n[buyer]\nname = \"Ana\"   # as on the order\n",
    );
    fs::write(root.join("c/case.toml"), &text).unwrap();
    fs::copy(
        media("camera-nikon-z30-offset-xmpgps.jpg"),
        root.join("c/photos/first.jpg"),
    )
    .unwrap();
    text
}

fn media(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/media")
        .join(name)
}

fn add(root: &Path, args: &[&str]) -> (i32, String, String) {
    run(claimpack(root).arg("add").args(args))
}

#[test]
fn files_are_copied_to_their_folders_and_described_without_touching_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let before = case_with_notes(root);
    let photo = media("phone-google-pixel-gps.jpg");
    let video = media("phone-iphone13pro-livephoto.mov");
    let photo_before = (
        fs::read(&photo).unwrap(),
        fs::metadata(&photo).unwrap().modified().unwrap(),
    );

    let (code, out, err) = add(
        root,
        &[
            photo.to_str().unwrap(),
            video.to_str().unwrap(),
            "--into",
            "c/case.toml",
            "--caption",
            "Crushed corner, \"as delivered\"",
            "--shows",
            "outer-packaging",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("photos/phone-google-pixel-gps.jpg  (photo"),
        "{out}"
    );
    assert!(
        out.contains("videos/phone-iphone13pro-livephoto.mov  (video"),
        "{out}"
    );

    // The copies are the same bytes with the same modification time; the source is
    // exactly as it was.
    for (source, copy) in [
        (&photo, "c/photos/phone-google-pixel-gps.jpg"),
        (&video, "c/videos/phone-iphone13pro-livephoto.mov"),
    ] {
        let copy = root.join(copy);
        assert_eq!(fs::read(source).unwrap(), fs::read(&copy).unwrap());
        assert_eq!(
            fs::metadata(source).unwrap().modified().unwrap(),
            fs::metadata(&copy).unwrap().modified().unwrap()
        );
    }
    assert_eq!(
        photo_before,
        (
            fs::read(&photo).unwrap(),
            fs::metadata(&photo).unwrap().modified().unwrap()
        )
    );

    // case.toml: the buyer's text byte for byte, plus the two entries.
    let after = fs::read_to_string(root.join("c/case.toml")).unwrap();
    let entry = |path: &str| {
        format!(
            "[[evidence]]\npath = \"{path}\"\ncaption = 'Crushed corner, \"as delivered\"'\nshows = [\"outer-packaging\"]\n\n"
        )
    };
    let added = entry("photos/phone-google-pixel-gps.jpg")
        + &entry("videos/phone-iphone13pro-livephoto.mov");
    assert_eq!(after.replacen(&added, "", 1), before, "{after}");

    // The case reads as it should: the new files are exhibits that show the item.
    let (code, out, err) = run(claimpack(root).args(["check", "c", "--json"]));
    assert!(code == 0, "{err}");
    let check: serde_json::Value = serde_json::from_str(&out).unwrap();
    let text = check.to_string();
    assert!(text.contains("phone-iphone13pro-livephoto.mov"), "{text}");
}

#[test]
fn nothing_is_overwritten_and_nothing_is_copied_when_one_name_is_taken() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let before = case_with_notes(root);
    // A different file already has the name the photo would get.
    fs::copy(
        media("no-exif.jpg"),
        root.join("c/photos/phone-google-pixel-gps.jpg"),
    )
    .unwrap();
    let (code, _, err) = add(
        root,
        &[
            media("phone-iphone13pro-livephoto.mov").to_str().unwrap(),
            media("phone-google-pixel-gps.jpg").to_str().unwrap(),
            "--into",
            "c",
            "--caption",
            "x",
        ],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("c/photos/phone-google-pixel-gps.jpg: already exists and is a different file; nothing was copied"),
        "{err}"
    );
    assert!(
        !root
            .join("c/videos/phone-iphone13pro-livephoto.mov")
            .exists()
    );
    assert_eq!(
        fs::read(root.join("c/photos/phone-google-pixel-gps.jpg")).unwrap(),
        fs::read(media("no-exif.jpg")).unwrap()
    );
    assert_eq!(
        fs::read_to_string(root.join("c/case.toml")).unwrap(),
        before
    );
}

#[test]
fn duplicates_screenshots_and_bad_tags_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    case_with_notes(root);
    let first = root.join("c/photos/first.jpg");

    // The same bytes as an exhibit already there: reported, not copied.
    let copy = root.join("elsewhere.jpg");
    fs::copy(&first, &copy).unwrap();
    let (code, out, err) = add(root, &[copy.to_str().unwrap(), "--into", "c"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("is already in the case as photos/first.jpg; not copied again"),
        "{out}"
    );

    // An image without a camera's EXIF: the buyer says what it shows.
    let screenshot = media("no-exif.jpg");
    let (code, _, err) = add(root, &[screenshot.to_str().unwrap(), "--into", "c"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("looks like a screenshot") && err.contains("--as chat"),
        "{err}"
    );
    let (code, out, err) = add(
        root,
        &[
            screenshot.to_str().unwrap(),
            "--into",
            "c",
            "--as",
            "screenshot",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("no-exif.jpg  (screenshot"), "{out}");
    let after = fs::read_to_string(root.join("c/case.toml")).unwrap();
    assert!(
        after.contains(
            "path = \"no-exif.jpg\"
kind = \"screenshot\"
"
        ),
        "{after}"
    );

    // Tags follow case.toml's rules, before anything is copied.
    let (code, _, err) = add(
        root,
        &[
            media("camera-sony-ilce7rm2-exif.webp").to_str().unwrap(),
            "--into",
            "c",
            "--shows",
            "Outer Box",
        ],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("\"Outer Box\" is not a checklist item id"),
        "{err}"
    );
    assert!(
        !root
            .join("c/photos/camera-sony-ilce7rm2-exif.webp")
            .exists()
    );

    // A folder, a missing file, a case folder that is not one.
    let (_, _, err) = add(root, &["c", "--into", "c"]);
    assert!(
        err.contains("c: is a folder; give the files inside it"),
        "{err}"
    );
    let (_, _, err) = add(root, &["nope.jpg", "--into", "c"]);
    assert!(err.contains("nope.jpg: no such file"), "{err}");
    let (_, _, err) = add(root, &[copy.to_str().unwrap(), "--into", "."]);
    assert!(err.contains("not a case folder"), "{err}");
}
