//! Work lists (issue 16): what a unit's caseload shows of each person it cares for. Who is
//! listed at all, and what the caller may see of her, is decided by [`crate::access`]
//! ([`crate::access::worklist_unit`], [`crate::access::decide`]); this module only reads the
//! record the decision let through.

use chrono::NaiveDate;
use uuid::Uuid;

use crate::access::Grant;
use crate::plan::CarePlan;
use crate::record::{CareRelationship, Consent, Person};

/// One person of a unit's caseload, as the caller may see her.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseloadEntry<'a> {
    /// Her age in whole years on the day asked about.
    /// Whole years; `None` when her birth date is unknown (reservnummer) or too incomplete to
    /// decide it (samordningsnummer with month `00` or day `60`).
    pub age: Option<u32>,
    /// The unit's care relationships in force with her (its roles in her care and since when),
    /// earliest first.
    pub roles: Vec<&'a CareRelationship>,
    /// The earliest follow-up date of her plans the caller may see.
    pub next_follow_up: Option<NaiveDate>,
    /// Whether her address, phone and e-mail may be shown (not under protected identity,
    /// [`Grant::may_see_contact_details`]).
    pub show_contact_details: bool,
}

/// What the caseload of `unit` shows of her on `today`, under `grant`: her age, the unit's
/// roles in her care, the next follow-up of the plans she shares with the caller
/// ([`CarePlan::visible_under`]) and whether her contact details may be shown.
pub fn caseload_entry<'a>(
    unit: Uuid,
    person: &Person,
    relationships: &'a [CareRelationship],
    consents: &[Consent],
    her_plans: &[CarePlan],
    grant: &Grant,
    today: NaiveDate,
) -> CaseloadEntry<'a> {
    let mut roles: Vec<&CareRelationship> = relationships
        .iter()
        .filter(|r| r.is_active() && r.care_unit_id == unit && r.person_id == person.id)
        .collect();
    roles.sort_by_key(|r| (r.started_at, r.id));
    let next_follow_up = her_plans
        .iter()
        .filter(|plan| plan.person_id == person.id && plan.visible_under(grant, consents, today))
        .map(|plan| plan.current.content.follow_up_date)
        .min();
    CaseloadEntry {
        age: person
            .personal_number
            .birth()
            .and_then(|birth| birth.age_on(today)),
        roles,
        next_follow_up,
        show_contact_details: grant.may_see_contact_details(person),
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::access::{AccessFacts, Viewer, decide};
    use crate::record::RelationshipRole;
    use crate::{Role, fixtures};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn age_counts_whole_years_leap_day_births_included() {
        use crate::personal_number::BirthDate;
        let age_on = |born: NaiveDate, on: NaiveDate| BirthDate::Day(born).age_on(on);
        let born = day(1930, 6, 15);
        assert_eq!(age_on(born, day(2026, 6, 14)), Some(95));
        assert_eq!(age_on(born, day(2026, 6, 15)), Some(96));
        let leap = day(1932, 2, 29);
        assert_eq!(age_on(leap, day(2026, 2, 28)), Some(93));
        assert_eq!(age_on(leap, day(2026, 3, 1)), Some(94));
        // Born in June 1930, day unknown: 96 only once the whole month has passed.
        let june = BirthDate::Month {
            year: 1930,
            month: 6,
        };
        assert_eq!(june.age_on(day(2026, 6, 14)), None);
        assert_eq!(june.age_on(day(2026, 7, 1)), Some(96));
    }

    #[test]
    fn an_entry_shows_the_units_roles_in_force_and_withholds_protected_contact_details() {
        let unit = Uuid::from_u128(10);
        let other_unit = Uuid::from_u128(20);
        let mut person = fixtures::person();
        let at = |d| {
            Utc.with_ymd_and_hms(2026, 1, d, 8, 0, 0)
                .single()
                .unwrap_or_default()
        };
        let relationship = |id, care_unit_id, role, started_at, ended| CareRelationship {
            id: Uuid::from_u128(id),
            person_id: person.id,
            care_unit_id,
            organization_id: Uuid::from_u128(1),
            staff_id: None,
            role,
            started_by: "x".into(),
            started_by_unit: None,
            started_at,
            ended_by: None,
            ended_by_unit: None,
            ended_at: ended,
        };
        let relationships = vec![
            relationship(3, unit, RelationshipRole::HomeCareContact, at(5), None),
            relationship(4, unit, RelationshipRole::FastVardkontakt, at(2), None),
            relationship(5, unit, RelationshipRole::Other, at(1), Some(at(3))),
            relationship(6, other_unit, RelationshipRole::Other, at(1), None),
        ];
        let viewer = Viewer {
            roles: &[Role::Clinician],
            unit: Some(unit),
            organization: None,
            person: None,
        };
        let facts = AccessFacts {
            person_id: person.id,
            relationships: &relationships,
            emergency_access: false,
            consents: &[],
            blocks: &[],
            today: day(2026, 2, 1),
        };
        let Some(grant) = decide(&viewer, &facts) else {
            panic!("the unit cares for her");
        };
        let entry_of = |person: &Person| {
            let entry = caseload_entry(
                unit,
                person,
                &relationships,
                &[],
                &[],
                &grant,
                day(2026, 2, 1),
            );
            (
                entry.roles.len(),
                entry.show_contact_details,
                entry.next_follow_up,
            )
        };
        let entry = caseload_entry(
            unit,
            &person,
            &relationships,
            &[],
            &[],
            &grant,
            day(2026, 2, 1),
        );
        let roles: Vec<RelationshipRole> = entry.roles.iter().map(|r| r.role).collect();
        assert_eq!(
            roles,
            [
                RelationshipRole::FastVardkontakt,
                RelationshipRole::HomeCareContact
            ]
        );
        assert_eq!(entry_of(&person), (2, true, None));
        person.protected_identity = true;
        assert_eq!(entry_of(&person), (2, false, None), "protected identity");
    }
}
