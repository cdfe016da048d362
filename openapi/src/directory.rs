//! Wire types of the directory: municipalities, organizations, care units and staff.

use chrono::{DateTime, Utc};
use domain::{
    CareUnitChanges, DisplayName, HsaId, MunicipalityCode, NewCareUnit, NewOrganization,
    NewStaffMember, OrganizationChanges, StaffChanges,
};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::wire_enum::wire_enum;
use crate::{FieldErrors, ValidationFailed};

wire_enum! {
    /// Who runs an organization.
    OrganizationKind => OrganizationKind { Region, Municipality, PrivateProvider }
}

wire_enum! {
    /// What a care unit does: hospital ward, primary care centre (vårdcentral), home health
    /// care (hemsjukvård), home care service (hemtjänst), residential home, specialist clinic,
    /// psychiatry.
    CareUnitKind => CareUnitKind {
        HospitalWard, PrimaryCareCentre, HomeHealthCare, HomeCareService, ResidentialHome,
        SpecialistClinic, Psychiatry,
    }
}

wire_enum! {
    /// A staff member's profession.
    Profession => Profession {
        Physician, RegisteredNurse, AssistantNurse, OccupationalTherapist, Physiotherapist,
        SocialWorker, NeedsAssessor, Dietitian, Pharmacist, CareAssistant, Other,
    }
}

/// Deserializes a field that may be absent (outer `None`), `null` (`Some(None)`) or a value.
pub(crate) fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// A municipality of Jönköping County.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MunicipalityResponse {
    /// Official four-digit municipality code (kommunkod).
    #[schema(example = "0682")]
    pub code: String,
    #[schema(
        example = "Nässjö",
        min_length = 1,
        max_length = 200,
        pattern = "<name>"
    )]
    pub name: String,
    /// One of the six Höglandet municipalities where the ESTHER network began.
    pub hoglandet: bool,
}

impl From<domain::Municipality> for MunicipalityResponse {
    fn from(m: domain::Municipality) -> Self {
        Self {
            code: m.code.to_owned(),
            name: m.name.to_owned(),
            hoglandet: m.hoglandet,
        }
    }
}

/// A care giver: the region, a municipality or a private provider.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrganizationResponse {
    pub id: Uuid,
    #[schema(
        example = "Region Jönköpings län",
        min_length = 1,
        max_length = 200,
        pattern = "<name>"
    )]
    pub name: String,
    pub kind: OrganizationKind,
    #[schema(
        example = "SE2321000057-0001",
        pattern = "^[Ss][Ee][0-9]{10}-[A-Za-z0-9]{1,18}$"
    )]
    pub hsa_id: String,
    /// Municipality code; always set for kind `municipality`.
    #[schema(example = "0682")]
    pub municipality: Option<String>,
    /// Deactivated records stay readable but are left out of lists by default.
    pub active: bool,
    /// Increases with every change; the `ETag` is this number in quotes.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<domain::Organization> for OrganizationResponse {
    fn from(org: domain::Organization) -> Self {
        Self {
            id: org.id,
            name: org.name.to_string(),
            kind: org.kind.into(),
            hsa_id: org.hsa_id.to_string(),
            municipality: org.municipality.map(|m| m.as_str().to_owned()),
            active: org.active,
            version: org.version,
            created_at: org.created_at,
            updated_at: org.updated_at,
        }
    }
}

/// Registers an organization.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOrganizationRequest {
    #[schema(
        example = "Nässjö kommun",
        min_length = 1,
        max_length = 200,
        pattern = "<name>"
    )]
    pub name: String,
    #[schema(value_type = OrganizationKind)]
    pub kind: String,
    #[schema(
        example = "SE2120000522-0001",
        pattern = "^[Ss][Ee][0-9]{10}-[A-Za-z0-9]{1,18}$"
    )]
    pub hsa_id: String,
    /// Municipality code; required for kind `municipality`.
    #[schema(
        example = "0682",
        pattern = "^06(04|17|42|43|62|65|80|82|83|84|85|86|87)$"
    )]
    pub municipality: Option<String>,
}

impl CreateOrganizationRequest {
    pub fn into_domain(self) -> Result<NewOrganization, ValidationFailed> {
        let mut errors = FieldErrors::default();
        let name = errors.check("name", DisplayName::parse(&self.name));
        let kind = errors.check("kind", domain::OrganizationKind::parse(&self.kind));
        let hsa_id = errors.check("hsa_id", HsaId::parse(&self.hsa_id));
        let municipality = errors.check_optional(
            "municipality",
            self.municipality.as_deref(),
            MunicipalityCode::parse,
        );
        let (Some(name), Some(kind), Some(hsa_id), Some(municipality)) =
            (name, kind, hsa_id, municipality)
        else {
            return Err(errors.into_failure());
        };
        Ok(NewOrganization {
            name,
            kind,
            hsa_id,
            municipality,
        })
    }
}

/// Changes an organization; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateOrganizationRequest {
    #[schema(min_length = 1, max_length = 200, pattern = "<name>")]
    pub name: Option<String>,
    #[schema(value_type = Option<OrganizationKind>)]
    pub kind: Option<String>,
    #[schema(pattern = "^[Ss][Ee][0-9]{10}-[A-Za-z0-9]{1,18}$")]
    pub hsa_id: Option<String>,
    /// A municipality code, or `null` to clear it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, pattern = "^06(04|17|42|43|62|65|80|82|83|84|85|86|87)$")]
    pub municipality: Option<Option<String>>,
    /// `false` deactivates the organization (there is no hard delete); `true` reactivates it.
    pub active: Option<bool>,
}

impl UpdateOrganizationRequest {
    pub fn into_domain(self) -> Result<OrganizationChanges, ValidationFailed> {
        let mut errors = FieldErrors::default();
        let name = errors.check_optional("name", self.name.as_deref(), DisplayName::parse);
        let kind = errors.check_optional(
            "kind",
            self.kind.as_deref(),
            domain::OrganizationKind::parse,
        );
        let hsa_id = errors.check_optional("hsa_id", self.hsa_id.as_deref(), HsaId::parse);
        let municipality = match self.municipality {
            None => Some(None),
            Some(None) => Some(Some(None)),
            Some(Some(code)) => errors
                .check("municipality", MunicipalityCode::parse(&code))
                .map(|m| Some(Some(m))),
        };
        let (Some(name), Some(kind), Some(hsa_id), Some(municipality)) =
            (name, kind, hsa_id, municipality)
        else {
            return Err(errors.into_failure());
        };
        Ok(OrganizationChanges {
            name,
            kind,
            hsa_id,
            municipality,
            active: self.active,
        })
    }
}

/// A care unit (vårdenhet) of an organization.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CareUnitResponse {
    pub id: Uuid,
    #[schema(
        example = "Medicinavdelning 2, Höglandssjukhuset",
        min_length = 1,
        max_length = 200,
        pattern = "<name>"
    )]
    pub name: String,
    pub kind: CareUnitKind,
    /// The organization that runs the unit.
    pub organization_id: Uuid,
    #[schema(example = "0686")]
    pub municipality: String,
    #[schema(
        example = "SE2321000057-4HJ1",
        pattern = "^[Ss][Ee][0-9]{10}-[A-Za-z0-9]{1,18}$"
    )]
    pub hsa_id: String,
    /// Deactivated records stay readable but are left out of lists by default.
    pub active: bool,
    /// Increases with every change; the `ETag` is this number in quotes.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<domain::CareUnit> for CareUnitResponse {
    fn from(unit: domain::CareUnit) -> Self {
        Self {
            id: unit.id,
            name: unit.name.to_string(),
            kind: unit.kind.into(),
            organization_id: unit.organization_id,
            municipality: unit.municipality.as_str().to_owned(),
            hsa_id: unit.hsa_id.to_string(),
            active: unit.active,
            version: unit.version,
            created_at: unit.created_at,
            updated_at: unit.updated_at,
        }
    }
}

/// Registers a care unit.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCareUnitRequest {
    #[schema(
        example = "Vårdcentralen Nässjö",
        min_length = 1,
        max_length = 200,
        pattern = "<name>"
    )]
    pub name: String,
    #[schema(value_type = CareUnitKind)]
    pub kind: String,
    /// An existing, active organization.
    pub organization_id: Uuid,
    #[schema(
        example = "0682",
        pattern = "^06(04|17|42|43|62|65|80|82|83|84|85|86|87)$"
    )]
    pub municipality: String,
    #[schema(
        example = "SE2321000057-7NS1",
        pattern = "^[Ss][Ee][0-9]{10}-[A-Za-z0-9]{1,18}$"
    )]
    pub hsa_id: String,
}

impl CreateCareUnitRequest {
    pub fn into_domain(self) -> Result<NewCareUnit, ValidationFailed> {
        let mut errors = FieldErrors::default();
        let name = errors.check("name", DisplayName::parse(&self.name));
        let kind = errors.check("kind", domain::CareUnitKind::parse(&self.kind));
        let municipality =
            errors.check("municipality", MunicipalityCode::parse(&self.municipality));
        let hsa_id = errors.check("hsa_id", HsaId::parse(&self.hsa_id));
        let (Some(name), Some(kind), Some(municipality), Some(hsa_id)) =
            (name, kind, municipality, hsa_id)
        else {
            return Err(errors.into_failure());
        };
        Ok(NewCareUnit {
            name,
            kind,
            organization_id: self.organization_id,
            municipality,
            hsa_id,
        })
    }
}

/// Changes a care unit; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCareUnitRequest {
    #[schema(min_length = 1, max_length = 200, pattern = "<name>")]
    pub name: Option<String>,
    #[schema(value_type = Option<CareUnitKind>)]
    pub kind: Option<String>,
    /// Moves the unit to another existing, active organization.
    pub organization_id: Option<Uuid>,
    pub municipality: Option<String>,
    #[schema(pattern = "^[Ss][Ee][0-9]{10}-[A-Za-z0-9]{1,18}$")]
    pub hsa_id: Option<String>,
    /// `false` deactivates the unit (there is no hard delete); `true` reactivates it.
    pub active: Option<bool>,
}

impl UpdateCareUnitRequest {
    pub fn into_domain(self) -> Result<CareUnitChanges, ValidationFailed> {
        let mut errors = FieldErrors::default();
        let name = errors.check_optional("name", self.name.as_deref(), DisplayName::parse);
        let kind = errors.check_optional("kind", self.kind.as_deref(), domain::CareUnitKind::parse);
        let municipality = errors.check_optional(
            "municipality",
            self.municipality.as_deref(),
            MunicipalityCode::parse,
        );
        let hsa_id = errors.check_optional("hsa_id", self.hsa_id.as_deref(), HsaId::parse);
        let (Some(name), Some(kind), Some(municipality), Some(hsa_id)) =
            (name, kind, municipality, hsa_id)
        else {
            return Err(errors.into_failure());
        };
        Ok(CareUnitChanges {
            name,
            kind,
            organization_id: self.organization_id,
            municipality,
            hsa_id,
            active: self.active,
        })
    }
}

/// A staff member of a care unit.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StaffResponse {
    pub id: Uuid,
    #[schema(
        example = "Karin Lindqvist",
        min_length = 1,
        max_length = 200,
        pattern = "<name>"
    )]
    pub name: String,
    pub profession: Profession,
    pub care_unit_id: Uuid,
    #[schema(
        example = "SE2321000057-P0042",
        pattern = "^[Ss][Ee][0-9]{10}-[A-Za-z0-9]{1,18}$"
    )]
    pub hsa_id: String,
    /// Deactivated records stay readable but are left out of lists by default.
    pub active: bool,
    /// Increases with every change; the `ETag` is this number in quotes.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<domain::StaffMember> for StaffResponse {
    fn from(member: domain::StaffMember) -> Self {
        Self {
            id: member.id,
            name: member.name.to_string(),
            profession: member.profession.into(),
            care_unit_id: member.care_unit_id,
            hsa_id: member.hsa_id.to_string(),
            active: member.active,
            version: member.version,
            created_at: member.created_at,
            updated_at: member.updated_at,
        }
    }
}

/// Registers a staff member at a care unit.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateStaffRequest {
    #[schema(
        example = "Karin Lindqvist",
        min_length = 1,
        max_length = 200,
        pattern = "<name>"
    )]
    pub name: String,
    #[schema(value_type = Profession)]
    pub profession: String,
    /// An existing, active care unit.
    pub care_unit_id: Uuid,
    #[schema(
        example = "SE2321000057-P0042",
        pattern = "^[Ss][Ee][0-9]{10}-[A-Za-z0-9]{1,18}$"
    )]
    pub hsa_id: String,
}

impl CreateStaffRequest {
    pub fn into_domain(self) -> Result<NewStaffMember, ValidationFailed> {
        let mut errors = FieldErrors::default();
        let name = errors.check("name", DisplayName::parse(&self.name));
        let profession = errors.check("profession", domain::Profession::parse(&self.profession));
        let hsa_id = errors.check("hsa_id", HsaId::parse(&self.hsa_id));
        let (Some(name), Some(profession), Some(hsa_id)) = (name, profession, hsa_id) else {
            return Err(errors.into_failure());
        };
        Ok(NewStaffMember {
            name,
            profession,
            care_unit_id: self.care_unit_id,
            hsa_id,
        })
    }
}

/// Changes a staff member; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateStaffRequest {
    #[schema(min_length = 1, max_length = 200, pattern = "<name>")]
    pub name: Option<String>,
    #[schema(value_type = Option<Profession>)]
    pub profession: Option<String>,
    /// Moves the staff member to another existing, active care unit.
    pub care_unit_id: Option<Uuid>,
    #[schema(pattern = "^[Ss][Ee][0-9]{10}-[A-Za-z0-9]{1,18}$")]
    pub hsa_id: Option<String>,
    /// `false` deactivates the staff member (there is no hard delete); `true` reactivates.
    pub active: Option<bool>,
}

impl UpdateStaffRequest {
    pub fn into_domain(self) -> Result<StaffChanges, ValidationFailed> {
        let mut errors = FieldErrors::default();
        let name = errors.check_optional("name", self.name.as_deref(), DisplayName::parse);
        let profession = errors.check_optional(
            "profession",
            self.profession.as_deref(),
            domain::Profession::parse,
        );
        let hsa_id = errors.check_optional("hsa_id", self.hsa_id.as_deref(), HsaId::parse);
        let (Some(name), Some(profession), Some(hsa_id)) = (name, profession, hsa_id) else {
            return Err(errors.into_failure());
        };
        Ok(StaffChanges {
            name,
            profession,
            care_unit_id: self.care_unit_id,
            hsa_id,
            active: self.active,
        })
    }
}

/// Paging parameters every list takes.
pub trait PageParams {
    fn limit(&self) -> Option<u32>;
    fn cursor(&self) -> Option<&str>;
}

/// Implements [`PageParams`] for query structs with `limit` and `cursor` fields.
macro_rules! page_params {
    ($($query:ty),+) => {$(
        impl $crate::directory::PageParams for $query {
            fn limit(&self) -> Option<u32> { self.limit }
            fn cursor(&self) -> Option<&str> { self.cursor.as_deref() }
        }
    )+};
}

/// Filters and paging of `GET /api/v1/organizations`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams, Validate)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OrganizationQuery {
    /// Only organizations of this kind.
    #[param(value_type = Option<OrganizationKind>)]
    pub kind: Option<String>,
    /// Only organizations in this municipality (code).
    #[param(pattern = "^06(04|17|42|43|62|65|80|82|83|84|85|86|87)$")]
    pub municipality: Option<String>,
    /// Names starting with this text, ignoring case.
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    #[param(min_length = 1, max_length = 200, pattern = "<text>")]
    pub name: Option<String>,
    /// Include deactivated organizations (default false).
    pub include_inactive: Option<bool>,
    /// Page size, 1 to 200 (default 50).
    #[validate(range(min = 1, max = 200, message = "must be between 1 and 200"))]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next` value of the previous page.
    #[param(pattern = "<cursor>")]
    pub cursor: Option<String>,
}

/// Filters and paging of `GET /api/v1/care-units`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams, Validate)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CareUnitQuery {
    /// Only units of this kind.
    #[param(value_type = Option<CareUnitKind>)]
    pub kind: Option<String>,
    /// Only units in this municipality (code), e.g. `0682` for Nässjö.
    #[param(pattern = "^06(04|17|42|43|62|65|80|82|83|84|85|86|87)$")]
    pub municipality: Option<String>,
    /// Only units of this organization.
    pub organization: Option<Uuid>,
    /// Names starting with this text, ignoring case.
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    #[param(min_length = 1, max_length = 200, pattern = "<text>")]
    pub name: Option<String>,
    /// Include deactivated units (default false).
    pub include_inactive: Option<bool>,
    /// Page size, 1 to 200 (default 50).
    #[validate(range(min = 1, max = 200, message = "must be between 1 and 200"))]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next` value of the previous page.
    #[param(pattern = "<cursor>")]
    pub cursor: Option<String>,
}

/// Filters and paging of `GET /api/v1/staff`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams, Validate)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StaffQuery {
    /// Only staff of this profession.
    #[param(value_type = Option<Profession>)]
    pub profession: Option<String>,
    /// Only staff of this care unit.
    pub care_unit: Option<Uuid>,
    /// Only staff of units of this organization.
    pub organization: Option<Uuid>,
    /// Only staff of units in this municipality (code).
    #[param(pattern = "^06(04|17|42|43|62|65|80|82|83|84|85|86|87)$")]
    pub municipality: Option<String>,
    /// Names starting with this text, ignoring case.
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    #[param(min_length = 1, max_length = 200, pattern = "<text>")]
    pub name: Option<String>,
    /// Include deactivated staff (default false).
    pub include_inactive: Option<bool>,
    /// Page size, 1 to 200 (default 50).
    #[validate(range(min = 1, max = 200, message = "must be between 1 and 200"))]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next` value of the previous page.
    #[param(pattern = "<cursor>")]
    pub cursor: Option<String>,
}

page_params!(OrganizationQuery, CareUnitQuery, StaffQuery);
pub(crate) use page_params;

#[cfg(test)]
mod tests {
    use super::*;

    use crate::wire_enum::wire_text;

    #[test]
    fn the_municipality_pattern_is_the_county_list() {
        let codes: Vec<&str> = domain::MUNICIPALITIES
            .iter()
            .map(|m| m.code.strip_prefix("06").unwrap_or(""))
            .collect();
        let pattern = format!("^06({})$", codes.join("|"));
        let spec = serde_json::to_string(&<CareUnitQuery as IntoParams>::into_params(|| None))
            .unwrap_or_default();
        assert!(
            spec.contains(&pattern.replace('\\', "\\\\")),
            "spec pattern is not {pattern}"
        );
    }

    #[test]
    fn wire_enums_use_the_domain_text() {
        for kind in domain::CareUnitKind::ALL {
            assert_eq!(wire_text(CareUnitKind::from(*kind)), kind.as_str());
        }
        for kind in domain::OrganizationKind::ALL {
            assert_eq!(wire_text(OrganizationKind::from(*kind)), kind.as_str());
        }
        for profession in domain::Profession::ALL {
            assert_eq!(
                wire_text(Profession::from(*profession)),
                profession.as_str()
            );
        }
        for status in domain::plan::ActionStatus::ALL {
            let wire = crate::plan::PlanActionStatus::from(*status);
            assert_eq!(wire_text(wire), status.as_str());
        }
        for change in domain::plan::PlanChange::ALL {
            let wire = crate::plan::PlanChange::from(*change);
            assert_eq!(wire_text(wire), change.as_str());
        }
    }

    #[test]
    fn every_invalid_field_is_reported() {
        let request = CreateCareUnitRequest {
            name: " ".into(),
            kind: "ward".into(),
            organization_id: Uuid::nil(),
            municipality: "0180".into(),
            hsa_id: "nope".into(),
        };
        let fields: Vec<String> = request
            .into_domain()
            .err()
            .map(|f| f.errors.into_iter().map(|e| e.field).collect())
            .unwrap_or_default();
        assert_eq!(fields, ["name", "kind", "municipality", "hsa_id"]);
    }

    #[test]
    fn null_clears_and_absent_keeps_the_municipality() {
        let parse = |json: &str| {
            serde_json::from_str::<UpdateOrganizationRequest>(json).map(|r| r.municipality)
        };
        assert_eq!(parse("{}").ok(), Some(None));
        assert_eq!(parse(r#"{"municipality":null}"#).ok(), Some(Some(None)));
        assert_eq!(
            parse(r#"{"municipality":"0682"}"#).ok(),
            Some(Some(Some("0682".into())))
        );
        assert!(parse(r#"{"municipality":"0682","color":"red"}"#).is_err());
    }
}
