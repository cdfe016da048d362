//! Improvement work (issue 13): the county's coach training, the coaches it certified, and
//! three improvement projects whose measures shift after an adopted PDSA change.
//!
//! - A training cohort of eight one-day sessions over seven months, the last a month before
//!   the demo is loaded; eight staff enrolled with their attendance. The rule: at least six
//!   sessions and a presented improvement project, so some have completed and the others are
//!   told why not (`GET /training-cohorts/{id}/enrolments`).
//! - A coach profile for each of them (certified on the last session's date if completed,
//!   else still in training), supporting a home health care unit and its municipality.
//! - Three active projects in Höglandet, each with a measure of 24 weekly data points, an
//!   adapted first PDSA cycle, an adopted second one whose change point is the 13th point,
//!   and a third still running: a measurement (run chart), a proportion (P chart) and a rate
//!   per 1 000 bed-days (U chart). After the change the points lie on the other side of the
//!   whole series' centre line, so the chart without splits (`?split=`) shows a shift and the
//!   default chart is split at the change.

use chrono::{Datelike, TimeDelta};
use domain::improvement::measure::{
    DataPoint, Direction, MeasureType, NewMeasure, PointInput, PointRow, ValueKind,
};
use domain::improvement::training::{
    CoachProfile, CompletionRule, Enrolment, NewCohort, TrainingCohort,
};
use domain::improvement::{Aim, NewPdsaCycle, NewProject, PdsaAct, PdsaChanges, ProjectStatus};
use domain::record::FreeText;
use domain::{CareUnitKind, MunicipalityCode};
use persistence::{DbConnection, PersistenceError, improvement, measures, training};
use uuid::Uuid;

use super::network::HOGLANDET;
use super::{Clock, DEMO_SUBJECT, Directory, corrupt, parsed};

/// Weekly data points per measure, and the index of the first after the adopted change.
const POINTS: usize = 24;
const CHANGE_AT: usize = 12;

fn text(value: &str) -> Result<FreeText, PersistenceError> {
    parsed(FreeText::parse(value))
}

/// Loads the cohort, the coaches and the projects.
pub(super) fn load(
    conn: &mut DbConnection,
    directory: &Directory,
    clock: Clock,
) -> Result<(), PersistenceError> {
    let mut trainees = Vec::with_capacity(HOGLANDET.len() + 2);
    for (code, _) in HOGLANDET {
        let unit = directory.unit(CareUnitKind::HomeHealthCare, code, "Hemsjukvård")?;
        trainees.push((directory.member(unit, 0)?.id, unit.id, code));
    }
    for (code, name) in [
        ("0682", "Vårdcentralen Nässjö"),
        ("0687", "Vårdcentralen Tranås"),
    ] {
        let unit = directory.unit(CareUnitKind::PrimaryCareCentre, code, name)?;
        trainees.push((directory.member(unit, 1)?.id, unit.id, code));
    }
    let cohort = cohort(conn, clock)?;
    let mut completed = Vec::with_capacity(trainees.len());
    for (n, (staff_id, _, _)) in trainees.iter().enumerate() {
        let attended = (0..cohort.sessions.len())
            .filter(|s| attends(n, *s))
            .count();
        // The first three also present a project (below); the rule needs six sessions.
        completed.push(attended >= 6 && n < 3);
        training::insert_enrolment(
            conn,
            &Enrolment {
                cohort_id: cohort.id,
                staff_id: *staff_id,
                attended_session_ids: Vec::new(),
                presented_project_id: None,
                enrolled_at: clock.now,
            },
        )?;
    }
    attendance(conn, &cohort, &trainees, clock)?;
    for (n, (staff_id, unit_id, code)) in trainees.iter().enumerate() {
        let certified_on = completed[n]
            .then(|| cohort.sessions.last().map(|s| s.held_on))
            .flatten();
        training::insert_coach(
            conn,
            &CoachProfile {
                staff_id: *staff_id,
                cohort_id: Some(cohort.id),
                certified_on,
                care_unit_ids: vec![*unit_id],
                municipalities: vec![parsed(MunicipalityCode::parse(code))?],
                version: 1,
                created_at: clock.now,
                updated_at: clock.now,
            },
        )?;
    }
    let projects = projects(conn, directory, clock, &trainees)?;
    // The first three trainees presented the projects they coach (their completion needs it).
    for ((staff_id, _, _), project) in trainees.iter().zip(projects) {
        if !training::set_presented_project(conn, cohort.id, *staff_id, Some(project))? {
            return Err(corrupt(format!("{staff_id} is not enrolled")));
        }
    }
    Ok(())
}

/// Eight sessions a month apart, the last 30 days ago.
fn cohort(conn: &mut DbConnection, clock: Clock) -> Result<TrainingCohort, PersistenceError> {
    const TOPICS: [&str; 8] = [
        "Esthers behov: att se vårdkedjan med hennes ögon",
        "Förbättringsmodellen och PDSA",
        "Att mäta för förbättring: operationella definitioner",
        "Seriediagram och styrdiagram",
        "Att leda ett förbättringsteam",
        "Coachande samtal",
        "Spridning och uthållighet",
        "Redovisning av förbättringsarbeten",
    ];
    let first = clock.today - TimeDelta::days(30 + 30 * 7);
    let mut sessions = Vec::with_capacity(TOPICS.len());
    for (n, topic) in TOPICS.iter().enumerate() {
        sessions.push((
            first + TimeDelta::days(30 * i64::try_from(n).unwrap_or(0)),
            text(topic)?,
        ));
    }
    let cohort = parsed(
        NewCohort {
            programme: text("ESTHER-coachutbildning, Region Jönköpings län")?,
            name: text(&format!("Höglandet {}", first.year()))?,
            completion_rule: CompletionRule {
                min_sessions_attended: 6,
                project_presentation_required: true,
            },
            sessions,
        }
        .into_record(Uuid::now_v7(), Uuid::now_v7, clock.now),
    )?;
    training::insert_cohort(conn, &cohort)?;
    Ok(cohort)
}

/// Whether trainee `n` attended session `s`: the first five miss at most one session, the
/// last three every second one.
fn attends(n: usize, s: usize) -> bool {
    if n < 5 {
        !(s + n).is_multiple_of(8)
    } else {
        (s + n).is_multiple_of(2)
    }
}

/// Each session's attendance, by [`attends`].
fn attendance(
    conn: &mut DbConnection,
    cohort: &TrainingCohort,
    trainees: &[(Uuid, Uuid, &str)],
    clock: Clock,
) -> Result<(), PersistenceError> {
    for (s, session) in cohort.sessions.iter().enumerate() {
        parsed(cohort.check_attendance(session.id, clock.today))?;
        let present: Vec<Uuid> = trainees
            .iter()
            .enumerate()
            .filter(|(n, _)| attends(*n, s))
            .map(|(_, (staff_id, _, _))| *staff_id)
            .collect();
        training::replace_attendance(conn, session.id, &present)?;
    }
    Ok(())
}

/// One project's content: texts, its measure and its series before and after the change.
struct Plan {
    title: &'static str,
    problem: &'static str,
    aim: (&'static str, &'static str),
    what_matters: &'static str,
    change_ideas: [&'static str; 2],
    cycles: [(&'static str, &'static str); 3],
    measure: (&'static str, &'static str, &'static str),
    kind: ValueKind,
    direction: Direction,
    target: f64,
    /// The weekly value (or numerator) before and after the change.
    before: [f64; CHANGE_AT],
    after: [f64; POINTS - CHANGE_AT],
    /// For ratios, the denominator of week `n`.
    denominator: fn(usize) -> Option<f64>,
}

impl Plan {
    /// Week `n`'s value (or numerator) and, for ratios, its denominator.
    fn week(&self, n: usize) -> (f64, Option<f64>) {
        let value = match n.checked_sub(CHANGE_AT) {
            None => self.before[n],
            Some(after) => self.after[after % self.after.len()],
        };
        (value, (self.denominator)(n))
    }
}

const PLANS: [Plan; 3] = [
    Plan {
        title: "Hem samma dag som utskrivningsklar",
        problem: "Esther blir kvar på sjukhuset i flera dagar efter att hon är utskrivningsklar.",
        aim: (
            "Kortare tid från utskrivningsklar till hemgång",
            "Under 3 dagar i medel",
        ),
        what_matters: "Att komma hem när hon är färdigbehandlad, till ett hem där hjälpen finns.",
        change_ideas: [
            "Hemtjänsten planerar hemgång redan vid inskrivningsmeddelandet",
            "Gemensam checklista för fredagsutskrivningar",
        ],
        cycles: [
            (
                "Checklista på en avdelning",
                "Checklistan används vid varje utskrivning i två veckor",
            ),
            (
                "Planering vid inskrivning",
                "Hemtjänsten planerar hemgång redan vid inskrivningen",
            ),
            (
                "Spridning till Ortopedavdelningen",
                "Samma rutin på en avdelning till",
            ),
        ],
        measure: (
            "Dagar från utskrivningsklar till hemgång",
            "Medel per vecka av kalenderdagar från utskrivningsklar till utskrivningsmeddelande",
            "dagar",
        ),
        kind: ValueKind::Measurement,
        direction: Direction::Decrease,
        target: 3.0,
        before: [4.2, 3.8, 4.5, 4.0, 4.6, 3.9, 4.3, 4.8, 4.1, 3.7, 4.4, 4.2],
        after: [2.9, 2.6, 3.1, 2.4, 2.8, 2.2, 2.7, 3.0, 2.5, 2.3, 2.6, 2.1],
        denominator: |_| None,
    },
    Plan {
        title: "Läkemedelsgenomgång före hemgång",
        problem: "Få som skrivs ut till hemtjänst har fått en läkemedelsgenomgång.",
        aim: (
            "Fler läkemedelsgenomgångar före hemgång",
            "Minst 70 procent",
        ),
        what_matters: "Att veta vilka tabletter hon ska ta, och varför, när hon kommer hem.",
        change_ideas: [
            "Apotekare på avdelningen två dagar i veckan",
            "Läkemedelslistan skickas med utskrivningsmeddelandet",
        ],
        cycles: [
            (
                "Apotekare en dag i veckan",
                "Apotekaren går igenom listan för alla som ska hem",
            ),
            (
                "Apotekare två dagar och lista med meddelandet",
                "Två dagar i veckan och listan med meddelandet",
            ),
            (
                "Uppföljning hos hemsjukvården",
                "Hemsjukvården stämmer av listan första dygnet",
            ),
        ],
        measure: (
            "Andel utskrivna till hemtjänst med läkemedelsgenomgång",
            "Utskrivna till hemtjänst under veckan med genomförd läkemedelsgenomgång, av alla utskrivna till hemtjänst",
            "andel",
        ),
        kind: ValueKind::Proportion,
        direction: Direction::Increase,
        target: 0.7,
        before: [
            11.0, 9.0, 13.0, 10.0, 12.0, 8.0, 11.0, 14.0, 10.0, 9.0, 12.0, 11.0,
        ],
        after: [
            24.0, 27.0, 22.0, 29.0, 26.0, 30.0, 25.0, 28.0, 31.0, 27.0, 29.0, 32.0,
        ],
        // Discharges to home care in the week.
        denominator: |_| Some(40.0),
    },
    Plan {
        title: "Färre fall efter hemgång",
        problem: "Esther faller de första veckorna hemma, ofta på väg till toaletten på natten.",
        aim: (
            "Färre fall i hemsjukvården",
            "Halvera fallen per 1 000 vårddygn",
        ),
        what_matters: "Att kunna röra sig tryggt hemma.",
        change_ideas: [
            "Fallriskbedömning vid hemgång",
            "Nattlampa och larm installeras före hemgång",
        ],
        cycles: [
            (
                "Fallriskbedömning i Nässjö",
                "Arbetsterapeuten bedömer fallrisken vid hemgång",
            ),
            (
                "Bedömning och hembesök första dagen",
                "Bedömning och hembesök första dagen hemma",
            ),
            ("Spridning till Eksjö", "Samma arbetssätt i Eksjö"),
        ],
        measure: (
            "Fall per 1 000 vårddygn i hemsjukvården",
            "Rapporterade fall under veckan per 1 000 vårddygn i hemsjukvården",
            "fall per 1 000 vårddygn",
        ),
        kind: ValueKind::Rate,
        direction: Direction::Decrease,
        target: 4.0,
        before: [7.0, 9.0, 6.0, 8.0, 10.0, 7.0, 8.0, 9.0, 6.0, 8.0, 7.0, 9.0],
        after: [3.0, 2.0, 4.0, 3.0, 2.0, 3.0, 1.0, 3.0, 2.0, 2.0, 3.0, 2.0],
        // Bed-days in home health care in the week.
        #[allow(clippy::cast_precision_loss)]
        denominator: |week| Some(860.0 + ((week * 37) % 80) as f64),
    },
];

/// The three projects, coached by the first three trainees; their ids in that order.
fn projects(
    conn: &mut DbConnection,
    directory: &Directory,
    clock: Clock,
    trainees: &[(Uuid, Uuid, &str)],
) -> Result<Vec<Uuid>, PersistenceError> {
    // Weekly periods on Mondays, the last one the Monday of last week.
    let this_monday =
        clock.today - TimeDelta::days(i64::from(clock.today.weekday().num_days_from_monday()));
    let weeks = i64::try_from(POINTS).unwrap_or(0);
    let first_week = this_monday - TimeDelta::weeks(weeks);
    let week = |n: usize| first_week + TimeDelta::weeks(i64::try_from(n).unwrap_or(0));
    let mut ids = Vec::with_capacity(PLANS.len());
    for (plan, (coach, unit, code)) in PLANS.iter().zip(trainees) {
        let ward = directory.unit(CareUnitKind::HospitalWard, "0686", "Medicinavdelning 2")?;
        let project = parsed(
            NewProject {
                title: text(plan.title)?,
                problem: Some(text(plan.problem)?),
                aim: Aim {
                    what: text(plan.aim.0)?,
                    how_much: text(plan.aim.1)?,
                    by_when: clock.today + TimeDelta::days(120),
                },
                what_matters: Some(text(plan.what_matters)?),
                care_unit_ids: vec![*unit, ward.id],
                municipalities: vec![parsed(MunicipalityCode::parse(code))?],
                coach_id: Some(*coach),
                team_member_ids: directory
                    .staff_of(ward)
                    .iter()
                    .take(2)
                    .map(|m| m.id)
                    .collect(),
                status: Some(ProjectStatus::Active),
                start_on: Some(first_week),
                end_on: Some(clock.today + TimeDelta::days(120)),
                change_ideas: plan
                    .change_ideas
                    .iter()
                    .map(|i| text(i))
                    .collect::<Result<_, _>>()?,
            }
            .into_record(Uuid::now_v7(), DEMO_SUBJECT, clock.today, clock.now),
        )?;
        improvement::insert_project(conn, &project)?;
        let acts = [Some(PdsaAct::Adapt), Some(PdsaAct::Adopt), None];
        let starts = [week(4), week(CHANGE_AT - 2), week(POINTS - 3)];
        for (((title, plan_text), act), starts_on) in plan.cycles.iter().zip(acts).zip(starts) {
            let adopted = act == Some(PdsaAct::Adopt);
            let cycle = parsed(
                NewPdsaCycle {
                    title: text(title)?,
                    plan: text(plan_text)?,
                    prediction: text("Måttet förbättras inom fyra veckor")?,
                    starts_on,
                    ends_on: act.map(|_| starts_on + TimeDelta::weeks(2)),
                    change_point_on: adopted.then(|| week(CHANGE_AT)),
                }
                .into_record(Uuid::now_v7(), &project, clock.now),
            )?;
            let cycle = match act {
                None => cycle,
                Some(act) => parsed(cycle.apply(
                    PdsaChanges {
                        do_notes: Some(Some(text("Genomfört som planerat")?)),
                        study: Some(Some(text(if adopted {
                            "Förbättringen syns i måttet, som förutsagt"
                        } else {
                            "Delvis som förutsagt; rutinen behöver anpassas"
                        })?)),
                        act: Some(Some(act)),
                        ..PdsaChanges::default()
                    },
                    clock.today,
                ))?,
            };
            improvement::insert_cycle(conn, &cycle)?;
        }
        let measure = parsed(
            NewMeasure {
                name: text(plan.measure.0)?,
                operational_definition: text(plan.measure.1)?,
                measure_type: MeasureType::Outcome,
                unit_of_measure: text(plan.measure.2)?,
                value_kind: plan.kind,
                rate_multiplier: (plan.kind == ValueKind::Rate).then_some(1000.0),
                direction: plan.direction,
                target: Some(plan.target),
                indicator: None,
            }
            .into_record(Uuid::now_v7(), &project, clock.now),
        )?;
        measures::insert_measure(conn, &measure)?;
        let rows: Vec<PointRow> = (0..POINTS)
            .map(|n| {
                let (value, denominator) = plan.week(n);
                let input = match denominator {
                    None => PointInput {
                        period: Some(week(n)),
                        value: Some(value),
                        ..PointInput::default()
                    },
                    Some(denominator) => PointInput {
                        period: Some(week(n)),
                        numerator: Some(value),
                        denominator: Some(denominator),
                        ..PointInput::default()
                    },
                };
                PointRow {
                    prefix: format!("points[{n}]."),
                    period: input.period,
                    input: Ok(PointInput {
                        annotation: (n == CHANGE_AT).then(|| "Förändringen införd".to_owned()),
                        ..input
                    }),
                }
            })
            .collect();
        let observations = measure
            .observe_all(&rows, &[], clock.today)
            .map_err(|e| corrupt(format!("{e:?}")))?;
        let points: Vec<_> = observations
            .into_iter()
            .map(|o| DataPoint::add(Uuid::now_v7(), measure.id, o, DEMO_SUBJECT, clock.now))
            .collect();
        measures::insert_points(conn, &points)?;
        ids.push(project.id);
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_series_moves_across_its_median_at_the_change() {
        for plan in &PLANS {
            let value = |n: usize| {
                let (v, d) = plan.week(n);
                d.map_or(v, |d| v / d)
            };
            let before: Vec<f64> = (0..CHANGE_AT).map(value).collect();
            let after: Vec<f64> = (CHANGE_AT..POINTS).map(value).collect();
            let lowest_before = before.iter().copied().fold(f64::INFINITY, f64::min);
            let highest_before = before.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let separated = match plan.direction {
                Direction::Decrease => after.iter().all(|v| *v < lowest_before),
                Direction::Increase => after.iter().all(|v| *v > highest_before),
            };
            assert!(separated, "{}: {before:?} then {after:?}", plan.title);
        }
    }

    #[test]
    fn the_completion_rule_is_met_by_some_trainees_and_missed_by_others() {
        let attended = |n: usize| (0..8).filter(|s| attends(n, *s)).count();
        assert!((0..5).all(|n| attended(n) >= 7));
        assert!((5..8).all(|n| attended(n) == 4));
    }
}
