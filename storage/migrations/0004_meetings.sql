-- Supervision meetings: a fixed time or a time poll, RSVPs, and their calendar sequence.

CREATE TABLE meetings (
    id INTEGER PRIMARY KEY,
    board_id INTEGER NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('supervision', 'board_session', 'case_conference')),
    status TEXT NOT NULL CHECK (status IN ('polling', 'scheduled', 'cancelled')),
    starts_at BIGINT,
    duration_minutes INTEGER NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    sequence INTEGER NOT NULL DEFAULT 0,
    created_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX meetings_by_board ON meetings (board_id, status, starts_at);

-- The candidate times of a poll, and each member's yes / if need be / no per time.
CREATE TABLE meeting_slots (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    starts_at BIGINT NOT NULL
);
CREATE INDEX meeting_slots_by_meeting ON meeting_slots (meeting_id, position);

CREATE TABLE slot_answers (
    slot_id INTEGER NOT NULL REFERENCES meeting_slots (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL,
    answer TEXT NOT NULL CHECK (answer IN ('yes', 'maybe', 'no')),
    at BIGINT NOT NULL,
    PRIMARY KEY (slot_id, user_id)
);

CREATE TABLE rsvps (
    meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL,
    answer TEXT NOT NULL CHECK (answer IN ('going', 'maybe', 'no')),
    at BIGINT NOT NULL,
    PRIMARY KEY (meeting_id, user_id)
);
