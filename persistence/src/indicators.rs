//! What the network's indicators are computed from (`domain::indicator::IndicatorData`),
//! read in a fixed number of statements whatever the number of cases: the cases that may
//! have an event in the span with their messages, where their persons are registered, their
//! home care and SIP changes, the municipal units, the held meetings, and what the stock
//! figures count: action items, improvement projects and coaches.
//!
//! Nothing read here leaves the server except as aggregates; no personal data is shown, so
//! no access-log event is written per person.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use domain::indicator::{CaseRecord, FOLLOW_UP_DAYS, IndicatorData};

use crate::{
    DbConnection, PersistenceError, action_items, care_units, coordination, improvement, meetings,
    training,
};

/// The instants (UTC) around the Stockholm dates `from..=to`: a day of margin on each side
/// for the time zone, and the follow-up window after `to` (a discharge on `to` may be
/// followed by a readmission or a SIP up to 30 days later).
fn span(from: NaiveDate, to: NaiveDate) -> (NaiveDateTime, NaiveDateTime, NaiveDateTime) {
    let start = (from - Duration::days(1)).and_time(chrono::NaiveTime::MIN);
    let end = (to + Duration::days(2)).and_time(chrono::NaiveTime::MIN);
    (start, end, end + Duration::days(FOLLOW_UP_DAYS))
}

/// Everything the indicators of `from..=to` (Stockholm dates) are computed from.
pub fn load(
    conn: &mut DbConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<IndicatorData, PersistenceError> {
    let (start, end, follow_up_end) = span(from, to);
    let municipalities =
        coordination::municipalities_of_persons_in_span(conn, start, follow_up_end)?;
    let cases = coordination::cases_in_span(conn, start, follow_up_end)?
        .into_iter()
        .map(|(case, messages)| CaseRecord {
            municipality: municipalities.get(&case.person_id).copied().flatten(),
            case,
            messages,
        })
        .collect();
    Ok(IndicatorData {
        cases,
        municipal_units: care_units::all_municipal_units(conn)?,
        home_care: coordination::home_care_in_span(conn, start, follow_up_end)?,
        plan_changes: coordination::plan_changes_in_span(conn, start, follow_up_end)?,
        meetings: meetings::held_between(conn, start, end)?,
        action_items: action_items::facts_in_span(conn, start, end)?,
        projects: improvement::project_facts_in_span(conn, from, to)?,
        coaches: training::coach_facts(conn)?,
    })
}
