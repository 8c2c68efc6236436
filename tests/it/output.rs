//! Where a bundle may go: never inside the case folder, `--force` replaces only an
//! earlier bundle, and bundles get the umask's permissions. What an interrupted,
//! killed or starved build leaves behind is in `faults.rs`.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::Command;

use crate::util::{self, CREATED_AT, claimpack, run};

pub fn build_to(dir: &Path, output: &str, extra: &[&str]) -> (i32, String, String) {
    let mut command = claimpack(dir);
    command.args(["build", "case", "-o", output, "--created-at", CREATED_AT]);
    command.args(extra);
    run(&mut command)
}

/// Names of `.claimpack-*.partial` files in a folder.
pub fn partials(folder: &Path) -> Vec<String> {
    fs::read_dir(folder)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".claimpack-") && n.ends_with(".partial"))
        .collect()
}

/// Everything in a folder tree with its bytes, to show nothing changed.
fn snapshot(folder: &Path) -> Vec<(String, Vec<u8>)> {
    let mut all = Vec::new();
    for entry in fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            all.extend(snapshot(&path));
        } else {
            all.push((path.display().to_string(), fs::read(&path).unwrap()));
        }
    }
    all.sort();
    all
}

#[test]
fn no_output_path_inside_the_case_folder_is_accepted_whatever_the_flags() {
    // guards: `-o case/photos/box.jpg --force` replaced the photo with the zip, and
    // `-o case/case.toml --force` the case file; bundles written into the case were
    // sealed by the next build, doubling each time.
    let dir = util::sample_case();
    let before = snapshot(&dir.path().join("case"));
    for (output, force) in [
        ("case/claim.zip", false),
        ("case/claim.zip", true),
        ("case/photos/box-front.jpg", true),
        ("case/case.toml", true),
        ("case/photos", true),
        ("case/photos/../../case/x.zip", true),
    ] {
        let (code, out, err) = build_to(dir.path(), output, if force { &["--force"] } else { &[] });
        assert_eq!(code, 2, "{output}: {out}{err}");
        assert!(
            err.contains("is inside the case folder case") && err.lines().count() == 1,
            "{output}: {err}"
        );
    }
    // Run from inside the case folder, the default output lands there too.
    let (code, _, err) =
        run(claimpack(&dir.path().join("case")).args(["build", ".", "--created-at", CREATED_AT]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("inside the case folder"), "{err}");
    assert_eq!(
        snapshot(&dir.path().join("case")),
        before,
        "the case folder changed"
    );
}

#[test]
fn force_replaces_an_earlier_bundle_and_nothing_else() {
    let dir = util::sample_case();
    let target = dir.path().join("claim.zip");
    fs::write(&target, b"the user's thesis, not a bundle").unwrap();
    let (code, _, err) = build_to(dir.path(), "claim.zip", &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains("claim.zip already exists") && err.contains("--force"),
        "{err}"
    );
    let (code, _, err) = build_to(dir.path(), "claim.zip", &["--force"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("claim.zip exists and is not a claimpack bundle"),
        "{err}"
    );
    assert_eq!(
        fs::read(&target).unwrap(),
        b"the user's thesis, not a bundle"
    );

    fs::remove_file(&target).unwrap();
    assert_eq!(build_to(dir.path(), "claim.zip", &[]).0, 0);
    let (code, _, err) = build_to(dir.path(), "claim.zip", &[]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = build_to(dir.path(), "claim.zip", &["--force"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(util::verify(&target).0, 0);
    assert!(partials(dir.path()).is_empty());
}

#[test]
fn an_output_folder_that_does_not_exist_is_named() {
    let dir = util::sample_case();
    for output in ["missing-folder/", "missing-folder/claim.zip"] {
        let (code, _, err) = build_to(dir.path(), output, &[]);
        assert_eq!(code, 2, "{output}");
        assert!(
            err.contains("missing-folder")
                && err.contains(": no such folder")
                && !err.contains("os error"),
            "{output}: {err}"
        );
    }
}

#[test]
fn a_bundle_dropped_into_the_case_folder_is_skipped_not_sealed() {
    let dir = util::sample_case();
    let first = util::build(dir.path());
    fs::create_dir_all(dir.path().join("case/documents")).unwrap();
    fs::copy(&first, dir.path().join("case/documents/old-claim.zip")).unwrap();
    fs::remove_file(&first).unwrap();
    let (code, out, err) = build_to(dir.path(), "claim.zip", &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("skipped   documents/old-claim.zip (a claimpack bundle; bundles are not sealed into bundles)"),
        "{out}"
    );
    assert!(out.contains("4 exhibits"), "{out}");
    // An ordinary zip of photos is still evidence.
    let mut zip = zip::ZipWriter::new(
        fs::File::create(dir.path().join("case/documents/photos.zip")).unwrap(),
    );
    zip.start_file("a.jpg", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(b"jpeg").unwrap();
    zip.finish().unwrap();
    let (code, out, err) = build_to(dir.path(), "claim.zip", &["--force"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("5 exhibits"), "{out}");
}

#[cfg(unix)]
#[test]
fn bundles_get_the_permissions_the_umask_gives() {
    // guards: bundles were created 0600 whatever the umask.
    use std::os::unix::fs::PermissionsExt;
    let dir = util::sample_case();
    for (umask, mode) in [("022", 0o644), ("027", 0o640), ("077", 0o600)] {
        let script = format!(
            "umask {umask}; exec \"$0\" build case -o claim-{umask}.zip --created-at {CREATED_AT} -q"
        );
        let program = claimpack(dir.path()).get_program().to_owned();
        let (code, out, err) = run(Command::new("sh")
            .args(["-c", &script])
            .arg(program)
            .current_dir(dir.path())
            .env("CLAIMPACK_FFMPEG", "none"));
        assert_eq!(code, 0, "{out}{err}");
        let bundle = dir.path().join(format!("claim-{umask}.zip"));
        let actual = fs::metadata(bundle).unwrap().permissions().mode() & 0o777;
        assert_eq!(actual, mode, "umask {umask}");
    }
}
