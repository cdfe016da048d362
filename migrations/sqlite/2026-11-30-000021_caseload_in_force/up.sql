-- A unit's care relationships in force (issue 16): the caseload asks whether a unit has more
-- than persistence::caseload::SMALL_UNIT of them (to choose how to list it) and, for a large
-- unit, whether it cares for each person walked in name order. Both read only relationships
-- in force, so this index holds only those, with the person: the size check reads index
-- entries only, and the per-person probe skips ended relationships without reading rows.
CREATE INDEX care_relationships_unit_in_force
    ON care_relationships (care_unit_id, person_id) WHERE ended_at IS NULL;
