#!/usr/bin/env bash
# Compile time of the SDK crate, before and after: builds two commits side by side in one run
# (each in a worktree and a target folder of its own) and prints, for each, the rows BENCHMARKS.md
# reports under "Compile time". Usage: scripts/compile-time-compare.sh BEFORE [AFTER]
# (AFTER defaults to HEAD). About 40 minutes on 2 cores; needs nothing but cargo and python3.
#
# Rows, dev profile, every API area unless said:
#   clean build from nothing           `cargo build -p nexudus` in an empty target folder (1 run)
#   dependencies done at               when the SDK's first library started (--timings); the SDK's
#                                      part of the wall is the rest of the build
#   SDK units / build script runs      the SDK's units of that build (--timings): `nexudus` and,
#                                      once they exist, `nexudus-runtime` and the area crates
#   clean build, `spaces` only         the same with --no-default-features --features spaces (and
#                                      the default TLS provider, once there is a choice)
#   SDK alone                          `cargo clean` of the SDK's packages, then build: their units
#                                      of --timings (median of 3), as that clean also removes the
#                                      generator, rebuilt in between
#   a schema touched / edited          touch or edit EmailAccount.yaml, then build (median of 3)
set -euo pipefail
cd "$(dirname "$0")/.."
before=${1:?usage: $0 BEFORE [AFTER]}
after=${2:-HEAD}
root=${COMPARE_DIR:-target/compare}
mkdir -p "$root"
root=$(cd "$root" && pwd)

# Reads a --timings report: with `crate`, the seconds of the SDK's own units (its crates, as
# `ours` tells them: libraries, build scripts compiled and run); otherwise those units by kind,
# when the SDK's first library started, and the floor the other units put on a build with this
# machine's cores.
timings() { # report [crate]
  python3 - "$@" <<'PY'
import json, os, re, sys
units = json.loads(re.search(r"const UNIT_DATA = (\[.*?\]);", open(sys.argv[1]).read(), re.S).group(1))
def ours(unit):  # the SDK's crates: nexudus, its runtime and its areas, not the generator or schemas
    name = unit["name"]
    return name == "nexudus" or (name.startswith("nexudus-") and name not in ("nexudus-codegen", "nexudus-schema"))
def kind(unit):
    target = unit.get("target", "").strip() or "lib"
    return target if target in ("lib", "build-script (run)", "build-script") else "other"
sdk = [u for u in units if ours(u)]
total = sum(u["duration"] for u in sdk)
if sys.argv[2:] == ["crate"]:
    print(f"{total:.2f}")
    sys.exit()
# The SDK's libraries start once their dependencies are built: from the first of them to the end
# of the build is the SDK's own part of the wall time. (A dependency of the last crate alone, such
# as `hex` for the webhook signatures, may be scheduled beside the area crates: it counts as theirs.)
end = max(u["start"] + u["duration"] for u in units)
deps = min((u["start"] for u in sdk if kind(u) == "lib"), default=end)
by = lambda k: [u["duration"] for u in sdk if kind(u) == k]
libs, runs, compiled = by("lib"), by("build-script (run)"), by("build-script")
print(f"dependencies done at {deps:6.1f} s   SDK's part of the wall {end - deps:5.1f} s"
      f"   SDK/dependencies x{(end - deps) / deps if deps else 0:.2f}")
print(f"SDK units {total:6.1f} s of CPU ({len(libs)} libraries {sum(libs):.1f} s, longest"
      f" {max(libs, default=0):.1f} s; build scripts compiled {sum(compiled):.1f} s)")
print(f"build script runs {sum(runs):5.2f} s summed, longest {max(runs, default=0):.2f} s ({len(runs)})")
# On N cores no build of the SDK can take less than the other units' time over N.
others = sum(u["duration"] for u in units if not ours(u))
cores = os.cpu_count() or 1
print(f"every other unit, summed {others:6.1f} s: at least {others / cores:.1f} s on {cores} cores")
PY
}

# The newest --timings report under a target folder.
newest_report() {
  ls -t "$1"/cargo-timings/cargo-timing-2*.html | head -1
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

seconds() { # command...: runs it, prints its wall time in seconds ("FAILED" if it fails)
  local started
  started=$(date +%s%N)
  "$@" >/dev/null 2>&1 || { echo FAILED; return; }
  awk -v from="$started" -v to="$(date +%s%N)" 'BEGIN { printf "%.2f\n", (to - from) / 1e9 }'
}

measure() { # name commit
  local name=$1 commit=$2 tree="$root/$1" target="$root/$1-target"
  git worktree remove --force "$tree" 2>/dev/null || true
  git worktree add --detach "$tree" "$commit" >/dev/null 2>&1
  echo "== $name: $(git -C "$tree" log --oneline -1)"
  (
    cd "$tree"
    export CARGO_TARGET_DIR="$target"
    build() { cargo build -p nexudus --quiet "$@"; }
    # The SDK's packages in this commit: the runtime and the areas once they had crates of their own.
    packages=(-p nexudus)
    [ -d runtime ] && packages+=(-p nexudus-runtime)
    for area in areas/*/; do [ -d "$area" ] && packages+=(-p "nexudus-$(basename "$area")"); done
    # A build without default features names its TLS provider once there is a choice.
    spaces=spaces
    grep -q '^tls-aws-lc = ' generated/Cargo.toml && spaces=spaces,tls-aws-lc

    rm -rf "$target"
    echo "clean build from nothing, every area:   $(seconds build --timings) s wall"
    timings "$(newest_report "$target")"
    rm -rf "$target"
    echo "clean build from nothing, spaces only:  $(seconds build --timings --no-default-features --features "$spaces") s wall"
    timings "$(newest_report "$target")"

    build
    alone=$(for _ in 1 2 3; do
      cargo clean "${packages[@]}" --quiet
      build --timings
      timings "$(newest_report "$target")" crate
    done | median)
    echo "SDK alone, dependencies built:          $alone s (median of 3)"

    # In its area's folder, or at the top of schema/ before the schemas had area folders.
    for schema in schema/crm/EmailAccount.yaml schema/EmailAccount.yaml; do
      [ -f "$schema" ] && break
    done
    touched=$(for _ in 1 2 3; do touch "$schema"; seconds build; done | median)
    echo "a schema touched, rebuilt:              $touched s (median of 3)"
    edited=$(for run in 1 2 3; do
      sed -i "/^description: |-/{n;s/\$/ $run/}" "$schema"
      seconds build
    done | median)
    git checkout --quiet -- "$schema"
    echo "a schema's description edited, rebuilt: $edited s (median of 3)"
  )
  git worktree remove --force "$tree"
}

measure before "$before"
measure after "$after"
echo "(target folders left in $root for a closer look; remove them when done)"
