-- When each person last looked at /today on each board: "what changed since" starts there.
CREATE TABLE overview_seen (
    board_id BIGINT NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL,
    seen_at BIGINT NOT NULL,
    PRIMARY KEY (board_id, user_id)
);

-- The changes on a board's cases since a moment, read by the overview.
CREATE INDEX case_events_by_time ON case_events (at);
