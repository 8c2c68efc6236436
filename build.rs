//! Two jobs before the crate compiles:
//!
//! - turns `CLAIMPACK_INTEROP=1` into the `interop` cfg, so that tests which need an
//!   outside tool (bagit.py, sha256sum, python3, openssl, chromium, …) are listed as
//!   ignored — with the reason — instead of skipping silently, and run for real
//!   (failing loudly when the tool is missing) once the variable is set;
//! - compacts the GeoNames tables in `data/geonames/` into the gazetteer index the
//!   binary embeds (`build/gazetteer.rs`), folding names with the same code the
//!   lookups use (`src/geo/fold.rs`).

#[path = "src/geo/fold.rs"]
mod fold;
#[path = "build/gazetteer.rs"]
mod gazetteer;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(interop)");
    println!("cargo::rerun-if-env-changed=CLAIMPACK_INTEROP");
    if std::env::var("CLAIMPACK_INTEROP").is_ok_and(|v| v == "1") {
        println!("cargo::rustc-cfg=interop");
    }

    for input in [
        "data/geonames/cities1000.tsv",
        "data/geonames/admin1.tsv",
        "build/gazetteer.rs",
        "src/geo/fold.rs",
    ] {
        println!("cargo::rerun-if-changed={input}");
    }
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    gazetteer::build(std::path::Path::new("data/geonames"), &out);
}
