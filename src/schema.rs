// Diesel table definitions, as `diesel print-schema` writes them for migrations/.

diesel::table! {
    admin_users (username) {
        username -> Text,
        password_hash -> Text,
        created_at -> Timestamptz,
        role -> Text,
        enabled -> Bool,
        must_change_password -> Bool,
        last_sign_in_at -> Nullable<Timestamptz>,
        totp_secret -> Nullable<Bytea>,
        totp_pending_secret -> Nullable<Bytea>,
        totp_last_step -> Nullable<Int8>,
    }
}

diesel::table! {
    admin_api_keys (id) {
        id -> Int8,
        username -> Text,
        name -> Text,
        prefix -> Text,
        key_hash -> Bytea,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        last_used_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
        revoked_by -> Nullable<Text>,
        window_started_at -> Nullable<Timestamptz>,
        window_requests -> Int4,
    }
}

diesel::table! {
    admin_recovery_codes (username, code_hash) {
        username -> Text,
        code_hash -> Bytea,
        created_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    security_events (id) {
        id -> Int8,
        created_at -> Timestamptz,
        kind -> Text,
        realm -> Text,
        account -> Text,
        actor -> Nullable<Text>,
        client_network -> Nullable<Text>,
        user_agent -> Nullable<Text>,
        details -> Jsonb,
    }
}

diesel::table! {
    sign_in_failures (id) {
        id -> Int8,
        at -> Timestamptz,
        realm -> Text,
        username_key -> Text,
        client_network -> Text,
        browser_id -> Nullable<Text>,
    }
}

diesel::table! {
    devices (id) {
        id -> Text,
        identity_address -> Text,
        username -> Text,
        password_hash -> Text,
        created_at -> Timestamptz,
        id_hash -> Bytea,
        username_hash -> Bytea,
    }
}

diesel::table! {
    identities (address) {
        address -> Text,
        client_id -> Text,
        created_at -> Timestamptz,
        status -> Text,
        tier_id -> Text,
        tier_id_before_deletion -> Nullable<Text>,
        deletion_grace_period_ends_at -> Nullable<Timestamptz>,
        address_hash -> Bytea,
    }
}

diesel::table! {
    identity_deletion_process_audit_log (id) {
        id -> Text,
        process_id -> Nullable<Text>,
        created_at -> Timestamptz,
        message_key -> Text,
        old_status -> Nullable<Text>,
        new_status -> Nullable<Text>,
        additional_data -> Jsonb,
        identity_address_hash -> Bytea,
        device_id_hash -> Nullable<Bytea>,
        username_hashes -> Array<Bytea>,
        seq -> Int8,
    }
}

diesel::table! {
    identity_deletion_processes (id) {
        id -> Text,
        identity_address -> Text,
        status -> Text,
        created_at -> Timestamptz,
        started_by_admin -> Nullable<Text>,
        approval_period_ends_at -> Nullable<Timestamptz>,
        approval_reminder1_sent_at -> Nullable<Timestamptz>,
        approval_reminder2_sent_at -> Nullable<Timestamptz>,
        approval_reminder3_sent_at -> Nullable<Timestamptz>,
        approved_at -> Nullable<Timestamptz>,
        approved_by_device -> Nullable<Text>,
        grace_period_ends_at -> Nullable<Timestamptz>,
        grace_period_reminder1_sent_at -> Nullable<Timestamptz>,
        grace_period_reminder2_sent_at -> Nullable<Timestamptz>,
        grace_period_reminder3_sent_at -> Nullable<Timestamptz>,
        rejected_at -> Nullable<Timestamptz>,
        rejected_by_device -> Nullable<Text>,
        cancelled_at -> Nullable<Timestamptz>,
        cancelled_by_device -> Nullable<Text>,
        cancelled_by_admin -> Nullable<Text>,
        deletion_started_at -> Nullable<Timestamptz>,
        deletion_attempts -> Int4,
        next_deletion_attempt_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    notifications (id) {
        id -> Int8,
        identity_address -> Text,
        process_id -> Nullable<Text>,
        created_at -> Timestamptz,
        kind -> Text,
        payload -> Jsonb,
    }
}

diesel::table! {
    tiers (id) {
        id -> Text,
        name -> Text,
    }
}

diesel::table! {
    web_sessions (id_hash) {
        id_hash -> Bytea,
        admin_username -> Nullable<Text>,
        identity_address -> Nullable<Text>,
        device_id -> Nullable<Text>,
        second_factor_due_by -> Nullable<Timestamptz>,
        signed_in_at -> Timestamptz,
        last_seen_at -> Timestamptz,
        expires_at -> Timestamptz,
        failed_rechecks -> Int2,
    }
}

diesel::table! {
    api_tokens (token_hash) {
        token_hash -> Bytea,
        device_id -> Text,
        identity_address -> Text,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
    }
}

diesel::table! {
    challenges (id) {
        id -> Text,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        created_by -> Nullable<Text>,
        created_by_device -> Nullable<Text>,
    }
}

diesel::table! {
    external_events (id) {
        id -> Text,
        identity_address -> Text,
        event_type -> Text,
        event_index -> Int8,
        created_at -> Timestamptz,
        payload -> Jsonb,
        sync_run_id -> Nullable<Text>,
        sync_error_count -> Int4,
        synced_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    oauth_clients (client_id) {
        client_id -> Text,
        secret_hash -> Bytea,
        default_tier -> Text,
        max_identities -> Nullable<Int4>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    sync_runs (id) {
        id -> Text,
        identity_address -> Text,
        created_by_device -> Text,
        run_type -> Text,
        run_index -> Int8,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        status -> Text,
        finalized_at -> Nullable<Timestamptz>,
        event_count -> Int4,
        new_datawallet_version -> Nullable<Int4>,
    }
}

diesel::joinable!(admin_api_keys -> admin_users (username));
diesel::joinable!(admin_recovery_codes -> admin_users (username));
diesel::joinable!(devices -> identities (identity_address));
diesel::joinable!(identity_deletion_process_audit_log -> identity_deletion_processes (process_id));
diesel::joinable!(identity_deletion_processes -> identities (identity_address));
diesel::joinable!(notifications -> identities (identity_address));
diesel::joinable!(web_sessions -> admin_users (admin_username));
diesel::joinable!(api_tokens -> devices (device_id));
diesel::joinable!(api_tokens -> identities (identity_address));
diesel::joinable!(external_events -> sync_runs (sync_run_id));
diesel::joinable!(oauth_clients -> tiers (default_tier));

diesel::table! {
    receipt_checks (network) {
        network -> Text,
        window_started_at -> Timestamptz,
        checks -> Int4,
    }
}

diesel::table! {
    weekly_activity (week, kind) {
        week -> Timestamptz,
        kind -> Text,
        count -> Int8,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    admin_api_keys,
    admin_recovery_codes,
    api_tokens,
    challenges,
    external_events,
    oauth_clients,
    sync_runs,
    admin_users,
    devices,
    identities,
    identity_deletion_process_audit_log,
    identity_deletion_processes,
    notifications,
    receipt_checks,
    security_events,
    sign_in_failures,
    tiers,
    web_sessions,
    weekly_activity,
);
