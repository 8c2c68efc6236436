//! WARC/1.1 (ISO 28500), the web-archiving format: each record is its own gzip
//! member, so tools can seek to a record; every record carries a SHA-256 block
//! digest, and responses a payload digest, in the base32 form `warcio check` reads.

use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;
use sha2::{Digest, Sha256};

/// One record to write.
pub struct Record<'a> {
    pub kind: &'static str,
    pub target_uri: Option<&'a str>,
    /// RFC 3339 UTC with seconds, e.g. `2026-11-23T10:00:00Z`.
    pub date: &'a str,
    pub content_type: &'a str,
    /// Further headers: WARC-Concurrent-To, WARC-Warcinfo-ID, WARC-IP-Address, …
    pub extra: Vec<(&'static str, String)>,
    pub block: &'a [u8],
    /// Where the payload starts inside `block` (after the HTTP headers), for records
    /// that carry an HTTP message.
    pub payload_offset: Option<usize>,
}

/// "sha256:" and the RFC 4648 base32 of the digest.
pub fn digest(bytes: &[u8]) -> String {
    format!("sha256:{}", base32(&Sha256::digest(bytes)))
}

/// RFC 4648 base32 with padding.
pub fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    for chunk in bytes.chunks(5) {
        let mut buffer = [0u8; 5];
        buffer[..chunk.len()].copy_from_slice(chunk);
        let bits = u64::from_be_bytes([
            0, 0, 0, buffer[0], buffer[1], buffer[2], buffer[3], buffer[4],
        ]);
        let symbols = (chunk.len() * 8).div_ceil(5);
        for i in 0..8 {
            if i < symbols {
                out.push(ALPHABET[((bits >> (35 - i * 5)) & 31) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A record id: a UUID (RFC 9562 version 8) made from the SHA-256 of the record's
/// defining fields, so ids are unique per capture without a random source.
pub fn record_id(seed: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in seed {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part);
    }
    let mut b: [u8; 16] = hasher.finalize()[..16].try_into().unwrap_or([0; 16]);
    b[6] = (b[6] & 0x0f) | 0x80; // version 8
    b[8] = (b[8] & 0x3f) | 0x80; // RFC 9562 variant
    let h = hex::encode(b);
    format!(
        "<urn:uuid:{}-{}-{}-{}-{}>",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// Appends one gzip-compressed record to `out`; returns its WARC-Record-ID.
pub fn write_record(out: &mut Vec<u8>, record: &Record) -> std::io::Result<String> {
    let id = record_id(&[
        record.kind.as_bytes(),
        record.target_uri.unwrap_or("").as_bytes(),
        record.date.as_bytes(),
        &Sha256::digest(record.block),
        &(out.len() as u64).to_be_bytes(),
    ]);
    let mut head = String::from("WARC/1.1\r\n");
    head.push_str(&format!("WARC-Type: {}\r\n", record.kind));
    head.push_str(&format!("WARC-Record-ID: {id}\r\n"));
    head.push_str(&format!("WARC-Date: {}\r\n", record.date));
    if let Some(uri) = record.target_uri {
        head.push_str(&format!("WARC-Target-URI: {uri}\r\n"));
    }
    for (name, value) in &record.extra {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("WARC-Block-Digest: {}\r\n", digest(record.block)));
    if let Some(offset) = record.payload_offset {
        let payload = record.block.get(offset..).unwrap_or(&[]);
        head.push_str(&format!("WARC-Payload-Digest: {}\r\n", digest(payload)));
    }
    head.push_str(&format!("Content-Type: {}\r\n", record.content_type));
    head.push_str(&format!("Content-Length: {}\r\n\r\n", record.block.len()));

    let mut gz = GzEncoder::new(Vec::new(), Compression::default());
    gz.write_all(head.as_bytes())?;
    gz.write_all(record.block)?;
    gz.write_all(b"\r\n\r\n")?;
    out.extend_from_slice(&gz.finish()?);
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_matches_rfc_4648_vectors() {
        assert_eq!(base32(b""), "");
        assert_eq!(base32(b"f"), "MY======");
        assert_eq!(base32(b"fo"), "MZXQ====");
        assert_eq!(base32(b"foo"), "MZXW6===");
        assert_eq!(base32(b"foob"), "MZXW6YQ=");
        assert_eq!(base32(b"fooba"), "MZXW6YTB");
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI======");
    }

    #[test]
    fn record_ids_look_like_uuids_and_differ() {
        let a = record_id(&[b"a"]);
        let b = record_id(&[b"b"]);
        assert_ne!(a, b);
        assert_eq!(a.len(), "<urn:uuid:>".len() + 36);
        assert_eq!(&a[24..25], "8", "version nibble: {a}");
    }
}
