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
use domain::OrganizationKind;
use domain::plan::{
    CarePlan, PlanChange, PlanContent, PlanVersion, coordinated_planning_consent,
    relatives_may_take_part,
};
use domain::record::FreeText;
use openapi::FieldError;
use openapi::plan::PlanResponse;
use persistence::{DbConnection, plans};
use uuid::Uuid;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::record_access::{Access, OwnedResource, RecordContext, guarded_resource, today};
use crate::routes::references;
use crate::state::AppState;

fn no_plan(plan_id: Uuid) -> ApiError {
    ApiError::NotFound(format!("no care plan {plan_id} that you may see"))
}

/// Plans belong to the record of the person they are for.
static PLAN: OwnedResource<CarePlan> = OwnedResource {
    person_of: plans::person_of_plan,
    load: plans::find,
    not_found: no_plan,
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

/// Checks what a plan's content refers to and what she agreed to, before any version of it
/// is written. Every problem is reported at once (422); `known_actions` are the ids the plan
/// already has, which a request may name.
fn check_content(
    conn: &mut DbConnection,
    context: &RecordContext,
    content: &PlanContent,
    named_action_ids: &[Uuid],
    known_actions: &[Uuid],
) -> Result<(), ApiError> {
    check_planning_consent(context)?;
    let mut problems = Problems::default();
    let responsible = references::active_organization(
        conn,
        "overall_responsible_organization_id",
        content.overall_responsible_organization_id,
    );
    if let Some(org) = problems.keep(responsible)?
        && !matches!(
            org.kind,
            OrganizationKind::Region | OrganizationKind::Municipality
        )
    {
        problems.push(
            "overall_responsible_organization_id",
            format!(
                "overall responsibility lies with a region or a municipality, not a `{}`",
                org.kind
            ),
        );
    }
    for (i, action) in content.actions.iter().enumerate() {
        let field = format!("actions[{i}].responsible_organization_id");
        let org = references::active_organization(conn, &field, action.responsible_organization_id);
        problems.keep(org)?;
    }
    for (i, id) in named_action_ids.iter().enumerate() {
        if !known_actions.contains(id) {
            problems.push("actions", format!("action id {id} (the {}. named) is not an action of this plan; leave `id` out for a new action", i + 1));
        }
    }
    let participants = &content.participants;
    for (i, unit) in participants.care_units.iter().enumerate() {
        let unit =
            references::active_care_unit(conn, &format!("participants.care_units[{i}]"), *unit);
        problems.keep(unit)?;
    }
    for (i, member) in participants.staff.iter().enumerate() {
        let member =
            references::active_staff_member(conn, &format!("participants.staff[{i}]"), *member);
        problems.keep(member)?;
    }
    if !participants.relatives.is_empty() && !relatives_may_take_part(&context.consents) {
        problems.push(
            "participants.relatives",
            "she has objected to relatives taking part in her planning",
        );
    }
    for (i, relative) in participants.relatives.iter().enumerate() {
        if !context.contacts.iter().any(|c| c.id == *relative) {
            problems.push(
                &format!("participants.relatives[{i}]"),
                format!("{relative} is not one of her related contacts"),
            );
        }
    }
    problems.finish()
}

/// Coordinated planning (a planning call, a plan) needs her consent in force (422 otherwise).
pub fn check_planning_consent(context: &RecordContext) -> Result<(), ApiError> {
    coordinated_planning_consent(&context.consents, today())
        .map_err(|problem| ApiError::invalid_field("consent", problem.to_string()))
}

/// Field problems found while checking a request against stored records.
#[derive(Default)]
struct Problems(Vec<FieldError>);

impl Problems {
    /// The value of a reference check, or `None` with its 422 problems kept for the answer;
    /// any other failure (storage) ends the check.
    fn keep<T>(&mut self, checked: Result<T, ApiError>) -> Result<Option<T>, ApiError> {
        match checked {
            Ok(value) => Ok(Some(value)),
            Err(ApiError::Validation(errors)) => {
                self.0.extend(errors);
                Ok(None)
            }
            Err(other) => Err(other),
        }
    }

    fn push(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_owned(),
            message: message.into(),
        });
    }

    fn finish(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(self.0))
        }
    }
}
