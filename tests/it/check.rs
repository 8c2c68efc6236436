//! `claimpack check`, `summary` and `reasons --platform` on real case folders, with
//! `--today` fixed so that every deadline is exact.

use std::fs;
use std::path::Path;

use crate::util::{self, claimpack, run};

/// The sample damaged case, with a protection end date so deadlines can be counted.
fn damaged_case() -> tempfile::TempDir {
    let dir = util::sample_case();
    let case = dir.path().join("case/case.toml");
    let text = fs::read_to_string(&case).unwrap().replace(
        "delivered = 2026-10-28\n",
        "delivered = 2026-10-28\nprotection_ends = 2026-12-01\n",
    );
    fs::write(case, text).unwrap();
    dir
}

fn check_json(dir: &Path, args: &[&str]) -> (i32, serde_json::Value) {
    let (code, out, err) = run(claimpack(dir).args(["check", "case", "--json"]).args(args));
    let json = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    (code, json)
}

fn item<'a>(json: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    json["checklist"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no item {id}"))
}

fn deadline<'a>(json: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    json["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == id)
        .unwrap_or_else(|| panic!("no deadline {id}"))
}

fn ids(value: &serde_json::Value) -> Vec<&str> {
    value["exhibits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect()
}

#[test]
fn an_incomplete_case_names_what_is_missing_and_the_days_left() {
    let dir = damaged_case();
    let (code, json) = check_json(dir.path(), &["--today", "2026-11-27"]);
    assert_eq!(code, 0, "without --strict a missing item is not a failure");
    assert_eq!(json["today"], "2026-11-27");
    assert_eq!(
        json["platform_reason"]["value"],
        "Item received: the item arrived damaged"
    );

    let outer = item(&json, "outer-packaging");
    assert_eq!(outer["present"], true);
    assert_eq!(ids(outer), ["E01"]);
    let damage = item(&json, "item-damage");
    assert_eq!(damage["present"], false, "the only photo shows the box");
    assert_eq!(damage["level"], "required");
    assert_eq!(ids(item(&json, "unboxing-video")), ["E02"]);
    assert_eq!(ids(item(&json, "seller-chat")), ["E03"]);

    let open = deadline(&json, "open-latest");
    assert_eq!(open["closes"], "2026-12-16");
    assert_eq!(open["days_left"], 19);
    assert_eq!(open["status"], "open");
    let answer = deadline(&json, "seller-response");
    assert_eq!(answer["status"], "unknown");
    assert_eq!(answer["needs"][0], "dispute.opened");
    assert!(
        json["deadlines"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["id"] != "open-earliest"),
        "the not-before window is for parcels not yet received"
    );

    let (code, out, _) =
        run(claimpack(dir.path()).args(["check", "case", "--today", "2026-11-27"]));
    assert_eq!(code, 0);
    assert!(
        out.contains("[ ] item-damage      REQUIRED     missing"),
        "{out}"
    );
    assert!(
        out.contains("how: Photograph the item in good light"),
        "{out}"
    );
    assert!(out.contains("last day 2026-12-16 (19 days left)"), "{out}");
    assert!(
        out.contains("Missing required evidence: item-damage (1 item)."),
        "{out}"
    );
    assert!(out.contains("never press \"Accept\""), "{out}");

    let (code, _, _) =
        run(claimpack(dir.path()).args(["check", "case", "--today", "2026-11-27", "--strict"]));
    assert_eq!(code, 1, "--strict fails while required evidence is missing");
}

#[test]
fn a_complete_case_passes_strict() {
    let dir = damaged_case();
    fs::copy(
        util::media("phone-samsung-g975f-offset.jpg"),
        dir.path().join("case/photos/dented-grille.jpg"),
    )
    .unwrap();
    let (code, json) = check_json(dir.path(), &["--today", "2026-11-27", "--strict"]);
    assert_eq!(code, 0, "{json:#}");
    assert_eq!(ids(item(&json, "item-damage")), ["E02"]);
    let (_, out, _) = run(claimpack(dir.path()).args(["check", "case", "--today", "2026-11-27"]));
    assert!(out.contains("All required evidence is present."), "{out}");
}

#[test]
fn fewer_than_five_days_left_is_loud_and_a_passed_deadline_is_closed() {
    let dir = damaged_case();
    let (_, out, _) = run(claimpack(dir.path()).args(["check", "case", "--today", "2026-12-13"]));
    let first_lines: Vec<&str> = out.lines().take(4).collect();
    assert!(
        first_lines
            .contains(&"!! Open a dispute (last day): ONLY 3 DAYS LEFT: last day 2026-12-16"),
        "{out}"
    );
    let (_, json) = check_json(dir.path(), &["--today", "2026-12-13"]);
    assert_eq!(deadline(&json, "open-latest")["status"], "urgent");

    let (_, json) = check_json(dir.path(), &["--today", "2026-12-20"]);
    let open = deadline(&json, "open-latest");
    assert_eq!(open["status"], "closed");
    assert_eq!(open["days_left"], -4);
    // guards: "last day 2026-12-10 (8 days left)" beside "buyer protection ended…
    // the platform may refuse a new dispute": with the item in hand the window
    // itself says it, once, and does not contradict a finding.
    let findings = json["findings"].as_array().unwrap();
    assert!(
        findings
            .iter()
            .all(|f| f["field"] != "shipping.protection_ends"),
        "{findings:?}"
    );
    let (_, out, _) = run(claimpack(dir.path()).args(["check", "case", "--today", "2026-12-20"]));
    assert!(
        out.contains("xx Open a dispute (last day): CLOSED on 2026-12-16 (4 days ago)"),
        "{out}"
    );
}

fn write_case(dir: &Path, toml: &str) {
    let case = dir.join("case");
    fs::create_dir_all(&case).unwrap();
    fs::write(case.join("case.toml"), toml).unwrap();
}

#[test]
fn mistakes_in_the_case_are_caught_before_the_platform_does() {
    let dir = tempfile::tempdir().unwrap();
    write_case(
        dir.path(),
        r#"platform = "paypal"
reason = "not-received"
[order]
id = "A1"
placed = 2026-10-02
total = "20.00 USD"
[shipping]
tracking = ["RB123456786GB"]
shipped = 2026-10-01
delivered = 2026-10-20
[request]
resolution = "partial-refund"
"#,
    );
    let (code, json) = check_json(dir.path(), &["--today", "2026-11-01", "--strict"]);
    assert_eq!(code, 1);
    let findings: Vec<(String, String)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_owned(),
                f["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let has = |field: &str, words: &str| {
        findings
            .iter()
            .any(|(f, m)| f == field && m.contains(words))
    };
    assert!(
        has("request.amount", "partial refund needs the amount"),
        "{findings:?}"
    );
    assert!(
        has("shipping.delivered", "reason not-received says it did not"),
        "{findings:?}"
    );
    assert!(
        has("shipping.shipped", "is before order.placed"),
        "{findings:?}"
    );
    assert!(
        has(
            "shipping.tracking",
            "not a real S10 number; check that you copied it exactly"
        ),
        "{findings:?}"
    );
    assert_eq!(json["tracking"][0]["status"], "invalid");
    assert_eq!(json["tracking"][0]["format"], "S10");

    write_case(
        dir.path(),
        r#"platform = "ebay"
reason = "damaged"
[order]
id = "A1"
total = "20.00 USD"
[request]
resolution = "refund-only"
amount = "25.00 USD"
"#,
    );
    let (_, json) = check_json(dir.path(), &["--today", "2026-11-01"]);
    let text = json["findings"].to_string();
    assert!(
        text.contains("more than the order total of 20.00 USD"),
        "{text}"
    );
    assert!(
        text.contains("the reason damaged means the parcel reached you"),
        "{text}"
    );
}

#[test]
fn a_bad_today_is_a_usage_error() {
    let dir = damaged_case();
    let (code, _, err) = run(claimpack(dir.path()).args(["check", "case", "--today", "next week"]));
    assert_eq!(code, 2);
    assert!(
        err.contains("--today") && err.contains("2026-11-23"),
        "{err}"
    );
}

#[test]
fn summary_prints_the_statement_and_the_form_fits_in_ascii() {
    let dir = damaged_case();
    let case = dir.path().join("case/case.toml");
    let text = fs::read_to_string(&case)
        .unwrap()
        .replace("Bluetooth speaker, black", "Lautsprecher „Müller“ × 2");
    fs::write(&case, text).unwrap();
    let (code, full, _) = run(claimpack(dir.path()).args(["summary", "case"]));
    assert_eq!(code, 0);
    assert!(
        full.contains("„Müller“ × 2"),
        "the full statement keeps the text: {full}"
    );
    let (code, form, err) = run(claimpack(dir.path()).args(["summary", "case", "--form"]));
    assert_eq!(code, 0);
    assert!(form.is_ascii(), "{form}");
    assert!(form.contains("Lautsprecher ,,Muller\" x 2"), "{form}");
    assert!(
        err.contains("of 1000 characters, English (ASCII) characters only"),
        "{err}"
    );
    assert!(err.contains("AliExpress publishes no limit"), "{err}");

    let (code, out, _) = run(claimpack(dir.path()).args(["summary", "case", "--json"]));
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["full"].as_str().unwrap(), full);
    assert_eq!(json["form"]["text"].as_str().unwrap(), form);
    assert_eq!(json["form"]["ascii_only"], true);
}

#[test]
fn the_bundle_carries_the_statement_the_form_and_the_checklist() {
    let dir = damaged_case();
    let zip = util::build(dir.path());
    let entries = util::read_entries(&zip);
    let entry = |suffix: &str| {
        entries
            .iter()
            .find(|e| e.name.ends_with(suffix))
            .unwrap_or_else(|| panic!("no {suffix}"))
    };
    let (_, full, _) = run(claimpack(dir.path()).args(["summary", "case"]));
    assert_eq!(
        String::from_utf8_lossy(&entry("data/summary.txt").data),
        full
    );
    let form = String::from_utf8_lossy(&entry("data/summary-form.txt").data).into_owned();
    assert!(form.is_ascii() && form.chars().count() <= 1001, "{form}");
    let manifest: serde_json::Value =
        serde_json::from_slice(&entry("data/manifest.json").data).unwrap();
    let checklist = &manifest["checklist"];
    assert_eq!(
        checklist["today"], "2026-11-23",
        "counted from the bundle date"
    );
    assert_eq!(item(checklist, "item-damage")["present"], false);
    // The reviewer's report shows what the exhibits show, not the buyer's gaps,
    // deadlines or advice; those are in the notes beside the bundle.
    let report = String::from_utf8_lossy(&entry("data/report.html").data).into_owned();
    for buyer_only in [
        "missing",
        "days left",
        "Before pressing anything",
        "Short statement for the form",
        "--show-location",
        "claimpack kit",
    ] {
        assert!(
            !report.contains(buyer_only),
            "the report says {buyer_only:?}"
        );
    }
    assert!(report.contains("What the exhibits show"), "{report}");
    let notes = fs::read_to_string(dir.path().join("claim-NOTES.txt")).unwrap();
    assert!(
        notes.starts_with("Notes for you, not for the reviewer"),
        "{notes}"
    );
    assert!(
        notes.contains("[ ] item-damage      REQUIRED     missing"),
        "{notes}"
    );
    assert!(notes.contains("days left"), "{notes}");
    // A rebuild replaces claimpack's own notes; a file of the buyer's there stops it.
    fs::remove_file(&zip).unwrap();
    util::build(dir.path());
    fs::write(dir.path().join("claim-NOTES.txt"), "my own notes").unwrap();
    fs::remove_file(&zip).unwrap();
    let (code, _, err) = util::build_with(dir.path(), &["--force"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("claim-NOTES.txt: exists and is not claimpack's notes"),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("claim-NOTES.txt")).unwrap(),
        "my own notes"
    );
}

#[test]
fn templates_can_be_overridden_from_a_folder() {
    let dir = damaged_case();
    let overrides = dir.path().join("mine/summary");
    fs::create_dir_all(&overrides).unwrap();
    fs::write(
        overrides.join("damaged.txt.j2"),
        "1| My own words about order {{ case.order.id }}.\n{% include \"summary/_resolution.txt.j2\" %}",
    )
    .unwrap();
    let (code, out, err) =
        run(claimpack(dir.path()).args(["summary", "case", "--templates", "mine"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "My own words about order 8123456789012345.\n\nI ask for a full refund of 34.99 USD without returning the item.\n"
    );

    // A line without a priority is refused, naming the template.
    fs::write(overrides.join("damaged.txt.j2"), "no priority here\n").unwrap();
    let (code, _, err) =
        run(claimpack(dir.path()).args(["summary", "case", "--templates", "mine"]));
    assert_eq!(code, 2);
    assert!(
        err.contains("summary/damaged.txt.j2") && err.contains("1| to 9|"),
        "{err}"
    );

    // A platform profile with a broken fact is refused with its file and line.
    fs::create_dir_all(dir.path().join("mine/platforms")).unwrap();
    fs::write(
        dir.path().join("mine/platforms/aliexpress.toml"),
        "platform = \"aliexpress\"\nname = \"AliExpress\"\nprogramme = { value = \"x\" }\n",
    )
    .unwrap();
    let (code, _, err) = run(claimpack(dir.path()).args(["check", "case", "--templates", "mine"]));
    assert_eq!(code, 2);
    assert!(err.contains("platforms/aliexpress.toml, line 3"), "{err}");

    let (code, _, err) =
        run(claimpack(dir.path()).args(["check", "case", "--templates", "nowhere"]));
    assert_eq!(code, 2);
    assert!(err.contains("nowhere"), "{err}");
}

#[test]
fn reasons_for_a_platform_show_its_names_limits_and_sources() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, _) = run(claimpack(dir.path()).args(["reasons", "--platform", "paypal"]));
    assert_eq!(code, 0);
    insta::assert_snapshot!(out);
    let (_, out, _) = run(claimpack(dir.path()).args(["reasons", "--platform", "card", "--json"]));
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        json["reasons"][0]["platform_name"]["value"],
        "Visa 13.1 Merchandise/Services Not Received; Mastercard 4855 Goods or Services Not Provided"
    );
    assert_eq!(json["platform"]["evidence"]["max_pages"]["value"], 19);
}

#[test]
fn every_platform_profile_loads_and_sources_every_fact() {
    use claimpack::model::Platform;
    use claimpack::profile::Profile;
    use claimpack::templates::Templates;
    for platform in Platform::ALL {
        let profile = Profile::load(&Templates::builtin(), platform)
            .unwrap_or_else(|e| panic!("{platform}: {e}"));
        let text = serde_json::to_value(&profile).unwrap().to_string();
        assert!(
            !text.contains("\"source\":\"\""),
            "{platform} has an unsourced fact"
        );
    }
}

fn aliexpress_case(dir: &Path, reason: &str, extra: &str) {
    write_case(
        dir,
        &format!(
            "platform = \"aliexpress\"\nreason = \"{reason}\"\n[order]\nid = \"1\"\nplaced = 2026-10-01\n[shipping]\nshipped = 2026-10-03\nprotection_ends = 2026-12-05\n{extra}"
        ),
    );
}

fn check_text(dir: &Path, today: &str) -> String {
    run(claimpack(dir).args(["check", "case", "--today", today])).1
}

#[test]
fn the_sellers_time_to_answer_is_not_the_buyers_emergency() {
    // guards: "!! … ONLY 2 DAYS LEFT" for the seller's window when the seller had
    // already answered, and "CLOSED on 2026-12-01 (1 days ago)" meaning "you may
    // escalate now".
    let dir = tempfile::tempdir().unwrap();
    aliexpress_case(
        dir.path(),
        "damaged",
        "delivered = 2026-10-20\n[received]\nproblem = \"Cracked.\"\n[dispute]\nopened = 2026-11-20\n[[contact]]\ndate = 2026-11-22\nanswer = \"refused\"\n",
    );
    let out = check_text(dir.path(), "2026-12-03");
    assert!(
        out.contains("The seller's time to answer the dispute: the seller has until 2026-12-05 (2 days); the seller answered on 2026-11-22"),
        "{out}"
    );
    assert!(!out.contains("!! The seller"), "{out}");
    let out = check_text(dir.path(), "2026-12-06");
    assert!(
        out.contains("the seller's time ended on 2026-12-05; the seller answered on 2026-11-22; AliExpress steps in"),
        "{out}"
    );
    assert!(!out.contains("CLOSED on 2026-12-05"), "{out}");
    let out = check_text(dir.path(), "2026-12-21");
    assert!(out.contains("CLOSED on 2026-12-20 (1 day ago)"), "{out}");
}

#[test]
fn protection_ending_soon_on_a_parcel_not_here_is_the_last_safe_day() {
    // guards: protection ending in 3 days on a not-received order showed only
    // "last day 2026-12-20 (18 days left)".
    let dir = tempfile::tempdir().unwrap();
    aliexpress_case(dir.path(), "not-received", "");
    let out = check_text(dir.path(), "2026-12-02");
    let head: Vec<&str> = out.lines().take(4).collect();
    assert!(
        head.iter().any(|l| l.starts_with(
            "!! Open a dispute while buyer protection runs (last safe day): ONLY 3 DAYS LEFT"
        )),
        "{out}"
    );
    assert!(
        out.contains("ask the seller in the order chat to extend it now"),
        "{out}"
    );
    assert!(
        !out.contains("2026-12-20"),
        "the 15 days after protection are for items in hand: {out}"
    );
    assert!(
        out.contains("extension-request"),
        "the checklist asks for the request: {out}"
    );
}

#[test]
fn advice_is_chosen_from_the_facts() {
    // guards: generic Accept-trap advice while the seller had proposed "no return,
    // no refund" and asked to close.
    let dir = tempfile::tempdir().unwrap();
    let advice = |extra: &str| {
        aliexpress_case(
            dir.path(),
            "damaged",
            &format!("delivered = 2026-10-20\n[received]\nproblem = \"Cracked.\"\n{extra}"),
        );
        check_text(dir.path(), "2026-11-25")
    };
    let plain = advice("");
    assert!(plain.contains("never press \"Accept\""), "{plain}");
    assert!(!plain.contains("reject the proposal"), "{plain}");
    assert!(!plain.contains("every day"), "{plain}");

    let proposed =
        advice("[dispute]\nopened = 2026-11-20\nseller_proposal = \"no-return-no-refund\"\n");
    assert!(
        proposed.contains("reject the proposal and let AliExpress decide"),
        "{proposed}"
    );
    assert!(
        proposed.contains("only after the seller has extended buyer protection in writing"),
        "{proposed}"
    );
    assert!(!proposed.contains("If the seller proposes"), "{proposed}");
    assert!(
        proposed.contains("Open the dispute every day"),
        "{proposed}"
    );

    let returning = advice("[request]\nresolution = \"return-and-refund\"\n");
    assert!(
        returning.contains("settle who pays in the dispute before you accept a return"),
        "{returning}"
    );

    let promised = advice("[[contact]]\ndate = 2026-11-01\nanswer = \"promised\"\n");
    assert!(
        promised.contains("Close the dispute only after the seller has done what they promised"),
        "{promised}"
    );
}

#[test]
fn check_says_what_the_kit_will_make_of_each_exhibit_and_which_tool_is_missing() {
    let dir = util::media_case(&[
        (
            "phone-iphone12pro-orientation6-offset.heic",
            "photos/lid.heic",
        ),
        ("video-rotate270.mp4", "videos/unboxing.mp4"),
        ("screenshot-no-metadata.png", "chat/seller.png"),
    ]);
    let (code, out, _) = run(claimpack(dir.path())
        .env("CLAIMPACK_FFMPEG", "none")
        .env("CLAIMPACK_HEIF_CONVERT", "none")
        .args(["check", "case"]));
    assert_eq!(code, 0, "{out}");
    let kit = out
        .split("\nUpload kit for eBay")
        .nth(1)
        .expect("a kit section")
        .split("\n\n")
        .next()
        .unwrap()
        .to_owned();
    let line = |name: &str| {
        kit.lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name} in {kit}"))
            .to_owned()
    };
    assert!(
        line("photos/lid.heic").contains("a JPEG under 5 MB, converted from HEIC"),
        "{kit}"
    );
    assert!(
        line("videos/unboxing.mp4").contains("3 to 8 stills"),
        "{kit}"
    );
    assert!(line("chat/seller.png").contains("a PNG"), "{kit}");
    assert!(kit.contains("needs heif-convert, which is not installed: Debian/Ubuntu: sudo apt install libheif-examples"), "{kit}");
    assert!(
        kit.contains("needs ffmpeg, which is not installed"),
        "{kit}"
    );

    // JSON carries the same plan, one entry per exhibit.
    let (_, out, _) = run(claimpack(dir.path()).args(["check", "case", "--json"]));
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let plans = json["kit"].as_array().unwrap();
    assert_eq!(plans.len(), 3);
    let does: Vec<&str> = plans.iter().map(|p| p["does"].as_str().unwrap()).collect();
    assert!(
        does.contains(&"stills") && does.contains(&"picture"),
        "{does:?}"
    );
}

/// A photo and a video cut short by an interrupted copy: sealed as they are, named
/// as damaged everywhere the buyer and the reviewer look, and not counted as proof.
#[test]
fn damaged_files_are_named_and_do_not_count() {
    let dir = util::sample_case();
    let root = dir.path();
    let media = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/media");
    // The sample's only photo becomes a copy cut in half; a video is cut too.
    fs::copy(
        media.join("truncated-half-google-pixel.jpg"),
        root.join("case/photos/box-front.jpg"),
    )
    .unwrap();
    let mov = fs::read(media.join("phone-iphone13pro-livephoto.mov")).unwrap();
    fs::write(root.join("case/videos/unboxing.mov"), &mov[..mov.len() / 3]).unwrap();

    let (_, json) = check_json(root, &["--today", "2026-11-27"]);
    assert_eq!(item(&json, "outer-packaging")["present"], false, "{json}");
    let findings = json["findings"].to_string();
    for (file, why) in [
        (
            "photos/box-front.jpg",
            "the picture data stops before its end",
        ),
        (
            "videos/unboxing.mov",
            "the recorded data stops before its end",
        ),
    ] {
        assert!(
            findings.contains(&format!("evidence \\\"{file}\\\"")) && findings.contains(why),
            "{file}: {findings}"
        );
    }
    let (_, text, _) = run(claimpack(root).args(["check", "case", "--today", "2026-11-27"]));
    assert!(
        text.contains("is damaged: the file is cut short: the picture data stops before its end: copy it again from the phone, camera or download; it is sealed as it is, but not counted as evidence"),
        "{text}"
    );

    // The statement lists the copy as incomplete and cites it for nothing.
    let (_, statement, _) = run(claimpack(root).args(["summary", "case", "--today", "2026-11-27"]));
    let line = statement
        .lines()
        .find(|l| l.contains("Outer box crushed on arrival"))
        .unwrap_or_else(|| panic!("{statement}"));
    assert!(
        line.ends_with("(this copy of the file is incomplete and may not open)."),
        "{line}"
    );
    assert!(!statement.contains("shown in Exhibit E01"), "{statement}");

    // The bundle seals it, the manifest and report say so, the kit leaves it out.
    let (code, out, err) = util::build_with(root, &["--kit"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("E01 photos/box-front.jpg: the file is cut short"),
        "{out}"
    );
    let entries = util::read_entries(&root.join("claim.zip"));
    let manifest = entries
        .iter()
        .find(|e| e.name.ends_with("data/manifest.json"))
        .unwrap();
    let manifest: serde_json::Value = serde_json::from_slice(&manifest.data).unwrap();
    let e01 = &manifest["items"][0];
    assert!(
        e01["damaged"]
            .as_str()
            .unwrap()
            .starts_with("the file is cut short"),
        "{e01}"
    );
    let report = entries
        .iter()
        .find(|e| e.name.ends_with("data/report.html"))
        .unwrap();
    assert!(String::from_utf8_lossy(&report.data).contains("the file is cut short"));
    let upload = fs::read_to_string(root.join("claim-upload/UPLOAD.txt")).unwrap();
    assert!(upload.contains("damaged (cut short or broken)"), "{upload}");
}

/// The exhibit book says a damaged file is damaged, as the report does.
#[test]
#[cfg_attr(not(interop), ignore = "needs pdftotext; set CLAIMPACK_INTEROP=1")]
fn the_exhibit_book_names_a_damaged_file() {
    let dir = util::sample_case();
    let root = dir.path();
    let media = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/media");
    fs::copy(
        media.join("truncated-half-google-pixel.jpg"),
        root.join("case/photos/box-front.jpg"),
    )
    .unwrap();
    let (code, _, err) = util::build_with(root, &["--kit"]);
    assert_eq!(code, 0, "{err}");
    let text = util::outside_tool("pdftotext", &["claim-upload/exhibit-book.pdf", "-"], root);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains(
            "This file is damaged: the file is cut short: the picture data stops before its end"
        ),
        "{text}"
    );
}
