//! How one part of a person's record is read in the record snapshot's single statement
//! ([`crate::snapshot`]): the shape of the statement's rows, and [`record_part!`], with which
//! the module that owns a table declares that table's part — its columns, by name, once.
//!
//! Every part selects into the same row so that the parts can be unioned: the part's label,
//! then its columns as text in the order declared, then NULLs up to [`WIDTH`]. The order is
//! generated from the declaration, and so is the decoder, which reads each column by its name.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment};
use diesel::sql_types::{Nullable, Text};

use crate::PersistenceError;

/// Columns after the label in each row of the snapshot statement: as many as the widest part
/// (persons) selects. [`record_part!`] pads every part to this width.
pub(crate) const WIDTH: usize = 18;

type S = Option<String>;

/// One row of the snapshot statement as loaded: the label, then [`WIDTH`] text columns.
pub(crate) type UnionRow = (String, S, S, S, S, S, S, S, S, S, S, S, S, S, S, S, S, S, S);

/// `CAST(expr AS TEXT)`, typed, so the statement stays cacheable as a prepared statement
/// (diesel never caches statements containing raw `sql()` fragments, and PostgreSQL would plan
/// the six-way union on every request).
#[derive(Debug, Clone, Copy, diesel::query_builder::QueryId)]
pub(crate) struct AsText<E>(pub(crate) E);

impl<E: Expression> Expression for AsText<E> {
    type SqlType = Nullable<Text>;
}

impl<E, DB> QueryFragment<DB> for AsText<E>
where
    DB: diesel::backend::Backend,
    E: QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("CAST(");
        self.0.walk_ast(out.reborrow())?;
        out.push_sql(" AS TEXT)");
        Ok(())
    }
}

impl<E: AppearsOnTable<QS>, QS> AppearsOnTable<QS> for AsText<E> {}
impl<E: SelectableExpression<QS>, QS> SelectableExpression<QS> for AsText<E> {}
impl<E: ValidGrouping<()>> ValidGrouping<()> for AsText<E> {
    type IsAggregate = E::IsAggregate;
}

/// The column naming the part a row belongs to.
pub(crate) type Label = diesel::dsl::AsExprOf<&'static str, Text>;

pub(crate) fn label(part: &'static str) -> Label {
    part.into_sql::<Text>()
}

/// A padding column.
pub(crate) type Pad = diesel::dsl::AsExprOf<Option<String>, Nullable<Text>>;

pub(crate) fn pad() -> Pad {
    None::<String>.into_sql::<Nullable<Text>>()
}

/// Which column of a part's row a value is read from: its place in the row and, for errors,
/// its name (`table.column`). Made by the `Column` enum that [`record_part!`] declares.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Slot {
    pub(crate) index: usize,
    pub(crate) name: &'static str,
}

/// The text columns of one row of the snapshot statement, read by the part's decoder.
#[derive(Debug)]
pub(crate) struct TextRow {
    /// The part the row belongs to: the label its part selected.
    pub(crate) label: String,
    columns: [Option<String>; WIDTH],
}

impl From<UnionRow> for TextRow {
    fn from(r: UnionRow) -> Self {
        Self {
            label: r.0,
            columns: [
                r.1, r.2, r.3, r.4, r.5, r.6, r.7, r.8, r.9, r.10, r.11, r.12, r.13, r.14, r.15,
                r.16, r.17, r.18,
            ],
        }
    }
}

fn corrupt(slot: Slot, what: &str) -> PersistenceError {
    PersistenceError::Corrupt(format!("record column {} is not {what}", slot.name))
}

impl TextRow {
    /// The row's id: [`record_part!`] makes `id` every part's first column. Ids are UUID v7,
    /// so their text order is creation order.
    pub(crate) fn id(&self) -> Option<&str> {
        self.columns[0].as_deref()
    }

    pub(crate) fn borrowed(&self, slot: impl Into<Slot>) -> Option<&str> {
        let slot = slot.into();
        self.columns.get(slot.index).and_then(Option::as_deref)
    }

    /// Takes the column's text out of the row: each column is decoded once.
    pub(crate) fn optional(&mut self, slot: impl Into<Slot>) -> Result<S, PersistenceError> {
        let slot = slot.into();
        Ok(self.columns.get_mut(slot.index).and_then(Option::take))
    }

    pub(crate) fn text(&mut self, slot: impl Into<Slot>) -> Result<String, PersistenceError> {
        let slot = slot.into();
        required(slot, self.optional(slot)?)
    }

    /// The column's value read by `parse`; `None` when the column is NULL.
    fn parsed<T>(
        &self,
        slot: Slot,
        what: &str,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Result<Option<T>, PersistenceError> {
        self.borrowed(slot)
            .map(|text| parse(text).ok_or_else(|| corrupt(slot, what)))
            .transpose()
    }

    /// PostgreSQL writes `true`/`false`, SQLite `1`/`0`.
    pub(crate) fn boolean(&self, slot: impl Into<Slot>) -> Result<bool, PersistenceError> {
        let slot = slot.into();
        let value = self.parsed(slot, "a boolean", |text| match text {
            "true" | "t" | "1" => Some(true),
            "false" | "f" | "0" => Some(false),
            _ => None,
        })?;
        required(slot, value)
    }

    pub(crate) fn integer(&self, slot: impl Into<Slot>) -> Result<i64, PersistenceError> {
        let slot = slot.into();
        required(
            slot,
            self.parsed(slot, "an integer", |text| text.parse().ok())?,
        )
    }

    pub(crate) fn optional_timestamp(
        &self,
        slot: impl Into<Slot>,
    ) -> Result<Option<NaiveDateTime>, PersistenceError> {
        self.parsed(slot.into(), "a timestamp", |text| {
            NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f")
                .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f"))
                .ok()
        })
    }

    pub(crate) fn timestamp(
        &self,
        slot: impl Into<Slot>,
    ) -> Result<NaiveDateTime, PersistenceError> {
        let slot = slot.into();
        required(slot, self.optional_timestamp(slot)?)
    }

    pub(crate) fn optional_date(
        &self,
        slot: impl Into<Slot>,
    ) -> Result<Option<NaiveDate>, PersistenceError> {
        self.parsed(slot.into(), "a date", |text| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
        })
    }

    pub(crate) fn date(&self, slot: impl Into<Slot>) -> Result<NaiveDate, PersistenceError> {
        let slot = slot.into();
        required(slot, self.optional_date(slot)?)
    }
}

/// A column that must not be NULL.
fn required<T>(slot: Slot, value: Option<T>) -> Result<T, PersistenceError> {
    value.ok_or_else(|| corrupt(slot, "set"))
}

/// Declares a table's part of the record snapshot as a module `$part` holding:
///
/// - `LABEL`, the part's name in the statement's first column, and `TABLE`;
/// - `Column`, the part's columns by name, in the order they are selected;
/// - `select(key)`, the part's branch of the statement: the table's rows whose `$key` column
///   is `key`, each declared column as text, padded to [`WIDTH`];
/// - `decode(row)`, which reads those columns by name into `$row` (each with the [`TextRow`]
///   reader named after it; `$row` fields that are not read get the value given after
///   `not selected`) and converts that into `$domain`.
///
/// `id` comes first in every part (the snapshot orders rows by it). Columns listed after
/// `also selected` are selected but not part of `$row`; the owning module reads them through
/// `Column`.
macro_rules! record_part {
    (
        $(#[$doc:meta])*
        $vis:vis mod $part:ident = $label:literal, $table:ident where $key:ident
            => $row:ident => $domain:ty {
            id: $id_kind:ident,
            $($field:ident: $kind:ident),+ $(,)?
        }
        $(also selected: $($extra:ident),+;)?
        $(not selected: $($unread:ident: $value:expr),+;)?
    ) => {
        $(#[$doc])*
        $vis mod $part {
            use super::*;
            use $crate::record_part::{AsText, Label, Slot, TextRow};

            pub(crate) const LABEL: &str = $label;
            pub(crate) const TABLE: &str = stringify!($table);

            /// The part's columns, in the order [`select`] lists them.
            #[allow(non_camel_case_types, dead_code)]
            #[derive(Debug, Clone, Copy)]
            pub(crate) enum Column {
                id,
                $($field,)+
                $($($extra,)+)?
            }

            const NAMES: &[&str] = &[
                concat!(stringify!($table), ".id"),
                $(concat!(stringify!($table), ".", stringify!($field)),)+
                $($(concat!(stringify!($table), ".", stringify!($extra)),)+)?
            ];

            impl From<Column> for Slot {
                fn from(column: Column) -> Slot {
                    let index = column as usize;
                    Slot { index, name: NAMES[index] }
                }
            }

            $crate::record_part::record_part!(
                @select $label, $table, $key [] [] [id $($field)+ $($($extra)+)?]
                // One slot per column of the row (`WIDTH`): a column or, left over, a pad.
                [_ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _]
            );

            /// Reads the part's columns by name.
            pub(crate) fn decode(row: &mut TextRow) -> Result<$domain, PersistenceError> {
                <$domain>::try_from($row {
                    id: row.$id_kind(Column::id)?,
                    $($field: row.$kind(Column::$field)?,)+
                    $($($unread: $value,)+)?
                })
            }
        }
    };
    // The part's branch, its type and its value built together: the label, each column as
    // text, then padding for the slots left over. A part with more columns than slots matches
    // no rule and does not compile.
    (
        @select $label:literal, $table:ident, $key:ident [$($type:ty,)*] [$($value:expr,)*]
        [$column:ident $($columns:ident)*] [$slot:tt $($slots:tt)*]
    ) => {
        $crate::record_part::record_part!(
            @select $label, $table, $key
            [$($type,)* AsText<$table::$column>,] [$($value,)* AsText($table::$column),]
            [$($columns)*] [$($slots)*]
        );
    };
    (
        @select $label:literal, $table:ident, $key:ident [$($type:ty,)*] [$($value:expr,)*]
        [] [$($slot:tt)*]
    ) => {
        pub(crate) type Select = diesel::dsl::Select<
            diesel::dsl::Filter<$table::table, diesel::dsl::Eq<$table::$key, String>>,
            (Label, $($type,)* $($crate::record_part::record_part!(@pad_type $slot),)*),
        >;

        pub(crate) type SelectAny = diesel::dsl::Select<
            diesel::dsl::Filter<$table::table, diesel::dsl::EqAny<$table::$key, Vec<String>>>,
            (Label, $($type,)* $($crate::record_part::record_part!(@pad_type $slot),)*),
        >;

        /// The part's branch of the snapshot statement.
        pub(crate) fn select(key: String) -> Select {
            $table::table.filter($table::$key.eq(key)).select((
                $crate::record_part::label($label),
                $($value,)*
                $($crate::record_part::record_part!(@pad_value $slot),)*
            ))
        }

        /// The part's branch of the statement that reads several records at once: the rows
        /// whose key is any of `keys` (the row's [`KEY`] column says whose it is).
        pub(crate) fn select_any(keys: Vec<String>) -> SelectAny {
            $table::table.filter($table::$key.eq_any(keys)).select((
                $crate::record_part::label($label),
                $($value,)*
                $($crate::record_part::record_part!(@pad_value $slot),)*
            ))
        }

        /// The column naming the person a row belongs to (the part's key: her id in the
        /// persons part, `person_id` in the others); it must be among the declared columns.
        pub(crate) const KEY: Column = Column::$key;
    };
    (@pad_type $slot:tt) => { $crate::record_part::Pad };
    (@pad_value $slot:tt) => { $crate::record_part::pad() };
}

pub(crate) use record_part;

#[cfg(test)]
mod tests {
    use super::{Slot, TextRow, WIDTH};

    fn row(values: &[&str]) -> TextRow {
        let mut columns: [Option<String>; WIDTH] = Default::default();
        for (column, value) in columns.iter_mut().zip(values) {
            *column = Some((*value).to_owned());
        }
        TextRow {
            label: "test".into(),
            columns,
        }
    }

    fn slot(index: usize) -> Slot {
        Slot {
            index,
            name: "parts.column",
        }
    }

    #[test]
    fn values_read_as_either_backend_writes_them() {
        let row = row(&["t", "0", "2026-11-30 08:00:00.5", "2026-11-30T08:00:00"]);
        assert_eq!(row.boolean(slot(0)).ok(), Some(true));
        assert_eq!(row.boolean(slot(1)).ok(), Some(false));
        let timestamp = |index| row.timestamp(slot(index)).ok().map(|t| t.to_string());
        assert_eq!(timestamp(2).as_deref(), Some("2026-11-30 08:00:00.500"));
        assert_eq!(timestamp(3).as_deref(), Some("2026-11-30 08:00:00"));
        assert_eq!(row.optional_date(slot(4)).ok(), Some(None));
    }

    fn message<T>(result: Result<T, crate::PersistenceError>) -> String {
        result.err().map(|e| e.to_string()).unwrap_or_default()
    }

    #[test]
    fn a_column_that_does_not_parse_is_named() {
        let mut row = row(&["yes"]);
        let error = message(row.boolean(slot(0)));
        assert!(error.contains("parts.column is not a boolean"), "{error}");
        let error = message(row.text(slot(1)));
        assert!(error.contains("parts.column is not set"), "{error}");
    }
}
