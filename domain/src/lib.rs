//! SmartCare Home domain: the entities, value objects and rules of the ESTHER care network.
//!
//! Pure Rust with no I/O: no database, no HTTP, no clock reads. Values are parsed into domain
//! types at the edge ("parse, don't validate"), so a value of a domain type is always valid.

#[cfg(test)]
mod fixtures;
mod invalid;
mod string_enum;

pub mod access;
pub mod calendar;
pub mod care_team;
pub mod chart;
pub mod directory;
pub mod discharge;
pub mod hsa_id;
pub mod identity;
pub mod improvement;
pub mod indicator;
pub mod meeting;
pub mod municipality;
pub mod name;
pub mod pattern;
pub mod personal_number;
pub mod plan;
pub mod plausible;
pub mod record;
pub mod registration;
pub mod role;
pub mod timeline;
pub mod worklist;

pub use directory::{
    CareUnit, CareUnitChanges, CareUnitKind, NewCareUnit, NewOrganization, NewStaffMember,
    Organization, OrganizationChanges, OrganizationKind, Profession, StaffChanges, StaffMember,
};
pub use hsa_id::HsaId;
pub use invalid::{FieldProblem, FieldProblems, InvalidValue, MAX_MESSAGE_CHARS, cut};
pub use municipality::{MUNICIPALITIES, Municipality, MunicipalityCode};
pub use name::DisplayName;
pub use personal_number::{PersonalNumber, PersonalNumberKind};
pub use role::Role;
