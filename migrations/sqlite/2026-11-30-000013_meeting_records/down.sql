-- Undoes the meetings' agenda, minutes, decisions, action items and café records.
DROP TABLE meeting_proposals;
DROP TABLE meeting_lessons;
DROP TABLE meeting_stories;
DROP TABLE action_items;
DROP TABLE meeting_decisions;
DROP TABLE meeting_minutes_versions;
DROP TABLE meeting_minutes;
DROP TABLE meeting_agenda_items;
