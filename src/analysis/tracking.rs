//! Tracking numbers: which carrier a number belongs to, and whether it passes its
//! check digit.
//!
//! The patterns, check-digit rules and test numbers are the data of
//! jkeen/tracking_number_data (MIT, see `data/tracking_number_data/LICENSE`), embedded
//! as published, plus claimpack's own `claimpack-extra.json` (Cainiao LP numbers). The
//! patterns use look-around, so they are compiled with fancy-regex. The rules follow
//! the reference implementation described in `CHECKSUM_ALGORITHMS.md`.
//!
//! A number that fails its check digit was mistyped or invented: that is evidence in a
//! no-tracking or delivered-not-received dispute. A number in no known format proves
//! nothing either way, and the wording says so.

use std::sync::OnceLock;

use fancy_regex::Regex;
use serde::{Deserialize, Serialize};

macro_rules! courier_files {
    ($($name:literal),* $(,)?) => {
        &[$(include_str!(concat!("../../data/tracking_number_data/couriers/", $name))),*]
    };
}

/// The embedded courier files.
const COURIER_FILES: &[&str] = courier_files!(
    "amazon.json",
    "canadapost.json",
    "canpar.json",
    "dhl.json",
    "dpd.json",
    "fedex.json",
    "gofo.json",
    "landmark.json",
    "lasership.json",
    "old_dominion.json",
    "ontrac.json",
    "purolator.json",
    "s10.json",
    "speedee.json",
    "ups.json",
    "usps.json",
    "yodel.json",
    "yunexpress.json",
);
const EXTRA: &str = include_str!("../../data/tracking_number_data/claimpack-extra.json");

/// What claimpack can say about one tracking number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrackingCheck {
    /// As written in case.toml.
    pub number: String,
    pub status: TrackingStatus,
    /// "UPS", "Royal Mail Group plc", …
    pub courier: Option<String>,
    /// The number format, e.g. "S10", "UPS", "Cainiao LP".
    pub format: Option<String>,
    /// "UPS Ground", "Letter Post Registered", …
    pub service: Option<String>,
    /// One sentence for a person.
    pub detail: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TrackingStatus {
    /// A known format whose check digit is right.
    Valid,
    /// A known format that has no check digit: only its shape could be checked.
    FormatOnly,
    /// It has the shape of a known format, but its check digit (or a code inside it)
    /// is wrong.
    Invalid,
    /// No known format; claimpack cannot say anything about it.
    Unknown,
}

#[derive(Deserialize)]
struct CourierFile {
    name: String,
    tracking_numbers: Vec<RawSpec>,
}

#[derive(Deserialize)]
struct RawSpec {
    id: Option<String>,
    name: String,
    #[serde(deserialize_with = "joined")]
    regex: String,
    #[serde(default)]
    validation: RawValidation,
    #[serde(default)]
    additional: Vec<Additional>,
    #[serde(default)]
    test_numbers: TestNumbers,
}

#[derive(Deserialize, Default)]
struct RawValidation {
    checksum: Option<Checksum>,
    additional: Option<Exists>,
    serial_number_format: Option<SerialFormat>,
}

/// Some formats checksum a serial with a prefix the printed number leaves out.
#[derive(Deserialize)]
struct SerialFormat {
    prepend_if: PrependIf,
}

#[derive(Deserialize)]
struct PrependIf {
    matches_regex: String,
    content: String,
}

#[derive(Deserialize)]
struct Exists {
    #[serde(default)]
    exists: Vec<String>,
}

#[derive(Deserialize, Clone)]
struct Checksum {
    name: String,
    #[serde(default)]
    weightings: Vec<u32>,
    modulo1: Option<u32>,
    modulo2: Option<u32>,
    evens_multiplier: Option<u32>,
    odds_multiplier: Option<u32>,
    #[serde(default)]
    reverse: bool,
}

#[derive(Deserialize)]
struct Additional {
    name: String,
    regex_group_name: String,
    lookup: Vec<Lookup>,
}

#[derive(Deserialize)]
struct Lookup {
    matches: Option<String>,
    matches_regex: Option<String>,
    name: Option<String>,
    courier: Option<String>,
}

/// The valid and invalid example numbers a format's data ships with.
#[derive(Deserialize, Default, Clone, Debug)]
pub struct TestNumbers {
    #[serde(default)]
    pub valid: Vec<String>,
    #[serde(default)]
    pub invalid: Vec<String>,
}

/// A compiled number format.
struct Spec {
    courier: String,
    id: String,
    name: String,
    pattern: Regex,
    checksum: Option<Checksum>,
    /// (when the serial matches this, prepend that) before checksumming.
    prepend: Option<(Regex, String)>,
    must_exist: Vec<String>,
    additional: Vec<(Additional, Vec<Option<Regex>>)>,
    tests: TestNumbers,
}

/// The regex is a string or a list of pieces to concatenate.
fn joined<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(s) => s,
        OneOrMany::Many(v) => v.concat(),
    })
}

/// The compiled data; built once. The data is part of the binary and tested, so a
/// failure here is a build defect: the offending format is left out rather than
/// taking the whole check down.
fn specs() -> &'static [Spec] {
    static SPECS: OnceLock<Vec<Spec>> = OnceLock::new();
    SPECS.get_or_init(|| {
        let mut specs = Vec::new();
        for text in COURIER_FILES.iter().chain(std::iter::once(&EXTRA)) {
            let Ok(file) = serde_json::from_str::<CourierFile>(text) else {
                continue;
            };
            for raw in file.tracking_numbers {
                let Ok(pattern) = Regex::new(&format!("^(?:{})$", raw.regex)) else {
                    continue;
                };
                let additional = raw
                    .additional
                    .into_iter()
                    .map(|a| {
                        let regexes = a
                            .lookup
                            .iter()
                            .map(|l| l.matches_regex.as_deref().and_then(|r| Regex::new(r).ok()))
                            .collect();
                        (a, regexes)
                    })
                    .collect();
                specs.push(Spec {
                    courier: file.name.clone(),
                    id: raw.id.unwrap_or_else(|| raw.name.clone()),
                    name: raw.name,
                    pattern,
                    checksum: raw.validation.checksum,
                    prepend: raw.validation.serial_number_format.and_then(|f| {
                        let regex = Regex::new(&f.prepend_if.matches_regex).ok()?;
                        Some((regex, f.prepend_if.content))
                    }),
                    must_exist: raw
                        .validation
                        .additional
                        .map(|e| e.exists)
                        .unwrap_or_default(),
                    additional,
                    tests: raw.test_numbers,
                });
            }
        }
        specs
    })
}

/// How one format judged a number.
struct Judgement<'a> {
    spec: &'a Spec,
    /// `None` when the format has no check digit.
    checksum_ok: Option<bool>,
    /// The lookups that must succeed (S10's country) did.
    codes_ok: bool,
    courier: Option<String>,
    service: Option<String>,
}

impl Judgement<'_> {
    fn valid(&self) -> bool {
        self.checksum_ok != Some(false) && self.codes_ok
    }
}

fn judge<'a>(spec: &'a Spec, number: &str) -> Option<Judgement<'a>> {
    let caps = spec.pattern.captures(number).ok()??;
    let group = |name: &str| -> Option<String> {
        caps.name(name)
            .map(|m| m.as_str().chars().filter(|c| !c.is_whitespace()).collect())
    };
    let checksum_ok =
        spec.checksum.as_ref().map(
            |checksum| match (group("SerialNumber"), group("CheckDigit")) {
                (Some(serial), Some(check)) => {
                    let serial = match &spec.prepend {
                        Some((when, prefix)) if when.is_match(&serial).unwrap_or(false) => {
                            format!("{prefix}{serial}")
                        }
                        _ => serial,
                    };
                    checksum_passes(checksum, &serial, &check)
                }
                _ => false,
            },
        );
    let mut codes_ok = true;
    let mut courier = None;
    let mut service = None;
    for (additional, regexes) in &spec.additional {
        let value = group(&additional.regex_group_name);
        let found = value.as_deref().and_then(|value| {
            additional
                .lookup
                .iter()
                .zip(regexes)
                .find(|(lookup, regex)| match (&lookup.matches, regex) {
                    (Some(exact), _) => exact == value,
                    (None, Some(regex)) => regex.is_match(value).unwrap_or(false),
                    (None, None) => false,
                })
                .map(|(lookup, _)| lookup)
        });
        if found.is_none() && spec.must_exist.contains(&additional.name) {
            codes_ok = false;
        }
        if let Some(lookup) = found {
            if lookup.courier.is_some() {
                courier.clone_from(&lookup.courier);
            }
            if additional.name == "Service Type" {
                service.clone_from(&lookup.name);
            }
        }
    }
    Some(Judgement {
        spec,
        checksum_ok,
        codes_ok,
        courier,
        service,
    })
}

/// Checks one number against every known format.
pub fn check(number: &str) -> TrackingCheck {
    let normalised = number.trim().to_uppercase();
    let judgements: Vec<Judgement> = specs()
        .iter()
        .filter_map(|spec| judge(spec, &normalised))
        .collect();
    let described = |j: &Judgement, status: TrackingStatus, detail: String| TrackingCheck {
        number: number.to_owned(),
        status,
        courier: Some(j.courier.clone().unwrap_or_else(|| j.spec.courier.clone())),
        format: Some(j.spec.name.clone()),
        service: j.service.clone(),
        detail,
    };
    if let Some(j) = judgements
        .iter()
        .find(|j| j.valid() && j.checksum_ok == Some(true))
    {
        let detail = format!("a valid {} number: its check digit is right", j.spec.name);
        return described(j, TrackingStatus::Valid, detail);
    }
    if let Some(j) = judgements.iter().find(|j| j.valid()) {
        let detail = format!(
            "has the {} format, which has no check digit: only its shape could be checked",
            j.spec.name
        );
        return described(j, TrackingStatus::FormatOnly, detail);
    }
    if let Some(j) = judgements.first() {
        let detail = if j.checksum_ok == Some(false) {
            format!(
                "has the {} format, but its check digit is wrong: the number was mistyped or is not a real {} number",
                j.spec.name, j.spec.name
            )
        } else {
            format!(
                "has the {} format, but the country or service code in it does not exist",
                j.spec.name
            )
        };
        return described(j, TrackingStatus::Invalid, detail);
    }
    TrackingCheck {
        number: number.to_owned(),
        status: TrackingStatus::Unknown,
        courier: None,
        format: None,
        service: None,
        detail: "is not in a format claimpack knows; that says nothing about whether it is real"
            .to_owned(),
    }
}

/// Whether a number is valid under one named format (its `id`, or its name when the
/// data gives no id). For tests against the dataset's own examples.
pub fn valid_as(format_id: &str, number: &str) -> Option<bool> {
    let normalised = number.trim().to_uppercase();
    let spec = specs().iter().find(|s| s.id == format_id)?;
    Some(judge(spec, &normalised).is_some_and(|j| j.valid()))
}

/// Every format's id and its example numbers.
pub fn dataset_examples() -> Vec<(String, TestNumbers)> {
    specs()
        .iter()
        .map(|s| (s.id.clone(), s.tests.clone()))
        .collect()
}

/// The number of formats that compiled, for a test that none was lost.
pub fn format_count() -> usize {
    specs().len()
}

fn digit(c: char) -> u32 {
    c.to_digit(10).unwrap_or(0)
}

fn checksum_passes(checksum: &Checksum, serial: &str, check: &str) -> bool {
    let check_value = || check.parse::<u64>().ok();
    match checksum.name.as_str() {
        "s10" => {
            let total: u32 = serial
                .chars()
                .zip(&checksum.weightings)
                .map(|(c, w)| digit(c) * w)
                .sum();
            // UPU S10: 11 - (sum mod 11), where 10 becomes 0 and 11 becomes 5.
            let expected = match total % 11 {
                1 => 0,
                0 => 5,
                r => 11 - r,
            };
            check_value() == Some(u64::from(expected))
        }
        "mod7" => serial
            .parse::<u64>()
            .ok()
            .zip(check_value())
            .is_some_and(|(s, c)| s % 7 == c),
        "mod10" => {
            let chars: Vec<char> = if checksum.reverse {
                serial.chars().rev().collect()
            } else {
                serial.chars().collect()
            };
            let total: u32 = chars
                .iter()
                .enumerate()
                .map(|(i, &c)| {
                    let x = if c.is_ascii_digit() {
                        digit(c)
                    } else {
                        (c as u32).wrapping_sub(3) % 10
                    };
                    match (checksum.odds_multiplier, checksum.evens_multiplier) {
                        (Some(m), _) if i % 2 == 1 => x * m,
                        (_, Some(m)) if i % 2 == 0 => x * m,
                        _ => x,
                    }
                })
                .sum();
            let expected = (10 - total % 10) % 10;
            check_value() == Some(u64::from(expected))
        }
        "luhn" => {
            // The check digit makes serial+check pass Luhn: from the right of the
            // serial, every first, third, … digit is doubled.
            let total: u32 = serial
                .chars()
                .rev()
                .enumerate()
                .map(|(i, c)| {
                    let d = digit(c);
                    if i % 2 == 0 {
                        let doubled = d * 2;
                        doubled / 10 + doubled % 10
                    } else {
                        d
                    }
                })
                .sum();
            check_value() == Some(u64::from((10 - total % 10) % 10))
        }
        "sum_product_with_weightings_and_modulo" => {
            // The reference pairs every serial digit with a weight; a serial longer
            // than the weights is an error there, so it is invalid here.
            if serial.len() > checksum.weightings.len() {
                return false;
            }
            let total: u32 = serial
                .chars()
                .zip(&checksum.weightings)
                .map(|(c, w)| digit(c) * w)
                .sum();
            match (checksum.modulo1, checksum.modulo2) {
                (Some(m1), Some(m2)) if m1 > 0 && m2 > 0 => {
                    check_value() == Some(u64::from(total % m1 % m2))
                }
                _ => false,
            }
        }
        "mod_37_36" => {
            // ISO 7064 MOD 37,36, as DPD's label specification defines it.
            let value = |c: char| c.to_digit(36);
            let mut cd: u32 = 36;
            for c in serial.chars() {
                let Some(v) = value(c) else { return false };
                cd += v;
                if cd > 36 {
                    cd -= 36;
                }
                cd *= 2;
                if cd > 36 {
                    cd -= 37;
                }
            }
            let mut cd = 37 - cd;
            if cd == 36 {
                cd = 0;
            }
            std::char::from_digit(cd, 36)
                .is_some_and(|c| c.to_ascii_uppercase().to_string() == check)
        }
        // A rule this code does not know fails closed: the number is not called valid.
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_in_the_data_compiles() {
        let files: usize = COURIER_FILES
            .iter()
            .chain(std::iter::once(&EXTRA))
            .map(|t| {
                serde_json::from_str::<CourierFile>(t)
                    .expect("courier file parses")
                    .tracking_numbers
                    .len()
            })
            .sum();
        assert_eq!(format_count(), files);
    }

    #[test]
    fn s10_check_digit_maps_ten_to_zero_and_eleven_to_five() {
        // guards: the two special cases of the UPU S10 rule.
        let w = [8, 6, 4, 2, 3, 5, 9, 7];
        let find = |remainder: u32| {
            (0..100_000_000u32)
                .step_by(7919)
                .map(|n| format!("{n:08}"))
                .find(|s| {
                    s.chars().zip(&w).map(|(c, w)| digit(c) * w).sum::<u32>() % 11 == remainder
                })
                .expect("a serial with that remainder")
        };
        let serial_r1 = find(1);
        let serial_r0 = find(0);
        assert_eq!(
            check(&format!("RR{serial_r1}0GB")).status,
            TrackingStatus::Valid
        );
        assert_eq!(
            check(&format!("RR{serial_r0}5GB")).status,
            TrackingStatus::Valid
        );
        assert_eq!(
            check(&format!("RR{serial_r0}0GB")).status,
            TrackingStatus::Invalid
        );
    }

    #[test]
    fn a_cainiao_number_is_recognised_by_shape() {
        let result = check("LP00432912345678");
        assert_eq!(result.status, TrackingStatus::FormatOnly);
        assert_eq!(result.courier.as_deref(), Some("Cainiao"));
    }

    #[test]
    fn an_s10_number_names_its_postal_service() {
        let result = check("RB123456785GB");
        assert_eq!(result.status, TrackingStatus::Valid);
        assert_eq!(result.format.as_deref(), Some("S10"));
        assert_eq!(result.courier.as_deref(), Some("Royal Mail Group plc"));
        let bad = check("RB123456786GB");
        assert_eq!(bad.status, TrackingStatus::Invalid);
        assert!(bad.detail.contains("check digit"), "{}", bad.detail);
    }

    #[test]
    fn gibberish_is_unknown_not_invalid() {
        assert_eq!(check("hello world").status, TrackingStatus::Unknown);
        assert_eq!(check("").status, TrackingStatus::Unknown);
    }
}

#[cfg(test)]
mod dataset {
    use super::*;

    #[test]
    fn every_example_in_the_dataset_is_classified_as_the_dataset_says() {
        let mut failures = Vec::new();
        let mut count = 0;
        for (id, tests) in dataset_examples() {
            for number in &tests.valid {
                count += 1;
                if valid_as(&id, number) != Some(true) {
                    failures.push(format!("{id}: {number:?} should be valid"));
                }
            }
            for number in &tests.invalid {
                count += 1;
                if valid_as(&id, number) != Some(false) {
                    failures.push(format!("{id}: {number:?} should be invalid"));
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {count} wrong:\n{}",
            failures.len(),
            failures.join("\n")
        );
        assert!(count > 200, "only {count} examples");
    }
}
