-- Schema version 3: two deviations from the seed schema, both for the store SPI of ADR 0009.
--
--  * message_recipients.recipient_type also takes 'reply_to': a message's Reply-To addresses are
--    stored with it (in header order, like To/Cc/Bcc), so replying reads no raw blob. Messages
--    stored before this version have no such rows; a reply to them goes to their From.
--  * messages.participants: the keys subject threading matches a message by. The engine decides
--    who is a participant (ADR 0003) and passes the keys with the insert; the store only matches
--    them. Existing rows are filled with the rule as it was when they were stored: From, To and
--    Cc, lower-cased (addresses on the inbox's own domain are kept here, which changes no match:
--    the engine never looks them up).
ALTER TABLE message_recipients DROP CONSTRAINT message_recipients_recipient_type_check;
ALTER TABLE message_recipients ADD CONSTRAINT message_recipients_recipient_type_check
    CHECK (recipient_type IN ('to', 'cc', 'bcc', 'reply_to'));

ALTER TABLE messages ADD COLUMN participants TEXT[] NOT NULL DEFAULT '{}';
UPDATE messages m SET participants = ARRAY(
    SELECT DISTINCT lower(x.address) FROM (
        SELECT m.from_address AS address
        UNION ALL
        SELECT r.address FROM message_recipients r
         WHERE r.message_id = m.id AND r.recipient_type IN ('to', 'cc')) x);
