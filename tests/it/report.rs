//! The HTML report: self-contained, no scripts, every untrusted text escaped, upright
//! thumbnails stored as derived files; and, under CLAIMPACK_INTEROP=1, rendered by
//! headless Chromium to a screenshot and a PDF.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::util::{self, media};

fn entry(zip: &Path, suffix: &str) -> Vec<u8> {
    util::read_entries(zip)
        .into_iter()
        .find(|e| e.name.ends_with(suffix))
        .unwrap_or_else(|| panic!("{suffix} missing"))
        .data
}

/// Replaces what changes with the bytes (hashes, inline images) by stable tokens.
fn redact(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    // The template escapes '/' inside attributes as &#x2f;.
    while let Some(at) = rest.find("data:image&#x2f;jpeg;base64,") {
        out.push_str(&rest[..at]);
        out.push_str("[thumbnail]");
        rest = &rest[at..];
        rest = &rest[rest.find('"').unwrap_or(rest.len())..];
    }
    out.push_str(rest);
    let mut redacted = String::new();
    let mut hex_run = String::new();
    for c in out.chars() {
        if c.is_ascii_hexdigit() && !c.is_ascii_uppercase() {
            hex_run.push(c);
            continue;
        }
        redacted.push_str(if hex_run.len() == 64 {
            "[sha256]"
        } else {
            &hex_run
        });
        hex_run.clear();
        redacted.push(c);
    }
    redacted.push_str(&hex_run);
    redacted
}

#[test]
fn the_report_is_pinned() {
    let dir = util::sample_case();
    let zip = util::build(dir.path());
    let html = String::from_utf8(entry(&zip, "data/report.html")).unwrap();
    insta::assert_snapshot!(redact(&html));
}

#[test]
fn hostile_captions_and_names_appear_as_text() {
    let dir = util::sample_case();
    let case = dir.path().join("case");
    let evil_name = "\"><img src=x onerror=alert(1)>.txt";
    fs::write(case.join("chat").join(evil_name), "hello").unwrap();
    let toml = fs::read_to_string(case.join("case.toml")).unwrap()
        + "\n[[evidence]]\npath = \"chat/seller-chat.txt\"\ncaption = \"<script>alert('x')</script> & </pre><b>bold</b>\"\n";
    let toml = toml.replace(
        "item = \"Bluetooth speaker, black\"",
        "item = \"Speaker <iframe src=//evil.example>\"",
    );
    fs::write(case.join("case.toml"), toml).unwrap();
    let zip = util::build(dir.path());
    let html = String::from_utf8(entry(&zip, "data/report.html")).unwrap();
    assert!(!html.contains("<script"), "a script tag got through");
    assert!(!html.contains("<iframe"), "an iframe got through");
    assert!(
        !html.contains("<img src=x"),
        "an attribute injection got through"
    );
    assert!(!html.contains("<b>bold"), "markup in a caption got through");
    assert!(
        html.contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;&#x2f;script&gt; &amp;"),
        "caption not shown as text"
    );
    assert!(
        html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;.txt"),
        "file name not shown as text"
    );
    assert!(html.contains("Content-Security-Policy"));
    assert!(html.contains("default-src 'none'"));
}

#[test]
fn thumbnails_are_upright_derived_files_with_their_own_hashes() {
    let names = [
        "phone-iphone6-orientation6.jpg",
        "phone-iphone5c-gps.jpg",
        "screenshot-gnome-creation-time.png",
        "camera-sony-ilce7rm2-exif.webp",
        "phone-iphone12pro-orientation6-offset.heic",
        "truncated-half-google-pixel.jpg",
    ];
    let files: Vec<(&str, String)> = names.iter().map(|n| (*n, format!("photos/{n}"))).collect();
    let files: Vec<(&str, &str)> = files.iter().map(|(n, p)| (*n, p.as_str())).collect();
    let dir = util::media_case(&files);
    let zip = util::build(dir.path());
    assert_eq!(util::verify(&zip).0, 0);
    let manifest: Value = serde_json::from_slice(&entry(&zip, "data/manifest.json")).unwrap();
    let item = |name: &str| {
        manifest["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["source_name"].as_str().unwrap().ends_with(name))
            .unwrap()
            .clone()
    };
    let dims = |path: &str| {
        let jpeg = entry(&zip, path);
        let image = image::load_from_memory(&jpeg).unwrap();
        (image.width(), image.height())
    };
    // Stored 3264×2448 with orientation 6: the preview stands upright, 480 tall.
    let iphone6 = item("phone-iphone6-orientation6.jpg");
    assert_eq!(dims(iphone6["thumbnail"].as_str().unwrap()), (360, 480));
    // Small originals are not enlarged.
    assert_eq!(
        dims(
            item("phone-iphone5c-gps.jpg")["thumbnail"]
                .as_str()
                .unwrap()
        ),
        (100, 133)
    );
    assert_eq!(
        dims(
            item("screenshot-gnome-creation-time.png")["thumbnail"]
                .as_str()
                .unwrap()
        ),
        (480, 480)
    );
    assert_eq!(
        dims(
            item("camera-sony-ilce7rm2-exif.webp")["thumbnail"]
                .as_str()
                .unwrap()
        ),
        (64, 64)
    );
    // No HEIC decoder: a placeholder, no thumbnail file, no failure.
    assert!(item("phone-iphone12pro-orientation6-offset.heic")["thumbnail"].is_null());
    // The derived files are in the payload manifest like everything else.
    let manifest_txt = String::from_utf8(entry(&zip, "manifest-sha256.txt")).unwrap();
    assert!(manifest_txt.contains(iphone6["thumbnail"].as_str().unwrap()));
    // Originals are untouched.
    assert_eq!(
        entry(&zip, iphone6["path"].as_str().unwrap()),
        fs::read(media("phone-iphone6-orientation6.jpg")).unwrap()
    );
}

#[test]
fn a_decompression_bomb_gets_a_placeholder_not_an_out_of_memory() {
    let dir = util::media_case(&[]);
    let case = dir.path().join("case");
    fs::create_dir_all(case.join("photos")).unwrap();
    // A real PNG of 20000×20000 grey pixels compresses to a few hundred kilobytes and
    // would need 1.2 GB to decode.
    let mut png = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut png, 20_000, 20_000);
        encoder.set_color(png::ColorType::Rgb);
        let mut writer = encoder.write_header().unwrap();
        let mut stream = writer.stream_writer().unwrap();
        let row = vec![128u8; 20_000 * 3];
        for _ in 0..20_000 {
            std::io::Write::write_all(&mut stream, &row).unwrap();
        }
        stream.finish().unwrap();
    }
    fs::write(case.join("photos/bomb.png"), &png).unwrap();
    let built = util::build_json(dir.path(), &[], &[]);
    let warnings = built["exhibits"][0]["warnings"].to_string();
    assert!(
        warnings.contains("no preview") && warnings.contains("MiB to decode"),
        "{warnings}"
    );
}

#[test]
#[cfg_attr(not(interop), ignore = "needs chromium; set CLAIMPACK_INTEROP=1")]
fn chromium_renders_the_report_to_a_screenshot_and_a_pdf() {
    let dir = util::sample_case();
    let zip = util::build(dir.path());
    let report = dir.path().join("report.html");
    fs::write(&report, entry(&zip, "data/report.html")).unwrap();
    let profile = dir.path().join("profile");
    let chromium = |extra: &[String]| util::chromium(&profile, &report, extra);
    let png = dir.path().join("report.png");
    let pdf = dir.path().join("report.pdf");
    chromium(&[
        format!("--screenshot={}", png.display()),
        "--window-size=412,2000".to_owned(),
    ]);
    chromium(&[
        format!("--print-to-pdf={}", pdf.display()),
        "--no-pdf-header-footer".to_owned(),
    ]);
    let screenshot = image::open(&png).unwrap().to_rgb8();
    // Not blank: the page drew text and pictures, not one flat colour.
    let first = screenshot.get_pixel(0, 0);
    let differing = screenshot.pixels().filter(|p| *p != first).count();
    assert!(
        differing > 10_000,
        "the screenshot is blank ({differing} pixels differ)"
    );
    let pdf_bytes = fs::read(&pdf).unwrap();
    assert!(pdf_bytes.starts_with(b"%PDF-"));
    // Exhibits start on new pages: at least statement page + one page per exhibit.
    // The page tree's root /Count is the number of pages.
    let text = String::from_utf8_lossy(&pdf_bytes);
    let pages = text
        .match_indices("/Count ")
        .filter_map(|(at, _)| {
            let digits: String = text[at + 7..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse::<usize>().ok()
        })
        .max()
        .unwrap_or(0);
    assert!(pages >= 5, "{pages} pages");
}

#[test]
#[cfg_attr(not(interop), ignore = "needs ffmpeg; set CLAIMPACK_INTEROP=1")]
fn videos_get_an_upright_poster_frame_with_ffmpeg() {
    let dir = util::media_case(&[("video-rotate270.mp4", "videos/rotated.mp4")]);
    let built = util::build_json(dir.path(), &[("CLAIMPACK_FFMPEG", "ffmpeg")], &[]);
    let zip = dir.path().join("x.zip");
    // Coded 80×60, displayed 60×80: ffmpeg applies the display matrix.
    assert_eq!(thumbnail_size(&zip, &built, 0), (60, 80));
}

#[test]
#[cfg_attr(
    not(interop),
    ignore = "needs heif-convert (libheif-examples); set CLAIMPACK_INTEROP=1"
)]
fn heic_photos_get_a_preview_rotated_once_with_libheif() {
    let dir = util::media_case(&[
        (
            "phone-iphone12pro-orientation6-offset.heic",
            "photos/a.heic",
        ),
        ("phone-iphone13pro-livephoto.heic", "photos/b.heic"),
    ]);
    let built = util::build_json(
        dir.path(),
        &[("CLAIMPACK_HEIF_CONVERT", "heif-convert")],
        &[],
    );
    let zip = dir.path().join("x.zip");
    // 4032×3024 tiles with irot 270 and EXIF orientation 6: upright once is portrait.
    assert_eq!(thumbnail_size(&zip, &built, 0), (360, 480));
    // Coded 100×134 with a clean-aperture crop to 100×133, which libheif applies.
    assert_eq!(thumbnail_size(&zip, &built, 1), (100, 133));
}

/// The pixel size of exhibit `index`'s thumbnail.
fn thumbnail_size(zip: &Path, built: &Value, index: usize) -> (u32, u32) {
    let thumb = built["exhibits"][index]["thumbnail"]
        .as_str()
        .expect("a preview")
        .to_owned();
    let image = image::load_from_memory(&entry(zip, &thumb)).unwrap();
    (image.width(), image.height())
}

#[test]
fn a_report_template_override_is_honoured() {
    let dir = util::sample_case();
    let templates = dir.path().join("my-templates");
    fs::create_dir(&templates).unwrap();
    fs::write(
        templates.join("report.html.j2"),
        "<!doctype html><title>mine</title><p>Own report for {{ case.order.id }}</p>\n",
    )
    .unwrap();
    let (code, out, err) = util::build_with(dir.path(), &["--templates", "my-templates"]);
    assert_eq!(code, 0, "{out}{err}");
    let html = String::from_utf8(entry(&dir.path().join("claim.zip"), "data/report.html")).unwrap();
    // minijinja drops the template's final newline, as it does for the built-in one.
    assert_eq!(
        html,
        "<!doctype html><title>mine</title><p>Own report for 8123456789012345</p>"
    );
}

#[test]
fn hidden_characters_in_file_names_are_neutralised_in_the_terminal_and_shown_in_the_report() {
    let dir = util::sample_case();
    // Text saved as .jpg, so build warns about it and prints its name. The override
    // makes "invoice<RLO>gpj.exe" read as "invoiceexe.jpg"; the zero-width space makes
    // two names look alike.
    let name = "invoice\u{202E}gpj.exe\u{200B}.jpg";
    fs::write(dir.path().join("case/photos").join(name), "not a photo").unwrap();
    let (code, out, err) = util::build_with(dir.path(), &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("photos/invoice?gpj.exe?.jpg: it is filed as a photo"),
        "{out}"
    );
    for text in [&out, &err] {
        assert!(!text.contains('\u{202E}') && !text.contains('\u{200B}'));
    }
    let html = String::from_utf8(entry(&dir.path().join("claim.zip"), "data/report.html")).unwrap();
    assert!(
        html.contains("invoice[U+202E]gpj.exe[U+200B].jpg"),
        "the report shows the hidden characters"
    );
    assert!(!html.contains('\u{202E}') && !html.contains('\u{200B}'));
}

/// On a phone (390 px wide) nothing pushes the page sideways: tables put each label
/// above its value and long hashes, addresses and names wrap. Measured in Chromium
/// on a copy of the report with a script that reads the page's scroll width (the
/// report itself carries no script).
#[test]
#[cfg_attr(not(interop), ignore = "needs chromium; set CLAIMPACK_INTEROP=1")]
fn the_report_reflows_at_phone_width() {
    let dir = util::sample_case();
    let case = dir.path().join("case/case.toml");
    let text = fs::read_to_string(&case).unwrap().replace(
        "seller = \"XYZ Official Store\"",
        "seller = \"XYZ_Official_Store_with_a_very_long_name_that_has_no_spaces_at_all_anywhere\"\nurl = \"https://www.aliexpress.com/item/1005001234567890.html?spm=a2g0o.order_list.order_list_main.5.21ef1802XqAbCdEfGh\"",
    );
    fs::write(&case, text).unwrap();
    let zip = util::build(dir.path());
    // The report unchanged, in a frame 390 px wide; the script is the probe's.
    fs::write(
        dir.path().join("report.html"),
        entry(&zip, "data/report.html"),
    )
    .unwrap();
    let probe = "<!doctype html><html><body style=\"margin:0\">\
        <iframe id=\"r\" src=\"report.html\" style=\"width:390px;height:800px;border:0\"></iframe>\
        <script>document.getElementById('r').addEventListener('load', () => {\
          const doc = document.getElementById('r').contentDocument;\
          const root = doc.documentElement;\
          let wide = '';\
          for (const el of doc.querySelectorAll('body *')) {\
            const past = el.getBoundingClientRect().right > root.clientWidth + 1;\
            const spills = el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1;\
            if (past || spills) {\
              wide = el.tagName + '.' + el.className + ': ' + el.textContent.slice(0, 80); } }\
          document.body.setAttribute('data-widths', root.scrollWidth + ' ' + root.clientWidth);\
          document.body.setAttribute('data-wide', wide); });</script></body></html>";
    let page = dir.path().join("probe.html");
    fs::write(&page, probe).unwrap();
    let dom = util::chromium(
        &dir.path().join("profile"),
        &page,
        &[
            "--allow-file-access-from-files".to_owned(),
            "--virtual-time-budget=5000".to_owned(),
            "--dump-dom".to_owned(),
        ],
    );
    let attribute = |name: &str| -> String {
        let at = dom
            .find(&format!("{name}=\""))
            .unwrap_or_else(|| panic!("no {name} in the DOM; did the probe run?"));
        let rest = &dom[at + name.len() + 2..];
        rest[..rest.find('"').unwrap()].to_owned()
    };
    let widths = attribute("data-widths");
    let (scroll, client) = widths.split_once(' ').unwrap();
    let client: u32 = client.parse().unwrap();
    assert!((370..=390).contains(&client), "viewport {client}");
    assert_eq!(
        scroll,
        client.to_string(),
        "the page is wider than the phone; first element past the edge: {}",
        attribute("data-wide")
    );
}

/// A text exhibit (a chat transcript) is shown as text: escaped, hidden characters
/// shown by their code, cut at a few thousand characters with a note.
#[test]
fn text_exhibits_are_shown_as_escaped_text() {
    let dir = util::sample_case();
    let chat = format!(
        "Seller: <script>alert(1)</script> refund\u{202E}txt.exe\n{}",
        "and so on. ".repeat(600)
    );
    fs::write(dir.path().join("case/chat/seller-chat.txt"), chat).unwrap();
    let zip = util::build(dir.path());
    let report = String::from_utf8(entry(&zip, "data/report.html")).unwrap();
    let excerpt = report
        .split("<pre class=\"excerpt\">")
        .nth(1)
        .and_then(|rest| rest.split("</pre>").next())
        .unwrap();
    assert!(
        excerpt.starts_with(
            "Seller: &lt;script&gt;alert(1)&lt;&#x2f;script&gt; refund[U+202E]txt.exe"
        ),
        "{excerpt}"
    );
    assert!(!report.contains("<script>alert"));
    assert!(
        excerpt.chars().count() < 3_600,
        "the whole file was inlined"
    );
    assert!(report.contains("The beginning of the file; the exhibit is the whole file."));
}
