#!/usr/bin/env bash
# Webhook delivery latency of nexudus-server under a burst of writes, and what a webhook costs the
# API calls that fire it (same run, same server, with and without a webhook). The driver is
# tests/examples/webhook_latency.rs. Settings: WRITES (per burst, default 500), CONCURRENCY
# (writers at a time, default 8), PROFILE (`dev`, the default, or `release`).
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${PROFILE:-dev}
cargo run -q --profile "$profile" -p nexudus-tests --example webhook_latency -- \
  "${WRITES:-500}" "${CONCURRENCY:-8}"
