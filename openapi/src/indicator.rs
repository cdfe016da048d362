//! The network's indicators on the wire: the query, the table (JSON, and CSV with the same
//! columns) and an indicator's monthly run chart.

use chrono::{Months, NaiveDate};
use domain::indicator::{Figure, IndicatorCell, IndicatorQuery, Period};
use domain::{InvalidValue, MunicipalityCode};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::chart::ChartResponse;
use crate::validation::{FieldErrors, ValidationFailed};
use crate::wire_enum::wire_enum;

wire_enum! {
    /// The length of a period: `month`, `quarter` or `year`.
    IndicatorPeriod => indicator::Period { Month, Quarter, Year }
}

wire_enum! {
    /// An indicator. From the care chain: `days_ready_to_discharge_median` and `_mean`
    /// (calendar days from utskrivningsklar to the discharge notice, over the period's
    /// discharges), `liability_days` and `liability_amount_sek` (the paying municipality's
    /// payment-liability days in the period, and their amount at the agreement's daily
    /// rate), `admission_notices_late` (cases admitted in the period whose notice was late),
    /// `planning_calls` (sent in the period), `sip_within_30_days_share` (of the period's
    /// discharges with home care, the share with a SIP written or revised between admission
    /// and 30 days after discharge), `readmissions_within_30_days` (discharges followed by a
    /// new admission within 30 days). From the network: `meetings_held_<kind>` per meeting
    /// kind (by host municipality), `meetings_with_esther_share` (of held network meetings,
    /// case conferences excluded, the share where Esther or a representative took part),
    /// and, counted at the end of each period (its last day, today for the running period,
    /// no figure for a period not begun): `action_items_open` and `action_items_overdue`
    /// (items of the municipality's network meetings still `open` or `in_progress`, and of
    /// those the ones due before that day; case conferences' items left out),
    /// `improvement_projects_active` (projects naming the municipality, started and not
    /// ended, not now `idea` or `paused`), `coaches` and `coaches_certified` (coach profiles
    /// of active staff supporting the municipality, and of those the ones certified by that
    /// day). These count items, projects and staff, not persons in care: never suppressed.
    IndicatorName => indicator::IndicatorName {
        DaysReadyToDischargeMedian, DaysReadyToDischargeMean, LiabilityDays, LiabilityAmountSek,
        AdmissionNoticesLate, PlanningCalls, SipWithin30DaysShare = "sip_within_30_days_share",
        ReadmissionsWithin30Days = "readmissions_within_30_days",
        MeetingsHeldOrganizingCommittee, MeetingsHeldMunicipalNetwork, MeetingsHeldEstherCafe,
        MeetingsHeldCoachNetwork, MeetingsHeldStrategyDay, MeetingsHeldCaseConference,
        MeetingsHeldOther, MeetingsWithEstherShare, ActionItemsOpen, ActionItemsOverdue,
        ImprovementProjectsActive, Coaches, CoachesCertified,
    }
}

/// Query of the indicator table. Dates are Europe/Stockholm calendar dates, both inclusive.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct IndicatorTableQuery {
    /// Only this municipality (code); all 13 otherwise, each its own area.
    #[param(pattern = "^06(04|17|42|43|62|65|80|82|83|84|85|86|87)$")]
    pub municipality: Option<String>,
    /// First day (`YYYY-MM-DD`); default: the first day of the month eleven months before
    /// `to`'s month (twelve months in all). Moved back to the first day of its period: every
    /// figure is of a whole month, quarter or year (the answer's `from` and `to` say which).
    #[param(format = Date, pattern = "^(19|20|21)[0-9]{2}-")]
    pub from: Option<String>,
    /// Last day (`YYYY-MM-DD`); default: today. Moved on to the last day of its period.
    #[param(format = Date, pattern = "^(19|20|21)[0-9]{2}-")]
    pub to: Option<String>,
    /// `month` (default), `quarter` or `year`. At most 120 periods.
    #[param(value_type = Option<IndicatorPeriod>)]
    pub period: Option<String>,
}

/// Query of an indicator's monthly run chart.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct IndicatorChartQuery {
    /// The municipality (code) whose series is charted; required (a chart is of one
    /// municipality: without it, 400 naming `municipality`).
    #[param(
        required = true,
        pattern = "^06(04|17|42|43|62|65|80|82|83|84|85|86|87)$"
    )]
    pub municipality: Option<String>,
    /// First day (`YYYY-MM-DD`); default as for the table. Moved back to the first of its
    /// month: each point is a whole month.
    #[param(format = Date, pattern = "^(19|20|21)[0-9]{2}-")]
    pub from: Option<String>,
    /// Last day (`YYYY-MM-DD`); default: today. Moved on to the last day of its month.
    #[param(format = Date, pattern = "^(19|20|21)[0-9]{2}-")]
    pub to: Option<String>,
}

fn parse_date(text: &str) -> Result<NaiveDate, InvalidValue> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| InvalidValue::new("must be a date, YYYY-MM-DD"))
        .and_then(domain::plausible::date)
}

/// `from` and `to` with their defaults (twelve months up to today).
fn span(
    errors: &mut FieldErrors,
    from: Option<&str>,
    to: Option<&str>,
    today: NaiveDate,
) -> Option<(NaiveDate, NaiveDate)> {
    let to = errors.check_optional("to", to, parse_date)?;
    let from = errors.check_optional("from", from, parse_date)?;
    // A default is never blamed on the parameter not sent (attack review: `from` after today
    // was refused as "`to` must not be before `from`").
    if let (Some(from), None) = (from, to)
        && from > today
    {
        errors.push(
            "from",
            format!("{from} is after today ({today}), the default `to`; give `to` too"),
        );
        return None;
    }
    let to = to.unwrap_or(today);
    // Twelve months up to `to`, never before the first plausible year (a `to` in 1900 gave
    // rows for 1899).
    let earliest = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(to);
    let from = from.unwrap_or_else(|| {
        Period::Month
            .start_of(to)
            .checked_sub_months(Months::new(11))
            .unwrap_or(to)
            .max(earliest)
    });
    Some((from, to))
}

fn query_or_failure(
    mut errors: FieldErrors,
    built: Option<Result<IndicatorQuery, InvalidValue>>,
) -> Result<IndicatorQuery, ValidationFailed> {
    match built {
        Some(Ok(query)) if errors.is_empty() => Ok(query),
        Some(Err(invalid)) => {
            errors.push(invalid.field.unwrap_or("from"), invalid.message);
            Err(errors.into_failure())
        }
        _ => Err(errors.into_failure()),
    }
}

impl IndicatorTableQuery {
    /// The domain query, or every bad parameter.
    pub fn into_domain(self, today: NaiveDate) -> Result<IndicatorQuery, ValidationFailed> {
        let mut errors = FieldErrors::default();
        let municipality = errors.check_optional(
            "municipality",
            self.municipality.as_deref(),
            MunicipalityCode::parse,
        );
        let period = errors.check_optional("period", self.period.as_deref(), Period::parse);
        let span = span(&mut errors, self.from.as_deref(), self.to.as_deref(), today);
        let built = match (municipality, period, span) {
            (Some(municipality), Some(period), Some((from, to))) => Some(IndicatorQuery::new(
                municipality,
                from,
                to,
                period.unwrap_or(Period::Month),
                None,
            )),
            _ => None,
        };
        query_or_failure(errors, built)
    }
}

impl IndicatorChartQuery {
    /// The monthly query of one indicator in one municipality, or every bad parameter
    /// (`municipality` is required).
    pub fn into_domain(
        self,
        indicator: domain::indicator::IndicatorName,
        today: NaiveDate,
    ) -> Result<IndicatorQuery, ValidationFailed> {
        let mut errors = FieldErrors::default();
        let municipality = match self.municipality.as_deref() {
            Some(code) => errors.check("municipality", MunicipalityCode::parse(code)),
            None => {
                errors.push(
                    "municipality",
                    "a chart is of one municipality: give its code",
                );
                None
            }
        };
        let span = span(&mut errors, self.from.as_deref(), self.to.as_deref(), today);
        let built = match (municipality, span) {
            (Some(municipality), Some((from, to))) => Some(IndicatorQuery::new(
                Some(municipality),
                from,
                to,
                Period::Month,
                Some(indicator),
            )),
            _ => None,
        };
        query_or_failure(errors, built)
    }
}

/// One figure: an indicator in one municipality and period. Also one row of the CSV, with
/// these columns in this order.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndicatorRow {
    pub indicator: IndicatorName,
    /// `days`, `SEK`, `cases`, `planning calls`, `share` (0–1), `discharges`, `meetings`,
    /// `action items`, `projects` or `coaches`.
    pub unit: &'static str,
    /// Municipality code.
    #[schema(example = "0686")]
    pub municipality: &'static str,
    #[schema(example = "Eksjö")]
    pub municipality_name: &'static str,
    /// `2026-03`, `2026-Q1` or `2026`.
    pub period: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// The figure; `null` when suppressed or when there is nothing to compute it from.
    pub value: Option<f64>,
    /// Hidden because it counts 1–4 persons or is computed from fewer than 5 persons, or
    /// because, shown, it would let a hidden figure be found by subtraction (a quarter is
    /// its months, a year its quarters: complementary suppression). Which of the two is not
    /// said: told apart, the partner would narrow the small figure down.
    pub suppressed: bool,
}

impl IndicatorRow {
    pub fn new(cell: &IndicatorCell, period: Period) -> Self {
        let (value, suppressed) = match cell.figure {
            Figure::Value(value) => (Some(value), false),
            Figure::Suppressed => (None, true),
            Figure::Missing => (None, false),
        };
        Self {
            indicator: cell.indicator.into(),
            unit: cell.indicator.unit(),
            municipality: cell.area.as_str(),
            municipality_name: cell.area.municipality().name,
            period: period.label(cell.period_start),
            period_start: cell.period_start,
            period_end: cell.period_end,
            value,
            suppressed,
        }
    }
}

/// The indicator table: one row per indicator × municipality × period, in that order.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndicatorTable {
    /// The first day of the first period (the query's `from`, moved back to it).
    pub from: NaiveDate,
    /// The last day of the last period.
    pub to: NaiveDate,
    pub period: IndicatorPeriod,
    /// Counts of fewer persons than this (but more than 0), and figures computed from fewer,
    /// are suppressed.
    pub minimum_persons: usize,
    pub rows: Vec<IndicatorRow>,
}

/// One indicator's monthly series in one municipality as a run chart.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndicatorChartResponse {
    pub indicator: IndicatorName,
    pub unit: &'static str,
    pub municipality: &'static str,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Months left out of the chart because their figure is suppressed (first day of each).
    pub suppressed_months: Vec<NaiveDate>,
    /// The run chart of the months that have a figure; `null` when none has.
    pub chart: Option<ChartResponse>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire_enum::wire_text;

    /// The names a list answers with are the names its chart route takes.
    #[test]
    fn wire_names_match_the_domains_text() {
        for name in domain::indicator::IndicatorName::ALL {
            assert_eq!(wire_text(IndicatorName::from(*name)), name.as_str());
        }
        for period in Period::ALL {
            assert_eq!(wire_text(IndicatorPeriod::from(*period)), period.as_str());
        }
    }

    /// Attack review: a `from` after today blamed `to`, which was not sent, and a `to` in
    /// 1900 gave a span from 1899.
    #[test]
    fn defaults_are_never_blamed_and_stay_in_the_plausible_years() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default();
        let query = |from: Option<&str>, to: Option<&str>| IndicatorTableQuery {
            from: from.map(str::to_owned),
            to: to.map(str::to_owned),
            ..Default::default()
        };
        let failure = query(Some("2027-01-01"), None).into_domain(today).err();
        let fields: Vec<String> = failure
            .map(|f| f.errors.into_iter().map(|e| e.field).collect())
            .unwrap_or_default();
        assert_eq!(fields, ["from"]);
        assert!(
            query(Some("2027-01-01"), Some("2027-03-31"))
                .into_domain(today)
                .is_ok()
        );
        let early = query(None, Some("1900-01-31")).into_domain(today);
        assert!(
            early.is_ok_and(|q| q.from == NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default())
        );
    }
}
