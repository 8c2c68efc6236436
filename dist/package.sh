#!/usr/bin/env bash
# Packs a release build of claimpack for one target into dist/out/:
#   claimpack-<version>-<target>.tar.gz (.zip for Windows) holding the binary, the
#   README, the licences, shell completions and man pages made by the binary itself,
# and appends the archive's SHA-256 to dist/out/SHA256SUMS.
#
#   bash dist/package.sh                       # this machine's target, built here
#   bash dist/package.sh x86_64-pc-windows-msvc   # as the release workflow calls it
#
# The release workflow (.github/workflows/release.yml) runs this on each platform.
set -euo pipefail
cd "$(dirname "$0")/.."

host="$(rustc -vV | sed -n 's/^host: //p')"
target="${1:-$host}"
version="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)"
name="claimpack-${version}-${target}"
out="dist/out"
stage="$out/$name"

# The host's own target builds where `cargo build --release` does, so a local run
# reuses that build.
if [ "$target" = "$host" ]; then
  cargo build --release --locked
  exe="target/release/claimpack"
else
  cargo build --release --locked --target "$target"
  exe="target/$target/release/claimpack"
fi
[ -f "$exe.exe" ] && exe="$exe.exe"

rm -rf "$stage"
mkdir -p "$stage/completions" "$stage/man"
cp "$exe" "$stage/"
cp README.md "$stage/"
# The licences of the data and font compiled into the binary.
mkdir -p "$stage/licenses"
cp data/geonames/LICENSE "$stage/licenses/geonames-CC-BY-4.0.txt"
cp data/tracking_number_data/LICENSE "$stage/licenses/tracking_number_data-MIT.txt"
cp data/natural_earth/LICENSE-world-atlas "$stage/licenses/world-atlas.txt"
cp assets/fonts/NotoSans-LICENSE-OFL.txt "$stage/licenses/"
cp assets/demo/ATTRIBUTION.md "$stage/licenses/demo-ATTRIBUTION.md"
# The binary describes itself: completions and man pages cannot drift from --help.
for shell in bash zsh fish powershell; do
  "$exe" completions "$shell" > "$stage/completions/claimpack.$shell"
done
"$exe" man --out "$stage/man" > /dev/null
"$exe" --version

case "$target" in
  *windows*) archive="$name.zip"; (cd "$out" && rm -f "$archive" && 7z a -tzip "$archive" "$name" > /dev/null) ;;
  *) archive="$name.tar.gz"; tar -C "$out" -czf "$out/$archive" "$name" ;;
esac
rm -rf "$stage"
(cd "$out" && { command -v sha256sum > /dev/null && sha256sum "$archive" || shasum -a 256 "$archive"; } >> SHA256SUMS)
echo "$out/$archive"
