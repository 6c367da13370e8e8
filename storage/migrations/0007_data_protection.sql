-- Data protection: an audit trail no one can edit or delete (except the purge of expired rows),
-- and the bot's own private messages that carry case details, to be deleted after some hours.

CREATE TABLE audit_purge (
    id INTEGER PRIMARY KEY
);
-- Rows may only be deleted while a purge of expired rows holds a marker in the same transaction.
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN (SELECT COUNT(*) FROM audit_purge) = 0
BEGIN
    SELECT RAISE(ABORT, 'audit_log rows are deleted only by the retention purge');
END;

CREATE TABLE detail_messages (
    chat_id BIGINT NOT NULL,
    message_id BIGINT NOT NULL,
    case_id INTEGER,
    delete_after BIGINT NOT NULL,
    PRIMARY KEY (chat_id, message_id)
);
CREATE INDEX detail_messages_due ON detail_messages (delete_after);
CREATE INDEX detail_messages_by_case ON detail_messages (case_id);
