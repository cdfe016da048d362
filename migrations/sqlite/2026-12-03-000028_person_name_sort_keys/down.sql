DROP TRIGGER persons_name_sort_key_kept;
DROP INDEX persons_without_name_sort_key;
DROP INDEX persons_name_sort_key;
CREATE INDEX persons_family_given ON persons (family_name, given_name, id);
DROP INDEX care_relationships_caseload;
CREATE INDEX care_relationships_caseload
    ON care_relationships (care_unit_id, ended_at, person_family_name, person_given_name, person_id);

DROP TRIGGER persons_name_to_care_relationships;
CREATE TRIGGER persons_name_to_care_relationships AFTER UPDATE OF family_name, given_name ON persons
    WHEN OLD.family_name IS NOT NEW.family_name OR OLD.given_name IS NOT NEW.given_name
BEGIN
    UPDATE care_relationships
        SET person_family_name = NEW.family_name, person_given_name = NEW.given_name
        WHERE person_id = NEW.id;
END;

DROP TRIGGER care_relationships_person_name_kept;
CREATE TRIGGER care_relationships_person_name_kept
    AFTER UPDATE OF person_id, person_family_name, person_given_name ON care_relationships
    WHEN NEW.person_family_name IS NOT COALESCE((SELECT family_name FROM persons WHERE id = NEW.person_id), '')
      OR NEW.person_given_name IS NOT COALESCE((SELECT given_name FROM persons WHERE id = NEW.person_id), '')
BEGIN
    UPDATE care_relationships SET
        person_family_name = COALESCE((SELECT family_name FROM persons WHERE id = NEW.person_id), ''),
        person_given_name = COALESCE((SELECT given_name FROM persons WHERE id = NEW.person_id), '')
        WHERE rowid = NEW.rowid;
END;

DROP TRIGGER care_relationships_person_name;
CREATE TRIGGER care_relationships_person_name AFTER INSERT ON care_relationships
BEGIN
    UPDATE care_relationships SET
        person_family_name = COALESCE((SELECT family_name FROM persons WHERE id = NEW.person_id), ''),
        person_given_name = COALESCE((SELECT given_name FROM persons WHERE id = NEW.person_id), '')
        WHERE rowid = NEW.rowid;
END;

ALTER TABLE care_relationships DROP COLUMN person_name_sort_key;
ALTER TABLE persons DROP COLUMN name_sort_key;
