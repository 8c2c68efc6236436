//! Where tracking says the parcel was delivered: the place as tracking pages spell it
//! (capitals, postcodes, other scripts) and the buyer's town, read with the offline
//! gazetteer; the distance against an independent computation; ambiguity and unknown
//! places reported, not guessed; the map in the report (rendered by Chromium under
//! CLAIMPACK_INTEROP=1) and in the exhibit book; the data's credit.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::util::{self, asset, claimpack, run};

/// A delivered-not-received case in `dir/case` with a tracking page tagged as showing
/// the delivery.
fn dnr_case(dir: &Path, delivered_to: &str, buyer: &str) {
    let case = dir.join("case");
    fs::create_dir_all(case.join("tracking")).unwrap();
    fs::copy(
        asset("tracking-page.html"),
        case.join("tracking/tracking-page.html"),
    )
    .unwrap();
    let delivered_to = toml::Value::String(delivered_to.to_owned());
    fs::write(
        case.join("case.toml"),
        format!(
            r#"platform = "aliexpress"
reason = "delivered-not-received"

[order]
id = "8123456789012345"
placed = 2026-09-20
item = "Bluetooth speaker, black"
total = "34.99 USD"

[shipping]
tracking = ["LP00432912345678"]
shipped = 2026-09-25
marked_delivered = 2026-10-10
delivered_to = {delivered_to}

[request]
resolution = "refund-only"

[[evidence]]
path = "tracking/tracking-page.html"
shows = ["tracking-delivered"]

{buyer}
"#
        ),
    )
    .unwrap();
    util::pin_times(&case);
}

/// A fresh delivered-not-received case folder with these places.
fn case_with(delivered_to: &str, buyer: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    dnr_case(dir.path(), delivered_to, buyer);
    dir
}

/// `[buyer]` with a city and a country.
fn buyer(city: &str, country: &str) -> String {
    format!("[buyer]\ncity = \"{city}\"\ncountry = \"{country}\"")
}

/// Asserts that the statement of a case with these places holds `sentence`.
fn assert_states(delivered_to: &str, buyer: &str, sentence: &str) {
    let dir = case_with(delivered_to, buyer);
    let statement = summary(dir.path());
    assert!(
        statement.contains(sentence),
        "{delivered_to}: expected\n{sentence}\nin\n{statement}"
    );
}

fn check_json(dir: &Path) -> Value {
    let (code, out, err) =
        run(claimpack(dir).args(["check", "case", "--today", "2026-10-20", "--json"]));
    assert_eq!(code, 0, "{out}\n{err}");
    serde_json::from_str(&out).unwrap()
}

fn check_text(dir: &Path) -> String {
    let (code, out, err) = run(claimpack(dir).args(["check", "case", "--today", "2026-10-20"]));
    assert_eq!(code, 0, "{out}\n{err}");
    out
}

fn summary(dir: &Path) -> String {
    let (code, out, err) = run(claimpack(dir).args(["summary", "case", "--today", "2026-10-20"]));
    assert_eq!(code, 0, "{out}\n{err}");
    out
}

#[test]
fn places_spelled_as_tracking_pages_spell_them_give_the_geonames_distance() {
    // (delivered_to as a tracking page writes it, the buyer's town and country, the
    // place expected, the buyer's place expected, kilometres between them.) The
    // distances were computed independently from the GeoNames coordinates in
    // data/geonames/cities1000.tsv with Python's geographiclib 2.0
    // (Geodesic.WGS84.Inverse), not with claimpack.
    let pairs: &[(&str, &str, &str, &str, &str, f64)] = &[
        (
            "GUANGZHOU, CN",
            "Porto",
            "PT",
            "Guangzhou",
            "Porto",
            10711.0,
        ),
        (
            "Санкт-Петербург 190000",
            "Moscow",
            "RU",
            "Saint Petersburg",
            "Moscow",
            636.1,
        ),
        ("东莞市", "Madrid", "ES", "Dongguan", "Madrid", 10469.4),
        ("東京都", "Osaka", "JP", "Tokyo", "Osaka", 397.3),
        ("부산광역시", "Seoul", "KR", "Busan", "Seoul", 329.7),
        (
            "ΘΕΣΣΑΛΟΝΙΚΗ",
            "Athens",
            "GR",
            "Thessaloníki",
            "Athens",
            302.8,
        ),
        (
            "SAO PAULO - SP, 01000-000",
            "Rio de Janeiro",
            "BR",
            "São Paulo",
            "Rio de Janeiro",
            360.6,
        ),
        (
            "Delivered, In/At Mailbox, SPRINGFIELD, IL 62701",
            "Chicago",
            "US",
            "Springfield",
            "Chicago",
            282.9,
        ),
        (
            "DE-10115 BERLIN",
            "München",
            "DE",
            "Berlin",
            "Munich",
            505.1,
        ),
        ("WARSZAWA", "Kraków", "PL", "Warsaw", "Kraków", 252.7),
        ("القاهرة", "Alexandria", "EG", "Cairo", "Alexandria", 179.7),
        ("תל אביב", "Haifa", "IL", "Tel Aviv", "Haifa", 83.8),
        ("İSTANBUL", "Ankara", "TR", "Istanbul", "Ankara", 352.7),
        (
            "LOS ANGELES, CA 90001",
            "Tokyo",
            "JP",
            "Los Angeles",
            "Tokyo",
            8834.5,
        ),
        ("AUCKLAND, NZ", "Sydney", "AU", "Auckland", "Sydney", 2160.7),
        ("MUMBAI IN", "London", "GB", "Mumbai", "London", 7200.1),
    ];
    for &(written, city, country, there, here, km) in pairs {
        let dir = case_with(written, &buyer(city, country));
        let places = &check_json(dir.path())["places"];
        assert_eq!(
            places["delivered_to"]["status"], "found",
            "{written}: {places}"
        );
        assert_eq!(places["delivered_to"]["place"]["name"], there, "{written}");
        assert_eq!(places["buyer"]["place"]["name"], here, "{city}");
        assert_eq!(places["buyer"]["place"]["country"], country, "{city}");
        let measured = places["distance_km"].as_f64().unwrap();
        assert!(
            (measured - km).abs() <= km * 0.01,
            "{written} to {city}: {measured} km, GeoNames coordinates give {km} km"
        );
        let said = places["distance"].as_str().unwrap();
        assert!(
            said.starts_with("about ") && said.ends_with(" km"),
            "{said}"
        );
    }
}

#[test]
fn the_statement_check_and_manifest_say_where_and_how_far() {
    let dir = case_with("GUANGZHOU, CN", &buyer("Porto", "PT"));
    let statement = summary(dir.path());
    assert!(
        statement.contains(
            "The tracking (Exhibit E01) shows the delivery in Guangzhou, China, about 10,710 km from Porto, Portugal, where my shipping address is."
        ),
        "{statement}"
    );
    let check = check_text(dir.path());
    assert!(
        check.contains("tracking names  \"GUANGZHOU, CN\" → Guangzhou, Guangdong, China"),
        "{check}"
    );
    assert!(
        check.contains("distance        about 10,710 km, between the two places' centres"),
        "{check}"
    );
    assert!(check.contains("evidence in your favour"), "{check}");
    assert!(
        check.contains("GeoNames (https://www.geonames.org), CC BY 4.0"),
        "{check}"
    );

    let zip = util::build(dir.path());
    let manifest: Value = serde_json::from_slice(
        &util::read_entries(&zip)
            .into_iter()
            .find(|e| e.name.ends_with("data/manifest.json"))
            .unwrap()
            .data,
    )
    .unwrap();
    let places = &manifest["checklist"]["places"];
    let there = &places["delivered_to"]["place"];
    assert_eq!(there["name"], "Guangzhou");
    assert_eq!(there["region"], "Guangdong");
    assert_eq!(there["country"], "CN");
    assert_eq!(there["geonameid"], 1809858);
    assert_eq!(there["latitude"], 23.11667);
    assert_eq!(places["buyer"]["place"]["geonameid"], 2735943);
    assert_eq!(places["distance_km"], 10711.0);
    assert_eq!(places["dataset"], "GeoNames cities1000");
    assert!(
        places["dataset_version"]
            .as_str()
            .unwrap()
            .contains("3.0.2")
    );
    assert_eq!(places["relation"], "far");
    assert_eq!(
        manifest["case"]["shipping"]["delivered_to"],
        "GUANGZHOU, CN"
    );
}

#[test]
fn an_ambiguous_name_gives_no_distance_and_a_clear_question() {
    let dir = case_with("SPRINGFIELD", &buyer("Porto", "PT"));
    let places = check_json(dir.path())["places"].clone();
    assert_eq!(places["delivered_to"]["status"], "ambiguous");
    assert!(places["distance_km"].is_null());
    let check = check_text(dir.path());
    assert!(
        check.contains("\"SPRINGFIELD\" could be any of 21 places: Springfield, Missouri, United States; Springfield, Massachusetts, United States; Springfield, Illinois, United States"),
        "{check}"
    );
    assert!(
        check.contains("No distance is stated until it is clear which: add the region or country as the tracking page shows it (for example delivered_to = \"SPRINGFIELD, MO, US\")"),
        "{check}"
    );
    let statement = summary(dir.path());
    assert!(
        statement
            .contains("The tracking (Exhibit E01) shows the delivery as \"SPRINGFIELD\"; my shipping address is in Porto, Portugal."),
        "{statement}"
    );
    assert!(!statement.contains(" km"), "{statement}");

    // The buyer's own town, when its name is shared, asks for the region.
    let dir = case_with("GUANGZHOU, CN", &buyer("Springfield", "US"));
    let check = check_text(dir.path());
    assert!(
        check.contains("buyer.region: your city \"Springfield\" could be any of 20 places"),
        "{check}"
    );
    assert!(check.contains("region = \"Missouri\""), "{check}");
    assert!(!summary(dir.path()).contains(" km"));
    // With the region, it is settled.
    let dir = case_with(
        "GUANGZHOU, CN",
        &buyer("Springfield\"\nregion = \"IL", "US"),
    );
    let places = check_json(dir.path())["places"].clone();
    assert_eq!(places["buyer"]["place"]["region"], "Illinois");
    assert!(places["distance_km"].as_f64().unwrap() > 12_000.0);
}

#[test]
fn an_unknown_place_is_quoted_as_written_with_a_note() {
    let dir = case_with("LITTLE SNORING", &buyer("Norwich", "GB"));
    let check = check_text(dir.path());
    assert!(
        check.contains("\"LITTLE SNORING\" names no place claimpack can find offline"),
        "{check}"
    );
    assert!(
        check.contains("\"LITTLE SNORING\" → not a place the gazetteer knows"),
        "{check}"
    );
    let statement = summary(dir.path());
    assert!(
        statement.contains(
            "The tracking (Exhibit E01) shows the delivery as \"LITTLE SNORING\"; my shipping address is in Norwich, United Kingdom."
        ),
        "{statement}"
    );

    // guards: "HAMPSHIRE" was read as Hampshire, Illinois, 6,000 km from a buyer in
    // England, a claim the tracking page would have contradicted.
    let dir = case_with("NETHER WALLOP, HAMPSHIRE", &buyer("Southampton", "GB"));
    let check = check_text(dir.path());
    assert!(
        check.contains("only \"hampshire\" names a place claimpack knows: Hampshire, Illinois, United States, a small town abroad, and the tracking page names no country"),
        "{check}"
    );
    let statement = summary(dir.path());
    assert!(
        statement.contains("shows the delivery as \"NETHER WALLOP, HAMPSHIRE\"; my shipping address is in Southampton, United Kingdom.")
            && !statement.contains("Illinois")
            && !statement.contains(" km"),
        "{statement}"
    );
    assert!(check_json(dir.path())["places"]["distance_km"].is_null());

    // Words that name no place give no sentence at all.
    let dir = case_with("Delivered, In/At Mailbox", &buyer("Porto", "PT"));
    assert!(check_text(dir.path()).contains("names no place (only words such as"));
    assert!(!summary(dir.path()).contains("shows the delivery"));

    // A bare country other than the buyer's is said as such.
    assert_states(
        "CHINA",
        &buyer("Porto", "PT"),
        "The tracking (Exhibit E01) shows the delivery in China, not in Portugal, where my shipping address is.",
    );
    // A region and a country: the words are quoted, the country named.
    assert_states(
        "GUANGDONG, CN",
        &buyer("Porto", "PT"),
        "The tracking (Exhibit E01) shows the delivery as \"GUANGDONG, CN\", in China, not in Portugal, where my shipping address is.",
    );
}

#[test]
fn the_buyers_own_town_points_to_a_local_depot_and_near_places_say_so() {
    let dir = case_with("PORTO - CTT", &buyer("Porto", "PT"));
    let check = check_text(dir.path());
    assert!(
        check.contains("tracking names your own town, Porto, Portugal: the parcel may be waiting at a local depot, post office or parcel locker"),
        "{check}"
    );
    assert!(
        summary(dir.path()).contains(
            "The tracking (Exhibit E01) shows the delivery as \"PORTO - CTT\", which names no country; my shipping address is in Porto, Portugal, and the parcel did not reach me."
        ),
        "{}",
        summary(dir.path())
    );
    let dir = case_with("VILA NOVA DE GAIA", &buyer("Porto", "PT"));
    let check = check_text(dir.path());
    assert!(
        check.contains("tracking names Vila Nova de Gaia, Portugal, about 3 km from Porto, Portugal: the parcel may have been left at a depot or pickup point in your area"),
        "{check}"
    );
}

#[test]
fn without_the_buyers_town_check_asks_for_it_and_a_bad_country_is_named() {
    let dir = case_with("GUANGZHOU, CN", "");
    let check = check_text(dir.path());
    assert!(
        check.contains("buyer.city: is not set: add city and country"),
        "{check}"
    );
    assert!(
        summary(dir.path())
            .contains("The tracking (Exhibit E01) shows the delivery in Guangzhou, China."),
        "{}",
        summary(dir.path())
    );

    let dir = case_with("GUANGZHOU, CN", &buyer("Porto", "Portugal"));
    let (code, _, err) = run(claimpack(dir.path()).args(["check", "case"]));
    assert_eq!(code, 2);
    assert!(
        err.contains("buyer.country: write the two-letter ISO 3166-1 code: \"PT\" for Portugal"),
        "{err}"
    );
}

#[test]
fn the_report_and_the_book_carry_the_map_and_the_credit() {
    let dir = case_with("GUANGZHOU, CN", &buyer("Porto", "PT"));
    let (code, out, err) = util::build_with(dir.path(), &["--kit"]);
    assert_eq!(code, 0, "{out}\n{err}");
    let zip = dir.path().join("claim.zip");
    let report = String::from_utf8(
        util::read_entries(&zip)
            .into_iter()
            .find(|e| e.name.ends_with("data/report.html"))
            .unwrap()
            .data,
    )
    .unwrap();
    assert!(report.contains("<h2>Where tracking says the parcel was delivered</h2>"));
    let svg = &report[report.find("<svg").unwrap()..report.find("</svg>").unwrap()];
    assert!(svg.contains("Porto (buyer)") && svg.contains("Guangzhou (tracking)"));
    assert!(svg.contains("about 10,710 km in a straight line"));
    assert!(!svg.contains("<script") && !svg.contains("href"));
    assert!(report.contains("GeoNames (https:&#x2f;&#x2f;www.geonames.org), CC BY 4.0"));
    assert!(report.contains("Natural Earth 1:110m (public domain)"));

    let readme =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    assert!(readme.contains("[GeoNames](https://www.geonames.org) (CC BY 4.0"));
    assert!(readme.contains("Natural Earth"));
    let licence =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/geonames/LICENSE"))
            .unwrap();
    assert!(licence.starts_with("Attribution 4.0 International"));

    // The book has the page, without the network or any outside tool.
    let kit = fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().ends_with("-upload"))
        .unwrap()
        .path();
    let book = fs::read(kit.join("exhibit-book.pdf")).unwrap();
    assert!(book.starts_with(b"%PDF-"));
}

#[test]
#[cfg_attr(not(interop), ignore = "needs chromium; set CLAIMPACK_INTEROP=1")]
fn chromium_draws_the_map_with_both_places() {
    let dir = case_with("GUANGZHOU, CN", &buyer("Porto", "PT"));
    let zip = util::build(dir.path());
    let report = String::from_utf8(
        util::read_entries(&zip)
            .into_iter()
            .find(|e| e.name.ends_with("data/report.html"))
            .unwrap()
            .data,
    )
    .unwrap();
    let svg = &report[report.find("<svg").unwrap()..report.find("</svg>").unwrap() + 6];
    // The map alone, at its own size, so that pixels can be found by its coordinates.
    let page = dir.path().join("map.html");
    fs::write(
        &page,
        format!(
            "<!doctype html><body style=\"margin:0\"><div style=\"width:640px\">{svg}</div></body>"
        ),
    )
    .unwrap();
    let report_path = dir.path().join("report.html");
    fs::write(&report_path, &report).unwrap();
    let profile = dir.path().join("profile");
    let chromium = |page: &Path, extra: &[String]| util::chromium(&profile, page, extra);
    // The report's own page keeps the map once parsed under its Content-Security-Policy.
    let dom = chromium(&report_path, &["--dump-dom".to_owned()]);
    assert!(
        dom.contains("<svg") && dom.contains("Guangzhou (tracking)"),
        "no map in the DOM"
    );

    let png = dir.path().join("map.png");
    chromium(
        &page,
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=640,320".to_owned(),
            "--hide-scrollbars".to_owned(),
        ],
    );
    let shot = image::open(&png).unwrap().to_rgb8();
    let circle = |role_fill: &str| -> (u32, u32) {
        let at = svg
            .find(&format!("fill=\"{role_fill}\" stroke=\"#ffffff\""))
            .unwrap();
        let tag = &svg[svg[..at].rfind("<circle").unwrap()..at];
        let number = |name: &str| -> f64 {
            let from = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            tag[from..from + tag[from..].find('"').unwrap()]
                .parse()
                .unwrap()
        };
        (number("cx").round() as u32, number("cy").round() as u32)
    };
    let near = |(x, y): (u32, u32), rgb: [u8; 3]| {
        let p = shot.get_pixel(x, y).0;
        p.iter().zip(rgb).all(|(a, b)| a.abs_diff(b) <= 24)
    };
    // The pins are drawn where the SVG puts them, in their colours.
    assert!(
        near(circle("#c0392b"), [0xc0, 0x39, 0x2b]),
        "the delivery pin"
    );
    assert!(
        near(circle("#1f5fa8"), [0x1f, 0x5f, 0xa8]),
        "the buyer's pin"
    );
    // Sea, land and the delivery country's shade all cover real areas.
    let count = |rgb: [u8; 3]| {
        shot.pixels()
            .filter(|p| p.0.iter().zip(rgb).all(|(a, b)| a.abs_diff(b) <= 6))
            .count()
    };
    let total = (shot.width() * shot.height()) as usize;
    assert!(count([0xdc, 0xea, 0xf5]) > total / 10, "sea");
    assert!(count([0xf3, 0xf0, 0xe8]) > total / 10, "land");
    assert!(count([0xf7, 0xdd, 0xd2]) > total / 100, "China shaded");
}

#[test]
#[cfg_attr(
    not(interop),
    ignore = "needs pdftotext and qpdf (poppler-utils, qpdf); set CLAIMPACK_INTEROP=1"
)]
fn the_exhibit_book_has_a_checked_page_with_the_places_and_the_map() {
    let dir = case_with("Санкт-Петербург 190000", &buyer("Moscow", "RU"));
    let (code, out, err) = util::build_with(dir.path(), &["--kit"]);
    assert_eq!(code, 0, "{out}\n{err}");
    let kit = fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().ends_with("-upload"))
        .unwrap()
        .path();
    let tool = |program: &str, args: &[&str]| util::outside_tool(program, args, &kit);
    // Lines wrap where the page ends: compare with whitespace folded.
    let text = tool("pdftotext", &["exhibit-book.pdf", "-"])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for expected in [
        "Where tracking says the parcel was delivered",
        "“Санкт-Петербург 190000”, read as: Saint Petersburg",
        "Moscow (buyer)",
        "Saint Petersburg (tracking)",
        "about 640 km in a straight line",
        "GeoNames (https://www.geonames.org), CC BY 4.0",
        "Natural Earth 1:110m (public domain)",
    ] {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }
    tool("qpdf", &["--check", "exhibit-book.pdf"]);
    let fonts = tool("pdffonts", &["exhibit-book.pdf"]);
    for row in fonts.lines().skip(2) {
        let columns: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(columns[columns.len() - 5], "yes", "embedded: {row}");
    }
}

#[test]
fn an_english_only_form_keeps_the_place_in_english_and_leaves_out_what_it_cannot_name() {
    // AliExpress's form takes English characters only.
    let form = |dir: &Path| {
        let (code, out, err) =
            run(claimpack(dir).args(["summary", "case", "--form", "--today", "2026-10-20"]));
        assert_eq!(code, 0, "{out}\n{err}");
        (out, err)
    };
    let dir = case_with("Санкт-Петербург, 190000", &buyer("Novosibirsk", "RU"));
    let (out, _) = form(dir.path());
    assert!(
        out.contains("The tracking (Exhibit E01) shows the delivery in Saint Petersburg, Russia, about 3,120 km from Novosibirsk, where my shipping address is."),
        "{out}"
    );
    assert!(out.is_ascii(), "{out}");

    let dir = case_with(
        "д. Малые Вязёмы-Гадюкино, сортировочный центр",
        &buyer("Moscow", "RU"),
    );
    let (out, err) = form(dir.path());
    assert!(out.is_ascii() && !out.contains("Gadiukino"), "{out}");
    assert!(!out.contains("shows the delivery"), "{out}");
    assert!(err.contains("shipping.delivered_to"), "{err}");
    // The full statement quotes it as written.
    assert!(
        summary(dir.path()).contains(
            "shows the delivery as \"д. Малые Вязёмы-Гадюкино, сортировочный центр\"; my shipping address is in Moscow, Russia."
        ),
        "{}",
        summary(dir.path())
    );
}

#[test]
fn the_kind_of_place_and_the_buyers_country_are_said_when_they_are_known() {
    assert_states(
        "SHENZHEN DISTRIBUTION CENTER",
        &buyer("Hamburg", "DE"),
        "The tracking (Exhibit E01) shows the delivery as \"SHENZHEN DISTRIBUTION CENTER\": a carrier's sorting centre in Shenzhen, China, about 8,900 km from Hamburg, Germany, where my shipping address is.",
    );
    // The buyer's town is a name several places share, their country is not.
    assert_states(
        "SAO PAULO - SP",
        &buyer("Portland", "US"),
        "shows the delivery as \"SAO PAULO - SP\": São Paulo, Brazil, not in the United States, where my shipping address is.",
    );
    // The buyer's country decides a name only when its place there is not also ten
    // times any other: Saint Petersburg, Russia is, London, Ontario is not.
    assert_states(
        "Санкт-Петербург",
        &buyer("Moscow", "RU"),
        ": Saint Petersburg, Russia, about 640 km from Moscow,",
    );
    assert_states(
        "LONDON",
        "[buyer]\ncity = \"London\"\nregion = \"Ontario\"\ncountry = \"CA\"",
        "shows the delivery as \"LONDON\", which names no country; my shipping address is in London, Ontario, Canada, and the parcel did not reach me.",
    );
}

#[test]
fn a_place_is_read_only_for_a_parcel_that_never_came() {
    // A damaged item reached the buyer: the place is not read, and check says why.
    let dir = case_with("BERLIN", "");
    let case = dir.path().join("case/case.toml");
    let text = fs::read_to_string(&case)
        .unwrap()
        .replace("delivered-not-received", "damaged")
        .replace("marked_delivered", "delivered");
    fs::write(&case, text).unwrap();
    assert!(check_json(dir.path())["places"].is_null());
    assert!(
        check_text(dir.path()).contains("the statement of a damaged dispute leaves it out"),
        "{}",
        check_text(dir.path())
    );
    // Without a quote, a kind of place is where the delivery is "at".
    assert_states(
        "Екатеринбург, сортировочный центр 620000",
        &buyer("Moscow", "RU"),
        "shows the delivery as \"Екатеринбург, сортировочный центр 620000\": a carrier's sorting centre in Yekaterinburg, Russia, about 1,420 km from Moscow, where my shipping address is.",
    );
}
