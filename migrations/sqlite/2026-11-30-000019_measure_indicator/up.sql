-- A project measure bound to one of the network's indicators in one municipality: its data
-- points are then the indicator's monthly series, read from the care chain, never stored.
-- Both columns are set together or not at all (the API checks it).
ALTER TABLE measures ADD COLUMN indicator TEXT;
ALTER TABLE measures ADD COLUMN indicator_municipality TEXT;

-- The action items feeding an improvement project, in due order.
CREATE INDEX action_items_project ON action_items (improvement_project_id, due, id);
