-- PostgreSQL's migration of this name stores the access log's ids as `uuid`. SQLite has no
-- such type: its log keeps the ids as the hyphenated lowercase text it has always held, which
-- persistence::uuid_column reads and writes for this backend. Nothing changes here; the
-- migration exists so that both backends list the same migrations.
SELECT 1;
