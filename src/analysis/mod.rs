//! Analysis: what the case and its evidence say when put side by side, before anyone
//! else reads them — the evidence checklist for the reason, the platform's
//! deadlines, tracking-number checks, where tracking says the parcel went, the
//! language of the buyer's notes, and contradictions in the case. (The timeline, a document, is drawn by `render`.)
//!
//! Analysis only reads; it never changes the case or an exhibit. Its results go into
//! `claimpack check`, manifest.json, the report and the statement.

pub mod checklist;
pub mod consistency;
pub mod deadlines;
pub mod language;
pub mod places;
pub mod tracking;
pub mod upload;

use jiff::civil::Date;
use serde::Serialize;

use crate::model::{Case, Reason};
use crate::profile::{Condition, Fact, Profile};
use crate::templates::{TemplateError, Templates};
use checklist::{Checklist, EvidenceRef, Requirements};
use consistency::Finding;
use deadlines::Deadline;
use tracking::{TrackingCheck, TrackingStatus};

/// The data analysis needs about the platform and the reasons.
#[derive(Debug, Clone)]
pub struct Knowledge {
    pub profile: Profile,
    pub requirements: Requirements,
}

impl Knowledge {
    pub fn load(
        templates: &Templates,
        platform: crate::model::Platform,
    ) -> Result<Self, TemplateError> {
        Ok(Self {
            profile: Profile::load(templates, platform)?,
            requirements: Requirements::load(templates)?,
        })
    }
}

/// Everything `claimpack check` reports.
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    /// The day deadlines count from.
    pub today: String,
    pub platform: String,
    pub reason: Reason,
    /// What the platform calls this reason, and where that comes from.
    pub platform_reason: Fact<String>,
    pub checklist: Checklist,
    /// What the platform itself asks for with this reason.
    pub guidance: Option<Fact<String>>,
    pub deadlines: Vec<Deadline>,
    pub tracking: Vec<TrackingCheck>,
    /// Where tracking says the parcel was delivered, against where the buyer lives.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub places: Option<places::Places>,
    pub findings: Vec<Finding>,
    pub advice: Vec<AdviceLine>,
    /// What the upload kit will make of each exhibit for this platform.
    pub kit: Vec<upload::Planned>,
    /// The documents the facts above cite as `[name]`.
    pub sources: std::collections::BTreeMap<String, String>,
}

/// Whether a fact advice depends on holds for the case, from its structured fields.
fn condition_holds(case: &Case, condition: Condition, today: Date) -> bool {
    use crate::model::{Answer, Party, Proposal, Resolution};
    let seller_answered = |answers: &[Answer]| {
        case.contacts
            .iter()
            .any(|c| c.with == Party::Seller && c.answer.is_some_and(|a| answers.contains(&a)))
    };
    match condition {
        Condition::DisputeOpen => case.dispute.opened.is_some(),
        Condition::SellerProposal => {
            matches!(
                case.dispute.seller_proposal,
                Some(Proposal::NoReturnNoRefund | Proposal::PartialRefund)
            ) || seller_answered(&[Answer::AskedToClose])
        }
        Condition::Return => {
            case.request.as_ref().and_then(|r| r.resolution) == Some(Resolution::ReturnAndRefund)
        }
        Condition::SellerPromised => seller_answered(&[Answer::Promised, Answer::Agreed]),
        Condition::ProtectionNear => case.shipping.protection_ends.is_some_and(|ends| {
            let days = (ends - today).get_days();
            (0..=7).contains(&days)
        }),
        Condition::Returned => case.reason == Reason::ReturnedToSender,
    }
}

/// A warning that applies to this case.
#[derive(Debug, Clone, Serialize)]
pub struct AdviceLine {
    pub text: String,
    pub source: String,
}

impl Assessment {
    /// Tracking numbers that fail their check digit or code.
    pub fn invalid_tracking(&self) -> impl Iterator<Item = &TrackingCheck> {
        self.tracking
            .iter()
            .filter(|t| t.status == TrackingStatus::Invalid)
    }
}

/// Assesses a case and its evidence as of `today`.
pub fn assess(
    case: &Case,
    evidence: &[EvidenceRef],
    knowledge: &Knowledge,
    today: Date,
) -> Assessment {
    let profile = &knowledge.profile;
    // A damaged file is sealed, but it shows nothing a reviewer can open.
    let whole: Vec<EvidenceRef> = evidence
        .iter()
        .filter(|e| e.damaged.is_none() && e.not_the_page.is_none())
        .cloned()
        .collect();
    let checklist = checklist::build(knowledge.requirements.for_reason(case.reason), &whole);
    let tracking: Vec<TrackingCheck> = case
        .shipping
        .tracking
        .iter()
        .map(|n| tracking::check(n))
        .collect();
    let mut findings = consistency::check(case, today);
    findings.extend(evidence.iter().filter_map(|e| {
        Some(Finding {
            severity: consistency::Severity::Warning,
            field: format!("evidence \"{}\"", e.source_name),
            message: format!("{} is damaged: {}", e.id, e.damaged?),
        })
    }));
    findings.extend(evidence.iter().filter_map(|e| {
        Some(Finding {
            severity: consistency::Severity::Warning,
            field: format!("evidence \"{}\"", e.source_name),
            message: format!(
                "{} shows {}, not the {} page: it is kept but not counted; capture it again while signed in, or save the page from your browser into the case folder",
                e.id,
                e.not_the_page?,
                e.kind
            ),
        })
    }));
    let (places, place_findings) = places::assess(case);
    findings.extend(place_findings);
    for t in tracking
        .iter()
        .filter(|t| t.status == TrackingStatus::Invalid)
    {
        let use_of_it = if matches!(
            case.reason,
            Reason::NoTracking | Reason::DeliveredNotReceived
        ) {
            "the statement says so, as evidence; first make sure you copied it exactly"
        } else {
            "check that you copied it exactly from the order page"
        };
        findings.push(Finding {
            severity: consistency::Severity::Warning,
            field: "shipping.tracking".to_owned(),
            message: format!("{} {}; {use_of_it}", t.number, t.detail),
        });
    }
    let ascii_form = profile.text.ascii_only.get() == Some(&true);
    for foreign in language::foreign_fields(case) {
        let form = if foreign.latin || !ascii_form {
            "the statement quotes it as written"
        } else {
            "the full statement quotes it as written, and the form, which takes English characters only, leaves it out"
        };
        let message = if foreign.name {
            format!(
                "is written in {} (detected offline): if it has a name in Latin letters (the order page often shows one), use that; until then {form}",
                foreign.language
            )
        } else {
            format!(
                "is in {} (detected offline): the reviewer reads English, so write it in English; until then {form}",
                foreign.language
            )
        };
        findings.push(Finding {
            severity: consistency::Severity::Warning,
            field: foreign.field.clone(),
            message,
        });
    }
    // Files the statement cannot cite because their folder or caption could mean
    // more than one thing: the buyer can say which with `shows`.
    let needs = knowledge.requirements.for_reason(case.reason);
    for e in &whole {
        let cited = checklist
            .items
            .iter()
            .any(|i| i.exhibits.iter().any(|m| m.id == e.id && m.proof));
        let could: Vec<&str> = needs
            .items
            .iter()
            .filter(|i| i.kinds.contains(&e.kind))
            .map(|i| i.id.as_str())
            .collect();
        if !cited && !could.is_empty() {
            findings.push(Finding {
                severity: consistency::Severity::Note,
                field: format!("evidence \"{}\"", e.source_name),
                // No item is suggested by name: a buyer who copies the first one
                // would tick an item the file may not show.
                message: format!(
                    "{} is named in the statement only as a file of its kind: it could show {}; if it really shows one of them, add [[evidence]] path = \"{}\" with shows = [\"…\"] naming that one, and the statement will cite it for it",
                    e.id,
                    could.join(" or "),
                    e.source_name,
                ),
            });
        }
    }
    for tag in &checklist.unknown_tags {
        findings.push(Finding {
            severity: consistency::Severity::Warning,
            field: "evidence.shows".to_owned(),
            message: format!(
                "\"{tag}\" is not a checklist item for {}; the items are: {}",
                case.reason,
                checklist
                    .items
                    .iter()
                    .map(|i| i.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    }
    let holds = |condition: &Condition| condition_holds(case, *condition, today);
    let mut advice: Vec<AdviceLine> = profile
        .advice
        .iter()
        .filter(|a| a.applies.matches(case.reason))
        .filter(|a| a.when.iter().all(holds) && !a.unless.iter().any(holds))
        .map(|a| AdviceLine {
            text: a.text.clone(),
            source: a.source.clone(),
        })
        .collect();
    if tracking.iter().any(|t| t.status == TrackingStatus::Invalid) {
        advice.push(AdviceLine {
            text: "A tracking number that fails its check digit is evidence in itself: say so in the dispute, and ask the seller for the real number in writing.".to_owned(),
            source: "claimpack's advice (not a platform rule)".to_owned(),
        });
    }
    // Errors first, then warnings, then notes, whichever check found them.
    findings.sort_by_key(|f| f.severity);
    Assessment {
        today: today.to_string(),
        platform: profile.name.clone(),
        reason: case.reason,
        platform_reason: profile.reasons[&case.reason].clone(),
        guidance: profile.guidance.get(&case.reason).cloned(),
        deadlines: deadlines::compute(case, profile, today),
        tracking,
        places,
        findings,
        advice,
        kit: upload::plan_all(profile, evidence),
        sources: profile.sources.clone(),
        checklist,
    }
}
