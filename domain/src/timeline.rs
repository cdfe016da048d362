//! Her care timeline: every event of her care chain across organizations, in time order.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::PersonalNumber;
use crate::access::Grant;
use crate::discharge::{CaseMessage, CoordinationCase, MessageKind, RecipientStatus};
use crate::identity::IdentityChange;
use crate::plan::{PlanChange, PlanVersion};
use crate::record::{CareRelationship, Person, RelationshipRole};

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimelineKind {
    CareRelationshipStarted {
        role: RelationshipRole,
    },
    CareRelationshipEnded {
        role: RelationshipRole,
    },
    Admitted {
        case_id: Uuid,
    },
    MessageSent {
        case_id: Uuid,
        kind: MessageKind,
    },
    MessageAnswered {
        case_id: Uuid,
        kind: MessageKind,
        answer: RecipientStatus,
    },
    /// Her coordinated individual plan was made, revised or followed up.
    PlanChanged {
        plan_id: Uuid,
        version: i64,
        change: PlanChange,
    },
    /// Her identity number was changed (issue 14: the earlier number stays visible in her
    /// history). `by` is who changed it: the token's subject (a staff member's HSA-id).
    IdentityChanged {
        /// `None` where the grant withholds it ([`Grant::may_see_number`]): under protected
        /// identity staff see only her present number.
        previous: Option<PersonalNumber>,
        /// As `previous`: withheld when it is no longer her number.
        new: Option<PersonalNumber>,
        by: String,
    },
}

/// One event: when, which unit, what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEvent {
    /// Stable and unique: where a page of the timeline continues.
    pub key: Uuid,
    pub at: DateTime<Utc>,
    pub unit_id: Uuid,
    pub kind: TimelineKind,
}

/// A second key for a second event of the same record (an end, an answer).
fn derived_key(id: Uuid, what: &[u8]) -> Uuid {
    Uuid::new_v5(&id, what)
}

/// Her events from her care relationships, cases, the versions of the plans the caller may see
/// and the changes of her identity number, oldest first, leaving out what the grant hides:
/// every event belongs to the unit that acted, and an event of a unit she blocked is shown
/// only to that unit, to her and under emergency access ([`Grant::may_see_unit`]).
///
/// Protected identity withholds her address, phone, e-mail and contacts
/// ([`Grant::may_see_contact_details`]); none of them is in her timeline. It also withholds
/// the number she had before an identity change ([`Grant::may_see_previous_numbers`]): the
/// event then shows only the new number, which her record shows anyway.
pub fn timeline(
    grant: &Grant,
    person: &Person,
    relationships: &[CareRelationship],
    cases: &[(CoordinationCase, Vec<CaseMessage>)],
    visible_plans: &[(Uuid, Vec<PlanVersion>)],
    identity_changes: &[IdentityChange],
) -> Vec<TimelineEvent> {
    let mut events = Vec::new();
    for r in relationships {
        events.push(TimelineEvent {
            key: r.id,
            at: r.started_at,
            unit_id: r.care_unit_id,
            kind: TimelineKind::CareRelationshipStarted { role: r.role },
        });
        if let Some(ended) = r.ended_at {
            let kind = TimelineKind::CareRelationshipEnded { role: r.role };
            events.push(TimelineEvent {
                key: derived_key(r.id, b"ended"),
                at: ended,
                unit_id: r.care_unit_id,
                kind,
            });
        }
    }
    for (case, messages) in cases {
        // A case of a ward she blocked is left out whole for a unit it was not sent to: its
        // other units' answers would show it (decision 0027).
        if !crate::discharge::case_visible(grant, case.hospital_unit_id, messages) {
            continue;
        }
        events.push(TimelineEvent {
            key: case.id,
            at: case.admitted_at,
            unit_id: case.hospital_unit_id,
            kind: TimelineKind::Admitted { case_id: case.id },
        });
        // As the case shows them: no answer to a message the caller may not see, and no
        // answer of a unit she blocked to another unit's message (an attack review in session
        // 21 read a hidden note's kind from another unit's answer to it).
        for m in &crate::discharge::messages_as_seen(grant, messages) {
            events.push(TimelineEvent {
                key: m.id,
                at: m.sent_at,
                unit_id: m.sent_by_unit,
                kind: TimelineKind::MessageSent {
                    case_id: case.id,
                    kind: m.kind,
                },
            });
            for answer in m.recipients.iter().filter(|r| {
                matches!(
                    r.status,
                    RecipientStatus::Acknowledged | RecipientStatus::OptedOut
                )
            }) {
                let Some(at) = answer.answered_at else {
                    continue;
                };
                let kind = TimelineKind::MessageAnswered {
                    case_id: case.id,
                    kind: m.kind,
                    answer: answer.status,
                };
                events.push(TimelineEvent {
                    key: derived_key(m.id, answer.unit_id.as_bytes()),
                    at,
                    unit_id: answer.unit_id,
                    kind,
                });
            }
        }
    }
    for (plan_id, versions) in visible_plans {
        for v in versions {
            events.push(TimelineEvent {
                key: derived_key(*plan_id, &v.version.to_be_bytes()),
                at: v.changed_at,
                unit_id: v.changed_by_unit,
                kind: TimelineKind::PlanChanged {
                    plan_id: *plan_id,
                    version: v.version,
                    change: v.change,
                },
            });
        }
    }
    // A change is made by an admin or coordinator whose unit cares for her (the access rules
    // admit no other writer: `identity::IDENTITY_CHANGERS` under `access::decide`), so each
    // names the unit it was made at.
    for c in identity_changes {
        let Some(unit_id) = c.changed_by.unit_id else {
            continue;
        };
        events.push(TimelineEvent {
            key: c.id,
            at: c.changed_at,
            unit_id,
            kind: TimelineKind::IdentityChanged {
                previous: grant
                    .may_see_number(person, &c.previous_number)
                    .then(|| c.previous_number.clone()),
                new: grant
                    .may_see_number(person, &c.new_number)
                    .then(|| c.new_number.clone()),
                by: c.changed_by.subject.clone(),
            },
        });
    }
    events.retain(|e| grant.may_see_unit(e.unit_id));
    events.sort_by_key(|e| (e.at, e.key));
    events
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::Role;
    use crate::access::{AccessFacts, Viewer, decide};
    use crate::record::{Block, Recorder};

    const PERSON: Uuid = Uuid::from_u128(1);
    /// A hospital ward of the region.
    const WARD: Uuid = Uuid::from_u128(10);
    const REGION: Uuid = Uuid::from_u128(11);
    /// Home care of the municipality; she blocks it.
    const HOME: Uuid = Uuid::from_u128(20);
    const MUNICIPALITY: Uuid = Uuid::from_u128(21);

    fn at(d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 10, d, h, 0, 0)
            .single()
            .unwrap_or_default()
    }

    /// `unit`'s relationship with her from day `start`, ended on day `end`.
    fn relationship(unit: Uuid, org: Uuid, start: u32, end: Option<u32>) -> CareRelationship {
        CareRelationship {
            id: Uuid::from_u128(unit.as_u128() + 100),
            person_id: PERSON,
            care_unit_id: unit,
            organization_id: org,
            staff_id: None,
            role: RelationshipRole::Other,
            started_by: "x".into(),
            started_by_unit: None,
            started_at: at(start, 8),
            ended_by: end.map(|_| "x".into()),
            ended_by_unit: None,
            ended_at: end.map(|d| at(d, 8)),
        }
    }

    /// Her block of home care from day `day`.
    fn home_blocked(day: u32) -> Block {
        Block {
            id: Uuid::from_u128(3),
            person_id: PERSON,
            blocked_unit_id: HOME,
            reason: None,
            created_by: "esther".into(),
            created_at: at(day, 8),
            lifted_by: None,
            lifted_at: None,
        }
    }

    /// Herself, or a `role` at `unit`.
    fn viewer(role: &'static [Role], unit: Option<Uuid>) -> Viewer<'static> {
        Viewer {
            roles: role,
            unit,
            organization: None,
            person: unit.is_none().then_some(PERSON),
        }
    }

    /// Her timeline as `viewer` sees it, under `block`.
    fn seen_by(
        viewer: &Viewer<'_>,
        relationships: &[CareRelationship],
        block: &Block,
        changes: &[IdentityChange],
    ) -> Vec<TimelineEvent> {
        seen_by_about(
            viewer,
            &crate::fixtures::person(),
            relationships,
            block,
            changes,
        )
    }

    /// Her timeline as `viewer` sees it, under `block`, when she is `person`.
    fn seen_by_about(
        viewer: &Viewer<'_>,
        person: &Person,
        relationships: &[CareRelationship],
        block: &Block,
        changes: &[IdentityChange],
    ) -> Vec<TimelineEvent> {
        let facts = AccessFacts {
            person_id: PERSON,
            relationships,
            emergency_access: false,
            consents: &[],
            blocks: std::slice::from_ref(block),
            today: at(30, 0).date_naive(),
        };
        decide(viewer, &facts)
            .map(|g| timeline(&g, person, relationships, &[], &[], changes))
            .unwrap_or_default()
    }

    #[test]
    fn events_come_in_time_order_and_blocked_units_stay_hidden() {
        let relationships = [
            relationship(WARD, REGION, 20, None),
            relationship(HOME, MUNICIPALITY, 21, Some(25)),
        ];
        let block = home_blocked(22);
        let ward_view = seen_by(
            &viewer(&[Role::Clinician], Some(WARD)),
            &relationships,
            &block,
            &[],
        );
        assert_eq!(
            ward_view.len(),
            1,
            "the blocked home care unit is not shown to the ward"
        );
        let her_view = seen_by(&viewer(&[Role::Person], None), &relationships, &block, &[]);
        let times: Vec<_> = her_view.iter().map(|e| e.at).collect();
        assert_eq!(times, [at(20, 8), at(21, 8), at(25, 8)]);
        assert!(matches!(
            her_view[2].kind,
            TimelineKind::CareRelationshipEnded { .. }
        ));
    }

    #[test]
    fn each_identity_change_is_an_event_of_the_unit_that_made_it_with_both_numbers() {
        let relationships = [
            relationship(WARD, REGION, 20, None),
            relationship(HOME, MUNICIPALITY, 20, None),
        ];
        let number = |text: &str| {
            PersonalNumber::parse_with_reserve(
                text,
                at(30, 0).date_naive(),
                &crate::personal_number::ReserveNumberPattern::default(),
            )
            .unwrap_or_else(|e| panic!("{e}"))
        };
        let change =
            |id: u128, (unit, org): (Uuid, Uuid), from: &str, to: &str, day: u32| IdentityChange {
                id: Uuid::from_u128(id),
                person_id: PERSON,
                previous_number: number(from),
                new_number: number(to),
                reason: crate::identity::parse_change_reason("Identifierad")
                    .unwrap_or_else(|e| panic!("{e}")),
                changed_by: Recorder {
                    subject: format!("SE2321000057-{id}"),
                    unit_id: Some(unit),
                    organization_id: Some(org),
                },
                changed_at: at(day, 9),
            };
        // Identified at the ward, later given a new personnummer at home care.
        let changes = [
            change(
                7,
                (HOME, MUNICIPALITY),
                "19121212-1212",
                "19410708-6995",
                26,
            ),
            change(5, (WARD, REGION), "20261020-R123", "19121212-1212", 21),
        ];
        let block = home_blocked(27);
        let changed = |viewer: &Viewer<'_>| -> Vec<TimelineKind> {
            seen_by(viewer, &relationships, &block, &changes)
                .into_iter()
                .filter(|e| matches!(e.kind, TimelineKind::IdentityChanged { .. }))
                .map(|e| e.kind)
                .collect()
        };
        let her = changed(&viewer(&[Role::Person], None));
        assert_eq!(
            her,
            [
                TimelineKind::IdentityChanged {
                    previous: Some(number("20261020-R123")),
                    new: Some(number("19121212-1212")),
                    by: "SE2321000057-5".into(),
                },
                TimelineKind::IdentityChanged {
                    previous: Some(number("19121212-1212")),
                    new: Some(number("19410708-6995")),
                    by: "SE2321000057-7".into(),
                },
            ],
            "oldest first, both numbers and who changed it"
        );
        assert_eq!(
            changed(&viewer(&[Role::Coordinator], Some(WARD))),
            her[..1],
            "the change home care made is home care's part: she blocked it for the ward"
        );
        assert_eq!(
            changed(&viewer(&[Role::Coordinator], Some(HOME))),
            her,
            "the blocked unit sees its own part"
        );
        // Under protected identity staff see only her number now: neither earlier number, nor
        // the first change's new number, which the second replaced (it would give the link).
        let protected = Person {
            protected_identity: true,
            personal_number: number("19410708-6995"),
            ..crate::fixtures::person()
        };
        type Shown = (Option<PersonalNumber>, Option<PersonalNumber>);
        let under_protection = |viewer: &Viewer<'_>| -> Vec<Shown> {
            seen_by_about(viewer, &protected, &relationships, &block, &changes)
                .into_iter()
                .filter_map(|e| match e.kind {
                    TimelineKind::IdentityChanged { previous, new, .. } => Some((previous, new)),
                    _ => None,
                })
                .collect()
        };
        assert_eq!(
            under_protection(&viewer(&[Role::Coordinator], Some(HOME))),
            [(None, None), (None, Some(number("19410708-6995")))],
            "under protected identity staff see no number she had before"
        );
        assert_eq!(
            under_protection(&viewer(&[Role::Person], None)),
            [
                (Some(number("20261020-R123")), Some(number("19121212-1212"))),
                (Some(number("19121212-1212")), Some(number("19410708-6995"))),
            ],
            "she sees her own"
        );
    }
}
