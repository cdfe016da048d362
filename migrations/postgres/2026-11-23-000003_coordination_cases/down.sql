DROP TABLE case_message_recipients;
DROP TABLE case_messages;
DROP TABLE coordination_cases;
