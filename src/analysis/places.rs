//! Where tracking says the parcel was delivered, against where the buyer lives: both
//! read with the offline gazetteer, the distance between them, and what that means
//! for the case — far away is evidence in the buyer's favour; the buyer's own city
//! suggests a depot, post office or locker nearby.
//!
//! Nothing is guessed: a name several places share gives no distance and a question
//! for the buyer; a name not found leaves the statement quoting tracking as written.

use serde::{Deserialize, Serialize};

use super::consistency::{Finding, Severity};
use crate::geo::facility::{self, Facility};
use crate::geo::{self, How, Place, Query, Resolution, distance, gazetteer, map};
use crate::model::{Case, Reason};

/// Under this many kilometres, a place is "near" the buyer's.
pub const NEAR_KM: f64 = 50.0;

/// The two places and how they relate, as `check` prints them and manifest.json
/// records them (the upload kit reads them back from there for the exhibit book).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Places {
    /// The place tracking names (`shipping.delivered_to`).
    pub delivered_to: Located,
    /// The buyer's city (`[buyer]`), when given.
    pub buyer: Option<Located>,
    /// Between the two places' coordinates, on the WGS84 ellipsoid.
    pub distance_km: Option<f64>,
    /// "about 10,690 km".
    pub distance: Option<String>,
    pub relation: Option<Relation>,
    /// Where the places come from.
    pub dataset: String,
    pub dataset_version: String,
    pub credit: String,
}

/// A text from case.toml and the place it names.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Located {
    /// The case.toml field.
    pub field: String,
    /// As the buyer wrote it.
    pub text: String,
    #[serde(flatten)]
    pub resolution: Resolution,
    /// The kind of place the words name besides the town ("DISTRIBUTION CENTER",
    /// "Packstation"), for the place tracking names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facility: Option<Facility>,
}

impl Places {
    /// The distance as the report and the exhibit book state it.
    pub fn distance_line(&self) -> Option<String> {
        if self.relation == Some(Relation::SamePlace) {
            return Some("none: the same town as the buyer's".to_owned());
        }
        match (&self.distance, self.distance_km) {
            (Some(about), Some(km)) => Some(format!(
                "{about} in a straight line between the two places' centres ({km:.1} km on the WGS84 ellipsoid)"
            )),
            _ => None,
        }
    }

    /// The map of both places, when both were found and differ.
    pub fn map(&self) -> Option<map::Picture> {
        let there = self.delivered_to.place()?;
        let here = self.buyer.as_ref()?.place()?;
        if there.geonameid == here.geonameid {
            return None;
        }
        let pin = |place: &Place, label: String, role| map::Pin {
            latitude: place.latitude,
            longitude: place.longitude,
            country: place.country.clone(),
            label,
            role,
        };
        Some(map::draw(
            &pin(here, format!("{} (buyer)", here.name), map::Role::Buyer),
            &pin(
                there,
                format!("{} (tracking)", there.name),
                map::Role::Delivered,
            ),
        ))
    }

    /// Where the places and the map come from, as the report and the book credit them.
    pub fn credit_line(&self) -> String {
        format!(
            "{}; {} {}. {}.",
            self.credit,
            self.dataset,
            self.dataset_version,
            map::CREDIT
        )
    }
}

impl Located {
    /// What the text was read as: "Guangzhou, Guangdong, China (23.11667,
    /// 113.25000)", "21 places have this name, so no distance is given", …
    pub fn reading(&self) -> String {
        match &self.resolution {
            Resolution::Found { place, .. } => {
                let kind = self
                    .facility
                    .map(|kind| format!("{} in ", kind.describe()))
                    .unwrap_or_default();
                format!(
                    "{kind}{} ({:.5}, {:.5})",
                    place.with_region(),
                    place.latitude,
                    place.longitude
                )
            }
            Resolution::Ambiguous { count, .. } => {
                format!("{count} places have this name, so no distance is given")
            }
            Resolution::CountryOnly { country_name, .. } => {
                format!("{country_name}, but no town the gazetteer knows")
            }
            Resolution::SmallPlaceAbroad { place, .. } => format!(
                "not taken: only {}, a small town abroad, has such a name, and no country is given",
                place.with_region()
            ),
            Resolution::NotFound => "not a place the gazetteer knows".to_owned(),
            Resolution::NoPlace => "names no place".to_owned(),
        }
    }

    /// The place, when exactly one was found.
    pub fn place(&self) -> Option<&Place> {
        match &self.resolution {
            Resolution::Found { place, .. } => Some(place),
            _ => None,
        }
    }

    /// The country, when known (from a place or a bare country name).
    fn country(&self) -> Option<(&str, &str)> {
        match &self.resolution {
            Resolution::Found { place, .. } => Some((&place.country, &place.country_name)),
            Resolution::CountryOnly {
                country,
                country_name,
            } => Some((country, country_name)),
            _ => None,
        }
    }
}

/// How the delivery place stands to the buyer's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Relation {
    /// Tracking names the buyer's own town.
    SamePlace,
    /// Another place within `NEAR_KM`.
    Near,
    /// Farther.
    Far,
    /// No distance is known (only a country, or not the buyer's town), and the
    /// country is not the buyer's.
    OtherCountry,
    /// No distance is known, and the country is the buyer's.
    SameCountry,
}

/// Reads the case's places, when tracking names one, and says what a buyer should know.
pub fn assess(case: &Case) -> (Option<Places>, Vec<Finding>) {
    let mut findings = Vec::new();
    let buyer = case.buyer.clone().unwrap_or_default();
    let Some(delivered_text) = case.shipping.delivered_to.clone() else {
        if case.reason == Reason::DeliveredNotReceived {
            findings.push(note(
                Severity::Note,
                "shipping.delivered_to",
                "is not set: copy the place the tracking page gives for the delivery (city, post office or locker, as it is written there) and add your city and country under [buyer], so that the statement can say how far from you the parcel was \"delivered\"".to_owned(),
            ));
        }
        return (None, findings);
    };
    if case.reason == Reason::NotReceived {
        findings.push(note(
            Severity::Warning,
            "reason",
            "is not-received, but shipping.delivered_to gives a place of delivery: if the tracking page says the parcel was delivered there, choose delivered-not-received, whose checklist and form wording fit that; until then the statement says the parcel has not arrived and that tracking shows it there".to_owned(),
        ));
    }
    if !case.reason.delivered_elsewhere() {
        findings.push(note(
            Severity::Note,
            "shipping.delivered_to",
            format!(
                "is for a parcel tracking calls delivered that never reached you (delivered-not-received); the statement of a {} dispute leaves it out, and claimpack does not read it",
                case.reason
            ),
        ));
        return (None, findings);
    }
    let home = buyer.city.as_deref().map(|city| Located {
        field: "buyer.city".to_owned(),
        text: city.to_owned(),
        facility: None,
        resolution: geo::resolve(&Query {
            text: city,
            country: buyer.country.as_deref(),
            region: buyer.region.as_deref(),
            prefer: None,
        }),
    });
    let delivered = Located {
        field: "shipping.delivered_to".to_owned(),
        text: delivered_text.clone(),
        facility: facility::facility(&delivered_text),
        resolution: geo::resolve(&Query {
            text: &delivered_text,
            prefer: home
                .as_ref()
                .and_then(|h| h.place())
                .map(|p| p.country.as_str())
                .or(buyer.country.as_deref()),
            ..Query::default()
        }),
    };

    findings.extend(delivered_findings(&delivered, buyer.country.as_deref()));
    match &home {
        Some(home) => findings.extend(home_findings(home, buyer.country.as_deref())),
        None => findings.push(note(
            Severity::Note,
            "buyer.city",
            "is not set: add city and country (ISO code, like PT) under [buyer], so that the statement can say how far from you tracking says the parcel was delivered".to_owned(),
        )),
    }

    let (distance_km, relation) = match (delivered.place(), home.as_ref().and_then(Located::place))
    {
        (Some(there), Some(here)) => {
            let km = distance::kilometres(
                (here.latitude, here.longitude),
                (there.latitude, there.longitude),
            );
            let relation = if there.geonameid == here.geonameid {
                Relation::SamePlace
            } else if km < NEAR_KM {
                Relation::Near
            } else {
                Relation::Far
            };
            (Some(km), Some(relation))
        }
        _ => {
            let buyer_country = home
                .as_ref()
                .and_then(|h| h.country())
                .map(|(iso, _)| iso.to_owned())
                .or(buyer.country.clone());
            // Without a distance, the countries still compare.
            let relation = match (delivered.country(), buyer_country) {
                (Some((there, _)), Some(here)) => Some(if there == here {
                    Relation::SameCountry
                } else {
                    Relation::OtherCountry
                }),
                _ => None,
            };
            (None, relation)
        }
    };
    if let (Some(relation), Some(there)) = (relation, delivered.country()) {
        findings.extend(relation_finding(
            relation,
            &delivered,
            home.as_ref(),
            there.1,
            distance_km,
        ));
    }
    let places = Places {
        delivered_to: delivered,
        buyer: home,
        distance: distance_km.map(distance::about),
        distance_km: distance_km.map(|km| (km * 10.0).round() / 10.0),
        relation,
        dataset: gazetteer::DATASET.to_owned(),
        dataset_version: gazetteer::VERSION.to_owned(),
        credit: gazetteer::CREDIT.to_owned(),
    };
    (Some(places), findings)
}

fn note(severity: Severity, field: &str, message: String) -> Finding {
    Finding {
        severity,
        field: field.to_owned(),
        message,
    }
}

/// "Springfield, Missouri, United States; Springfield, Massachusetts, United States;
/// and 19 more".
fn candidate_list(candidates: &[Place], count: usize) -> String {
    let mut listed: Vec<String> = candidates.iter().map(Place::with_region).collect();
    if count > candidates.len() {
        listed.push(format!("and {} more", count - candidates.len()));
    }
    listed.join("; ")
}

/// How a region is best written back: its own code when that is letters (IL), else
/// its name (Guangdong).
fn region_hint(place: &Place) -> Option<String> {
    match (&place.region_code, &place.region) {
        (Some(code), _) if code.len() <= 3 && code.bytes().all(|b| b.is_ascii_alphabetic()) => {
            Some(code.clone())
        }
        (_, Some(name)) => Some(name.to_uppercase()),
        _ => None,
    }
}

fn delivered_findings(delivered: &Located, buyer_country: Option<&str>) -> Vec<Finding> {
    let field = delivered.field.as_str();
    let text = &delivered.text;
    let mut out = Vec::new();
    match &delivered.resolution {
        Resolution::NoPlace => out.push(note(
            Severity::Warning,
            field,
            format!(
                "\"{text}\" names no place (only words such as \"delivered\" or a postcode): copy the town, post office or locker the tracking page gives for the delivery; until then the statement does not say where"
            ),
        )),
        Resolution::SmallPlaceAbroad { place, matched } => out.push(note(
            Severity::Warning,
            field,
            format!(
                "in \"{text}\", only \"{matched}\" names a place claimpack knows: {}, a small town abroad, and the tracking page names no country. It is not taken as the place of delivery (a coincidence of names would claim a delivery far away): the statement quotes the page as written. If the page does mean that town, add its country (delivered_to = \"{text}, {}\")",
                place.with_region(),
                place.country
            ),
        )),
        Resolution::NotFound => out.push(note(
            Severity::Warning,
            field,
            format!(
                "\"{text}\" names no place claimpack can find offline (GeoNames places of 1,000 people or more, in any script): the statement quotes it as written, without a distance. If the tracking page spells the city another way, or names its country, copy that too."
            ),
        )),
        Resolution::Ambiguous {
            candidates, count, ..
        } => {
            let example = candidates
                .first()
                .and_then(|p| {
                    let region = region_hint(p)?;
                    let country = if Some(p.country.as_str()) == buyer_country {
                        String::new()
                    } else {
                        format!(", {}", p.country)
                    };
                    Some(format!(
                        " (for example delivered_to = \"{}, {region}{country}\")",
                        text.to_uppercase()
                    ))
                })
                .unwrap_or_default();
            out.push(note(
                Severity::Warning,
                field,
                format!(
                    "\"{text}\" could be any of {count} places: {}. No distance is stated until it is clear which: add the region or country as the tracking page shows it{example}.",
                    candidate_list(candidates, *count)
                ),
            ));
        }
        Resolution::Found { place, how, .. } => match how {
            How::Only => {}
            How::Largest { of, next } => out.push(note(
                Severity::Note,
                field,
                format!(
                    "\"{text}\" is read as {}, the largest of {of} places of that name (the next is {}, a tenth its size or less); if the tracking page means another, add its region or country as the page shows it",
                    place.with_region(),
                    next.with_region()
                ),
            )),
            How::PreferredCountry { instead } => out.push(note(
                Severity::Note,
                field,
                format!(
                    "\"{text}\" is read as {}, in your own country, because the tracking page names no country; {} has the same name: if the page means that one, add its country as the page shows it (delivered_to = \"{text}, {}\")",
                    place.with_region(),
                    instead.with_region(),
                    instead.country
                ),
            )),
        },
        Resolution::CountryOnly { country_name, .. } => out.push(note(
            Severity::Note,
            field,
            format!(
                "\"{text}\" names a country ({country_name}) but no town claimpack can find: the statement says the country, without a distance"
            ),
        )),
    }
    out
}

fn home_findings(home: &Located, buyer_country: Option<&str>) -> Vec<Finding> {
    let text = &home.text;
    let mut out = Vec::new();
    match &home.resolution {
        Resolution::NotFound
        | Resolution::NoPlace
        | Resolution::SmallPlaceAbroad { .. }
        | Resolution::CountryOnly { .. } => {
            let within = buyer_country
                .and_then(gazetteer::country)
                .map(|c| format!(" in {}", c.name))
                .unwrap_or_default();
            out.push(note(
                Severity::Warning,
                "buyer.city",
                format!(
                    "\"{text}\" is not a place claimpack can find{within} (GeoNames places of 1,000 people or more): write your town as it appears on a map, in English or the local language, or the nearest larger town; until then no distance is stated"
                ),
            ));
        }
        Resolution::Ambiguous {
            candidates, count, ..
        } => {
            let (field, ask) = if buyer_country.is_none()
                && candidates
                    .iter()
                    .any(|c| c.country != candidates[0].country)
            {
                (
                    "buyer.country",
                    "add country (the ISO code, like US) under [buyer]",
                )
            } else {
                (
                    "buyer.region",
                    "add region under [buyer] (the state or province)",
                )
            };
            let example = candidates
                .first()
                .and_then(|p| p.region.as_ref())
                .map(|r| format!(", for example region = \"{r}\""))
                .unwrap_or_default();
            out.push(note(
                Severity::Warning,
                field,
                format!(
                    "your city \"{text}\" could be any of {count} places: {}. {ask}{example}; until then no distance is stated",
                    candidate_list(candidates, *count)
                ),
            ));
        }
        Resolution::Found { place, how, .. } => {
            if let How::Largest { of, next } = how {
                out.push(note(
                    Severity::Note,
                    "buyer.city",
                    format!(
                        "\"{text}\" is read as {}, the largest of {of} places of that name (the next is {}); if you live in another, add region (and country) under [buyer]",
                        place.with_region(),
                        next.with_region()
                    ),
                ));
            }
            if buyer_country.is_none() {
                out.push(note(
                    Severity::Note,
                    "buyer.country",
                    format!(
                        "is not set; \"{text}\" is read as {}. Add country = \"{}\" under [buyer] to be sure",
                        place.with_region(),
                        place.country
                    ),
                ));
            }
        }
    }
    out
}

fn relation_finding(
    relation: Relation,
    delivered: &Located,
    home: Option<&Located>,
    country_name: &str,
    km: Option<f64>,
) -> Option<Finding> {
    // "a parcel locker in Munich, Germany" when the words say what kind of place.
    let there = delivered.place().map(|place| match delivered.facility {
        Some(kind) => format!("{} in {}", kind.describe(), place.name_in_full()),
        None => place.name_in_full(),
    });
    let here = home.and_then(Located::place).map(Place::name_in_full);
    let message = match (relation, there, here, km) {
        (Relation::SamePlace, Some(there), _, _) => match delivered.facility {
            Some(kind) => format!(
                "tracking names {there}, your own town: the parcel may be waiting there for you. Ask the carrier for the pickup code or notice, where exactly it was left and for their proof of delivery (signature, photo, GPS position) before you escalate; keep their answer as evidence ({} named by the tracking page)",
                kind.describe()
            ),
            None => format!(
                "tracking names your own town, {there}: the parcel may be waiting at a local depot, post office or parcel locker, or with a neighbour. Ask the carrier and the post office where it was left and for their proof of delivery (signature, photo, GPS position) before you escalate; keep their answer as evidence"
            ),
        },
        (Relation::Near, Some(there), Some(here), Some(km)) => format!(
            "tracking names {there}, {} from {here}: the parcel may have been left at a depot or pickup point in your area. Ask the carrier where, and for their proof of delivery, before you escalate",
            distance::about(km)
        ),
        (Relation::Far, Some(there), Some(here), Some(km)) => format!(
            "evidence in your favour: tracking names {there}, {} from {here} (between the two places' centres; a tracking page may name the carrier's depot rather than the door). The statement says so",
            distance::about(km)
        ),
        (Relation::OtherCountry, ..) => format!(
            "evidence in your favour: tracking names {country_name}, not the country you live in. The statement says so"
        ),
        _ => return None,
    };
    let severity = match relation {
        Relation::SamePlace | Relation::Near => Severity::Warning,
        _ => Severity::Note,
    };
    Some(note(severity, &delivered.field, message))
}
