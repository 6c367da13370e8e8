-- "I wrote to you in private" in a group: deleted like a details message, sooner once the
-- person it is for answers in private (for_user), so seven joins leave no seven lines behind.
ALTER TABLE detail_messages ADD COLUMN for_user BIGINT;
CREATE INDEX detail_messages_for_user ON detail_messages (for_user);
