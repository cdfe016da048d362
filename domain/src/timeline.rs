//! Her care timeline: every event of her care chain across organizations, in time order.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::access::Grant;
use crate::discharge::{CaseMessage, CoordinationCase, MessageKind, RecipientStatus};
use crate::plan::{PlanChange, PlanVersion};
use crate::record::{CareRelationship, RelationshipRole};

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

/// Her events from her care relationships, cases and the versions of the plans the caller may
/// see, oldest first, leaving out what the grant hides (the part of a unit she blocked, for
/// other units).
pub fn timeline(
    grant: &Grant,
    relationships: &[CareRelationship],
    cases: &[(CoordinationCase, Vec<CaseMessage>)],
    visible_plans: &[(Uuid, Vec<PlanVersion>)],
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
        events.push(TimelineEvent {
            key: case.id,
            at: case.admitted_at,
            unit_id: case.hospital_unit_id,
            kind: TimelineKind::Admitted { case_id: case.id },
        });
        for m in messages {
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
    use crate::record::Block;

    fn at(d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 10, d, h, 0, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn events_come_in_time_order_and_blocked_units_stay_hidden() {
        let person = Uuid::from_u128(1);
        let (ward, home, region, municipality) = (
            Uuid::from_u128(10),
            Uuid::from_u128(20),
            Uuid::from_u128(11),
            Uuid::from_u128(21),
        );
        let relationship = |unit, org, start, end: Option<u32>| CareRelationship {
            id: Uuid::now_v7(),
            person_id: person,
            care_unit_id: unit,
            organization_id: org,
            staff_id: None,
            role: RelationshipRole::Other,
            started_by: "x".into(),
            started_at: at(start, 8),
            ended_by: end.map(|_| "x".into()),
            ended_at: end.map(|d| at(d, 8)),
        };
        let relationships = [
            relationship(ward, region, 20, None),
            relationship(home, municipality, 21, Some(25)),
        ];
        let block = Block {
            id: Uuid::now_v7(),
            person_id: person,
            blocked_unit_id: home,
            reason: None,
            created_by: "esther".into(),
            created_at: at(22, 8),
            lifted_by: None,
            lifted_at: None,
        };
        let ward_viewer = Viewer {
            roles: &[Role::Clinician],
            unit: Some(ward),
            organization: None,
            person: None,
        };
        let own = Viewer {
            roles: &[Role::Person],
            unit: None,
            organization: None,
            person: Some(person),
        };
        let facts = AccessFacts {
            person_id: person,
            relationships: &relationships,
            emergency_access: false,
            consents: &[],
            blocks: std::slice::from_ref(&block),
            today: at(30, 0).date_naive(),
        };
        let ward_grant = decide(&ward_viewer, &facts);
        let own_grant = decide(&own, &facts);
        let ward_view = ward_grant
            .map(|g| timeline(&g, &relationships, &[], &[]))
            .unwrap_or_default();
        assert_eq!(
            ward_view.len(),
            1,
            "the blocked home care unit is not shown to the ward"
        );
        let her_view = own_grant
            .map(|g| timeline(&g, &relationships, &[], &[]))
            .unwrap_or_default();
        let times: Vec<_> = her_view.iter().map(|e| e.at).collect();
        assert_eq!(times, [at(20, 8), at(21, 8), at(25, 8)]);
        assert!(matches!(
            her_view[2].kind,
            TimelineKind::CareRelationshipEnded { .. }
        ));
    }
}
