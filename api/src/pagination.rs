//! Keyset pagination over HTTP: `limit` and an opaque `cursor`.
//!
//! A cursor carries the last id of a page, bound to the list and filters it was issued for
//! and authenticated with a key kept in the database (so every replica accepts every
//! replica's cursors). A changed, truncated or foreign cursor is a 400.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use openapi::directory::PageParams;
use openapi::{FieldErrors, Page};
use persistence::PageRequest;
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;
use validator::Validate;

use crate::error::ApiError;

pub const DEFAULT_LIMIT: u32 = 50;
/// Setting that holds the cursor key.
pub const CURSOR_KEY_SETTING: &str = "cursor_hmac_key";
/// Bytes of MAC kept in a cursor: 128 bits is beyond guessing.
const MAC_BYTES: usize = 16;

type HmacSha256 = Hmac<Sha256>;

/// Issues and checks cursors.
pub struct CursorCodec {
    key: Vec<u8>,
}

impl CursorCodec {
    pub fn new(key: &[u8]) -> Self {
        Self { key: key.to_vec() }
    }

    fn mac(&self, scope: &[u8; 32], after: &Uuid) -> Result<[u8; MAC_BYTES], ApiError> {
        let mut mac = HmacSha256::new_from_slice(&self.key)
            .map_err(|e| ApiError::Internal(format!("cursor key: {e}")))?;
        mac.update(scope);
        mac.update(after.as_bytes());
        let full = mac.finalize().into_bytes();
        let mut short = [0u8; MAC_BYTES];
        short.copy_from_slice(&full[..MAC_BYTES]);
        Ok(short)
    }

    /// The cursor for the page after `after` in the list and filters identified by `scope`.
    /// Public for the fuzz targets in `fuzz/`.
    pub fn encode(&self, scope: &[u8; 32], after: Uuid) -> Result<String, ApiError> {
        let mut bytes = after.as_bytes().to_vec();
        bytes.extend_from_slice(&self.mac(scope, &after)?);
        Ok(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// The id a cursor carries, if `cursor` is one [`Self::encode`] issued under this key for
    /// `scope`; otherwise a 400. Public for the fuzz targets in `fuzz/`.
    pub fn decode(&self, scope: &[u8; 32], cursor: &str) -> Result<Uuid, ApiError> {
        let invalid = || {
            let mut errors = openapi::FieldErrors::default();
            errors.push(
                "cursor",
                "is not one this list issued for these filters; start again without a cursor",
            );
            ApiError::invalid_query(errors.into_failure())
        };
        let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
        let (id, mac) = bytes.split_at_checked(16).ok_or_else(invalid)?;
        let after = Uuid::from_slice(id).map_err(|_| invalid())?;
        let expected = self.mac(scope, &after)?;
        // Both sides are MACs of equal length; a timing difference reveals nothing usable
        // because the key never leaves the server and cursors carry no secret.
        if mac != expected.as_slice() {
            return Err(invalid());
        }
        Ok(after)
    }
}

/// A list request whose paging parameters have been checked.
pub struct Listing {
    pub request: PageRequest,
    scope: [u8; 32],
}

impl Listing {
    /// Checks `limit`, the query's own rules and the cursor of a request to list `list`.
    pub fn start<Q: PageParams + Validate + Serialize>(
        codec: &CursorCodec,
        list: &str,
        query: &Q,
    ) -> Result<Self, ApiError> {
        let mut errors = FieldErrors::default();
        errors.extend_validator(query.validate());
        if !errors.is_empty() {
            return Err(ApiError::invalid_query(errors.into_failure()));
        }
        let scope = filter_scope(list, query)?;
        let after = query
            .cursor()
            .map(|cursor| codec.decode(&scope, cursor))
            .transpose()?;
        Ok(Self {
            request: PageRequest {
                after,
                limit: query.limit().unwrap_or(DEFAULT_LIMIT),
            },
            scope,
        })
    }

    /// The wire page, with a `next` cursor when more items follow.
    pub fn finish<T, W: utoipa::ToSchema>(
        &self,
        codec: &CursorCodec,
        page: persistence::Page<T>,
        id_of: impl Fn(&T) -> Uuid,
        to_wire: impl Fn(T) -> W,
    ) -> Result<Page<W>, ApiError> {
        let last = page.items.last().map(id_of);
        let items = page.items.into_iter().map(to_wire).collect();
        self.finish_shown(codec, page.has_more, last, items)
    }
}

impl Listing {
    /// The wire page of the items shown out of a page fetched with `has_more`, whose last
    /// row was `last_fetched`: `next` continues after that row, so rows not shown (a person
    /// the caller may not see) are passed over rather than fetched again, and a page whose
    /// rows were all passed over does not end the list.
    pub fn finish_shown<W: utoipa::ToSchema>(
        &self,
        codec: &CursorCodec,
        has_more: bool,
        last_fetched: Option<Uuid>,
        items: Vec<W>,
    ) -> Result<Page<W>, ApiError> {
        let next = match (has_more, last_fetched) {
            (true, Some(last)) => Some(codec.encode(&self.scope, last)?),
            _ => None,
        };
        Ok(Page { items, next })
    }
}

/// Identifies a list and its filters (everything but `limit` and `cursor`), so a cursor
/// cannot be replayed against another list or other filters.
fn filter_scope<Q: Serialize>(list: &str, query: &Q) -> Result<[u8; 32], ApiError> {
    let mut filters =
        serde_json::to_value(query).map_err(|e| ApiError::Internal(format!("query scope: {e}")))?;
    if let Some(map) = filters.as_object_mut() {
        map.remove("limit");
        map.remove("cursor");
    }
    let mut hasher = Sha256::new();
    hasher.update(list.as_bytes());
    hasher.update([0]);
    hasher.update(filters.to_string().as_bytes());
    Ok(hasher.finalize().into())
}

/// A fresh random cursor key, hex-encoded for storage.
pub fn new_cursor_key() -> String {
    let mut key = [0u8; 32];
    // Without OS randomness the id-based fallback still differs per installation.
    if getrandom::fill(&mut key).is_err() {
        key[..16].copy_from_slice(Uuid::now_v7().as_bytes());
    }
    key.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_tampering() {
        let codec = CursorCodec::new(b"0123456789abcdef0123456789abcdef");
        let scope = [7u8; 32];
        let id = Uuid::now_v7();
        let cursor = codec.encode(&scope, id).unwrap_or_default();
        assert_eq!(codec.decode(&scope, &cursor).ok(), Some(id));
        assert!(codec.decode(&[8u8; 32], &cursor).is_err(), "other filters");
        let mut tampered = cursor.into_bytes();
        tampered[3] = if tampered[3] == b'A' { b'B' } else { b'A' };
        assert!(
            codec
                .decode(&scope, &String::from_utf8_lossy(&tampered))
                .is_err()
        );
        assert!(codec.decode(&scope, "short").is_err());
        assert!(codec.decode(&scope, "!!!").is_err());
    }
}
