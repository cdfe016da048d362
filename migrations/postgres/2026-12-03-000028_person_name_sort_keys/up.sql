-- A unit's caseload in Swedish alphabetical order (issue 16): `Å`, `Ä`, `Ö` after `Z` in that
-- order, `af Klint` among the A:s, not in the byte order of the names' UTF-8 (which put `Ä`
-- before `Å` and every name beginning in a lower-case letter after `Ö`). The key is computed
-- by the server (`domain::name::sort_key`: ICU4X's `sv` collation, family name then given
-- name) whenever it writes a person's name, and compares byte by byte in both databases.
--
-- Persons written before this migration, or by anything else than the server (the
-- benchmark's loader), have an empty key until the server's start-up fills it
-- (`persistence::persons::fill_name_sort_keys`); an empty key sorts first.
ALTER TABLE persons ADD COLUMN name_sort_key BYTEA NOT NULL DEFAULT '\x';
ALTER TABLE care_relationships ADD COLUMN person_name_sort_key BYTEA NOT NULL DEFAULT '\x';

-- The relationships copy the person's key as they copy her names (migration 000022): when
-- one is written, and when her name or key changes, in the same statement.
CREATE OR REPLACE FUNCTION care_relationship_person_name() RETURNS trigger AS $$
BEGIN
    SELECT family_name, given_name, name_sort_key
        INTO NEW.person_family_name, NEW.person_given_name, NEW.person_name_sort_key
        FROM persons WHERE id = NEW.person_id FOR NO KEY UPDATE;
    -- No such person: the foreign key refuses the row at the end of the statement.
    IF NOT FOUND THEN
        NEW.person_family_name := '';
        NEW.person_given_name := '';
        NEW.person_name_sort_key := '\x';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION person_name_to_care_relationships() RETURNS trigger AS $$
BEGIN
    -- persistence::persons::update locks these rows before the person's (the order a
    -- relationship's own write takes), so that a rename and a relationship written at the
    -- same time do not deadlock.
    UPDATE care_relationships
        SET person_family_name = NEW.family_name, person_given_name = NEW.given_name,
            person_name_sort_key = NEW.name_sort_key
        WHERE person_id = NEW.id;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER persons_name_to_care_relationships ON persons;
CREATE TRIGGER persons_name_to_care_relationships
    AFTER UPDATE OF family_name, given_name, name_sort_key ON persons
    FOR EACH ROW
    WHEN (OLD.family_name IS DISTINCT FROM NEW.family_name
          OR OLD.given_name IS DISTINCT FROM NEW.given_name
          OR OLD.name_sort_key IS DISTINCT FROM NEW.name_sort_key)
    EXECUTE FUNCTION person_name_to_care_relationships();

-- A name changed without its key (by hand, or by an older server during a rolling upgrade)
-- loses its key, which the next start-up computes: a stale key would keep her in her old
-- name's place for good (an attack review renamed persons by hand). The server writes the key
-- with the name, so its renames keep theirs (unless the new name's key equals the old one's).
CREATE FUNCTION person_name_sort_key_kept() RETURNS trigger AS $$
BEGIN
    NEW.name_sort_key := '\x';
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER persons_name_sort_key_kept BEFORE UPDATE OF family_name, given_name ON persons
    FOR EACH ROW
    WHEN ((OLD.family_name IS DISTINCT FROM NEW.family_name
           OR OLD.given_name IS DISTINCT FROM NEW.given_name)
          AND OLD.name_sort_key IS NOT DISTINCT FROM NEW.name_sort_key)
    EXECUTE FUNCTION person_name_sort_key_kept();

-- The caseload's order: the key, then the person's id.
DROP INDEX care_relationships_caseload;
CREATE INDEX care_relationships_caseload
    ON care_relationships (care_unit_id, person_name_sort_key, person_id)
    WHERE ended_at IS NULL;
DROP INDEX persons_family_given;
CREATE INDEX persons_name_sort_key ON persons (name_sort_key, id);
-- The start-up fill finds the persons without a key.
CREATE INDEX persons_without_name_sort_key ON persons (id) WHERE name_sort_key = '\x';
