//! `claimpack init`: the case folder it writes, the answers it asks for, and the
//! round trip from a fresh case to a verified bundle.

use std::fs;

use crate::util::{self, CREATED_AT, claimpack, run};

#[test]
fn init_build_verify_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = run(claimpack(dir.path()).args([
        "init",
        "my-claim",
        "--platform",
        "aliexpress",
        "--reason",
        "damaged",
        "--order",
        "8123456789012345",
    ]));
    assert_eq!(code, 0, "{out}{err}");
    let case = dir.path().join("my-claim");
    for folder in [
        "photos",
        "videos",
        "chat",
        "tracking",
        "listing",
        "order",
        "documents",
    ] {
        assert!(case.join(folder).is_dir(), "{folder} missing");
    }
    let toml = fs::read_to_string(case.join("case.toml")).unwrap();
    assert!(toml.contains("platform = \"aliexpress\""), "{toml}");
    assert!(toml.contains("id       = \"8123456789012345\""), "{toml}");

    fs::copy(util::asset("box-front.jpg"), case.join("photos/box.jpg")).unwrap();
    let (code, out, err) =
        run(claimpack(dir.path()).args(["build", "my-claim", "--created-at", CREATED_AT]));
    assert_eq!(code, 0, "{out}{err}");
    let zip = dir
        .path()
        .join("claim-aliexpress-8123456789012345-20261123.zip");
    assert!(zip.is_file(), "{out}");
    assert!(out.contains("seal "), "{out}");

    let (code, out, _) = util::verify(&zip);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("INTACT"), "{out}");
}

#[test]
fn init_refuses_an_existing_case_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let init = |extra: &[&str]| {
        let mut command = claimpack(dir.path());
        command.args([
            "init",
            "c",
            "--platform",
            "ebay",
            "--reason",
            "not-received",
            "--order",
            "1",
        ]);
        command.args(extra);
        run(&mut command)
    };
    assert_eq!(init(&[]).0, 0);
    fs::write(dir.path().join("c/photos/keep.jpg"), b"evidence").unwrap();
    let (code, _, err) = init(&[]);
    assert_eq!(code, 2);
    assert!(
        err.contains("already has a case.toml") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(init(&["--force"]).0, 0);
    assert_eq!(
        fs::read(dir.path().join("c/photos/keep.jpg")).unwrap(),
        b"evidence"
    );
}

#[test]
fn init_without_answers_leaves_fields_that_build_names() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, _) = run(claimpack(dir.path()).args(["init", "c"]));
    assert_eq!(code, 0);
    assert!(out.contains("platform, reason, order.id"), "{out}");
    let (code, _, err) = run(claimpack(dir.path()).args(["build", "c"]));
    assert_eq!(code, 2);
    // The first empty field stops the build, named with its line.
    assert!(
        err.contains("c/case.toml:11:12: order.id: is empty"),
        "{err}"
    );
    fs::write(
        dir.path().join("c/case.toml"),
        fs::read_to_string(dir.path().join("c/case.toml"))
            .unwrap()
            .replace("id       = \"\"", "id = \"1\""),
    )
    .unwrap();
    let (code, _, err) = run(claimpack(dir.path()).args(["build", "c"]));
    assert_eq!(code, 2);
    assert!(
        err.contains("c/case.toml:7:") && err.contains("platform"),
        "{err}"
    );
    assert!(err.contains("aliexpress"), "lists what is allowed: {err}");
}

/// The wizard as a buyer meets it: a real terminal, answers typed one by one.
#[cfg(unix)]
mod terminal {
    use std::process::Command;

    use rexpect::session::spawn_command;

    /// `claimpack init DIR` in a pseudo-terminal, in `dir`.
    fn wizard(dir: &std::path::Path, case: &str) -> rexpect::session::PtySession {
        let mut command = Command::new(env!("CARGO_BIN_EXE_claimpack"));
        command.current_dir(dir).args(["init", case]);
        spawn_command(command, Some(20_000)).unwrap()
    }

    #[test]
    fn the_wizard_reads_names_in_any_case_and_suggests_near_misses() {
        let dir = tempfile::tempdir().unwrap();
        let mut p = wizard(dir.path(), "c");
        p.exp_string("Platform:").unwrap();
        p.send_line("PayPall").unwrap();
        p.exp_string("did you mean paypal?").unwrap();
        p.exp_string("Platform:").unwrap();
        p.send_line("PayPal").unwrap();
        p.exp_string("Reason:").unwrap();
        p.send_line("SNAD").unwrap();
        p.exp_string("Order number").unwrap();
        p.send_line("8123456789012345").unwrap();
        // The reason's own questions.
        p.exp_string("What the listing promised").unwrap();
        p.send_line("Size L, chest 46 in").unwrap();
        p.exp_string("What arrived instead").unwrap();
        p.send_line("Size M, chest 42 in").unwrap();
        p.exp_string("Created c/case.toml").unwrap();
        p.exp_eof().unwrap();
        let toml = std::fs::read_to_string(dir.path().join("c/case.toml")).unwrap();
        assert!(toml.contains("platform = \"paypal\""), "{toml}");
        assert!(toml.contains("reason   = \"not-as-described\""), "{toml}");
        assert!(toml.contains("\"Size M, chest 42 in\""), "{toml}");
    }

    #[test]
    fn ctrl_c_at_a_question_stops_at_once_with_nothing_written() {
        let dir = tempfile::tempdir().unwrap();
        let mut p = wizard(dir.path(), "c");
        p.exp_string("Platform:").unwrap();
        p.send_control('c').unwrap();
        p.exp_string("interrupted; nothing was written").unwrap();
        match p.process().wait().unwrap() {
            rexpect::process::WaitStatus::Exited(_, code) => assert_eq!(code, 130),
            other => panic!("expected exit 130, got {other:?}"),
        }
        assert!(!dir.path().join("c").exists(), "init left a folder behind");
    }
}
