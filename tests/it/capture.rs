//! `claimpack capture` against a loopback HTTP server the test starts: static and
//! script-rendered pages, redirects, errors, slow and oversized answers, gzip. Nothing
//! here touches the internet.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::util::{claimpack, run};

/// The page only a script completes: the status text is not in the HTML as served.
pub const JS_PAGE: &str = r##"<!doctype html><html><head><title>Parcel LP00432912345678</title></head>
<body><h1>Tracking LP00432912345678</h1><div id="status">Loading…</div>
<script>setTimeout(function () {
  document.getElementById("status").textContent = "Delivered to parcel locker 0457, Springfield";
  document.body.style.background = "#ffffff";
}, 300);</script></body></html>"##;

const STATIC_PAGE: &str = "<!doctype html><html><head><title>Order 8123</title><style>p{color:red}</style></head>\
<body><h1>Order 8123</h1><p>Status: in transit</p><p>Last update: 2026-10-10 Shenzhen</p></body></html>";

/// A request the server saw.
#[derive(Debug, Clone)]
pub struct Seen {
    pub path: String,
    pub headers: Vec<(String, String)>,
}

/// A loopback server; requests it saw are kept for the test to inspect.
pub struct Server {
    pub base: String,
    pub seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    pub fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let log = Arc::clone(&seen);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let log = Arc::clone(&log);
                std::thread::spawn(move || serve(stream, &log));
            }
        });
        Server { base, seen }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn saw(&self, path: &str) -> Vec<Seen> {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|s| s.path == path)
            .cloned()
            .collect()
    }
}

fn serve(stream: TcpStream, log: &Mutex<Vec<Seen>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = header.trim_end().split_once(':') {
            headers.push((k.trim().to_lowercase(), v.trim().to_owned()));
        }
    }
    log.lock().unwrap().push(Seen {
        path: path.clone(),
        headers,
    });
    let mut out = stream;
    let html = |status: &str, body: &str, extra: &str| {
        format!(
            "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n{extra}\r\n{body}",
            body.len()
        )
        .into_bytes()
    };
    let redirect = |code: &str, to: &str| {
        format!(
            "HTTP/1.1 {code}\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )
        .into_bytes()
    };
    let response = match path.as_str() {
        "/static" => html("200 OK", STATIC_PAGE, ""),
        "/js" => html("200 OK", JS_PAGE, ""),
        "/evil" => html(
            "200 OK",
            "<html><head><title>&lt;script&gt;alert(1)&lt;/script&gt;</title></head>\
             <body><p>&lt;img src=x onerror=alert(2)&gt; delivered</p></body></html>",
            "",
        ),
        "/r1" => redirect("301 Moved Permanently", "/r2"),
        "/r2" => redirect("302 Found", "/static"),
        "/loop" => redirect("302 Found", "/loop"),
        "/set-cookie" => b"HTTP/1.1 302 Found\r\nLocation: /static\r\nSet-Cookie: session=abc; Path=/\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec(),
        "/account" => redirect("302 Found", "/login"),
        "/login" => html("200 OK", "<html><title>Sign in | Shop</title><form>Email</form></html>", ""),
        "/missing" => html("404 Not Found", "<html><title>Not found</title><p>No such parcel</p></html>", ""),
        "/broken" => html("503 Service Unavailable", "<p>try later</p>", ""),
        "/ftp" => redirect("302 Found", "ftp://example.invalid/file"),
        "/latin1" => {
            let body = b"<html><head><title>Z\xfcrich</title></head><body><p>Zugestellt in Z\xfcrich</p></body></html>";
            let mut r = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=iso-8859-1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            )
            .into_bytes();
            r.extend_from_slice(body);
            r
        }
        "/gzip" => {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            gz.write_all(STATIC_PAGE.as_bytes()).unwrap();
            let body = gz.finish().unwrap();
            let mut r = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            )
            .into_bytes();
            r.extend_from_slice(&body);
            r
        }
        "/chunked" => {
            let _ = out.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
            for part in ["<html><title>Chunked</title>", "<p>in two parts</p></html>"] {
                let _ = write!(out, "{:x}\r\n{part}\r\n", part.len());
            }
            let _ = out.write_all(b"0\r\n\r\n");
            return;
        }
        "/declared-huge" => b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 40000000\r\nConnection: close\r\n\r\n<html>".to_vec(),
        "/endless" => {
            // No length: the cap must be enforced while reading.
            let _ = out.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n");
            let chunk = vec![b'a'; 1 << 20];
            for _ in 0..40 {
                if out.write_all(&chunk).is_err() {
                    return;
                }
            }
            return;
        }
        "/slow" => {
            let _ = out.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100\r\nConnection: close\r\n\r\n<html>");
            std::thread::sleep(Duration::from_secs(8));
            return;
        }
        _ => html("404 Not Found", "no route", ""),
    };
    let _ = out.write_all(&response);
}

fn case_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("case")).unwrap();
    std::fs::write(
        dir.path().join("case/case.toml"),
        "platform = \"aliexpress\"\nreason = \"not-received\"\n[order]\nid = \"8123\"\n[shipping]\ntracking = [\"LP00432912345678\"]\n",
    )
    .unwrap();
    dir
}

/// Runs a capture; returns (exit code, record JSON or Null, stderr).
fn capture(dir: &Path, url: &str, args: &[&str]) -> (i32, serde_json::Value, String) {
    let (code, out, err) = run(claimpack(dir)
        .args(["capture", url, "--into", "case", "--json"])
        .args(args));
    let json = serde_json::from_str(&out).unwrap_or(serde_json::Value::Null);
    (code, json, err)
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|r| r.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
}

/// Every record of a (gzip-per-record) WARC: (WARC-Type, headers text, block).
pub fn warc_records(path: &Path) -> Vec<(String, String, Vec<u8>)> {
    let bytes = std::fs::read(path).unwrap();
    let mut data = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes.as_slice())
        .read_to_end(&mut data)
        .unwrap();
    let mut records = Vec::new();
    let mut rest = data.as_slice();
    while !rest.is_empty() {
        let end = rest.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let head = String::from_utf8(rest[..end].to_vec()).unwrap();
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("Content-Length: "))
            .unwrap()
            .parse()
            .unwrap();
        let kind = head
            .lines()
            .find_map(|l| l.strip_prefix("WARC-Type: "))
            .unwrap()
            .to_owned();
        let block = rest[end + 4..end + 4 + length].to_vec();
        records.push((kind, head, block));
        rest = &rest[end + 4 + length + 4..];
    }
    records
}

fn warc_of(dir: &Path) -> PathBuf {
    files_in(&dir.join("case/tracking"))
        .into_iter()
        .find(|p| p.to_string_lossy().ends_with(".warc.gz"))
        .expect("a WARC")
}

#[test]
fn a_static_page_is_archived_with_its_text_and_a_record() {
    let server = Server::start();
    let dir = case_dir();
    let (code, record, err) = capture(
        dir.path(),
        &server.url("/static"),
        &["--caption", "Order status"],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(record["status"], 200);
    assert_eq!(record["title"], "Order 8123");
    assert_eq!(record["caption"], "Order status");
    assert_eq!(record["kind"], "tracking");
    assert!(
        record["skipped"][0]
            .as_str()
            .unwrap()
            .contains("Chromium is not installed")
    );

    let folder = dir.path().join("case/tracking");
    let names: Vec<String> = files_in(&folder)
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(names.iter().any(|n| n.ends_with(".capture.json")));
    let text =
        std::fs::read_to_string(folder.join(names.iter().find(|n| n.ends_with(".txt")).unwrap()))
            .unwrap();
    assert_eq!(
        text,
        "Order 8123\nStatus: in transit\nLast update: 2026-10-10 Shenzhen\n"
    );
    // Every file the record lists has the hash it says.
    for file in record["files"].as_array().unwrap() {
        let bytes = std::fs::read(folder.join(file["name"].as_str().unwrap())).unwrap();
        assert_eq!(file["sha256"], hex_sha256(&bytes));
    }

    let records = warc_records(&warc_of(dir.path()));
    let kinds: Vec<&str> = records.iter().map(|(k, _, _)| k.as_str()).collect();
    assert_eq!(
        kinds,
        ["warcinfo", "response", "request", "metadata", "resource"]
    );
    let (_, head, block) = &records[1];
    assert!(head.contains(&format!("WARC-Target-URI: {}", server.url("/static"))));
    assert!(head.contains("WARC-Payload-Digest: sha256:"), "{head}");
    assert!(
        String::from_utf8_lossy(block).ends_with(STATIC_PAGE),
        "the body as served"
    );
    let (_, request_head, request) = &records[2];
    let response_id = records[1]
        .1
        .lines()
        .find_map(|l| l.strip_prefix("WARC-Record-ID: "))
        .unwrap();
    assert!(request_head.contains(&format!("WARC-Concurrent-To: {response_id}")));
    assert!(String::from_utf8_lossy(request).starts_with("GET /static HTTP/1.1\r\n"));

    // What the server saw: a User-Agent that names claimpack.
    let seen = server.saw("/static");
    let agent = seen[0]
        .headers
        .iter()
        .find(|(k, _)| k == "user-agent")
        .unwrap();
    assert!(agent.1.starts_with("claimpack/"), "{agent:?}");
}

fn hex_sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

#[test]
fn redirects_are_followed_and_every_hop_recorded() {
    let server = Server::start();
    let dir = case_dir();
    let (code, record, err) = capture(dir.path(), &server.url("/r1"), &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(record["final_url"], server.url("/static"));
    let redirects = record["redirects"].as_array().unwrap();
    assert_eq!(redirects.len(), 2);
    assert_eq!(redirects[0]["status"], 301);
    assert_eq!(redirects[0]["location"], server.url("/r2"));
    assert_eq!(redirects[1]["status"], 302);
    let records = warc_records(&warc_of(dir.path()));
    let responses = records.iter().filter(|(k, _, _)| k == "response").count();
    assert_eq!(responses, 3, "one response per hop");
    let (_, _, metadata) = records.iter().find(|(k, _, _)| k == "metadata").unwrap();
    let metadata = String::from_utf8_lossy(metadata);
    assert!(
        metadata.contains(&format!("fetch: 301 {} ", server.url("/r1"))),
        "{metadata}"
    );
}

#[test]
fn cookies_are_not_kept() {
    let server = Server::start();
    let dir = case_dir();
    let (code, _, err) = capture(dir.path(), &server.url("/set-cookie"), &[]);
    assert_eq!(code, 0, "{err}");
    let seen = server.saw("/static");
    assert!(
        seen[0].headers.iter().all(|(k, _)| k != "cookie"),
        "{:?}",
        seen[0].headers
    );
}

#[test]
fn limits_are_enforced_and_nothing_is_written() {
    let server = Server::start();
    let dir = case_dir();
    let folder = dir.path().join("case/tracking");
    for (path, args, words) in [
        ("/loop", &[][..], "more than 5 redirects"),
        ("/missing", &[][..], "answered 404 Not Found"),
        ("/broken", &[][..], "answered 503"),
        ("/declared-huge", &[][..], "larger than 25 MiB"),
        ("/endless", &[][..], "larger than 25 MiB"),
        ("/slow", &["--timeout", "2"][..], "no answer within 2 s"),
        ("/ftp", &[][..], "only http:// and https://"),
    ] {
        let (code, _, err) = capture(dir.path(), &server.url(path), args);
        assert_eq!(code, 2, "{path}: {err}");
        assert!(err.contains(words), "{path}: {err}");
        assert!(
            files_in(&folder).is_empty(),
            "{path} left files: {:?}",
            files_in(&folder)
        );
    }
    // https to a server that speaks plain HTTP: the TLS handshake fails, plainly said.
    let https = server.url("/static").replace("http://", "https://");
    let (code, _, err) = capture(dir.path(), &https, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("(TLS)") || err.contains("connection failed"),
        "{err}"
    );
    for (url, words) in [
        ("file:///etc/passwd", "only http:// and https://"),
        ("not a url", "is not a web address"),
        ("http://:80/", "is not a web address"),
    ] {
        let (code, _, err) = capture(dir.path(), url, &[]);
        assert_eq!(code, 2, "{url}: {err}");
        assert!(err.contains(words), "{url}: {err}");
    }
}

#[test]
fn an_error_page_is_kept_when_asked() {
    let server = Server::start();
    let dir = case_dir();
    let (code, record, err) = capture(dir.path(), &server.url("/missing"), &["--keep-errors"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(record["status"], 404);
    assert_eq!(record["title"], "Not found");
}

#[test]
fn gzip_is_archived_as_sent_and_read_as_text() {
    let server = Server::start();
    let dir = case_dir();
    let (code, record, err) = capture(dir.path(), &server.url("/gzip"), &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(record["title"], "Order 8123");
    let records = warc_records(&warc_of(dir.path()));
    let (_, _, block) = &records[1];
    let body_start = block.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    assert_eq!(
        &block[body_start..body_start + 2],
        &[0x1f, 0x8b],
        "still gzip in the WARC"
    );
    let (code, record, _) = capture(dir.path(), &server.url("/latin1"), &[]);
    assert_eq!(code, 0);
    assert_eq!(record["title"], "Zürich", "decoded in its declared charset");
    let (code, record, _) = capture(dir.path(), &server.url("/chunked"), &[]);
    assert_eq!(code, 0);
    assert_eq!(record["title"], "Chunked");
}

#[test]
fn the_capture_goes_into_the_kind_folder_and_a_bad_target_is_refused() {
    let server = Server::start();
    let dir = case_dir();
    let (code, _, err) = capture(dir.path(), &server.url("/static"), &["--kind", "listing"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(files_in(&dir.path().join("case/listing")).len(), 3);
    let (code, _, err) =
        run(claimpack(dir.path()).args(["capture", &server.url("/static"), "--into", "nowhere"]));
    assert_eq!(code, 2);
    assert!(err.contains("nowhere: no such case folder"), "{err}");
}

#[test]
#[cfg_attr(not(interop), ignore = "needs warcio; set CLAIMPACK_INTEROP=1")]
fn warcio_accepts_every_warc() {
    let server = Server::start();
    let dir = case_dir();
    for path in ["/static", "/r1", "/gzip", "/chunked", "/latin1"] {
        let (code, _, err) = capture(dir.path(), &server.url(path), &[]);
        assert_eq!(code, 0, "{path}: {err}");
    }
    let (code, _, err) = capture(dir.path(), &server.url("/missing"), &["--keep-errors"]);
    assert_eq!(code, 0, "{err}");
    let warcs: Vec<PathBuf> = files_in(&dir.path().join("case/tracking"))
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".warc.gz"))
        .collect();
    assert_eq!(warcs.len(), 6);
    for warc in &warcs {
        let check = std::process::Command::new("warcio")
            .args(["check", "-v"])
            .arg(warc)
            .output()
            .expect("warcio on PATH (pip install warcio)");
        let out = String::from_utf8_lossy(&check.stdout);
        assert!(
            check.status.success(),
            "warcio check {}: {out}",
            warc.display()
        );
        assert!(!out.contains("digest failed"), "{out}");
        assert!(out.matches("digest pass").count() >= 4, "{out}");
        let index = std::process::Command::new("warcio")
            .arg("index")
            .arg(warc)
            .output()
            .unwrap();
        assert!(index.status.success());
        let index = String::from_utf8_lossy(&index.stdout);
        assert!(index.contains("\"warc-type\": \"response\""), "{index}");
        assert!(index.contains("\"warc-type\": \"metadata\""), "{index}");
    }
}

#[test]
#[cfg_attr(not(interop), ignore = "needs chromium; set CLAIMPACK_INTEROP=1")]
fn chromium_renders_what_only_the_script_writes() {
    let server = Server::start();
    let dir = case_dir();
    let (code, out, err) = run(claimpack(dir.path())
        .env("CLAIMPACK_CHROMIUM", "chromium")
        .args(["capture", &server.url("/js"), "--into", "case", "--json"]));
    assert_eq!(code, 0, "{err}");
    let record: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(record["browser"], "chromium", "{record:#}");
    assert!(
        record["skipped"].as_array().unwrap().is_empty(),
        "{record:#}"
    );
    let folder = dir.path().join("case/tracking");
    let find = |suffix: &str| {
        files_in(&folder)
            .into_iter()
            .find(|p| p.to_string_lossy().ends_with(suffix))
            .unwrap_or_else(|| panic!("no {suffix}"))
    };
    let text = std::fs::read_to_string(find(".txt")).unwrap();
    assert!(
        text.contains("Delivered to parcel locker 0457, Springfield"),
        "{text}"
    );
    assert!(
        !JS_PAGE.contains("Tracking LP00432912345678\nDelivered"),
        "sanity"
    );
    let png = image::open(find(".png")).unwrap().to_luma8();
    let dark = png.pixels().filter(|p| p.0[0] < 128).count();
    assert!(dark > 500, "the screenshot is blank ({dark} dark pixels)");
    assert!(png.height() < 8000, "the empty bottom was trimmed");
    let pdf = std::fs::read(find(".pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    // In the report the screenshot is read, not glanced at: a card across the
    // width with a preview wider than other pictures get.
    let (manifest, report) = build_and_read(dir.path());
    let shot = item(&manifest, ".png");
    let card = report
        .split("<div class=\"exhibit")
        .find(|c| c.contains(&format!("id=\"{}\"", shot["id"].as_str().unwrap())))
        .unwrap();
    assert!(card.starts_with(" wide\""), "{card}");
    let width: u32 = card
        .split("<img src=")
        .nth(1)
        .and_then(|img| img.split("width=\"").nth(1))
        .and_then(|w| w.split('"').next())
        .and_then(|w| w.parse().ok())
        .unwrap();
    assert!(width > 480, "the page preview is {width} px wide");
}

fn build_and_read(dir: &Path) -> (serde_json::Value, String) {
    let (code, out, err) = run(claimpack(dir).args([
        "build",
        "case",
        "-o",
        "claim.zip",
        "--created-at",
        "2026-11-24T00:00:00Z",
    ]));
    assert_eq!(code, 0, "{out}{err}");
    let entries = crate::util::read_entries(&dir.join("claim.zip"));
    let entry = |suffix: &str| {
        entries
            .iter()
            .find(|e| e.name.ends_with(suffix))
            .unwrap_or_else(|| panic!("no {suffix}"))
            .data
            .clone()
    };
    let manifest: serde_json::Value = serde_json::from_slice(&entry("data/manifest.json")).unwrap();
    let report = String::from_utf8(entry("data/report.html")).unwrap();
    (manifest, report)
}

fn item<'a>(manifest: &'a serde_json::Value, suffix: &str) -> &'a serde_json::Value {
    manifest["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["source_name"].as_str().unwrap().ends_with(suffix))
        .unwrap_or_else(|| panic!("no item {suffix}"))
}

#[test]
fn captures_become_exhibits_with_their_address_time_and_status() {
    let server = Server::start();
    let dir = case_dir();
    let (code, record, err) = capture(dir.path(), &server.url("/r1"), &[]);
    assert_eq!(code, 0, "{err}");
    let (manifest, report) = build_and_read(dir.path());
    // One capture, one exhibit: its visible text is the face (no Chromium here), the
    // WARC and the record are sealed under the same number.
    let items = manifest["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{items:#?}");
    let warc = item(&manifest, ".txt");
    let attachments = warc["attachments"].as_array().unwrap();
    let parts: Vec<&str> = attachments
        .iter()
        .map(|a| a["part"].as_str().unwrap())
        .collect();
    assert_eq!(
        parts,
        [
            "web archive (WARC) of the exchange with the server",
            "capture record with the hash of each file"
        ],
        "{attachments:#?}"
    );
    for attachment in attachments {
        let path = attachment["path"].as_str().unwrap();
        assert!(path.starts_with("data/evidence/E01-"), "{path}");
        assert_eq!(attachment["sha256"].as_str().unwrap().len(), 64);
    }
    assert!(report.contains("Sealed with this exhibit, under the same number"));
    assert_eq!(warc["page"]["url"], server.url("/r1"));
    assert_eq!(warc["page"]["final_url"], server.url("/static"));
    assert_eq!(warc["page"]["status"], 200);
    assert_eq!(warc["page"]["source"], "capture record");
    assert_eq!(warc["captured_at_source"], "capture:started_at");
    // The same instant (the manifest drops trailing zeros of the milliseconds).
    let instant = |v: &serde_json::Value| v.as_str().unwrap().parse::<jiff::Timestamp>().unwrap();
    assert_eq!(
        instant(&warc["captured_at"]),
        instant(&record["started_at"])
    );
    let caption = warc["caption"].as_str().unwrap();
    assert!(caption.starts_with("Tracking page, captured "), "{caption}");
    assert!(
        !caption.contains("visible text"),
        "one caption for the capture: {caption}"
    );
    // verify checks the attachments as it checks exhibits.
    let (code, out, _) = crate::util::verify(&dir.path().join("claim.zip"));
    assert_eq!(code, 0, "{out}");
    assert!(
        report.contains("HTTP status 200"),
        "the report shows the status"
    );
    // The captured text is shown as text, escaped, across the card.
    let text_file = std::fs::read_dir(dir.path().join("case/tracking"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().ends_with(".txt"))
        .unwrap();
    let text = std::fs::read_to_string(text_file).unwrap();
    let word = text
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| w.len() >= 6)
        .unwrap();
    assert!(
        report.contains("<div class=\"exhibit wide\""),
        "no wide card"
    );
    let excerpt = report.split("<pre class=\"excerpt\">").nth(1).unwrap();
    assert!(excerpt.contains(word), "{word} not in {excerpt}");
    assert!(report.contains(&server.url("/static").replace('/', "&#x2f;")));
    // The statement cites the capture for the reason that needs it.
    let (_, statement, _) = run(claimpack(dir.path()).args(["summary", "case"]));
    assert!(
        statement.contains("The tracking page is in Exhibit E01."),
        "{statement}"
    );
}

#[test]
fn a_captured_page_is_never_markup_in_the_report() {
    let server = Server::start();
    let dir = case_dir();
    let (code, record, err) = capture(dir.path(), &server.url("/evil"), &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(record["title"], "<script>alert(1)</script>");
    let (_, report) = build_and_read(dir.path());
    assert!(
        !report.contains("<script>alert"),
        "title inserted as markup"
    );
    assert!(!report.contains("<img src=x"), "text inserted as markup");
    assert!(
        report.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"),
        "the title is shown, escaped"
    );
}

#[test]
fn pages_saved_by_the_buyer_are_described() {
    let dir = case_dir();
    let tracking = dir.path().join("case/tracking");
    std::fs::create_dir_all(&tracking).unwrap();
    std::fs::write(
        tracking.join("saved.html"),
        "<!DOCTYPE html>\n<!-- saved from url=(0041)https://track.example.com/?n=LP00432912 -->\n\
         <html><head><title>Track LP00432912</title></head><body>In transit</body></html>",
    )
    .unwrap();
    std::fs::write(
        tracking.join("page.mhtml"),
        "From: <Saved by Blink>\r\nSnapshot-Content-Location: https://track.example.com/lp\r\n\
         Subject: Parcel status\r\nDate: Tue, 10 Nov 2026 09:15:00 +0100\r\nMIME-Version: 1.0\r\n\r\nbody",
    )
    .unwrap();
    std::fs::write(
        tracking.join("print.pdf"),
        b"%PDF-1.4\n1 0 obj << /Title (Tracking LP00432912) /CreationDate (D:20261110091500+01'00') >> endobj\n%%EOF\n",
    )
    .unwrap();
    let (manifest, report) = build_and_read(dir.path());
    let html = item(&manifest, "saved.html");
    assert_eq!(
        html["page"]["url"],
        "https://track.example.com/?n=LP00432912"
    );
    assert_eq!(html["page"]["title"], "Track LP00432912");
    let mhtml = item(&manifest, "page.mhtml");
    assert_eq!(mhtml["page"]["url"], "https://track.example.com/lp");
    assert_eq!(mhtml["page"]["title"], "Parcel status");
    assert_eq!(mhtml["captured_at"], "2026-11-10T09:15:00+01:00");
    assert_eq!(mhtml["captured_at_source"], "mhtml:Date");
    let pdf = item(&manifest, "print.pdf");
    assert_eq!(pdf["page"]["title"], "Tracking LP00432912");
    assert_eq!(pdf["captured_at"], "2026-11-10T09:15:00+01:00");
    assert!(report.contains("Track LP00432912"));
}

#[test]
fn a_warc_from_elsewhere_is_read_from_its_first_response() {
    let server = Server::start();
    let dir = case_dir();
    let (code, _, err) = capture(dir.path(), &server.url("/static"), &[]);
    assert_eq!(code, 0, "{err}");
    // Without its capture record, the WARC speaks for itself.
    let folder = dir.path().join("case/tracking");
    for file in files_in(&folder) {
        let name = file.to_string_lossy().into_owned();
        if name.ends_with(".warc.gz") {
            std::fs::rename(&file, folder.join("archive.warc.gz")).unwrap();
        } else {
            std::fs::remove_file(&file).unwrap();
        }
    }
    let (manifest, _) = build_and_read(dir.path());
    let warc = item(&manifest, "archive.warc.gz");
    assert_eq!(warc["page"]["source"], "WARC headers");
    assert_eq!(warc["page"]["url"], server.url("/static"));
    assert_eq!(warc["page"]["status"], 200);
    assert_eq!(warc["page"]["title"], "Order 8123");
    assert_eq!(warc["captured_at_source"], "warc:WARC-Date");
}

#[test]
fn a_warc_that_inflates_without_end_is_read_only_so_far() {
    // guards: a gzip bomb named .warc.gz in tracking/ (256 MiB of zeros).
    let dir = case_dir();
    let tracking = dir.path().join("case/tracking");
    std::fs::create_dir_all(&tracking).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..256 {
        gz.write_all(&zeros).unwrap();
    }
    std::fs::write(tracking.join("bomb.warc.gz"), gz.finish().unwrap()).unwrap();
    let (manifest, _) = build_and_read(dir.path());
    assert!(item(&manifest, "bomb.warc.gz")["page"].is_null());
}

/// A capture that lands on a sign-in or error page is kept (it shows what the site
/// answered) but named for what it is, and counted as nothing.
#[test]
fn a_capture_of_a_sign_in_or_error_page_is_kept_and_flagged() {
    let server = Server::start();
    let dir = case_dir();
    let (code, _, err) = capture(dir.path(), &server.url("/account"), &["--kind", "order"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = capture(dir.path(), &server.url("/missing"), &["--keep-errors"]);
    assert_eq!(code, 0, "{err}");
    let (manifest, report) = build_and_read(dir.path());
    let items = manifest["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "one exhibit per capture: {items:#?}");
    let shows = |folder: &str| {
        items
            .iter()
            .find(|i| i["source_name"].as_str().unwrap().starts_with(folder))
            .unwrap()["not_the_page"]
            .as_str()
            .unwrap_or("")
            .to_owned()
    };
    assert_eq!(shows("order/"), "a sign-in page titled \"Sign in | Shop\"");
    assert_eq!(shows("tracking/"), "an HTTP 404 error page");
    assert!(
        report.contains("this capture shows a sign-in page"),
        "{report}"
    );

    let (_, check, _) = run(claimpack(dir.path()).args(["check", "case"]));
    assert!(
        check.contains(
            "shows an HTTP 404 error page, not the tracking page: it is kept but not counted"
        ),
        "{check}"
    );
    let (_, statement, _) = run(claimpack(dir.path()).args(["summary", "case"]));
    assert!(
        statement.contains("(the capture shows an HTTP 404 error page, not the tracking page)."),
        "{statement}"
    );
    assert!(
        !statement.contains("The tracking page is in Exhibit"),
        "{statement}"
    );
}
