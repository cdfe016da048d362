-- The access log's ids in PostgreSQL's own `uuid` type (16 bytes) instead of their 36
-- characters of text (issue 16, docs/BENCHMARKS.md, "The access log's ids as uuid"). The log
-- is the largest table by far — one row per person shown in every list — and its person index
-- (person_id, id) takes one entry in a random place per event: with text ids each entry was
-- twice as wide, the index outgrew the buffer cache twice as early, and every event cost more
-- WAL. On the benchmark's region, 2.5 million events took 603 MB of person index as text and
-- 310 MB as uuid, the heap 770 and 518 MB, and the caseload's rate rose by a tenth.
--
-- The order is unchanged: uuid compares its bytes in order, and the lowercase hex text (in the
-- "C" collation) compared the same digits in the same order, so the log's keyset pages by id
-- are the pages they were. Every stored id was written from a parsed UUID, so every one
-- converts; a value that did not would stop the migration, with nothing changed.
--
-- Rewrites the table and its indexes under an exclusive lock: on a large log, run it in a
-- maintenance window (3.6 million events took 14 s on the benchmark's machine).
ALTER TABLE audit_events
    ALTER COLUMN id TYPE uuid USING id::uuid,
    ALTER COLUMN unit_id TYPE uuid USING unit_id::uuid,
    ALTER COLUMN organization_id TYPE uuid USING organization_id::uuid,
    ALTER COLUMN person_id TYPE uuid USING person_id::uuid;
