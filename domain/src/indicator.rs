//! The network's indicators: aggregate figures per municipality and period from the care
//! chain (discharge coordination, SIP, readmissions) and the network (meetings), with small
//! numbers suppressed so that no single person can be recognised.
//!
//! A [`Tabulation`] takes what was loaded ([`IndicatorData`]) and the query
//! ([`IndicatorQuery`]), is fed the coordination cases one at a time
//! ([`Tabulation::add_case`], so that a year of cases need not be held at once) and returns
//! one [`IndicatorCell`] per indicator × municipality × period; [`tabulate`] does the same for
//! cases held in [`IndicatorData::cases`]. What a query reads is [`IndicatorQuery::inputs`]
//! (a chart of one indicator reads only its own) and [`IndicatorQuery::areas`] (only the cases
//! whose paying municipality is asked for). The discharge figures come from
//! [`crate::discharge::report`], the same computation behind a case and the overdue queue, so
//! an indicator never disagrees with a case.
//!
//! Small numbers ([`count_of_persons`], [`computed_from_persons`]): as official Swedish health
//! statistics do (Socialstyrelsen's statistical databases), a count of 1 to 4 persons, and
//! any figure computed from fewer than [`MIN_PERSONS`] persons, is [`Figure::Suppressed`],
//! never a number. 0 is shown: it identifies nobody. Where figures add up (a quarter's
//! count is its months'), other figures are hidden too, so that no hidden figure can be
//! found by subtraction ([`suppression`], complementary suppression); every figure is of a
//! whole calendar period for the same reason ([`IndicatorQuery::new`]).
//!
//! Dates are Europe/Stockholm calendar dates. An event counts in the period of its date;
//! `from..=to` is widened to whole periods. The network's stock figures (open and overdue
//! action items, active projects, coaches) are counted at the end of each period instead
//! ([`stock`]).

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, Utc};
use uuid::Uuid;

use crate::chart::{Observation, Observed};
use crate::discharge::{
    AgreementSettings, CaseMessage, CoordinationCase, LiabilityFacts, MessageKind, report,
    stockholm_date,
};
use crate::meeting::MeetingKind;
use crate::{InvalidValue, MUNICIPALITIES, MunicipalityCode, Role};

/// Fewest persons a figure may be computed from; counts of 1 to 4 persons are suppressed.
pub const MIN_PERSONS: usize = 5;
/// The follow-up window after a discharge for a SIP and for a readmission, in days.
pub const FOLLOW_UP_DAYS: i64 = 30;
/// Most periods one query spans (ten years of months).
pub const MAX_PERIODS: usize = 120;

/// Roles that read the indicators: the analyst and every staff role (aggregates only).
pub const INDICATOR_READERS: &[Role] = &[
    Role::Admin,
    Role::Coordinator,
    Role::Clinician,
    Role::Coach,
    Role::Integration,
    Role::Analyst,
];

crate::string_enum! {
    /// The length of one period of the table.
    pub enum Period {
        Month => "month",
        Quarter => "quarter",
        Year => "year",
    }
}

impl Period {
    /// The first day of the period `date` is in.
    pub fn start_of(self, date: NaiveDate) -> NaiveDate {
        let month = match self {
            Period::Month => date.month(),
            Period::Quarter => (date.month() - 1) / 3 * 3 + 1,
            Period::Year => 1,
        };
        NaiveDate::from_ymd_opt(date.year(), month, 1).unwrap_or(date)
    }

    /// The first day of the next period after the one starting at `start`.
    pub fn next(self, start: NaiveDate) -> NaiveDate {
        let months = match self {
            Period::Month => 1,
            Period::Quarter => 3,
            Period::Year => 12,
        };
        start
            .checked_add_months(Months::new(months))
            .unwrap_or(start)
    }

    /// The period's name: `2026-03`, `2026-Q1`, `2026`.
    pub fn label(self, start: NaiveDate) -> String {
        match self {
            Period::Month => start.format("%Y-%m").to_string(),
            Period::Quarter => format!("{}-Q{}", start.year(), (start.month() - 1) / 3 + 1),
            Period::Year => start.year().to_string(),
        }
    }
}

crate::string_enum! {
    /// The indicators, by their stable names.
    pub enum IndicatorName {
        /// Median calendar days from `ready_for_discharge` (utskrivningsklar) to the discharge
        /// notice, over the discharges of the period (the ready period the discharge ended).
        DaysReadyToDischargeMedian => "days_ready_to_discharge_median",
        /// The same, the mean, rounded to one decimal ([`rounded`]).
        DaysReadyToDischargeMean => "days_ready_to_discharge_mean",
        /// Days of the paying municipality's payment liability that fall in the period.
        LiabilityDays => "liability_days",
        /// The amount of those days at the agreement's daily rate, SEK; no figure for a period
        /// with a day in a year the agreement gives no rate for
        /// (`SMARTCARE_LIABILITY_DAILY_RATES`).
        LiabilityAmountSek => "liability_amount_sek",
        /// Cases admitted in the period whose admission notice was sent after its deadline
        /// (or is missing past it).
        AdmissionNoticesLate => "admission_notices_late",
        /// Planning calls sent in the period.
        PlanningCalls => "planning_calls",
        /// Of the discharges in the period of persons with home care (hemtjänst) at
        /// discharge, the share with a SIP written or revised between admission and 30 days
        /// after discharge, rounded to two decimals ([`rounded`]). No figure while a discharge
        /// of the period is less than 30 days ago.
        SipWithin30DaysShare => "sip_within_30_days_share",
        /// Discharges in the period followed by a new admission within 30 days. No figure
        /// while a discharge of the period is less than 30 days ago.
        ReadmissionsWithin30Days => "readmissions_within_30_days",
        /// Held organizing-committee meetings hosted by the municipality.
        MeetingsHeldOrganizingCommittee => "meetings_held_organizing_committee",
        /// Held municipal ESTHER network meetings.
        MeetingsHeldMunicipalNetwork => "meetings_held_municipal_network",
        /// Held ESTHER cafés.
        MeetingsHeldEstherCafe => "meetings_held_esther_cafe",
        /// Held coach-network meetings.
        MeetingsHeldCoachNetwork => "meetings_held_coach_network",
        /// Held strategy days.
        MeetingsHeldStrategyDay => "meetings_held_strategy_day",
        /// Held case conferences (each about one person: suppressed from 1 to 4).
        MeetingsHeldCaseConference => "meetings_held_case_conference",
        /// Held other meetings.
        MeetingsHeldOther => "meetings_held_other",
        /// Of the held network meetings (case conferences excluded: they are about one
        /// person), the share where Esther or a patient or relative representative took part,
        /// rounded to two decimals.
        MeetingsWithEstherShare => "meetings_with_esther_share",
        /// Action items of the municipality's network meetings (by the meeting's host; case
        /// conferences left out) still open (`open` or `in_progress`) at the end of the
        /// period. A stock figure: see [`stock`].
        ActionItemsOpen => "action_items_open",
        /// Of those, the ones overdue at the end of the period: due before its last day
        /// (Europe/Stockholm), as `GET /action-items?overdue=true` would have listed them then.
        ActionItemsOverdue => "action_items_overdue",
        /// Improvement projects of the municipality active at the end of the period.
        ImprovementProjectsActive => "improvement_projects_active",
        /// Improvement coaches supporting the municipality at the end of the period.
        Coaches => "coaches",
        /// Of those, the ones certified on or before the period's last day.
        CoachesCertified => "coaches_certified",
    }
}

impl IndicatorName {
    /// What the figure counts or measures.
    pub fn unit(self) -> &'static str {
        use IndicatorName as I;
        match self {
            I::DaysReadyToDischargeMedian | I::DaysReadyToDischargeMean | I::LiabilityDays => {
                "days"
            }
            I::LiabilityAmountSek => "SEK",
            I::AdmissionNoticesLate => "cases",
            I::PlanningCalls => "planning calls",
            I::SipWithin30DaysShare | I::MeetingsWithEstherShare => "share",
            I::ReadmissionsWithin30Days => "discharges",
            I::ActionItemsOpen | I::ActionItemsOverdue => "action items",
            I::ImprovementProjectsActive => "projects",
            I::Coaches | I::CoachesCertified => "coaches",
            I::MeetingsHeldOrganizingCommittee
            | I::MeetingsHeldMunicipalNetwork
            | I::MeetingsHeldEstherCafe
            | I::MeetingsHeldCoachNetwork
            | I::MeetingsHeldStrategyDay
            | I::MeetingsHeldCaseConference
            | I::MeetingsHeldOther => "meetings",
        }
    }

    /// Whether a period's figure is the sum of its parts' (a quarter's of its months', a
    /// year's of its quarters'), so that a hidden one could be found by subtraction: the
    /// counts and the liability days and amount. Medians, means, shares and stocks do not
    /// add up. These are the figures [`suppression`] protects.
    pub fn adds_up(self) -> bool {
        use IndicatorName as I;
        !self.is_stock()
            && !matches!(
                self,
                I::DaysReadyToDischargeMedian
                    | I::DaysReadyToDischargeMean
                    | I::SipWithin30DaysShare
                    | I::MeetingsWithEstherShare
            )
    }

    /// For a figure that does not add up, the test of a value that tells every part of it
    /// ([`suppression::protect_bounds`]): a share of 0 or 1, a mean of 0 days (none can be
    /// below). `None` for the others (a median at 0 leaves its parts open).
    pub fn bound(self) -> Option<fn(f64) -> bool> {
        use IndicatorName as I;
        match self {
            I::SipWithin30DaysShare | I::MeetingsWithEstherShare => Some(|v| v <= 0.0 || v >= 1.0),
            I::DaysReadyToDischargeMean => Some(|v| v <= 0.0),
            _ => None,
        }
    }

    /// Whether every figure is a whole number of things counted (events, days, persons,
    /// action items, projects, coaches): what a measure bound as a `count` takes. Medians,
    /// means, shares and the liability amount in kronor are not.
    pub fn is_count(self) -> bool {
        (self.adds_up() || self.is_stock()) && self != IndicatorName::LiabilityAmountSek
    }

    /// Whether the figure is a stock, counted at the end of each period ([`stock`]), rather
    /// than a flow of events dated within it.
    pub fn is_stock(self) -> bool {
        use IndicatorName as I;
        matches!(
            self,
            I::ActionItemsOpen
                | I::ActionItemsOverdue
                | I::ImprovementProjectsActive
                | I::Coaches
                | I::CoachesCertified
        )
    }

    /// What the figure is computed from: the parts of [`IndicatorData`] (and the cases) that
    /// [`tabulate`] reads for it; the others may be left empty without changing it.
    pub fn inputs(self) -> Inputs {
        use IndicatorName as I;
        let none = Inputs::default();
        let cases = Inputs {
            cases: true,
            ..none
        };
        match self {
            I::DaysReadyToDischargeMedian
            | I::DaysReadyToDischargeMean
            | I::LiabilityDays
            | I::LiabilityAmountSek
            | I::AdmissionNoticesLate
            | I::PlanningCalls => cases,
            I::ReadmissionsWithin30Days => Inputs {
                admissions: true,
                ..cases
            },
            I::SipWithin30DaysShare => Inputs {
                home_care: true,
                plan_changes: true,
                ..cases
            },
            I::MeetingsHeldOrganizingCommittee
            | I::MeetingsHeldMunicipalNetwork
            | I::MeetingsHeldEstherCafe
            | I::MeetingsHeldCoachNetwork
            | I::MeetingsHeldStrategyDay
            | I::MeetingsHeldCaseConference
            | I::MeetingsHeldOther
            | I::MeetingsWithEstherShare => Inputs {
                meetings: true,
                ..none
            },
            I::ActionItemsOpen | I::ActionItemsOverdue => Inputs {
                action_items: true,
                ..none
            },
            I::ImprovementProjectsActive => Inputs {
                projects: true,
                ..none
            },
            I::Coaches | I::CoachesCertified => Inputs {
                coaches: true,
                ..none
            },
        }
    }

    fn held_meetings_of(kind: MeetingKind) -> IndicatorName {
        use IndicatorName as I;
        match kind {
            MeetingKind::OrganizingCommittee => I::MeetingsHeldOrganizingCommittee,
            MeetingKind::MunicipalNetwork => I::MeetingsHeldMunicipalNetwork,
            MeetingKind::EstherCafe => I::MeetingsHeldEstherCafe,
            MeetingKind::CoachNetwork => I::MeetingsHeldCoachNetwork,
            MeetingKind::StrategyDay => I::MeetingsHeldStrategyDay,
            MeetingKind::CaseConference => I::MeetingsHeldCaseConference,
            MeetingKind::Other => I::MeetingsHeldOther,
        }
    }
}

/// One figure of the table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Figure {
    Value(f64),
    /// Hidden: a count of 1–4 persons, or computed from fewer than [`MIN_PERSONS`] persons.
    Suppressed,
    /// Nothing to compute it from (a median of no discharges, a share of nothing).
    Missing,
}

/// A count of events that concern `persons` distinct persons: suppressed when they are 1 to
/// 4 persons (the count itself would point at them), else the count (0 included).
pub fn count_of_persons(count: usize, persons: usize) -> Figure {
    if (1..MIN_PERSONS).contains(&persons) {
        Figure::Suppressed
    } else {
        Figure::Value(count as f64)
    }
}

/// A figure computed from `persons` distinct persons: suppressed from 1 to 4 persons,
/// missing with none (or no value), else the value.
pub fn computed_from_persons(value: Option<f64>, persons: usize) -> Figure {
    match (persons, value) {
        (0, _) | (_, None) => Figure::Missing,
        (p, _) if p < MIN_PERSONS => Figure::Suppressed,
        (_, Some(v)) => Figure::Value(v),
    }
}

/// What to tabulate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorQuery {
    /// The municipalities, each its own area (all 13 when none is asked for).
    pub areas: Vec<MunicipalityCode>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub period: Period,
    /// Only this indicator.
    pub only: Option<IndicatorName>,
}

impl IndicatorQuery {
    /// The query for one municipality or all, `from..=to` (inclusive) in periods, widened to
    /// whole periods: `from` moves back to the first day of its period and `to` on to the
    /// last day of its own. Every figure is then of a whole calendar month, quarter or year,
    /// so no two spans' figures differ by a few days (which would show a few persons: a
    /// differencing attack on small numbers), and [`suppression`] sees every figure a
    /// request can get. Errors: `to` before `from` (field `to`), more than [`MAX_PERIODS`]
    /// periods (field `from`).
    pub fn new(
        municipality: Option<MunicipalityCode>,
        from: NaiveDate,
        to: NaiveDate,
        period: Period,
        only: Option<IndicatorName>,
    ) -> Result<Self, InvalidValue> {
        if to < from {
            return Err(InvalidValue::for_field("to", "must not be before `from`"));
        }
        let query = Self {
            areas: match municipality {
                Some(m) => vec![m],
                None => MUNICIPALITIES
                    .iter()
                    .filter_map(|m| MunicipalityCode::parse(m.code).ok())
                    .collect(),
            },
            from: period.start_of(from),
            to: period.next(period.start_of(to)) - Duration::days(1),
            period,
            only,
        };
        if query.period_starts().len() > MAX_PERIODS {
            return Err(InvalidValue::for_field(
                "from",
                format!("a query spans at most {MAX_PERIODS} periods"),
            ));
        }
        Ok(query)
    }

    /// The first days of the periods that overlap `from..=to`, in order.
    pub fn period_starts(&self) -> Vec<NaiveDate> {
        let mut starts = Vec::new();
        let mut start = self.period.start_of(self.from);
        while start <= self.to && starts.len() <= MAX_PERIODS {
            starts.push(start);
            start = self.period.next(start);
        }
        starts
    }

    /// The days whose events are tallied: the whole calendar years `from..=to` touches, as
    /// [`suppression`] protects a figure within its year's months, quarters and year.
    pub fn tallied_span(&self) -> (NaiveDate, NaiveDate) {
        (
            Period::Year.start_of(self.from),
            Period::Year.next(Period::Year.start_of(self.to)) - Duration::days(1),
        )
    }

    fn covers(&self, date: NaiveDate) -> bool {
        let (from, to) = self.tallied_span();
        (from..=to).contains(&date)
    }

    /// What the query's figures are computed from: [`IndicatorName::inputs`] of the one
    /// indicator asked for, or of all.
    pub fn inputs(&self) -> Inputs {
        match self.only {
            Some(only) => only.inputs(),
            None => IndicatorName::ALL
                .iter()
                .fold(Inputs::default(), |all, i| all.and(i.inputs())),
        }
    }
}

/// The parts of what the indicators are computed from that a query needs
/// ([`IndicatorQuery::inputs`]); a part not needed is not loaded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Inputs {
    /// The coordination cases with their messages, and the municipal units addressed in them.
    pub cases: bool,
    /// [`IndicatorData::admissions`]: the readmissions are looked up there.
    pub admissions: bool,
    /// [`IndicatorData::home_care`].
    pub home_care: bool,
    /// [`IndicatorData::plan_changes`].
    pub plan_changes: bool,
    /// [`IndicatorData::meetings`].
    pub meetings: bool,
    /// [`IndicatorData::action_items`].
    pub action_items: bool,
    /// [`IndicatorData::projects`].
    pub projects: bool,
    /// [`IndicatorData::coaches`].
    pub coaches: bool,
}

impl Inputs {
    /// What either needs.
    fn and(self, other: Inputs) -> Inputs {
        Inputs {
            cases: self.cases || other.cases,
            admissions: self.admissions || other.admissions,
            home_care: self.home_care || other.home_care,
            plan_changes: self.plan_changes || other.plan_changes,
            meetings: self.meetings || other.meetings,
            action_items: self.action_items || other.action_items,
            projects: self.projects || other.projects,
            coaches: self.coaches || other.coaches,
        }
    }
}

/// A coordination case with its messages (in the order sent) and her municipality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRecord {
    pub case: CoordinationCase,
    pub messages: Vec<CaseMessage>,
    /// Where she is registered (the paying municipality unless a decision names another).
    pub municipality: Option<MunicipalityCode>,
}

/// A stretch of home care (hemtjänst) she had: a care relationship with a home care unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HomeCare {
    pub person_id: Uuid,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
}

/// A held meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeldMeeting {
    pub kind: MeetingKind,
    pub host: Option<MunicipalityCode>,
    pub starts_at: DateTime<Utc>,
    /// Esther or a representative took part (recorded when held).
    pub esther_present: Option<bool>,
}

/// Everything the indicators are computed from. "The cases" are every case that may have an
/// event in the query's span and is paid by an asked municipality (a superset is fine): held
/// in `cases` for [`tabulate`], or fed one at a time to a [`Tabulation`] (then `cases` is
/// empty and `admissions` holds their persons' admissions).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndicatorData {
    /// The cases, when they are held all at once.
    pub cases: Vec<CaseRecord>,
    /// Admissions (person, admitted at) in the span of the persons of the cases, besides
    /// those of `cases` (duplicates do no harm): a discharge followed by one within
    /// [`FOLLOW_UP_DAYS`] is a readmission, whichever municipality pays for the new stay.
    pub admissions: Vec<(Uuid, DateTime<Utc>)>,
    /// Units addressed in the cases that belong to a municipality, with its code.
    pub municipal_units: Vec<(Uuid, MunicipalityCode)>,
    /// Home care of the persons of the cases.
    pub home_care: Vec<HomeCare>,
    /// When SIPs of the persons of the cases were written or changed.
    pub plan_changes: Vec<(Uuid, DateTime<Utc>)>,
    pub meetings: Vec<HeldMeeting>,
    /// Action items that may be open at some point of the span.
    pub action_items: Vec<stock::ActionItemFacts>,
    /// Improvement projects that may be active at some point of the span.
    pub projects: Vec<stock::ProjectFacts>,
    /// Coach profiles of active staff.
    pub coaches: Vec<stock::CoachFacts>,
}

/// One figure: indicator × municipality × period.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorCell {
    pub indicator: IndicatorName,
    pub area: MunicipalityCode,
    pub period_start: NaiveDate,
    /// Last day of the period.
    pub period_end: NaiveDate,
    pub figure: Figure,
}

#[derive(Default)]
struct Tally {
    values: Vec<f64>,
    count: usize,
    numerator: usize,
    /// Discharges whose follow-up window is still open.
    pending: usize,
    amount: u64,
    /// Liability days in a year the agreement gives no daily rate for.
    unpriced: usize,
    persons: BTreeSet<Uuid>,
}

impl Tally {
    /// This tally and `other` together (a quarter of its months, a year of its quarters).
    fn absorb(&mut self, other: &Tally) {
        self.values.extend_from_slice(&other.values);
        self.count += other.count;
        self.numerator += other.numerator;
        self.pending += other.pending;
        self.amount += other.amount;
        self.unpriced += other.unpriced;
        self.persons.extend(other.persons.iter().copied());
    }
}

/// Indicator, area, first day of the month.
type Key = (IndicatorName, &'static str, NaiveDate);

/// The table: for every indicator, area and period of `query`, in that order, its figure,
/// from `data` with its cases held in `data.cases`. `now` decides which follow-up windows have
/// closed and how far open liability runs. The same as feeding `data.cases` one by one to a
/// [`Tabulation`].
pub fn tabulate(
    data: &IndicatorData,
    query: &IndicatorQuery,
    settings: &AgreementSettings,
    now: DateTime<Utc>,
) -> Vec<IndicatorCell> {
    let mut table = Tabulation::new(data, query, settings, now);
    for record in &data.cases {
        table.add_case(record);
    }
    table.finish()
}

/// The table in the making: the cases are added one at a time ([`Tabulation::add_case`]) and
/// only their tallies are kept, so a caller need not hold a year of cases at once; then
/// [`Tabulation::finish`]. Each case must be added once; a case whose paying municipality is
/// not asked for is passed over.
pub struct Tabulation<'a> {
    data: &'a IndicatorData,
    query: &'a IndicatorQuery,
    settings: &'a AgreementSettings,
    now: DateTime<Utc>,
    home_care: HashMap<Uuid, Vec<&'a HomeCare>>,
    plans: HashMap<Uuid, Vec<DateTime<Utc>>>,
    admissions: HashMap<Uuid, Vec<DateTime<Utc>>>,
    cells: HashMap<Key, Tally>,
}

impl<'a> Tabulation<'a> {
    /// A table with no case yet, from `data` (its admissions, home care, SIP changes,
    /// municipal units, meetings and stock facts; `data.cases` are not added by this).
    /// `now` as for [`tabulate`].
    pub fn new(
        data: &'a IndicatorData,
        query: &'a IndicatorQuery,
        settings: &'a AgreementSettings,
        now: DateTime<Utc>,
    ) -> Self {
        let mut home_care: HashMap<Uuid, Vec<&HomeCare>> = HashMap::new();
        for stretch in &data.home_care {
            home_care
                .entry(stretch.person_id)
                .or_default()
                .push(stretch);
        }
        let mut plans: HashMap<Uuid, Vec<DateTime<Utc>>> = HashMap::new();
        for (person, changed_at) in &data.plan_changes {
            plans.entry(*person).or_default().push(*changed_at);
        }
        let mut admissions: HashMap<Uuid, Vec<DateTime<Utc>>> = HashMap::new();
        let held = data
            .cases
            .iter()
            .map(|record| (record.case.person_id, record.case.admitted_at));
        for (person, admitted_at) in data.admissions.iter().copied().chain(held) {
            admissions.entry(person).or_default().push(admitted_at);
        }
        Self {
            data,
            query,
            settings,
            now,
            home_care,
            plans,
            admissions,
            cells: HashMap::new(),
        }
    }

    /// Counts `record` in its paying municipality's figures, if that one is asked for.
    pub fn add_case(&mut self, record: &CaseRecord) {
        use IndicatorName as I;
        let (query, settings, now) = (self.query, self.settings, self.now);
        let cells = &mut self.cells;
        let case = &record.case;
        let person = case.person_id;
        let facts = LiabilityFacts {
            paying_municipality: case.paying_municipality(record.municipality),
            municipal_units: &self.data.municipal_units,
        };
        let Some(area) = facts
            .paying_municipality
            .filter(|a| query.areas.contains(a))
        else {
            return;
        };
        let computed = report(case, &record.messages, settings, &facts, now);
        let follow_up = Duration::days(FOLLOW_UP_DAYS);

        let admitted = stockholm_date(case.admitted_at);
        if computed.notice_late && query.covers(admitted) {
            let tally = at(cells, I::AdmissionNoticesLate, area, admitted);
            tally.count += 1;
            tally.persons.insert(person);
        }
        for call in record
            .messages
            .iter()
            .filter(|m| m.kind == MessageKind::PlanningCall)
        {
            let date = stockholm_date(call.sent_at);
            if query.covers(date) {
                let tally = at(cells, I::PlanningCalls, area, date);
                tally.count += 1;
                tally.persons.insert(person);
            }
        }
        for day in &computed.liability.days {
            if !query.covers(*day) {
                continue;
            }
            let rate = settings.daily_rate_by_year.get(&day.year()).copied();
            let days = at(cells, I::LiabilityDays, area, *day);
            days.count += 1;
            days.persons.insert(person);
            let amount = at(cells, I::LiabilityAmountSek, area, *day);
            amount.count += 1;
            amount.amount += rate.map_or(0, u64::from);
            amount.unpriced += usize::from(rate.is_none());
            amount.persons.insert(person);
        }

        let Some(discharged_at) = record
            .messages
            .iter()
            .find(|m| m.kind == MessageKind::DischargeNotice)
            .map(|m| m.sent_at)
        else {
            return;
        };
        let discharged = stockholm_date(discharged_at);
        if !query.covers(discharged) {
            return;
        }
        if let Some(ready) = computed
            .ready_periods
            .iter()
            .rev()
            .find(|p| p.ended_at == Some(discharged_at))
        {
            let days = (discharged - stockholm_date(ready.received_at)).num_days() as f64;
            for indicator in [I::DaysReadyToDischargeMedian, I::DaysReadyToDischargeMean] {
                let tally = at(cells, indicator, area, discharged);
                tally.values.push(days);
                tally.persons.insert(person);
            }
        }
        let at_home = self.home_care.get(&person).is_some_and(|stretches| {
            stretches.iter().any(|s| {
                s.started_at <= discharged_at && s.ended_at.is_none_or(|end| end > discharged_at)
            })
        });
        if discharged_at + follow_up > now {
            at(cells, I::ReadmissionsWithin30Days, area, discharged).pending += 1;
            if at_home {
                at(cells, I::SipWithin30DaysShare, area, discharged).pending += 1;
            }
            return;
        }
        let window = discharged_at..=discharged_at + follow_up;
        let readmitted = self
            .admissions
            .get(&person)
            .is_some_and(|all| all.iter().any(|a| *a > discharged_at && window.contains(a)));
        let readmissions = at(cells, I::ReadmissionsWithin30Days, area, discharged);
        if readmitted {
            readmissions.numerator += 1;
            readmissions.persons.insert(person);
        }
        if at_home {
            let planned = self.plans.get(&person).is_some_and(|changes| {
                changes
                    .iter()
                    .any(|c| *c >= case.admitted_at && *c <= discharged_at + follow_up)
            });
            let share = at(cells, I::SipWithin30DaysShare, area, discharged);
            share.count += 1;
            share.numerator += usize::from(planned);
            share.persons.insert(person);
        }
    }

    /// The table: for every indicator, area and period of the query, in that order, its
    /// figure (the network's figures from the meetings and stock facts of the data).
    pub fn finish(mut self) -> Vec<IndicatorCell> {
        let (data, query) = (self.data, self.query);
        network(data, query, &mut self.cells);
        let today = stockholm_date(self.now);
        let indicators: Vec<IndicatorName> = match query.only {
            Some(only) => vec![only],
            None => IndicatorName::ALL.to_vec(),
        };
        let starts = query.period_starts();
        let mut table = Vec::with_capacity(indicators.len() * query.areas.len() * starts.len());
        let mut years = HashMap::new();
        for &indicator in &indicators {
            for &area in &query.areas {
                for &start in &starts {
                    let period_end = query.period.next(start) - Duration::days(1);
                    let figure = if indicator.is_stock() {
                        stock::figure(indicator, data, area, start, period_end, today)
                    } else if start > today {
                        // A period still to come has no figure yet, not a 0 (trial).
                        Figure::Missing
                    } else {
                        let year = self.year_cells(indicator, area, start.year(), &mut years);
                        year[suppression::cell_of(query.period, start)]
                    };
                    table.push(IndicatorCell {
                        indicator,
                        area,
                        period_start: start,
                        period_end,
                        figure,
                    });
                }
            }
        }
        table
    }
}

impl Tabulation<'_> {
    /// The figures of `indicator` in `area` for the months, quarters and whole of `year`
    /// ([`suppression::YearCells`]), protected by [`suppression::protect`] where they add up
    /// ([`IndicatorName::adds_up`]); kept in `years` once made. The liability amount is the
    /// liability days at the year's daily rate, so it takes the days' hidden cells.
    fn year_cells(
        &self,
        indicator: IndicatorName,
        area: MunicipalityCode,
        year: i32,
        years: &mut HashMap<(IndicatorName, &'static str, i32), suppression::YearCells>,
    ) -> suppression::YearCells {
        if let Some(cells) = years.get(&(indicator, area.as_str(), year)) {
            return *cells;
        }
        let months: Vec<Tally> = (1..=12)
            .map(|month| {
                let mut tally = Tally::default();
                if let Some(first) = NaiveDate::from_ymd_opt(year, month, 1)
                    && let Some(kept) = self.cells.get(&(indicator, area.as_str(), first))
                {
                    tally.absorb(kept);
                }
                tally
            })
            .collect();
        let mut quarters: Vec<Tally> = Vec::with_capacity(4);
        for three in months.chunks(3) {
            let mut quarter = Tally::default();
            for month in three {
                quarter.absorb(month);
            }
            quarters.push(quarter);
        }
        let mut whole = Tally::default();
        for quarter in &quarters {
            whole.absorb(quarter);
        }
        let mut cells: suppression::YearCells = [Figure::Missing; suppression::CELLS];
        for (cell, tally) in months.iter().chain(&quarters).chain([&whole]).enumerate() {
            cells[cell] = figure(indicator, tally);
        }
        if indicator == IndicatorName::LiabilityAmountSek {
            let days = self.year_cells(IndicatorName::LiabilityDays, area, year, years);
            for (amount, days) in cells.iter_mut().zip(days) {
                if days == Figure::Suppressed {
                    *amount = Figure::Suppressed;
                }
            }
        } else if indicator.adds_up() {
            suppression::protect(&mut cells);
        } else if let Some(at_bound) = indicator.bound() {
            suppression::protect_bounds(&mut cells, at_bound);
        }
        years.insert((indicator, area.as_str(), year), cells);
        cells
    }
}

fn figure(indicator: IndicatorName, tally: &Tally) -> Figure {
    use IndicatorName as I;
    let persons = tally.persons.len();
    match indicator {
        I::DaysReadyToDischargeMedian => {
            computed_from_persons(crate::chart::limits::median(&tally.values), persons)
        }
        I::DaysReadyToDischargeMean => computed_from_persons(
            crate::chart::limits::mean(&tally.values).map(|mean| rounded(mean, 1)),
            persons,
        ),
        I::LiabilityDays | I::AdmissionNoticesLate | I::PlanningCalls => {
            count_of_persons(tally.count, persons)
        }
        // No amount for days the agreement has no daily rate for (a 0 would be wrong).
        I::LiabilityAmountSek => match count_of_persons(tally.count, persons) {
            Figure::Value(_) if tally.unpriced > 0 => Figure::Missing,
            Figure::Value(_) => Figure::Value(tally.amount as f64),
            other => other,
        },
        I::SipWithin30DaysShare | I::ReadmissionsWithin30Days if tally.pending > 0 => {
            Figure::Missing
        }
        I::SipWithin30DaysShare => computed_from_persons(
            (tally.count > 0).then(|| rounded(tally.numerator as f64 / tally.count as f64, 2)),
            persons,
        ),
        I::ReadmissionsWithin30Days => count_of_persons(tally.numerator, persons),
        // Each case conference is about one person.
        I::MeetingsHeldCaseConference => count_of_persons(tally.count, tally.count),
        I::MeetingsWithEstherShare => match tally.count {
            0 => Figure::Missing,
            held => Figure::Value(rounded(tally.numerator as f64 / held as f64, 2)),
        },
        _ => Figure::Value(tally.count as f64),
    }
}

/// `value` rounded to `decimals` decimals (half away from zero). Means and shares are
/// published rounded — a mean of days to one decimal, a share to two (whole percentage
/// points) — because at full precision a mean is a fraction whose denominator gives away its
/// number of persons (3.0833… is 37/12), and with the quarter's mean beside two months' that
/// lets a hidden month's mean be computed (found by an attack review). Rounded, many numbers
/// of persons fit each figure.
pub fn rounded(value: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (value * scale).round() / scale
}

/// The tally of `indicator` in `area` for the month of `date` (tallies are kept by month;
/// quarters and years are their months together).
fn at(
    cells: &mut HashMap<Key, Tally>,
    indicator: IndicatorName,
    area: MunicipalityCode,
    date: NaiveDate,
) -> &mut Tally {
    cells
        .entry((indicator, area.as_str(), Period::Month.start_of(date)))
        .or_default()
}

fn network(data: &IndicatorData, query: &IndicatorQuery, cells: &mut HashMap<Key, Tally>) {
    for meeting in &data.meetings {
        let Some(area) = meeting.host.filter(|a| query.areas.contains(a)) else {
            continue;
        };
        let date = stockholm_date(meeting.starts_at);
        if !query.covers(date) {
            continue;
        }
        let start = Period::Month.start_of(date);
        let kind = IndicatorName::held_meetings_of(meeting.kind);
        cells.entry((kind, area.as_str(), start)).or_default().count += 1;
        if meeting.kind != MeetingKind::CaseConference
            && let Some(present) = meeting.esther_present
        {
            let share = cells
                .entry((IndicatorName::MeetingsWithEstherShare, area.as_str(), start))
                .or_default();
            share.count += 1;
            share.numerator += usize::from(present);
        }
    }
}

/// The figures of one indicator and area (cells in period order) as a chart series: each
/// number at its period's first day. Returns the series and the periods left out because
/// they are suppressed.
pub fn series(cells: &[IndicatorCell]) -> (Vec<Observation>, Vec<NaiveDate>) {
    let mut observations = Vec::new();
    let mut suppressed = Vec::new();
    for cell in cells {
        match cell.figure {
            Figure::Value(value) => observations.push(Observation {
                date: cell.period_start,
                observed: Observed::Value(value),
            }),
            Figure::Suppressed => suppressed.push(cell.period_start),
            Figure::Missing => {}
        }
    }
    (observations, suppressed)
}

pub mod stock;
pub mod suppression;

#[cfg(test)]
mod tests;
