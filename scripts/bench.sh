#!/usr/bin/env bash
# Measures what BENCHMARKS.md reports: generation time, lines generated, SDK build times, and what
# one SDK request costs on top of a bare reqwest call.
# Needs hyperfine (Debian package `hyperfine`). Takes a few minutes: it builds the SDK from clean.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "install hyperfine first (apt-get install hyperfine)"; exit 1; }

bench_target=${BENCH_TARGET_DIR:-target/bench}

# Prints the median of each command of a hyperfine JSON export, and its ratio to the first.
medians() {
  python3 - "$1" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
base = results[0]["median"]
for result in results:
    print(f"median {result['median'] * 1000:8.2f} ms  x{result['median'] / base:5.2f}  {result['command']}")
PY
}
cargo build --release -p nexudus-codegen --quiet
codegen=target/release/nexudus-codegen
out=$(mktemp -d)

echo "== lines generated"
$codegen generate schema --out "$out"
wc -l "$out"/*.rs "$out"/*/*.rs

echo "== generation time (baseline: the same binary printing its version)"
hyperfine --style basic -N --warmup 5 --runs 50 --export-json "$out/generate.json" \
  "$codegen --version" \
  "$codegen check schema" \
  "$codegen generate schema --out $out" >/dev/null
medians "$out/generate.json"

echo "== clean build of the SDK, with cargo's timings"
rm -rf "$bench_target"
started=$(date +%s%N)
CARGO_TARGET_DIR="$bench_target" cargo build -p nexudus --timings --quiet
echo "clean build: $(( ($(date +%s%N) - started) / 1000000 )) ms wall"

echo "== rebuilds (no change; one schema file touched)"
hyperfine --style basic -N --warmup 3 --runs 20 --export-json "$out/noop.json" \
  "env CARGO_TARGET_DIR=$bench_target cargo build -p nexudus --quiet" >/dev/null
hyperfine --style basic --warmup 2 --runs 10 --export-json "$out/touched.json" \
  --prepare "touch schema/crm/EmailAccount.yaml" \
  "env CARGO_TARGET_DIR=$bench_target cargo build -p nexudus --quiet" >/dev/null
medians "$out/noop.json"
medians "$out/touched.json"

echo "== request overhead against bare reqwest (criterion, about a minute)"
cargo bench -p nexudus-tests --bench overhead --quiet -- --quiet
# Criterion's middle estimate (slope) and median per call, and SDK/baseline of each group.
python3 - "${CARGO_TARGET_DIR:-target}/criterion" <<'PY2'
import json, sys
def est(group, name):
    data = json.load(open(f"{sys.argv[1]}/{group}/{name}/new/estimates.json"))
    middle = data["slope"] or data["mean"]  # criterion reports the slope when it has one
    return middle["point_estimate"] / 1000, data["median"]["point_estimate"] / 1000
for group in ["get_one", "create", "get_one_1worker", "create_1worker"]:
    (base, base_median), (sdk, sdk_median) = est(group, "baseline"), est(group, "sdk")
    print(f"{group:16} baseline {base:7.2f} us (median {base_median:7.2f})  sdk {sdk:7.2f} us "
          f"(median {sdk_median:7.2f})  x{sdk / base:5.3f}  {sdk - base:+6.2f} us")
PY2
rm -rf "$out"
echo "timings report: $(ls -t "$bench_target"/cargo-timings/cargo-timing-*.html | head -1)"
