//! Content Credentials (C2PA) through `build`: the c2pa SDK's own signed fixtures and
//! two photos signed with its test certificate (tests/data/c2pa/README.md), checked
//! offline, into manifest.json, the report, the statement, the timeline and the kit.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::util::{CREATED_AT, claimpack, run};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/c2pa")
        .join(name)
}

/// A damaged-item case in `dir/case` holding the given fixtures under photos/ or
/// videos/, each with a caption.
fn case_with(files: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    let mut toml = String::from(
        "platform = \"ebay\"\nreason = \"damaged\"\n[order]\nid = \"1\"\nitem = \"Desk lamp\"\n",
    );
    for name in files {
        let folder = if name.ends_with(".mp4") {
            "videos"
        } else {
            "photos"
        };
        fs::create_dir_all(case.join(folder)).unwrap();
        fs::copy(fixture(name), case.join(folder).join(name)).unwrap();
        toml.push_str(&format!(
            "[[evidence]]\npath = \"{folder}/{name}\"\ncaption = \"The lamp as it arrived\"\n"
        ));
    }
    fs::write(case.join("case.toml"), toml).unwrap();
    crate::util::pin_times(&case);
    dir
}

/// Builds `dir/case` into `dir/x.zip` with the given arguments; returns manifest.json's
/// items by file name, and what build printed.
fn build(dir: &Path, args: &[&str]) -> (Vec<(String, Value)>, String) {
    let mut command = claimpack(dir);
    command.args(["build", "case", "-o", "x.zip", "--created-at", CREATED_AT]);
    command.args(args);
    let (code, out, err) = run(&mut command);
    assert_eq!(code, 0, "build failed:\n{out}\n{err}");
    let manifest: Value =
        serde_json::from_str(&entry(&dir.join("x.zip"), "data/manifest.json")).unwrap();
    let exhibits = manifest["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let name = e["source_name"].as_str().unwrap();
            let name = name.rsplit('/').next().unwrap().to_owned();
            (name, e.clone())
        })
        .collect();
    (exhibits, format!("{out}{err}"))
}

fn credentials<'a>(exhibits: &'a [(String, Value)], name: &str) -> &'a Value {
    &exhibits
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("{name} missing"))
        .1["content_credentials"]
}

fn entry(zip: &Path, suffix: &str) -> String {
    let entries = crate::util::read_entries(zip);
    let found = entries
        .iter()
        .find(|e| e.name.ends_with(suffix))
        .unwrap_or_else(|| panic!("{suffix} missing"));
    String::from_utf8(found.data.clone()).unwrap()
}

#[test]
fn the_sdk_fixtures_get_the_status_their_signature_and_bytes_call_for() {
    let dir = case_with(&[
        "CA.jpg",
        "CA-one-byte.jpg",
        "E-sig-CA.jpg",
        "no_manifest.jpg",
        "video1.mp4",
    ]);
    let (exhibits, err) = build(dir.path(), &[]);

    // Intact, signed by the SDK's test certificate, which is on no trust list.
    let valid = credentials(&exhibits, "CA.jpg");
    assert_eq!(valid["status"], "untrusted");
    assert_eq!(valid["signer_organization"], "C2PA Test Signing Cert");
    assert!(
        valid["signer"].as_str().unwrap().contains("CN=C2PA Signer"),
        "{valid}"
    );
    assert_eq!(valid["claim_generator"], "make_test_images 0.33.1");
    assert_eq!(valid["signed_at"], "2024-08-06T21:53:37Z");
    // A version 1 claim: the SDK does not check its time-stamping authority.
    assert_eq!(valid.get("signed_at_trusted"), None);
    assert_eq!(valid["actions"][1]["action"], "c2pa.color_adjustments");
    assert_eq!(valid["ingredients"][0]["title"], "A.jpg");
    assert_eq!(valid["ingredients"][0]["relationship"], "parentOf");
    assert!(
        valid["checked_against"]
            .as_str()
            .unwrap()
            .starts_with("C2PA Trust List and C2PA TSA Trust List of 2026-08-05"),
        "{valid}"
    );

    // The same file with one byte of the picture changed (offset 119882).
    let tampered = credentials(&exhibits, "CA-one-byte.jpg");
    assert_eq!(tampered["status"], "invalid");
    assert_eq!(tampered["failed"][0]["code"], "assertion.dataHash.mismatch");
    assert_eq!(
        tampered["failed"][0]["meaning"],
        "the file's content changed after it was signed"
    );
    let bad_signature = credentials(&exhibits, "E-sig-CA.jpg");
    assert_eq!(bad_signature["status"], "invalid");
    assert_eq!(
        bad_signature["failed"][0]["code"],
        "claimSignature.mismatch"
    );

    // No credential: "none" and nothing more.
    assert_eq!(
        *credentials(&exhibits, "no_manifest.jpg"),
        serde_json::json!({"status": "none"})
    );

    // MP4, hashed box by box.
    let video = credentials(&exhibits, "video1.mp4");
    assert_eq!(video["status"], "untrusted");
    assert_eq!(video["claim_generator"], "TestApp");

    // The buyer hears about each credential that no longer checks, by exhibit.
    let tampered_id = exhibits
        .iter()
        .find(|(n, _)| n == "CA-one-byte.jpg")
        .unwrap()
        .1["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        err.contains(&format!(
            "{tampered_id} photos/CA-one-byte.jpg: its Content Credentials do not check: the file's content changed after it was signed"
        )),
        "{err}"
    );
    // The timeline sets the signing time against the movie header's.
    assert!(
        err.contains("Content Credentials were signed at 2023-12-02T16:34:19Z, but its mp4:mvhd says 2022-08-08T21:49:00Z"),
        "{err}"
    );

    // The report shows a line per photo and video, and says what "none" means.
    let report = entry(&dir.path().join("x.zip"), "data/report.html");
    assert!(report.contains("<th>Content Credentials</th><td>INVALID: the file&#x27;s content changed after it was signed"), "report lacks the invalid line");
    assert!(report.contains("<th>Content Credentials</th><td>intact, but the signer is not on the C2PA trust list: signed by C2PA Test Signing Cert (make_test_images 0.33.1) at 2024-08-06 21:53 UTC (time-stamp authority not verified); records changes: color adjustments"));
    assert!(report.contains("<th>Content Credentials</th><td>none (most cameras and apps do not add them; this proves nothing either way)"));
    assert!(report.contains("A file without them proves nothing either way"));

    // The statement vouches for none of them: none is trusted and unedited.
    let statement = entry(&dir.path().join("x.zip"), "data/summary.txt");
    assert!(!statement.contains("Content Credentials"), "{statement}");
}

#[test]
fn a_trusted_unedited_capture_is_cited_in_the_statement_and_an_ai_marker_is_a_warning() {
    let dir = case_with(&["camera-capture.jpg", "ai-generated.jpg"]);
    let trust = fixture("test_cert_root_bundle.pem");
    let (exhibits, err) = build(dir.path(), &["--c2pa-trust", trust.to_str().unwrap()]);

    let capture = credentials(&exhibits, "camera-capture.jpg");
    assert_eq!(capture["status"], "trusted");
    assert_eq!(capture["claim_generator"], "claimpack test camera 1.0");
    assert_eq!(capture["actions"][0]["action"], "c2pa.created");
    assert_eq!(
        capture["checked_against"],
        "C2PA Trust List and C2PA TSA Trust List of 2026-08-05, and the certificates in test_cert_root_bundle.pem (--c2pa-trust)"
    );
    let ai = credentials(&exhibits, "ai-generated.jpg");
    assert_eq!(ai["status"], "trusted");
    assert_eq!(ai["ai"], "generated");
    assert!(
        err.contains(
            "photos/ai-generated.jpg: the credential says the picture was GENERATED BY AI"
        ),
        "{err}"
    );

    let id = |name: &str| {
        exhibits.iter().find(|(n, _)| n == name).unwrap().1["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let statement = entry(&dir.path().join("x.zip"), "data/summary.txt");
    assert!(
        statement.contains(&format!(
            "The original file of Exhibit {} carries Content Credentials signed by C2PA Test Signing Cert (claimpack test camera 1.0), which show it was taken by the camera that signed it and has not been edited since. Upload copies lose them; I can provide the original file on request.",
            id("camera-capture.jpg")
        )),
        "{statement}"
    );
    assert!(
        !statement.contains(&format!("Exhibit {} carries", id("ai-generated.jpg"))),
        "{statement}"
    );
    // The exhibit list does not pass the AI picture off as a photo.
    assert!(
        statement.contains(&format!(
            "- Exhibit {} (photo): The lamp as it arrived (its Content Credentials say it was generated by AI).",
            id("ai-generated.jpg")
        )),
        "{statement}"
    );

    // `summary` prints the statement the bundle holds: credentials are checked there too.
    let (code, printed, err) = run(claimpack(dir.path()).args([
        "summary",
        "case",
        "-q",
        "--c2pa-trust",
        trust.to_str().unwrap(),
    ]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(printed.trim_end(), statement.trim_end());

    // Without the added root the same photo is only intact, and the statement is silent.
    fs::remove_file(dir.path().join("x.zip")).unwrap();
    let (exhibits, _) = build(dir.path(), &[]);
    assert_eq!(
        credentials(&exhibits, "camera-capture.jpg")["status"],
        "untrusted"
    );
    let statement = entry(&dir.path().join("x.zip"), "data/summary.txt");
    assert!(
        !statement.contains("carries Content Credentials"),
        "{statement}"
    );
    // An AI marker is told whoever signed it.
    assert!(
        statement.contains("(its Content Credentials say it was generated by AI)"),
        "{statement}"
    );
}

#[test]
fn a_c2pa_trust_file_without_certificates_is_refused_before_anything_is_written() {
    let dir = case_with(&["camera-capture.jpg"]);
    fs::write(dir.path().join("roots.pem"), "not a certificate\n").unwrap();
    let (code, out, err) = run(claimpack(dir.path()).args([
        "build",
        "case",
        "-o",
        "x.zip",
        "--c2pa-trust",
        "roots.pem",
    ]));
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(
        err.contains("roots.pem: holds no PEM certificate (-----BEGIN CERTIFICATE-----)"),
        "{err}"
    );
    assert!(!dir.path().join("x.zip").exists());
}

#[test]
fn the_kit_says_which_upload_copies_lost_the_credentials_the_originals_keep() {
    let dir = case_with(&["camera-capture.jpg", "no_manifest.jpg"]);
    let (_, _) = build(dir.path(), &["--kit"]);
    let upload = fs::read_to_string(dir.path().join("x-upload/UPLOAD.txt")).unwrap();
    assert!(
        upload
            .contains("The lamp as it arrived — copy, without the original's Content Credentials"),
        "{upload}"
    );
    assert!(
        upload.contains("Content Credentials: the upload copy of E01 was re-encoded and no longer carries the Content Credentials of the original; the sealed original in the bundle keeps them."),
        "{upload}"
    );
    // The photo without a credential has nothing to lose and is not named.
    assert!(!upload.contains("E02 was re-encoded"), "{upload}");
}

/// guards: the c2pa SDK can fetch remote manifests and OCSP answers. It is built
/// without HTTP and told not to, and this shows no socket is opened while a
/// credential is checked.
#[test]
#[cfg_attr(not(interop), ignore = "needs strace; set CLAIMPACK_INTEROP=1")]
fn no_network_socket_is_opened_while_credentials_are_checked() {
    let dir = case_with(&["CA.jpg", "video1.mp4", "camera-capture.jpg"]);
    let binary = assert_cmd::cargo::cargo_bin("claimpack");
    let trace = dir.path().join("trace.txt");
    let output = std::process::Command::new("strace")
        .args(["-f", "-e", "trace=socket,connect", "-o"])
        .arg(&trace)
        .arg(&binary)
        .args([
            "build",
            "case",
            "-o",
            "x.zip",
            "-q",
            "--created-at",
            CREATED_AT,
        ])
        .current_dir(dir.path())
        .env("CLAIMPACK_TSA", "")
        .output()
        .expect("strace runs (apt-get install strace)");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let calls = fs::read_to_string(&trace).unwrap();
    let network: Vec<&str> = calls
        .lines()
        .filter(|l| l.contains("AF_INET") || l.contains("AF_INET6"))
        .collect();
    assert!(
        network.is_empty(),
        "sockets opened:\n{}",
        network.join("\n")
    );
    let built = entry(&dir.path().join("x.zip"), "data/manifest.json");
    assert!(
        built.contains("\"status\": \"untrusted\""),
        "credentials were not checked"
    );
}

/// guards: a hostile or broken store must cost one exhibit's credential line, never
/// the build: a store label with nothing valid after it, and a signed photo cut off
/// inside its store.
#[test]
fn a_broken_or_fake_store_is_reported_unreadable_and_the_build_goes_on() {
    let dir = case_with(&["no_manifest.jpg", "CA.jpg"]);
    let photos = dir.path().join("case/photos");
    // The label, and junk, in a JPEG comment right after SOI.
    let plain = fs::read(photos.join("no_manifest.jpg")).unwrap();
    let mut junk = b"\0\0\0\x40jumdc2pa\x00\x11\x00\x10\x80\x00\x00\xaa\x00\x38\x9b\x71".to_vec();
    junk.extend_from_slice(&[0xee; 40]);
    let mut fake = plain[..2].to_vec();
    fake.extend_from_slice(&[0xff, 0xfe]);
    fake.extend_from_slice(&((junk.len() + 2) as u16).to_be_bytes());
    fake.extend_from_slice(&junk);
    fake.extend_from_slice(&plain[2..]);
    fs::write(photos.join("fake-store.jpg"), fake).unwrap();
    // The signed photo cut in the middle of its manifest store.
    let signed = fs::read(photos.join("CA.jpg")).unwrap();
    fs::write(photos.join("cut-in-store.jpg"), &signed[..20_000]).unwrap();
    fs::remove_file(photos.join("CA.jpg")).unwrap();
    fs::remove_file(photos.join("no_manifest.jpg")).unwrap();
    fs::write(
        dir.path().join("case/case.toml"),
        "platform = \"ebay\"\nreason = \"damaged\"\n[order]\nid = \"1\"\n",
    )
    .unwrap();

    let (exhibits, out) = build(dir.path(), &[]);
    let fake = credentials(&exhibits, "fake-store.jpg");
    assert_eq!(fake["status"], "unreadable", "{fake}");
    assert!(
        fake["note"].as_str().is_some_and(|n| !n.is_empty()),
        "{fake}"
    );
    let cut = credentials(&exhibits, "cut-in-store.jpg");
    assert!(
        matches!(cut["status"].as_str(), Some("unreadable" | "invalid")),
        "{cut}"
    );
    assert!(!out.contains("panicked"), "{out}");
    assert_eq!(crate::util::verify(&dir.path().join("x.zip")).0, 0);
}
