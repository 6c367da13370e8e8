-- The national expert council (issue 21): a Telegram group that receives, each quarter, the
-- suppressed figures of the boards that share with it. It never receives a case code.
CREATE TABLE councils (
    id INTEGER PRIMARY KEY,
    chat_id BIGINT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    join_code TEXT NOT NULL UNIQUE,
    language TEXT NOT NULL DEFAULT 'bg',
    created_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Which council a board shares its figures with (one at most); gone with either.
CREATE TABLE board_councils (
    board_id INTEGER PRIMARY KEY REFERENCES boards (id) ON DELETE CASCADE,
    council_id INTEGER NOT NULL REFERENCES councils (id) ON DELETE CASCADE,
    shared_by BIGINT NOT NULL,
    shared_at BIGINT NOT NULL
);
CREATE INDEX board_councils_by_council ON board_councils (council_id);
