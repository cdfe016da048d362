-- A counter on the person that every change to her record's parts moves on, kept by the
-- database itself so that no write path can forget it. With the person's own `version` it
-- stamps the record: a server may keep a record it has read and reuse it for as long as the
-- stamp in the database is unchanged (api/src/record_cache.rs).
ALTER TABLE persons ADD COLUMN record_version BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION bump_record_version() RETURNS trigger AS $$
BEGIN
    UPDATE persons SET record_version = record_version + 1 WHERE id = NEW.person_id;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER person_statements_record_version AFTER INSERT OR UPDATE ON person_statements
    FOR EACH ROW EXECUTE FUNCTION bump_record_version();

CREATE TRIGGER person_contacts_record_version AFTER INSERT OR UPDATE ON person_contacts
    FOR EACH ROW EXECUTE FUNCTION bump_record_version();

CREATE TRIGGER consents_record_version AFTER INSERT OR UPDATE ON consents
    FOR EACH ROW EXECUTE FUNCTION bump_record_version();

CREATE TRIGGER blocks_record_version AFTER INSERT OR UPDATE ON blocks
    FOR EACH ROW EXECUTE FUNCTION bump_record_version();

CREATE TRIGGER care_relationships_record_version AFTER INSERT OR UPDATE ON care_relationships
    FOR EACH ROW EXECUTE FUNCTION bump_record_version();
