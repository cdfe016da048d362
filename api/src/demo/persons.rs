//! Demo persons and a year of discharge coordination in Nässjö (0682), so that an analyst's
//! care-chain indicators for Nässjö are numbers, not suppressed (a figure about 1–4 persons
//! is, `domain::indicator::MIN_PERSONS`).
//!
//! - 60 persons registered in Nässjö a little over a year ago at Vårdcentralen Nässjö, her fast
//!   vårdkontakt; every second one also has home care (hemtjänst) since then. They have
//!   made-up birth dates in 1930–1950 and serial numbers with a valid check digit (not looked
//!   up in Skatteverket's list of test numbers). 19121212-1212, the README's Esther, is left
//!   free for the README's first call to register.
//! - For each of the last twelve 30-day stretches, eight admissions to Medicinavdelning 2 at
//!   Höglandssjukhuset Eksjö, each with the admission notice (every fourth one late), ready for
//!   discharge and the discharge notice to her vårdcentral, home care and home health care
//!   (1 to 6 days after ready, so some days carry payment liability), with the planning call
//!   (each person has consented to coordinated planning) in between; every third one is
//!   readmitted ten days after her discharge (a readmission within 30 days); three persons are
//!   admitted and ready for discharge now (open cases for the work lists).
//!
//! Cases and messages are made by the domain's own rules (`may_open_case`,
//! `check_no_open_case`, `CoordinationCase::send`), as `POST /persons/{id}/coordination-cases`
//! and `POST /coordination-cases/{id}/messages` make them, with `sent_at` in the past as a
//! system reporting afterwards would send it.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, TimeDelta, Utc};
use domain::discharge::{
    AgreementSettings, CaseState, CoordinationCase, InpatientCare, MessageKind, NewMessage,
    SendFacts, Sender, check_no_open_case, fast_vardkontakt_unit_ids, may_open_case,
};
use domain::record::{
    Actor, CareRelationship, Consent, ConsentScope, ConsentStatus, ContactDetails, Recorder,
    RelationshipRole,
};
use domain::registration::{Import, ImportLine, Registration};
use domain::{CareUnit, CareUnitKind, DisplayName, MunicipalityCode, PersonalNumber};
use persistence::{DbConnection, PersistenceError, coordination, persons, relationships};
use uuid::Uuid;

use super::{Clock, DEMO_SUBJECT, Directory, FAMILY_NAMES, GIVEN_NAMES, corrupt, parsed};

/// Persons registered in Nässjö.
const PERSONS: usize = 60;
/// Stretches of 30 days looked back on, and admissions in each.
const STRETCHES: i64 = 12;
const ADMISSIONS_PER_STRETCH: usize = 8;

/// The serial number of every demo personnummer (their birth dates differ). The benchmark
/// loads the demo and then `bench/region.py`'s persons, whose serials are `37 × block + 11`
/// (mod 1000) for blocks of 30,000 birth dates: 982 is none of them below 23 million
/// persons, so the two never share a number.
const SERIAL: u32 = 982;

/// The `index`th demo personnummer: a made-up birth date in 1930–1950, [`SERIAL`], and the
/// check digit that makes it valid.
fn personal_number(index: usize, clock: Clock) -> Result<PersonalNumber, PersistenceError> {
    let born = chrono::NaiveDate::from_ymd_opt(1930, 1, 1)
        .ok_or_else(|| corrupt("no 1930".into()))?
        + TimeDelta::days(i64::try_from(index + 1).unwrap_or(0) * 127);
    let stem = format!("{}-{SERIAL}", born.format("%Y%m%d"));
    (0..10)
        .find_map(|check| PersonalNumber::parse(&format!("{stem}{check}"), clock.today).ok())
        .ok_or_else(|| corrupt(format!("no check digit makes {stem}? valid")))
}

/// Loads the persons and their cases.
/// Loads the persons and their year of care; returns the three ready for discharge now (the
/// case conferences' persons).
pub(super) fn load(
    conn: &mut DbConnection,
    directory: &Directory,
    agreement: &AgreementSettings,
    clock: Clock,
) -> Result<Vec<Uuid>, PersistenceError> {
    let vc = directory.unit(
        CareUnitKind::PrimaryCareCentre,
        "0682",
        "Vårdcentralen Nässjö",
    )?;
    let home_care = directory.unit(CareUnitKind::HomeCareService, "0682", "Hemtjänst")?;
    let home_health = directory.unit(CareUnitKind::HomeHealthCare, "0682", "Hemsjukvård")?;
    let ward = directory.unit(CareUnitKind::HospitalWard, "0686", "Medicinavdelning 2")?;
    parsed(may_open_case(agreement, ward.id, Some(ward)))?;
    let registered_at = clock.now - TimeDelta::days(30 * STRETCHES + 30);
    let nassjo = parsed(MunicipalityCode::parse("0682"))?;
    let mut lines = Vec::with_capacity(PERSONS);
    for index in 0..PERSONS {
        lines.push(ImportLine {
            line: index + 1,
            registration: Registration {
                personal_number: personal_number(index, clock)?,
                given_name: parsed(DisplayName::parse(GIVEN_NAMES[index % GIVEN_NAMES.len()]))?,
                family_name: parsed(DisplayName::parse(
                    FAMILY_NAMES[(index * 5 + 3) % FAMILY_NAMES.len()],
                ))?,
                municipality: Some(nassjo),
                protected_identity: false,
                contact: ContactDetails::default(),
                role: RelationshipRole::FastVardkontakt,
            },
        });
    }
    let recorder = Recorder {
        subject: DEMO_SUBJECT.to_owned(),
        unit_id: Some(vc.id),
        organization_id: Some(vc.organization_id),
    };
    let mut import = Import::match_lines(
        lines,
        |_: &PersonalNumber| None,
        &recorder,
        Uuid::now_v7,
        registered_at,
    );
    persons::insert_all(conn, &import.new_records)?;
    let mut started = import.start_relationships(
        vc,
        &HashSet::new(),
        Actor::without_unit(DEMO_SUBJECT),
        Uuid::now_v7,
        registered_at,
    );
    let person_ids = import.person_ids();
    for person in person_ids.iter().step_by(2) {
        started.push(CareRelationship::start(
            Uuid::now_v7(),
            *person,
            home_care,
            None,
            RelationshipRole::HomeCareContact,
            Actor::without_unit(DEMO_SUBJECT),
            registered_at,
        ));
    }
    relationships::insert_all(conn, &started)?;
    // Her consent to coordinated planning, which a planning call needs, and to information
    // sharing, by which the municipality's staff see her case conference (a SIP meeting).
    let mut consents = HashMap::with_capacity(PERSONS);
    for person in &person_ids {
        let mut hers = Vec::with_capacity(2);
        for scope in [
            ConsentScope::CoordinatedPlanning,
            ConsentScope::InformationSharing,
        ] {
            let consent = Consent {
                id: Uuid::now_v7(),
                person_id: *person,
                scope,
                status: ConsentStatus::Given,
                valid_from: domain::discharge::stockholm_date(registered_at),
                valid_to: None,
                recorded_by: recorder.clone(),
                recorded_at: registered_at,
            };
            persistence::consents::insert(conn, &consent)?;
            hers.push(consent);
        }
        consents.insert(*person, hers);
    }
    let mut cases = Cases {
        conn,
        agreement,
        clock,
        ward,
        to: vec![vc.clone(), home_care.clone(), home_health.clone()],
        relationships: HashMap::new(),
        consents,
    };
    for relationship in started {
        cases
            .relationships
            .entry(relationship.person_id)
            .or_default()
            .push(relationship);
    }
    let mut admission = 0;
    for stretch in (0..STRETCHES).rev() {
        for slot in 0..ADMISSIONS_PER_STRETCH {
            admission += 1;
            let person = person_ids[(admission * 7) % PERSONS];
            let back = stretch * 30
                + i64::try_from(slot).unwrap_or(0) * 30
                    / i64::try_from(ADMISSIONS_PER_STRETCH).unwrap_or(1)
                + 12;
            let admitted_at = Clock::local(
                clock.today - TimeDelta::days(back),
                9 + admission as u32 % 8,
                0,
            )?;
            let ready_after = TimeDelta::days(3 + i64::try_from(slot % 3).unwrap_or(0));
            let discharged_after = TimeDelta::days(1 + i64::try_from(admission % 6).unwrap_or(0));
            let discharged_at = cases.stay(
                person,
                admitted_at,
                admission % 4 == 3,
                Some((ready_after, Some(discharged_after))),
            )?;
            // Every third one comes back within 30 days (where that is past already).
            if let Some(discharged_at) =
                discharged_at.filter(|_| admission % 3 == 0 && stretch >= 2)
            {
                cases.stay(
                    person,
                    discharged_at + TimeDelta::days(10),
                    false,
                    Some((TimeDelta::days(3), Some(TimeDelta::days(2)))),
                )?;
            }
        }
    }
    let mut ready_now = Vec::with_capacity(3);
    for n in 0..3 {
        let person = person_ids[PERSONS - 1 - n * 2];
        let admitted_at = Clock::local(clock.today - TimeDelta::days(5), 8 + n as u32, 30)?;
        cases.stay(person, admitted_at, false, Some((TimeDelta::days(4), None)))?;
        ready_now.push(person);
    }
    Ok(ready_now)
}

struct Cases<'a> {
    conn: &'a mut DbConnection,
    agreement: &'a AgreementSettings,
    clock: Clock,
    ward: &'a CareUnit,
    /// Her vårdcentral, home care and home health care: every message goes to them.
    to: Vec<CareUnit>,
    relationships: HashMap<Uuid, Vec<CareRelationship>>,
    consents: HashMap<Uuid, Vec<Consent>>,
}

impl Cases<'_> {
    /// One stay: admitted at `admitted_at` (the notice 3 hours later, or 30 when `late`),
    /// then, with `ready`, ready for discharge that long after admission and, with its
    /// second part, discharged that long after ready. Returns when she was discharged.
    fn stay(
        &mut self,
        person: Uuid,
        admitted_at: DateTime<Utc>,
        late: bool,
        ready: Option<(TimeDelta, Option<TimeDelta>)>,
    ) -> Result<Option<DateTime<Utc>>, PersistenceError> {
        parsed(check_no_open_case(
            &coordination::cases_for_person(self.conn, person)?,
            |_| true,
        ))?;
        let now = self.clock.now;
        let mut case = CoordinationCase {
            id: Uuid::now_v7(),
            person_id: person,
            hospital_unit_id: self.ward.id,
            care: InpatientCare::Somatic,
            state: CaseState::Admitted,
            admitted_at,
            assessed_at: None,
            expected_discharge_date: Some(
                domain::discharge::stockholm_date(admitted_at) + TimeDelta::days(5),
            ),
            opened_by: DEMO_SUBJECT.to_owned(),
            paying_decision: None,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        coordination::insert_case(self.conn, &case)?;
        let notice = admitted_at + TimeDelta::hours(if late { 30 } else { 3 });
        // The planning call after the notice: the municipality is asked to take her home.
        let mut messages = vec![
            (MessageKind::AdmissionNotice, notice),
            (
                MessageKind::PlanningCall,
                admitted_at + TimeDelta::hours(36),
            ),
        ];
        if let Some((ready_after, discharged_after)) = ready {
            let ready_at = admitted_at + ready_after;
            messages.push((MessageKind::ReadyForDischarge, ready_at));
            if let Some(after) = discharged_after {
                messages.push((MessageKind::DischargeNotice, ready_at + after));
            }
        }
        let discharged_at = messages
            .iter()
            .find(|(kind, _)| *kind == MessageKind::DischargeNotice)
            .map(|(_, at)| *at);
        let mut earlier = Vec::with_capacity(messages.len());
        for (kind, sent_at) in messages {
            let hers = self.relationships.entry(person).or_default();
            let fast_vardkontakt: Vec<CareUnit> = fast_vardkontakt_unit_ids(hers)
                .iter()
                .filter_map(|id| self.to.iter().find(|u| u.id == *id).cloned())
                .collect();
            let facts = SendFacts {
                earlier: &earlier,
                addressed: &self.to,
                relationships: hers,
                fast_vardkontakt_units: &fast_vardkontakt,
                consents: self.consents.get(&person).map_or(&[], Vec::as_slice),
                sender_unit: Some(self.ward),
                ward: Some(self.ward),
                agreement: self.agreement,
                today: self.clock.today,
                now,
            };
            let decision = parsed(case.send(
                NewMessage {
                    kind,
                    to: self.to.iter().map(|u| u.id).collect(),
                    text: None,
                    expected_discharge_date: None,
                    sent_at: Some(sent_at),
                },
                Sender {
                    subject: DEMO_SUBJECT,
                    unit: self.ward.id,
                },
                &facts,
                Uuid::now_v7,
            ))?;
            for joining in &decision.joining {
                relationships::insert(self.conn, joining)?;
                coordination::link_relationship(
                    self.conn,
                    case.id,
                    joining.id,
                    joining.care_unit_id,
                )?;
            }
            hers.extend(decision.joining);
            coordination::insert_message(self.conn, &decision.message)?;
            case = coordination::update_case(self.conn, &decision.case)?;
            earlier.push(decision.message);
        }
        // The ward cares for her during the stay (as `POST …/coordination-cases` requires of
        // the admitting ward), until the discharge: so the ward's work lists show its cases.
        let stay = CareRelationship::start(
            Uuid::now_v7(),
            person,
            self.ward,
            None,
            RelationshipRole::Other,
            Actor::without_unit(DEMO_SUBJECT),
            admitted_at,
        );
        let stay = match discharged_at {
            Some(at) => stay.ended(Actor::without_unit(DEMO_SUBJECT), at),
            None => stay,
        };
        relationships::insert(self.conn, &stay)?;
        Ok(discharged_at)
    }
}
