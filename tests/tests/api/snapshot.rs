//! Her record is read whole and kept while its stamp is unchanged (`persistence::snapshot`,
//! `api::record_cache`): every table that holds a `person_id` in the live schema must be part
//! of the snapshot and move `persons.record_version` at every change of its rows — or be named
//! below as kept out of her record, with the reason.

use std::collections::{BTreeMap, BTreeSet};

use diesel::sql_types::Text;
use diesel::{QueryableByName, RunQueryDsl};
use persistence::DbConnection;
use tests::TestDatabase;

/// Tables with a `person_id` that are not part of her record, and why.
const NOT_HER_RECORD: &[(&str, &str)] = &[
    (
        "audit_events",
        "the access log about her record, read as her log extract: every read appends to it, so \
         it cannot stamp the record it reads",
    ),
    (
        "emergency_accesses",
        "a time-limited ground for entry, looked up at every request that nothing in her record \
         lets in (record_access::load_record), because it expires without any write",
    ),
    (
        "meetings",
        "case conferences naming her (`person_id`), read by the meeting routes after the access \
         decision, never from the snapshot",
    ),
    (
        "meeting_participants",
        "her invitations to case conferences about her, read by the meeting routes after the \
         access decision, never from the snapshot",
    ),
    (
        "coordination_cases",
        "her discharge-planning cases, read by their own routes after the access decision, never \
         from the snapshot",
    ),
    (
        "identity_changes",
        "her identity-number history, read by its own route after the access decision, never \
         from the snapshot; the change itself updates her persons row, which moves the stamp",
    ),
    (
        "care_plans",
        "her coordinated plans (SIP), read by their own routes after the access decision, never \
         from the snapshot",
    ),
];

#[derive(QueryableByName)]
struct TableName {
    #[diesel(sql_type = Text)]
    table_name: String,
}

/// One event a trigger fires on, and what the trigger runs (SQLite: its whole statement;
/// PostgreSQL: its function's body).
#[derive(QueryableByName)]
struct TriggerEvent {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    event: String,
    #[diesel(sql_type = Text)]
    body: String,
}

const SQLITE_PERSON_ID_TABLES: &str = "SELECT m.name AS table_name FROM sqlite_master m \
     JOIN pragma_table_info(m.name) c WHERE m.type = 'table' AND c.name = 'person_id'";
const POSTGRES_PERSON_ID_TABLES: &str = "SELECT table_name::text AS table_name \
     FROM information_schema.columns \
     WHERE table_schema = current_schema() AND column_name = 'person_id'";
const SQLITE_TRIGGERS: &str = "SELECT tbl_name AS table_name, sql AS body FROM sqlite_master \
     WHERE type = 'trigger'";
const POSTGRES_TRIGGERS: &str = "SELECT t.event_object_table::text AS table_name, \
     t.event_manipulation::text AS event, p.prosrc AS body \
     FROM information_schema.triggers t \
     JOIN pg_trigger g ON g.tgname = t.trigger_name::name \
         AND g.tgrelid = t.event_object_table::text::regclass \
     JOIN pg_proc p ON p.oid = g.tgfoid \
     WHERE t.event_object_schema = current_schema() AND t.action_orientation = 'ROW'";

/// A freshly migrated database of the backend under test.
fn migrated() -> (TestDatabase, DbConnection) {
    let database = TestDatabase::create();
    let mut connection = persistence::DatabaseUrl::parse(database.url())
        .unwrap()
        .connect()
        .unwrap();
    persistence::connection::run_migrations(&mut connection).unwrap();
    (database, connection)
}

/// Every table of the live schema with a `person_id` column.
fn person_id_tables(connection: &mut DbConnection) -> BTreeSet<String> {
    let rows: Vec<TableName> = match connection {
        DbConnection::Sqlite(sqlite) => diesel::sql_query(SQLITE_PERSON_ID_TABLES).load(sqlite),
        DbConnection::Postgresql(pg) => diesel::sql_query(POSTGRES_PERSON_ID_TABLES).load(pg),
    }
    .unwrap();
    rows.into_iter().map(|row| row.table_name).collect()
}

/// What the triggers of each table run, by table and event (`INSERT`, `UPDATE`, `DELETE`),
/// lower-cased.
fn triggers(connection: &mut DbConnection) -> BTreeMap<(String, String), Vec<String>> {
    let events: Vec<TriggerEvent> = match connection {
        DbConnection::Sqlite(sqlite) => {
            let rows: Vec<SqliteTrigger> = diesel::sql_query(SQLITE_TRIGGERS).load(sqlite).unwrap();
            rows.into_iter()
                .map(|row| TriggerEvent {
                    event: sqlite_event(&row.body),
                    table_name: row.table_name,
                    body: row.body,
                })
                .collect()
        }
        DbConnection::Postgresql(pg) => diesel::sql_query(POSTGRES_TRIGGERS).load(pg).unwrap(),
    };
    let mut by_event: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for trigger in events {
        by_event
            .entry((trigger.table_name, trigger.event))
            .or_default()
            .push(trigger.body.to_lowercase());
    }
    by_event
}

#[derive(QueryableByName)]
struct SqliteTrigger {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    body: String,
}

/// The event of a SQLite `CREATE TRIGGER … {BEFORE|AFTER|INSTEAD OF} {INSERT|UPDATE|DELETE}`.
fn sqlite_event(statement: &str) -> String {
    let words: Vec<String> = statement
        .split_whitespace()
        .map(str::to_uppercase)
        .collect();
    words
        .iter()
        .skip_while(|word| !matches!(word.as_str(), "BEFORE" | "AFTER" | "OF"))
        .find(|word| matches!(word.as_str(), "INSERT" | "UPDATE" | "DELETE"))
        .cloned()
        .unwrap_or_else(|| panic!("no event in trigger `{statement}`"))
}

/// Whether one of the table's triggers on `event` moves the stamp of the person in `row`'s
/// `person_id` (`row`: `new` or `old`).
fn moves_stamp(
    triggers: &BTreeMap<(String, String), Vec<String>>,
    table: &str,
    event: &str,
    row: &str,
) -> bool {
    triggers
        .get(&(table.to_owned(), event.to_owned()))
        .into_iter()
        .flatten()
        .any(|body| {
            body.contains("record_version = record_version + 1")
                && body.contains(&format!("{row}.person_id"))
        })
}

fn not_her_record() -> BTreeSet<String> {
    NOT_HER_RECORD
        .iter()
        .map(|(table, _)| (*table).to_owned())
        .collect()
}

#[test]
fn every_table_holding_a_person_id_moves_her_record_stamp() {
    let (_database, mut connection) = migrated();
    let tables = person_id_tables(&mut connection);
    let triggers = triggers(&mut connection);
    let excluded = not_her_record();
    let stamped: Vec<&String> = tables.difference(&excluded).collect();
    assert!(!stamped.is_empty(), "no table of her record found");
    let mut missing = Vec::new();
    for table in stamped {
        // A row added, changed (also to another person: both records change) or deleted.
        for (event, row) in [
            ("INSERT", "new"),
            ("UPDATE", "new"),
            ("UPDATE", "old"),
            ("DELETE", "old"),
        ] {
            if !moves_stamp(&triggers, table, event, row) {
                missing.push(format!("{table}: {event} of {row}.person_id"));
            }
        }
    }
    let persons_updated = triggers
        .get(&("persons".to_owned(), "UPDATE".to_owned()))
        .into_iter()
        .flatten()
        .any(|body| body.contains("record_version"));
    if !persons_updated {
        missing.push("persons: UPDATE of her own row".to_owned());
    }
    assert!(
        missing.is_empty(),
        "these changes to her record do not move persons.record_version (add the triggers of \
         migration 000008_record_version_everywhere, on both backends, or name the table in \
         NOT_HER_RECORD with the reason): {missing:#?}"
    );
}

#[test]
fn every_table_holding_a_person_id_has_its_part_in_the_record_snapshot() {
    let (_database, mut connection) = migrated();
    let tables = person_id_tables(&mut connection);
    let excluded = not_her_record();
    assert!(
        excluded.is_subset(&tables),
        "NOT_HER_RECORD names tables without a person_id: {:?}",
        excluded.difference(&tables).collect::<Vec<_>>()
    );
    let parts: BTreeSet<String> = persistence::snapshot::PART_TABLES
        .iter()
        .map(|table| (*table).to_owned())
        .filter(|table| table != "persons")
        .collect();
    let of_her_record: BTreeSet<String> = tables.difference(&excluded).cloned().collect();
    assert_eq!(
        of_her_record, parts,
        "each table of her record needs its part in persistence::snapshot, and each part a \
         person_id; tables kept out of her record belong in NOT_HER_RECORD"
    );
}

#[derive(QueryableByName)]
struct PersonId {
    #[diesel(sql_type = Text)]
    id: String,
}

/// Lists read many records at once (`snapshot::load_many`, behind `RecordCache::load_many`):
/// each must be exactly the record the single read gives, every part attributed to its own
/// person, and a person who does not exist missing.
#[test]
fn records_read_together_are_each_the_record_read_alone() {
    let (_database, mut connection) = migrated();
    let agreement = tests::TestApp::test_agreement();
    assert!(api::demo::load_if_empty(&mut connection, &agreement).unwrap());
    let rows: Vec<PersonId> = diesel::sql_query("SELECT id FROM persons ORDER BY id")
        .load(&mut connection)
        .unwrap();
    let mut ids: Vec<uuid::Uuid> = rows.iter().map(|r| r.id.parse().unwrap()).collect();
    assert!(ids.len() >= 10, "the demo has persons: {}", ids.len());
    let absent = uuid::Uuid::now_v7();
    ids.push(absent);
    let together = persistence::snapshot::load_many(&mut connection, &ids).unwrap();
    assert_eq!(together.len(), ids.len() - 1);
    assert!(!together.contains_key(&absent));
    let mut parts = 0;
    for id in &ids[..ids.len() - 1] {
        let alone = persistence::snapshot::load(&mut connection, *id)
            .unwrap()
            .unwrap();
        parts += alone.relationships.len() + alone.consents.len() + alone.contacts.len();
        assert_eq!(format!("{:?}", together[id]), format!("{alone:?}"));
    }
    assert!(
        parts > ids.len(),
        "the records have parts to attribute: {parts}"
    );
}
