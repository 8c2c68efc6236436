//! `claimpack demo`: a sample damaged-item case, written from files compiled into the
//! binary so it works from any folder with nothing but the executable.

use std::fs;
use std::path::{Path, PathBuf};

use super::{ScaffoldError, write_atomically};
use crate::output::Existing;

/// (path inside the case folder, bytes)
const CASE_FILES: [(&str, &[u8]); 8] = [
    ("case.toml", include_bytes!("../../assets/demo/case.toml")),
    (
        "photos/box-front.jpg",
        include_bytes!("../../assets/demo/box-front.jpg"),
    ),
    (
        "photos/item-close-up.jpg",
        include_bytes!("../../assets/demo/item-close-up.jpg"),
    ),
    (
        "videos/unboxing.mov",
        include_bytes!("../../assets/demo/unboxing.mov"),
    ),
    (
        "chat/seller-chat.txt",
        include_bytes!("../../assets/demo/seller-chat.txt"),
    ),
    (
        "chat/seller-chat.png",
        include_bytes!("../../assets/demo/seller-chat.png"),
    ),
    (
        "tracking/tracking-page.html",
        include_bytes!("../../assets/demo/tracking-page.html"),
    ),
    (
        "order/order-page.png",
        include_bytes!("../../assets/demo/order-page.png"),
    ),
];

const ABOUT: &[u8] = include_bytes!("../../assets/demo/ATTRIBUTION.md");

/// Where the demo was written.
#[derive(Debug, Clone)]
pub struct Demo {
    pub root: PathBuf,
    pub case_dir: PathBuf,
}

/// Writes the sample case into `root/my-claim` and the attributions into
/// `root/ABOUT.txt`. An existing, non-empty `root` needs [`Existing::Replace`]; even then, only the
/// demo's own files are replaced and the previous demo bundle is removed.
pub fn write(root: &Path, existing: Existing) -> Result<Demo, ScaffoldError> {
    let force = existing == Existing::Replace;
    let not_empty = fs::read_dir(root).is_ok_and(|mut entries| entries.next().is_some());
    if not_empty && !force {
        return Err(ScaffoldError::NotEmpty(root.to_owned()));
    }
    let case_dir = root.join("my-claim");
    for (name, bytes) in CASE_FILES {
        let path = case_dir.join(name);
        if let Some(folder) = path.parent() {
            fs::create_dir_all(folder).map_err(|source| ScaffoldError::Write {
                path: folder.to_owned(),
                source,
            })?;
        }
        write_atomically(&path, bytes)?;
        // A fixed, plausible file time (the day after the chat), so that the demo's
        // timeline reads sensibly and rebuilds are identical.
        let fixed = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_793_354_400);
        let set_time = fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .and_then(|file| file.set_modified(fixed));
        set_time.map_err(|source| ScaffoldError::Write {
            path: path.clone(),
            source,
        })?;
    }
    write_atomically(&root.join("ABOUT.txt"), ABOUT)?;
    // The previous demo bundle is the demo's own output; with --force it is rebuilt.
    if force && let Ok(entries) = fs::read_dir(root) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with("claim-aliexpress-8123456789012345-") && name.ends_with(".zip") {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
    Ok(Demo {
        root: root.to_owned(),
        case_dir,
    })
}
