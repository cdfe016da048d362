-- The unit for which a care relationship was started and ended (decision 0027, session 17):
-- under her block of a unit, who started or ended a relationship acting for that unit is
-- withheld from other units, as a user's id names the unit in the staff directory.
-- NULL: no unit (an integration), or not recorded — relationships from before this migration,
-- except those a coordination case started, which are taken as started for the case's ward
-- (the sender of a case's messages is its ward, or an inpatient unit of the same
-- organization; naming the ward can only withhold more).
ALTER TABLE care_relationships ADD COLUMN started_by_unit_id TEXT;
ALTER TABLE care_relationships ADD COLUMN ended_by_unit_id TEXT;
UPDATE care_relationships
SET started_by_unit_id = (
    SELECT MIN(c.hospital_unit_id)
    FROM case_care_relationships l
    JOIN coordination_cases c ON c.id = l.case_id
    WHERE l.relationship_id = care_relationships.id
)
WHERE id IN (SELECT relationship_id FROM case_care_relationships);
