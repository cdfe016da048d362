-- A message sent to the wrong unit can be retracted for that unit, with a reason.
ALTER TABLE case_message_recipients ADD COLUMN retract_reason TEXT;
