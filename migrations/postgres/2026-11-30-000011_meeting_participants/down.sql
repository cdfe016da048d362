-- Undoes the meeting participants and the meetings' esther_present.
DROP INDEX meetings_esther_present_start;
ALTER TABLE meetings DROP COLUMN esther_present;
DROP TABLE meeting_participants;
