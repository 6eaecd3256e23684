#!/usr/bin/env bash
# The first build a new user waits for, beside compiling Typst's own CLI on the same machine.
#
#   bash bench/first-build.sh [PROFILE] [ours]   # PROFILE: release (the default) or dist;
#                                                # `ours`: this build only, not typst-cli's
#
# Clones this repository's HEAD into a scratch folder and times `cargo build --profile
# PROFILE --timings` there with an empty target folder; then unpacks typst-cli (the version
# the build embeds) and times its own `cargo build --release --locked` (what `cargo install
# typst-cli` does) with an empty target folder. Every crate is downloaded before the clock
# starts, so the network is not timed. Prints both times and their ratio; Cargo's timings
# report (which crates the wait goes to) is left in the scratch folder.
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${1:-release}"
only="${2:-}"
typst=$(sed -n 's/^typst = "\(.*\)"/\1/p' Cargo.toml)
scratch=$(mktemp -d /tmp/first-build.XXXXXX)
git clone --quiet . "$scratch/audit-report"
( cd "$scratch/audit-report" && cargo fetch --quiet )
cargo info "typst-cli@$typst" >/dev/null 2>&1 || true   # downloads the .crate into the cache
crate=$(ls ~/.cargo/registry/cache/*/"typst-cli-$typst.crate" | head -1)
tar xzf "$crate" -C "$scratch"
( cd "$scratch/typst-cli-$typst" && cargo fetch --quiet --locked )
seconds() { local start=$(date +%s.%N); "$@" >/dev/null 2>&1; echo "$(date +%s.%N) - $start" | bc; }
ours=$(cd "$scratch/audit-report" && CARGO_TARGET_DIR="$scratch/audit-report/target" \
  seconds cargo build --profile "$profile" --timings)
printf 'on %s, %s cores, %s\n' "$(hostname)" "$(nproc)" "$(date -u +%F)"
printf 'audit-report (cargo build --profile %s, fresh clone): %.0f s\n' "$profile" "$ours"
echo "timings: $scratch/audit-report/target/cargo-timings/cargo-timing.html"
[ "$only" = ours ] && exit 0
theirs=$(cd "$scratch/typst-cli-$typst" && CARGO_TARGET_DIR="$scratch/typst-cli-$typst/target" \
  seconds cargo build --release --locked)
printf 'typst-cli %s (cargo build --release --locked, as cargo install): %.0f s\n' "$typst" "$theirs"
printf 'ratio: %.2f\n' "$(echo "$ours / $theirs" | bc -l)"
