-- Case conferences about a registered person (issue 12, "Personal data"). A meeting of kind
-- `case_conference` may name the person it is about (`person_id`); it then follows her
-- record's access rules, and its entry in her record is the scheduling unit's and
-- organization's (`recorded_by_unit_id`, `recorded_by_organization_id`): blocks and consent
-- apply to it as to any entry that unit recorded. The person herself may be invited
-- (`meeting_participants.kind = 'person'`, only the meeting's own person). Both are read per
-- request after the access decision, never from the record snapshot (no stamp triggers).

ALTER TABLE meetings ADD COLUMN person_id TEXT COLLATE "C" REFERENCES persons (id);
ALTER TABLE meetings ADD COLUMN recorded_by_unit_id TEXT COLLATE "C";
ALTER TABLE meetings ADD COLUMN recorded_by_organization_id TEXT COLLATE "C";
-- Her case conferences, and the lists that leave out the meetings of persons not visible.
CREATE INDEX meetings_person ON meetings (person_id);

ALTER TABLE meeting_participants ADD COLUMN person_id TEXT COLLATE "C" REFERENCES persons (id);
-- Esther is invited once to a conference about her (NULLs differ); her own list.
CREATE UNIQUE INDEX meeting_participants_person ON meeting_participants (meeting_id, person_id);
CREATE INDEX meeting_participants_by_person ON meeting_participants (person_id);
ALTER TABLE meeting_participants
    ADD CONSTRAINT meeting_participants_person_kind CHECK ((kind = 'person') = (person_id IS NOT NULL));
