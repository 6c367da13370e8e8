-- Telegram names are printed inside Unicode isolates (bot/text.py): a name written right to left
-- must not reorder the line it sits in. New names are stored that way; this wraps the old ones,
-- without the bidirectional controls a name may have carried.
UPDATE memberships
SET display_name = chr(8296) || replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(display_name, chr(1564), ''), chr(8206), ''), chr(8207), ''), chr(8234), ''), chr(8235), ''), chr(8236), ''), chr(8237), ''), chr(8238), ''), chr(8294), ''), chr(8295), ''), chr(8296), ''), chr(8297), '') || chr(8297)
WHERE display_name <> '';
