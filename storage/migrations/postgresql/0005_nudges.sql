-- Follow-up: each person's decent hours and muted kinds of nudge (unset = the board's default).

CREATE TABLE member_prefs (
    user_id BIGINT PRIMARY KEY,
    quiet_start TEXT,
    quiet_end TEXT,
    quiet_weekends BIGINT,
    muted TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL
);

-- Finding the nudges of one person (to retry them after /start, or to count what waits).
CREATE INDEX outbox_by_recipient ON outbox (recipient_id, state);
