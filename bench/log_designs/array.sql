-- One caseload page: one row with its 50 persons in a uuid[] (GIN-indexed).
\set first random(1, 340000)
INSERT INTO ab_array
SELECT v7(), now(), 'bench-caseload', '0190a000-0000-7000-8000-000000000001',
       '0190a000-0000-7000-8000-000000000002', 'read', 'person', 'care', 'success',
       ARRAY(SELECT p.id FROM persons_x p WHERE p.n BETWEEN :first AND :first + 49);
