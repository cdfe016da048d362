//! Esther's record: the person, what she and her caregivers record about her, her consents
//! and blocks, who cares for her, and the access log that proves who looked.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::{DisplayName, InvalidValue, MunicipalityCode, PersonalNumber};

/// Free text written by people: trimmed, non-empty, at most `max` characters as sent
/// (whitespace around it counts, so the limit is the spec's `maxLength`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FreeText(String);

/// Longest free text accepted (statements, "what matters to me").
pub const MAX_TEXT_CHARS: usize = 4_000;

impl FreeText {
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        Self::parse_max(text, MAX_TEXT_CHARS)
    }

    pub fn parse_max(text: &str, max: usize) -> Result<Self, InvalidValue> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(InvalidValue::new("must not be empty"));
        }
        if text.chars().count() > max {
            return Err(InvalidValue::new(format!(
                "must be at most {max} characters"
            )));
        }
        if trimmed
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            return Err(InvalidValue::new("must not contain control characters"));
        }
        Ok(Self(trimmed.to_owned()))
    }

    /// Text shared beyond one person's record (meetings, cafés, improvement work, calendar
    /// feeds): as [`FreeText::parse_max`], and refused when it holds a personal identity number
    /// ([`crate::personal_number::contains_personal_number`]); the message says why (`context`)
    /// and never repeats the number.
    pub fn parse_without_personal_number(
        text: &str,
        max: usize,
        today: chrono::NaiveDate,
        context: &str,
    ) -> Result<Self, InvalidValue> {
        let text = Self::parse_max(text, max)?;
        if crate::personal_number::contains_personal_number(text.as_str(), today) {
            return Err(InvalidValue::new(format!(
                "must not contain a personal identity number (personnummer or samordningsnummer): {context}"
            )));
        }
        Ok(text)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for FreeText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A phone number as people write it: digits with optional leading `+`, spaces and dashes.
pub fn parse_phone(text: &str) -> Result<FreeText, InvalidValue> {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    let allowed = text
        .trim()
        .chars()
        .enumerate()
        .all(|(i, c)| c.is_ascii_digit() || c == ' ' || c == '-' || (c == '+' && i == 0));
    if !allowed || !(5..=20).contains(&digits) {
        return Err(InvalidValue::new(
            "a phone number is 5 to 20 digits, optionally with a leading +, spaces and dashes",
        ));
    }
    FreeText::parse_max(text, 30)
}

/// An e-mail address, checked only for shape (something@domain.tld).
pub fn parse_email(text: &str) -> Result<FreeText, InvalidValue> {
    let valid = text.trim().split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !text.trim().contains(char::is_whitespace)
    });
    if !valid {
        return Err(InvalidValue::new("not an e-mail address"));
    }
    FreeText::parse_max(text, 254)
}

/// Who wrote something into the record: the user, and their unit and organization when they
/// wrote as staff (both absent when Esther wrote it herself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorder {
    pub subject: String,
    pub unit_id: Option<Uuid>,
    pub organization_id: Option<Uuid>,
}

impl Recorder {
    /// Written by Esther herself: neither a unit nor an organization.
    pub fn is_her_own(&self) -> bool {
        self.unit_id.is_none() && self.organization_id.is_none()
    }
}

/// Contact details; never shown for a person with protected identity (see [`crate::access`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactDetails {
    pub address: Option<FreeText>,
    pub phone: Option<FreeText>,
    pub email: Option<FreeText>,
}

/// The person at the centre of the network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: Uuid,
    pub personal_number: PersonalNumber,
    pub given_name: DisplayName,
    pub family_name: DisplayName,
    pub municipality: Option<MunicipalityCode>,
    /// Skyddad identitet: contact details are withheld from everyone but admins and herself.
    pub protected_identity: bool,
    pub contact: ContactDetails,
    /// "What matters to me", in her words.
    pub what_matters_to_me: Option<FreeText>,
    pub registered_by: Recorder,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A partial update of a person; `Some(None)` clears an optional field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonChanges {
    pub given_name: Option<DisplayName>,
    pub family_name: Option<DisplayName>,
    pub municipality: Option<Option<MunicipalityCode>>,
    pub protected_identity: Option<bool>,
    pub address: Option<Option<FreeText>>,
    pub phone: Option<Option<FreeText>>,
    pub email: Option<Option<FreeText>>,
    pub what_matters_to_me: Option<Option<FreeText>>,
}

impl Person {
    pub fn apply(mut self, changes: PersonChanges) -> Self {
        fn set<T>(field: &mut T, change: Option<T>) {
            if let Some(value) = change {
                *field = value;
            }
        }
        set(&mut self.given_name, changes.given_name);
        set(&mut self.family_name, changes.family_name);
        set(&mut self.municipality, changes.municipality);
        set(&mut self.protected_identity, changes.protected_identity);
        set(&mut self.contact.address, changes.address);
        set(&mut self.contact.phone, changes.phone);
        set(&mut self.contact.email, changes.email);
        set(&mut self.what_matters_to_me, changes.what_matters_to_me);
        self
    }
}

crate::string_enum! {
    /// What a statement about the person says.
    pub enum StatementKind {
        /// Something she needs help with.
        Need => "need",
        /// Something or someone she can rely on.
        Resource => "resource",
        /// Something she can do herself.
        Ability => "ability",
        /// A goal of her own.
        Goal => "goal",
    }
}

/// A dated statement about her needs, resources, abilities or goals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub id: Uuid,
    pub person_id: Uuid,
    pub kind: StatementKind,
    pub text: FreeText,
    pub recorded_by: Recorder,
    pub recorded_at: DateTime<Utc>,
}

/// A relative or other contact of hers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelatedContact {
    pub id: Uuid,
    pub person_id: Uuid,
    pub name: DisplayName,
    /// E.g. daughter, neighbour, god man.
    pub relation: FreeText,
    pub phone: Option<FreeText>,
    /// She agrees that this contact may be informed about her care.
    pub may_be_informed: bool,
    pub recorded_by: Recorder,
    pub recorded_at: DateTime<Utc>,
}

/// A relative or other contact to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewContact {
    pub name: DisplayName,
    pub relation: FreeText,
    pub phone: Option<FreeText>,
    pub may_be_informed: bool,
}

impl NewContact {
    /// The contact as recorded about `person_id` by `recorded_by` at `at`.
    pub fn into_record(
        self,
        id: Uuid,
        person_id: Uuid,
        recorded_by: Recorder,
        at: DateTime<Utc>,
    ) -> RelatedContact {
        RelatedContact {
            id,
            person_id,
            name: self.name,
            relation: self.relation,
            phone: self.phone,
            may_be_informed: self.may_be_informed,
            recorded_by,
            recorded_at: at,
        }
    }
}

/// Shortest name prefix a search accepts, in characters.
pub const MIN_NAME_SEARCH_CHARS: usize = 3;
/// Longest name prefix a search accepts, in characters.
const MAX_NAME_SEARCH_CHARS: usize = 200;

/// What a search for a person looks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PersonSearch {
    /// Exactly this number.
    Number(PersonalNumber),
    /// Names ("given family", in search form) that start with this.
    NamePrefix(String),
}

impl PersonSearch {
    /// A search by the start of "given-name family-name", ignoring case.
    /// At most 200 characters as sent (the spec's `maxLength`, whitespace around it included),
    /// and at least 3 in search form.
    pub fn name_prefix(name: &str) -> Result<Self, InvalidValue> {
        let key = crate::name::search_key(name);
        let chars = key.chars().count();
        if !(MIN_NAME_SEARCH_CHARS..=MAX_NAME_SEARCH_CHARS).contains(&chars)
            || name.chars().count() > MAX_NAME_SEARCH_CHARS
        {
            return Err(InvalidValue::for_field(
                "name",
                format!("must be {MIN_NAME_SEARCH_CHARS} to {MAX_NAME_SEARCH_CHARS} characters"),
            ));
        }
        Ok(Self::NamePrefix(key))
    }
}

crate::string_enum! {
    /// What a consent covers.
    pub enum ConsentScope {
        /// Sharing information between caregivers (sammanhållen journalföring).
        InformationSharing => "information_sharing",
        /// Coordinated planning (SIP, discharge planning).
        CoordinatedPlanning => "coordinated_planning",
        /// Relatives taking part in planning.
        RelativesParticipation => "relatives_participation",
    }
}

crate::string_enum! {
    /// What she said.
    pub enum ConsentStatus {
        Given => "given",
        Withdrawn => "withdrawn",
        Refused => "refused",
    }
}

/// One recorded consent decision; the latest per scope is in force (history is kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consent {
    pub id: Uuid,
    pub person_id: Uuid,
    pub scope: ConsentScope,
    pub status: ConsentStatus,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub recorded_by: Recorder,
    pub recorded_at: DateTime<Utc>,
}

impl Consent {
    /// Whether this decision grants its scope on `day`.
    pub fn grants_on(&self, day: NaiveDate) -> bool {
        self.status == ConsentStatus::Given
            && self.valid_from <= day
            && self.valid_to.is_none_or(|to| day <= to)
    }
}

/// The decision in force for `scope`: the latest recorded one.
pub fn consent_in_force(consents: &[Consent], scope: ConsentScope) -> Option<&Consent> {
    consents
        .iter()
        .filter(|c| c.scope == scope)
        .max_by_key(|c| (c.recorded_at, c.id))
}

/// A block (spärr): information recorded by `blocked_unit_id` is hidden from other units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub id: Uuid,
    pub person_id: Uuid,
    pub blocked_unit_id: Uuid,
    pub reason: Option<FreeText>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub lifted_by: Option<String>,
    pub lifted_at: Option<DateTime<Utc>>,
}

/// Checks that she does not already block `unit`: one block in force per unit, so that
/// lifting it lifts it (a second block of the same unit would keep the unit hidden after the
/// first is lifted). `Err` says so (409), without the block's id: only she and admins list her
/// blocks. The database holds the same rule (migration 000026) for concurrent requests.
pub fn check_new_block(blocks: &[Block], unit: Uuid) -> Result<(), String> {
    if blocks
        .iter()
        .any(|b| b.blocked_unit_id == unit && b.lifted_at.is_none())
    {
        Err(already_blocked(unit))
    } else {
        Ok(())
    }
}

/// The 409 for a second block of `unit` ([`check_new_block`]).
pub fn already_blocked(unit: Uuid) -> String {
    format!("she already blocks care unit {unit}; a block in force is lifted, not repeated")
}

impl Block {
    /// Lifts the block (`by`, `at`); a block already lifted cannot be lifted again (`Err`
    /// says so: 409). Who may lift it is `access::Grant::may_manage_blocks`.
    pub fn lift(&self, by: &str, at: DateTime<Utc>) -> Result<Self, &'static str> {
        if self.lifted_at.is_some() {
            return Err("the block is already lifted");
        }
        Ok(Self {
            lifted_by: Some(by.to_owned()),
            lifted_at: Some(at),
            ..self.clone()
        })
    }
}

#[cfg(test)]
mod end_and_lift_tests {
    use super::*;

    #[test]
    fn a_relationship_ends_once_and_a_block_is_lifted_once() {
        let at = DateTime::<Utc>::MIN_UTC;
        let relationship = CareRelationship {
            id: Uuid::nil(),
            person_id: Uuid::nil(),
            care_unit_id: Uuid::nil(),
            organization_id: Uuid::nil(),
            staff_id: None,
            role: RelationshipRole::Other,
            started_by: "a".into(),
            started_by_unit: None,
            started_at: at,
            ended_by: None,
            ended_by_unit: None,
            ended_at: None,
        };
        let ended = relationship.end(Actor::without_unit("b"), at);
        assert!(
            ended
                .as_ref()
                .is_ok_and(|r| !r.is_active() && r.ended_by.as_deref() == Some("b"))
        );
        assert!(ended.is_ok_and(|r| r.end(Actor::without_unit("c"), at).is_err()));
        let in_force = Block {
            id: Uuid::from_u128(7),
            person_id: Uuid::nil(),
            blocked_unit_id: Uuid::from_u128(1),
            reason: None,
            created_by: "esther".into(),
            created_at: at,
            lifted_by: None,
            lifted_at: None,
        };
        let lifted = in_force.lift("esther", at);
        assert!(check_new_block(std::slice::from_ref(&in_force), Uuid::from_u128(1)).is_err());
        assert!(check_new_block(std::slice::from_ref(&in_force), Uuid::from_u128(2)).is_ok());
        assert!(lifted.is_ok_and(|l| check_new_block(&[l], Uuid::from_u128(1)).is_ok()));
        let block = Block {
            id: Uuid::nil(),
            person_id: Uuid::nil(),
            blocked_unit_id: Uuid::nil(),
            reason: None,
            created_by: "her".into(),
            created_at: at,
            lifted_by: None,
            lifted_at: None,
        };
        let lifted = block.lift("her", at);
        assert!(
            lifted
                .as_ref()
                .is_ok_and(|b| b.lifted_by.as_deref() == Some("her"))
        );
        assert!(lifted.is_ok_and(|b| b.lift("her", at).is_err()));
    }
}

crate::string_enum! {
    /// The part a unit or staff member plays in her care.
    pub enum RelationshipRole {
        /// Fast vårdkontakt: her named contact in the region's care.
        FastVardkontakt => "fast_vardkontakt",
        ResponsiblePhysician => "responsible_physician",
        HomeCareContact => "home_care_contact",
        HomeHealthNurse => "home_health_nurse",
        SocialWorker => "social_worker",
        Other => "other",
    }
}

/// A unit (and optionally a staff member) caring for her.
/// Who does something to a care relationship: the user (token `sub`) and the unit they act
/// for (`None` for a caller without one, such as an integration).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor<'a> {
    pub subject: &'a str,
    pub unit: Option<Uuid>,
}

impl<'a> Actor<'a> {
    /// A user acting for no unit (an integration, the demo loader, a test).
    pub fn without_unit(subject: &'a str) -> Self {
        Actor {
            subject,
            unit: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CareRelationship {
    pub id: Uuid,
    pub person_id: Uuid,
    pub care_unit_id: Uuid,
    pub organization_id: Uuid,
    pub staff_id: Option<Uuid>,
    pub role: RelationshipRole,
    /// The user (token `sub`) who started it.
    pub started_by: String,
    /// The unit that user acted for; `None` for a caller without one (an integration), and
    /// for relationships started before this was recorded (migration 000025).
    pub started_by_unit: Option<Uuid>,
    pub started_at: DateTime<Utc>,
    pub ended_by: Option<String>,
    /// The unit the user who ended it acted for, as [`Self::started_by_unit`].
    pub ended_by_unit: Option<Uuid>,
    pub ended_at: Option<DateTime<Utc>>,
}

impl CareRelationship {
    /// A unit's (and optionally one staff member's) care relationship with her, starting
    /// `at`, started by `started_by`. The one way a new relationship is
    /// made: registration, starting one explicitly, and a unit joining her care team for
    /// discharge planning all use it.
    pub fn start(
        id: Uuid,
        person_id: Uuid,
        unit: &crate::CareUnit,
        staff_id: Option<Uuid>,
        role: RelationshipRole,
        started_by: Actor<'_>,
        at: DateTime<Utc>,
    ) -> Self {
        Self {
            id,
            person_id,
            care_unit_id: unit.id,
            organization_id: unit.organization_id,
            staff_id,
            role,
            started_by: started_by.subject.to_owned(),
            started_by_unit: started_by.unit,
            started_at: at,
            ended_by: None,
            ended_by_unit: None,
            ended_at: None,
        }
    }

    pub fn is_active(&self) -> bool {
        self.ended_at.is_none()
    }

    /// Ends the relationship (`by`, `at`); one that has already ended cannot be ended again
    /// (`Err` says so: 409).
    pub fn end(&self, by: Actor<'_>, at: DateTime<Utc>) -> Result<Self, &'static str> {
        if self.is_active() {
            Ok(self.ended(by, at))
        } else {
            Err("the care relationship has already ended")
        }
    }

    /// The relationship as ended by `by` at `at`.
    pub fn ended(&self, by: Actor<'_>, at: DateTime<Utc>) -> Self {
        Self {
            ended_by: Some(by.subject.to_owned()),
            ended_by_unit: by.unit,
            ended_at: Some(at),
            ..self.clone()
        }
    }
}

/// A clinician's time-limited emergency access to a record without consent or relationship.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmergencyAccess {
    pub id: Uuid,
    pub person_id: Uuid,
    pub subject: String,
    pub unit_id: Uuid,
    pub organization_id: Option<Uuid>,
    pub reason: FreeText,
    pub granted_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

crate::string_enum! {
    /// Why personal data was accessed.
    pub enum Purpose {
        /// Within a care relationship, her own record, or an organization's integration.
        Care => "care",
        /// Emergency access without relationship or consent; followed up by admins.
        Emergency => "emergency",
    }
}

crate::string_enum! {
    /// Whether an access was let through.
    pub enum Outcome {
        Allowed => "allowed",
        Denied => "denied",
        /// Let through, but the request was refused afterwards (invalid input, conflict).
        Failed => "failed",
    }
}

/// One entry of the access log. Never updated or deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    pub id: Uuid,
    pub occurred_at: DateTime<Utc>,
    pub subject: String,
    pub unit_id: Option<Uuid>,
    pub organization_id: Option<Uuid>,
    pub person_id: Option<Uuid>,
    /// What was done.
    pub action: AuditAction,
    /// What it was done to.
    pub resource: AuditResource,
    pub purpose: Purpose,
    pub outcome: Outcome,
}

crate::string_enum! {
    /// What a request did to a record, as the access log names it (`audit_events.action`, and
    /// `action` in the API's access-log entries).
    pub enum AuditAction {
        Read => "read",
        Create => "create",
        Update => "update",
        /// A registration that created her record.
        Register => "register",
        /// A registration that found her record already there (and joined her care team).
        RegisterExisting => "register-existing",
        /// A plan's follow-up (SIP).
        FollowUp => "follow-up",
        /// An emergency access opened (nödåtkomst).
        EmergencyAccess => "emergency-access",
        /// A block lifted (spärr hävd).
        Lift => "lift",
        /// A care relationship ended.
        End => "end",
        /// A message retracted from a recipient.
        Retract => "retract",
        Acknowledge => "acknowledge",
        OptOut => "opt-out",
        /// Which municipality pays for a case recorded.
        DecidePayer => "decide-payer",
        /// Her identity number changed (reservnummer → personnummer, or a number replaced).
        ChangeIdentity => "change-identity",
        /// A case conference cancelled.
        Cancel => "cancel",
        /// An invitation answered.
        Answer => "answer",
    }
}

crate::string_enum! {
    /// What part of a record, or which list of records, an access concerned
    /// (`audit_events.resource`).
    pub enum AuditResource {
        Person => "person",
        PersonSearch => "person-search",
        Consent => "consent",
        Consents => "consents",
        Block => "block",
        Blocks => "blocks",
        Statement => "statement",
        Contact => "contact",
        CareRelationship => "care-relationship",
        CareRelationships => "care-relationships",
        AccessLog => "access-log",
        Timeline => "timeline",
        AuditEvents => "audit-events",
        CoordinationCase => "coordination-case",
        CoordinationMessage => "coordination-message",
        Inbox => "inbox",
        OverdueQueue => "overdue-queue",
        CarePlan => "care-plan",
        CarePlans => "care-plans",
        CarePlanVersion => "care-plan-version",
        CarePlanVersions => "care-plan-versions",
        /// Her identity-number history.
        IdentityChanges => "identity-changes",
        /// A unit's caseload (work list), one event per person shown.
        Caseload => "caseload",
        /// The list of coordination cases (work list), one event per person shown.
        CoordinationCases => "coordination-cases",
        /// The list of plans due for follow-up (work list), one event per person shown.
        CarePlansDue => "care-plans-due",
        /// A case conference about her (a meeting naming her), its participants or its
        /// calendar object.
        Meeting => "meeting",
        /// A list of meetings (or a calendar feed) that showed a case conference about her,
        /// one event per person shown.
        Meetings => "meetings",
        /// A case conference's records: agenda, minutes and their versions, decisions, action
        /// items.
        MeetingRecords => "meeting-records",
        /// The list of action items across meetings, one event per person shown.
        ActionItems => "action-items",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The limit counts what is sent, as the spec's `maxLength` does: a phone number padded
    /// past 30 characters is refused, though its digits would pass.
    #[test]
    fn free_text_limits_count_the_text_as_sent() {
        assert!(FreeText::parse_max(&format!("{}\n", "x".repeat(10)), 10).is_err());
        assert!(FreeText::parse_max(&format!(" {} ", "x".repeat(8)), 10).is_ok());
        assert!(parse_phone(&format!("00000{}", "\u{85}".repeat(26))).is_err());
    }

    #[test]
    fn a_name_search_takes_three_to_200_characters_ignoring_case() {
        assert_eq!(
            PersonSearch::name_prefix("  EsT "),
            Ok(PersonSearch::NamePrefix("est".into()))
        );
        for short in ["Es", "   ", ""] {
            let refused = PersonSearch::name_prefix(short);
            assert!(refused.is_err_and(
                |e| e.field == Some("name") && e.message == "must be 3 to 200 characters"
            ));
        }
        assert!(PersonSearch::name_prefix(&"a".repeat(200)).is_ok());
        assert!(PersonSearch::name_prefix(&"a".repeat(201)).is_err());
        // As sent: whitespace around the name counts towards the 200 (the spec's maxLength).
        assert!(PersonSearch::name_prefix(&format!("   {}", "a".repeat(199))).is_err());
    }

    #[test]
    fn a_new_contact_is_recorded_by_whoever_adds_it() {
        let new = NewContact {
            name: DisplayName::parse("Anna Andersson").unwrap_or_else(|e| panic!("{e}")),
            relation: FreeText::parse("dotter").unwrap_or_else(|e| panic!("{e}")),
            phone: None,
            may_be_informed: true,
        };
        let by = Recorder {
            subject: "nurse".into(),
            unit_id: None,
            organization_id: None,
        };
        let at = DateTime::<Utc>::default();
        let contact = new.into_record(Uuid::from_u128(3), Uuid::from_u128(1), by.clone(), at);
        assert_eq!(
            (contact.person_id, contact.recorded_by, contact.recorded_at),
            (Uuid::from_u128(1), by, at)
        );
        assert!(contact.may_be_informed);
    }
}
