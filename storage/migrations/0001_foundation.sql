-- Foundation schema: people, boards, memberships, board settings, audit trail, outbox, dialogues.
-- Times are UTC epoch seconds (BIGINT), so the same SQL works on PostgreSQL.

CREATE TABLE users (
    id BIGINT PRIMARY KEY,
    language TEXT,
    telegram_language TEXT,
    private_chat_open INTEGER NOT NULL DEFAULT 0,
    last_board_id INTEGER,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE boards (
    id INTEGER PRIMARY KEY,
    chat_id BIGINT NOT NULL UNIQUE,
    thread_id BIGINT,
    title TEXT NOT NULL,
    join_code TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
    handover_to BIGINT,
    created_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    archived_at BIGINT
);

CREATE TABLE memberships (
    board_id INTEGER NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id),
    role TEXT NOT NULL CHECK (role IN ('coordinator', 'deputy', 'member', 'observer')),
    sector TEXT NOT NULL,
    status TEXT NOT NULL
        CHECK (status IN ('pending', 'active', 'declined', 'suspended', 'removed')),
    display_name TEXT NOT NULL DEFAULT '',
    conduct_version INTEGER,
    conduct_accepted_at BIGINT,
    decided_by BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (board_id, user_id)
);
CREATE INDEX memberships_by_board ON memberships (board_id, status);
CREATE INDEX memberships_by_user ON memberships (user_id, status);

CREATE TABLE board_settings (
    board_id INTEGER NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT,
    PRIMARY KEY (board_id, key)
);

-- Who did what to which subject: ids and action names only, never free text.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_id BIGINT,
    action TEXT NOT NULL,
    board_id INTEGER,
    subject_type TEXT,
    subject_id TEXT,
    chat_id BIGINT
);
CREATE INDEX audit_by_subject ON audit_log (subject_type, subject_id);
CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- Everything the bot sends later. send_after starts at due_at and moves on retries.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    board_id INTEGER REFERENCES boards (id) ON DELETE CASCADE,
    chat_id BIGINT NOT NULL,
    thread_id BIGINT,
    recipient_id BIGINT,
    kind TEXT NOT NULL,
    subject_type TEXT,
    subject_id TEXT,
    payload TEXT NOT NULL DEFAULT '{}',
    due_at BIGINT NOT NULL,
    useful_until BIGINT,
    send_after BIGINT NOT NULL,
    dedupe_key TEXT UNIQUE,
    state TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'sending', 'sent', 'cancelled', 'dropped', 'undeliverable')),
    attempts INTEGER NOT NULL DEFAULT 0,
    reason TEXT,
    message_id BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX outbox_due ON outbox (state, send_after);
CREATE INDEX outbox_by_subject ON outbox (subject_type, subject_id);

-- One open dialogue per person, its step and draft saved at every answer.
CREATE TABLE dialogs (
    user_id BIGINT PRIMARY KEY,
    kind TEXT NOT NULL,
    step TEXT NOT NULL,
    board_id INTEGER REFERENCES boards (id) ON DELETE CASCADE,
    draft TEXT NOT NULL DEFAULT '{}',
    started_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX dialogs_by_age ON dialogs (updated_at);
