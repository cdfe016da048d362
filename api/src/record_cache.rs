//! Records read recently, kept in memory so that reading a record that has not changed costs
//! one primary-key lookup (its [`RecordStamp`]) instead of the whole record.
//!
//! Nothing is served on trust: every use has the stamp confirmed by the database — before the
//! record is used ([`RecordCache::load`]) or with the access-log event ([`RecordCache::kept`])
//! — and the database moves the stamp on at every change to the record (the person's
//! `version`, and `record_version`, which triggers move on for every part), so a change
//! committed anywhere — by another replica, an import, by hand — is seen by the next request.
//! A record's stamp is read in the same statement as the record itself.

use std::collections::HashMap;
use std::sync::Arc;

use persistence::DbConnection;
use persistence::snapshot::{self, RecordSnapshot, RecordStamp};
use uuid::Uuid;

use crate::error::ApiError;

/// How many records are kept; roughly 2–5 kB each.
const CAPACITY: usize = 4_096;

pub struct RecordCache {
    kept: quick_cache::sync::Cache<Uuid, Arc<RecordSnapshot>>,
}

impl Default for RecordCache {
    fn default() -> Self {
        Self {
            kept: quick_cache::sync::Cache::new(CAPACITY),
        }
    }
}

impl RecordCache {
    /// The record kept for `person_id` and the stamp it was read under, without asking the
    /// database: whoever uses it must have the stamp confirmed before answering (see
    /// `record_access::guarded_view`).
    pub fn kept(&self, person_id: Uuid) -> Option<Arc<RecordSnapshot>> {
        self.kept.get(&person_id)
    }

    /// Her record as stored now, or `None` when no person has this id: a kept record after
    /// one primary-key lookup of its stamp, else the record read whole (stamp included).
    pub fn load(
        &self,
        conn: &mut DbConnection,
        person_id: Uuid,
    ) -> Result<Option<Arc<RecordSnapshot>>, ApiError> {
        if let Some(record) = self.kept.get(&person_id) {
            let Some(stamp) = snapshot::stamp(conn, person_id)? else {
                return Ok(None);
            };
            if record.stamp == stamp {
                return Ok(Some(record));
            }
        }
        let Some(record) = snapshot::load(conn, person_id)?.map(Arc::new) else {
            return Ok(None);
        };
        self.kept.insert(person_id, Arc::clone(&record));
        Ok(Some(record))
    }
    /// The records of `person_ids` as stored now, like [`RecordCache::load`] for each, in two
    /// statements whatever their number: the stamps of the kept ones, then the records that were
    /// not kept or have changed, read together. Persons that do not exist are missing.
    pub fn load_many(
        &self,
        conn: &mut DbConnection,
        person_ids: &[Uuid],
    ) -> Result<HashMap<Uuid, Arc<RecordSnapshot>>, ApiError> {
        let kept: Vec<Uuid> = person_ids
            .iter()
            .filter(|id| self.kept.get(*id).is_some())
            .copied()
            .collect();
        let stamps = match kept.is_empty() {
            true => HashMap::new(),
            false => snapshot::stamps(conn, &kept)?,
        };
        let stamped: Vec<(Uuid, Option<RecordStamp>)> = person_ids
            .iter()
            .map(|id| (*id, stamps.get(id).copied()))
            .collect();
        self.load_stamped(conn, &stamped)
    }

    /// The records of `persons` as stored now, each given with the stamp the database has for
    /// her (read in the same statement as the list that names her, or `None`): a kept record
    /// with that stamp is used as it is, the others are read together in one statement.
    pub fn load_stamped(
        &self,
        conn: &mut DbConnection,
        persons: &[(Uuid, Option<RecordStamp>)],
    ) -> Result<HashMap<Uuid, Arc<RecordSnapshot>>, ApiError> {
        let mut records = HashMap::with_capacity(persons.len());
        let mut unread = Vec::new();
        for (id, stamp) in persons {
            match self.kept.get(id) {
                Some(record) if Some(record.stamp) == *stamp => {
                    records.insert(*id, record);
                }
                _ => unread.push(*id),
            }
        }
        if !unread.is_empty() {
            for (id, record) in snapshot::load_many(conn, &unread)? {
                let record = Arc::new(record);
                self.kept.insert(id, Arc::clone(&record));
                records.insert(id, record);
            }
        }
        Ok(records)
    }
}
