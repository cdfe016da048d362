-- Discharge coordination (Lag 2017:612): a case per inpatient stay, its typed messages, and
-- each message's recipients with their answer (acknowledged or opted out).

CREATE TABLE coordination_cases (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons (id),
    hospital_unit_id TEXT NOT NULL REFERENCES care_units (id),
    care_kind TEXT NOT NULL,
    state TEXT NOT NULL,
    admitted_at TIMESTAMP NOT NULL,
    assessed_at TIMESTAMP,
    expected_discharge_date DATE,
    opened_by TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX coordination_cases_person ON coordination_cases (person_id, id);

CREATE TABLE case_messages (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES coordination_cases (id),
    kind TEXT NOT NULL,
    text TEXT,
    sent_by TEXT NOT NULL,
    sent_by_unit TEXT NOT NULL,
    sent_at TIMESTAMP NOT NULL
);
CREATE INDEX case_messages_case ON case_messages (case_id, id);

CREATE TABLE case_message_recipients (
    message_id TEXT NOT NULL REFERENCES case_messages (id),
    unit_id TEXT NOT NULL REFERENCES care_units (id),
    status TEXT NOT NULL,
    answered_by TEXT,
    answered_at TIMESTAMP,
    PRIMARY KEY (message_id, unit_id)
);
CREATE INDEX case_message_recipients_unit ON case_message_recipients (unit_id, status);
