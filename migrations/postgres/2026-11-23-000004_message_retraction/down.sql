ALTER TABLE case_message_recipients DROP COLUMN retract_reason;
