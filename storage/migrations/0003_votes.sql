-- Proposals, votes and actions: the board decides together, then someone owns the action.

-- A proposed action on a case. The rules it is decided by are copied from the board's settings
-- when the vote opens, so that changing a setting never changes a vote already running.
CREATE TABLE proposals (
    id INTEGER PRIMARY KEY,
    board_id INTEGER NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT '',
    proposed_by BIGINT NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'open', 'accepted', 'rejected', 'no_quorum', 'withdrawn')),
    anonymous INTEGER NOT NULL DEFAULT 0,
    outcome_rule TEXT NOT NULL CHECK (outcome_rule IN ('consent', 'majority')),
    quorum_percent INTEGER NOT NULL,
    every_sector INTEGER NOT NULL DEFAULT 0,
    duration_hours INTEGER NOT NULL,
    owner_id BIGINT,
    due_on TEXT,
    message_id BIGINT,
    created_at BIGINT NOT NULL,
    opened_at BIGINT,
    closes_at BIGINT,
    closed_at BIGINT,
    closed_by BIGINT,
    result TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX proposals_by_case ON proposals (case_id, status);
CREATE INDEX proposals_by_board ON proposals (board_id, status);

-- One row per voter, replaced when they change their vote. In an anonymous vote the choices
-- are sealed (set to 'sealed') when it closes: the tally is kept on the proposal.
CREATE TABLE votes (
    proposal_id INTEGER NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL,
    choice TEXT NOT NULL CHECK (choice IN ('agree', 'abstain', 'disagree', 'block', 'sealed')),
    reason TEXT,
    at BIGINT NOT NULL,
    PRIMARY KEY (proposal_id, user_id)
);

-- What the board agreed to do, and who does it by when. "Overdue" is never stored: it is the
-- due date compared with today in the board's time zone.
CREATE TABLE actions (
    id INTEGER PRIMARY KEY,
    board_id INTEGER NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    proposal_id INTEGER UNIQUE REFERENCES proposals (id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    owner_id BIGINT,
    due_on TEXT,
    status TEXT NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'done', 'blocked', 'cancelled')),
    snoozed_until BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    closed_at BIGINT
);
CREATE INDEX actions_by_board ON actions (board_id, status, due_on);
CREATE INDEX actions_by_owner ON actions (owner_id, status);
CREATE INDEX actions_by_case ON actions (case_id);
