//! The route table: every operation the API serves, registered in one place.
//!
//! [`configure`] registers the routes with actix and [`ROUTES`] lists them for the test that
//! checks every served operation is in the spec. A method a path does not serve is a 405.

pub mod care_units;
pub mod health;
pub mod municipalities;
pub mod organizations;
mod references;
pub mod staff;

use actix_web::web;
use utoipa::OpenApi;

use crate::error::method_not_allowed;

macro_rules! route_table {
    ($($path:literal => { $($method:ident: $handler:path),+ $(,)? }),+ $(,)?) => {
        /// Registers every route of the table.
        pub fn configure(config: &mut web::ServiceConfig) {
            $(
                config.service(
                    web::resource($path)
                        $(.route(web::$method().to($handler)))+
                        .default_service(web::to(method_not_allowed)),
                );
            )+
        }

        /// (method, path) of every served operation, in OpenAPI's path syntax.
        pub const ROUTES: &[(&str, &str)] = &[$($((stringify!($method), $path),)+)+];
    };
}

route_table! {
    "/health/live" => { get: health::live::live },
    "/health/ready" => { get: health::ready::ready },
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
}

/// The documented operations; merged into [`openapi::ApiDoc`] by [`crate::spec::openapi`].
#[derive(OpenApi)]
#[openapi(paths(
    health::live::live,
    health::ready::ready,
    municipalities::list::list_municipalities,
    municipalities::get::get_municipality,
    organizations::list::list_organizations,
    organizations::create::create_organization,
    organizations::get::get_organization,
    organizations::update::update_organization,
    care_units::list::list_care_units,
    care_units::create::create_care_unit,
    care_units::get::get_care_unit,
    care_units::update::update_care_unit,
    staff::list::list_staff,
    staff::create::create_staff_member,
    staff::get::get_staff_member,
    staff::update::update_staff_member,
))]
pub struct ApiOperations;
