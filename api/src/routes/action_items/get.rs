use actix_web::{HttpResponse, web};
use openapi::meeting::action_item::ActionItemResponse;
use openapi::responses::RestrictedReadErrors;
use uuid::Uuid;

use crate::auth::{Authorized, ReadMeetings};
use crate::error::ApiError;
use crate::respond;
use crate::routes::meetings::conference::READ_RECORDS;
use crate::state::AppState;

/// Reads one action item (staff roles and integrations); `overdue` is computed now, on
/// Europe/Stockholm dates.
#[utoipa::path(
    get,
    path = "/api/v1/action-items/{id}",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Action item id")),
    responses(
        (status = 200, description = "The action item", body = ActionItemResponse,
            headers(("ETag" = String, description = "`\"<version>.<digest>\"`: changes with anything the item as shown changes with, `overdue` included (decision 0028); send it as If-Match to change the item"))),
        RestrictedReadErrors,
    )
)]
pub async fn get_action_item(
    state: web::Data<AppState>,
    reader: Authorized<ReadMeetings>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let access = READ_RECORDS;
    let item = super::on_action_item(&state, reader.caller, id, access, move |conn, _| {
        super::find(conn, id)
    })
    .await?;
    respond::ok_with_view_etag(
        item.version,
        ActionItemResponse::at(item, persistence::now()),
    )
}
