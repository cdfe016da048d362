-- A unit's caseload in Swedish alphabetical order (issue 16); see the PostgreSQL migration of
-- the same name. The key compares byte by byte (BLOB order is memcmp).
ALTER TABLE persons ADD COLUMN name_sort_key BLOB NOT NULL DEFAULT X'';
ALTER TABLE care_relationships ADD COLUMN person_name_sort_key BLOB NOT NULL DEFAULT X'';

-- The relationships copy the person's key as they copy her names (migration 000022).
DROP TRIGGER care_relationships_person_name;
CREATE TRIGGER care_relationships_person_name AFTER INSERT ON care_relationships
BEGIN
    UPDATE care_relationships SET
        person_family_name = COALESCE((SELECT family_name FROM persons WHERE id = NEW.person_id), ''),
        person_given_name = COALESCE((SELECT given_name FROM persons WHERE id = NEW.person_id), ''),
        person_name_sort_key = COALESCE((SELECT name_sort_key FROM persons WHERE id = NEW.person_id), X'')
        WHERE rowid = NEW.rowid;
END;

DROP TRIGGER care_relationships_person_name_kept;
CREATE TRIGGER care_relationships_person_name_kept
    AFTER UPDATE OF person_id, person_family_name, person_given_name, person_name_sort_key
    ON care_relationships
    WHEN NEW.person_family_name IS NOT COALESCE((SELECT family_name FROM persons WHERE id = NEW.person_id), '')
      OR NEW.person_given_name IS NOT COALESCE((SELECT given_name FROM persons WHERE id = NEW.person_id), '')
      OR NEW.person_name_sort_key IS NOT COALESCE((SELECT name_sort_key FROM persons WHERE id = NEW.person_id), X'')
BEGIN
    UPDATE care_relationships SET
        person_family_name = COALESCE((SELECT family_name FROM persons WHERE id = NEW.person_id), ''),
        person_given_name = COALESCE((SELECT given_name FROM persons WHERE id = NEW.person_id), ''),
        person_name_sort_key = COALESCE((SELECT name_sort_key FROM persons WHERE id = NEW.person_id), X'')
        WHERE rowid = NEW.rowid;
END;

DROP TRIGGER persons_name_to_care_relationships;
CREATE TRIGGER persons_name_to_care_relationships
    AFTER UPDATE OF family_name, given_name, name_sort_key ON persons
    WHEN OLD.family_name IS NOT NEW.family_name OR OLD.given_name IS NOT NEW.given_name
      OR OLD.name_sort_key IS NOT NEW.name_sort_key
BEGIN
    UPDATE care_relationships
        SET person_family_name = NEW.family_name, person_given_name = NEW.given_name,
            person_name_sort_key = NEW.name_sort_key
        WHERE person_id = NEW.id;
END;

-- A name changed without its key (by hand, or by an older server) loses its key, which the
-- next start-up computes (see the PostgreSQL migration). Emptying it copies the empty key to
-- her relationships through the trigger above.
CREATE TRIGGER persons_name_sort_key_kept AFTER UPDATE OF family_name, given_name ON persons
    WHEN (OLD.family_name IS NOT NEW.family_name OR OLD.given_name IS NOT NEW.given_name)
      AND OLD.name_sort_key IS NEW.name_sort_key
BEGIN
    UPDATE persons SET name_sort_key = X'' WHERE id = NEW.id;
END;

DROP INDEX care_relationships_caseload;
CREATE INDEX care_relationships_caseload
    ON care_relationships (care_unit_id, ended_at, person_name_sort_key, person_id);
DROP INDEX persons_family_given;
CREATE INDEX persons_name_sort_key ON persons (name_sort_key, id);
CREATE INDEX persons_without_name_sort_key ON persons (id) WHERE name_sort_key = X'';
