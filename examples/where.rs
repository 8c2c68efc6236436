//! How the gazetteer reads place names, for trying spellings by hand:
//!
//!     cargo run --example where -- "GUANGZHOU, CN" "Санкт-Петербург 190000" SPRINGFIELD
//!     PREFER=CA cargo run --example where -- LONDON      # as for a buyer in Canada
//!
//! `PREFER` is the buyer's country (preferred when the text names none); `COUNTRY`
//! restricts the place to one country, as `[buyer] country` does for the buyer's town.

use claimpack::geo::{Query, Resolution, resolve};

fn main() {
    let prefer = std::env::var("PREFER").ok();
    let country = std::env::var("COUNTRY").ok();
    for text in std::env::args().skip(1) {
        let query = Query {
            text: &text,
            prefer: prefer.as_deref(),
            country: country.as_deref(),
            region: None,
        };
        let reading = match resolve(&query) {
            Resolution::Found {
                place,
                how,
                matched,
                ..
            } => format!(
                "{} ({:.5}, {:.5}; GeoNames {}) from \"{matched}\", {how:?}",
                place.with_region(),
                place.latitude,
                place.longitude,
                place.geonameid
            ),
            Resolution::Ambiguous {
                candidates, count, ..
            } => format!(
                "{count} places: {}",
                candidates
                    .iter()
                    .map(|p| p.with_region())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            Resolution::CountryOnly { country_name, .. } => {
                format!("only a country: {country_name}")
            }
            Resolution::NotFound => "not found".to_owned(),
            Resolution::NoPlace => "no place named".to_owned(),
            Resolution::SmallPlaceAbroad { place, .. } => {
                format!(
                    "not taken: only {}, a small town abroad",
                    place.with_region()
                )
            }
        };
        println!("{text} → {reading}");
    }
}
