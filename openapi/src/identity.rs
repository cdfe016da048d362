//! Wire types of a change of identity number (`/persons/{id}/identity-changes`).

use chrono::{DateTime, NaiveDate, Utc};
use domain::access::Grant;
use domain::identity::{IdentityChange, NewIdentityNumber, parse_change_reason};
use domain::personal_number::ReserveNumberPattern;
use domain::record::Person;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::record::{PersonalNumberKind, RecorderResponse};
use crate::{FieldErrors, ValidationFailed};

/// Changes her identity number: her personnummer became known (she was registered under a
/// reservnummer), or a number was replaced. Her record keeps its id; the earlier number still
/// finds her.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentityChangeRequest {
    /// Her new number: personnummer, samordningsnummer (10 or 12 digits, `-`/`+` as in
    /// registration) or a reservnummer in the region's pattern.
    #[schema(example = "19121212-1212", min_length = 1, max_length = 40)]
    pub personal_number: String,
    /// Why her number changes (1–1000 characters), kept in her history.
    #[schema(
        example = "Identifierad med pass; personnummer känt",
        min_length = 1,
        max_length = 1000
    )]
    pub reason: String,
}

impl IdentityChangeRequest {
    pub fn into_domain(
        self,
        today: NaiveDate,
        reserve: &ReserveNumberPattern,
    ) -> Result<NewIdentityNumber, ValidationFailed> {
        let mut errors = FieldErrors::default();
        let number = errors.check(
            "personal_number",
            domain::PersonalNumber::parse_with_reserve(&self.personal_number, today, reserve),
        );
        let reason = errors.check("reason", parse_change_reason(&self.reason));
        match (number, reason) {
            (Some(number), Some(reason)) => Ok(NewIdentityNumber { number, reason }),
            _ => Err(errors.into_failure()),
        }
    }
}

/// One change of her identity number.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IdentityChangeResponse {
    pub id: Uuid,
    pub person_id: Uuid,
    /// The number she was registered under until the change (stored form); search and
    /// registration by it still find her. Left out, with its kind, under protected identity
    /// for all but her and admins ([`domain::access::Grant::may_see_previous_numbers`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "20261130R123")]
    pub previous_personal_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_personal_number_kind: Option<PersonalNumberKind>,
    /// Her number from the change on; under protected identity left out, with its kind, for
    /// all but her and admins once a later change has replaced it (an earlier number then).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "191212121212")]
    pub personal_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub personal_number_kind: Option<PersonalNumberKind>,
    pub reason: String,
    /// Who changed it; left out when it was made at a unit she has blocked from the caller
    /// ([`domain::access::Grant::may_see_unit`]), as her timeline leaves out that unit's events.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changed_by: Option<RecorderResponse>,
    pub changed_at: DateTime<Utc>,
}

impl IdentityChangeResponse {
    /// The change as the caller who made it sees it: whole.
    pub fn made(c: &IdentityChange) -> Self {
        Self {
            id: c.id,
            person_id: c.person_id,
            previous_personal_number: Some(c.previous_number.to_string()),
            previous_personal_number_kind: Some(c.previous_number.kind().into()),
            personal_number: Some(c.new_number.to_string()),
            personal_number_kind: Some(c.new_number.kind().into()),
            reason: c.reason.to_string(),
            changed_by: Some((&c.changed_by).into()),
            changed_at: c.changed_at,
        }
    }

    /// The change as `grant` lets a reader of her record see it (`person`: her record).
    pub fn seen_under(c: &IdentityChange, grant: &Grant, person: &Person) -> Self {
        let mut response = Self::made(c);
        if !grant.may_see_number(person, &c.previous_number) {
            response.previous_personal_number = None;
            response.previous_personal_number_kind = None;
        }
        if !grant.may_see_number(person, &c.new_number) {
            response.personal_number = None;
            response.personal_number_kind = None;
        }
        if !c
            .changed_by
            .unit_id
            .is_none_or(|unit| grant.may_see_unit(unit))
        {
            response.changed_by = None;
        }
        response
    }
}

/// Her identity-number history, oldest change first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IdentityChangeListResponse {
    pub items: Vec<IdentityChangeResponse>,
}
