//! Table definitions, the same for both backends (see `migrations/postgres` and
//! `migrations/sqlite`). Ids are UUID text; timestamps are UTC without zone.

diesel::table! {
    organizations (id) {
        id -> Text,
        name -> Text,
        name_key -> Text,
        kind -> Text,
        hsa_id -> Text,
        municipality_code -> Nullable<Text>,
        active -> Bool,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    care_units (id) {
        id -> Text,
        name -> Text,
        name_key -> Text,
        kind -> Text,
        organization_id -> Text,
        municipality_code -> Text,
        hsa_id -> Text,
        active -> Bool,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    staff (id) {
        id -> Text,
        name -> Text,
        name_key -> Text,
        profession -> Text,
        care_unit_id -> Text,
        hsa_id -> Text,
        active -> Bool,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    server_settings (key) {
        key -> Text,
        value -> Text,
    }
}

diesel::joinable!(care_units -> organizations (organization_id));
diesel::joinable!(staff -> care_units (care_unit_id));
diesel::allow_tables_to_appear_in_same_query!(organizations, care_units, staff, server_settings);
