//! Hostile zips given to `verify`: each gets a clear answer, quickly, without
//! extracting anything or allocating what the archive claims.

use std::fs;
use std::io::Write;

use crate::util::{self, RawEntry, claimpack, raw_zip, run};

fn verify_bytes(bytes: &[u8]) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.zip");
    fs::write(&path, bytes).unwrap();
    util::verify(&path)
}

fn bag_with(extra: RawEntry) -> Vec<u8> {
    raw_zip(&[
        RawEntry::stored(
            "bag/bagit.txt",
            b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
        ),
        extra,
    ])
}

#[test]
fn path_traversal_is_refused_and_named() {
    let (code, out, _) = verify_bytes(&bag_with(RawEntry::stored(
        "bag/../../evil.sh",
        b"rm -rf ~",
    )));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("bag/../../evil.sh") && out.contains("path traversal"),
        "{out}"
    );
}

#[test]
fn absolute_and_windows_paths_are_refused() {
    for (name, words) in [
        ("/etc/cron.d/evil", "absolute path"),
        ("C:/Windows/evil.exe", "Windows drive"),
        ("bag\\..\\evil", "backslash"),
    ] {
        let (code, out, _) = verify_bytes(&bag_with(RawEntry::stored(name, b"x")));
        assert_eq!(code, 1, "{name}: {out}");
        assert!(out.contains(words), "{name}: {out}");
    }
}

#[test]
fn duplicate_names_are_refused_even_when_only_case_differs() {
    let (code, out, _) = verify_bytes(&raw_zip(&[
        RawEntry::stored("bag/bagit.txt", b"BagIt-Version: 1.0\n"),
        RawEntry::stored("bag/data/a.jpg", b"first"),
        RawEntry::stored("bag/data/a.jpg", b"second"),
    ]));
    assert_eq!(code, 1);
    assert!(
        out.contains("bag/data/a.jpg: the name appears twice"),
        "{out}"
    );

    let (code, out, _) = verify_bytes(&raw_zip(&[
        RawEntry::stored("bag/bagit.txt", b"BagIt-Version: 1.0\n"),
        RawEntry::stored("bag/data/A.jpg", b"first"),
        RawEntry::stored("bag/data/a.jpg", b"second"),
    ]));
    assert_eq!(code, 1);
    assert!(out.contains("only in letter case"), "{out}");
}

#[test]
fn symlink_entries_are_refused() {
    let mut link = RawEntry::stored("bag/data/passwd", b"/etc/passwd");
    link.unix_mode = 0o120777;
    let (code, out, _) = verify_bytes(&bag_with(link));
    assert_eq!(code, 1);
    assert!(
        out.contains("bag/data/passwd: the entry is a symbolic link"),
        "{out}"
    );
}

#[test]
fn a_compression_bomb_is_refused_without_inflating_it() {
    // 256 MiB of zeros deflate to about 256 KiB: a 1000:1 ratio no evidence has.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.zip");
    let mut writer = zip::ZipWriter::new(fs::File::create(&path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    writer.start_file("bag/bagit.txt", options).unwrap();
    writer
        .write_all(b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
        .unwrap();
    writer.start_file("bag/data/zeros.bin", options).unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..256 {
        writer.write_all(&zeros).unwrap();
    }
    writer.finish().unwrap();
    assert!(fs::metadata(&path).unwrap().len() < 2 << 20);
    let (code, out, _) = util::verify(&path);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("bag/data/zeros.bin") && out.contains("decompression bomb"),
        "{out}"
    );
}

#[test]
fn an_entry_that_inflates_past_its_declared_size_is_stopped() {
    // Deflate data for 64 KiB of zeros, declared as 10 bytes: the reader must stop at
    // the declared size instead of trusting the stream.
    let dir = tempfile::tempdir().unwrap();
    let honest = dir.path().join("honest.zip");
    let mut writer = zip::ZipWriter::new(fs::File::create(&honest).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    writer.start_file("x", options).unwrap();
    writer.write_all(&vec![0u8; 64 << 10]).unwrap();
    writer.finish().unwrap();
    let mut archive = zip::ZipArchive::new(fs::File::open(&honest).unwrap()).unwrap();
    let raw = archive.by_index_raw(0).unwrap();
    let start = raw.data_start().unwrap() as usize;
    let deflated =
        fs::read(&honest).unwrap()[start..start + raw.compressed_size() as usize].to_vec();
    drop(raw);

    let mut liar = RawEntry::stored("bag/data/liar.bin", &deflated);
    liar.method = 8;
    liar.size = Some(10);
    liar.crc = Some(0);
    let (code, out, _) = verify_bytes(&bag_with(liar));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("corrupt  data/liar.bin") && out.contains("larger than"),
        "{out}"
    );
}

#[test]
fn a_hundred_thousand_entries_are_refused_from_the_directory_count() {
    let entries: Vec<RawEntry> = (0..100_000)
        .map(|i| RawEntry::stored(&format!("bag/data/{i}.txt"), b""))
        .collect();
    let mut bytes = raw_zip(&entries);
    // 100,000 does not fit the 16-bit count; write a zip64 end record as real tools do.
    bytes = with_zip64_count(bytes, 100_000);
    let (code, out, err) = verify_bytes(&bytes);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("declares 100000 entries"), "{out}");
}

/// Rewrites the end record to point at a zip64 end record declaring `count` entries.
fn with_zip64_count(mut bytes: Vec<u8>, count: u64) -> Vec<u8> {
    let end = bytes.len() - 22;
    let directory_size = u32::from_le_bytes(bytes[end + 12..end + 16].try_into().unwrap()) as u64;
    let directory_offset = u32::from_le_bytes(bytes[end + 16..end + 20].try_into().unwrap()) as u64;
    bytes.truncate(end);
    let record_at = bytes.len() as u64;
    bytes.extend_from_slice(&0x0606_4b50u32.to_le_bytes());
    bytes.extend_from_slice(&44u64.to_le_bytes());
    bytes.extend_from_slice(&[45, 3, 45, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    bytes.extend_from_slice(&count.to_le_bytes());
    bytes.extend_from_slice(&count.to_le_bytes());
    bytes.extend_from_slice(&directory_size.to_le_bytes());
    bytes.extend_from_slice(&directory_offset.to_le_bytes());
    bytes.extend_from_slice(&0x0706_4b50u32.to_le_bytes());
    bytes.extend_from_slice(&0u32.to_le_bytes());
    bytes.extend_from_slice(&record_at.to_le_bytes());
    bytes.extend_from_slice(&1u32.to_le_bytes());
    bytes.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    bytes.extend_from_slice(&[0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF]);
    bytes.extend_from_slice(&[0xFF; 8]);
    bytes.extend_from_slice(&0u16.to_le_bytes());
    bytes
}

#[test]
fn overlapping_entries_and_disagreeing_headers_are_refused() {
    let mut twin = RawEntry::stored("bag/data/b.jpg", b"shared bytes");
    twin.same_offset_as = Some(1);
    let (code, out, _) = verify_bytes(&raw_zip(&[
        RawEntry::stored("bag/bagit.txt", b"BagIt-Version: 1.0\n"),
        RawEntry::stored("bag/data/a.jpg", b"shared bytes"),
        twin,
    ]));
    assert_eq!(code, 1);
    assert!(
        out.contains("overlaps") || out.contains("local header names it"),
        "{out}"
    );

    let mut two_faced = RawEntry::stored("bag/data/photo.jpg", b"x");
    two_faced.local_name = Some(b"bag/data/other.exe".to_vec());
    let (code, out, _) = verify_bytes(&bag_with(two_faced));
    assert_eq!(code, 1);
    assert!(
        out.contains("local header names it \"bag/data/other.exe\""),
        "{out}"
    );
}

#[test]
fn huge_declared_sizes_and_encrypted_entries_are_refused() {
    let mut huge = RawEntry::stored("bag/data/huge.bin", b"tiny");
    huge.size = Some(0xFFFF_FFF0);
    let (code, out, _) = verify_bytes(&bag_with(huge));
    assert_eq!(code, 1);
    assert!(out.contains("bag/data/huge.bin"), "{out}");

    let mut secret = RawEntry::stored("bag/data/secret.bin", b"....");
    secret.flags |= 1;
    let (code, out, _) = verify_bytes(&bag_with(secret));
    assert_eq!(code, 1);
    assert!(out.contains("encrypted"), "{out}");
}

#[test]
fn files_that_are_not_bundles_get_exit_2_or_a_clear_verdict() {
    let (code, _, err) = verify_bytes(b"this is a text file, not a zip\n");
    assert_eq!(code, 2);
    assert!(err.contains("not a zip file"), "{err}");

    let (code, _, err) = verify_bytes(b"");
    assert_eq!(code, 2, "{err}");

    // A bundle cut in half has lost its directory: unreadable, not "intact".
    let dir = util::sample_case();
    let zip = util::build(dir.path());
    let bytes = fs::read(&zip).unwrap();
    let (code, _, err) = verify_bytes(&bytes[..bytes.len() / 2]);
    assert_eq!(code, 2, "{err}");

    // A valid zip that is not a bag.
    let (code, out, _) = verify_bytes(&raw_zip(&[RawEntry::stored("holiday.jpg", b"x")]));
    assert_eq!(code, 1);
    assert!(out.contains("not a BagIt bag"), "{out}");

    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = util::run(util::claimpack(dir.path()).args(["verify", "missing.zip"]));
    assert_eq!(code, 2);
    assert!(err.contains("missing.zip: no such file"), "{err}");
}

#[test]
fn hostile_names_are_printed_without_terminal_escapes() {
    let (code, out, _) = verify_bytes(&bag_with(RawEntry::stored("bag/data/\x1b[2Jevil", b"x")));
    assert_eq!(code, 1);
    assert!(!out.contains('\x1b'), "{out:?}");
    assert!(out.contains("?[2Jevil"), "{out}");
}

#[test]
fn hostile_template_overrides_are_refused_without_a_panic() {
    // guards: a template that includes itself, a huge override, a binary override.
    let dir = util::sample_case();
    let mine = dir.path().join("mine/summary");
    std::fs::create_dir_all(&mine).unwrap();
    let summary = |dir: &std::path::Path| {
        run(claimpack(dir).args(["summary", "case", "--templates", "mine"]))
    };

    std::fs::write(
        mine.join("damaged.txt.j2"),
        "1| Again.\n{% include \"summary/damaged.txt.j2\" %}\n",
    )
    .unwrap();
    let (code, _, err) = summary(dir.path());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("summary/damaged.txt.j2"), "{err}");
    assert!(!err.contains("panicked"), "{err}");

    std::fs::write(mine.join("damaged.txt.j2"), vec![b'x'; 2 * 1024 * 1024]).unwrap();
    let (code, _, err) = summary(dir.path());
    assert_eq!(code, 2);
    assert!(err.contains("larger than 1 MiB"), "{err}");

    std::fs::write(mine.join("damaged.txt.j2"), [0xff, 0xfe, 0x00, 0x41]).unwrap();
    let (code, _, err) = summary(dir.path());
    assert_eq!(code, 2);
    assert!(err.contains("not UTF-8"), "{err}");
}

#[test]
fn a_checklist_tag_with_odd_characters_is_refused_at_its_line() {
    let dir = util::sample_case();
    let case = dir.path().join("case/case.toml");
    let text = std::fs::read_to_string(&case).unwrap().replace(
        "caption = \"Outer box crushed on arrival\"",
        "caption = \"Outer box crushed on arrival\"\nshows = [\"<script>\"]",
    );
    std::fs::write(&case, text).unwrap();
    let (code, _, err) = run(claimpack(dir.path()).args(["check", "case"]));
    assert_eq!(code, 2);
    assert!(
        err.contains("evidence[1].shows") || err.contains("shows"),
        "{err}"
    );
    assert!(err.contains("not a checklist item id"), "{err}");
}

/// The bundle of the sample case and its bytes.
fn sample_bundle() -> (tempfile::TempDir, Vec<u8>) {
    let dir = util::sample_case();
    let zip = util::build(dir.path());
    let bytes = fs::read(zip).unwrap();
    (dir, bytes)
}

fn entry<'a>(entries: &'a [(String, Vec<u8>)], suffix: &str) -> &'a [u8] {
    &entries.iter().find(|(n, _)| n.ends_with(suffix)).unwrap().1
}

/// The three ways of hiding a second directory in a real bundle (issue 10): each must
/// really fool a reader (the zip crate here; unzip and Python in the interop tests),
/// and verify must refuse it instead of vouching for the original's seal.
pub fn second_directory_variants(bundle: &[u8]) -> Vec<(&'static str, Vec<u8>)> {
    let replaced = util::two_directories(bundle, |_, name, _| {
        name.ends_with("evidence/E01-box-front.jpg")
            .then(|| util::Shadow {
                name: name.to_owned(),
                data: b"a different photo of an undamaged box".to_vec(),
                unix_mode: 0o100644,
            })
    });
    // Each slot keeps its bytes but takes the other's name: a reader that took names
    // from A and bytes from B's slots found every hash right (INTACT, same seal),
    // while unzip writes the video as E01-box-front.jpg.
    let swapped = util::two_directories(bundle, |_, name, data| {
        let other = if name.ends_with("evidence/E01-box-front.jpg") {
            name.replace("E01-box-front.jpg", "E02-unboxing.mov")
        } else if name.ends_with("evidence/E02-unboxing.mov") {
            name.replace("E02-unboxing.mov", "E01-box-front.jpg")
        } else {
            return None;
        };
        Some(util::Shadow {
            name: other,
            data: data.to_vec(),
            unix_mode: 0o100644,
        })
    });
    let linked = util::two_directories(bundle, |_, name, _| {
        name.ends_with("data/summary-form.txt")
            .then(|| util::Shadow {
                name: name.replace("data/summary-form.txt", "data/evidence/link"),
                data: b"/etc/passwd".to_vec(),
                unix_mode: 0o120777,
            })
    });
    vec![
        ("swapped", swapped),
        ("replaced", replaced),
        ("symlink", linked),
    ]
}

#[test]
fn a_second_central_directory_is_refused_not_vouched_for() {
    // guards: verify said INTACT, with the original seal, for a zip whose extracted
    // files differ (a clean directory A pointed at, a forged B read by every tool).
    let (dir, bundle) = sample_bundle();
    let original = util::read_entries_from(&bundle);
    for (variant, crafted) in second_directory_variants(&bundle) {
        let seen = util::read_entries_from(&crafted);
        match variant {
            "replaced" => assert_eq!(
                entry(&seen, "evidence/E01-box-front.jpg"),
                b"a different photo of an undamaged box",
                "the zip crate should read directory B"
            ),
            "swapped" => assert_eq!(
                entry(&seen, "evidence/E01-box-front.jpg"),
                entry(&original, "evidence/E02-unboxing.mov")
            ),
            _ => {
                let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&crafted)).unwrap();
                let link = (0..archive.len())
                    .find(|&i| {
                        archive
                            .by_index(i)
                            .unwrap()
                            .name()
                            .unwrap()
                            .ends_with("link")
                    })
                    .expect("B names the link");
                assert!(archive.by_index(link).unwrap().is_symlink());
            }
        }
        let path = dir.path().join(format!("{variant}.zip"));
        fs::write(&path, &crafted).unwrap();
        let (code, out, err) = util::verify(&path);
        assert_eq!(code, 1, "{variant}: {out}{err}");
        assert!(out.contains("NOT INTACT"), "{variant}: {out}");
        assert!(
            out.contains("(zip structure): the end record points at a central directory"),
            "{variant}: {out}"
        );
        assert!(
            !out.contains("  seal "),
            "{variant}: no seal for a refused zip: {out}"
        );
    }
}

#[test]
fn bytes_that_belong_to_no_entry_are_refused() {
    // A forged entry hidden between two real ones, reachable by a tool that scans
    // local headers (as streaming unzippers do), must not pass unnoticed.
    let mut bytes = raw_zip(&[
        RawEntry::stored(
            "bag/bagit.txt",
            b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
        ),
        RawEntry::stored("bag/data/a.txt", b"a"),
    ]);
    // Insert junk before the directory and move the directory's offset with it.
    let end = bytes.len() - 22;
    let offset = u32::from_le_bytes(bytes[end + 16..end + 20].try_into().unwrap()) as usize;
    let junk = b"PK\x03\x04 a hidden entry";
    bytes.splice(offset..offset, junk.iter().copied());
    let end = bytes.len() - 22;
    bytes[end + 16..end + 20].copy_from_slice(&((offset + junk.len()) as u32).to_le_bytes());
    let (code, out, _) = verify_bytes(&bytes);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!(
            "{} bytes at offset {offset} belong to no entry",
            junk.len()
        )),
        "{out}"
    );
}

#[test]
fn a_zip64_end_record_that_disagrees_with_the_classic_one_is_refused() {
    // Python's zipfile believes a zip64 end record whenever its locator is present;
    // one that points elsewhere than the classic record is a second directory.
    let mut bytes = bag_with(RawEntry::stored("bag/data/a.txt", b"a"));
    let end = bytes.len() - 22;
    let size = u32::from_le_bytes(bytes[end + 12..end + 16].try_into().unwrap()) as u64;
    let offset = u32::from_le_bytes(bytes[end + 16..end + 20].try_into().unwrap()) as u64;
    let classic = bytes[end..].to_vec();
    bytes.truncate(end);
    let record_at = bytes.len() as u64;
    bytes.extend_from_slice(&0x0606_4b50u32.to_le_bytes());
    bytes.extend_from_slice(&44u64.to_le_bytes());
    bytes.extend_from_slice(&[45, 3, 45, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    bytes.extend_from_slice(&2u64.to_le_bytes());
    bytes.extend_from_slice(&2u64.to_le_bytes());
    bytes.extend_from_slice(&size.to_le_bytes());
    bytes.extend_from_slice(&(offset + 1).to_le_bytes()); // not where the classic says
    bytes.extend_from_slice(&0x0706_4b50u32.to_le_bytes());
    bytes.extend_from_slice(&0u32.to_le_bytes());
    bytes.extend_from_slice(&record_at.to_le_bytes());
    bytes.extend_from_slice(&1u32.to_le_bytes());
    bytes.extend_from_slice(&classic);
    let (code, out, _) = verify_bytes(&bytes);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("two end records"), "{out}");
}

#[test]
fn local_headers_that_disagree_on_size_or_crc_are_refused() {
    let mut liar = RawEntry::stored("bag/data/a.txt", b"honest");
    liar.local_crc = Some(0x1234_5678);
    let (code, out, _) = verify_bytes(&bag_with(liar));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            "bag/data/a.txt: the local header and the directory disagree on its size or CRC-32"
        ),
        "{out}"
    );
}

/// Bytes no deflate shrinks (a fixed pseudo-random sequence).
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    (0..len)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 56) as u8
        })
        .collect()
}

/// A zip with `count` top-level tag files of `each` bytes, deflated as real tools do.
fn zip_of_tag_files(count: usize, make: impl Fn(usize) -> Vec<u8>) -> Vec<u8> {
    let mut bytes = std::io::Cursor::new(Vec::new());
    let mut writer = zip::ZipWriter::new(&mut bytes);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    writer.start_file("bag/bagit.txt", options).unwrap();
    writer
        .write_all(b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
        .unwrap();
    for i in 0..count {
        writer
            .start_file(format!("bag/tag-{i}.txt"), options)
            .unwrap();
        writer.write_all(&make(i)).unwrap();
    }
    writer.finish().unwrap();
    bytes.into_inner()
}

#[test]
fn thousands_of_tag_files_cannot_exhaust_memory() {
    // guards: 1,000 top-level .txt entries of 1 MiB of zeros (a 1 MB zip) took 1 GB
    // of memory, 49,000 aborted verify. They are a bomb together now, refused before
    // anything is inflated.
    let zeros = vec![0u8; 1 << 20];
    let (code, out, err) = verify_bytes(&zip_of_tag_files(1_000, |_| zeros.clone()));
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("would inflate past 64 MiB"), "{out}");

    // Honest-looking but too many: refused as unreadable, exit 2.
    let (code, out, err) = verify_bytes(&zip_of_tag_files(300, |i| noise(1_000, i as u64)));
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains("unreadable: 301 tag files to read; a bundle has at most 200"),
        "{err}"
    );

    // Few but large: the tag files together are over budget.
    let (code, out, err) = verify_bytes(&zip_of_tag_files(34, |i| noise(1 << 20, i as u64)));
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("unreadable: its tag files declare"), "{err}");
}
