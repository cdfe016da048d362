-- A recorded decision that another municipality than hers pays for a case (Lag 2017:612 and
-- the county agreement: the municipality responsible for her pays; a decision may name another,
-- with a reason). All four are set together or not at all.
ALTER TABLE coordination_cases ADD COLUMN paying_municipality_code TEXT;
ALTER TABLE coordination_cases ADD COLUMN paying_reason TEXT;
ALTER TABLE coordination_cases ADD COLUMN paying_decided_by TEXT;
ALTER TABLE coordination_cases ADD COLUMN paying_decided_at TIMESTAMP;
