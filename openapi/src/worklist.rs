//! Wire types of the work lists (issue 16): a unit's caseload, its coordination cases and the
//! plans due for follow-up. Each answers a [`crate::Page`] of named items; every person shown
//! is one access-log event.

use chrono::{DateTime, NaiveDate, Utc};
use domain::InvalidValue;
use domain::discharge::{CaseReport, CoordinationCase};
use domain::plan::CarePlan;
use domain::record::{Person, PersonSearch};
use domain::worklist::CaseloadEntry;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::coordination::CaseState;
use crate::record::{ContactDetailsResponse, PersonSummary, RelationshipRole};

/// Filters and paging of `GET /api/v1/units/{id}/caseload`, in Swedish alphabetical order
/// (family name, given name, by CLDR's `sv` collation; then id).
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams, Validate)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CaseloadQuery {
    /// Only persons the unit cares for in this role, e.g. `fast_vardkontakt`.
    #[param(value_type = Option<RelationshipRole>)]
    pub role: Option<String>,
    /// Only persons with (`true`) or without (`false`) an open coordination case (neither
    /// discharged nor interrupted).
    pub has_open_case: Option<bool>,
    /// Only persons registered in this municipality (code).
    #[param(pattern = "^06(04|17|42|43|62|65|80|82|83|84|85|86|87)$")]
    pub municipality: Option<String>,
    /// Only persons whose "given-name family-name" starts with this, ignoring case; 3 to 200
    /// characters, as the name search.
    #[param(min_length = 3, max_length = 200, pattern = "<text>")]
    pub name: Option<String>,
    /// Page size, 1 to 200 (default 50).
    #[validate(range(min = 1, max = 200, message = "must be between 1 and 200"))]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next` value of the previous page.
    pub cursor: Option<String>,
}

crate::directory::page_params!(CaseloadQuery, CaseListQuery, PlanFollowUpQuery);

/// The name prefix of a caseload filter in search form, 3 to 200 characters (as the name
/// search, [`PersonSearch::name_prefix`]).
pub fn parse_name_prefix(text: &str) -> Result<String, InvalidValue> {
    match PersonSearch::name_prefix(text)? {
        PersonSearch::NamePrefix(prefix) => Ok(prefix),
        PersonSearch::Number(_) => Err(InvalidValue::new("must be the start of a name")),
    }
}

/// One of the unit's roles in her care, and since when.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseloadRole {
    pub relationship_id: Uuid,
    pub role: RelationshipRole,
    pub since: DateTime<Utc>,
}

/// A person the unit cares for.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseloadItem {
    pub person: PersonSummary,
    /// Whole years, today in Europe/Stockholm; `null` when her birth date is unknown
    /// (reservnummer) or too incomplete to decide it (samordningsnummer with month `00` or
    /// day `60`, before or after the unknown part has passed).
    pub age: Option<u32>,
    /// Skyddad identitet.
    pub protected_identity: bool,
    /// Her address, phone and e-mail; absent under protected identity (admins and herself
    /// excepted).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<ContactDetailsResponse>,
    pub contact_details_withheld: bool,
    /// The unit's care relationships in force with her, earliest first.
    pub roles: Vec<CaseloadRole>,
    /// She has a coordination case that is neither discharged nor interrupted.
    pub has_open_case: bool,
    /// The earliest follow-up date of her coordinated plans the caller may see.
    pub next_follow_up_date: Option<NaiveDate>,
}

impl CaseloadItem {
    pub fn new(person: &Person, entry: &CaseloadEntry<'_>, has_open_case: bool) -> Self {
        let text = |t: &Option<domain::record::FreeText>| t.as_ref().map(ToString::to_string);
        Self {
            person: PersonSummary::from(person),
            age: entry.age,
            protected_identity: person.protected_identity,
            contact: entry.show_contact_details.then(|| ContactDetailsResponse {
                address: text(&person.contact.address),
                phone: text(&person.contact.phone),
                email: text(&person.contact.email),
            }),
            contact_details_withheld: !entry.show_contact_details,
            roles: entry
                .roles
                .iter()
                .map(|r| CaseloadRole {
                    relationship_id: r.id,
                    role: r.role.into(),
                    since: r.started_at,
                })
                .collect(),
            has_open_case,
            next_follow_up_date: entry.next_follow_up,
        }
    }
}

/// The order of the case list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CaseListOrder {
    /// Admission time, then id (the default).
    #[default]
    Admission,
    /// The next deadline, earliest (missed ones) first, then admission; open cases only
    /// unless `state` names a closed state, at most 1,000 cases.
    Deadline,
}

/// Filters and paging of `GET /api/v1/coordination-cases`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams, Validate)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CaseListQuery {
    /// The caller's own unit (the token's `unit`, also the default); another unit is 403.
    pub unit: Option<Uuid>,
    /// Only cases in this state.
    #[param(value_type = Option<CaseState>)]
    pub state: Option<String>,
    /// Only cases of persons registered in this municipality (code).
    #[param(pattern = "^06(04|17|42|43|62|65|80|82|83|84|85|86|87)$")]
    pub municipality: Option<String>,
    /// Admitted at or after this time (RFC 3339 with an offset).
    #[param(format = DateTime, pattern = "^(19|20|21)[0-9]{2}-")]
    pub admitted_from: Option<String>,
    /// Admitted before this time (RFC 3339 with an offset).
    #[param(format = DateTime, pattern = "^(19|20|21)[0-9]{2}-")]
    pub admitted_to: Option<String>,
    /// `admission` (default) or `deadline`.
    #[param(value_type = Option<CaseListOrder>)]
    pub sort: Option<CaseListOrder>,
    /// Page size, 1 to 200 (default 50).
    #[validate(range(min = 1, max = 200, message = "must be between 1 and 200"))]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next` value of the previous page.
    pub cursor: Option<String>,
}

/// A coordination case of the unit's (its ward admitted her, or a message addressed it), with
/// what the server computes about it now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseListItem {
    pub case_id: Uuid,
    pub person: PersonSummary,
    /// The ward she is admitted to.
    pub ward_id: Uuid,
    pub ward_name: Option<String>,
    pub state: CaseState,
    pub admitted_at: DateTime<Utc>,
    /// When the admission notice is due.
    pub notice_deadline: DateTime<Utc>,
    pub notice_deadline_provisional: bool,
    /// The notice was sent after its deadline, or is not sent and the deadline has passed.
    pub notice_missed: bool,
    /// Since when she is ready for discharge (utskrivningsklar), if she is now.
    pub ready_for_discharge_since: Option<DateTime<Utc>>,
    /// Calendar days the paying municipality is liable for so far.
    pub liability_days: usize,
    /// The earliest deadline still awaited (a notice, a unit's answer); in the past when
    /// missed; `null` when nothing is awaited.
    pub next_deadline: Option<DateTime<Utc>>,
}

impl CaseListItem {
    pub fn new(
        case: &CoordinationCase,
        person: &Person,
        ward_name: Option<String>,
        report: &CaseReport,
        next_deadline: Option<DateTime<Utc>>,
    ) -> Self {
        Self {
            case_id: case.id,
            person: PersonSummary::from(person),
            ward_id: case.hospital_unit_id,
            ward_name,
            state: case.state.into(),
            admitted_at: case.admitted_at,
            notice_deadline: report.notice_deadline,
            notice_deadline_provisional: report.notice_deadline_provisional,
            notice_missed: report.notice_late,
            ready_for_discharge_since: report.ready_for_discharge_since(),
            liability_days: report.liability.days.len(),
            next_deadline,
        }
    }
}

/// Filters and paging of `GET /api/v1/care-plans`, earliest follow-up first.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams, Validate)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PlanFollowUpQuery {
    /// The caller's own unit (the token's `unit`, also the default); another unit is 403.
    pub unit: Option<Uuid>,
    /// Only plans whose follow-up date is before this day (default: tomorrow in
    /// Europe/Stockholm, i.e. due today or earlier).
    #[param(pattern = "^(19|20|21)[0-9]{2}-")]
    pub follow_up_before: Option<NaiveDate>,
    /// Only plans this organization holds overall responsibility for.
    pub responsible_organization: Option<Uuid>,
    /// Page size, 1 to 200 (default 50).
    #[validate(range(min = 1, max = 200, message = "must be between 1 and 200"))]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next` value of the previous page.
    pub cursor: Option<String>,
}

/// A coordinated plan due for follow-up, for the follow-up meeting's agenda.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanFollowUpItem {
    pub plan_id: Uuid,
    pub person: PersonSummary,
    pub follow_up_date: NaiveDate,
    /// The organization holding overall responsibility.
    pub responsible_organization_id: Uuid,
    /// The plan's current version.
    pub version: i64,
    /// When it was last followed up, if ever.
    pub last_followed_up_on: Option<NaiveDate>,
}

impl PlanFollowUpItem {
    pub fn new(plan: &CarePlan, person: &Person) -> Self {
        let content = &plan.current.content;
        Self {
            plan_id: plan.id,
            person: PersonSummary::from(person),
            follow_up_date: content.follow_up_date,
            responsible_organization_id: content.overall_responsible_organization_id,
            version: plan.current.version,
            last_followed_up_on: content.follow_ups.iter().map(|f| f.held_on).max(),
        }
    }
}
