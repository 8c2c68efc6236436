//! Saved web pages: what a page file says about itself — its title, its address and
//! when it was saved or captured. Reads `claimpack capture` records, WARC files (the
//! first response record), MHTML headers, saved HTML (the "saved from url" comment
//! browsers add, canonical links) and PDF information dictionaries.
//!
//! Every read is bounded (a page file can be anything), and nothing read here is ever
//! trusted as markup: the report escapes it like all other text.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use super::Found;
use super::time;
use crate::capture::{self, CaptureRecord};
use crate::intake::SourceFile;
use crate::intake::sniff::Family;
use crate::model::{PageInfo, TimeSource};

/// The most bytes read from the start of a page file.
const HEAD_BYTES: u64 = 1 << 20;
/// The most bytes a compressed WARC is inflated to while looking for its first page.
const WARC_INFLATE: u64 = 8 << 20;

/// Fills `found.page` (and a capture time, when the file has none better).
pub fn read(file: &SourceFile, found: &mut Found) {
    let name = file.source_name.to_ascii_lowercase();
    let mut page = if let Some(record) = &file.capture_record {
        Some(from_capture_record(record))
    } else if name.ends_with(".warc.gz") || name.ends_with(".warc") {
        warc(&file.path, name.ends_with(".gz"))
    } else if name.ends_with(".mhtml") || name.ends_with(".mht") {
        mhtml(&file.path)
    } else if file.sniffed.media_type == "text/html" {
        html(&file.path)
    } else if file.sniffed.family == Family::Pdf {
        pdf(&file.path)
    } else {
        None
    };
    let Some(page) = page.as_mut() else { return };
    if let Some(date) = page.date.as_deref()
        && let Some(when) = time::free_text(date)
    {
        let source = match page.source.as_str() {
            "capture record" => TimeSource::CaptureStartedAt,
            "WARC headers" => TimeSource::WarcDate,
            "MHTML headers" => TimeSource::MhtmlDate,
            "PDF information" => TimeSource::PdfCreationDate,
            _ => TimeSource::PageDate,
        };
        found.offer_time(when, source);
    }
    found.page = page.clone().into();
}

fn from_capture_record(record: &CaptureRecord) -> PageInfo {
    PageInfo {
        url: Some(record.url.clone()),
        final_url: Some(record.final_url.clone()).filter(|f| *f != record.url),
        title: record.title.clone(),
        date: Some(record.started_at.clone()),
        status: Some(record.status),
        source: "capture record".to_owned(),
    }
}

fn head(path: &Path, limit: u64) -> Option<Vec<u8>> {
    let mut bytes = Vec::new();
    File::open(path)
        .ok()?
        .take(limit)
        .read_to_end(&mut bytes)
        .ok()?;
    Some(bytes)
}

/// `<!-- saved from url=(0045)https://… -->`, a canonical link, or og:url.
fn html(path: &Path) -> Option<PageInfo> {
    let bytes = head(path, HEAD_BYTES)?;
    let text = capture::text::decode(&bytes, None);
    let saved_from = text.find("saved from url=(").and_then(|at| {
        let rest = &text[at..];
        let start = rest.find(')')? + 1;
        let url: String = rest[start..]
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '-')
            .collect();
        url.starts_with("http").then_some(url)
    });
    let document = scraper::Html::parse_document(&text);
    let attribute = |selector: &str, attr: &str| {
        let selector = scraper::Selector::parse(selector).ok()?;
        document
            .select(&selector)
            .next()?
            .value()
            .attr(attr)
            .map(str::to_owned)
    };
    let url = saved_from
        .or_else(|| attribute("link[rel=canonical]", "href"))
        .or_else(|| attribute("meta[property=\"og:url\"]", "content"));
    let title = capture::text::title(&text);
    (url.is_some() || title.is_some()).then(|| PageInfo {
        url,
        title,
        source: "HTML".to_owned(),
        ..PageInfo::default()
    })
}

/// MHTML's own mail-style headers.
fn mhtml(path: &Path) -> Option<PageInfo> {
    let bytes = head(path, 64 * 1024)?;
    let text = String::from_utf8_lossy(&bytes);
    let header = |name: &str| {
        text.lines()
            .take_while(|l| !l.is_empty())
            .find_map(|l| {
                let (key, value) = l.split_once(':')?;
                key.trim()
                    .eq_ignore_ascii_case(name)
                    .then(|| value.trim().to_owned())
            })
            .filter(|v| !v.is_empty())
    };
    let page = PageInfo {
        url: header("Snapshot-Content-Location"),
        title: header("Subject"),
        date: header("Date"),
        source: "MHTML headers".to_owned(),
        ..PageInfo::default()
    };
    (page.url.is_some() || page.title.is_some()).then_some(page)
}

/// A PDF's `/Title` and `/CreationDate`, when stored as plain strings near either end.
fn pdf(path: &Path) -> Option<PageInfo> {
    let mut file = File::open(path).ok()?;
    let length = file.metadata().ok()?.len();
    let mut bytes = Vec::new();
    (&mut file).take(256 * 1024).read_to_end(&mut bytes).ok()?;
    if length > 512 * 1024 {
        file.seek(SeekFrom::End(-256 * 1024)).ok()?;
        file.take(256 * 1024).read_to_end(&mut bytes).ok()?;
    }
    let text = String::from_utf8_lossy(&bytes);
    let string_after = |key: &str| {
        let at = text.find(key)? + key.len();
        let rest = text[at..].trim_start();
        let rest = rest.strip_prefix('(')?;
        let value: String = rest.chars().take_while(|&c| c != ')').take(300).collect();
        (!value.is_empty() && value.chars().all(|c| !c.is_control())).then_some(value)
    };
    let date = string_after("/CreationDate").and_then(|d| pdf_date(&d));
    let title = string_after("/Title");
    (title.is_some() || date.is_some()).then(|| PageInfo {
        title,
        date,
        source: "PDF information".to_owned(),
        ..PageInfo::default()
    })
}

/// `D:20261123100000+01'00'` → `2026-11-23T10:00:00+01:00`.
fn pdf_date(value: &str) -> Option<String> {
    let digits = value.strip_prefix("D:").unwrap_or(value);
    let number = |range: std::ops::Range<usize>| {
        digits
            .get(range)
            .filter(|s| s.bytes().all(|b| b.is_ascii_digit()))
    };
    let (y, mo, d) = (number(0..4)?, number(4..6)?, number(6..8)?);
    let (h, mi, s) = (
        number(8..10).unwrap_or("00"),
        number(10..12).unwrap_or("00"),
        number(12..14).unwrap_or("00"),
    );
    let zone = match digits.get(14..15) {
        Some("Z") | None => "Z".to_owned(),
        Some(sign @ ("+" | "-")) => {
            let zh = number(15..17)?;
            let zm = digits
                .get(18..20)
                .filter(|m| m.bytes().all(|b| b.is_ascii_digit()))
                .unwrap_or("00");
            format!("{sign}{zh}:{zm}")
        }
        _ => return None,
    };
    Some(format!("{y}-{mo}-{d}T{h}:{mi}:{s}{zone}"))
}

/// The first response record of a WARC: its address, date, status and title.
fn warc(path: &Path, gzip: bool) -> Option<PageInfo> {
    let file = File::open(path).ok()?;
    let mut data = Vec::new();
    if gzip {
        flate2::read::MultiGzDecoder::new(file)
            .take(WARC_INFLATE)
            .read_to_end(&mut data)
            .ok();
    } else {
        file.take(WARC_INFLATE).read_to_end(&mut data).ok()?;
    }
    let mut rest = data.as_slice();
    while rest.starts_with(b"WARC/") {
        let end = rest.windows(4).position(|w| w == b"\r\n\r\n")?;
        let head = String::from_utf8_lossy(&rest[..end]).into_owned();
        let field = |name: &str| {
            head.lines().find_map(|l| {
                let (key, value) = l.split_once(':')?;
                key.trim()
                    .eq_ignore_ascii_case(name)
                    .then(|| value.trim().to_owned())
            })
        };
        let length: usize = field("Content-Length")?.parse().ok()?;
        let block = rest.get(end + 4..end + 4 + length.min(rest.len() - end - 4))?;
        if field("WARC-Type").as_deref() == Some("response") {
            let block_text = String::from_utf8_lossy(block);
            let status = block_text
                .lines()
                .next()
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|s| s.parse().ok());
            let body = block_text
                .split_once("\r\n\r\n")
                .map(|(_, b)| b)
                .unwrap_or("");
            return Some(PageInfo {
                url: field("WARC-Target-URI"),
                title: capture::text::title(body),
                date: field("WARC-Date"),
                status,
                source: "WARC headers".to_owned(),
                ..PageInfo::default()
            });
        }
        rest = rest.get(end + 4 + length + 4..)?;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_dates_become_rfc_3339() {
        assert_eq!(
            pdf_date("D:20261123100000+01'00'").as_deref(),
            Some("2026-11-23T10:00:00+01:00")
        );
        assert_eq!(
            pdf_date("D:20261123100000Z").as_deref(),
            Some("2026-11-23T10:00:00Z")
        );
        assert_eq!(pdf_date("D:2026").as_deref(), None);
    }
}
