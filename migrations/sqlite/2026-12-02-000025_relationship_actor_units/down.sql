ALTER TABLE care_relationships DROP COLUMN started_by_unit_id;
ALTER TABLE care_relationships DROP COLUMN ended_by_unit_id;
