#!/usr/bin/env bash
# Requests per second of nexudus-server (release build) for get, search and create, measured with
# wrk, against a baseline in the same run: an anonymous request, which the server refuses (401)
# before any storage work, so it is the cost of the HTTP stack alone.
#
# Needs wrk (Debian package `wrk`). Settings: DURATION (seconds per run, default 10), CONNECTIONS
# (default 16), THREADS (wrk's, default 2), RUNS (per measurement, default 3), RECORDS (seeded
# before the reads, default 5000), SERVER (a server binary to measure instead of this
# checkout's). The server runs without rate limits; wrk and the server share the machine's cores.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "install wrk first (apt-get install wrk)"; exit 1; }

duration=${DURATION:-10}
connections=${CONNECTIONS:-16}
threads=${THREADS:-2}
runs=${RUNS:-3}
records=${RECORDS:-5000}
port=${PORT:-18090}
base="http://127.0.0.1:$port"
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT

# SERVER names another build to measure (e.g. an older commit's), for a comparison.
if [ -z "${SERVER:-}" ]; then
  cargo build --release -p nexudus-server --quiet
  SERVER=target/release/nexudus-server
fi
cat >"$work/users.toml" <<'TOML'
[[users]]
username = "bench@example.com"
password = "a bench password"
roles = ["Administrator"]
TOML

body='{"BusinessId":1001,"DisplayName":"Desk","EmailAddress":"desk@example.com","IncomingServer":"imap.example.com","IncomingServerPort":993,"IncomingServerUsername":"desk","OutgoingServer":"smtp.example.com","OutgoingServerPort":587,"OutgoingServerUsername":"desk"}'
cat >"$work/create.lua" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
LUA
# A get of a random seeded record.
cat >"$work/get.lua" <<LUA
function request()
  return wrk.format(nil, "/api/crm/emailaccounts/" .. math.random(1, $records))
end
LUA

# Runs wrk $runs times; prints the median requests/s and the median of the runs' median latency.
measure() {
  local name=$1; shift
  for run in $(seq "$runs"); do
    wrk --latency -t"$threads" -c"$connections" -d"${duration}s" "$@" >"$work/$name.$run.txt"
  done
  python3 - "$name" "$work" "$runs" <<'PY'
import re, statistics, sys
name, work, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
rates, p50s, non2xx = [], [], 0
for run in range(1, runs + 1):
    text = open(f"{work}/{name}.{run}.txt").read()
    rates.append(float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)))
    value, unit = re.search(r"50%\s+([\d.]+)(us|ms|s)", text).groups()
    p50s.append(float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit])
    found = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    non2xx += int(found.group(1)) if found else 0
print(f"{name}\t{statistics.median(rates):.0f}\t{statistics.median(p50s):.2f}\t{non2xx}")
PY
}

for database in memory file; do
  rm -f "$work"/dev.db*
  db_flag=()
  [ "$database" = file ] && db_flag=(--db "$work/dev.db")
  "$SERVER" --port "$port" "${db_flag[@]}" --users "$work/users.toml" \
    --no-rate-limits >"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 100); do curl -s -o /dev/null "$base/api/token" && break || sleep 0.1; done
  token=$(curl -fs "$base/api/token" -d grant_type=password -d username=bench@example.com \
    --data-urlencode "password=a bench password" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')
  auth="Authorization: Bearer $token"
  # Seeding: $records creates over one kept-alive connection, with distinct names to sort.
  python3 - "$port" "$token" "$records" "$body" <<'PY'
import http.client, json, sys
port, token, count, body = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), json.loads(sys.argv[4])
connection = http.client.HTTPConnection("127.0.0.1", port)
headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
for number in range(count):
    body["DisplayName"] = f"Desk {(number * 7919) % count:05}"
    connection.request("POST", "/api/crm/emailaccounts", json.dumps(body), headers)
    answer = connection.getresponse()
    answer.read()
    assert answer.status == 200, answer.status
PY
  seeded=$(curl -fs -H "$auth" "$base/api/crm/emailaccounts?size=1" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["TotalItems"])')

  echo "== database: $database, $seeded records seeded; wrk -t$threads -c$connections -d${duration}s, $runs runs each"
  echo -e "what\treq/s (median)\tp50 latency ms\tnon-2xx"
  measure "baseline-401" "$base/api/crm/emailaccounts/1"
  measure "get" -s "$work/get.lua" -H "$auth" "$base"
  measure "search" -H "$auth" \
    "$base/api/crm/emailaccounts?EmailAccount_Business=1001&page=1&size=25&orderBy=DisplayName&dir=0"
  measure "search-one" -H "$auth" "$base/api/crm/emailaccounts?EmailAccount_DisplayName=Desk%2000042&size=25"
  measure "create" -s "$work/create.lua" -H "$auth" "$base/api/crm/emailaccounts"
  kill "$server"; wait "$server" 2>/dev/null || true
done
