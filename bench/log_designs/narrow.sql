-- One caseload page: one row for the page, one row of (page, person) per person shown.
\set first random(1, 340000)
WITH page AS (
    INSERT INTO ab_batch VALUES (v7(), now(), 'bench-caseload',
        '0190a000-0000-7000-8000-000000000001', '0190a000-0000-7000-8000-000000000002',
        'read', 'person', 'care', 'success')
    RETURNING id)
INSERT INTO ab_person SELECT page.id, p.id FROM page, persons_x p
WHERE p.n BETWEEN :first AND :first + 49;
