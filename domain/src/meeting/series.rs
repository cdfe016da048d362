//! Recurring meetings: a series is one RFC 5545 recurrence rule (`RRULE`, RFC 5545 §3.3.10 and
//! §3.8.5.3) from a wall-clock start in Europe/Stockholm, a duration and excluded starts
//! (`EXDATE`, §3.8.5.1). The rule is expanded by the `rrule` crate in the Stockholm zone, so a
//! 09:00 meeting stays 09:00 local across both daylight-saving changes (08:00Z in winter,
//! 07:00Z in summer).
//!
//! Every occurrence becomes a [`Meeting`] of its own (participants, attendance, cancelling
//! and moving work per occurrence), remembered with its RECURRENCE-ID: the instant the rule
//! gave it, which stays when the occurrence is moved (docs/decisions/0021).
//!
//! A rule is bounded: it needs `COUNT` or `UNTIL`, every occurrence lies within
//! [`SERIES_WINDOW_DAYS`] of the first, and there are at most [`MAX_OCCURRENCES`].

use chrono::{DateTime, NaiveDateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Europe::Stockholm;
use rrule::{Frequency, RRule, RRuleSet, Tz, Unvalidated};
use uuid::Uuid;

use super::{
    MAX_MEETING_HOURS, Meeting, MeetingKind, MeetingStatus, NewMeeting, VideoLink, check_times,
};
use crate::record::{FreeText, Recorder};
use crate::{InvalidValue, MunicipalityCode};

/// How far after its first start a series may run: two years (the committee plans a year or
/// two ahead; a longer rule is a typing error or needs a new series).
pub const SERIES_WINDOW_DAYS: i64 = 731;
/// Most occurrences of one series (a weekly meeting for two years is 105).
pub const MAX_OCCURRENCES: u16 = 200;
/// Longest occurrence, in minutes (a meeting lasts at most [`MAX_MEETING_HOURS`]).
pub const MAX_DURATION_MINUTES: i64 = MAX_MEETING_HOURS * 60;

/// When a series' meetings take place: the rule, its first wall-clock start in
/// Europe/Stockholm, how long each lasts and the starts excluded from the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    /// The RRULE value as given (no `RRULE:` prefix), checked by the `rrule` crate, e.g.
    /// `FREQ=WEEKLY;BYDAY=TU;COUNT=10`.
    rule: String,
    /// The first occurrence's wall-clock start in Europe/Stockholm (the rule's `DTSTART`).
    pub starts_local: NaiveDateTime,
    /// Length of every occurrence, in whole minutes.
    pub duration_minutes: i64,
    /// Wall-clock starts the rule gives that never take place (`EXDATE`), in order.
    pub exdates: Vec<NaiveDateTime>,
}

/// One occurrence as the rule gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    /// The start the rule gave it (UTC): its RFC 5545 `RECURRENCE-ID`.
    pub recurrence_id: DateTime<Utc>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// A wall-clock time in Europe/Stockholm as an instant: the earlier one when the clock is set
/// back (02:00–03:00 on the last Sunday of October happens twice); `None` for a time that does
/// not exist (02:00–03:00 on the last Sunday of March).
pub fn stockholm_instant(local: NaiveDateTime) -> Option<DateTime<Utc>> {
    Stockholm
        .from_local_datetime(&local)
        .earliest()
        .map(|at| at.with_timezone(&Utc))
}

/// An instant as the wall-clock time in Europe/Stockholm.
pub fn stockholm_local(at: DateTime<Utc>) -> NaiveDateTime {
    at.with_timezone(&Stockholm).naive_local()
}

impl Schedule {
    /// The schedule, or every field that breaks a rule (`rrule`, `starts_local`,
    /// `duration_minutes`, `exdates`): the rule must parse (RFC 5545 §3.3.10; an `RRULE:`
    /// prefix is accepted), repeat daily or less often, carry `COUNT` or `UNTIL` (UTC, with a
    /// `Z`, as §3.3.10 requires with a zoned start), stay within [`SERIES_WINDOW_DAYS`] and
    /// [`MAX_OCCURRENCES`]; the start must exist in Stockholm and be the rule's first
    /// occurrence; each excluded start must be one the rule gives, and they may not exclude
    /// them all (a series has at least one meeting). The rule is kept in its canonical form
    /// (see [`Schedule::rule`]).
    pub fn parse(
        rule: &str,
        starts_local: NaiveDateTime,
        duration_minutes: i64,
        exdates: Vec<NaiveDateTime>,
    ) -> Result<Schedule, Vec<InvalidValue>> {
        let mut errors = Vec::new();
        if !(1..=MAX_DURATION_MINUTES).contains(&duration_minutes) {
            errors.push(InvalidValue::for_field(
                "duration_minutes",
                format!("must be between 1 and {MAX_DURATION_MINUTES} minutes"),
            ));
        }
        let start = stockholm_instant(starts_local);
        if start.is_none() {
            errors.push(InvalidValue::for_field(
                "starts_local",
                "does not exist in Europe/Stockholm (the clock skips 02:00–03:00 on the last Sunday of March)",
            ));
        }
        let parsed = parse_rule(rule).map_err(|e| errors.push(e)).ok();
        let (Some(_), Some(_)) = (start, parsed) else {
            return Err(errors);
        };
        let mut schedule = Schedule {
            rule: String::new(),
            starts_local,
            duration_minutes,
            exdates,
        };
        schedule.exdates.sort();
        schedule.exdates.dedup();
        match schedule.expand_rule(rule) {
            Ok((rule, starts)) => {
                schedule.rule = rule;
                if starts.first() != Some(&starts_local) {
                    errors.push(InvalidValue::for_field(
                        "starts_local",
                        "must be the rule's first occurrence (e.g. a Tuesday for BYDAY=TU)",
                    ));
                }
                if let Some(stray) = schedule.exdates.iter().find(|d| !starts.contains(d)) {
                    errors.push(InvalidValue::for_field(
                        "exdates",
                        format!("{stray} is not a start the rule gives"),
                    ));
                } else if starts.iter().all(|s| schedule.exdates.contains(s)) {
                    errors.push(InvalidValue::for_field(
                        "exdates",
                        "excludes every start the rule gives; a series has at least one meeting",
                    ));
                }
            }
            Err(e) => errors.push(e),
        }
        if errors.is_empty() {
            Ok(schedule)
        } else {
            Err(errors)
        }
    }

    /// The schedule as stored, trusted to have been checked by [`Schedule::parse`] when it
    /// was written; a rule stored before rules were kept canonical is served canonical.
    pub fn from_stored(
        rule: String,
        starts_local: NaiveDateTime,
        duration_minutes: i64,
        exdates: Vec<NaiveDateTime>,
    ) -> Schedule {
        Schedule {
            rule: rule_text(&rule),
            starts_local,
            duration_minutes,
            exdates,
        }
    }

    /// The RRULE value in canonical form: no `RRULE:` prefix, the rule parts in the order
    /// given, names and values upper-case as RFC 5545 §3.3.10 writes them (both are
    /// case-insensitive, §2), e.g. `FREQ=WEEKLY;COUNT=10;BYDAY=TU` for `freq=weekly;count=10;byday=tu`.
    pub fn rule(&self) -> &str {
        &self.rule
    }

    /// The rule's canonical text and every wall-clock start it gives (before exclusions).
    fn expand_rule(&self, parsed_text: &str) -> Result<(String, Vec<NaiveDateTime>), InvalidValue> {
        let parsed = parse_rule(parsed_text)?;
        let invalid = |message: String| InvalidValue::for_field("rrule", message);
        let zone = Tz::Tz(Stockholm);
        let start = zone
            .from_local_datetime(&self.starts_local)
            .earliest()
            .ok_or_else(|| invalid("the start does not exist in Europe/Stockholm".into()))?;
        let validated = parsed
            .validate(start)
            .map_err(|e| invalid(format!("is not a valid RFC 5545 recurrence rule: {e}")))?;
        // The text as given, upper-cased: the crate writes a validated rule back with its
        // derived BYHOUR/BYMINUTE/BYSECOND and drops the ordinal of BYDAY=1TU.
        let rule = rule_text(parsed_text);
        let result = RRuleSet::new(start)
            .rrule(validated)
            .all(MAX_OCCURRENCES.saturating_add(1));
        if result.dates.len() > usize::from(MAX_OCCURRENCES) {
            return Err(invalid(format!(
                "gives more than {MAX_OCCURRENCES} occurrences"
            )));
        }
        let window_end = self.starts_local + TimeDelta::days(SERIES_WINDOW_DAYS);
        let starts: Vec<NaiveDateTime> = result.dates.iter().map(|d| d.naive_local()).collect();
        if starts.iter().any(|s| *s > window_end) {
            return Err(invalid(format!(
                "runs beyond {SERIES_WINDOW_DAYS} days after the first start; end it sooner with COUNT or UNTIL"
            )));
        }
        Ok((rule, starts))
    }

    /// Every occurrence the schedule gives, excluded starts left out, in start order.
    pub fn occurrences(&self) -> Result<Vec<Occurrence>, InvalidValue> {
        let (_, starts) = self.expand_rule(&self.rule)?;
        let duration = TimeDelta::minutes(self.duration_minutes);
        let occurrences: Vec<Occurrence> = starts
            .into_iter()
            .filter(|start| !self.exdates.contains(start))
            .filter_map(stockholm_instant)
            .map(|start| Occurrence {
                recurrence_id: start,
                starts_at: start,
                ends_at: start + duration,
            })
            .collect();
        // Every meeting's time is within the plausible years (`crate::plausible::YEARS`), as a
        // single meeting's is: a series starting late in 2199 may not run into 2200.
        if let Some(last) = occurrences.last()
            && crate::plausible::instant(last.ends_at).is_err()
        {
            return Err(InvalidValue::for_field(
                "rrule",
                "gives meetings after the year 2199; end the series earlier",
            ));
        }
        Ok(occurrences)
    }
}

/// An RRULE value in canonical form: upper-case (RFC 5545 names and rule values are
/// case-insensitive, §2 and §3.3.10), without its optional `RRULE:` prefix and surrounding
/// space.
fn rule_text(rule: &str) -> String {
    let text = rule.trim().to_ascii_uppercase();
    match text.strip_prefix("RRULE:") {
        Some(value) => value.to_owned(),
        None => text,
    }
}

/// Parses an RRULE value and checks the bounds that need no start: daily or less often, and
/// `COUNT` or `UNTIL`.
fn parse_rule(rule: &str) -> Result<RRule<Unvalidated>, InvalidValue> {
    let invalid = |message: String| InvalidValue::for_field("rrule", message);
    let text = rule_text(rule);
    if text.is_empty() || text.len() > 500 || text.contains(['\r', '\n']) {
        return Err(invalid(
            "must be one RFC 5545 RRULE value of at most 500 characters, e.g. FREQ=WEEKLY;COUNT=10;BYDAY=TU".into(),
        ));
    }
    let parsed: RRule<Unvalidated> = text
        .parse()
        .map_err(|e| invalid(format!("is not an RFC 5545 recurrence rule: {e}")))?;
    if matches!(
        parsed.get_freq(),
        Frequency::Hourly | Frequency::Minutely | Frequency::Secondly
    ) {
        return Err(invalid(
            "meetings repeat at most daily (FREQ=DAILY, WEEKLY, MONTHLY or YEARLY)".into(),
        ));
    }
    if parsed.get_count().is_none() && parsed.get_until().is_none() {
        return Err(invalid(
            "needs COUNT or UNTIL: the server expands a series only within a bounded window".into(),
        ));
    }
    if parsed
        .get_count()
        .is_some_and(|c| c > u32::from(MAX_OCCURRENCES))
    {
        return Err(invalid(format!("COUNT is at most {MAX_OCCURRENCES}")));
    }
    Ok(parsed)
}

/// A recurring meeting: what every occurrence shares, and when they take place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingSeries {
    pub id: Uuid,
    pub kind: MeetingKind,
    pub title: FreeText,
    pub description: Option<FreeText>,
    pub schedule: Schedule,
    pub place: Option<FreeText>,
    pub video_link: Option<VideoLink>,
    pub host_municipality: Option<MunicipalityCode>,
    pub host_organization_id: Option<Uuid>,
    pub organizer_id: Option<Uuid>,
    /// The user (token `sub`) who created it.
    pub created_by: String,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What it takes to create a series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSeries {
    pub kind: MeetingKind,
    pub title: FreeText,
    pub description: Option<FreeText>,
    pub schedule: Schedule,
    pub place: Option<FreeText>,
    pub video_link: Option<VideoLink>,
    pub host_municipality: Option<MunicipalityCode>,
    pub host_organization_id: Option<Uuid>,
    pub organizer_id: Option<Uuid>,
}

/// A meeting that is an occurrence of a series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OccurrenceMeeting {
    pub meeting: Meeting,
    pub series_id: Uuid,
    /// The start the rule gave it (UTC), kept when it is moved.
    pub recurrence_id: DateTime<Utc>,
}

impl NewSeries {
    /// The series as first stored (version 1) and one scheduled meeting per occurrence, each
    /// with an id from `next_id`.
    pub fn into_records(
        self,
        id: Uuid,
        mut next_id: impl FnMut() -> Uuid,
        created_by: &Recorder,
        now: DateTime<Utc>,
    ) -> Result<(MeetingSeries, Vec<OccurrenceMeeting>), InvalidValue> {
        let occurrences = self.schedule.occurrences()?;
        let mut meetings = Vec::with_capacity(occurrences.len());
        for occurrence in occurrences {
            check_times(occurrence.starts_at, occurrence.ends_at)?;
            let meeting = NewMeeting {
                kind: self.kind,
                title: self.title.clone(),
                description: self.description.clone(),
                starts_at: occurrence.starts_at,
                ends_at: occurrence.ends_at,
                place: self.place.clone(),
                video_link: self.video_link.clone(),
                host_municipality: self.host_municipality,
                host_organization_id: self.host_organization_id,
                organizer_id: self.organizer_id,
                // A series is the network's: its occurrences name nobody.
                person_id: None,
            }
            .into_record(next_id(), created_by, now)?;
            meetings.push(OccurrenceMeeting {
                meeting,
                series_id: id,
                recurrence_id: occurrence.recurrence_id,
            });
        }
        let series = MeetingSeries {
            id,
            kind: self.kind,
            title: self.title,
            description: self.description,
            schedule: self.schedule,
            place: self.place,
            video_link: self.video_link,
            host_municipality: self.host_municipality,
            host_organization_id: self.host_organization_id,
            organizer_id: self.organizer_id,
            created_by: created_by.subject.clone(),
            version: 1,
            created_at: now,
            updated_at: now,
        };
        Ok((series, meetings))
    }
}

impl OccurrenceMeeting {
    /// Whether the occurrence is where and when the rule put it and has not been changed.
    pub fn is_as_ruled(&self) -> bool {
        self.meeting.starts_at == self.recurrence_id
            && self.meeting.status == MeetingStatus::Scheduled
            && self.meeting.version == 1
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, Timelike};

    use super::*;

    fn local(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(h, 0, 0))
            .unwrap_or_default()
    }

    fn fields(result: Result<Schedule, Vec<InvalidValue>>) -> Vec<&'static str> {
        result
            .err()
            .unwrap_or_default()
            .into_iter()
            .filter_map(|e| e.field)
            .collect()
    }

    #[test]
    fn a_series_does_not_run_past_the_plausible_years() {
        let schedule = Schedule::parse(
            "FREQ=DAILY;COUNT=3",
            NaiveDateTime::parse_from_str("2199-12-31T09:00:00", "%Y-%m-%dT%H:%M:%S")
                .unwrap_or_default(),
            60,
            Vec::new(),
        );
        let refused = schedule
            .map_err(|errors| errors.first().and_then(|e| e.field))
            .and_then(|s| s.occurrences().map_err(|e| e.field));
        assert_eq!(refused.err(), Some(Some("rrule")));
    }

    #[test]
    fn nine_local_stays_nine_across_both_daylight_saving_changes() {
        // Tuesdays 2027-03-02 … 2027-11-30: summer time from 28 March to 31 October 2027.
        let schedule = Schedule::parse(
            "FREQ=WEEKLY;BYDAY=TU;COUNT=40",
            local(2027, 3, 2, 9),
            90,
            vec![],
        )
        .unwrap_or_else(|e| unreachable!("{e:?}"));
        let occurrences = schedule.occurrences().unwrap_or_default();
        assert_eq!(occurrences.len(), 40);
        for o in &occurrences {
            assert_eq!(stockholm_local(o.starts_at).hour(), 9, "{o:?}");
            assert_eq!(o.ends_at - o.starts_at, TimeDelta::minutes(90));
        }
        let utc_hour = |i: usize| occurrences[i].starts_at.hour();
        assert_eq!(utc_hour(0), 8, "2 March: winter, +01:00");
        assert_eq!(utc_hour(4), 7, "30 March: summer, +02:00");
        assert_eq!(utc_hour(35), 8, "2 November: winter again");
    }

    #[test]
    fn excluded_starts_are_left_out_and_must_be_the_rules() {
        let schedule = Schedule::parse(
            "RRULE:FREQ=MONTHLY;BYDAY=1TU;COUNT=6",
            local(2027, 1, 5, 13),
            120,
            vec![local(2027, 4, 6, 13)],
        )
        .unwrap_or_else(|e| unreachable!("{e:?}"));
        assert_eq!(schedule.rule(), "FREQ=MONTHLY;BYDAY=1TU;COUNT=6");
        assert_eq!(schedule.occurrences().map(|o| o.len()), Ok(5));
        let stray = Schedule::parse(
            "FREQ=MONTHLY;BYDAY=1TU;COUNT=6",
            local(2027, 1, 5, 13),
            120,
            vec![local(2027, 4, 7, 13)],
        );
        assert_eq!(fields(stray), vec!["exdates"]);
    }

    #[test]
    fn a_rule_is_kept_canonical_whatever_its_case() {
        let schedule = Schedule::parse(
            "  rrule:freq=monthly;byday=1tu;count=3 ",
            local(2027, 1, 5, 13),
            60,
            vec![],
        )
        .unwrap_or_else(|e| unreachable!("{e:?}"));
        assert_eq!(schedule.rule(), "FREQ=MONTHLY;BYDAY=1TU;COUNT=3");
        assert_eq!(schedule.occurrences().map(|o| o.len()), Ok(3));
        let stored = Schedule::from_stored(
            "freq=weekly;count=2".into(),
            local(2027, 1, 5, 13),
            60,
            vec![],
        );
        assert_eq!(stored.rule(), "FREQ=WEEKLY;COUNT=2");
    }

    #[test]
    fn a_series_whose_exclusions_take_every_start_is_refused() {
        let start = local(2027, 1, 5, 9);
        assert_eq!(
            fields(Schedule::parse(
                "FREQ=DAILY;COUNT=1",
                start,
                60,
                vec![start]
            )),
            vec!["exdates"]
        );
        let next = start + TimeDelta::days(1);
        assert_eq!(
            fields(Schedule::parse(
                "FREQ=DAILY;COUNT=2",
                start,
                60,
                vec![next, start]
            )),
            vec!["exdates"]
        );
        assert!(Schedule::parse("FREQ=DAILY;COUNT=2", start, 60, vec![next]).is_ok());
    }

    #[test]
    fn an_unbounded_or_absurd_rule_is_refused_naming_the_field() {
        for rule in [
            "FREQ=WEEKLY",
            "FREQ=DAILY;UNTIL=20400101T000000Z",
            "FREQ=DAILY;COUNT=100000",
            "FREQ=HOURLY;COUNT=3",
            "FREQ=SOMETIMES;COUNT=3",
            "",
        ] {
            let result = Schedule::parse(rule, local(2027, 1, 5, 9), 60, vec![]);
            assert_eq!(fields(result), vec!["rrule"], "{rule}");
        }
        assert_eq!(
            fields(Schedule::parse(
                "FREQ=WEEKLY;COUNT=2",
                local(2027, 3, 28, 2),
                0,
                vec![]
            )),
            vec!["duration_minutes", "starts_local"],
            "02:00 on 28 March 2027 does not exist in Stockholm"
        );
        assert_eq!(
            fields(Schedule::parse(
                "FREQ=WEEKLY;BYDAY=TU;COUNT=2",
                local(2027, 1, 6, 9),
                60,
                vec![]
            )),
            vec!["starts_local"],
            "a Wednesday start for a Tuesday rule"
        );
    }

    #[test]
    fn a_series_becomes_one_scheduled_meeting_per_occurrence() {
        let schedule = Schedule::parse("FREQ=WEEKLY;COUNT=3", local(2027, 1, 5, 9), 60, vec![])
            .unwrap_or_else(|e| unreachable!("{e:?}"));
        let new = NewSeries {
            kind: MeetingKind::MunicipalNetwork,
            title: FreeText::parse("Nätverket i Eksjö").unwrap_or_else(|_| unreachable!()),
            description: None,
            schedule,
            place: None,
            video_link: None,
            host_municipality: MunicipalityCode::parse("0686").ok(),
            host_organization_id: None,
            organizer_id: None,
        };
        let mut n = 0u128;
        let (series, meetings) = new
            .into_records(
                Uuid::nil(),
                || {
                    n += 1;
                    Uuid::from_u128(n)
                },
                &crate::meeting::tests::coordinator(),
                DateTime::<Utc>::UNIX_EPOCH,
            )
            .unwrap_or_else(|e| unreachable!("{e:?}"));
        assert_eq!(series.version, 1);
        assert_eq!(meetings.len(), 3);
        assert!(meetings.iter().all(OccurrenceMeeting::is_as_ruled));
        assert_eq!(meetings[2].meeting.id, Uuid::from_u128(3));
    }

    proptest::proptest! {
        /// Whatever rule text and start come in, the answer is a bounded schedule or field
        /// errors, never a panic or an unbounded expansion.
        #[test]
        fn any_rule_is_bounded_or_refused(
            rule in "FREQ=(DAILY|WEEKLY|MONTHLY|YEARLY)(;COUNT=[0-9]{1,4}|;UNTIL=20[2-5][0-9][01][0-9][0-3][0-9]T[0-2][0-9]0000Z)?(;INTERVAL=[0-9]{1,3})?(;BY(DAY|MONTHDAY|MONTH|SETPOS|WEEKNO|YEARDAY|HOUR)=-?[0-9A-Z,]{1,8})?|\\PC{0,60}",
            days in 0i64..2000,
            hour in 0i64..24,
        ) {
            let start = local(2026, 1, 1, 0) + TimeDelta::days(days) + TimeDelta::hours(hour);
            if let Ok(schedule) = Schedule::parse(&rule, start, 60, vec![]) {
                let occurrences = schedule.occurrences().unwrap_or_default();
                proptest::prop_assert!(occurrences.len() <= usize::from(MAX_OCCURRENCES));
                let window_end = start + TimeDelta::days(SERIES_WINDOW_DAYS);
                let within = occurrences
                    .iter()
                    .all(|o| stockholm_local(o.starts_at) <= window_end);
                proptest::prop_assert!(within);
            }
        }
    }
}
