-- Her access log (the newest 50 events about one person), page rows joined.
\set n random(1, 341000)
SELECT b.id, b.occurred_at, b.subject FROM ab_person ap JOIN ab_batch b ON b.id = ap.batch_id
WHERE ap.person_id = (SELECT id FROM persons_x WHERE n = :n) ORDER BY ap.batch_id DESC LIMIT 50;
