-- The care relationships a coordination case started for the units it addressed, so that a
-- unit that turns out not to be involved (opted out, or every message to it retracted) leaves
-- her care team again and loses access to her record.
CREATE TABLE case_care_relationships (
    case_id TEXT COLLATE "C" NOT NULL REFERENCES coordination_cases (id),
    relationship_id TEXT COLLATE "C" NOT NULL REFERENCES care_relationships (id),
    unit_id TEXT COLLATE "C" NOT NULL REFERENCES care_units (id),
    PRIMARY KEY (case_id, relationship_id)
);
