-- Which instance claimed a row being sent: a standby taking over, or an instance starting up,
-- sends again only the rows of instances no longer alive (storage/leadership.py).
ALTER TABLE outbox ADD COLUMN claimed_by INTEGER;
