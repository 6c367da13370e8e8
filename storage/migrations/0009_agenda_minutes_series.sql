-- Meetings, part 2: recurring board sessions, the agenda, written updates, attendance and
-- the "thinking together" minutes with their amendments and actions.

-- A rule such as "the first Tuesday of every month at 14:00" (RFC 5545 RRULE, local wall time);
-- each occurrence is a row in meetings with its own reminders, sharing the series' calendar UID.
CREATE TABLE meeting_series (
    id INTEGER PRIMARY KEY,
    board_id INTEGER NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    rrule TEXT NOT NULL,
    first_start BIGINT NOT NULL,
    until_day TEXT,
    duration_minutes INTEGER NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('active', 'ended')),
    sequence INTEGER NOT NULL DEFAULT 0,
    created_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX meeting_series_active ON meeting_series (status);

ALTER TABLE meetings ADD COLUMN series_id INTEGER REFERENCES meeting_series (id) ON DELETE CASCADE;
-- The occurrence's original start (the RECURRENCE-ID), kept when one occurrence is moved.
ALTER TABLE meetings ADD COLUMN occurrence BIGINT;
ALTER TABLE meetings ADD COLUMN minute_taker_id BIGINT;
-- Set once attendance is recorded: from then on an empty list means nobody, not "as RSVPed".
ALTER TABLE meetings ADD COLUMN attendance_taken INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX meetings_one_per_occurrence ON meetings (series_id, occurrence);

CREATE TABLE agenda_items (
    meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    added_by BIGINT NOT NULL,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (meeting_id, case_id)
);
CREATE INDEX agenda_items_by_case ON agenda_items (case_id);

-- From someone who cannot come: it reaches the minute-taker, and the minutes screen shows it.
CREATE TABLE agenda_updates (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    author_id BIGINT NOT NULL,
    body TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX agenda_updates_by_item ON agenda_updates (meeting_id, case_id);

CREATE TABLE meeting_attendance (
    meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL,
    sector TEXT NOT NULL,
    PRIMARY KEY (meeting_id, user_id)
);

CREATE TABLE minutes (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('draft', 'approved')),
    question TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    clash TEXT NOT NULL DEFAULT '',
    decision TEXT NOT NULL DEFAULT '',
    next_review TEXT,
    written_by BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    approved_by BIGINT,
    approved_at BIGINT,
    UNIQUE (meeting_id, case_id)
);
CREATE INDEX minutes_by_case ON minutes (case_id, status);

-- Step 3 of the structure: per sector present, what it sees, what should be done, who does what.
CREATE TABLE minutes_views (
    minutes_id INTEGER NOT NULL REFERENCES minutes (id) ON DELETE CASCADE,
    sector TEXT NOT NULL,
    problem TEXT NOT NULL DEFAULT '',
    todo TEXT NOT NULL DEFAULT '',
    who TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (minutes_id, sector)
);

-- Actions agreed in the meeting; they become real actions (owner, due date, nudges) on approval.
CREATE TABLE minutes_actions (
    id INTEGER PRIMARY KEY,
    minutes_id INTEGER NOT NULL REFERENCES minutes (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    owner_id BIGINT,
    due_on TEXT,
    action_id INTEGER REFERENCES actions (id) ON DELETE SET NULL
);
CREATE INDEX minutes_actions_by_minutes ON minutes_actions (minutes_id);

-- Approved minutes are read-only; a correction is an amendment below them.
CREATE TABLE minutes_amendments (
    id INTEGER PRIMARY KEY,
    minutes_id INTEGER NOT NULL REFERENCES minutes (id) ON DELETE CASCADE,
    author_id BIGINT NOT NULL,
    body TEXT NOT NULL,
    at BIGINT NOT NULL
);
