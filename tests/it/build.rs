//! `claimpack build`: what intake takes and leaves out, what the bundle holds, and that
//! the evidence is never touched. (Its error messages are pinned in `errors`.)

use std::fs;

use crate::util::{self, CREATED_AT, claimpack, run};

#[test]
fn intake_skips_system_files_dedupes_and_sniffs_kinds() {
    let dir = util::sample_case();
    let case = dir.path().join("case");
    fs::write(case.join(".DS_Store"), b"junk").unwrap();
    fs::write(case.join("photos/Thumbs.db"), b"junk").unwrap();
    fs::write(case.join("photos/._box-front.jpg"), b"junk").unwrap();
    fs::copy(
        util::asset("box-front.jpg"),
        case.join("photos/box-front-copy.jpg"),
    )
    .unwrap();
    // Outside the kind folders, content decides: a camera JPEG named .txt is a photo,
    // a PNG without camera EXIF is a screenshot, a PDF a document.
    fs::copy(util::asset("item-close-up.jpg"), case.join("note.txt")).unwrap();
    fs::copy(util::asset("seller-chat.png"), case.join("chat-shot.dat")).unwrap();
    fs::write(case.join("receipt.bin"), b"%PDF-1.4\n%%EOF\n").unwrap();
    fs::write(case.join("photos/not-a-photo.jpg"), b"just some text\n").unwrap();

    let (code, out, err) = util::build_with(dir.path(), &["--json"]);
    assert_eq!(code, 0, "{out}{err}");
    let built: serde_json::Value = serde_json::from_str(&out).unwrap();
    let skipped: Vec<&str> = built["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        skipped,
        [".DS_Store", "photos/._box-front.jpg", "photos/Thumbs.db"]
    );
    // Of two identical files, the one case.toml captions is kept.
    assert_eq!(built["duplicates"][0]["path"], "photos/box-front-copy.jpg");
    assert_eq!(built["duplicates"][0]["same_as"], "E01");

    let kinds: Vec<(String, String)> = built["exhibits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["source_name"].as_str().unwrap().to_owned(),
                format!(
                    "{} {}",
                    e["id"].as_str().unwrap(),
                    e["kind"].as_str().unwrap()
                ),
            )
        })
        .collect();
    let expected = [
        ("photos/box-front.jpg", "E01 photo"),
        ("photos/not-a-photo.jpg", "E02 photo"),
        ("videos/unboxing.mov", "E03 video"),
        ("chat/seller-chat.txt", "E04 chat"),
        ("order/order-page.png", "E05 order"),
        ("chat-shot.dat", "E06 screenshot"),
        ("note.txt", "E07 photo"),
        ("receipt.bin", "E08 document"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(kinds, expected);
    let warning = &built["exhibits"][1]["warnings"][0];
    assert!(
        warning.as_str().unwrap().contains("text/plain"),
        "{warning}"
    );
    assert_eq!(
        built["exhibits"][0]["caption"],
        "Outer box crushed on arrival"
    );
    assert_eq!(util::verify(&dir.path().join("claim.zip")).0, 0);
}

#[test]
fn a_symlink_leading_outside_the_case_is_refused() {
    let dir = util::sample_case();
    let outside = dir.path().join("secret.txt");
    fs::write(&outside, b"not evidence").unwrap();
    std::os::unix::fs::symlink(&outside, dir.path().join("case/chat/link.txt")).unwrap();
    let (code, _, err) = run(claimpack(dir.path()).args(["build", "case"]));
    assert_eq!(code, 2);
    assert!(
        err.contains("link.txt") && err.contains("outside the case folder"),
        "{err}"
    );

    // A link that stays inside is skipped in favour of its target, and said so.
    fs::remove_file(dir.path().join("case/chat/link.txt")).unwrap();
    std::os::unix::fs::symlink("seller-chat.txt", dir.path().join("case/chat/link.txt")).unwrap();
    let (code, out, err) =
        run(claimpack(dir.path()).args(["build", "case", "--created-at", CREATED_AT]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("chat/link.txt (symbolic link to chat/seller-chat.txt"),
        "{out}"
    );
}

#[test]
fn a_hard_link_to_a_file_outside_the_case_is_flagged() {
    // guards: a hard link to /etc/passwd was sealed without a word.
    let dir = util::sample_case();
    let outside = dir.path().join("system-file.txt");
    fs::write(&outside, b"a file that lives elsewhere").unwrap();
    fs::hard_link(&outside, dir.path().join("case/chat/linked.txt")).unwrap();
    // Two names inside the folder are just a duplicate, sealed once, no note.
    fs::hard_link(
        dir.path().join("case/chat/seller-chat.txt"),
        dir.path().join("case/chat/seller-chat-copy.txt"),
    )
    .unwrap();
    let (code, out, err) = util::build_with(dir.path(), &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("chat/linked.txt: the file is hard-linked: it has 2 names on this disk and 1 in the case folder"),
        "{out}"
    );
    assert_eq!(out.matches("hard-linked").count(), 1, "{out}");
    assert!(
        out.contains("duplicate chat/seller-chat.txt")
            || out.contains("duplicate chat/seller-chat-copy.txt"),
        "{out}"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn names_that_are_not_utf8_stay_distinct_and_are_flagged() {
    // guards: non-UTF-8 names were converted lossily, so two names could collide.
    use std::os::unix::ffi::OsStrExt;
    let dir = util::sample_case();
    let chat = dir.path().join("case/chat");
    let latin1 = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
    let other = std::ffi::OsStr::from_bytes(b"caf\xe8.txt");
    fs::write(chat.join(latin1), b"first note").unwrap();
    fs::write(chat.join(other), b"second note").unwrap();
    let json = util::build_json(dir.path(), &[], &[]);
    let names: Vec<&str> = json["exhibits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["source_name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"chat/caf\\xE9.txt") && names.contains(&"chat/caf\\xE8.txt"),
        "{names:?}"
    );
    let warned = json["exhibits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["warnings"].to_string().contains("not valid UTF-8"))
        .count();
    assert_eq!(warned, 2);

    // A name spelled with a literal backslash reads the same: refused, both named.
    fs::write(chat.join("caf\\xE9.txt"), b"third note").unwrap();
    let (code, _, err) = run(claimpack(dir.path()).args(["check", "case"]));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("two files read as \"chat/caf\\xE9.txt\""),
        "{err}"
    );
}

#[test]
fn one_name_in_two_unicode_spellings_is_refused_before_sealing() {
    // guards: "café.txt" typed on Linux (é, NFC) and copied from a Mac (e + U+0301,
    // NFD) were sealed as two exhibits a reviewer could not tell apart, and
    // case.toml's `path = "chat/café.txt"` named only one of them.
    let dir = util::sample_case();
    let chat = dir.path().join("case/chat");
    fs::write(chat.join("caf\u{e9}.txt"), b"composed").unwrap();
    fs::write(chat.join("cafe\u{301}.txt"), b"decomposed").unwrap();
    let (code, out, err) = util::build_with(dir.path(), &[]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains(
            "two files are both named \"chat/caf\u{e9}.txt\", with its letters spelled two ways in Unicode"
        ) && err.contains("(chat/cafe\\u{301}.txt and chat/caf\\u{e9}.txt)"),
        "{err}"
    );
    assert!(!dir.path().join("claim.zip").exists());
    assert!(fs::read_dir(dir.path()).unwrap().all(|e| {
        !e.unwrap()
            .file_name()
            .to_string_lossy()
            .ends_with(".partial")
    }));
}

#[test]
fn two_builds_are_byte_identical() {
    let dir = util::sample_case();
    let first = util::build(dir.path());
    let first_bytes = fs::read(&first).unwrap();
    fs::remove_file(&first).unwrap();
    // Touching the files' times and the build clock must not matter.
    let (code, _, err) = run(claimpack(dir.path())
        .env("SOURCE_DATE_EPOCH", "1795435200") // 2026-11-23T12:00:00Z
        .args(["build", "case", "-o", "claim.zip"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        fs::read(&first).unwrap(),
        first_bytes,
        "SOURCE_DATE_EPOCH and --created-at differ"
    );
    let (code, _, err) = run(claimpack(dir.path()).args([
        "build",
        "case",
        "-o",
        "again.zip",
        "--created-at",
        CREATED_AT,
    ]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(fs::read(dir.path().join("again.zip")).unwrap(), first_bytes);
}

#[test]
fn the_bundle_holds_originals_bit_for_bit_and_a_statement() {
    let dir = util::sample_case();
    let zip = util::build(dir.path());
    let entries = util::read_entries(&zip);
    let root = "claim-aliexpress-8123456789012345-20261123/";
    let names: Vec<&str> = entries
        .iter()
        .map(|e| e.name.strip_prefix(root).unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "bagit.txt",
            "data/case.toml",
            "data/evidence/E01-box-front.jpg",
            "data/evidence/E02-unboxing.mov",
            "data/evidence/E03-seller-chat.txt",
            "data/evidence/E04-order-page.png",
            "data/manifest.json",
            "data/report.html",
            "data/summary-form.txt",
            "data/summary.txt",
            "data/thumbs/E01-box-front.jpg",
            "data/thumbs/E04-order-page.jpg",
            "bag-info.txt",
            "manifest-sha256.txt",
            "tagmanifest-sha256.txt",
        ]
    );
    let entry = |suffix: &str| entries.iter().find(|e| e.name.ends_with(suffix)).unwrap();
    assert_eq!(
        entry("E01-box-front.jpg").data,
        fs::read(util::asset("box-front.jpg")).unwrap()
    );
    assert!(!entry("E02-unboxing.mov").deflated, "video is stored");
    assert!(entry("E03-seller-chat.txt").deflated, "text is deflated");
    assert_eq!(entry("data/case.toml").data, util::CASE_TOML.as_bytes());

    let summary = String::from_utf8(entry("summary.txt").data.clone()).unwrap();
    for needle in [
        "the item arrived damaged",
        "order 8123456789012345",
        "\"Bluetooth speaker, black\"",
        "34.99 USD",
        "Exhibit E01 (photo): Outer box crushed on arrival",
        "Exhibit E02 (video): the file \"videos/unboxing.mov\"",
    ] {
        assert!(
            summary.contains(needle),
            "{needle} missing from:\n{summary}"
        );
    }
    let manifest: serde_json::Value = serde_json::from_slice(&entry("manifest.json").data).unwrap();
    let item = &manifest["items"][0];
    assert_eq!(item["id"], "E01");
    assert_eq!(item["path"], "data/evidence/E01-box-front.jpg");
    assert_eq!(item["source_name"], "photos/box-front.jpg");
    assert_eq!(item["media_type"], "image/jpeg");
    assert_eq!(item["bytes"], 311406);
    assert_eq!(
        item["sha256"], "9599aa9d8e19db288baefe51d777224f6a79b2ae7d0a2be36168d06486825ec8",
        "the fixture's published SHA-256"
    );
    assert_eq!(manifest["created_at"], CREATED_AT);
    assert!(
        manifest["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["event"] == "Order 8123456789012345 placed"),
        "{}",
        manifest["timeline"]
    );

    let info = String::from_utf8(entry("bag-info.txt").data.clone()).unwrap();
    assert!(info.contains("Bagging-Date: 2026-11-23\n"), "{info}");
    assert!(
        info.contains("External-Identifier: aliexpress:8123456789012345\n"),
        "{info}"
    );
    let payload: u64 = entries
        .iter()
        .filter(|e| e.name.starts_with(&format!("{root}data/")))
        .map(|e| e.data.len() as u64)
        .sum();
    assert!(
        info.contains(&format!("Payload-Oxum: {payload}.11\n")),
        "{info}"
    );
}

#[test]
fn evidence_is_opened_read_only_and_left_untouched() {
    let dir = util::sample_case();
    let photo = dir.path().join("case/photos/box-front.jpg");
    let mut permissions = fs::metadata(&photo).unwrap().permissions();
    permissions.set_readonly(true);
    fs::set_permissions(&photo, permissions).unwrap();
    let modified = fs::metadata(&photo).unwrap().modified().unwrap();
    util::build(dir.path());
    assert_eq!(
        fs::read(&photo).unwrap(),
        fs::read(util::asset("box-front.jpg")).unwrap()
    );
    assert_eq!(fs::metadata(&photo).unwrap().modified().unwrap(), modified);
}

#[test]
fn the_statement_is_pinned() {
    let dir = util::sample_case();
    let zip = util::build(dir.path());
    let entries = util::read_entries(&zip);
    let summary = entries
        .iter()
        .find(|e| e.name.ends_with("data/summary.txt"))
        .unwrap();
    insta::assert_snapshot!(String::from_utf8(summary.data.clone()).unwrap());
}

/// The two lines a build ends with while the case is not ready, and `--strict`.
#[test]
fn build_says_what_is_missing_and_strict_writes_nothing() {
    let dir = util::sample_case();
    let root = dir.path();
    // The sample has no close-up of the damage until its caption says so.
    let (code, out, err) = util::build_with(root, &[]);
    assert_eq!(code, 0, "{err}");
    let missing: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("  missing "))
        .collect();
    let deadline: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("  deadline "))
        .collect();
    assert!(missing.len() <= 1 && deadline.len() <= 1, "{out}");

    // Remove every photo: the required photos are missing.
    fs::remove_file(root.join("case/photos/box-front.jpg")).unwrap();
    let case = fs::read_to_string(root.join("case/case.toml")).unwrap();
    let case = case.replace(
        "[[evidence]]\npath = \"photos/box-front.jpg\"\ncaption = \"Outer box crushed on arrival\"\n",
        "",
    );
    fs::write(root.join("case/case.toml"), case).unwrap();
    let (code, out, err) = util::build_with(root, &["--force"]);
    assert_eq!(code, 0, "{err}");
    let line = out
        .lines()
        .find(|l| l.starts_with("  missing   required evidence: "))
        .unwrap_or_else(|| panic!("no missing line:\n{out}"));
    assert!(
        line.contains("outer-packaging (Photos of the outer packaging"),
        "{line}"
    );
    assert!(out.lines().any(|l| l.starts_with("  deadline  ")), "{out}");

    // --strict: exit 1, the reason, and no bundle.
    let (code, out, err) =
        run(claimpack(root).args(["build", "case", "-o", "strict.zip", "--strict"]));
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        err.contains("case: not sealed (--strict): outer-packaging is missing"),
        "{err}"
    );
    assert!(!root.join("strict.zip").exists());
}
