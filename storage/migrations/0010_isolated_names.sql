-- Telegram names are printed inside Unicode isolates (bot/text.py): a name written right to left
-- must not reorder the line it sits in. New names are stored that way; this wraps the old ones,
-- without the bidirectional controls a name may have carried.
UPDATE memberships
SET display_name = char(8296) || replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(display_name, char(1564), ''), char(8206), ''), char(8207), ''), char(8234), ''), char(8235), ''), char(8236), ''), char(8237), ''), char(8238), ''), char(8294), ''), char(8295), ''), char(8296), ''), char(8297), '') || char(8297)
WHERE display_name <> '';
