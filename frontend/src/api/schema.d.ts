/**
 * GENERATED from the backend's OpenAPI schema by `npm run gen:api` — do not edit.
 * Source: src/transcriber (FastAPI); regenerate after changing an endpoint or schema.
 */

export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the process answers */
        get: operations["healthz_healthz_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: database, broker and storage answer; a worker is live */
        get: operations["readyz_readyz_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics (text exposition format) */
        get: operations["metrics_metrics_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every part's state with a sentence each; 200 whatever it finds */
        get: operations["admin_health_api_v1_admin_health_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/setup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create the first admin (only while no account exists) */
        post: operations["setup_api_v1_auth_setup_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create an account, where the admin allows it */
        post: operations["register_api_v1_auth_register_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign in with email and password */
        post: operations["login_api_v1_auth_login_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Swap a refresh token for new tokens */
        post: operations["refresh_api_v1_auth_refresh_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End this session at once */
        post: operations["logout_api_v1_auth_logout_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who am I */
        get: operations["me_api_v1_auth_me_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Change my password (my other sessions end) */
        post: operations["change_password_api_v1_auth_password_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My API keys (never their secrets) */
        get: operations["list_keys_api_v1_api_keys_get"];
        put?: never;
        /** Create an API key; the secret is in this response only */
        post: operations["create_key_api_v1_api_keys_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/api-keys/{key_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an API key at once */
        delete: operations["revoke_key_api_v1_api_keys__key_id__delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My jobs, newest first */
        get: operations["list_jobs_api_v1_jobs_get"];
        put?: never;
        /** Create a job from a file (multipart `file`), a finished tus upload (JSON `{"upload_id": ...}`) or a URL (JSON `{"url": ...}`), with options */
        post: operations["create_job_api_v1_jobs_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{job_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One job */
        get: operations["get_job_api_v1_jobs__job_id__get"];
        put?: never;
        post?: never;
        /** Delete a job with its transcript and media */
        delete: operations["delete_job_api_v1_jobs__job_id__delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{job_id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel a queued or running job */
        post: operations["cancel_job_api_v1_jobs__job_id__cancel_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{job_id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run a failed or cancelled job again */
        post: operations["retry_job_api_v1_jobs__job_id__retry_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{job_id}/media": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The original media, with HTTP range requests */
        get: operations["get_media_api_v1_jobs__job_id__media_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/uploads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create an upload (Upload-Length, Upload-Metadata), optionally with its first bytes */
        post: operations["create_upload_api_v1_uploads_post"];
        delete?: never;
        /** tus discovery: version, extensions, maximum size, checksum algorithms */
        options: operations["discover_api_v1_uploads_options"];
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/uploads/{upload_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Terminate an upload and delete its bytes */
        delete: operations["terminate_upload_api_v1_uploads__upload_id__delete"];
        options?: never;
        /** Where an upload stands: Upload-Offset, Upload-Length */
        head: operations["upload_status_api_v1_uploads__upload_id__head"];
        /** Append bytes at Upload-Offset (the last ones make a job when asked) */
        patch: operations["append_to_upload_api_v1_uploads__upload_id__patch"];
        trace?: never;
    };
    "/api/v1/jobs/{job_id}/transcript": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The transcript */
        get: operations["get_transcript_api_v1_jobs__job_id__transcript_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{job_id}/transcript.{fmt}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Download the transcript as txt, srt, vtt, json, tsv or docx */
        get: operations["download_transcript_api_v1_jobs__job_id__transcript__fmt__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{job_id}/transcript/segments/{segment_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Edit a segment's text or speaker (the machine's version is kept) */
        patch: operations["edit_segment_api_v1_jobs__job_id__transcript_segments__segment_id__patch"];
        trace?: never;
    };
    "/api/v1/jobs/{job_id}/transcript/segments/{segment_id}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A segment's versions, the machine's first */
        get: operations["segment_versions_api_v1_jobs__job_id__transcript_segments__segment_id__versions_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{job_id}/transcript/segments/{segment_id}/revert": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Undo every edit: back to what the model wrote */
        post: operations["revert_segment_api_v1_jobs__job_id__transcript_segments__segment_id__revert_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{job_id}/transcript/speakers/rename": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Rename a speaker in every segment of the transcript */
        post: operations["rename_speaker_api_v1_jobs__job_id__transcript_speakers_rename_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{job_id}/shares": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This job's links */
        get: operations["list_shares_api_v1_jobs__job_id__shares_get"];
        put?: never;
        /** Make a read-only link to this transcript (the token is shown once) */
        post: operations["create_share_api_v1_jobs__job_id__shares_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{job_id}/shares/{share_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a link; it answers 404 from now on */
        delete: operations["revoke_share_api_v1_jobs__job_id__shares__share_id__delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Search my transcripts */
        get: operations["search_api_v1_search_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/shared/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A shared transcript (no account) */
        get: operations["get_shared_transcript_api_v1_shared__token__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/shared/{token}/media": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A shared transcript's audio, when the link includes it (range requests) */
        get: operations["get_shared_media_api_v1_shared__token__media_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/shared/{token}/transcript.{fmt}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Download a shared transcript */
        get: operations["download_shared_transcript_api_v1_shared__token__transcript__fmt__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My usage against my quotas */
        get: operations["stats_api_v1_stats_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** All accounts */
        get: operations["list_users_api_v1_admin_users_get"];
        put?: never;
        /** Add a user */
        post: operations["create_user_api_v1_admin_users_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/users/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One account */
        get: operations["get_user_api_v1_admin_users__user_id__get"];
        put?: never;
        post?: never;
        /** Delete a user with all their jobs, transcripts and media */
        delete: operations["delete_user_api_v1_admin_users__user_id__delete"];
        options?: never;
        head?: never;
        /** Change role, state or quotas */
        patch: operations["update_user_api_v1_admin_users__user_id__patch"];
        trace?: never;
    };
    "/api/v1/admin/users/{user_id}/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A user's usage against quotas */
        get: operations["get_user_stats_api_v1_admin_users__user_id__stats_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/users/{user_id}/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Set a new password for a user (their sessions end) */
        post: operations["reset_password_api_v1_admin_users__user_id__password_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Everyone's jobs, newest first */
        get: operations["list_all_jobs_api_v1_admin_jobs_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/jobs/{job_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Anyone's job */
        get: operations["get_any_job_api_v1_admin_jobs__job_id__get"];
        put?: never;
        post?: never;
        /** Delete anyone's job */
        delete: operations["delete_any_job_api_v1_admin_jobs__job_id__delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/jobs/{job_id}/transcript": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Anyone's transcript */
        get: operations["get_any_transcript_api_v1_admin_jobs__job_id__transcript_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/jobs/{job_id}/media": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Anyone's original media, with HTTP range requests */
        get: operations["get_any_media_api_v1_admin_jobs__job_id__media_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The audit log, newest first */
        get: operations["read_audit_api_v1_admin_audit_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Settings changed in the app */
        get: operations["read_settings_api_v1_admin_settings_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change app settings */
        patch: operations["update_settings_api_v1_admin_settings_patch"];
        trace?: never;
    };
    "/api/v1/admin/invites": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Make an invite link token (shown once) */
        post: operations["create_invite_api_v1_admin_invites_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/backups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Backups in the data dir */
        get: operations["list_backups_api_v1_admin_backups_get"];
        put?: never;
        /** Make a backup now (database snapshot, media, signing key) */
        post: operations["create_backup_api_v1_admin_backups_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/backups/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Download a backup archive */
        get: operations["download_backup_api_v1_admin_backups__name__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audio/transcriptions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** OpenAI-compatible transcription (a normal job, waited for) */
        post: operations["transcriptions_v1_audio_transcriptions_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audio/translations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** OpenAI-compatible translation to English */
        post: operations["translations_v1_audio_translations_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The model catalog, OpenAI-style */
        get: operations["models_v1_models_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/workers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Worker processes and what they run */
        get: operations["list_workers_api_v1_admin_workers_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My webhooks (never their secrets) */
        get: operations["list_webhooks_api_v1_webhooks_get"];
        put?: never;
        /** Register a webhook; its signing secret is in this response only */
        post: operations["create_webhook_api_v1_webhooks_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/{webhook_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One webhook */
        get: operations["get_webhook_api_v1_webhooks__webhook_id__get"];
        put?: never;
        post?: never;
        /** Delete a webhook and its deliveries */
        delete: operations["delete_webhook_api_v1_webhooks__webhook_id__delete"];
        options?: never;
        head?: never;
        /** Change a webhook */
        patch: operations["update_webhook_api_v1_webhooks__webhook_id__patch"];
        trace?: never;
    };
    "/api/v1/webhooks/{webhook_id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A webhook's deliveries, newest first */
        get: operations["list_deliveries_api_v1_webhooks__webhook_id__deliveries_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/resend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a delivery's event again, now, to the webhook's current URL */
        post: operations["resend_delivery_api_v1_webhooks__webhook_id__deliveries__delivery_id__resend_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** ApiKeyCreate */
        ApiKeyCreate: {
            /** Name */
            name: string;
            /**
             * Scope
             * @default write
             * @enum {string}
             */
            scope: "read" | "write";
            /**
             * Expires At
             * @description When the key stops working (UTC).
             */
            expires_at?: string | null;
        };
        /** ApiKeyCreated */
        ApiKeyCreated: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Name */
            name: string;
            /** Prefix */
            prefix: string;
            /** Scope */
            scope: string;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Expires At */
            expires_at: string | null;
            /** Last Used At */
            last_used_at: string | null;
            /** Revoked At */
            revoked_at: string | null;
            /**
             * Secret
             * @description The key itself. Shown once; store it now.
             */
            secret: string;
        };
        /** ApiKeyRead */
        ApiKeyRead: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Name */
            name: string;
            /** Prefix */
            prefix: string;
            /** Scope */
            scope: string;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Expires At */
            expires_at: string | null;
            /** Last Used At */
            last_used_at: string | null;
            /** Revoked At */
            revoked_at: string | null;
        };
        /** AppSettingsRead */
        AppSettingsRead: {
            /**
             * Registration
             * @enum {string}
             */
            registration: "closed" | "invite" | "open";
            /**
             * Media Retention S
             * @description Original media of a completed job is deleted this many seconds after it completed; the transcript stays. 0 keeps media forever.
             */
            media_retention_s: number;
        };
        /** AppSettingsUpdate */
        AppSettingsUpdate: {
            /** Registration */
            registration?: ("closed" | "invite" | "open") | null;
            /**
             * Media Retention S
             * @description Seconds to keep original media after a job completes; 0 keeps it forever.
             */
            media_retention_s?: number | null;
        };
        /** AuditEventRead */
        AuditEventRead: {
            /** Id */
            id: number;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Action */
            action: string;
            /** Actor Id */
            actor_id: string | null;
            /** Actor Email */
            actor_email: string | null;
            /** Target Type */
            target_type: string | null;
            /** Target Id */
            target_id: string | null;
            /** Ip */
            ip: string | null;
            /** User Agent */
            user_agent: string | null;
            /** Details */
            details: {
                [key: string]: unknown;
            };
        };
        /** AuditPage */
        AuditPage: {
            /** Items */
            items: components["schemas"]["AuditEventRead"][];
            /** Next Before Id */
            next_before_id: number | null;
        };
        /** BackupRead */
        BackupRead: {
            /** Name */
            name: string;
            /** Size Bytes */
            size_bytes: number;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
        };
        /** CheckRead */
        CheckRead: {
            /**
             * Name
             * @description database, schema, broker, storage, redis, workers, queues or disk.
             */
            name: string;
            /**
             * Status
             * @description `disabled`: the part is not configured (Redis), which is not a fault.
             * @enum {string}
             */
            status: "ok" | "warning" | "error" | "disabled";
            /**
             * Message
             * @description What was found, in a sentence.
             */
            message: string;
        };
        /** Credentials */
        Credentials: {
            /** Email */
            email: string;
            /** Password */
            password: string;
        };
        /** DatabaseRead */
        DatabaseRead: {
            /**
             * Backend
             * @description `sqlite` or `postgresql`.
             */
            backend: string;
            /**
             * Revisions
             * @description Migration revisions the schema is at.
             */
            revisions: string[];
            /**
             * Heads
             * @description The newest revisions this version knows.
             */
            heads: string[];
            /** At Head */
            at_head: boolean;
        };
        /** DeliveryPage */
        DeliveryPage: {
            /** Items */
            items: components["schemas"]["DeliveryRead"][];
            /** Next Cursor */
            next_cursor: string | null;
        };
        /** DeliveryRead */
        DeliveryRead: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Webhook Id */
            webhook_id: string | null;
            /** Job Id */
            job_id: string | null;
            /** Event */
            event: string;
            /**
             * Message Id
             * @description The `webhook-id` header; the same on every attempt.
             */
            message_id: string;
            /** Url */
            url: string;
            /**
             * Status
             * @description `pending` (waiting for its next attempt), `succeeded`, or `failed` (given up after `webhooks.retry_for_s`).
             * @enum {string}
             */
            status: "pending" | "succeeded" | "failed";
            /** Attempts */
            attempts: number;
            /** Response Code */
            response_code: number | null;
            /**
             * Response Excerpt
             * @description The start of the receiver's answer.
             */
            response_excerpt: string | null;
            /** Error */
            error: string | null;
            /** Next Attempt At */
            next_attempt_at: string | null;
            /** Last Attempt At */
            last_attempt_at: string | null;
            /** Delivered At */
            delivered_at: string | null;
            /**
             * Give Up At
             * Format: date-time
             */
            give_up_at: string;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
        };
        /** DiskRead */
        DiskRead: {
            /**
             * Path
             * @description The data dir, whose file system is measured.
             */
            path: string;
            /** Free Bytes */
            free_bytes: number;
            /** Total Bytes */
            total_bytes: number;
            /**
             * Warn Below Bytes
             * @description `TRANSCRIBER_HEALTH__DISK_FREE_WARN_BYTES`.
             */
            warn_below_bytes: number;
        };
        /** HTTPValidationError */
        HTTPValidationError: {
            /** Detail */
            detail?: components["schemas"]["ValidationError"][];
        };
        /** HealthReport */
        HealthReport: {
            /**
             * Status
             * @description The worst check's status.
             * @enum {string}
             */
            status: "ok" | "warning" | "error";
            /** Version */
            version: string;
            /**
             * Checked At
             * Format: date-time
             */
            checked_at: string;
            /** Checks */
            checks: components["schemas"]["CheckRead"][];
            /** @description Null when the database does not answer. */
            database: components["schemas"]["DatabaseRead"] | null;
            /** @description Null when the database does not answer. */
            workers: components["schemas"]["WorkersRead"] | null;
            /** Queues */
            queues: components["schemas"]["QueueRead"][];
            /** @description Null when the data dir cannot be measured. */
            disk: components["schemas"]["DiskRead"] | null;
        };
        /** InviteCreate */
        InviteCreate: {
            /** Email */
            email?: string | null;
            /**
             * Role
             * @default user
             * @enum {string}
             */
            role: "user" | "admin";
            /**
             * Expires In S
             * @default 604800
             */
            expires_in_s: number;
        };
        /** InviteCreated */
        InviteCreated: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /**
             * Token
             * @description Shown once: put it in the invite link.
             */
            token: string;
            /** Email */
            email: string | null;
            /** Role */
            role: string;
            /**
             * Expires At
             * Format: date-time
             */
            expires_at: string;
        };
        /** JobCreated */
        JobCreated: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /**
             * Status
             * @enum {string}
             */
            status: "queued" | "running" | "completed" | "failed" | "cancelled";
            /** Progress */
            progress: number;
            /** Filename */
            filename: string;
            /**
             * Source Url
             * @description Where the media is downloaded from, if a URL.
             */
            source_url: string | null;
            /**
             * Downloading
             * @description Running, but still downloading its media from `source_url`.
             */
            downloading: boolean;
            /** Callback Url */
            callback_url: string | null;
            /** Duration S */
            duration_s: number | null;
            /** Language */
            language: string | null;
            /** Model */
            model: string;
            /**
             * Task
             * @enum {string}
             */
            task: "transcribe" | "translate";
            /** Word Timestamps */
            word_timestamps: boolean;
            /** Vad */
            vad: boolean;
            /** Diarize */
            diarize: boolean;
            /**
             * Min Speakers
             * @description The job's lower bound on speakers.
             */
            min_speakers?: number | null;
            /**
             * Max Speakers
             * @description The job's upper bound on speakers.
             */
            max_speakers?: number | null;
            /** Error */
            error: string | null;
            /**
             * Partial
             * @description The transcript stops before the end of the media (cancelled or failed mid-way); what was transcribed is kept.
             */
            partial: boolean;
            /**
             * Attempts
             * @description Runs so far (a worker lost or a transient fault).
             */
            attempts: number;
            /**
             * Queue
             * @description The worker queue the job waits on (`cpu`, `gpu`).
             */
            queue: string;
            /**
             * Queue Reason
             * @description Why a queued job waits again (retried, its worker lost, a passing fault); null once a worker takes it.
             */
            queue_reason?: string | null;
            /**
             * Retry At
             * @description A job queued again after a fault runs no earlier than this.
             */
            retry_at?: string | null;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Started At */
            started_at: string | null;
            /** Finished At */
            finished_at: string | null;
            /**
             * Media Deleted At
             * @description When the original media was deleted after the retention period; the transcript is kept.
             */
            media_deleted_at?: string | null;
            /**
             * Media Note
             * @description Why the original media is no longer kept, in a sentence.
             */
            media_note?: string | null;
            /**
             * Callback Secret
             * @description Signs the deliveries to `callback_url` (`whsec_<base64>`, Standard Webhooks). Shown in this response only.
             */
            callback_secret?: string | null;
        };
        /** JobPage */
        JobPage: {
            /** Items */
            items: components["schemas"]["JobRead"][];
            /** Next Cursor */
            next_cursor: string | null;
        };
        /** JobRead */
        JobRead: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /**
             * Status
             * @enum {string}
             */
            status: "queued" | "running" | "completed" | "failed" | "cancelled";
            /** Progress */
            progress: number;
            /** Filename */
            filename: string;
            /**
             * Source Url
             * @description Where the media is downloaded from, if a URL.
             */
            source_url: string | null;
            /**
             * Downloading
             * @description Running, but still downloading its media from `source_url`.
             */
            downloading: boolean;
            /** Callback Url */
            callback_url: string | null;
            /** Duration S */
            duration_s: number | null;
            /** Language */
            language: string | null;
            /** Model */
            model: string;
            /**
             * Task
             * @enum {string}
             */
            task: "transcribe" | "translate";
            /** Word Timestamps */
            word_timestamps: boolean;
            /** Vad */
            vad: boolean;
            /** Diarize */
            diarize: boolean;
            /**
             * Min Speakers
             * @description The job's lower bound on speakers.
             */
            min_speakers?: number | null;
            /**
             * Max Speakers
             * @description The job's upper bound on speakers.
             */
            max_speakers?: number | null;
            /** Error */
            error: string | null;
            /**
             * Partial
             * @description The transcript stops before the end of the media (cancelled or failed mid-way); what was transcribed is kept.
             */
            partial: boolean;
            /**
             * Attempts
             * @description Runs so far (a worker lost or a transient fault).
             */
            attempts: number;
            /**
             * Queue
             * @description The worker queue the job waits on (`cpu`, `gpu`).
             */
            queue: string;
            /**
             * Queue Reason
             * @description Why a queued job waits again (retried, its worker lost, a passing fault); null once a worker takes it.
             */
            queue_reason?: string | null;
            /**
             * Retry At
             * @description A job queued again after a fault runs no earlier than this.
             */
            retry_at?: string | null;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Started At */
            started_at: string | null;
            /** Finished At */
            finished_at: string | null;
            /**
             * Media Deleted At
             * @description When the original media was deleted after the retention period; the transcript is kept.
             */
            media_deleted_at?: string | null;
            /**
             * Media Note
             * @description Why the original media is no longer kept, in a sentence.
             */
            media_note?: string | null;
        };
        /** Me */
        Me: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Email */
            email: string;
            /** Role */
            role: string;
            /** Is Active */
            is_active: boolean;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Last Login At */
            last_login_at: string | null;
            /**
             * Auth
             * @enum {string}
             */
            auth: "session" | "api_key";
            /**
             * Scope
             * @enum {string}
             */
            scope: "read" | "write";
        };
        /** PasswordChange */
        PasswordChange: {
            /** Current Password */
            current_password: string;
            /** New Password */
            new_password: string;
        };
        /** PasswordReset */
        PasswordReset: {
            /** Password */
            password: string;
        };
        /** QueueRead */
        QueueRead: {
            /** Name */
            name: string;
            /**
             * Queued
             * @description Jobs waiting to start.
             */
            queued: number;
            /** Running */
            running: number;
            /**
             * Oldest Queued Age S
             * @description How long the oldest queued job waits.
             */
            oldest_queued_age_s: number | null;
            /**
             * Live Workers
             * @description Live workers that consume this queue.
             */
            live_workers: number;
            /**
             * Slots
             * @description Jobs those workers can run at once.
             */
            slots: number;
        };
        /** QuotaRead */
        QuotaRead: {
            /** Storage Bytes */
            storage_bytes: number | null;
            /** Audio Minutes Per Month */
            audio_minutes_per_month: number | null;
            /** Concurrent Jobs */
            concurrent_jobs: number | null;
        };
        /** RefreshRequest */
        RefreshRequest: {
            /** Refresh Token */
            refresh_token: string;
        };
        /** Registration */
        Registration: {
            /** Email */
            email: string;
            /** Password */
            password: string;
            /**
             * Invite
             * @description The invite token, if any.
             */
            invite?: string | null;
        };
        /** SearchHit */
        SearchHit: {
            /**
             * Job Id
             * Format: uuid
             */
            job_id: string;
            /** Filename */
            filename: string;
            /** Segment Id */
            segment_id: number;
            /** Start */
            start: number;
            /** End */
            end: number;
            /** Speaker */
            speaker: string | null;
            /**
             * Snippet
             * @description HTML: the text escaped, matching words in <mark>
             */
            snippet: string;
            /** Score */
            score: number;
        };
        /** SearchPage */
        SearchPage: {
            /** Items */
            items: components["schemas"]["SearchHit"][];
            /** Next Cursor */
            next_cursor: string | null;
        };
        /**
         * SegmentEdit
         * @description Send `text`, `speaker` or both; `speaker: null` removes the label.
         */
        SegmentEdit: {
            /** Text */
            text?: string | null;
            /** Speaker */
            speaker?: string | null;
        };
        /** SegmentRead */
        SegmentRead: {
            /** Id */
            id: number;
            /** Start */
            start: number;
            /** End */
            end: number;
            /** Text */
            text: string;
            /** Speaker */
            speaker?: string | null;
            /** Words */
            words?: components["schemas"]["WordRead"][] | null;
        };
        /**
         * SegmentVersionRead
         * @description `kind` is machine (what the model wrote), edit or revert; `id` is null for the machine
         *     version of a segment nobody has edited yet.
         */
        SegmentVersionRead: {
            /** Id */
            id: number | null;
            /** Kind */
            kind: string;
            /** Text */
            text: string;
            /** Speaker */
            speaker: string | null;
            /** Editor Id */
            editor_id: string | null;
            /** Created At */
            created_at: string | null;
        };
        /** ShareCreate */
        ShareCreate: {
            /** Expires In S */
            expires_in_s?: number | null;
            /**
             * Include Media
             * @default false
             */
            include_media: boolean;
        };
        /** ShareCreated */
        ShareCreated: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Include Media */
            include_media: boolean;
            /** Expires At */
            expires_at: string | null;
            /** Revoked At */
            revoked_at: string | null;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Token
             * @description Shown once; only its hash is kept
             */
            token: string;
            /** Url */
            url: string;
        };
        /** ShareRead */
        ShareRead: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Include Media */
            include_media: boolean;
            /** Expires At */
            expires_at: string | null;
            /** Revoked At */
            revoked_at: string | null;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
        };
        /** SharedSegment */
        SharedSegment: {
            /** Start */
            start: number;
            /** End */
            end: number;
            /** Text */
            text: string;
            /** Speaker */
            speaker?: string | null;
            /** Words */
            words?: components["schemas"]["WordRead"][] | null;
        };
        /**
         * SharedTranscript
         * @description What a share link shows: this transcript, nothing about its owner or other jobs.
         */
        SharedTranscript: {
            /** Filename */
            filename: string;
            /** Language */
            language: string | null;
            /** Duration S */
            duration_s: number | null;
            /** Text */
            text: string;
            /** Include Media */
            include_media: boolean;
            /** Expires At */
            expires_at: string | null;
            /** Segments */
            segments: components["schemas"]["SharedSegment"][];
        };
        /** SpeakerRename */
        SpeakerRename: {
            /** From */
            from: string;
            /** To */
            to: string;
        };
        /** SpeakerRenamed */
        SpeakerRenamed: {
            /** Renamed */
            renamed: number;
        };
        /** StatsRead */
        StatsRead: {
            /** Jobs By Status */
            jobs_by_status: {
                [key: string]: number;
            };
            /** Active Jobs */
            active_jobs: number;
            /** Audio Minutes This Month */
            audio_minutes_this_month: number;
            /** Storage Bytes */
            storage_bytes: number;
            quota: components["schemas"]["QuotaRead"];
        };
        /** TokenPair */
        TokenPair: {
            /** Access Token */
            access_token: string;
            /** Refresh Token */
            refresh_token: string;
            /**
             * Token Type
             * @default bearer
             * @constant
             */
            token_type: "bearer";
            /** Expires In */
            expires_in: number;
        };
        /** TranscriptRead */
        TranscriptRead: {
            /** Job Id */
            job_id: string;
            /** Status */
            status: string;
            /** Language */
            language: string | null;
            /** Duration S */
            duration_s: number | null;
            /** Text */
            text: string;
            /** Segments */
            segments: components["schemas"]["SegmentRead"][];
        };
        /** UserCreate */
        UserCreate: {
            /** Email */
            email: string;
            /** Password */
            password: string;
            /**
             * Role
             * @default user
             * @enum {string}
             */
            role: "user" | "admin";
        };
        /** UserRead */
        UserRead: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Email */
            email: string;
            /** Role */
            role: string;
            /** Is Active */
            is_active: boolean;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Last Login At */
            last_login_at: string | null;
            /** Quota Storage Bytes */
            quota_storage_bytes: number | null;
            /** Quota Audio Minutes Per Month */
            quota_audio_minutes_per_month: number | null;
            /** Quota Concurrent Jobs */
            quota_concurrent_jobs: number | null;
        };
        /**
         * UserUpdate
         * @description Only the fields sent are changed; a quota of null returns to the default.
         */
        UserUpdate: {
            /** Role */
            role?: ("user" | "admin") | null;
            /** Is Active */
            is_active?: boolean | null;
            /** Quota Storage Bytes */
            quota_storage_bytes?: number | null;
            /** Quota Audio Minutes Per Month */
            quota_audio_minutes_per_month?: number | null;
            /** Quota Concurrent Jobs */
            quota_concurrent_jobs?: number | null;
        };
        /** ValidationError */
        ValidationError: {
            /** Location */
            loc: (string | number)[];
            /** Message */
            msg: string;
            /** Error Type */
            type: string;
            /** Input */
            input?: unknown;
            /** Context */
            ctx?: Record<string, never>;
        };
        /** WebhookCreate */
        WebhookCreate: {
            /**
             * Url
             * @description http:// or https:// receiver.
             */
            url: string;
            /**
             * Events
             * @description Events to send (`job.completed`, `job.failed`, `job.cancelled`); empty means all.
             */
            events?: ("job.completed" | "job.failed" | "job.cancelled")[];
            /** Description */
            description?: string | null;
            /**
             * Active
             * @default true
             */
            active: boolean;
        };
        /** WebhookCreated */
        WebhookCreated: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Url */
            url: string;
            /** Description */
            description: string | null;
            /**
             * Events
             * @description Empty means every event.
             */
            events: string[];
            /** Active */
            active: boolean;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
            /**
             * Secret
             * @description The signing secret (`whsec_<base64>`, Standard Webhooks). Shown once; store it now.
             */
            secret: string;
        };
        /** WebhookRead */
        WebhookRead: {
            /**
             * Id
             * Format: uuid
             */
            id: string;
            /** Url */
            url: string;
            /** Description */
            description: string | null;
            /**
             * Events
             * @description Empty means every event.
             */
            events: string[];
            /** Active */
            active: boolean;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
        };
        /** WebhookUpdate */
        WebhookUpdate: {
            /** Url */
            url?: string | null;
            /** Events */
            events?: ("job.completed" | "job.failed" | "job.cancelled")[] | null;
            /** Description */
            description?: string | null;
            /** Active */
            active?: boolean | null;
        };
        /** WordRead */
        WordRead: {
            /** Start */
            start: number;
            /** End */
            end: number;
            /** Word */
            word: string;
            /** Probability */
            probability: number;
        };
        /** WorkerRead */
        WorkerRead: {
            /**
             * Id
             * @description host:pid:random, also the lease owner of its jobs.
             */
            id: string;
            /** Host */
            host: string;
            /** Pid */
            pid: number;
            /** Queues */
            queues: string[];
            /** Device */
            device: string;
            /**
             * Models
             * @description Models loaded in memory.
             */
            models: string[];
            /** Concurrency */
            concurrency: number;
            /**
             * Current Jobs
             * @description Ids of the jobs it is running.
             */
            current_jobs: string[];
            /**
             * Started At
             * Format: date-time
             */
            started_at: string;
            /**
             * Last Heartbeat At
             * Format: date-time
             */
            last_heartbeat_at: string;
            /**
             * Alive
             * @description Heard from within the lease time.
             */
            alive: boolean;
        };
        /** WorkersRead */
        WorkersRead: {
            /**
             * Total
             * @description Worker processes that reported in the last hour or so.
             */
            total: number;
            /**
             * Live
             * @description Of those, heard from within the lease time.
             */
            live: number;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    healthz_healthz_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: string;
                    };
                };
            };
        };
    };
    readyz_readyz_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
        };
    };
    metrics_metrics_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    admin_health_api_v1_admin_health_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthReport"];
                };
            };
        };
    };
    setup_api_v1_auth_setup_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Credentials"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenPair"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    register_api_v1_auth_register_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Registration"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenPair"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    login_api_v1_auth_login_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Credentials"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenPair"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    refresh_api_v1_auth_refresh_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RefreshRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenPair"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    logout_api_v1_auth_logout_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    me_api_v1_auth_me_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Me"];
                };
            };
        };
    };
    change_password_api_v1_auth_password_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasswordChange"];
            };
        };
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    list_keys_api_v1_api_keys_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyRead"][];
                };
            };
        };
    };
    create_key_api_v1_api_keys_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ApiKeyCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyCreated"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    revoke_key_api_v1_api_keys__key_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    list_jobs_api_v1_jobs_get: {
        parameters: {
            query?: {
                status?: ("queued" | "running" | "completed" | "failed" | "cancelled") | null;
                q?: string | null;
                cursor?: string | null;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobPage"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    create_job_api_v1_jobs_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": {
                    /** Format: binary */
                    file: string;
                    callback_url?: string;
                    diarize?: string;
                    initial_prompt?: string;
                    language?: string;
                    max_speakers?: string;
                    min_speakers?: string;
                    model?: string;
                    task?: string;
                    vad?: string;
                    word_timestamps?: string;
                };
                "application/json": {
                    /**
                     * Model
                     * @description Catalog name; default model if unset.
                     */
                    model?: string | null;
                    /**
                     * Language
                     * @description ISO 639-1 code, or unset / `auto` to detect.
                     */
                    language?: string | null;
                    /**
                     * Task
                     * @default transcribe
                     * @enum {string}
                     */
                    task?: "transcribe" | "translate";
                    /**
                     * Word Timestamps
                     * @default false
                     */
                    word_timestamps?: boolean;
                    /**
                     * Vad
                     * @default true
                     */
                    vad?: boolean;
                    /** Initial Prompt */
                    initial_prompt?: string | null;
                    /**
                     * Diarize
                     * @description Label each segment with its speaker (`SPEAKER_1`, `SPEAKER_2`, ...); needs the `diarization` extra on the server.
                     * @default false
                     */
                    diarize?: boolean;
                    /**
                     * Min Speakers
                     * @description With `diarize`: at least this many speakers (default: found).
                     */
                    min_speakers?: number | null;
                    /**
                     * Max Speakers
                     * @description With `diarize`: at most this many speakers (default: found, up to 10).
                     */
                    max_speakers?: number | null;
                    /**
                     * Callback Url
                     * @description http(s) URL told of the job's outcome (signed like a webhook; the secret is in the creation response only).
                     */
                    callback_url?: string | null;
                    /**
                     * Upload Id
                     * Format: uuid
                     */
                    upload_id: string;
                } | {
                    /**
                     * Model
                     * @description Catalog name; default model if unset.
                     */
                    model?: string | null;
                    /**
                     * Language
                     * @description ISO 639-1 code, or unset / `auto` to detect.
                     */
                    language?: string | null;
                    /**
                     * Task
                     * @default transcribe
                     * @enum {string}
                     */
                    task?: "transcribe" | "translate";
                    /**
                     * Word Timestamps
                     * @default false
                     */
                    word_timestamps?: boolean;
                    /**
                     * Vad
                     * @default true
                     */
                    vad?: boolean;
                    /** Initial Prompt */
                    initial_prompt?: string | null;
                    /**
                     * Diarize
                     * @description Label each segment with its speaker (`SPEAKER_1`, `SPEAKER_2`, ...); needs the `diarization` extra on the server.
                     * @default false
                     */
                    diarize?: boolean;
                    /**
                     * Min Speakers
                     * @description With `diarize`: at least this many speakers (default: found).
                     */
                    min_speakers?: number | null;
                    /**
                     * Max Speakers
                     * @description With `diarize`: at most this many speakers (default: found, up to 10).
                     */
                    max_speakers?: number | null;
                    /**
                     * Callback Url
                     * @description http(s) URL told of the job's outcome (signed like a webhook; the secret is in the creation response only).
                     */
                    callback_url?: string | null;
                    /**
                     * Url
                     * @description http:// or https:// address of the media.
                     */
                    url: string;
                };
            };
        };
        responses: {
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobCreated"];
                };
            };
        };
    };
    get_job_api_v1_jobs__job_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                job_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobRead"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    delete_job_api_v1_jobs__job_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                job_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    cancel_job_api_v1_jobs__job_id__cancel_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                job_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobRead"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    retry_job_api_v1_jobs__job_id__retry_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                job_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobRead"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    get_media_api_v1_jobs__job_id__media_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                job_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    create_upload_api_v1_uploads_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/offset+octet-stream": string;
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
        };
    };
    discover_api_v1_uploads_options: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    terminate_upload_api_v1_uploads__upload_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                upload_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    upload_status_api_v1_uploads__upload_id__head: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                upload_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    append_to_upload_api_v1_uploads__upload_id__patch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                upload_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/offset+octet-stream": string;
            };
        };
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    get_transcript_api_v1_jobs__job_id__transcript_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                job_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TranscriptRead"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    download_transcript_api_v1_jobs__job_id__transcript__fmt__get: {
        parameters: {
            query?: {
                timestamps?: boolean;
                speakers?: boolean;
                max_chars_per_line?: number;
                max_lines_per_cue?: number;
                max_cue_duration_s?: number;
                karaoke?: boolean;
            };
            header?: never;
            path: {
                fmt: "txt" | "srt" | "vtt" | "json" | "tsv" | "docx";
                job_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    edit_segment_api_v1_jobs__job_id__transcript_segments__segment_id__patch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                segment_id: number;
                job_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SegmentEdit"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SegmentRead"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    segment_versions_api_v1_jobs__job_id__transcript_segments__segment_id__versions_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                segment_id: number;
                job_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SegmentVersionRead"][];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    revert_segment_api_v1_jobs__job_id__transcript_segments__segment_id__revert_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                segment_id: number;
                job_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SegmentRead"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    rename_speaker_api_v1_jobs__job_id__transcript_speakers_rename_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                job_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SpeakerRename"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SpeakerRenamed"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    list_shares_api_v1_jobs__job_id__shares_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                job_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ShareRead"][];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    create_share_api_v1_jobs__job_id__shares_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                job_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ShareCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ShareCreated"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    revoke_share_api_v1_jobs__job_id__shares__share_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                share_id: string;
                job_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    search_api_v1_search_get: {
        parameters: {
            query: {
                q: string;
                cursor?: string | null;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SearchPage"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    get_shared_transcript_api_v1_shared__token__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SharedTranscript"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    get_shared_media_api_v1_shared__token__media_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    download_shared_transcript_api_v1_shared__token__transcript__fmt__get: {
        parameters: {
            query?: {
                timestamps?: boolean;
                speakers?: boolean;
                max_chars_per_line?: number;
                max_lines_per_cue?: number;
                max_cue_duration_s?: number;
                karaoke?: boolean;
            };
            header?: never;
            path: {
                token: string;
                fmt: "txt" | "srt" | "vtt" | "json" | "tsv" | "docx";
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    stats_api_v1_stats_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StatsRead"];
                };
            };
        };
    };
    list_users_api_v1_admin_users_get: {
        parameters: {
            query?: {
                q?: string | null;
                offset?: number;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserRead"][];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    create_user_api_v1_admin_users_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserRead"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    get_user_api_v1_admin_users__user_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserRead"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    delete_user_api_v1_admin_users__user_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    update_user_api_v1_admin_users__user_id__patch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserRead"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    get_user_stats_api_v1_admin_users__user_id__stats_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StatsRead"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    reset_password_api_v1_admin_users__user_id__password_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasswordReset"];
            };
        };
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    list_all_jobs_api_v1_admin_jobs_get: {
        parameters: {
            query?: {
                owner_id?: string | null;
                status?: string | null;
                cursor?: string | null;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobPage"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    get_any_job_api_v1_admin_jobs__job_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                job_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobRead"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    delete_any_job_api_v1_admin_jobs__job_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                job_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    get_any_transcript_api_v1_admin_jobs__job_id__transcript_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                job_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TranscriptRead"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    get_any_media_api_v1_admin_jobs__job_id__media_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                job_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    read_audit_api_v1_admin_audit_get: {
        parameters: {
            query?: {
                action?: string | null;
                actor_id?: string | null;
                target_id?: string | null;
                since?: string | null;
                until?: string | null;
                before_id?: number | null;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditPage"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    read_settings_api_v1_admin_settings_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppSettingsRead"];
                };
            };
        };
    };
    update_settings_api_v1_admin_settings_patch: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AppSettingsUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppSettingsRead"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    create_invite_api_v1_admin_invites_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["InviteCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InviteCreated"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    list_backups_api_v1_admin_backups_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BackupRead"][];
                };
            };
        };
    };
    create_backup_api_v1_admin_backups_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BackupRead"];
                };
            };
        };
    };
    download_backup_api_v1_admin_backups__name__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    transcriptions_v1_audio_transcriptions_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": {
                    /** Format: binary */
                    file: string;
                    model: string;
                    language?: string;
                    prompt?: string;
                    /** @enum {string} */
                    response_format?: "json" | "text" | "srt" | "verbose_json" | "vtt";
                    temperature?: number;
                    "timestamp_granularities[]"?: string[];
                    stream?: boolean;
                };
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    translations_v1_audio_translations_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": {
                    /** Format: binary */
                    file: string;
                    model: string;
                    language?: string;
                    prompt?: string;
                    /** @enum {string} */
                    response_format?: "json" | "text" | "srt" | "verbose_json" | "vtt";
                    temperature?: number;
                    "timestamp_granularities[]"?: string[];
                    stream?: boolean;
                };
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    models_v1_models_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    list_workers_api_v1_admin_workers_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkerRead"][];
                };
            };
        };
    };
    list_webhooks_api_v1_webhooks_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookRead"][];
                };
            };
        };
    };
    create_webhook_api_v1_webhooks_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookCreated"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    get_webhook_api_v1_webhooks__webhook_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookRead"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    delete_webhook_api_v1_webhooks__webhook_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    update_webhook_api_v1_webhooks__webhook_id__patch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookRead"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    list_deliveries_api_v1_webhooks__webhook_id__deliveries_get: {
        parameters: {
            query?: {
                cursor?: string | null;
                limit?: number;
            };
            header?: never;
            path: {
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliveryPage"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    resend_delivery_api_v1_webhooks__webhook_id__deliveries__delivery_id__resend_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhook_id: string;
                delivery_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliveryRead"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
}
