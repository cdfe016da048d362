//! The route table: every operation the API serves, registered in one place.
//!
//! [`configure`] registers the routes with actix and [`ROUTES`] lists them for the test that
//! checks every served operation is in the spec. A method a path does not serve is a 405.

pub mod action_items;
pub mod audit_events;
pub mod calendars;
pub mod care_units;
pub mod coaches;
pub mod coordination;
pub mod emergency_access;
pub mod health;
pub mod improvement_projects;
pub mod indicators;
pub mod measures;
pub mod meeting_series;
pub mod meetings;
pub mod municipalities;
pub mod organizations;
pub mod persons;
pub mod plans;
pub(crate) mod references;
pub mod staff;
pub mod training_cohorts;
pub mod worklists;

use actix_web::{Route, guard, web};
use utoipa::OpenApi;

use crate::error::method_not_allowed;

/// The route of a `get` operation: `GET`, and `HEAD` with it (RFC 9110 §9.3.2: the same
/// status and header fields, no content; actix's HTTP/1 encoder leaves the body out of a
/// response to `HEAD` and keeps its `Content-Length`). `HEAD` is not written in the spec.
fn get() -> Route {
    web::route().guard(guard::Any(guard::Get()).or(guard::Head()))
}

use actix_web::web::{delete, patch, post, put};

/// The scope a route is registered in and the rest of its path: `/api/v1/<resource>` (or
/// `/<first segment>` outside the API). actix tries routes in turn and matches a route with a
/// parameter by a regular expression (regex-lite's PikeVM): in one flat list a request for
/// the 44th route ran some twenty expressions before its own, a tenth of the server's time on
/// a caseload page (docs/BENCHMARKS.md). A scope's prefix is matched as plain text, so a
/// request tries only its own scope's routes.
fn scope_of(path: &'static str) -> (&'static str, &'static str) {
    let segments = if path.starts_with("/api/") { 3 } else { 1 };
    let end = path
        .match_indices('/')
        .nth(segments)
        .map_or(path.len(), |(at, _)| at);
    path.split_at(end)
}

/// Routes gathered by scope, each scope's in the table's order (the first match wins).
#[derive(Default)]
struct Scopes(Vec<(&'static str, Vec<actix_web::Resource>)>);

impl Scopes {
    fn add(&mut self, scope: &'static str, resource: actix_web::Resource) {
        match self.0.iter_mut().find(|(name, _)| *name == scope) {
            Some((_, resources)) => resources.push(resource),
            None => self.0.push((scope, vec![resource])),
        }
    }

    fn register(self, config: &mut web::ServiceConfig) {
        for (name, resources) in self.0 {
            let mut scope = web::scope(name);
            for resource in resources {
                scope = scope.service(resource);
            }
            config.service(scope);
        }
    }
}

/// Declares every operation once: `"path" => { method: handler, … }`. Each handler carries its
/// `#[utoipa::path]`, so one entry registers the route with actix ([`configure`]), documents the
/// operation in the spec ([`ApiOperations`]) and lists it in [`ROUTES`].
macro_rules! route_table {
    ($($path:literal => { $($method:ident: $handler:path),+ $(,)? }),+ $(,)?) => {
        /// Registers every route of the table, grouped in scopes by their first segments
        /// ([`scope_of`]).
        pub fn configure(config: &mut web::ServiceConfig) {
            let mut scopes = Scopes::default();
            $(
                let (scope, rest) = scope_of($path);
                scopes.add(
                    scope,
                    web::resource(rest)
                        $(.route($method().to($handler)))+
                        .default_service(web::to(|request| {
                            method_not_allowed(request, &[$(stringify!($method)),+])
                        })),
                );
            )+
            scopes.register(config);
        }

        /// (method, path) of every served operation, in OpenAPI's path syntax.
        pub const ROUTES: &[(&str, &str)] = &[$($((stringify!($method), $path),)+)+];

        /// The documented operations, the same as the served ones; merged into
        /// [`openapi::ApiDoc`] by [`crate::spec::openapi`].
        #[derive(OpenApi)]
        #[openapi(paths($($($handler),+),+))]
        pub struct ApiOperations;
    };
}

route_table! {
    "/health/live" => { get: health::live::live },
    "/health/ready" => { get: health::ready::ready },
    "/api/v1/indicators" => { get: indicators::list::list_indicators },
    "/api/v1/indicators/{name}/chart" => { get: indicators::chart::chart_indicator },
    "/api/v1/municipalities" => { get: municipalities::list::list_municipalities },
    "/api/v1/municipalities/{code}" => { get: municipalities::get::get_municipality },
    "/api/v1/organizations" => {
        get: organizations::list::list_organizations,
        post: organizations::create::create_organization,
    },
    "/api/v1/organizations/{id}" => {
        get: organizations::get::get_organization,
        patch: organizations::update::update_organization,
    },
    "/api/v1/care-units" => {
        get: care_units::list::list_care_units,
        post: care_units::create::create_care_unit,
    },
    "/api/v1/care-units/{id}" => {
        get: care_units::get::get_care_unit,
        patch: care_units::update::update_care_unit,
    },
    "/api/v1/staff" => {
        get: staff::list::list_staff,
        post: staff::create::create_staff_member,
    },
    "/api/v1/staff/{id}" => {
        get: staff::get::get_staff_member,
        patch: staff::update::update_staff_member,
    },
    "/api/v1/persons" => { post: persons::register::register_person },
    "/api/v1/persons/search" => { post: persons::search::search_persons },
    "/api/v1/persons/imports" => { post: persons::import::import_persons },
    "/api/v1/persons/{id}" => {
        get: persons::get::get_person,
        patch: persons::update::update_person,
    },
    "/api/v1/persons/{id}/statements" => { post: persons::add_statement::add_statement },
    "/api/v1/persons/{id}/contacts" => { post: persons::add_contact::add_contact },
    "/api/v1/persons/{id}/consents" => {
        get: persons::list_consents::list_consents,
        post: persons::record_consent::record_consent,
    },
    "/api/v1/persons/{id}/blocks" => {
        get: persons::list_blocks::list_blocks,
        post: persons::create_block::create_block,
    },
    "/api/v1/persons/{id}/blocks/{block_id}/lift" => { post: persons::lift_block::lift_block },
    "/api/v1/persons/{id}/care-relationships" => {
        get: persons::list_relationships::list_relationships,
        post: persons::start_relationship::start_relationship,
    },
    "/api/v1/persons/{id}/care-relationships/{relationship_id}/end" => {
        post: persons::end_relationship::end_relationship,
    },
    "/api/v1/persons/{id}/access-log" => { get: persons::access_log::access_log },
    "/api/v1/persons/{id}/timeline" => { get: persons::timeline::get_timeline },
    "/api/v1/persons/{id}/identity-changes" => {
        get: persons::list_identity_changes::list_identity_changes,
        post: persons::change_identity::change_identity,
    },
    "/api/v1/emergency-access" => { post: emergency_access::open_in_emergency },
    "/api/v1/audit-events" => { get: audit_events::list_audit_events },
    "/api/v1/persons/{id}/coordination-cases" => { post: coordination::open::open_case },
    "/api/v1/coordination-cases" => { get: worklists::cases::list_cases },
    "/api/v1/coordination-cases/{id}" => { get: coordination::get::get_case },
    "/api/v1/coordination-cases/{id}/paying-municipality" => {
        put: coordination::decide_payer::decide_paying_municipality,
    },
    "/api/v1/coordination-cases/{id}/messages" => { post: coordination::send::send_message },
    "/api/v1/coordination-cases/{id}/messages/{message_id}/acknowledge" => {
        post: coordination::answer::acknowledge,
    },
    "/api/v1/coordination-cases/{id}/messages/{message_id}/opt-out" => {
        post: coordination::answer::opt_out,
    },
    "/api/v1/coordination-cases/{id}/messages/{message_id}/recipients/{unit_id}/retract" => {
        post: coordination::retract::retract_message,
    },
    "/api/v1/persons/{id}/care-plans" => {
        get: plans::list::list_plans,
        post: plans::create::create_plan,
    },
    "/api/v1/care-plans" => { get: worklists::plans_due::plans_due },
    "/api/v1/care-plans/{id}" => {
        get: plans::get::get_plan,
        put: plans::revise::revise_plan,
    },
    "/api/v1/care-plans/{id}/follow-ups" => { post: plans::follow_up::follow_up_plan },
    "/api/v1/care-plans/{id}/versions" => { get: plans::versions::list_versions },
    "/api/v1/care-plans/{id}/versions/{version}" => { get: plans::versions::get_version },
    "/api/v1/units/{id}/inbox" => { get: coordination::inbox::unit_inbox },
    "/api/v1/units/{id}/caseload" => { get: worklists::caseload::unit_caseload },
    "/api/v1/coordination/overdue" => { get: coordination::overdue::overdue_queue },
    "/api/v1/meetings" => {
        get: meetings::list::list_meetings,
        post: meetings::create::create_meeting,
    },
    // Before `/api/v1/meetings/{id}`, which would otherwise take `{id}.ics` as its id.
    "/api/v1/meetings/{id}.ics" => { get: calendars::meeting_ics::get_meeting_ics },
    "/api/v1/meetings/{id}" => {
        get: meetings::get::get_meeting,
        patch: meetings::update::update_meeting,
    },
    "/api/v1/meeting-series" => { post: meeting_series::create::create_series },
    "/api/v1/meeting-series/{id}" => { get: meeting_series::get::get_series },
    "/api/v1/calendar-feeds" => {
        get: calendars::list_feeds::list_calendar_feeds,
        post: calendars::create_feed::create_calendar_feed,
    },
    "/api/v1/calendar-feeds/{id}" => { delete: calendars::revoke_feed::revoke_calendar_feed },
    // Outside `/api/v1`: calendar apps send no bearer token; the secret in the URL is the key.
    "/feeds/{secret}.ics" => { get: calendars::feed::get_feed },
    "/api/v1/meetings/{id}/cancel" => { post: meetings::cancel::cancel_meeting },
    "/api/v1/meetings/{id}/participants" => {
        get: meetings::list_participants::list_participants,
        post: meetings::invite_participant::invite_participant,
    },
    "/api/v1/meetings/{id}/participants/{participant_id}" => {
        get: meetings::get_participant::get_participant,
    },
    "/api/v1/meetings/{id}/participants/{participant_id}/response" => {
        post: meetings::record_response::record_response,
    },
    "/api/v1/meetings/{id}/participants/{participant_id}/attendance" => {
        post: meetings::record_attendance::record_attendance,
    },
    "/api/v1/meetings/{id}/participants/{participant_id}/withdraw-name-consent" => {
        post: meetings::withdraw_name_consent::withdraw_name_consent,
    },
    "/api/v1/meetings/{id}/agenda-items" => {
        get: meetings::list_agenda_items::list_agenda_items,
        post: meetings::add_agenda_item::add_agenda_item,
    },
    "/api/v1/meetings/{id}/minutes" => {
        get: meetings::get_minutes::get_minutes,
        post: meetings::start_minutes::start_minutes,
        patch: meetings::edit_minutes::edit_minutes,
    },
    "/api/v1/meetings/{id}/minutes/approve" => { post: meetings::approve_minutes::approve_minutes },
    "/api/v1/meetings/{id}/minutes/amendments" => { post: meetings::amend_minutes::amend_minutes },
    "/api/v1/meetings/{id}/minutes/versions" => {
        get: meetings::list_minutes_versions::list_minutes_versions,
    },
    "/api/v1/meetings/{id}/minutes/versions/{number}" => {
        get: meetings::get_minutes_version::get_minutes_version,
    },
    "/api/v1/meetings/{id}/decisions" => {
        get: meetings::list_decisions::list_decisions,
        post: meetings::record_decision::record_decision,
    },
    "/api/v1/meetings/{id}/action-items" => { post: meetings::add_action_item::add_action_item },
    "/api/v1/meetings/{id}/story" => {
        get: meetings::get_story::get_story,
        post: meetings::tell_story::tell_story,
        put: meetings::retell_story::retell_story,
    },
    "/api/v1/meetings/{id}/lessons" => {
        get: meetings::list_lessons::list_lessons,
        post: meetings::add_lesson::add_lesson,
    },
    "/api/v1/meetings/{id}/proposals" => {
        get: meetings::list_proposals::list_proposals,
        post: meetings::make_proposal::make_proposal,
    },
    "/api/v1/action-items" => { get: action_items::list::list_action_items },
    "/api/v1/action-items/{id}" => {
        get: action_items::get::get_action_item,
        patch: action_items::update::update_action_item,
    },
    "/api/v1/coaches" => {
        get: coaches::list::list_coaches,
        post: coaches::create::create_coach,
    },
    "/api/v1/coaches/{staff_id}" => {
        get: coaches::get::get_coach,
        patch: coaches::update::update_coach,
    },
    "/api/v1/training-cohorts" => {
        get: training_cohorts::list::list_cohorts,
        post: training_cohorts::create::create_cohort,
    },
    "/api/v1/training-cohorts/{id}" => { get: training_cohorts::get::get_cohort },
    "/api/v1/training-cohorts/{id}/enrolments" => {
        get: training_cohorts::list_enrolments::list_enrolments,
        post: training_cohorts::enrol::enrol,
    },
    "/api/v1/training-cohorts/{id}/enrolments/{staff_id}/presentation" => {
        put: training_cohorts::record_presentation::record_presentation,
    },
    "/api/v1/training-cohorts/{id}/sessions/{session_id}/attendance" => {
        put: training_cohorts::record_attendance::record_session_attendance,
    },
    "/api/v1/improvement-projects" => {
        get: improvement_projects::list::list_projects,
        post: improvement_projects::create::create_project,
    },
    "/api/v1/improvement-projects/{id}" => {
        get: improvement_projects::get::get_project,
        patch: improvement_projects::update::update_project,
    },
    "/api/v1/improvement-projects/{id}/pdsa-cycles" => {
        post: improvement_projects::add_cycle::add_cycle,
    },
    "/api/v1/improvement-projects/{id}/measures" => {
        post: improvement_projects::add_measure::add_measure,
    },
    "/api/v1/pdsa-cycles/{id}" => {
        get: improvement_projects::get_cycle::get_cycle,
        patch: improvement_projects::update_cycle::update_cycle,
    },
    "/api/v1/measures/{id}" => { get: measures::get::get_measure },
    "/api/v1/measures/{id}/chart" => { get: measures::chart::measure_chart },
    "/api/v1/measures/{id}/data-points" => {
        get: measures::list_points::list_points,
        post: measures::add_points::add_points,
    },
    "/api/v1/measures/{id}/data-points/{point_id}" => {
        put: measures::correct_point::correct_point,
    },
    "/api/v1/measures/{id}/data-points/{point_id}/delete" => {
        post: measures::delete_point::delete_point,
    },
    "/api/v1/measures/{id}/data-points/{point_id}/history" => {
        get: measures::history::point_history,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_are_scoped_by_their_resource() {
        assert_eq!(
            scope_of("/api/v1/units/{id}/caseload"),
            ("/api/v1/units", "/{id}/caseload")
        );
        assert_eq!(scope_of("/api/v1/persons"), ("/api/v1/persons", ""));
        assert_eq!(scope_of("/health/live"), ("/health", "/live"));
        for (_, path) in ROUTES {
            let (scope, rest) = scope_of(path);
            assert!(!scope.contains('{'), "{path}: a scope is plain text");
            assert_eq!(format!("{scope}{rest}"), *path);
        }
    }
}
