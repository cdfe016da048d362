DROP INDEX case_message_recipients_unit_message;
DROP INDEX coordination_cases_ward_admitted;
DROP INDEX coordination_cases_admitted;
DROP INDEX persons_family_given;
DROP INDEX care_plans_follow_up;
ALTER TABLE care_plans DROP COLUMN responsible_organization_id;
ALTER TABLE care_plans DROP COLUMN follow_up_date;
