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
