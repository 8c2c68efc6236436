//! The tamper suite: every kind of change to a sealed bundle makes `verify` exit 1 and
//! name the file.

use std::fs;

use crate::util::{self, Entry};

/// Flips one bit in the middle of a byte string (or adds a byte to an empty one).
fn flip(data: &mut Vec<u8>) {
    if data.is_empty() {
        data.push(b'x');
    } else {
        let middle = data.len() / 2;
        data[middle] ^= 0x01;
    }
}

fn bag_path(entry: &Entry) -> &str {
    entry.name.split_once('/').map(|(_, rest)| rest).unwrap()
}

#[test]
fn flipping_a_raw_byte_in_any_entry_is_caught_and_named() {
    let dir = util::sample_case();
    let zip = util::build(dir.path());
    let pristine = fs::read(&zip).unwrap();
    let mut archive = zip::ZipArchive::new(fs::File::open(&zip).unwrap()).unwrap();
    let spans: Vec<(String, u64, u64)> = (0..archive.len())
        .map(|i| {
            let file = archive.by_index_raw(i).unwrap();
            let start = file.data_start().unwrap();
            (
                file.name().unwrap().into_owned(),
                start,
                file.compressed_size(),
            )
        })
        .collect();
    assert_eq!(spans.len(), 15);
    for (name, start, size) in spans {
        let mut bytes = pristine.clone();
        bytes[(start + size / 2) as usize] ^= 0x01;
        let tampered = dir.path().join("tampered.zip");
        fs::write(&tampered, &bytes).unwrap();
        let (code, out, err) = util::verify(&tampered);
        let inner = name.split_once('/').unwrap().1;
        assert_eq!(code, 1, "{name}: {out}{err}");
        assert!(out.contains(inner), "{name} not named:\n{out}");
        assert!(out.contains("NOT INTACT"), "{out}");
    }
}

#[test]
fn editing_any_file_and_rezipping_is_caught_and_named() {
    let dir = util::sample_case();
    let zip = util::build(dir.path());
    let entries = util::read_entries(&zip);
    for index in 0..entries.len() {
        let mut edited = entries.clone();
        flip(&mut edited[index].data);
        let tampered = dir.path().join("tampered.zip");
        util::write_entries(&tampered, &edited);
        let (code, out, err) = util::verify(&tampered);
        let name = bag_path(&entries[index]);
        assert_eq!(code, 1, "{name}: {out}{err}");
        // The tag manifest covers itself with nothing, so a change there shows as a
        // file that no longer matches it, which the message attributes to it.
        let named = out.contains(name)
            || (name == "tagmanifest-sha256.txt" && out.contains("tagmanifest-sha256.txt"));
        assert!(named, "{name} not named:\n{out}");
    }
}

#[test]
fn added_removed_and_renamed_files_are_named() {
    let dir = util::sample_case();
    let zip = util::build(dir.path());
    let entries = util::read_entries(&zip);
    let root = entries[0].name.split_once('/').unwrap().0.to_owned();
    let tampered = dir.path().join("tampered.zip");

    let mut added = entries.clone();
    added.push(Entry {
        name: format!("{root}/data/evidence/E05-forged.jpg"),
        data: b"forged".to_vec(),
        deflated: false,
    });
    added.push(Entry {
        name: format!("{root}/notes.txt"),
        data: b"a tag file nobody listed".to_vec(),
        deflated: true,
    });
    util::write_entries(&tampered, &added);
    let (code, out, _) = util::verify(&tampered);
    assert_eq!(code, 1);
    assert!(
        out.contains("extra") && out.contains("data/evidence/E05-forged.jpg"),
        "{out}"
    );
    assert!(
        out.contains("notes.txt: not listed in tagmanifest-sha256.txt"),
        "{out}"
    );
    assert!(out.contains("Payload-Oxum"), "{out}");

    let removed: Vec<Entry> = entries
        .iter()
        .filter(|e| !e.name.ends_with("E02-unboxing.mov"))
        .cloned()
        .collect();
    util::write_entries(&tampered, &removed);
    let (code, out, _) = util::verify(&tampered);
    assert_eq!(code, 1);
    assert!(
        out.contains("missing") && out.contains("data/evidence/E02-unboxing.mov"),
        "{out}"
    );

    let mut renamed = entries.clone();
    for entry in &mut renamed {
        if entry.name.ends_with("E01-box-front.jpg") {
            entry.name = entry.name.replace("E01-box-front.jpg", "E01-box-back.jpg");
        }
    }
    util::write_entries(&tampered, &renamed);
    let (code, out, _) = util::verify(&tampered);
    assert_eq!(code, 1);
    assert!(
        out.contains("data/evidence/E01-box-front.jpg: listed in manifest-sha256.txt"),
        "{out}"
    );
    assert!(
        out.contains("data/evidence/E01-box-back.jpg: not listed"),
        "{out}"
    );
}

#[test]
fn a_forger_who_recomputes_the_manifests_changes_the_seal() {
    // Replacing a photo and rewriting every manifest consistently yields a bag that
    // BagIt tools accept; the seal printed at build time is what exposes it.
    let dir = util::sample_case();
    let zip = util::build(dir.path());
    let (_, original, _) = util::verify(&zip);
    let seal = |out: &str| {
        out.lines()
            .find_map(|l| l.trim().strip_prefix("seal "))
            .map(|s| s.trim().to_owned())
            .unwrap()
    };
    let mut entries = util::read_entries(&zip);
    let sha = |data: &[u8]| {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(data))
    };
    let photo = entries
        .iter()
        .position(|e| e.name.ends_with("E01-box-front.jpg"))
        .unwrap();
    let old = sha(&entries[photo].data);
    flip(&mut entries[photo].data);
    let new = sha(&entries[photo].data);
    for name in ["data/manifest.json", "manifest-sha256.txt"] {
        let index = entries.iter().position(|e| e.name.ends_with(name)).unwrap();
        let text = String::from_utf8(entries[index].data.clone()).unwrap();
        entries[index].data = text.replace(&old, &new).into_bytes();
    }
    // Recompute the lines for manifest.json in the payload manifest, then the lines
    // for every tag file in the tag manifest, as a careful forger would.
    for manifest in ["manifest-sha256.txt", "tagmanifest-sha256.txt"] {
        let digests: Vec<(String, String)> = entries
            .iter()
            .map(|e| (bag_path(e).to_owned(), sha(&e.data)))
            .collect();
        let index = entries
            .iter()
            .position(|e| e.name.ends_with(manifest))
            .unwrap();
        let text = String::from_utf8(entries[index].data.clone()).unwrap();
        let fixed: String = text
            .lines()
            .map(|line| {
                let path = line.split_once("  ").unwrap().1;
                let digest = &digests.iter().find(|(p, _)| p == path).unwrap().1;
                format!("{digest}  {path}\n")
            })
            .collect();
        entries[index].data = fixed.into_bytes();
    }
    let forged = dir.path().join("forged.zip");
    util::write_entries(&forged, &entries);
    let (code, out, _) = util::verify(&forged);
    assert_eq!(code, 0, "a consistent forgery is a valid bag:\n{out}");
    assert_ne!(seal(&out), seal(&original), "but its seal differs");
    assert!(
        out.contains("compare the seal with the one build printed"),
        "{out}"
    );

    // guards: a forged bag verified as intact with nothing to catch it but the eye.
    let with_seal = |zip: &std::path::Path, given: &str| {
        util::run(
            util::claimpack(dir.path())
                .args(["verify", "--seal", given])
                .arg(zip),
        )
    };
    let (code, out, _) = with_seal(&forged, &seal(&original));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("SEAL DOES NOT MATCH the seal you gave"),
        "{out}"
    );
    // The seal as a person copies it: upper case, in groups.
    let copied = seal(&original)
        .to_uppercase()
        .as_bytes()
        .chunks(8)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    let (code, out, _) = with_seal(&zip, &copied);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("matches the seal you gave"), "{out}");
    let (code, _, err) = with_seal(&zip, "abc");
    assert_eq!(code, 2);
    assert!(err.contains("a seal is 64 hexadecimal digits"), "{err}");
}
