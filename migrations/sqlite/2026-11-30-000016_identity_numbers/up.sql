-- Identity numbers (issue 14): a person may be registered under a region's reserve number
-- (reservnummer) until she is identified, and her number may change (her personnummer
-- became known, or a number was replaced). Her record stays one person: `persons.id` is kept,
-- and every earlier number is kept in identity_changes, where search and registration by that
-- number still find her.

-- Whether `persons.personal_number` is a reservnummer (its compact form) rather than a
-- 12-digit personnummer or samordningsnummer.
ALTER TABLE persons ADD COLUMN reserve_number BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE identity_changes (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons (id),
    previous_number TEXT NOT NULL,
    previous_reserve BOOLEAN NOT NULL,
    new_number TEXT NOT NULL,
    new_reserve BOOLEAN NOT NULL,
    reason TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_by_unit TEXT,
    changed_by_org TEXT,
    changed_at TIMESTAMP NOT NULL
);
-- Her identity history in order (UUID v7 ids).
CREATE INDEX identity_changes_person ON identity_changes (person_id, id);
-- Search and registration by an earlier number.
CREATE INDEX identity_changes_previous_number ON identity_changes (previous_number);
