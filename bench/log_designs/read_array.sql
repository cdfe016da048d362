-- Her access log (the newest 50 events about one person) through the GIN index: every page
-- that showed her is found, then sorted (a GIN index gives no order). MATERIALIZED keeps the
-- planner from walking the primary key backwards instead, filtering every row.
\set n random(1, 341000)
WITH hers AS MATERIALIZED (
    SELECT id, occurred_at, subject FROM ab_array
    WHERE person_ids @> ARRAY[(SELECT id FROM persons_x WHERE n = :n)])
SELECT * FROM hers ORDER BY id DESC LIMIT 50;
