-- Her access log (the newest 50 events about one person), today's audit_events.
\set n random(1, 341000)
SELECT id, occurred_at, subject FROM ae_wide
WHERE person_id = (SELECT id FROM persons_x WHERE n = :n) ORDER BY id DESC LIMIT 50;
