DROP INDEX meeting_participants_by_person;
DROP INDEX meeting_participants_person;
ALTER TABLE meeting_participants DROP COLUMN person_id;
DROP INDEX meetings_person;
ALTER TABLE meetings DROP COLUMN recorded_by_organization_id;
ALTER TABLE meetings DROP COLUMN recorded_by_unit_id;
ALTER TABLE meetings DROP COLUMN person_id;
