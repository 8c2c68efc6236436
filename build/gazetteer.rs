//! Compacts the GeoNames tables under `data/geonames/` into the index that
//! `src/geo/gazetteer.rs` embeds: a fixed-size record per place, the places' names,
//! and a finite-state map from every folded name (main and alternate) to the places
//! that bear it. Folding is `src/geo/fold.rs`, the same code the lookups use.
//!
//! Record layout (little-endian, 24 bytes): geonameid u32, latitude i32 and longitude
//! i32 in 1e-5 degrees, population u32, name offset u32 into names.txt, country code
//! 2 ASCII bytes, admin1 u16 (line index in admin1.tsv, 0xFFFF when unknown).
//! A key's value is `main << 32 | place index` for a key one place bears, or with the
//! top bit set, `offset << 16 | count` into postings.bin (u32: `main << 31 | place
//! index`). `main` says the key is the place's own name, not one of its alternates.

use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::Path;

pub const RECORD: usize = 24;
pub const MANY: u64 = 1 << 63;
pub const NO_ADMIN1: u16 = u16::MAX;

fn data_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

pub fn build(data: &Path, out: &Path) {
    let admin1_text =
        fs::read_to_string(data.join("admin1.tsv")).expect("data/geonames/admin1.tsv");
    let admin1: HashMap<&str, u16> = data_lines(&admin1_text)
        .enumerate()
        .map(|(i, line)| {
            let code = line.split('\t').next().expect("admin1 code");
            (code, u16::try_from(i).expect("fewer than 65535 regions"))
        })
        .collect();
    let cities =
        fs::read_to_string(data.join("cities1000.tsv")).expect("data/geonames/cities1000.tsv");

    let mut records = Vec::new();
    let mut names = String::new();
    // (key, place, whether it is an alternate name): own names sort first.
    let mut keys: Vec<(String, u32, bool)> = Vec::new();
    for (index, line) in data_lines(&cities).enumerate() {
        let index = u32::try_from(index).expect("fewer than 4 billion places");
        let fields: Vec<&str> = line.split('\t').collect();
        let [id, name, lat, lon, country, region, population, alternates] = fields[..] else {
            panic!("cities1000.tsv: a line without 8 fields: {line}");
        };
        let degrees = |text: &str| -> i32 {
            let value: f64 = text.parse().expect("a coordinate");
            (value * 1e5).round() as i32
        };
        let offset = u32::try_from(names.len()).expect("names under 4 GiB");
        names.push_str(name);
        names.push('\n');
        records.extend_from_slice(&id.parse::<u32>().expect("geonameid").to_le_bytes());
        records.extend_from_slice(&degrees(lat).to_le_bytes());
        records.extend_from_slice(&degrees(lon).to_le_bytes());
        records.extend_from_slice(&population.parse::<u32>().expect("population").to_le_bytes());
        records.extend_from_slice(&offset.to_le_bytes());
        assert_eq!(country.len(), 2, "country code of {id}");
        records.extend_from_slice(country.as_bytes());
        let region = admin1
            .get(format!("{country}.{region}").as_str())
            .copied()
            .unwrap_or(NO_ADMIN1);
        records.extend_from_slice(&region.to_le_bytes());
        let own = std::iter::once((name, false));
        for (text, alternate) in own.chain(alternates.split('|').map(|a| (a, true))) {
            let key = super::fold::key(text);
            if !key.is_empty() {
                keys.push((key, index, alternate));
            }
        }
    }
    keys.sort_unstable();
    // A place once per key, as its own name when it is.
    keys.dedup_by(|later, earlier| later.0 == earlier.0 && later.1 == earlier.1);

    let mut map = fst::MapBuilder::memory();
    let mut postings: Vec<u8> = Vec::new();
    let mut start = 0;
    while start < keys.len() {
        let mut end = start + 1;
        while end < keys.len() && keys[end].0 == keys[start].0 {
            end += 1;
        }
        let main = |(_, place, alternate): &(String, u32, bool)| -> u32 {
            assert!(*place < 1 << 31, "place indexes fit in 31 bits");
            u32::from(!alternate) << 31 | place
        };
        let value = if end - start == 1 {
            let entry = main(&keys[start]);
            u64::from(entry >> 31) << 32 | u64::from(entry & !(1 << 31))
        } else {
            let offset = (postings.len() / 4) as u64;
            assert!(
                end - start < 1 << 16,
                "{} places share one name",
                end - start
            );
            for entry in &keys[start..end] {
                postings.extend_from_slice(&main(entry).to_le_bytes());
            }
            MANY | offset << 16 | (end - start) as u64
        };
        map.insert(&keys[start].0, value).expect("keys in order");
        start = end;
    }
    let write = |name: &str, bytes: &[u8]| {
        let mut file = fs::File::create(out.join(name)).expect("OUT_DIR is writable");
        file.write_all(bytes).expect("OUT_DIR is writable");
    };
    assert_eq!(records.len() % RECORD, 0);
    write("places.bin", &records);
    write("names.txt", names.as_bytes());
    write("keys.fst", &map.into_inner().expect("the index"));
    write("postings.bin", &postings);
}
