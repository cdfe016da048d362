#!/usr/bin/env bash
# Property-based API testing from the committed spec (schemathesis): starts the service on a
# fresh SQLite database with the demo directory and checks that no request gets a 5xx, that
# every response conforms to openapi/openapi.json (status, content type, headers, body), that
# invalid input is rejected and valid input accepted (the spec states every rule JSON Schema
# can express), that undeclared methods get 405 with Allow, and that a missing token is
# refused; all checks, all phases (examples, coverage, fuzzing, and stateful: the spec's links
# walk register → read → consents, open case → message → acknowledge, plan → revise → versions).
# Runs as an admin and as a clinician at a vårdcentral in Nässjö, on SQLite, or on PostgreSQL
# with SCHEMATHESIS_DATABASE_URL set to an empty database.
#
#   bash reliability/schemathesis.sh                 # 25 examples per operation (CI)
#   EXAMPLES=200 bash reliability/schemathesis.sh    # longer, on demand
#   SCHEMATHESIS_DATABASE_URL=postgres://postgres@127.0.0.1:5432/empty bash reliability/schemathesis.sh
#   SCHEMATHESIS_VENV=.venv-mine bash reliability/schemathesis.sh   # another Python venv (made if missing)
#   PORT=18196 bash reliability/schemathesis.sh      # two runs side by side need their own ports
#   bash reliability/schemathesis.sh --install-only  # install schemathesis into the venv only
#
# The rules JSON Schema cannot express (a referenced record that must exist, a personnummer's
# check digit, valid_to before valid_from, the current ETag) are named per operation, each with
# its reason, in reliability/schemathesis.toml.
set -euo pipefail
cd "$(dirname "$0")/.."

EXAMPLES=${EXAMPLES:-25}
PORT=${PORT:-18195}
BASE="http://127.0.0.1:$PORT"
venv=${SCHEMATHESIS_VENV:-target/ci-venv}
[ -x "$venv/bin/st" ] || {
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'schemathesis>=4,<5'
}
# `--install-only`: the venv and nothing else (.ci/run installs before two runs side by side).
[ "${1:-}" = --install-only ] && exit 0
# The workspace's feature set, so the artifacts of the test run are reused.
cargo build -q --workspace --bins
bin="${CARGO_TARGET_DIR:-target}/debug/smartcare"

workdir=$(mktemp -d)
# SQLite by default; SCHEMATHESIS_DATABASE_URL names an empty PostgreSQL database instead.
export DATABASE_URL="${SCHEMATHESIS_DATABASE_URL:-sqlite://$workdir/schemathesis.db}"
export SMARTCARE_JWT_SECRET=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
# One token drives all the load: lift the per-caller limit (tested in tests/api/auth.rs).
export SMARTCARE_BIND="127.0.0.1:$PORT" SMARTCARE_RATE_LIMIT_PER_MINUTE=1000000000 RUST_LOG=warn
"$bin" serve --demo >"$workdir/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$workdir"' EXIT
for _ in $(seq 1 50); do curl -sf "$BASE/health/ready" >/dev/null && break; sleep 0.2; done

admin=$("$bin" token --role admin --ttl 1h)
unit=$(curl -sf -H "Authorization: Bearer $admin" "$BASE/api/v1/care-units?municipality=0682&kind=primary_care_centre&limit=1" \
    | python3 -c 'import json,sys; u=json.load(sys.stdin)["items"][0]; print(u["id"], u["organization_id"])')
clinician=$("$bin" token --role clinician --unit "${unit% *}" --org "${unit#* }" --sub schemathesis-clinician --ttl 1h)

# NDJSON bodies (the person import) are written by our serializer.
export SCHEMATHESIS_HOOKS=reliability/schemathesis_hooks.py
for token in "$admin" "$clinician"; do
    "$venv/bin/st" --config-file reliability/schemathesis.toml run openapi/openapi.json \
        --url "$BASE" -H "Authorization: Bearer $token" \
        --checks all \
        --max-examples "$EXAMPLES" --no-color
done
if grep -q "panicked" "$workdir/server.log"; then
    echo "the server panicked during the run:" >&2
    grep -A3 "panicked" "$workdir/server.log" >&2
    exit 1
fi
