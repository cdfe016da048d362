#!/usr/bin/env python3
"""A region-sized data set for the benchmarks: the 341,000 inhabitants of Region Jönköping
County as persons (valid personnummer), each listed at a vårdcentral of her municipality, a
third also with municipal home care, with consents and a statement each, and a year of
discharge coordination (cases with an admission notice, ready for discharge (utskrivningsklar)
0–3 days before the discharge notice, answered by her vårdcentral and home care), and a modest year of the network's work for the indicators: per
municipality a held network meeting a month and an ESTHER café a quarter with four action
items each, three improvement projects and four coaches (two certified).

Loads into a database that already holds the directory (`smartcare seed --demo`), directly in
SQL (PostgreSQL: COPY through psql; SQLite: one transaction), the way a migration from an
older system would: the database's own triggers keep each record's stamp. The persons' name
sort keys (the caseload's Swedish order) are left empty, as such a migration would leave
them: `smartcare migrate` (or the server's start) computes them afterwards.

    python3 bench/region.py postgres://postgres@127.0.0.1:5432/smartcare_bench [--persons N]
    python3 bench/region.py sqlite://data/bench.db [--persons N]

Prints a JSON summary (counts, a vårdcentral and the persons it cares for, a person with a
case) for bench/run.sh.
"""
import argparse
import csv
import datetime as dt
import io
import json
import random
import sqlite3
import subprocess
import sys
import uuid

GIVEN = ["Esther", "Karin", "Margit", "Inga", "Gunnel", "Elsa", "Birgit", "Sven", "Karl", "Nils",
         "Erik", "Lars", "Gösta", "Anna", "Maria", "Ali", "Fatima", "Jonas", "Sara", "Olof"]
FAMILY = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
          "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Lindberg", "Berg"]
NOW = dt.datetime(2026, 11, 1, 8, 0, 0)
IMPORTED_BY = "region-import"


def check_digit(nine: str) -> int:
    total = 0
    for i, ch in enumerate(nine):
        product = int(ch) * (2 if i % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def personal_number(i: int) -> tuple[str, dt.date]:
    """Distinct valid personnummer: a birth date in 1925–2007 and a serial per index."""
    days, serial_block = i % 30000, i // 30000
    birth = dt.date(1925, 1, 1) + dt.timedelta(days=days)
    serial = f"{(serial_block * 37 + 11) % 1000:03d}"
    nine = birth.strftime("%y%m%d") + serial
    return birth.strftime("%Y%m%d") + serial + str(check_digit(nine)), birth


def ts(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


class Table:
    def __init__(self, name: str, columns: list[str]):
        self.name, self.columns, self.rows = name, columns, []

    def add(self, *values):
        self.rows.append(values)


def generate(units: list[tuple], persons_wanted: int, cases_wanted: int, seed: int):
    rng = random.Random(seed)
    by_kind: dict[tuple[str, str], list[tuple]] = {}
    for unit_id, org_id, kind, municipality in units:
        by_kind.setdefault((kind, municipality), []).append((unit_id, org_id))
    municipalities = sorted({m for (kind, m) in by_kind if kind == "primary_care_centre"})
    hospitals = [(u, o) for u, o, kind, _ in units if kind == "hospital_ward"]

    persons = Table("persons", ["id", "personal_number", "given_name", "family_name", "name_key",
                                "municipality_code", "protected_identity", "registered_by",
                                "version", "created_at", "updated_at"])
    relationships = Table("care_relationships", ["id", "person_id", "care_unit_id",
                                                 "organization_id", "role", "started_by",
                                                 "started_at", "ended_by", "ended_at"])
    consents = Table("consents", ["id", "person_id", "scope", "status", "valid_from",
                                  "recorded_by", "recorded_at"])
    statements = Table("person_statements", ["id", "person_id", "kind", "text", "recorded_by",
                                              "recorded_by_unit", "recorded_by_org",
                                              "recorded_at"])
    cases = Table("coordination_cases", ["id", "person_id", "hospital_unit_id", "care_kind",
                                         "state", "admitted_at", "assessed_at",
                                         "expected_discharge_date", "opened_by", "version",
                                         "created_at", "updated_at"])
    messages = Table("case_messages", ["id", "case_id", "kind", "text", "sent_by",
                                       "sent_by_unit", "sent_at"])
    recipients = Table("case_message_recipients", ["message_id", "unit_id", "status",
                                                   "answered_by", "answered_at"])

    home = {}  # person -> [(unit, org)] caring at home
    elderly = []
    for i in range(persons_wanted):
        number, birth = personal_number(i)
        person = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        municipality = rng.choice(municipalities)
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        created = NOW - dt.timedelta(days=rng.randrange(3000))
        persons.add(person, number, given, family, f"{given} {family}".lower(), municipality,
                    False, IMPORTED_BY, 1, ts(created), ts(created))
        centre = rng.choice(by_kind[("primary_care_centre", municipality)]) \
            if ("primary_care_centre", municipality) in by_kind else None
        carers = []
        if centre:
            carers.append((centre, "fast_vardkontakt"))
        old = birth.year < 1950
        if old:
            elderly.append(person)
        if (old or rng.random() < 0.1) and ("home_care_service", municipality) in by_kind:
            carers.append((rng.choice(by_kind[("home_care_service", municipality)]),
                           "home_care_contact"))
        home[person] = [unit for (unit, _), _ in carers]
        for (unit, org), role in carers:
            relationships.add(str(uuid.uuid4()), person, unit, org, role, IMPORTED_BY,
                              ts(created), None, None)
        if rng.random() < 0.6:
            consents.add(str(uuid.uuid4()), person, "information_sharing", "given",
                         created.date().isoformat(), IMPORTED_BY, ts(created))
        if carers:
            (unit, org), _ = carers[0]
            statements.add(str(uuid.uuid4()), person, "need", "Behöver stöd med läkemedel",
                           IMPORTED_BY, unit, org, ts(created))

    for _ in range(cases_wanted if elderly and hospitals else 0):
        person = rng.choice(elderly)
        hospital, hospital_org = rng.choice(hospitals)
        admitted = NOW - dt.timedelta(days=rng.randrange(365), hours=rng.randrange(24))
        discharged = admitted + dt.timedelta(days=rng.randrange(2, 10))
        case = str(uuid.uuid4())
        cases.add(case, person, hospital, "somatic", "discharged", ts(admitted),
                  ts(admitted + dt.timedelta(days=1)), discharged.date().isoformat(),
                  IMPORTED_BY, 3, ts(admitted), ts(discharged))
        relationships.add(str(uuid.uuid4()), person, hospital, hospital_org, "other",
                          IMPORTED_BY, ts(admitted), IMPORTED_BY, ts(discharged))
        ready = max(admitted + dt.timedelta(days=1), discharged - dt.timedelta(days=rng.randrange(4)))
        for kind, sent in (("admission_notice", admitted + dt.timedelta(hours=2)),
                           ("ready_for_discharge", ready),
                           ("discharge_notice", discharged)):
            message = str(uuid.uuid4())
            messages.add(message, case, kind, None, IMPORTED_BY, hospital, ts(sent))
            for unit in home[person]:
                recipients.add(message, unit, "acknowledged", IMPORTED_BY,
                               ts(sent + dt.timedelta(hours=1)))
    network = network_rows(rng, by_kind, municipalities)
    return [persons, relationships, consents, statements, cases, messages, recipients, *network]


def network_rows(rng, by_kind, municipalities):
    """The network's year: meetings held, their action items, projects and coaches."""
    staff = Table("staff", ["id", "name", "name_key", "profession", "care_unit_id", "hsa_id",
                            "active", "version", "created_at", "updated_at"])
    coaches = Table("coaches", ["staff_id", "cohort_id", "certified_on", "version",
                                "created_at", "updated_at"])
    meetings = Table("meetings", ["id", "kind", "title", "starts_at", "ends_at",
                                  "host_municipality_code", "status", "esther_present",
                                  "created_by", "version", "created_at", "updated_at"])
    items = Table("action_items", ["id", "meeting_id", "title", "care_unit_id", "due", "status",
                                   "completed_at", "created_by", "version", "created_at",
                                   "updated_at"])
    projects = Table("improvement_projects", ["id", "title", "aim_what", "aim_how_much",
                                              "aim_by_when", "status", "start_on", "end_on",
                                              "change_ideas", "created_by", "version",
                                              "created_at", "updated_at"])
    links = Table("improvement_links", ["owner_id", "relation", "target"])
    for n, municipality in enumerate(municipalities):
        units = by_kind.get(("home_care_service", municipality)) or \
            by_kind[("primary_care_centre", municipality)]
        for month in range(12):
            start = (NOW - dt.timedelta(days=30 * month + rng.randrange(20))).replace(hour=12)
            kinds = ["municipal_network"] + (["esther_cafe"] if month % 3 == 0 else [])
            for kind in kinds:
                meeting = str(uuid.uuid4())
                meetings.add(meeting, kind, "Nätverksmöte", ts(start),
                             ts(start + dt.timedelta(hours=2)), municipality, "held",
                             rng.random() < 0.4, IMPORTED_BY, 2, ts(start), ts(start))
                for _ in range(4):
                    due = start.date() + dt.timedelta(days=rng.randrange(7, 60))
                    done = rng.random() < 0.6
                    closed = start + dt.timedelta(days=rng.randrange(1, 90))
                    items.add(str(uuid.uuid4()), meeting, "Följ upp hemgångar",
                              rng.choice(units)[0], due.isoformat(), "done" if done else "open",
                              ts(closed) if done else None, IMPORTED_BY, 2 if done else 1,
                              ts(start), ts(closed) if done else ts(start))
        for p in range(3):
            project = str(uuid.uuid4())
            begun = NOW - dt.timedelta(days=rng.randrange(30, 400))
            ended = begun + dt.timedelta(days=200) if p == 2 else None
            projects.add(project, "Trygg hemgång", "Återinskrivningar", "halveras",
                         "2027-06-30", "completed" if ended else "active",
                         begun.date().isoformat(), ended.date().isoformat() if ended else None,
                         "[]", IMPORTED_BY, 1, ts(begun), ts(begun))
            links.add(project, "project_municipality", municipality)
        for c in range(4):
            person = str(uuid.uuid4())
            since = NOW - dt.timedelta(days=rng.randrange(30, 700))
            staff.add(person, "Coach", "coach", "registered_nurse", rng.choice(units)[0],
                      f"SE2120000{n:03d}-C{c:04d}", True, 1, ts(since), ts(since))
            certified = (since + dt.timedelta(days=200)).date().isoformat() if c < 2 else None
            coaches.add(person, None, certified, 1, ts(since), ts(since))
            links.add(person, "coach_municipality", municipality)
    return [staff, coaches, meetings, items, projects, links]


def load_postgres(url: str, tables: list[Table], analyze: bool = True):
    script = io.StringIO()
    for table in tables:
        script.write(f"COPY {table.name} ({', '.join(table.columns)}) FROM STDIN WITH (FORMAT csv);\n")
        writer = csv.writer(script, lineterminator="\n")
        for row in table.rows:
            writer.writerow(["" if v is None else ("t" if v is True else "f" if v is False else v)
                             for v in row])
        script.write("\\.\n")
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", "-1", url], input=script.getvalue(),
                   text=True, check=True, stdout=subprocess.DEVNULL)
    if analyze:
        # VACUUM as autovacuum would soon after a bulk load: a database in use has its
        # visibility map set, so index-only scans read no table pages. (Outside the load's
        # transaction: VACUUM cannot run in one.)
        subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", "-c", "VACUUM ANALYZE", url],
                       check=True, stdout=subprocess.DEVNULL)


def load_sqlite(path: str, tables: list[Table]):
    db = sqlite3.connect(path)
    with db:
        for table in tables:
            marks = ", ".join("?" for _ in table.columns)
            db.executemany(f"INSERT INTO {table.name} ({', '.join(table.columns)}) VALUES ({marks})",
                           table.rows)
    db.execute("ANALYZE")
    db.close()


def units_of(url: str) -> list[tuple]:
    query = "SELECT id, organization_id, kind, municipality_code FROM care_units WHERE active"
    if url.startswith("sqlite://"):
        db = sqlite3.connect(url.removeprefix("sqlite://"))
        rows = db.execute(query).fetchall()
        db.close()
        return rows
    out = subprocess.run(["psql", "-At", "-F", "\t", "-c", query, url], text=True, check=True,
                         capture_output=True).stdout
    return [tuple(line.split("\t")) for line in out.splitlines() if line]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database_url")
    parser.add_argument("--persons", type=int, default=341_000)
    parser.add_argument("--cases", type=int, default=25_000, help="discharge cases in a year")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--unit-persons", help="write the ids of the persons cared for by the "
                        "busiest vårdcentral to this file, one per line")
    args = parser.parse_args()

    units = units_of(args.database_url)
    tables = generate(units, args.persons, args.cases, args.seed)
    if args.database_url.startswith("sqlite://"):
        load_sqlite(args.database_url.removeprefix("sqlite://"), tables)
    else:
        load_postgres(args.database_url, tables)

    persons, relationships, _, _, cases, messages, _, *network = tables
    per_unit: dict[str, list[str]] = {}
    for _, person, unit, _, role, *_ in relationships.rows:
        if role == "fast_vardkontakt":
            per_unit.setdefault(unit, []).append(person)
    busiest = max(per_unit, key=lambda unit: len(per_unit[unit]))
    org = next(o for u, o, _, _ in units if u == busiest)
    if args.unit_persons:
        with open(args.unit_persons, "w") as out:
            out.write("\n".join(per_unit[busiest]) + "\n")
    cared = set(per_unit[busiest])
    with_case = next((row[1] for row in cases.rows if row[1] in cared), None)
    json.dump({"persons": len(persons.rows), "care_relationships": len(relationships.rows),
               "cases": len(cases.rows), "messages": len(messages.rows), "unit_id": busiest,
               "organization_id": org, "unit_persons": len(per_unit[busiest]),
               "person_with_case": with_case,
               "meetings": len(network[2].rows), "action_items": len(network[3].rows),
               "projects": len(network[4].rows), "coaches": len(network[1].rows)}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
