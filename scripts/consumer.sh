#!/usr/bin/env bash
# Proves the publishable crates from their packages alone: packages them (each one built from its
# own package), unpacks the .crate files, builds a project outside the workspace that depends on
# `nexudus` with one API area, installs `nexudus-server` from its package, and runs the project's
# program against it (log in, create, search, update, delete an EmailAccount); then installs the
# `nexudus-codegen` command from its package and runs its README's commands on the schemas of the
# `nexudus-schema` package. Exits non-zero on any failure. Nothing is uploaded. Arguments go to `cargo package` (`--allow-dirty` to try
# uncommitted changes).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
target=${CARGO_TARGET_DIR:-$root/target}
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
# The SDK's crates: the runtime, one per API area (areas/), and the SDK that brings them together.
sdk=(nexudus nexudus-runtime $(for area in areas/*/; do area=${area%/}; echo "nexudus-${area#areas/}"; done))
work=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

echo "== cargo package: every publishable crate, each built from its own package"
# The packages are verified against each other through a temporary registry, and cargo neither
# unpacks again nor rebuilds a registry crate whose name and version it has seen before: forget
# earlier unpacked copies and builds of this project's crates, so that a crate changed since is
# verified as it is now. (Cargo unpacks them again from its cache when needed.)
for name in "${sdk[@]}" nexudus-codegen nexudus-schema nexudus-server; do
  rm -rf "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/"$name-$version"
done
rm -rf "$target"/debug/.fingerprint/nexudus-*
cargo package --workspace --exclude nexudus-tests --exclude quickstart --locked "$@"
mkdir "$work/crates"
for name in "${sdk[@]}" nexudus-codegen nexudus-schema nexudus-server; do
  crate="$target/package/$name-$version.crate"
  files=$(tar tzf "$crate" | wc -l)
  printf '%-24s %4d files  %8d bytes packed\n' "$name" "$files" "$(stat -c %s "$crate")"
  # The registry refuses packages over 10 MB.
  [ "$(stat -c %s "$crate")" -lt 10000000 ] || { echo "$crate is over 10 MB"; exit 1; }
  tar xzf "$crate" -C "$work/crates"
done

# The unpacked packages stand in for crates.io: no path into the workspace.
patches=()
for name in "${sdk[@]}" nexudus-codegen nexudus-schema; do
  patches+=(--config "patch.crates-io.$name.path=\"$work/crates/$name-$version\"")
done

echo "== a project outside the workspace: nexudus with the crm area only"
mkdir "$work/consumer"
cp scripts/consumer/main.rs "$work/consumer/main.rs"
# The workspace's lock file, so that the project resolves the dependencies the tests ran with.
cp Cargo.lock "$work/consumer/Cargo.lock"
cat > "$work/consumer/Cargo.toml" <<TOML
[package]
name = "nexudus-consumer"
version = "0.0.0"
edition = "2024"
publish = false

[[bin]]
name = "nexudus-consumer"
path = "main.rs"

[dependencies]
nexudus = { version = "=$version", default-features = false, features = ["crm", "tls-ring"] }
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }

[workspace]
TOML
(cd "$work/consumer" && cargo build "${patches[@]}" --target-dir "$target")

echo "== nexudus-server installed from its package"
cargo install --path "$work/crates/nexudus-server-$version" "${patches[@]}" --debug \
  --root "$work/bin" --target-dir "$target" --quiet

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
password="consumer-$RANDOM-$RANDOM"
cat > "$work/users.toml" <<TOML
[[users]]
username = "admin@example.com"
password = "$password"
roles = ["Administrator"]
TOML
"$work/bin/bin/nexudus-server" --port "$port" --users "$work/users.toml" --db "$work/records.db" \
  > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done

echo "== the project's program against it"
NEXUDUS_BASE_URL="http://127.0.0.1:$port" NEXUDUS_USERNAME="admin@example.com" \
  NEXUDUS_PASSWORD="$password" "$target/debug/nexudus-consumer"

echo "== the nexudus-codegen command installed from its package, on the packaged schemas"
cargo install --path "$work/crates/nexudus-codegen-$version" "${patches[@]}" --debug \
  --root "$work/bin" --target-dir "$target" --quiet
schemas="$work/crates/nexudus-schema-$version"
"$work/bin/bin/nexudus-codegen" check "$schemas"
"$work/bin/bin/nexudus-codegen" check --guesses "$schemas" | tail -1
"$work/bin/bin/nexudus-codegen" generate "$schemas" --out "$work/generated"
[ -s "$work/generated/crm/email_account.rs" ] || { echo "generate wrote no EmailAccount module"; exit 1; }
echo "the packaged crates work"
