//! The coordinated individual plan (samordnad individuell plan, SIP; SoL 2 kap. 7 § and
//! HSL 16 kap. 4 §): what Esther needs, who does what, who holds overall responsibility, her
//! own goals, who takes part, and when it is followed up. Every change makes a new version;
//! old versions stay readable.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::access::Grant;
use crate::directory::active_reference;
use crate::record::{
    Consent, ConsentScope, ConsentStatus, FreeText, Recorder, RelatedContact, consent_in_force,
};
use crate::{CareUnit, FieldProblems, Organization, OrganizationKind, StaffMember};

crate::string_enum! {
    /// Where an action of the plan stands.
    pub enum ActionStatus {
        Planned => "planned",
        InProgress => "in_progress",
        Done => "done",
        Cancelled => "cancelled",
    }
}

crate::string_enum! {
    /// What made a new version of the plan.
    pub enum PlanChange {
        /// The plan was made (version 1).
        Created => "created",
        /// Its content was revised.
        Revised => "revised",
        /// A follow-up was held and its evaluation recorded.
        FollowedUp => "followed_up",
    }
}

/// An intervention of the plan: what is done, by which organization, by when, how far along.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanAction {
    pub id: Uuid,
    pub intervention: FreeText,
    pub responsible_organization_id: Uuid,
    pub status: ActionStatus,
    pub due_date: Option<NaiveDate>,
}

/// Who takes part in the planning.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Participants {
    pub care_units: Vec<Uuid>,
    pub staff: Vec<Uuid>,
    /// Esther herself.
    pub person: bool,
    /// Her related contacts (relatives), by contact id; only if she has not objected.
    pub relatives: Vec<Uuid>,
}

/// A follow-up meeting and its evaluation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    pub id: Uuid,
    pub held_on: NaiveDate,
    pub evaluation: FreeText,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// The content of one version of the plan, with every statutory part present.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanContent {
    /// Her needs, as the planning found them.
    pub needs: FreeText,
    /// Her own goals.
    pub goals: FreeText,
    /// The organization (a region or a municipality) holding overall responsibility.
    pub overall_responsible_organization_id: Uuid,
    /// The interventions and who does what; at least one.
    pub actions: Vec<PlanAction>,
    pub participants: Participants,
    pub follow_up_date: NaiveDate,
    /// Follow-ups held so far, oldest first.
    pub follow_ups: Vec<FollowUp>,
}

/// A plan's content as proposed, statutory parts possibly missing.
#[derive(Debug, Clone, Default)]
pub struct PlanDraft {
    pub needs: Option<FreeText>,
    pub goals: Option<FreeText>,
    pub overall_responsible_organization_id: Option<Uuid>,
    pub actions: Vec<PlanAction>,
    pub participants: Participants,
    pub follow_up_date: Option<NaiveDate>,
}

/// A statutory part the draft lacks: the request field, and what the law asks of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingPart {
    pub field: &'static str,
    pub requirement: &'static str,
}

impl PlanDraft {
    /// The plan's content when every statutory part is there; otherwise every part missing.
    /// The content has no follow-ups: a revision carries over those the plan already had.
    pub fn complete(self) -> Result<PlanContent, Vec<MissingPart>> {
        let mut missing = Vec::new();
        let mut require = |present: bool, field, requirement| {
            if !present {
                missing.push(MissingPart { field, requirement });
            }
        };
        require(
            self.needs.is_some(),
            "needs",
            "the plan must state her needs: which interventions are needed",
        );
        require(
            self.goals.is_some(),
            "goals",
            "the plan must state her own goals",
        );
        require(
            !self.actions.is_empty(),
            "actions",
            "the plan must state who does what: at least one intervention with its responsible organization",
        );
        require(
            self.overall_responsible_organization_id.is_some(),
            "overall_responsible_organization_id",
            "the plan must state which organization (the region or the municipality) holds overall responsibility",
        );
        let participants = &self.participants;
        require(
            !participants.care_units.is_empty() || !participants.staff.is_empty(),
            "participants",
            "the plan must name the units or staff taking part",
        );
        require(
            self.follow_up_date.is_some(),
            "follow_up_date",
            "the plan must state when it is followed up",
        );
        match (
            self.needs,
            self.goals,
            self.overall_responsible_organization_id,
            self.follow_up_date,
        ) {
            (Some(needs), Some(goals), Some(responsible), Some(follow_up_date))
                if missing.is_empty() =>
            {
                Ok(PlanContent {
                    needs,
                    goals,
                    overall_responsible_organization_id: responsible,
                    actions: self.actions,
                    participants: self.participants,
                    follow_up_date,
                    follow_ups: Vec::new(),
                })
            }
            _ => Err(missing),
        }
    }
}

/// One version of a plan, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanVersion {
    pub version: i64,
    pub change: PlanChange,
    /// Why it changed, in the author's words.
    pub note: Option<FreeText>,
    pub content: PlanContent,
    pub changed_by: String,
    pub changed_by_unit: Uuid,
    pub changed_at: DateTime<Utc>,
}

/// A plan: who made it, and its current version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarePlan {
    pub id: Uuid,
    pub person_id: Uuid,
    pub created_by_unit: Uuid,
    pub created_by_organization: Uuid,
    pub created_at: DateTime<Utc>,
    pub current: PlanVersion,
}

impl CarePlan {
    /// The plan is an entry of the unit that made it.
    pub fn recorder(&self) -> Recorder {
        Recorder {
            subject: self.current.changed_by.clone(),
            unit_id: Some(self.created_by_unit),
            organization_id: Some(self.created_by_organization),
        }
    }

    /// Whether the viewer under `grant` may see the plan: like any entry of the unit that made
    /// it, and also — while her consent to coordinated planning is in force — when the viewer's
    /// unit takes part (the sharing she agreed to), unless she blocked the unit that made it.
    pub fn visible_under(&self, grant: &Grant, consents: &[Consent], today: NaiveDate) -> bool {
        if grant.may_see(&self.recorder()) {
            return true;
        }
        let takes_part = grant
            .viewer_unit()
            .is_some_and(|unit| self.current.content.participants.care_units.contains(&unit));
        takes_part
            && coordinated_planning_consent(consents, today).is_ok()
            && grant.may_see_unit(self.created_by_unit)
    }
}

/// Why coordinated planning may not go ahead without her.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanningConsentProblem {
    /// No decision is recorded.
    Missing,
    /// The decision in force is a refusal or a withdrawal, recorded on that day.
    Declined {
        status: ConsentStatus,
        on: NaiveDate,
    },
    /// Consent was given but is not valid on the day in question.
    OutsideValidity,
}

impl std::fmt::Display for PlanningConsentProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Missing => f.write_str("she has no recorded consent to coordinated planning"),
            Self::Declined { status, on } => write!(
                f,
                "her decision on coordinated planning is `{status}` (recorded {on}): no coordinated planning without her consent"
            ),
            Self::OutsideValidity => {
                f.write_str("her consent to coordinated planning is not valid today")
            }
        }
    }
}

/// Coordinated planning (a planning call, a SIP) needs her consent in force on `day`.
pub fn coordinated_planning_consent(
    consents: &[Consent],
    day: NaiveDate,
) -> Result<(), PlanningConsentProblem> {
    let Some(decision) = consent_in_force(consents, ConsentScope::CoordinatedPlanning) else {
        return Err(PlanningConsentProblem::Missing);
    };
    match decision.status {
        ConsentStatus::Given if decision.grants_on(day) => Ok(()),
        ConsentStatus::Given => Err(PlanningConsentProblem::OutsideValidity),
        status => Err(PlanningConsentProblem::Declined {
            status,
            on: decision.recorded_at.date_naive(),
        }),
    }
}

/// Relatives take part unless she objected: her decision on relatives' participation in force
/// is a refusal or a withdrawal.
pub fn relatives_may_take_part(consents: &[Consent]) -> bool {
    consent_in_force(consents, ConsentScope::RelativesParticipation)
        .is_none_or(|decision| decision.status == ConsentStatus::Given)
}

/// What a plan's content is checked against: the directory records it names (as found by
/// their ids; a missing one is simply absent), her related contacts and consents, and the
/// actions the plan already has.
#[derive(Debug, Clone, Copy)]
pub struct PlanFacts<'a> {
    pub organizations: &'a [Organization],
    pub care_units: &'a [CareUnit],
    pub staff: &'a [StaffMember],
    pub contacts: &'a [RelatedContact],
    pub consents: &'a [Consent],
    /// The ids of the plan's actions (empty for a new plan): the only ids a request may name.
    pub known_actions: &'a [Uuid],
    pub today: NaiveDate,
}

impl PlanContent {
    /// Every organization the content names: the one holding overall responsibility, then
    /// each action's.
    pub fn organization_ids(&self) -> Vec<Uuid> {
        std::iter::once(self.overall_responsible_organization_id)
            .chain(self.actions.iter().map(|a| a.responsible_organization_id))
            .collect()
    }

    /// Whether the content may be written as a version of her plan: her consent to
    /// coordinated planning is in force (otherwise that is the only problem reported, on
    /// `consent`); overall responsibility lies with an active region or municipality; every
    /// action's organization, participating unit and staff member exists and is active; the
    /// action ids `named_action_ids` are the plan's own; relatives are her related contacts and
    /// take part only if she has not objected. Every other problem is reported at once.
    pub fn check(
        &self,
        named_action_ids: &[Uuid],
        facts: &PlanFacts<'_>,
    ) -> Result<(), FieldProblems> {
        let mut problems = FieldProblems::default();
        if let Err(problem) = coordinated_planning_consent(facts.consents, facts.today) {
            problems.push("consent", problem.to_string());
            return Err(problems);
        }
        let organization = |id: Uuid| facts.organizations.iter().find(|o| o.id == id);
        let responsible = self.overall_responsible_organization_id;
        let responsible = problems.keep(
            "overall_responsible_organization_id",
            active_reference(responsible, organization(responsible)),
        );
        if let Some(org) = responsible
            && !matches!(
                org.kind,
                OrganizationKind::Region | OrganizationKind::Municipality
            )
        {
            problems.push(
                "overall_responsible_organization_id",
                format!(
                    "overall responsibility lies with a region or a municipality, not a `{}`",
                    org.kind
                ),
            );
        }
        for (i, action) in self.actions.iter().enumerate() {
            let id = action.responsible_organization_id;
            problems.keep(
                format!("actions[{i}].responsible_organization_id"),
                active_reference(id, organization(id)),
            );
        }
        for (i, id) in named_action_ids.iter().enumerate() {
            if !facts.known_actions.contains(id) {
                problems.push(
                    "actions",
                    format!(
                        "action id {id} (the {}. named) is not an action of this plan; leave `id` out for a new action",
                        i + 1
                    ),
                );
            }
        }
        for (i, unit) in self.participants.care_units.iter().enumerate() {
            let found = facts.care_units.iter().find(|u| u.id == *unit);
            problems.keep(
                format!("participants.care_units[{i}]"),
                active_reference(*unit, found),
            );
        }
        for (i, member) in self.participants.staff.iter().enumerate() {
            let found = facts.staff.iter().find(|s| s.id == *member);
            problems.keep(
                format!("participants.staff[{i}]"),
                active_reference(*member, found),
            );
        }
        let relatives = &self.participants.relatives;
        if !relatives.is_empty() && !relatives_may_take_part(facts.consents) {
            problems.push(
                "participants.relatives",
                "she has objected to relatives taking part in her planning",
            );
        }
        for (i, relative) in relatives.iter().enumerate() {
            if !facts.contacts.iter().any(|c| c.id == *relative) {
                problems.push(
                    format!("participants.relatives[{i}]"),
                    format!("{relative} is not one of her related contacts"),
                );
            }
        }
        problems.into_result()
    }
}

/// An action id a request names that the plan does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownAction(pub Uuid);

/// The content after a follow-up: the evaluation added, the listed actions' statuses changed,
/// and the next follow-up date set.
pub fn follow_up(
    content: &PlanContent,
    held: FollowUp,
    next_follow_up_date: NaiveDate,
    statuses: &[(Uuid, ActionStatus)],
) -> Result<PlanContent, UnknownAction> {
    let mut next = content.clone();
    for (action_id, status) in statuses {
        let action = next
            .actions
            .iter_mut()
            .find(|a| a.id == *action_id)
            .ok_or(UnknownAction(*action_id))?;
        action.status = *status;
    }
    next.follow_ups.push(held);
    next.follow_up_date = next_follow_up_date;
    Ok(next)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::fixtures;
    use crate::record::Recorder;

    fn text(s: &str) -> FreeText {
        FreeText::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default()
    }

    fn consent(scope: ConsentScope, status: ConsentStatus, recorded: u32) -> Consent {
        Consent {
            id: Uuid::now_v7(),
            person_id: Uuid::from_u128(1),
            scope,
            status,
            valid_from: day(1),
            valid_to: Some(day(20)),
            recorded_by: Recorder {
                subject: "x".into(),
                unit_id: None,
                organization_id: None,
            },
            recorded_at: Utc
                .with_ymd_and_hms(2026, 11, recorded, 9, 0, 0)
                .single()
                .unwrap_or_default(),
        }
    }

    fn action(id: u128) -> PlanAction {
        PlanAction {
            id: Uuid::from_u128(id),
            intervention: text("Hemtjänst morgon och kväll"),
            responsible_organization_id: Uuid::from_u128(21),
            status: ActionStatus::Planned,
            due_date: None,
        }
    }

    #[test]
    fn an_empty_draft_names_every_statutory_part() {
        let missing = PlanDraft::default().complete().err();
        let fields: Vec<_> = missing
            .unwrap_or_default()
            .iter()
            .map(|m| m.field)
            .collect();
        assert_eq!(
            fields,
            [
                "needs",
                "goals",
                "actions",
                "overall_responsible_organization_id",
                "participants",
                "follow_up_date"
            ]
        );
    }

    #[test]
    fn a_complete_draft_becomes_content() {
        let draft = PlanDraft {
            needs: Some(text("Stöd i hemmet efter utskrivning")),
            goals: Some(text("Bo kvar hemma och gå till affären själv")),
            overall_responsible_organization_id: Some(Uuid::from_u128(21)),
            actions: vec![action(5)],
            participants: Participants {
                care_units: vec![Uuid::from_u128(30)],
                person: true,
                ..Participants::default()
            },
            follow_up_date: Some(day(30)),
        };
        let content = draft.complete();
        assert!(content.is_ok_and(|c| c.follow_up_date == day(30) && c.actions.len() == 1));
    }

    #[test]
    fn planning_needs_consent_given_and_valid() {
        let given = consent(ConsentScope::CoordinatedPlanning, ConsentStatus::Given, 2);
        assert_eq!(
            coordinated_planning_consent(&[], day(5)),
            Err(PlanningConsentProblem::Missing)
        );
        assert_eq!(
            coordinated_planning_consent(std::slice::from_ref(&given), day(5)),
            Ok(())
        );
        assert_eq!(
            coordinated_planning_consent(std::slice::from_ref(&given), day(25)),
            Err(PlanningConsentProblem::OutsideValidity)
        );
        let refused = consent(ConsentScope::CoordinatedPlanning, ConsentStatus::Refused, 3);
        assert_eq!(
            coordinated_planning_consent(&[given, refused], day(5)),
            Err(PlanningConsentProblem::Declined {
                status: ConsentStatus::Refused,
                on: day(3)
            })
        );
    }

    #[test]
    fn relatives_take_part_unless_she_objected() {
        assert!(relatives_may_take_part(&[]));
        let given = consent(
            ConsentScope::RelativesParticipation,
            ConsentStatus::Given,
            2,
        );
        assert!(relatives_may_take_part(std::slice::from_ref(&given)));
        let refused = consent(
            ConsentScope::RelativesParticipation,
            ConsentStatus::Refused,
            4,
        );
        assert!(!relatives_may_take_part(&[given, refused]));
    }

    #[test]
    fn a_follow_up_records_the_evaluation_and_moves_actions() {
        let content = PlanContent {
            needs: text("Stöd"),
            goals: text("Hemma"),
            overall_responsible_organization_id: Uuid::from_u128(21),
            actions: vec![action(5), action(6)],
            participants: Participants::default(),
            follow_up_date: day(10),
            follow_ups: Vec::new(),
        };
        let held = FollowUp {
            id: Uuid::from_u128(9),
            held_on: day(10),
            evaluation: text("Fungerar bra"),
            recorded_by: "x".into(),
            recorded_at: Utc::now(),
        };
        let next = follow_up(
            &content,
            held.clone(),
            day(28),
            &[(Uuid::from_u128(6), ActionStatus::Done)],
        );
        assert!(next.as_ref().is_ok_and(|n| n.follow_ups == [held.clone()]
            && n.follow_up_date == day(28)
            && n.actions[0].status == ActionStatus::Planned
            && n.actions[1].status == ActionStatus::Done));
        assert_eq!(
            follow_up(
                &content,
                held,
                day(28),
                &[(Uuid::from_u128(7), ActionStatus::Done)]
            ),
            Err(UnknownAction(Uuid::from_u128(7)))
        );
    }

    fn content() -> PlanContent {
        PlanContent {
            needs: text("Stöd"),
            goals: text("Hemma"),
            overall_responsible_organization_id: Uuid::from_u128(21),
            actions: vec![action(5)],
            participants: Participants {
                care_units: vec![Uuid::from_u128(30)],
                staff: vec![Uuid::from_u128(40)],
                ..Participants::default()
            },
            follow_up_date: day(30),
            follow_ups: Vec::new(),
        }
    }

    fn check(
        content: &PlanContent,
        named: &[Uuid],
        organizations: &[crate::Organization],
        consents: &[Consent],
    ) -> Vec<(String, String)> {
        let facts = PlanFacts {
            organizations,
            care_units: &[fixtures::unit(30, 21)],
            staff: &[fixtures::staff(40, 30)],
            contacts: &[],
            consents,
            known_actions: &[Uuid::from_u128(5)],
            today: day(5),
        };
        match content.check(named, &facts) {
            Ok(()) => Vec::new(),
            Err(problems) => problems.into_iter().map(|p| (p.field, p.message)).collect(),
        }
    }

    fn planning_consent() -> Consent {
        consent(ConsentScope::CoordinatedPlanning, ConsentStatus::Given, 2)
    }

    #[test]
    fn content_naming_active_records_she_agreed_to_passes() {
        let municipality = fixtures::organization(21, OrganizationKind::Municipality);
        let problems = check(
            &content(),
            &[Uuid::from_u128(5)],
            &[municipality],
            &[planning_consent()],
        );
        assert_eq!(problems, []);
    }

    #[test]
    fn without_her_consent_nothing_else_is_reported() {
        let problems = check(&content(), &[Uuid::from_u128(99)], &[], &[]);
        let fields: Vec<_> = problems.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["consent"]);
    }

    #[test]
    fn every_problem_of_the_content_is_reported_at_once() {
        let mut provider = fixtures::organization(21, OrganizationKind::PrivateProvider);
        let mut content = content();
        content.actions.push(PlanAction {
            responsible_organization_id: Uuid::from_u128(22),
            ..action(6)
        });
        content.participants.care_units.push(Uuid::from_u128(31));
        content.participants.staff.push(Uuid::from_u128(41));
        let relative = Uuid::from_u128(50);
        content.participants.relatives = vec![relative];
        let objected = consent(
            ConsentScope::RelativesParticipation,
            ConsentStatus::Refused,
            3,
        );
        let problems = check(
            &content,
            &[Uuid::from_u128(7)],
            std::slice::from_ref(&provider),
            &[planning_consent(), objected.clone()],
        );
        let fields: Vec<_> = problems.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "overall_responsible_organization_id",
                "actions[1].responsible_organization_id",
                "actions",
                "participants.care_units[1]",
                "participants.staff[1]",
                "participants.relatives",
                "participants.relatives[0]",
            ]
        );
        assert_eq!(
            problems[0].1,
            "overall responsibility lies with a region or a municipality, not a `private_provider`"
        );
        assert_eq!(
            problems[1].1,
            format!("no organization has id {}", Uuid::from_u128(22))
        );
        provider.active = false;
        let problems = check(&content, &[], &[provider], &[planning_consent(), objected]);
        assert_eq!(
            problems[0],
            (
                "overall_responsible_organization_id".to_owned(),
                format!("organization {} is deactivated", Uuid::from_u128(21))
            )
        );
    }

    #[test]
    fn the_content_names_its_organizations() {
        let mut content = content();
        content.actions.push(PlanAction {
            responsible_organization_id: Uuid::from_u128(22),
            ..action(6)
        });
        assert_eq!(
            content.organization_ids(),
            [21, 21, 22].map(Uuid::from_u128)
        );
    }
}
