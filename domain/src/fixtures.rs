//! Test records shared by the domain's unit tests.

use chrono::{DateTime, TimeZone, Utc};
use uuid::Uuid;

use crate::record::{Actor, CareRelationship, RelationshipRole};
use crate::{
    CareUnit, CareUnitKind, DisplayName, HsaId, MunicipalityCode, NewCareUnit, NewOrganization,
    NewStaffMember, Organization, OrganizationKind, Profession, StaffMember,
};

pub fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0)
        .single()
        .unwrap_or_default()
}

fn name(text: &str) -> DisplayName {
    DisplayName::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

fn hsa_id() -> HsaId {
    HsaId::parse("SE2321000057-1003").unwrap_or_else(|e| panic!("{e}"))
}

fn nassjo() -> MunicipalityCode {
    MunicipalityCode::parse("0682").unwrap_or_else(|e| panic!("{e}"))
}

/// An active organization of `kind`.
pub fn organization(id: u128, kind: OrganizationKind) -> Organization {
    NewOrganization {
        name: name("Organisation"),
        kind,
        hsa_id: hsa_id(),
        municipality: Some(nassjo()),
    }
    .into_record(Uuid::from_u128(id), at())
    .unwrap_or_else(|e| panic!("{e}"))
}

/// An active care unit of organization `org`.
pub fn unit(id: u128, org: u128) -> CareUnit {
    NewCareUnit {
        name: name("Enhet"),
        kind: CareUnitKind::HomeCareService,
        organization_id: Uuid::from_u128(org),
        municipality: nassjo(),
        hsa_id: hsa_id(),
    }
    .into_record(Uuid::from_u128(id), at())
}

/// An active staff member at care unit `unit`.
pub fn staff(id: u128, unit: u128) -> StaffMember {
    NewStaffMember {
        name: name("Sköterska"),
        profession: Profession::RegisteredNurse,
        care_unit_id: Uuid::from_u128(unit),
        hsa_id: hsa_id(),
    }
    .into_record(Uuid::from_u128(id), at())
}

/// `unit`'s care relationship with `person` in `role`, ended when `ended`.
pub fn relationship(
    person: Uuid,
    unit: &CareUnit,
    role: RelationshipRole,
    ended: bool,
) -> CareRelationship {
    let started = CareRelationship::start(
        Uuid::now_v7(),
        person,
        unit,
        None,
        role,
        Actor::without_unit("x"),
        at(),
    );
    if ended {
        started.ended(Actor::without_unit("x"), at())
    } else {
        started
    }
}

/// Esther, 19121212-1212, registered in Nässjö, no protected identity.
pub fn person() -> crate::record::Person {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
    crate::registration::Registration {
        personal_number: crate::PersonalNumber::parse("19121212-1212", today)
            .unwrap_or_else(|e| panic!("{e}")),
        given_name: name("Esther"),
        family_name: name("Andersson"),
        municipality: Some(nassjo()),
        protected_identity: false,
        contact: crate::record::ContactDetails::default(),
        role: RelationshipRole::Other,
    }
    .into_record(
        Uuid::from_u128(0xE5),
        crate::record::Recorder {
            subject: "registrar".into(),
            unit_id: None,
            organization_id: None,
        },
        at(),
    )
}
