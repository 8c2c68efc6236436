//! The BagIt 1.0 text formats (RFC 8493): writing them for packaging and reading them
//! back for verification, so the two can never disagree about a line's shape.
//!
//! Manifests use the `<hex>  <path>` form that `sha256sum -c` also reads; paths are
//! percent-encoded for `%`, CR and LF as §2.1.3 requires.

use std::fmt;

/// The bag declaration, byte for byte.
pub const BAGIT_TXT: &str = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";
pub const BAGIT_TXT_NAME: &str = "bagit.txt";
pub const BAG_INFO_NAME: &str = "bag-info.txt";
pub const MANIFEST_NAME: &str = "manifest-sha256.txt";
pub const TAGMANIFEST_NAME: &str = "tagmanifest-sha256.txt";

/// Encodes a bag path for a manifest line.
pub fn encode_path(path: &str) -> String {
    path.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Decodes a manifest path; only the three escapes BagIt defines are undone.
pub fn decode_path(path: &str) -> String {
    path.replace("%0A", "\n")
        .replace("%0a", "\n")
        .replace("%0D", "\r")
        .replace("%0d", "\r")
        .replace("%25", "%")
}

/// A manifest's text for `(path, sha256)` pairs, sorted by path.
pub fn manifest_text(entries: &[(String, [u8; 32])]) -> String {
    let mut sorted: Vec<&(String, [u8; 32])> = entries.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    sorted
        .iter()
        .map(|(path, digest)| format!("{}  {}\n", hex::encode(digest), encode_path(path)))
        .collect()
}

/// One line of a manifest as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestLine {
    pub line: usize,
    pub digest: String,
    pub path: String,
}

/// Reads a SHA-256 manifest; returns the good lines and a description of each bad one.
pub fn parse_manifest(text: &str) -> (Vec<ManifestLine>, Vec<String>) {
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.is_empty() {
            continue;
        }
        // RFC 8493 allows one or more spaces or tabs; sha256sum writes two spaces,
        // or a space and '*' for binary mode.
        let Some((digest, rest)) = raw.split_once([' ', '\t']) else {
            bad.push(format!("line {line} is not \"<sha256>  <path>\""));
            continue;
        };
        let path = rest.trim_start_matches([' ', '\t']);
        let path = path.strip_prefix('*').unwrap_or(path);
        if digest.len() != 64 || !digest.bytes().all(|b| b.is_ascii_hexdigit()) {
            bad.push(format!(
                "line {line} does not start with a 64-digit SHA-256"
            ));
            continue;
        }
        if path.is_empty() {
            bad.push(format!("line {line} names no file"));
            continue;
        }
        good.push(ManifestLine {
            line,
            digest: digest.to_ascii_lowercase(),
            path: decode_path(path),
        });
    }
    (good, bad)
}

/// The Payload-Oxum: total bytes and number of payload files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Oxum {
    pub bytes: u64,
    pub files: u64,
}

impl fmt::Display for Oxum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.bytes, self.files)
    }
}

impl std::str::FromStr for Oxum {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        let (bytes, files) = s.trim().split_once('.').ok_or(())?;
        Ok(Oxum {
            bytes: bytes.parse().map_err(|_| ())?,
            files: files.parse().map_err(|_| ())?,
        })
    }
}

/// `bag-info.txt` as ordered label/value pairs.
#[derive(Debug, Clone, Default)]
pub struct BagInfo {
    pub fields: Vec<(String, String)>,
}

impl BagInfo {
    pub fn push(&mut self, label: &str, value: impl Into<String>) {
        // Values are one line: a newline would start a new (forged) label.
        let value: String = value
            .into()
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        self.fields.push((label.to_owned(), value));
    }

    pub fn get(&self, label: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(l, _)| l.eq_ignore_ascii_case(label))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        self.fields
            .iter()
            .map(|(label, value)| format!("{label}: {value}\n"))
            .collect()
    }

    /// Reads `Label: value` lines; a line starting with whitespace continues the
    /// previous value (RFC 8493 §2.2.2).
    pub fn parse(text: &str) -> Result<BagInfo, String> {
        let mut info = BagInfo::default();
        for (index, line) in text.lines().enumerate() {
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.is_empty() {
                continue;
            }
            if line.starts_with([' ', '\t']) {
                let Some((_, value)) = info.fields.last_mut() else {
                    return Err(format!("line {} continues nothing", index + 1));
                };
                value.push(' ');
                value.push_str(line.trim());
                continue;
            }
            let Some((label, value)) = line.split_once(':') else {
                return Err(format!("line {} is not \"Label: value\"", index + 1));
            };
            info.fields
                .push((label.trim().to_owned(), value.trim().to_owned()));
        }
        Ok(info)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifests_round_trip_including_awkward_paths() {
        let entries = vec![
            ("data/b.txt".to_owned(), [1u8; 32]),
            ("data/a 100%\nx.txt".to_owned(), [2u8; 32]),
        ];
        let text = manifest_text(&entries);
        assert!(text.starts_with(&format!(
            "{}  data/a 100%25%0Ax.txt\n",
            hex::encode([2u8; 32])
        )));
        let (lines, bad) = parse_manifest(&text);
        assert!(bad.is_empty());
        assert_eq!(lines[0].path, "data/a 100%\nx.txt");
        assert_eq!(lines[1].digest, hex::encode([1u8; 32]));
    }

    #[test]
    fn malformed_manifest_lines_are_named() {
        let (good, bad) = parse_manifest("abc  data/x\n\nnot-a-line\n");
        assert!(good.is_empty());
        assert_eq!(bad.len(), 2);
        assert!(bad[0].contains("line 1"));
        assert!(bad[1].contains("line 3"));
    }

    #[test]
    fn bag_info_values_cannot_smuggle_labels() {
        let mut info = BagInfo::default();
        info.push("External-Description", "one\nPayload-Oxum: 1.1");
        let parsed = BagInfo::parse(&info.text()).unwrap();
        assert_eq!(parsed.fields.len(), 1);
        assert_eq!(parsed.get("payload-oxum"), None);
    }

    #[test]
    fn oxum_parses() {
        assert_eq!(
            "12.3".parse(),
            Ok(Oxum {
                bytes: 12,
                files: 3
            })
        );
        assert!("12".parse::<Oxum>().is_err());
    }
}
