#!/usr/bin/env bash
# Build time of the SDK with each TLS crypto provider: `cargo build -p nexudus` from nothing, with
# one area (`spaces`) and `tls-aws-lc` or `tls-ring`, alternating so that both see the same
# machine. Usage: scripts/tls-provider-compare.sh [ROUNDS] (default 2); about 5 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-2}
root=${COMPARE_DIR:-target/tls-compare}
mkdir -p "$root"
for round in $(seq "$rounds"); do
  for provider in tls-aws-lc tls-ring; do
    target="$root/$provider"
    rm -rf "$target"
    /usr/bin/time -f "round $round  $provider  wall %e s  user %U s  sys %S s" \
      cargo build -p nexudus --quiet --locked --target-dir "$target" \
      --no-default-features --features "spaces,$provider"
  done
done
rm -rf "$root"
