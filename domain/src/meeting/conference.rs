//! Case conferences about a registered person (SIP meetings, issue 12 "Personal data").
//!
//! A meeting of kind `case_conference` may name the person it is about; only that kind may.
//! Naming her is optional: a case conference about someone not (yet) in the register names
//! nobody and is a network meeting like the others (no personal data is held). A conference
//! that names her is part of her care: it follows her record's access rules
//! ([`crate::access::decide`]: units caring for her, consent, blocks, emergency access), and
//! the meeting is her record's entry by the unit and organization that scheduled it, so
//! [`crate::access::Grant::may_see`] decides whether a caller who may enter her record sees it
//! (another organization's entry needs her consent to information sharing; an entry of a unit
//! she blocked is hidden from other units). She herself may be invited (and then sees and
//! answers it); nobody else may be invited as a person. The person is fixed once named: an
//! update cannot change her, nor turn the conference into another kind.

use uuid::Uuid;

use super::participant::{Invitee, Participant};
use super::{Meeting, MeetingKind, MeetingRuleError};
use crate::access::{Basis, Grant};
use crate::record::Recorder;
use crate::{InvalidValue, Role};

/// The person a case conference is about, and whose entry in her record it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseSubject {
    pub person_id: Uuid,
    /// Who scheduled it, for her unit and organization.
    pub recorded_by: Recorder,
}

/// Whether a meeting of `kind` may name the person it is about: only a case conference.
pub fn may_name_person(kind: MeetingKind) -> bool {
    kind == MeetingKind::CaseConference
}

/// A person named by a meeting of `kind`: refused unless it is a case conference (422
/// `person_id`).
pub fn check_person(kind: MeetingKind, person_id: Option<Uuid>) -> Result<(), InvalidValue> {
    match person_id {
        Some(_) if !may_name_person(kind) => Err(InvalidValue::for_field(
            "person_id",
            format!("only a meeting of kind `case_conference` names a person, not `{kind}`"),
        )),
        _ => Ok(()),
    }
}

impl Meeting {
    /// The person it is about, if it names one.
    pub fn person_id(&self) -> Option<Uuid> {
        self.about.as_ref().map(|subject| subject.person_id)
    }

    /// Whether a caller granted entry to her record (`grant`) sees this meeting: the entry of
    /// the scheduling unit and organization, under her blocks and consent. A meeting naming
    /// nobody is not her record's and is not decided here.
    pub fn visible_under(&self, grant: &Grant) -> bool {
        self.about
            .as_ref()
            .is_none_or(|subject| grant.may_see(&subject.recorded_by))
    }

    /// Whether a caller granted entry to her record sees this case conference, given its
    /// `participants`: her own token only when she is invited to it; anyone else as
    /// [`Meeting::visible_under`] says.
    pub fn admits(&self, grant: &Grant, participants: &[Participant]) -> bool {
        match (grant.basis, self.person_id()) {
            (Basis::OwnRecord, Some(person)) => invites_person(participants, person),
            _ => self.visible_under(grant),
        }
    }

    /// Checks that `invitee` may be invited to this meeting: a person only to a case
    /// conference about her (422 `person_id`).
    pub fn check_invitee(&self, invitee: &Invitee) -> Result<(), MeetingRuleError> {
        match invitee {
            Invitee::Person(person) if self.person_id() != Some(*person) => {
                Err(InvalidValue::for_field(
                    "person_id",
                    "only the person the case conference is about may be invited as a person",
                )
                .into())
            }
            _ => Ok(()),
        }
    }
}

/// Whether a caller with `roles` sees meetings that name nobody (network meetings): any role
/// but a person's own token, which sees only the case conferences she is invited to.
pub fn sees_network_meetings(roles: &[Role]) -> bool {
    roles.iter().any(|role| *role != Role::Person)
}

/// Whether `person` is invited among `participants`: what lets her own token (role `person`)
/// see a meeting.
pub fn invites_person(participants: &[Participant], person: Uuid) -> bool {
    participants
        .iter()
        .any(|p| p.invitee == Invitee::Person(person))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::{AccessFacts, Viewer, decide};
    use crate::meeting::MeetingChanges;
    use crate::meeting::tests::{at, scheduled};
    use crate::record::{Block, Recorder, RelationshipRole};
    use crate::{Role, fixtures};

    const ESTHER: Uuid = Uuid::from_u128(0xE);
    const REGION: u128 = 1;
    const MUNICIPALITY: u128 = 2;
    const WARD: u128 = 10;
    const CLINIC: u128 = 11;
    const HOME_CARE: u128 = 20;

    fn ward() -> Recorder {
        Recorder {
            subject: "nurse".into(),
            unit_id: Some(Uuid::from_u128(WARD)),
            organization_id: Some(Uuid::from_u128(REGION)),
        }
    }

    fn conference() -> Meeting {
        Meeting {
            kind: MeetingKind::CaseConference,
            about: Some(CaseSubject {
                person_id: ESTHER,
                recorded_by: ward(),
            }),
            ..scheduled()
        }
    }

    #[test]
    fn only_a_case_conference_names_a_person() {
        for kind in MeetingKind::ALL {
            let checked = check_person(*kind, Some(ESTHER));
            assert_eq!(
                checked.is_ok(),
                *kind == MeetingKind::CaseConference,
                "{kind}"
            );
            if let Err(error) = checked {
                assert_eq!(error.field, Some("person_id"));
            }
            assert!(check_person(*kind, None).is_ok());
        }
    }

    #[test]
    fn a_conference_naming_her_stays_a_case_conference() {
        let changes = MeetingChanges {
            kind: Some(MeetingKind::Other),
            ..MeetingChanges::default()
        };
        let refused = conference().apply(changes.clone(), at(8));
        assert!(matches!(refused, Err(MeetingRuleError::Invalid(e)) if e.field == Some("kind")));
        assert!(scheduled().apply(changes, at(8)).is_ok());
    }

    #[test]
    fn only_she_is_invited_as_a_person() {
        let other = Uuid::from_u128(0xF);
        assert!(conference().check_invitee(&Invitee::Person(ESTHER)).is_ok());
        for (meeting, person) in [(conference(), other), (scheduled(), ESTHER)] {
            let refused = meeting.check_invitee(&Invitee::Person(person));
            assert!(
                matches!(refused, Err(MeetingRuleError::Invalid(e)) if e.field == Some("person_id"))
            );
        }
        assert!(conference().check_invitee(&Invitee::Staff(other)).is_ok());
    }

    /// The grant of a clinician of `unit` (of `org`), both the ward and that unit caring for
    /// her.
    fn grant(unit: u128, org: u128, blocks: &[Block]) -> Option<Grant> {
        let relationships = [
            fixtures::relationship(
                ESTHER,
                &fixtures::unit(WARD, REGION),
                RelationshipRole::ResponsiblePhysician,
                false,
            ),
            fixtures::relationship(
                ESTHER,
                &fixtures::unit(unit, org),
                RelationshipRole::HomeCareContact,
                false,
            ),
        ];
        let facts = AccessFacts {
            person_id: ESTHER,
            relationships: &relationships,
            emergency_access: false,
            consents: &[],
            blocks,
            today: at(8).date_naive(),
        };
        let viewer = Viewer {
            roles: &[Role::Clinician],
            unit: Some(Uuid::from_u128(unit)),
            organization: Some(Uuid::from_u128(org)),
            person: None,
        };
        decide(&viewer, &facts)
    }

    fn block_of_the_ward() -> Block {
        Block {
            id: Uuid::from_u128(99),
            person_id: ESTHER,
            blocked_unit_id: Uuid::from_u128(WARD),
            reason: None,
            created_by: "esther".into(),
            created_at: at(7),
            lifted_by: None,
            lifted_at: None,
        }
    }

    #[test]
    fn her_blocks_and_consent_decide_who_sees_the_conference() {
        let meeting = conference();
        let sees = |unit, org, blocks: &[Block]| {
            grant(unit, org, blocks).is_some_and(|g| meeting.visible_under(&g))
        };
        // The scheduling unit, and another unit of its organization.
        assert!(sees(WARD, REGION, &[]));
        assert!(sees(CLINIC, REGION, &[]));
        // She blocked the ward: other units no longer see its entry; the ward still does.
        assert!(!sees(CLINIC, REGION, &[block_of_the_ward()]));
        assert!(sees(WARD, REGION, &[block_of_the_ward()]));
        // Another organization, without her consent to information sharing.
        assert!(!sees(HOME_CARE, MUNICIPALITY, &[]));
        // A network meeting is nobody's record.
        let network = scheduled();
        let home_care = grant(HOME_CARE, MUNICIPALITY, &[]);
        assert!(home_care.is_some_and(|g| network.visible_under(&g)));
    }

    #[test]
    fn her_token_sees_the_meetings_she_is_invited_to() {
        let meeting = conference();
        let invited = meeting
            .invite(Invitee::Person(ESTHER), &[], Uuid::from_u128(1), "c", at(8))
            .unwrap_or_else(|_| unreachable!());
        assert!(invites_person(std::slice::from_ref(&invited), ESTHER));
        assert!(!invites_person(
            std::slice::from_ref(&invited),
            Uuid::from_u128(0xF)
        ));
        assert!(!invites_person(&[], ESTHER));
        let relationships = [];
        let facts = AccessFacts {
            person_id: ESTHER,
            relationships: &relationships,
            emergency_access: false,
            consents: &[],
            blocks: &[],
            today: at(8).date_naive(),
        };
        let her_own = Viewer {
            roles: &[Role::Person],
            unit: None,
            organization: None,
            person: Some(ESTHER),
        };
        let Some(grant) = decide(&her_own, &facts) else {
            unreachable!("her own record")
        };
        assert!(meeting.admits(&grant, &[invited]));
        assert!(!meeting.admits(&grant, &[]));
        assert!(!sees_network_meetings(&[Role::Person]));
        assert!(sees_network_meetings(&[Role::Clinician]));
    }

    #[test]
    fn she_answers_her_own_invitation_and_nobody_else_s() {
        use crate::meeting::participant::{Answerer, ResponseStatus};
        let meeting = conference();
        let hers = meeting
            .invite(Invitee::Person(ESTHER), &[], Uuid::from_u128(1), "c", at(8))
            .unwrap_or_else(|_| unreachable!());
        let staff = meeting
            .invite(
                Invitee::Staff(Uuid::from_u128(5)),
                &[],
                Uuid::from_u128(2),
                "c",
                at(8),
            )
            .unwrap_or_else(|_| unreachable!());
        let as_person = |person| Answerer {
            organizer: false,
            hsa_id: None,
            person: Some(person),
        };
        let answered = meeting.answer(&hers, ResponseStatus::Declined, as_person(ESTHER), None);
        assert!(answered.is_ok_and(|p| p.response == ResponseStatus::Declined));
        for (participant, person) in [(&hers, Uuid::from_u128(0xF)), (&staff, ESTHER)] {
            let refused = meeting.answer(
                participant,
                ResponseStatus::Accepted,
                as_person(person),
                None,
            );
            assert!(matches!(refused, Err(MeetingRuleError::NotAllowed(_))));
        }
        // Invited once.
        let again = meeting.invite(
            Invitee::Person(ESTHER),
            &[hers],
            Uuid::from_u128(3),
            "c",
            at(8),
        );
        assert!(matches!(again, Err(MeetingRuleError::State(_))));
    }
}
