//! Who joins her care team: starting a care relationship between her and a unit (and
//! optionally one of its staff), and in which role.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::directory::active_reference;
use crate::record::{Actor, CareRelationship, RelationshipRole};
use crate::{CareUnit, InvalidValue, Role, StaffMember};

/// A request to bring a unit (and optionally one of its staff) into her care in a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewCareRelationship {
    pub care_unit_id: Uuid,
    pub staff_id: Option<Uuid>,
    pub role: RelationshipRole,
}

/// What is known when a relationship is asked for: who asks, the unit and staff member as
/// found by the request's ids (absent when there is none), and her relationships so far.
#[derive(Debug, Clone, Copy)]
pub struct StartFacts<'a> {
    pub roles: &'a [Role],
    pub unit: Option<&'a CareUnit>,
    pub staff: Option<&'a StaffMember>,
    pub person_id: Uuid,
    pub relationships: &'a [CareRelationship],
}

/// Why a relationship may not start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartRefused {
    /// Only staff (care roles and integrations) bring a unit into her care.
    NotStaff,
    /// The unit or staff member named is not one that can take part (`field` says which).
    Invalid(InvalidValue),
    /// The unit already has an active relationship with her in that role.
    AlreadyActive {
        care_unit_id: Uuid,
        role: RelationshipRole,
    },
}

impl std::fmt::Display for StartRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotStaff => f.write_str("care relationships are started by staff"),
            Self::Invalid(invalid) => f.write_str(&invalid.message),
            Self::AlreadyActive { care_unit_id, role } => write!(
                f,
                "care unit {care_unit_id} already has an active `{role}` relationship with her"
            ),
        }
    }
}

impl NewCareRelationship {
    /// The relationship, as started by `started_by` at `at`, when the rules
    /// allow it: the caller holds a staff role; the unit exists and is active; a staff member
    /// named is active and works at that unit; and the unit has no active relationship with
    /// her in the same role.
    pub fn start(
        self,
        facts: &StartFacts<'_>,
        id: Uuid,
        started_by: Actor<'_>,
        at: DateTime<Utc>,
    ) -> Result<CareRelationship, StartRefused> {
        if !facts.roles.iter().any(|r| r.is_staff()) {
            return Err(StartRefused::NotStaff);
        }
        let unit = active_reference(self.care_unit_id, facts.unit).map_err(|invalid| {
            StartRefused::Invalid(InvalidValue::for_field("care_unit_id", invalid.message))
        })?;
        if let Some(staff_id) = self.staff_id
            && !facts
                .staff
                .is_some_and(|m| m.id == staff_id && m.active && m.care_unit_id == unit.id)
        {
            return Err(StartRefused::Invalid(InvalidValue::for_field(
                "staff_id",
                format!("no active staff member {staff_id} at care unit {}", unit.id),
            )));
        }
        if facts.relationships.iter().any(|r| {
            r.is_active()
                && r.person_id == facts.person_id
                && r.care_unit_id == unit.id
                && r.role == self.role
        }) {
            return Err(StartRefused::AlreadyActive {
                care_unit_id: unit.id,
                role: self.role,
            });
        }
        Ok(CareRelationship::start(
            id,
            facts.person_id,
            unit,
            self.staff_id,
            self.role,
            started_by,
            at,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{at, relationship, staff, unit};

    const PERSON: Uuid = Uuid::from_u128(1);

    fn request(staff_id: Option<u128>, role: RelationshipRole) -> NewCareRelationship {
        NewCareRelationship {
            care_unit_id: Uuid::from_u128(30),
            staff_id: staff_id.map(Uuid::from_u128),
            role,
        }
    }

    fn start(
        request: NewCareRelationship,
        roles: &[Role],
        unit: Option<&CareUnit>,
        staff: Option<&StaffMember>,
        relationships: &[CareRelationship],
    ) -> Result<CareRelationship, StartRefused> {
        let facts = StartFacts {
            roles,
            unit,
            staff,
            person_id: PERSON,
            relationships,
        };
        request.start(
            &facts,
            Uuid::from_u128(99),
            Actor::without_unit("nurse"),
            at(),
        )
    }

    #[test]
    fn staff_start_a_relationship_of_an_active_unit() {
        let home_care = unit(30, 21);
        let nurse = staff(40, 30);
        let started = start(
            request(Some(40), RelationshipRole::HomeCareContact),
            &[Role::Integration],
            Some(&home_care),
            Some(&nurse),
            &[],
        );
        assert_eq!(
            started,
            Ok(CareRelationship::start(
                Uuid::from_u128(99),
                PERSON,
                &home_care,
                Some(Uuid::from_u128(40)),
                RelationshipRole::HomeCareContact,
                Actor::without_unit("nurse"),
                at()
            ))
        );
    }

    #[test]
    fn only_staff_start_relationships() {
        let home_care = unit(30, 21);
        for roles in [&[Role::Person][..], &[Role::Coach, Role::Analyst], &[]] {
            assert_eq!(
                start(
                    request(None, RelationshipRole::Other),
                    roles,
                    Some(&home_care),
                    None,
                    &[]
                ),
                Err(StartRefused::NotStaff)
            );
        }
        assert_eq!(
            start(
                request(None, RelationshipRole::Other),
                &[Role::Person],
                None,
                None,
                &[]
            ),
            Err(StartRefused::NotStaff),
            "refused before the unit is looked at"
        );
    }

    #[test]
    fn the_unit_and_staff_member_must_be_active_and_belong_together() {
        let field = |refused: Result<CareRelationship, StartRefused>| match refused {
            Err(StartRefused::Invalid(invalid)) => invalid.field,
            _ => None,
        };
        let clinician = &[Role::Clinician][..];
        let role = RelationshipRole::Other;
        assert_eq!(
            field(start(request(None, role), clinician, None, None, &[])),
            Some("care_unit_id")
        );
        let closed = CareUnit {
            active: false,
            ..unit(30, 21)
        };
        assert_eq!(
            field(start(
                request(None, role),
                clinician,
                Some(&closed),
                None,
                &[]
            )),
            Some("care_unit_id")
        );
        let home_care = unit(30, 21);
        let elsewhere = staff(40, 31);
        let left = StaffMember {
            active: false,
            ..staff(40, 30)
        };
        for member in [None, Some(&elsewhere), Some(&left)] {
            assert_eq!(
                field(start(
                    request(Some(40), role),
                    clinician,
                    Some(&home_care),
                    member,
                    &[]
                )),
                Some("staff_id")
            );
        }
    }

    #[test]
    fn a_unit_holds_a_role_once_at_a_time() {
        let home_care = unit(30, 21);
        let role = RelationshipRole::HomeCareContact;
        let start_in = |role, existing: &[CareRelationship]| {
            start(
                request(None, role),
                &[Role::Coordinator],
                Some(&home_care),
                None,
                existing,
            )
        };
        let active = [relationship(PERSON, &home_care, role, false)];
        assert_eq!(
            start_in(role, &active),
            Err(StartRefused::AlreadyActive {
                care_unit_id: home_care.id,
                role
            })
        );
        assert!(start_in(RelationshipRole::HomeHealthNurse, &active).is_ok());
        let ended = [relationship(PERSON, &home_care, role, true)];
        assert!(start_in(role, &ended).is_ok());
        let someone_else = [relationship(Uuid::from_u128(2), &home_care, role, false)];
        assert!(start_in(role, &someone_else).is_ok());
    }
}
