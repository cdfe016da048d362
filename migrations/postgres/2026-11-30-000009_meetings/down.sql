-- Undoes the meetings table.
DROP TABLE meetings;
