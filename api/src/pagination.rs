//! Keyset pagination over HTTP: `limit` and an opaque `cursor`.
//!
//! A cursor carries the last id of a page, bound to the list and filters it was issued for,
//! encrypted and authenticated with a key kept in the database (so every replica accepts every
//! replica's cursors). A changed, truncated or foreign cursor is a 400.

pub use openapi::cursor::CursorCodec;
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

/// A list request whose paging parameters have been checked.
#[derive(Debug, Clone)]
pub struct Listing {
    pub request: PageRequest,
    scope: [u8; 32],
    /// An anchored list's cursor, checked only once its row's sort key is known
    /// ([`Listing::anchor`]); `request.after` is `None` until then.
    anchored_cursor: Option<String>,
    /// A keyed list's cursor: the sort key of the row it continues after
    /// ([`Self::start_keyed`]).
    keyed_after: Option<Vec<u8>>,
}

impl Listing {
    /// Checks `limit`, the query's own rules and the cursor of a request to list `list`.
    pub fn start<Q: PageParams + Validate + Serialize>(
        codec: &CursorCodec,
        list: &str,
        query: &Q,
    ) -> Result<Self, ApiError> {
        let (scope, limit) = checked(list, query)?;
        let after = query
            .cursor()
            .map(|cursor| codec.decode(&scope, cursor))
            .transpose()
            .map_err(ApiError::invalid_query)?;
        Ok(Self {
            request: PageRequest { after, limit },
            scope,
            anchored_cursor: None,
            keyed_after: None,
        })
    }

    /// As [`Self::start`] for a list ordered by something that can change under a cursor (a
    /// name): its cursor is bound to the sort key of the row it continues after as well, and
    /// is checked by [`Self::anchor`] once that row is looked up. A cursor not shaped like one
    /// is refused here (400).
    pub fn start_anchored<Q: PageParams + Validate + Serialize>(
        codec: &CursorCodec,
        list: &str,
        query: &Q,
    ) -> Result<Self, ApiError> {
        let (scope, limit) = checked(list, query)?;
        if let Some(cursor) = query.cursor() {
            codec
                .peek(&scope, cursor)
                .map_err(ApiError::invalid_query)?;
        }
        Ok(Self {
            request: PageRequest { after: None, limit },
            scope,
            anchored_cursor: query.cursor().map(str::to_owned),
            keyed_after: None,
        })
    }

    /// As [`Self::start`] for a list whose order is computed per request, not stored (the
    /// coordination cases by next deadline): its cursor carries the sort key of the page's
    /// last row itself, encrypted, and the next page continues after that key
    /// ([`page_after_key`]) wherever the row has moved since, rather than after the row's new
    /// place (which passed over every row between) or refusing (its rows move whenever a case
    /// is answered). A cursor not issued for this list and filters is a 400.
    pub fn start_keyed<Q: PageParams + Validate + Serialize>(
        codec: &CursorCodec,
        list: &str,
        query: &Q,
    ) -> Result<Self, ApiError> {
        let (scope, limit) = checked(list, query)?;
        let keyed_after = query
            .cursor()
            .map(|cursor| codec.decode_keyed(&scope, cursor))
            .transpose()
            .map_err(ApiError::invalid_query)?;
        Ok(Self {
            request: PageRequest { after: None, limit },
            scope,
            anchored_cursor: None,
            keyed_after,
        })
    }

    /// The sort key a keyed list's page continues after; `None` on the first page.
    pub fn keyed_after(&self) -> Option<&[u8]> {
        self.keyed_after.as_deref()
    }

    /// A keyed list's wire page: `next` continues after `last_key`, the sort key of the
    /// page's last row, when more rows follow.
    pub fn finish_keyed<W: utoipa::ToSchema>(
        &self,
        codec: &CursorCodec,
        has_more: bool,
        last_key: Option<Vec<u8>>,
        items: Vec<W>,
    ) -> Result<Page<W>, ApiError> {
        let next = match (has_more, last_key) {
            (true, Some(key)) => Some(
                codec
                    .encode_keyed(&self.scope, &key)
                    .map_err(ApiError::Internal)?,
            ),
            _ => None,
        };
        Ok(Page { items, next })
    }

    /// The row an anchored list continues after: `look_up` finds the row the cursor names and
    /// `key_of` gives its sort key now; the cursor is accepted only if it was issued with that
    /// key (a row that has moved since — she was renamed — is a 400 telling to start again,
    /// not a page from her new place that passes over everyone between). A cursor naming no
    /// row is a 400 too (rows of these lists are never deleted, so no cursor issued names
    /// none; and a forged one is answered as one naming a row). `None` on the first page.
    pub fn anchor<A>(
        &self,
        codec: &CursorCodec,
        look_up: impl FnOnce(Uuid) -> Result<Option<A>, ApiError>,
        key_of: impl Fn(&A) -> Vec<u8>,
    ) -> Result<Option<A>, ApiError> {
        let Some(cursor) = &self.anchored_cursor else {
            return Ok(None);
        };
        let id = codec
            .peek(&self.scope, cursor)
            .map_err(ApiError::invalid_query)?;
        // No row: checked against an empty key, which no issued cursor has, so the answer is
        // the same 400 as for a row whose key does not match.
        let row = look_up(id)?;
        let key = row.as_ref().map(&key_of).unwrap_or_default();
        codec
            .decode_anchored(&self.scope, cursor, &key)
            .map_err(ApiError::invalid_query)?;
        Ok(row)
    }

    /// The request of an anchored list whose rows are fetched after the cursor's row by id
    /// (`request.after`): that row looked up by `look_up` and checked by [`Self::anchor`]
    /// against its sort key now (`key_of`), so a row moved since (a meeting rescheduled, a due
    /// date changed) is a 400 telling to start again, not a page from its new place that
    /// passes over every row between (an attack review of 184c46f).
    pub fn anchored_request<A>(
        &self,
        codec: &CursorCodec,
        look_up: impl FnOnce(Uuid) -> Result<Option<A>, ApiError>,
        key_of: impl Fn(&A) -> Vec<u8>,
        id_of: impl Fn(&A) -> Uuid,
    ) -> Result<PageRequest, ApiError> {
        let after = self.anchor(codec, look_up, key_of)?;
        Ok(PageRequest {
            after: after.as_ref().map(id_of),
            ..self.request
        })
    }

    /// An anchored list's wire page: `next` continues after `last_fetched` (its id and sort
    /// key), as [`Self::finish_shown`].
    pub fn finish_anchored<W: utoipa::ToSchema>(
        &self,
        codec: &CursorCodec,
        has_more: bool,
        last_fetched: Option<(Uuid, Vec<u8>)>,
        items: Vec<W>,
    ) -> Result<Page<W>, ApiError> {
        let next = match (has_more, last_fetched) {
            (true, Some((last, key))) => Some(
                codec
                    .encode_anchored(&self.scope, last, &key)
                    .map_err(ApiError::Internal)?,
            ),
            _ => None,
        };
        Ok(Page { items, next })
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
            (true, Some(last)) => Some(
                codec
                    .encode(&self.scope, last)
                    .map_err(ApiError::Internal)?,
            ),
            _ => None,
        };
        Ok(Page { items, next })
    }
}

/// The first `request.limit` rows after `request.after` that `keep` keeps (those the caller
/// is shown), read by `fetch` in batches of `limit + 1` past the rows `keep` leaves out, and
/// whether one more kept row follows them (`keep` may also turn a row into what is shown of
/// it). The page's `next` then continues after its last
/// *shown* row ([`Listing::finish_shown`] with that row's id), so neither the page's size, nor
/// a `next` leading to an empty page, nor the cursor tells that rows were left out (an attack
/// review bisected a hidden case conference's time that way; decision 0029). `keep` only
/// decides; the caller logs the rows it answers. The rows left out are those of persons the
/// caller's unit cares for but may not see (her block, her consent), so the batches past them
/// are few.
pub fn first_shown<C, T, U>(
    conn: &mut C,
    request: PageRequest,
    mut fetch: impl FnMut(&mut C, PageRequest) -> Result<persistence::Page<T>, ApiError>,
    mut keep: impl FnMut(&mut C, Vec<T>) -> Result<Vec<U>, ApiError>,
    id_of: impl Fn(&T) -> Uuid,
) -> Result<(Vec<U>, bool), ApiError> {
    let limit = request.limit as usize;
    let batch = PageRequest {
        after: request.after,
        limit: request.limit.saturating_add(1),
    };
    let mut after = batch.after;
    let mut kept = Vec::new();
    loop {
        let page = fetch(conn, PageRequest { after, ..batch })?;
        let Some(last) = page.items.last().map(&id_of) else {
            break;
        };
        kept.extend(keep(conn, page.items)?);
        if kept.len() > limit || !page.has_more {
            break;
        }
        after = Some(last);
    }
    let more = kept.len() > limit;
    kept.truncate(limit);
    Ok((kept, more))
}

/// The page of `limit` rows of `rows`, sorted ascending by `key_of`, whose keys follow
/// `after` (all rows from the first when `None`), and whether more follow it. Keys are
/// compared as bytes, so `key_of` must give the list's order in them.
pub fn page_after_key<T>(
    mut rows: Vec<T>,
    after: Option<&[u8]>,
    limit: u32,
    key_of: impl Fn(&T) -> Vec<u8>,
) -> (Vec<T>, bool) {
    rows.sort_by_cached_key(&key_of);
    let start = after.map_or(0, |after| {
        rows.partition_point(|row| key_of(row).as_slice() <= after)
    });
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let has_more = rows.len() > start.saturating_add(limit);
    let page = rows.into_iter().skip(start).take(limit).collect();
    (page, has_more)
}

/// The scope and page size of a request to list `list`, once `limit` and the query's own
/// rules are checked.
fn checked<Q: PageParams + Validate + Serialize>(
    list: &str,
    query: &Q,
) -> Result<([u8; 32], u32), ApiError> {
    let mut errors = FieldErrors::default();
    errors.extend_validator(query.validate());
    if !errors.is_empty() {
        return Err(ApiError::invalid_query(errors.into_failure()));
    }
    Ok((
        filter_scope(list, query)?,
        query.limit().unwrap_or(DEFAULT_LIMIT),
    ))
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

    /// Rows 1..=n (as ids), paged by id; `hidden` rows are left out by `keep`. Answers each
    /// page of `limit` as (ids shown, more) by following the last shown id, and counts fetches.
    fn pages(n: u128, hidden: &[u128], limit: u32) -> (Vec<(Vec<u128>, bool)>, usize) {
        let mut fetches = 0;
        let fetch = |fetches: &mut usize, request: PageRequest| {
            *fetches += 1;
            let after = request.after.map_or(0, |id| id.as_u128());
            let items: Vec<Uuid> = (after + 1..=n)
                .take(request.limit as usize)
                .map(Uuid::from_u128)
                .collect();
            let has_more = items.last().is_some_and(|last| last.as_u128() < n);
            Ok(persistence::Page { items, has_more })
        };
        let keep = |_: &mut usize, rows: Vec<Uuid>| {
            Ok(rows
                .into_iter()
                .filter(|id| !hidden.contains(&id.as_u128()))
                .collect())
        };
        let mut answered = Vec::new();
        let mut after = None;
        loop {
            let request = PageRequest { after, limit };
            let Ok((rows, more)) = first_shown(&mut fetches, request, fetch, keep, |id| *id) else {
                panic!("no error is made here");
            };
            answered.push((rows.iter().map(|id| id.as_u128()).collect(), more));
            if !more {
                return (answered, fetches);
            }
            after = rows.last().copied();
        }
    }

    #[test]
    fn a_keyed_page_continues_after_the_key_wherever_its_row_went() {
        let key = |row: &(u8, char)| vec![row.0, row.1 as u8];
        let rows = vec![(3, 'c'), (1, 'a'), (2, 'b'), (4, 'd')];
        assert_eq!(
            page_after_key(rows.clone(), None, 2, key),
            (vec![(1, 'a'), (2, 'b')], true)
        );
        // Row b moved from 2 to 9 after the first page was shown: the next page continues
        // after key (2, b), so c and d are not passed over; b is shown again, at its new place.
        let moved = vec![(3, 'c'), (1, 'a'), (9, 'b'), (4, 'd')];
        assert_eq!(
            page_after_key(moved.clone(), Some(&[2, b'b']), 2, key),
            (vec![(3, 'c'), (4, 'd')], true)
        );
        assert_eq!(
            page_after_key(moved, Some(&[4, b'd']), 2, key),
            (vec![(9, 'b')], false)
        );
        assert_eq!(page_after_key(rows, Some(&[9]), 2, key), (vec![], false));
    }

    #[test]
    fn pages_hold_limit_shown_rows_and_next_only_when_one_follows() {
        let full =
            |pages: &[(Vec<u128>, bool)]| pages.iter().map(|(r, _)| r.clone()).collect::<Vec<_>>();
        // Nothing hidden: one fetch a page.
        let (answered, fetches) = pages(5, &[], 2);
        assert_eq!(full(&answered), [vec![1, 2], vec![3, 4], vec![5]]);
        assert_eq!(fetches, 3);
        // Hidden rows in the middle and at the end: no short page, no page after the last.
        let (answered, _) = pages(9, &[3, 4, 5, 8, 9], 2);
        assert_eq!(full(&answered), [vec![1, 2], vec![6, 7]]);
        assert!(!answered[1].1, "nothing shown follows 7");
        // Everything hidden: one empty page without `next`.
        assert_eq!(pages(4, &[1, 2, 3, 4], 1).0, [(vec![], false)]);
        // A run of hidden rows longer than a batch is read past.
        let (answered, _) = pages(12, &[2, 3, 4, 5, 6, 7, 8, 9, 10], 1);
        assert_eq!(full(&answered), [vec![1], vec![11], vec![12]]);
    }
}
