-- Cases: pseudonymous records of difficult cases, their team and their timeline.

ALTER TABLE boards ADD COLUMN code_prefix TEXT NOT NULL DEFAULT 'BD';

CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    board_id INTEGER NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    code TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    criteria TEXT NOT NULL DEFAULT '',
    factors TEXT NOT NULL DEFAULT '',
    lead_sector TEXT NOT NULL,
    other_sectors TEXT NOT NULL DEFAULT '',
    urgency TEXT NOT NULL CHECK (urgency IN ('routine', 'soon', 'urgent')),
    legal_basis TEXT NOT NULL CHECK (legal_basis IN ('consent', 'statutory')),
    summary TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'raised',
    raised_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    last_activity_at BIGINT NOT NULL,
    carousel_at BIGINT
);
CREATE INDEX cases_by_board ON cases (board_id, status);

CREATE TABLE case_team (
    case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('lead', 'keyworker', 'contributor')),
    PRIMARY KEY (case_id, user_id, role)
);
CREATE INDEX case_team_by_user ON case_team (user_id);

-- What happened to a case, in order: event kinds and ids only (notes live in their own table).
CREATE TABLE case_events (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    at BIGINT NOT NULL,
    actor_id BIGINT,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX case_events_by_case ON case_events (case_id, id);

-- Free text written about a case (notes, reasons for a decision), each checked by the
-- personal-data guard before it is stored; only the team and coordinators read it.
CREATE TABLE case_notes (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    at BIGINT NOT NULL,
    author_id BIGINT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('note', 'reason', 'outcome')),
    body TEXT NOT NULL
);
CREATE INDEX case_notes_by_case ON case_notes (case_id, id);

-- Each move of the child from one service or placement to another.
CREATE TABLE case_transfers (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    recorded_at BIGINT NOT NULL,
    recorded_by BIGINT NOT NULL,
    moved_on TEXT NOT NULL,
    from_service TEXT NOT NULL,
    to_service TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX case_transfers_by_case ON case_transfers (case_id, moved_on);
