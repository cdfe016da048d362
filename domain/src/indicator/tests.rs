use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use uuid::Uuid;

use super::*;
use crate::discharge::{CaseState, InpatientCare, Recipient, RecipientStatus};
use crate::improvement::ProjectStatus;

const HOME_CARE_UNIT: Uuid = Uuid::from_u128(0x20);

fn nassjo() -> MunicipalityCode {
    MunicipalityCode::parse("0682").unwrap_or_else(|e| panic!("{e}"))
}

fn eksjo() -> MunicipalityCode {
    MunicipalityCode::parse("0686").unwrap_or_else(|e| panic!("{e}"))
}

/// 10:00 Stockholm (09:00 UTC in winter and March before the change).
fn at(month: u32, day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, 9, 0, 0)
        .single()
        .unwrap_or_default()
}

fn date(month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, month, day).unwrap_or_default()
}

fn message(kind: MessageKind, sent_at: DateTime<Utc>) -> CaseMessage {
    CaseMessage {
        id: Uuid::now_v7(),
        case_id: Uuid::nil(),
        kind,
        text: None,
        sent_by: "ward".into(),
        sent_by_unit: Uuid::nil(),
        sent_at,
        recipients: vec![Recipient {
            unit_id: HOME_CARE_UNIT,
            status: RecipientStatus::Acknowledged,
            answered_by: None,
            answered_at: None,
            retract_reason: None,
        }],
    }
}

fn case(person: u128, admitted_at: DateTime<Utc>) -> CoordinationCase {
    CoordinationCase {
        id: Uuid::now_v7(),
        person_id: Uuid::from_u128(person),
        hospital_unit_id: Uuid::nil(),
        care: InpatientCare::Somatic,
        state: CaseState::Discharged,
        admitted_at,
        assessed_at: None,
        expected_discharge_date: None,
        opened_by: "ward".into(),
        paying_decision: None,
        version: 1,
        created_at: admitted_at,
        updated_at: admitted_at,
    }
}

/// Admitted on `admitted` (notice after 2 h, planning call the next day), ready for discharge
/// on `ready`, discharged on `discharged`; she lives in Nässjö.
fn stay(
    person: u128,
    admitted: (u32, u32),
    ready: (u32, u32),
    discharged: (u32, u32),
) -> CaseRecord {
    let admitted_at = at(admitted.0, admitted.1);
    CaseRecord {
        case: case(person, admitted_at),
        messages: vec![
            message(
                MessageKind::AdmissionNotice,
                admitted_at + Duration::hours(2),
            ),
            message(MessageKind::PlanningCall, admitted_at + Duration::days(1)),
            message(MessageKind::ReadyForDischarge, at(ready.0, ready.1)),
            message(MessageKind::DischargeNotice, at(discharged.0, discharged.1)),
        ],
        municipality: Some(nassjo()),
    }
}

fn settings() -> AgreementSettings {
    AgreementSettings {
        daily_rate_by_year: BTreeMap::from([(2026, 1_000)]),
        ..AgreementSettings::default()
    }
}

fn query(period: Period) -> IndicatorQuery {
    IndicatorQuery::new(Some(nassjo()), date(1, 1), date(12, 31), period, None)
        .unwrap_or_else(|e| panic!("{e}"))
}

fn figure_of(table: &[IndicatorCell], indicator: IndicatorName, period_start: NaiveDate) -> Figure {
    table
        .iter()
        .find(|c| c.indicator == indicator && c.period_start == period_start)
        .map(|c| c.figure)
        .unwrap_or_else(|| panic!("no cell {indicator} {period_start}"))
}

fn data(cases: Vec<CaseRecord>) -> IndicatorData {
    IndicatorData {
        cases,
        municipal_units: vec![(HOME_CARE_UNIT, nassjo())],
        ..IndicatorData::default()
    }
}

fn december() -> DateTime<Utc> {
    at(12, 1)
}

// --- small numbers ------------------------------------------------------------------------------

#[test]
fn counts_of_one_to_four_persons_are_suppressed_and_five_are_shown() {
    assert_eq!(count_of_persons(4, 4), Figure::Suppressed);
    assert_eq!(count_of_persons(1, 1), Figure::Suppressed);
    assert_eq!(count_of_persons(9, 4), Figure::Suppressed);
    assert_eq!(count_of_persons(5, 5), Figure::Value(5.0));
    assert_eq!(count_of_persons(0, 0), Figure::Value(0.0));
}

#[test]
fn figures_from_fewer_than_five_persons_are_suppressed() {
    assert_eq!(computed_from_persons(Some(3.5), 4), Figure::Suppressed);
    assert_eq!(computed_from_persons(Some(3.5), 5), Figure::Value(3.5));
    assert_eq!(computed_from_persons(None, 0), Figure::Missing);
    assert_eq!(computed_from_persons(Some(1.0), 0), Figure::Missing);
}

// --- periods and the query ---------------------------------------------------------------------

#[test]
fn periods_start_on_their_first_day_and_are_named() {
    assert_eq!(Period::Month.start_of(date(3, 17)), date(3, 1));
    assert_eq!(Period::Quarter.start_of(date(8, 17)), date(7, 1));
    assert_eq!(Period::Year.start_of(date(8, 17)), date(1, 1));
    assert_eq!(
        Period::Quarter.next(date(10, 1)),
        NaiveDate::from_ymd_opt(2027, 1, 1).unwrap_or_default()
    );
    assert_eq!(Period::Month.label(date(3, 1)), "2026-03");
    assert_eq!(Period::Quarter.label(date(7, 1)), "2026-Q3");
    assert_eq!(Period::Year.label(date(1, 1)), "2026");
    assert_eq!(query(Period::Month).period_starts().len(), 12);
    assert_eq!(query(Period::Quarter).period_starts().len(), 4);
}

#[test]
fn a_query_is_refused_when_backwards_or_too_long() {
    let backwards = IndicatorQuery::new(None, date(3, 1), date(2, 1), Period::Month, None);
    assert_eq!(backwards.err().and_then(|e| e.field), Some("to"));
    let long = IndicatorQuery::new(
        None,
        NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default(),
        date(1, 1),
        Period::Month,
        None,
    );
    assert_eq!(long.err().and_then(|e| e.field), Some("from"));
    let all = IndicatorQuery::new(None, date(1, 1), date(1, 31), Period::Month, None)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(all.areas.len(), 13);
}

#[test]
fn a_span_is_widened_to_whole_periods() {
    let widened = |from, to, period| {
        let q = IndicatorQuery::new(Some(nassjo()), from, to, period, None)
            .unwrap_or_else(|e| panic!("{e}"));
        (q.from, q.to)
    };
    assert_eq!(
        widened(date(1, 15), date(2, 10), Period::Month),
        (date(1, 1), date(2, 28))
    );
    assert_eq!(
        widened(date(2, 2), date(2, 2), Period::Quarter),
        (date(1, 1), date(3, 31))
    );
    assert_eq!(
        widened(date(6, 30), date(7, 1), Period::Year),
        (date(1, 1), date(12, 31))
    );
    // A day's events are never a figure of their own: 1–15 January and 2–15 January are
    // both the whole of January.
    let mut stays: Vec<CaseRecord> = (1..=6).map(|p| stay(p, (1, 2), (1, 3), (1, 13))).collect();
    stays.push(stay(7, (1, 1), (1, 3), (1, 13)));
    let calls = |from| {
        let q = IndicatorQuery::new(Some(nassjo()), from, date(1, 15), Period::Month, None)
            .unwrap_or_else(|e| panic!("{e}"));
        let table = tabulate(&data(stays.clone()), &q, &settings(), december());
        figure_of(&table, IndicatorName::PlanningCalls, date(1, 1))
    };
    assert_eq!(calls(date(1, 1)), calls(date(1, 3)));
}

/// Planning calls of `persons` persons admitted on the 5th of `month`, from person `first` on.
fn calls_in(month: u32, first: u128, persons: u128) -> Vec<CaseRecord> {
    (first..first + persons)
        .map(|p| stay(p, (month, 5), (month, 6), (month, 16)))
        .collect()
}

#[test]
fn a_month_hidden_alone_cannot_be_found_from_its_quarter() {
    // January 2 persons (hidden), February 6, March 7, no other call in the year.
    let mut stays = calls_in(1, 100, 2);
    stays.extend(calls_in(2, 200, 6));
    stays.extend(calls_in(3, 300, 7));
    let input = data(stays);
    let by = |period| {
        let table = tabulate(&input, &query(period), &settings(), december());
        let cells: Vec<(NaiveDate, Figure)> = table
            .iter()
            .filter(|c| c.indicator == IndicatorName::PlanningCalls)
            .map(|c| (c.period_start, c.figure))
            .collect();
        cells
    };
    let months = by(Period::Month);
    assert_eq!(months[0].1, Figure::Suppressed, "two persons");
    // February goes with January (the smaller of the two others); March stays shown.
    assert_eq!(months[1].1, Figure::Suppressed);
    assert_eq!(months[2].1, Figure::Value(7.0));
    assert_eq!(months[3].1, Figure::Value(0.0));
    // The quarter and the year are shown: 15 − 7 is January and February together.
    assert_eq!(by(Period::Quarter)[0].1, Figure::Value(15.0));
    assert_eq!(by(Period::Year)[0].1, Figure::Value(15.0));
    // A table of January alone hides the same two months: the year is protected as a whole.
    let january = IndicatorQuery::new(Some(nassjo()), date(2, 1), date(2, 1), Period::Month, None)
        .unwrap_or_else(|e| panic!("{e}"));
    let table = tabulate(&input, &january, &settings(), december());
    assert_eq!(
        figure_of(&table, IndicatorName::PlanningCalls, date(2, 1)),
        Figure::Suppressed
    );
    // The liability days hide the same cells as their amount (the amount is days × rate).
    let table = tabulate(&input, &query(Period::Month), &settings(), december());
    for month in 1..=3 {
        let hidden = |indicator| figure_of(&table, indicator, date(month, 1)) == Figure::Suppressed;
        assert_eq!(
            hidden(IndicatorName::LiabilityDays),
            hidden(IndicatorName::LiabilityAmountSek),
            "month {month}"
        );
    }
}

#[test]
fn the_table_has_one_cell_per_indicator_area_and_period() {
    let table = tabulate(
        &data(vec![]),
        &query(Period::Quarter),
        &settings(),
        december(),
    );
    assert_eq!(table.len(), IndicatorName::ALL.len() * 4);
    assert_eq!(table[0].period_end, date(3, 31));
    assert_eq!(
        figure_of(&table, IndicatorName::PlanningCalls, date(1, 1)),
        Figure::Value(0.0)
    );
    assert_eq!(
        figure_of(
            &table,
            IndicatorName::DaysReadyToDischargeMedian,
            date(1, 1)
        ),
        Figure::Missing
    );
}

// --- discharge figures ------------------------------------------------------------------------

fn five_stays() -> Vec<CaseRecord> {
    // Ready → discharged in March: 1, 2, 3, 4 and 10 days.
    vec![
        stay(1, (3, 1), (3, 2), (3, 3)),
        stay(2, (3, 1), (3, 2), (3, 4)),
        stay(3, (3, 1), (3, 2), (3, 5)),
        stay(4, (3, 1), (3, 2), (3, 6)),
        stay(5, (3, 1), (3, 2), (3, 12)),
    ]
}

#[test]
fn days_from_ready_to_discharge_median_and_mean_at_five_persons_suppressed_at_four() {
    let table = tabulate(
        &data(five_stays()),
        &query(Period::Month),
        &settings(),
        december(),
    );
    assert_eq!(
        figure_of(
            &table,
            IndicatorName::DaysReadyToDischargeMedian,
            date(3, 1)
        ),
        Figure::Value(3.0)
    );
    assert_eq!(
        figure_of(&table, IndicatorName::DaysReadyToDischargeMean, date(3, 1)),
        Figure::Value(4.0)
    );
    let mut four = five_stays();
    four.pop();
    let table = tabulate(&data(four), &query(Period::Month), &settings(), december());
    assert_eq!(
        figure_of(
            &table,
            IndicatorName::DaysReadyToDischargeMedian,
            date(3, 1)
        ),
        Figure::Suppressed
    );
    assert_eq!(
        figure_of(&table, IndicatorName::DaysReadyToDischargeMean, date(3, 1)),
        Figure::Suppressed
    );
}

#[test]
fn liability_days_and_amount_follow_the_discharge_rules() {
    // Received 2 March, three grace days counted from the day of receipt: liable from
    // 5 March. Persons 5 to 9 (discharged 12 March) are liable 5–11 March, 7 days each;
    // person 4 (discharged 6 March) for 5 March; persons 1 to 3 leave before liability starts.
    let mut stays = five_stays();
    for person in 6..=9 {
        stays.push(stay(person, (3, 1), (3, 2), (3, 12)));
    }
    let table = tabulate(
        &data(stays.clone()),
        &query(Period::Month),
        &settings(),
        december(),
    );
    assert_eq!(
        figure_of(&table, IndicatorName::LiabilityDays, date(3, 1)),
        Figure::Value(36.0)
    );
    assert_eq!(
        figure_of(&table, IndicatorName::LiabilityAmountSek, date(3, 1)),
        Figure::Value(36_000.0)
    );
    // No daily rate for the year: the days are counted, the amount is no figure (not 0 SEK).
    let unpriced = tabulate(
        &data(stays.clone()),
        &query(Period::Month),
        &AgreementSettings::default(),
        december(),
    );
    assert_eq!(
        figure_of(&unpriced, IndicatorName::LiabilityDays, date(3, 1)),
        Figure::Value(36.0)
    );
    assert_eq!(
        figure_of(&unpriced, IndicatorName::LiabilityAmountSek, date(3, 1)),
        Figure::Missing
    );
    // Four liable persons: suppressed, days and amount alike.
    let table = tabulate(
        &data(stays_liable(4)),
        &query(Period::Month),
        &settings(),
        december(),
    );
    assert_eq!(
        figure_of(&table, IndicatorName::LiabilityDays, date(3, 1)),
        Figure::Suppressed
    );
    assert_eq!(
        figure_of(&table, IndicatorName::LiabilityAmountSek, date(3, 1)),
        Figure::Suppressed
    );
}

fn stays_liable(persons: u128) -> Vec<CaseRecord> {
    (1..=persons)
        .map(|p| stay(p, (3, 1), (3, 2), (3, 12)))
        .collect()
}

#[test]
fn late_admission_notices_and_planning_calls_are_counted_by_persons() {
    let mut stays = stays_liable(5);
    for record in &mut stays[..2] {
        // Sent 30 hours after admission: after the 24-hour deadline.
        record.messages[0].sent_at = record.case.admitted_at + Duration::hours(30);
        record.messages[1].sent_at = record.case.admitted_at + Duration::hours(31);
    }
    let table = tabulate(
        &data(stays.clone()),
        &query(Period::Month),
        &settings(),
        december(),
    );
    assert_eq!(
        figure_of(&table, IndicatorName::AdmissionNoticesLate, date(3, 1)),
        Figure::Suppressed,
        "two persons"
    );
    assert_eq!(
        figure_of(&table, IndicatorName::PlanningCalls, date(3, 1)),
        Figure::Value(5.0)
    );
    for record in &mut stays {
        record.messages[0].sent_at = record.case.admitted_at + Duration::hours(30);
        record.messages[1].sent_at = record.case.admitted_at + Duration::hours(31);
    }
    let table = tabulate(&data(stays), &query(Period::Month), &settings(), december());
    assert_eq!(
        figure_of(&table, IndicatorName::AdmissionNoticesLate, date(3, 1)),
        Figure::Value(5.0)
    );
}

#[test]
fn readmissions_within_30_days_once_the_window_has_closed() {
    let mut stays = stays_liable(5);
    for person in 1..=5 {
        // Readmitted 20 days after the discharge of 12 March.
        stays.push(stay(person, (4, 1), (4, 2), (4, 3)));
    }
    let table = tabulate(
        &data(stays.clone()),
        &query(Period::Month),
        &settings(),
        december(),
    );
    assert_eq!(
        figure_of(&table, IndicatorName::ReadmissionsWithin30Days, date(3, 1)),
        Figure::Value(5.0)
    );
    // April's discharges were not followed by an admission.
    assert_eq!(
        figure_of(&table, IndicatorName::ReadmissionsWithin30Days, date(4, 1)),
        Figure::Value(0.0)
    );
    // On 5 April the March window (to 11 April) is still open: no figure yet.
    let early = tabulate(&data(stays), &query(Period::Month), &settings(), at(4, 5));
    assert_eq!(
        figure_of(&early, IndicatorName::ReadmissionsWithin30Days, date(3, 1)),
        Figure::Missing
    );
}

#[test]
fn sip_share_counts_discharges_with_home_care_and_a_plan_within_30_days() {
    let mut input = data(stays_liable(6));
    for person in 1..=5 {
        input.home_care.push(HomeCare {
            person_id: Uuid::from_u128(person),
            started_at: at(1, 1),
            ended_at: None,
        });
    }
    // Three of the five with home care get a SIP within 30 days of the 12 March discharge;
    // person 4's comes on day 40; person 6 has no home care.
    for (person, day) in [
        (1, at(3, 12)),
        (2, at(3, 20)),
        (3, at(4, 10)),
        (4, at(4, 21)),
    ] {
        input.plan_changes.push((Uuid::from_u128(person), day));
    }
    input.plan_changes.push((Uuid::from_u128(6), at(3, 20)));
    let table = tabulate(&input, &query(Period::Month), &settings(), december());
    assert_eq!(
        figure_of(&table, IndicatorName::SipWithin30DaysShare, date(3, 1)),
        Figure::Value(3.0 / 5.0)
    );
    // Home care for only four: suppressed.
    input.home_care.pop();
    let table = tabulate(&input, &query(Period::Month), &settings(), december());
    assert_eq!(
        figure_of(&table, IndicatorName::SipWithin30DaysShare, date(3, 1)),
        Figure::Suppressed
    );
}

#[test]
fn cases_count_in_the_paying_municipality_only_when_asked_for() {
    let mut stays = stays_liable(5);
    for record in &mut stays {
        record.municipality = Some(eksjo());
    }
    let table = tabulate(&data(stays), &query(Period::Month), &settings(), december());
    assert_eq!(
        figure_of(&table, IndicatorName::PlanningCalls, date(3, 1)),
        Figure::Value(0.0)
    );
}

// --- meetings ---------------------------------------------------------------------------------

fn held(kind: MeetingKind, day: u32, esther: bool) -> HeldMeeting {
    HeldMeeting {
        kind,
        host: Some(nassjo()),
        starts_at: at(5, day),
        esther_present: Some(esther),
    }
}

#[test]
fn meetings_are_counted_by_kind_with_the_share_where_esther_took_part() {
    let mut input = data(vec![]);
    input.meetings = vec![
        held(MeetingKind::EstherCafe, 4, true),
        held(MeetingKind::EstherCafe, 18, false),
        held(MeetingKind::MunicipalNetwork, 6, true),
        held(MeetingKind::MunicipalNetwork, 20, false),
        held(MeetingKind::CaseConference, 7, true),
    ];
    let table = tabulate(&input, &query(Period::Month), &settings(), december());
    assert_eq!(
        figure_of(&table, IndicatorName::MeetingsHeldEstherCafe, date(5, 1)),
        Figure::Value(2.0)
    );
    assert_eq!(
        figure_of(&table, IndicatorName::MeetingsWithEstherShare, date(5, 1)),
        Figure::Value(0.5)
    );
    assert_eq!(
        figure_of(
            &table,
            IndicatorName::MeetingsHeldCaseConference,
            date(5, 1)
        ),
        Figure::Suppressed
    );
    for day in 8..12 {
        input
            .meetings
            .push(held(MeetingKind::CaseConference, day, true));
    }
    let table = tabulate(&input, &query(Period::Month), &settings(), december());
    assert_eq!(
        figure_of(
            &table,
            IndicatorName::MeetingsHeldCaseConference,
            date(5, 1)
        ),
        Figure::Value(5.0)
    );
    assert_eq!(
        figure_of(&table, IndicatorName::MeetingsWithEstherShare, date(6, 1)),
        Figure::Missing
    );
}

// --- the series for a chart --------------------------------------------------------------------

#[test]
fn the_series_leaves_suppressed_periods_out_and_names_them() {
    let mut stays = five_stays();
    stays.extend((11..=12).map(|p| stay(p, (4, 1), (4, 2), (4, 3))));
    let only = IndicatorQuery::new(
        Some(nassjo()),
        date(1, 1),
        date(6, 30),
        Period::Month,
        Some(IndicatorName::DaysReadyToDischargeMedian),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let table = tabulate(&data(stays), &only, &settings(), december());
    assert_eq!(table.len(), 6);
    let (observations, suppressed) = series(&table);
    assert_eq!(observations.len(), 1);
    assert_eq!(observations[0].date, date(3, 1));
    assert_eq!(suppressed, vec![date(4, 1)]);
}

// --- stock figures: action items, projects, coaches at the end of each period ----------------

fn item(
    kind: MeetingKind,
    recorded: (u32, u32),
    due: (u32, u32),
    closed: Option<(u32, u32)>,
) -> stock::ActionItemFacts {
    stock::ActionItemFacts {
        host: Some(nassjo()),
        meeting_kind: kind,
        recorded_at: at(recorded.0, recorded.1),
        due: date(due.0, due.1),
        closed_at: closed.map(|(m, d)| at(m, d)),
    }
}

/// Month by month, January to June, of one indicator in Nässjö, with `today` = 1 December.
fn monthly(input: &IndicatorData, indicator: IndicatorName) -> Vec<Figure> {
    let only = IndicatorQuery::new(
        Some(nassjo()),
        date(1, 1),
        date(6, 30),
        Period::Month,
        Some(indicator),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    tabulate(input, &only, &settings(), december())
        .into_iter()
        .map(|c| c.figure)
        .collect()
}

fn values(figures: &[f64]) -> Vec<Figure> {
    figures.iter().map(|v| Figure::Value(*v)).collect()
}

#[test]
fn action_items_are_open_from_the_day_recorded_until_the_day_closed_at_each_months_end() {
    let mut input = data(vec![]);
    input.action_items = vec![
        // Recorded in January, due 15 February, done 10 April.
        item(
            MeetingKind::MunicipalNetwork,
            (1, 20),
            (2, 15),
            Some((4, 10)),
        ),
        // Recorded on 31 March: open at the end of March.
        item(MeetingKind::EstherCafe, (3, 31), (3, 31), None),
        // Closed on 28 February, the month's last day: not open at its end.
        item(
            MeetingKind::MunicipalNetwork,
            (2, 1),
            (2, 20),
            Some((2, 28)),
        ),
        // A case conference's item: about one person, left out.
        item(MeetingKind::CaseConference, (1, 5), (1, 10), None),
    ];
    assert_eq!(
        monthly(&input, IndicatorName::ActionItemsOpen),
        values(&[1.0, 1.0, 2.0, 1.0, 1.0, 1.0])
    );
    // Overdue at a month's end: open and due before its last day. The first is due 15
    // February (overdue at the end of February and March, done in April); the second is
    // due 31 March, the last day of March (not yet overdue then), overdue from April.
    assert_eq!(
        monthly(&input, IndicatorName::ActionItemsOverdue),
        values(&[0.0, 1.0, 1.0, 1.0, 1.0, 1.0])
    );
    // Another municipality's items do not count in Nässjö.
    input.action_items[0].host = Some(eksjo());
    assert_eq!(
        monthly(&input, IndicatorName::ActionItemsOpen),
        values(&[0.0, 0.0, 1.0, 1.0, 1.0, 1.0])
    );
}

#[test]
fn an_item_recorded_late_in_the_evening_counts_on_its_stockholm_date() {
    // 23:30 UTC on 31 January is 1 February in Stockholm.
    let late = stock::ActionItemFacts {
        recorded_at: Utc
            .with_ymd_and_hms(2026, 1, 31, 23, 30, 0)
            .single()
            .unwrap_or_default(),
        ..item(MeetingKind::MunicipalNetwork, (1, 1), (3, 1), None)
    };
    assert!(!late.open_on(date(1, 31)));
    assert!(late.open_on(date(2, 1)));
    assert!(!late.overdue_on(date(3, 1)), "due today is not overdue yet");
    assert!(late.overdue_on(date(3, 2)));
}

#[test]
fn projects_are_active_between_their_start_and_end_unless_idea_or_paused() {
    let project =
        |status, start: Option<(u32, u32)>, end: Option<(u32, u32)>| stock::ProjectFacts {
            municipalities: vec![nassjo(), eksjo()],
            status,
            start_on: start.map(|(m, d)| date(m, d)),
            end_on: end.map(|(m, d)| date(m, d)),
        };
    let mut input = data(vec![]);
    input.projects = vec![
        project(ProjectStatus::Active, Some((2, 10)), None),
        project(ProjectStatus::Completed, Some((1, 5)), Some((3, 31))),
        project(ProjectStatus::Abandoned, Some((1, 5)), Some((4, 2))),
        project(ProjectStatus::Paused, Some((1, 1)), None),
        project(ProjectStatus::Idea, None, None),
    ];
    assert_eq!(
        monthly(&input, IndicatorName::ImprovementProjectsActive),
        values(&[2.0, 3.0, 3.0, 1.0, 1.0, 1.0])
    );
    input.projects[0].municipalities = vec![eksjo()];
    assert_eq!(
        monthly(&input, IndicatorName::ImprovementProjectsActive),
        values(&[2.0, 2.0, 2.0, 0.0, 0.0, 0.0])
    );
}

#[test]
fn coaches_count_from_their_profile_and_certified_ones_from_their_certification() {
    let coach = |since: (u32, u32), certified: Option<(u32, u32)>| stock::CoachFacts {
        municipalities: vec![nassjo()],
        since: at(since.0, since.1),
        certified_on: certified.map(|(m, d)| date(m, d)),
    };
    let mut input = data(vec![]);
    input.coaches = vec![
        coach((1, 15), Some((3, 31))),
        coach((2, 1), Some((5, 20))),
        coach((4, 30), None),
        stock::CoachFacts {
            municipalities: vec![eksjo()],
            ..coach((1, 1), Some((1, 1)))
        },
    ];
    assert_eq!(
        monthly(&input, IndicatorName::Coaches),
        values(&[1.0, 2.0, 2.0, 3.0, 3.0, 3.0])
    );
    assert_eq!(
        monthly(&input, IndicatorName::CoachesCertified),
        values(&[0.0, 0.0, 1.0, 1.0, 2.0, 2.0])
    );
}

#[test]
fn stock_figures_are_never_suppressed_and_absent_for_periods_not_begun() {
    let mut input = data(vec![]);
    // Four and five open items: counts of items, not of persons; both shown.
    input.action_items = (1..=4)
        .map(|d| item(MeetingKind::MunicipalNetwork, (1, d), (12, 31), None))
        .collect();
    assert_eq!(
        monthly(&input, IndicatorName::ActionItemsOpen)[0],
        Figure::Value(4.0)
    );
    input.action_items.push(item(
        MeetingKind::OrganizingCommittee,
        (1, 5),
        (12, 31),
        None,
    ));
    assert_eq!(
        monthly(&input, IndicatorName::ActionItemsOpen)[0],
        Figure::Value(5.0)
    );
    // Today is 1 December 2026: December counts as of today, 2027 has no figure yet.
    let ahead = IndicatorQuery::new(
        Some(nassjo()),
        date(12, 1),
        NaiveDate::from_ymd_opt(2027, 1, 31).unwrap_or_default(),
        Period::Month,
        Some(IndicatorName::ActionItemsOpen),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let figures: Vec<Figure> = tabulate(&input, &ahead, &settings(), december())
        .into_iter()
        .map(|c| c.figure)
        .collect();
    assert_eq!(figures, vec![Figure::Value(5.0), Figure::Missing]);
    // Flows too: a month still to come has no figure, not a 0 (trial).
    let calls = IndicatorQuery::new(
        Some(nassjo()),
        date(12, 1),
        NaiveDate::from_ymd_opt(2027, 1, 31).unwrap_or_default(),
        Period::Month,
        Some(IndicatorName::PlanningCalls),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let figures: Vec<Figure> = tabulate(&input, &calls, &settings(), december())
        .into_iter()
        .map(|c| c.figure)
        .collect();
    assert_eq!(figures, vec![Figure::Value(0.0), Figure::Missing]);
    assert!(IndicatorName::ALL.iter().filter(|i| i.is_stock()).count() == 5);
    assert_eq!(IndicatorName::ActionItemsOpen.unit(), "action items");
}

// --- what a query reads ------------------------------------------------------------------------

/// Five Nässjö stays discharged on 12 March, each readmitted on 1 April (an Eksjö-paid stay,
/// held apart in `admissions`), their admission notices late; home care and SIPs for persons
/// 1–5; held meetings of every kind, an action item, a project and a coach: every part of the
/// data moves some figure.
fn every_part() -> (IndicatorData, Vec<CaseRecord>) {
    let mut cases = stays_liable(5);
    for record in &mut cases[..] {
        // Sent 30 hours after admission: after the 24-hour deadline.
        record.messages[0].sent_at = record.case.admitted_at + Duration::hours(30);
        record.messages[1].sent_at = record.case.admitted_at + Duration::hours(31);
    }
    let mut input = data(vec![]);
    input.admissions = (1..=5).map(|p| (Uuid::from_u128(p), at(4, 1))).collect();
    input.home_care = (1..=5)
        .map(|p| HomeCare {
            person_id: Uuid::from_u128(p),
            started_at: at(1, 1),
            ended_at: None,
        })
        .collect();
    input.plan_changes = (1..=5).map(|p| (Uuid::from_u128(p), at(3, 20))).collect();
    // One held meeting of each kind on each of the first days of May.
    input.meetings = (1..=3)
        .flat_map(|day| {
            MeetingKind::ALL
                .iter()
                .map(move |kind| held(*kind, day, day == 1))
        })
        .collect();
    input.action_items = vec![item(MeetingKind::MunicipalNetwork, (1, 20), (2, 15), None)];
    input.projects = vec![stock::ProjectFacts {
        municipalities: vec![nassjo()],
        status: ProjectStatus::Active,
        start_on: Some(date(1, 10)),
        end_on: None,
    }];
    input.coaches = vec![stock::CoachFacts {
        municipalities: vec![nassjo()],
        since: at(1, 2),
        certified_on: Some(date(2, 1)),
    }];
    (input, cases)
}

/// Leaves one part out of what a query reads.
type LeaveOut = fn(&mut Inputs);

/// `query`'s table from `input`, the cases fed one at a time unless `inputs` leaves them out,
/// and each part of `input` that `inputs` leaves out emptied first.
fn fed(
    input: &IndicatorData,
    cases: &[CaseRecord],
    query: &IndicatorQuery,
    inputs: Inputs,
) -> Vec<IndicatorCell> {
    fn kept<T: Clone>(needed: bool, part: &[T]) -> Vec<T> {
        if needed { part.to_vec() } else { Vec::new() }
    }
    let input = IndicatorData {
        cases: Vec::new(),
        admissions: kept(inputs.admissions, &input.admissions),
        municipal_units: kept(inputs.cases, &input.municipal_units),
        home_care: kept(inputs.home_care, &input.home_care),
        plan_changes: kept(inputs.plan_changes, &input.plan_changes),
        meetings: kept(inputs.meetings, &input.meetings),
        action_items: kept(inputs.action_items, &input.action_items),
        projects: kept(inputs.projects, &input.projects),
        coaches: kept(inputs.coaches, &input.coaches),
    };
    let settings = settings();
    let mut table = Tabulation::new(&input, query, &settings, december());
    for record in cases.iter().filter(|_| inputs.cases) {
        table.add_case(record);
    }
    table.finish()
}

#[test]
fn each_indicator_is_computed_from_its_inputs_alone() {
    let (input, cases) = every_part();
    let everything =
        IndicatorQuery::new(Some(nassjo()), date(1, 1), date(6, 30), Period::Month, None)
            .unwrap_or_else(|e| panic!("{e}"));
    let all = everything.inputs();
    assert!(all.cases && all.admissions && all.home_care && all.plan_changes);
    assert!(all.meetings && all.action_items && all.projects && all.coaches);
    let full = fed(&input, &cases, &everything, all);
    for &indicator in IndicatorName::ALL {
        let only = IndicatorQuery {
            only: Some(indicator),
            ..everything.clone()
        };
        assert_eq!(only.inputs(), indicator.inputs());
        let alone = fed(&input, &cases, &only, indicator.inputs());
        let expected: Vec<&IndicatorCell> =
            full.iter().filter(|c| c.indicator == indicator).collect();
        assert_eq!(alone.iter().collect::<Vec<_>>(), expected, "{indicator}");
        // Each input named is needed: leaving any one out moves the figures.
        let needed = indicator.inputs();
        let without: [(&str, LeaveOut); 8] = [
            ("cases", |i| i.cases = false),
            ("admissions", |i| i.admissions = false),
            ("home_care", |i| i.home_care = false),
            ("plan_changes", |i| i.plan_changes = false),
            ("meetings", |i| i.meetings = false),
            ("action_items", |i| i.action_items = false),
            ("projects", |i| i.projects = false),
            ("coaches", |i| i.coaches = false),
        ];
        for (part, leave_out) in without {
            let mut fewer = needed;
            leave_out(&mut fewer);
            if fewer == needed {
                continue;
            }
            let starved = fed(&input, &cases, &only, fewer);
            assert_ne!(starved, alone, "{indicator} without {part}");
        }
    }
}

#[test]
fn cases_fed_one_at_a_time_give_the_table_of_the_cases_held() {
    let (mut input, cases) = every_part();
    let stream = fed(
        &input,
        &cases,
        &query(Period::Month),
        query(Period::Month).inputs(),
    );
    // Held: the readmissions are the cases of April (another municipality pays for them).
    input.admissions.clear();
    input.cases = cases;
    input.cases.extend((1..=5).map(|p| {
        let mut again = stay(p, (4, 1), (4, 2), (4, 3));
        again.municipality = Some(eksjo());
        again
    }));
    let held = tabulate(&input, &query(Period::Month), &settings(), december());
    assert_eq!(stream, held);
    assert_eq!(
        figure_of(&held, IndicatorName::ReadmissionsWithin30Days, date(3, 1)),
        Figure::Value(5.0)
    );
    assert_eq!(
        figure_of(&held, IndicatorName::SipWithin30DaysShare, date(3, 1)),
        Figure::Value(1.0)
    );
}

#[test]
fn means_and_shares_are_published_rounded_so_no_denominator_shows() {
    assert_eq!(rounded(37.0 / 12.0, 1), 3.1);
    assert_eq!(rounded(5.0 / 6.0, 2), 0.83);
    assert_eq!(rounded(2.25, 1), 2.3);
    // Six persons, 1, 1, 1, 1, 1 and 2 days: 7/6 = 1.1666… is published as 1.2.
    let stays: Vec<CaseRecord> = (1..=6)
        .map(|p| stay(p, (3, 1), (3, 2), (3, if p == 6 { 4 } else { 3 })))
        .collect();
    let table = tabulate(&data(stays), &query(Period::Month), &settings(), december());
    assert_eq!(
        figure_of(&table, IndicatorName::DaysReadyToDischargeMean, date(3, 1)),
        Figure::Value(1.2)
    );
}
