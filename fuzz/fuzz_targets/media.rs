#![no_main]

// See claimpack::fuzzing for what the target covers; its regression inputs are in
// fuzz/regressions/media/ and run in `cargo test` (tests/it/fuzz.rs).
libfuzzer_sys::fuzz_target!(|data: &[u8]| claimpack::fuzzing::media(data));
