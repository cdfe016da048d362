#!/usr/bin/env bash
# Database outage: stop PostgreSQL under load and check that the API answers 503 problem+json
# promptly (no request hangs past a few seconds, no other 5xx), that /health/ready reports it,
# and that service resumes by itself within seconds of the database returning — for plain reads
# and for logged ones (a unit's caseload: its access-log events go through the log writer's own
# connection, which must reconnect too). Stops and
# restarts the local PostgreSQL cluster (it is always restarted on exit).
#
#   PG_ADMIN_URL=postgres://postgres@127.0.0.1:5432/postgres bash reliability/db_outage.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PGOPTIONS="-c client_min_messages=warning"

PG_ADMIN_URL=${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
PORT=${PORT:-18197}
BASE="http://127.0.0.1:$PORT"
version=$(ls /etc/postgresql | sort -V | tail -n 1)
pg() { pg_ctlcluster --skip-systemctl-redirect "$version" main "$1"; }

# The workspace's feature set, so the artifacts of the test run are reused.
cargo build -q --workspace --bins
bin="${CARGO_TARGET_DIR:-target}/debug/smartcare"
workdir=$(mktemp -d)
db=smartcare_outage_$$
psql "$PG_ADMIN_URL" -qc "CREATE DATABASE $db"
cleanup() {
    kill $(jobs -p) 2>/dev/null || true
    pg_isready -q -h 127.0.0.1 || pg start || true
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
    psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true
    rm -rf "$workdir"
}
trap cleanup EXIT

export DATABASE_URL="${PG_ADMIN_URL%/*}/$db"
export SMARTCARE_JWT_SECRET=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
# One token drives all the load: lift the per-caller limit (tested in tests/api/auth.rs).
export SMARTCARE_BIND="127.0.0.1:$PORT" SMARTCARE_RATE_LIMIT_PER_MINUTE=1000000000 RUST_LOG=warn
"$bin" serve --demo >"$workdir/server.log" 2>&1 &
for _ in $(seq 1 100); do curl -sf "$BASE/health/ready" >/dev/null && break; sleep 0.1; done
admin=$("$bin" token --role admin --ttl 1h)
unit=$(curl -sf -H "Authorization: Bearer $admin" "$BASE/api/v1/care-units?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
# The demo unit with the most persons, read by its coordinator: every caseload page is logged.
read -r caring_unit caring_org < <(psql "$DATABASE_URL" -Atc "
    SELECT r.care_unit_id, u.organization_id FROM care_relationships r
    JOIN care_units u ON u.id = r.care_unit_id WHERE r.ended_at IS NULL
    GROUP BY 1, 2 ORDER BY count(*) DESC, 1 LIMIT 1" | tr '|' ' ')
coordinator=$("$bin" token --role coordinator --unit "$caring_unit" --org "$caring_org" --ttl 1h)
curl -sf -H "Authorization: Bearer $coordinator" "$BASE/api/v1/units/$caring_unit/caseload?limit=5" >/dev/null

# Load: 3 clients reading a care unit, 2 reading the caseload (logged) and 1 polling
# readiness, for 25 s; PostgreSQL is stopped from second 3 to second 11.
python3 - "$BASE" "$admin" "$unit" "$workdir/samples.json" "$coordinator" "$caring_unit" <<'PY' &
import json, sys, threading, time, urllib.request, urllib.error
base, admin, unit, out, coordinator, caring_unit = sys.argv[1:]
samples, lock, start = [], threading.Lock(), time.time()
def call(path, token):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    began = time.time()
    try:
        with urllib.request.urlopen(urllib.request.Request(base + path, headers=headers), timeout=30) as r:
            status, ctype = r.status, r.headers.get("Content-Type", "")
    except urllib.error.HTTPError as e:
        status, ctype = e.code, e.headers.get("Content-Type", "")
    except Exception:
        status, ctype = 0, ""
    with lock:
        samples.append({"path": path, "at": began - start, "took": time.time() - began, "status": status, "type": ctype})
def loop(path, token, pause):
    while time.time() - start < 25:
        call(path, token)
        time.sleep(pause)
threads = [threading.Thread(target=loop, args=(f"/api/v1/care-units/{unit}", admin, 0.02)) for _ in range(3)]
threads += [threading.Thread(target=loop, args=(f"/api/v1/units/{caring_unit}/caseload?limit=5", coordinator, 0.02)) for _ in range(2)]
threads.append(threading.Thread(target=loop, args=("/health/ready", None, 0.2)))
for t in threads: t.start()
for t in threads: t.join()
json.dump(samples, open(out, "w"))
PY
load=$!
sleep 3
pg stop
stopped_at=$(date +%s.%N)
sleep 8
pg start
started_at=$(date +%s.%N)
wait "$load"

python3 - "$workdir/samples.json" <<'PY'
import json, sys
samples = json.load(open(sys.argv[1]))
failures = []
slow = [s for s in samples if s["took"] > 5]
if slow:
    failures.append(f"{len(slow)} requests took more than 5 s (longest {max(s['took'] for s in slow):.1f} s)")
bad = [s for s in samples if s["status"] not in (200, 503)]
if bad:
    failures.append(f"{len(bad)} responses were neither 200 nor 503: {sorted({s['status'] for s in bad})}")
unavailable = [s for s in samples if s["status"] == 503]
if not unavailable:
    failures.append("no 503 during the outage: was the database stopped?")
if any("problem+json" not in s["type"] for s in unavailable):
    failures.append("a 503 was not problem+json")
ready_down = [s for s in unavailable if s["path"] == "/health/ready"]
if not ready_down:
    failures.append("/health/ready never reported the outage")
last_failure = max((s["at"] + s["took"] for s in unavailable), default=0)
recovered = [s for s in samples if s["status"] == 200 and s["at"] > last_failure]
reads = [s for s in samples if s["path"].startswith("/api/")]
print(f"{len(reads)} reads: {sum(1 for s in reads if s['status'] == 200)} answered 200, "
      f"{sum(1 for s in reads if s['status'] == 503)} answered 503; "
      f"slowest answer {max(s['took'] for s in samples):.2f} s; last 503 at {last_failure:.1f} s into the run, "
      f"then {len(recovered)} successes")
if len(recovered) < 10:
    failures.append("service did not resume after the database returned")
logged = [s for s in samples if "/caseload" in s["path"]]
# PostgreSQL is back about 11 s into the run: by 16 s the caseload must answer again.
logged_after = [s for s in logged if s["at"] > 16]
if not logged_after or any(s["status"] != 200 for s in logged_after[-10:]):
    failures.append("logged reads (the caseload) did not resume after the database returned: "
                    f"last statuses {[s['status'] for s in logged_after[-10:]]}")
print(f"{len(logged)} logged caseload reads: {sum(1 for s in logged if s['status'] == 200)} answered 200")
for failure in failures:
    print("FAILED:", failure, file=sys.stderr)
sys.exit(1 if failures else 0)
PY
echo "PostgreSQL was down from $stopped_at to $started_at (epoch seconds)."
if grep -q "panicked" "$workdir/server.log"; then
    echo "the server panicked:" >&2
    grep -A3 "panicked" "$workdir/server.log" >&2
    exit 1
fi
