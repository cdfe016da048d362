-- The record's stamp moves on at every change, also those made outside the API (a review found
-- these gaps in 000007): a part deleted or moved to another person (the old owner's record
-- changes too), and the person's own row updated without moving its `version`.

CREATE TRIGGER person_statements_record_version_delete AFTER DELETE ON person_statements
BEGIN
    UPDATE persons SET record_version = record_version + 1 WHERE id = OLD.person_id;
END;

CREATE TRIGGER person_statements_record_version_move AFTER UPDATE OF person_id ON person_statements
    WHEN OLD.person_id IS NOT NEW.person_id
BEGIN
    UPDATE persons SET record_version = record_version + 1 WHERE id = OLD.person_id;
END;

CREATE TRIGGER person_contacts_record_version_delete AFTER DELETE ON person_contacts
BEGIN
    UPDATE persons SET record_version = record_version + 1 WHERE id = OLD.person_id;
END;

CREATE TRIGGER person_contacts_record_version_move AFTER UPDATE OF person_id ON person_contacts
    WHEN OLD.person_id IS NOT NEW.person_id
BEGIN
    UPDATE persons SET record_version = record_version + 1 WHERE id = OLD.person_id;
END;

CREATE TRIGGER consents_record_version_delete AFTER DELETE ON consents
BEGIN
    UPDATE persons SET record_version = record_version + 1 WHERE id = OLD.person_id;
END;

CREATE TRIGGER consents_record_version_move AFTER UPDATE OF person_id ON consents
    WHEN OLD.person_id IS NOT NEW.person_id
BEGIN
    UPDATE persons SET record_version = record_version + 1 WHERE id = OLD.person_id;
END;

CREATE TRIGGER blocks_record_version_delete AFTER DELETE ON blocks
BEGIN
    UPDATE persons SET record_version = record_version + 1 WHERE id = OLD.person_id;
END;

CREATE TRIGGER blocks_record_version_move AFTER UPDATE OF person_id ON blocks
    WHEN OLD.person_id IS NOT NEW.person_id
BEGIN
    UPDATE persons SET record_version = record_version + 1 WHERE id = OLD.person_id;
END;

CREATE TRIGGER care_relationships_record_version_delete AFTER DELETE ON care_relationships
BEGIN
    UPDATE persons SET record_version = record_version + 1 WHERE id = OLD.person_id;
END;

CREATE TRIGGER care_relationships_record_version_move AFTER UPDATE OF person_id ON care_relationships
    WHEN OLD.person_id IS NOT NEW.person_id
BEGIN
    UPDATE persons SET record_version = record_version + 1 WHERE id = OLD.person_id;
END;

-- Any update of the person's own columns moves `record_version` (SQLite cannot change NEW in a
-- trigger; recursive triggers are off, so this update does not fire it again).
CREATE TRIGGER persons_record_version AFTER UPDATE OF personal_number, given_name, family_name, name_key, municipality_code, protected_identity, address, phone, email, what_matters_to_me, registered_by, registered_by_unit, registered_by_org, version, created_at, updated_at, id ON persons
BEGIN
    UPDATE persons SET record_version = record_version + 1 WHERE id = NEW.id;
END;
