//! Where a bundle may go and what a build leaves behind: never inside the case
//! folder, `--force` replaces only an earlier bundle, an interrupted or killed build
//! leaves nothing partial (or the next build removes it), bundles get the umask's
//! permissions, and a full disk gives one clear line.

use std::fs;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{self, CREATED_AT, claimpack, run};

fn build_to(dir: &Path, output: &str, extra: &[&str]) -> (i32, String, String) {
    let mut command = claimpack(dir);
    command.args(["build", "case", "-o", output, "--created-at", CREATED_AT]);
    command.args(extra);
    run(&mut command)
}

/// Names of `.claimpack-*.partial` files in a folder.
fn partials(folder: &Path) -> Vec<String> {
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

/// A case whose 1 GiB sparse video keeps a build busy long enough to interrupt.
fn slow_case() -> tempfile::TempDir {
    let dir = util::sample_case();
    let big = fs::File::create(dir.path().join("case/videos/long.mp4")).unwrap();
    big.set_len(1 << 30).unwrap();
    dir
}

fn spawn_build(dir: &Path) -> std::process::Child {
    claimpack(dir)
        .args([
            "build",
            "case",
            "-o",
            "claim.zip",
            "--created-at",
            CREATED_AT,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn wait_for_partial(dir: &Path) {
    let started = Instant::now();
    while partials(dir).is_empty() && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(!partials(dir).is_empty(), "the build never started writing");
}

fn signal(child: &std::process::Child, name: &str) {
    let status = Command::new("kill")
        .args([name, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn ctrl_c_leaves_no_bundle_behind() {
    let dir = slow_case();
    let child = spawn_build(dir.path());
    wait_for_partial(dir.path());
    signal(&child, "-INT");
    let output = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{err}");
    assert!(err.contains("interrupted"), "{err}");
    assert!(!dir.path().join("claim.zip").exists());
    assert!(
        partials(dir.path()).is_empty(),
        "the temporary file was left behind"
    );
}

#[test]
fn a_second_ctrl_c_still_removes_the_partial_bundle() {
    // guards: the second Ctrl-C exited inside the handler and left 130-525 MB.
    let dir = slow_case();
    for _ in 0..3 {
        let child = spawn_build(dir.path());
        wait_for_partial(dir.path());
        signal(&child, "-INT");
        signal(&child, "-INT");
        let output = child.wait_with_output().unwrap();
        assert_eq!(output.status.code(), Some(130), "{output:?}");
        assert!(!dir.path().join("claim.zip").exists());
        assert_eq!(partials(dir.path()), Vec::<String>::new());
    }
}

#[test]
fn a_ctrl_c_during_the_final_write_out_is_honoured() {
    // guards: a single Ctrl-C after the evidence was read was ignored and the build
    // exited 0. A time-stamping authority that answers only after the Ctrl-C holds
    // the build in its last step.
    let dir = util::sample_case();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/tsa", listener.local_addr().unwrap());
    let child = claimpack(dir.path())
        .args([
            "build",
            "case",
            "-o",
            "claim.zip",
            "--created-at",
            CREATED_AT,
            "--tsa",
            &url,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (mut connection, _) = listener.accept().unwrap();
    let mut request = [0u8; 1024];
    let _ = connection.read(&mut request);
    signal(&child, "-INT");
    std::thread::sleep(Duration::from_millis(200));
    let _ =
        connection.write_all(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n");
    drop(connection);
    let output = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{err}");
    assert!(err.contains("interrupted; no bundle was written"), "{err}");
    assert!(!dir.path().join("claim.zip").exists());
    assert!(partials(dir.path()).is_empty());
}

#[test]
fn a_killed_build_leaves_a_partial_that_the_next_build_removes() {
    // guards: kill -9 left a hidden temporary file every time, and no later build
    // removed it (3.6 GB after 18 runs).
    let dir = slow_case();
    let child = spawn_build(dir.path());
    wait_for_partial(dir.path());
    signal(&child, "-KILL");
    let _ = child.wait_with_output().unwrap();
    let left = partials(dir.path());
    assert_eq!(left.len(), 1, "kill -9 leaves the partial file: {left:?}");

    // One that a running build holds (its lock) must survive.
    let busy = dir.path().join(".claimpack-busy.partial");
    let held = fs::File::create(&busy).unwrap();
    held.lock().unwrap();
    fs::remove_file(dir.path().join("case/videos/long.mp4")).unwrap();
    let (code, out, err) = build_to(dir.path(), "claim.zip", &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!("removed   {}", left[0]))
            && out.contains("left by a build that was killed"),
        "{out}"
    );
    assert_eq!(
        partials(dir.path()),
        vec![".claimpack-busy.partial".to_owned()]
    );
    drop(held);
}

#[test]
fn verify_refuses_a_named_pipe_instead_of_waiting_forever() {
    // guards: `claimpack verify` on a FIFO blocked forever.
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("claim.zip");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let started = Instant::now();
    let (code, _, err) = util::verify(&fifo);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not a regular file (a named pipe)"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(20));

    // Nor does a case file that is a pipe hang `check`.
    let case = dir.path().join("case");
    fs::create_dir(&case).unwrap();
    assert!(
        Command::new("mkfifo")
            .arg(case.join("case.toml"))
            .status()
            .unwrap()
            .success()
    );
    let (code, _, err) = run(claimpack(dir.path()).args(["check", "case"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("case.toml"), "{err}");
}

#[test]
#[cfg_attr(
    not(interop),
    ignore = "needs unshare and a user namespace for a tiny tmpfs; set CLAIMPACK_INTEROP=1"
)]
fn a_full_disk_gives_one_clear_line_and_leaves_nothing() {
    // guards: stderr began with the zip writer's debug dump
    // ("ZipWriter::drop: failed to finalize archive: Io(Custom { kind: StorageFull…").
    let dir = util::sample_case();
    let out = dir.path().join("small-disk");
    fs::create_dir(&out).unwrap();
    let program = claimpack(dir.path()).get_program().to_owned();
    let script = format!(
        "mount -t tmpfs -o size=256k tmpfs small-disk || exit 99; \
         \"$0\" build case -o small-disk/claim.zip --created-at {CREATED_AT} -q; \
         code=$?; echo \"left: $(ls -A small-disk)\"; exit $code"
    );
    let output = Command::new("unshare")
        .args(["-Urm", "sh", "-c", &script])
        .arg(program)
        .current_dir(dir.path())
        .env("CLAIMPACK_FFMPEG", "none")
        .output()
        .expect("unshare on PATH");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_ne!(
        output.status.code(),
        Some(99),
        "tmpfs mount failed: {stderr}"
    );
    assert_eq!(output.status.code(), Some(2), "{stdout}{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr:?}");
    assert!(
        stderr.starts_with(
            "error: disk full while writing small-disk/claim.zip (the bundle needs about"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("ZipWriter"), "{stderr}");
    assert!(
        stdout.contains("left: \n") || stdout.trim_end().ends_with("left:"),
        "{stdout}"
    );
}
