-- The network's improvement work: training cohorts of improvement coaches (sessions,
-- enrolment, attendance), coach profiles, improvement projects with their PDSA cycles,
-- measures and dated data points whose every correction and deletion is kept as a revision.
-- No patient's data is held here (free text with a personal number is refused by the API).

CREATE TABLE training_cohorts (
    id TEXT PRIMARY KEY,
    programme TEXT NOT NULL,
    name TEXT NOT NULL,
    min_sessions_attended INTEGER NOT NULL,
    project_presentation_required BOOLEAN NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE training_sessions (
    id TEXT PRIMARY KEY,
    cohort_id TEXT NOT NULL REFERENCES training_cohorts (id),
    held_on DATE NOT NULL,
    topic TEXT NOT NULL
);
CREATE INDEX training_sessions_cohort ON training_sessions (cohort_id, held_on, id);

CREATE TABLE improvement_projects (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    problem TEXT,
    aim_what TEXT NOT NULL,
    aim_how_much TEXT NOT NULL,
    aim_by_when DATE NOT NULL,
    what_matters TEXT,
    coach_id TEXT REFERENCES staff (id),
    status TEXT NOT NULL,
    start_on DATE,
    end_on DATE,
    -- A JSON array of strings, in the team's order.
    change_ideas TEXT NOT NULL,
    created_by TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX improvement_projects_status ON improvement_projects (status, id);
CREATE INDEX improvement_projects_coach ON improvement_projects (coach_id, id);

-- The sets a project or a coach profile names: relation `project_unit`, `project_municipality`,
-- `project_member`, `coach_unit`, `coach_municipality`; target a care unit or staff id or a
-- municipality code. The API checks that each target exists when it is written.
CREATE TABLE improvement_links (
    owner_id TEXT NOT NULL,
    relation TEXT NOT NULL,
    target TEXT NOT NULL,
    PRIMARY KEY (owner_id, relation, target)
);
CREATE INDEX improvement_links_target ON improvement_links (relation, target, owner_id);

CREATE TABLE cohort_enrolments (
    cohort_id TEXT NOT NULL REFERENCES training_cohorts (id),
    staff_id TEXT NOT NULL REFERENCES staff (id),
    presented_project_id TEXT REFERENCES improvement_projects (id),
    enrolled_at TIMESTAMP NOT NULL,
    PRIMARY KEY (cohort_id, staff_id)
);

-- One row per enrolled staff member who attended a session.
CREATE TABLE session_attendance (
    session_id TEXT NOT NULL REFERENCES training_sessions (id),
    staff_id TEXT NOT NULL REFERENCES staff (id),
    PRIMARY KEY (session_id, staff_id)
);

CREATE TABLE coaches (
    staff_id TEXT PRIMARY KEY REFERENCES staff (id),
    cohort_id TEXT REFERENCES training_cohorts (id),
    certified_on DATE,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE pdsa_cycles (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES improvement_projects (id),
    title TEXT NOT NULL,
    plan TEXT NOT NULL,
    prediction TEXT NOT NULL,
    do_notes TEXT,
    study TEXT,
    act TEXT,
    starts_on DATE NOT NULL,
    ends_on DATE,
    change_point_on DATE,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX pdsa_cycles_project ON pdsa_cycles (project_id, starts_on, id);

CREATE TABLE measures (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES improvement_projects (id),
    name TEXT NOT NULL,
    operational_definition TEXT NOT NULL,
    measure_type TEXT NOT NULL,
    unit_of_measure TEXT NOT NULL,
    value_kind TEXT NOT NULL,
    rate_multiplier DOUBLE PRECISION NOT NULL,
    direction TEXT NOT NULL,
    target DOUBLE PRECISION,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX measures_project ON measures (project_id, id);

-- A data point as it stands now; a deleted one stays (deleted = true) with its revisions.
CREATE TABLE measure_data_points (
    id TEXT PRIMARY KEY,
    measure_id TEXT NOT NULL REFERENCES measures (id),
    period DATE NOT NULL,
    value DOUBLE PRECISION,
    numerator DOUBLE PRECISION,
    denominator DOUBLE PRECISION,
    annotation TEXT,
    deleted BOOLEAN NOT NULL,
    version BIGINT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);
-- One standing data point per measure and period.
CREATE UNIQUE INDEX measure_data_points_period ON measure_data_points (measure_id, period)
    WHERE NOT deleted;
CREATE INDEX measure_data_points_series ON measure_data_points (measure_id, period, id);

-- Every state a data point has had: added, then each correction or deletion with its reason.
CREATE TABLE data_point_revisions (
    data_point_id TEXT NOT NULL REFERENCES measure_data_points (id),
    version BIGINT NOT NULL,
    kind TEXT NOT NULL,
    period DATE NOT NULL,
    value DOUBLE PRECISION,
    numerator DOUBLE PRECISION,
    denominator DOUBLE PRECISION,
    annotation TEXT,
    reason TEXT,
    recorded_by TEXT NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (data_point_id, version)
);
