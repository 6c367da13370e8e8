-- PostgreSQL's form of this migration's triggers (SQLite's are in ../0016_case_pages.sql);
-- the rest of the migration is the shared file, its types translated (storage/postgres.py).
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
