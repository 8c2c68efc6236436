//! `claimpack kit`: upload copies made from a sealed bundle, fitted for one platform.

use std::fs;
use std::path::Path;

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::util::{self, CREATED_AT, claimpack, run};

/// Builds the demo (which ends with its kit) and returns the temp dir.
fn demo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = run(claimpack(dir.path()).args(["demo", "--created-at", CREATED_AT]));
    assert_eq!(code, 0, "{out}{err}");
    dir
}

const DEMO_KIT: &str = "claimpack-demo/claim-aliexpress-8123456789012345-20261123-upload";
const DEMO_ZIP: &str = "claimpack-demo/claim-aliexpress-8123456789012345-20261123.zip";

fn kit_json(folder: &Path) -> Value {
    serde_json::from_slice(&fs::read(folder.join("kit.json")).unwrap()).unwrap()
}

/// Whether a JPEG carries an APP1 segment (EXIF or XMP): the markers up to the scan.
/// The kit files made from one exhibit.
fn files_from<'a>(kit: &'a Value, exhibit: &str) -> Vec<&'a Value> {
    kit["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["from"]["exhibit"] == exhibit)
        .collect()
}

/// A buyer's own copy of a shipped platform profile in `dir/mine`, with the facts
/// whose lines start with the given keys replaced.
fn own_profile(dir: &Path, platform: &str, facts: &[(&str, &str)]) {
    let shipped = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("knowledge/platforms/{platform}.toml")),
    )
    .unwrap();
    let profile: Vec<String> = shipped
        .lines()
        .map(|line| {
            facts
                .iter()
                .find(|(key, _)| line.starts_with(&format!("{key} = ")))
                .map_or(line.to_owned(), |(key, value)| {
                    format!("{key} = {{ value = {value}, source = \"test\" }}")
                })
        })
        .collect();
    fs::create_dir_all(dir.join("mine/platforms")).unwrap();
    fs::write(
        dir.join(format!("mine/platforms/{platform}.toml")),
        profile.join("\n"),
    )
    .unwrap();
}

fn has_app1(jpeg: &[u8]) -> bool {
    let mut at = 2;
    while at + 4 <= jpeg.len() && jpeg[at] == 0xFF {
        let marker = jpeg[at + 1];
        if marker == 0xDA {
            return false;
        }
        if marker == 0xE1 {
            return true;
        }
        let len = usize::from(u16::from_be_bytes([jpeg[at + 2], jpeg[at + 3]]));
        at += 2 + len;
    }
    false
}

#[test]
fn the_demo_kit_fits_the_aliexpress_form_and_lists_what_it_left_out() {
    let dir = demo();
    let folder = dir.path().join(DEMO_KIT);
    let kit = kit_json(&folder);
    assert_eq!(kit["platform"], "aliexpress");
    let files = kit["files"].as_array().unwrap();
    let mut uploads = 0;
    for file in files {
        let name = file["name"].as_str().unwrap();
        let bytes = fs::read(folder.join(name)).unwrap();
        assert_eq!(file["bytes"], bytes.len() as u64, "{name}");
        assert_eq!(
            file["sha256"],
            hex::encode(Sha256::digest(&bytes)),
            "{name}"
        );
        if file["from"].is_null() {
            continue;
        }
        uploads += 1;
        // AliExpress: jpg, png… under 2 MB each.
        if name.ends_with(".zip") {
            continue;
        }
        assert!(bytes.len() <= 2_000_000, "{name}");
        assert!(name.ends_with(".jpg") || name.ends_with(".png"), "{name}");
        if name.ends_with(".jpg") {
            assert!(!has_app1(&bytes), "{name} keeps EXIF or XMP");
        }
    }
    assert_eq!(uploads, 5);
    // AliExpress asks for videos zipped: the original, stored, inside.
    let zipped = util::read_entries_from(&fs::read(folder.join("E03-unboxing.zip")).unwrap());
    assert_eq!(zipped.len(), 1);
    assert_eq!(zipped[0].0, "E03-unboxing.mov");
    assert_eq!(
        zipped[0].1,
        fs::read(
            dir.path()
                .join("claimpack-demo/my-claim/videos/unboxing.mov")
        )
        .unwrap()
    );
    let left: Vec<&str> = kit["left_out"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["exhibit"].as_str().unwrap())
        .collect();
    assert_eq!(left, ["E05", "E06"]);
    // The form text is the bundle's own, for AliExpress.
    let form = fs::read(folder.join("form.txt")).unwrap();
    let sealed = util::read_entries(&dir.path().join(DEMO_ZIP))
        .into_iter()
        .find(|e| e.name.ends_with("data/summary-form.txt"))
        .unwrap();
    assert_eq!(form, sealed.data);
    insta::assert_snapshot!(fs::read_to_string(folder.join("UPLOAD.txt")).unwrap());
}

#[test]
fn the_same_bundle_gives_a_byte_identical_kit_and_no_kit_is_overwritten_without_force() {
    let dir = demo();
    let zip = DEMO_ZIP;
    let (code, out, err) = run(claimpack(dir.path()).args(["kit", zip, "-o", "again"]));
    assert_eq!(code, 0, "{out}{err}");
    let first = dir.path().join(DEMO_KIT);
    let second = dir.path().join("again");
    let mut names: Vec<_> = fs::read_dir(&first)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    for name in &names {
        let a = fs::read(first.join(name)).unwrap();
        let b = fs::read(second.join(name)).unwrap();
        // kit.json names its own folder; everything else is byte-identical.
        if name == "kit.json" {
            let (mut a, mut b): (Value, Value) = (
                serde_json::from_slice(&a).unwrap(),
                serde_json::from_slice(&b).unwrap(),
            );
            a["folder"] = Value::Null;
            b["folder"] = Value::Null;
            assert_eq!(a, b);
        } else {
            assert_eq!(a, b, "{name:?} differs");
        }
    }
    assert_eq!(fs::read_dir(&second).unwrap().count(), names.len());

    let (code, _, err) = run(claimpack(dir.path()).args(["kit", zip, "-o", "again"]));
    assert_eq!(code, 2);
    assert_eq!(
        err.trim_end(),
        "error: again: already exists; pass --force to replace it, or -o to write elsewhere"
    );
    fs::write(second.join("mine.txt"), "the buyer's own note").unwrap();
    let (code, _, err) = run(claimpack(dir.path()).args(["kit", zip, "-o", "again", "--force"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        !second.join("mine.txt").exists(),
        "--force replaces the whole folder"
    );
    // Nothing temporary is left beside it.
    let partials: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".partial"))
        .collect();
    assert!(partials.is_empty(), "{partials:?}");
}

#[test]
fn a_tampered_bundle_gets_no_kit() {
    let dir = demo();
    let zip = dir.path().join(DEMO_ZIP);
    let mut entries = util::read_entries(&zip);
    let photo = entries
        .iter_mut()
        .find(|e| e.name.ends_with("data/evidence/E01-box-front.jpg"))
        .unwrap();
    let last = photo.data.len() - 3;
    photo.data[last] ^= 0x01;
    util::write_entries(&zip, &entries);
    let (code, out, err) = run(claimpack(dir.path()).args(["kit", DEMO_ZIP, "-o", "kit"]));
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains("the bundle is not intact") && err.contains("E01-box-front.jpg"),
        "{err}"
    );
    assert!(!dir.path().join("kit").exists());
}

#[test]
fn photos_are_upright_and_stripped_and_the_card_kit_has_no_form_text() {
    let dir = util::media_case(&[
        ("phone-iphone6-orientation6.jpg", "photos/turned.jpg"),
        ("phone-google-pixel-gps.jpg", "photos/gps.jpg"),
        ("screenshot-no-metadata.png", "screenshots/chat.png"),
        ("video-rotate270.mp4", "videos/unboxing.mp4"),
        (
            "phone-iphone12pro-orientation6-offset.heic",
            "photos/phone.heic",
        ),
    ]);
    let zip = util::build(dir.path());
    let (code, out, err) =
        run(claimpack(dir.path()).args(["kit", "claim.zip", "--platform", "card", "-o", "bank"]));
    assert_eq!(code, 0, "{out}{err}");
    let folder = dir.path().join("bank");
    let kit = kit_json(&folder);
    assert_eq!(kit["platform"], "card");
    assert!(
        !folder.join("form.txt").exists(),
        "the ebay statement is not for a bank"
    );
    let upload = fs::read_to_string(folder.join("UPLOAD.txt")).unwrap();
    assert!(upload.contains("publishes no per-file limit"), "{upload}");
    assert!(
        upload.contains("Formats taken: pdf, jpg, jpeg, png"),
        "{upload}"
    );
    assert!(
        upload.contains("would say the wrong things to Card"),
        "{upload}"
    );

    let original =
        image::load_from_memory(&fs::read(util::media("phone-iphone6-orientation6.jpg")).unwrap())
            .unwrap();
    let file = |exhibit: &str| -> (String, Vec<u8>) {
        let entry = kit["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["from"]["exhibit"] == exhibit)
            .unwrap_or_else(|| panic!("no file from {exhibit}: {kit}"));
        let name = entry["name"].as_str().unwrap().to_owned();
        let bytes = fs::read(folder.join(&name)).unwrap();
        (name, bytes)
    };
    let exhibits = util::read_entries(&zip);
    let id_of = |suffix: &str| {
        exhibits
            .iter()
            .find(|e| e.name.contains("data/evidence/") && e.name.ends_with(suffix))
            .map(|e| e.name.rsplit('/').next().unwrap()[..3].to_owned())
            .unwrap()
    };
    // Orientation 6: the stored landscape pixels become a portrait copy, its long
    // side brought down to 2400.
    let (name, turned) = file(&id_of("turned.jpg"));
    assert!(name.ends_with(".jpg"));
    let copy = image::load_from_memory(&turned).unwrap();
    assert_eq!((original.width(), original.height()), (3264, 2448));
    assert_eq!((copy.width(), copy.height()), (1800, 2400));
    assert!(!has_app1(&turned));
    let (_, gps) = file(&id_of("gps.jpg"));
    assert!(!has_app1(&gps));
    let (name, _) = file(&id_of("chat.png"));
    assert!(name.ends_with(".png"), "a screenshot that fits stays PNG");
    let left = kit["left_out"].to_string();
    // The tests run without ffmpeg: a card form takes no video, and stills need it.
    assert!(
        left.contains("needs ffmpeg (Debian/Ubuntu: sudo apt install ffmpeg"),
        "{left}"
    );
    // The tests run without outside decoders: the HEIC says what to install.
    assert!(left.contains("apt install libheif-examples"), "{left}");
}

#[test]
#[cfg_attr(
    not(interop),
    ignore = "needs exiftool and heif-convert; set CLAIMPACK_INTEROP=1"
)]
fn exiftool_finds_no_location_serial_or_orientation_in_any_copy() {
    let dir = util::media_case(&[
        ("phone-iphone6-orientation6.jpg", "photos/turned.jpg"),
        ("phone-google-pixel-gps.jpg", "photos/gps.jpg"),
        ("camera-nikon-z30-offset-xmpgps.jpg", "photos/camera.jpg"),
        (
            "phone-iphone12pro-orientation6-offset.heic",
            "photos/phone.heic",
        ),
    ]);
    util::build(dir.path());
    let (code, out, err) = run(claimpack(dir.path())
        .env("CLAIMPACK_HEIF_CONVERT", "heif-convert")
        .args(["kit", "claim.zip", "-o", "kit"]));
    assert_eq!(code, 0, "{out}{err}");
    let folder = dir.path().join("kit");
    let kit = kit_json(&folder);
    let copies: Vec<String> = kit["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| !f["from"].is_null())
        .map(|f| f["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(copies.len(), 4, "{kit}");
    for name in &copies {
        let output = std::process::Command::new("exiftool")
            .args(["-j", "-a", "-G1"])
            .arg(folder.join(name))
            .output()
            .expect("CLAIMPACK_INTEROP=1 needs exiftool on PATH");
        let text = String::from_utf8_lossy(&output.stdout);
        for tag in [
            "GPS",
            "SerialNumber",
            "Orientation",
            "MakerNote",
            "XMP",
            "Make",
        ] {
            assert!(!text.contains(tag), "{name} still has {tag}: {text}");
        }
    }
    // The HEIC photo (4032×3024 tiles, irot 270) is a portrait JPEG.
    let heic = copies.iter().find(|n| n.contains("phone")).unwrap();
    let image = image::load_from_memory(&fs::read(folder.join(heic)).unwrap()).unwrap();
    assert!(
        image.height() > image.width(),
        "{}x{}",
        image.width(),
        image.height()
    );
    assert!(fs::metadata(folder.join(heic)).unwrap().len() <= 5_000_000);
}

#[test]
#[cfg_attr(not(interop), ignore = "needs ffmpeg; set CLAIMPACK_INTEROP=1")]
fn a_video_becomes_upright_stills_for_a_form_that_takes_no_video() {
    let dir = util::media_case(&[("video-rotate270.mp4", "videos/unboxing.mp4")]);
    util::build(dir.path());
    let (code, out, err) = run(claimpack(dir.path())
        .env("CLAIMPACK_FFMPEG", "ffmpeg")
        .args(["kit", "claim.zip", "--platform", "paypal", "-o", "kit"]));
    assert_eq!(code, 0, "{out}{err}");
    let folder = dir.path().join("kit");
    let kit = kit_json(&folder);
    let stills = files_from(&kit, "E01");
    assert!((3..=8).contains(&stills.len()), "{kit}");
    let mut names = Vec::new();
    for still in &stills {
        let name = still["name"].as_str().unwrap();
        assert!(
            name.starts_with("E01-unboxing-t0m") && name.ends_with("s.jpg"),
            "{name}"
        );
        let image = image::load_from_memory(&fs::read(folder.join(name)).unwrap()).unwrap();
        // Stored landscape with a 270° display rotation: upright is portrait.
        assert!(
            image.height() > image.width(),
            "{name}: {}x{}",
            image.width(),
            image.height()
        );
        assert!(still["bytes"].as_u64().unwrap() <= 10_000_000);
        // The timecode band under the frame: dark grey, as JPEG keeps it.
        let rgb = image.to_rgb8();
        let corner = rgb.get_pixel(0, rgb.height() - 1).0;
        assert!(
            corner.iter().all(|c| (24..=40).contains(c)),
            "{name}: {corner:?}"
        );
        assert!(still["transform"].to_string().contains("timecode band"));
        names.push(name.to_owned());
    }
    let mut sorted = names.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), names.len(), "one still per time: {names:?}");
    let upload = fs::read_to_string(folder.join("UPLOAD.txt")).unwrap();
    assert!(upload.contains("still at 0:0"), "{upload}");
}

#[test]
#[cfg_attr(
    not(interop),
    ignore = "needs pdfinfo, pdftotext, pdffonts, pdfimages (poppler-utils) and qpdf; set CLAIMPACK_INTEROP=1"
)]
fn the_exhibit_book_is_a_checked_pdf_with_real_text_embedded_fonts_and_the_kit_pictures() {
    let dir = demo();
    let folder = dir.path().join(DEMO_KIT);
    let book = folder.join("exhibit-book.pdf");
    let tool = |program: &str, args: &[&str]| util::outside_tool(program, args, &folder);
    let info = tool("pdfinfo", &["exhibit-book.pdf"]);
    assert!(
        info.contains("Page size:       595 x 842 pts (A4)"),
        "{info}"
    );
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let kit = kit_json(&folder);
    let listed = kit["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "exhibit-book.pdf")
        .unwrap();
    assert_eq!(listed["transform"][0], format!("{pages} pages"));
    assert_eq!(listed["bytes"], fs::metadata(&book).unwrap().len());

    let text = tool("pdftotext", &["-layout", "exhibit-book.pdf", "-"]);
    let seal = kit["seal"].as_str().unwrap();
    assert!(text.contains("8123456789012345"), "the order id");
    assert!(text.contains(seal), "the seal");
    for id in ["E01", "E02", "E03", "E04", "E05", "E06", "E07"] {
        assert!(text.contains(&format!("Exhibit {id}")), "{id}");
    }
    // The chat export is in the book as text, not a placeholder.
    assert!(text.contains("Sorry friend"), "{text}");

    let fonts = tool("pdffonts", &["exhibit-book.pdf"]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty());
    for row in rows {
        let columns: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(columns[columns.len() - 5], "yes", "embedded: {row}");
    }
    tool("qpdf", &["--check", "exhibit-book.pdf"]);

    // The photo's kit copy is in the book byte for byte.
    tool("pdfimages", &["-all", "exhibit-book.pdf", "img"]);
    let photo = fs::read(folder.join("E01-box-front.jpg")).unwrap();
    let passed_through = fs::read_dir(&folder)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("img-"))
        .any(|e| fs::read(e.path()).unwrap() == photo);
    assert!(
        passed_through,
        "pdfimages gives back E01-box-front.jpg unchanged"
    );
}

#[test]
fn the_card_book_keeps_to_the_page_cap() {
    let dir = demo();
    let (code, out, err) =
        run(claimpack(dir.path()).args(["kit", DEMO_ZIP, "--platform", "card", "-o", "bank"]));
    assert_eq!(code, 0, "{out}{err}");
    let kit = kit_json(&dir.path().join("bank"));
    let book = kit["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "exhibit-book.pdf")
        .unwrap();
    let pages: usize = book["transform"][0]
        .as_str()
        .unwrap()
        .trim_end_matches(" pages")
        .parse()
        .unwrap();
    assert!(pages <= 19, "{pages} pages");
    let upload = fs::read_to_string(dir.path().join("bank/UPLOAD.txt")).unwrap();
    assert!(upload.contains("Upload exhibit-book.pdf"), "{upload}");
}

#[test]
fn build_with_kit_and_json_prints_one_document() {
    let dir = util::sample_case();
    let (code, out, err) = util::build_with(dir.path(), &["--kit", "--json"]);
    assert_eq!(code, 0, "{out}{err}");
    let built: Value = serde_json::from_str(&out).expect("one JSON document");
    assert_eq!(built["kit"]["platform"], "aliexpress");
    let folder = built["kit"]["folder"].as_str().unwrap();
    assert!(folder.ends_with("claim-upload"), "{folder}");
    assert!(dir.path().join("claim-upload/UPLOAD.txt").is_file());
}

#[test]
#[cfg_attr(
    not(interop),
    ignore = "needs ffmpeg and ffprobe; set CLAIMPACK_INTEROP=1"
)]
fn a_video_too_big_for_a_form_that_takes_video_becomes_an_h264_copy_under_the_cap() {
    let dir = util::media_case(&[("phone-iphone6s-livephoto.mov", "videos/unboxing.mov")]);
    util::build(dir.path());
    // No shipped profile publishes a form that takes video; a buyer's own profile can.
    own_profile(
        dir.path(),
        "temu",
        &[("max_file_bytes", "600_000"), ("video", "true")],
    );
    let kit = |to: &str| {
        let (code, out, err) = run(claimpack(dir.path())
            .env("CLAIMPACK_FFMPEG", "ffmpeg")
            .args([
                "kit",
                "claim.zip",
                "--platform",
                "temu",
                "--templates",
                "mine",
                "-o",
                to,
            ]));
        assert_eq!(code, 0, "{out}{err}");
        dir.path().join(to)
    };
    let folder = kit("kit");
    let copy = folder.join("E01-unboxing.mp4");
    let bytes = fs::metadata(&copy).unwrap().len();
    assert!(bytes <= 600_000 && bytes > 10_000, "{bytes}");
    let probe = std::process::Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-show_entries",
            "stream=codec_name,width,height",
            "-of",
            "csv=p=0",
        ])
        .arg(&copy)
        .output()
        .unwrap();
    let streams = String::from_utf8_lossy(&probe.stdout).into_owned();
    assert!(streams.contains("h264,1280,960"), "{streams}");
    assert!(streams.lines().any(|l| l.starts_with("aac")), "{streams}");
    let json = kit_json(&folder);
    assert!(
        json["files"].to_string().contains("h264 under 600 KB"),
        "{json}"
    );
    // The same original gives the same copy.
    let again = kit("again");
    assert_eq!(
        fs::read(&copy).unwrap(),
        fs::read(again.join("E01-unboxing.mp4")).unwrap()
    );
}

#[test]
fn a_long_screenshot_is_cut_into_labelled_parts_the_book_shows_a_page_each() {
    let dir = util::media_case(&[]);
    // A stitched chat screenshot, four phone screens long.
    let tall = image::RgbImage::from_fn(600, 5000, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, ((x + y) % 239) as u8])
    });
    let path = dir.path().join("case/chat/whole-chat.png");
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    tall.save(&path).unwrap();
    util::build(dir.path());
    let (code, out, err) = run(claimpack(dir.path()).args(["kit", "claim.zip", "-o", "kit"]));
    assert_eq!(code, 0, "{out}{err}");
    let folder = dir.path().join("kit");
    let kit = kit_json(&folder);
    let parts = files_from(&kit, "E01");
    assert_eq!(parts.len(), 5, "{kit}");
    for (i, part) in parts.iter().enumerate() {
        let name = part["name"].as_str().unwrap();
        assert_eq!(name, format!("E01-whole-chat-part{}.png", i + 1));
        let transform = part["transform"].to_string();
        assert!(
            transform.contains(&format!("part {} of 5", i + 1)),
            "{transform}"
        );
        let image = image::load_from_memory(&fs::read(folder.join(name)).unwrap())
            .unwrap()
            .to_rgb8();
        // The band above the picture is the book's dark grey, with white text.
        assert_eq!(image.get_pixel(1, 1).0, [32, 32, 32]);
        let inked = (0..40)
            .flat_map(|y| (0..600).map(move |x| (x, y)))
            .filter(|&(x, y)| image.get_pixel(x, y).0 == [255, 255, 255])
            .count();
        assert!(
            inked > 50,
            "part {}: {inked} white pixels in the band",
            i + 1
        );
    }
}

/// A photo-like JPEG: smooth light with fine grain, as a phone camera makes.
fn photo(width: u32, height: u32, seed: u32) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9E37_79B9) | 1;
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let grain = (state % 24) as i32 - 12;
        let base = |v: u32, span: u32| ((v * 200 / span) as i32 + 30 + grain).clamp(0, 255) as u8;
        image::Rgb([
            base(x, width),
            base(y, height),
            base((x + y) / 2, (width + height) / 2),
        ])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 95)
        .encode_image(&image)
        .unwrap();
    out
}

#[test]
fn pictures_shrink_to_keep_the_whole_submission_under_the_total_cap() {
    let dir = util::media_case(&[]);
    for n in 1..=6 {
        let path = dir.path().join(format!("case/photos/damage-{n}.jpg"));
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, photo(1600, 1200, n)).unwrap();
    }
    util::build(dir.path());
    // The card profile with a smaller total, so a test need not make 14.5 MB of photos.
    own_profile(dir.path(), "card", &[("max_total_bytes", "4_000_000")]);
    let (code, out, err) = run(claimpack(dir.path()).args([
        "kit",
        "claim.zip",
        "--platform",
        "card",
        "--templates",
        "mine",
        "-o",
        "bank",
    ]));
    assert_eq!(code, 0, "{out}{err}");
    let folder = dir.path().join("bank");
    let kit = kit_json(&folder);
    let files = kit["files"].as_array().unwrap();
    let photos: Vec<&Value> = files.iter().filter(|f| !f["from"].is_null()).collect();
    assert_eq!(photos.len(), 6, "nothing left out: {kit}");
    for photo in &photos {
        assert!(photo["bytes"].as_u64().unwrap() <= 250_000, "{photo}");
        assert!(
            photo["transform"].to_string().contains("budget 250 KB"),
            "{photo}"
        );
    }
    let book = files
        .iter()
        .find(|f| f["name"] == "exhibit-book.pdf")
        .unwrap();
    let total: u64 = photos
        .iter()
        .map(|f| f["bytes"].as_u64().unwrap())
        .sum::<u64>()
        + book["bytes"].as_u64().unwrap();
    assert!(total <= 4_000_000, "{total}");
    let upload = fs::read_to_string(folder.join("UPLOAD.txt")).unwrap();
    assert!(
        upload.contains("within the 4 MB one submission takes"),
        "{upload}"
    );
    assert!(
        upload.contains("every picture was fitted under 250 KB"),
        "{upload}"
    );
}
