#!/usr/bin/env python3
"""Checks every calendar the black-box tests fetched with an independent iCalendar parser.

The tests in tests/tests/api/calendars.rs write, when SMARTCARE_ICS_DIR is set, each
calendar body as <name>.ics and what the JSON API says about its meetings as <name>.json.
For each pair this script, with the Python `icalendar` package (and `python-dateutil` for
RRULE expansion), checks that:

- the text parses as RFC 5545 (VERSION 2.0, a PRODID) and declares the one time zone its
  times use, Europe/Stockholm, as a VTIMEZONE whose offsets agree with the tz database on
  every date the calendar shows;
- every VEVENT has a UID, a SEQUENCE and a DTSTAMP in UTC;
- every meeting the API lists is one VEVENT (found by UID and RECURRENCE-ID) whose DTSTART
  and DTEND are the API's starts_at and ends_at, and whose STATUS is CANCELLED exactly when
  the API says cancelled;
- a series' master event (RRULE, EXDATE) expands to exactly the RECURRENCE-IDs the API gives
  its occurrences, and there is no master the API does not list (a feed carries exactly the
  meetings in its scope: a master would put every occurrence of its series in the calendar).

Usage: check_ics.py DIR   (exit status 1 on the first calendar that disagrees)
"""

import json
import pathlib
import sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from icalendar import Calendar

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def instant(text):
    return datetime.fromisoformat(text)


def fail(name, message):
    print(f"{name}: {message}", file=sys.stderr)
    sys.exit(1)


def declared_offset(zone, naive):
    """The UTC offset the VTIMEZONE itself gives a local time: TZOFFSETTO of its latest
    STANDARD or DAYLIGHT onset (expanded from the part's own DTSTART and RRULE)."""
    latest = None
    for part in zone.subcomponents:
        rule = rrulestr(part["RRULE"].to_ical().decode(), dtstart=part.decoded("DTSTART"))
        onset = rule.before(naive, inc=True)
        if onset is not None and (latest is None or onset > latest[0]):
            latest = (onset, part.decoded("TZOFFSETTO"))
    return latest[1] if latest else None


def check(name, text, expected):
    calendar = Calendar.from_ical(text)
    if str(calendar.get("VERSION")) != "2.0" or not calendar.get("PRODID"):
        fail(name, "no VERSION:2.0 or no PRODID")
    zones = calendar.walk("VTIMEZONE")
    if [str(z["TZID"]) for z in zones] != ["Europe/Stockholm"]:
        fail(name, f"expected one VTIMEZONE Europe/Stockholm, found {len(zones)}")
    def same_offsets(at):
        naive = at.replace(tzinfo=None)
        ours = declared_offset(zones[0], naive)
        theirs = naive.replace(tzinfo=STOCKHOLM).utcoffset()
        if ours != theirs:
            fail(name, f"VTIMEZONE gives {ours} at {naive}, the tz database {theirs}")

    by_key = {}
    masters = {}
    for event in calendar.walk("VEVENT"):
        uid = str(event["UID"])
        if "SEQUENCE" not in event:
            fail(name, f"{uid} has no SEQUENCE")
        stamp = event.decoded("DTSTAMP")
        if stamp.utcoffset() != timedelta(0) or event["DTSTAMP"].params.get("TZID"):
            fail(name, f"{uid} DTSTAMP is not UTC")
        start = event.decoded("DTSTART")
        if str(event["DTSTART"].params.get("TZID")) != "Europe/Stockholm":
            fail(name, f"{uid} DTSTART is not in Europe/Stockholm")
        same_offsets(start)
        if "RRULE" in event:
            masters[uid] = event
            continue
        recurrence = event.decoded("RECURRENCE-ID") if "RECURRENCE-ID" in event else None
        if recurrence is not None:
            if str(event["RECURRENCE-ID"].params.get("TZID")) != "Europe/Stockholm":
                fail(name, f"{uid} RECURRENCE-ID is not in the form of DTSTART")
            same_offsets(recurrence)
        key = (uid, recurrence.astimezone(timezone.utc) if recurrence else None)
        if key in by_key:
            fail(name, f"two VEVENTs for {key}")
        by_key[key] = event

    where = {}
    for series in expected["series"]:
        for occurrence in series["occurrences"]:
            rid = instant(occurrence["recurrence_id"]).astimezone(timezone.utc)
            where[occurrence["meeting_id"]] = (series["uid"], rid)
        if not series["master"]:
            continue
        master = masters.get(series["uid"])
        if master is None:
            fail(name, f"no master VEVENT for series {series['uid']}")
        start = master.decoded("DTSTART")
        rule = rrulestr(master["RRULE"].to_ical().decode(), dtstart=start, forceset=True)
        exdates = master.get("EXDATE", [])
        for exdate in exdates if isinstance(exdates, list) else [exdates]:
            if str(exdate.params.get("TZID")) != "Europe/Stockholm":
                fail(name, "EXDATE is not in the form of DTSTART")
            for when in exdate.dts:
                rule.exdate(when.dt)
        expanded = {d.astimezone(timezone.utc) for d in rule}
        wanted = {rid for (uid, rid) in where.values() if uid == series["uid"]}
        if expanded != wanted:
            fail(name, f"RRULE expands to {sorted(expanded ^ wanted)} beyond the API's occurrences")

    listed = {series["uid"] for series in expected["series"] if series["master"]}
    if set(masters) - listed:
        fail(name, f"master VEVENTs the API does not list: {sorted(set(masters) - listed)}")

    for meeting in expected["events"]:
        key = where.get(meeting["meeting_id"], (f"{meeting['meeting_id']}@smartcare-home", None))
        event = by_key.pop(key, None)
        if event is None:
            fail(name, f"meeting {meeting['meeting_id']} ({key}) is not in the calendar")
        for field, prop in (("starts_at", "DTSTART"), ("ends_at", "DTEND")):
            if event.decoded(prop) != instant(meeting[field]):
                fail(name, f"{key} {prop} {event.decoded(prop)} is not the API's {meeting[field]}")
        cancelled = str(event.get("STATUS")) == "CANCELLED"
        if cancelled != (meeting["status"] == "cancelled"):
            fail(name, f"{key} STATUS {event.get('STATUS')} but the API says {meeting['status']}")
    if by_key:
        fail(name, f"VEVENTs the API does not list: {sorted(by_key)}")
    return len(expected["events"])


def main():
    directory = pathlib.Path(sys.argv[1])
    calendars = sorted(directory.glob("*.ics"))
    if not calendars:
        fail(str(directory), "no calendars to check (did the calendar tests run?)")
    for path in calendars:
        expected = json.loads(path.with_suffix(".json").read_text())
        count = check(path.stem, path.read_text(), expected)
        print(f"{path.name}: parsed, {count} meetings agree with the API")


if __name__ == "__main__":
    main()
