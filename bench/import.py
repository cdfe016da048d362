#!/usr/bin/env python3
"""Import workload for bench/run.sh: an import script registers persons at a vårdcentral
through POST /api/v1/persons/imports, in NDJSON files of --batch lines sent one after another;
one line in 20 is a person the region already knows (bench/region.py's numbers), so both the
"created" and the "existing" paths are measured. With --copy-url (PostgreSQL), the reference
measured in the same run: COPY of the rows an import of new persons writes — per person her
record, her care relationship and her access-log event — into empty tables of the same shape
and indexes (`LIKE … INCLUDING ALL`: without the real tables' foreign keys and triggers), in one
transaction. (The import itself writes fewer records: one line in 20 finds an existing one.)

    python3 bench/import.py BASE_URL TOKEN [--persons N] [--batch N] [--copy-url URL]

Prints Markdown table rows for docs/BENCHMARKS.md (persons per second; one client).
"""
import argparse
import datetime as dt
import json
import statistics
import subprocess
import time
import urllib.request
import uuid

from region import GIVEN, FAMILY, Table, check_digit, load_postgres, personal_number, ts

# Serials bench/region.py never gives (it uses 011, 048, …, 418), so new numbers are new.
FIRST_NEW_SERIAL = 500


def new_number(i: int) -> str:
    birth = dt.date(1925, 1, 1) + dt.timedelta(days=i % 30000)
    serial = f"{FIRST_NEW_SERIAL + i // 30000:03d}"
    nine = birth.strftime("%y%m%d") + serial
    return birth.strftime("%Y%m%d") + serial + str(check_digit(nine))


def registrations(count: int, known: int) -> list[dict]:
    lines = []
    for i in range(count):
        # Distinct region persons: 7,919 is prime, so i·7919 mod `known` never repeats.
        number = personal_number(i * 7919 % known)[0] if known and i % 20 == 0 else new_number(i)
        lines.append({"personal_number": number, "given_name": GIVEN[i % len(GIVEN)],
                      "family_name": FAMILY[i % len(FAMILY)], "municipality": "0682",
                      "role": "fast_vardkontakt"})
    return lines


def import_all(base: str, token: str, lines: list[dict], batch: int) -> tuple[float, list[float], dict]:
    latencies, totals = [], {"created": 0, "existing": 0}
    started = time.perf_counter()
    for at in range(0, len(lines), batch):
        body = "".join(json.dumps(line) + "\n" for line in lines[at:at + batch]).encode()
        request = urllib.request.Request(base + "/api/v1/persons/imports", data=body, headers={
            "Authorization": f"Bearer {token}", "Content-Type": "application/x-ndjson"})
        sent = time.perf_counter()
        with urllib.request.urlopen(request) as response:
            report = json.load(response)
        latencies.append((time.perf_counter() - sent) * 1000)
        for key in totals:
            totals[key] += report[key]
    return time.perf_counter() - started, latencies, totals


def copy_reference(url: str, count: int) -> float:
    """Seconds COPY takes for `count` persons' rows, in one transaction as the import's."""
    now = ts(dt.datetime(2026, 11, 23, 8, 0, 0))
    unit, org = str(uuid.uuid4()), str(uuid.uuid4())
    persons = Table("bench_copy_persons", ["id", "personal_number", "given_name", "family_name",
                                           "name_key", "municipality_code", "protected_identity",
                                           "registered_by", "registered_by_unit",
                                           "registered_by_org", "version", "created_at",
                                           "updated_at"])
    relationships = Table("bench_copy_care_relationships", ["id", "person_id", "care_unit_id",
                                                            "organization_id", "role",
                                                            "started_by", "started_at"])
    events = Table("bench_copy_audit_events", ["id", "occurred_at", "subject", "unit_id",
                                               "organization_id", "person_id", "action",
                                               "resource", "purpose", "outcome"])
    for i, line in enumerate(registrations(count, 0)):
        person = str(uuid.uuid4())
        name = f"{line['given_name']} {line['family_name']}"
        persons.add(person, new_number(i), line["given_name"], line["family_name"], name.lower(),
                    "0682", False, "bench-importer", unit, org, 1, now, now)
        relationships.add(str(uuid.uuid4()), person, unit, org, "fast_vardkontakt",
                          "bench-importer", now)
        events.add(str(uuid.uuid4()), now, "bench-importer", unit, org, person, "register",
                   "person", "care", "allowed")
    tables = [persons, relationships, events]
    like = "".join(f"DROP TABLE IF EXISTS {t.name}; CREATE TABLE {t.name} "
                   f"(LIKE {t.name.removeprefix('bench_copy_')} INCLUDING ALL);" for t in tables)
    psql(url, like)
    started = time.perf_counter()
    load_postgres(url, tables, analyze=False)
    seconds = time.perf_counter() - started
    psql(url, "".join(f"DROP TABLE {t.name};" for t in tables))
    return seconds


def psql(url: str, sql: str):
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", sql], check=True,
                   stdout=subprocess.DEVNULL)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base_url")
    parser.add_argument("token", help="a clinician's token bound to the importing unit")
    parser.add_argument("--persons", type=int, default=50_000)
    parser.add_argument("--batch", type=int, default=5_000, help="lines per request")
    parser.add_argument("--known", type=int, default=341_000,
                        help="persons bench/region.py loaded (one line in 20 is one of them)")
    parser.add_argument("--copy-url", help="PostgreSQL database for the COPY reference")
    args = parser.parse_args()

    if args.known and args.known % 7919 == 0:
        parser.error("--known must not be a multiple of 7,919 (known persons would repeat)")
    lines = registrations(args.persons, args.known)
    seconds, latencies, totals = import_all(args.base_url, args.token, lines, args.batch)
    rate = args.persons / seconds
    p50 = statistics.median(latencies)
    p99 = statistics.quantiles(latencies, n=100)[98] if len(latencies) > 1 else latencies[0]
    ratio = ""
    if args.copy_url:
        copy_rate = args.persons / copy_reference(args.copy_url, args.persons)
        ratio = f"{rate / copy_rate * 100:.0f} % of COPY"
        print(f"| 1 | COPY of the same rows: record, care relationship, log event "
              f"(PostgreSQL reference, persons/s) | {copy_rate:.0f} | | | |")
    print(f"| 1 | POST /persons/imports, {args.batch:,} lines per request, persons/s "
          f"({totals['created']:,} created, {totals['existing']:,} existing) | {rate:.0f} "
          f"| {p50:.0f} | {p99:.0f} | {ratio} |")


if __name__ == "__main__":
    main()
