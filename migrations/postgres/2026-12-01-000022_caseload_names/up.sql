-- A unit's caseload in name order straight from its care relationships (issue 16,
-- docs/BENCHMARKS.md): each relationship carries its person's family and given name, so the
-- unit's relationships in force are one index range in the caseload's order (family name,
-- given name, person id), read from index entries alone. Before, the caseload walked every
-- person of the region in name order and probed the unit's relationships for each (about six
-- persons walked per person listed at the busiest vårdcentral).
--
-- The names are the person's, never written by anyone else: the database copies them when a
-- relationship is written (whatever the statement says) and when the person is renamed, in
-- the same statement, so they cannot disagree with `persons` in any committed state. They are
-- not part of the record (persistence::snapshot does not read them) and move no stamp of
-- their own.
ALTER TABLE care_relationships ADD COLUMN person_family_name TEXT;
ALTER TABLE care_relationships ADD COLUMN person_given_name TEXT;

-- The backfill is not a change to anyone's record: no stamp moves for it.
ALTER TABLE care_relationships DISABLE TRIGGER care_relationships_record_version;
UPDATE care_relationships r
    SET person_family_name = p.family_name, person_given_name = p.given_name
    FROM persons p WHERE p.id = r.person_id;
ALTER TABLE care_relationships ENABLE TRIGGER care_relationships_record_version;

ALTER TABLE care_relationships ALTER COLUMN person_family_name SET NOT NULL;
ALTER TABLE care_relationships ALTER COLUMN person_given_name SET NOT NULL;

-- The person's row is locked as it is read (the relationship's stamp trigger updates it in the
-- same statement anyway): a relationship written while she is being renamed waits for the
-- rename and copies the new name, where a plain read would copy the old one after the
-- rename's own copy had passed it by.
CREATE FUNCTION care_relationship_person_name() RETURNS trigger AS $$
BEGIN
    SELECT family_name, given_name INTO NEW.person_family_name, NEW.person_given_name
        FROM persons WHERE id = NEW.person_id FOR NO KEY UPDATE;
    -- No such person: the foreign key refuses the row at the end of the statement.
    IF NOT FOUND THEN
        NEW.person_family_name := '';
        NEW.person_given_name := '';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER care_relationships_person_name BEFORE INSERT OR UPDATE ON care_relationships
    FOR EACH ROW EXECUTE FUNCTION care_relationship_person_name();

CREATE FUNCTION person_name_to_care_relationships() RETURNS trigger AS $$
BEGIN
    -- persistence::persons::update locks these rows before the person's (the order a
    -- relationship's own write takes), so that a rename and a relationship written at the
    -- same time do not deadlock.
    UPDATE care_relationships
        SET person_family_name = NEW.family_name, person_given_name = NEW.given_name
        WHERE person_id = NEW.id;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER persons_name_to_care_relationships AFTER UPDATE OF family_name, given_name ON persons
    FOR EACH ROW
    WHEN (OLD.family_name IS DISTINCT FROM NEW.family_name OR OLD.given_name IS DISTINCT FROM NEW.given_name)
    EXECUTE FUNCTION person_name_to_care_relationships();

-- Partial, so that PostgreSQL knows its entries come in name order for one unit (`ended_at IS
-- NULL` is not an equality to its planner's ordering) and SQLite uses it for the same query.
CREATE INDEX care_relationships_caseload
    ON care_relationships (care_unit_id, person_family_name, person_given_name, person_id)
    WHERE ended_at IS NULL;
