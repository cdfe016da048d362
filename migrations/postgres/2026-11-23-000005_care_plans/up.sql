-- Coordinated individual plans (SIP). A plan row holds who made it and its current version;
-- every version is kept whole and never changed, so old versions stay readable.

CREATE TABLE care_plans (
    id TEXT COLLATE "C" PRIMARY KEY,
    person_id TEXT COLLATE "C" NOT NULL REFERENCES persons (id),
    created_by_unit TEXT COLLATE "C" NOT NULL REFERENCES care_units (id),
    created_by_organization TEXT COLLATE "C" NOT NULL REFERENCES organizations (id),
    created_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX care_plans_person ON care_plans (person_id, id);

-- content: the version's statutory parts, actions, participants and follow-ups as JSON
-- (persistence/src/plans.rs, `StoredContent`).
CREATE TABLE care_plan_versions (
    plan_id TEXT COLLATE "C" NOT NULL REFERENCES care_plans (id),
    version BIGINT NOT NULL,
    change_kind TEXT NOT NULL,
    note TEXT,
    content TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_by_unit TEXT COLLATE "C" NOT NULL REFERENCES care_units (id),
    changed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (plan_id, version)
);
