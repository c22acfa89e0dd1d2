#!/usr/bin/env bash
# Measures what BENCHMARKS.md reports for the whole catalogue: lines generated, generation time,
# clean builds of the SDK with every API area, one area and none, and rebuilds after a schema
# change. Needs hyperfine (Debian package `hyperfine`). Takes about half an hour on 2 cores:
# it builds the SDK and its dependencies from nothing twice, and the SDK crate alone 12 times.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "install hyperfine first (apt-get install hyperfine)"; exit 1; }

target=${BUILD_TIMES_TARGET_DIR:-target/build-times}
out=$(mktemp -d)
# The area measured alone: bookings, members and resources live in `spaces`.
area=${AREA:-spaces}

# Prints the median, min and max of each command of a hyperfine JSON export, and its ratio to the
# first command's median.
medians() {
  python3 - "$1" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
base = results[0]["median"]
for result in results:
    print(f"median {result['median']:8.3f} s  (min {result['min']:.3f}, max {result['max']:.3f}, "
          f"{len(result['times'])} runs)  x{result['median'] / base:5.2f}  {result['command']}")
PY
}

cargo build --release -p nexudus-codegen --quiet
codegen=target/release/nexudus-codegen

echo "== lines generated (every schema)"
$codegen generate schema --out "$out/generated"
find "$out/generated" -name '*.rs' -print0 | xargs -0 cat | wc -l
echo "of which rustdoc lines:"
find "$out/generated" -name '*.rs' -print0 | xargs -0 cat | grep -c '^\s*///' || true

echo "== generation time (baseline: the same binary printing its version)"
hyperfine --style basic -N --warmup 3 --runs 20 --export-json "$out/generate.json" \
  "$codegen --version" \
  "$codegen check schema" \
  "$codegen generate schema --out $out/generated" >/dev/null
medians "$out/generate.json"

build() { # features... ; builds the SDK crate in the measurement's target folder
  CARGO_TARGET_DIR="$target" cargo build -p nexudus --quiet "$@"
}

echo "== clean build from nothing: the SDK and every dependency (one run each)"
for features in "--no-default-features --features $area" ""; do
  rm -rf "$target"
  started=$(date +%s%N)
  # shellcheck disable=SC2086 # the feature flags are words
  build $features
  echo "$(( ($(date +%s%N) - started) / 1000000 )) ms wall: cargo build -p nexudus ${features:-(default: every area)}"
done

echo "== clean build of the SDK crate alone (dependencies already built)"
hyperfine --style basic --warmup 1 --runs 3 --export-json "$out/crate.json" \
  --prepare "env CARGO_TARGET_DIR=$target cargo clean -p nexudus --quiet" \
  "env CARGO_TARGET_DIR=$target cargo build -p nexudus --quiet --no-default-features" \
  "env CARGO_TARGET_DIR=$target cargo build -p nexudus --quiet --no-default-features --features $area" \
  "env CARGO_TARGET_DIR=$target cargo build -p nexudus --quiet" >/dev/null
medians "$out/crate.json"

echo "== rebuilds with every area: nothing changed; one schema touched; one schema's text changed"
build
schema=schema/crm/EmailAccount.yaml
cp "$schema" "$out/schema.yaml"
trap 'cp "$out/schema.yaml" "$schema"; rm -rf "$out"' EXIT
hyperfine --style basic --warmup 1 --runs 5 --export-json "$out/rebuild.json" \
  --prepare true --prepare "touch $schema" --prepare "sed -i '/^description: |-/{n;s/\$/ x/}' $schema" \
  -n "no change" -n "touched, content unchanged" -n "description edited" \
  "env CARGO_TARGET_DIR=$target cargo build -p nexudus --quiet" \
  "env CARGO_TARGET_DIR=$target cargo build -p nexudus --quiet" \
  "env CARGO_TARGET_DIR=$target cargo build -p nexudus --quiet" >/dev/null
medians "$out/rebuild.json"
