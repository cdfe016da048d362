-- Back to the triggers of 000007.
DROP TRIGGER persons_record_version ON persons;
DROP FUNCTION bump_own_record_version();
CREATE OR REPLACE FUNCTION bump_record_version() RETURNS trigger AS $$
BEGIN
    UPDATE persons SET record_version = record_version + 1 WHERE id = NEW.person_id;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
DROP TRIGGER person_statements_record_version ON person_statements;
CREATE TRIGGER person_statements_record_version AFTER INSERT OR UPDATE ON person_statements
    FOR EACH ROW EXECUTE FUNCTION bump_record_version();
DROP TRIGGER person_contacts_record_version ON person_contacts;
CREATE TRIGGER person_contacts_record_version AFTER INSERT OR UPDATE ON person_contacts
    FOR EACH ROW EXECUTE FUNCTION bump_record_version();
DROP TRIGGER consents_record_version ON consents;
CREATE TRIGGER consents_record_version AFTER INSERT OR UPDATE ON consents
    FOR EACH ROW EXECUTE FUNCTION bump_record_version();
DROP TRIGGER blocks_record_version ON blocks;
CREATE TRIGGER blocks_record_version AFTER INSERT OR UPDATE ON blocks
    FOR EACH ROW EXECUTE FUNCTION bump_record_version();
DROP TRIGGER care_relationships_record_version ON care_relationships;
CREATE TRIGGER care_relationships_record_version AFTER INSERT OR UPDATE ON care_relationships
    FOR EACH ROW EXECUTE FUNCTION bump_record_version();
