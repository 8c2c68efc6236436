//! The help texts and `claimpack reasons`, pinned.

use crate::util::{claimpack, run};

#[test]
fn reasons_lists_all_fourteen() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, _) = run(claimpack(dir.path()).args(["reasons", "--json"]));
    assert_eq!(code, 0);
    let listing: serde_json::Value = serde_json::from_str(&out).unwrap();
    let reasons = listing["reasons"].as_array().unwrap();
    assert_eq!(reasons.len(), 14);
    assert!(
        reasons
            .iter()
            .all(|r| !r["required"].as_array().unwrap().is_empty())
    );
    let (_, text, _) = run(claimpack(dir.path()).arg("reasons"));
    insta::assert_snapshot!(text);
}

#[test]
fn help_is_pinned() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, _) = run(claimpack(dir.path()).arg("--help"));
    assert_eq!(code, 0);
    insta::assert_snapshot!("help", out);
    let (_, out, _) = run(claimpack(dir.path()).args(["build", "--help"]));
    insta::assert_snapshot!("build_help", out);
}

#[test]
fn every_command_help_ends_with_examples() {
    use clap::CommandFactory;
    let dir = tempfile::tempdir().unwrap();
    let command = claimpack::cli::Cli::command();
    for sub in command.get_subcommands() {
        let name = sub.get_name();
        let (code, out, _) = run(claimpack(dir.path()).args([name, "--help"]));
        assert_eq!(code, 0, "{name} --help");
        let examples = out
            .rfind("Examples:\n")
            .unwrap_or_else(|| panic!("{name} --help has no examples:\n{out}"));
        // Every example is a claimpack command a buyer can paste.
        let lines: Vec<&str> = out[examples..].lines().skip(1).collect();
        // No line wraps at the help's 100 columns (a wrapped example cannot be pasted).
        assert!(!lines.is_empty(), "{name}");
        for line in lines {
            assert!(
                line.trim_start().starts_with(&format!("claimpack {name}")),
                "{name} --help: example {line:?} does not run {name}"
            );
        }
    }
}

/// The completion script for `shell`, written to a file in `dir`, after checking it
/// completes the commands.
fn completion_script(dir: &std::path::Path, shell: &str) -> std::path::PathBuf {
    let (code, script, err) = run(claimpack(dir).args(["completions", shell]));
    assert_eq!(code, 0, "{shell}: {err}");
    for command in ["init", "build", "doctor", "completions"] {
        assert!(script.contains(command), "{shell} completes no {command}");
    }
    let file = dir.join(format!("claimpack.{shell}"));
    std::fs::write(&file, &script).unwrap();
    file
}

/// A completion script that a shell cannot even parse breaks the buyer's shell start.
#[test]
fn completions_parse_in_bash() {
    let dir = tempfile::tempdir().unwrap();
    let file = completion_script(dir.path(), "bash");
    crate::util::outside_tool("bash", &["-n", file.to_str().unwrap()], dir.path());
    completion_script(dir.path(), "powershell");
}

#[test]
#[cfg_attr(not(interop), ignore = "needs zsh and fish; set CLAIMPACK_INTEROP=1")]
fn completions_parse_in_zsh_and_fish() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["zsh", "fish"] {
        let file = completion_script(dir.path(), shell);
        crate::util::outside_tool(shell, &["-n", file.to_str().unwrap()], dir.path());
    }
}

#[test]
fn man_pages_are_written_for_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let (code, page, _) = run(claimpack(dir.path()).arg("man"));
    assert_eq!(code, 0);
    assert!(
        page.starts_with(".ie") && page.contains(".TH claimpack 1"),
        "{page}"
    );
    for command in ["init", "check", "build", "verify", "kit", "doctor"] {
        assert!(
            page.contains(&format!("claimpack\\-{command}")),
            "man page lacks {command}"
        );
    }
    let (code, out, err) = run(claimpack(dir.path()).args(["man", "--out", "."]));
    assert_eq!(code, 0, "{err}");
    let build = std::fs::read_to_string(dir.path().join("claimpack-build.1")).unwrap();
    assert!(build.contains(".TH claimpack-build 1"), "{build}");
    assert!(
        build.contains("claimpack\\-build \\- Seal a case folder"),
        "{build}"
    );
    assert!(build.contains("Examples:"), "{build}");
    assert!(out.lines().count() >= 12, "{out}");
    let (code, _, err) = run(claimpack(dir.path()).args(["man", "--out", "nowhere"]));
    assert_eq!(code, 2);
    assert!(err.contains("nowhere: no such folder"), "{err}");
}

#[test]
fn doctor_names_each_optional_program_and_how_to_install_it() {
    let dir = tempfile::tempdir().unwrap();
    // claimpack() turns the optional programs off: doctor must say they are missing.
    let (code, out, _) = run(claimpack(dir.path()).arg("doctor"));
    assert_eq!(code, 0);
    for line in [
        "missing  Chromium",
        "missing  ffmpeg",
        "missing  heif-convert",
        "sudo apt install ffmpeg",
        "brew install libheif",
        "winget install Google.Chrome",
        "set CLAIMPACK_FFMPEG to its path",
        "not needed exiftool",
    ] {
        assert!(out.contains(line), "doctor lacks {line:?}:\n{out}");
    }
    let (code, json, _) = run(claimpack(dir.path()).args(["doctor", "--json"]));
    assert_eq!(code, 0);
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let programs = report["programs"].as_array().unwrap();
    assert_eq!(programs.len(), 3);
    assert!(programs.iter().all(|p| p["found"] == false));
}

#[test]
#[cfg_attr(
    not(interop),
    ignore = "needs chromium, ffmpeg, heif-convert; set CLAIMPACK_INTEROP=1"
)]
fn doctor_finds_installed_programs_and_their_versions() {
    let dir = tempfile::tempdir().unwrap();
    let mut command = claimpack(dir.path());
    for variable in [
        "CLAIMPACK_FFMPEG",
        "CLAIMPACK_HEIF_CONVERT",
        "CLAIMPACK_CHROMIUM",
    ] {
        command.env_remove(variable);
    }
    let (_, json, _) = run(command.args(["doctor", "--json"]));
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    for program in report["programs"].as_array().unwrap() {
        assert_eq!(program["found"], true, "{program}");
        let version = program["version"].as_str().unwrap_or("");
        assert!(version.contains(|c: char| c.is_ascii_digit()), "{program}");
    }
}
