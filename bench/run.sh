#!/usr/bin/env bash
# Read-path benchmark on PostgreSQL: the authenticated, access-checked, logged person read
# (GET /api/v1/persons/{id}) next to the authenticated directory read (GET
# /api/v1/care-units/{id}), the static JSON route of the same binary (GET /health/live), and
# PostgreSQL's own select-only rate (pgbench -S over TCP, as the server connects), and page 1
# against page 10,000 of a 520,000-row list, all in one run on this machine. Prints a Markdown
# table for docs/BENCHMARKS.md.
#
#   bash bench/run.sh                      # 32 connections, 15 s per workload
#   CONNECTIONS="1 8 32 128" DURATION=10s bash bench/run.sh
#   DEEP_PAGES=0 bash bench/run.sh         # skip the deep-pagination workload
#
# Needs a PostgreSQL it may create databases in (PG_ADMIN_URL) and installs wrk (Debian)
# when missing. Sends traffic only to 127.0.0.1 and stops by itself.
set -euo pipefail
export PGOPTIONS="-c client_min_messages=warning"
cd "$(dirname "$0")/.."

CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-15s}
PG_ADMIN_URL=${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
PORT=${PORT:-18181}
BASE="http://127.0.0.1:$PORT"

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
command -v pgbench >/dev/null || { echo "pgbench (postgresql-client) is needed" >&2; exit 1; }
cargo build --release -q -p api
bin=target/release/smartcare

server_url=${PG_ADMIN_URL%/*}
bench_db=smartcare_bench
pgbench_db=smartcare_pgbench
for db in $bench_db $pgbench_db; do
    psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >/dev/null
done

export DATABASE_URL="$server_url/$bench_db"
export SMARTCARE_JWT_SECRET=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
# One token drives all the load: lift the per-caller request limit.
export SMARTCARE_RATE_LIMIT_PER_MINUTE=1000000000
export SMARTCARE_BIND="127.0.0.1:$PORT" SMARTCARE_WORKERS=${SMARTCARE_WORKERS:-2} SMARTCARE_DB_POOL_SIZE=${SMARTCARE_DB_POOL_SIZE:-32} RUST_LOG=warn
"$bin" seed --demo >/dev/null
"$bin" serve & server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "$BASE/health/ready" >/dev/null && break; sleep 0.2; done

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
admin=$("$bin" token --role admin --ttl 2h)
unit=$(curl -sf -H "Authorization: Bearer $admin" "$BASE/api/v1/care-units?municipality=0682&kind=primary_care_centre&limit=1")
unit_id=$(echo "$unit" | json 'd["items"][0]["id"]')
org_id=$(echo "$unit" | json 'd["items"][0]["organization_id"]')
clinician=$("$bin" token --role clinician --unit "$unit_id" --org "$org_id" --sub bench-clinician --ttl 2h)
person_id=$(curl -sf -H "Authorization: Bearer $clinician" -H 'Content-Type: application/json' \
    -d '{"personal_number":"19121212-1212","given_name":"Esther","family_name":"Andersson","municipality":"0682"}' \
    "$BASE/api/v1/persons" | json 'd["id"]')
curl -sf -H "Authorization: Bearer $clinician" -H 'Content-Type: application/json' \
    -d '{"kind":"goal","text":"Bo kvar hemma"}' "$BASE/api/v1/persons/$person_id/statements" >/dev/null

# wrk's summary as "requests/s p50 p99 total" (latencies in ms).
measure() {
    local connections=$1 url=$2 token=${3:-}
    local threads=$(( connections < 2 ? connections : 2 ))
    local args=(-t"$threads" -c"$connections" -d"$DURATION" --latency)
    [ -n "$token" ] && args+=(-H "Authorization: Bearer $token")
    wrk "${args[@]}" "$url" | python3 -c '
import re, sys
text = sys.stdin.read()
def ms(label):
    m = re.search(r"^\s+" + str(label) + r"%\s+([\d.]+)(us|ms|s)", text, re.M)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
total = int(re.search(r"(\d+) requests in", text).group(1))
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
if bad:
    sys.exit(f"non-2xx responses: {bad.group(1)}")
print(f"{rate:.0f} {ms(50):.2f} {ms(99):.2f} {total}")'
}

pgbench -i -q -s 10 "$server_url/$pgbench_db" >/dev/null 2>&1
audit_before=$(psql "$DATABASE_URL" -Atc "SELECT count(*) FROM audit_events WHERE person_id = '$person_id'")

echo "| connections | workload | requests/s | p50 ms | p99 ms | ratio |"
echo "|---:|---|---:|---:|---:|---|"
person_total=0
for c in $CONNECTIONS; do
    seconds=${DURATION%s}
    # pgbench opens one server connection per client, next to the server's pool (32) and its
    # access-log writer: stay below max_connections (100 by default).
    pg_clients=$(( c < 60 ? c : 60 ))
    pg=$(pgbench -S -n -c "$pg_clients" -j $(( c < 2 ? c : 2 )) -T "$seconds" -h 127.0.0.1 "$server_url/$pgbench_db" 2>/dev/null | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -1)
    read -r live_rate live_p50 live_p99 _ < <(measure "$c" "$BASE/health/live")
    read -r unit_rate unit_p50 unit_p99 _ < <(measure "$c" "$BASE/api/v1/care-units/$unit_id" "$admin")
    read -r person_rate person_p50 person_p99 person_n < <(measure "$c" "$BASE/api/v1/persons/$person_id" "$clinician")
    person_total=$((person_total + person_n))
    ratio() { python3 -c "print(f'{$1/$2*100:.0f} % of $3')"; }
    printf '| %s | `pgbench -S` (PostgreSQL reference, %s clients) | %.0f | | | |\n' "$c" "$pg_clients" "$pg"
    echo "| $c | GET /health/live (static JSON) | $live_rate | $live_p50 | $live_p99 | |"
    echo "| $c | GET /care-units/{id} (auth) | $unit_rate | $unit_p50 | $unit_p99 | $(ratio "$unit_rate" "$pg" 'pgbench -S') |"
    echo "| $c | GET /persons/{id} (auth + access check + logged) | $person_rate | $person_p50 | $person_p99 | $(ratio "$person_rate" "$unit_rate" 'care-unit read') |"
done

# Deep pages: 520,000 staff rows (ids in UUID form, valid HSA-ids), then page 1 against page
# 10,000 of GET /api/v1/staff?limit=50, reached by following the server's own cursors.
if [ "${DEEP_PAGES:-1}" = 1 ]; then
    psql "$DATABASE_URL" -qc "
        INSERT INTO staff (id, name, name_key, profession, care_unit_id, hsa_id, active, version, created_at, updated_at)
        SELECT regexp_replace(lpad(to_hex(i), 32, '0'), '(.{8})(.{4})(.{4})(.{4})(.{12})', '\1-\2-\3-\4-\5'),
               'Bench Staff ' || i, 'bench staff ' || i, 'other', '$unit_id', 'SE5590000099-B' || i, TRUE, 1, now(), now()
        FROM generate_series(1, 520000) AS i" >/dev/null
    psql "$DATABASE_URL" -qc "ANALYZE staff" >/dev/null
    deep=$(python3 - "$BASE" "$admin" <<'PY'
import json, sys, urllib.request
base, token = sys.argv[1:]
url = base + "/api/v1/staff?limit=50"
for _ in range(9999):
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})) as r:
        url = base + "/api/v1/staff?limit=50&cursor=" + json.load(r)["next"]
print(url)
PY
)
    c=${DEEP_CONNECTIONS:-32}
    read -r first_rate first_p50 first_p99 _ < <(measure "$c" "$BASE/api/v1/staff?limit=50" "$admin")
    read -r deep_rate deep_p50 deep_p99 _ < <(measure "$c" "$deep" "$admin")
    echo "| $c | GET /staff?limit=50, page 1 of 10,400 | $first_rate | $first_p50 | $first_p99 | |"
    echo "| $c | GET /staff?limit=50, page 10,000 | $deep_rate | $deep_p50 | $deep_p99 | $(python3 -c "print(f'p50 {$deep_p50/$first_p50:.2f}x page 1')") |"
fi

audit_after=$(psql "$DATABASE_URL" -Atc "SELECT count(*) FROM audit_events WHERE person_id = '$person_id'")
peak_kb=$(sed -n 's/^VmHWM:\s*\([0-9]*\) kB/\1/p' "/proc/$server/status")
echo
echo "Person reads answered: $person_total; access-log events written for them: $((audit_after - audit_before))."
echo "Server peak memory (VmHWM): $((peak_kb / 1024)) MB. Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB, $(psql "$PG_ADMIN_URL" -Atc 'SHOW server_version') PostgreSQL."
