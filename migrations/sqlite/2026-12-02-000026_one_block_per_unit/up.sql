-- One block (spärr) in force per person and unit (session 17): a second block of the same
-- unit kept it hidden after she lifted the first. The API checks it, and this index makes
-- concurrent requests unable to get past the check (an attack review stored five blocks in
-- force for one unit with parallel requests on PostgreSQL).
-- A second block already in force is taken as lifted when it was made: the earliest block of
-- the unit stays in force, so what she asked for (the unit hidden) is unchanged.
UPDATE blocks
SET lifted_at = created_at,
    lifted_by = 'migration 000026: the unit was already blocked'
WHERE lifted_at IS NULL
  AND EXISTS (
      SELECT 1 FROM blocks earlier
      WHERE earlier.person_id = blocks.person_id
        AND earlier.blocked_unit_id = blocks.blocked_unit_id
        AND earlier.lifted_at IS NULL
        AND earlier.id < blocks.id
  );
CREATE UNIQUE INDEX blocks_one_in_force ON blocks (person_id, blocked_unit_id)
    WHERE lifted_at IS NULL;
