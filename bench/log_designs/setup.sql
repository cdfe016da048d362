-- Three ways to store the access-log events of a list page (issue 16), each starting from the
-- same 2.5 million events (50,000 pages of 50 persons each) over a region of 341,000 persons:
--   wide:   one row per person shown, as `audit_events` is today (uuid ids, three indexes);
--   narrow: one row per page (who, when, why) and one row of two uuids per person shown;
--   array:  one row per page with its persons in a uuid[] under a GIN index.
-- Ids are time-ordered (UUIDv7-like), as the server writes them.
DROP TABLE IF EXISTS ae_wide, ab_batch, ab_person, ab_array, persons_x;
CREATE OR REPLACE FUNCTION v7() RETURNS uuid LANGUAGE sql VOLATILE AS $$
  SELECT (lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0')
          || '7' || substr(md5(random()::text), 1, 19))::uuid $$;
CREATE TABLE persons_x (n int PRIMARY KEY, id uuid NOT NULL);
INSERT INTO persons_x SELECT g, gen_random_uuid() FROM generate_series(1, 341000) g;

CREATE TABLE ae_wide (
    id uuid PRIMARY KEY, occurred_at TIMESTAMP NOT NULL, subject TEXT COLLATE "C" NOT NULL,
    unit_id uuid, organization_id uuid, person_id uuid, action TEXT NOT NULL,
    resource TEXT NOT NULL, purpose TEXT NOT NULL, outcome TEXT NOT NULL);
CREATE INDEX ae_wide_person ON ae_wide (person_id, id);
CREATE INDEX ae_wide_subject ON ae_wide (subject, id);

CREATE TABLE ab_batch (
    id uuid PRIMARY KEY, occurred_at TIMESTAMP NOT NULL, subject TEXT COLLATE "C" NOT NULL,
    unit_id uuid, organization_id uuid, action TEXT NOT NULL, resource TEXT NOT NULL,
    purpose TEXT NOT NULL, outcome TEXT NOT NULL);
CREATE INDEX ab_batch_subject ON ab_batch (subject, id);
CREATE TABLE ab_person (batch_id uuid NOT NULL, person_id uuid NOT NULL,
    PRIMARY KEY (batch_id, person_id));
CREATE INDEX ab_person_person ON ab_person (person_id, batch_id);

CREATE TABLE ab_array (
    id uuid PRIMARY KEY, occurred_at TIMESTAMP NOT NULL, subject TEXT COLLATE "C" NOT NULL,
    unit_id uuid, organization_id uuid, action TEXT NOT NULL, resource TEXT NOT NULL,
    purpose TEXT NOT NULL, outcome TEXT NOT NULL, person_ids uuid[] NOT NULL);
CREATE INDEX ab_array_subject ON ab_array (subject, id);
CREATE INDEX ab_array_persons ON ab_array USING gin (person_ids);

-- Page g shows persons first(g) .. first(g) + 49, scattered over the region.
CREATE OR REPLACE FUNCTION first_of_page(g bigint) RETURNS int LANGUAGE sql IMMUTABLE AS $$
  SELECT (1 + (g * 7919) % 340000)::int $$;
INSERT INTO ae_wide
SELECT v7(), now(), 'user-' || (g % 500), gen_random_uuid(), gen_random_uuid(), p.id,
       'read', 'person', 'care', 'success'
FROM generate_series(1, 50000) g
JOIN persons_x p ON p.n BETWEEN first_of_page(g) AND first_of_page(g) + 49;
INSERT INTO ab_batch
SELECT v7(), now(), 'user-' || (g % 500), gen_random_uuid(), gen_random_uuid(),
       'read', 'person', 'care', 'success'
FROM generate_series(1, 50000) g;
INSERT INTO ab_person
SELECT b.id, p.id
FROM (SELECT id, row_number() OVER (ORDER BY id) AS g FROM ab_batch) b
JOIN persons_x p ON p.n BETWEEN first_of_page(b.g) AND first_of_page(b.g) + 49;
INSERT INTO ab_array
SELECT v7(), now(), 'user-' || (g % 500), gen_random_uuid(), gen_random_uuid(),
       'read', 'person', 'care', 'success',
       ARRAY(SELECT p.id FROM persons_x p
             WHERE p.n BETWEEN first_of_page(g) AND first_of_page(g) + 49)
FROM generate_series(1, 50000) g;
