#!/usr/bin/env bash
# Fuzzes every target in fuzz/ for SECONDS each (default 60) with libFuzzer.
#
#   bash bench/fuzz.sh            # all five targets, 60 s each
#   bash bench/fuzz.sh 600 media  # one target, ten minutes
#
# Needs nightly Rust (installed here if rustup can fetch it) and cargo-fuzz (installed
# if missing). Corpora are seeded from the test fixtures: case files, the demo's bundle
# and WARC, the photo/video fixtures and the capture-time corpus, the TSA replies.
# A crash, timeout or out-of-memory input lands in fuzz/artifacts/<target>/; copy it
# into fuzz/regressions/<target>/ with a name that says what it was, fix the code with
# a `// guards:` comment, and `cargo test` runs it from then on (tests/it/fuzz.rs).
set -euo pipefail
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(case_toml bundle media page timestamp)
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if ! rustup toolchain list | grep -q '^nightly'; then
    rustup toolchain install nightly --profile minimal ||
        { echo "fuzz.sh: libFuzzer needs nightly Rust, and rustup could not install it" >&2; exit 1; }
fi
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked

seed() { # target, files...
    local dir="fuzz/corpus/$1"; shift
    mkdir -p "$dir"
    for f in "$@"; do [ -f "$f" ] && cp -n "$f" "$dir/" 2>/dev/null || true; done
}
# media and page read their first byte as the file's name (claimpack::fuzzing).
seed_as() { # target, selector byte (octal), files...
    local dir="fuzz/corpus/$1" selector=$2; shift 2
    mkdir -p "$dir"
    for f in "$@"; do
        [ -f "$f" ] && { printf "\\$selector"; cat "$f"; } > "$dir/$selector-$(basename "$f")"
    done
}
demo=$(mktemp -d)
trap 'rm -rf "$demo"' EXIT
cargo run --release -q -- demo --out "$demo/d" -q --created-at 2026-11-23T10:00:00Z >/dev/null
seed case_toml assets/demo/case.toml "$demo"/d/*/case.toml
seed bundle "$demo"/d/*.zip
seed_as media 000 tests/data/media/*.{jpg,heic,webp} tests/data/corpus/*.{jpg,JPG,heic,HEIC,heif,avif,webp} tests/data/c2pa/*.jpg
seed_as media 001 tests/data/media/*.png tests/data/corpus/*.png
seed_as media 002 tests/data/media/*.{mov,mp4} tests/data/corpus/*.{mp4,mov,m4a,3gp} tests/data/c2pa/*.mp4
seed_as page 000 $(find "$demo" -name "*.warc.gz")
seed_as page 003 assets/demo/tracking-page.html $(find "$demo" -name "*.html")
seed_as page 004 $(find "$demo" -name "*.pdf" | head -5)
seed timestamp tests/data/tsa/*.tsr

for target in "${targets[@]}"; do
    echo "== $target: $seconds s"
    (cd fuzz && cargo +nightly fuzz run "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=1024 -timeout=20 -print_final_stats=1 2>&1 |
        grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|==[0-9]+== ERROR|SUMMARY|Test unit written)' || true)
    if compgen -G "fuzz/artifacts/$target/*" >/dev/null; then
        echo "fuzz.sh: $target found inputs that fail: fuzz/artifacts/$target/" >&2
        ls "fuzz/artifacts/$target" >&2
        exit 1
    fi
done
