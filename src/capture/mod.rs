//! Capture: a web page saved as evidence — the raw HTTP exchange in a WARC file (the
//! web-archiving standard), a full-page screenshot and PDF from headless Chromium when
//! it is installed, the visible text, and a capture record with the hash of each file.
//!
//! A screenshot alone can be faked in a browser's developer tools; the exchange with
//! the server, archived beside it with its time, is much harder to fake. Capture only
//! ever creates new files in the case folder, each complete or not at all.

pub mod browser;
pub mod fetch;
pub mod text;
pub mod warc;

use std::io::Read;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use url::Url;

use crate::model::EvidenceKind;
use browser::Browser;
use fetch::{Hop, Limits};

/// The format name and version of `*.capture.json`.
pub const FORMAT: &str = "claimpack-capture/1";

/// Why a capture failed. Nothing is written when it does.
#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    #[error("\"{url}\" is not a web address: {why}")]
    BadUrl { url: String, why: String },
    #[error("{url}: only http:// and https:// pages can be captured")]
    Scheme { url: String },
    #[error("could not find the server {host} (DNS): check the address, or your connection")]
    Dns { host: String },
    #[error("{url}: the secure connection failed (TLS): {why}")]
    Tls { url: String, why: String },
    #[error("{url}: no answer within {seconds} s")]
    Timeout { url: String, seconds: u64 },
    #[error("{url}: the connection failed: {why}")]
    Network { url: String, why: String },
    #[error("{url}: the page is larger than {} MiB; claimpack does not capture it", limit / 1024 / 1024)]
    TooLarge { url: String, limit: u64 },
    #[error("{url}: more than {limit} redirects ({})", chain.join(" → "))]
    TooManyRedirects {
        url: String,
        limit: usize,
        chain: Vec<String>,
    },
    #[error("{url}: the server answered {status}{}; nothing saved (pass --keep-errors to save an error page as evidence)", reason.as_deref().map(|r| format!(" {r}")).unwrap_or_default())]
    HttpStatus {
        url: String,
        status: u16,
        reason: Option<String>,
    },
    #[error("could not start the HTTP client: {0}")]
    Client(String),
    #[error("{}: no such case folder (create one with `claimpack init`)", .0.display())]
    NoFolder(PathBuf),
    #[error("{}: cannot write", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("--kind {0} is not a page kind; use tracking, listing, order or chat")]
    Kind(EvidenceKind),
}

/// What to do when the server answers 4xx or 5xx.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorPages {
    /// Fail: an error page is rarely the evidence wanted.
    Refuse,
    /// `--keep-errors`: save it anyway (a "not found" listing can be the evidence).
    Keep,
}

/// Checked settings for one capture.
#[derive(Debug, Clone)]
pub struct CaptureConfig {
    pub url: String,
    /// The case folder; files go into its `<kind>` subfolder.
    pub into: PathBuf,
    pub kind: EvidenceKind,
    pub caption: Option<String>,
    pub errors: ErrorPages,
    pub limits: Limits,
    /// Use Chromium when installed.
    pub browser: Option<Browser>,
}

/// The capture record, `<name>.capture.json`. Written by `claimpack capture` and read
/// back by intake (see [`read_record`]); the fields after `started_at` may be missing
/// from a record written by hand or by an older claimpack, and read as empty.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CaptureRecord {
    pub format: String,
    pub url: String,
    pub final_url: String,
    pub status: u16,
    pub kind: EvidenceKind,
    #[serde(default)]
    pub caption: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    pub started_at: String,
    #[serde(default)]
    pub finished_at: String,
    #[serde(default)]
    pub redirects: Vec<Redirect>,
    #[serde(default)]
    pub user_agent: String,
    #[serde(default)]
    pub server_ip: Option<String>,
    /// SHA-256 of the server's TLS certificate (DER), for https.
    #[serde(default)]
    pub tls_certificate_sha256: Option<String>,
    /// Chromium's name when it made the screenshot, PDF and text.
    #[serde(default)]
    pub browser: Option<String>,
    /// What was not made, and why.
    #[serde(default)]
    pub skipped: Vec<String>,
    #[serde(default)]
    pub files: Vec<FileRecord>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Redirect {
    pub url: String,
    pub status: u16,
    pub location: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileRecord {
    pub name: String,
    pub media_type: String,
    pub bytes: u64,
    pub sha256: String,
}

/// What a capture wrote.
#[derive(Debug, Clone, Serialize)]
pub struct Captured {
    pub folder: PathBuf,
    pub record_file: PathBuf,
    pub record: CaptureRecord,
}

/// The folder a page kind goes into.
fn folder_for(kind: EvidenceKind) -> Result<&'static str, CaptureError> {
    match kind {
        EvidenceKind::Tracking => Ok("tracking"),
        EvidenceKind::Listing => Ok("listing"),
        EvidenceKind::Order => Ok("order"),
        EvidenceKind::Chat => Ok("chat"),
        other => Err(CaptureError::Kind(other)),
    }
}

/// Checks an address before anything is fetched. An address typed without its
/// scheme (`www.example.com/track`) gets https, or http for this machine
/// (`127.0.0.1:8765/x`, `localhost:8080`), as a browser's address bar does.
pub fn parse_url(text: &str) -> Result<Url, CaptureError> {
    let trimmed = text.trim();
    let with_scheme = if needs_scheme(trimmed) {
        let host = trimmed.split(['/', '?', '#', ':']).next().unwrap_or("");
        let local = host == "localhost" || host.starts_with("127.") || trimmed.starts_with("[::1]");
        format!("{}://{trimmed}", if local { "http" } else { "https" })
    } else {
        trimmed.to_owned()
    };
    let url = Url::parse(&with_scheme).map_err(|e| CaptureError::BadUrl {
        url: text.to_owned(),
        why: e.to_string(),
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(CaptureError::Scheme {
            url: text.to_owned(),
        });
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(CaptureError::BadUrl {
            url: text.to_owned(),
            why: "it has no server name".to_owned(),
        });
    }
    Ok(url)
}

/// Whether `text` is an address without its scheme: it does not parse as a URL, or
/// what parsed as a scheme is a host followed by a port (`localhost:8080`).
fn needs_scheme(text: &str) -> bool {
    match Url::parse(text) {
        Err(url::ParseError::RelativeUrlWithoutBase) => !text.is_empty(),
        Ok(url) => {
            !matches!(url.scheme(), "http" | "https")
                && text
                    .split_once(':')
                    .is_some_and(|(_, rest)| rest.starts_with(|c: char| c.is_ascii_digit()))
        }
        Err(_) => false,
    }
}

/// The body as text: gzip undone (bounded), decoded in its charset.
fn page_text(hop: &Hop, max: u64) -> Option<String> {
    let gzip = hop
        .header("content-encoding")
        .is_some_and(|e| e.eq_ignore_ascii_case("gzip"));
    let body = if gzip {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(hop.body.as_slice())
            .take(max)
            .read_to_end(&mut out)
            .ok()?;
        out
    } else {
        hop.body.clone()
    };
    let content_type = hop.header("content-type").unwrap_or("").to_lowercase();
    let charset = content_type
        .split(';')
        .find_map(|p| p.trim().strip_prefix("charset="))
        .map(|c| c.trim_matches('"').to_owned());
    Some(text::decode(&body, charset.as_deref()))
}

fn is_html(hop: &Hop) -> bool {
    let content_type = hop.header("content-type").unwrap_or("").to_lowercase();
    content_type.is_empty() || content_type.contains("html")
}

/// A file name part from the host: `track.example.com` → `track-example-com`.
fn host_slug(url: &Url) -> String {
    let host: String = url
        .host_str()
        .unwrap_or("page")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .take(60)
        .collect();
    host.trim_matches('-').to_owned()
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Captures a page into the case folder.
pub fn capture(config: &CaptureConfig) -> Result<Captured, CaptureError> {
    let url = parse_url(&config.url)?;
    let folder_name = folder_for(config.kind)?;
    if !config.into.is_dir() {
        return Err(CaptureError::NoFolder(config.into.clone()));
    }
    let started = Timestamp::now();
    let hops = fetch::fetch(&url, &config.limits)?;
    let last = hops.last().ok_or_else(|| CaptureError::Network {
        url: url.to_string(),
        why: "no response".to_owned(),
    })?;
    if last.status >= 400 && config.errors == ErrorPages::Refuse {
        return Err(CaptureError::HttpStatus {
            url: last.url.to_string(),
            status: last.status,
            reason: reqwest::StatusCode::from_u16(last.status)
                .ok()
                .and_then(|s| s.canonical_reason())
                .map(str::to_owned),
        });
    }
    let final_url = last.url.to_string();
    let html = is_html(last)
        .then(|| page_text(last, config.limits.max_body_bytes * 4))
        .flatten();
    let mut title = html.as_deref().and_then(text::title);
    let mut visible = html.as_deref().map(text::visible_text);

    let mut skipped = Vec::new();
    let mut screenshot = None;
    let mut pdf = None;
    let mut browser_name = None;
    match (&config.browser, is_html(last)) {
        (Some(browser), true) => {
            browser_name = Some(browser.name());
            match browser.screenshot(&final_url) {
                Ok(png) => screenshot = Some(png),
                Err(why) => skipped.push(format!("screenshot: {why}")),
            }
            match browser.pdf(&final_url) {
                Ok(bytes) => pdf = Some(bytes),
                Err(why) => skipped.push(format!("PDF: {why}")),
            }
            match browser.dom(&final_url) {
                // The rendered page is what a person sees: its text wins.
                Ok(dom) => {
                    visible = Some(text::visible_text(&dom));
                    title = text::title(&dom).or(title);
                }
                Err(why) => skipped.push(format!(
                    "rendered text: {why}; the text is taken from the HTML as served"
                )),
            }
        }
        (Some(_), false) => skipped.push(
            "screenshot and PDF: the address is not an HTML page; the WARC holds it as served"
                .to_owned(),
        ),
        (None, _) => skipped.push(
            "screenshot and PDF: Chromium is not installed (Debian/Ubuntu: apt install chromium; \
             or set CLAIMPACK_CHROMIUM to its path); the text is taken from the HTML as served, \
             before any script ran"
                .to_owned(),
        ),
    }
    let finished = Timestamp::now();

    let stem = format!(
        "capture-{}-{}",
        host_slug(&url),
        // Milliseconds keep two captures in the same second apart.
        started.strftime("%Y%m%dT%H%M%S%3fZ")
    );
    let warc_name = format!("{stem}.warc.gz");
    let warc = write_warc(
        &hops,
        &final_url,
        started,
        screenshot.as_deref(),
        pdf.as_deref(),
        visible.as_deref(),
    )
    .map_err(|source| CaptureError::Write {
        path: config.into.join(&warc_name),
        source,
    })?;

    let mut outputs: Vec<(String, &'static str, Vec<u8>)> =
        vec![(warc_name, "application/warc", warc)];
    if let Some(png) = screenshot {
        outputs.push((format!("{stem}.png"), "image/png", png));
    }
    if let Some(pdf) = pdf {
        outputs.push((format!("{stem}.pdf"), "application/pdf", pdf));
    }
    if let Some(text) = &visible {
        outputs.push((
            format!("{stem}.txt"),
            "text/plain; charset=utf-8",
            text.clone().into_bytes(),
        ));
    }

    let record = CaptureRecord {
        format: FORMAT.to_owned(),
        url: url.to_string(),
        final_url,
        status: last.status,
        kind: config.kind,
        caption: config.caption.clone(),
        title,
        started_at: started.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        finished_at: finished.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        redirects: hops
            .iter()
            .filter_map(|h| {
                h.location.as_ref().map(|l| Redirect {
                    url: h.url.to_string(),
                    status: h.status,
                    location: l.to_string(),
                })
            })
            .collect(),
        user_agent: crate::http::user_agent(),
        server_ip: last.remote_ip.map(|ip| ip.to_string()),
        tls_certificate_sha256: last.certificate.as_deref().map(sha256_hex),
        browser: browser_name,
        skipped,
        files: outputs
            .iter()
            .map(|(name, media_type, bytes)| FileRecord {
                name: name.clone(),
                media_type: (*media_type).to_owned(),
                bytes: bytes.len() as u64,
                sha256: sha256_hex(bytes),
            })
            .collect(),
    };
    let mut json = serde_json::to_vec_pretty(&record).unwrap_or_default();
    json.push(b'\n');

    let folder = config.into.join(folder_name);
    std::fs::create_dir_all(&folder).map_err(|source| CaptureError::Write {
        path: folder.clone(),
        source,
    })?;
    // The record goes last: a record file means every file it lists is complete.
    let record_file = folder.join(format!("{stem}.capture.json"));
    let mut written: Vec<PathBuf> = Vec::new();
    for (name, _, bytes) in outputs
        .iter()
        .map(|(n, t, b)| (n.as_str(), *t, b.as_slice()))
        .chain(std::iter::once((
            record_file
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or(""),
            "application/json",
            json.as_slice(),
        )))
    {
        let path = folder.join(name);
        if let Err(source) =
            crate::output::write_whole(&path, bytes, crate::output::Existing::Refuse)
        {
            // All or nothing: take back what this capture already wrote.
            for done in &written {
                let _ = std::fs::remove_file(done);
            }
            return Err(CaptureError::Write { path, source });
        }
        written.push(path);
    }
    Ok(Captured {
        folder,
        record_file,
        record,
    })
}

/// Builds the WARC: warcinfo; per hop a response and its request; a metadata record
/// with the redirect chain, timings and certificate; resources for the screenshot,
/// PDF and text, linked to the final response.
fn write_warc(
    hops: &[Hop],
    final_url: &str,
    started: Timestamp,
    screenshot: Option<&[u8]>,
    pdf: Option<&[u8]>,
    visible: Option<&str>,
) -> std::io::Result<Vec<u8>> {
    let date = |t: Timestamp| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
    let mut out = Vec::new();
    let info = format!(
        "software: claimpack/{}\r\nformat: WARC File Format 1.1\r\nconformsTo: https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\nhttp-header-user-agent: {}\r\ndescription: Evidence capture of {final_url}\r\n",
        env!("CARGO_PKG_VERSION"),
        crate::http::user_agent()
    );
    let info_id = warc::write_record(
        &mut out,
        &warc::Record {
            kind: "warcinfo",
            target_uri: None,
            date: &date(started),
            content_type: "application/warc-fields",
            extra: vec![],
            block: info.as_bytes(),
            payload_offset: None,
        },
    )?;
    let mut final_response = None;
    for hop in hops {
        let mut block = hop.response_head.clone();
        let offset = block.len();
        block.extend_from_slice(&hop.body);
        let mut extra = vec![("WARC-Warcinfo-ID", info_id.clone())];
        if let Some(ip) = hop.remote_ip {
            extra.push(("WARC-IP-Address", ip.to_string()));
        }
        let response_id = warc::write_record(
            &mut out,
            &warc::Record {
                kind: "response",
                target_uri: Some(hop.url.as_str()),
                date: &date(hop.started),
                content_type: "application/http;msgtype=response",
                extra,
                block: &block,
                payload_offset: Some(offset),
            },
        )?;
        warc::write_record(
            &mut out,
            &warc::Record {
                kind: "request",
                target_uri: Some(hop.url.as_str()),
                date: &date(hop.started),
                content_type: "application/http;msgtype=request",
                extra: vec![
                    ("WARC-Warcinfo-ID", info_id.clone()),
                    ("WARC-Concurrent-To", response_id.clone()),
                ],
                block: &hop.request_head,
                payload_offset: Some(hop.request_head.len()),
            },
        )?;
        final_response = Some(response_id);
    }
    let Some(final_response) = final_response else {
        return Ok(out);
    };
    let mut fields = format!("final-url: {final_url}\r\n");
    for hop in hops {
        fields.push_str(&format!(
            "fetch: {} {} {} ms{}\r\n",
            hop.status,
            hop.url,
            hop.elapsed.as_millis(),
            hop.location
                .as_ref()
                .map(|l| format!(" -> {l}"))
                .unwrap_or_default()
        ));
        if let Some(certificate) = &hop.certificate {
            fields.push_str(&format!(
                "tls-certificate-sha256: {} {}\r\n",
                hop.url,
                sha256_hex(certificate)
            ));
            fields.push_str(&format!(
                "tls-certificate-der-base64: {}\r\n",
                base64::Engine::encode(&base64::engine::general_purpose::STANDARD, certificate)
            ));
        }
    }
    let concurrent = vec![
        ("WARC-Warcinfo-ID", info_id.clone()),
        ("WARC-Concurrent-To", final_response.clone()),
    ];
    let now = date(Timestamp::now());
    warc::write_record(
        &mut out,
        &warc::Record {
            kind: "metadata",
            target_uri: Some(final_url),
            date: &now,
            content_type: "application/warc-fields",
            extra: concurrent.clone(),
            block: fields.as_bytes(),
            payload_offset: None,
        },
    )?;
    let resources: [(&str, &str, Option<&[u8]>); 3] = [
        ("screenshot", "image/png", screenshot),
        ("print", "application/pdf", pdf),
        (
            "text",
            "text/plain; charset=utf-8",
            visible.map(str::as_bytes),
        ),
    ];
    for (what, content_type, bytes) in resources {
        let Some(bytes) = bytes else { continue };
        let uri = format!("urn:claimpack:{what}:{final_url}");
        warc::write_record(
            &mut out,
            &warc::Record {
                kind: "resource",
                target_uri: Some(&uri),
                date: &now,
                content_type,
                extra: concurrent.clone(),
                block: bytes,
                payload_offset: None,
            },
        )?;
    }
    Ok(out)
}

/// Where the capture record for `path` would be, if `path` is one of a capture's
/// files (`<stem>.capture.json`, `<stem>.warc.gz`, `<stem>.png`, …).
pub fn record_path(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?;
    let stem = name
        .strip_suffix(".capture.json")
        .or_else(|| name.strip_suffix(".warc.gz"))
        .or_else(|| name.rsplit_once('.').map(|(s, _)| s))?;
    Some(path.with_file_name(format!("{stem}.capture.json")))
}

/// What a capture shows instead of the page asked for, when it landed on an error
/// or sign-in page: "an HTTP 404 error page", "a sign-in page titled "Sign in"". Such
/// a capture is kept (it shows what the site answered) but does not show the order.
pub fn landed_elsewhere(record: &CaptureRecord) -> Option<String> {
    if record.status >= 400 {
        return Some(format!("an HTTP {} error page", record.status));
    }
    const SIGN_IN: [&str; 14] = [
        "sign in",
        "sign-in",
        "signin",
        "log in",
        "login",
        "log-in",
        "anmelden",
        "connexion",
        "se connecter",
        "iniciar sesión",
        "entrar",
        "войти",
        "登录",
        "ログイン",
    ];
    let title = record.title.as_deref().unwrap_or("").to_lowercase();
    if SIGN_IN.iter().any(|w| title.contains(w)) {
        return Some(format!(
            "a sign-in page titled \"{}\"",
            crate::sanitize::sanitize_name(record.title.as_deref().unwrap_or("")).trim()
        ));
    }
    let final_url = url::Url::parse(&record.final_url).ok()?;
    let host = final_url.host_str().unwrap_or("").to_lowercase();
    let path = final_url.path().to_lowercase();
    let to_login = ["login", "signin", "sign-in", "passport", "auth"]
        .iter()
        .any(|w| host.starts_with(&format!("{w}.")) || path.contains(w));
    (to_login && final_url.as_str() != record.url).then(|| {
        format!(
            "a sign-in page at {}",
            crate::sanitize::sanitize_name(&host)
        )
    })
}

/// Reads the capture record at `record_path`: `None` unless it is a regular file of
/// at most 1 MiB holding a record of this format.
pub fn read_record(record_path: &Path) -> Option<CaptureRecord> {
    let meta = std::fs::metadata(record_path).ok()?;
    // Not a regular file (a named pipe would block the read forever), or too big.
    if !meta.is_file() || meta.len() > 1 << 20 {
        return None;
    }
    let record: CaptureRecord = serde_json::from_slice(&std::fs::read(record_path).ok()?).ok()?;
    (record.format == FORMAT).then_some(record)
}
