#!/usr/bin/env bash
# Packaging benchmark (see bench/build.py): builds the release binary, then times
# claimpack build/verify against openssl, sha256sum+zip and bagit.py on a 1 GiB case.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
exec python3 bench/build.py "$@"
