-- A representative's name is kept only while she consents to be named (GDPR art. 6.1 a, 7.3):
-- names given at invitations without that consent were stored but never shown; erase them.
-- The table's CHECK wants a representative's `representative_name` not NULL, so a name not
-- kept is the empty string (persistence::meeting_participants reads a name only under consent).
UPDATE meeting_participants
SET representative_name = ''
WHERE kind = 'representative' AND consent_to_be_named = FALSE;
