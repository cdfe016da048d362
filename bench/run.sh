#!/usr/bin/env bash
# Benchmarks on a region-sized data set (bench/region.py: 341,000 persons, their care
# relationships, a year of discharge cases), on PostgreSQL and then on SQLite, with the server
# in release mode driven by wrk. Workloads: the authenticated, access-checked, logged person
# read (GET /api/v1/persons/{id}) of one person and of persons drawn at random from the 57,000
# a vårdcentral cares for, her timeline, a mixed read/write workload (90 % reads, 10 %
# statements recorded), page 1 against page 10,000 of the care units (520,000 more), page 1
# against page 1,000 of the vårdcentral's caseload (at 8 connections), an import of 50,000
# persons (bench/import.py); next to their references measured in the same run: the
# authenticated directory read (GET /api/v1/care-units/{id}), the static JSON route of the
# same binary (GET /health/live), PostgreSQL's own select-only rate (pgbench -S over TCP, as
# the server connects) and COPY of the rows the import writes. Prints Markdown tables for
# docs/BENCHMARKS.md.
#
#   bash bench/run.sh                      # 32 connections, 15 s per workload
#   CONNECTIONS="1 8 32 128" DURATION=10s bash bench/run.sh
#   DEEP_PAGES=0 SQLITE=0 REGION_PERSONS=10000 IMPORT_PERSONS=5000 bash bench/run.sh   # quicker
#   ONLY="caseload" bash bench/run.sh        # only these workloads (reads, deep, indicators, caseload, import)
#   ONLY=indicators SQLITE=0 bash bench/run.sh   # the indicator workload alone (PostgreSQL)
#   ONLY=caseload POSTGRES=0 bash bench/run.sh   # the caseload on SQLite alone
#
# The indicator workload (issue 13): the year's indicators for all 13 municipalities by
# month and one indicator's monthly chart, as an analyst, at $INDICATOR_CONNECTIONS (8), next
# to bench/indicators.sql (the same aggregate as one plain SQL query) run by pgbench -f with
# as many clients for as long, in the same run; p50/p99 of both and their ratio.
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
# Database names: another run on the same PostgreSQL (another checkout) must use others, as it
# must use another PORT; the run drops and recreates its two databases.
bench_db=${BENCH_DB:-smartcare_bench}
pgbench_db=${PGBENCH_DB:-smartcare_pgbench}
for db in $bench_db $pgbench_db; do
    psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >/dev/null
done

export DATABASE_URL="$server_url/$bench_db"
export SMARTCARE_JWT_SECRET=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
# One token drives all the load: lift the per-caller request limit.
export SMARTCARE_RATE_LIMIT_PER_MINUTE=1000000000
export SMARTCARE_BIND="127.0.0.1:$PORT" SMARTCARE_WORKERS=${SMARTCARE_WORKERS:-2} SMARTCARE_DB_POOL_SIZE=${SMARTCARE_DB_POOL_SIZE:-32} RUST_LOG=warn
REGION_PERSONS=${REGION_PERSONS:-341000}
work=$(mktemp -d)
server=
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# Seeds the directory and the region into $DATABASE_URL, starts the server on it and sets
# the tokens and ids the workloads use.
prepare() {
    "$bin" seed --demo >/dev/null
    local started=$SECONDS
    region=$(python3 bench/region.py "$DATABASE_URL" --persons "$REGION_PERSONS" --unit-persons "$work/persons")
    region_seconds=$((SECONDS - started))
    # The loader leaves the persons' name sort keys to the server (persistence::persons::
    # fill_name_sort_keys), which would compute them at start-up, past the wait below.
    started=$SECONDS
    "$bin" migrate >/dev/null
    sort_key_seconds=$((SECONDS - started))
    # Filling updated every person and care relationship: VACUUM again, as region.py does
    # after the load and autovacuum would (index-only scans need the visibility map).
    case $DATABASE_URL in
        postgres*) psql "$DATABASE_URL" -qc "VACUUM ANALYZE persons" -c "VACUUM ANALYZE care_relationships" ;;
    esac
    "$bin" serve & server=$!
    for _ in $(seq 1 100); do curl -sf "$BASE/health/ready" >/dev/null && break; sleep 0.2; done
    admin=$("$bin" token --role admin --ttl 2h)
    unit_id=$(echo "$region" | json 'd["unit_id"]')
    org_id=$(echo "$region" | json 'd["organization_id"]')
    with_case=$(echo "$region" | json 'd["person_with_case"]')
    clinician=$("$bin" token --role clinician --unit "$unit_id" --org "$org_id" --sub bench-clinician --ttl 2h)
    person_id=$(curl -sf -H "Authorization: Bearer $clinician" -H 'Content-Type: application/json' \
        -d '{"personal_number":"19121212-1212","given_name":"Esther","family_name":"Andersson","municipality":"0682"}' \
        "$BASE/api/v1/persons" | json 'd["id"]')
    curl -sf -H "Authorization: Bearer $clinician" -H 'Content-Type: application/json' \
        -d '{"kind":"goal","text":"Bo kvar hemma"}' "$BASE/api/v1/persons/$person_id/statements" >/dev/null
}

# Access-log events written by the workloads' clinician (or the subject $1).
events() {
    local query="SELECT count(*) FROM audit_events WHERE subject = '${1:-bench-clinician}'"
    case $DATABASE_URL in
        sqlite://*) python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])" "${DATABASE_URL#sqlite://}" "$query" ;;
        *) psql "$DATABASE_URL" -Atc "$query" ;;
    esac
}

# wrk's summary as "requests/s p50 p99 total" (latencies in ms).
measure() {
    local connections=$1 url=$2 token=${3:-}
    local threads=$(( connections < 2 ? connections : 2 ))
    local args=(-t"$threads" -c"$connections" -d"$DURATION" --timeout "${WRK_TIMEOUT:-2s}" --latency)
    [ -n "$token" ] && args+=(-H "Authorization: Bearer $token")
    [ -n "${SCRIPT:-}" ] && args+=(-s "$SCRIPT")
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
print(f"{rate:.0f}" if rate >= 10 else f"{rate:.2f}", f"{ms(50):.2f} {ms(99):.2f} {total}")'
}

# One row per workload at $1 connections; the first argument of ratio() is the figure, the
# second its reference.
ratio() { python3 -c "print(f'{$1/$2*100:.0f} % of $3')"; }
http_workloads() {
    local c=$1 pg=${2:-}
    local live_rate live_p50 live_p99 unit_rate unit_p50 unit_p99 rate p50 p99 n
    read -r live_rate live_p50 live_p99 _ < <(measure "$c" "$BASE/health/live")
    read -r unit_rate unit_p50 unit_p99 _ < <(measure "$c" "$BASE/api/v1/care-units/$unit_id" "$admin")
    echo "| $c | GET /health/live (static JSON) | $live_rate | $live_p50 | $live_p99 | |"
    echo "| $c | GET /care-units/{id} (auth) | $unit_rate | $unit_p50 | $unit_p99 | ${pg:+$(ratio "$unit_rate" "$pg" 'pgbench -S')} |"
    read -r rate p50 p99 n < <(measure "$c" "$BASE/api/v1/persons/$person_id" "$clinician")
    answered=$((answered + n))
    echo "| $c | GET /persons/{id}, one person (auth + access check + logged) | $rate | $p50 | $p99 | $(ratio "$rate" "$unit_rate" 'care-unit read') |"
    read -r rate p50 p99 n < <(PERSONS_FILE="$work/persons" SCRIPT=bench/random_person.lua measure "$c" "$BASE/" "$clinician")
    answered=$((answered + n))
    echo "| $c | GET /persons/{id}, any of the unit's $(wc -l < "$work/persons") persons | $rate | $p50 | $p99 | $(ratio "$rate" "$unit_rate" 'care-unit read') |"
    read -r rate p50 p99 n < <(measure "$c" "$BASE/api/v1/persons/$with_case/timeline" "$clinician")
    answered=$((answered + n))
    echo "| $c | GET /persons/{id}/timeline (a year with a discharge) | $rate | $p50 | $p99 | $(ratio "$rate" "$unit_rate" 'care-unit read') |"
    read -r rate p50 p99 n < <(PERSONS_FILE="$work/persons" WRITE_SHARE=0.1 SCRIPT=bench/random_person.lua measure "$c" "$BASE/" "$clinician")
    answered=$((answered + n))
    echo "| $c | mixed: 90 % person reads, 10 % statements recorded | $rate | $p50 | $p99 | $(ratio "$rate" "$unit_rate" 'care-unit read') |"
}

# The vårdcentral's caseload (GET /api/v1/units/{id}/caseload?limit=50: 50 persons, 50
# access-log events a page) at page 1 and at page 1,000 (or its last page, on a smaller data
# set), reached by following the server's own cursors, next to the directory list page
# (GET /care-units?limit=50) in the same run; at $CASELOAD_CONNECTIONS (8). Its own subject, so
# its events are counted apart: each answered page must have left one event per person shown.
caseload_workload() {
    local c=${CASELOAD_CONNECTIONS:-8} reader list_rate list_p50 list_p99 rate p50 p99 n before
    reader=$("$bin" token --role coordinator --unit "$unit_id" --org "$org_id" --sub bench-caseload --ttl 2h)
    local first="$BASE/api/v1/units/$unit_id/caseload?limit=50"
    read -r deep_page deep < <(python3 - "$first" "$reader" <<'PY'
import json, sys, urllib.request
first, token = sys.argv[1:]
url, page = first, 1
while page < 1000:
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})) as r:
        cursor = json.load(r).get("next")
    if cursor is None:
        break
    url, page = first + "&cursor=" + cursor, page + 1
print(page, url)
PY
)
    before=$(events bench-caseload)
    read -r list_rate list_p50 list_p99 _ < <(measure "$c" "$BASE/api/v1/care-units?limit=50" "$admin")
    echo "| $c | GET /care-units?limit=50, page 1 (directory list) | $list_rate | $list_p50 | $list_p99 | |"
    local pages=0 page_rate page_p50
    read -r rate p50 p99 n < <(measure "$c" "$first" "$reader")
    pages=$((pages + n)); page_rate=$rate; page_p50=$p50
    echo "| $c | GET /units/{id}/caseload?limit=50, page 1 (50 persons, 50 events) | $rate | $p50 | $p99 | $(ratio "$rate" "$list_rate" 'directory list page') |"
    read -r rate p50 p99 n < <(measure "$c" "$deep" "$reader")
    pages=$((pages + n))
    echo "| $c | GET /units/{id}/caseload?limit=50, page $deep_page | $rate | $p50 | $p99 | $(python3 -c "print(f'p50 {$p50/$page_p50:.2f}x page 1, {$rate/$page_rate*100:.0f} % of its rate')") |"
    caseload_note="Caseload pages answered: $pages; access-log events written for them: $(( $(events bench-caseload) - before )) (one per person shown; a request wrk cuts off at the end is still logged)."
}

# An import script registering persons at the vårdcentral (bench/import.py), as its own
# subject so its events are not counted with the reads'; $1: a PostgreSQL URL for the COPY
# reference.
import_workload() {
    local importer
    importer=$("$bin" token --role clinician --unit "$unit_id" --org "$org_id" --sub bench-importer --ttl 2h)
    python3 bench/import.py "$BASE" "$importer" --persons "${IMPORT_PERSONS:-50000}" \
        --known "$REGION_PERSONS" ${1:+--copy-url "$1"}
}

# Whether workload $1 runs: all do unless ONLY names some (space-separated).
wanted() { [ -z "${ONLY:-}" ] || [[ " $ONLY " == *" $1 "* ]]; }

# pgbench's per-transaction log ($1*: one file per thread, latency in µs in the third
# column) as "tps p50 p99" (ms).
pgbench_latencies() {
    cat "$1".* | python3 -c '
import sys
lat = sorted(int(line.split()[2]) / 1000 for line in sys.stdin if line.strip())
pick = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]
print(f"{pick(0.5):.2f} {pick(0.99):.2f} {len(lat)}")'
}

indicator_workload() {
    local c=${INDICATOR_CONNECTIONS:-8} analyst rate p50 p99 n sql_p50 sql_p99 sql_n seconds=${DURATION%s}
    analyst=$("$bin" token --role analyst --ttl 2h)
    local span="from=2025-11-01&to=2026-10-31"
    curl -sf -H "Authorization: Bearer $analyst" "$BASE/api/v1/indicators?$span&period=month" \
        | json '"{} rows".format(len(d["rows"]))' >&2
    (cd "$work" && pgbench -n -f "$OLDPWD/bench/indicators.sql" -c "$c" -j 2 -T "$seconds" \
        -l --log-prefix=pgb_ind -h 127.0.0.1 "$DATABASE_URL" >/dev/null 2>&1)
    read -r sql_p50 sql_p99 sql_n < <(pgbench_latencies "$work/pgb_ind")
    local sql_rate
    sql_rate=$(python3 -c "print(f'{$sql_n/$seconds:.2f}')")
    echo "| $c | \`pgbench -f bench/indicators.sql\` (the year by month as one plain SQL query) | $sql_rate | $sql_p50 | $sql_p99 | |"
    # A request may take seconds here: wrk's default 2 s timeout would drop it from the figures.
    read -r rate p50 p99 n < <(WRK_TIMEOUT=120s measure "$c" "$BASE/api/v1/indicators?$span&period=month" "$analyst")
    echo "| $c | GET /indicators?$span&period=month (21 × 13 × 12 figures) | $rate | $p50 | $p99 | $(python3 -c "print(f'p50 {$p50/$sql_p50:.2f}x, p99 {$p99/$sql_p99:.2f}x the plain query')") |"
    read -r rate p50 p99 n < <(WRK_TIMEOUT=120s measure "$c" "$BASE/api/v1/indicators/admission_notices_late/chart?municipality=0682&$span" "$analyst")
    echo "| $c | GET /indicators/admission_notices_late/chart?municipality=0682 (12 months) | $rate | $p50 | $p99 | $(python3 -c "print(f'p50 {$p50/$sql_p50:.2f}x, p99 {$p99/$sql_p99:.2f}x the plain query')") |"
}

table_head() {
    echo "| connections | workload | requests/s | p50 ms | p99 ms | ratio |"
    echo "|---:|---|---:|---:|---:|---|"
}

# Ends the backend's part: compares requests answered with access-log events, reports the
# server's peak memory and stops it.
finish() {
    local peak_kb
    peak_kb=$(sed -n 's/^VmHWM:\s*\([0-9]*\) kB/\1/p' "/proc/$server/status")
    kill "$server"; wait "$server" 2>/dev/null || true
    echo
    echo "Region: $(echo "$region" | json '"{persons:,} persons, {care_relationships:,} care relationships, {cases:,} cases, {messages:,} messages".format(**d)') loaded in $region_seconds s; their name sort keys computed in $sort_key_seconds s."
    echo "Personal-data requests answered: $answered; access-log events written for them: $(( $(events) - events_before ))."
    [ -z "$caseload_note" ] || echo "$caseload_note"
    echo "Server peak memory (VmHWM): $((peak_kb / 1024)) MB."
}
if [ "${POSTGRES:-1}" = 1 ]; then
prepare
pgbench -i -q -s 10 "$server_url/$pgbench_db" >/dev/null 2>&1
events_before=$(events)
answered=0
caseload_note=
echo "### PostgreSQL"
echo
table_head
for c in $CONNECTIONS; do
    wanted reads || break
    seconds=${DURATION%s}
    # pgbench opens one server connection per client, next to the server's pool (32) and its
    # access-log writer: stay below max_connections (100 by default).
    pg_clients=$(( c < 60 ? c : 60 ))
    pg=$(pgbench -S -n -c "$pg_clients" -j $(( c < 2 ? c : 2 )) -T "$seconds" -h 127.0.0.1 "$server_url/$pgbench_db" 2>/dev/null | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -1)
    printf '| %s | `pgbench -S` (PostgreSQL reference, %s clients) | %.0f | | | |\n' "$c" "$pg_clients" "$pg"
    http_workloads "$c" "$pg"
done

# Deep pages: 520,000 more care units (ids in UUID form, valid HSA-ids), then page 1 against
# page 10,000 of GET /api/v1/care-units?limit=50, reached by following the server's own cursors.
if [ "${DEEP_PAGES:-1}" = 1 ] && wanted deep; then
    psql "$DATABASE_URL" -qc "
        INSERT INTO care_units (id, name, name_key, kind, organization_id, municipality_code, hsa_id, active, version, created_at, updated_at)
        SELECT regexp_replace(lpad(to_hex(i), 32, '0'), '(.{8})(.{4})(.{4})(.{4})(.{12})', '\1-\2-\3-\4-\5'),
               'Bench Unit ' || i, 'bench unit ' || i, 'home_care_service', '$org_id', '0682', 'SE5590000099-U' || i, TRUE, 1, now(), now()
        FROM generate_series(1, 520000) AS i" >/dev/null
    psql "$DATABASE_URL" -qc "ANALYZE care_units" >/dev/null
    deep=$(python3 - "$BASE" "$admin" <<'PY'
import json, sys, urllib.request
base, token = sys.argv[1:]
url = base + "/api/v1/care-units?limit=50"
for _ in range(9999):
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})) as r:
        url = base + "/api/v1/care-units?limit=50&cursor=" + json.load(r)["next"]
print(url)
PY
)
    c=${DEEP_CONNECTIONS:-32}
    read -r first_rate first_p50 first_p99 _ < <(measure "$c" "$BASE/api/v1/care-units?limit=50" "$admin")
    read -r deep_rate deep_p50 deep_p99 _ < <(measure "$c" "$deep" "$admin")
    echo "| $c | GET /care-units?limit=50, page 1 of 10,400 | $first_rate | $first_p50 | $first_p99 | |"
    echo "| $c | GET /care-units?limit=50, page 10,000 | $deep_rate | $deep_p50 | $deep_p99 | $(python3 -c "print(f'p50 {$deep_p50/$first_p50:.2f}x page 1')") |"
fi

if wanted indicators; then indicator_workload; fi
if wanted caseload; then caseload_workload; fi
if wanted import; then import_workload "$DATABASE_URL"; fi

finish
fi
echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB, $(psql "$PG_ADMIN_URL" -Atc 'SHOW server_version') PostgreSQL."

if [ "${SQLITE:-1}" = 1 ]; then
    export DATABASE_URL="sqlite://$work/bench.db"
    prepare
    events_before=$(events)
    answered=0
    caseload_note=
    echo
    echo "### SQLite"
    echo
    table_head
    if wanted reads; then for c in $CONNECTIONS; do http_workloads "$c"; done; fi
    if wanted caseload; then caseload_workload; fi
    if wanted import; then import_workload; fi
    finish
fi
