//! Every input the fuzz targets ever failed on (fuzz/regressions/<target>/), run on
//! stable Rust through the same entry points as `bench/fuzz.sh` fuzzes. Each must
//! return without a panic; the target names must match the fuzz crate's.

use std::fs;
use std::path::Path;

use claimpack::fuzzing::TARGETS;

fn fuzz_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

#[test]
fn every_regression_input_runs_without_a_panic() {
    let mut ran = 0;
    for (target, run) in TARGETS {
        let folder = fuzz_dir().join("regressions").join(target);
        let entries = fs::read_dir(&folder).unwrap_or_else(|e| panic!("{}: {e}", folder.display()));
        for entry in entries {
            let path = entry.unwrap().path();
            if path.file_name().is_some_and(|n| n == "README.md") {
                continue;
            }
            let data = fs::read(&path).unwrap();
            let outcome = std::panic::catch_unwind(|| run(&data));
            assert!(outcome.is_ok(), "{target}: {} panicked", path.display());
            ran += 1;
        }
    }
    assert!(ran > 0, "no regression inputs found");
}

#[test]
fn the_fuzz_crate_has_a_target_for_each_entry_point() {
    let manifest = fs::read_to_string(fuzz_dir().join("Cargo.toml")).unwrap();
    for (target, _) in TARGETS {
        assert!(
            manifest.contains(&format!("name = \"{target}\"")),
            "fuzz/Cargo.toml has no [[bin]] {target}"
        );
        assert!(
            fuzz_dir()
                .join(format!("fuzz_targets/{target}.rs"))
                .exists()
        );
    }
}

#[test]
fn the_fixtures_themselves_run_through_every_target() {
    // The seeds bench/fuzz.sh starts from: a panic here would stop fuzzing at once.
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut inputs = Vec::new();
    for folder in ["media", "tsa"] {
        for entry in fs::read_dir(data.join(folder)).unwrap() {
            inputs.push(fs::read(entry.unwrap().path()).unwrap());
        }
    }
    inputs.push(
        fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo/case.toml")).unwrap(),
    );
    for (_, run) in TARGETS {
        for input in &inputs {
            run(input);
        }
    }
}
