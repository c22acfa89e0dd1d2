#!/usr/bin/env bash
# Clean builds of two commits, alternating so that both see the same machine: `cargo build -p
# nexudus` from nothing with the default features (every area, aws-lc-rs, HTTP/2) and with one
# area and nothing else (`crm` on ring), each commit in a worktree and a target folder of its own.
# Prints each build's wall and CPU time, then the medians and their ratios.
# Usage: scripts/clean-build-compare.sh BEFORE [AFTER] [ROUNDS] (AFTER defaults to HEAD, ROUNDS to
# 3). About 20 minutes on 2 cores with 3 rounds; needs nothing but cargo, GNU time and python3.
# PACKAGES="idna serde_derive" builds those packages alone instead (`cargo build -p idna -p
# serde_derive`), to weigh one part of the build with less of the machine's noise around it.
set -euo pipefail
cd "$(dirname "$0")/.."
before=${1:?usage: $0 BEFORE [AFTER] [ROUNDS]}
after=${2:-HEAD}
rounds=${3:-3}
root=${COMPARE_DIR:-target/clean-build-compare}
mkdir -p "$root"
root=$(cd "$root" && pwd)
log="$root/times.txt"
: >"$log"

for name in before after; do
  commit=$before
  [ "$name" = after ] && commit=$after
  git worktree remove --force "$root/$name" 2>/dev/null || true
  git worktree add --detach "$root/$name" "$commit" >/dev/null 2>&1
  echo "$name: $(git -C "$root/$name" log --oneline -1)"
done

builds=(every-area one-area)
[ -n "${PACKAGES:-}" ] && builds=(packages)

for round in $(seq "$rounds"); do
  for build in "${builds[@]}"; do
    selection=(-p nexudus)
    [ "$build" = one-area ] && selection+=(--no-default-features --features crm,tls-ring)
    [ "$build" = packages ] && selection=($(printf -- '-p %s ' ${PACKAGES:-}))
    for name in before after; do
      target="$root/$name-target"
      rm -rf "$target"
      (cd "$root/$name" && /usr/bin/time -o "$root/time" -f "%e %U %S" \
        cargo build --quiet --locked --target-dir "$target" "${selection[@]}")
      read -r wall user system <"$root/time"
      echo "$build $name $wall $user $system" >>"$log"
      echo "round $round  $build  $name  wall $wall s  CPU $(echo "$user + $system" | bc) s"
    done
  done
done

python3 - "$log" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    build, name, wall, user, system = line.split()
    runs.setdefault((build, name), []).append((float(wall), float(user) + float(system)))
for build in sorted({build for build, _ in runs}):
    b, a = runs[(build, "before")], runs[(build, "after")]
    bw, aw = statistics.median(w for w, _ in b), statistics.median(w for w, _ in a)
    bc, ac = statistics.median(c for _, c in b), statistics.median(c for _, c in a)
    print(f"{build}: wall {bw:.1f} s -> {aw:.1f} s (x{aw / bw:.2f}), "
          f"CPU {bc:.1f} s -> {ac:.1f} s (x{ac / bc:.2f}), medians of {len(b)}")
PY

for name in before after; do
  git worktree remove --force "$root/$name"
  rm -rf "$root/$name-target"
done
