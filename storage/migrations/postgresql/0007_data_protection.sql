-- PostgreSQL's form of this migration's triggers (SQLite's are in ../0007_data_protection.sql);
-- the rest of the migration is the shared file, its types translated (storage/postgres.py).
CREATE FUNCTION audit_log_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT COUNT(*) FROM audit_purge) = 0 THEN
        RAISE EXCEPTION 'audit_log rows are deleted only by the retention purge';
    END IF;
    RETURN OLD;
END;
$$;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_no_delete();
