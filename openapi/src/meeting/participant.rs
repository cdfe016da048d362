//! Wire types of a meeting's participants (`/api/v1/meetings/{id}/participants`).

use chrono::{DateTime, Utc};
use domain::meeting::participant::{
    self as rules, Invitee, Participant, Representative, invited_representative_name,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::validation::{FieldErrors, ValidationFailed};
use crate::wire_enum::wire_enum;

wire_enum! {
    /// What a participant is: a staff member, a whole care unit, a whole organization, a
    /// patient or relative representative, or the person a case conference is about.
    ParticipantKind => meeting::participant::ParticipantKind {
        Staff, CareUnit, Organization, Representative, Person,
    }
}

wire_enum! {
    /// Who a representative speaks for: patients or relatives.
    RepresentativeRole => meeting::participant::RepresentativeRole {
        PatientRepresentative, RelativeRepresentative,
    }
}

wire_enum! {
    /// The answer to the invitation: `invited` until one of `accepted`, `declined`,
    /// `tentative` is recorded.
    ParticipantResponseStatus => meeting::participant::ResponseStatus {
        Invited, Accepted, Declined, Tentative,
    }
}

wire_enum! {
    /// Whether the participant took part in the held meeting.
    Attendance => meeting::participant::Attendance { Attended, Absent }
}

/// An answer that can be recorded (`invited` is where every participant starts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InvitationAnswer {
    Accepted,
    Declined,
    Tentative,
}

/// A patient or relative representative to invite: a name and a role, no personnummer.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RepresentativeRequest {
    /// Her name: required when `consent_to_be_named` is true (422 naming
    /// `representative.name` without it); without consent it need not be sent, and one sent is
    /// checked as any name (422 naming `representative.name` when it breaks the rules) and not
    /// kept (GDPR art. 5.1 c).
    #[schema(
        example = "Anna Andersson",
        min_length = 1,
        max_length = 200,
        pattern = "<free-text>",
        nullable = false
    )]
    pub name: Option<String>,
    #[schema(value_type = RepresentativeRole)]
    pub role: String,
    /// Whether she agreed to be named; without it everyone is shown "patient representative"
    /// or "relative representative" instead of her name.
    pub consent_to_be_named: bool,
}

/// Invites one participant: exactly one of `staff_id`, `care_unit_id`, `organization_id`
/// (each an existing, active record) or `representative`, not `null` (the spec states
/// "exactly one" as one property, none nullable).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(min_properties = 1, max_properties = 1)]
pub struct InviteParticipantRequest {
    /// A staff member, who may then answer for herself (her token's HSA-id claim).
    #[schema(nullable = false)]
    pub staff_id: Option<Uuid>,
    /// A whole care unit.
    #[schema(nullable = false)]
    pub care_unit_id: Option<Uuid>,
    /// A whole organization.
    #[schema(nullable = false)]
    pub organization_id: Option<Uuid>,
    /// A patient or relative representative.
    #[schema(nullable = false)]
    pub representative: Option<RepresentativeRequest>,
    /// Esther herself: only the registered person the case conference is about (else 422).
    /// She then reads the meeting and answers her invitation with her own token.
    #[schema(nullable = false)]
    pub person_id: Option<Uuid>,
}

const ONE_INVITEE: &str =
    "give exactly one of staff_id, care_unit_id, organization_id, representative, person_id";

impl InviteParticipantRequest {
    /// The invitee, or every field that breaks a rule.
    pub fn into_domain(self, today: chrono::NaiveDate) -> Result<Invitee, ValidationFailed> {
        let mut errors = FieldErrors::default();
        let mut given = Vec::new();
        if let Some(id) = self.staff_id {
            given.push(("staff_id", Some(Invitee::Staff(id))));
        }
        if let Some(id) = self.care_unit_id {
            given.push(("care_unit_id", Some(Invitee::CareUnit(id))));
        }
        if let Some(id) = self.organization_id {
            given.push(("organization_id", Some(Invitee::Organization(id))));
        }
        if let Some(representative) = self.representative {
            let name = errors.check(
                "representative.name",
                invited_representative_name(
                    representative.name.as_deref(),
                    representative.consent_to_be_named,
                    today,
                ),
            );
            let role = errors.check(
                "representative.role",
                rules::RepresentativeRole::parse(&representative.role),
            );
            let invitee = name
                .zip(role)
                .map(|(name, role)| Invitee::Representative(Representative { name, role }));
            given.push(("representative", invitee));
        }
        if let Some(id) = self.person_id {
            given.push(("person_id", Some(Invitee::Person(id))));
        }
        match given.as_slice() {
            [] => errors.push("staff_id", ONE_INVITEE),
            [_] => {}
            [_, (second, _), ..] => errors.push(second, ONE_INVITEE),
        }
        match given.pop() {
            Some((_, Some(invitee))) if errors.is_empty() => Ok(invitee),
            _ => Err(errors.into_failure()),
        }
    }
}

/// Records a participant's answer to the invitation.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordResponseRequest {
    #[schema(value_type = InvitationAnswer)]
    pub response: String,
}

impl RecordResponseRequest {
    pub fn into_domain(self) -> Result<rules::ResponseStatus, ValidationFailed> {
        let mut errors = FieldErrors::default();
        errors
            .check("response", rules::ResponseStatus::parse(&self.response))
            .ok_or_else(|| errors.into_failure())
    }
}

/// Records whether a participant took part in the held meeting.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordAttendanceRequest {
    #[schema(value_type = Attendance)]
    pub attendance: String,
}

impl RecordAttendanceRequest {
    pub fn into_domain(self) -> Result<rules::Attendance, ValidationFailed> {
        let mut errors = FieldErrors::default();
        errors
            .check("attendance", rules::Attendance::parse(&self.attendance))
            .ok_or_else(|| errors.into_failure())
    }
}

/// A representative as everyone is shown her.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RepresentativeResponse {
    /// Her name when she consented to be named; otherwise the name is withheld and this is
    /// "patient representative" or "relative representative".
    #[schema(example = "relative representative")]
    pub name: String,
    pub role: RepresentativeRole,
    /// Whether she consents to be named now: false when she did not at her invitation, or
    /// has withdrawn her consent since (`…/withdraw-name-consent`).
    pub consent_to_be_named: bool,
    /// True when `name` is her role because she did not consent to be named or withdrew
    /// that consent (her name is then not kept at all).
    pub name_withheld: bool,
}

/// A participant of a meeting.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeetingParticipantResponse {
    pub id: Uuid,
    pub meeting_id: Uuid,
    pub kind: ParticipantKind,
    /// The staff member (kind `staff`).
    pub staff_id: Option<Uuid>,
    /// The care unit (kind `care_unit`).
    pub care_unit_id: Option<Uuid>,
    /// The organization (kind `organization`).
    pub organization_id: Option<Uuid>,
    /// The representative (kind `representative`).
    pub representative: Option<RepresentativeResponse>,
    /// The registered person the case conference is about (kind `person`).
    pub person_id: Option<Uuid>,
    pub response: ParticipantResponseStatus,
    /// `attended` or `absent` once recorded for the held meeting.
    pub attendance: Option<Attendance>,
    /// The user (token `sub`) who invited her.
    pub invited_by: String,
    /// Increases with every change; the `ETag` is this number in quotes.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Participant> for MeetingParticipantResponse {
    fn from(participant: Participant) -> Self {
        let id_of = |kind| {
            (participant.invitee.kind() == kind)
                .then(|| participant.invitee.directory_id())
                .flatten()
        };
        let representative = match &participant.invitee {
            Invitee::Representative(r) => Some(RepresentativeResponse {
                name: r.shown_name().to_owned(),
                role: r.role.into(),
                consent_to_be_named: r.consents_to_be_named(),
                name_withheld: !r.consents_to_be_named(),
            }),
            _ => None,
        };
        Self {
            id: participant.id,
            meeting_id: participant.meeting_id,
            kind: participant.invitee.kind().into(),
            staff_id: id_of(rules::ParticipantKind::Staff),
            care_unit_id: id_of(rules::ParticipantKind::CareUnit),
            organization_id: id_of(rules::ParticipantKind::Organization),
            representative,
            person_id: id_of(rules::ParticipantKind::Person),
            response: participant.response.into(),
            attendance: participant.attendance.map(Into::into),
            invited_by: participant.invited_by,
            version: participant.version,
            created_at: participant.created_at,
            updated_at: participant.updated_at,
        }
    }
}

/// Paging of `GET /api/v1/meetings/{id}/participants`, in invitation order.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams, Validate)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ParticipantQuery {
    /// Page size, 1 to 200 (default 50).
    #[validate(range(min = 1, max = 200, message = "must be between 1 and 200"))]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next` value of the previous page.
    #[param(pattern = "<cursor>")]
    pub cursor: Option<String>,
}

crate::directory::page_params!(ParticipantQuery);

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(request: InviteParticipantRequest) -> Vec<String> {
        request
            .into_domain(chrono::NaiveDate::default())
            .err()
            .map(|f| f.errors.into_iter().map(|e| e.field).collect())
            .unwrap_or_default()
    }

    #[test]
    fn exactly_one_invitee_and_every_bad_field_named() {
        assert_eq!(fields(InviteParticipantRequest::default()), ["staff_id"]);
        let two = InviteParticipantRequest {
            staff_id: Some(Uuid::nil()),
            organization_id: Some(Uuid::nil()),
            ..Default::default()
        };
        assert_eq!(fields(two), ["organization_id"]);
        let bad = InviteParticipantRequest {
            representative: Some(RepresentativeRequest {
                name: Some(" ".into()),
                role: "patient".into(),
                consent_to_be_named: true,
            }),
            ..Default::default()
        };
        assert_eq!(fields(bad), ["representative.name", "representative.role"]);
        let unit = InviteParticipantRequest {
            care_unit_id: Some(Uuid::nil()),
            ..Default::default()
        };
        assert_eq!(
            unit.into_domain(chrono::NaiveDate::default()),
            Ok(Invitee::CareUnit(Uuid::nil()))
        );
    }

    #[test]
    fn wire_enums_match_the_domains_text() {
        let text = |v: serde_json::Value| v.as_str().map(str::to_owned).unwrap_or_default();
        for kind in rules::ParticipantKind::ALL {
            let wire = serde_json::to_value(ParticipantKind::from(*kind)).unwrap_or_default();
            assert_eq!(text(wire), kind.as_str());
        }
        for role in rules::RepresentativeRole::ALL {
            let wire = serde_json::to_value(RepresentativeRole::from(*role)).unwrap_or_default();
            assert_eq!(text(wire), role.as_str());
        }
        for status in rules::ResponseStatus::ALL {
            let wire =
                serde_json::to_value(ParticipantResponseStatus::from(*status)).unwrap_or_default();
            assert_eq!(text(wire), status.as_str());
        }
        for attendance in rules::Attendance::ALL {
            let wire = serde_json::to_value(Attendance::from(*attendance)).unwrap_or_default();
            assert_eq!(text(wire), attendance.as_str());
        }
    }
}
