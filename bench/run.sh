#!/usr/bin/env bash
# Benchmark: stage times, whole build and peak memory at sizes from the sample to 2,000
# cases, against Typst alone compiling the same documents. See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
# Typst alone, for comparison: the Python binding of the same Typst version (installs in
# seconds; `cargo install typst-cli` takes about 13 minutes here).
python3 -c "import typst" 2>/dev/null || python3 -m pip install --quiet "typst>=0.15,<0.16"
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }
exec python3 bench/bench.py "$@"
