-- Mail on items: the Message-ID (a message seen twice is stored once, and
-- replies thread by it), the sanitised HTML beside the text, and whether
-- a machine sent it (no acknowledgement may answer such a mail).

ALTER TABLE items
	ADD COLUMN message_id VARCHAR(255) NULL AFTER body,
	ADD COLUMN body_html MEDIUMTEXT NULL AFTER message_id,
	ADD COLUMN auto_submitted TINYINT(1) NOT NULL DEFAULT 0
	    AFTER body_html,
	ADD UNIQUE KEY items_message_id (message_id);

-- Mailboxes' addresses are the channels' addresses: mail from them is
-- our own and is never taken in again.
ALTER TABLE channels ADD KEY channels_email (email);
