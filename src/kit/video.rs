//! Stills from a video, for forms that open no video (card issuers, PayPal, eBay):
//! the frames where the picture changes (ffmpeg's scene score) and evenly spaced
//! ones, 3 to 8 in all, each named by its time in the video; and H.264 copies of
//! videos too big for a form that takes video.

use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// Fewest and most stills per video.
const FEWEST: usize = 3;
const MOST: usize = 8;
/// A scene change is a frame whose scene score is above this (ffmpeg's 0–1 scale).
const SCENE: f64 = 0.3;
/// How long ffmpeg may take over one pass.
const TIMEOUT: Duration = Duration::from_secs(300);
/// One upright frame as PNG; 4K is about 25 MB.
const MAX_FRAME_BYTES: u64 = 64 << 20;

/// One still: its time in seconds and the frame as PNG.
pub struct Still {
    pub at: f64,
    pub png: Vec<u8>,
}

/// The times to take stills at: scene changes first, then even spacing to fill up,
/// no two closer than a tenth of the video.
pub fn times(duration: f64, scene_changes: &[f64]) -> Vec<f64> {
    if duration <= 0.0 {
        return vec![0.0];
    }
    // One still per ~4 seconds of video, within FEWEST..=MOST.
    let wanted = ((duration / 4.0).round() as usize).clamp(FEWEST, MOST);
    let gap = duration / (wanted as f64 * 2.0);
    let mut chosen: Vec<f64> = Vec::new();
    let consider = |t: f64, chosen: &mut Vec<f64>| {
        // Stills are named by the whole second: one per second at most.
        let apart = |c: &f64| (c - t).abs() >= gap && c.floor() != t.floor();
        if chosen.len() < wanted && chosen.iter().all(apart) {
            chosen.push(t);
        }
    };
    for &t in scene_changes
        .iter()
        .filter(|t| **t >= 0.0 && **t < duration)
    {
        consider(t, &mut chosen);
    }
    for i in 0..wanted {
        consider((i as f64 + 0.5) * duration / wanted as f64, &mut chosen);
    }
    chosen.sort_by(f64::total_cmp);
    chosen
}

/// `t0m12s` for 12.4 s: the name part of a still.
pub fn timecode(at: f64) -> String {
    let seconds = at.max(0.0).floor() as u64;
    format!("t{}m{:02}s", seconds / 60, seconds % 60)
}

/// "0:12" for the upload notes.
pub fn clock(at: f64) -> String {
    let seconds = at.max(0.0).floor() as u64;
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

/// Takes the stills of the video at `path` (a private copy of the sealed original).
pub fn stills(ffmpeg: &OsStr, path: &Path, duration: Option<f64>) -> Result<Vec<Still>, String> {
    let changes = scene_changes(ffmpeg, path)?;
    let duration = duration.unwrap_or_else(|| changes.last().copied().unwrap_or(0.0) + 1.0);
    times(duration, &changes)
        .into_iter()
        .map(|at| {
            Ok(Still {
                at,
                png: frame(ffmpeg, path, at)?,
            })
        })
        .collect()
}

/// The times of the frames whose scene score passes [`SCENE`].
fn scene_changes(ffmpeg: &OsStr, path: &Path) -> Result<Vec<f64>, String> {
    let mut command = Command::new(ffmpeg);
    command
        .args(["-nostdin", "-v", "error", "-i"])
        .arg(path)
        .args([
            "-an",
            "-vf",
            &format!("select='gt(scene,{SCENE})',metadata=print:file=-"),
            "-f",
            "null",
            "-",
        ]);
    let out = crate::tools::run(command, Some(1 << 20), TIMEOUT)?;
    Ok(String::from_utf8_lossy(&out)
        .split_whitespace()
        .filter_map(|word| word.strip_prefix("pts_time:")?.parse::<f64>().ok())
        .collect())
}

/// One frame at `at` seconds, upright (ffmpeg applies the rotation), as PNG.
fn frame(ffmpeg: &OsStr, path: &Path, at: f64) -> Result<Vec<u8>, String> {
    let mut command = Command::new(ffmpeg);
    command
        .args(["-nostdin", "-v", "error", "-ss", &format!("{at:.3}"), "-i"])
        .arg(path)
        .args(["-frames:v", "1", "-f", "image2pipe", "-vcodec", "png", "-"]);
    let png = crate::tools::run(command, Some(MAX_FRAME_BYTES), TIMEOUT)?;
    if png.is_empty() {
        return Err(format!("ffmpeg gave no frame at {}", clock(at)));
    }
    Ok(png)
}

/// The audio bitrate of a transcoded copy, in bits per second.
const AUDIO_BPS: u64 = 96_000;
/// Below this video bitrate a copy shows too little to be worth sending.
const FEWEST_VIDEO_BPS: u64 = 150_000;
/// The long side of a transcoded copy, at most: 720p keeps what the camera saw.
const LONG_SIDE: u32 = 1280;

/// An H.264/AAC MP4 of the video at `input` written to `output`, under `max_bytes`:
/// upright (ffmpeg applies the rotation), 720p at most, without metadata, one thread
/// and bit-exact flags so the same original gives the same copy. Tries lower
/// bitrates while the result is over the cap.
pub fn transcode(
    ffmpeg: &OsStr,
    input: &Path,
    output: &Path,
    duration: Option<f64>,
    max_bytes: u64,
) -> Result<(), String> {
    let Some(duration) = duration.filter(|d| *d > 0.0) else {
        return Err("its length is not known, so no bitrate can be chosen".to_owned());
    };
    // 8% for the container and the encoder overshooting its target.
    let budget = (max_bytes as f64 * 8.0 * 0.92 / duration) as u64;
    let mut video_bps = budget.saturating_sub(AUDIO_BPS);
    for _ in 0..3 {
        if video_bps < FEWEST_VIDEO_BPS {
            break;
        }
        let scale = format!(
            "scale='if(gte(iw,ih),min({LONG_SIDE},iw),-2)':'if(gte(iw,ih),-2,min({LONG_SIDE},ih))'"
        );
        let mut command = Command::new(ffmpeg);
        command
            .args(["-nostdin", "-y", "-v", "error", "-i"])
            .arg(input)
            .args(["-map", "0:v:0", "-map", "0:a:0?", "-vf", &scale])
            .args([
                "-c:v", "libx264", "-preset", "medium", "-pix_fmt", "yuv420p",
            ])
            .args(["-b:v", &video_bps.to_string()])
            .args(["-maxrate", &(video_bps * 5 / 4).to_string()])
            .args(["-bufsize", &(video_bps * 2).to_string()])
            .args(["-c:a", "aac", "-b:a", &AUDIO_BPS.to_string(), "-ac", "2"])
            .args(["-map_metadata", "-1", "-map_chapters", "-1"])
            .args(["-movflags", "+faststart", "-threads", "1"])
            .args([
                "-fflags",
                "+bitexact",
                "-flags:v",
                "+bitexact",
                "-flags:a",
                "+bitexact",
            ])
            .args(["-f", "mp4"])
            .arg(output);
        crate::tools::run(command, None, TIMEOUT * 4)?;
        let made = std::fs::metadata(output).map_err(|e| e.to_string())?.len();
        if made <= max_bytes {
            return Ok(());
        }
        video_bps = video_bps * 7 / 10;
    }
    let _ = std::fs::remove_file(output);
    Err(format!(
        "a copy of this {} video does not fit under {} at a bitrate that still shows anything",
        clock(duration),
        crate::text::megabytes(max_bytes)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scene_changes_come_first_and_even_spacing_fills_up() {
        // 20 s: five stills; the cut at 7.0 is kept, 7.5 is too close to it.
        let chosen = times(20.0, &[7.0, 7.5]);
        assert_eq!(chosen.len(), 5);
        assert!(chosen.contains(&7.0) && !chosen.contains(&7.5));
        // Short and long videos stay within 3 and 8.
        // A two-second clip has two distinct seconds, so two stills.
        assert_eq!(times(2.0, &[]), [0.0_f64.max(1.0 / 3.0), 1.0]);
        assert_eq!(times(600.0, &[]).len(), 8);
        assert_eq!(timecode(72.9), "t1m12s");
        assert_eq!(clock(5.0), "0:05");
    }
}
