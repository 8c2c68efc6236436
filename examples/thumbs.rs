//! Benchmark helper: runs claimpack's thumbnail stage (the same code `build` uses)
//! over every JPEG in a folder and writes the thumbnails to another. Like `build`
//! (and like vipsthumbnail), it reads each file's EXIF orientation and stands the
//! thumbnail upright.
//!
//! cargo run --release --example thumbs -- IN_DIR OUT_DIR

use std::path::PathBuf;

use claimpack::metadata::thumbnail;

fn main() {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [input, output] = args.as_slice() else {
        eprintln!("usage: thumbs IN_DIR OUT_DIR");
        std::process::exit(2);
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(input)
        .expect("input folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("jpg")))
        .collect();
    files.sort();
    let results = thumbnail::parallel_map(&files, |path| {
        let orientation = std::fs::File::open(path).ok().and_then(|file| {
            let exif = exif::Reader::new()
                .read_from_container(&mut std::io::BufReader::new(file))
                .ok()?;
            let field = exif.get_field(exif::Tag::Orientation, exif::In::PRIMARY)?;
            u16::try_from(field.value.get_uint(0)?).ok()
        });
        let (jpeg, _, _) = thumbnail::thumbnail_image(path, "image/jpeg", orientation)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let name = path.file_name().unwrap_or_default();
        std::fs::write(output.join(name), jpeg).map_err(|e| e.to_string())
    });
    let failed = results.iter().filter(|r| r.is_err()).count();
    if failed > 0 {
        eprintln!("{failed} thumbnails could not be written");
        std::process::exit(1);
    }
}
