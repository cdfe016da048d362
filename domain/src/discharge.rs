//! Discharge coordination under Lag (2017:612) om samverkan vid utskrivning från sluten
//! hälso- och sjukvård: the case's states and transitions, the admission-notice deadline, and
//! the municipality's payment liability. Plain functions over times and dates; every setting
//! that the region agreement may change is in [`AgreementSettings`]. What a unit may send in a
//! case and how addressed units answer (or have a message taken back) are decided in
//! `discharge/messaging.rs` ([`CoordinationCase::send`], [`answer`], [`retract`]).
//!
//! Days are calendar days in Europe/Stockholm, so a day is a day across daylight-saving
//! changes; deadlines in hours are elapsed hours.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Timelike, Utc};
use chrono_tz::Europe::Stockholm;

use crate::{CareUnitKind, MunicipalityCode};

mod liability;
mod messaging;

pub use liability::{LiabilityCondition, LiabilityFacts, MunicipalPeriods, municipal_periods};
pub use messaging::{
    Answer, AnswerRefused, CaseConflict, NewMessage, PlanningGap, RetractRefused, Retraction,
    SENT_AT_CLOCK_SKEW_SECS, SendDecision, SendFacts, SendRefused, Sender, WardRefused, answer,
    check_no_open_case, fast_vardkontakt_unit_ids, may_open_case, planning_call_gaps, retract,
};

/// The business calendar's date of an instant.
pub fn stockholm_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Stockholm).date_naive()
}

/// When the clock of the admission notice starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeClockStart {
    /// At the inpatient admission.
    Admission,
    /// When the physician assessed that she will need support after discharge.
    PhysicianAssessment,
}

crate::string_enum! {
    /// Inpatient care the liability rules distinguish.
    pub enum InpatientCare {
        Somatic => "somatic",
        Psychiatric => "psychiatric",
    }
}

crate::string_enum! {
    /// How the grace days of payment liability are counted from the day the municipality
    /// received `ready_for_discharge` (both readings occur in practice; the agreement settles
    /// it, see docs/decisions/0018-payment-liability-rules.md).
    pub enum CountingConvention {
        /// The day of receipt is the first of the N days: received Tuesday, N = 3 → liable
        /// from Friday.
        ReceiptDayCounts => "receipt_day_counts",
        /// N whole days pass after the day of receipt: received Tuesday, N = 3 → liable from
        /// Saturday.
        WholeDaysAfter => "whole_days_after",
    }
}

/// Settings of the region agreement, with the county's defaults in [`Default`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementSettings {
    pub notice_clock_start: NoticeClockStart,
    /// The admission notice is due this many hours after the clock starts.
    pub notice_hours: i64,
    /// Liability starts this many calendar days after the municipality received
    /// `ready_for_discharge`, for somatic care.
    pub liability_grace_days_somatic: u32,
    /// The same for psychiatric inpatient care.
    pub liability_grace_days_psychiatric: u32,
    /// Daily amount in SEK per calendar year (öre are not used).
    pub daily_rate_by_year: BTreeMap<i32, u32>,
    /// How the grace days are counted from the day of receipt.
    pub counting: CountingConvention,
    /// A `ready_for_discharge` received at or after this hour (Stockholm time, 0–23) counts as
    /// received the next calendar day; `None`: the day it was received, whatever the hour.
    pub receipt_cutoff_hour: Option<u32>,
    /// Unit kinds that are inpatient units: they open cases and act for the ward.
    pub inpatient_unit_kinds: Vec<CareUnitKind>,
    /// Unit kinds where her fast vårdkontakt may be, for somatic inpatient care.
    pub fast_vardkontakt_kinds_somatic: Vec<CareUnitKind>,
    /// The same for psychiatric inpatient care.
    pub fast_vardkontakt_kinds_psychiatric: Vec<CareUnitKind>,
}

impl Default for AgreementSettings {
    fn default() -> Self {
        Self {
            notice_clock_start: NoticeClockStart::Admission,
            notice_hours: 24,
            liability_grace_days_somatic: 3,
            liability_grace_days_psychiatric: 30,
            daily_rate_by_year: BTreeMap::new(),
            counting: CountingConvention::ReceiptDayCounts,
            receipt_cutoff_hour: None,
            inpatient_unit_kinds: vec![CareUnitKind::HospitalWard],
            fast_vardkontakt_kinds_somatic: vec![CareUnitKind::PrimaryCareCentre],
            fast_vardkontakt_kinds_psychiatric: vec![
                CareUnitKind::PrimaryCareCentre,
                CareUnitKind::Psychiatry,
            ],
        }
    }
}

impl AgreementSettings {
    /// When the admission notice is due.
    pub fn notice_deadline(
        &self,
        admitted_at: DateTime<Utc>,
        assessed_at: Option<DateTime<Utc>>,
    ) -> DateTime<Utc> {
        let start = match (self.notice_clock_start, assessed_at) {
            (NoticeClockStart::PhysicianAssessment, Some(assessed)) => assessed,
            // Before an assessment is recorded the clock runs from admission.
            _ => admitted_at,
        };
        start + Duration::hours(self.notice_hours)
    }

    /// Whether the notice deadline is only provisional: the clock starts at the physician's
    /// assessment and none is recorded yet (the deadline shown runs from admission).
    pub fn notice_deadline_is_provisional(&self, assessed_at: Option<DateTime<Utc>>) -> bool {
        self.notice_clock_start == NoticeClockStart::PhysicianAssessment && assessed_at.is_none()
    }

    fn grace_days(&self, care: InpatientCare) -> u32 {
        match care {
            InpatientCare::Somatic => self.liability_grace_days_somatic,
            InpatientCare::Psychiatric => self.liability_grace_days_psychiatric,
        }
    }

    /// The calendar day a `ready_for_discharge` received at `received_at` counts as received:
    /// its Stockholm date, or the next day when it came at or after the cut-off hour.
    pub fn receipt_day(&self, received_at: DateTime<Utc>) -> NaiveDate {
        let local = received_at.with_timezone(&Stockholm);
        let day = local.date_naive();
        match self.receipt_cutoff_hour {
            Some(hour) if local.hour() >= hour => day + Duration::days(1),
            _ => day,
        }
    }

    /// The first day the municipality pays for, after a `ready_for_discharge` it received at
    /// `received_at`: the receipt day plus the grace days, under the counting convention.
    pub fn first_liable_day(&self, care: InpatientCare, received_at: DateTime<Utc>) -> NaiveDate {
        let grace = i64::from(self.grace_days(care));
        let after = match self.counting {
            CountingConvention::ReceiptDayCounts => grace,
            CountingConvention::WholeDaysAfter => grace + 1,
        };
        self.receipt_day(received_at) + Duration::days(after)
    }

    /// Whether units of this kind are inpatient units.
    pub fn is_inpatient(&self, kind: CareUnitKind) -> bool {
        self.inpatient_unit_kinds.contains(&kind)
    }

    /// The unit kinds where her fast vårdkontakt may be for this care.
    pub fn fast_vardkontakt_kinds(&self, care: InpatientCare) -> &[CareUnitKind] {
        match care {
            InpatientCare::Somatic => &self.fast_vardkontakt_kinds_somatic,
            InpatientCare::Psychiatric => &self.fast_vardkontakt_kinds_psychiatric,
        }
    }
}

/// A stretch of time in which she was ready for discharge: from the municipality receiving
/// `ready_for_discharge` until it was withdrawn, she was discharged, or (while open) now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadyPeriod {
    pub received_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
}

/// The municipality's payment liability for a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Liability {
    /// The calendar days the municipality pays for, in order.
    pub days: Vec<NaiveDate>,
    /// The sum of the daily rates of those days, in SEK.
    pub amount_sek: u64,
    /// Days whose year has no rate in the agreement (counted, not priced).
    pub unpriced_days: Vec<NaiveDate>,
    /// Liability runs today: the last period is open and today is a liable day.
    pub accruing: bool,
}

/// The days the municipality pays for. In each ready period, liability starts on
/// [`AgreementSettings::first_liable_day`] and covers every day before the day the period
/// ended (the day of discharge or withdrawal is not paid); an open period covers every day up
/// to and including `today`. A withdrawal pauses liability; a new `ready_for_discharge` starts
/// a new period with a new grace.
pub fn payment_liability(
    settings: &AgreementSettings,
    care: InpatientCare,
    periods: &[ReadyPeriod],
    now: DateTime<Utc>,
) -> Liability {
    let mut days: Vec<NaiveDate> = Vec::new();
    for period in periods {
        let first = settings.first_liable_day(care, period.received_at);
        let end_exclusive = match period.ended_at {
            Some(ended) => stockholm_date(ended),
            None => stockholm_date(now) + Duration::days(1),
        };
        let mut day = first;
        while day < end_exclusive {
            if days.last().is_none_or(|last| *last < day) {
                days.push(day);
            }
            day += Duration::days(1);
        }
    }
    let mut amount_sek = 0u64;
    let mut unpriced_days = Vec::new();
    for day in &days {
        match settings
            .daily_rate_by_year
            .get(&chrono::Datelike::year(day))
        {
            Some(rate) => amount_sek += u64::from(*rate),
            None => unpriced_days.push(*day),
        }
    }
    let accruing = periods.last().is_some_and(|p| p.ended_at.is_none())
        && days.last() == Some(&stockholm_date(now));
    Liability {
        days,
        amount_sek,
        unpriced_days,
        accruing,
    }
}

crate::string_enum! {
    /// Where a coordination case stands.
    pub enum CaseState {
        /// Admitted; the admission notice is not sent yet.
        Admitted => "admitted",
        /// The admission notice (inskrivningsmeddelande) has been sent.
        Notified => "notified",
        /// A planning call has been held or booked.
        Planning => "planning",
        /// Ready for discharge (utskrivningsklar) has been sent.
        ReadyForDischarge => "ready_for_discharge",
        /// Discharged (utskrivningsmeddelande sent); closed.
        Discharged => "discharged",
        /// The process was interrupted (e.g. she died or moved away); closed.
        Interrupted => "interrupted",
    }
}

crate::string_enum! {
    /// The typed messages of a case.
    pub enum MessageKind {
        AdmissionNotice => "admission_notice",
        ExpectedDischargeUpdate => "expected_discharge_update",
        PlanningCall => "planning_call",
        ReadyForDischarge => "ready_for_discharge",
        ReadyForDischargeWithdrawn => "ready_for_discharge_withdrawn",
        DischargeNotice => "discharge_notice",
        ProcessInterrupted => "process_interrupted",
        CoordinationNote => "coordination_note",
    }
}

/// A message that the case's current state does not allow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{message}` is not allowed while the case is `{state}`; allowed now: {}", allowed_list(.allowed))]
pub struct IllegalTransition {
    pub state: CaseState,
    pub message: MessageKind,
    pub allowed: Vec<MessageKind>,
}

fn allowed_list(allowed: &[MessageKind]) -> String {
    if allowed.is_empty() {
        return "nothing (the case is closed)".into();
    }
    allowed
        .iter()
        .map(|m| m.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

impl CaseState {
    /// The state after `message`, if the message is allowed now.
    fn after(self, message: MessageKind) -> Option<CaseState> {
        use CaseState as S;
        use MessageKind as M;
        match (self, message) {
            (S::Discharged | S::Interrupted, _) => None,
            (_, M::ProcessInterrupted) => Some(S::Interrupted),
            (state, M::CoordinationNote | M::ExpectedDischargeUpdate) => Some(state),
            (S::Admitted, M::AdmissionNotice) => Some(S::Notified),
            (S::Notified | S::Planning, M::PlanningCall) => Some(S::Planning),
            (S::Notified | S::Planning, M::ReadyForDischarge) => Some(S::ReadyForDischarge),
            (S::ReadyForDischarge, M::ReadyForDischargeWithdrawn) => Some(S::Planning),
            (S::ReadyForDischarge, M::DischargeNotice) => Some(S::Discharged),
            _ => None,
        }
    }

    /// The messages allowed in this state.
    pub fn allowed(self) -> Vec<MessageKind> {
        MessageKind::ALL
            .iter()
            .copied()
            .filter(|m| self.after(*m).is_some())
            .collect()
    }

    /// The state after `message`, or why the message is refused.
    pub fn apply(self, message: MessageKind) -> Result<CaseState, IllegalTransition> {
        self.after(message).ok_or_else(|| IllegalTransition {
            state: self,
            message,
            allowed: self.allowed(),
        })
    }

    pub fn is_closed(self) -> bool {
        matches!(self, CaseState::Discharged | CaseState::Interrupted)
    }
}

crate::string_enum! {
    /// A recipient unit's answer to a message.
    pub enum RecipientStatus {
        /// Not answered yet: in the unit's inbox.
        Pending => "pending",
        Acknowledged => "acknowledged",
        /// "Not involved": the unit gets no further messages in this case.
        OptedOut => "opted_out",
        /// The sender took the message back from this unit (sent to the wrong unit).
        Retracted => "retracted",
    }
}

/// A coordination case: one inpatient stay and the planning of her way home.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoordinationCase {
    pub id: uuid::Uuid,
    pub person_id: uuid::Uuid,
    /// The ward she is admitted to; it sends the case's messages.
    pub hospital_unit_id: uuid::Uuid,
    pub care: InpatientCare,
    pub state: CaseState,
    pub admitted_at: DateTime<Utc>,
    /// When the physician assessed that she will need support after discharge.
    pub assessed_at: Option<DateTime<Utc>>,
    pub expected_discharge_date: Option<NaiveDate>,
    pub opened_by: String,
    /// A recorded decision that another municipality than hers pays ([`PayingDecision`]).
    pub paying_decision: Option<PayingDecision>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A decision that `municipality` pays for a case instead of the one where she is registered
/// (e.g. she lives elsewhere in fact, or the municipalities agreed on another), with the reason
/// and who recorded it. By default the municipality responsible for her pays (Lag 2017:612 and
/// the county agreement; docs/decisions/0018-payment-liability-rules.md).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayingDecision {
    pub municipality: MunicipalityCode,
    pub reason: crate::record::FreeText,
    /// The user (token `sub`) who recorded it.
    pub decided_by: String,
    pub decided_at: DateTime<Utc>,
    /// The unit that user acted for (`None`: no unit, or recorded before the unit was kept):
    /// under her block of that unit, who decided is withheld from other units
    /// ([`crate::access::Grant::may_see_actor_of`]).
    pub decided_for_unit: Option<uuid::Uuid>,
}

/// Roles that record which municipality pays for a case: the coordinators who settle it with
/// the municipalities, and admins.
pub const PAYER_DECIDERS: &[crate::Role] = &[crate::Role::Admin, crate::Role::Coordinator];

impl CoordinationCase {
    /// The municipality that pays for the case: the recorded decision's, else hers (`None`
    /// when she has no municipality on record and nothing was decided).
    pub fn paying_municipality(&self, hers: Option<MunicipalityCode>) -> Option<MunicipalityCode> {
        self.paying_decision
            .as_ref()
            .map(|decision| decision.municipality)
            .or(hers)
    }

    /// The case with `decision` recorded, replacing any earlier one. Only [`PAYER_DECIDERS`]
    /// record it (`Err` names the rule, 403).
    pub fn decide_payer(
        &self,
        decision: PayingDecision,
        roles: &[crate::Role],
    ) -> Result<CoordinationCase, String> {
        if !roles.iter().any(|role| PAYER_DECIDERS.contains(role)) {
            return Err(
                "only a coordinator or an admin records which municipality pays for a case".into(),
            );
        }
        Ok(CoordinationCase {
            paying_decision: Some(decision),
            ..self.clone()
        })
    }
}

/// One addressed unit of a message and its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub unit_id: uuid::Uuid,
    pub status: RecipientStatus,
    /// Who answered or retracted, and when.
    pub answered_by: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    /// Why the sender retracted the message from this unit.
    pub retract_reason: Option<crate::record::FreeText>,
}

/// A typed message of a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseMessage {
    pub id: uuid::Uuid,
    pub case_id: uuid::Uuid,
    pub kind: MessageKind,
    pub text: Option<crate::record::FreeText>,
    pub sent_by: String,
    pub sent_by_unit: uuid::Uuid,
    pub sent_at: DateTime<Utc>,
    pub recipients: Vec<Recipient>,
}

/// What the server computes about a case from its messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseReport {
    pub notice_deadline: DateTime<Utc>,
    /// The clock starts at the assessment and none is recorded: the deadline shown runs from
    /// admission and will move.
    pub notice_deadline_provisional: bool,
    pub notice_sent_at: Option<DateTime<Utc>>,
    /// Sent after the deadline, or not sent and the deadline has passed.
    pub notice_late: bool,
    /// The periods she was ready for discharge (from the ward's `ready_for_discharge`).
    pub ready_periods: Vec<ReadyPeriod>,
    /// The municipality that pays: hers, or the one a recorded decision names.
    pub paying_municipality: Option<MunicipalityCode>,
    /// The law's conditions of liability that are not met (then no liability for that period).
    pub conditions_missing: Vec<LiabilityCondition>,
    /// Since when every unit of the paying municipality in the case has answered "not
    /// involved"; no liability from then on.
    pub not_involved_since: Option<DateTime<Utc>>,
    /// The paying municipality's liability, from the periods it is liable for.
    pub liability: Liability,
}

/// Units that opted out of the case: they get no further messages in it.
pub fn opted_out_units(messages: &[CaseMessage]) -> Vec<uuid::Uuid> {
    messages
        .iter()
        .flat_map(|m| &m.recipients)
        .filter(|r| r.status == RecipientStatus::OptedOut)
        .map(|r| r.unit_id)
        .collect()
}

/// Whether `unit` still takes part in the case: some message to it is neither retracted nor
/// answered "not involved", and it has not opted out of the case.
pub fn still_involved(messages: &[CaseMessage], unit: uuid::Uuid) -> bool {
    let answers = || {
        messages
            .iter()
            .flat_map(|m| &m.recipients)
            .filter(|r| r.unit_id == unit)
    };
    !answers().any(|r| r.status == RecipientStatus::OptedOut)
        && answers().any(|r| r.status != RecipientStatus::Retracted)
}

/// The units the case's messages were sent to that are [`still_involved`], each once, in id
/// order: those a `process_interrupted` without recipients goes to.
pub fn involved_units(messages: &[CaseMessage]) -> Vec<uuid::Uuid> {
    let mut units: Vec<uuid::Uuid> = messages
        .iter()
        .flat_map(|m| &m.recipients)
        .map(|r| r.unit_id)
        .collect();
    units.sort_unstable();
    units.dedup();
    units.retain(|unit| still_involved(messages, *unit));
    units
}

/// Why `unit` may not end its last care relationship in force with her: an open coordination
/// case of hers (`cases`, each with its messages) that still waits on it — the ward that
/// admitted her, which cares for her until the discharge notice (Lag (2017:612)), or a
/// unit its messages were sent to that is [`still_involved`] (it is to answer and plan her
/// discharge). Ending the relationship would take the case out of that unit's lists and reads
/// while the case goes on waiting for it (a review found a ward's open case gone that way).
/// The case and its messages, for the 409 (which names the case only to a caller who may see
/// it, [`case_visible`]); `None` when the relationship may end. The other ways
/// out stay open: the ward closes the case (discharge notice, process interrupted), an
/// addressed unit opts out or the message to it is retracted.
pub fn case_holding_unit(
    cases: &[(CoordinationCase, Vec<CaseMessage>)],
    unit: uuid::Uuid,
) -> Option<&(CoordinationCase, Vec<CaseMessage>)> {
    cases
        .iter()
        .filter(|(case, _)| !case.state.is_closed())
        .find(|(case, messages)| case.hospital_unit_id == unit || still_involved(messages, unit))
}

/// Whether a caller with `grant` sees a case of her record admitted at `hospital_unit`, with
/// its `messages`. A case is the admitting ward's entry: hidden, like the ward's other entries,
/// from a unit she has blocked the ward for ([`Grant::may_see_unit`]; PDL 4 kap. 4 §) — except
/// from a unit the ward side sent one of the case's messages to, not retracted from it. What
/// the ward sent it under Lag (2017:612) was disclosed to that unit, which needs it to answer
/// and plan her discharge; a block stops direct access, and does not take back what was sent
/// (docs/decisions/0027-blocks-and-coordination-cases.md). A message from another unit does
/// not count: a unit that sees the case cannot open the blocked ward's entry to a third unit
/// by addressing a note to it (an attack review in session 21).
pub fn case_visible(
    grant: &crate::access::Grant,
    hospital_unit: uuid::Uuid,
    messages: &[CaseMessage],
) -> bool {
    grant.may_see_unit(hospital_unit)
        || grant.viewer_unit().is_some_and(|unit| {
            messages
                .iter()
                .filter(|m| sent_by_ward_side(m, hospital_unit))
                .flat_map(|m| &m.recipients)
                .any(|r| r.unit_id == unit && r.status != RecipientStatus::Retracted)
        })
}

/// Whether `message` comes from the ward side of a case admitted at `hospital_unit`: sent by
/// the ward, or of a kind only the ward side sends ([`MessageKind::is_ward_side`]; an inpatient
/// unit of the ward's organization may send those for it).
pub fn sent_by_ward_side(message: &CaseMessage, hospital_unit: uuid::Uuid) -> bool {
    message.sent_by_unit == hospital_unit || message.kind.is_ward_side()
}

/// The case's `messages` as a caller with `grant` may see them: her block of a unit hides that
/// unit's part in her care from every other unit (Patientdatalagen 4 kap. 4 §;
/// [`crate::access::Grant::may_see_unit`]), in a case as in the rest of her record, except
/// what was sent between the caller's unit and it (decision 0027: what was sent was
/// disclosed). So a message sent by a unit she blocked for the caller is left out unless it
/// was sent to the caller's unit (and not retracted from it); a recipient entry of such a unit
/// (that it was addressed, its answer and who gave it) is left out unless the caller's unit
/// sent the message. The case's state, deadlines and liability are computed from every
/// message, as they are the case's own. Order and everything else are kept.
pub fn messages_as_seen(
    grant: &crate::access::Grant,
    messages: &[CaseMessage],
) -> Vec<CaseMessage> {
    let viewer = grant.viewer_unit();
    let sent_to_viewer = |m: &CaseMessage| {
        m.recipients
            .iter()
            .any(|r| Some(r.unit_id) == viewer && r.status != RecipientStatus::Retracted)
    };
    messages
        .iter()
        .filter(|m| grant.may_see_unit(m.sent_by_unit) || sent_to_viewer(m))
        .map(|m| {
            let sender = viewer == Some(m.sent_by_unit);
            let mut shown = m.clone();
            shown
                .recipients
                .retain(|r| sender || grant.may_see_unit(r.unit_id));
            shown
        })
        .collect()
}

/// The notice deadline, whether the notice was late, the periods she was ready for discharge
/// and the paying municipality's liability (see [`municipal_periods`]), from the case's
/// messages (in the order sent) at `now`. The one computation behind the case, the overdue
/// queue and the indicators.
pub fn report(
    case: &CoordinationCase,
    messages: &[CaseMessage],
    settings: &AgreementSettings,
    facts: &LiabilityFacts<'_>,
    now: DateTime<Utc>,
) -> CaseReport {
    let notice_deadline = settings.notice_deadline(case.admitted_at, case.assessed_at);
    let notice_sent_at = messages
        .iter()
        .filter(|m| m.kind == MessageKind::AdmissionNotice)
        .map(|m| m.sent_at)
        .min();
    let notice_late = match notice_sent_at {
        Some(sent) => sent > notice_deadline,
        None => now > notice_deadline,
    };
    let mut ready_periods: Vec<ReadyPeriod> = Vec::new();
    for message in messages {
        let open = ready_periods.last_mut().filter(|p| p.ended_at.is_none());
        match (message.kind, open) {
            (MessageKind::ReadyForDischarge, None) => {
                ready_periods.push(ReadyPeriod {
                    received_at: message.sent_at,
                    ended_at: None,
                });
            }
            (
                MessageKind::ReadyForDischargeWithdrawn
                | MessageKind::DischargeNotice
                | MessageKind::ProcessInterrupted,
                Some(period),
            ) => {
                period.ended_at = Some(message.sent_at);
            }
            _ => {}
        }
    }
    let municipal = municipal_periods(messages, facts);
    let liability = payment_liability(settings, case.care, &municipal.periods, now);
    CaseReport {
        notice_deadline,
        notice_deadline_provisional: settings.notice_deadline_is_provisional(case.assessed_at),
        notice_sent_at,
        notice_late,
        ready_periods,
        paying_municipality: facts.paying_municipality,
        conditions_missing: municipal.conditions_missing,
        not_involved_since: municipal.not_involved_since,
        liability,
    }
}

crate::string_enum! {
    /// Why a case is in the overdue queue.
    pub enum OverdueReason {
        /// The admission notice was sent after its deadline, or is missing past it.
        NoticeLate => "notice_late",
        /// A message has waited for a unit's answer longer than the notice hours.
        Unanswered => "unanswered",
        /// She is ready for discharge and the municipality's liability is running.
        AccruingLiability => "accruing_liability",
    }
}

/// Why `case` needs attention now (empty when it does not).
pub fn overdue_reasons(
    messages: &[CaseMessage],
    report: &CaseReport,
    settings: &AgreementSettings,
    now: DateTime<Utc>,
) -> Vec<OverdueReason> {
    let mut reasons = Vec::new();
    if report.notice_late {
        reasons.push(OverdueReason::NoticeLate);
    }
    let unanswered = messages
        .iter()
        .filter_map(|m| answer_due(m, settings))
        .any(|due| due < now);
    if unanswered {
        reasons.push(OverdueReason::Unanswered);
    }
    if report.liability.accruing {
        reasons.push(OverdueReason::AccruingLiability);
    }
    reasons
}

/// When the answers to `message` are due: the agreement's notice hours after it was sent,
/// while some addressed unit has not answered; `None` when every unit has.
fn answer_due(message: &CaseMessage, settings: &AgreementSettings) -> Option<DateTime<Utc>> {
    message
        .recipients
        .iter()
        .any(|r| r.status == RecipientStatus::Pending)
        .then(|| message.sent_at + Duration::hours(settings.notice_hours))
}

/// The case's next deadline: the earliest of the admission notice's deadline (while no notice
/// is sent) and the answer due of each message some unit has not answered (the same times
/// [`report`] and [`overdue_reasons`] judge lateness by). A deadline already passed counts: it
/// was missed and is the most urgent. `None` for a closed case and when nothing is waited for.
/// The order of the case list sorted by deadline.
pub fn next_deadline(
    case: &CoordinationCase,
    messages: &[CaseMessage],
    report: &CaseReport,
    settings: &AgreementSettings,
) -> Option<DateTime<Utc>> {
    if case.state.is_closed() {
        return None;
    }
    let notice = report
        .notice_sent_at
        .is_none()
        .then_some(report.notice_deadline);
    notice
        .into_iter()
        .chain(messages.iter().filter_map(|m| answer_due(m, settings)))
        .min()
}

impl CaseReport {
    /// Since when she has been ready for discharge (utskrivningsklar), if she is now: the
    /// start of the open ready period.
    pub fn ready_for_discharge_since(&self) -> Option<DateTime<Utc>> {
        self.ready_periods
            .last()
            .filter(|period| period.ended_at.is_none())
            .map(|period| period.received_at)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0)
            .single()
            .unwrap_or_default()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn the_admission_notice_is_due_24_hours_after_the_configured_start() {
        let admitted = at(2026, 10, 24, 22, 0);
        let assessed = at(2026, 10, 25, 9, 30);
        let by_admission = AgreementSettings::default();
        // 24 elapsed hours, even across the night the clocks go back (25 October 2026).
        assert_eq!(
            by_admission.notice_deadline(admitted, Some(assessed)),
            at(2026, 10, 25, 22, 0)
        );
        let by_assessment = AgreementSettings {
            notice_clock_start: NoticeClockStart::PhysicianAssessment,
            ..AgreementSettings::default()
        };
        assert_eq!(
            by_assessment.notice_deadline(admitted, Some(assessed)),
            at(2026, 10, 26, 9, 30)
        );
        assert_eq!(
            by_assessment.notice_deadline(admitted, None),
            at(2026, 10, 25, 22, 0),
            "no assessment yet"
        );
    }

    #[test]
    fn liability_starts_three_calendar_days_after_a_friday_notice() {
        // Received Friday 23 October 2026 at 14:00 in Stockholm (12:00 UTC, CEST).
        let period = ReadyPeriod {
            received_at: at(2026, 10, 23, 12, 0),
            ended_at: Some(at(2026, 10, 28, 9, 0)),
        };
        let settings = AgreementSettings {
            daily_rate_by_year: BTreeMap::from([(2026, 9_000)]),
            ..AgreementSettings::default()
        };
        let liability = payment_liability(
            &settings,
            InpatientCare::Somatic,
            &[period],
            at(2026, 11, 1, 0, 0),
        );
        // Fri + 3 = Monday 26th; discharged Wednesday 28th: Monday and Tuesday are paid. The
        // weekend in between is the one the clocks went back; calendar days are unaffected.
        assert_eq!(liability.days, [date(2026, 10, 26), date(2026, 10, 27)]);
        assert_eq!(liability.amount_sek, 18_000);
        assert!(liability.unpriced_days.is_empty());
    }

    #[test]
    fn days_follow_the_stockholm_calendar_not_utc() {
        // 23:30 UTC on Saturday 28 March 2026 is already Sunday in Stockholm (the night the
        // clocks go forward).
        let period = ReadyPeriod {
            received_at: at(2026, 3, 28, 23, 30),
            ended_at: None,
        };
        let liability = payment_liability(
            &AgreementSettings::default(),
            InpatientCare::Somatic,
            &[period],
            at(2026, 4, 1, 10, 0),
        );
        assert_eq!(
            liability.days,
            [date(2026, 4, 1)],
            "Sunday 29th + 3 = Wednesday 1 April, counted while open"
        );
        assert_eq!(
            liability.unpriced_days, liability.days,
            "no rate configured for 2026"
        );
    }

    #[test]
    fn a_withdrawal_pauses_liability_and_a_new_notice_starts_a_new_grace() {
        let periods = [
            ReadyPeriod {
                received_at: at(2026, 5, 4, 8, 0),
                ended_at: Some(at(2026, 5, 9, 8, 0)),
            },
            ReadyPeriod {
                received_at: at(2026, 5, 11, 8, 0),
                ended_at: Some(at(2026, 5, 16, 8, 0)),
            },
        ];
        let liability = payment_liability(
            &AgreementSettings::default(),
            InpatientCare::Somatic,
            &periods,
            at(2026, 6, 1, 0, 0),
        );
        let expected = [
            date(2026, 5, 7),
            date(2026, 5, 8),
            date(2026, 5, 14),
            date(2026, 5, 15),
        ];
        assert_eq!(liability.days, expected);
    }

    #[test]
    fn psychiatric_care_has_its_own_grace_and_rates_follow_the_year() {
        let settings = AgreementSettings {
            daily_rate_by_year: BTreeMap::from([(2026, 9_000), (2027, 9_400)]),
            ..AgreementSettings::default()
        };
        let period = ReadyPeriod {
            received_at: at(2026, 12, 1, 10, 0),
            ended_at: Some(at(2027, 1, 2, 10, 0)),
        };
        let somatic = payment_liability(
            &settings,
            InpatientCare::Somatic,
            &[period],
            at(2027, 2, 1, 0, 0),
        );
        assert_eq!(somatic.days.len(), 29, "4 to 31 December, and 1 January");
        assert_eq!(somatic.amount_sek, 28 * 9_000 + 9_400);
        let psychiatric = payment_liability(
            &settings,
            InpatientCare::Psychiatric,
            &[period],
            at(2027, 2, 1, 0, 0),
        );
        assert_eq!(psychiatric.days, [date(2026, 12, 31), date(2027, 1, 1)]);
        let discharged_early = ReadyPeriod {
            received_at: at(2026, 12, 1, 10, 0),
            ended_at: Some(at(2026, 12, 3, 10, 0)),
        };
        assert!(
            payment_liability(
                &settings,
                InpatientCare::Somatic,
                &[discharged_early],
                at(2027, 1, 1, 0, 0)
            )
            .days
            .is_empty()
        );
    }

    fn message(kind: MessageKind, sent_at: DateTime<Utc>) -> CaseMessage {
        CaseMessage {
            id: uuid::Uuid::now_v7(),
            case_id: uuid::Uuid::nil(),
            kind,
            text: None,
            sent_by: "x".into(),
            sent_by_unit: uuid::Uuid::nil(),
            sent_at,
            recipients: Vec::new(),
        }
    }

    #[test]
    fn a_recorded_decision_names_the_paying_municipality_instead_of_hers() {
        let case = case_admitted(Utc::now());
        let hers = MunicipalityCode::parse("0682").ok();
        assert_eq!(case.paying_municipality(hers), hers);
        assert_eq!(case.paying_municipality(None), None);
        let eksjo = MunicipalityCode::parse("0686").unwrap_or_else(|_| unreachable!());
        let decision = PayingDecision {
            municipality: eksjo,
            reason: crate::record::FreeText::parse("Bor sedan mars i Eksjö")
                .unwrap_or_else(|_| unreachable!()),
            decided_by: "coordinator".into(),
            decided_at: Utc::now(),
            decided_for_unit: None,
        };
        assert!(
            case.decide_payer(decision.clone(), &[crate::Role::Clinician])
                .is_err()
        );
        let decided = case
            .decide_payer(decision, &[crate::Role::Coordinator])
            .unwrap_or_else(|_| unreachable!());
        assert_eq!(decided.paying_municipality(hers), Some(eksjo));
    }

    fn case_admitted(at_: DateTime<Utc>) -> CoordinationCase {
        CoordinationCase {
            id: uuid::Uuid::nil(),
            person_id: uuid::Uuid::nil(),
            hospital_unit_id: uuid::Uuid::nil(),
            care: InpatientCare::Somatic,
            state: CaseState::Admitted,
            admitted_at: at_,
            assessed_at: None,
            expected_discharge_date: None,
            opened_by: "x".into(),
            paying_decision: None,
            version: 1,
            created_at: at_,
            updated_at: at_,
        }
    }

    const HOME_CARE: uuid::Uuid = uuid::Uuid::from_u128(0x20);

    fn to_home_care(kind: MessageKind, sent_at: DateTime<Utc>) -> CaseMessage {
        let mut sent = message(kind, sent_at);
        sent.recipients.push(Recipient {
            unit_id: HOME_CARE,
            status: RecipientStatus::Pending,
            answered_by: None,
            answered_at: None,
            retract_reason: None,
        });
        sent
    }

    fn nassjo() -> MunicipalityCode {
        MunicipalityCode::parse("0682").unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn an_open_case_holds_the_ward_and_the_units_still_involved() {
        let ward = uuid::Uuid::from_u128(0x10);
        let other = uuid::Uuid::from_u128(0x30);
        let mut case = case_admitted(at(2026, 10, 20, 8, 0));
        case.hospital_unit_id = ward;
        let notice = to_home_care(MessageKind::AdmissionNotice, at(2026, 10, 20, 9, 0));
        let open = [(case.clone(), vec![notice.clone()])];
        assert_eq!(
            case_holding_unit(&open, ward).map(|c| c.0.id),
            Some(case.id)
        );
        assert!(
            case_holding_unit(&open, HOME_CARE).is_some(),
            "to answer it"
        );
        assert!(case_holding_unit(&open, other).is_none(), "never addressed");
        // Home care opted out, or the notice to it was retracted: it may leave.
        for status in [RecipientStatus::OptedOut, RecipientStatus::Retracted] {
            let mut answered = notice.clone();
            answered.recipients[0].status = status;
            let cases = [(case.clone(), vec![answered])];
            assert!(case_holding_unit(&cases, HOME_CARE).is_none(), "{status:?}");
            assert!(case_holding_unit(&cases, ward).is_some());
        }
        // A closed case holds no one.
        for state in [CaseState::Discharged, CaseState::Interrupted] {
            let closed = [(
                CoordinationCase {
                    state,
                    ..case.clone()
                },
                vec![notice.clone()],
            )];
            assert!(case_holding_unit(&closed, ward).is_none());
            assert!(case_holding_unit(&closed, HOME_CARE).is_none());
        }
    }

    #[test]
    fn the_report_follows_the_messages() {
        let case = case_admitted(at(2026, 10, 20, 8, 0));
        let settings = AgreementSettings::default();
        let units = [(HOME_CARE, nassjo())];
        let facts = LiabilityFacts {
            paying_municipality: Some(nassjo()),
            municipal_units: &units,
        };
        let quiet = report(&case, &[], &settings, &facts, at(2026, 10, 21, 9, 0));
        assert!(
            quiet.notice_late,
            "no notice a day and an hour after admission"
        );
        assert!(quiet.conditions_missing.is_empty() && !quiet.notice_deadline_provisional);
        let messages = [
            to_home_care(MessageKind::AdmissionNotice, at(2026, 10, 20, 20, 0)),
            to_home_care(MessageKind::PlanningCall, at(2026, 10, 21, 8, 0)),
            to_home_care(MessageKind::ReadyForDischarge, at(2026, 10, 23, 12, 0)),
            to_home_care(
                MessageKind::ReadyForDischargeWithdrawn,
                at(2026, 10, 27, 9, 0),
            ),
            to_home_care(MessageKind::ReadyForDischarge, at(2026, 10, 29, 9, 0)),
            to_home_care(MessageKind::DischargeNotice, at(2026, 11, 3, 9, 0)),
        ];
        let full = report(&case, &messages, &settings, &facts, at(2026, 11, 10, 0, 0));
        assert!(!full.notice_late);
        assert_eq!(full.ready_periods.len(), 2);
        assert_eq!(full.paying_municipality, Some(nassjo()));
        let expected = [date(2026, 10, 26), date(2026, 11, 1), date(2026, 11, 2)];
        assert_eq!(
            full.liability.days, expected,
            "Monday after the Friday notice; then 3 days after the new one"
        );
        assert!(!full.liability.accruing, "discharged");

        // The same messages, none to a unit of hers: she was ready, nobody pays.
        let elsewhere = LiabilityFacts {
            paying_municipality: Some(nassjo()),
            municipal_units: &[],
        };
        let unpaid = report(
            &case,
            &messages,
            &settings,
            &elsewhere,
            at(2026, 11, 10, 0, 0),
        );
        assert_eq!(unpaid.ready_periods.len(), 2);
        assert!(unpaid.liability.days.is_empty());
        assert_eq!(
            unpaid.conditions_missing,
            [
                LiabilityCondition::AdmissionNotice,
                LiabilityCondition::ReadyForDischarge,
                LiabilityCondition::PlanningCall
            ]
        );
    }

    #[test]
    fn without_an_assessment_the_assessment_clock_gives_a_provisional_deadline() {
        let by_assessment = AgreementSettings {
            notice_clock_start: NoticeClockStart::PhysicianAssessment,
            ..AgreementSettings::default()
        };
        assert!(by_assessment.notice_deadline_is_provisional(None));
        assert!(!by_assessment.notice_deadline_is_provisional(Some(at(2026, 10, 20, 9, 0))));
        assert!(!AgreementSettings::default().notice_deadline_is_provisional(None));
        let case = case_admitted(at(2026, 10, 20, 8, 0));
        let facts = LiabilityFacts {
            paying_municipality: None,
            municipal_units: &[],
        };
        let shown = report(&case, &[], &by_assessment, &facts, at(2026, 10, 20, 9, 0));
        assert!(shown.notice_deadline_provisional);
        assert_eq!(shown.notice_deadline, at(2026, 10, 21, 8, 0));
    }

    /// The README's worked examples: the first liable day (somatic care, N = 3) for a receipt
    /// on Tuesday 10 March 2026 at 10:00, Friday 13 March at 18:30 and Saturday 28 March (the
    /// day before the clocks go forward) at 17:00, Stockholm time.
    #[test]
    fn the_worked_examples_of_both_counting_conventions_and_the_cut_off_hour() {
        let tuesday = at(2026, 3, 10, 9, 0);
        let friday_evening = at(2026, 3, 13, 17, 30);
        let before_spring_change = at(2026, 3, 28, 16, 0);
        let first = |counting, cutoff, received| {
            AgreementSettings {
                counting,
                receipt_cutoff_hour: cutoff,
                ..AgreementSettings::default()
            }
            .first_liable_day(InpatientCare::Somatic, received)
        };
        use CountingConvention::{ReceiptDayCounts as Counts, WholeDaysAfter as Whole};
        let table = [
            (Counts, None, tuesday, date(2026, 3, 13)),
            (Whole, None, tuesday, date(2026, 3, 14)),
            (Counts, Some(16), tuesday, date(2026, 3, 13)),
            (Whole, Some(16), tuesday, date(2026, 3, 14)),
            (Counts, None, friday_evening, date(2026, 3, 16)),
            (Whole, None, friday_evening, date(2026, 3, 17)),
            (Counts, Some(16), friday_evening, date(2026, 3, 17)),
            (Whole, Some(16), friday_evening, date(2026, 3, 18)),
            (Counts, None, before_spring_change, date(2026, 3, 31)),
            (Whole, None, before_spring_change, date(2026, 4, 1)),
            (Counts, Some(16), before_spring_change, date(2026, 4, 1)),
            (Whole, Some(16), before_spring_change, date(2026, 4, 2)),
        ];
        for (counting, cutoff, received, expected) in table {
            assert_eq!(
                first(counting, cutoff, received),
                expected,
                "{counting} cut-off {cutoff:?} received {received}"
            );
        }
        // The cut-off is Stockholm time: 15:59 local is before it, in summer time too.
        let settings = AgreementSettings {
            receipt_cutoff_hour: Some(16),
            ..AgreementSettings::default()
        };
        assert_eq!(
            settings.receipt_day(at(2026, 6, 2, 13, 59)),
            date(2026, 6, 2)
        );
        assert_eq!(
            settings.receipt_day(at(2026, 6, 2, 14, 0)),
            date(2026, 6, 3)
        );
    }

    #[test]
    fn overdue_cases_say_why() {
        let settings = AgreementSettings::default();
        let mut notice = message(MessageKind::AdmissionNotice, at(2026, 10, 20, 9, 0));
        notice.recipients.push(Recipient {
            unit_id: uuid::Uuid::nil(),
            status: RecipientStatus::Pending,
            answered_by: None,
            answered_at: None,
            retract_reason: None,
        });
        let ready = message(MessageKind::ReadyForDischarge, at(2026, 10, 21, 9, 0));
        let open = ReadyPeriod {
            received_at: ready.sent_at,
            ended_at: None,
        };
        let report = CaseReport {
            notice_deadline: at(2026, 10, 21, 8, 0),
            notice_deadline_provisional: false,
            notice_sent_at: Some(notice.sent_at),
            notice_late: false,
            ready_periods: vec![open],
            paying_municipality: None,
            conditions_missing: Vec::new(),
            not_involved_since: None,
            liability: payment_liability(
                &settings,
                InpatientCare::Somatic,
                &[open],
                at(2026, 10, 30, 0, 0),
            ),
        };
        let reasons = overdue_reasons(
            &[notice.clone(), ready],
            &report,
            &settings,
            at(2026, 10, 30, 0, 0),
        );
        assert_eq!(
            reasons,
            [OverdueReason::Unanswered, OverdueReason::AccruingLiability]
        );
        let answered = Recipient {
            status: RecipientStatus::Acknowledged,
            ..notice.recipients[0].clone()
        };
        notice.recipients = vec![answered];
        let early = CaseReport {
            liability: payment_liability(
                &settings,
                InpatientCare::Somatic,
                &[open],
                at(2026, 10, 22, 0, 0),
            ),
            ..report
        };
        assert!(
            overdue_reasons(&[notice], &early, &settings, at(2026, 10, 22, 0, 0)).is_empty(),
            "answered, and liability not started yet"
        );
    }

    #[test]
    fn the_next_deadline_is_the_earliest_still_awaited_missed_ones_first() {
        let settings = AgreementSettings::default();
        let admitted = at(2026, 10, 20, 8, 0);
        let mut case = case_admitted(admitted);
        let facts = LiabilityFacts {
            paying_municipality: None,
            municipal_units: &[],
        };
        let now = at(2026, 10, 20, 9, 0);
        let bare = report(&case, &[], &settings, &facts, now);
        assert_eq!(
            next_deadline(&case, &[], &bare, &settings),
            Some(at(2026, 10, 21, 8, 0)),
            "the notice is due 24 hours after admission"
        );
        let mut notice = message(MessageKind::AdmissionNotice, at(2026, 10, 20, 10, 0));
        notice
            .recipients
            .push(Recipient::pending(uuid::Uuid::nil()));
        let sent = report(&case, &[notice.clone()], &settings, &facts, now);
        assert_eq!(
            next_deadline(&case, &[notice.clone()], &sent, &settings),
            Some(at(2026, 10, 21, 10, 0)),
            "sent: now the unit's answer is awaited"
        );
        notice.recipients[0].status = RecipientStatus::Acknowledged;
        assert_eq!(
            next_deadline(&case, &[notice.clone()], &sent, &settings),
            None
        );
        case.state = CaseState::Interrupted;
        assert_eq!(next_deadline(&case, &[], &bare, &settings), None);
        let ready = message(MessageKind::ReadyForDischarge, at(2026, 10, 22, 9, 0));
        let withdrawn = message(
            MessageKind::ReadyForDischargeWithdrawn,
            at(2026, 10, 23, 9, 0),
        );
        let later = at(2026, 10, 24, 0, 0);
        let is_ready = report(
            &case,
            std::slice::from_ref(&ready),
            &settings,
            &facts,
            later,
        );
        assert_eq!(is_ready.ready_for_discharge_since(), Some(ready.sent_at));
        let not_ready = report(&case, &[ready, withdrawn], &settings, &facts, later);
        assert_eq!(not_ready.ready_for_discharge_since(), None);
    }

    #[test]
    fn the_case_moves_only_along_allowed_transitions() {
        use CaseState as S;
        use MessageKind as M;
        let journey = [
            M::AdmissionNotice,
            M::PlanningCall,
            M::ReadyForDischarge,
            M::ReadyForDischargeWithdrawn,
            M::ReadyForDischarge,
            M::DischargeNotice,
        ];
        let end = journey
            .iter()
            .try_fold(S::Admitted, |state, message| state.apply(*message));
        assert_eq!(end, Ok(S::Discharged));
        let refused = S::Admitted
            .apply(M::ReadyForDischarge)
            .map_err(|e| e.to_string());
        let message = refused.err().unwrap_or_default();
        assert!(
            message.contains("`admitted`") && message.contains("admission_notice"),
            "{message}"
        );
        assert_eq!(
            S::Discharged
                .apply(M::CoordinationNote)
                .map_err(|e| e.allowed),
            Err(vec![])
        );
        assert_eq!(S::Planning.apply(M::ProcessInterrupted), Ok(S::Interrupted));
        assert_eq!(
            S::ReadyForDischarge
                .apply(M::PlanningCall)
                .map_err(|e| e.state),
            Err(S::ReadyForDischarge)
        );
    }
}

#[cfg(test)]
mod visibility_tests {
    use chrono::TimeZone;
    use uuid::Uuid;

    use super::*;
    use crate::Role;
    use crate::access::{AccessFacts, Viewer, decide};
    use crate::record::{Block, CareRelationship, RelationshipRole};

    const PERSON: Uuid = Uuid::from_u128(1);
    const WARD: Uuid = Uuid::from_u128(10);
    const HOME: Uuid = Uuid::from_u128(20);
    const PSYCHIATRY: Uuid = Uuid::from_u128(30);

    fn at(d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 10, d, 8, 0, 0)
            .single()
            .unwrap_or_default()
    }

    fn cares(unit: Uuid) -> CareRelationship {
        CareRelationship {
            id: Uuid::from_u128(unit.as_u128() + 100),
            person_id: PERSON,
            care_unit_id: unit,
            organization_id: Uuid::from_u128(unit.as_u128() + 1),
            staff_id: None,
            role: RelationshipRole::Other,
            started_by: "x".into(),
            started_by_unit: None,
            started_at: at(1),
            ended_by: None,
            ended_by_unit: None,
            ended_at: None,
        }
    }

    /// A message from the ward to `unit`, answered `status`.
    fn sent_to(unit: Uuid, status: RecipientStatus) -> CaseMessage {
        CaseMessage {
            id: Uuid::from_u128(unit.as_u128() + 200),
            case_id: Uuid::from_u128(5),
            kind: MessageKind::AdmissionNotice,
            text: None,
            sent_by: "ward-nurse".into(),
            sent_by_unit: WARD,
            sent_at: at(2),
            recipients: vec![Recipient {
                unit_id: unit,
                status,
                answered_by: None,
                answered_at: None,
                retract_reason: None,
            }],
        }
    }

    /// Whether `unit` sees the ward's case with `messages`, with or without her block of the
    /// ward.
    fn seen_by(unit: Uuid, blocked: bool, messages: &[CaseMessage]) -> bool {
        grant_of(unit, blocked.then_some(WARD))
            .is_some_and(|grant| case_visible(&grant, WARD, messages))
    }

    /// The grant of a clinician at `unit` to her record, with her block of `blocked`, if any.
    fn grant_of(unit: Uuid, blocked: Option<Uuid>) -> Option<crate::access::Grant> {
        let relationships = [cares(WARD), cares(HOME), cares(PSYCHIATRY)];
        let blocks: Vec<Block> = blocked
            .map(|blocked_unit_id| Block {
                id: Uuid::from_u128(3),
                person_id: PERSON,
                blocked_unit_id,
                reason: None,
                created_by: "esther".into(),
                created_at: at(3),
                lifted_by: None,
                lifted_at: None,
            })
            .into_iter()
            .collect();
        let viewer = Viewer {
            roles: &[Role::Clinician],
            unit: Some(unit),
            organization: None,
            person: None,
        };
        let facts = AccessFacts {
            person_id: PERSON,
            relationships: &relationships,
            emergency_access: false,
            consents: &[],
            blocks: &blocks,
            today: at(4).date_naive(),
        };
        decide(&viewer, &facts)
    }

    #[test]
    fn her_block_of_a_unit_hides_its_part_in_the_case_but_what_it_sent_or_was_sent() {
        let mut notice = sent_to(HOME, RecipientStatus::Acknowledged);
        notice.recipients.push(Recipient {
            unit_id: PSYCHIATRY,
            ..notice.recipients[0].clone()
        });
        let note = |id: u128, to: &[Uuid]| CaseMessage {
            id: Uuid::from_u128(id),
            kind: MessageKind::CoordinationNote,
            sent_by_unit: HOME,
            recipients: to.iter().map(|unit| Recipient::pending(*unit)).collect(),
            ..notice.clone()
        };
        let messages = [notice.clone(), note(901, &[]), note(902, &[PSYCHIATRY])];
        // What each unit sees: (message id, the units it shows as addressed).
        let seen = |unit: Uuid, blocked: Option<Uuid>| -> Vec<(u128, Vec<Uuid>)> {
            let grant = grant_of(unit, blocked).unwrap_or_else(|| panic!("{unit}: no grant"));
            messages_as_seen(&grant, &messages)
                .into_iter()
                .map(|m| {
                    let to = m.recipients.iter().map(|r| r.unit_id).collect();
                    (m.id.as_u128(), to)
                })
                .collect()
        };
        let whole: Vec<(u128, Vec<Uuid>)> = vec![
            (notice.id.as_u128(), vec![HOME, PSYCHIATRY]),
            (901, vec![]),
            (902, vec![PSYCHIATRY]),
        ];
        assert_eq!(seen(PSYCHIATRY, None), whole, "no block");
        assert_eq!(seen(HOME, Some(HOME)), whole, "the blocked unit itself");
        // Psychiatry: the ward's notice without home care's entry, and home care's note to it.
        assert_eq!(
            seen(PSYCHIATRY, Some(HOME)),
            [
                (notice.id.as_u128(), vec![PSYCHIATRY]),
                (902, vec![PSYCHIATRY])
            ]
        );
        // The ward: its own notice with home care's answer, none of home care's notes.
        assert_eq!(
            seen(WARD, Some(HOME)),
            [(notice.id.as_u128(), vec![HOME, PSYCHIATRY])]
        );
    }

    #[test]
    fn her_block_of_the_ward_hides_its_case_from_units_it_was_not_sent_to() {
        let to_home = [sent_to(HOME, RecipientStatus::Pending)];
        // Without a block every unit caring for her sees it.
        assert!(seen_by(PSYCHIATRY, false, &to_home));
        // With it: not a unit it was never sent to; still the ward and the addressed unit.
        assert!(!seen_by(PSYCHIATRY, true, &to_home));
        assert!(seen_by(WARD, true, &to_home));
        assert!(seen_by(HOME, true, &to_home));
        // Answered "not involved": it was still sent there.
        assert!(seen_by(
            HOME,
            true,
            &[sent_to(HOME, RecipientStatus::OptedOut)]
        ));
        // Taken back from the unit (sent to the wrong one): hidden like the rest.
        assert!(!seen_by(
            HOME,
            true,
            &[sent_to(HOME, RecipientStatus::Retracted)]
        ));
        // A note from home care does not open the ward's case to the unit it addresses; a
        // note from the ward does.
        let note_to_psychiatry = |from: Uuid| CaseMessage {
            id: Uuid::from_u128(from.as_u128() + 900),
            kind: MessageKind::CoordinationNote,
            sent_by_unit: from,
            ..sent_to(PSYCHIATRY, RecipientStatus::Pending)
        };
        let from_home = [to_home[0].clone(), note_to_psychiatry(HOME)];
        assert!(!seen_by(PSYCHIATRY, true, &from_home));
        assert!(seen_by(HOME, true, &from_home));
        assert!(seen_by(PSYCHIATRY, true, &[note_to_psychiatry(WARD)]));
    }
}
