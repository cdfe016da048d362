//! Table definitions, the same for both backends (see `migrations/postgres` and
//! `migrations/sqlite`). Ids are UUID text (the access log's excepted: `uuid_column`);
//! timestamps are UTC without zone.

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

diesel::table! {
    persons (id) {
        id -> Text,
        personal_number -> Text,
        given_name -> Text,
        family_name -> Text,
        name_key -> Text,
        municipality_code -> Nullable<Text>,
        protected_identity -> Bool,
        address -> Nullable<Text>,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        what_matters_to_me -> Nullable<Text>,
        registered_by -> Text,
        registered_by_unit -> Nullable<Text>,
        registered_by_org -> Nullable<Text>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        record_version -> BigInt,
        reserve_number -> Bool,
        name_sort_key -> Binary,
    }
}

diesel::table! {
    identity_changes (id) {
        id -> Text,
        person_id -> Text,
        previous_number -> Text,
        previous_reserve -> Bool,
        new_number -> Text,
        new_reserve -> Bool,
        reason -> Text,
        changed_by -> Text,
        changed_by_unit -> Nullable<Text>,
        changed_by_org -> Nullable<Text>,
        changed_at -> Timestamp,
    }
}

diesel::table! {
    person_statements (id) {
        id -> Text,
        person_id -> Text,
        kind -> Text,
        text -> Text,
        recorded_by -> Text,
        recorded_by_unit -> Nullable<Text>,
        recorded_by_org -> Nullable<Text>,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    person_contacts (id) {
        id -> Text,
        person_id -> Text,
        name -> Text,
        relation -> Text,
        phone -> Nullable<Text>,
        may_be_informed -> Bool,
        recorded_by -> Text,
        recorded_by_unit -> Nullable<Text>,
        recorded_by_org -> Nullable<Text>,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    consents (id) {
        id -> Text,
        person_id -> Text,
        scope -> Text,
        status -> Text,
        valid_from -> Date,
        valid_to -> Nullable<Date>,
        recorded_by -> Text,
        recorded_by_unit -> Nullable<Text>,
        recorded_by_org -> Nullable<Text>,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    blocks (id) {
        id -> Text,
        person_id -> Text,
        blocked_unit_id -> Text,
        reason -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
        lifted_by -> Nullable<Text>,
        lifted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    care_relationships (id) {
        id -> Text,
        person_id -> Text,
        care_unit_id -> Text,
        organization_id -> Text,
        staff_id -> Nullable<Text>,
        role -> Text,
        started_by -> Text,
        started_at -> Timestamp,
        ended_by -> Nullable<Text>,
        ended_at -> Nullable<Timestamp>,
        person_family_name -> Text,
        person_given_name -> Text,
        started_by_unit_id -> Nullable<Text>,
        ended_by_unit_id -> Nullable<Text>,
        person_name_sort_key -> Binary,
    }
}

diesel::table! {
    emergency_accesses (id) {
        id -> Text,
        person_id -> Text,
        subject -> Text,
        unit_id -> Text,
        organization_id -> Nullable<Text>,
        reason -> Text,
        granted_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::uuid_column::NativeUuid;

    /// The access log. Its ids are [`NativeUuid`]: `uuid` on PostgreSQL (migration
    /// `000023_audit_event_uuids`), text on SQLite.
    audit_events (id) {
        id -> NativeUuid,
        occurred_at -> Timestamp,
        subject -> Text,
        unit_id -> Nullable<NativeUuid>,
        organization_id -> Nullable<NativeUuid>,
        person_id -> Nullable<NativeUuid>,
        action -> Text,
        resource -> Text,
        purpose -> Text,
        outcome -> Text,
    }
}

diesel::table! {
    rate_limit_windows (subject, bucket) {
        subject -> Text,
        bucket -> Text,
        window_start -> Timestamp,
        hits -> Integer,
    }
}

diesel::table! {
    coordination_cases (id) {
        id -> Text,
        person_id -> Text,
        hospital_unit_id -> Text,
        care_kind -> Text,
        state -> Text,
        admitted_at -> Timestamp,
        assessed_at -> Nullable<Timestamp>,
        expected_discharge_date -> Nullable<Date>,
        opened_by -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        paying_municipality_code -> Nullable<Text>,
        paying_reason -> Nullable<Text>,
        paying_decided_by -> Nullable<Text>,
        paying_decided_at -> Nullable<Timestamp>,
        paying_decided_by_unit_id -> Nullable<Text>,
    }
}

diesel::table! {
    case_messages (id) {
        id -> Text,
        case_id -> Text,
        kind -> Text,
        text -> Nullable<Text>,
        sent_by -> Text,
        sent_by_unit -> Text,
        sent_at -> Timestamp,
    }
}

diesel::table! {
    case_message_recipients (message_id, unit_id) {
        message_id -> Text,
        unit_id -> Text,
        status -> Text,
        answered_by -> Nullable<Text>,
        answered_at -> Nullable<Timestamp>,
        retract_reason -> Nullable<Text>,
    }
}

diesel::table! {
    care_plans (id) {
        id -> Text,
        person_id -> Text,
        created_by_unit -> Text,
        created_by_organization -> Text,
        created_at -> Timestamp,
        version -> BigInt,
        follow_up_date -> Nullable<Date>,
        responsible_organization_id -> Nullable<Text>,
    }
}

diesel::table! {
    care_plan_versions (plan_id, version) {
        plan_id -> Text,
        version -> BigInt,
        change_kind -> Text,
        note -> Nullable<Text>,
        content -> Text,
        changed_by -> Text,
        changed_by_unit -> Text,
        changed_at -> Timestamp,
    }
}

diesel::table! {
    case_care_relationships (case_id, relationship_id) {
        case_id -> Text,
        relationship_id -> Text,
        unit_id -> Text,
    }
}

diesel::table! {
    training_cohorts (id) {
        id -> Text,
        programme -> Text,
        name -> Text,
        min_sessions_attended -> Integer,
        project_presentation_required -> Bool,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    training_sessions (id) {
        id -> Text,
        cohort_id -> Text,
        held_on -> Date,
        topic -> Text,
    }
}

diesel::table! {
    improvement_projects (id) {
        id -> Text,
        title -> Text,
        problem -> Nullable<Text>,
        aim_what -> Text,
        aim_how_much -> Text,
        aim_by_when -> Date,
        what_matters -> Nullable<Text>,
        coach_id -> Nullable<Text>,
        status -> Text,
        start_on -> Nullable<Date>,
        end_on -> Nullable<Date>,
        change_ideas -> Text,
        created_by -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    improvement_links (owner_id, relation, target) {
        owner_id -> Text,
        relation -> Text,
        target -> Text,
    }
}

diesel::table! {
    cohort_enrolments (cohort_id, staff_id) {
        cohort_id -> Text,
        staff_id -> Text,
        presented_project_id -> Nullable<Text>,
        enrolled_at -> Timestamp,
    }
}

diesel::table! {
    session_attendance (session_id, staff_id) {
        session_id -> Text,
        staff_id -> Text,
    }
}

diesel::table! {
    coaches (staff_id) {
        staff_id -> Text,
        cohort_id -> Nullable<Text>,
        certified_on -> Nullable<Date>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    pdsa_cycles (id) {
        id -> Text,
        project_id -> Text,
        title -> Text,
        plan -> Text,
        prediction -> Text,
        do_notes -> Nullable<Text>,
        study -> Nullable<Text>,
        act -> Nullable<Text>,
        starts_on -> Date,
        ends_on -> Nullable<Date>,
        change_point_on -> Nullable<Date>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    measures (id) {
        id -> Text,
        project_id -> Text,
        name -> Text,
        operational_definition -> Text,
        measure_type -> Text,
        unit_of_measure -> Text,
        value_kind -> Text,
        rate_multiplier -> Double,
        direction -> Text,
        target -> Nullable<Double>,
        version -> BigInt,
        indicator -> Nullable<Text>,
        indicator_municipality -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    measure_data_points (id) {
        id -> Text,
        measure_id -> Text,
        period -> Date,
        value -> Nullable<Double>,
        numerator -> Nullable<Double>,
        denominator -> Nullable<Double>,
        annotation -> Nullable<Text>,
        deleted -> Bool,
        version -> BigInt,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    data_point_revisions (data_point_id, version) {
        data_point_id -> Text,
        version -> BigInt,
        kind -> Text,
        period -> Date,
        value -> Nullable<Double>,
        numerator -> Nullable<Double>,
        denominator -> Nullable<Double>,
        annotation -> Nullable<Text>,
        reason -> Nullable<Text>,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::joinable!(care_units -> organizations (organization_id));
diesel::joinable!(staff -> care_units (care_unit_id));
diesel::joinable!(care_relationships -> persons (person_id));
diesel::joinable!(care_plan_versions -> care_plans (plan_id));
diesel::table! {
    meetings (id) {
        id -> Text,
        kind -> Text,
        title -> Text,
        description -> Nullable<Text>,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        place -> Nullable<Text>,
        video_link -> Nullable<Text>,
        host_municipality_code -> Nullable<Text>,
        host_organization_id -> Nullable<Text>,
        organizer_id -> Nullable<Text>,
        status -> Text,
        cancel_reason -> Nullable<Text>,
        esther_present -> Nullable<Bool>,
        created_by -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        person_id -> Nullable<Text>,
        recorded_by_unit_id -> Nullable<Text>,
        recorded_by_organization_id -> Nullable<Text>,
    }
}

diesel::table! {
    meeting_participants (id) {
        id -> Text,
        meeting_id -> Text,
        kind -> Text,
        staff_id -> Nullable<Text>,
        care_unit_id -> Nullable<Text>,
        organization_id -> Nullable<Text>,
        representative_name -> Nullable<Text>,
        representative_role -> Nullable<Text>,
        consent_to_be_named -> Nullable<Bool>,
        response -> Text,
        attendance -> Nullable<Text>,
        invited_by -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        person_id -> Nullable<Text>,
    }
}

diesel::table! {
    meeting_agenda_items (id) {
        id -> Text,
        meeting_id -> Text,
        position -> Integer,
        title -> Text,
        presenter_id -> Nullable<Text>,
        minutes_allotted -> Nullable<Integer>,
        created_by -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    meeting_minutes (meeting_id) {
        meeting_id -> Text,
        text -> Text,
        revision -> Integer,
        approved_by -> Nullable<Text>,
        approved_at -> Nullable<Timestamp>,
        approval_recorded_by -> Nullable<Text>,
        created_by -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    meeting_minutes_versions (id) {
        id -> Text,
        meeting_id -> Text,
        number -> Integer,
        kind -> Text,
        text -> Text,
        reason -> Nullable<Text>,
        approved_by -> Nullable<Text>,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    meeting_decisions (id) {
        id -> Text,
        meeting_id -> Text,
        text -> Text,
        decided_at -> Timestamp,
        recorded_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    action_items (id) {
        id -> Text,
        meeting_id -> Text,
        title -> Text,
        description -> Nullable<Text>,
        owner_id -> Nullable<Text>,
        care_unit_id -> Nullable<Text>,
        organization_id -> Nullable<Text>,
        due -> Date,
        status -> Text,
        completed_at -> Nullable<Timestamp>,
        improvement_project_id -> Nullable<Text>,
        created_by -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    meeting_stories (meeting_id) {
        meeting_id -> Text,
        text -> Text,
        narrator -> Text,
        narrator_description -> Nullable<Text>,
        recorded_by -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    meeting_lessons (id) {
        id -> Text,
        meeting_id -> Text,
        text -> Text,
        recorded_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    meeting_proposals (id) {
        id -> Text,
        meeting_id -> Text,
        title -> Text,
        text -> Text,
        organization_id -> Text,
        action_item_id -> Text,
        proposed_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    meeting_series (id) {
        id -> Text,
        kind -> Text,
        title -> Text,
        description -> Nullable<Text>,
        rrule -> Text,
        starts_local -> Timestamp,
        duration_minutes -> Integer,
        exdates -> Text,
        place -> Nullable<Text>,
        video_link -> Nullable<Text>,
        host_municipality_code -> Nullable<Text>,
        host_organization_id -> Nullable<Text>,
        organizer_id -> Nullable<Text>,
        created_by -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    meeting_occurrences (meeting_id) {
        meeting_id -> Text,
        series_id -> Text,
        recurrence_id -> Timestamp,
    }
}

diesel::table! {
    calendar_feeds (id) {
        id -> Text,
        secret_sha256 -> Text,
        owner -> Text,
        scope -> Text,
        staff_id -> Nullable<Text>,
        care_unit_id -> Nullable<Text>,
        municipality_code -> Nullable<Text>,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    organizations,
    care_units,
    staff,
    server_settings,
    persons,
    person_statements,
    person_contacts,
    consents,
    blocks,
    care_relationships,
    emergency_accesses,
    audit_events,
    rate_limit_windows,
    coordination_cases,
    care_plans,
    care_plan_versions,
    case_care_relationships,
    case_messages,
    case_message_recipients,
    meetings,
    meeting_participants,
    meeting_agenda_items,
    meeting_minutes,
    meeting_minutes_versions,
    meeting_decisions,
    action_items,
    meeting_stories,
    meeting_lessons,
    meeting_proposals,
    meeting_series,
    meeting_occurrences,
    calendar_feeds,
    identity_changes,
    training_cohorts,
    training_sessions,
    improvement_projects,
    improvement_links,
    cohort_enrolments,
    session_attendance,
    coaches,
    pdsa_cycles,
    measures,
    measure_data_points,
    data_point_revisions,
);
