-- Work lists (issue 16): a unit's caseload in name order, coordination cases by admission,
-- plans by follow-up date. A plan's follow-up date and overall responsible organization are
-- copied from its current version's content onto the plan row (written together by
-- persistence/src/plans.rs), so the follow-up list filters and pages on indexed columns.

ALTER TABLE care_plans
    ADD COLUMN follow_up_date DATE,
    ADD COLUMN responsible_organization_id TEXT COLLATE "C" REFERENCES organizations (id);
UPDATE care_plans SET
    follow_up_date = (v.content::json ->> 'follow_up_date')::date,
    responsible_organization_id = v.content::json ->> 'overall_responsible_organization_id'
FROM care_plan_versions v
WHERE v.plan_id = care_plans.id AND v.version = care_plans.version;
CREATE INDEX care_plans_follow_up ON care_plans (follow_up_date, id);

-- The caseload walks persons in name order and keeps those the unit cares for
-- (care_relationships_unit answers that per person).
CREATE INDEX persons_family_given ON persons (family_name, given_name, id);

CREATE INDEX coordination_cases_admitted ON coordination_cases (admitted_at, id);
CREATE INDEX coordination_cases_ward_admitted
    ON coordination_cases (hospital_unit_id, admitted_at, id);
CREATE INDEX case_message_recipients_unit_message
    ON case_message_recipients (unit_id, message_id);
