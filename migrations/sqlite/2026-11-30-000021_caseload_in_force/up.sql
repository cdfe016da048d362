-- A unit's care relationships in force (issue 16): the caseload asks whether a unit has more
-- than persistence::caseload::SMALL_UNIT of them (to choose how to list it) and, for a large
-- unit, whether it cares for each person walked in name order. Both ask for relationships in
-- force (`ended_at IS NULL`, an equality for the index on both backends), so with the person
-- last the index answers both from its entries alone, without reading a relationship's row.
-- (Not a partial index: SQLite's planner, by its statistics, preferred care_relationships_unit
-- plus a row read per entry for the size check, 2,000 row reads a page.)
CREATE INDEX care_relationships_unit_in_force
    ON care_relationships (care_unit_id, ended_at, person_id);
