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

#[test]
#[cfg_attr(
    not(interop),
    ignore = "needs unzip and python3; set CLAIMPACK_INTEROP=1"
)]
fn a_second_directory_fools_unzip_and_python_but_not_verify() {
    // guards: verify said INTACT while unzip and Python's zipfile extracted other
    // files. Each variant is checked to really fool both tools, so that this test
    // keeps guarding the attack and not a harmless file.
    let dir = util::sample_case();
    let zip = util::build(dir.path());
    let bundle = std::fs::read(&zip).unwrap();
    let root = "claim-aliexpress-8123456789012345-20261123";
    let original = util::read_entries_from(&bundle);
    let e02 = &original
        .iter()
        .find(|(n, _)| n.ends_with("evidence/E02-unboxing.mov"))
        .unwrap()
        .1;
    for (variant, crafted) in crate::hostile::second_directory_variants(&bundle) {
        let path = dir.path().join(format!("{variant}.zip"));
        std::fs::write(&path, &crafted).unwrap();

        let script = "import zipfile,sys,hashlib; z=zipfile.ZipFile(sys.argv[1]); \
                      [print(i.filename, i.external_attr >> 16, hashlib.sha256(z.read(i)).hexdigest()) for i in z.infolist()]";
        let listing = tool(
            "python3",
            &["-c", script, path.to_str().unwrap()],
            dir.path(),
        );
        let out = dir.path().join(format!("unzipped-{variant}"));
        std::fs::create_dir(&out).unwrap();
        // unzip warns about the extra bytes (exit 1) and extracts anyway.
        let unzip = Command::new("unzip")
            .args(["-q", path.to_str().unwrap()])
            .current_dir(&out)
            .output()
            .expect("unzip on PATH");
        assert!(unzip.status.code().unwrap_or(9) <= 1, "{unzip:?}");
        let bag = out.join(root);
        match variant {
            "swapped" | "replaced" => {
                let extracted = std::fs::read(bag.join("data/evidence/E01-box-front.jpg")).unwrap();
                let expected: &[u8] = if variant == "swapped" {
                    e02
                } else {
                    b"a different photo of an undamaged box"
                };
                assert_eq!(extracted, expected, "{variant}: unzip extracts B's bytes");
                let digest = hex_sha256(expected);
                assert!(
                    listing.contains(&format!("data/evidence/E01-box-front.jpg 33188 {digest}")),
                    "{variant}: Python reads B:\n{listing}"
                );
                let check = Command::new("sha256sum")
                    .args(["--quiet", "-c", "manifest-sha256.txt"])
                    .current_dir(&bag)
                    .output()
                    .unwrap();
                assert!(!check.status.success(), "{variant}: sha256sum -c must fail");
            }
            _ => {
                let link = bag.join("data/evidence/link");
                let kind = std::fs::symlink_metadata(&link).unwrap().file_type();
                assert!(kind.is_symlink(), "unzip creates the link");
                assert!(
                    listing.contains(&format!("data/evidence/link {}", 0o120777)),
                    "Python sees the link:\n{listing}"
                );
            }
        }
        let (code, text, err) = util::verify(&path);
        assert_eq!(code, 1, "{variant}: {text}{err}");
        assert!(text.contains("NOT INTACT"), "{variant}: {text}");
    }
}

fn hex_sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

#[test]
#[cfg_attr(
    not(interop),
    ignore = "needs unzip, zip and python3; set CLAIMPACK_INTEROP=1"
)]
fn bags_zipped_again_by_other_tools_verify() {
    // Someone who unzips a bundle to look at it may zip it again with whatever is at
    // hand: Info-ZIP (to a file, or through a pipe, which writes data descriptors)
    // or Python's zipfile on a stream. verify reads those archives too.
    let (dir, _zip, bag) = unzipped_bundle();
    let parent = bag.parent().unwrap();
    let name = bag.file_name().unwrap().to_str().unwrap();
    let plain = dir.path().join("plain.zip");
    tool("zip", &["-qr", plain.to_str().unwrap(), name], parent);
    let piped = dir.path().join("piped.zip");
    let script = format!("zip -qr - '{name}' | cat > '{}'", piped.display());
    tool("sh", &["-c", &script], parent);
    let streamed = dir.path().join("streamed.zip");
    let python = "import zipfile,sys,os\n\
class W:\n    def __init__(s,f): s.f=f\n    def write(s,b): return s.f.write(b)\n    def flush(s): s.f.flush()\n    def tell(s): raise OSError\n    def seekable(s): return False\n\
with open(sys.argv[2],'wb') as out:\n    z=zipfile.ZipFile(W(out),'w',zipfile.ZIP_DEFLATED)\n    for root,dirs,files in os.walk(sys.argv[1]):\n        for f in sorted(files):\n            p=os.path.join(root,f); z.write(p,p)\n    z.close()\n";
    tool(
        "python3",
        &["-c", python, name, streamed.to_str().unwrap()],
        parent,
    );
    let flags = tool(
        "python3",
        &[
            "-c",
            "import zipfile,sys; print(sorted(set(i.flag_bits & 8 for i in zipfile.ZipFile(sys.argv[1]).infolist())))",
            streamed.to_str().unwrap(),
        ],
        parent,
    );
    assert!(
        flags.contains("[8]"),
        "Python wrote data descriptors: {flags}"
    );
    for zip in [plain, piped, streamed] {
        let (code, out, err) = util::verify(&zip);
        assert_eq!(code, 0, "{}: {out}{err}", zip.display());
    }
}

#[test]
#[cfg_attr(
    not(interop),
    ignore = "needs unzip and python3; set CLAIMPACK_INTEROP=1"
)]
fn overlapping_and_two_faced_entries_are_refused_where_unzip_and_python_disagree() {
    // What other tools do with the zips verify refuses: each variant makes unzip and
    // Python's zipfile extract different things, or fail, so no single reading of
    // it is "the" content; verify must not vouch for any of them.
    use util::{RawEntry, raw_zip};
    let bagit = RawEntry::stored(
        "bag/bagit.txt",
        b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
    );
    let mut twin = RawEntry::stored("bag/data/b.jpg", b"shared bytes");
    twin.same_offset_as = Some(1);
    let overlapping = raw_zip(&[
        bagit.clone(),
        RawEntry::stored("bag/data/a.jpg", b"shared bytes"),
        twin,
    ]);
    let mut two_faced = RawEntry::stored("bag/data/photo.jpg", b"x");
    two_faced.local_name = Some(b"bag/data/other.exe".to_vec());
    let two_faced = raw_zip(&[bagit.clone(), two_faced]);
    let mut liar = RawEntry::stored("bag/data/a.txt", b"honest");
    liar.local_crc = Some(0x1234_5678);
    let liar = raw_zip(&[bagit, liar]);

    let dir = tempfile::tempdir().unwrap();
    let script = "import zipfile,sys\n\
                  z=zipfile.ZipFile(sys.argv[1])\n\
                  for i in z.infolist():\n\
                  \x20   try: print(i.filename, 'read', len(z.read(i)))\n\
                  \x20   except Exception as e: print(i.filename, 'refused', type(e).__name__)\n";
    for (variant, bytes) in [
        ("overlapping", overlapping),
        ("two-faced", two_faced),
        ("local-crc", liar),
    ] {
        let path = dir.path().join(format!("{variant}.zip"));
        std::fs::write(&path, &bytes).unwrap();
        let python = Command::new("python3")
            .args(["-c", script, path.to_str().unwrap()])
            .output()
            .expect("python3 on PATH");
        let python = String::from_utf8_lossy(&python.stdout).into_owned();
        let out = dir.path().join(variant);
        std::fs::create_dir(&out).unwrap();
        let unzip = Command::new("unzip")
            .args(["-o", path.to_str().unwrap()])
            .current_dir(&out)
            .output()
            .expect("unzip on PATH");
        let extracted = walk_names(&out, &out);
        let unzip_code = unzip.status.code();
        // What each tool makes of it, as unzip 6.0 and Python's zipfile do today.
        match variant {
            "overlapping" => {
                assert!(
                    python.contains("bag/data/b.jpg refused BadZipFile"),
                    "{python}"
                );
                assert_ne!(unzip_code, Some(0));
                assert!(
                    !extracted.contains(&"bag/data/b.jpg".to_owned()),
                    "{extracted:?}"
                );
            }
            "two-faced" => {
                assert!(
                    python.contains("bag/data/photo.jpg refused BadZipFile"),
                    "{python}"
                );
                assert!(
                    extracted.contains(&"bag/data/photo.jpg".to_owned()),
                    "{extracted:?}"
                );
            }
            _ => {
                assert!(python.contains("bag/data/a.txt read 6"), "{python}");
                assert_ne!(unzip_code, Some(0), "unzip checks the local CRC");
            }
        }
        let (code, text, err) = util::verify(&path);
        assert_eq!(code, 1, "{variant}: {text}{err}");
        assert!(text.contains("NOT INTACT"), "{variant}: {text}");
    }
}

fn walk_names(root: &Path, dir: &Path) -> Vec<String> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            names.extend(walk_names(root, &path));
        } else {
            names.push(path.strip_prefix(root).unwrap().display().to_string());
        }
    }
    names.sort();
    names
}
