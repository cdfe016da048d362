//! Demo data: the shape of the ESTHER network in Jönköping County, for trying the API.
//!
//! Names of hospitals, municipalities and vårdcentraler follow the county; HSA-ids and staff
//! are made up (organisation numbers follow the pattern of the real ones but are not
//! looked up). Loaded only into an empty directory, in one transaction.

use domain::{
    CareUnit, CareUnitKind, DisplayName, HsaId, MUNICIPALITIES, MunicipalityCode, NewCareUnit,
    NewOrganization, NewStaffMember, Organization, OrganizationKind, Profession,
};
use persistence::connection::write_transaction;
use persistence::{DbConnection, PersistenceError, care_units, organizations, staff};
use uuid::Uuid;

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

/// Loads the demo directory unless the directory already has organizations; returns whether
/// it loaded anything.
pub fn load_if_empty(connection: &mut DbConnection) -> Result<bool, PersistenceError> {
    write_transaction(connection, |conn| {
        if organizations::any_exist(conn)? {
            return Ok(false);
        }
        Seeder {
            conn,
            staff_serial: 0,
        }
        .load()?;
        Ok(true)
    })
}

struct Seeder<'a> {
    conn: &'a mut DbConnection,
    staff_serial: usize,
}

fn parsed<T>(value: Result<T, domain::InvalidValue>) -> Result<T, PersistenceError> {
    value.map_err(|e| PersistenceError::Corrupt(format!("demo data: {e}")))
}

impl Seeder<'_> {
    fn load(&mut self) -> Result<(), PersistenceError> {
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
        Ok(())
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
        }
        Ok(unit)
    }
}
