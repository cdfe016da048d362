-- Esther's record: persons, what is recorded about them, consents, blocks, care
-- relationships, emergency accesses, the access log, and per-caller rate-limit windows.
-- recorded_by_* columns say which user, unit and organization wrote an entry; access rules
-- (domain::access) decide visibility from them.

CREATE TABLE persons (
    id TEXT PRIMARY KEY,
    personal_number TEXT NOT NULL CONSTRAINT persons_personal_number_unique UNIQUE,
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    municipality_code TEXT,
    protected_identity BOOLEAN NOT NULL,
    address TEXT,
    phone TEXT,
    email TEXT,
    what_matters_to_me TEXT,
    registered_by TEXT NOT NULL,
    registered_by_unit TEXT,
    registered_by_org TEXT,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX persons_name_key ON persons (name_key);

CREATE TABLE person_statements (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons (id),
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_by_unit TEXT,
    recorded_by_org TEXT,
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX person_statements_person ON person_statements (person_id, id);

CREATE TABLE person_contacts (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons (id),
    name TEXT NOT NULL,
    relation TEXT NOT NULL,
    phone TEXT,
    may_be_informed BOOLEAN NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_by_unit TEXT,
    recorded_by_org TEXT,
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX person_contacts_person ON person_contacts (person_id, id);

CREATE TABLE consents (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons (id),
    scope TEXT NOT NULL,
    status TEXT NOT NULL,
    valid_from DATE NOT NULL,
    valid_to DATE,
    recorded_by TEXT NOT NULL,
    recorded_by_unit TEXT,
    recorded_by_org TEXT,
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX consents_person ON consents (person_id, id);

CREATE TABLE blocks (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons (id),
    blocked_unit_id TEXT NOT NULL REFERENCES care_units (id),
    reason TEXT,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    lifted_by TEXT,
    lifted_at TIMESTAMP
);
CREATE INDEX blocks_person ON blocks (person_id, id);

CREATE TABLE care_relationships (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons (id),
    care_unit_id TEXT NOT NULL REFERENCES care_units (id),
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    staff_id TEXT REFERENCES staff (id),
    role TEXT NOT NULL,
    started_by TEXT NOT NULL,
    started_at TIMESTAMP NOT NULL,
    ended_by TEXT,
    ended_at TIMESTAMP
);
CREATE INDEX care_relationships_person ON care_relationships (person_id, id);
CREATE INDEX care_relationships_unit ON care_relationships (care_unit_id, person_id);

CREATE TABLE emergency_accesses (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons (id),
    subject TEXT NOT NULL,
    unit_id TEXT NOT NULL,
    organization_id TEXT,
    reason TEXT NOT NULL,
    granted_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX emergency_accesses_person ON emergency_accesses (person_id, subject);

CREATE TABLE audit_events (
    id TEXT PRIMARY KEY,
    occurred_at TIMESTAMP NOT NULL,
    subject TEXT NOT NULL,
    unit_id TEXT,
    organization_id TEXT,
    person_id TEXT,
    action TEXT NOT NULL,
    resource TEXT NOT NULL,
    purpose TEXT NOT NULL,
    outcome TEXT NOT NULL
);
CREATE INDEX audit_events_person ON audit_events (person_id, id);
CREATE INDEX audit_events_subject ON audit_events (subject, id);

CREATE TABLE rate_limit_windows (
    subject TEXT NOT NULL,
    bucket TEXT NOT NULL,
    window_start TIMESTAMP NOT NULL,
    hits INTEGER NOT NULL,
    PRIMARY KEY (subject, bucket)
);
