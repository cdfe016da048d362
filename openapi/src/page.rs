//! The envelope of every list response.

use serde::Serialize;
use utoipa::ToSchema;

/// One page of a list. Pass `next` as the `cursor` query parameter to get the following page;
/// it is absent on the last page. Cursors are opaque and bound to the filters they were
/// issued for.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Page<T: ToSchema> {
    pub items: Vec<T>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}
