#!/usr/bin/env bash
# Writing one caseload page's 50 access-log events, three ways (issue 16; docs/BENCHMARKS.md,
# "How the access log could be stored"): pgbench, CLIENTS clients, DURATION seconds per design,
# the designs alternated ROUNDS times so that checkpoints and cache warm-up fall on all of them.
# Each transaction is one page (one commit). Then the read the log exists for, her access log
# (the newest 50 events about one person), in each design. Needs pgbench (Debian:
# postgresql-contrib).
set -euo pipefail
export PGOPTIONS="-c client_min_messages=warning"
cd "$(dirname "$0")"
admin_url=${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
db=${LOG_DESIGNS_DB:-smartcare_log_designs}
clients=${CLIENTS:-8} duration=${DURATION:-30} rounds=${ROUNDS:-3}
db_url="${admin_url%/*}/$db"
psql "$admin_url" -q -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
echo "loading 2.5 million events in each design (a few minutes)"
psql "$db_url" -q -v ON_ERROR_STOP=1 -f setup.sql
psql "$db_url" -q -c "VACUUM ANALYZE"
sizes() {
    psql "$db_url" -Atc "SELECT relname || ' ' || pg_size_pretty(pg_total_relation_size(oid))
        FROM pg_class WHERE relname IN ('ae_wide', 'ab_batch', 'ab_person', 'ab_array') ORDER BY 1"
}
echo "sizes with 2.5 million events each (heap and indexes):"
sizes
bench() {
    pgbench -n -c "$clients" -j 2 -T "$duration" -f "$1.sql" "$db_url" 2>/dev/null |
        awk '/^tps/ {printf "%.0f", $3}'
}
for round in $(seq 1 "$rounds"); do
    for design in select wide narrow array; do
        printf 'round %s  write %-7s %6s pages/s\n' "$round" "$design" "$(bench "$design")"
    done
done
for round in $(seq 1 "$rounds"); do
    for design in wide narrow array; do
        printf 'round %s  read  %-7s %6s reads/s\n' "$round" "$design" "$(bench "read_$design")"
    done
done
[ -n "${KEEP:-}" ] || psql "$admin_url" -q -c "DROP DATABASE $db"
