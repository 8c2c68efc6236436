//! Fetching a page the way the archive needs it: every redirect hop kept (request,
//! response, raw body as it arrived), limits enforced while reading, no cookies kept,
//! a User-Agent that names claimpack.

use std::io::Read;
use std::net::IpAddr;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use reqwest::header::{ACCEPT, ACCEPT_ENCODING, HeaderMap, LOCATION};
use url::Url;

use super::CaptureError;
use crate::http;

/// Limits on one capture.
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_body_bytes: u64,
    pub connect_timeout: Duration,
    /// For the whole capture, every hop and body included.
    pub total_timeout: Duration,
    pub max_redirects: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 25 * 1024 * 1024,
            connect_timeout: Duration::from_secs(10),
            total_timeout: Duration::from_secs(60),
            max_redirects: 5,
        }
    }
}

/// One request and its response.
#[derive(Debug, Clone)]
pub struct Hop {
    pub url: Url,
    /// The HTTP request as sent (request line and headers).
    pub request_head: Vec<u8>,
    pub status: u16,
    /// Status line and headers as received (`Transfer-Encoding` renamed, since the
    /// body below is already de-chunked).
    pub response_head: Vec<u8>,
    /// The body as it arrived (still gzip when the server sent gzip).
    pub body: Vec<u8>,
    pub headers: HeaderMap,
    pub remote_ip: Option<IpAddr>,
    pub started: Timestamp,
    pub elapsed: Duration,
    /// The server's TLS certificate (DER), for https.
    pub certificate: Option<Vec<u8>>,
    /// Where a redirect points, resolved against `url`.
    pub location: Option<Url>,
}

impl Hop {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// Fetches `url`, following up to `limits.max_redirects` redirects itself so that
/// each hop is recorded.
pub fn fetch(url: &Url, limits: &Limits) -> Result<Vec<Hop>, CaptureError> {
    let timeouts = http::Timeouts {
        connect: limits.connect_timeout,
        total: limits.total_timeout,
    };
    let client = http::client(timeouts, http::Redirects::Return, http::Certificates::Keep)
        .map_err(|e| CaptureError::Client(e.to_string()))?;
    let deadline = Instant::now() + limits.total_timeout;
    let mut hops: Vec<Hop> = Vec::new();
    let mut next = url.clone();
    loop {
        let hop = fetch_one(&client, &next, limits, deadline)?;
        let location = hop.location.clone();
        let redirect = (300..400).contains(&hop.status) && location.is_some();
        hops.push(hop);
        if !redirect {
            return Ok(hops);
        }
        let Some(target) = location else {
            return Ok(hops);
        };
        if hops.len() > limits.max_redirects {
            return Err(CaptureError::TooManyRedirects {
                url: url.to_string(),
                limit: limits.max_redirects,
                chain: hops.iter().map(|h| h.url.to_string()).collect(),
            });
        }
        if !matches!(target.scheme(), "http" | "https") {
            return Err(CaptureError::Scheme {
                url: target.to_string(),
            });
        }
        next = target;
    }
}

fn fetch_one(
    client: &reqwest::blocking::Client,
    url: &Url,
    limits: &Limits,
    deadline: Instant,
) -> Result<Hop, CaptureError> {
    const ACCEPT_VALUE: &str = "text/html,application/xhtml+xml,*/*;q=0.8";
    let started = Timestamp::now();
    let clock = Instant::now();
    let mut response = client
        .get(url.as_str())
        .header(ACCEPT, ACCEPT_VALUE)
        .header(ACCEPT_ENCODING, "gzip")
        .send()
        .map_err(|e| classify(url, &e, limits))?;

    let mut target = url.path().to_owned();
    if let Some(query) = url.query() {
        target.push('?');
        target.push_str(query);
    }
    let host = match url.port() {
        Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
        None => url.host_str().unwrap_or_default().to_owned(),
    };
    let request_head = format!(
        "GET {target} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: {}\r\nAccept: {ACCEPT_VALUE}\r\nAccept-Encoding: gzip\r\n\r\n",
        http::user_agent()
    )
    .into_bytes();

    let status = response.status();
    let headers = response.headers().clone();
    let mut head = format!(
        "{:?} {} {}\r\n",
        response.version(),
        status.as_u16(),
        status.canonical_reason().unwrap_or("")
    );
    for (name, value) in &headers {
        // The body below is de-chunked, so a chunked header would mislead a reader.
        let name = if name.as_str() == "transfer-encoding" {
            "x-claimpack-original-transfer-encoding"
        } else {
            name.as_str()
        };
        head.push_str(&format!(
            "{name}: {}\r\n",
            String::from_utf8_lossy(value.as_bytes())
        ));
    }
    head.push_str("\r\n");

    let certificate = response
        .extensions()
        .get::<reqwest::tls::TlsInfo>()
        .and_then(|info| info.peer_certificate())
        .map(<[u8]>::to_vec);
    let remote_ip = response.remote_addr().map(|a| a.ip());
    let location = headers
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|l| url.join(l).ok());

    // A declared size over the cap fails before reading anything.
    if let Some(length) = response.content_length()
        && length > limits.max_body_bytes
    {
        return Err(CaptureError::TooLarge {
            url: url.to_string(),
            limit: limits.max_body_bytes,
        });
    }
    let mut body = Vec::new();
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        if Instant::now() > deadline {
            return Err(CaptureError::Timeout {
                url: url.to_string(),
                seconds: limits.total_timeout.as_secs(),
            });
        }
        let n = response.read(&mut buffer).map_err(|e| {
            let chain = http::error_chain(&e).to_lowercase();
            if e.kind() == std::io::ErrorKind::TimedOut
                || chain.contains("timed out")
                || chain.contains("timeout")
                || Instant::now() + Duration::from_millis(200) >= deadline
            {
                CaptureError::Timeout {
                    url: url.to_string(),
                    seconds: limits.total_timeout.as_secs(),
                }
            } else {
                CaptureError::Network {
                    url: url.to_string(),
                    why: e.to_string(),
                }
            }
        })?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&buffer[..n]);
        if body.len() as u64 > limits.max_body_bytes {
            return Err(CaptureError::TooLarge {
                url: url.to_string(),
                limit: limits.max_body_bytes,
            });
        }
    }
    Ok(Hop {
        url: url.clone(),
        request_head,
        status: status.as_u16(),
        response_head: head.into_bytes(),
        body,
        headers,
        remote_ip,
        started,
        elapsed: clock.elapsed(),
        certificate,
        location,
    })
}

/// Turns a client error into words a person can act on.
fn classify(url: &Url, error: &reqwest::Error, limits: &Limits) -> CaptureError {
    let chain = http::error_chain(error);
    let lower = chain.to_lowercase();
    let host = url.host_str().unwrap_or_default().to_owned();
    if error.is_timeout() {
        CaptureError::Timeout {
            url: url.to_string(),
            seconds: limits.total_timeout.as_secs(),
        }
    } else if lower.contains("dns") || lower.contains("lookup") || lower.contains("resolve") {
        CaptureError::Dns { host }
    } else if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake")
    {
        CaptureError::Tls {
            url: url.to_string(),
            why: chain,
        }
    } else {
        CaptureError::Network {
            url: url.to_string(),
            why: chain,
        }
    }
}
