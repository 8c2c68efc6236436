#!/usr/bin/env bash
# Times `claimpack build` alone on the bench case (made by bench/build.py), N settled
# runs (remove output, sync, untimed), then openssl over the same files; prints sorted
# times and medians. For quick before/after checks of the packaging hot path.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-7}
cargo build --release --quiet
cd bench/work
[ -d case ] || { echo "run python3 bench/build.py once to make bench/work/case" >&2; exit 1; }
mkdir -p out
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_it() { local s e; s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); echo "$e - $s" | bc; }
files=$(find case -type f ! -name '.*' | sort)
build=(); openssl=()
for _ in $(seq "$runs"); do
  rm -f out/claim.zip; sync
  build+=("$(time_it ../../target/release/claimpack build case -o out/claim.zip -q --created-at 2026-11-23T12:00:00Z)")
  sync
  # shellcheck disable=SC2086
  openssl+=("$(time_it openssl dgst -sha256 $files)")
done
b=$(printf '%s\n' "${build[@]}" | median); o=$(printf '%s\n' "${openssl[@]}" | median)
echo "build:   $(printf '%s\n' "${build[@]}" | sort -n | tr '\n' ' ')"
echo "openssl: $(printf '%s\n' "${openssl[@]}" | sort -n | tr '\n' ' ')"
echo "median build $b s, openssl $o s, ratio $(echo "scale=2; $b / $o" | bc)"
