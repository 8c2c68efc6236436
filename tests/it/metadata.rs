//! Capture metadata against the values ExifTool 12.57 and ffprobe 5.1.9 report for the
//! fixtures (tests/data/media/README.md): times, offsets, sources, orientation,
//! displayed size, rotation, duration and GPS.

use std::fs;

use serde_json::Value;

use crate::util::{claimpack, media, run};

/// Builds a case holding every fixture and returns manifest.json's items by source name.
fn items(show_location: bool) -> Vec<Value> {
    let dir = crate::util::media_case(&[]);
    let case = dir.path().join("case");
    for entry in fs::read_dir(media("")).unwrap() {
        let path = entry.unwrap().path();
        let folder = match path.extension().and_then(|e| e.to_str()) {
            Some("mov" | "mp4") => "videos",
            Some("md") => continue,
            _ => "photos",
        };
        fs::create_dir_all(case.join(folder)).unwrap();
        fs::copy(&path, case.join(folder).join(path.file_name().unwrap())).unwrap();
    }
    let args: &[&str] = if show_location {
        &["--show-location"]
    } else {
        &[]
    };
    let built = crate::util::build_json(dir.path(), &[], args);
    built["exhibits"].as_array().unwrap().clone()
}

fn item<'a>(items: &'a [Value], name: &str) -> &'a Value {
    items
        .iter()
        .find(|i| i["source_name"].as_str().unwrap().ends_with(name))
        .unwrap_or_else(|| panic!("{name} missing"))
}

#[test]
fn capture_times_match_exiftool_and_ffprobe() {
    let items = items(false);
    let expect = [
        // file, captured_at, source
        (
            "phone-samsung-a715f-offset-xmpgps.jpg",
            "2024-01-07T11:02:59.177+01:00",
            "exif:DateTimeOriginal",
        ),
        (
            "phone-samsung-g975f-offset.jpg",
            "2021-04-23T12:38:47+02:00",
            "exif:DateTimeOriginal",
        ),
        (
            "camera-nikon-z30-offset-xmpgps.jpg",
            "2024-01-28T18:58:08.66+01:00",
            "exif:DateTimeOriginal",
        ),
        (
            "phone-google-pixel-gps.jpg",
            "2018-07-25T16:34:23.935476+02:00",
            "exif:DateTimeOriginal",
        ),
        (
            "phone-iphone5c-gps.jpg",
            "2015-07-22T21:31:12.404+01:00",
            "exif:DateTimeOriginal",
        ),
        (
            "phone-iphone6-orientation6.jpg",
            "2016-04-23T00:34:28.908",
            "exif:DateTimeOriginal",
        ),
        (
            "camera-nikon-aw110-orientation6-emptygps.jpg",
            "2014-10-21T10:56:21",
            "exif:DateTimeOriginal",
        ),
        (
            "truncated-half-google-pixel.jpg",
            "2018-07-25T16:34:23.935476+02:00",
            "exif:DateTimeOriginal",
        ),
        (
            "phone-iphone12pro-orientation6-offset.heic",
            "2023-10-22T09:39:48.445+02:00",
            "exif:DateTimeOriginal",
        ),
        (
            "phone-iphone13pro-livephoto.heic",
            "2026-03-23T15:57:20.001+01:00",
            "exif:DateTimeOriginal",
        ),
        (
            "camera-sony-ilce7rm2-exif.webp",
            "2017-05-09T20:26:35",
            "exif:DateTimeOriginal",
        ),
        (
            "screenshot-gnome-creation-time.png",
            "2019-10-09T09:25:02+01:00",
            "png:CreationTime",
        ),
        // The contributor re-encoded this one: mvhd says 2026-05-23, Apple's key the capture.
        (
            "phone-iphone13pro-livephoto.mov",
            "2026-03-23T15:57:19+01:00",
            "quicktime:CreationDate",
        ),
        (
            "phone-iphone6s-livephoto.mov",
            "2021-04-10T11:43:59+01:00",
            "quicktime:CreationDate",
        ),
        ("video-rotate270.mp4", "2019-02-15T21:13:20Z", "mp4:mvhd"),
    ];
    for (name, time, source) in expect {
        let item = item(&items, name);
        assert_eq!(item["captured_at"], time, "{name}");
        assert_eq!(item["captured_at_source"], source, "{name}");
    }
    // The Pixel and the iPhone 5c record no offset, but a GPS clock in UTC two and
    // one hours behind (exiftool's GPSDateTime 14:34:23Z and 20:31:12Z): the time
    // zone is theirs, and the manifest says where it came from.
    for name in ["phone-google-pixel-gps.jpg", "phone-iphone5c-gps.jpg"] {
        assert_eq!(item(&items, name)["offset_from_gps"], true, "{name}");
    }
    assert!(
        item(&items, "camera-nikon-z30-offset-xmpgps.jpg")
            .get("offset_from_gps")
            .is_none()
    );
    // No time inside the file: the file time, labelled as such, with a warning.
    for name in [
        "no-exif.jpg",
        "screenshot-macos-exif-nodate.png",
        "screenshot-no-metadata.png",
    ] {
        let item = item(&items, name);
        assert_eq!(item["captured_at_source"], "file:mtime", "{name}");
        assert!(
            item["warnings"].to_string().contains("modification time"),
            "{name}"
        );
    }
}

#[test]
fn size_orientation_rotation_and_duration_match() {
    let items = items(false);
    let expect = [
        // file, displayed width, height, orientation, rotation, duration
        (
            "phone-iphone6-orientation6.jpg",
            2448,
            3264,
            Some(6),
            None,
            None,
        ),
        (
            "camera-nikon-aw110-orientation6-emptygps.jpg",
            126,
            82,
            Some(6),
            None,
            None,
        ),
        // HEIF rotates with irot; EXIF orientation 6 must not rotate it a second time.
        (
            "phone-iphone12pro-orientation6-offset.heic",
            3024,
            4032,
            Some(6),
            None,
            None,
        ),
        // Coded 100×134; the clean-aperture crop shows 100×133 (ExifTool agrees).
        (
            "phone-iphone13pro-livephoto.heic",
            100,
            133,
            Some(1),
            None,
            None,
        ),
        ("phone-google-pixel-gps.jpg", 1012, 759, Some(1), None, None),
        (
            "screenshot-macos-exif-nodate.png",
            824,
            741,
            Some(1),
            None,
            None,
        ),
        ("screenshot-no-metadata.png", 891, 177, None, None, None),
        ("camera-sony-ilce7rm2-exif.webp", 64, 64, None, None, None),
        ("video-rotate270.mp4", 60, 80, None, Some(270), Some(13.667)),
        (
            "phone-iphone6s-livephoto.mov",
            1440,
            1080,
            None,
            Some(0),
            Some(1.233),
        ),
        (
            "phone-iphone13pro-livephoto.mov",
            480,
            640,
            None,
            Some(0),
            Some(1.933),
        ),
    ];
    for (name, w, h, orientation, rotation, duration) in expect {
        let item = item(&items, name);
        assert_eq!(
            (item["width"].as_u64(), item["height"].as_u64()),
            (Some(w), Some(h)),
            "{name}"
        );
        assert_eq!(item["orientation"].as_u64(), orientation, "{name}");
        assert_eq!(item["rotation"].as_u64(), rotation, "{name}");
        assert_eq!(item["duration_s"].as_f64(), duration, "{name}");
    }
    assert_eq!(
        item(&items, "phone-iphone12pro-orientation6-offset.heic")["camera"],
        "Apple iPhone 12 Pro"
    );
    assert_eq!(
        item(&items, "camera-nikon-z30-offset-xmpgps.jpg")["camera"],
        "NIKON Z 30"
    );
}

#[test]
fn gps_matches_and_is_hidden_unless_asked() {
    let shown = items(true);
    let expect = [
        (
            "phone-google-pixel-gps.jpg",
            50.2996027777778,
            14.8202944444444,
        ),
        ("phone-iphone5c-gps.jpg", 51.55325, -0.00417777777777778),
        (
            "phone-iphone12pro-orientation6-offset.heic",
            41.8434027777778,
            3.06622777777778,
        ),
        (
            "phone-iphone13pro-livephoto.heic",
            49.1989277777778,
            16.6070527777778,
        ),
        // Only in XMP:
        (
            "phone-samsung-a715f-offset-xmpgps.jpg",
            50.0895874833333,
            14.3974095166667,
        ),
        (
            "camera-nikon-z30-offset-xmpgps.jpg",
            50.0895874833333,
            14.3974095166667,
        ),
        // ISO 6709 in the movie's Apple keys (4 decimals there):
        ("phone-iphone6s-livephoto.mov", 52.2097, -0.8955),
    ];
    for (name, latitude, longitude) in expect {
        let gps = &item(&shown, name)["gps"];
        let close = |v: &Value, want: f64| (v.as_f64().unwrap() - want).abs() < 1e-6;
        assert!(
            close(&gps["latitude"], latitude) && close(&gps["longitude"], longitude),
            "{name}: {gps}"
        );
    }
    // An empty GPS block is no position, not 0,0.
    let aw110 = item(&shown, "camera-nikon-aw110-orientation6-emptygps.jpg");
    assert_eq!(
        (aw110["gps"].is_null(), aw110["gps_present"].as_bool()),
        (true, Some(false))
    );

    let hidden = items(false);
    for (name, _, _) in expect {
        let item = item(&hidden, name);
        assert!(
            item["gps"].is_null(),
            "{name}: coordinates must not be written by default"
        );
        assert_eq!(item["gps_present"], true, "{name}");
    }
}

#[test]
fn hostile_files_are_still_sealed_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    fs::create_dir_all(case.join("photos")).unwrap();
    fs::create_dir_all(case.join("videos")).unwrap();
    fs::write(
        case.join("case.toml"),
        "platform = \"ebay\"\nreason = \"damaged\"\n[order]\nid = \"1\"\n",
    )
    .unwrap();
    let pixel = fs::read(media("phone-google-pixel-gps.jpg")).unwrap();
    // guards: truncated EXIF offset — the APP1 segment cut inside its IFD.
    fs::write(case.join("photos/cut-exif.jpg"), &pixel[..600]).unwrap();
    // guards: IFD offsets pointing at themselves (a loop) and past the end.
    let mut looping = pixel[..2000].to_vec();
    looping[22..26].copy_from_slice(&[0x00, 0x00, 0x00, 0x08]);
    fs::write(case.join("photos/loop.jpg"), &looping).unwrap();
    fs::write(case.join("photos/text.jpg"), "not a photo at all\n").unwrap();
    // A PNG whose header claims 2^31 × 2^31 pixels.
    let mut bomb = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x7f\xff\xff\xff\x7f\xff\xff\xff\x08\x02\x00\x00\x00".to_vec();
    bomb.extend_from_slice(&[0; 4]);
    fs::write(case.join("photos/bomb.png"), &bomb).unwrap();
    // A movie whose box claims more bytes than the file has.
    fs::write(
        case.join("videos/lying.mp4"),
        b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2\xff\xff\xff\xffmoov",
    )
    .unwrap();
    fs::write(case.join("videos/empty.mov"), b"").unwrap();

    let (code, out, err) =
        run(claimpack(dir.path()).args(["build", "case", "-o", "x.zip", "--json", "-q"]));
    assert_eq!(code, 0, "{err}");
    let built: Value = serde_json::from_str(&out).unwrap();
    let items = built["exhibits"].as_array().unwrap();
    assert_eq!(items.len(), 6);
    for item in items {
        assert_eq!(item["sha256"].as_str().unwrap().len(), 64, "{item}");
        assert!(
            !item["warnings"].as_array().unwrap().is_empty(),
            "{} has no warning",
            item["source_name"]
        );
    }
    assert_eq!(crate::util::verify(&dir.path().join("x.zip")).0, 0);
}

/// Overwrites the 4-byte value of the first IFD entry of `tag` (type LONG, count 1)
/// in a little- or big-endian EXIF block.
fn patch_exif_pointer(jpeg: &mut [u8], tag: u16, value: u32) {
    let little = [&tag.to_le_bytes()[..], &[4, 0, 1, 0, 0, 0]].concat();
    let big = [&tag.to_be_bytes()[..], &[0, 4, 0, 0, 0, 1]].concat();
    for (pattern, bytes) in [(little, value.to_le_bytes()), (big, value.to_be_bytes())] {
        if let Some(at) = jpeg.windows(8).position(|w| w == pattern.as_slice()) {
            jpeg[at + 8..at + 12].copy_from_slice(&bytes);
            return;
        }
    }
    panic!("no entry for tag {tag:#06x}");
}

#[test]
fn damaged_exif_and_rarer_containers_keep_their_capture_time() {
    let pixel = fs::read(media("phone-google-pixel-gps.jpg")).unwrap();
    let dir = crate::util::media_case(&[]);
    let case = dir.path().join("case");
    fs::create_dir_all(case.join("photos")).unwrap();
    fs::create_dir_all(case.join("videos")).unwrap();
    // guards: one broken pointer lost all EXIF (a GPS IFD past the end of the block,
    // as a game's photo mode writes; an Interop IFD looping back to IFD0, as a repair
    // app left a Samsung's): the capture time fell back to the file's mtime.
    let mut gps_past_end = pixel.clone();
    patch_exif_pointer(&mut gps_past_end, 0x8825, 0x00ff_fff0);
    fs::write(case.join("photos/gps-past-end.jpg"), &gps_past_end).unwrap();
    let mut interop_loop = pixel.clone();
    patch_exif_pointer(&mut interop_loop, 0xa005, 8);
    fs::write(case.join("photos/interop-loop.jpg"), &interop_loop).unwrap();
    // guards: a Sony XAVC MP4 was not taken for a video ("application/octet-stream").
    let mut xavc = fs::read(media("video-rotate270.mp4")).unwrap();
    xavc[8..12].copy_from_slice(b"XAVC");
    fs::write(case.join("videos/sony-xavc.mp4"), &xavc).unwrap();

    let built = crate::util::build_json(dir.path(), &[("CLAIMPACK_FFMPEG", "none")], &[]);
    let items = built["exhibits"].as_array().unwrap().clone();
    for name in ["gps-past-end.jpg", "interop-loop.jpg"] {
        let item = item(&items, name);
        assert_eq!(
            item["captured_at_source"], "exif:DateTimeOriginal",
            "{item}"
        );
        assert!(
            item["captured_at"]
                .as_str()
                .unwrap()
                .starts_with("2018-07-25T16:34:23.935476"),
            "{item}"
        );
        assert!(
            item["warnings"]
                .to_string()
                .contains("part of its EXIF metadata is damaged"),
            "{item}"
        );
    }
    let xavc = item(&items, "sony-xavc.mp4");
    assert_eq!(xavc["media_type"], "video/mp4");
    assert_eq!(xavc["captured_at"], "2019-02-15T21:13:20Z");
    assert_eq!(xavc["captured_at_source"], "mp4:mvhd");
}

#[test]
fn the_capture_tag_wins_over_later_dates_and_the_disagreement_is_named() {
    // guards: a PNG with EXIF DateTimeOriginal 2004-06-21 (in a raw profile text
    // chunk) and XMP/tIME dates from 2016 was shown as taken on 2016-09-15.
    let dir = crate::util::media_case(&[]);
    let photos = dir.path().join("case/photos");
    fs::create_dir_all(&photos).unwrap();
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/corpus");
    fs::copy(
        corpus.join("Exiv2--test_data_ReaganSmallPng.png"),
        photos.join("reagan.png"),
    )
    .unwrap();
    let built = crate::util::build_json(dir.path(), &[("CLAIMPACK_FFMPEG", "none")], &[]);
    let items = built["exhibits"].as_array().unwrap().clone();
    let reagan = item(&items, "reagan.png");
    assert_eq!(reagan["captured_at"], "2004-06-21T23:37:53.06");
    assert_eq!(reagan["captured_at_source"], "exif:DateTimeOriginal");
    assert!(
        reagan["warnings"].to_string().contains(
            "other dates inside the file disagree: xmp:CreateDate says 2016-03-23, png:tIME says 2016-09-15; the time shown is exif:DateTimeOriginal, the time the camera recorded the shot"
        ),
        "{reagan}"
    );
}

#[test]
fn the_timeline_merges_case_dates_and_capture_times_and_flags_contradictions() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    fs::create_dir_all(case.join("photos")).unwrap();
    fs::create_dir_all(case.join("videos")).unwrap();
    // Delivered on 2021-04-23, but the iPhone 6 photo is from 2016 (before delivery,
    // no zone) and the bundle time is 2020 (before the 2021 video).
    fs::write(
        case.join("case.toml"),
        "platform = \"ebay\"\nreason = \"damaged\"\n[order]\nid = \"1\"\nplaced = 2021-04-01\n\
         [shipping]\ndelivered = 2021-04-09\n",
    )
    .unwrap();
    fs::copy(
        media("phone-iphone6-orientation6.jpg"),
        case.join("photos/a.jpg"),
    )
    .unwrap();
    fs::copy(
        media("phone-samsung-g975f-offset.jpg"),
        case.join("photos/b.jpg"),
    )
    .unwrap();
    fs::copy(
        media("phone-iphone6s-livephoto.mov"),
        case.join("videos/c.mov"),
    )
    .unwrap();
    let (code, out, err) = run(claimpack(dir.path()).args([
        "build",
        "case",
        "-o",
        "x.zip",
        "--json",
        "-q",
        "--created-at",
        "2021-04-10T12:00:00Z",
    ]));
    assert_eq!(code, 0, "{err}");
    let built: Value = serde_json::from_str(&out).unwrap();
    let warnings = built["warnings"].to_string();
    assert!(
        warnings.contains("E01 was captured on 2016-04-23, 4 years before the order (2021-04-01): it cannot show the item of this order"),
        "{warnings}"
    );
    assert!(
        warnings.contains("E01's capture time 2016-04-23T00:34:28.908 has no time zone"),
        "{warnings}"
    );
    // 11:43:59+01:00 is 10:43:59Z, before the 12:00Z bundle time: offsets are honoured.
    assert!(!warnings.contains("E03 is dated"), "{warnings}");
    assert!(
        warnings.contains("E02 is dated 2021-04-23T12:38:47+02:00, after the bundle was made"),
        "{warnings}"
    );
    assert!(
        !warnings.contains("E02 was captured on"),
        "after delivery is fine: {warnings}"
    );

    let entries = crate::util::read_entries(&dir.path().join("x.zip"));
    let manifest = entries
        .iter()
        .find(|e| e.name.ends_with("data/manifest.json"))
        .unwrap();
    let manifest: Value = serde_json::from_slice(&manifest.data).unwrap();
    let order: Vec<&str> = manifest["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["source"].as_str().unwrap())
        .collect();
    assert_eq!(
        order,
        [
            "E01 (exif:DateTimeOriginal)",
            "case.toml",
            "case.toml",
            "E03 (quicktime:CreationDate)",
            "E02 (exif:DateTimeOriginal)"
        ]
    );
}

/// Between the order and the delivery, a photo of the item is a question for the
/// buyer (the camera clock?); before the order by more than a month, it cannot be
/// this order's item at all.
#[test]
fn capture_times_before_the_delivery_and_long_before_the_order_are_told_apart() {
    for (placed, delivered, expected) in [
        (
            "2018-07-01",
            "2018-08-01",
            "E01 was captured on 2018-07-25, before the delivery date 2018-08-01 in case.toml",
        ),
        (
            "2026-10-02",
            "2026-10-28",
            "E01 was captured on 2018-07-25, 8 years before the order (2026-10-02)",
        ),
    ] {
        let dir = crate::util::sample_case();
        let case = dir.path().join("case/case.toml");
        let text = fs::read_to_string(&case)
            .unwrap()
            .replace("placed = 2026-10-02", &format!("placed = {placed}"))
            .replace("shipped = 2026-10-04\n", "")
            .replace(
                "delivered = 2026-10-28",
                &format!("delivered = {delivered}"),
            );
        fs::write(&case, text).unwrap();
        let (code, out, err) = crate::util::build_with(dir.path(), &["--json", "-q"]);
        assert_eq!(code, 0, "{err}");
        let built: Value = serde_json::from_str(&out).unwrap();
        let warnings = built["warnings"].to_string();
        assert!(warnings.contains(expected), "{placed}: {warnings}");
    }
}
