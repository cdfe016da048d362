//! Wire types of Esther's record: persons, statements, contacts, consents, blocks, care
//! relationships, emergency access and the access log.

use chrono::{DateTime, NaiveDate, Utc};
use domain::access::RelationshipView;
use domain::care_team::NewCareRelationship;
use domain::personal_number::ReserveNumberPattern;
use domain::record::{
    AuditEvent, Block, CareRelationship, Consent, FreeText, NewContact, Person, PersonChanges,
    PersonSearch, RelatedContact, Statement, parse_email, parse_phone,
};
use domain::registration::Registration;
use domain::{DisplayName, MunicipalityCode};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::wire_enum::wire_enum;
use crate::{FieldErrors, ValidationFailed};

wire_enum! {
    /// Personnummer; samordningsnummer for people not registered in Sweden; reservnummer, the
    /// region's number for a patient not identified yet (no birth date).
    PersonalNumberKind => personal_number::PersonalNumberKind { Personnummer, Samordningsnummer, Reservnummer }
}

wire_enum! {
    /// How much of her birth date her number gives: `day` (complete, `birth_date` set),
    /// `month` (year and month; a samordningsnummer with day `60`), `year` (a samordningsnummer
    /// with month `00`).
    BirthDatePrecision => personal_number::BirthDatePrecision { Day, Month, Year }
}

/// What her number tells of her birth date, as the person responses show it: `birth_date` only
/// when complete, never an invented day; all `null` for a reservnummer.
#[derive(Debug, Clone, Copy, Default, Serialize, ToSchema)]
pub struct BirthFields {
    /// The complete birth date; `null` when her number gives only the year or year and month,
    /// or none (reservnummer).
    pub birth_date: Option<NaiveDate>,
    pub birth_date_precision: Option<BirthDatePrecision>,
    #[schema(example = 1970)]
    pub birth_year: Option<i32>,
    /// 1–12 when known.
    #[schema(example = 10, minimum = 1, maximum = 12)]
    pub birth_month: Option<u32>,
}

impl From<&domain::PersonalNumber> for BirthFields {
    fn from(number: &domain::PersonalNumber) -> Self {
        match number.birth() {
            None => Self::default(),
            Some(birth) => Self {
                birth_date: birth.date(),
                birth_date_precision: Some(birth.precision().into()),
                birth_year: Some(birth.year()),
                birth_month: birth.month(),
            },
        }
    }
}

wire_enum! {
    /// What a statement says: a need, a resource, an ability, or a goal of her own.
    StatementKind => record::StatementKind { Need, Resource, Ability, Goal }
}

wire_enum! {
    /// What a consent covers.
    ConsentScope => record::ConsentScope { InformationSharing, CoordinatedPlanning, RelativesParticipation }
}

wire_enum! {
    /// What she decided.
    ConsentStatus => record::ConsentStatus { Given, Withdrawn, Refused }
}

wire_enum! {
    /// The part a unit or staff member plays in her care.
    RelationshipRole => record::RelationshipRole { FastVardkontakt, ResponsiblePhysician, HomeCareContact, HomeHealthNurse, SocialWorker, Other }
}

wire_enum! {
    /// Why personal data was accessed.
    Purpose => record::Purpose { Care, Emergency }
}

wire_enum! {
    /// Whether an access was let through (`failed`: let through, but the request was refused later, e.g. invalid input).
    Outcome => record::Outcome { Allowed, Denied, Failed }
}

fn optional_text(
    errors: &mut FieldErrors,
    field: &'static str,
    value: Option<Option<String>>,
    parse: impl FnOnce(&str) -> Result<FreeText, domain::InvalidValue>,
) -> Option<Option<Option<FreeText>>> {
    match value {
        None => Some(None),
        Some(None) => Some(Some(None)),
        Some(Some(text)) => errors.check(field, parse(&text)).map(|t| Some(Some(t))),
    }
}

/// Who wrote an entry: the user and, when written as staff, their unit and organization.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RecorderResponse {
    pub subject: String,
    pub unit_id: Option<Uuid>,
    pub organization_id: Option<Uuid>,
}

impl From<&domain::record::Recorder> for RecorderResponse {
    fn from(r: &domain::record::Recorder) -> Self {
        Self {
            subject: r.subject.clone(),
            unit_id: r.unit_id,
            organization_id: r.organization_id,
        }
    }
}

/// Contact details of the person.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContactDetailsResponse {
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// A statement about her needs, resources, abilities or goals.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatementResponse {
    pub id: Uuid,
    pub kind: StatementKind,
    pub text: String,
    pub recorded_by: RecorderResponse,
    pub recorded_at: DateTime<Utc>,
}

impl From<&Statement> for StatementResponse {
    fn from(s: &Statement) -> Self {
        Self {
            id: s.id,
            kind: s.kind.into(),
            text: s.text.to_string(),
            recorded_by: (&s.recorded_by).into(),
            recorded_at: s.recorded_at,
        }
    }
}

/// A relative or other contact.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RelatedContactResponse {
    pub id: Uuid,
    pub name: String,
    pub relation: String,
    pub phone: Option<String>,
    pub may_be_informed: bool,
    pub recorded_by: RecorderResponse,
    pub recorded_at: DateTime<Utc>,
}

impl From<&RelatedContact> for RelatedContactResponse {
    fn from(c: &RelatedContact) -> Self {
        Self {
            id: c.id,
            name: c.name.to_string(),
            relation: c.relation.to_string(),
            phone: c.phone.as_ref().map(ToString::to_string),
            may_be_informed: c.may_be_informed,
            recorded_by: (&c.recorded_by).into(),
            recorded_at: c.recorded_at,
        }
    }
}

/// A unit (and optionally a staff member) caring for her.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CareRelationshipResponse {
    pub id: Uuid,
    pub person_id: Uuid,
    pub care_unit_id: Uuid,
    pub organization_id: Uuid,
    pub staff_id: Option<Uuid>,
    pub role: RelationshipRole,
    pub active: bool,
    /// The user (token `sub`) who started it; `null` when her block (spärr) hides from the
    /// caller the unit that user acted for (a user's id names the unit in the staff directory;
    /// decision 0027).
    pub started_by: Option<String>,
    pub started_at: DateTime<Utc>,
    /// The user who ended it: `null` while it is active, and when her block hides from the
    /// caller the unit that user acted for (`ended_at` is shown either way).
    pub ended_by: Option<String>,
    pub ended_at: Option<DateTime<Utc>>,
}

impl From<&CareRelationship> for CareRelationshipResponse {
    /// The whole relationship, for the caller who just started or ended it.
    fn from(r: &CareRelationship) -> Self {
        Self::from(RelationshipView::whole(r))
    }
}

impl From<RelationshipView<'_>> for CareRelationshipResponse {
    fn from(view: RelationshipView<'_>) -> Self {
        let r = view.relationship;
        Self {
            id: r.id,
            person_id: r.person_id,
            care_unit_id: r.care_unit_id,
            organization_id: r.organization_id,
            staff_id: r.staff_id,
            role: r.role.into(),
            active: r.is_active(),
            started_by: Some(r.started_by.clone()).filter(|_| view.started_by_shown),
            started_at: r.started_at,
            ended_by: r.ended_by.clone().filter(|_| view.ended_by_shown),
            ended_at: r.ended_at,
        }
    }
}

/// Her record as the caller may see it. Entries the access rules hide are left out; for a
/// person with protected identity, `contact` and `related_contacts` are left out for everyone
/// but admins and herself, and `contact_details_withheld` is true.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonResponse {
    pub id: Uuid,
    /// 12 digits `YYYYMMDDNNNC`; a reservnummer in its compact form (upper case, no `-`).
    #[schema(example = "191212121212")]
    pub personal_number: String,
    pub personal_number_kind: PersonalNumberKind,
    pub given_name: String,
    pub family_name: String,
    #[serde(flatten)]
    pub birth: BirthFields,
    pub municipality: Option<String>,
    /// Skyddad identitet.
    pub protected_identity: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<ContactDetailsResponse>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related_contacts: Option<Vec<RelatedContactResponse>>,
    pub contact_details_withheld: bool,
    pub what_matters_to_me: Option<String>,
    pub statements: Vec<StatementResponse>,
    pub care_relationships: Vec<CareRelationshipResponse>,
    /// Why the caller may see this record now: `emergency` reads are followed up.
    pub access_purpose: Purpose,
    /// Increases with every change; the `ETag` is this number in quotes.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What of a record a caller may see, decided by the access rules.
pub struct PersonView<'a> {
    pub person: &'a Person,
    pub show_contact_details: bool,
    pub statements: Vec<&'a Statement>,
    pub related_contacts: Vec<&'a RelatedContact>,
    pub care_relationships: Vec<RelationshipView<'a>>,
    pub purpose: domain::record::Purpose,
}

impl From<PersonView<'_>> for PersonResponse {
    fn from(view: PersonView<'_>) -> Self {
        let p = view.person;
        let text = |t: &Option<FreeText>| t.as_ref().map(ToString::to_string);
        Self {
            id: p.id,
            personal_number: p.personal_number.to_string(),
            personal_number_kind: p.personal_number.kind().into(),
            given_name: p.given_name.to_string(),
            family_name: p.family_name.to_string(),
            birth: BirthFields::from(&p.personal_number),
            municipality: p.municipality.map(|m| m.as_str().to_owned()),
            protected_identity: p.protected_identity,
            contact: view.show_contact_details.then(|| ContactDetailsResponse {
                address: text(&p.contact.address),
                phone: text(&p.contact.phone),
                email: text(&p.contact.email),
            }),
            related_contacts: view.show_contact_details.then(|| {
                view.related_contacts
                    .iter()
                    .map(|c| RelatedContactResponse::from(*c))
                    .collect()
            }),
            contact_details_withheld: !view.show_contact_details,
            what_matters_to_me: text(&p.what_matters_to_me),
            statements: view
                .statements
                .iter()
                .map(|s| StatementResponse::from(*s))
                .collect(),
            care_relationships: view
                .care_relationships
                .iter()
                .map(|r| CareRelationshipResponse::from(*r))
                .collect(),
            access_purpose: view.purpose.into(),
            version: p.version,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// A person as a search or a list shows her: identity only, never contact details.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonSummary {
    pub id: Uuid,
    pub personal_number: String,
    pub personal_number_kind: PersonalNumberKind,
    pub given_name: String,
    pub family_name: String,
    #[serde(flatten)]
    pub birth: BirthFields,
    pub municipality: Option<String>,
}

impl From<&Person> for PersonSummary {
    fn from(p: &Person) -> Self {
        Self {
            id: p.id,
            personal_number: p.personal_number.to_string(),
            personal_number_kind: p.personal_number.kind().into(),
            given_name: p.given_name.to_string(),
            family_name: p.family_name.to_string(),
            birth: BirthFields::from(&p.personal_number),
            municipality: p.municipality.map(|m| m.as_str().to_owned()),
        }
    }
}

/// The persons a search found that the caller may see.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonSearchResponse {
    pub items: Vec<PersonSummary>,
}

/// Registers Esther at the caller's unit: creates her record, or finds it when her number is
/// known, and starts the unit's care relationship either way.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterPersonRequest {
    /// Personnummer or samordningsnummer, 10 or 12 digits, with or without `-`/`+` (a
    /// samordningsnummer may leave the birth month `00` and/or day `60` unknown); or a
    /// reservnummer in the region's pattern (`SMARTCARE_RESERVE_NUMBER_PATTERN`).
    #[schema(example = "19121212-1212", pattern = "<personal-number>")]
    pub personal_number: String,
    #[schema(
        example = "Esther",
        min_length = 1,
        max_length = 200,
        pattern = "<name>"
    )]
    pub given_name: String,
    #[schema(
        example = "Andersson",
        min_length = 1,
        max_length = 200,
        pattern = "<name>"
    )]
    pub family_name: String,
    #[schema(
        example = "0682",
        pattern = "^06(04|17|42|43|62|65|80|82|83|84|85|86|87)$"
    )]
    pub municipality: Option<String>,
    #[serde(default)]
    pub protected_identity: bool,
    #[schema(min_length = 1, max_length = 200, pattern = "<free-text>")]
    pub address: Option<String>,
    #[schema(min_length = 5, max_length = 30, pattern = "<phone>")]
    pub phone: Option<String>,
    #[schema(min_length = 3, max_length = 254, pattern = "<email>")]
    pub email: Option<String>,
    /// The caller's unit's part in her care (default `other`).
    #[schema(value_type = Option<RelationshipRole>)]
    pub role: Option<String>,
}

impl RegisterPersonRequest {
    pub fn into_domain(
        self,
        today: NaiveDate,
        reserve: &ReserveNumberPattern,
    ) -> Result<Registration, ValidationFailed> {
        let mut errors = FieldErrors::default();
        let number = errors.check(
            "personal_number",
            domain::PersonalNumber::parse_with_reserve(&self.personal_number, today, reserve),
        );
        let given_name = errors.check("given_name", DisplayName::parse(&self.given_name));
        let family_name = errors.check("family_name", DisplayName::parse(&self.family_name));
        let municipality = errors.check_optional(
            "municipality",
            self.municipality.as_deref(),
            MunicipalityCode::parse,
        );
        let address = errors.check_optional("address", self.address.as_deref(), |t| {
            FreeText::parse_max(t, 200)
        });
        let phone = errors.check_optional("phone", self.phone.as_deref(), parse_phone);
        let email = errors.check_optional("email", self.email.as_deref(), parse_email);
        let role = errors.check_optional(
            "role",
            self.role.as_deref(),
            domain::record::RelationshipRole::parse,
        );
        let (
            Some(personal_number),
            Some(given_name),
            Some(family_name),
            Some(municipality),
            Some(address),
            Some(phone),
            Some(email),
            Some(role),
        ) = (
            number,
            given_name,
            family_name,
            municipality,
            address,
            phone,
            email,
            role,
        )
        else {
            return Err(errors.into_failure());
        };
        Ok(Registration {
            personal_number,
            given_name,
            family_name,
            municipality,
            protected_identity: self.protected_identity,
            contact: domain::record::ContactDetails {
                address,
                phone,
                email,
            },
            role: role.unwrap_or(domain::record::RelationshipRole::Other),
        })
    }
}

/// Changes her record; absent fields stay, `null` clears an optional one.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatePersonRequest {
    #[schema(min_length = 1, max_length = 200, pattern = "<name>")]
    pub given_name: Option<String>,
    #[schema(min_length = 1, max_length = 200, pattern = "<name>")]
    pub family_name: Option<String>,
    #[serde(default, deserialize_with = "crate::directory::present")]
    #[schema(value_type = Option<String>, pattern = "^06(04|17|42|43|62|65|80|82|83|84|85|86|87)$")]
    pub municipality: Option<Option<String>>,
    pub protected_identity: Option<bool>,
    #[serde(default, deserialize_with = "crate::directory::present")]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 200, pattern = "<free-text>")]
    pub address: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::directory::present")]
    #[schema(value_type = Option<String>, min_length = 5, max_length = 30, pattern = "<phone>")]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::directory::present")]
    #[schema(value_type = Option<String>, min_length = 3, max_length = 254, pattern = "<email>")]
    pub email: Option<Option<String>>,
    /// "What matters to me", in her words.
    #[serde(default, deserialize_with = "crate::directory::present")]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 4000, pattern = "<free-text>")]
    pub what_matters_to_me: Option<Option<String>>,
}

impl UpdatePersonRequest {
    pub fn into_domain(self) -> Result<PersonChanges, ValidationFailed> {
        let mut errors = FieldErrors::default();
        let given_name =
            errors.check_optional("given_name", self.given_name.as_deref(), DisplayName::parse);
        let family_name = errors.check_optional(
            "family_name",
            self.family_name.as_deref(),
            DisplayName::parse,
        );
        let municipality = match self.municipality {
            None => Some(None),
            Some(None) => Some(Some(None)),
            Some(Some(code)) => errors
                .check("municipality", MunicipalityCode::parse(&code))
                .map(|m| Some(Some(m))),
        };
        let address = optional_text(&mut errors, "address", self.address, |t| {
            FreeText::parse_max(t, 200)
        });
        let phone = optional_text(&mut errors, "phone", self.phone, parse_phone);
        let email = optional_text(&mut errors, "email", self.email, parse_email);
        let what_matters = optional_text(
            &mut errors,
            "what_matters_to_me",
            self.what_matters_to_me,
            FreeText::parse,
        );
        let (
            Some(given_name),
            Some(family_name),
            Some(municipality),
            Some(address),
            Some(phone),
            Some(email),
            Some(what_matters_to_me),
        ) = (
            given_name,
            family_name,
            municipality,
            address,
            phone,
            email,
            what_matters,
        )
        else {
            return Err(errors.into_failure());
        };
        Ok(PersonChanges {
            given_name,
            family_name,
            municipality,
            protected_identity: self.protected_identity,
            address,
            phone,
            email,
            what_matters_to_me,
        })
    }
}

/// Finds persons: by exact personal number, or by name (at least 3 characters) among the
/// persons the caller's unit or organization cares for. Sent in the body so numbers and names
/// never land in URLs or proxy logs.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchPersonsRequest {
    #[schema(pattern = "<personal-number>")]
    pub personal_number: Option<String>,
    /// The start of "given-name family-name", ignoring case; 3 to 200 characters.
    #[schema(min_length = 3, max_length = 200, pattern = "<name-search>")]
    pub name: Option<String>,
}

impl SearchPersonsRequest {
    pub fn into_domain(
        self,
        today: NaiveDate,
        reserve: &ReserveNumberPattern,
    ) -> Result<PersonSearch, ValidationFailed> {
        let mut errors = FieldErrors::default();
        match (self.personal_number, self.name) {
            (Some(number), None) => {
                let parsed = errors.check(
                    "personal_number",
                    domain::PersonalNumber::parse_with_reserve(&number, today, reserve),
                );
                parsed
                    .map(PersonSearch::Number)
                    .ok_or_else(|| errors.into_failure())
            }
            (None, Some(name)) => errors
                .check("name", PersonSearch::name_prefix(&name))
                .ok_or_else(|| errors.into_failure()),
            _ => {
                errors.push("body", "give exactly one of `personal_number` and `name`");
                Err(errors.into_failure())
            }
        }
    }
}

/// Records a statement about her.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddStatementRequest {
    #[schema(value_type = StatementKind)]
    pub kind: String,
    #[schema(
        example = "Vill kunna gå till affären själv igen",
        min_length = 1,
        max_length = 4000,
        pattern = "<free-text>"
    )]
    pub text: String,
}

impl AddStatementRequest {
    pub fn into_domain(
        self,
    ) -> Result<(domain::record::StatementKind, FreeText), ValidationFailed> {
        let mut errors = FieldErrors::default();
        let kind = errors.check("kind", domain::record::StatementKind::parse(&self.kind));
        let text = errors.check("text", FreeText::parse(&self.text));
        let (Some(kind), Some(text)) = (kind, text) else {
            return Err(errors.into_failure());
        };
        Ok((kind, text))
    }
}

/// Records a relative or other contact.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddContactRequest {
    #[schema(min_length = 1, max_length = 200, pattern = "<name>")]
    pub name: String,
    /// E.g. daughter, neighbour, god man.
    #[schema(min_length = 1, max_length = 100, pattern = "<free-text>")]
    pub relation: String,
    #[schema(min_length = 5, max_length = 30, pattern = "<phone>")]
    pub phone: Option<String>,
    #[serde(default)]
    pub may_be_informed: bool,
}

impl AddContactRequest {
    pub fn into_domain(self) -> Result<NewContact, ValidationFailed> {
        let mut errors = FieldErrors::default();
        let name = errors.check("name", DisplayName::parse(&self.name));
        let relation = errors.check("relation", FreeText::parse_max(&self.relation, 100));
        let phone = errors.check_optional("phone", self.phone.as_deref(), parse_phone);
        let (Some(name), Some(relation), Some(phone)) = (name, relation, phone) else {
            return Err(errors.into_failure());
        };
        Ok(NewContact {
            name,
            relation,
            phone,
            may_be_informed: self.may_be_informed,
        })
    }
}

/// Records a consent decision.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordConsentRequest {
    #[schema(value_type = ConsentScope)]
    pub scope: String,
    #[schema(value_type = ConsentStatus)]
    pub status: String,
    /// First day in force (default: today, Europe/Stockholm).
    #[schema(pattern = "^(19|20|21)[0-9]{2}-")]
    pub valid_from: Option<NaiveDate>,
    /// Last day in force; open-ended when absent.
    #[schema(pattern = "^(19|20|21)[0-9]{2}-")]
    pub valid_to: Option<NaiveDate>,
}

impl RecordConsentRequest {
    pub fn into_domain(
        self,
        today: NaiveDate,
    ) -> Result<
        (
            domain::record::ConsentScope,
            domain::record::ConsentStatus,
            NaiveDate,
            Option<NaiveDate>,
        ),
        ValidationFailed,
    > {
        let mut errors = FieldErrors::default();
        let scope = errors.check("scope", domain::record::ConsentScope::parse(&self.scope));
        let status = errors.check("status", domain::record::ConsentStatus::parse(&self.status));
        errors.plausible_date("valid_from", self.valid_from);
        errors.plausible_date("valid_to", self.valid_to);
        let valid_from = self.valid_from.unwrap_or(today);
        if self.valid_to.is_some_and(|to| to < valid_from) {
            errors.push("valid_to", "must not be before valid_from");
        }
        let (Some(scope), Some(status), true) = (scope, status, errors.is_empty()) else {
            return Err(errors.into_failure());
        };
        Ok((scope, status, valid_from, self.valid_to))
    }
}

/// One recorded consent decision; the latest per scope is in force.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConsentResponse {
    pub id: Uuid,
    pub scope: ConsentScope,
    pub status: ConsentStatus,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    /// This decision is the latest for its scope and grants it today.
    pub in_force: bool,
    /// Who recorded it; `null` when her block (spärr) hides from the caller the unit they
    /// recorded it for (the decision itself is hers and shown to all who may read her record;
    /// decision 0027).
    pub recorded_by: Option<RecorderResponse>,
    pub recorded_at: DateTime<Utc>,
}

impl ConsentResponse {
    /// Her decision as shown to a caller; `recorder_shown` says whether `recorded_by` is.
    pub fn new(consent: &Consent, in_force: bool, recorder_shown: bool) -> Self {
        Self {
            id: consent.id,
            scope: consent.scope.into(),
            status: consent.status.into(),
            valid_from: consent.valid_from,
            valid_to: consent.valid_to,
            in_force,
            recorded_by: Some((&consent.recorded_by).into()).filter(|_| recorder_shown),
            recorded_at: consent.recorded_at,
        }
    }
}

/// Her consent decisions, oldest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConsentHistoryResponse {
    pub items: Vec<ConsentResponse>,
}

/// Blocks a unit's information from other units.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateBlockRequest {
    pub care_unit_id: Uuid,
    #[schema(min_length = 1, max_length = 1000, pattern = "<free-text>")]
    pub reason: Option<String>,
}

/// A block (spärr).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BlockResponse {
    pub id: Uuid,
    pub person_id: Uuid,
    pub care_unit_id: Uuid,
    pub reason: Option<String>,
    pub active: bool,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub lifted_by: Option<String>,
    pub lifted_at: Option<DateTime<Utc>>,
}

impl From<&Block> for BlockResponse {
    fn from(b: &Block) -> Self {
        Self {
            id: b.id,
            person_id: b.person_id,
            care_unit_id: b.blocked_unit_id,
            reason: b.reason.as_ref().map(ToString::to_string),
            active: b.lifted_at.is_none(),
            created_by: b.created_by.clone(),
            created_at: b.created_at,
            lifted_by: b.lifted_by.clone(),
            lifted_at: b.lifted_at,
        }
    }
}

/// Her blocks, lifted ones included.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BlockListResponse {
    pub items: Vec<BlockResponse>,
}

/// Starts a care relationship of a unit (and optionally one of its staff).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartCareRelationshipRequest {
    pub care_unit_id: Uuid,
    pub staff_id: Option<Uuid>,
    #[schema(value_type = RelationshipRole)]
    pub role: String,
}

impl StartCareRelationshipRequest {
    pub fn into_domain(self) -> Result<NewCareRelationship, ValidationFailed> {
        let mut errors = FieldErrors::default();
        let role = errors.check("role", domain::record::RelationshipRole::parse(&self.role));
        let Some(role) = role else {
            return Err(errors.into_failure());
        };
        Ok(NewCareRelationship {
            care_unit_id: self.care_unit_id,
            staff_id: self.staff_id,
            role,
        })
    }
}

/// Her care relationships, ended ones included.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CareRelationshipListResponse {
    pub items: Vec<CareRelationshipResponse>,
}

/// Asks for emergency access to a record without relationship or consent.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmergencyAccessRequest {
    #[schema(pattern = "<personal-number>")]
    pub personal_number: String,
    /// Why the record must be opened now; kept for the follow-up.
    #[schema(min_length = 1, max_length = 1000, pattern = "<free-text>")]
    pub reason: String,
}

/// A granted emergency access.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EmergencyAccessResponse {
    pub id: Uuid,
    pub person_id: Uuid,
    pub reason: String,
    pub granted_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// One access-log event.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditEventResponse {
    pub id: Uuid,
    pub occurred_at: DateTime<Utc>,
    /// The user (token `sub`). `null` only in her own extract, for an event made by someone
    /// else for no care unit or organization (another person's own token refused at her
    /// record, an administrator): such a subject may identify another private person
    /// (`domain::access::extract_names_user`).
    pub subject: Option<String>,
    pub unit_id: Option<Uuid>,
    pub organization_id: Option<Uuid>,
    pub person_id: Option<Uuid>,
    pub action: String,
    pub resource: String,
    pub purpose: Purpose,
    pub outcome: Outcome,
}

impl From<AuditEvent> for AuditEventResponse {
    fn from(e: AuditEvent) -> Self {
        Self {
            id: e.id,
            occurred_at: e.occurred_at,
            subject: Some(e.subject),
            unit_id: e.unit_id,
            organization_id: e.organization_id,
            person_id: e.person_id,
            action: e.action.as_str().to_owned(),
            resource: e.resource.as_str().to_owned(),
            purpose: e.purpose.into(),
            outcome: e.outcome.into(),
        }
    }
}

/// Paging of lists that take no filters (her access-log extract, her timeline).
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams, Validate)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page size, 1 to 200 (default 50).
    #[validate(range(min = 1, max = 200, message = "must be between 1 and 200"))]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next` value of the previous page.
    #[param(pattern = "<cursor>")]
    pub cursor: Option<String>,
}

/// Filters and paging of `GET /api/v1/audit-events`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams, Validate)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditEventQuery {
    /// Only this action, e.g. `register-existing` (registering a person already known, which
    /// starts a care relationship) or `emergency-access`.
    #[validate(length(min = 1, max = 100, message = "must be 1 to 100 characters"))]
    #[param(min_length = 1, max_length = 100, pattern = "<text>")]
    pub action: Option<String>,
    /// Events about this person.
    pub person: Option<Uuid>,
    /// Events of this user (token `sub`).
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    #[param(pattern = "<text>")]
    pub user: Option<String>,
    /// Events of callers at this unit.
    pub unit: Option<Uuid>,
    /// Only emergency accesses, for follow-up.
    pub emergency_only: Option<bool>,
    /// From this time (inclusive).
    #[param(pattern = "^(19|20|21)[0-9]{2}-")]
    pub from: Option<DateTime<Utc>>,
    /// Until this time (exclusive); not before `from` (400).
    #[param(pattern = "^(19|20|21)[0-9]{2}-")]
    pub to: Option<DateTime<Utc>>,
    /// Page size, 1 to 200 (default 50).
    #[validate(range(min = 1, max = 200, message = "must be between 1 and 200"))]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next` value of the previous page.
    #[param(pattern = "<cursor>")]
    pub cursor: Option<String>,
}

crate::directory::page_params!(PageQuery, AuditEventQuery);
