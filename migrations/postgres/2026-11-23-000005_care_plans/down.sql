-- Undoes the care plan tables.
DROP TABLE care_plan_versions;
DROP TABLE care_plans;
