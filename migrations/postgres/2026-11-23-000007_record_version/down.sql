-- Undoes the record version.
DROP TRIGGER person_statements_record_version ON person_statements;
DROP TRIGGER person_contacts_record_version ON person_contacts;
DROP TRIGGER consents_record_version ON consents;
DROP TRIGGER blocks_record_version ON blocks;
DROP TRIGGER care_relationships_record_version ON care_relationships;
DROP FUNCTION bump_record_version();
ALTER TABLE persons DROP COLUMN record_version;
