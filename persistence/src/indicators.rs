//! What the network's indicators are computed from (`domain::indicator::IndicatorData` and
//! the cases fed to a `domain::indicator::Tabulation`), in a few statements per thousand
//! cases: which cases are counted — those that may have an event in the span and are paid
//! by an asked municipality — with their persons' admissions, home care and SIP changes, the
//! municipal units, the held meetings, and what the stock figures count: action items,
//! improvement projects and coaches ([`load`]); then the cases themselves with their messages,
//! [`CASE_BATCH`] at a time, each handed on and dropped ([`each_case`]). Only what the
//! query's indicators need is read (`IndicatorQuery::inputs`).
//!
//! Nothing read here leaves the server except as aggregates; no personal data is shown, so
//! no access-log event is written per person.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use domain::indicator::{CaseRecord, FOLLOW_UP_DAYS, IndicatorData, IndicatorQuery};

use crate::coordination::{CaseToCount, IndicatorCases};
use crate::{
    DbConnection, PersistenceError, action_items, care_units, coordination, improvement, meetings,
    training,
};

/// Cases read and handed on at a time by [`each_case`]: what one request holds of them.
pub const CASE_BATCH: usize = 1_000;

/// The instants (UTC) around the Stockholm dates `from..=to`: a day of margin on each side
/// for the time zone, and the follow-up window after `to` (a discharge on `to` may be
/// followed by a readmission or a SIP up to 30 days later).
fn span(from: NaiveDate, to: NaiveDate) -> (NaiveDateTime, NaiveDateTime, NaiveDateTime) {
    let start = (from - Duration::days(1)).and_time(chrono::NaiveTime::MIN);
    let end = (to + Duration::days(2)).and_time(chrono::NaiveTime::MIN);
    (start, end, end + Duration::days(FOLLOW_UP_DAYS))
}

/// The cases `query` counts: in its span with the follow-up window, paid by its areas.
fn cases_of(query: &IndicatorQuery) -> IndicatorCases {
    let (from, to) = query.tallied_span();
    let (start, _, follow_up_end) = span(from, to);
    IndicatorCases {
        from: start,
        to: follow_up_end,
        areas: query.areas.iter().map(|a| a.as_str().to_owned()).collect(),
    }
}

/// What [`load`] read: the data, and which cases [`each_case`] is to read.
pub struct Loaded {
    /// Everything but the cases themselves (`data.cases` is empty).
    pub data: IndicatorData,
    /// The cases the query counts: every case that may have an event in its span (with the
    /// follow-up window) and is paid by one of its areas, by id.
    pub cases: Cases,
}

/// The cases a query counts, by id, with where their persons are registered: read by
/// [`each_case`].
pub struct Cases(Vec<CaseToCount>);

/// Everything the indicators of `query` are computed from but the cases' contents: the
/// parts its indicators need (`IndicatorQuery::inputs`), the others empty, and which cases
/// it counts. The persons' admissions, home care and SIP changes are read by their ids, a
/// thousand at a time, through their own indexes.
pub fn load(conn: &mut DbConnection, query: &IndicatorQuery) -> Result<Loaded, PersistenceError> {
    let inputs = query.inputs();
    let (from, to) = query.tallied_span();
    let (start, end, _) = span(from, to);
    let scope = cases_of(query);
    let mut data = IndicatorData::default();
    let mut cases = Vec::new();
    if inputs.cases {
        cases = coordination::indicator_cases(conn, &scope)?;
        data.municipal_units = care_units::all_municipal_units(conn)?;
    }
    let mut persons: Vec<&str> = cases.iter().map(CaseToCount::person_id).collect();
    persons.sort_unstable();
    persons.dedup();
    if inputs.admissions {
        data.admissions = coordination::admissions_of(conn, scope.from, scope.to, &persons)?;
    }
    if inputs.home_care {
        data.home_care = coordination::home_care_of(conn, &persons)?;
    }
    if inputs.plan_changes {
        data.plan_changes = coordination::plan_changes_of(conn, &persons)?;
    }
    if inputs.meetings {
        data.meetings = meetings::held_between(conn, start, end)?;
    }
    if inputs.action_items {
        data.action_items = action_items::facts_in_span(conn, start, end)?;
    }
    if inputs.projects {
        data.projects = improvement::project_facts_in_span(conn, from, to)?;
    }
    if inputs.coaches {
        data.coaches = training::coach_facts(conn)?;
    }
    Ok(Loaded {
        data,
        cases: Cases(cases),
    })
}

/// Each of `cases` with its messages and where she is registered, handed to `add` one at a
/// time, [`CASE_BATCH`] read at a time.
pub fn each_case(
    conn: &mut DbConnection,
    cases: &Cases,
    add: impl FnMut(CaseRecord),
) -> Result<(), PersistenceError> {
    coordination::each_indicator_case(conn, &cases.0, CASE_BATCH, add)
}
