-- +goose Up
-- Employers whose HR offices confirm employment. Claims and confirmations
-- build on this table; here it scopes the hr role.
CREATE TABLE employers (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    credit_code text NOT NULL UNIQUE, -- 统一社会信用代码
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id           uuid PRIMARY KEY,
    firebase_uid text NOT NULL UNIQUE,
    locale       text NOT NULL DEFAULT 'zh-CN' CHECK (locale IN ('zh-CN', 'en')),
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- Roles live here, not in token claims, so that revoking one takes effect at
-- the next request.
CREATE TABLE role_grants (
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role        text NOT NULL CHECK (role IN ('graduate', 'hr', 'reviewer', 'housing', 'finance', 'admin')),
    employer_id uuid REFERENCES employers (id),
    granted_by  uuid REFERENCES users (id),
    granted_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, role),
    CHECK ((role = 'hr') = (employer_id IS NOT NULL))
);

-- Personal data is sealed (AES-256-GCM, key id inside the value); the blind
-- index makes "one account per person" a database rule.
CREATE TABLE profiles (
    user_id            uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    name               text NOT NULL,
    phone_sealed       text NOT NULL DEFAULT '',
    national_id_sealed text NOT NULL DEFAULT '',
    national_id_index  text,
    birth_date         date,
    hukou_place        text NOT NULL DEFAULT '',
    employer           jsonb,
    updated_at         timestamptz NOT NULL,
    CONSTRAINT profiles_national_id_index_key UNIQUE (national_id_index)
);

CREATE TABLE education_records (
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    position        int NOT NULL,
    level           text NOT NULL CHECK (level IN ('associate', 'bachelor', 'master', 'doctorate')),
    institution     text NOT NULL,
    full_time       boolean NOT NULL,
    graduation_date date NOT NULL,
    diploma_number  text NOT NULL DEFAULT '',
    PRIMARY KEY (user_id, position)
);

CREATE TABLE documents (
    id            uuid PRIMARY KEY,
    owner_id      uuid NOT NULL REFERENCES users (id),
    kind          text NOT NULL,
    content_type  text NOT NULL,
    size          bigint NOT NULL CHECK (size > 0 AND size <= 10485760),
    sha256        text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    object_key    text NOT NULL UNIQUE,
    status        text NOT NULL CHECK (status IN ('pending', 'inspecting', 'accepted', 'rejected')),
    reject_reason text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    inspected_at  timestamptz
);
CREATE INDEX documents_owner ON documents (owner_id, created_at DESC, id DESC);

-- A token belongs to whoever registered it last: a phone that changes hands
-- stops receiving the previous user's notifications.
CREATE TABLE devices (
    token        text PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    platform     text NOT NULL,
    app_version  text NOT NULL DEFAULT '',
    last_seen_at timestamptz NOT NULL
);
CREATE INDEX devices_user ON devices (user_id);

CREATE TABLE notifications (
    id         uuid PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    event_id   text NOT NULL,
    template   text NOT NULL,
    title      text NOT NULL,
    body       text NOT NULL,
    data       jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL,
    read_at    timestamptz,
    UNIQUE (user_id, event_id)
);
CREATE INDEX notifications_user ON notifications (user_id, created_at DESC, id DESC);

CREATE TABLE push_deliveries (
    notification_id uuid NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    token           text NOT NULL,
    pushed_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (notification_id, token)
);

-- Follow-up work written in the same transaction as the change that needs
-- it; the relay publishes it to Redis (asynq) with the row id as task id.
CREATE TABLE outbox (
    id           uuid PRIMARY KEY,
    task_type    text NOT NULL,
    payload      jsonb NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    available_at timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz,
    attempts     int NOT NULL DEFAULT 0,
    last_error   text NOT NULL DEFAULT ''
);
CREATE INDEX outbox_unpublished ON outbox (available_at) WHERE published_at IS NULL;

-- Responses to requests sent with an Idempotency-Key, shared by all API
-- replicas. status is NULL while the first request is still running.
CREATE TABLE idempotency_keys (
    scope        text NOT NULL,
    key          text NOT NULL,
    request_hash text NOT NULL,
    status       int,
    content_type text NOT NULL DEFAULT '',
    body         bytea,
    created_at   timestamptz NOT NULL DEFAULT now(),
    completed_at timestamptz,
    PRIMARY KEY (scope, key)
);

-- +goose Down
DROP TABLE idempotency_keys;
DROP TABLE outbox;
DROP TABLE push_deliveries;
DROP TABLE notifications;
DROP TABLE devices;
DROP TABLE documents;
DROP TABLE education_records;
DROP TABLE profiles;
DROP TABLE role_grants;
DROP TABLE users;
DROP TABLE employers;
