-- Undoes the case care relationship links.
DROP TABLE case_care_relationships;
