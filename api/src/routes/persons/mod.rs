//! Esther's record: registration, reading and updating, search, statements, contacts,
//! consents, blocks, care relationships and her access-log extract. Every operation runs
//! through [`crate::record_access`].

pub mod access_log;
pub mod add_contact;
pub mod add_statement;
pub mod change_identity;
pub mod create_block;
pub mod end_relationship;
pub mod get;
pub mod import;
pub mod lift_block;
pub mod list_blocks;
pub mod list_consents;
pub mod list_identity_changes;
pub mod list_relationships;
pub mod record_consent;
pub mod register;
pub mod search;
pub mod start_relationship;
pub mod timeline;
pub mod update;

use crate::record_access::RecordContext;
use crate::respond;
use actix_web::HttpResponse;
use openapi::record::{PersonResponse, PersonView};

/// Her record as the grant in `context` lets the caller see it.
pub fn render(context: &RecordContext) -> PersonResponse {
    let grant = &context.grant;
    PersonResponse::from(PersonView {
        person: &context.person,
        show_contact_details: grant.may_see_contact_details(&context.person),
        statements: context
            .statements
            .iter()
            .filter(|s| grant.may_see(&s.recorded_by))
            .collect(),
        related_contacts: context
            .contacts
            .iter()
            .filter(|c| grant.may_see(&c.recorded_by))
            .collect(),
        care_relationships: context
            .relationships
            .iter()
            .filter_map(|r| grant.relationship_view(r))
            .collect(),
        purpose: grant.purpose(),
    })
}

/// 200 with her record and its ETag.
pub fn respond_with(person: PersonResponse) -> HttpResponse {
    respond::ok_with_etag(person.version, person)
}
