-- Private escalation: a member's worry reaches the coordinators, climbs levels if unanswered.

CREATE TABLE escalations (
    id INTEGER PRIMARY KEY,
    board_id INTEGER NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    case_id INTEGER REFERENCES cases (id) ON DELETE CASCADE,
    raised_by BIGINT NOT NULL,
    kind TEXT NOT NULL
        CHECK (kind IN ('risk', 'stalled', 'disagreement', 'no_response', 'other')),
    urgency TEXT NOT NULL CHECK (urgency IN ('urgent', 'soon', 'routine')),
    description TEXT NOT NULL,
    neutral_line INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'acknowledged', 'resolved', 'withdrawn')),
    level INTEGER NOT NULL DEFAULT 0,
    outcome TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    acknowledged_at BIGINT,
    acknowledged_by BIGINT,
    closed_at BIGINT
);
CREATE INDEX escalations_by_board ON escalations (board_id, status);
CREATE INDEX escalations_by_raiser ON escalations (raised_by, status);

-- Replies written by the coordinators, each checked by the personal-data guard.
CREATE TABLE escalation_replies (
    id INTEGER PRIMARY KEY,
    escalation_id INTEGER NOT NULL REFERENCES escalations (id) ON DELETE CASCADE,
    at BIGINT NOT NULL,
    author_id BIGINT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX escalation_replies_by_escalation ON escalation_replies (escalation_id, id);

-- The board's external contact (e.g. a member of the national expert council), registered by
-- the coordinator through a one-time deep link; they see code, kind and urgency, never the text.
ALTER TABLE boards ADD COLUMN external_contact BIGINT;
ALTER TABLE boards ADD COLUMN external_invite TEXT;
