//! Keyset pagination: lists are ordered by id (UUID v7, so by creation time) and continue
//! after the last id seen, so page 10,000 costs what page 1 costs.

use uuid::Uuid;

use crate::PersistenceError;

/// Where a page starts and how long it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    /// Continue after this id; `None` for the first page.
    pub after: Option<Uuid>,
    pub limit: u32,
}

/// One page of a list, and whether more follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub has_more: bool,
}

impl PageRequest {
    /// This page of a list assembled in memory (a short list of one person's: her timeline, a
    /// plan's versions), continuing after the item keyed `after`; `None` when that item is
    /// not in the list (any more).
    pub fn of<T>(self, items: Vec<T>, key: impl Fn(&T) -> Uuid) -> Option<Page<T>> {
        let start = match self.after {
            None => 0,
            Some(after) => items.iter().position(|item| key(item) == after)? + 1,
        };
        let limit = usize::try_from(self.limit).unwrap_or(usize::MAX);
        let has_more = items.len() > start.saturating_add(limit);
        let items = items.into_iter().skip(start).take(limit).collect();
        Some(Page { items, has_more })
    }

    /// Rows to fetch: one more than the page, to learn whether another page follows.
    pub(crate) fn fetch_limit(self) -> i64 {
        i64::from(self.limit) + 1
    }

    pub(crate) fn after_text(self) -> Option<String> {
        self.after.map(|id| id.to_string())
    }

    /// Cuts the fetched rows to the page and converts them to domain values.
    pub(crate) fn into_page<R, T>(
        self,
        mut rows: Vec<R>,
        convert: impl Fn(R) -> Result<T, PersistenceError>,
    ) -> Result<Page<T>, PersistenceError> {
        let limit = usize::try_from(self.limit).unwrap_or(usize::MAX);
        let has_more = rows.len() > limit;
        rows.truncate(limit);
        let items = rows.into_iter().map(convert).collect::<Result<_, _>>()?;
        Ok(Page { items, has_more })
    }
}
