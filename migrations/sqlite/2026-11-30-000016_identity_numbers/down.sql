DROP TABLE identity_changes;
ALTER TABLE persons DROP COLUMN reserve_number;
