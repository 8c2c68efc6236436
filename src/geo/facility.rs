//! What kind of place a tracking page's words name besides the town: a carrier's
//! sorting centre, a post office, a parcel locker or a pickup point. A reviewer reads
//! "a sorting centre in Shenzhen" very differently from "Shenzhen", and tracking pages
//! say it in their own language ("сортировочный центр", "Oficina de Correos",
//! "Packstation"), so the words are matched after folding, in the languages buyers'
//! tracking pages are most often in.
//!
//! Only these kinds, and only from words that say so; a status ("Left with
//! Individual", "已签收") is not a kind of place and is left to the quote.

use serde::{Deserialize, Serialize};

use super::fold;

/// A kind of delivery point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Facility {
    SortingCentre,
    PostOffice,
    ParcelLocker,
    PickupPoint,
}

impl Facility {
    /// "a sorting centre", as the statement writes it before "in Shenzhen, China".
    pub fn describe(self) -> &'static str {
        match self {
            Self::SortingCentre => "a carrier's sorting centre",
            Self::PostOffice => "a post office",
            Self::ParcelLocker => "a parcel locker",
            Self::PickupPoint => "a pickup point",
        }
    }
}

/// Folded words that name each kind; the first kind found in the text wins, so
/// the more specific kinds come first.
const WORDS: &[(Facility, &[&str])] = &[
    (
        Facility::ParcelLocker,
        &[
            "parcel locker",
            "packstation",
            "paczkomat",
            "postamat",
            "pochtamat",
            "kuai di gui",
            "zhi neng gui",
            "casier",
            "consigne",
            "locker",
        ],
    ),
    (
        Facility::PickupPoint,
        &[
            "pickup point",
            "pick up point",
            "paketshop",
            "point relais",
            "punto de recogida",
            "punto di ritiro",
            "punkt odbioru",
            "punkt vydachi",
            "ponto de recolha",
            "pudo",
            "cai niao yi zhan",
            "kuai di dian",
        ],
    ),
    (
        Facility::SortingCentre,
        &[
            "sorting center",
            "sorting centre",
            "distribution center",
            "distribution centre",
            "processing center",
            "processing centre",
            "processing facility",
            "mail processing",
            "mail center",
            "mail centre",
            "network distribution",
            "sortirovochnyi",
            "sortirovochnyi tsentr",
            "fen jian zhong xin",
            "fen bo zhong xin",
            "paketzentrum",
            "verteilzentrum",
            "briefzentrum",
            "centre de tri",
            "plateforme",
            "centro de distribucion",
            "centro de tratamiento",
            "centro de clasificacion",
            "centro de distribuicao",
            "centro di smistamento",
            "sortownia",
            "centrum logistyczne",
        ],
    ),
    (
        Facility::PostOffice,
        &[
            "post office",
            "oficina de correos",
            "oficina postal",
            "agencia dos correios",
            "agencia de correios",
            "bureau de poste",
            "postfiliale",
            "postamt",
            "ufficio postale",
            "urzad pocztowy",
            "placowka pocztowa",
            "pochtovoe otdelenie",
            "otdelenie pochtovoi sviazi",
            "you ju",
            "you zheng ju",
            "postkantoor",
        ],
    ),
];

/// The kind of place the words name, if they name one.
pub fn facility(text: &str) -> Option<Facility> {
    let words: Vec<String> = fold::words(text).into_iter().map(|w| w.text).collect();
    WORDS.iter().find_map(|(kind, phrases)| {
        phrases
            .iter()
            .any(|phrase| {
                let wanted: Vec<&str> = phrase.split(' ').collect();
                words
                    .windows(wanted.len())
                    .any(|run| run.iter().map(String::as_str).eq(wanted.iter().copied()))
            })
            .then_some(*kind)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_of_place_are_read_in_several_languages() {
        let cases = [
            (
                "SHENZHEN DISTRIBUTION CENTER",
                Some(Facility::SortingCentre),
            ),
            (
                "д. Малые Вязёмы, сортировочный центр",
                Some(Facility::SortingCentre),
            ),
            ("【广州分拣中心】", Some(Facility::SortingCentre)),
            (
                "SHANGHAI INTERNATIONAL MAIL PROCESSING CENTER",
                Some(Facility::SortingCentre),
            ),
            (
                "Oficina de Correos, CIUDAD DE MÉXICO",
                Some(Facility::PostOffice),
            ),
            (
                "DE-80331 MÜNCHEN Packstation 123",
                Some(Facility::ParcelLocker),
            ),
            (
                "Delivered to parcel locker, WROCŁAW",
                Some(Facility::ParcelLocker),
            ),
            ("Paczkomat KRA01M, Kraków", Some(Facility::ParcelLocker)),
            ("Paketshop, 10115 Berlin", Some(Facility::PickupPoint)),
            ("Delivered, Left with Individual, HOUSTON, TX", None),
            ("GUANGZHOU, CN", None),
            ("Postville", None),
        ];
        for (text, kind) in cases {
            assert_eq!(facility(text), kind, "{text}");
        }
    }
}
