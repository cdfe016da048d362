ALTER TABLE care_relationships
    DROP COLUMN started_by_unit_id,
    DROP COLUMN ended_by_unit_id;
