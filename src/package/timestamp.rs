//! Trusted timestamps: asks RFC 3161 time-stamping authorities for a token over the
//! SHA-256 of `manifest-sha256.txt` (with a fresh nonce and the authority's
//! certificates requested), checks each reply, and returns the files the bag keeps
//! under `timestamps/`.
//!
//! An authority that fails is a warning, not a lost bundle, unless the caller demands
//! a timestamp. Nothing here is sent but the hash: the evidence never leaves the
//! machine.

use std::io::Read;
use std::time::Duration;

use der::Encode;
use der::asn1::{Int, OctetString};
use ring::rand::SecureRandom;
use serde::Serialize;
use sha2::Digest;
use x509_tsp::{MessageImprint, TimeStampReq, TspVersion};

use crate::formats::rfc3161::{self as token, ID_SHA256, Stamp};
use crate::http;

/// The most bytes a reply may have.
const MAX_REPLY_BYTES: u64 = 1 << 20;

/// One authority's answer.
#[derive(Debug, Clone, Serialize)]
pub struct Stamped {
    pub url: String,
    pub stamp: Stamp,
    /// `timestamps/<n>`, without extension.
    pub stem: String,
}

/// Why an authority gave no token.
#[derive(Debug, Clone, thiserror::Error)]
pub enum StampError {
    #[error("{url}: {why}")]
    Failed { url: String, why: String },
}

/// A TimeStampReq over `digest` (SHA-256) with a nonce and certReq.
fn request(digest: &[u8], nonce: &[u8]) -> Result<Vec<u8>, String> {
    let algorithm = spki::AlgorithmIdentifier {
        oid: ID_SHA256,
        parameters: Some(der::Any::null()),
    };
    let request = TimeStampReq {
        version: TspVersion::V1,
        message_imprint: MessageImprint {
            hash_algorithm: algorithm,
            hashed_message: OctetString::new(digest).map_err(|e| e.to_string())?,
        },
        req_policy: None,
        nonce: Some(Int::new(nonce).map_err(|e| e.to_string())?),
        cert_req: true,
        extensions: None,
    };
    request.to_der().map_err(|e| e.to_string())
}

/// Asks one authority; returns the request, the reply and what the token says.
fn ask(url: &str, manifest: &[u8]) -> Result<(Vec<u8>, Vec<u8>, Stamp), String> {
    let digest = sha2::Sha256::digest(manifest);
    let mut nonce = [0u8; 8];
    ring::rand::SystemRandom::new()
        .fill(&mut nonce)
        .map_err(|_| "no random source for the nonce".to_owned())?;
    // A positive INTEGER in its shortest form: top bit clear, first byte not zero.
    nonce[0] = (nonce[0] & 0x7f) | 0x40;
    let query = request(&digest, &nonce)?;
    let timeouts = http::Timeouts {
        connect: Duration::from_secs(10),
        total: Duration::from_secs(30),
    };
    let client = http::client(
        timeouts,
        http::Redirects::Follow,
        http::Certificates::Ignore,
    )
    .map_err(|e| e.to_string())?;
    let response = client
        .post(url)
        .header("Content-Type", "application/timestamp-query")
        .header("Accept", "application/timestamp-reply")
        .body(query.clone())
        .send()
        .map_err(|e| format!("no answer ({})", http::error_chain(&e)))?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!("the server answered HTTP {status}"));
    }
    let mut reply = Vec::new();
    response
        .take(MAX_REPLY_BYTES + 1)
        .read_to_end(&mut reply)
        .map_err(|e| e.to_string())?;
    if reply.len() as u64 > MAX_REPLY_BYTES {
        return Err("the reply is larger than 1 MiB".to_owned());
    }
    let stamp = token::check(&reply, manifest, Some(&nonce), &[], None)
        .map_err(|e| format!("the reply {e}"))?;
    Ok((query, reply, stamp))
}

/// What asking every authority gave.
pub struct Outcome {
    /// Tag files for `timestamps/`: (path in the bag, bytes).
    pub files: Vec<(String, Vec<u8>)>,
    pub stamped: Vec<Stamped>,
    /// One per authority that gave no valid token.
    pub failed: Vec<StampError>,
}

/// Asks every authority in turn for a token over `manifest`.
pub fn stamp_all(urls: &[String], manifest: &[u8]) -> Outcome {
    let mut files = Vec::new();
    let mut stamped = Vec::new();
    let mut failed = Vec::new();
    for url in urls {
        match ask(url, manifest) {
            Ok((query, reply, stamp)) => {
                let n = stamped.len() + 1;
                let stem = format!("{}{n}", crate::layout::TIMESTAMPS_DIR);
                files.push((format!("{stem}.tsq"), query));
                files.push((format!("{stem}.tsr"), reply));
                files.push((
                    format!("{stem}.chain.pem"),
                    token::to_pem(&stamp.certificates).into_bytes(),
                ));
                files.push((
                    format!("{stem}.txt"),
                    format!(
                        "Time-stamp token from {url}\nAuthority: {}\nTime: {}\nCovers: {} of manifest-sha256.txt = {}\nCheck: openssl ts -verify -data manifest-sha256.txt -in {n}.tsr -CAfile <the authority's root>.pem\n",
                        stamp.authority, stamp.time, stamp.hash_algorithm, stamp.imprint
                    )
                    .into_bytes(),
                ));
                stamped.push(Stamped {
                    url: url.clone(),
                    stamp,
                    stem,
                });
            }
            Err(why) => failed.push(StampError::Failed {
                url: url.clone(),
                why,
            }),
        }
    }
    Outcome {
        files,
        stamped,
        failed,
    }
}
