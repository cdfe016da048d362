-- A counter on the person that every change to her record's parts moves on, kept by the
-- database itself so that no write path can forget it. With the person's own `version` it
-- stamps the record: a server may keep a record it has read and reuse it for as long as the
-- stamp in the database is unchanged (api/src/record_cache.rs).
ALTER TABLE persons ADD COLUMN record_version BIGINT NOT NULL DEFAULT 0;

CREATE TRIGGER person_statements_record_version_insert AFTER INSERT ON person_statements
BEGIN
    UPDATE persons SET record_version = record_version + 1 WHERE id = NEW.person_id;
END;

CREATE TRIGGER person_statements_record_version_update AFTER UPDATE ON person_statements
BEGIN
    UPDATE persons SET record_version = record_version + 1 WHERE id = NEW.person_id;
END;

CREATE TRIGGER person_contacts_record_version_insert AFTER INSERT ON person_contacts
BEGIN
    UPDATE persons SET record_version = record_version + 1 WHERE id = NEW.person_id;
END;

CREATE TRIGGER person_contacts_record_version_update AFTER UPDATE ON person_contacts
BEGIN
    UPDATE persons SET record_version = record_version + 1 WHERE id = NEW.person_id;
END;

CREATE TRIGGER consents_record_version_insert AFTER INSERT ON consents
BEGIN
    UPDATE persons SET record_version = record_version + 1 WHERE id = NEW.person_id;
END;

CREATE TRIGGER consents_record_version_update AFTER UPDATE ON consents
BEGIN
    UPDATE persons SET record_version = record_version + 1 WHERE id = NEW.person_id;
END;

CREATE TRIGGER blocks_record_version_insert AFTER INSERT ON blocks
BEGIN
    UPDATE persons SET record_version = record_version + 1 WHERE id = NEW.person_id;
END;

CREATE TRIGGER blocks_record_version_update AFTER UPDATE ON blocks
BEGIN
    UPDATE persons SET record_version = record_version + 1 WHERE id = NEW.person_id;
END;

CREATE TRIGGER care_relationships_record_version_insert AFTER INSERT ON care_relationships
BEGIN
    UPDATE persons SET record_version = record_version + 1 WHERE id = NEW.person_id;
END;

CREATE TRIGGER care_relationships_record_version_update AFTER UPDATE ON care_relationships
BEGIN
    UPDATE persons SET record_version = record_version + 1 WHERE id = NEW.person_id;
END;
