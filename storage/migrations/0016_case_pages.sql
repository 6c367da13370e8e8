-- /cases costs the same at 10 cases or 100,000 (issue 22): one page is read in its order (the
-- quietest first) through this index instead of sorting every open case of the board, and the
-- count comes from case_counts, kept exact by the triggers below on every write to cases.
CREATE INDEX cases_by_board_activity ON cases (board_id, last_activity_at, id);

CREATE TABLE case_counts (
    board_id INTEGER NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    lead_sector TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (board_id, status, lead_sector)
);

INSERT INTO case_counts (board_id, status, lead_sector, count)
SELECT board_id, status, lead_sector, COUNT(*) FROM cases GROUP BY board_id, status, lead_sector;

CREATE TRIGGER case_counts_on_insert AFTER INSERT ON cases
BEGIN
    INSERT INTO case_counts (board_id, status, lead_sector, count)
    VALUES (NEW.board_id, NEW.status, NEW.lead_sector, 1)
    ON CONFLICT (board_id, status, lead_sector) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER case_counts_on_delete AFTER DELETE ON cases
BEGIN
    UPDATE case_counts SET count = count - 1
    WHERE board_id = OLD.board_id AND status = OLD.status AND lead_sector = OLD.lead_sector;
END;

CREATE TRIGGER case_counts_on_update AFTER UPDATE OF board_id, status, lead_sector ON cases
WHEN OLD.board_id IS NOT NEW.board_id OR OLD.status IS NOT NEW.status
    OR OLD.lead_sector IS NOT NEW.lead_sector
BEGIN
    UPDATE case_counts SET count = count - 1
    WHERE board_id = OLD.board_id AND status = OLD.status AND lead_sector = OLD.lead_sector;
    INSERT INTO case_counts (board_id, status, lead_sector, count)
    VALUES (NEW.board_id, NEW.status, NEW.lead_sector, 1)
    ON CONFLICT (board_id, status, lead_sector) DO UPDATE SET count = count + 1;
END;
