//! Registering Esther at a care unit: one registration, or an import of many at once.
//!
//! A registration makes her record, or finds the one already registered under her number (no
//! duplicate), and the registering unit starts a care relationship with her unless it already
//! has one. An import applies many registrations in one transaction; its rows are written in
//! one order — records by personal number, relationships by person — so that two imports
//! that overlap wait for each other instead of deadlocking.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::record::{
    Actor, AuditAction, CareRelationship, ContactDetails, Person, Recorder, RelationshipRole,
};
use crate::{CareUnit, DisplayName, MunicipalityCode, PersonalNumber};

/// A registration: who she is, and the registering unit's part in her care.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    pub personal_number: PersonalNumber,
    pub given_name: DisplayName,
    pub family_name: DisplayName,
    pub municipality: Option<MunicipalityCode>,
    pub protected_identity: bool,
    pub contact: ContactDetails,
    pub role: RelationshipRole,
}

impl Registration {
    /// Her new record, registered by `registered_by` at `at`.
    pub fn into_record(self, id: Uuid, registered_by: Recorder, at: DateTime<Utc>) -> Person {
        Person {
            id,
            personal_number: self.personal_number,
            given_name: self.given_name,
            family_name: self.family_name,
            municipality: self.municipality,
            protected_identity: self.protected_identity,
            contact: self.contact,
            what_matters_to_me: None,
            registered_by,
            version: 1,
            created_at: at,
            updated_at: at,
        }
    }
}

/// How the access log names a registration: of a new record, or of one already known.
/// Registering someone already known starts a care relationship without anyone on her team
/// agreeing, so it is its own action for admins to follow up.
pub fn registration_action(created: bool) -> AuditAction {
    if created {
        AuditAction::Register
    } else {
        AuditAction::RegisterExisting
    }
}

/// One registration of an import file and the line (counted from 1) it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportLine {
    pub line: usize,
    pub registration: Registration,
}

/// What an import does with one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportedLine {
    pub line: usize,
    /// Her record's id: new, or the one already registered under her number.
    pub person_id: Uuid,
    /// Whether the import makes her record.
    pub created: bool,
    /// The registering unit's part in her care.
    pub role: RelationshipRole,
    /// Whether the import starts the unit's care relationship with her.
    pub care_relationship_started: bool,
}

impl ImportedLine {
    /// The access-log action of this line's registration.
    pub fn action(&self) -> AuditAction {
        registration_action(self.created)
    }
}

/// An import, decided: the records to write and what becomes of each line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    /// The new records, in personal-number order (the order they are written in).
    pub new_records: Vec<Person>,
    /// Per line, in file order.
    pub lines: Vec<ImportedLine>,
}

impl Import {
    /// Matches each line to her record: the one `known` finds under her number, or a new one
    /// (id from `new_id`) registered by `registered_by` at `at`.
    pub fn match_lines(
        lines: Vec<ImportLine>,
        known: impl Fn(&PersonalNumber) -> Option<Uuid>,
        registered_by: &Recorder,
        mut new_id: impl FnMut() -> Uuid,
        at: DateTime<Utc>,
    ) -> Self {
        let mut new_records = Vec::new();
        let mut imported = Vec::with_capacity(lines.len());
        for ImportLine { line, registration } in lines {
            let role = registration.role;
            let (person_id, created) = match known(&registration.personal_number) {
                Some(id) => (id, false),
                None => {
                    let person = registration.into_record(new_id(), registered_by.clone(), at);
                    let id = person.id;
                    new_records.push(person);
                    (id, true)
                }
            };
            imported.push(ImportedLine {
                line,
                person_id,
                created,
                role,
                care_relationship_started: false,
            });
        }
        new_records.sort_by(|a, b| a.personal_number.as_str().cmp(b.personal_number.as_str()));
        Self {
            new_records,
            lines: imported,
        }
    }

    /// Every person of the import, in file order.
    pub fn person_ids(&self) -> Vec<Uuid> {
        self.lines.iter().map(|line| line.person_id).collect()
    }

    /// The care relationships `unit` starts: with each person it does not already care for
    /// (`cared_for`), in the line's role, in person order (the order they are written in).
    /// Marks the lines that start one.
    pub fn start_relationships(
        &mut self,
        unit: &CareUnit,
        cared_for: &HashSet<Uuid>,
        started_by: Actor<'_>,
        mut new_id: impl FnMut() -> Uuid,
        at: DateTime<Utc>,
    ) -> Vec<CareRelationship> {
        let mut started = Vec::new();
        for line in &mut self.lines {
            if !cared_for.contains(&line.person_id) {
                started.push(CareRelationship::start(
                    new_id(),
                    line.person_id,
                    unit,
                    None,
                    line.role,
                    started_by,
                    at,
                ));
                line.care_relationship_started = true;
            }
        }
        started.sort_by_key(|relationship| relationship.person_id);
        started
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{at, unit};

    fn registration(number: &str, role: RelationshipRole) -> Registration {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
        Registration {
            personal_number: PersonalNumber::parse(number, today).unwrap_or_else(|e| panic!("{e}")),
            given_name: DisplayName::parse("Esther").unwrap_or_else(|e| panic!("{e}")),
            family_name: DisplayName::parse("Andersson").unwrap_or_else(|e| panic!("{e}")),
            municipality: None,
            protected_identity: false,
            contact: ContactDetails::default(),
            role,
        }
    }

    fn recorder() -> Recorder {
        Recorder {
            subject: "nurse".into(),
            unit_id: Some(Uuid::from_u128(30)),
            organization_id: Some(Uuid::from_u128(21)),
        }
    }

    /// Ids counting down, so that the order of writes cannot follow from them.
    fn ids(from: u128) -> impl FnMut() -> Uuid {
        let mut next = from;
        move || {
            next -= 1;
            Uuid::from_u128(next)
        }
    }

    const ESTHER: &str = "191212121212";
    const ARVID: &str = "194107086995";
    const KNOWN: Uuid = Uuid::from_u128(7);

    fn import() -> Import {
        let lines = vec![
            ImportLine {
                line: 1,
                registration: registration(ARVID, RelationshipRole::HomeCareContact),
            },
            ImportLine {
                line: 3,
                registration: registration(ESTHER, RelationshipRole::Other),
            },
            ImportLine {
                line: 4,
                registration: registration("193001012388", RelationshipRole::Other),
            },
        ];
        let known = |number: &PersonalNumber| (number.as_str() == ESTHER).then_some(KNOWN);
        Import::match_lines(lines, known, &recorder(), ids(1_000), at())
    }

    #[test]
    fn known_numbers_find_their_record_and_others_make_one() {
        let import = import();
        let created: Vec<_> = import.lines.iter().map(|l| (l.line, l.created)).collect();
        assert_eq!(created, [(1, true), (3, false), (4, true)]);
        assert_eq!(import.lines[1].person_id, KNOWN);
        let numbers: Vec<_> = import
            .new_records
            .iter()
            .map(|p| p.personal_number.as_str())
            .collect();
        assert_eq!(numbers, ["193001012388", ARVID], "records in number order");
        assert!(
            import
                .new_records
                .iter()
                .all(|p| p.registered_by == recorder() && p.version == 1 && p.created_at == at())
        );
        let actions: Vec<_> = import.lines.iter().map(ImportedLine::action).collect();
        assert_eq!(
            actions,
            [
                AuditAction::Register,
                AuditAction::RegisterExisting,
                AuditAction::Register
            ]
        );
    }

    #[test]
    fn the_unit_starts_relationships_it_does_not_have_in_person_order() {
        let mut import = import();
        let home_care = unit(30, 21);
        let cared_for: HashSet<Uuid> = [KNOWN].into();
        let started = import.start_relationships(
            &home_care,
            &cared_for,
            Actor::without_unit("nurse"),
            ids(500),
            at(),
        );
        let persons: Vec<_> = started.iter().map(|r| r.person_id).collect();
        let mut expected = vec![import.lines[0].person_id, import.lines[2].person_id];
        expected.sort();
        assert_eq!(persons, expected, "relationships in person order");
        assert!(started.iter().all(|r| r.care_unit_id == home_care.id
            && r.organization_id == home_care.organization_id
            && r.is_active()));
        let arvid = started
            .iter()
            .find(|r| r.person_id == import.lines[0].person_id);
        assert!(arvid.is_some_and(|r| r.role == RelationshipRole::HomeCareContact));
        let flags: Vec<_> = import
            .lines
            .iter()
            .map(|l| l.care_relationship_started)
            .collect();
        assert_eq!(flags, [true, false, true]);
    }
}
