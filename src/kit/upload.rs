//! `UPLOAD.txt`: the steps for this platform — the reason to choose, the text to
//! paste, the files in order, the limits applied with their sources, and what was
//! left out and why.

use super::contents::BookNotes;
use super::manifest::Manifest;
use super::{BOOK, Kit, KitFile};
use crate::analysis::upload::Limits;
use crate::model::Platform;
use crate::profile::Profile;
use crate::text::megabytes;

/// What the steps are written from.
pub struct Steps<'a> {
    pub kit: &'a Kit,
    pub profile: &'a Profile,
    pub manifest: &'a Manifest,
    pub limits: &'a Limits,
    pub book: &'a BookNotes,
    /// The platform the bundle's statement was written for.
    pub case_platform: Platform,
}

impl Steps<'_> {
    pub fn text(&self) -> String {
        let &Steps {
            kit,
            profile,
            manifest,
            limits,
            book,
            case_platform,
        } = self;
        let has_form = kit.files.iter().any(|f| f.name == "form.txt");
        let mut out = String::new();
        let mut line = |text: &str| {
            out.push_str(text);
            out.push('\n');
        };
        line(&format!("Upload kit for {} — {}", profile.name, kit.bundle));
        line(&format!(
            "Made from the sealed bundle with seal {}.",
            kit.seal
        ));
        let originals = kit.files.iter().any(is_original);
        line("Photos, screenshots and stills here are copies fitted for the form: upright,");
        line("without location or camera data. The originals, bit for bit, stay in the bundle.");
        if originals {
            line(
                "Files marked \"original\" are sealed originals, metadata (location too) included.",
            );
        }
        line("");
        let reason = profile
            .reasons
            .get(&manifest.case.reason)
            .and_then(|f| f.get().cloned());
        let mut step = 0;
        let mut next = |text: String, out: &mut dyn FnMut(&str)| {
            step += 1;
            out(&format!("{step}. {text}"));
        };
        match reason {
            Some(name) => next(format!("Choose the reason \"{name}\"."), &mut line),
            None => next(
                format!(
                    "Choose the reason closest to \"{}\".",
                    manifest.case.reason.meaning()
                ),
                &mut line,
            ),
        }
        if has_form {
            next(
                "Paste form.txt into the description box, unchanged.".to_owned(),
                &mut line,
            );
        } else {
            next(
                format!(
                    "No form.txt: the bundle's statement was written for {} and would say the wrong things to {}. Set platform = \"{}\" in case.toml and run `claimpack build` again for a statement and kit that fit.",
                    case_platform.display_name(),
                    profile.name,
                    profile.platform.slug()
                ),
                &mut line,
            );
        }
        let uploads: Vec<&KitFile> = kit.files.iter().filter(|f| f.from.is_some()).collect();
        if uploads.is_empty() {
            next(
                "There is no file to upload from this kit.".to_owned(),
                &mut line,
            );
        } else {
            next("Upload these files, in this order:".to_owned(), &mut line);
            for file in &uploads {
                let caption = file
                    .from
                    .as_ref()
                    .and_then(|from| manifest.items.iter().find(|i| i.id == from.exhibit))
                    .map(|item| {
                        item.caption
                            .clone()
                            .unwrap_or_else(|| crate::sanitize::visible(&item.source_name))
                    })
                    .unwrap_or_default();
                let still = file
                    .transform
                    .iter()
                    .find_map(|t| t.strip_prefix("still at "))
                    .map(|at| format!(" — still at {at}"))
                    .unwrap_or_default();
                let original = match (is_original(file), signed(file, manifest)) {
                    (true, true) => " — original, Content Credentials kept",
                    (true, false) => " — original",
                    (false, true) => " — copy, without the original's Content Credentials",
                    (false, false) => "",
                };
                line(&format!(
                    "     {}  ({})  {}{still}{original}",
                    file.name,
                    megabytes(file.bytes),
                    crate::sanitize::visible(&caption)
                ));
            }
        }
        if let Some(note) = credentials_note(kit, manifest) {
            line(&note);
        }
        if limits.pdf {
            next(
                format!(
                    "Upload {BOOK} ({} pages, {}): the case, the statement, the timeline and every exhibit with its hash.",
                    book.pages,
                    megabytes(book.pdf.len() as u64)
                ),
                &mut line,
            );
        } else {
            line(&format!(
                "   {BOOK} ({} pages) is for your records or to email: this form takes no PDF.",
                book.pages
            ));
        }
        for warning in &book.warnings {
            line(&format!("   Note: {warning}"));
        }
        if let Some(cap) = limits.max_total_bytes {
            let book_bytes = if limits.pdf { book.pdf.len() as u64 } else { 0 };
            let total = uploads.iter().map(|f| f.bytes).sum::<u64>() + book_bytes;
            let within = if total <= cap {
                format!("within the {} one submission takes", megabytes(cap))
            } else if limits.pdf {
                format!(
                    "over the {} one submission takes: upload {BOOK} first (it holds every picture), then the files in order while the form takes more",
                    megabytes(cap)
                )
            } else {
                format!(
                    "over the {} one submission takes: upload the files in order while the form takes more",
                    megabytes(cap)
                )
            };
            line(&format!(
                "   All of it together: {}, {within}.",
                megabytes(total)
            ));
        }
        line("");
        line("Limits applied:");
        for explained in &limits.explained {
            line(&format!("  - {explained}"));
        }
        let budget = kit
            .files
            .iter()
            .flat_map(|f| &f.transform)
            .find_map(|t| t.strip_prefix("budget "));
        if let Some(budget) = budget {
            line(&format!(
                "  - To keep within those, every picture was fitted under {budget} (the originals are untouched)."
            ));
        }
        if !kit.left_out.is_empty() {
            line("");
            line("Left out of this kit (the originals are in the bundle):");
            for left in &kit.left_out {
                line(&format!("  - {}: {}", left.exhibit, left.why));
            }
        }
        // The sources cited as [name] above, spelled out.
        let cited: Vec<(&String, &String)> = profile
            .sources
            .iter()
            .filter(|(name, _)| {
                limits
                    .explained
                    .iter()
                    .any(|e| e.contains(&format!("[{name}]")))
            })
            .collect();
        if !cited.is_empty() {
            line("");
            line("Sources:");
            for (name, source) in cited {
                line(&format!("  [{name}] {source}"));
            }
        }
        line("");
        line("Keep the bundle (.zip) itself: it is the proof that these files are unchanged.");
        out
    }
}

/// Which upload copies lost the Content Credentials their originals carry: any
/// re-encoded picture or still does, and a reviewer who checks the copy finds none.
fn credentials_note(kit: &Kit, manifest: &Manifest) -> Option<String> {
    let mut lost: Vec<String> = Vec::new();
    for file in &kit.files {
        let Some(from) = &file.from else { continue };
        if signed(file, manifest) && !is_original(file) && !lost.contains(&from.exhibit) {
            lost.push(from.exhibit.clone());
        }
    }
    if lost.is_empty() {
        return None;
    }
    Some(format!(
        "   Content Credentials: the upload {} of {} {} re-encoded and no longer {} the Content Credentials of the original; the sealed {} in the bundle {} them. A reviewer who wants to check them needs the original: offer the bundle on request.",
        if lost.len() == 1 { "copy" } else { "copies" },
        crate::text::and_list(&lost),
        if lost.len() == 1 { "was" } else { "were" },
        if lost.len() == 1 { "carries" } else { "carry" },
        if lost.len() == 1 {
            "original"
        } else {
            "originals"
        },
        if lost.len() == 1 { "keeps" } else { "keep" },
    ))
}

/// Whether a kit file is the sealed original passed through, not a copy.
fn is_original(file: &KitFile) -> bool {
    file.transform.iter().any(|t| t == "copy" || t == "zip")
}

/// Whether the exhibit a kit file comes from carries Content Credentials.
fn signed(file: &KitFile, manifest: &Manifest) -> bool {
    file.from
        .as_ref()
        .and_then(|from| manifest.items.iter().find(|i| i.id == from.exhibit))
        .is_some_and(super::manifest::Item::carries_credentials)
}
