//! The messages of a case: what a unit may send (and what sending changes), and how an
//! addressed unit's entry moves on — its answer, or the sender taking the message back.
//!
//! Each decision takes what the caller loaded and returns what to write, or why not; nothing
//! here reads a clock or a database.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use uuid::Uuid;

use super::{AgreementSettings, CaseMessage, CoordinationCase, IllegalTransition, MessageKind};
use super::{Recipient, RecipientStatus, involved_units, opted_out_units};
use crate::plan::{PlanningConsentProblem, coordinated_planning_consent};
use crate::record::{Actor, CareRelationship, Consent, FreeText, RelationshipRole};
use crate::{CareUnit, CareUnitKind};

/// How far ahead of the server's clock a reported `sent_at` may be (clock skew), in seconds.
pub const SENT_AT_CLOCK_SKEW_SECS: i64 = 300;

/// A message a unit asks to send in a case, parsed from the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMessage {
    pub kind: MessageKind,
    /// The addressed units, each once. Empty for a `process_interrupted`: every unit still
    /// involved in the case ([`involved_units`]).
    pub to: Vec<Uuid>,
    pub text: Option<FreeText>,
    /// For `expected_discharge_update`: the new expected discharge date.
    pub expected_discharge_date: Option<NaiveDate>,
    /// When it was sent, for systems that report afterwards; `None` is now.
    pub sent_at: Option<DateTime<Utc>>,
}

/// Who sends: the user (token `sub`) and the unit they send for.
#[derive(Debug, Clone, Copy)]
pub struct Sender<'a> {
    pub subject: &'a str,
    pub unit: Uuid,
}

/// What is known when a message is sent, as loaded for the decision.
#[derive(Debug, Clone, Copy)]
pub struct SendFacts<'a> {
    /// The case's messages so far.
    pub earlier: &'a [CaseMessage],
    /// The units the message is addressed to, as found by id (unknown ids are absent); for a
    /// `process_interrupted` without recipients, the units of the earlier messages' recipients.
    pub addressed: &'a [CareUnit],
    /// Her care relationships (ended ones may be included; only active ones count).
    pub relationships: &'a [CareRelationship],
    /// The units of her fast vårdkontakt relationships, as found by id (see
    /// [`fast_vardkontakt_unit_ids`]).
    pub fast_vardkontakt_units: &'a [CareUnit],
    /// Her consent decisions.
    pub consents: &'a [Consent],
    /// The sender's unit and the case's ward, as found by id (absent when unknown).
    pub sender_unit: Option<&'a CareUnit>,
    pub ward: Option<&'a CareUnit>,
    /// The region agreement (inpatient unit kinds, fast vårdkontakt unit kinds).
    pub agreement: &'a AgreementSettings,
    /// The business calendar's date today.
    pub today: NaiveDate,
    pub now: DateTime<Utc>,
}

/// What sending a message changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendDecision {
    /// The case as it stands after the message (state, expected discharge date); written over
    /// the case at its version.
    pub case: CoordinationCase,
    /// The message to store, every addressed unit pending.
    pub message: CaseMessage,
    /// Care relationships started for addressed units that do not care for her yet: they join
    /// her care team for the planning. Each belongs to the case (it may end them again).
    pub joining: Vec<CareRelationship>,
}

/// Why a unit may not act for the ward.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WardRefused {
    /// The caller's unit is not in the directory.
    #[error("care unit {0} is not in the directory: only an inpatient unit may act for the ward")]
    UnknownUnit(Uuid),
    /// Only inpatient units open cases.
    #[error(
        "only an inpatient unit (kinds: {}) may open a coordination case; care unit {unit} is a `{kind}`",
        kind_list(.allowed)
    )]
    NotInpatient {
        unit: Uuid,
        kind: CareUnitKind,
        allowed: Vec<CareUnitKind>,
    },
    /// Ward-side messages come from the admitting ward or an inpatient unit of its organization.
    #[error(
        "a `{kind}` is sent for the ward: by the admitting ward or an inpatient unit of its organization; care unit {unit} is neither"
    )]
    NotTheWard { unit: Uuid, kind: MessageKind },
}

fn kind_list(kinds: &[CareUnitKind]) -> String {
    kinds
        .iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A write refused because one of her open coordination cases stands in its way (409): what
/// to tell the caller, and the case's id when the caller may see the case (`None` when her
/// block hides it, decision 0027), for a client to follow without reading `detail`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{detail}")]
pub struct CaseConflict {
    pub detail: String,
    pub case_id: Option<Uuid>,
}

/// A new case may be opened only when none of hers is still open: one inpatient stay at a
/// time, each with one notice deadline and one payment liability (two open cases would count
/// liability twice). `Err` (409) names the open case when `shown(case)` says the caller sees
/// it, and otherwise says only that one is open at another ward (a case of a ward she blocked,
/// decision 0027).
pub fn check_no_open_case(
    her_cases: &[CoordinationCase],
    shown: impl FnOnce(&CoordinationCase) -> bool,
) -> Result<(), CaseConflict> {
    match her_cases.iter().find(|case| !case.state.is_closed()) {
        Some(open) if shown(open) => Err(CaseConflict {
            detail: format!(
                "she already has an open coordination case ({}, admitted {}, state `{}`); discharge or interrupt it first",
                open.id, open.admitted_at, open.state
            ),
            case_id: Some(open.id),
        }),
        Some(_) => Err(CaseConflict {
            detail: "she already has an open coordination case at another ward; it must be discharged or interrupted first"
                .to_owned(),
            case_id: None,
        }),
        None => Ok(()),
    }
}

/// Whether `unit` (the caller's unit, as found by `id`) may open a case as her ward: it must
/// exist and be of an inpatient kind of the agreement.
pub fn may_open_case(
    settings: &AgreementSettings,
    id: Uuid,
    unit: Option<&CareUnit>,
) -> Result<(), WardRefused> {
    let unit = unit.ok_or(WardRefused::UnknownUnit(id))?;
    if settings.is_inpatient(unit.kind) {
        return Ok(());
    }
    Err(WardRefused::NotInpatient {
        unit: unit.id,
        kind: unit.kind,
        allowed: settings.inpatient_unit_kinds.clone(),
    })
}

impl MessageKind {
    /// The kinds only the ward side sends: the admission notice, ready for discharge and its
    /// withdrawal, the discharge notice and the interruption.
    pub fn is_ward_side(self) -> bool {
        matches!(
            self,
            MessageKind::AdmissionNotice
                | MessageKind::ReadyForDischarge
                | MessageKind::ReadyForDischargeWithdrawn
                | MessageKind::DischargeNotice
                | MessageKind::ProcessInterrupted
        )
    }
}

/// Something a planning call needs that is not in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanningGap {
    /// No active fast vårdkontakt at a unit of a kind the agreement allows for this care.
    FastVardkontakt,
    /// No consent to coordinated planning in force today.
    Consent(PlanningConsentProblem),
}

impl PlanningGap {
    /// The request field the gap is reported under.
    pub fn field(&self) -> &'static str {
        match self {
            Self::FastVardkontakt => "fast_vardkontakt",
            Self::Consent(_) => "consent",
        }
    }
}

impl std::fmt::Display for PlanningGap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::FastVardkontakt => f.write_str(
                "no fast vårdkontakt is appointed at a unit of a kind the region agreement allows for this care (by default a primary care centre, or for psychiatric care also a psychiatric outpatient unit): start a care relationship with role `fast_vardkontakt` first",
            ),
            Self::Consent(problem) => problem.fmt(f),
        }
    }
}

/// Why a message is not sent. The first rule broken wins, in the order of the variants.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendRefused {
    /// The case's state does not allow this kind of message.
    #[error(transparent)]
    IllegalTransition(#[from] IllegalTransition),
    /// A ward-side message from a unit that may not act for the ward.
    #[error(transparent)]
    NotTheWard(#[from] WardRefused),
    /// `sent_at` is before the admission or the previous message, or beyond the clock skew.
    #[error("must be after the admission and the case's previous message, and not in the future")]
    SentAtOutOfOrder,
    /// An addressed unit answered earlier that it is not involved in the case.
    #[error("care unit {0} answered that it is not involved in this case")]
    OptedOut(Uuid),
    /// No care unit has this id.
    #[error("no care unit has id {0}")]
    UnknownUnit(Uuid),
    /// The addressed unit is deactivated.
    #[error("care unit {0} is deactivated")]
    DeactivatedUnit(Uuid),
    /// A planning call without what it needs; every gap is named.
    #[error("a planning call needs: {}", gap_list(.0))]
    PlanningCallNotReady(Vec<PlanningGap>),
}

fn gap_list(gaps: &[PlanningGap]) -> String {
    gaps.iter()
        .map(PlanningGap::field)
        .collect::<Vec<_>>()
        .join(", ")
}

impl SendRefused {
    /// The request field each broken rule is about, with its message; empty for an illegal
    /// transition (a conflict with the case's state, not a field).
    pub fn field_errors(&self) -> Vec<(&'static str, String)> {
        match self {
            Self::IllegalTransition(_) | Self::NotTheWard(_) => Vec::new(),
            Self::SentAtOutOfOrder => vec![("sent_at", self.to_string())],
            Self::OptedOut(_) | Self::UnknownUnit(_) | Self::DeactivatedUnit(_) => {
                vec![("to", self.to_string())]
            }
            Self::PlanningCallNotReady(gaps) => gaps
                .iter()
                .map(|gap| (gap.field(), gap.to_string()))
                .collect(),
        }
    }
}

/// The units whose kind the planning call's fast vårdkontakt rule needs: those of her active
/// fast vårdkontakt relationships.
pub fn fast_vardkontakt_unit_ids(relationships: &[CareRelationship]) -> Vec<Uuid> {
    relationships
        .iter()
        .filter(|r| r.is_active() && r.role == RelationshipRole::FastVardkontakt)
        .map(|r| r.care_unit_id)
        .collect()
}

/// What a planning call needs that is missing: an active fast vårdkontakt at a unit of one of
/// `fast_vardkontakt_kinds` (the agreement's list for her care), and her consent to
/// coordinated planning in force on `today`.
pub fn planning_call_gaps(
    relationships: &[CareRelationship],
    fast_vardkontakt_units: &[CareUnit],
    fast_vardkontakt_kinds: &[CareUnitKind],
    consents: &[Consent],
    today: NaiveDate,
) -> Vec<PlanningGap> {
    let mut gaps = Vec::new();
    let at_allowed_unit = fast_vardkontakt_unit_ids(relationships).iter().any(|id| {
        fast_vardkontakt_units
            .iter()
            .any(|u| u.id == *id && fast_vardkontakt_kinds.contains(&u.kind))
    });
    if !at_allowed_unit {
        gaps.push(PlanningGap::FastVardkontakt);
    }
    if let Err(problem) = coordinated_planning_consent(consents, today) {
        gaps.push(PlanningGap::Consent(problem));
    }
    gaps
}

impl CoordinationCase {
    /// Whether `sender` may send a ward-side message in this case: it is the admitting ward, or
    /// an inpatient unit of the ward's organization.
    pub fn may_act_for_ward(
        &self,
        kind: MessageKind,
        sender: Uuid,
        facts: &SendFacts<'_>,
    ) -> Result<(), WardRefused> {
        if sender == self.hospital_unit_id {
            return Ok(());
        }
        let same_organization_inpatient = match (facts.sender_unit, facts.ward) {
            (Some(unit), Some(ward)) => {
                unit.organization_id == ward.organization_id
                    && facts.agreement.is_inpatient(unit.kind)
            }
            _ => false,
        };
        if same_organization_inpatient {
            return Ok(());
        }
        Err(WardRefused::NotTheWard { unit: sender, kind })
    }

    /// Sends `message` from `sender`: the case's state must allow its kind; a ward-side kind
    /// ([`MessageKind::is_ward_side`]) comes only from a unit that may act for the ward;
    /// `sent_at` (default
    /// now) may not be before the admission or the case's previous message (equal is fine),
    /// nor more than [`SENT_AT_CLOCK_SKEW_SECS`] after now; no addressed unit may have opted
    /// out of the case, and each must exist and be active (a `process_interrupted` addressed to
    /// no unit goes to the active units still [`involved_units`] now, but the sender, and to
    /// none when there are none: a case opened by mistake closes without taking a unit into her care team, which
    /// would open her record to it); a planning call needs
    /// [`planning_call_gaps`] to be empty. Addressed units without an active care relationship
    /// join her care team (role `other`). `new_id` gives the ids of what is created.
    pub fn send(
        &self,
        message: NewMessage,
        sender: Sender<'_>,
        facts: &SendFacts<'_>,
        mut new_id: impl FnMut() -> Uuid,
    ) -> Result<SendDecision, SendRefused> {
        let next = self.state.apply(message.kind)?;
        if message.kind.is_ward_side() {
            self.may_act_for_ward(message.kind, sender.unit, facts)?;
        }
        let sent_at = message.sent_at.unwrap_or(facts.now);
        let not_before = facts
            .earlier
            .iter()
            .map(|m| m.sent_at)
            .fold(self.admitted_at, DateTime::max);
        if sent_at < not_before || sent_at > facts.now + Duration::seconds(SENT_AT_CLOCK_SKEW_SECS)
        {
            return Err(SendRefused::SentAtOutOfOrder);
        }
        let to = if message.to.is_empty() && message.kind == MessageKind::ProcessInterrupted {
            // Nobody is dragged into her care to close a case: the interruption goes to the
            // units still involved (as the case stands now, whatever `sent_at` says) that can
            // still receive messages, not the sender itself; possibly none.
            involved_units(facts.earlier)
                .into_iter()
                .filter(|id| *id != sender.unit)
                .filter(|id| facts.addressed.iter().any(|u| u.id == *id && u.active))
                .collect()
        } else {
            message.to
        };
        let opted_out = opted_out_units(facts.earlier);
        if let Some(unit) = to.iter().find(|unit| opted_out.contains(unit)) {
            return Err(SendRefused::OptedOut(*unit));
        }
        let mut addressed = Vec::with_capacity(to.len());
        for id in &to {
            match facts.addressed.iter().find(|u| u.id == *id) {
                Some(unit) if unit.active => addressed.push(unit),
                Some(_) => return Err(SendRefused::DeactivatedUnit(*id)),
                None => return Err(SendRefused::UnknownUnit(*id)),
            }
        }
        if message.kind == MessageKind::PlanningCall {
            let gaps = planning_call_gaps(
                facts.relationships,
                facts.fast_vardkontakt_units,
                facts.agreement.fast_vardkontakt_kinds(self.care),
                facts.consents,
                facts.today,
            );
            if !gaps.is_empty() {
                return Err(SendRefused::PlanningCallNotReady(gaps));
            }
        }
        let cares_for = |unit: &CareUnit| {
            facts
                .relationships
                .iter()
                .any(|r| r.is_active() && r.care_unit_id == unit.id)
        };
        let joining = addressed
            .into_iter()
            .filter(|unit| !cares_for(unit))
            .map(|unit| {
                CareRelationship::start(
                    new_id(),
                    self.person_id,
                    unit,
                    None,
                    RelationshipRole::Other,
                    Actor {
                        subject: sender.subject,
                        unit: Some(sender.unit),
                    },
                    facts.now,
                )
            })
            .collect();
        let mut case = self.clone();
        case.state = next;
        if message.expected_discharge_date.is_some() {
            case.expected_discharge_date = message.expected_discharge_date;
        }
        let message = CaseMessage {
            id: new_id(),
            case_id: self.id,
            kind: message.kind,
            text: message.text,
            sent_by: sender.subject.to_owned(),
            sent_by_unit: sender.unit,
            sent_at,
            recipients: to.iter().map(|unit| Recipient::pending(*unit)).collect(),
        };
        Ok(SendDecision {
            case,
            message,
            joining,
        })
    }
}

impl RecipientStatus {
    /// Whether a recipient in this status may move to `next`: an answer (acknowledged, opted
    /// out) only while pending; a retraction from any status but retracted; never back to
    /// pending.
    pub fn may_become(self, next: RecipientStatus) -> bool {
        use RecipientStatus as S;
        match next {
            S::Acknowledged | S::OptedOut => self == S::Pending,
            S::Retracted => self != S::Retracted,
            S::Pending => false,
        }
    }

    /// The statuses a recipient may move to `next` from (the stored row's guard).
    pub fn may_become_from(next: RecipientStatus) -> Vec<RecipientStatus> {
        Self::ALL
            .iter()
            .copied()
            .filter(|status| status.may_become(next))
            .collect()
    }
}

/// An addressed unit's answer to a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Received: out of the unit's inbox.
    Acknowledge,
    /// "Not involved": the unit gets no further messages in the case.
    OptOut,
}

impl Answer {
    /// The recipient status the answer gives.
    pub fn status(self) -> RecipientStatus {
        match self {
            Answer::Acknowledge => RecipientStatus::Acknowledged,
            Answer::OptOut => RecipientStatus::OptedOut,
        }
    }
}

/// Why a unit's answer is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerRefused {
    /// No message with this id in the case is addressed to the unit.
    #[error("no message {0} in this case is addressed to your unit")]
    NotAddressed(Uuid),
    /// The unit acknowledged or opted out already.
    #[error("your unit has already answered this message")]
    AlreadyAnswered,
    /// The sender took the message back from the unit.
    #[error("the message was retracted from your unit; there is nothing to answer")]
    Retracted,
}

/// Why a message is not taken back from a unit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RetractRefused {
    /// No message with this id in the case was sent to the unit.
    #[error("no message {message} in this case was sent to unit {unit}")]
    NotSent { message: Uuid, unit: Uuid },
    /// Only the unit that sent the message may retract it.
    #[error("only the unit that sent a message may retract it")]
    NotTheSender,
    #[error("the message is already retracted from this unit")]
    AlreadyRetracted,
}

impl Recipient {
    /// A unit just addressed, not answered yet.
    pub fn pending(unit_id: Uuid) -> Self {
        Self {
            unit_id,
            status: RecipientStatus::Pending,
            answered_by: None,
            answered_at: None,
            retract_reason: None,
        }
    }
}

/// The entry of `unit` among the recipients of message `message_id`, with the message.
fn addressed_to(
    messages: &[CaseMessage],
    message_id: Uuid,
    unit: Uuid,
) -> Option<(&CaseMessage, &Recipient)> {
    messages
        .iter()
        .filter(|m| m.id == message_id)
        .find_map(|m| {
            m.recipients
                .iter()
                .find(|r| r.unit_id == unit)
                .map(|r| (m, r))
        })
}

/// `unit`'s answer to message `message_id` of the case (`messages`), given by `by` at `at`:
/// the recipient entry to store. Only a unit the message is addressed to answers, and only
/// while its answer is pending.
pub fn answer(
    messages: &[CaseMessage],
    message_id: Uuid,
    unit: Uuid,
    answer: Answer,
    by: &str,
    at: DateTime<Utc>,
) -> Result<Recipient, AnswerRefused> {
    let (_, recipient) =
        addressed_to(messages, message_id, unit).ok_or(AnswerRefused::NotAddressed(message_id))?;
    match recipient.status {
        status if status.may_become(answer.status()) => Ok(Recipient {
            status: answer.status(),
            answered_by: Some(by.to_owned()),
            answered_at: Some(at),
            ..recipient.clone()
        }),
        RecipientStatus::Retracted => Err(AnswerRefused::Retracted),
        _ => Err(AnswerRefused::AlreadyAnswered),
    }
}

/// Who retracts, and when.
#[derive(Debug, Clone, Copy)]
pub struct Retraction<'a> {
    /// The user (token `sub`).
    pub by: &'a str,
    /// The unit they act for, if any: it must be the unit that sent the message.
    pub unit: Option<Uuid>,
    pub at: DateTime<Utc>,
}

/// Message `message_id` taken back from `unit` (sent to the wrong unit), with `reason`: the
/// recipient entry to store. Only the sending unit retracts (asked first, so that any other
/// unit is refused alike whoever it names), and only once per unit; an answer already given
/// does not prevent it.
pub fn retract(
    messages: &[CaseMessage],
    message_id: Uuid,
    unit: Uuid,
    reason: FreeText,
    retraction: Retraction<'_>,
) -> Result<Recipient, RetractRefused> {
    let not_sent = RetractRefused::NotSent {
        message: message_id,
        unit,
    };
    // Whether the sender is the caller is asked before whether `unit` was addressed: the
    // other way round, another unit could tell a recipient her block hides from it (403)
    // from a unit never addressed (404).
    let sender = messages
        .iter()
        .find(|m| m.id == message_id)
        .map(|m| m.sent_by_unit);
    if sender.is_some_and(|sender| retraction.unit != Some(sender)) {
        return Err(RetractRefused::NotTheSender);
    }
    let (_, recipient) = addressed_to(messages, message_id, unit).ok_or(not_sent)?;
    if !recipient.status.may_become(RecipientStatus::Retracted) {
        return Err(RetractRefused::AlreadyRetracted);
    }
    Ok(Recipient {
        status: RecipientStatus::Retracted,
        answered_by: Some(retraction.by.to_owned()),
        answered_at: Some(retraction.at),
        retract_reason: Some(reason),
        ..recipient.clone()
    })
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::discharge::{CaseState, InpatientCare};
    use crate::plan::PlanningConsentProblem;
    use crate::record::{ConsentScope, ConsentStatus, Recorder};
    use crate::{DisplayName, HsaId, MunicipalityCode};

    const WARD: Uuid = Uuid::from_u128(0x10);
    const HOME_CARE: Uuid = Uuid::from_u128(0x20);
    const PRIMARY_CARE: Uuid = Uuid::from_u128(0x30);
    const CLOSED_UNIT: Uuid = Uuid::from_u128(0x40);
    const PERSON: Uuid = Uuid::from_u128(0x50);

    fn at(d: u32, h: u32, min: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 10, d, h, min, s)
            .single()
            .unwrap_or_default()
    }

    fn unit(id: Uuid, kind: CareUnitKind, active: bool) -> CareUnit {
        let (Ok(name), Ok(municipality), Ok(hsa_id)) = (
            DisplayName::parse("Enhet"),
            MunicipalityCode::parse("0682"),
            HsaId::parse("SE2120000522-0001"),
        ) else {
            panic!("fixture values parse");
        };
        CareUnit {
            id,
            name,
            kind,
            organization_id: Uuid::from_u128(id.as_u128() + 1),
            municipality,
            hsa_id,
            active,
            version: 1,
            created_at: at(1, 0, 0, 0),
            updated_at: at(1, 0, 0, 0),
        }
    }

    fn units() -> Vec<CareUnit> {
        vec![
            unit(HOME_CARE, CareUnitKind::HomeCareService, true),
            unit(PRIMARY_CARE, CareUnitKind::PrimaryCareCentre, true),
            unit(CLOSED_UNIT, CareUnitKind::HomeCareService, false),
        ]
    }

    #[test]
    fn a_case_opens_only_when_none_of_hers_is_open() {
        let shown = |_: &CoordinationCase| true;
        assert_eq!(check_no_open_case(&[], shown), Ok(()));
        assert_eq!(
            check_no_open_case(
                &[case(CaseState::Discharged), case(CaseState::Interrupted)],
                shown
            ),
            Ok(())
        );
        // One the caller does not see is not described.
        let hidden = check_no_open_case(&[case(CaseState::Admitted)], |_| false);
        let message = hidden.map_err(|e| (e.to_string(), e.case_id));
        assert!(
            message
                .as_ref()
                .is_err_and(|(m, id)| m.contains("another ward")
                    && !m.contains("admitted 2026")
                    && id.is_none()),
            "{message:?}"
        );
        for open in [
            CaseState::Admitted,
            CaseState::Notified,
            CaseState::Planning,
            CaseState::ReadyForDischarge,
        ] {
            let refused = check_no_open_case(&[case(CaseState::Discharged), case(open)], shown);
            assert!(
                refused.is_err_and(|e| e.detail.contains(open.as_str())
                    && e.case_id == Some(Uuid::from_u128(0x60))),
                "{open}"
            );
        }
    }

    fn case(state: CaseState) -> CoordinationCase {
        CoordinationCase {
            id: Uuid::from_u128(0x60),
            person_id: PERSON,
            hospital_unit_id: WARD,
            care: InpatientCare::Somatic,
            state,
            admitted_at: at(22, 8, 0, 0),
            assessed_at: None,
            expected_discharge_date: None,
            opened_by: "ward".into(),
            paying_decision: None,
            version: 3,
            created_at: at(22, 8, 0, 0),
            updated_at: at(22, 8, 0, 0),
        }
    }

    fn relationship(unit: &CareUnit, role: RelationshipRole) -> CareRelationship {
        CareRelationship::start(
            Uuid::now_v7(),
            PERSON,
            unit,
            None,
            role,
            Actor::without_unit("x"),
            at(1, 0, 0, 0),
        )
    }

    fn planning_consent(status: ConsentStatus) -> Consent {
        Consent {
            id: Uuid::now_v7(),
            person_id: PERSON,
            scope: ConsentScope::CoordinatedPlanning,
            status,
            valid_from: at(1, 0, 0, 0).date_naive(),
            valid_to: None,
            recorded_by: Recorder {
                subject: "esther".into(),
                unit_id: None,
                organization_id: None,
            },
            recorded_at: at(1, 0, 0, 0),
        }
    }

    fn sent(
        kind: MessageKind,
        sent_at: DateTime<Utc>,
        to: &[(Uuid, RecipientStatus)],
    ) -> CaseMessage {
        CaseMessage {
            id: Uuid::now_v7(),
            case_id: Uuid::from_u128(0x60),
            kind,
            text: None,
            sent_by: "ward".into(),
            sent_by_unit: WARD,
            sent_at,
            recipients: to
                .iter()
                .map(|(unit, status)| Recipient {
                    status: *status,
                    ..Recipient::pending(*unit)
                })
                .collect(),
        }
    }

    fn new_message(kind: MessageKind, to: &[Uuid], sent_at: Option<DateTime<Utc>>) -> NewMessage {
        NewMessage {
            kind,
            to: to.to_vec(),
            text: None,
            expected_discharge_date: None,
            sent_at,
        }
    }

    const SENDER: Sender<'static> = Sender {
        subject: "ward-nurse",
        unit: WARD,
    };

    /// The facts at 12:00 on 23 October, with the given history and her record.
    struct World {
        earlier: Vec<CaseMessage>,
        units: Vec<CareUnit>,
        relationships: Vec<CareRelationship>,
        consents: Vec<Consent>,
        ward: CareUnit,
        agreement: AgreementSettings,
    }

    impl World {
        fn new() -> Self {
            Self {
                earlier: Vec::new(),
                units: units(),
                relationships: Vec::new(),
                consents: Vec::new(),
                ward: unit(WARD, CareUnitKind::HospitalWard, true),
                agreement: AgreementSettings::default(),
            }
        }

        fn ready_for_planning() -> Self {
            let mut world = Self::new();
            let primary_care = unit(PRIMARY_CARE, CareUnitKind::PrimaryCareCentre, true);
            world.relationships = vec![relationship(
                &primary_care,
                RelationshipRole::FastVardkontakt,
            )];
            world.consents = vec![planning_consent(ConsentStatus::Given)];
            world
        }

        fn send(
            &self,
            case: &CoordinationCase,
            message: NewMessage,
        ) -> Result<SendDecision, SendRefused> {
            self.send_from(case, message, SENDER)
        }

        fn send_from(
            &self,
            case: &CoordinationCase,
            message: NewMessage,
            sender: Sender<'_>,
        ) -> Result<SendDecision, SendRefused> {
            let sender_unit = self
                .units
                .iter()
                .chain([&self.ward])
                .find(|u| u.id == sender.unit);
            let facts = SendFacts {
                earlier: &self.earlier,
                addressed: &self.units,
                relationships: &self.relationships,
                fast_vardkontakt_units: &self.units,
                consents: &self.consents,
                sender_unit,
                ward: Some(&self.ward),
                agreement: &self.agreement,
                today: at(23, 12, 0, 0).date_naive(),
                now: at(23, 12, 0, 0),
            };
            let mut next = 0x100u128;
            case.send(message, sender, &facts, || {
                next += 1;
                Uuid::from_u128(next)
            })
        }
    }

    fn refusal(result: Result<SendDecision, SendRefused>) -> SendRefused {
        match result {
            Ok(decision) => panic!("sent, expected a refusal: {decision:?}"),
            Err(refused) => refused,
        }
    }

    fn decision(result: Result<SendDecision, SendRefused>) -> SendDecision {
        result.unwrap_or_else(|refused| panic!("refused: {refused}"))
    }

    #[test]
    fn a_message_the_state_does_not_allow_is_an_illegal_transition_before_anything_else() {
        // Also addressed to an unknown unit and sent before the admission: the state wins.
        let refused = refusal(World::new().send(
            &case(CaseState::Admitted),
            new_message(
                MessageKind::ReadyForDischarge,
                &[Uuid::from_u128(9)],
                Some(at(1, 0, 0, 0)),
            ),
        ));
        let SendRefused::IllegalTransition(illegal) = &refused else {
            panic!("{refused:?}");
        };
        assert_eq!(illegal.state, CaseState::Admitted);
        assert!(refused.field_errors().is_empty());
        assert!(
            refused.to_string().contains("admission_notice"),
            "{refused}"
        );
    }

    #[test]
    fn sent_at_may_equal_the_previous_message_but_not_precede_it() {
        let mut world = World::new();
        world.earlier = vec![sent(MessageKind::AdmissionNotice, at(22, 20, 0, 0), &[])];
        let case = case(CaseState::Notified);
        let note = |sent_at| new_message(MessageKind::CoordinationNote, &[], Some(sent_at));
        let same_instant = decision(world.send(&case, note(at(22, 20, 0, 0))));
        assert_eq!(same_instant.message.sent_at, at(22, 20, 0, 0));
        let refused = refusal(world.send(&case, note(at(22, 19, 59, 59))));
        assert_eq!(refused, SendRefused::SentAtOutOfOrder);
        assert_eq!(
            refused.field_errors(),
            [(
                "sent_at",
                "must be after the admission and the case's previous message, and not in the future".to_owned()
            )]
        );
    }

    #[test]
    fn sent_at_may_equal_the_admission_but_not_precede_it() {
        let world = World::new();
        let case = case(CaseState::Admitted);
        let notice =
            |sent_at| new_message(MessageKind::AdmissionNotice, &[HOME_CARE], Some(sent_at));
        assert!(world.send(&case, notice(at(22, 8, 0, 0))).is_ok());
        assert_eq!(
            world.send(&case, notice(at(22, 7, 59, 59))).err(),
            Some(SendRefused::SentAtOutOfOrder)
        );
    }

    #[test]
    fn sent_at_may_run_ahead_of_the_clock_by_the_skew_and_no_further() {
        let world = World::new();
        let case = case(CaseState::Notified);
        let note = |sent_at| new_message(MessageKind::CoordinationNote, &[], Some(sent_at));
        // now is 12:00:00; the skew is five minutes.
        assert!(world.send(&case, note(at(23, 12, 5, 0))).is_ok());
        assert_eq!(
            world.send(&case, note(at(23, 12, 5, 1))).err(),
            Some(SendRefused::SentAtOutOfOrder)
        );
        let now = decision(world.send(&case, note_now()));
        assert_eq!(now.message.sent_at, at(23, 12, 0, 0), "no sent_at is now");
    }

    fn note_now() -> NewMessage {
        new_message(MessageKind::CoordinationNote, &[], None)
    }

    #[test]
    fn a_unit_that_opted_out_cannot_be_addressed_again() {
        let mut world = World::new();
        world.earlier = vec![sent(
            MessageKind::AdmissionNotice,
            at(22, 10, 0, 0),
            &[
                (HOME_CARE, RecipientStatus::OptedOut),
                (PRIMARY_CARE, RecipientStatus::Acknowledged),
            ],
        )];
        let case = case(CaseState::Notified);
        let to_both = new_message(
            MessageKind::ReadyForDischarge,
            &[HOME_CARE, PRIMARY_CARE],
            None,
        );
        let refused = refusal(world.send(&case, to_both));
        assert_eq!(refused, SendRefused::OptedOut(HOME_CARE));
        assert_eq!(refused.field_errors()[0].0, "to");
        let to_primary_care = new_message(MessageKind::ReadyForDischarge, &[PRIMARY_CARE], None);
        assert!(
            world.send(&case, to_primary_care).is_ok(),
            "acknowledging is no opt-out"
        );
    }

    #[test]
    fn an_interruption_to_no_unit_goes_to_the_units_still_involved_and_joins_nobody() {
        let interrupted = || new_message(MessageKind::ProcessInterrupted, &[], None);
        // Opened by mistake, nobody told yet: the case closes, to no unit, and no unit joins
        // her care team (a relationship would open her record to it).
        let admitted = decision(World::new().send(&case(CaseState::Admitted), interrupted()));
        assert_eq!(admitted.case.state, CaseState::Interrupted);
        assert!(admitted.message.recipients.is_empty());
        assert!(admitted.joining.is_empty());
        // Told: the units still involved and active hear of it; one that opted out, one
        // retracted from and a deactivated one do not.
        let mut world = World::new();
        world.earlier = vec![
            sent(
                MessageKind::AdmissionNotice,
                at(22, 10, 0, 0),
                &[
                    (HOME_CARE, RecipientStatus::Acknowledged),
                    (PRIMARY_CARE, RecipientStatus::OptedOut),
                    (CLOSED_UNIT, RecipientStatus::Pending),
                ],
            ),
            sent(
                MessageKind::ReadyForDischarge,
                at(22, 11, 0, 0),
                &[(WARD, RecipientStatus::Retracted)],
            ),
            // The ward once addressed itself: it does not send itself the interruption.
            sent(
                MessageKind::CoordinationNote,
                at(22, 11, 30, 0),
                &[(SENDER.unit, RecipientStatus::Pending)],
            ),
        ];
        world.units.push(world.ward.clone());
        let told = decision(world.send(&case(CaseState::Notified), interrupted()));
        let to: Vec<Uuid> = told.message.recipients.iter().map(|r| r.unit_id).collect();
        assert_eq!(to, [HOME_CARE]);
        assert_eq!(told.case.state, CaseState::Interrupted);
        // Any other kind still needs its recipients named (the request's own check), and an
        // interruption named to a unit goes to that unit alone.
        let named = new_message(MessageKind::ProcessInterrupted, &[PRIMARY_CARE], None);
        assert_eq!(
            world.send(&case(CaseState::Notified), named).err(),
            Some(SendRefused::OptedOut(PRIMARY_CARE))
        );
    }

    #[test]
    fn addressed_units_must_exist_and_be_active() {
        let world = World::new();
        let case = case(CaseState::Notified);
        let unknown = Uuid::from_u128(0x99);
        let to = |units: &[Uuid]| new_message(MessageKind::ReadyForDischarge, units, None);
        assert_eq!(
            world.send(&case, to(&[HOME_CARE, unknown])).err(),
            Some(SendRefused::UnknownUnit(unknown))
        );
        let refused = refusal(world.send(&case, to(&[CLOSED_UNIT])));
        assert_eq!(
            refused.field_errors(),
            [("to", format!("care unit {CLOSED_UNIT} is deactivated"))]
        );
    }

    #[test]
    fn a_planning_call_names_everything_it_is_missing_at_once() {
        let world = World::new();
        let case = case(CaseState::Notified);
        let call = || new_message(MessageKind::PlanningCall, &[HOME_CARE], None);
        let refused = refusal(world.send(&case, call()));
        assert_eq!(
            refused,
            SendRefused::PlanningCallNotReady(vec![
                PlanningGap::FastVardkontakt,
                PlanningGap::Consent(PlanningConsentProblem::Missing)
            ])
        );
        let fields: Vec<&str> = refused.field_errors().iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["fast_vardkontakt", "consent"]);
        assert!(
            world
                .send(
                    &case,
                    new_message(MessageKind::ReadyForDischarge, &[HOME_CARE], None)
                )
                .is_ok(),
            "only a planning call needs them"
        );
        assert!(World::ready_for_planning().send(&case, call()).is_ok());
    }

    #[test]
    fn the_fast_vardkontakt_must_be_active_and_at_a_primary_care_centre() {
        let home_care = unit(HOME_CARE, CareUnitKind::HomeCareService, true);
        let primary_care = unit(PRIMARY_CARE, CareUnitKind::PrimaryCareCentre, true);
        let consents = [planning_consent(ConsentStatus::Given)];
        let today = at(23, 12, 0, 0).date_naive();
        let units = units();
        let somatic = AgreementSettings::default().fast_vardkontakt_kinds_somatic;
        let gaps = |relationships: &[CareRelationship]| {
            planning_call_gaps(relationships, &units, &somatic, &consents, today)
        };
        assert!(
            gaps(&[relationship(
                &primary_care,
                RelationshipRole::FastVardkontakt
            )])
            .is_empty()
        );
        assert_eq!(
            gaps(&[relationship(&home_care, RelationshipRole::FastVardkontakt)]),
            [PlanningGap::FastVardkontakt],
            "not at a primary care centre"
        );
        assert_eq!(
            gaps(&[relationship(
                &primary_care,
                RelationshipRole::ResponsiblePhysician
            )]),
            [PlanningGap::FastVardkontakt],
            "another role"
        );
        let ended = relationship(&primary_care, RelationshipRole::FastVardkontakt)
            .ended(Actor::without_unit("x"), at(2, 0, 0, 0));
        assert_eq!(
            gaps(std::slice::from_ref(&ended)),
            [PlanningGap::FastVardkontakt],
            "ended"
        );
        assert!(fast_vardkontakt_unit_ids(&[ended]).is_empty());
        let refused = planning_call_gaps(
            &[relationship(
                &primary_care,
                RelationshipRole::FastVardkontakt,
            )],
            &units,
            &somatic,
            &[planning_consent(ConsentStatus::Refused)],
            today,
        );
        assert!(matches!(
            refused.as_slice(),
            [PlanningGap::Consent(
                PlanningConsentProblem::Declined { .. }
            )]
        ));
    }

    #[test]
    fn addressed_units_that_do_not_care_for_her_join_her_care_team() {
        let world = World::ready_for_planning();
        let case = case(CaseState::Notified);
        let call = new_message(MessageKind::PlanningCall, &[HOME_CARE, PRIMARY_CARE], None);
        let decided = decision(world.send(&case, call));
        let joining: Vec<(Uuid, Uuid, RelationshipRole, &str)> = decided
            .joining
            .iter()
            .map(|r| (r.care_unit_id, r.person_id, r.role, r.started_by.as_str()))
            .collect();
        assert_eq!(
            joining,
            [(HOME_CARE, PERSON, RelationshipRole::Other, "ward-nurse")],
            "primary care already cares for her"
        );
        assert_eq!(decided.joining[0].started_at, at(23, 12, 0, 0));
        assert_ne!(decided.joining[0].id, decided.message.id, "fresh ids");

        let mut world = world;
        let home_care = unit(HOME_CARE, CareUnitKind::HomeCareService, true);
        world.relationships.push(
            relationship(&home_care, RelationshipRole::Other)
                .ended(Actor::without_unit("x"), at(2, 0, 0, 0)),
        );
        let call = new_message(MessageKind::PlanningCall, &[HOME_CARE], None);
        assert_eq!(
            decision(world.send(&case, call)).joining.len(),
            1,
            "an ended relationship does not count"
        );
    }

    #[test]
    fn sending_moves_the_case_and_stores_the_message_with_every_unit_pending() {
        let world = World::new();
        let admitted = case(CaseState::Admitted);
        let notice = new_message(
            MessageKind::AdmissionNotice,
            &[HOME_CARE, PRIMARY_CARE],
            Some(at(22, 20, 0, 0)),
        );
        let decided = decision(world.send(&admitted, notice));
        assert_eq!(decided.case.state, CaseState::Notified);
        assert_eq!(
            decided.case.version, admitted.version,
            "written at the version read"
        );
        let message = &decided.message;
        assert_eq!(
            (
                message.case_id,
                message.sent_by.as_str(),
                message.sent_by_unit,
                message.kind
            ),
            (
                admitted.id,
                "ward-nurse",
                WARD,
                MessageKind::AdmissionNotice
            )
        );
        assert!(
            message
                .recipients
                .iter()
                .all(|r| r.status == RecipientStatus::Pending)
        );
        assert_eq!(message.recipients.len(), 2);

        let date = NaiveDate::from_ymd_opt(2026, 10, 30).unwrap_or_default();
        let update = NewMessage {
            expected_discharge_date: Some(date),
            ..new_message(MessageKind::ExpectedDischargeUpdate, &[], None)
        };
        let notified = decided.case;
        let updated = decision(world.send(&notified, update));
        assert_eq!(
            (updated.case.state, updated.case.expected_discharge_date),
            (CaseState::Notified, Some(date))
        );
        let kept = decision(world.send(&updated.case, note_now()));
        assert_eq!(
            kept.case.expected_discharge_date,
            Some(date),
            "kept when not given"
        );
    }

    #[test]
    fn only_a_pending_recipient_may_answer() {
        use RecipientStatus as S;
        let message = sent(
            MessageKind::AdmissionNotice,
            at(22, 10, 0, 0),
            &[
                (HOME_CARE, S::Pending),
                (PRIMARY_CARE, S::Acknowledged),
                (CLOSED_UNIT, S::Retracted),
            ],
        );
        let messages = [message.clone()];
        let answer_by =
            |unit, given| answer(&messages, message.id, unit, given, "nurse", at(23, 9, 0, 0));
        let answered = answer_by(HOME_CARE, Answer::OptOut);
        assert_eq!(
            answered.map(|r| (r.unit_id, r.status, r.answered_by, r.answered_at)),
            Ok((
                HOME_CARE,
                S::OptedOut,
                Some("nurse".to_owned()),
                Some(at(23, 9, 0, 0))
            ))
        );
        assert_eq!(
            answer_by(PRIMARY_CARE, Answer::Acknowledge),
            Err(AnswerRefused::AlreadyAnswered)
        );
        assert_eq!(
            answer_by(CLOSED_UNIT, Answer::Acknowledge),
            Err(AnswerRefused::Retracted)
        );
        assert_eq!(
            answer_by(WARD, Answer::Acknowledge),
            Err(AnswerRefused::NotAddressed(message.id))
        );
        let other = Uuid::from_u128(0x77);
        assert_eq!(
            answer(
                &messages,
                other,
                HOME_CARE,
                Answer::Acknowledge,
                "nurse",
                at(23, 9, 0, 0)
            ),
            Err(AnswerRefused::NotAddressed(other))
        );
        assert_eq!(
            AnswerRefused::AlreadyAnswered.to_string(),
            "your unit has already answered this message"
        );
    }

    #[test]
    fn the_sender_retracts_once_from_a_unit_answered_or_not() {
        use RecipientStatus as S;
        let message = sent(
            MessageKind::AdmissionNotice,
            at(22, 10, 0, 0),
            &[
                (HOME_CARE, S::Acknowledged),
                (PRIMARY_CARE, S::Pending),
                (CLOSED_UNIT, S::Retracted),
            ],
        );
        let messages = [message.clone()];
        let Ok(reason) = FreeText::parse("fel enhet") else {
            panic!("reason parses")
        };
        let by = |unit| Retraction {
            by: "ward-nurse",
            unit,
            at: at(23, 9, 0, 0),
        };
        let take_back = |from, retracting_unit| {
            retract(
                &messages,
                message.id,
                from,
                reason.clone(),
                by(retracting_unit),
            )
        };
        let retracted = take_back(HOME_CARE, Some(WARD));
        assert_eq!(
            retracted.map(|r| (r.status, r.retract_reason, r.answered_by)),
            Ok((
                S::Retracted,
                Some(reason.clone()),
                Some("ward-nurse".to_owned())
            ))
        );
        assert!(take_back(PRIMARY_CARE, Some(WARD)).is_ok());
        assert_eq!(
            take_back(CLOSED_UNIT, Some(WARD)),
            Err(RetractRefused::AlreadyRetracted)
        );
        assert_eq!(
            take_back(HOME_CARE, Some(HOME_CARE)),
            Err(RetractRefused::NotTheSender)
        );
        assert_eq!(
            take_back(HOME_CARE, None),
            Err(RetractRefused::NotTheSender)
        );
        // Another unit is refused alike for a unit addressed and one never addressed.
        assert_eq!(
            take_back(WARD, Some(PRIMARY_CARE)),
            Err(RetractRefused::NotTheSender)
        );
        assert_eq!(
            take_back(WARD, Some(WARD)),
            Err(RetractRefused::NotSent {
                message: message.id,
                unit: WARD
            })
        );
    }

    #[test]
    fn a_recipient_moves_from_pending_and_never_back() {
        use RecipientStatus as S;
        assert_eq!(S::may_become_from(S::Acknowledged), [S::Pending]);
        assert_eq!(S::may_become_from(S::OptedOut), [S::Pending]);
        assert_eq!(
            S::may_become_from(S::Retracted),
            [S::Pending, S::Acknowledged, S::OptedOut]
        );
        assert!(S::may_become_from(S::Pending).is_empty());
    }

    #[test]
    fn only_the_ward_or_an_inpatient_unit_of_its_organization_sends_for_the_ward() {
        let mut world = World::new();
        let case = case(CaseState::Notified);
        let ready = || new_message(MessageKind::ReadyForDischarge, &[HOME_CARE], None);
        let from = |unit| Sender {
            subject: "someone",
            unit,
        };
        let refused = refusal(world.send_from(&case, ready(), from(PRIMARY_CARE)));
        assert_eq!(
            refused,
            SendRefused::NotTheWard(WardRefused::NotTheWard {
                unit: PRIMARY_CARE,
                kind: MessageKind::ReadyForDischarge
            })
        );
        assert!(refused.to_string().contains("admitting ward"), "{refused}");
        assert!(
            world
                .send_from(
                    &case,
                    new_message(MessageKind::CoordinationNote, &[], None),
                    from(PRIMARY_CARE)
                )
                .is_ok(),
            "anyone in her care team writes a note"
        );
        // Another ward of the hospital's organization may act for the admitting ward.
        let mut sibling = unit(Uuid::from_u128(0x12), CareUnitKind::HospitalWard, true);
        sibling.organization_id = world.ward.organization_id;
        let sibling_id = sibling.id;
        world.units.push(sibling.clone());
        assert!(world.send_from(&case, ready(), from(sibling_id)).is_ok());
        let mut clinic = sibling;
        clinic.kind = CareUnitKind::SpecialistClinic;
        world.units.retain(|u| u.id != sibling_id);
        world.units.push(clinic);
        assert!(matches!(
            world.send_from(&case, ready(), from(sibling_id)),
            Err(SendRefused::NotTheWard(_))
        ));
    }

    #[test]
    fn only_inpatient_units_open_cases() {
        let settings = AgreementSettings::default();
        let ward = unit(WARD, CareUnitKind::HospitalWard, true);
        let primary_care = unit(PRIMARY_CARE, CareUnitKind::PrimaryCareCentre, true);
        assert_eq!(may_open_case(&settings, WARD, Some(&ward)), Ok(()));
        let refused = may_open_case(&settings, PRIMARY_CARE, Some(&primary_care));
        let message = refused.map_err(|e| e.to_string()).err().unwrap_or_default();
        assert!(
            message.contains("inpatient") && message.contains("primary_care_centre"),
            "{message}"
        );
        assert_eq!(
            may_open_case(&settings, PERSON, None),
            Err(WardRefused::UnknownUnit(PERSON))
        );
    }

    #[test]
    fn for_psychiatric_care_the_fast_vardkontakt_may_be_in_psychiatric_outpatient_care() {
        let psychiatry = unit(Uuid::from_u128(0x70), CareUnitKind::Psychiatry, true);
        let units = vec![psychiatry.clone()];
        let relationships = [relationship(&psychiatry, RelationshipRole::FastVardkontakt)];
        let consents = [planning_consent(ConsentStatus::Given)];
        let today = at(23, 12, 0, 0).date_naive();
        let settings = AgreementSettings::default();
        let gaps = |care| {
            planning_call_gaps(
                &relationships,
                &units,
                settings.fast_vardkontakt_kinds(care),
                &consents,
                today,
            )
        };
        assert!(gaps(InpatientCare::Psychiatric).is_empty());
        assert_eq!(gaps(InpatientCare::Somatic), [PlanningGap::FastVardkontakt]);
    }
}
