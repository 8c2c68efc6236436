//! The evidence checklist: for the case's reason, each piece of evidence a reviewer
//! expects, whether the case folder has it (and which exhibits), and how to capture
//! what is missing.
//!
//! The list is data (`knowledge/checklist.toml`). A file counts for an item when
//! case.toml tags it (`[[evidence]] shows = ["outer-packaging"]`), or when its kind fits
//! and its caption or name carries one of the item's words. Items without words take
//! the files of their kind that no worded item claimed, so one photo of a box does not
//! tick both "outer packaging" and "the damage".

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::model::{EvidenceKind, Exhibit, ExhibitId, KindSource, Reason};
use crate::templates::{TemplateError, Templates, parse_toml};

/// The checklist data for every reason.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirements {
    reason: BTreeMap<Reason, ReasonNeeds>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReasonNeeds {
    /// Words that identify this reason in a statement (see checklist.toml).
    pub key_phrases: Vec<String>,
    #[serde(rename = "item")]
    pub items: Vec<Requirement>,
}

/// One thing a reviewer expects to see.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    pub id: String,
    pub level: Level,
    pub kinds: Vec<EvidenceKind>,
    #[serde(default)]
    pub keywords: Vec<String>,
    pub what: String,
    pub how: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    Required,
    Recommended,
}

impl Requirements {
    pub fn load(templates: &Templates) -> Result<Self, TemplateError> {
        const NAME: &str = "checklist.toml";
        let text = templates.get(NAME)?;
        let requirements: Requirements = parse_toml(NAME, &text)?;
        for reason in Reason::ALL {
            let Some(needs) = requirements.reason.get(&reason) else {
                return Err(TemplateError::Invalid {
                    name: NAME.to_owned(),
                    line: 1,
                    message: format!("has no [reason.{reason}] table"),
                });
            };
            let mut ids = BTreeSet::new();
            if let Some(dup) = needs.items.iter().find(|i| !ids.insert(&i.id)) {
                return Err(TemplateError::Invalid {
                    name: NAME.to_owned(),
                    line: 1,
                    message: format!("[reason.{reason}] lists the item \"{}\" twice", dup.id),
                });
            }
        }
        Ok(requirements)
    }

    /// What one reason needs. Every reason has an entry (checked at load).
    pub fn for_reason(&self, reason: Reason) -> &ReasonNeeds {
        &self.reason[&reason]
    }
}

/// An evidence file as the checklist sees it: built from intake (before a build) or
/// from a sealed exhibit.
#[derive(Debug, Clone)]
pub struct EvidenceRef<'a> {
    pub id: ExhibitId,
    pub kind: EvidenceKind,
    pub kind_source: KindSource,
    pub source_name: &'a str,
    pub caption: Option<&'a str>,
    pub shows: &'a [String],
    pub bytes: u64,
    pub media_type: &'a str,
    /// Why the file is not whole, if it is not: such a file proves nothing.
    pub damaged: Option<&'a str>,
    /// What a capture shows instead of its page: it proves nothing either.
    pub not_the_page: Option<&'a str>,
    /// A photo's or video's Content Credentials, as checked.
    pub credentials: Option<&'a crate::model::ContentCredentials>,
}

impl<'a> From<&'a Exhibit> for EvidenceRef<'a> {
    fn from(e: &'a Exhibit) -> Self {
        EvidenceRef {
            id: e.id,
            kind: e.kind,
            kind_source: e.kind_source,
            source_name: &e.source_name,
            caption: e.caption.as_deref(),
            shows: &e.shows,
            bytes: e.bytes,
            media_type: &e.media_type,
            damaged: e.damaged.as_deref(),
            not_the_page: e.not_the_page.as_deref(),
            credentials: e.content_credentials.as_deref(),
        }
    }
}

impl<'a> From<&'a crate::intake::SourceFile> for EvidenceRef<'a> {
    fn from(f: &'a crate::intake::SourceFile) -> Self {
        EvidenceRef {
            id: f.id,
            kind: f.kind,
            kind_source: f.kind_source,
            source_name: &f.source_name,
            caption: f.caption.as_deref(),
            shows: &f.shows,
            bytes: f.bytes,
            media_type: &f.sniffed.media_type,
            damaged: f.damaged.as_deref(),
            not_the_page: f.not_the_page.as_deref(),
            credentials: None,
        }
    }
}

/// One line of the checklist.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub id: String,
    pub level: Level,
    pub present: bool,
    /// The exhibits that show it, with why each counts.
    pub exhibits: Vec<Match>,
    pub what: String,
    /// How to capture it; shown while it is missing.
    pub how: String,
}

/// An exhibit that counts for an item.
#[derive(Debug, Clone, Serialize)]
pub struct Match {
    pub id: ExhibitId,
    pub why: String,
    /// Whether the statement may cite it as showing this item: the buyer tagged it,
    /// or its caption names this item and no other. A folder says only what kind of
    /// file it is (a video is not yet "the unboxing"), and a caption word that could
    /// mean several items is enough to tick the checklist, never to cite: "Model
    /// number on the box" is no photo of the packaging.
    pub proof: bool,
}

/// The checklist of a case.
#[derive(Debug, Clone, Serialize)]
pub struct Checklist {
    pub items: Vec<Item>,
    /// `shows` tags that name no item of this reason.
    pub unknown_tags: Vec<String>,
}

impl Checklist {
    /// Whether every required item is present.
    pub fn complete(&self) -> bool {
        self.missing_required().next().is_none()
    }

    pub fn missing_required(&self) -> impl Iterator<Item = &Item> {
        self.items
            .iter()
            .filter(|i| i.level == Level::Required && !i.present)
    }

    /// The exhibit ids that show an item, e.g. for "(Exhibits E01 and E02)".
    pub fn exhibits_for(&self, id: &str) -> Vec<ExhibitId> {
        self.items
            .iter()
            .find(|i| i.id == id)
            .map(|i| i.exhibits.iter().map(|m| m.id).collect())
            .unwrap_or_default()
    }
}

/// Lower-case words of a caption and file name, space-separated and space-padded, so
/// that a keyword matches at the start of a word ("box" in "box-front.jpg", "boxes").
fn words(evidence: &EvidenceRef) -> String {
    words_of(&format!(
        "{} {}",
        evidence.caption.unwrap_or(""),
        evidence.source_name
    ))
}

fn words_of(text: &str) -> String {
    let mut out = String::from(" ");
    for c in text.chars().flat_map(char::to_lowercase) {
        out.push(if c.is_alphanumeric() { c } else { ' ' });
    }
    out.push(' ');
    out
}

/// Whether a caption word makes a file citable for `item`: the word is in the
/// buyer's caption (not only the file name), the file is of the item's first kind,
/// and its words match no other item of the reason. "Outer box crushed on arrival"
/// is the packaging; a card statement captioned "no refund yet" that also reads as
/// the seller's refund agreement is cited for neither.
fn by_caption(item: &Requirement, e: &EvidenceRef, word: &str, items_matched: usize) -> bool {
    let in_caption = e
        .caption
        .is_some_and(|caption| words_of(caption).contains(&format!(" {}", word.to_lowercase())));
    in_caption && item.kinds.first() == Some(&e.kind) && items_matched == 1
}

/// Matches the evidence to what the reason needs.
pub fn build(needs: &ReasonNeeds, evidence: &[EvidenceRef]) -> Checklist {
    let mut matches: Vec<Vec<Match>> = vec![Vec::new(); needs.items.len()];
    let mut unknown_tags = Vec::new();
    let mut claimed: BTreeSet<ExhibitId> = BTreeSet::new();

    // Tagged files count exactly where the buyer put them.
    for e in evidence.iter().filter(|e| !e.shows.is_empty()) {
        claimed.insert(e.id);
        for tag in e.shows {
            match needs.items.iter().position(|i| &i.id == tag) {
                Some(index) => matches[index].push(Match {
                    id: e.id,
                    why: "tagged in case.toml".to_owned(),
                    proof: true,
                }),
                None => unknown_tags.push(format!("{} ({})", tag, e.id)),
            }
        }
    }
    // Then words in captions and names.
    let untagged: Vec<(&EvidenceRef, String)> = evidence
        .iter()
        .filter(|e| e.shows.is_empty())
        .map(|e| (e, words(e)))
        .collect();
    let mut by_words: Vec<(usize, usize, String)> = Vec::new();
    for (index, item) in needs.items.iter().enumerate() {
        if item.keywords.is_empty() {
            continue;
        }
        for (position, (e, text)) in untagged.iter().enumerate() {
            if !item.kinds.contains(&e.kind) {
                continue;
            }
            if let Some(word) = item
                .keywords
                .iter()
                .find(|k| text.contains(&format!(" {}", k.to_lowercase())))
            {
                by_words.push((index, position, word.clone()));
            }
        }
    }
    for (index, position, word) in &by_words {
        let (e, _) = &untagged[*position];
        let item = &needs.items[*index];
        let items_matched = by_words.iter().filter(|(_, p, _)| p == position).count();
        claimed.insert(e.id);
        matches[*index].push(Match {
            id: e.id,
            why: format!("its caption or name mentions \"{word}\""),
            proof: by_caption(item, e, word, items_matched),
        });
    }
    // Then items without words take the unclaimed files of their kind.
    for (index, item) in needs.items.iter().enumerate() {
        if !item.keywords.is_empty() {
            continue;
        }
        for (e, _) in &untagged {
            if item.kinds.contains(&e.kind) && !claimed.contains(&e.id) {
                matches[index].push(Match {
                    id: e.id,
                    why: format!("a {} file", e.kind),
                    // A folder says what kind of file it is, not what it shows.
                    proof: false,
                });
            }
        }
    }

    let items = needs
        .items
        .iter()
        .zip(matches)
        .map(|(item, mut exhibits)| {
            exhibits.sort_by_key(|m| m.id);
            exhibits.dedup_by_key(|m| m.id);
            Item {
                id: item.id.clone(),
                level: item.level,
                present: !exhibits.is_empty(),
                exhibits,
                what: item.what.clone(),
                how: item.how.clone(),
            }
        })
        .collect();
    Checklist {
        items,
        unknown_tags,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evidence<'a>(
        id: u32,
        kind: EvidenceKind,
        name: &'a str,
        caption: Option<&'a str>,
        shows: &'a [String],
    ) -> EvidenceRef<'a> {
        EvidenceRef {
            id: ExhibitId(id),
            kind,
            kind_source: KindSource::Folder,
            source_name: name,
            caption,
            shows,
            bytes: 1,
            media_type: "image/jpeg",
            damaged: None,
            not_the_page: None,
            credentials: None,
        }
    }

    #[test]
    fn one_box_photo_does_not_tick_the_damage_photo_too() {
        let requirements = Requirements::load(&Templates::builtin()).unwrap();
        let needs = requirements.for_reason(Reason::Damaged);
        let list = build(
            needs,
            &[evidence(
                1,
                EvidenceKind::Photo,
                "photos/IMG_1.jpg",
                Some("Outer box crushed"),
                &[],
            )],
        );
        let outer = &list
            .items
            .iter()
            .find(|i| i.id == "outer-packaging")
            .unwrap();
        let damage = &list.items.iter().find(|i| i.id == "item-damage").unwrap();
        assert!(outer.present);
        assert!(!damage.present);
        assert!(!list.complete());
    }

    #[test]
    fn tags_override_words_and_unknown_tags_are_reported() {
        let requirements = Requirements::load(&Templates::builtin()).unwrap();
        let needs = requirements.for_reason(Reason::Damaged);
        let tags = vec!["item-damage".to_owned(), "nonsense".to_owned()];
        let list = build(
            needs,
            &[evidence(
                1,
                EvidenceKind::Photo,
                "photos/box.jpg",
                None,
                &tags,
            )],
        );
        let outer = list
            .items
            .iter()
            .find(|i| i.id == "outer-packaging")
            .unwrap();
        let damage = list.items.iter().find(|i| i.id == "item-damage").unwrap();
        assert!(!outer.present, "a tagged file counts only where tagged");
        assert!(damage.present);
        assert_eq!(list.unknown_tags, vec!["nonsense (E01)".to_owned()]);
    }

    fn proof_ids(list: &Checklist, item: &str) -> Vec<u32> {
        list.items
            .iter()
            .find(|i| i.id == item)
            .unwrap()
            .exhibits
            .iter()
            .filter(|m| m.proof)
            .map(|m| m.id.0)
            .collect()
    }

    #[test]
    fn a_caption_word_is_no_proof_when_it_could_mean_another_item() {
        // guards: "The shipping label (Exhibits E01 and E02) shows…" where E01 was
        // "Model number on the box", and "The agreement to refund is in Exhibits E01
        // and E03" where E03 was the card statement.
        let requirements = Requirements::load(&Templates::builtin()).unwrap();
        let list = build(
            requirements.for_reason(Reason::WrongItem),
            &[
                evidence(
                    1,
                    EvidenceKind::Photo,
                    "photos/a.jpg",
                    Some("Model number on the box"),
                    &[],
                ),
                evidence(
                    2,
                    EvidenceKind::Photo,
                    "photos/b.jpg",
                    Some("Shipping label with my address"),
                    &[],
                ),
            ],
        );
        assert_eq!(proof_ids(&list, "package-label"), vec![2]);

        let list = build(
            requirements.for_reason(Reason::RefundNotReceived),
            &[
                evidence(
                    1,
                    EvidenceKind::Chat,
                    "chat/a.png",
                    Some("The seller agreed to refund"),
                    &[],
                ),
                evidence(
                    3,
                    EvidenceKind::Document,
                    "documents/c.pdf",
                    Some("Card statement, no refund"),
                    &[],
                ),
            ],
        );
        assert_eq!(proof_ids(&list, "refund-agreement"), vec![1]);
        // Its folder makes it a document, not yet the statement of no refund.
        assert!(proof_ids(&list, "bank-statement").is_empty());

        // A caption that names only the packaging is cited for it; a photo in
        // photos/ is not cited for the damage just because it is a photo.
        let list = build(
            requirements.for_reason(Reason::Damaged),
            &[
                evidence(
                    1,
                    EvidenceKind::Photo,
                    "photos/box.jpg",
                    Some("Outer box crushed on arrival"),
                    &[],
                ),
                evidence(2, EvidenceKind::Photo, "photos/IMG_2.jpg", None, &[]),
                evidence(3, EvidenceKind::Video, "videos/unboxing.mov", None, &[]),
            ],
        );
        assert_eq!(proof_ids(&list, "outer-packaging"), vec![1]);
        assert!(proof_ids(&list, "item-damage").is_empty());
        // guards: "I filmed the unboxing (Exhibit E03)" for an uncaptioned video.
        assert!(proof_ids(&list, "unboxing-video").is_empty());
    }
}
