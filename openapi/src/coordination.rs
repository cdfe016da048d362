//! Wire types of discharge coordination (Lag 2017:612): cases, messages, answers, and what the
//! server computes (notice deadline, payment liability).

use chrono::{DateTime, NaiveDate, Utc};
use domain::discharge::{CaseMessage, CaseReport, CoordinationCase, NewMessage};
use domain::record::FreeText;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::wire_enum::wire_enum;
use crate::{FieldErrors, ValidationFailed};

wire_enum! {
    /// Somatic or psychiatric inpatient care (they have different liability rules).
    InpatientCare => discharge::InpatientCare { Somatic, Psychiatric }
}

wire_enum! {
    /// Where a case stands.
    CaseState => discharge::CaseState { Admitted, Notified, Planning, ReadyForDischarge, Discharged, Interrupted }
}

wire_enum! {
    /// The typed messages of a case: inskrivningsmeddelande, expected discharge update,
    /// planning call, utskrivningsklar and its withdrawal, utskrivningsmeddelande, process
    /// interrupted, and free coordination notes.
    MessageKind => discharge::MessageKind {
        AdmissionNotice, ExpectedDischargeUpdate, PlanningCall, ReadyForDischarge, ReadyForDischargeWithdrawn,
        DischargeNotice, ProcessInterrupted, CoordinationNote,
    }
}

wire_enum! {
    /// A condition of the municipality's payment liability under Lag (2017:612):
    /// `paying_municipality` (one is known: hers, where she is registered),
    /// `admission_notice` (reached a unit of it before she was ready), `ready_for_discharge`
    /// (a unit of it received it), `planning_call` (reached a unit of it before she was ready).
    LiabilityCondition => discharge::LiabilityCondition { PayingMunicipality, AdmissionNotice, ReadyForDischarge, PlanningCall }
}

wire_enum! {
    /// Why a case is overdue.
    OverdueReason => discharge::OverdueReason { NoticeLate, Unanswered, AccruingLiability }
}

wire_enum! {
    /// A recipient unit's answer: `opted_out` means "not involved"; `retracted`: the sender
    /// took the message back (sent to the wrong unit).
    RecipientStatus => discharge::RecipientStatus { Pending, Acknowledged, OptedOut, Retracted }
}

/// Opens a case for an inpatient stay at the caller's unit (her ward).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenCaseRequest {
    /// `somatic` (default) or `psychiatric`.
    #[schema(value_type = Option<InpatientCare>)]
    pub care_kind: Option<String>,
    #[schema(pattern = "^(19|20|21)[0-9]{2}-")]
    pub admitted_at: DateTime<Utc>,
    /// When the physician assessed that she will need support after discharge.
    #[schema(pattern = "^(19|20|21)[0-9]{2}-")]
    pub assessed_at: Option<DateTime<Utc>>,
    #[schema(pattern = "^(19|20|21)[0-9]{2}-")]
    pub expected_discharge_date: Option<NaiveDate>,
}

/// A parsed request to open a case.
pub struct NewCase {
    pub care: domain::discharge::InpatientCare,
    pub admitted_at: DateTime<Utc>,
    pub assessed_at: Option<DateTime<Utc>>,
    pub expected_discharge_date: Option<NaiveDate>,
}

impl OpenCaseRequest {
    pub fn into_domain(self, now: DateTime<Utc>) -> Result<NewCase, ValidationFailed> {
        let mut errors = FieldErrors::default();
        let care = errors.check_optional(
            "care_kind",
            self.care_kind.as_deref(),
            domain::discharge::InpatientCare::parse,
        );
        errors.plausible_instant("admitted_at", Some(self.admitted_at));
        errors.plausible_instant("assessed_at", self.assessed_at);
        errors.plausible_date("expected_discharge_date", self.expected_discharge_date);
        if self.admitted_at > now {
            errors.push("admitted_at", "must not be in the future");
        }
        if self
            .assessed_at
            .is_some_and(|assessed| assessed < self.admitted_at || assessed > now)
        {
            errors.push("assessed_at", "must be between the admission and now");
        }
        let (Some(care), true) = (care, errors.is_empty()) else {
            return Err(errors.into_failure());
        };
        Ok(NewCase {
            care: care.unwrap_or(domain::discharge::InpatientCare::Somatic),
            admitted_at: self.admitted_at,
            assessed_at: self.assessed_at,
            expected_discharge_date: self.expected_discharge_date,
        })
    }
}

/// Sends a typed message in a case.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendMessageRequest {
    #[schema(value_type = MessageKind)]
    pub kind: String,
    /// The addressed care units. Required for all kinds but `coordination_note`,
    /// `expected_discharge_update` and `process_interrupted`; a unit that opted out of the case
    /// cannot be addressed. A `process_interrupted` without it goes to every active unit still
    /// involved in the case when it is sent, whatever `sent_at` (addressed, not opted out, not
    /// retracted from; not the sending unit), or to none: a case opened by mistake closes
    /// without taking a unit into her care team.
    #[serde(default)]
    pub to: Vec<Uuid>,
    #[schema(min_length = 1, max_length = 4000, pattern = "<free-text>")]
    pub text: Option<String>,
    /// For `expected_discharge_update`: the new expected discharge date.
    #[schema(pattern = "^(19|20|21)[0-9]{2}-")]
    pub expected_discharge_date: Option<NaiveDate>,
    /// When the message was sent, for systems that report afterwards; default now. Not before
    /// the admission or the case's previous message, not in the future.
    #[schema(pattern = "^(19|20|21)[0-9]{2}-")]
    pub sent_at: Option<DateTime<Utc>>,
}

impl SendMessageRequest {
    pub fn into_domain(self) -> Result<NewMessage, ValidationFailed> {
        use domain::discharge::MessageKind as K;
        let mut errors = FieldErrors::default();
        let kind = errors.check("kind", K::parse(&self.kind));
        errors.plausible_date("expected_discharge_date", self.expected_discharge_date);
        errors.plausible_instant("sent_at", self.sent_at);
        let text = errors.check_optional("text", self.text.as_deref(), FreeText::parse);
        let mut to = self.to;
        to.sort_unstable();
        to.dedup();
        if let Some(kind) = kind {
            if to.is_empty()
                && !matches!(
                    kind,
                    K::CoordinationNote | K::ExpectedDischargeUpdate | K::ProcessInterrupted
                )
            {
                errors.push(
                    "to",
                    format!("a `{kind}` must be addressed to at least one care unit"),
                );
            }
            if (kind == K::ExpectedDischargeUpdate) != self.expected_discharge_date.is_some() {
                errors.push(
                    "expected_discharge_date",
                    "is given with, and only with, an `expected_discharge_update`",
                );
            }
            if kind == K::CoordinationNote && text.as_ref().is_none_or(Option::is_none) {
                errors.push("text", "a coordination note needs a text");
            }
        }
        let (Some(kind), Some(text), true) = (kind, text, errors.is_empty()) else {
            return Err(errors.into_failure());
        };
        Ok(NewMessage {
            kind,
            to,
            text,
            expected_discharge_date: self.expected_discharge_date,
            sent_at: self.sent_at,
        })
    }
}

/// A recipient unit and its answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RecipientResponse {
    pub unit_id: Uuid,
    pub status: RecipientStatus,
    /// Who answered or retracted, and when.
    pub answered_by: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    /// Why the sender retracted the message from this unit.
    pub retract_reason: Option<String>,
}

/// Takes a message back from a unit it was sent to by mistake.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetractRequest {
    /// Why, e.g. "fel hemtjänstgrupp".
    #[schema(min_length = 1, max_length = 1000, pattern = "<free-text>")]
    pub reason: String,
}

/// A message of a case.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MessageResponse {
    pub id: Uuid,
    pub kind: MessageKind,
    pub text: Option<String>,
    pub sent_by: String,
    pub sent_by_unit: Uuid,
    pub sent_at: DateTime<Utc>,
    pub recipients: Vec<RecipientResponse>,
}

impl From<&CaseMessage> for MessageResponse {
    fn from(m: &CaseMessage) -> Self {
        Self {
            id: m.id,
            kind: m.kind.into(),
            text: m.text.as_ref().map(ToString::to_string),
            sent_by: m.sent_by.clone(),
            sent_by_unit: m.sent_by_unit,
            sent_at: m.sent_at,
            recipients: m
                .recipients
                .iter()
                .map(|r| RecipientResponse {
                    unit_id: r.unit_id,
                    status: r.status.into(),
                    answered_by: r.answered_by.clone(),
                    answered_at: r.answered_at,
                    retract_reason: r.retract_reason.as_ref().map(ToString::to_string),
                })
                .collect(),
        }
    }
}

/// A period in which she was ready for discharge.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReadyPeriodResponse {
    /// When `ready_for_discharge` was sent (and received: messages are delivered at once).
    pub received_at: DateTime<Utc>,
    /// Withdrawal, discharge or interruption; absent while open.
    pub ended_at: Option<DateTime<Utc>>,
}

/// The paying municipality's payment liability so far.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LiabilityResponse {
    /// The municipality invoiced (code): hers, where she is registered; `null` when unknown.
    pub paying_municipality: Option<String>,
    /// Calendar days (Europe/Stockholm) the paying municipality pays for: only from a
    /// `ready_for_discharge` one of its units received, with the law's conditions met, and
    /// only while it is involved.
    pub days: Vec<NaiveDate>,
    pub liable_days: usize,
    /// Sum of the agreement's daily rates for those days, in SEK.
    pub amount_sek: u64,
    /// Days in a year without a rate in the agreement: counted, not priced.
    pub unpriced_days: Vec<NaiveDate>,
    /// Liability runs today.
    pub accruing: bool,
    /// The law's conditions that were not met when she was ready for discharge: no liability
    /// for that period. Empty when all were met (or she has not been ready).
    pub conditions_missing: Vec<LiabilityCondition>,
    /// Since when every unit of the paying municipality in the case has answered "not
    /// involved": no liability from then on.
    pub not_involved_since: Option<DateTime<Utc>>,
}

/// A coordination case with its messages and what the server computes from them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseResponse {
    pub id: Uuid,
    pub person_id: Uuid,
    pub hospital_unit_id: Uuid,
    pub care_kind: InpatientCare,
    pub state: CaseState,
    /// The message kinds the current state allows.
    pub allowed_messages: Vec<MessageKind>,
    pub admitted_at: DateTime<Utc>,
    pub assessed_at: Option<DateTime<Utc>>,
    pub expected_discharge_date: Option<NaiveDate>,
    /// When the admission notice is due (the agreement says from admission or assessment).
    pub notice_deadline: DateTime<Utc>,
    /// The clock starts at the physician's assessment and none is recorded: the deadline shown
    /// runs from admission and moves once the assessment is recorded.
    pub notice_deadline_provisional: bool,
    pub notice_sent_at: Option<DateTime<Utc>>,
    /// Sent after the deadline, or not sent and the deadline has passed.
    pub notice_late: bool,
    pub ready_periods: Vec<ReadyPeriodResponse>,
    pub liability: LiabilityResponse,
    pub messages: Vec<MessageResponse>,
    /// A recorded decision that another municipality than hers pays, if any.
    pub paying_decision: Option<PayingDecisionResponse>,
    /// Increases with every change of the case; send it in quotes as `If-Match` to record
    /// which municipality pays.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl CaseResponse {
    /// The case with `messages` (as the caller may see them) and `report`; `grant` withholds
    /// who recorded the paying decision where her block hides the unit they acted for.
    pub fn new(
        case: &CoordinationCase,
        messages: &[CaseMessage],
        report: CaseReport,
        grant: &domain::access::Grant,
    ) -> Self {
        Self {
            id: case.id,
            person_id: case.person_id,
            hospital_unit_id: case.hospital_unit_id,
            care_kind: case.care.into(),
            state: case.state.into(),
            allowed_messages: case
                .state
                .allowed()
                .into_iter()
                .map(MessageKind::from)
                .collect(),
            admitted_at: case.admitted_at,
            assessed_at: case.assessed_at,
            expected_discharge_date: case.expected_discharge_date,
            notice_deadline: report.notice_deadline,
            notice_deadline_provisional: report.notice_deadline_provisional,
            notice_sent_at: report.notice_sent_at,
            notice_late: report.notice_late,
            ready_periods: report
                .ready_periods
                .iter()
                .map(|p| ReadyPeriodResponse {
                    received_at: p.received_at,
                    ended_at: p.ended_at,
                })
                .collect(),
            liability: LiabilityResponse {
                paying_municipality: report.paying_municipality.map(|m| m.as_str().to_owned()),
                liable_days: report.liability.days.len(),
                days: report.liability.days,
                amount_sek: report.liability.amount_sek,
                unpriced_days: report.liability.unpriced_days,
                accruing: report.liability.accruing,
                conditions_missing: report
                    .conditions_missing
                    .into_iter()
                    .map(LiabilityCondition::from)
                    .collect(),
                not_involved_since: report.not_involved_since,
            },
            messages: messages.iter().map(MessageResponse::from).collect(),
            paying_decision: case
                .paying_decision
                .as_ref()
                .map(|d| PayingDecisionResponse {
                    municipality: d.municipality.as_str().to_owned(),
                    reason: d.reason.as_str().to_owned(),
                    decided_by: grant
                        .may_see_actor_of(d.decided_for_unit)
                        .then(|| d.decided_by.clone()),
                    decided_at: d.decided_at,
                }),
            version: case.version,
            created_at: case.created_at,
            updated_at: case.updated_at,
        }
    }
}

/// A recorded decision that another municipality than hers pays for the case.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PayingDecisionResponse {
    /// The paying municipality's code.
    #[schema(pattern = "^06(04|17|42|43|62|65|80|82|83|84|85|86|87)$")]
    pub municipality: String,
    pub reason: String,
    /// The user (token `sub`) who recorded it; `null` where her block hides the unit that user
    /// acted for (a user's id names the unit in the staff directory; decision 0027).
    pub decided_by: Option<String>,
    pub decided_at: DateTime<Utc>,
}

/// Records which municipality pays for the case instead of hers, and why.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecidePayingMunicipalityRequest {
    /// The paying municipality's code.
    #[schema(
        example = "0686",
        pattern = "^06(04|17|42|43|62|65|80|82|83|84|85|86|87)$"
    )]
    pub municipality: String,
    #[schema(
        example = "Bor sedan mars hos sin dotter i Eksjö; överenskommet med Eksjö kommun",
        min_length = 1,
        max_length = 4000,
        pattern = "<free-text>"
    )]
    pub reason: String,
}

impl DecidePayingMunicipalityRequest {
    /// The municipality and the reason, or every field that breaks a rule.
    pub fn into_domain(self) -> Result<(domain::MunicipalityCode, FreeText), ValidationFailed> {
        let mut errors = FieldErrors::default();
        let municipality = errors.check(
            "municipality",
            domain::MunicipalityCode::parse(&self.municipality),
        );
        let reason = errors.check("reason", FreeText::parse(&self.reason));
        match (municipality, reason) {
            (Some(municipality), Some(reason)) => Ok((municipality, reason)),
            _ => Err(errors.into_failure()),
        }
    }
}

/// A message waiting for the unit's answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InboxItem {
    pub case_id: Uuid,
    pub message_id: Uuid,
    pub kind: MessageKind,
    pub sent_by_unit: Uuid,
    pub sent_at: DateTime<Utc>,
    pub person: crate::record::PersonSummary,
}

/// A case that needs attention, and why.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OverdueItem {
    pub case_id: Uuid,
    pub person: crate::record::PersonSummary,
    pub state: CaseState,
    pub reasons: Vec<OverdueReason>,
    pub notice_deadline: DateTime<Utc>,
    /// The municipality invoiced (code), as in the case's liability.
    pub paying_municipality: Option<String>,
    pub liable_days: usize,
    pub amount_sek: u64,
}

/// Filter and paging of `GET /api/v1/coordination/overdue`.
#[derive(
    Debug, Clone, Default, Serialize, Deserialize, utoipa::IntoParams, validator::Validate,
)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OverdueQuery {
    /// Only persons registered in this municipality (code).
    #[param(pattern = "^06(04|17|42|43|62|65|80|82|83|84|85|86|87)$")]
    pub municipality: Option<String>,
    /// Open cases examined for the page, 1 to 200 (default 50); the page holds those of them
    /// that need attention.
    #[validate(range(min = 1, max = 200, message = "must be between 1 and 200"))]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next` value of the previous page.
    #[param(pattern = "<cursor>")]
    pub cursor: Option<String>,
}

crate::directory::page_params!(OverdueQuery);

/// What happened in a timeline event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TimelineEventKind {
    CareRelationshipStarted,
    CareRelationshipEnded,
    Admitted,
    MessageSent,
    MessageAnswered,
    /// Her coordinated individual plan was made, revised or followed up.
    PlanChanged,
    /// Her identity number was changed (`POST /persons/{id}/identity-changes`): the event's
    /// `id` is the change's id in her identity history.
    IdentityChanged,
}

/// One event of her care chain.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TimelineEventResponse {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    /// The unit that acted (started caring, admitted, sent, answered, changed her plan or her
    /// identity number).
    pub unit_id: Uuid,
    pub kind: TimelineEventKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<crate::record::RelationshipRole>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case_id: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_kind: Option<MessageKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer: Option<RecipientStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan_id: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan_version: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan_change: Option<crate::plan::PlanChange>,
    /// `identity_changed`: the number she was registered under until the change (stored form),
    /// which still finds her; left out under protected identity except for her and admins.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "20261130R123")]
    pub previous_personal_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_personal_number_kind: Option<crate::record::PersonalNumberKind>,
    /// `identity_changed`: her number from the change on (stored form); under protected
    /// identity left out for all but her and admins unless it is her number now.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "191212121212")]
    pub personal_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub personal_number_kind: Option<crate::record::PersonalNumberKind>,
    /// `identity_changed`: who changed it, the subject of their token (a staff member's
    /// HSA-id); their unit is `unit_id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changed_by: Option<String>,
}

impl From<domain::timeline::TimelineEvent> for TimelineEventResponse {
    fn from(e: domain::timeline::TimelineEvent) -> Self {
        use domain::timeline::TimelineKind as K;
        let mut response = Self {
            id: e.key,
            at: e.at,
            unit_id: e.unit_id,
            kind: TimelineEventKind::Admitted,
            role: None,
            case_id: None,
            message_kind: None,
            answer: None,
            plan_id: None,
            plan_version: None,
            plan_change: None,
            previous_personal_number: None,
            previous_personal_number_kind: None,
            personal_number: None,
            personal_number_kind: None,
            changed_by: None,
        };
        match e.kind {
            K::CareRelationshipStarted { role } => {
                (response.kind, response.role) = (
                    TimelineEventKind::CareRelationshipStarted,
                    Some(role.into()),
                )
            }
            K::CareRelationshipEnded { role } => {
                (response.kind, response.role) =
                    (TimelineEventKind::CareRelationshipEnded, Some(role.into()))
            }
            K::Admitted { case_id } => response.case_id = Some(case_id),
            K::MessageSent { case_id, kind } => {
                (response.kind, response.case_id, response.message_kind) = (
                    TimelineEventKind::MessageSent,
                    Some(case_id),
                    Some(kind.into()),
                );
            }
            K::MessageAnswered {
                case_id,
                kind,
                answer,
            } => {
                response.kind = TimelineEventKind::MessageAnswered;
                (response.case_id, response.message_kind, response.answer) =
                    (Some(case_id), Some(kind.into()), Some(answer.into()));
            }
            K::PlanChanged {
                plan_id,
                version,
                change,
            } => {
                response.kind = TimelineEventKind::PlanChanged;
                (
                    response.plan_id,
                    response.plan_version,
                    response.plan_change,
                ) = (Some(plan_id), Some(version), Some(change.into()));
            }
            K::IdentityChanged { previous, new, by } => {
                response.kind = TimelineEventKind::IdentityChanged;
                response.previous_personal_number = previous.as_ref().map(ToString::to_string);
                response.previous_personal_number_kind = previous.map(|p| p.kind().into());
                response.personal_number = new.as_ref().map(ToString::to_string);
                response.personal_number_kind = new.map(|n| n.kind().into());
                response.changed_by = Some(by);
            }
        }
        response
    }
}
