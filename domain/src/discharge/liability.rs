//! Whose payment liability, and for which periods: the municipality that pays, and the
//! conditions of Lag (2017:612) under which it is liable at all. The rules and their sources:
//! docs/decisions/0018-payment-liability-rules.md.
//!
//! A municipality pays only for a period that began with a `ready_for_discharge` one of its
//! own units received, after an admission notice and a planning call reached one of its units,
//! and only until every one of its units in the case answered "not involved".

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{CaseMessage, MessageKind, ReadyPeriod, RecipientStatus};
use crate::MunicipalityCode;

crate::string_enum! {
    /// A condition of the municipality's payment liability.
    pub enum LiabilityCondition {
        /// A paying municipality is known: hers (where she is registered), or one named by a
        /// recorded decision.
        PayingMunicipality => "paying_municipality",
        /// The ward sent the admission notice (inskrivningsmeddelande) to a unit of the paying
        /// municipality before she was ready for discharge.
        AdmissionNotice => "admission_notice",
        /// A unit of the paying municipality received `ready_for_discharge`.
        ReadyForDischarge => "ready_for_discharge",
        /// A planning call reached a unit of the paying municipality before she was ready for
        /// discharge (she needs municipal care: that is why the municipality is asked to take
        /// her home).
        PlanningCall => "planning_call",
    }
}

/// What liability needs to know beyond the case's messages.
#[derive(Debug, Clone, Copy)]
pub struct LiabilityFacts<'a> {
    /// The municipality that pays: hers, or the one a recorded decision names.
    pub paying_municipality: Option<MunicipalityCode>,
    /// The units addressed in the case that belong to a municipality (an organization of kind
    /// `municipality`), with that municipality's code. Region and private units are absent.
    pub municipal_units: &'a [(Uuid, MunicipalityCode)],
}

/// The periods the paying municipality is liable for, and why it is not liable for others.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MunicipalPeriods {
    /// From a `ready_for_discharge` one of its units received (all conditions met) until the
    /// withdrawal, discharge or interruption, or until it was no longer involved.
    pub periods: Vec<ReadyPeriod>,
    /// The conditions missing for a `ready_for_discharge` that started no period, each once.
    pub conditions_missing: Vec<LiabilityCondition>,
    /// When the last of its units in the case answered "not involved", if all have.
    pub not_involved_since: Option<DateTime<Utc>>,
}

/// The periods the paying municipality pays for, from the case's messages in the order sent.
/// Each `ready_for_discharge` starts a period only when, by then, an admission notice and a
/// planning call reached a unit of the municipality and the message itself reached one (a
/// retracted recipient counts as never reached); otherwise the missing conditions are named.
/// Once every unit of the municipality in the case has answered "not involved", periods end
/// at that answer.
pub fn municipal_periods(messages: &[CaseMessage], facts: &LiabilityFacts<'_>) -> MunicipalPeriods {
    let mut result = MunicipalPeriods::default();
    let Some(municipality) = facts.paying_municipality else {
        if messages
            .iter()
            .any(|m| m.kind == MessageKind::ReadyForDischarge)
        {
            result.conditions_missing = vec![LiabilityCondition::PayingMunicipality];
        }
        return result;
    };
    let of_municipality = |unit: Uuid| {
        facts
            .municipal_units
            .iter()
            .any(|(id, code)| *id == unit && *code == municipality)
    };
    let reached = |message: &CaseMessage| {
        message
            .recipients
            .iter()
            .any(|r| r.status != RecipientStatus::Retracted && of_municipality(r.unit_id))
    };
    let (mut notice, mut planning, mut ready) = (false, false, false);
    for message in messages {
        match message.kind {
            MessageKind::AdmissionNotice => notice |= reached(message),
            MessageKind::PlanningCall => planning |= reached(message),
            MessageKind::ReadyForDischarge if !ready => {
                ready = true;
                let missing = [
                    (notice, LiabilityCondition::AdmissionNotice),
                    (reached(message), LiabilityCondition::ReadyForDischarge),
                    (planning, LiabilityCondition::PlanningCall),
                ];
                let missing: Vec<LiabilityCondition> = missing
                    .into_iter()
                    .filter(|(met, _)| !met)
                    .map(|(_, condition)| condition)
                    .collect();
                if missing.is_empty() {
                    result.periods.push(ReadyPeriod {
                        received_at: message.sent_at,
                        ended_at: None,
                    });
                }
                result.conditions_missing.extend(missing);
            }
            MessageKind::ReadyForDischargeWithdrawn
            | MessageKind::DischargeNotice
            | MessageKind::ProcessInterrupted
                if ready =>
            {
                ready = false;
                if let Some(open) = result.periods.last_mut().filter(|p| p.ended_at.is_none()) {
                    open.ended_at = Some(message.sent_at);
                }
            }
            _ => {}
        }
    }
    result.conditions_missing.sort_unstable();
    result.conditions_missing.dedup();
    result.not_involved_since = not_involved_since(messages, of_municipality);
    if let Some(since) = result.not_involved_since {
        result.periods.retain(|p| p.received_at < since);
        for period in &mut result.periods {
            period.ended_at = Some(period.ended_at.map_or(since, |ended| ended.min(since)));
        }
    }
    result
}

/// When the last of the municipality's units addressed in the case answered "not involved",
/// if every one of them has (units a message was only retracted from do not count).
fn not_involved_since(
    messages: &[CaseMessage],
    of_municipality: impl Fn(Uuid) -> bool,
) -> Option<DateTime<Utc>> {
    let entries = || {
        messages.iter().flat_map(|m| {
            m.recipients
                .iter()
                .filter(|r| r.status != RecipientStatus::Retracted && of_municipality(r.unit_id))
                .map(move |r| (m, r))
        })
    };
    let mut since: Option<DateTime<Utc>> = None;
    for (_, entry) in entries() {
        let opted_out = entries()
            .filter(|(_, r)| r.unit_id == entry.unit_id && r.status == RecipientStatus::OptedOut)
            .map(|(m, r)| r.answered_at.unwrap_or(m.sent_at))
            .min()?;
        since = since.max(Some(opted_out));
    }
    since
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::discharge::Recipient;

    const HOME_CARE: Uuid = Uuid::from_u128(0x20);
    const OTHER_TOWN: Uuid = Uuid::from_u128(0x21);
    const PRIMARY_CARE: Uuid = Uuid::from_u128(0x30);

    fn at(d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, d, h, 0, 0)
            .single()
            .unwrap_or_default()
    }

    fn code(text: &str) -> MunicipalityCode {
        MunicipalityCode::parse(text).unwrap_or_else(|e| panic!("{e}"))
    }

    fn municipal() -> Vec<(Uuid, MunicipalityCode)> {
        vec![(HOME_CARE, code("0682")), (OTHER_TOWN, code("0680"))]
    }

    fn sent(
        kind: MessageKind,
        day: u32,
        to: &[(Uuid, RecipientStatus, Option<u32>)],
    ) -> CaseMessage {
        CaseMessage {
            id: Uuid::now_v7(),
            case_id: Uuid::nil(),
            kind,
            text: None,
            sent_by: "ward".into(),
            sent_by_unit: Uuid::nil(),
            sent_at: at(day, 9),
            recipients: to
                .iter()
                .map(|(unit, status, answered)| Recipient {
                    status: *status,
                    answered_at: answered.map(|d| at(d, 12)),
                    ..Recipient::pending(*unit)
                })
                .collect(),
        }
    }

    fn to(unit: Uuid) -> (Uuid, RecipientStatus, Option<u32>) {
        (unit, RecipientStatus::Pending, None)
    }

    fn periods_for(messages: &[CaseMessage], paying: &str) -> MunicipalPeriods {
        let units = municipal();
        municipal_periods(
            messages,
            &LiabilityFacts {
                paying_municipality: Some(code(paying)),
                municipal_units: &units,
            },
        )
    }

    fn journey(ready_to: &[(Uuid, RecipientStatus, Option<u32>)]) -> Vec<CaseMessage> {
        vec![
            sent(
                MessageKind::AdmissionNotice,
                2,
                &[to(HOME_CARE), to(OTHER_TOWN)],
            ),
            sent(
                MessageKind::PlanningCall,
                3,
                &[to(HOME_CARE), to(OTHER_TOWN)],
            ),
            sent(MessageKind::ReadyForDischarge, 10, ready_to),
            sent(MessageKind::DischargeNotice, 16, &[to(HOME_CARE)]),
        ]
    }

    #[test]
    fn a_ready_for_discharge_only_primary_care_received_gives_no_liability() {
        let result = periods_for(&journey(&[to(PRIMARY_CARE)]), "0682");
        assert!(result.periods.is_empty());
        assert_eq!(
            result.conditions_missing,
            [LiabilityCondition::ReadyForDischarge]
        );
    }

    #[test]
    fn only_her_municipality_pays_when_two_are_addressed() {
        let messages = journey(&[to(HOME_CARE), to(OTHER_TOWN)]);
        let hers = periods_for(&messages, "0682");
        assert_eq!(
            hers.periods,
            [ReadyPeriod {
                received_at: at(10, 9),
                ended_at: Some(at(16, 9))
            }]
        );
        assert!(hers.conditions_missing.is_empty());
        let to_other_town_only = journey(&[to(OTHER_TOWN)]);
        assert!(periods_for(&to_other_town_only, "0682").periods.is_empty());
    }

    #[test]
    fn each_missing_condition_is_named() {
        let messages = vec![
            sent(MessageKind::AdmissionNotice, 2, &[to(PRIMARY_CARE)]),
            sent(MessageKind::ReadyForDischarge, 10, &[to(HOME_CARE)]),
        ];
        let result = periods_for(&messages, "0682");
        assert!(result.periods.is_empty());
        assert_eq!(
            result.conditions_missing,
            [
                LiabilityCondition::AdmissionNotice,
                LiabilityCondition::PlanningCall
            ]
        );
        let units = municipal();
        let nobody_pays = municipal_periods(
            &messages,
            &LiabilityFacts {
                paying_municipality: None,
                municipal_units: &units,
            },
        );
        assert_eq!(
            nobody_pays.conditions_missing,
            [LiabilityCondition::PayingMunicipality]
        );
        assert_eq!(
            periods_for(&messages[..1], "0682"),
            MunicipalPeriods::default(),
            "not ready yet: nothing is missing"
        );
    }

    #[test]
    fn a_retracted_recipient_never_received_the_message() {
        let messages = journey(&[(HOME_CARE, RecipientStatus::Retracted, Some(11))]);
        assert_eq!(
            periods_for(&messages, "0682").conditions_missing,
            [LiabilityCondition::ReadyForDischarge]
        );
    }

    #[test]
    fn liability_ends_when_the_only_municipal_unit_answers_not_involved() {
        let messages = journey(&[(HOME_CARE, RecipientStatus::OptedOut, Some(12))]);
        let result = periods_for(&messages, "0682");
        assert_eq!(result.not_involved_since, Some(at(12, 12)));
        assert_eq!(
            result.periods,
            [ReadyPeriod {
                received_at: at(10, 9),
                ended_at: Some(at(12, 12))
            }]
        );
        let before_ready = vec![
            sent(
                MessageKind::AdmissionNotice,
                2,
                &[(HOME_CARE, RecipientStatus::OptedOut, Some(2))],
            ),
            sent(MessageKind::ReadyForDischarge, 10, &[to(PRIMARY_CARE)]),
        ];
        let out_early = periods_for(&before_ready, "0682");
        assert!(out_early.periods.is_empty());
        assert_eq!(out_early.not_involved_since, Some(at(2, 12)));
    }

    #[test]
    fn a_municipality_stays_involved_while_one_of_its_units_is() {
        let messages = vec![
            sent(MessageKind::AdmissionNotice, 2, &[to(HOME_CARE)]),
            sent(MessageKind::PlanningCall, 3, &[to(HOME_CARE)]),
            sent(
                MessageKind::ReadyForDischarge,
                10,
                &[(HOME_CARE, RecipientStatus::OptedOut, Some(12))],
            ),
        ];
        let units = vec![(HOME_CARE, code("0682")), (OTHER_TOWN, code("0682"))];
        let facts = LiabilityFacts {
            paying_municipality: Some(code("0682")),
            municipal_units: &units,
        };
        let mut with_second_unit = messages.clone();
        with_second_unit[1]
            .recipients
            .push(Recipient::pending(OTHER_TOWN));
        assert_eq!(
            municipal_periods(&with_second_unit, &facts).not_involved_since,
            None
        );
        assert_eq!(
            municipal_periods(&messages, &facts).not_involved_since,
            Some(at(12, 12))
        );
    }
}
