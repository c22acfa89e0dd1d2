#!/usr/bin/env bash
# A crash under load: nexudus-server (release build) on a SQLite file, with the published rate
# limits on, gets concurrent creates, updates and deletes of EmailAccounts from several users (one
# writer each, through the SDK, one write a second each, as the limits allow); after DURATION
# seconds it is killed with SIGKILL while writes are in flight, restarted on the same file, and
# every record is read back. Every acknowledged write must be there and whole (a create with every
# value written, the last acknowledged update applied, a delete gone); a write in flight at the kill
# may have happened or not, but whole; a write refused with 409 must have stored nothing.
#
# Prints requests, acknowledged, lost (must be 0), p50/p99 latency of acknowledged writes; exits
# non-zero on any loss or half-written record. Settings: USERS (writers, default 12), DURATION
# (seconds of load before the kill, default 60), SERVER (a server binary to test instead of this
# checkout's). The driver is tests/examples/server_crash.rs; the check is tests/it/crash.rs, which
# a short test also runs (four writers, no rate limits, well under a second).
set -euo pipefail
cd "$(dirname "$0")/.."

users=${USERS:-12}
duration=${DURATION:-60}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ -z "${SERVER:-}" ]; then
  cargo build --release -p nexudus-server --quiet
  SERVER=target/release/nexudus-server
fi
# The driver's speed does not matter (a dozen writes a second): the test profile's build will do.
cargo build -p nexudus-tests --example server_crash --quiet

roles='["EmailAccount-List", "EmailAccount-Read", "EmailAccount-Create", "EmailAccount-Edit", "EmailAccount-Delete"]'
for n in $(seq "$users"); do
  printf '[[users]]\nusername = "crash%s@example.com"\npassword = "crash password %s"\nroles = %s\n\n' \
    "$n" "$n" "$roles"
done >"$work/users.toml"

echo "== $users users, ${duration} s of writes with the rate limits on, then kill -9 and a restart"
target/debug/examples/server_crash "$SERVER" "$work/users.toml" "$work/crash.db" "$duration"
