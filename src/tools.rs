//! Outside programs claimpack uses when they are installed (ffmpeg, heif-convert,
//! Chromium): finding them, and running them with a time limit and a bounded output,
//! so that a hostile file or page can never hang or flood a command.

use std::ffi::OsString;
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The program a variable names (or the first of `defaults` on PATH), if it runs with
/// `probe`. The variable set to `none` (or empty) turns the program off.
pub fn program(variable: &str, default: &str, probe: &str) -> Option<OsString> {
    programs(variable, &[default], probe)
}

/// Like [`program`], trying several names in turn.
pub fn programs(variable: &str, defaults: &[&str], probe: &str) -> Option<OsString> {
    let candidates: Vec<OsString> = match std::env::var_os(variable) {
        Some(value) if value.is_empty() || value == "none" => return None,
        Some(value) => vec![value],
        None => defaults.iter().map(OsString::from).collect(),
    };
    candidates.into_iter().find(|name| {
        Command::new(name)
            .arg(probe)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok()
    })
}

/// Runs a program, killing it after `timeout`; returns at most `capture` bytes of its
/// standard output (nothing when `None`).
pub fn run(
    mut command: Command,
    capture: Option<u64>,
    timeout: Duration,
) -> Result<Vec<u8>, String> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(if capture.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    let reader = child.stdout.take().map(|stdout| {
        let limit = capture.unwrap_or(0);
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let mut limited = stdout.take(limit);
            let _ = limited.read_to_end(&mut bytes);
            // Keep draining so the program is not blocked writing what we ignore.
            let _ = std::io::copy(&mut limited.into_inner(), &mut std::io::sink());
            bytes
        })
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "the program took longer than {} s",
                    timeout.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(e.to_string()),
        }
    };
    let bytes = match reader {
        Some(reader) => reader.join().map_err(|_| "output lost")?,
        None => Vec::new(),
    };
    if !status.success() {
        return Err(format!("the program failed ({status})"));
    }
    Ok(bytes)
}
