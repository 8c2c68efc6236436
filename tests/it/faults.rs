//! Fault injection, kept as a permanent suite: a build that is killed, interrupted
//! twice, starved of disk or handed files that change under it leaves no bundle at
//! the output path and no temporary file after the next build; files that cannot be
//! sealed (unreadable, pipes, sockets, devices) are named; a read-only output folder
//! gives one clear line. Crafted zips that fool other tools are in `hostile.rs` and
//! (against unzip and Python) in `interop.rs`.

use std::fs;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::output::{build_to, partials};
use crate::util::{self, CREATED_AT, claimpack, run};

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
    let (code, stdout, stderr) =
        build_onto_mount("small-disk", "mount -t tmpfs -o size=256k tmpfs small-disk");
    assert_eq!(code, Some(2), "{stdout}{stderr}");
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

/// Builds the sample case into `folder/claim.zip` after `mount` (a shell command run
/// in a user and mount namespace of its own) mounted something on `folder`; returns
/// the exit code, stdout (ending with `left: ` and what the folder then holds) and
/// stderr. A mount that fails fails the test.
fn build_onto_mount(folder: &str, mount: &str) -> (Option<i32>, String, String) {
    let dir = util::sample_case();
    fs::create_dir(dir.path().join(folder)).unwrap();
    let program = claimpack(dir.path()).get_program().to_owned();
    let script = format!(
        "{mount} || exit 99; \
         \"$0\" build case -o {folder}/claim.zip --created-at {CREATED_AT} -q; \
         code=$?; echo \"left: $(ls -A {folder})\"; exit $code"
    );
    let output = Command::new("unshare")
        .args(["-Urm", "sh", "-c", &script])
        .arg(program)
        .current_dir(dir.path())
        .env("CLAIMPACK_FFMPEG", "none")
        .output()
        .expect("unshare on PATH");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_ne!(output.status.code(), Some(99), "{mount} failed: {stderr}");
    (output.status.code(), stdout, stderr)
}

/// A seed for the random points, printed with every failure so a run can be repeated.
fn seed() -> u64 {
    std::env::var("CLAIMPACK_FAULT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        })
}

fn next(state: &mut u64) -> u64 {
    // xorshift64: enough to spread the signals over the build.
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[test]
fn killed_or_interrupted_at_random_points_the_output_is_whole_or_absent() {
    let seed = seed();
    let mut state = seed;
    let dir = slow_case();
    for round in 0..6 {
        let _ = fs::remove_file(dir.path().join("claim.zip"));
        let child = spawn_build(dir.path());
        wait_for_partial(dir.path());
        std::thread::sleep(Duration::from_millis(next(&mut state) % 1500));
        let kill = next(&mut state).is_multiple_of(2);
        if kill {
            signal_if_running(&child, "-KILL");
        } else {
            signal_if_running(&child, "-INT");
            signal_if_running(&child, "-INT");
        }
        let output = child.wait_with_output().unwrap();
        let context = format!(
            "seed {seed} (CLAIMPACK_FAULT_SEED), round {round}, {}: {output:?}",
            if kill { "kill -9" } else { "two Ctrl-C" }
        );
        let bundle = dir.path().join("claim.zip");
        if bundle.exists() {
            // The signal came after the rename: the bundle must be whole.
            assert_eq!(output.status.code(), Some(0), "{context}");
            let (code, out, _) = util::verify(&bundle);
            assert_eq!(code, 0, "{context}: {out}");
        } else if !kill {
            assert_eq!(output.status.code(), Some(130), "{context}");
            assert!(partials(dir.path()).is_empty(), "{context}");
        }
    }
    // The next build removes whatever the killed ones left, and keeps nothing else.
    fs::remove_file(dir.path().join("case/videos/long.mp4")).unwrap();
    let _ = fs::remove_file(dir.path().join("claim.zip"));
    let (code, _, err) = build_to(dir.path(), "claim.zip", &[]);
    assert_eq!(code, 0, "seed {seed}: {err}");
    assert!(partials(dir.path()).is_empty(), "seed {seed}");
}

/// Sends a signal unless the build already finished (then there is no one to tell).
fn signal_if_running(child: &std::process::Child, name: &str) {
    let _ = Command::new("kill")
        .args([name, &child.id().to_string()])
        .stderr(Stdio::null())
        .status();
}

/// Waits until the build's partial bundle holds at least `bytes`.
fn wait_for_partial_bytes(dir: &Path, bytes: u64) {
    let started = Instant::now();
    let size = || {
        partials(dir)
            .iter()
            .filter_map(|name| fs::metadata(dir.join(name)).ok())
            .map(|m| m.len())
            .max()
            .unwrap_or(0)
    };
    while size() < bytes && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(size() >= bytes, "the build never reached {bytes} bytes");
}

/// Waits for the build to fail and returns its stderr; checks it left nothing.
fn failed_build(dir: &Path, child: std::process::Child, what: &str) -> String {
    let output = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "{what}: {err}");
    assert!(!dir.join("claim.zip").exists(), "{what}: {err}");
    assert!(partials(dir).is_empty(), "{what}: {err}");
    err
}

#[test]
fn a_source_that_grows_shrinks_or_vanishes_mid_build_fails_naming_it() {
    // A phone-sync tool still writing, a cleaner deleting: the build must not seal a
    // torn copy or a file that is no longer there, and must say which file it was.
    // The 2 GiB sparse video is read first; `zz-later.mp4` after it.
    type Change = fn(&Path);
    let changes: [(&str, Change, &str); 4] = [
        (
            "videos/zz-later.mp4",
            |p| fs::remove_file(p).unwrap(),
            "error: case/videos/zz-later.mp4: the file disappeared while the bundle was being made; put it back",
        ),
        (
            "videos/zz-later.mp4",
            |p| {
                let f = fs::OpenOptions::new().append(true).open(p).unwrap();
                (&f).write_all(b"more").unwrap();
            },
            "case/videos/zz-later.mp4: the file changed while it was being packaged",
        ),
        (
            "videos/long.mp4",
            |p| {
                fs::File::options()
                    .write(true)
                    .open(p)
                    .unwrap()
                    .set_len(1 << 20)
                    .unwrap()
            },
            "case/videos/long.mp4: the file changed while it was being packaged",
        ),
        (
            "videos/long.mp4",
            |p| {
                let f = fs::OpenOptions::new().append(true).open(p).unwrap();
                f.set_len((2 << 30) + 4096).unwrap();
            },
            "case/videos/long.mp4: the file changed while it was being packaged",
        ),
    ];
    for (file, change, expected) in changes {
        let dir = util::sample_case();
        let videos = dir.path().join("case/videos");
        fs::File::create(videos.join("long.mp4"))
            .unwrap()
            .set_len(2 << 30)
            .unwrap();
        fs::File::create(videos.join("zz-later.mp4"))
            .unwrap()
            .set_len(1 << 20)
            .unwrap();
        let child = spawn_build(dir.path());
        // The partial file appears before intake looks at the folder: wait until the
        // big video is being sealed, so the change comes after intake saw the file.
        wait_for_partial_bytes(dir.path(), 8 << 20);
        change(&dir.path().join("case").join(file));
        let err = failed_build(dir.path(), child, expected);
        assert!(err.contains(expected), "{file}: {err}");
        assert_eq!(
            err.lines().filter(|l| l.starts_with("error")).count(),
            1,
            "{err}"
        );
    }
}

#[test]
fn pipes_sockets_and_devices_are_skipped_by_name() {
    let dir = util::sample_case();
    let chat = dir.path().join("case/chat");
    assert!(
        Command::new("mkfifo")
            .arg(chat.join("export.txt"))
            .status()
            .unwrap()
            .success()
    );
    let _socket = std::os::unix::net::UnixListener::bind(chat.join("agent.sock")).unwrap();
    // Only root may make a device node; elsewhere the pipe and socket still run.
    let device = Command::new("mknod")
        .args([chat.join("null").to_str().unwrap(), "c", "1", "3"])
        .status()
        .is_ok_and(|s| s.success());
    if !device {
        eprintln!("pipes_sockets_and_devices: not root, so no device node is tried");
    }
    let started = Instant::now();
    let (code, out, err) = build_to(dir.path(), "claim.zip", &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "a pipe was opened"
    );
    for (name, kind) in [
        ("chat/export.txt", "a named pipe"),
        ("chat/agent.sock", "a socket"),
        ("chat/null", "a device"),
    ] {
        if name == "chat/null" && !device {
            continue;
        }
        assert!(
            out.contains(&format!(
                "skipped   {name} ({kind}, not a regular file: nothing to seal)"
            )),
            "{out}"
        );
    }
}

#[test]
fn an_unreadable_file_stops_the_build_naming_it() {
    let dir = util::sample_case();
    let photo = dir.path().join("case/photos/box-front.jpg");
    let mut command = util::build_command(dir.path());
    // Root reads any file, so as root the build runs as `nobody`, over a tree it can
    // read except for the one photo.
    let root = running_as_root();
    if root {
        for entry in walk(dir.path()) {
            let mode = if entry.is_dir() { 0o777 } else { 0o644 };
            set_mode(&entry, mode);
        }
        std::os::unix::process::CommandExt::uid(&mut command, 65534);
        std::os::unix::process::CommandExt::gid(&mut command, 65534);
    }
    set_mode(&photo, 0o000);
    let (code, out, err) = run(&mut command);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.starts_with("error: case/photos/box-front.jpg: cannot read"),
        "{err}"
    );
    assert!(err.contains("Permission denied"), "{err}");
    assert!(!dir.path().join("claim.zip").exists());
    assert!(partials(dir.path()).is_empty());
}

fn running_as_root() -> bool {
    // `id -u` rather than libc: the tests have no libc dependency.
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut all = vec![dir.to_owned()];
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            all.extend(walk(&path));
        } else {
            all.push(path);
        }
    }
    all
}

#[test]
#[cfg_attr(
    not(interop),
    ignore = "needs unshare and a user namespace for a read-only mount; set CLAIMPACK_INTEROP=1"
)]
fn a_read_only_output_folder_gives_one_clear_line() {
    let (code, stdout, stderr) = build_onto_mount(
        "shared",
        "mount -t tmpfs tmpfs shared && mount -o remount,ro shared",
    );
    assert_eq!(code, Some(2), "{stdout}{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr:?}");
    assert_eq!(
        stderr.trim_end(),
        "error: shared: cannot write into this folder (the disk is read-only); give -o a folder you can write to"
    );
    assert!(stdout.trim_end().ends_with("left:"), "{stdout}");
}
