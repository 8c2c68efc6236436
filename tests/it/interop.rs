//! Checks by tools claimpack did not write. They need outside programs, so they run
//! when CLAIMPACK_INTEROP=1 (set by .ci/run after installing them) and are listed as
//! ignored otherwise; when enabled, a missing tool fails the test.

use std::path::Path;
use std::process::Command;

use crate::util;

fn tool(program: &str, args: &[&str], cwd: &Path) -> String {
    let output = Command::new(program)
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap_or_else(|e| panic!("CLAIMPACK_INTEROP=1 needs `{program}` on PATH: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "{program} {args:?} failed:\n{text}"
    );
    text
}

fn unzipped_bundle() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let dir = util::sample_case();
    let zip = util::build(dir.path());
    let out = dir.path().join("unzipped");
    std::fs::create_dir(&out).unwrap();
    tool("unzip", &["-q", zip.to_str().unwrap()], &out);
    let bag = out.join("claim-aliexpress-8123456789012345-20261123");
    (dir, zip, bag)
}

#[test]
#[cfg_attr(not(interop), ignore = "needs bagit.py; set CLAIMPACK_INTEROP=1")]
fn bagit_python_validates_the_bundle() {
    let (_dir, _zip, bag) = unzipped_bundle();
    let text = tool("bagit.py", &["--validate", bag.to_str().unwrap()], &bag);
    assert!(text.contains("is valid"), "{text}");
}

#[test]
#[cfg_attr(not(interop), ignore = "needs sha256sum; set CLAIMPACK_INTEROP=1")]
fn sha256sum_checks_both_manifests() {
    let (_dir, _zip, bag) = unzipped_bundle();
    let payload = tool(
        "sha256sum",
        &["--strict", "-c", "manifest-sha256.txt"],
        &bag,
    );
    assert_eq!(payload.matches(": OK").count(), 11, "{payload}");
    tool(
        "sha256sum",
        &["--strict", "-c", "tagmanifest-sha256.txt"],
        &bag,
    );
}

#[test]
#[cfg_attr(not(interop), ignore = "needs python3; set CLAIMPACK_INTEROP=1")]
fn python_zipfile_reads_every_entry() {
    let (dir, zip, _bag) = unzipped_bundle();
    let script = "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); bad=z.testzip(); \
                  print('entries', len(z.infolist())); sys.exit(bad is not None)";
    let text = tool(
        "python3",
        &["-c", script, zip.to_str().unwrap()],
        dir.path(),
    );
    assert!(text.contains("entries 15"), "{text}");
}

#[test]
#[cfg_attr(not(interop), ignore = "needs bagit.py; set CLAIMPACK_INTEROP=1")]
fn bagit_python_and_claimpack_agree_on_a_tampered_bag() {
    // The same edit must fail both validators.
    let (_dir, _zip, bag) = unzipped_bundle();
    let photo = bag.join("data/evidence/E01-box-front.jpg");
    let mut bytes = std::fs::read(&photo).unwrap();
    bytes[1000] ^= 1;
    std::fs::write(&photo, bytes).unwrap();
    let output = Command::new("bagit.py")
        .args(["--validate", bag.to_str().unwrap()])
        .output()
        .expect("bagit.py on PATH");
    assert!(!output.status.success());
    let text = String::from_utf8_lossy(&output.stderr);
    assert!(text.contains("E01-box-front.jpg"), "{text}");
}

#[test]
#[cfg_attr(
    not(interop),
    ignore = "writes 4.3 GiB and needs python3; set CLAIMPACK_INTEROP=1"
)]
fn entries_over_4_gib_use_zip64_that_python_reads() {
    // guards: a video over 4 GiB must not wrap its 32-bit size fields.
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    std::fs::create_dir_all(case.join("videos")).unwrap();
    std::fs::write(
        case.join("case.toml"),
        "platform = \"ebay\"\nreason = \"defective\"\n[order]\nid = \"1\"\n",
    )
    .unwrap();
    let len = (4u64 << 30) + 300 * (1 << 20) + 1;
    let video = std::fs::File::create(case.join("videos/long.mp4")).unwrap();
    video.set_len(len).unwrap(); // sparse: cheap to make, read like any file
    drop(video);
    let zip = util::build(dir.path());
    let (code, out, _) = util::verify(&zip);
    assert_eq!(code, 0, "{out}");
    let script = "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); \
                  big=[i.file_size for i in z.infolist() if i.file_size > 2**32]; \
                  print('big', big); sys.exit(z.testzip() is not None)";
    let text = tool(
        "python3",
        &["-c", script, zip.to_str().unwrap()],
        dir.path(),
    );
    assert!(text.contains(&format!("big [{len}]")), "{text}");
}
