//! SmartCare Home's published contract: the wire types clients send and receive, the
//! documented error responses, and the OpenAPI root.
//!
//! The committed `openapi/openapi.json` is generated from these types and the `api` crate's
//! operations (`smartcare openapi`); a test fails when the two differ.

pub mod calendar;
pub mod chart;
pub mod coordination;
pub mod cursor;
pub mod directory;
pub mod health;
pub mod identity;
pub mod import;
pub mod improvement;
pub mod indicator;
pub mod meeting;
pub mod page;
pub mod plan;
pub mod problem;
pub mod record;
pub mod responses;
mod validation;
mod whole_number;
mod wire_enum;
pub mod worklist;

pub use page::Page;
pub use problem::{FieldError, PROBLEM_CONTENT_TYPE, Problem};
pub use validation::{FieldErrors, ValidationFailed, date_time_problem, without_type_names};

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// Name of the bearer-token security scheme in the spec.
pub const BEARER_SCHEME: &str = "bearer";

/// The root of the spec: metadata, the security scheme and shared components. The `api`
/// crate merges its operations into it.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "SmartCare Home API",
        description = "Care-coordination API of the ESTHER network in Region Jönköping County: the care network's directory and Esther's record (consent, blocks, care relationships, emergency access, access log); the discharge process (Lag 2017:612) and her coordinated individual plan (SIP); the network's meetings; its improvement work (coaches, training, projects, PDSA cycles, measures and charts).\n\nAll `/api/v1` operations need `Authorization: Bearer <JWT>`. Errors are RFC 9457 `application/problem+json` with a stable `type` per kind. Lists use keyset pagination: pass the `next` value of one page as `cursor` to get the next. Updates need `If-Match` with the resource's `ETag` (the quoted `version`).",
        license(name = "EUPL-1.2", identifier = "EUPL-1.2"),
    ),
    servers((url = "/", description = "The server that serves this document (`/api-docs/openapi.json`); paths are absolute from its root.")),
    modifiers(&BearerSecurity),
    security(("bearer" = [])),
    components(schemas(Problem, FieldError, worklist::CaseListOrder)),
    tags(
        (name = "directory", description = "The care network's directory: municipalities, organizations, care units and staff."),
        (name = "persons", description = "Esther's record: registration, consent, blocks, care relationships and emergency access. Every operation applies the access rules and leaves an access-log event."),
        (name = "coordination", description = "Discharge coordination under Lag (2017:612): a case per inpatient stay, typed messages that addressed units acknowledge or opt out of, the notice deadline and the municipality's payment liability, computed by the server in Europe/Stockholm calendar days."),
        (name = "care plans", description = "Her coordinated individual plan (SIP, SoL 2 kap. 7 § and HSL 16 kap. 4 §): needs, her own goals, who does what, overall responsibility, participants, follow-ups and evaluations. Needs her consent to coordinated planning; every change is a new version and old versions stay readable."),
        (name = "meetings", description = "The ESTHER network's meetings across organizations: the organizing committee, municipal networks, ESTHER cafés, the coach network, the strategy day and case conferences. Times are RFC 3339 with an offset in, shown with the Europe/Stockholm offset; a cancelled meeting stays, with its reason."),
        (name = "work lists", description = "What the people at the screen start from, for their own unit: its caseload, its coordination cases and the plans due for follow-up. Only persons the caller may open are listed, and each person shown is an access-log event."),
        (name = "indicators", description = "The network's indicators, aggregate only: per municipality and period from the care chain (days from utskrivningsklar to discharge, payment liability, late admission notices, planning calls, SIP after discharge with home care, readmissions) and the network (meetings held, Esther at the table); counts of 1–4 persons and figures from fewer than 5 persons are suppressed. JSON or CSV; each indicator also as a monthly run chart (JSON or SVG)."),
        (name = "improvement", description = "The network's improvement work: improvement coaches and their training cohorts (sessions, attendance, a completion rule that says why someone has not completed), improvement projects (aim, what matters to Esther, team, status) with PDSA cycles, measures and dated data points (bulk JSON or CSV, all or nothing; corrections and deletions kept with their reasons), and run and control charts. No patient's data: free text with a personal number is refused. Measures and charts are aggregates that analysts read too."),
        (name = "access log", description = "Who read or changed personal data: her extract, and the admins' follow-up."),
        (name = "operations", description = "Liveness and readiness for load balancers and orchestrators; no authentication."),
    )
)]
pub struct ApiDoc;

struct BearerSecurity;

impl Modify for BearerSecurity {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            BEARER_SCHEME,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "A JWT with `sub`, `roles`, `exp` and, when configured, `iss` and `aud`; `org`, `unit` and `person` scope the caller.",
                    ))
                    .build(),
            ),
        );
    }
}
