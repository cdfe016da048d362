//! Demo data: a year of the ESTHER network in Jönköping County, for trying the API.
//!
//! What `serve --demo` (and `seed --demo`) loads, by topic:
//! - the directory (this module): the region's hospitals and vårdcentraler, the 13
//!   municipalities with home care and home health care, a private vårdcentral, three staff
//!   per unit;
//! - [`network`]: the network's meetings of the year around today (the 12 months ending
//!   three months ahead), so the demo never goes stale;
//! - [`persons`]: registered persons in Nässjö (0682) and a year of discharge coordination,
//!   enough for its care-chain indicators to be numbers rather than suppressed;
//! - [`improvement`]: a coach training cohort, coaches, and three improvement projects whose
//!   measures shift after an adopted PDSA change.
//!
//! Names of hospitals, municipalities and vårdcentraler follow the county; HSA-ids, staff and
//! persons are made up (organisation numbers follow the pattern of the real ones but are not
//! looked up). Everything is written through the `persistence` functions and `domain`
//! constructors the API handlers use, so every rule of the API holds for it. Loaded only into
//! an empty directory, all in one transaction: a failure leaves the database empty.
//!
//! Times are relative to the moment of loading (`persistence::now()`): past meetings are
//! `held`, future ones `scheduled`; every record is stamped as written at that moment, as the
//! API would stamp it, while the business times it carries (a meeting's start, a case's
//! admission, a message's `sent_at`) lie in the past year.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use domain::discharge::AgreementSettings;
use domain::{
    CareUnit, CareUnitKind, DisplayName, HsaId, MUNICIPALITIES, MunicipalityCode, NewCareUnit,
    NewOrganization, NewStaffMember, Organization, OrganizationKind, Profession, StaffMember,
};
use persistence::connection::write_transaction;
use persistence::{DbConnection, PersistenceError, care_units, organizations, staff};
use uuid::Uuid;

mod improvement;
mod network;
mod persons;

/// Who the demo's records are written by (the `created_by`, `recorded_by` and `sent_by`
/// fields hold a token's `sub`; the demo loader is no user).
const DEMO_SUBJECT: &str = "smartcare-demo";

/// HSA prefix of Region Jönköpings län (organisation number 232100-0057).
const REGION_HSA_PREFIX: &str = "SE2321000057";

/// A hospital's name, its municipality code, and some of its wards as (name, kind).
type Hospital = (
    &'static str,
    &'static str,
    &'static [(&'static str, CareUnitKind)],
);

const HOSPITALS: &[Hospital] = &[
    (
        "Länssjukhuset Ryhov",
        "0680",
        &[
            ("Medicinavdelning 1", CareUnitKind::HospitalWard),
            ("Geriatrisk avdelning", CareUnitKind::HospitalWard),
            ("Psykiatrisk slutenvård", CareUnitKind::Psychiatry),
        ],
    ),
    (
        "Höglandssjukhuset Eksjö",
        "0686",
        &[
            ("Medicinavdelning 2", CareUnitKind::HospitalWard),
            ("Ortopedavdelning", CareUnitKind::HospitalWard),
            ("Hjärtmottagning", CareUnitKind::SpecialistClinic),
        ],
    ),
    (
        "Värnamo sjukhus",
        "0683",
        &[
            ("Medicinavdelning", CareUnitKind::HospitalWard),
            ("Kirurgavdelning", CareUnitKind::HospitalWard),
        ],
    ),
];

/// Vårdcentraler run by the region in the Höglandet municipalities.
const PRIMARY_CARE_CENTRES: &[(&str, &str)] = &[
    ("Vårdcentralen Aneby", "0604"),
    ("Vårdcentralen Eksjö", "0686"),
    ("Vårdcentralen Nässjö", "0682"),
    ("Vårdcentralen Forserum", "0682"),
    ("Vårdcentralen Sävsjö", "0684"),
    ("Vårdcentralen Tranås", "0687"),
    ("Vårdcentralen Vetlanda", "0685"),
];

const GIVEN_NAMES: &[&str] = &[
    "Anna", "Erik", "Karin", "Lars", "Maria", "Johan", "Eva", "Anders", "Ingrid", "Per", "Kerstin",
    "Mikael", "Birgitta", "Nils", "Sara", "Olof",
];
const FAMILY_NAMES: &[&str] = &[
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Lindqvist",
    "Holm",
    "Berg",
    "Ek",
];

/// Three staff per unit, with professions that fit the unit.
fn professions_for(kind: CareUnitKind) -> [Profession; 3] {
    match kind {
        CareUnitKind::HomeCareService => [
            Profession::AssistantNurse,
            Profession::CareAssistant,
            Profession::NeedsAssessor,
        ],
        CareUnitKind::HomeHealthCare => [
            Profession::RegisteredNurse,
            Profession::OccupationalTherapist,
            Profession::Physiotherapist,
        ],
        CareUnitKind::Psychiatry => [
            Profession::Physician,
            Profession::RegisteredNurse,
            Profession::SocialWorker,
        ],
        _ => [
            Profession::Physician,
            Profession::RegisteredNurse,
            Profession::AssistantNurse,
        ],
    }
}

/// Loads the demo data (see the module docs) unless the directory already has organizations;
/// returns whether it loaded anything. `agreement` is the region agreement the server runs
/// with: the demo's discharge messages are checked against it as the API checks them.
///
/// The load writes no access-log events: the access log records who reached a person's
/// record on a request, and loading the demo is no one's access (like a migration). The demo
/// persons' access logs and extracts therefore start empty.
///
/// Errors: any [`PersistenceError`] from the database; a demo record that breaks a domain rule
/// is [`PersistenceError::Corrupt`] naming the rule (a bug in the demo, found by its test).
pub fn load_if_empty(
    connection: &mut DbConnection,
    agreement: &AgreementSettings,
) -> Result<bool, PersistenceError> {
    write_transaction(connection, |conn| {
        if organizations::any_exist(conn)? {
            return Ok(false);
        }
        let now = persistence::now();
        let directory = Seeder {
            conn,
            staff_serial: 0,
            directory: Directory::default(),
        }
        .load()?;
        let clock = Clock::at(now);
        let ready_for_discharge = persons::load(conn, &directory, agreement, clock)?;
        network::load(conn, &directory, clock, &ready_for_discharge)?;
        improvement::load(conn, &directory, clock)?;
        Ok(true)
    })
}

/// The moment the demo is loaded at, and Stockholm's date then: everything is placed
/// relative to it.
#[derive(Debug, Clone, Copy)]
struct Clock {
    now: DateTime<Utc>,
    today: NaiveDate,
}

impl Clock {
    fn at(now: DateTime<Utc>) -> Self {
        Clock {
            now,
            today: domain::discharge::stockholm_date(now),
        }
    }

    /// `date` at `hour:minute` wall-clock time in Europe/Stockholm.
    fn local(date: NaiveDate, hour: u32, minute: u32) -> Result<DateTime<Utc>, PersistenceError> {
        NaiveTime::from_hms_opt(hour, minute, 0)
            .and_then(|time| domain::meeting::series::stockholm_instant(date.and_time(time)))
            .ok_or_else(|| corrupt(format!("{date} {hour}:{minute} is no Stockholm time")))
    }
}

/// The demo directory as loaded, for the other topics to refer to.
#[derive(Debug, Default)]
struct Directory {
    organizations: Vec<Organization>,
    units: Vec<CareUnit>,
    staff: Vec<StaffMember>,
}

impl Directory {
    /// The organization of municipality `code`.
    fn municipality(&self, code: &str) -> Result<&Organization, PersistenceError> {
        self.organizations
            .iter()
            .find(|o| {
                o.kind == OrganizationKind::Municipality
                    && o.municipality.is_some_and(|m| m.as_str() == code)
            })
            .ok_or_else(|| corrupt(format!("no municipality {code}")))
    }

    fn region(&self) -> Result<&Organization, PersistenceError> {
        self.organizations
            .iter()
            .find(|o| o.kind == OrganizationKind::Region)
            .ok_or_else(|| corrupt("no region".into()))
    }

    /// The first unit of `kind` in municipality `code` whose name contains `name`.
    fn unit(
        &self,
        kind: CareUnitKind,
        code: &str,
        name: &str,
    ) -> Result<&CareUnit, PersistenceError> {
        self.units
            .iter()
            .find(|u| {
                u.kind == kind && u.municipality.as_str() == code && u.name.as_str().contains(name)
            })
            .ok_or_else(|| corrupt(format!("no {kind} `{name}` in {code}")))
    }

    /// The staff of `unit`, in the order loaded.
    fn staff_of(&self, unit: &CareUnit) -> Vec<&StaffMember> {
        self.staff
            .iter()
            .filter(|s| s.care_unit_id == unit.id)
            .collect()
    }

    /// The `n`th staff member of `unit` (0-based, wrapping).
    fn member(&self, unit: &CareUnit, n: usize) -> Result<&StaffMember, PersistenceError> {
        let staff = self.staff_of(unit);
        staff
            .get(n % staff.len().max(1))
            .copied()
            .ok_or_else(|| corrupt(format!("unit {} has no staff", unit.name.as_str())))
    }
}

struct Seeder<'a> {
    conn: &'a mut DbConnection,
    staff_serial: usize,
    directory: Directory,
}

fn corrupt(message: String) -> PersistenceError {
    PersistenceError::Corrupt(format!("demo data: {message}"))
}

/// A value or rule outcome the demo relies on; a refusal is a bug in the demo.
fn parsed<T, E: std::fmt::Display>(value: Result<T, E>) -> Result<T, PersistenceError> {
    value.map_err(|e| corrupt(e.to_string()))
}

impl Seeder<'_> {
    fn load(mut self) -> Result<Directory, PersistenceError> {
        let region = self.organization(
            "Region Jönköpings län",
            OrganizationKind::Region,
            REGION_HSA_PREFIX,
            None,
        )?;
        for (hospital, municipality, wards) in HOSPITALS {
            for (ward, kind) in *wards {
                self.unit(
                    &region,
                    REGION_HSA_PREFIX,
                    &format!("{ward}, {hospital}"),
                    *kind,
                    municipality,
                )?;
            }
        }
        for (name, municipality) in PRIMARY_CARE_CENTRES {
            self.unit(
                &region,
                REGION_HSA_PREFIX,
                name,
                CareUnitKind::PrimaryCareCentre,
                municipality,
            )?;
        }
        for municipality in MUNICIPALITIES {
            let prefix = format!("SE212000{}", municipality.code);
            let org = self.organization(
                &format!("{} kommun", municipality.name),
                OrganizationKind::Municipality,
                &prefix,
                Some(municipality.code),
            )?;
            self.unit(
                &org,
                &prefix,
                &format!("Hemtjänst {}", municipality.name),
                CareUnitKind::HomeCareService,
                municipality.code,
            )?;
            self.unit(
                &org,
                &prefix,
                &format!("Hemsjukvård {}", municipality.name),
                CareUnitKind::HomeHealthCare,
                municipality.code,
            )?;
        }
        let private = self.organization(
            "Nässjö Läkarhus AB",
            OrganizationKind::PrivateProvider,
            "SE5590000001",
            Some("0682"),
        )?;
        self.unit(
            &private,
            "SE5590000001",
            "Läkarhuset Nässjö",
            CareUnitKind::PrimaryCareCentre,
            "0682",
        )?;
        Ok(self.directory)
    }

    fn organization(
        &mut self,
        name: &str,
        kind: OrganizationKind,
        hsa_prefix: &str,
        municipality: Option<&str>,
    ) -> Result<Organization, PersistenceError> {
        let org = NewOrganization {
            name: parsed(DisplayName::parse(name))?,
            kind,
            hsa_id: parsed(HsaId::parse(&format!("{hsa_prefix}-0001")))?,
            municipality: municipality
                .map(|code| parsed(MunicipalityCode::parse(code)))
                .transpose()?,
        };
        let org = parsed(org.into_record(Uuid::now_v7(), persistence::now()))?;
        organizations::insert(self.conn, &org)?;
        self.directory.organizations.push(org.clone());
        Ok(org)
    }

    fn unit(
        &mut self,
        org: &Organization,
        hsa_prefix: &str,
        name: &str,
        kind: CareUnitKind,
        municipality: &str,
    ) -> Result<CareUnit, PersistenceError> {
        let serial = self.staff_serial;
        let unit = NewCareUnit {
            name: parsed(DisplayName::parse(name))?,
            kind,
            organization_id: org.id,
            municipality: parsed(MunicipalityCode::parse(municipality))?,
            hsa_id: parsed(HsaId::parse(&format!("{hsa_prefix}-E{serial:04}")))?,
        }
        .into_record(Uuid::now_v7(), persistence::now());
        care_units::insert(self.conn, &unit)?;
        for profession in professions_for(kind) {
            self.staff_serial += 1;
            let n = self.staff_serial;
            let name = format!(
                "{} {}",
                GIVEN_NAMES[n % GIVEN_NAMES.len()],
                FAMILY_NAMES[(n * 7) % FAMILY_NAMES.len()]
            );
            let member = NewStaffMember {
                name: parsed(DisplayName::parse(&name))?,
                profession,
                care_unit_id: unit.id,
                hsa_id: parsed(HsaId::parse(&format!("{hsa_prefix}-P{n:04}")))?,
            }
            .into_record(Uuid::now_v7(), persistence::now());
            staff::insert(self.conn, &member)?;
            self.directory.staff.push(member);
        }
        self.directory.units.push(unit.clone());
        Ok(unit)
    }
}
