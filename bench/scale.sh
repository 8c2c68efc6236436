#!/usr/bin/env bash
# Scale benchmark (see bench/scale.py): 10,000 small files, and 1 and 5 GiB videos.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
exec python3 bench/scale.py "$@"
