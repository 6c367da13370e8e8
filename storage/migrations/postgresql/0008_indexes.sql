-- Found by benchmarks/storage.py: a case's concerns were found by reading the whole table.
CREATE INDEX escalations_by_case ON escalations (case_id);
-- Actions still waiting for an owner, per board (the coordinators' "to assign" list).
CREATE INDEX actions_unowned ON actions (board_id) WHERE status = 'open' AND owner_id IS NULL;
