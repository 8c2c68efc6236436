//! Headless Chromium, for pages that only show their tracking status after their
//! scripts run: a full-page screenshot, a PDF print and the rendered DOM (for the
//! visible text). Chromium loads the page itself, a moment after claimpack's own
//! fetch; the WARC holds claimpack's exchange, byte for byte.
//!
//! Every run gets a fresh, temporary profile (no cookies, no history, no extensions)
//! and a time limit.

use std::ffi::OsString;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use image::{GenericImageView, ImageFormat};

/// How long one Chromium run may take.
const RUN_TIMEOUT: Duration = Duration::from_secs(90);
/// The window: a common desktop width, and tall enough for long tracking pages. The
/// empty space below the page is trimmed from the screenshot afterwards.
const WIDTH: u32 = 1280;
const HEIGHT: u32 = 8000;
/// Milliseconds of page time scripts get to finish (timers, late requests).
const VIRTUAL_TIME_MS: u32 = 8000;
/// The most DOM text kept.
const MAX_DOM_BYTES: u64 = 25 << 20;

/// An installed Chromium (or Chrome).
#[derive(Debug, Clone)]
pub struct Browser {
    program: OsString,
}

impl Browser {
    /// `CLAIMPACK_CHROMIUM` names the program (`none` turns it off); otherwise the
    /// usual names are tried.
    pub fn find() -> Option<Browser> {
        crate::tools::CHROMIUM
            .find()
            .map(|program| Browser { program })
    }

    pub fn name(&self) -> String {
        self.program.to_string_lossy().into_owned()
    }

    fn command(&self, profile: &Path) -> Command {
        let mut command = Command::new(&self.program);
        command.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-extensions",
            "--disable-sync",
            "--no-first-run",
            "--mute-audio",
            "--hide-scrollbars",
        ]);
        command.arg(format!("--user-data-dir={}", profile.display()));
        command.arg(format!("--virtual-time-budget={VIRTUAL_TIME_MS}"));
        if std::env::var_os("HOME").is_none() {
            // Chromium wants a home for its caches; never the user's real one here.
            command.env("HOME", profile);
        }
        command
    }

    /// A full-page PNG: the page in a tall window, the empty bottom trimmed.
    pub fn screenshot(&self, url: &str) -> Result<Vec<u8>, String> {
        let profile = tempfile::tempdir().map_err(|e| e.to_string())?;
        let shot = profile.path().join("shot.png");
        let mut command = self.command(profile.path());
        command
            .arg(format!("--window-size={WIDTH},{HEIGHT}"))
            .arg(format!("--screenshot={}", shot.display()))
            .arg(url);
        crate::tools::run(command, None, RUN_TIMEOUT)?;
        let png = std::fs::read(&shot).map_err(|_| "Chromium wrote no screenshot".to_owned())?;
        trim_bottom(&png)
    }

    /// The page printed to PDF (every page of it).
    pub fn pdf(&self, url: &str) -> Result<Vec<u8>, String> {
        let profile = tempfile::tempdir().map_err(|e| e.to_string())?;
        let pdf = profile.path().join("page.pdf");
        let mut command = self.command(profile.path());
        command
            .arg("--no-pdf-header-footer")
            .arg(format!("--print-to-pdf={}", pdf.display()))
            .arg(url);
        crate::tools::run(command, None, RUN_TIMEOUT)?;
        std::fs::read(&pdf).map_err(|_| "Chromium wrote no PDF".to_owned())
    }

    /// The DOM after the scripts ran, as HTML.
    pub fn dom(&self, url: &str) -> Result<String, String> {
        let profile = tempfile::tempdir().map_err(|e| e.to_string())?;
        let mut command = self.command(profile.path());
        command.arg("--dump-dom").arg(url);
        let bytes = crate::tools::run(command, Some(MAX_DOM_BYTES), RUN_TIMEOUT)?;
        if bytes.is_empty() {
            return Err("Chromium returned an empty page".to_owned());
        }
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}

/// Cuts the rows below the page: from the bottom, rows of one colour equal to the
/// bottom-right pixel. At least 200 rows stay.
fn trim_bottom(png: &[u8]) -> Result<Vec<u8>, String> {
    let image = image::load_from_memory_with_format(png, ImageFormat::Png)
        .map_err(|e| format!("Chromium's screenshot is unreadable: {e}"))?;
    let (width, height) = image.dimensions();
    if width == 0 || height == 0 {
        return Err("Chromium's screenshot is empty".to_owned());
    }
    let rgba = image.to_rgba8();
    let background = *rgba.get_pixel(width - 1, height - 1);
    let mut keep = height;
    while keep > 200 {
        let row = keep - 1;
        if (0..width).all(|x| *rgba.get_pixel(x, row) == background) {
            keep -= 1;
        } else {
            break;
        }
    }
    let cropped = image.crop_imm(0, 0, width, keep.min(height));
    let mut out = std::io::Cursor::new(Vec::new());
    cropped
        .write_to(&mut out, ImageFormat::Png)
        .map_err(|e| e.to_string())?;
    Ok(out.into_inner())
}
