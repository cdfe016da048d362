#!/usr/bin/env bash
# Crash safety: kill the server with SIGKILL in the middle of a stream of writes, restart it,
# and check that every write that had been answered 2xx is there — directory writes
# (organizations) and personal-data writes (statements in Esther's record, with their
# access-log events). Runs on SQLite, and on PostgreSQL when PG_ADMIN_URL is set.
#
#   bash reliability/crash_safety.sh
#   PG_ADMIN_URL=postgres://postgres@127.0.0.1:5432/postgres bash reliability/crash_safety.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PGOPTIONS="-c client_min_messages=warning"

PORT=${PORT:-18196}
BASE="http://127.0.0.1:$PORT"
# The workspace's feature set, so the artifacts of the test run are reused.
cargo build -q --workspace --bins
bin="${CARGO_TARGET_DIR:-target}/debug/smartcare"
workdir=$(mktemp -d)
trap 'kill -9 $(jobs -p) 2>/dev/null || true; rm -rf "$workdir"' EXIT

start_server() {
    "$bin" serve >>"$workdir/server.log" 2>&1 &
    server=$!
    for _ in $(seq 1 100); do curl -sf "$BASE/health/ready" >/dev/null && return 0; sleep 0.1; done
    echo "server did not become ready" >&2
    cat "$workdir/server.log" >&2
    return 1
}

run_on() {
    local label=$1
    export DATABASE_URL=$2
    export SMARTCARE_JWT_SECRET=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
    # One token drives all the load: lift the per-caller limit (tested in tests/api/auth.rs).
    export SMARTCARE_BIND="127.0.0.1:$PORT" SMARTCARE_RATE_LIMIT_PER_MINUTE=1000000000 RUST_LOG=warn
    "$bin" seed --demo >/dev/null
    start_server
    local admin unit clinician person
    admin=$("$bin" token --role admin --ttl 1h)
    unit=$(curl -sf -H "Authorization: Bearer $admin" "$BASE/api/v1/care-units?municipality=0682&kind=primary_care_centre&limit=1" \
        | python3 -c 'import json,sys; u=json.load(sys.stdin)["items"][0]; print(u["id"], u["organization_id"])')
    clinician=$("$bin" token --role clinician --unit "${unit% *}" --org "${unit#* }" --sub crash-clinician --ttl 1h)
    person=$(curl -sf -H "Authorization: Bearer $clinician" -H 'Content-Type: application/json' \
        -d '{"personal_number":"19121212-1212","given_name":"Esther","family_name":"Andersson"}' \
        "$BASE/api/v1/persons" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

    # Four writers for at most 20 s; the server is killed after 2 s.
    python3 - "$BASE" "$admin" "$clinician" "$person" "$workdir/acked.json" <<'PY' &
import json, sys, threading, time, urllib.error, urllib.request
base, admin, clinician, person, out = sys.argv[1:]
acked = {"organizations": [], "statements": []}
lock = threading.Lock()
def post(path, token, body):
    request = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status, json.load(response)
def writer(n):
    deadline = time.time() + 20
    i = 0
    while time.time() < deadline:
        i += 1
        try:
            if n % 2 == 0:
                status, body = post("/api/v1/organizations", admin, {"name": f"Vårdgivare {n}-{i}", "kind": "private_provider", "hsa_id": f"SE5590000{n:03d}-C{i}", "municipality": "0682"})
                kind = "organizations"
            else:
                status, body = post(f"/api/v1/persons/{person}/statements", clinician, {"kind": "need", "text": f"Behov {n}-{i}"})
                kind = "statements"
        except urllib.error.HTTPError as error:
            print(f"writer {n}: stopped at HTTP {error.code}: {error.read()[:300]!r}", file=sys.stderr)
            return
        except Exception as error:
            print(f"writer {n}: stopped ({type(error).__name__}: the server is gone)", file=sys.stderr)
            return
        if 200 <= status < 300:
            with lock:
                acked[kind].append(body["id"])
threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
for t in threads: t.start()
for t in threads: t.join()
json.dump(acked, open(out, "w"))
PY
    local writers=$!
    sleep 2
    kill -9 "$server"
    wait "$writers"
    start_server
    python3 - "$BASE" "$admin" "$clinician" "$person" "$workdir/acked.json" "$label" <<'PY'
import json, sys, urllib.request
base, admin, clinician, person, acked_file, label = sys.argv[1:]
acked = json.load(open(acked_file))
def get(path, token):
    request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)
missing = []
for org in acked["organizations"]:
    try:
        get(f"/api/v1/organizations/{org}", admin)
    except Exception as error:
        missing.append(("organization", org, str(error)))
record = get(f"/api/v1/persons/{person}", clinician)
stored = {s["id"] for s in record["statements"]}
missing += [("statement", s, "absent") for s in acked["statements"] if s not in stored]
log = get(f"/api/v1/persons/{person}/access-log?limit=200", admin)
events = log["items"]
while log.get("next"):
    log = get(f"/api/v1/persons/{person}/access-log?limit=200&cursor={log['next']}", admin)
    events += log["items"]
created = sum(1 for e in events if e["action"] == "create" and e["resource"] == "statement" and e["outcome"] == "allowed")
print(f"{label}: {len(acked['organizations'])} organizations and {len(acked['statements'])} statements were acknowledged before the kill; "
      f"after restart {len(acked['organizations']) + len(acked['statements']) - len(missing)} are present; "
      f"{created} statement-write events in her access log")
if missing or created < len(acked["statements"]):
    print(f"{label}: LOST {missing[:5]}", file=sys.stderr)
    sys.exit(1)
if not acked["organizations"] or not acked["statements"]:
    print(f"{label}: no write was acknowledged before the kill; nothing was tested", file=sys.stderr)
    sys.exit(1)
PY
    kill "$server"
    wait "$server" 2>/dev/null || true
}

run_on SQLite "sqlite://$workdir/crash.db"
if [ -n "${PG_ADMIN_URL:-}" ]; then
    db=smartcare_crash_$$
    psql "$PG_ADMIN_URL" -qc "CREATE DATABASE $db"
    run_on PostgreSQL "${PG_ADMIN_URL%/*}/$db"
    psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)"
else
    echo "PostgreSQL: skipped (PG_ADMIN_URL is not set)"
fi
