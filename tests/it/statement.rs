//! The statement for every reason, pinned in English on AliExpress, PayPal and card
//! forms; and properties that must hold for any case.

use std::path::Path;

use claimpack::analysis::checklist::{EvidenceRef, Requirements};
use claimpack::analysis::{Knowledge, assess};
use claimpack::intake::case_file;
use claimpack::model::{Case, EvidenceKind, ExhibitId, Platform, Reason};
use claimpack::render::summary::{self, Statement};
use claimpack::templates::Templates;
use proptest::prelude::*;

/// A realistic case for a reason: dates and requests the reason would have.
fn case_toml(reason: Reason, platform: Platform) -> String {
    let in_hand = reason.item_in_hand();
    let mut toml = format!(
        "platform = \"{platform}\"\nreason = \"{reason}\"\n\n[order]\nid = \"8123456789012345\"\nplaced = 2026-10-02\nitem = \"Bluetooth speaker, black\"\nquantity = {}\nseller = \"XYZ Official Store\"\ntotal = \"34.99 USD\"\n\n[shipping]\n",
        if reason == Reason::MissingItems { 2 } else { 1 }
    );
    if reason != Reason::NotShipped {
        let number = if reason == Reason::NoTracking {
            "RB123456786GB"
        } else {
            "RB123456785GB"
        };
        toml.push_str(&format!(
            "tracking = [\"{number}\"]\ncarrier = \"Royal Mail\"\nshipped = 2026-10-04\n"
        ));
    }
    toml.push_str("expected_by = 2026-11-05\nprotection_ends = 2026-12-01\n");
    let shows = match reason {
        Reason::NotReceived => Some("Departed from sorting centre, Shenzhen, 2026-10-09"),
        Reason::DeliveredNotReceived => {
            Some("Delivered to parcel locker 0457, Springfield, 2026-10-27")
        }
        Reason::ReturnedToSender => Some("Returned to sender: address incomplete, 2026-10-30"),
        Reason::CustomsHeld => Some("Held by customs: awaiting payment of import duty"),
        _ => None,
    };
    if let Some(shows) = shows {
        toml.push_str(&format!("tracking_shows = \"{shows}\"\n"));
    }
    if in_hand {
        toml.push_str("delivered = 2026-10-28\n");
    }
    if reason == Reason::DeliveredNotReceived {
        toml.push_str("marked_delivered = 2026-10-27\n");
    }
    let request = match reason {
        Reason::NotAsDescribed => "resolution = \"partial-refund\"\namount = \"15.00 USD\"",
        Reason::WrongItem => "resolution = \"return-and-refund\"\namount = \"34.99 USD\"",
        Reason::Defective => "resolution = \"replacement\"",
        _ => "resolution = \"refund-only\"\namount = \"34.99 USD\"",
    };
    toml.push_str(&format!("\n[request]\n{request}\n"));
    toml.push_str(
        "\n[[contact]]\ndate = 2026-11-02\nchannel = \"platform chat\"\nsummary = \"Asked the seller to resolve the problem; no answer.\"\n",
    );
    toml.push_str(
        "\n[[contact]]\ndate = 2026-11-06\nchannel = \"platform chat\"\nsummary = \"The seller asked me to wait another 30 days.\"\n",
    );
    toml
}

fn parse(text: &str) -> Case {
    case_file::parse(Path::new("case.toml"), text.as_bytes().to_vec())
        .expect("test case parses")
        .case
}

/// One tagged exhibit per checklist item, captioned with what it shows.
struct Evidence {
    kind: EvidenceKind,
    name: String,
    caption: String,
    shows: Vec<String>,
}

fn evidence_for(reason: Reason, requirements: &Requirements) -> Vec<Evidence> {
    requirements
        .for_reason(reason)
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| Evidence {
            kind: item.kinds[0],
            name: format!("file-{i}"),
            caption: item.what.clone(),
            shows: vec![item.id.clone()],
        })
        .collect()
}

fn refs(evidence: &[Evidence]) -> Vec<EvidenceRef<'_>> {
    evidence
        .iter()
        .enumerate()
        .map(|(i, e)| EvidenceRef {
            id: ExhibitId(i as u32 + 1),
            kind: e.kind,
            source_name: &e.name,
            caption: Some(&e.caption),
            shows: &e.shows,
            bytes: 1000,
        })
        .collect()
}

fn statement(case: &Case, evidence: &[EvidenceRef]) -> Result<Statement, String> {
    let templates = Templates::builtin();
    let knowledge = Knowledge::load(&templates, case.platform).map_err(|e| e.to_string())?;
    let today = "2026-11-23".parse().unwrap();
    let assessment = assess(case, evidence, &knowledge, today);
    summary::render(
        &templates,
        &summary::Inputs {
            case,
            evidence,
            assessment: &assessment,
            profile: &knowledge.profile,
        },
    )
    .map_err(|e| e.to_string())
}

fn pinned_statements(platform: Platform) -> String {
    let requirements = Requirements::load(&Templates::builtin()).unwrap();
    let mut out = String::new();
    for reason in Reason::ALL {
        let case = parse(&case_toml(reason, platform));
        let evidence = evidence_for(reason, &requirements);
        let s = statement(&case, &refs(&evidence)).unwrap();
        out.push_str(&format!(
            "======== {reason} ========\n{}\n-------- form: {} of {} characters{} --------\n{}\n",
            s.full,
            s.form.chars,
            s.form.limit,
            if s.form.ascii_only { ", ASCII" } else { "" },
            s.form.text
        ));
    }
    out
}

#[test]
fn statements_for_every_reason_on_aliexpress() {
    insta::assert_snapshot!(pinned_statements(Platform::Aliexpress));
}

#[test]
fn statements_for_every_reason_on_paypal() {
    insta::assert_snapshot!(pinned_statements(Platform::Paypal));
}

#[test]
fn statements_for_every_reason_on_card() {
    insta::assert_snapshot!(pinned_statements(Platform::Card));
}

#[test]
fn a_failed_check_digit_is_stated_for_no_tracking() {
    let case = parse(&case_toml(Reason::NoTracking, Platform::Paypal));
    let s = statement(&case, &[]).unwrap();
    assert!(
        s.full
            .contains("RB123456786GB has the S10 format, but its check digit is wrong"),
        "{}",
        s.full
    );
}

#[test]
fn a_partial_refund_states_its_amount() {
    let case = parse(&case_toml(Reason::NotAsDescribed, Platform::Ebay));
    let s = statement(&case, &[]).unwrap();
    assert!(
        s.full
            .contains("I ask for a partial refund of 15.00 USD and will keep the item."),
        "{}",
        s.full
    );
}

#[test]
fn the_form_never_cuts_an_essential_sentence_instead_it_says_what_to_shorten() {
    let long_item = "x".repeat(480);
    let text = case_toml(Reason::Damaged, Platform::Aliexpress)
        .replace("Bluetooth speaker, black", &long_item)
        .replace("XYZ Official Store", &"y".repeat(480));
    let err = statement(&parse(&text), &[]).unwrap_err();
    assert!(err.contains("shorten order.item"), "{err}");
}

// ---- properties over generated cases ----

const WORDS: &[&str] = &[
    "blue", "cable", "speaker", "small", "front", "side", "left", "right", "plug", "cover",
    "Müller", "Łódź", "café", "naïve", "rosé", "box", "label", "screen", "strap", "lid",
];

fn phrase(max_words: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 1..=max_words).prop_map(|w| w.join(" "))
}

fn date(day: u32) -> String {
    // Days from 2026-10-01, kept in October–November.
    let date: jiff::civil::Date = "2026-10-01".parse().unwrap();
    let date = date
        .checked_add(jiff::Span::new().days(day as i64))
        .unwrap();
    date.to_string()
}

#[derive(Debug, Clone)]
struct Generated {
    toml: String,
    evidence: Vec<(EvidenceKind, String, Vec<String>)>,
}

fn generated_case() -> impl Strategy<Value = Generated> {
    let reason = prop::sample::select(Reason::ALL.to_vec());
    let platform = prop::sample::select(Platform::ALL.to_vec());
    let kinds = prop::sample::select(EvidenceKind::ALL.to_vec());
    (
        reason,
        platform,
        "[0-9]{6,20}",
        prop::option::of(phrase(12)),
        prop::option::of(phrase(4)),
        prop::option::of((1u32..50_000, prop::bool::ANY)),
        prop::collection::vec((0u32..50, phrase(25)), 0..6),
        prop::collection::vec((kinds, phrase(8), prop::bool::ANY), 0..12),
        prop::option::of(prop::sample::select(vec![
            "refund-only",
            "partial-refund",
            "return-and-refund",
            "replacement",
        ])),
        prop::collection::vec("[A-Z]{2}[0-9]{9}[A-Z]{2}|LP[0-9]{14}|1Z[0-9A-Z]{16}", 0..3),
    )
        .prop_map(
            |(reason, platform, id, item, seller, money, contacts, files, resolution, tracking)| {
                let mut toml = format!(
                    "platform = \"{platform}\"\nreason = \"{reason}\"\n[order]\nid = \"{id}\"\nplaced = 2026-10-01\n"
                );
                if let Some(item) = item {
                    toml.push_str(&format!("item = \"{item}\"\n"));
                }
                if let Some(seller) = seller {
                    toml.push_str(&format!("seller = \"{seller}\"\n"));
                }
                let total = money.map(|(cents, _)| format!("{}.{:02} EUR", cents / 100, cents % 100));
                if let Some(total) = &total {
                    toml.push_str(&format!("total = \"{total}\"\n"));
                }
                toml.push_str("[shipping]\n");
                if !tracking.is_empty() {
                    let quoted: Vec<String> = tracking.iter().map(|t| format!("\"{t}\"")).collect();
                    toml.push_str(&format!("tracking = [{}]\n", quoted.join(", ")));
                }
                if reason.item_in_hand() {
                    toml.push_str("delivered = 2026-10-20\n");
                }
                if let Some(resolution) = resolution {
                    toml.push_str(&format!("[request]\nresolution = \"{resolution}\"\n"));
                    if let Some((cents, half)) = money {
                        let asked = if half { cents / 2 } else { cents };
                        toml.push_str(&format!("amount = \"{}.{:02} EUR\"\n", asked / 100, asked % 100));
                    }
                }
                for (day, summary) in &contacts {
                    toml.push_str(&format!(
                        "[[contact]]\ndate = {}\nchannel = \"chat\"\nsummary = \"{summary}\"\n",
                        date(*day)
                    ));
                }
                let evidence = files
                    .into_iter()
                    .map(|(kind, caption, tagged)| {
                        let shows = if tagged { vec!["seller-chat".to_owned()] } else { vec![] };
                        (kind, caption, shows)
                    })
                    .collect();
                Generated { toml, evidence }
            },
        )
}

fn key_phrases_of_others(text: &str, reason: Reason, requirements: &Requirements) -> Vec<String> {
    summary::other_reason_phrases(text, requirements, reason)
        .into_iter()
        .map(|(r, p)| format!("{p} ({r})"))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn statements_hold_their_promises(generated in generated_case()) {
        let case = parse(&generated.toml);
        let evidence: Vec<Evidence> = generated
            .evidence
            .iter()
            .enumerate()
            .map(|(i, (kind, caption, shows))| Evidence {
                kind: *kind,
                name: format!("file-{i}.jpg"),
                caption: caption.clone(),
                shows: shows.clone(),
            })
            .collect();
        let evidence_refs = refs(&evidence);
        let s = statement(&case, &evidence_refs).map_err(TestCaseError::fail)?;
        let requirements = Requirements::load(&Templates::builtin()).unwrap();

        for (name, text) in [("full", &s.full), ("form", &s.form.text)] {
            for leftover in ["{{", "}}", "{%", "%}", "{#", "None", "null", "undefined", "|-", "1|", "2|"] {
                prop_assert!(!text.contains(leftover), "{name} contains {leftover:?}:\n{text}");
            }
            prop_assert!(text.contains(&case.order.id), "{name} lacks the order id:\n{text}");
            let others = key_phrases_of_others(text, case.reason, &requirements);
            prop_assert!(others.is_empty(), "{name} for {} uses {others:?}:\n{text}", case.reason);
            // Every exhibit cited exists.
            let cited = text
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| w.len() >= 3 && w.starts_with('E') && w[1..].bytes().all(|b| b.is_ascii_digit()));
            for id in cited {
                let n: usize = id[1..].parse().unwrap();
                prop_assert!(n >= 1 && n <= evidence.len(), "{name} cites {id}, which does not exist:\n{text}");
            }
        }
        if let Some(total) = &case.order.total {
            prop_assert!(s.full.contains(&total.to_string()), "the amount paid is missing:\n{}", s.full);
        }
        prop_assert!(s.form.chars <= s.form.limit as usize, "{} > {}", s.form.chars, s.form.limit);
        prop_assert_eq!(s.form.chars, s.form.text.trim_end().chars().count());
        let end = s.form.text.trim_end().trim_end_matches(['"', ')']);
        prop_assert!(end.ends_with(['.', '!', '?']), "form ends mid-sentence: {:?}", &s.form.text);
        if s.form.ascii_only {
            prop_assert!(s.form.text.is_ascii(), "not ASCII: {}", s.form.text);
        }
    }

    #[test]
    fn the_form_fits_short_limits_too(generated in generated_case(), limit in 400u32..2000) {
        // The same engine with a smaller box: still within it, still whole sentences.
        let case = parse(&generated.toml);
        let templates = Templates::builtin();
        let mut knowledge = Knowledge::load(&templates, case.platform).unwrap();
        knowledge.profile.text.limit.value = Some(limit);
        let today = "2026-11-23".parse().unwrap();
        let assessment = assess(&case, &[], &knowledge, today);
        let result = summary::render(&templates, &summary::Inputs {
            case: &case,
            evidence: &[],
            assessment: &assessment,
            profile: &knowledge.profile,
        });
        match result {
            Ok(s) => {
                prop_assert!(s.form.chars <= limit as usize);
                let end = s.form.text.trim_end().trim_end_matches(['"', ')']);
                prop_assert!(end.ends_with(['.', '!', '?']), "{:?}", s.form.text);
            }
            // Only when the essential sentences alone are longer than the box.
            Err(e) => prop_assert!(e.to_string().contains("essential sentences"), "{e}"),
        }
    }
}
