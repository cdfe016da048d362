//! ESTHER improvement coaches and their training: a county programme of about eight one-day
//! sessions over seven months, with a senior citizen on the faculty (seed texts). A cohort
//! states its completion rule; whether an enrolled staff member has completed is computed
//! here, with the reasons when not.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::ImprovementRuleError;
use crate::record::FreeText;
use crate::{InvalidValue, MunicipalityCode};

/// Most sessions in one cohort.
pub const MAX_SESSIONS: usize = 40;

/// When an enrolled staff member has completed a cohort's training.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompletionRule {
    /// Sessions she must have attended, at most the number of sessions.
    pub min_sessions_attended: u32,
    /// Whether she must also have presented an improvement project.
    pub project_presentation_required: bool,
}

/// One training day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingSession {
    pub id: Uuid,
    pub held_on: NaiveDate,
    pub topic: FreeText,
}

/// A training cohort with its sessions in date order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingCohort {
    pub id: Uuid,
    /// The programme it belongs to (`ESTHER-coachutbildning`).
    pub programme: FreeText,
    /// The cohort's name (`Höglandet hösten 2026`).
    pub name: FreeText,
    pub completion_rule: CompletionRule,
    pub sessions: Vec<TrainingSession>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What it takes to set up a cohort.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCohort {
    pub programme: FreeText,
    pub name: FreeText,
    pub completion_rule: CompletionRule,
    /// (date, topic) of each session.
    pub sessions: Vec<(NaiveDate, FreeText)>,
}

impl NewCohort {
    /// The cohort as first stored, sessions in date order with the ids `session_id` gives.
    /// At least one and at most [`MAX_SESSIONS`] sessions; the rule asks for no more sessions
    /// than there are (422).
    pub fn into_record(
        self,
        id: Uuid,
        mut session_id: impl FnMut() -> Uuid,
        now: DateTime<Utc>,
    ) -> Result<TrainingCohort, InvalidValue> {
        if self.sessions.is_empty() || self.sessions.len() > MAX_SESSIONS {
            return Err(InvalidValue::for_field(
                "sessions",
                format!("a cohort has 1 to {MAX_SESSIONS} sessions"),
            ));
        }
        let count = u32::try_from(self.sessions.len()).unwrap_or(u32::MAX);
        if self.completion_rule.min_sessions_attended > count {
            return Err(InvalidValue::for_field(
                "completion_rule.min_sessions_attended",
                format!("the cohort has only {count} sessions"),
            ));
        }
        let mut sessions: Vec<TrainingSession> = self
            .sessions
            .into_iter()
            .map(|(held_on, topic)| TrainingSession {
                id: session_id(),
                held_on,
                topic,
            })
            .collect();
        sessions.sort_by_key(|s| s.held_on);
        Ok(TrainingCohort {
            id,
            programme: self.programme,
            name: self.name,
            completion_rule: self.completion_rule,
            sessions,
            version: 1,
            created_at: now,
            updated_at: now,
        })
    }
}

/// A staff member enrolled in a cohort, with what she has done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolment {
    pub cohort_id: Uuid,
    pub staff_id: Uuid,
    /// Sessions she attended.
    pub attended_session_ids: Vec<Uuid>,
    /// The improvement project she presented, once she has.
    pub presented_project_id: Option<Uuid>,
    pub enrolled_at: DateTime<Utc>,
}

/// Whether an enrolment meets its cohort's rule, and why not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub completed: bool,
    pub sessions_attended: u32,
    pub sessions_required: u32,
    /// Each part of the rule not met, in words; empty when completed.
    pub missing: Vec<String>,
}

impl TrainingCohort {
    /// Whether `enrolment` meets the cohort's completion rule: attended at least
    /// `min_sessions_attended` of its sessions and, when required, presented a project.
    pub fn completion(&self, enrolment: &Enrolment) -> Completion {
        let rule = self.completion_rule;
        let attended = self
            .sessions
            .iter()
            .filter(|s| enrolment.attended_session_ids.contains(&s.id))
            .count();
        let attended = u32::try_from(attended).unwrap_or(u32::MAX);
        let mut missing = Vec::new();
        if attended < rule.min_sessions_attended {
            missing.push(format!(
                "attended {attended} of {} sessions; at least {} required",
                self.sessions.len(),
                rule.min_sessions_attended
            ));
        }
        if rule.project_presentation_required && enrolment.presented_project_id.is_none() {
            missing.push("has not presented an improvement project".to_owned());
        }
        Completion {
            completed: missing.is_empty(),
            sessions_attended: attended,
            sessions_required: rule.min_sessions_attended,
            missing,
        }
    }

    /// Attendance can be recorded for one of the cohort's sessions once it has been held
    /// (409 before its day; 404-worthy `Invalid` when the session is not the cohort's).
    pub fn check_attendance(
        &self,
        session_id: Uuid,
        today: NaiveDate,
    ) -> Result<(), ImprovementRuleError> {
        let Some(session) = self.sessions.iter().find(|s| s.id == session_id) else {
            return Err(
                InvalidValue::for_field("session_id", "is not a session of this cohort").into(),
            );
        };
        if session.held_on > today {
            return Err(ImprovementRuleError::State(format!(
                "the session is on {}; attendance is recorded once it has been held",
                session.held_on
            )));
        }
        Ok(())
    }
}

/// A staff member's coach profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoachProfile {
    pub staff_id: Uuid,
    /// The training cohort she came from.
    pub cohort_id: Option<Uuid>,
    /// When she was certified as an improvement coach; `None` while in training.
    pub certified_on: Option<NaiveDate>,
    /// Units she supports.
    pub care_unit_ids: Vec<Uuid>,
    /// Municipalities she supports.
    pub municipalities: Vec<MunicipalityCode>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A certification date is one that has come: on or before `today` (Europe/Stockholm). A
/// date to come would show her as certified now while the network's `coaches_certified`
/// indicator, counted at each period's end, leaves her out (trial, issue 13).
pub fn check_certified_on(date: NaiveDate, today: NaiveDate) -> Result<NaiveDate, InvalidValue> {
    if date > today {
        return Err(InvalidValue::for_field(
            "certified_on",
            format!("{date} has not come yet (today is {today}); record it once she is certified"),
        ));
    }
    Ok(date)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{day, text};
    use super::*;

    #[test]
    fn a_certification_is_dated_today_or_before() {
        let today = day("2026-12-01");
        assert_eq!(check_certified_on(today, today), Ok(today));
        let refused = check_certified_on(day("2030-01-01"), today);
        assert_eq!(refused.map_err(|e| e.field), Err(Some("certified_on")));
    }

    fn cohort(min: u32, presentation: bool) -> TrainingCohort {
        let sessions = (1..=8)
            .map(|month| {
                (
                    day(&format!("2026-{:02}-15", month + 2)),
                    text("Förbättringskunskap"),
                )
            })
            .collect();
        let mut next = 0u128;
        NewCohort {
            programme: text("ESTHER-coachutbildning"),
            name: text("Höglandet 2026"),
            completion_rule: CompletionRule {
                min_sessions_attended: min,
                project_presentation_required: presentation,
            },
            sessions,
        }
        .into_record(
            Uuid::nil(),
            || {
                next += 1;
                Uuid::from_u128(next)
            },
            DateTime::<Utc>::UNIX_EPOCH,
        )
        .unwrap_or_else(|_| unreachable!())
    }

    fn enrolment(cohort: &TrainingCohort, attended: usize, presented: bool) -> Enrolment {
        Enrolment {
            cohort_id: cohort.id,
            staff_id: Uuid::nil(),
            attended_session_ids: cohort
                .sessions
                .iter()
                .take(attended)
                .map(|s| s.id)
                .collect(),
            presented_project_id: presented.then(Uuid::nil),
            enrolled_at: DateTime::<Utc>::UNIX_EPOCH,
        }
    }

    #[test]
    fn six_of_eight_and_a_presented_project_completes() {
        let cohort = cohort(6, true);
        let done = cohort.completion(&enrolment(&cohort, 6, true));
        assert!(done.completed);
        assert!(done.missing.is_empty());
        let short = cohort.completion(&enrolment(&cohort, 5, true));
        assert!(!short.completed);
        assert_eq!(
            short.missing,
            ["attended 5 of 8 sessions; at least 6 required"]
        );
        let both = cohort.completion(&enrolment(&cohort, 8, false));
        assert_eq!(both.missing, ["has not presented an improvement project"]);
        let neither = cohort.completion(&enrolment(&cohort, 0, false));
        assert_eq!(neither.missing.len(), 2);
        let lenient = self::cohort(6, false);
        assert!(lenient.completion(&enrolment(&lenient, 7, false)).completed);
    }

    #[test]
    fn the_rule_asks_for_no_more_sessions_than_there_are() {
        let new = NewCohort {
            programme: text("p"),
            name: text("n"),
            completion_rule: CompletionRule {
                min_sessions_attended: 3,
                project_presentation_required: false,
            },
            sessions: vec![
                (day("2026-01-01"), text("t")),
                (day("2026-02-01"), text("t")),
            ],
        };
        let error = new.into_record(Uuid::nil(), Uuid::nil, DateTime::<Utc>::UNIX_EPOCH);
        assert_eq!(
            error.err().and_then(|e| e.field),
            Some("completion_rule.min_sessions_attended")
        );
    }

    #[test]
    fn attendance_only_for_the_cohorts_sessions_once_held() {
        let cohort = cohort(6, true);
        let first = cohort.sessions[0].id;
        assert!(cohort.check_attendance(first, day("2026-03-15")).is_ok());
        assert!(matches!(
            cohort.check_attendance(first, day("2026-03-14")),
            Err(ImprovementRuleError::State(_))
        ));
        assert!(matches!(
            cohort.check_attendance(Uuid::max(), day("2027-01-01")),
            Err(ImprovementRuleError::Invalid(_))
        ));
    }
}
