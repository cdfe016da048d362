DROP INDEX care_relationships_caseload;
DROP TRIGGER persons_name_to_care_relationships ON persons;
DROP FUNCTION person_name_to_care_relationships();
DROP TRIGGER care_relationships_person_name ON care_relationships;
DROP FUNCTION care_relationship_person_name();
ALTER TABLE care_relationships DROP COLUMN person_given_name;
ALTER TABLE care_relationships DROP COLUMN person_family_name;
