-- The unit for which a coordination case's paying decision was recorded (decision 0027,
-- session 21): under her block of a unit, who recorded the decision acting for that unit is
-- withheld from other units, as a user's id names the unit in the staff directory (as for who
-- started or ended a care relationship, migration 000025). NULL: no unit (an integration or an
-- admin without one), or recorded before this migration.
ALTER TABLE coordination_cases ADD COLUMN paying_decided_by_unit_id TEXT COLLATE "C";
