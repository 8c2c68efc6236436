//! RFC 3161 time-stamp tokens, checked offline: the CMS signature over the token, the
//! signer's certificate (timeStamping key usage, valid at the stamped time), the hash
//! the token covers, and — given certificates the user trusts — the chain to one of
//! them.
//!
//! A token proves that the data it covers existed no later than the authority's time.
//! Each check below is one way a token could fail to prove that; every failure names
//! the check.

use der::asn1::{ObjectIdentifier, OctetString};
use der::{Decode, Encode};
use ring::signature::{self, UnparsedPublicKey};
use serde::Serialize;
use sha2::Digest;
use x509_cert::Certificate;
use x509_tsp::{TimeStampResp, TstInfo};

const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
const ID_CT_TST_INFO: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.4");
const ID_CONTENT_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
const ID_MESSAGE_DIGEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
const ID_EXT_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");
const ID_KP_TIME_STAMPING: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.8");
pub const ID_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const ID_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
const ID_SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const SHA256_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
const SHA384_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.12");
const SHA512_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.13");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const ECDSA_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
const ECDSA_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3");
const ECDSA_SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.4");
const P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");

/// What a valid token says.
#[derive(Debug, Clone, Serialize)]
pub struct Stamp {
    /// The authority's name from its signing certificate (subject).
    pub authority: String,
    /// The authority's time, RFC 3339 UTC.
    pub time: String,
    pub serial: String,
    pub policy: String,
    /// Hex of the hash the token covers, and its algorithm.
    pub imprint: String,
    pub hash_algorithm: &'static str,
    pub nonce: Option<String>,
    /// "RSA" or "ECDSA P-256" …
    pub signature: String,
    /// Whether the chain to a certificate the user trusts was checked and held.
    pub chain_trusted: Option<bool>,
    /// The token's certificates, signer first (DER).
    #[serde(skip)]
    pub certificates: Vec<Vec<u8>>,
}

/// Why a token does not prove what it should.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("is not a time-stamp reply or token: {0}")]
    Malformed(String),
    #[error("the authority refused: status {status}{}", text.as_deref().map(|t| format!(" ({t})")).unwrap_or_default())]
    Refused {
        status: String,
        text: Option<String>,
    },
    #[error("the token covers {found}, not the SHA-256 of manifest-sha256.txt ({expected})")]
    WrongImprint { expected: String, found: String },
    #[error("the token's nonce {found} is not the one asked for ({expected})")]
    WrongNonce { expected: String, found: String },
    #[error("the signed digest of the token content does not match it")]
    ContentDigest,
    #[error("the signature does not verify with the signer's certificate")]
    BadSignature,
    #[error("the signer's certificate is not in the token or the bag")]
    NoSignerCertificate,
    #[error("the signer's certificate lacks the critical timeStamping extended key usage")]
    NotATimeStampingCertificate,
    #[error("the signer's certificate was not valid at the stamped time {0}")]
    CertificateExpired(String),
    #[error("uses an algorithm claimpack does not check ({0})")]
    Unsupported(String),
    #[error("the signer's certificate does not chain to a certificate in the trusted file: {0}")]
    Untrusted(String),
}

fn malformed(e: impl std::fmt::Display) -> TokenError {
    TokenError::Malformed(e.to_string())
}

/// The token inside a reply (`.tsr`); a bare token is accepted too.
fn token_bytes(reply: &[u8]) -> Result<Vec<u8>, TokenError> {
    match TimeStampResp::from_der(reply) {
        Ok(resp) => {
            use cmpv2::status::PkiStatus;
            if !matches!(
                resp.status.status,
                PkiStatus::Accepted | PkiStatus::GrantedWithMods
            ) {
                let text = resp.status.status_string.as_ref().map(|t| {
                    t.iter()
                        .map(|s| s.to_string())
                        .collect::<Vec<_>>()
                        .join("; ")
                });
                return Err(TokenError::Refused {
                    status: format!("{:?}", resp.status.status),
                    text,
                });
            }
            let token = resp
                .time_stamp_token
                .ok_or_else(|| malformed("the reply holds no token"))?;
            token.to_der().map_err(malformed)
        }
        Err(_) => Ok(reply.to_vec()),
    }
}

fn hash(algorithm: &ObjectIdentifier, data: &[u8]) -> Result<(Vec<u8>, &'static str), TokenError> {
    Ok(match *algorithm {
        ID_SHA256 => (sha2::Sha256::digest(data).to_vec(), "SHA-256"),
        ID_SHA384 => (sha2::Sha384::digest(data).to_vec(), "SHA-384"),
        ID_SHA512 => (sha2::Sha512::digest(data).to_vec(), "SHA-512"),
        other => return Err(TokenError::Unsupported(format!("digest {other}"))),
    })
}

/// Picks ring's verifier for a signature algorithm and key, given the digest used.
fn verifier(
    signature_algorithm: &ObjectIdentifier,
    digest: &ObjectIdentifier,
    key: &spki::SubjectPublicKeyInfoRef,
) -> Result<(&'static dyn signature::VerificationAlgorithm, String), TokenError> {
    let key_type = key.algorithm.oid;
    if key_type == RSA_ENCRYPTION {
        let by_digest = match (*signature_algorithm, *digest) {
            (SHA256_WITH_RSA, _) | (RSA_ENCRYPTION, ID_SHA256) => {
                &signature::RSA_PKCS1_2048_8192_SHA256
            }
            (SHA384_WITH_RSA, _) | (RSA_ENCRYPTION, ID_SHA384) => {
                &signature::RSA_PKCS1_2048_8192_SHA384
            }
            (SHA512_WITH_RSA, _) | (RSA_ENCRYPTION, ID_SHA512) => {
                &signature::RSA_PKCS1_2048_8192_SHA512
            }
            (other, _) => return Err(TokenError::Unsupported(format!("signature {other}"))),
        };
        return Ok((by_digest, "RSA".to_owned()));
    }
    if key_type == EC_PUBLIC_KEY {
        let curve = key
            .algorithm
            .parameters
            .as_ref()
            .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
        let hash_of = match *signature_algorithm {
            ECDSA_SHA256 => ID_SHA256,
            ECDSA_SHA384 => ID_SHA384,
            ECDSA_SHA512 => ID_SHA512,
            _ => *digest,
        };
        let chosen: &'static dyn signature::VerificationAlgorithm = match (curve, hash_of) {
            (Some(P256), ID_SHA256) => &signature::ECDSA_P256_SHA256_ASN1,
            (Some(P256), ID_SHA384) => &signature::ECDSA_P256_SHA384_ASN1,
            (Some(P384), ID_SHA256) => &signature::ECDSA_P384_SHA256_ASN1,
            (Some(P384), ID_SHA384) => &signature::ECDSA_P384_SHA384_ASN1,
            (curve, hash) => {
                return Err(TokenError::Unsupported(format!(
                    "ECDSA on {curve:?} with {hash}"
                )));
            }
        };
        let name = if curve == Some(P256) {
            "ECDSA P-256"
        } else {
            "ECDSA P-384"
        };
        return Ok((chosen, name.to_owned()));
    }
    Err(TokenError::Unsupported(format!("key {key_type}")))
}

fn verify_signature(
    certificate: &Certificate,
    signature_algorithm: &ObjectIdentifier,
    digest: &ObjectIdentifier,
    message: &[u8],
    signature_bytes: &[u8],
) -> Result<String, TokenError> {
    let spki_der = certificate
        .tbs_certificate
        .subject_public_key_info
        .to_der()
        .map_err(malformed)?;
    let spki = spki::SubjectPublicKeyInfoRef::from_der(&spki_der).map_err(malformed)?;
    let (algorithm, name) = verifier(signature_algorithm, digest, &spki)?;
    let key = spki.subject_public_key.raw_bytes();
    UnparsedPublicKey::new(algorithm, key)
        .verify(message, signature_bytes)
        .map_err(|_| TokenError::BadSignature)?;
    Ok(name)
}

/// Whether `issuer` signed `subject`.
fn signed_by(subject: &Certificate, issuer: &Certificate) -> bool {
    if subject.tbs_certificate.issuer != issuer.tbs_certificate.subject {
        return false;
    }
    let Ok(tbs) = subject.tbs_certificate.to_der() else {
        return false;
    };
    let Some(signature) = subject.signature.as_bytes() else {
        return false;
    };
    let algorithm = subject.signature_algorithm.oid;
    let digest = match algorithm {
        SHA384_WITH_RSA | ECDSA_SHA384 => ID_SHA384,
        SHA512_WITH_RSA | ECDSA_SHA512 => ID_SHA512,
        _ => ID_SHA256,
    };
    verify_signature(issuer, &algorithm, &digest, &tbs, signature).is_ok()
}

/// Reads every certificate in a PEM text.
pub fn certificates_from_pem(text: &str) -> Vec<Certificate> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN CERTIFICATE-----") {
        let body_start = start + "-----BEGIN CERTIFICATE-----".len();
        let Some(end) = rest[body_start..].find("-----END CERTIFICATE-----") else {
            break;
        };
        let body: String = rest[body_start..body_start + end]
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if let Ok(der) = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, body)
            && let Ok(certificate) = Certificate::from_der(&der)
        {
            out.push(certificate);
        }
        rest = &rest[body_start + end..];
    }
    out
}

/// PEM text of DER certificates.
pub fn to_pem(certificates: &[Vec<u8>]) -> String {
    let mut out = String::new();
    for der in certificates {
        out.push_str("-----BEGIN CERTIFICATE-----\n");
        let b64 = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, der);
        for line in b64.as_bytes().chunks(64) {
            out.push_str(&String::from_utf8_lossy(line));
            out.push('\n');
        }
        out.push_str("-----END CERTIFICATE-----\n");
    }
    out
}

/// Checks a reply or token against the data it should cover.
///
/// `expected_nonce` is the nonce of the request (from the `.tsq`), when known;
/// `extra` are more certificates (the chain stored in the bag); `trusted`, when given,
/// are the roots the user trusts.
pub fn check(
    reply: &[u8],
    data: &[u8],
    expected_nonce: Option<&[u8]>,
    extra: &[Certificate],
    trusted: Option<&[Certificate]>,
) -> Result<Stamp, TokenError> {
    let token = token_bytes(reply)?;
    let content = cms::content_info::ContentInfo::from_der(&token).map_err(malformed)?;
    if content.content_type != ID_SIGNED_DATA {
        return Err(malformed("the token is not CMS signed data"));
    }
    let signed =
        cms::signed_data::SignedData::from_der(&content.content.to_der().map_err(malformed)?)
            .map_err(malformed)?;
    if signed.encap_content_info.econtent_type != ID_CT_TST_INFO {
        return Err(malformed("the signed content is not a TSTInfo"));
    }
    let econtent = signed
        .encap_content_info
        .econtent
        .as_ref()
        .ok_or_else(|| malformed("the token has no content"))?;
    let tst_der = OctetString::from_der(&econtent.to_der().map_err(malformed)?)
        .map_err(malformed)?
        .into_bytes();
    let tst = TstInfo::from_der(&tst_der).map_err(malformed)?;

    // The imprint: the hash of the data this token is about.
    let imprint_algorithm = tst.message_imprint.hash_algorithm.oid;
    let (expected, hash_algorithm) = hash(&imprint_algorithm, data)?;
    let found = tst.message_imprint.hashed_message.as_bytes();
    if found != expected.as_slice() {
        return Err(TokenError::WrongImprint {
            expected: hex::encode(&expected),
            found: hex::encode(found),
        });
    }
    let nonce = tst.nonce.as_ref().map(|n| hex::encode(n.as_bytes()));
    if let Some(expected_nonce) = expected_nonce {
        let found_nonce = tst.nonce.as_ref().map(|n| n.as_bytes().to_vec());
        if found_nonce.as_deref() != Some(expected_nonce) {
            return Err(TokenError::WrongNonce {
                expected: hex::encode(expected_nonce),
                found: nonce.clone().unwrap_or_else(|| "none".to_owned()),
            });
        }
    }

    // The signer and its certificate.
    let signer = signed
        .signer_infos
        .0
        .iter()
        .next()
        .ok_or_else(|| malformed("the token has no signer"))?;
    let mut certificates: Vec<Certificate> = signed
        .certificates
        .as_ref()
        .map(|set| {
            set.0
                .iter()
                .filter_map(|choice| match choice {
                    cms::cert::CertificateChoices::Certificate(c) => Some(c.clone()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    certificates.extend(extra.iter().cloned());
    let signer_certificate = certificates
        .iter()
        .find(|c| match &signer.sid {
            cms::signed_data::SignerIdentifier::IssuerAndSerialNumber(id) => {
                c.tbs_certificate.issuer == id.issuer
                    && c.tbs_certificate.serial_number == id.serial_number
            }
            cms::signed_data::SignerIdentifier::SubjectKeyIdentifier(ski) => {
                c.tbs_certificate.extensions.iter().flatten().any(|e| {
                    e.extn_id == ObjectIdentifier::new_unwrap("2.5.29.14")
                        && e.extn_value.as_bytes().ends_with(ski.0.as_bytes())
                })
            }
        })
        .ok_or(TokenError::NoSignerCertificate)?
        .clone();

    // The signature covers the signed attributes, which carry the content's digest.
    let digest_algorithm = signer.digest_alg.oid;
    let (content_digest, _) = hash(&digest_algorithm, &tst_der)?;
    let attributes = signer
        .signed_attrs
        .as_ref()
        .ok_or_else(|| malformed("the signer has no signed attributes"))?;
    let attribute = |oid: ObjectIdentifier| {
        attributes
            .iter()
            .find(|a| a.oid == oid)
            .and_then(|a| a.values.iter().next())
    };
    let message_digest = attribute(ID_MESSAGE_DIGEST)
        .and_then(|v| v.decode_as::<OctetString>().ok())
        .ok_or_else(|| malformed("the signed attributes lack the message digest"))?;
    if message_digest.as_bytes() != content_digest.as_slice() {
        return Err(TokenError::ContentDigest);
    }
    let content_type =
        attribute(ID_CONTENT_TYPE).and_then(|v| v.decode_as::<ObjectIdentifier>().ok());
    if content_type != Some(ID_CT_TST_INFO) {
        return Err(malformed("the signed attributes name another content type"));
    }
    let signed_attributes = attributes.to_der().map_err(malformed)?;
    let signature_name = verify_signature(
        &signer_certificate,
        &signer.signature_algorithm.oid,
        &digest_algorithm,
        &signed_attributes,
        signer.signature.as_bytes(),
    )?;

    // RFC 3161 2.3: the signing certificate is for time-stamping, and only that.
    let eku_ok = signer_certificate
        .tbs_certificate
        .extensions
        .iter()
        .flatten()
        .find(|e| e.extn_id == ID_EXT_KEY_USAGE)
        .is_some_and(|e| {
            e.critical
                && x509_cert::ext::pkix::ExtendedKeyUsage::from_der(e.extn_value.as_bytes())
                    .is_ok_and(|eku| eku.0.contains(&ID_KP_TIME_STAMPING))
        });
    if !eku_ok {
        return Err(TokenError::NotATimeStampingCertificate);
    }
    let gen_time = tst.gen_time.to_unix_duration();
    let time = jiff::Timestamp::from_second(gen_time.as_secs() as i64)
        .map(|t| t.to_string())
        .unwrap_or_default();
    let validity = &signer_certificate.tbs_certificate.validity;
    if gen_time < validity.not_before.to_unix_duration()
        || gen_time > validity.not_after.to_unix_duration()
    {
        return Err(TokenError::CertificateExpired(time));
    }

    let chain_trusted = match trusted {
        None => None,
        Some(roots) => {
            chain_to(&signer_certificate, &certificates, roots)?;
            Some(true)
        }
    };

    let mut ordered = vec![signer_certificate.to_der().map_err(malformed)?];
    for c in &certificates {
        let der = c.to_der().map_err(malformed)?;
        if !ordered.contains(&der) {
            ordered.push(der);
        }
    }
    Ok(Stamp {
        authority: signer_certificate.tbs_certificate.subject.to_string(),
        time,
        serial: hex::encode(tst.serial_number.as_bytes()),
        policy: tst.policy.to_string(),
        imprint: hex::encode(found),
        hash_algorithm,
        nonce,
        signature: signature_name,
        chain_trusted,
        certificates: ordered,
    })
}

/// Walks from the signer up through `pool` until a trusted certificate signs (or is)
/// the current one.
fn chain_to(
    signer: &Certificate,
    pool: &[Certificate],
    roots: &[Certificate],
) -> Result<(), TokenError> {
    let mut current = signer.clone();
    for _ in 0..8 {
        if roots
            .iter()
            .any(|root| root == &current || signed_by(&current, root))
        {
            return Ok(());
        }
        let Some(parent) = pool
            .iter()
            .find(|c| *c != &current && signed_by(&current, c))
        else {
            return Err(TokenError::Untrusted(format!(
                "no certificate signed {}",
                current.tbs_certificate.subject
            )));
        };
        current = parent.clone();
    }
    Err(TokenError::Untrusted("the chain is too long".to_owned()))
}

/// The nonce of a request (`.tsq`).
pub fn request_nonce(request: &[u8]) -> Option<Vec<u8>> {
    let request = x509_tsp::TimeStampReq::from_der(request).ok()?;
    request.nonce.map(|n| n.as_bytes().to_vec())
}

#[cfg(test)]
mod tests {
    //! Against tokens OpenSSL made (tests/data/tsa/README.md).
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/data/tsa")
                .join(name),
        )
        .unwrap()
    }

    fn roots(name: &str) -> Vec<Certificate> {
        certificates_from_pem(&String::from_utf8(fixture(name)).unwrap())
    }

    #[test]
    fn rsa_and_ec_tokens_from_openssl_verify() {
        let data = fixture("data.txt");
        let nonce = request_nonce(&fixture("q.tsq")).unwrap();
        let ca = roots("ca.pem");
        for (file, signature) in [("r-rsa.tsr", "RSA"), ("r-ec.tsr", "ECDSA P-256")] {
            let stamp = check(&fixture(file), &data, Some(&nonce), &[], Some(&ca))
                .unwrap_or_else(|e| panic!("{file}: {e}"));
            assert_eq!(stamp.signature, signature);
            assert_eq!(stamp.hash_algorithm, "SHA-256");
            assert_eq!(stamp.chain_trusted, Some(true));
            assert!(
                stamp.authority.starts_with("CN=claimpack test TSA"),
                "{}",
                stamp.authority
            );
            assert!(stamp.time.starts_with("2026-"), "{}", stamp.time);
            assert_eq!(stamp.certificates.len(), 2, "signer and CA");
        }
    }

    #[test]
    fn each_way_a_token_can_fail_is_named() {
        let data = fixture("data.txt");
        let nonce = request_nonce(&fixture("q.tsq")).unwrap();
        let reply = fixture("r-rsa.tsr");
        assert!(matches!(
            check(&reply, b"other data", Some(&nonce), &[], None),
            Err(TokenError::WrongImprint { .. })
        ));
        assert!(matches!(
            check(&reply, &data, Some(&[1, 2, 3]), &[], None),
            Err(TokenError::WrongNonce { .. })
        ));
        assert!(matches!(
            check(
                &reply,
                &data,
                Some(&nonce),
                &[],
                Some(&roots("other-ca.pem"))
            ),
            Err(TokenError::Untrusted(_))
        ));
        // The last bytes of the reply are the signature value.
        let mut forged = reply.clone();
        let at = forged.len() - 10;
        forged[at] ^= 0x01;
        assert_eq!(
            check(&forged, &data, Some(&nonce), &[], None).unwrap_err(),
            TokenError::BadSignature
        );
        assert!(matches!(
            check(b"not a token", &data, None, &[], None),
            Err(TokenError::Malformed(_))
        ));
        // Every byte that carries meaning matters: the signed TSTInfo, the signer's
        // certificate and the signature. (The informational digestAlgorithms set and
        // the token's copy of the CA are not signed; `--trust` uses the user's CA.)
        let ca = roots("ca.pem");
        let stamp = check(&reply, &data, Some(&nonce), &[], Some(&ca)).unwrap();
        let find = |needle: &[u8]| {
            reply
                .windows(needle.len())
                .position(|w| w == needle)
                .map(|at| at..at + needle.len())
                .unwrap()
        };
        let tst_start = find(&[0x30, 0x81, 0x8a, 0x02, 0x01, 0x01]).start;
        let ranges = [
            tst_start..tst_start + 0x8d,
            find(&stamp.certificates[0]),
            reply.len() - 256..reply.len(),
        ];
        for range in ranges {
            for at in range {
                let mut changed = reply.clone();
                changed[at] ^= 0x20;
                assert!(
                    check(&changed, &data, Some(&nonce), &[], Some(&ca)).is_err(),
                    "byte {at} changed and the token still verified"
                );
            }
        }
    }
}
