-- The record's stamp moves on at every change, also those made outside the API (a review found
-- these gaps in 000007): a part deleted or moved to another person (the old owner's record
-- changes too), and the person's own row updated without moving its `version`.
CREATE OR REPLACE FUNCTION bump_record_version() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE persons SET record_version = record_version + 1 WHERE id = NEW.person_id;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE persons SET record_version = record_version + 1 WHERE id = OLD.person_id;
    ELSE
        UPDATE persons SET record_version = record_version + 1
            WHERE id = NEW.person_id OR id = OLD.person_id;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER person_statements_record_version ON person_statements;
CREATE TRIGGER person_statements_record_version AFTER INSERT OR UPDATE OR DELETE ON person_statements
    FOR EACH ROW EXECUTE FUNCTION bump_record_version();

DROP TRIGGER person_contacts_record_version ON person_contacts;
CREATE TRIGGER person_contacts_record_version AFTER INSERT OR UPDATE OR DELETE ON person_contacts
    FOR EACH ROW EXECUTE FUNCTION bump_record_version();

DROP TRIGGER consents_record_version ON consents;
CREATE TRIGGER consents_record_version AFTER INSERT OR UPDATE OR DELETE ON consents
    FOR EACH ROW EXECUTE FUNCTION bump_record_version();

DROP TRIGGER blocks_record_version ON blocks;
CREATE TRIGGER blocks_record_version AFTER INSERT OR UPDATE OR DELETE ON blocks
    FOR EACH ROW EXECUTE FUNCTION bump_record_version();

DROP TRIGGER care_relationships_record_version ON care_relationships;
CREATE TRIGGER care_relationships_record_version AFTER INSERT OR UPDATE OR DELETE ON care_relationships
    FOR EACH ROW EXECUTE FUNCTION bump_record_version();

-- Any update of the person's row that does not itself move `record_version` moves it.
CREATE FUNCTION bump_own_record_version() RETURNS trigger AS $$
BEGIN
    IF NEW.record_version = OLD.record_version THEN
        NEW.record_version := OLD.record_version + 1;
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER persons_record_version BEFORE UPDATE ON persons
    FOR EACH ROW EXECUTE FUNCTION bump_own_record_version();
