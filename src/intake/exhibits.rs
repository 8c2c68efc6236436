//! Exhibit numbers that do not move: `exhibits.lock` beside case.toml.
//!
//! A statement already pasted into a dispute form cites "Exhibit E04"; if adding two
//! screenshots renumbered the folder, E04 would name another file and the statement
//! would say something else. So the first time `check`, `summary` or `build` sees a
//! file, its number is recorded here; later runs give it the same number, new files
//! the next free ones, and the number of a file that disappeared is never given to
//! another (it stays under `[gone]`, and comes back if the file does).
//!
//! Intake only reads the lock and numbers the files; the commands write it back
//! ([`save`]) when it changed, since intake itself never writes.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{IntakeError, SourceFile};
use crate::model::ExhibitId;

/// The lock's file name, beside case.toml.
pub const LOCK_FILE: &str = "exhibits.lock";

/// The numbers given so far.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lock {
    /// Numbers of files present (or present when last seen).
    pub numbers: BTreeMap<ExhibitId, String>,
    /// Numbers whose files are gone; never given to another file.
    pub gone: BTreeMap<ExhibitId, String>,
    /// Whether this differs from the file on disk.
    pub changed: bool,
}

/// A numbered file that is no longer in the case folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gone {
    pub id: ExhibitId,
    pub path: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLock {
    #[serde(default)]
    numbers: BTreeMap<String, String>,
    #[serde(default)]
    gone: BTreeMap<String, String>,
}

fn parse_id(text: &str) -> Option<ExhibitId> {
    let digits = text.strip_prefix('E')?;
    (!digits.is_empty() && digits.len() <= 6 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok().map(ExhibitId))
        .flatten()
        .filter(|id| id.0 > 0)
}

impl Lock {
    /// The lock in `root`, or an empty one (marked changed) when there is none yet.
    pub fn read(root: &Path) -> Result<Lock, IntakeError> {
        let path = root.join(LOCK_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Lock {
                    changed: true,
                    ..Lock::default()
                });
            }
            Err(source) => return Err(IntakeError::Read { path, source }),
        };
        let bad = |why: String| IntakeError::ExhibitLock {
            path: path.clone(),
            why,
        };
        let raw: RawLock = toml::from_str(&text).map_err(|e| bad(e.message().to_owned()))?;
        let mut lock = Lock::default();
        let mut seen = HashSet::new();
        for (table, entries) in [("numbers", raw.numbers), ("gone", raw.gone)] {
            for (key, file) in entries {
                let id = parse_id(&key).ok_or_else(|| {
                    bad(format!(
                        "[{table}] {key:?} is not an exhibit number like E04"
                    ))
                })?;
                if !seen.insert(file.clone()) {
                    return Err(bad(format!("\"{file}\" has two numbers")));
                }
                let into = if table == "numbers" {
                    &mut lock.numbers
                } else {
                    &mut lock.gone
                };
                if into.insert(id, file).is_some() {
                    return Err(bad(format!("{key} is given twice")));
                }
            }
        }
        if let Some(id) = lock.numbers.keys().find(|id| lock.gone.contains_key(id)) {
            return Err(bad(format!("{id} is both in use and gone")));
        }
        Ok(lock)
    }

    /// Numbers `found` (in the order new files should get numbers): a known file
    /// keeps its number, a file that came back gets its old one, a new file the next
    /// free one. Files in `also_present` (duplicates of an exhibit) keep their entry
    /// without a number in use. Returns every numbered file that is gone.
    pub fn number(&mut self, found: &mut [SourceFile], also_present: &[String]) -> Vec<Gone> {
        let by_path = |map: &BTreeMap<ExhibitId, String>, path: &str| {
            map.iter().find(|(_, p)| *p == path).map(|(id, _)| *id)
        };
        let present: HashSet<&str> = found
            .iter()
            .map(|f| f.source_name.as_str())
            .chain(also_present.iter().map(String::as_str))
            .collect();
        let now_gone: Vec<ExhibitId> = self
            .numbers
            .iter()
            .filter(|(_, path)| !present.contains(path.as_str()))
            .map(|(id, _)| *id)
            .collect();
        for id in now_gone {
            if let Some(path) = self.numbers.remove(&id) {
                self.gone.insert(id, path);
                self.changed = true;
            }
        }
        let mut next = self
            .numbers
            .keys()
            .chain(self.gone.keys())
            .map(|id| id.0)
            .max()
            .unwrap_or(0)
            + 1;
        for file in found.iter_mut() {
            if let Some(id) = by_path(&self.numbers, &file.source_name) {
                file.id = id;
            } else if let Some(id) = by_path(&self.gone, &file.source_name) {
                self.gone.remove(&id);
                self.numbers.insert(id, file.source_name.clone());
                self.changed = true;
                file.id = id;
            } else {
                file.id = ExhibitId(next);
                self.numbers.insert(file.id, file.source_name.clone());
                self.changed = true;
                next += 1;
            }
        }
        self.gone
            .iter()
            .map(|(id, path)| Gone {
                id: *id,
                path: path.clone(),
            })
            .collect()
    }

    /// The lock as written: a comment saying what it is, then the two tables.
    pub fn to_text(&self) -> String {
        let quoted = |s: &str| toml::Value::String(s.to_owned()).to_string();
        let mut out = String::from(
            "# Exhibit numbers, kept by claimpack so that E04 names the same file in every\n\
             # statement you paste, even after you add or remove files. New files get the next\n\
             # numbers; the number of a file that is gone is never given to another.\n\
             # Delete this file only to number every exhibit afresh: statements you already\n\
             # sent would then cite different files.\n\n[numbers]\n",
        );
        for (id, path) in &self.numbers {
            out.push_str(&format!("{id} = {}\n", quoted(path)));
        }
        if !self.gone.is_empty() {
            out.push_str("\n# Files that were numbered and are no longer in the folder.\n[gone]\n");
            for (id, path) in &self.gone {
                out.push_str(&format!("{id} = {}\n", quoted(path)));
            }
        }
        out
    }
}

/// Writes the lock back into `root` when it changed. A case folder that cannot be
/// written (a read-only copy) keeps working: the caller reports the error as a note.
pub fn save(root: &Path, lock: &Lock) -> std::io::Result<()> {
    if !lock.changed {
        return Ok(());
    }
    crate::output::write_whole(
        &root.join(LOCK_FILE),
        lock.to_text().as_bytes(),
        crate::output::Existing::Replace,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_reads_back_what_it_writes() {
        let mut lock = Lock::default();
        lock.numbers
            .insert(ExhibitId(1), "photos/a \"quoted\".jpg".into());
        lock.numbers.insert(ExhibitId(3), "chat/c.png".into());
        lock.gone.insert(ExhibitId(2), "photos/b.jpg".into());
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(LOCK_FILE), lock.to_text()).unwrap();
        assert_eq!(Lock::read(dir.path()).unwrap(), lock);
    }

    #[test]
    fn a_damaged_lock_is_named_not_guessed() {
        let dir = tempfile::tempdir().unwrap();
        for (text, why) in [
            (
                "[numbers]\nE01 = \"a.jpg\"\nE02 = \"a.jpg\"\n",
                "two numbers",
            ),
            ("[numbers]\nX1 = \"a.jpg\"\n", "not an exhibit number"),
            (
                "[numbers]\nE01 = \"a.jpg\"\n[gone]\nE01 = \"b.jpg\"\n",
                "both in use and gone",
            ),
            ("numbers = 3", "invalid type"),
        ] {
            std::fs::write(dir.path().join(LOCK_FILE), text).unwrap();
            let error = Lock::read(dir.path()).unwrap_err().to_string();
            assert!(
                error.contains(why) && error.contains(LOCK_FILE),
                "{text}: {error}"
            );
        }
    }
}
