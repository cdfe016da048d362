-- What a network meeting records: its agenda, its minutes (a draft until approved once, then
-- changed only by amendments kept as versions), its decisions, its action items (across
-- meetings: GET /api/v1/action-items), and an ESTHER café's story, lessons and proposals to
-- management (each followed as an action item). No registered person's data is held here;
-- café texts are refused when they contain a personal identity number.

CREATE TABLE meeting_agenda_items (
    id TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES meetings (id),
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    presenter_id TEXT REFERENCES staff (id),
    minutes_allotted INTEGER,
    created_by TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (meeting_id, position)
);

CREATE TABLE meeting_minutes (
    meeting_id TEXT PRIMARY KEY REFERENCES meetings (id),
    text TEXT NOT NULL,
    revision INTEGER NOT NULL,
    approved_by TEXT REFERENCES staff (id),
    approved_at TIMESTAMP,
    approval_recorded_by TEXT,
    created_by TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK ((approved_by IS NULL) = (approved_at IS NULL))
);

-- Approved minutes, version 1, and every amendment after it; never changed once written.
CREATE TABLE meeting_minutes_versions (
    id TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES meeting_minutes (meeting_id),
    number INTEGER NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    reason TEXT,
    approved_by TEXT REFERENCES staff (id),
    recorded_by TEXT NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    UNIQUE (meeting_id, number)
);

CREATE TABLE meeting_decisions (
    id TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES meetings (id),
    text TEXT NOT NULL,
    decided_at TIMESTAMP NOT NULL,
    recorded_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX meeting_decisions_meeting ON meeting_decisions (meeting_id, id);

CREATE TABLE action_items (
    id TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES meetings (id),
    title TEXT NOT NULL,
    description TEXT,
    owner_id TEXT REFERENCES staff (id),
    care_unit_id TEXT REFERENCES care_units (id),
    organization_id TEXT REFERENCES organizations (id),
    due DATE NOT NULL,
    status TEXT NOT NULL,
    completed_at TIMESTAMP,
    -- The improvement project it feeds; its reference is added with the projects' table.
    improvement_project_id TEXT,
    created_by TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (owner_id IS NOT NULL OR care_unit_id IS NOT NULL OR organization_id IS NOT NULL),
    CHECK ((status = 'done') = (completed_at IS NOT NULL))
);
-- GET /api/v1/action-items runs in due order (then id), filtered by owner, unit,
-- organization, status, meeting.
CREATE INDEX action_items_due ON action_items (due, id);
CREATE INDEX action_items_status_due ON action_items (status, due, id);
CREATE INDEX action_items_owner ON action_items (owner_id, due, id);
CREATE INDEX action_items_unit ON action_items (care_unit_id, due, id);
CREATE INDEX action_items_organization ON action_items (organization_id, due, id);
CREATE INDEX action_items_meeting ON action_items (meeting_id, due, id);

CREATE TABLE meeting_stories (
    meeting_id TEXT PRIMARY KEY REFERENCES meetings (id),
    text TEXT NOT NULL,
    narrator TEXT NOT NULL,
    narrator_description TEXT,
    recorded_by TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE meeting_lessons (
    id TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES meetings (id),
    text TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX meeting_lessons_meeting ON meeting_lessons (meeting_id, id);

CREATE TABLE meeting_proposals (
    id TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES meetings (id),
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    action_item_id TEXT NOT NULL UNIQUE REFERENCES action_items (id),
    proposed_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX meeting_proposals_meeting ON meeting_proposals (meeting_id, id);
