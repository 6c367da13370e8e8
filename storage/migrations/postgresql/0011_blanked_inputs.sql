-- A text the personal-data guard blanked, held until its author chooses "save it like this" or
-- "write it again" (one per person; only the blanked text, never what was typed).
CREATE TABLE blanked_inputs (
    user_id BIGINT PRIMARY KEY,
    chat_id BIGINT NOT NULL,
    origin TEXT NOT NULL,
    payload TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
