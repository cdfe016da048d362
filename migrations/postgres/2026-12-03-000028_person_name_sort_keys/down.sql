DROP TRIGGER persons_name_sort_key_kept ON persons;
DROP FUNCTION person_name_sort_key_kept();
DROP INDEX persons_without_name_sort_key;
DROP INDEX persons_name_sort_key;
CREATE INDEX persons_family_given ON persons (family_name, given_name, id);
DROP INDEX care_relationships_caseload;
CREATE INDEX care_relationships_caseload
    ON care_relationships (care_unit_id, person_family_name, person_given_name, person_id)
    WHERE ended_at IS NULL;

DROP TRIGGER persons_name_to_care_relationships ON persons;
CREATE TRIGGER persons_name_to_care_relationships AFTER UPDATE OF family_name, given_name ON persons
    FOR EACH ROW
    WHEN (OLD.family_name IS DISTINCT FROM NEW.family_name OR OLD.given_name IS DISTINCT FROM NEW.given_name)
    EXECUTE FUNCTION person_name_to_care_relationships();

CREATE OR REPLACE FUNCTION person_name_to_care_relationships() RETURNS trigger AS $$
BEGIN
    UPDATE care_relationships
        SET person_family_name = NEW.family_name, person_given_name = NEW.given_name
        WHERE person_id = NEW.id;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION care_relationship_person_name() RETURNS trigger AS $$
BEGIN
    SELECT family_name, given_name INTO NEW.person_family_name, NEW.person_given_name
        FROM persons WHERE id = NEW.person_id FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        NEW.person_family_name := '';
        NEW.person_given_name := '';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

ALTER TABLE care_relationships DROP COLUMN person_name_sort_key;
ALTER TABLE persons DROP COLUMN name_sort_key;
