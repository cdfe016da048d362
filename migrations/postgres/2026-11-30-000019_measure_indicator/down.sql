DROP INDEX action_items_project;
ALTER TABLE measures DROP COLUMN indicator_municipality;
ALTER TABLE measures DROP COLUMN indicator;
