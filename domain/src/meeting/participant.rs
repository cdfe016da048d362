//! Who takes part in a network meeting: staff members, whole care units and organizations,
//! and patient or relative representatives (a name and a role, no personnummer). Each is
//! invited, answers (`accepted`, `declined`, `tentative`) and, once the meeting is held, is
//! recorded as `attended` or `absent`.
//!
//! Whether Esther, or someone speaking for her, took part is what the network measures:
//! [`esther_present`]. At a case conference about a registered person, Esther herself is
//! invited as a participant of kind `person` ([`super::conference`]); she answers her own
//! invitation with her own token.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Meeting, MeetingRuleError, MeetingStatus};
use crate::record::FreeText;
use crate::{HsaId, InvalidValue};

/// Longest representative's name.
pub const MAX_REPRESENTATIVE_NAME_CHARS: usize = 200;

crate::string_enum! {
    /// Who a representative speaks for.
    pub enum RepresentativeRole {
        /// Speaks for patients (e.g. from a patient organization).
        PatientRepresentative => "patient_representative",
        /// Speaks for relatives (närstående).
        RelativeRepresentative => "relative_representative",
    }
}

crate::string_enum! {
    /// What kind of participant an invitation names.
    pub enum ParticipantKind {
        Staff => "staff",
        CareUnit => "care_unit",
        Organization => "organization",
        Representative => "representative",
        /// The registered person a case conference is about.
        Person => "person",
    }
}

crate::string_enum! {
    /// A participant's answer to the invitation; `invited` until she answers.
    pub enum ResponseStatus {
        Invited => "invited",
        Accepted => "accepted",
        Declined => "declined",
        Tentative => "tentative",
    }
}

crate::string_enum! {
    /// Whether a participant took part in a held meeting.
    pub enum Attendance {
        Attended => "attended",
        Absent => "absent",
    }
}

impl RepresentativeRole {
    /// What a representative who did not consent to be named is shown as.
    pub fn anonymous_name(self) -> &'static str {
        match self {
            RepresentativeRole::PatientRepresentative => "patient representative",
            RepresentativeRole::RelativeRepresentative => "relative representative",
        }
    }
}

/// A patient or relative representative at a network meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Representative {
    /// Her name, kept only while she agrees to be named: `None` when she did not (the name
    /// given at the invitation is not stored) or has withdrawn that consent (it is erased).
    /// Consent is the only basis for keeping a private person's name here (GDPR art. 6.1 a;
    /// art. 7.3: she may withdraw it at any time).
    pub name: Option<FreeText>,
    pub role: RepresentativeRole,
}

impl Representative {
    /// A representative as invited: named when she agreed to be, otherwise by her role only.
    pub fn invited(name: FreeText, role: RepresentativeRole, consent_to_be_named: bool) -> Self {
        Self {
            name: consent_to_be_named.then_some(name),
            role,
        }
    }

    /// Whether she agrees to be named (her name is kept only then).
    pub fn consents_to_be_named(&self) -> bool {
        self.name.is_some()
    }

    /// The name as everyone is shown it: hers with consent, otherwise her role.
    pub fn shown_name(&self) -> &str {
        self.name
            .as_ref()
            .map_or(self.role.anonymous_name(), FreeText::as_str)
    }
}

/// A representative's name: as a meeting's texts ([`super::parse_text`]: never a
/// personnummer), 1 to 200 characters.
pub fn parse_representative_name(
    text: &str,
    today: chrono::NaiveDate,
) -> Result<FreeText, InvalidValue> {
    super::parse_text(text, MAX_REPRESENTATIVE_NAME_CHARS, today)
}

/// The name to keep for a representative being invited: hers when she consents to be named
/// (then it is required); `None` without consent, so a client need not send it (GDPR art. 5.1
/// c, data minimisation; art. 6.1 a, consent). A name that is sent is checked as
/// [`parse_representative_name`] either way, since the contract (the spec's schema: 1–200
/// characters of free text) holds for every value sent: one that breaks it is refused, not
/// silently dropped, and one without consent is then dropped, never stored.
pub fn invited_representative_name(
    name: Option<&str>,
    consent_to_be_named: bool,
    today: chrono::NaiveDate,
) -> Result<Option<FreeText>, InvalidValue> {
    let checked = name
        .map(|name| parse_representative_name(name, today))
        .transpose()?;
    match (checked, consent_to_be_named) {
        (Some(name), true) => Ok(Some(name)),
        (None, true) => Err(InvalidValue::new(
            "her name is required when she consents to be named",
        )),
        (_, false) => Ok(None),
    }
}

/// Who is invited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invitee {
    Staff(Uuid),
    CareUnit(Uuid),
    Organization(Uuid),
    Representative(Representative),
    /// Esther herself: the registered person the case conference is about.
    Person(Uuid),
}

impl Invitee {
    pub fn kind(&self) -> ParticipantKind {
        match self {
            Invitee::Staff(_) => ParticipantKind::Staff,
            Invitee::CareUnit(_) => ParticipantKind::CareUnit,
            Invitee::Organization(_) => ParticipantKind::Organization,
            Invitee::Representative(_) => ParticipantKind::Representative,
            Invitee::Person(_) => ParticipantKind::Person,
        }
    }

    /// Whether this invitee is Esther or speaks for her: a patient or relative representative,
    /// or the person a case conference is about.
    pub fn speaks_for_esther(&self) -> bool {
        matches!(self, Invitee::Representative(_) | Invitee::Person(_))
    }

    /// The record invited (a staff member, unit or organization of the directory, or the
    /// registered person); representatives have none.
    pub fn directory_id(&self) -> Option<Uuid> {
        match self {
            Invitee::Staff(id)
            | Invitee::CareUnit(id)
            | Invitee::Organization(id)
            | Invitee::Person(id) => Some(*id),
            Invitee::Representative(_) => None,
        }
    }

    /// The request field naming this invitee, for error messages.
    pub fn field(&self) -> &'static str {
        match self {
            Invitee::Staff(_) => "staff_id",
            Invitee::CareUnit(_) => "care_unit_id",
            Invitee::Organization(_) => "organization_id",
            Invitee::Representative(_) => "representative",
            Invitee::Person(_) => "person_id",
        }
    }
}

/// One participant of one meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    pub id: Uuid,
    pub meeting_id: Uuid,
    pub invitee: Invitee,
    pub response: ResponseStatus,
    /// Set once the meeting is held.
    pub attendance: Option<Attendance>,
    /// The user (token `sub`) who invited her.
    pub invited_by: String,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Who is answering an invitation, as her token shows her.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answerer<'a> {
    /// Holds a role that organizes meetings ([`super::MEETING_ORGANIZERS`]): may record
    /// anyone's answer.
    pub organizer: bool,
    /// Her HSA-id (the token's HSA-id claim), if any.
    pub hsa_id: Option<&'a HsaId>,
    /// The registered person whose own token this is (role `person`), if it is one.
    pub person: Option<Uuid>,
}

/// Whether Esther, or someone speaking for her, took part in a meeting: `None` until it is
/// held; then whether any participant who speaks for her ([`Invitee::speaks_for_esther`]) is
/// recorded as attended. Attendance not (yet) recorded counts as not attended.
pub fn esther_present(status: MeetingStatus, participants: &[Participant]) -> Option<bool> {
    (status == MeetingStatus::Held).then(|| {
        participants
            .iter()
            .any(|p| p.invitee.speaks_for_esther() && p.attendance == Some(Attendance::Attended))
    })
}

/// The HSA-id by which an invited staff member answers for herself: her staff record's, only
/// while the record is active — someone who has left the unit no longer answers for it.
pub fn answering_identity(invited: Option<&crate::StaffMember>) -> Option<&HsaId> {
    invited
        .filter(|member| member.active)
        .map(|member| &member.hsa_id)
}

impl Meeting {
    /// A new invitation to this meeting. A cancelled meeting takes none (409); the same staff
    /// member, unit, organization or person is invited once (409); a person only to a case
    /// conference about her (422, [`Meeting::check_invitee`]). Representatives are told apart by
    /// nobody's directory record, so each invitation is a participant of its own.
    pub fn invite(
        &self,
        invitee: Invitee,
        invited: &[Participant],
        id: Uuid,
        invited_by: &str,
        now: DateTime<Utc>,
    ) -> Result<Participant, MeetingRuleError> {
        if self.status == MeetingStatus::Cancelled {
            return Err(MeetingRuleError::State(
                "the meeting is cancelled; it takes no new participants".into(),
            ));
        }
        self.check_invitee(&invitee)?;
        if let Some(record) = invitee.directory_id()
            && invited.iter().any(|p| {
                p.invitee.kind() == invitee.kind() && p.invitee.directory_id() == Some(record)
            })
        {
            return Err(MeetingRuleError::State(format!(
                "`{}` {record} is already invited to this meeting",
                invitee.field()
            )));
        }
        Ok(Participant {
            id,
            meeting_id: self.id,
            invitee,
            response: ResponseStatus::Invited,
            attendance: None,
            invited_by: invited_by.to_owned(),
            version: 1,
            created_at: now,
            updated_at: now,
        })
    }

    /// The participant with her answer recorded. Organizers record anyone's answer; a staff
    /// member answers her own invitation when her token's HSA-id is the invited staff
    /// member's (`invited_hsa_id`); the person a case conference is about answers her own
    /// with her own token; anyone else is refused (403). Answers are taken while the
    /// meeting is scheduled (409 once held or cancelled); `invited` is no answer (422).
    pub fn answer(
        &self,
        participant: &Participant,
        response: ResponseStatus,
        answerer: Answerer<'_>,
        invited_hsa_id: Option<&HsaId>,
    ) -> Result<Participant, MeetingRuleError> {
        let herself = matches!(
            (answerer.hsa_id, invited_hsa_id, &participant.invitee),
            (Some(caller), Some(invited), Invitee::Staff(_)) if caller == invited
        ) || matches!(
            (answerer.person, &participant.invitee),
            (Some(caller), Invitee::Person(invited)) if caller == *invited
        );
        if !answerer.organizer && !herself {
            return Err(MeetingRuleError::NotAllowed(
                "only the invited staff member herself (by her token's HSA-id), the invited person herself (her own token) or an organizer (admin, coordinator, coach) may answer this invitation".into(),
            ));
        }
        if response == ResponseStatus::Invited {
            return Err(InvalidValue::for_field(
                "response",
                "must be accepted, declined or tentative",
            )
            .into());
        }
        if self.status != MeetingStatus::Scheduled {
            return Err(MeetingRuleError::State(format!(
                "the meeting is {}; invitations are answered while it is scheduled",
                self.status
            )));
        }
        Ok(Participant {
            response,
            ..participant.clone()
        })
    }

    /// The participant after a representative withdrew her consent to be named: her name
    /// erased, shown by her role from now on (GDPR art. 7.3: as easy to withdraw as to give;
    /// any meeting status, cancelled and held ones too). `None` when she had not consented,
    /// or already withdrew: nothing changes. Only a representative has such a consent (409
    /// for any other participant). Texts the meeting's minutes or story hold are not changed
    /// here: they are amended as any other correction.
    pub fn withdraw_name_consent(
        &self,
        participant: &Participant,
    ) -> Result<Option<Participant>, MeetingRuleError> {
        let Invitee::Representative(representative) = &participant.invitee else {
            return Err(MeetingRuleError::State(format!(
                "participant {} is not a patient or relative representative (kind {}); only a representative consents to be named",
                participant.id,
                participant.invitee.kind()
            )));
        };
        if !representative.consents_to_be_named() {
            return Ok(None);
        }
        Ok(Some(Participant {
            invitee: Invitee::Representative(Representative {
                name: None,
                role: representative.role,
            }),
            ..participant.clone()
        }))
    }

    /// The participant's attendance recorded, and the meeting with [`esther_present`]
    /// recomputed over all its `participants` (which include `participant`). Only a held
    /// meeting has attendance (409).
    pub fn record_attendance(
        &self,
        participants: &[Participant],
        participant: &Participant,
        attendance: Attendance,
    ) -> Result<(Participant, Meeting), MeetingRuleError> {
        if self.status != MeetingStatus::Held {
            return Err(MeetingRuleError::State(format!(
                "the meeting is {}; attendance is recorded once it is held",
                self.status
            )));
        }
        let changed = Participant {
            attendance: Some(attendance),
            ..participant.clone()
        };
        let after: Vec<Participant> = participants
            .iter()
            .map(|p| {
                if p.id == changed.id {
                    changed.clone()
                } else {
                    p.clone()
                }
            })
            .collect();
        let meeting = Meeting {
            esther_present: esther_present(self.status, &after),
            ..self.clone()
        };
        Ok((changed, meeting))
    }
}

#[cfg(test)]
mod identity_tests {
    use super::*;

    #[test]
    fn a_deactivated_staff_member_answers_for_nobody() {
        let Ok(hsa_id) = HsaId::parse("SE2321000057-1003") else {
            unreachable!()
        };
        let Ok(name) = crate::DisplayName::parse("Karin") else {
            unreachable!()
        };
        let member = crate::StaffMember {
            id: Uuid::nil(),
            name,
            profession: crate::Profession::RegisteredNurse,
            care_unit_id: Uuid::nil(),
            hsa_id: hsa_id.clone(),
            active: true,
            version: 1,
            created_at: DateTime::<Utc>::MIN_UTC,
            updated_at: DateTime::<Utc>::MIN_UTC,
        };
        assert_eq!(answering_identity(Some(&member)), Some(&hsa_id));
        let left = crate::StaffMember {
            active: false,
            ..member
        };
        assert_eq!(answering_identity(Some(&left)), None);
        assert_eq!(answering_identity(None), None);
    }
}

#[cfg(test)]
mod tests {
    use super::super::MeetingChanges;
    use super::super::tests::{at, scheduled as cafe, text};
    use super::*;

    fn hsa(t: &str) -> HsaId {
        HsaId::parse(t).unwrap_or_else(|_| unreachable!())
    }

    fn held(meeting: &Meeting) -> Meeting {
        let changes = MeetingChanges {
            status: Some(MeetingStatus::Held),
            ..Default::default()
        };
        meeting
            .apply(changes, at(17))
            .unwrap_or_else(|_| unreachable!())
    }

    fn representative(consent: bool) -> Invitee {
        Invitee::Representative(Representative::invited(
            text("Anna Andersson"),
            RepresentativeRole::RelativeRepresentative,
            consent,
        ))
    }

    fn invite(meeting: &Meeting, invitee: Invitee, invited: &[Participant]) -> Participant {
        meeting
            .invite(invitee, invited, Uuid::now_v7(), "coordinator", at(9))
            .unwrap_or_else(|e| panic!("{e}"))
    }

    const ORGANIZER: Answerer<'static> = Answerer {
        organizer: true,
        hsa_id: None,
        person: None,
    };

    #[test]
    fn the_same_directory_record_is_invited_once_representatives_each_time() {
        let meeting = cafe();
        let unit = Uuid::now_v7();
        let first = invite(&meeting, Invitee::CareUnit(unit), &[]);
        assert_eq!(first.response, ResponseStatus::Invited);
        let again = meeting.invite(
            Invitee::CareUnit(unit),
            std::slice::from_ref(&first),
            Uuid::now_v7(),
            "c",
            at(9),
        );
        assert!(matches!(again, Err(MeetingRuleError::State(ref m)) if m.contains("care_unit_id")));
        // The same id as another kind is another invitee.
        let as_organization = invite(
            &meeting,
            Invitee::Organization(unit),
            std::slice::from_ref(&first),
        );
        let invited = [first, as_organization];
        invite(&meeting, representative(true), &invited);
        let rep = invite(&meeting, representative(true), &invited);
        assert!(rep.invitee.speaks_for_esther());
    }

    #[test]
    fn a_cancelled_meeting_takes_no_new_participants() {
        let cancelled = cafe()
            .cancel(text("Storm"))
            .unwrap_or_else(|_| unreachable!());
        let refused = cancelled.invite(
            Invitee::Staff(Uuid::now_v7()),
            &[],
            Uuid::now_v7(),
            "c",
            at(9),
        );
        assert!(matches!(refused, Err(MeetingRuleError::State(_))));
        assert!(
            invite(&held(&cafe()), representative(false), &[])
                .attendance
                .is_none()
        );
    }

    #[test]
    fn a_representative_withdraws_her_consent_to_be_named_at_any_time() {
        let named = invite(&cafe(), representative(true), &[]);
        for meeting in [cafe(), held(&cafe())] {
            let Ok(Some(withdrawn)) = meeting.withdraw_name_consent(&named) else {
                panic!("a named representative withdraws")
            };
            let Invitee::Representative(r) = &withdrawn.invitee else {
                unreachable!()
            };
            assert_eq!(r.name, None, "her name is erased");
            assert_eq!(r.shown_name(), "relative representative");
            assert_eq!((withdrawn.id, withdrawn.version), (named.id, named.version));
            assert!(matches!(
                meeting.withdraw_name_consent(&withdrawn),
                Ok(None)
            ));
        }
        let unnamed = invite(&cafe(), representative(false), &[]);
        assert!(matches!(cafe().withdraw_name_consent(&unnamed), Ok(None)));
        let unit = invite(&cafe(), Invitee::CareUnit(Uuid::now_v7()), &[]);
        assert!(matches!(
            cafe().withdraw_name_consent(&unit),
            Err(MeetingRuleError::State(_))
        ));
    }

    #[test]
    fn a_representative_without_consent_is_shown_by_her_role() {
        let Invitee::Representative(named) = representative(true) else {
            unreachable!()
        };
        assert_eq!(named.shown_name(), "Anna Andersson");
        let Invitee::Representative(withheld) = representative(false) else {
            unreachable!()
        };
        assert_eq!(withheld.name, None, "her name is not kept without consent");
        assert_eq!(withheld.shown_name(), "relative representative");
        let patient = Representative {
            role: RepresentativeRole::PatientRepresentative,
            ..withheld
        };
        assert_eq!(patient.shown_name(), "patient representative");
    }

    #[test]
    fn organizers_answer_for_anyone_staff_only_for_themselves() {
        let meeting = cafe();
        let staff = invite(&meeting, Invitee::Staff(Uuid::now_v7()), &[]);
        let mine = hsa("SE2321000057-1003");
        let other = hsa("SE2321000057-1004");
        let answered = meeting
            .answer(&staff, ResponseStatus::Accepted, ORGANIZER, Some(&mine))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(answered.response, ResponseStatus::Accepted);
        let herself = Answerer {
            organizer: false,
            hsa_id: Some(&mine),
            person: None,
        };
        assert!(
            meeting
                .answer(&staff, ResponseStatus::Tentative, herself, Some(&mine))
                .is_ok()
        );
        let someone_else = Answerer {
            organizer: false,
            hsa_id: Some(&other),
            person: None,
        };
        let no_hsa = Answerer {
            organizer: false,
            hsa_id: None,
            person: None,
        };
        for answerer in [someone_else, no_hsa] {
            assert!(matches!(
                meeting.answer(&staff, ResponseStatus::Declined, answerer, Some(&mine)),
                Err(MeetingRuleError::NotAllowed(_))
            ));
        }
        // A unit's invitation is answered by an organizer only, whatever the HSA-id.
        let unit = invite(&meeting, Invitee::CareUnit(Uuid::now_v7()), &[]);
        assert!(matches!(
            meeting.answer(&unit, ResponseStatus::Accepted, herself, Some(&mine)),
            Err(MeetingRuleError::NotAllowed(_))
        ));
    }

    #[test]
    fn answers_are_real_answers_while_the_meeting_is_scheduled() {
        let meeting = cafe();
        let staff = invite(&meeting, Invitee::Staff(Uuid::now_v7()), &[]);
        assert!(matches!(
            meeting.answer(&staff, ResponseStatus::Invited, ORGANIZER, None),
            Err(MeetingRuleError::Invalid(InvalidValue {
                field: Some("response"),
                ..
            }))
        ));
        for closed in [
            held(&meeting),
            meeting
                .cancel(text("Storm"))
                .unwrap_or_else(|_| unreachable!()),
        ] {
            assert!(matches!(
                closed.answer(&staff, ResponseStatus::Accepted, ORGANIZER, None),
                Err(MeetingRuleError::State(_))
            ));
        }
    }

    #[test]
    fn attendance_only_once_held_and_it_decides_whether_esther_was_there() {
        let meeting = cafe();
        let unit = invite(&meeting, Invitee::CareUnit(Uuid::now_v7()), &[]);
        let rep = invite(&meeting, representative(false), &[]);
        let all = [unit.clone(), rep.clone()];
        assert!(matches!(
            meeting.record_attendance(&all, &rep, Attendance::Attended),
            Err(MeetingRuleError::State(_))
        ));
        assert_eq!(esther_present(meeting.status, &all), None, "not held yet");
        let held = held(&meeting);
        assert_eq!(held.esther_present, Some(false));
        let (unit_there, after) = held
            .record_attendance(&all, &unit, Attendance::Attended)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(after.esther_present, Some(false), "staff are not Esther");
        let all = [unit_there, rep.clone()];
        let (rep_there, after) = held
            .record_attendance(&all, &rep, Attendance::Attended)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(after.esther_present, Some(true));
        let all = [all[0].clone(), rep_there.clone()];
        let (_, after) = held
            .record_attendance(&all, &rep_there, Attendance::Absent)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(after.esther_present, Some(false), "corrected to absent");
    }

    #[test]
    fn a_name_is_required_with_consent_checked_whenever_sent_and_kept_only_with_consent() {
        let today = chrono::NaiveDate::default();
        assert_eq!(invited_representative_name(None, false, today), Ok(None));
        assert_eq!(
            invited_representative_name(Some("Anna Andersson"), false, today),
            Ok(None),
            "without consent a valid name is not kept"
        );
        for broken in [" ", "Anna 191212121212", &"x".repeat(201)] {
            assert!(
                invited_representative_name(Some(broken), false, today).is_err(),
                "a name sent breaks the rules with or without consent: {broken:?}"
            );
            assert!(invited_representative_name(Some(broken), true, today).is_err());
        }
        assert!(invited_representative_name(None, true, today).is_err());
        let named = invited_representative_name(Some("Anna Andersson"), true, today);
        assert_eq!(
            named.map(|n| n.map(|n| n.as_str().to_owned())),
            Ok(Some("Anna Andersson".to_owned()))
        );
    }
}
