-- The network's meetings (committee, municipal networks, ESTHER cafés, coach network, strategy
-- day, case conferences). Times are UTC instants; the calendar shows them in Europe/Stockholm.
-- A cancelled meeting stays, with its reason. No person's data is held here.

CREATE TABLE meetings (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    place TEXT,
    video_link TEXT,
    host_municipality_code TEXT,
    host_organization_id TEXT REFERENCES organizations (id),
    organizer_id TEXT REFERENCES staff (id),
    status TEXT NOT NULL,
    cancel_reason TEXT,
    created_by TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- Lists run in start order (then id) from a time, filtered by kind, host or status.
CREATE INDEX meetings_start ON meetings (starts_at, id);
CREATE INDEX meetings_kind_start ON meetings (kind, starts_at, id);
CREATE INDEX meetings_municipality_start ON meetings (host_municipality_code, starts_at, id);
CREATE INDEX meetings_organization_start ON meetings (host_organization_id, starts_at, id);
