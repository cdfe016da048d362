-- Undoes the meeting participants and the meetings' esther_present.
DROP INDEX IF EXISTS meeting_participants_by_staff;
DROP INDEX IF EXISTS meeting_participants_by_unit;
DROP INDEX IF EXISTS meeting_participants_by_organization;
DROP INDEX meetings_esther_present_start;
ALTER TABLE meetings DROP COLUMN esther_present;
DROP TABLE meeting_participants;
