-- PostgreSQL's form of this migration's triggers (SQLite's are in ../0001_foundation.sql);
-- the rest of the migration is the shared file, its types translated (storage/postgres.py).
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
