DROP TABLE calendar_feeds;
DROP TABLE meeting_occurrences;
DROP TABLE meeting_series;
