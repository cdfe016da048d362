//! A meeting's minutes (protokoll) and its decisions.
//!
//! The minutes are a draft, edited freely, until a staff member approves them (justering) at a
//! time, once. The approved text is kept as version 1; after that the text changes only by an
//! amendment, with its reason, kept as the next version: approved minutes are never edited
//! silently.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::participant::answering_identity;
use super::{Meeting, MeetingRuleError, MeetingStatus};
use crate::record::FreeText;
use crate::{HsaId, InvalidValue, StaffMember};

/// Who may write a meeting's records (agenda, minutes, decisions, action items, an ESTHER
/// café's story, lessons and proposals): a caller holding a role that organizes meetings
/// (`organizer_role`, [`super::MEETING_ORGANIZERS`]), or the meeting's organizer herself —
/// her token's HSA-id is her (active) staff record's — whatever her role. Anyone else: 403.
pub fn check_recorder(
    organizer_role: bool,
    caller_hsa_id: Option<&HsaId>,
    organizer: Option<&StaffMember>,
) -> Result<(), MeetingRuleError> {
    let herself = caller_hsa_id.is_some() && caller_hsa_id == answering_identity(organizer);
    if organizer_role || herself {
        return Ok(());
    }
    Err(MeetingRuleError::NotAllowed(
        "only an admin, coordinator or coach, or the meeting's organizer herself (by her token's HSA-id), writes the meeting's records".into(),
    ))
}

/// Longest minutes text (the request body limit of 64 KiB bounds it too).
pub const MAX_MINUTES_CHARS: usize = 60_000;

/// Minutes text: as a meeting's texts ([`super::parse_text`]), 1 to [`MAX_MINUTES_CHARS`]
/// characters.
pub fn parse_minutes_text(text: &str, today: chrono::NaiveDate) -> Result<FreeText, InvalidValue> {
    super::parse_text(text, MAX_MINUTES_CHARS, today)
}

/// Who approved the minutes, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    /// The approving staff member.
    pub staff_id: Uuid,
    pub approved_at: DateTime<Utc>,
    /// The user (token `sub`) who recorded the approval.
    pub recorded_by: String,
}

/// The minutes of one meeting, as they read now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Minutes {
    pub meeting_id: Uuid,
    pub text: FreeText,
    /// `None` while a draft.
    pub approval: Option<Approval>,
    /// The number of the version the text is (`0` for a draft, `1` once approved, then one
    /// more per amendment).
    pub revision: u32,
    /// The user (token `sub`) who started them.
    pub created_by: String,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

crate::string_enum! {
    /// What a kept version of the minutes is.
    pub enum MinutesVersionKind {
        /// The text as approved.
        Approved => "approved",
        /// A change after approval, with its reason.
        Amendment => "amendment",
    }
}

/// One kept version of approved minutes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinutesVersion {
    pub id: Uuid,
    pub meeting_id: Uuid,
    /// 1 for the approved text, then 2, 3, … per amendment.
    pub number: u32,
    pub kind: MinutesVersionKind,
    pub text: FreeText,
    /// Why it was amended (amendments only).
    pub reason: Option<FreeText>,
    /// The staff member who approved (version 1 only).
    pub approved_by: Option<Uuid>,
    /// The user (token `sub`) who recorded it.
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

impl Meeting {
    /// A cancelled meeting takes no more records (409): `refusal` says what it does not take.
    pub(super) fn check_takes_records(&self, refusal: &str) -> Result<(), MeetingRuleError> {
        if self.status == MeetingStatus::Cancelled {
            return Err(MeetingRuleError::State(format!(
                "the meeting is cancelled; {refusal}"
            )));
        }
        Ok(())
    }

    /// The meeting's first minutes, a draft. A cancelled meeting has none (409).
    pub fn start_minutes(
        &self,
        text: FreeText,
        created_by: &str,
        now: DateTime<Utc>,
    ) -> Result<Minutes, MeetingRuleError> {
        self.check_takes_records("it has no minutes")?;
        Ok(Minutes {
            meeting_id: self.id,
            text,
            approval: None,
            revision: 0,
            created_by: created_by.to_owned(),
            version: 1,
            created_at: now,
            updated_at: now,
        })
    }
}

impl Minutes {
    fn approved_elsewhere(approval: &Approval) -> String {
        format!(
            "the minutes were approved by staff member {} at {}",
            approval.staff_id,
            approval.approved_at.to_rfc3339()
        )
    }

    /// The draft with a new text. Approved minutes are not edited (409): a change is an
    /// amendment ([`Minutes::amend`]).
    pub fn edit(&self, text: FreeText) -> Result<Minutes, MeetingRuleError> {
        if let Some(approval) = &self.approval {
            return Err(MeetingRuleError::State(format!(
                "{}; approved minutes are not edited: an amendment is required (POST /api/v1/meetings/{}/minutes/amendments with the text and a reason)",
                Self::approved_elsewhere(approval),
                self.meeting_id
            )));
        }
        Ok(Minutes {
            text,
            ..self.clone()
        })
    }

    /// The minutes approved by staff member `staff_id` at `now`, and the approved text kept as
    /// version 1. Approval is given once (409 the second time), and only once the meeting is
    /// held (409 before).
    pub fn approve(
        &self,
        meeting: &Meeting,
        staff_id: Uuid,
        version_id: Uuid,
        recorded_by: &str,
        now: DateTime<Utc>,
    ) -> Result<(Minutes, MinutesVersion), MeetingRuleError> {
        if let Some(approval) = &self.approval {
            return Err(MeetingRuleError::State(format!(
                "{}; minutes are approved once",
                Self::approved_elsewhere(approval)
            )));
        }
        if meeting.status != MeetingStatus::Held {
            return Err(MeetingRuleError::State(format!(
                "the meeting is {}; minutes are approved once it is held",
                meeting.status
            )));
        }
        let approval = Approval {
            staff_id,
            approved_at: now,
            recorded_by: recorded_by.to_owned(),
        };
        let version = MinutesVersion {
            id: version_id,
            meeting_id: self.meeting_id,
            number: 1,
            kind: MinutesVersionKind::Approved,
            text: self.text.clone(),
            reason: None,
            approved_by: Some(staff_id),
            recorded_by: recorded_by.to_owned(),
            recorded_at: now,
        };
        Ok((
            Minutes {
                approval: Some(approval),
                revision: 1,
                ..self.clone()
            },
            version,
        ))
    }

    /// Approved minutes amended to `text` for `reason`, and the amendment kept as the next
    /// version. A draft is edited instead (409); an amendment that changes nothing is refused
    /// (422 naming `text`).
    pub fn amend(
        &self,
        text: FreeText,
        reason: FreeText,
        version_id: Uuid,
        recorded_by: &str,
        now: DateTime<Utc>,
    ) -> Result<(Minutes, MinutesVersion), MeetingRuleError> {
        if self.approval.is_none() {
            return Err(MeetingRuleError::State(format!(
                "the minutes are a draft, not approved; edit the draft with PATCH /api/v1/meetings/{}/minutes",
                self.meeting_id
            )));
        }
        if text == self.text {
            return Err(InvalidValue::for_field(
                "text",
                "the amendment does not change the approved text",
            )
            .into());
        }
        let number = self.revision + 1;
        let version = MinutesVersion {
            id: version_id,
            meeting_id: self.meeting_id,
            number,
            kind: MinutesVersionKind::Amendment,
            text: text.clone(),
            reason: Some(reason),
            approved_by: None,
            recorded_by: recorded_by.to_owned(),
            recorded_at: now,
        };
        Ok((
            Minutes {
                text,
                revision: number,
                ..self.clone()
            },
            version,
        ))
    }
}

/// A decision taken at a meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub id: Uuid,
    pub meeting_id: Uuid,
    pub text: FreeText,
    /// When it was taken.
    pub decided_at: DateTime<Utc>,
    /// The user (token `sub`) who recorded it.
    pub recorded_by: String,
    pub created_at: DateTime<Utc>,
}

impl Meeting {
    /// A decision taken at this meeting at `decided_at`: not at a cancelled meeting (409), not
    /// before the meeting started nor after `now` (422 naming `decided_at`).
    pub fn record_decision(
        &self,
        text: FreeText,
        decided_at: DateTime<Utc>,
        id: Uuid,
        recorded_by: &str,
        now: DateTime<Utc>,
    ) -> Result<Decision, MeetingRuleError> {
        self.check_takes_records("it takes no decisions")?;
        if decided_at < self.starts_at {
            return Err(InvalidValue::for_field(
                "decided_at",
                "must not be before the meeting starts",
            )
            .into());
        }
        if decided_at > now {
            return Err(InvalidValue::for_field("decided_at", "must not be in the future").into());
        }
        Ok(Decision {
            id,
            meeting_id: self.id,
            text,
            decided_at,
            recorded_by: recorded_by.to_owned(),
            created_at: now,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meeting::MeetingChanges;
    use crate::meeting::tests::{at, scheduled, text};

    fn held() -> Meeting {
        let changes = MeetingChanges {
            status: Some(MeetingStatus::Held),
            ..Default::default()
        };
        scheduled()
            .apply(changes, at(14))
            .unwrap_or_else(|_| unreachable!())
    }

    fn draft() -> Minutes {
        held()
            .start_minutes(text("1. Esther's story"), "coordinator", at(17))
            .unwrap_or_else(|_| unreachable!())
    }

    #[test]
    fn the_organizer_herself_or_an_organizing_role_writes_the_records() {
        let Ok(hsa_id) = HsaId::parse("SE2321000057-1003") else {
            unreachable!()
        };
        let Ok(other) = HsaId::parse("SE2321000057-1004") else {
            unreachable!()
        };
        let Ok(name) = crate::DisplayName::parse("Karin") else {
            unreachable!()
        };
        let organizer = StaffMember {
            id: Uuid::nil(),
            name,
            profession: crate::Profession::RegisteredNurse,
            care_unit_id: Uuid::nil(),
            hsa_id: hsa_id.clone(),
            active: true,
            version: 1,
            created_at: at(1),
            updated_at: at(1),
        };
        assert!(check_recorder(true, None, None).is_ok());
        assert!(check_recorder(false, Some(&hsa_id), Some(&organizer)).is_ok());
        for (caller, organizer) in [
            (None, Some(&organizer)),
            (Some(&other), Some(&organizer)),
            (Some(&hsa_id), None),
        ] {
            assert!(matches!(
                check_recorder(false, caller, organizer),
                Err(MeetingRuleError::NotAllowed(_))
            ));
        }
        let left = StaffMember {
            active: false,
            ..organizer.clone()
        };
        assert!(check_recorder(false, Some(&hsa_id), Some(&left)).is_err());
    }

    #[test]
    fn a_draft_is_edited_then_approved_once_and_only_when_held() {
        let edited = draft()
            .edit(text("1. Esther's story. 2. Lessons"))
            .unwrap_or_else(|_| unreachable!());
        assert!(matches!(
            edited.approve(&scheduled(), Uuid::nil(), Uuid::nil(), "c", at(18)),
            Err(MeetingRuleError::State(_))
        ));
        let (approved, version) = edited
            .approve(&held(), Uuid::nil(), Uuid::nil(), "c", at(18))
            .unwrap_or_else(|_| unreachable!());
        assert_eq!(approved.revision, 1);
        assert_eq!(version.number, 1);
        assert_eq!(version.text, edited.text);
        assert_eq!(version.approved_by, Some(Uuid::nil()));
        let twice = approved.approve(&held(), Uuid::nil(), Uuid::nil(), "c", at(19));
        assert!(
            matches!(twice, Err(MeetingRuleError::State(ref why)) if why.contains("approved once"))
        );
    }

    #[test]
    fn approved_minutes_change_only_by_amendments_kept_as_versions() {
        assert!(matches!(
            draft().amend(text("x"), text("why"), Uuid::nil(), "c", at(18)),
            Err(MeetingRuleError::State(_))
        ));
        let (approved, _) = draft()
            .approve(&held(), Uuid::nil(), Uuid::nil(), "c", at(18))
            .unwrap_or_else(|_| unreachable!());
        let silent = approved.edit(text("changed quietly"));
        assert!(
            matches!(silent, Err(MeetingRuleError::State(ref why)) if why.contains("amendment is required"))
        );
        assert!(matches!(
            approved.amend(
                approved.text.clone(),
                text("typo"),
                Uuid::nil(),
                "c",
                at(19)
            ),
            Err(MeetingRuleError::Invalid(InvalidValue {
                field: Some("text"),
                ..
            }))
        ));
        let (amended, second) = approved
            .amend(
                text("1. Esther's story (corrected)"),
                text("wrong name of the host"),
                Uuid::nil(),
                "c",
                at(19),
            )
            .unwrap_or_else(|_| unreachable!());
        assert_eq!((amended.revision, second.number), (2, 2));
        assert_eq!(second.kind, MinutesVersionKind::Amendment);
        let (_, third) = amended
            .amend(text("third"), text("again"), Uuid::nil(), "c", at(20))
            .unwrap_or_else(|_| unreachable!());
        assert_eq!(third.number, 3);
        assert!(amended.approval.is_some(), "the approval stays");
    }

    #[test]
    fn decisions_are_taken_at_the_meeting_not_before_nor_in_the_future() {
        let meeting = held();
        assert!(
            meeting
                .record_decision(text("Proceed"), at(14), Uuid::nil(), "c", at(17))
                .is_ok()
        );
        for (decided, field) in [(at(12), "decided_at"), (at(18), "decided_at")] {
            let refused =
                meeting.record_decision(text("Proceed"), decided, Uuid::nil(), "c", at(17));
            assert!(matches!(
                refused,
                Err(MeetingRuleError::Invalid(InvalidValue { field: Some(f), .. })) if f == field
            ));
        }
        let cancelled = scheduled()
            .cancel(text("Storm"))
            .unwrap_or_else(|_| unreachable!());
        assert!(matches!(
            cancelled.start_minutes(text("x"), "c", at(9)),
            Err(MeetingRuleError::State(_))
        ));
    }
}
