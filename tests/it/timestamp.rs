//! Trusted timestamps against a local time-stamping authority: OpenSSL's `ts -reply`
//! with a test CA and timeStamping certificates made here (RSA and EC P-256), behind a
//! loopback HTTP server the test starts. Every test needs openssl, so all run under
//! CLAIMPACK_INTEROP=1.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{self, claimpack, run};

/// How the local authority behaves.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Good,
    /// Answers with a token for another nonce.
    WrongNonce,
    /// Only accepts SHA-512 imprints, so it refuses claimpack's SHA-256 (badAlg).
    Refuses,
    /// HTTP 500.
    Broken,
}

struct Tsa {
    url: String,
    ca: PathBuf,
    _dir: tempfile::TempDir,
}

fn openssl(args: &[&str], dir: &Path) {
    let output = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl on PATH");
    assert!(
        output.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

impl Tsa {
    fn start(key: &str, mode: Mode) -> Tsa {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(
            d.join("ext.cnf"),
            "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=critical,timeStamping\n",
        )
        .unwrap();
        openssl(
            &[
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
                "-days",
                "3650",
                "-subj",
                "/CN=claimpack test CA",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
            ],
            d,
        );
        let new_key: &[&str] = if key == "ec" {
            &["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]
        } else {
            &["-newkey", "rsa:2048"]
        };
        let mut args = vec!["req"];
        args.extend_from_slice(new_key);
        args.extend_from_slice(&["-nodes", "-keyout", "tsa.key", "-out", "tsa.csr", "-subj"]);
        let subject = format!("/CN=claimpack test TSA {key}");
        args.push(&subject);
        openssl(&args, d);
        openssl(
            &[
                "x509",
                "-req",
                "-in",
                "tsa.csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                "tsa.pem",
                "-days",
                "3650",
                "-extfile",
                "ext.cnf",
            ],
            d,
        );
        let digests = if mode == Mode::Refuses {
            "sha512"
        } else {
            "sha256, sha384, sha512"
        };
        std::fs::write(d.join("serial"), "01\n").unwrap();
        std::fs::write(
            d.join("ts.cnf"),
            format!(
                "[ tsa ]\ndefault_tsa = t\n[ t ]\nserial = {0}/serial\ncrypto_device = builtin\n\
                 signer_cert = {0}/tsa.pem\ncerts = {0}/ca.pem\nsigner_key = {0}/tsa.key\n\
                 signer_digest = sha256\ndefault_policy = 1.2.3.4.1\nother_policies = 1.2.3.4.2\n\
                 digests = {digests}\naccuracy = secs:1\nordering = yes\ntsa_name = yes\n\
                 ess_cert_id_chain = no\ness_cert_id_alg = sha256\n",
                d.display()
            ),
        )
        .unwrap();

        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/tsa", listener.local_addr().unwrap());
        let work = d.to_owned();
        std::thread::spawn(move || {
            for (n, stream) in listener.incoming().flatten().enumerate() {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut length = 0usize;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                        break;
                    }
                    if let Some(v) = line.to_lowercase().strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                }
                let mut query = vec![0u8; length];
                reader.read_exact(&mut query).unwrap();
                let mut out = stream;
                if mode == Mode::Broken {
                    let _ = out.write_all(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    continue;
                }
                if mode == Mode::WrongNonce {
                    use der::{Decode, Encode};
                    let mut request = x509_tsp::TimeStampReq::from_der(&query).unwrap();
                    request.nonce = Some(der::asn1::Int::new(&[0x12, 0x34, 0x56]).unwrap());
                    query = request.to_der().unwrap();
                }
                let q = work.join(format!("q{n}.tsq"));
                let r = work.join(format!("r{n}.tsr"));
                std::fs::write(&q, &query).unwrap();
                let status = Command::new("openssl")
                    .args(["ts", "-reply", "-config"])
                    .arg(work.join("ts.cnf"))
                    .arg("-queryfile")
                    .arg(&q)
                    .arg("-out")
                    .arg(&r)
                    .output()
                    .unwrap();
                let reply = std::fs::read(&r).unwrap_or_default();
                let head = if status.status.success() && !reply.is_empty() {
                    format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/timestamp-reply\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        reply.len()
                    )
                } else {
                    "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_owned()
                };
                let _ = out.write_all(head.as_bytes());
                let _ = out.write_all(&reply);
            }
        });
        Tsa {
            url,
            ca: d.join("ca.pem"),
            _dir: dir,
        }
    }
}

fn build(dir: &Path, args: &[&str]) -> (i32, serde_json::Value, String) {
    let (code, out, err) = run(claimpack(dir)
        .args([
            "build",
            "case",
            "-o",
            "claim.zip",
            "--created-at",
            util::CREATED_AT,
            "--json",
        ])
        .args(args));
    (
        code,
        serde_json::from_str(&out).unwrap_or(serde_json::Value::Null),
        err,
    )
}

fn unzip(dir: &Path) -> PathBuf {
    let output = Command::new("unzip")
        .args(["-q", "-o", "claim.zip", "-d", "x"])
        .current_dir(dir)
        .output()
        .expect("unzip on PATH");
    assert!(output.status.success());
    dir.join("x/claim-aliexpress-8123456789012345-20261123")
}

#[test]
#[cfg_attr(not(interop), ignore = "needs openssl; set CLAIMPACK_INTEROP=1")]
fn tokens_from_rsa_and_ec_authorities_verify_with_claimpack_and_openssl() {
    let rsa = Tsa::start("rsa", Mode::Good);
    let ec = Tsa::start("ec", Mode::Good);
    let dir = util::sample_case();
    let (code, built, err) = build(dir.path(), &["--tsa", &rsa.url, "--tsa", &ec.url]);
    assert_eq!(code, 0, "{err}");
    let stamps = built["timestamps"].as_array().unwrap();
    assert_eq!(stamps.len(), 2, "{built:#}");
    assert_eq!(stamps[0]["stamp"]["authority"], "CN=claimpack test TSA rsa");
    assert_eq!(stamps[1]["stamp"]["signature"], "ECDSA P-256");

    // claimpack verify: offline, with and without the trusted root.
    let (code, out, _) = util::verify(&dir.path().join("claim.zip"));
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("trusted") && out.contains("CN=claimpack test TSA ec"),
        "{out}"
    );
    let (code, out, err) = run(claimpack(dir.path())
        .args(["verify", "claim.zip", "--trust"])
        .arg(&rsa.ca)
        .arg("--json"));
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    // The EC authority has its own CA: only the RSA token chains to this one.
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(report["timestamps"][0]["chain_trusted"], true);
    assert!(
        report["problems"][0]["path"]
            .as_str()
            .unwrap()
            .ends_with("timestamps/2.tsr"),
        "{report:#}"
    );

    // OpenSSL agrees on every token, over the bag's own manifest.
    let bag = unzip(dir.path());
    for (n, tsa) in [(1, &rsa), (2, &ec)] {
        let output = Command::new("openssl")
            .args(["ts", "-verify", "-data", "manifest-sha256.txt", "-in"])
            .arg(format!("timestamps/{n}.tsr"))
            .arg("-CAfile")
            .arg(&tsa.ca)
            .current_dir(&bag)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(
            text.contains("Verification: OK"),
            "token {n}: {text}{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    // The tag manifest lists the tokens, so bagit.py and sha256sum cover them too.
    let tagmanifest = std::fs::read_to_string(bag.join("tagmanifest-sha256.txt")).unwrap();
    for name in [
        "timestamps/1.tsq",
        "timestamps/1.tsr",
        "timestamps/1.chain.pem",
        "timestamps/2.tsr",
    ] {
        assert!(tagmanifest.contains(name), "{tagmanifest}");
    }

    // The exhibit book carries the tokens inside, beside the manifest they stamp.
    let (code, out, err) = run(claimpack(dir.path()).args(["kit", "claim.zip", "-o", "kit"]));
    assert_eq!(code, 0, "{out}{err}");
    let listed = Command::new("pdfdetach")
        .args(["-list", "kit/exhibit-book.pdf"])
        .current_dir(dir.path())
        .output()
        .expect("pdfdetach (poppler-utils) on PATH");
    let listed = String::from_utf8_lossy(&listed.stdout);
    for name in [
        "manifest-sha256.txt",
        "timestamps-1.tsr",
        "timestamps-2.tsr",
    ] {
        assert!(listed.contains(name), "{listed}");
    }
}

#[test]
#[cfg_attr(not(interop), ignore = "needs openssl; set CLAIMPACK_INTEROP=1")]
fn a_failing_authority_is_a_warning_unless_a_timestamp_is_required() {
    let dir = util::sample_case();
    let down = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/tsa", listener.local_addr().unwrap())
    };
    let broken = Tsa::start("rsa", Mode::Broken);
    let refuses = Tsa::start("rsa", Mode::Refuses);
    let nonce = Tsa::start("rsa", Mode::WrongNonce);
    for (url, words) in [
        (down.as_str(), "no answer"),
        (broken.url.as_str(), "HTTP 500"),
        (refuses.url.as_str(), "the authority refused"),
        (nonce.url.as_str(), "nonce"),
    ] {
        let (code, built, err) = build(dir.path(), &["--tsa", url, "--force"]);
        assert_eq!(code, 0, "{url}: {err}");
        let failures = built["timestamp_failures"].to_string();
        assert!(failures.contains(words), "{url}: {failures}");
        assert!(built["timestamps"].as_array().unwrap().is_empty());

        std::fs::remove_file(dir.path().join("claim.zip")).unwrap();
        let (code, _, err) = build(dir.path(), &["--tsa", url, "--require-timestamp"]);
        assert_eq!(code, 2, "{url}");
        assert!(
            err.contains("--require-timestamp") && err.contains(words),
            "{url}: {err}"
        );
        assert!(!dir.path().join("claim.zip").exists(), "nothing is written");
    }
}

#[test]
#[cfg_attr(not(interop), ignore = "needs openssl; set CLAIMPACK_INTEROP=1")]
fn a_tampered_manifest_or_token_fails_verification_naming_the_file() {
    let tsa = Tsa::start("ec", Mode::Good);
    let dir = util::sample_case();
    let (code, _, err) = build(dir.path(), &["--tsa", &tsa.url]);
    assert_eq!(code, 0, "{err}");
    let zip = dir.path().join("claim.zip");
    let pristine = util::read_entries(&zip);
    let root = "claim-aliexpress-8123456789012345-20261123/";

    // A forger who edits a file and recomputes every manifest still cannot make the
    // token cover the new manifest.
    let mut entries = pristine.clone();
    let find = |entries: &[util::Entry], name: &str| {
        entries
            .iter()
            .position(|e| e.name == format!("{root}{name}"))
            .unwrap()
    };
    let chat = find(&entries, "data/evidence/E03-seller-chat.txt");
    entries[chat].data = b"The seller promised a full refund.\n".to_vec();
    let manifest = find(&entries, "manifest-sha256.txt");
    let text = String::from_utf8(entries[manifest].data.clone()).unwrap();
    let new_hash = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(&entries[chat].data))
    };
    let text: String = text
        .lines()
        .map(|l| {
            if l.ends_with("E03-seller-chat.txt") {
                format!("{new_hash}  data/evidence/E03-seller-chat.txt\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    entries[manifest].data = text.into_bytes();
    rewrite_tagmanifest(&mut entries, root);
    util::write_entries(&zip, &entries);
    let (code, out, _) = util::verify(&zip);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("timestamps/1.tsr") && out.contains("not the SHA-256 of manifest-sha256.txt"),
        "{out}"
    );

    // A token with one byte changed.
    let mut entries = pristine.clone();
    let token = find(&entries, "timestamps/1.tsr");
    let at = entries[token].data.len() - 20;
    entries[token].data[at] ^= 0x01;
    rewrite_tagmanifest(&mut entries, root);
    util::write_entries(&zip, &entries);
    let (code, out, _) = util::verify(&zip);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("timestamps/1.tsr") && out.contains("time-stamp token"),
        "{out}"
    );
}

/// Recomputes the tag manifest, as a forger would.
fn rewrite_tagmanifest(entries: &mut [util::Entry], root: &str) {
    use sha2::Digest;
    let mut lines = String::new();
    for e in entries.iter() {
        let name = e.name.strip_prefix(root).unwrap();
        if !name.starts_with("data/") && name != "tagmanifest-sha256.txt" {
            lines.push_str(&format!(
                "{}  {name}\n",
                hex::encode(sha2::Sha256::digest(&e.data))
            ));
        }
    }
    let at = entries
        .iter()
        .position(|e| e.name == format!("{root}tagmanifest-sha256.txt"))
        .unwrap();
    entries[at].data = lines.into_bytes();
}
