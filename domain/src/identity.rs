//! Change of identity number: her personnummer became known (she was registered under a
//! reservnummer), or a number was replaced (a samordningsnummer by a personnummer, or a
//! personnummer changed by Skatteverket, Folkbokföringslag (1991:481) 18 §).
//!
//! Her record stays one person: the person id is kept, so everything that refers to it —
//! relationships, consents, cases, plans, meetings, the access log — stays hers, and nothing
//! is copied. Each earlier number is kept as an [`IdentityChange`], by which search and
//! registration still find her (decision record 0019).
//!
//! A number that belongs to another registered person, now or earlier, is refused with that
//! person's id ([`IdentityChangeRefused::BelongsToAnother`]): two records of one person are
//! merged by nobody automatically (decision record 0019).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::InvalidValue;
use crate::record::{FreeText, Person, Recorder};
use crate::{PersonalNumber, Role};

/// Who may change her identity number: admins and coordinators (the change moves who she is
/// for every caregiver, so it is kept to the roles that administer records), and for a
/// coordinator only on a record the access rules let her change.
pub const IDENTITY_CHANGERS: &[Role] = &[Role::Admin, Role::Coordinator];

/// Longest reason for a change, in characters.
pub const IDENTITY_CHANGE_REASON_MAX_CHARS: usize = 1_000;

/// The reason for a change: 1–1000 characters, no control characters but line breaks and tabs.
pub fn parse_change_reason(text: &str) -> Result<FreeText, InvalidValue> {
    FreeText::parse_max(text, IDENTITY_CHANGE_REASON_MAX_CHARS)
}

/// One change of her identity number, kept in her history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityChange {
    pub id: Uuid,
    pub person_id: Uuid,
    /// The number she was registered under until the change; still finds her.
    pub previous_number: PersonalNumber,
    pub new_number: PersonalNumber,
    pub reason: FreeText,
    pub changed_by: Recorder,
    pub changed_at: DateTime<Utc>,
}

/// Why a change of identity number is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityChangeRefused {
    /// The new number is already her number.
    Unchanged,
    /// The new number is, or was, the number of another registered person: the two records
    /// are not merged (decision record 0019).
    BelongsToAnother { person_id: Uuid },
}

/// A requested change: the new number and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIdentityNumber {
    pub number: PersonalNumber,
    pub reason: FreeText,
}

impl NewIdentityNumber {
    /// Changes `person`'s number. `holder` is the person registered under the new number, now
    /// or earlier, if any (her own earlier number may be taken back). Returns her record with
    /// the new number (same id; the storage moves its version) and the change to keep.
    pub fn apply(
        self,
        person: &Person,
        holder: Option<Uuid>,
        id: Uuid,
        changed_by: Recorder,
        at: DateTime<Utc>,
    ) -> Result<(Person, IdentityChange), IdentityChangeRefused> {
        if self.number == person.personal_number {
            return Err(IdentityChangeRefused::Unchanged);
        }
        if let Some(other) = holder.filter(|holder| *holder != person.id) {
            return Err(IdentityChangeRefused::BelongsToAnother { person_id: other });
        }
        let change = IdentityChange {
            id,
            person_id: person.id,
            previous_number: person.personal_number.clone(),
            new_number: self.number.clone(),
            reason: self.reason,
            changed_by,
            changed_at: at,
        };
        let changed = Person {
            personal_number: self.number,
            updated_at: at,
            ..person.clone()
        };
        Ok((changed, change))
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::DisplayName;
    use crate::fixtures::at;
    use crate::personal_number::{PersonalNumberKind, ReserveNumberPattern};
    use crate::record::ContactDetails;

    fn number(text: &str) -> PersonalNumber {
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default();
        PersonalNumber::parse_with_reserve(text, today, &ReserveNumberPattern::default())
            .unwrap_or_else(|e| panic!("{e}"))
    }

    fn person(id: u128, text: &str) -> Person {
        let name = |n: &str| DisplayName::parse(n).unwrap_or_else(|e| panic!("{e}"));
        Person {
            id: Uuid::from_u128(id),
            personal_number: number(text),
            given_name: name("Okänd"),
            family_name: name("Kvinna"),
            municipality: None,
            protected_identity: false,
            contact: ContactDetails::default(),
            what_matters_to_me: None,
            registered_by: recorder(),
            version: 3,
            created_at: at(),
            updated_at: at(),
        }
    }

    fn recorder() -> Recorder {
        Recorder {
            subject: "coordinator".into(),
            unit_id: Some(Uuid::from_u128(30)),
            organization_id: Some(Uuid::from_u128(21)),
        }
    }

    fn change_to(text: &str) -> NewIdentityNumber {
        NewIdentityNumber {
            number: number(text),
            reason: parse_change_reason("Identifierad med pass").unwrap_or_else(|e| panic!("{e}")),
        }
    }

    #[test]
    fn a_reserve_number_gives_way_to_her_personnummer_on_the_same_record() {
        let her = person(1, "20261130-R123");
        let later = at() + chrono::Duration::hours(2);
        let (changed, change) = change_to("19121212-1212")
            .apply(&her, None, Uuid::from_u128(9), recorder(), later)
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(changed.id, her.id);
        assert_eq!(
            changed.personal_number.kind(),
            PersonalNumberKind::Personnummer
        );
        assert_eq!(
            changed.version, her.version,
            "the storage moves the version"
        );
        assert_eq!(changed.updated_at, later);
        assert_eq!(change.person_id, her.id);
        assert_eq!(change.previous_number.as_str(), "20261130R123");
        assert_eq!(change.new_number.as_str(), "191212121212");
    }

    #[test]
    fn a_number_of_another_record_is_refused_naming_it() {
        let her = person(1, "20261130-R123");
        let other = Uuid::from_u128(2);
        assert_eq!(
            change_to("19121212-1212").apply(
                &her,
                Some(other),
                Uuid::from_u128(9),
                recorder(),
                at()
            ),
            Err(IdentityChangeRefused::BelongsToAnother { person_id: other })
        );
    }

    #[test]
    fn her_own_number_is_no_change_but_her_earlier_one_may_come_back() {
        let her = person(1, "19121212-1212");
        assert_eq!(
            change_to("121212+1212").apply(
                &her,
                Some(her.id),
                Uuid::from_u128(9),
                recorder(),
                at()
            ),
            Err(IdentityChangeRefused::Unchanged)
        );
        // Her earlier reserve number (held by her, not by another record) may be taken back.
        assert!(
            change_to("20261130-R123")
                .apply(&her, Some(her.id), Uuid::from_u128(9), recorder(), at())
                .is_ok()
        );
    }

    #[test]
    fn a_reason_is_required() {
        assert!(parse_change_reason("  ").is_err());
        assert!(parse_change_reason(&"x".repeat(1_001)).is_err());
        assert!(parse_change_reason("Personnummer känt").is_ok());
    }
}
