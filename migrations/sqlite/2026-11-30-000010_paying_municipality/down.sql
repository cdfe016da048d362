-- Undoes the recorded paying-municipality decision.
ALTER TABLE coordination_cases DROP COLUMN paying_decided_at;
ALTER TABLE coordination_cases DROP COLUMN paying_decided_by;
ALTER TABLE coordination_cases DROP COLUMN paying_reason;
ALTER TABLE coordination_cases DROP COLUMN paying_municipality_code;
