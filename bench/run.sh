#!/usr/bin/env bash
# Benchmarks: the build against Typst alone at sizes from the sample to 10,000 cases, `watch`
# against Typst's own watcher, and prose naming many figures; each in alternating pairs. Writes
# the tables into bench/README.md. See that file for the method.
#
#   bash bench/run.sh            # everything
#   bash bench/run.sh --quick    # the sample and 150 cases, no watch (a few minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
quick=false
[ "${1:-}" = "--quick" ] && quick=true
cargo build --profile dist --features jemalloc --quiet   # the fastest binary (Cargo.toml)
# Typst alone: the Python binding of Typst 0.15 (installs in seconds).
python3 -c "import typst" 2>/dev/null || python3 -m pip install --quiet "typst>=0.15,<0.16"
if $quick; then
  python3 bench/bench.py --sizes sample,150 --pairs 5
  exit
fi
python3 bench/bench.py --sizes sample,150,2000,10000 --pairs 5 --readme bench/README.md
python3 bench/prose.py --sizes 1000,2000,4000,8000 --pairs 5 --readme bench/README.md
# Typst's own watcher: the CLI of the version the build embeds. Building it takes about 15
# minutes on 2 cores, once; TYPST=/path/to/typst uses one already built.
typst="${TYPST:-}"
if [ -z "$typst" ]; then
  typst="$PWD/target/typst-cli/bin/typst"
  [ -x "$typst" ] || cargo install typst-cli@0.15.1 --locked --quiet --root "$PWD/target/typst-cli"
fi
python3 bench/watch.py --typst "$typst" --audit data --edition executive-group --pairs 7 \
  --label "sample, Executive Group" --readme bench/README.md --marker watch
python3 bench/watch.py --typst "$typst" --audit data --pairs 7 \
  --label "sample, all editions" --readme bench/README.md --marker watch-all
