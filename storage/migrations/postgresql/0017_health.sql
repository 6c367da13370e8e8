-- One row the health check (GET /healthz) writes and commits, so that monitoring sees a
-- database that still answers reads but refuses writes (a full disk, a read-only mount).
CREATE TABLE health (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    checked_at BIGINT NOT NULL
);
INSERT INTO health (id, checked_at) VALUES (1, 0);
