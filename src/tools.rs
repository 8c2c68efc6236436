//! Outside programs claimpack uses when they are installed (ffmpeg, heif-convert,
//! Chromium): finding them, and running them with a time limit and a bounded output,
//! so that a hostile file or page can never hang or flood a command.

use std::ffi::OsString;
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Serialize;

/// An outside program claimpack uses when it is there: how it is found, what it
/// adds, and how a buyer installs it. `doctor`, `check` and the kit read this table.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Optional {
    /// The name a person knows it by.
    pub name: &'static str,
    /// The variable that names the program (`none` turns it off).
    pub variable: &'static str,
    /// The program names tried on PATH, in order.
    #[serde(skip)]
    pub names: &'static [&'static str],
    /// The argument that makes it print its version and exit.
    #[serde(skip)]
    pub version_flag: &'static str,
    /// What it adds.
    pub enables: &'static str,
    /// What happens without it.
    pub without: &'static str,
    pub install: Install,
}

/// How to install a program on the systems buyers use.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Install {
    pub debian: &'static str,
    pub macos: &'static str,
    pub windows: &'static str,
}

impl Install {
    /// "Debian/Ubuntu: sudo apt install ffmpeg; macOS: brew install ffmpeg; Windows: …".
    pub fn one_line(&self) -> String {
        format!(
            "Debian/Ubuntu: {}; macOS: {}; Windows: {}",
            self.debian, self.macos, self.windows
        )
    }
}

pub const CHROMIUM: Optional = Optional {
    name: "Chromium",
    variable: "CLAIMPACK_CHROMIUM",
    names: &[
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ],
    version_flag: "--version",
    enables: "`capture` saves a full-page screenshot and a PDF of each page, as a browser shows it",
    without: "`capture` keeps the page's HTTP exchange (WARC) and its text, but no picture of it",
    install: Install {
        debian: "sudo apt install chromium",
        macos: "brew install --cask chromium (or install Google Chrome)",
        windows: "winget install Google.Chrome",
    },
};

pub const FFMPEG: Optional = Optional {
    name: "ffmpeg",
    variable: "CLAIMPACK_FFMPEG",
    names: &["ffmpeg"],
    version_flag: "-version",
    enables: "previews of videos in the report, and stills or fitted copies of videos in the upload kit",
    without: "videos are sealed as they are, shown without a preview, and left out of kits whose form caps video size",
    install: Install {
        debian: "sudo apt install ffmpeg",
        macos: "brew install ffmpeg",
        windows: "winget install ffmpeg",
    },
};

pub const HEIF_CONVERT: Optional = Optional {
    name: "heif-convert",
    variable: "CLAIMPACK_HEIF_CONVERT",
    names: &["heif-convert"],
    version_flag: "--version",
    enables: "previews of iPhone HEIC photos in the report, and JPEG copies of them for forms that refuse HEIC",
    without: "HEIC photos are sealed as they are, shown without a preview, and left out of kits whose form takes only JPEG or PNG",
    install: Install {
        debian: "sudo apt install libheif-examples",
        macos: "brew install libheif",
        windows: "see https://github.com/strukturag/libheif (or export the photos as JPEG from the phone)",
    },
};

/// Every optional program, in the order `doctor` lists them.
pub const OPTIONAL: [Optional; 3] = [CHROMIUM, FFMPEG, HEIF_CONVERT];

impl Optional {
    /// The program, if installed (or named by the variable) and it runs.
    pub fn find(&self) -> Option<OsString> {
        programs(self.variable, self.names, self.version_flag)
    }

    /// The first line the program prints for its version, if it gives one in time.
    pub fn version(&self, program: &std::ffi::OsStr) -> Option<String> {
        let mut command = Command::new(program);
        command.arg(self.version_flag);
        // heif-convert has no version flag, but its usage text names the version.
        let (_, out) = run_to_end(
            command,
            Some(64 * 1024),
            Streams::StdoutThenStderr,
            Duration::from_secs(20),
        )
        .ok()?;
        let text = String::from_utf8_lossy(&out);
        let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
        let names_version = |l: &&str| {
            l.to_ascii_lowercase().contains("version") && l.contains(|c: char| c.is_ascii_digit())
        };
        let line = lines.clone().find(names_version).or_else(|| lines.next())?;
        // "ffmpeg version 5.1 Copyright (c) …": the version, not the notice.
        let line = line.split(" Copyright").next().unwrap_or(line);
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        Some(
            crate::sanitize::sanitize_name(&line)
                .chars()
                .take(120)
                .collect(),
        )
    }
}

/// The program a variable names (or the first of `defaults` on PATH that runs with
/// `probe`). The variable set to `none` (or empty) turns the program off.
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
pub fn run(command: Command, capture: Option<u64>, timeout: Duration) -> Result<Vec<u8>, String> {
    let (status, bytes) = run_to_end(command, capture, Streams::Stdout, timeout)?;
    if !status.success() {
        return Err(format!("the program failed ({status})"));
    }
    Ok(bytes)
}

/// Which of a program's outputs [`run_to_end`] keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Streams {
    Stdout,
    /// Standard output, then standard error (some programs print their version there).
    StdoutThenStderr,
}

/// Like [`run`], whatever the exit status: the status and the output.
pub fn run_to_end(
    mut command: Command,
    capture: Option<u64>,
    streams: Streams,
    timeout: Duration,
) -> Result<(std::process::ExitStatus, Vec<u8>), String> {
    let piped = || {
        if capture.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        }
    };
    let mut child = command
        .stdin(Stdio::null())
        .stdout(piped())
        .stderr(match streams {
            Streams::Stdout => Stdio::null(),
            Streams::StdoutThenStderr => piped(),
        })
        .spawn()
        .map_err(|e| e.to_string())?;
    let limit = capture.unwrap_or(0);
    let reader = child.stdout.take().map(|stdout| drain(stdout, limit));
    let error_reader = child.stderr.take().map(|stderr| drain(stderr, limit));
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
    let mut bytes = Vec::new();
    for reader in [reader, error_reader].into_iter().flatten() {
        bytes.extend(reader.join().map_err(|_| "output lost")?);
    }
    Ok((status, bytes))
}

/// Reads at most `limit` bytes of `stream` on a thread, then drains the rest so the
/// program is not blocked writing what is ignored.
fn drain(stream: impl Read + Send + 'static, limit: u64) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let mut limited = stream.take(limit);
        let _ = limited.read_to_end(&mut bytes);
        let _ = std::io::copy(&mut limited.into_inner(), &mut std::io::sink());
        bytes
    })
}
