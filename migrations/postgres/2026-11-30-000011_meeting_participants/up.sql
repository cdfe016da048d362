-- Who takes part in a network meeting: a staff member, a whole care unit or organization, or a
-- patient or relative representative (a name and a role, no personnummer; her name is never
-- shown without her consent to be named). Each answers the invitation and, once the meeting
-- is held, is recorded as attended or absent. No registered person's data is held here.

CREATE TABLE meeting_participants (
    id TEXT COLLATE "C" PRIMARY KEY,
    meeting_id TEXT COLLATE "C" NOT NULL REFERENCES meetings (id),
    kind TEXT NOT NULL,
    staff_id TEXT COLLATE "C" REFERENCES staff (id),
    care_unit_id TEXT COLLATE "C" REFERENCES care_units (id),
    organization_id TEXT COLLATE "C" REFERENCES organizations (id),
    representative_name TEXT,
    representative_role TEXT,
    consent_to_be_named BOOLEAN,
    response TEXT NOT NULL,
    attendance TEXT,
    invited_by TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK ((kind = 'staff') = (staff_id IS NOT NULL)),
    CHECK ((kind = 'care_unit') = (care_unit_id IS NOT NULL)),
    CHECK ((kind = 'organization') = (organization_id IS NOT NULL)),
    CHECK ((kind = 'representative') = (representative_name IS NOT NULL))
);
-- A meeting's participants in invitation order (UUID v7 ids).
CREATE INDEX meeting_participants_meeting ON meeting_participants (meeting_id, id);
-- The same staff member, unit or organization is invited once per meeting (NULLs differ).
CREATE UNIQUE INDEX meeting_participants_staff ON meeting_participants (meeting_id, staff_id);
CREATE UNIQUE INDEX meeting_participants_unit ON meeting_participants (meeting_id, care_unit_id);
CREATE UNIQUE INDEX meeting_participants_organization
    ON meeting_participants (meeting_id, organization_id);

-- Whether Esther or someone speaking for her took part: NULL until the meeting is held, then
-- computed from attendance by domain::meeting::participant::esther_present.
ALTER TABLE meetings ADD COLUMN esther_present BOOLEAN;
CREATE INDEX meetings_esther_present_start ON meetings (esther_present, starts_at, id);
-- A staff member's meetings (`?participant=`): invited herself, or through her unit or organization.
CREATE INDEX meeting_participants_by_staff ON meeting_participants (staff_id);
CREATE INDEX meeting_participants_by_unit ON meeting_participants (care_unit_id);
CREATE INDEX meeting_participants_by_organization ON meeting_participants (organization_id);
