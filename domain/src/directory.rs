//! The care network's directory: organizations, their care units, and staff.
//!
//! Records are never deleted; deactivating one keeps it for history and references.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{DisplayName, HsaId, InvalidValue, MunicipalityCode};

crate::string_enum! {
    /// Who runs an organization.
    pub enum OrganizationKind {
        /// A region (landsting): hospitals, primary care, specialist care.
        Region => "region",
        /// A municipality (kommun): home care, home health care, residential homes.
        Municipality => "municipality",
        /// A private care provider under agreement.
        PrivateProvider => "private_provider",
    }
}

crate::string_enum! {
    /// What a care unit does.
    pub enum CareUnitKind {
        /// Hospital inpatient ward (vårdavdelning).
        HospitalWard => "hospital_ward",
        /// Primary care centre (vårdcentral).
        PrimaryCareCentre => "primary_care_centre",
        /// Municipal home health care (hemsjukvård).
        HomeHealthCare => "home_health_care",
        /// Municipal home care service (hemtjänst).
        HomeCareService => "home_care_service",
        /// Residential care home (särskilt boende).
        ResidentialHome => "residential_home",
        /// Specialist outpatient clinic (specialistmottagning).
        SpecialistClinic => "specialist_clinic",
        /// Psychiatric care (psykiatri).
        Psychiatry => "psychiatry",
    }
}

crate::string_enum! {
    /// A staff member's profession.
    pub enum Profession {
        /// Läkare.
        Physician => "physician",
        /// Sjuksköterska.
        RegisteredNurse => "registered_nurse",
        /// Undersköterska.
        AssistantNurse => "assistant_nurse",
        /// Arbetsterapeut.
        OccupationalTherapist => "occupational_therapist",
        /// Fysioterapeut.
        Physiotherapist => "physiotherapist",
        /// Kurator / socialsekreterare.
        SocialWorker => "social_worker",
        /// Biståndshandläggare: assesses needs for municipal care.
        NeedsAssessor => "needs_assessor",
        /// Dietist.
        Dietitian => "dietitian",
        /// Farmaceut.
        Pharmacist => "pharmacist",
        /// Vårdbiträde / omsorgspersonal.
        CareAssistant => "care_assistant",
        /// Any other profession.
        Other => "other",
    }
}

/// A care giver: the region, a municipality or a private provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organization {
    pub id: Uuid,
    pub name: DisplayName,
    pub kind: OrganizationKind,
    pub hsa_id: HsaId,
    pub municipality: Option<MunicipalityCode>,
    pub active: bool,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What it takes to register an organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrganization {
    pub name: DisplayName,
    pub kind: OrganizationKind,
    pub hsa_id: HsaId,
    pub municipality: Option<MunicipalityCode>,
}

/// A partial update of an organization; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrganizationChanges {
    pub name: Option<DisplayName>,
    pub kind: Option<OrganizationKind>,
    pub hsa_id: Option<HsaId>,
    /// `Some(None)` clears the municipality.
    pub municipality: Option<Option<MunicipalityCode>>,
    pub active: Option<bool>,
}

/// A municipality as an organization must say which municipality it is.
fn check_organization_municipality(
    kind: OrganizationKind,
    municipality: Option<MunicipalityCode>,
) -> Result<(), InvalidValue> {
    if kind == OrganizationKind::Municipality && municipality.is_none() {
        return Err(InvalidValue::for_field(
            "municipality",
            "an organization of kind `municipality` must name its municipality code",
        ));
    }
    Ok(())
}

impl NewOrganization {
    /// Builds the stored record, checking the rules that span fields.
    pub fn into_record(self, id: Uuid, now: DateTime<Utc>) -> Result<Organization, InvalidValue> {
        check_organization_municipality(self.kind, self.municipality)?;
        Ok(Organization {
            id,
            name: self.name,
            kind: self.kind,
            hsa_id: self.hsa_id,
            municipality: self.municipality,
            active: true,
            version: 1,
            created_at: now,
            updated_at: now,
        })
    }
}

impl Organization {
    /// The organization after `changes`, checking the rules that span fields.
    pub fn apply(mut self, changes: OrganizationChanges) -> Result<Self, InvalidValue> {
        if let Some(name) = changes.name {
            self.name = name;
        }
        if let Some(kind) = changes.kind {
            self.kind = kind;
        }
        if let Some(hsa_id) = changes.hsa_id {
            self.hsa_id = hsa_id;
        }
        if let Some(municipality) = changes.municipality {
            self.municipality = municipality;
        }
        if let Some(active) = changes.active {
            self.active = active;
        }
        check_organization_municipality(self.kind, self.municipality)?;
        Ok(self)
    }
}

/// A care unit (vårdenhet) of an organization: a ward, a vårdcentral, a home care group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CareUnit {
    pub id: Uuid,
    pub name: DisplayName,
    pub kind: CareUnitKind,
    pub organization_id: Uuid,
    pub municipality: MunicipalityCode,
    pub hsa_id: HsaId,
    pub active: bool,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What it takes to register a care unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCareUnit {
    pub name: DisplayName,
    pub kind: CareUnitKind,
    pub organization_id: Uuid,
    pub municipality: MunicipalityCode,
    pub hsa_id: HsaId,
}

/// A partial update of a care unit; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CareUnitChanges {
    pub name: Option<DisplayName>,
    pub kind: Option<CareUnitKind>,
    pub organization_id: Option<Uuid>,
    pub municipality: Option<MunicipalityCode>,
    pub hsa_id: Option<HsaId>,
    pub active: Option<bool>,
}

impl NewCareUnit {
    pub fn into_record(self, id: Uuid, now: DateTime<Utc>) -> CareUnit {
        CareUnit {
            id,
            name: self.name,
            kind: self.kind,
            organization_id: self.organization_id,
            municipality: self.municipality,
            hsa_id: self.hsa_id,
            active: true,
            version: 1,
            created_at: now,
            updated_at: now,
        }
    }
}

impl CareUnit {
    pub fn apply(mut self, changes: CareUnitChanges) -> Self {
        if let Some(name) = changes.name {
            self.name = name;
        }
        if let Some(kind) = changes.kind {
            self.kind = kind;
        }
        if let Some(organization_id) = changes.organization_id {
            self.organization_id = organization_id;
        }
        if let Some(municipality) = changes.municipality {
            self.municipality = municipality;
        }
        if let Some(hsa_id) = changes.hsa_id {
            self.hsa_id = hsa_id;
        }
        if let Some(active) = changes.active {
            self.active = active;
        }
        self
    }
}

/// A staff member working at a care unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMember {
    pub id: Uuid,
    pub name: DisplayName,
    pub profession: Profession,
    pub care_unit_id: Uuid,
    pub hsa_id: HsaId,
    pub active: bool,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What it takes to register a staff member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStaffMember {
    pub name: DisplayName,
    pub profession: Profession,
    pub care_unit_id: Uuid,
    pub hsa_id: HsaId,
}

/// A partial update of a staff member; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StaffChanges {
    pub name: Option<DisplayName>,
    pub profession: Option<Profession>,
    pub care_unit_id: Option<Uuid>,
    pub hsa_id: Option<HsaId>,
    pub active: Option<bool>,
}

impl NewStaffMember {
    pub fn into_record(self, id: Uuid, now: DateTime<Utc>) -> StaffMember {
        StaffMember {
            id,
            name: self.name,
            profession: self.profession,
            care_unit_id: self.care_unit_id,
            hsa_id: self.hsa_id,
            active: true,
            version: 1,
            created_at: now,
            updated_at: now,
        }
    }
}

impl StaffMember {
    pub fn apply(mut self, changes: StaffChanges) -> Self {
        if let Some(name) = changes.name {
            self.name = name;
        }
        if let Some(profession) = changes.profession {
            self.profession = profession;
        }
        if let Some(care_unit_id) = changes.care_unit_id {
            self.care_unit_id = care_unit_id;
        }
        if let Some(hsa_id) = changes.hsa_id {
            self.hsa_id = hsa_id;
        }
        if let Some(active) = changes.active {
            self.active = active;
        }
        self
    }
}

/// A directory record that other records refer to by id.
pub trait Referenced {
    /// What the record is called in messages: `organization`, `care unit`.
    const NOUN: &'static str;
    fn is_active(&self) -> bool;
}

impl Referenced for Organization {
    const NOUN: &'static str = "organization";
    fn is_active(&self) -> bool {
        self.active
    }
}

impl Referenced for CareUnit {
    const NOUN: &'static str = "care unit";
    fn is_active(&self) -> bool {
        self.active
    }
}

impl Referenced for StaffMember {
    const NOUN: &'static str = "staff member";
    fn is_active(&self) -> bool {
        self.active
    }
}

impl<T: Referenced> Referenced for &T {
    const NOUN: &'static str = T::NOUN;
    fn is_active(&self) -> bool {
        (*self).is_active()
    }
}

/// A reference to `id` holds when the record (`found`, looked up by that id) exists and is
/// active: new references to deactivated records are refused.
pub fn active_reference<T: Referenced>(id: Uuid, found: Option<T>) -> Result<T, InvalidValue> {
    match found {
        Some(record) if record.is_active() => Ok(record),
        Some(_) => Err(InvalidValue::new(format!(
            "{} {id} is deactivated",
            T::NOUN
        ))),
        None => Err(InvalidValue::new(format!("no {} has id {id}", T::NOUN))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn municipality_org(municipality: Option<MunicipalityCode>) -> NewOrganization {
        NewOrganization {
            name: DisplayName::parse("Nässjö kommun").unwrap_or_else(|e| panic!("{e}")),
            kind: OrganizationKind::Municipality,
            hsa_id: HsaId::parse("SE2120000522-0001").unwrap_or_else(|e| panic!("{e}")),
            municipality,
        }
    }

    #[test]
    fn a_municipality_organization_names_its_municipality() {
        let err = municipality_org(None).into_record(Uuid::now_v7(), Utc::now());
        assert_eq!(err.map_err(|e| e.field), Err(Some("municipality")));
        let nassjo = MunicipalityCode::parse("0682").ok();
        let org = municipality_org(nassjo).into_record(Uuid::now_v7(), Utc::now());
        assert!(org.is_ok());
    }

    #[test]
    fn changes_keep_the_rule() {
        let org = municipality_org(MunicipalityCode::parse("0682").ok())
            .into_record(Uuid::now_v7(), Utc::now())
            .unwrap_or_else(|e| panic!("{e}"));
        let cleared = org.clone().apply(OrganizationChanges {
            municipality: Some(None),
            ..Default::default()
        });
        assert!(cleared.is_err());
        let as_provider = org.apply(OrganizationChanges {
            municipality: Some(None),
            kind: Some(OrganizationKind::PrivateProvider),
            ..Default::default()
        });
        assert_eq!(as_provider.map(|o| o.municipality), Ok(None));
    }

    #[test]
    fn kinds_round_trip_through_text() {
        for kind in CareUnitKind::ALL {
            assert_eq!(CareUnitKind::parse(kind.as_str()), Ok(*kind));
        }
        let err = CareUnitKind::parse("ward").map_err(|e| e.message);
        assert!(err.is_err_and(|m| m.contains("hospital_ward")));
    }

    #[test]
    fn a_reference_needs_an_active_record() {
        let org = municipality_org(MunicipalityCode::parse("0682").ok())
            .into_record(Uuid::from_u128(7), Utc::now());
        let id = Uuid::from_u128(7);
        let message =
            |found: Option<&Organization>| active_reference(id, found).err().map(|e| e.message);
        assert!(org.as_ref().is_ok_and(|o| message(Some(o)).is_none()));
        assert_eq!(
            message(None).as_deref(),
            Some("no organization has id 00000000-0000-0000-0000-000000000007")
        );
        let deactivated = org.map(|o| Organization { active: false, ..o });
        assert!(
            deactivated.is_ok_and(
                |o| message(Some(&o)) == Some(format!("organization {id} is deactivated"))
            )
        );
    }
}
