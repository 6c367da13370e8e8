-- /cases costs the same at 10 cases or 100,000 (issue 22): one page is read in its order (the
-- quietest first) through this index instead of sorting every open case of the board, and the
-- count comes from case_counts, kept exact by the triggers below on every write to cases.
CREATE INDEX cases_by_board_activity ON cases (board_id, last_activity_at, id);

CREATE TABLE case_counts (
    board_id BIGINT NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    lead_sector TEXT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (board_id, status, lead_sector)
);

INSERT INTO case_counts (board_id, status, lead_sector, count)
SELECT board_id, status, lead_sector, COUNT(*) FROM cases GROUP BY board_id, status, lead_sector;

CREATE FUNCTION case_counts_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE case_counts SET count = count - 1
        WHERE board_id = OLD.board_id AND status = OLD.status AND lead_sector = OLD.lead_sector;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO case_counts (board_id, status, lead_sector, count)
        VALUES (NEW.board_id, NEW.status, NEW.lead_sector, 1)
        ON CONFLICT (board_id, status, lead_sector)
        DO UPDATE SET count = case_counts.count + 1;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER case_counts_on_insert AFTER INSERT ON cases
FOR EACH ROW EXECUTE FUNCTION case_counts_keep();
CREATE TRIGGER case_counts_on_delete AFTER DELETE ON cases
FOR EACH ROW EXECUTE FUNCTION case_counts_keep();
CREATE TRIGGER case_counts_on_update AFTER UPDATE OF board_id, status, lead_sector ON cases
FOR EACH ROW
WHEN (OLD.board_id IS DISTINCT FROM NEW.board_id OR OLD.status IS DISTINCT FROM NEW.status
    OR OLD.lead_sector IS DISTINCT FROM NEW.lead_sector)
EXECUTE FUNCTION case_counts_keep();
