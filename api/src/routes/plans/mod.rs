//! Coordinated individual plans (SIP). A plan is part of her record: every operation runs
//! through [`crate::record_access::guarded`] on her record, and a plan is shown only to those
//! it is shared with ([`domain::plan::CarePlan::visible_under`]).

pub mod create;
pub mod follow_up;
pub mod get;
pub mod list;
pub mod revise;
pub mod versions;

use actix_web::web;
use domain::plan::{
    CarePlan, PlanChange, PlanContent, PlanFacts, PlanVersion, coordinated_planning_consent,
};
use domain::record::FreeText;
use openapi::ValidationFailed;
use openapi::plan::PlanResponse;
use persistence::{DbConnection, care_units, organizations, plans, staff};
use uuid::Uuid;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::record_access::{
    Access, OwnedResource, RecordContext, admits_all, guarded_resource, today,
};
use crate::state::AppState;

fn no_plan(plan_id: Uuid) -> ApiError {
    ApiError::NotFound(format!("no care plan {plan_id} that you may see"))
}

/// Plans belong to the record of the person they are for.
static PLAN: OwnedResource<CarePlan> = OwnedResource {
    person_of: plans::person_of_plan,
    load: plans::find,
    not_found: no_plan,
    // Whom a plan is shared with is checked on the plan itself (`guarded_plan`).
    admits: admits_all,
};

/// Runs `work` on a plan the caller may see, under the access rules of her record.
pub async fn guarded_plan<T, F>(
    state: &web::Data<AppState>,
    caller: Caller,
    plan_id: Uuid,
    access: Access,
    work: F,
) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConnection, &RecordContext, &Caller, CarePlan) -> Result<T, ApiError>
        + Send
        + 'static,
    T: Send + 'static,
{
    guarded_resource(
        state,
        caller,
        &PLAN,
        plan_id,
        access,
        move |conn, context, caller, plan| {
            if !plan.visible_under(&context.grant, &context.consents, today()) {
                return Err(no_plan(plan_id));
            }
            work(conn, context, caller, plan)
        },
    )
    .await
}

/// Her plans the caller may see, with their current versions, oldest first.
pub fn visible_plans(
    conn: &mut DbConnection,
    context: &RecordContext,
) -> Result<Vec<CarePlan>, ApiError> {
    let today = today();
    let mut visible = plans::for_person(conn, context.person.id)?;
    visible.retain(|plan| plan.visible_under(&context.grant, &context.consents, today));
    Ok(visible)
}

/// Writes `content` as the plan's next version, by the caller for `unit`; the plan as it now
/// stands.
fn append_version(
    conn: &mut DbConnection,
    mut plan: CarePlan,
    change: PlanChange,
    note: Option<FreeText>,
    content: PlanContent,
    caller: &Caller,
    unit: Uuid,
) -> Result<PlanResponse, ApiError> {
    plan.current = PlanVersion {
        version: plan.current.version + 1,
        change,
        note,
        content,
        changed_by: caller.subject.clone(),
        changed_by_unit: unit,
        changed_at: persistence::now(),
    };
    plans::append_version(conn, plan.id, &plan.current)?;
    Ok(PlanResponse::new(&plan, &plan.current))
}

/// The unit a plan is written for: staff write plans, for the unit in their token.
fn writing_unit(caller: &Caller) -> Result<Uuid, ApiError> {
    caller.unit.ok_or_else(|| {
        ApiError::Forbidden(
            "writing a care plan needs a staff token with the caller's `unit`".into(),
        )
    })
}

/// Checks a plan's content against what it refers to and what she agreed to, before any
/// version of it is written: loads the directory records it names and asks
/// [`PlanContent::check`], which reports every problem at once (422). `known_actions` are the
/// ids the plan already has, which a request may name.
fn check_content(
    conn: &mut DbConnection,
    context: &RecordContext,
    content: &PlanContent,
    named_action_ids: &[Uuid],
    known_actions: &[Uuid],
) -> Result<(), ApiError> {
    let mut organization_ids = content.organization_ids();
    organization_ids.sort_unstable();
    organization_ids.dedup();
    let organizations = found(organization_ids, |id| organizations::find_by_id(conn, id))?;
    let participants = &content.participants;
    let care_units = found(participants.care_units.clone(), |id| {
        care_units::find_by_id(conn, id)
    })?;
    let staff = found(participants.staff.clone(), |id| staff::find_by_id(conn, id))?;
    let facts = PlanFacts {
        organizations: &organizations,
        care_units: &care_units,
        staff: &staff,
        contacts: &context.contacts,
        consents: &context.consents,
        known_actions,
        today: today(),
    };
    content
        .check(named_action_ids, &facts)
        .map_err(|problems| ValidationFailed::from(problems).into())
}

/// The records of `ids` that exist.
fn found<T>(
    ids: Vec<Uuid>,
    mut find: impl FnMut(Uuid) -> Result<Option<T>, persistence::PersistenceError>,
) -> Result<Vec<T>, ApiError> {
    let mut records = Vec::with_capacity(ids.len());
    for id in ids {
        records.extend(find(id)?);
    }
    Ok(records)
}

/// Coordinated planning (a planning call, a plan) needs her consent in force (422 otherwise).
pub fn check_planning_consent(context: &RecordContext) -> Result<(), ApiError> {
    coordinated_planning_consent(&context.consents, today())
        .map_err(|problem| ApiError::invalid_field("consent", problem.to_string()))
}
