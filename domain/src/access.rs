//! Who may see what of a person's record. Every personal-data endpoint asks [`decide`]; the
//! rules live here and nowhere else.
//!
//! - Esther (role `person`) sees her whole own record.
//! - Admins, coordinators and clinicians see a record while their unit has an active care
//!   relationship with her; integrations while any unit of their organization has one.
//! - A clinician with an unexpired emergency access sees the record without relationship,
//!   consent or regard to blocks; every such read is logged as `emergency`. Only a clinician
//!   acting for a unit opens one, stating why; it lasts [`EMERGENCY_ACCESS_HOURS`] hours.
//! - Within a grant, an entry recorded by another unit is visible only when no block covers
//!   that unit and, if it came from another organization, an information-sharing consent is
//!   in force. Entries from the viewer's own unit and her own words are always visible.
//! - Contact details of a person with protected identity reach only admins and herself.
//! - Analysts and coaches never see personal data.
//! - A name search finds the persons whose care relationships reach the viewer
//!   ([`SearchScope`]): the same grounds as above, never emergency access.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use uuid::Uuid;

use crate::record::{
    Block, CareRelationship, Consent, ConsentScope, EmergencyAccess, FreeText, Person, Purpose,
    Recorder, consent_in_force,
};
use crate::{InvalidValue, Role};

/// The caller, as far as access rules care.
#[derive(Debug, Clone, Copy)]
pub struct Viewer<'a> {
    pub roles: &'a [Role],
    pub unit: Option<Uuid>,
    pub organization: Option<Uuid>,
    pub person: Option<Uuid>,
}

impl Viewer<'_> {
    fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// A token names the care unit the caller works at (`unit`) and its organization (`org`); the
/// access rules trust both, so they must agree with the directory: a unit of another
/// organization than the token's `org` makes the token refused, whatever roles it carries.
/// `unit_organization` is the directory's organization of the token's unit (`None` when the
/// unit is not in the directory: then there is nothing to contradict the claim).
pub fn check_token_unit(
    unit_organization: Option<Uuid>,
    org_claim: Option<Uuid>,
) -> Result<(), TokenUnitMismatch> {
    match (unit_organization, org_claim) {
        (Some(unit_organization), Some(claimed)) if unit_organization != claimed => {
            Err(TokenUnitMismatch {
                unit_organization,
                claimed,
            })
        }
        _ => Ok(()),
    }
}

/// The token's unit belongs to another organization than its `org` claim.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the token's `unit` belongs to organization {unit_organization}, not to its `org` claim {claimed}"
)]
pub struct TokenUnitMismatch {
    pub unit_organization: Uuid,
    pub claimed: Uuid,
}

/// Roles that can ever be granted personal data; others are refused outright (403).
pub const PERSONAL_DATA_ROLES: &[Role] = &[
    Role::Admin,
    Role::Coordinator,
    Role::Clinician,
    Role::Integration,
    Role::Person,
];

/// Whose care the viewer's own standing reaches: persons with an active care relationship
/// with `unit` (the viewer holds a care role there) or with any unit of `organization` (the
/// viewer is an integration acting for it). [`decide`] lets a viewer in on these grounds
/// (bases `CareRelationship` and `Organization`), and a name search finds exactly the persons
/// in this scope: the storage query states the same rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchScope {
    pub unit: Option<Uuid>,
    pub organization: Option<Uuid>,
}

impl SearchScope {
    /// The basis on which the scope reaches the person of `relationships`: her relationship
    /// with the viewer's unit, else one with any unit of the viewer's organization.
    fn basis(&self, relationships: &[CareRelationship], person_id: Uuid) -> Option<Basis> {
        let active = || {
            relationships
                .iter()
                .filter(move |r| r.is_active() && r.person_id == person_id)
        };
        if self
            .unit
            .is_some_and(|unit| active().any(|r| r.care_unit_id == unit))
        {
            Some(Basis::CareRelationship)
        } else if self
            .organization
            .is_some_and(|org| active().any(|r| r.organization_id == org))
        {
            Some(Basis::Organization)
        } else {
            None
        }
    }

    /// Whether her care relationships put her in the scope.
    pub fn reaches(&self, relationships: &[CareRelationship], person_id: Uuid) -> bool {
        self.basis(relationships, person_id).is_some()
    }
}

impl Viewer<'_> {
    /// Whose care the viewer reaches through care relationships.
    fn scope(&self) -> SearchScope {
        SearchScope {
            unit: self
                .unit
                .filter(|_| self.roles.iter().any(|r| r.is_care_role())),
            organization: self.organization.filter(|_| self.has(Role::Integration)),
        }
    }
}

/// Whose care a name search looks into; `None` when the viewer reaches nobody through care
/// relationships (no care role with a unit, no integration with an organization), and may
/// not search by name.
pub fn name_search_scope(viewer: &Viewer<'_>) -> Option<SearchScope> {
    let scope = viewer.scope();
    (scope.unit.is_some() || scope.organization.is_some()).then_some(scope)
}

/// What is known about one person when deciding.
#[derive(Debug, Clone, Copy)]
pub struct AccessFacts<'a> {
    pub person_id: Uuid,
    pub relationships: &'a [CareRelationship],
    /// The viewer holds an unexpired emergency access to this person from their unit.
    pub emergency_access: bool,
    pub consents: &'a [Consent],
    pub blocks: &'a [Block],
    pub today: NaiveDate,
}

/// Why access was granted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    OwnRecord,
    CareRelationship,
    Organization,
    Emergency,
}

/// A decision to let the viewer into one person's record, and what it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub basis: Basis,
    viewer_unit: Option<Uuid>,
    viewer_organization: Option<Uuid>,
    viewer_is_admin: bool,
    sharing_consent: bool,
    blocked_units: Vec<Uuid>,
}

/// Whether the viewer may enter this person's record at all, and on what basis.
pub fn decide(viewer: &Viewer<'_>, facts: &AccessFacts<'_>) -> Option<Grant> {
    let active = || {
        facts
            .relationships
            .iter()
            .filter(|r| r.is_active() && r.person_id == facts.person_id)
    };
    let basis = if viewer.has(Role::Person) && viewer.person == Some(facts.person_id) {
        Basis::OwnRecord
    } else if let Some(basis) = viewer.scope().basis(facts.relationships, facts.person_id) {
        basis
    } else if may_hold_emergency_access(viewer) && facts.emergency_access {
        Basis::Emergency
    } else {
        return None;
    };
    let sharing_consent = consent_in_force(facts.consents, ConsentScope::InformationSharing)
        .is_some_and(|consent| consent.grants_on(facts.today));
    // Staff belong to the organization the directory gives their unit, not whatever the token
    // says; integrations are scoped by their organization claim.
    let viewer_organization = match basis {
        Basis::CareRelationship => active()
            .find(|r| Some(r.care_unit_id) == viewer.unit)
            .map(|r| r.organization_id),
        _ => viewer.organization,
    };
    Some(Grant {
        basis,
        viewer_unit: viewer.unit,
        viewer_organization,
        viewer_is_admin: viewer.has(Role::Admin),
        sharing_consent,
        blocked_units: facts
            .blocks
            .iter()
            .filter(|b| b.lifted_at.is_none())
            .map(|b| b.blocked_unit_id)
            .collect(),
    })
}

/// A care relationship as one caller may see it ([`Grant::relationship_view`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RelationshipView<'a> {
    pub relationship: &'a CareRelationship,
    /// Whether `started_by` is shown (not when her block hides the unit it acted for).
    pub started_by_shown: bool,
    /// Whether `ended_by` is shown, likewise.
    pub ended_by_shown: bool,
}

impl RelationshipView<'_> {
    /// The whole relationship, for the one who just started or ended it.
    pub fn whole(relationship: &CareRelationship) -> RelationshipView<'_> {
        RelationshipView {
            relationship,
            started_by_shown: true,
            ended_by_shown: true,
        }
    }
}

impl Grant {
    pub fn purpose(&self) -> Purpose {
        match self.basis {
            Basis::Emergency => Purpose::Emergency,
            _ => Purpose::Care,
        }
    }

    /// The unit the viewer acts for, if any.
    pub fn viewer_unit(&self) -> Option<Uuid> {
        self.viewer_unit
    }

    /// Emergency access reads; it does not write.
    pub fn may_write(&self) -> bool {
        self.basis != Basis::Emergency
    }

    /// Whether an entry recorded by `recorder` is visible under this grant.
    pub fn may_see(&self, recorder: &Recorder) -> bool {
        if matches!(self.basis, Basis::OwnRecord | Basis::Emergency) {
            return true;
        }
        if recorder.is_her_own() {
            return true;
        }
        if let Some(unit) = recorder.unit_id {
            if self.viewer_unit == Some(unit) {
                return true;
            }
            if self.blocked_units.contains(&unit) {
                return false;
            }
        }
        let same_organization = recorder.organization_id.is_some()
            && recorder.organization_id == self.viewer_organization;
        same_organization || self.sharing_consent
    }

    /// Whether the caller may see that `unit` takes part in her care: not when she blocked it,
    /// unless the caller is that unit, herself, or under emergency access.
    pub fn may_see_unit(&self, unit: Uuid) -> bool {
        matches!(self.basis, Basis::OwnRecord | Basis::Emergency)
            || self.viewer_unit == Some(unit)
            || !self.blocked_units.contains(&unit)
    }

    /// Whether the caller may see who started or ended a care relationship, given the unit
    /// that user acted for (`None`: no unit, or not recorded): not when she blocked that unit,
    /// as [`Self::may_see_unit`] — a user's id names the unit in the staff directory, so
    /// showing it would show the blocked unit's part in her care (Patientdatalagen 4 kap.
    /// 4 §; decision 0027).
    pub fn may_see_actor_of(&self, acted_for: Option<Uuid>) -> bool {
        acted_for.is_none_or(|unit| self.may_see_unit(unit))
    }

    /// Her care relationship as the caller may see it: `None` when her block hides the unit
    /// ([`Self::may_see_unit`]); otherwise with who started and who ended it withheld where
    /// her block hides the unit they acted for ([`Self::may_see_actor_of`]).
    pub fn relationship_view<'a>(
        &self,
        relationship: &'a CareRelationship,
    ) -> Option<RelationshipView<'a>> {
        self.may_see_unit(relationship.care_unit_id)
            .then(|| RelationshipView {
                relationship,
                started_by_shown: self.may_see_actor_of(relationship.started_by_unit),
                ended_by_shown: self.may_see_actor_of(relationship.ended_by_unit),
            })
    }

    /// Her blocks (which units, and why) are hers: only she and admins list or lift them.
    pub fn may_manage_blocks(&self) -> bool {
        self.basis == Basis::OwnRecord || self.viewer_is_admin
    }

    /// Turning protected identity off exposes her address: only admins may.
    pub fn may_lift_protected_identity(&self) -> bool {
        self.viewer_is_admin
    }

    /// Whether her address, phone, e-mail and contacts may be shown.
    pub fn may_see_contact_details(&self, person: &Person) -> bool {
        !person.protected_identity || self.basis == Basis::OwnRecord || self.viewer_is_admin
    }

    /// Whether the numbers she was registered under before a change of identity number may be
    /// shown (her identity changes, in their list and her timeline). Under protected identity
    /// only she and admins see them, as her contact details: an earlier number ties the
    /// number she has now to the one she was known by, which a new number given to someone
    /// under threat is meant to undo. Search and registration by an earlier number still find
    /// her record (no duplicate is made); only the link is not shown.
    pub fn may_see_previous_numbers(&self, person: &Person) -> bool {
        self.may_see_contact_details(person)
    }

    /// Whether `number`, one she has or had, may be shown in her identity history: her
    /// present number always (her record shows it), an earlier one only when
    /// [`Grant::may_see_previous_numbers`] allows. (Withholding only each change's previous
    /// number would not do: with two changes, the first change's new number is the second's
    /// previous one.)
    pub fn may_see_number(&self, person: &Person, number: &crate::PersonalNumber) -> bool {
        *number == person.personal_number || self.may_see_previous_numbers(person)
    }
}

/// Why a work list (a unit's caseload, its coordination cases, its plans due for follow-up)
/// is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorklistRefused {
    /// Work lists are per unit: only staff or an integration acting for a unit (the token's
    /// `unit`) read them.
    #[error("work lists are per unit: they need a staff or integration token with a `unit`")]
    NoUnit,
    /// Another unit than the caller's own.
    #[error("a unit's work lists are read for the token's own `unit`, not for unit {0}")]
    OtherUnit(Uuid),
}

/// The unit whose work lists the viewer reads: her own (the token's `unit`), when she works
/// there (a care role) or is an integration acting for it; asking for another unit is refused.
/// The lists then show only persons [`decide`] lets the viewer see, each logged.
pub fn worklist_unit(viewer: &Viewer<'_>, asked: Option<Uuid>) -> Result<Uuid, WorklistRefused> {
    let own = viewer
        .unit
        .filter(|_| viewer.roles.iter().any(|role| role.is_staff()))
        .ok_or(WorklistRefused::NoUnit)?;
    match asked {
        Some(unit) if unit != own => Err(WorklistRefused::OtherUnit(unit)),
        _ => Ok(own),
    }
}

/// Who may end a care relationship she has with a unit (once her record is open to them): the
/// unit's own staff (the token's `unit`), staff of the unit that started it (a ward that
/// named her vårdcentral corrects itself), an integration of the organization it is held
/// under, and she herself. Any other unit's staff are refused (403): the relationship is not
/// theirs to end, and a refusal that does not depend on her record tells them nothing — an
/// attack review learned of a coordination case her block hides from the 409 that keeps the
/// case's units in her care team (`discharge::case_holding_unit`).
pub fn may_end_relationship(viewer: &Viewer<'_>, relationship: &CareRelationship) -> bool {
    if viewer.has(Role::Person) {
        return viewer.person == Some(relationship.person_id);
    }
    let integration =
        viewer.has(Role::Integration) && viewer.organization == Some(relationship.organization_id);
    let staff_of = |unit: Option<Uuid>| {
        unit.is_some() && viewer.unit == unit && viewer.roles.iter().any(|role| role.is_care_role())
    };
    integration
        || staff_of(Some(relationship.care_unit_id))
        || staff_of(relationship.started_by_unit)
}

/// Her log extract is for herself and for admins reviewing access.
pub fn may_read_access_log(viewer: &Viewer<'_>, person_id: Uuid) -> bool {
    viewer.has(Role::Admin) || (viewer.has(Role::Person) && viewer.person == Some(person_id))
}

/// Whether her log extract, read by `viewer` (token subject `viewer_subject`), names the
/// user of an event made by `event_subject` for `event_unit` / `event_organization`.
///
/// Admins reviewing access see every user. She herself sees every user who acted for a care
/// unit or a care provider (her right to know who has read her record, Patientdatalagen
/// (2008:355) 8 kap. 11 §) and her own requests. An event made for no unit or organization by
/// someone else (another person's own token, refused at her record; an administrator) is
/// shown to her without its user: that token subject may identify another private person,
/// and the extract tells her of the other person's data only that the access happened.
pub fn extract_names_user(
    viewer: &Viewer<'_>,
    viewer_subject: &str,
    event_subject: &str,
    event_unit: Option<Uuid>,
    event_organization: Option<Uuid>,
) -> bool {
    viewer.has(Role::Admin)
        || event_unit.is_some()
        || event_organization.is_some()
        || event_subject == viewer_subject
}

/// How long an emergency access lasts, in hours.
pub const EMERGENCY_ACCESS_HOURS: i64 = 4;

/// The longest reason an emergency access may state, in characters.
pub const EMERGENCY_REASON_MAX_CHARS: usize = 1_000;

/// Roles that may open a record in an emergency (nödåtkomst).
pub const EMERGENCY_ACCESS_ROLES: &[Role] = &[Role::Clinician];

/// Whether the viewer may open, and read under, an emergency access: an emergency role,
/// acting for a unit.
fn may_hold_emergency_access(viewer: &Viewer<'_>) -> bool {
    EMERGENCY_ACCESS_ROLES.iter().any(|role| viewer.has(*role)) && viewer.unit.is_some()
}

/// Why an emergency access is not opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmergencyAccessRefused {
    #[error("only a clinician may open a record in an emergency")]
    Role,
    #[error("emergency access needs a token with the caller's `unit`")]
    NoUnit,
}

/// A caller who may open a record in an emergency: a clinician acting for a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmergencyOpener {
    subject: String,
    unit_id: Uuid,
    organization_id: Option<Uuid>,
}

impl EmergencyOpener {
    /// The viewer (user `subject`) as an emergency opener, or why they may not open one.
    pub fn new(viewer: &Viewer<'_>, subject: &str) -> Result<Self, EmergencyAccessRefused> {
        if !EMERGENCY_ACCESS_ROLES.iter().any(|role| viewer.has(*role)) {
            return Err(EmergencyAccessRefused::Role);
        }
        let unit_id = viewer.unit.ok_or(EmergencyAccessRefused::NoUnit)?;
        Ok(Self {
            subject: subject.to_owned(),
            unit_id,
            organization_id: viewer.organization,
        })
    }

    /// The emergency access to `person_id` opened at `now` for `reason`: it runs for
    /// [`EMERGENCY_ACCESS_HOURS`] hours, for this user at this unit only.
    pub fn open(
        &self,
        id: Uuid,
        person_id: Uuid,
        reason: FreeText,
        now: DateTime<Utc>,
    ) -> EmergencyAccess {
        EmergencyAccess {
            id,
            person_id,
            subject: self.subject.clone(),
            unit_id: self.unit_id,
            organization_id: self.organization_id,
            reason,
            granted_at: now,
            expires_at: now + Duration::hours(EMERGENCY_ACCESS_HOURS),
        }
    }
}

/// The reason an emergency access states: required (not blank), at most
/// [`EMERGENCY_REASON_MAX_CHARS`] characters.
pub fn parse_emergency_reason(text: &str) -> Result<FreeText, InvalidValue> {
    FreeText::parse_max(text, EMERGENCY_REASON_MAX_CHARS)
}

impl EmergencyAccess {
    /// Whether the access lets its holder in at `at`: from when it was granted until (not
    /// including) when it expires.
    pub fn runs_at(&self, at: DateTime<Utc>) -> bool {
        self.granted_at <= at && at < self.expires_at
    }
}

#[cfg(test)]
mod token_unit_tests {
    use super::*;

    #[test]
    fn her_extract_names_staff_and_herself_but_not_another_private_person() {
        let (unit, org) = (Some(Uuid::from_u128(1)), Some(Uuid::from_u128(2)));
        let her = Viewer {
            roles: &[Role::Person],
            unit: None,
            organization: None,
            person: Some(Uuid::from_u128(3)),
        };
        let admin = Viewer {
            roles: &[Role::Admin],
            person: None,
            ..her
        };
        let names = |viewer: &Viewer<'_>, subject: &str, unit, org| {
            extract_names_user(viewer, "person-her", subject, unit, org)
        };
        assert!(names(&her, "clinician@ward", unit, org), "staff at a unit");
        assert!(names(&her, "integration", None, org), "for a care provider");
        assert!(names(&her, "person-her", None, None), "her own requests");
        assert!(
            !names(&her, "person-neighbour", None, None),
            "another person's own token"
        );
        assert!(!names(&her, "admin.anna", None, None), "an administrator");
        assert!(
            names(&admin, "person-neighbour", None, None),
            "admins see all"
        );
    }

    #[test]
    fn a_tokens_unit_must_belong_to_its_org_claim() {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        assert_eq!(check_token_unit(Some(a), Some(a)), Ok(()));
        assert_eq!(
            check_token_unit(Some(b), Some(a)),
            Err(TokenUnitMismatch {
                unit_organization: b,
                claimed: a
            })
        );
        assert_eq!(check_token_unit(Some(b), None), Ok(()), "no org claim");
        assert_eq!(
            check_token_unit(None, Some(a)),
            Ok(()),
            "unit not in the directory"
        );
    }

    #[test]
    fn work_lists_are_read_for_the_callers_own_unit_by_staff_and_integrations() {
        let (own, other) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let viewer = |roles: &'static [Role], unit: Option<Uuid>| Viewer {
            roles,
            unit,
            organization: None,
            person: None,
        };
        for roles in [
            &[Role::Clinician][..],
            &[Role::Coordinator],
            &[Role::Admin],
            &[Role::Integration],
        ] {
            assert_eq!(worklist_unit(&viewer(roles, Some(own)), None), Ok(own));
            assert_eq!(worklist_unit(&viewer(roles, Some(own)), Some(own)), Ok(own));
            assert_eq!(
                worklist_unit(&viewer(roles, Some(own)), Some(other)),
                Err(WorklistRefused::OtherUnit(other))
            );
        }
        for roles in [&[Role::Analyst][..], &[Role::Coach], &[Role::Person]] {
            assert_eq!(
                worklist_unit(&viewer(roles, Some(own)), None),
                Err(WorklistRefused::NoUnit)
            );
        }
        assert_eq!(
            worklist_unit(&viewer(&[Role::Clinician], None), Some(own)),
            Err(WorklistRefused::NoUnit)
        );
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::record::ConsentStatus;

    const PERSON: Uuid = Uuid::from_u128(1);
    const WARD: Uuid = Uuid::from_u128(10);
    const REGION: Uuid = Uuid::from_u128(11);
    const HOME_CARE: Uuid = Uuid::from_u128(20);
    const MUNICIPALITY: Uuid = Uuid::from_u128(21);
    const OTHER_UNIT: Uuid = Uuid::from_u128(30);

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default()
    }

    fn relationship(unit: Uuid, org: Uuid, ended: bool) -> CareRelationship {
        let at = Utc
            .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
            .single()
            .unwrap_or_default();
        CareRelationship {
            id: Uuid::now_v7(),
            person_id: PERSON,
            care_unit_id: unit,
            organization_id: org,
            staff_id: None,
            role: crate::record::RelationshipRole::Other,
            started_by: "x".into(),
            started_by_unit: None,
            started_at: at,
            ended_by: ended.then(|| "x".into()),
            ended_by_unit: None,
            ended_at: ended.then_some(at),
        }
    }

    fn consent(status: ConsentStatus, minute: u32) -> Consent {
        Consent {
            id: Uuid::now_v7(),
            person_id: PERSON,
            scope: ConsentScope::InformationSharing,
            status,
            valid_from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default(),
            valid_to: None,
            recorded_by: Recorder {
                subject: "x".into(),
                unit_id: None,
                organization_id: None,
            },
            recorded_at: Utc
                .with_ymd_and_hms(2026, 2, 1, 0, minute, 0)
                .single()
                .unwrap_or_default(),
        }
    }

    fn viewer(roles: &[Role], unit: Option<Uuid>, org: Option<Uuid>) -> Viewer<'_> {
        Viewer {
            roles,
            unit,
            organization: org,
            person: None,
        }
    }

    fn facts<'a>(
        relationships: &'a [CareRelationship],
        consents: &'a [Consent],
        blocks: &'a [Block],
    ) -> AccessFacts<'a> {
        AccessFacts {
            person_id: PERSON,
            relationships,
            emergency_access: false,
            consents,
            blocks,
            today: day(),
        }
    }

    fn home_care_note() -> Recorder {
        Recorder {
            subject: "nurse".into(),
            unit_id: Some(HOME_CARE),
            organization_id: Some(MUNICIPALITY),
        }
    }

    #[test]
    fn a_relationship_is_ended_by_its_unit_its_organization_s_integration_or_her() {
        let home_care = relationship(HOME_CARE, MUNICIPALITY, false);
        let started_by_ward = CareRelationship {
            started_by_unit: Some(WARD),
            ..home_care.clone()
        };
        for roles in [[Role::Clinician], [Role::Coordinator], [Role::Admin]] {
            let at = |unit| viewer(&roles, Some(unit), Some(MUNICIPALITY));
            assert!(may_end_relationship(&at(HOME_CARE), &home_care));
            assert!(!may_end_relationship(&at(OTHER_UNIT), &home_care));
            assert!(!may_end_relationship(&at(WARD), &home_care));
            assert!(may_end_relationship(&at(WARD), &started_by_ward));
            assert!(!may_end_relationship(&at(OTHER_UNIT), &started_by_ward));
        }
        let integration = [Role::Integration];
        assert!(may_end_relationship(
            &viewer(&integration, None, Some(MUNICIPALITY)),
            &home_care
        ));
        assert!(!may_end_relationship(
            &viewer(&integration, None, Some(REGION)),
            &home_care
        ));
        let coach = [Role::Coach];
        assert!(!may_end_relationship(
            &viewer(&coach, Some(HOME_CARE), None),
            &home_care
        ));
        let person = [Role::Person];
        let her = Viewer {
            person: Some(PERSON),
            ..viewer(&person, None, None)
        };
        assert!(may_end_relationship(&her, &home_care));
        let other = Viewer {
            person: Some(WARD),
            ..viewer(&person, None, None)
        };
        assert!(!may_end_relationship(&other, &home_care));
    }

    #[test]
    fn roles_and_relationships_decide_entry() {
        let relationships = [
            relationship(WARD, REGION, false),
            relationship(OTHER_UNIT, REGION, true),
        ];
        let f = facts(&relationships, &[], &[]);
        let basis =
            |roles: &[Role], unit, org| decide(&viewer(roles, unit, org), &f).map(|g| g.basis);
        assert_eq!(
            basis(&[Role::Clinician], Some(WARD), Some(REGION)),
            Some(Basis::CareRelationship)
        );
        assert_eq!(
            basis(&[Role::Coordinator], Some(WARD), None),
            Some(Basis::CareRelationship)
        );
        assert_eq!(
            basis(&[Role::Admin], Some(WARD), None),
            Some(Basis::CareRelationship)
        );
        assert_eq!(
            basis(&[Role::Admin], None, None),
            None,
            "admins need a relationship too"
        );
        assert_eq!(
            basis(&[Role::Clinician], Some(OTHER_UNIT), Some(REGION)),
            None,
            "ended relationship"
        );
        assert_eq!(basis(&[Role::Clinician], Some(HOME_CARE), None), None);
        assert_eq!(
            basis(&[Role::Integration], None, Some(REGION)),
            Some(Basis::Organization)
        );
        assert_eq!(basis(&[Role::Integration], None, Some(MUNICIPALITY)), None);
        assert_eq!(basis(&[Role::Analyst], Some(WARD), Some(REGION)), None);
        assert_eq!(basis(&[Role::Coach], Some(WARD), Some(REGION)), None);
        let own = Viewer {
            roles: &[Role::Person],
            unit: None,
            organization: None,
            person: Some(PERSON),
        };
        assert_eq!(decide(&own, &f).map(|g| g.basis), Some(Basis::OwnRecord));
        let other = Viewer {
            person: Some(Uuid::from_u128(2)),
            ..own
        };
        assert_eq!(decide(&other, &f), None);
    }

    #[test]
    fn emergency_access_needs_a_clinician_and_a_grant() {
        let mut f = facts(&[], &[], &[]);
        f.emergency_access = true;
        assert_eq!(
            decide(&viewer(&[Role::Clinician], Some(WARD), None), &f).map(|g| g.purpose()),
            Some(Purpose::Emergency)
        );
        assert_eq!(
            decide(&viewer(&[Role::Coordinator], Some(WARD), None), &f),
            None
        );
        let grant = decide(&viewer(&[Role::Clinician], Some(WARD), None), &f);
        assert!(grant.is_some_and(|g| !g.may_write() && g.may_see(&home_care_note())));
    }

    #[test]
    fn an_emergency_access_is_opened_by_a_clinician_acting_for_a_unit() {
        let opener = |roles: &[Role], unit| {
            EmergencyOpener::new(&viewer(roles, unit, Some(REGION)), "doctor")
        };
        assert!(opener(&[Role::Clinician], Some(WARD)).is_ok());
        assert!(opener(&[Role::Coordinator, Role::Clinician], Some(WARD)).is_ok());
        for refused in [
            &[Role::Coordinator][..],
            &[Role::Admin],
            &[Role::Integration],
            &[Role::Person],
        ] {
            assert_eq!(
                opener(refused, Some(WARD)),
                Err(EmergencyAccessRefused::Role),
                "{refused:?}"
            );
        }
        assert_eq!(
            opener(&[Role::Clinician], None),
            Err(EmergencyAccessRefused::NoUnit)
        );
        assert_eq!(
            EmergencyAccessRefused::NoUnit.to_string(),
            "emergency access needs a token with the caller's `unit`"
        );
        // Without a unit a clinician's emergency access lets nobody in either.
        let mut f = facts(&[], &[], &[]);
        f.emergency_access = true;
        assert_eq!(decide(&viewer(&[Role::Clinician], None, None), &f), None);
    }

    #[test]
    fn an_emergency_access_lasts_four_hours_for_its_holder_at_their_unit() {
        let now = Utc
            .with_ymd_and_hms(2026, 10, 25, 0, 30, 0)
            .single()
            .unwrap_or_default();
        let Ok(opener) = EmergencyOpener::new(
            &viewer(&[Role::Clinician], Some(WARD), Some(REGION)),
            "doctor",
        ) else {
            panic!("a clinician at a unit opens");
        };
        let Ok(reason) = parse_emergency_reason("Medvetslös på akuten") else {
            panic!("a reason parses");
        };
        let access = opener.open(Uuid::from_u128(99), PERSON, reason, now);
        assert_eq!(
            (
                access.subject.as_str(),
                access.unit_id,
                access.organization_id,
                access.person_id
            ),
            ("doctor", WARD, Some(REGION), PERSON)
        );
        // Four elapsed hours, also across the night the clocks go back.
        assert_eq!(access.expires_at - access.granted_at, Duration::hours(4));
        assert_eq!(access.granted_at, now);
        assert!(access.runs_at(now));
        assert!(access.runs_at(now + Duration::hours(4) - Duration::seconds(1)));
        assert!(
            !access.runs_at(now + Duration::hours(4)),
            "expired at exactly four hours"
        );
        assert!(
            !access.runs_at(now - Duration::seconds(1)),
            "not before it was granted"
        );
    }

    #[test]
    fn an_emergency_access_states_its_reason_in_at_most_1000_characters() {
        assert!(parse_emergency_reason(" ").is_err());
        assert!(parse_emergency_reason("").is_err());
        assert!(parse_emergency_reason(&"x".repeat(1_000)).is_ok());
        assert!(parse_emergency_reason(&"x".repeat(1_001)).is_err());
    }

    #[test]
    fn other_organizations_entries_need_consent_and_no_block() {
        let relationships = [relationship(WARD, REGION, false)];
        let ward = viewer(&[Role::Clinician], Some(WARD), Some(REGION));
        let sees = |consents: &[Consent], blocks: &[Block]| {
            decide(&ward, &facts(&relationships, consents, blocks))
                .is_some_and(|g| g.may_see(&home_care_note()))
        };
        assert!(!sees(&[], &[]), "no consent");
        assert!(sees(&[consent(ConsentStatus::Given, 0)], &[]));
        assert!(
            !sees(
                &[
                    consent(ConsentStatus::Given, 0),
                    consent(ConsentStatus::Withdrawn, 1)
                ],
                &[]
            ),
            "withdrawn later"
        );
        assert!(!sees(&[consent(ConsentStatus::Refused, 0)], &[]));
        let block = Block {
            id: Uuid::now_v7(),
            person_id: PERSON,
            blocked_unit_id: HOME_CARE,
            reason: None,
            created_by: "esther".into(),
            created_at: Utc::now(),
            lifted_by: None,
            lifted_at: None,
        };
        assert!(
            !sees(
                &[consent(ConsentStatus::Given, 0)],
                std::slice::from_ref(&block)
            ),
            "blocked unit"
        );
        // Who started or ended a relationship, acting for the blocked unit, is withheld from
        // the ward; from the blocked unit itself, and where no unit is known, it is not.
        let blocked = decide(
            &ward,
            &facts(&relationships, &[], std::slice::from_ref(&block)),
        );
        assert!(blocked.as_ref().is_some_and(|g| {
            !g.may_see_actor_of(Some(HOME_CARE))
                && g.may_see_actor_of(Some(WARD))
                && g.may_see_actor_of(None)
        }));
        let home_care = viewer(&[Role::Clinician], Some(HOME_CARE), Some(MUNICIPALITY));
        let home_relationships = [relationship(HOME_CARE, MUNICIPALITY, false)];
        let own = decide(
            &home_care,
            &facts(&home_relationships, &[], std::slice::from_ref(&block)),
        );
        assert!(own.is_some_and(|g| g.may_see_actor_of(Some(HOME_CARE))));
        let lifted = Block {
            lifted_at: Some(Utc::now()),
            lifted_by: Some("esther".into()),
            ..block
        };
        assert!(sees(&[consent(ConsentStatus::Given, 0)], &[lifted]));
        let grant = decide(&ward, &facts(&relationships, &[], &[]));
        let own_org = Recorder {
            subject: "dr".into(),
            unit_id: Some(OTHER_UNIT),
            organization_id: Some(REGION),
        };
        let her_words = Recorder {
            subject: "esther".into(),
            unit_id: None,
            organization_id: None,
        };
        let municipal_integration = Recorder {
            subject: "ehr".into(),
            unit_id: None,
            organization_id: Some(MUNICIPALITY),
        };
        assert!(
            grant
                .clone()
                .is_some_and(|g| g.may_see(&own_org) && g.may_see(&her_words))
        );
        assert!(
            grant.is_some_and(|g| !g.may_see(&municipal_integration)),
            "an integration's entry needs consent too"
        );
        // The organization is the directory's, not the token's: a ward token claiming the
        // municipality still does not see the municipality's entries without consent.
        let claims_other_org = viewer(&[Role::Clinician], Some(WARD), Some(MUNICIPALITY));
        let grant = decide(&claims_other_org, &facts(&relationships, &[], &[]));
        assert!(
            grant.is_some_and(
                |g| !g.may_see(&home_care_note()) && !g.may_see(&municipal_integration)
            )
        );
        let org_less = Recorder {
            subject: "x".into(),
            unit_id: Some(OTHER_UNIT),
            organization_id: None,
        };
        let no_org_viewer = viewer(&[Role::Clinician], Some(OTHER_UNIT), None);
        let other_relationships = [relationship(OTHER_UNIT, REGION, false)];
        let grant = decide(&no_org_viewer, &facts(&other_relationships, &[], &[]));
        assert!(
            grant.is_some_and(|g| g.may_see(&org_less)),
            "its own unit's entry"
        );
        let grant = decide(&ward, &facts(&relationships, &[], &[]));
        assert!(
            grant.is_some_and(|g| !g.may_see(&org_less)),
            "no organization matches no organization"
        );
    }

    #[test]
    fn consent_validity_dates_count() {
        let mut expired = consent(ConsentStatus::Given, 0);
        expired.valid_to = NaiveDate::from_ymd_opt(2026, 6, 30);
        assert!(!expired.grants_on(day()));
        let mut future = consent(ConsentStatus::Given, 0);
        future.valid_from = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap_or_default();
        assert!(!future.grants_on(day()));
    }

    #[test]
    fn a_name_search_looks_where_care_relationships_reach() {
        let scope = |roles: &[Role], unit, org| name_search_scope(&viewer(roles, unit, org));
        assert_eq!(
            scope(&[Role::Clinician], Some(WARD), Some(REGION)),
            Some(SearchScope {
                unit: Some(WARD),
                organization: None
            })
        );
        assert_eq!(
            scope(&[Role::Integration], Some(WARD), Some(REGION)),
            Some(SearchScope {
                unit: None,
                organization: Some(REGION)
            })
        );
        assert_eq!(
            scope(
                &[Role::Integration, Role::Coordinator],
                Some(WARD),
                Some(REGION)
            ),
            Some(SearchScope {
                unit: Some(WARD),
                organization: Some(REGION)
            }),
            "both roles: both reaches"
        );
        assert_eq!(scope(&[Role::Clinician], None, Some(REGION)), None);
        assert_eq!(scope(&[Role::Integration], Some(WARD), None), None);
        assert_eq!(
            scope(&[Role::Analyst, Role::Coach], Some(WARD), Some(REGION)),
            None
        );
        let own = Viewer {
            roles: &[Role::Person],
            unit: None,
            organization: None,
            person: Some(PERSON),
        };
        assert_eq!(name_search_scope(&own), None);
    }

    proptest::proptest! {
        /// For any staff viewer and any relationships, the name search's scope reaches her
        /// exactly when `decide` lets the viewer in (no emergency access in play).
        #[test]
        fn the_name_search_scope_is_what_decide_grants(
            roles in proptest::sample::subsequence(Role::ALL.to_vec(), 0..=4),
            unit in proptest::option::of(0..3u128),
            org in proptest::option::of(0..2u128),
            relationships in proptest::collection::vec((0..3u128, 0..2u128, proptest::bool::ANY), 0..5),
        ) {
            let roles: Vec<Role> = roles.into_iter().filter(|r| *r != Role::Person).collect();
            let unit = unit.map(|u| Uuid::from_u128(100 + u));
            let org = org.map(|o| Uuid::from_u128(200 + o));
            let relationships: Vec<_> = relationships
                .into_iter()
                .map(|(u, o, ended)| relationship(Uuid::from_u128(100 + u), Uuid::from_u128(200 + o), ended))
                .collect();
            let viewer = viewer(&roles, unit, org);
            let granted = decide(&viewer, &facts(&relationships, &[], &[])).is_some();
            let found = name_search_scope(&viewer).is_some_and(|s| s.reaches(&relationships, PERSON));
            proptest::prop_assert_eq!(granted, found);
        }
    }
}
