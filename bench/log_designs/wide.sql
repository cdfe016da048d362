-- One caseload page's 50 events as one row each (today's audit_events).
\set first random(1, 340000)
INSERT INTO ae_wide
SELECT v7(), now(), 'bench-caseload', '0190a000-0000-7000-8000-000000000001',
       '0190a000-0000-7000-8000-000000000002', p.id, 'read', 'person', 'care', 'success'
FROM persons_x p WHERE p.n BETWEEN :first AND :first + 49;
