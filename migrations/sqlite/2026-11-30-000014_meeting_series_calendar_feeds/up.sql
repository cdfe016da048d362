-- Recurring meetings (RFC 5545 series) and secret-URL calendar feeds.
--
-- A series keeps its rule: the wall-clock start in Europe/Stockholm, a duration and an RRULE
-- with COUNT or UNTIL (bounded), plus EXDATEs (occurrences that never were). Each occurrence
-- is a row of `meetings` of its own (participants, attendance and minutes work per
-- occurrence), linked here with its RECURRENCE-ID: the UTC instant the rule gave it, which
-- stays when the occurrence is moved. See docs/decisions/0020-materialised-occurrences.md.

CREATE TABLE meeting_series (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    -- RRULE value (no "RRULE:" prefix), as the rrule crate writes it back.
    rrule TEXT NOT NULL,
    -- First occurrence's wall-clock start in Europe/Stockholm (no offset).
    starts_local TIMESTAMP NOT NULL,
    duration_minutes INTEGER NOT NULL,
    -- Excluded wall-clock starts, comma-separated, RFC 5545 basic form (20270406T090000).
    exdates TEXT NOT NULL,
    place TEXT,
    video_link TEXT,
    host_municipality_code TEXT,
    host_organization_id TEXT REFERENCES organizations (id),
    organizer_id TEXT REFERENCES staff (id),
    created_by TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE meeting_occurrences (
    meeting_id TEXT PRIMARY KEY REFERENCES meetings (id),
    series_id TEXT NOT NULL REFERENCES meeting_series (id),
    -- The occurrence's start as the rule gave it (UTC); its RECURRENCE-ID.
    recurrence_id TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX meeting_occurrences_series ON meeting_occurrences (series_id, recurrence_id);

-- A subscription by secret URL. Only the SHA-256 of the secret is kept (hex); the secret is
-- shown once, when the feed is created. A revoked feed stays, with its time, and answers 404.
CREATE TABLE calendar_feeds (
    id TEXT PRIMARY KEY,
    secret_sha256 TEXT NOT NULL UNIQUE,
    -- The token subject that created it: only she lists and revokes it.
    owner TEXT NOT NULL,
    scope TEXT NOT NULL,
    staff_id TEXT REFERENCES staff (id),
    care_unit_id TEXT REFERENCES care_units (id),
    municipality_code TEXT,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    CHECK ((scope = 'mine') = (staff_id IS NOT NULL)),
    CHECK ((scope = 'unit') = (care_unit_id IS NOT NULL)),
    CHECK ((scope = 'municipality') = (municipality_code IS NOT NULL))
);
CREATE INDEX calendar_feeds_owner ON calendar_feeds (owner, id);
