-- Sending mail: what a queued message needs beyond an alert's few
-- columns, the lease that lets several senders share the queue, and
-- each channel's acknowledgement of receipt.

-- kind: an agent's alert, a reply written on a ticket, or the
-- acknowledgement a new mail ticket gets.  from_address and from_name are
-- NULL for alerts, which come from [smtp] from.  message_id, in_reply_to
-- and references_header hold Message-IDs as written in a header, in <>.
--
-- A sender claims a row by setting state 'sending', adding one to
-- attempts and moving next_attempt_at to the end of its lease; leased_by
-- names the runner (host and process).  A row still 'sending' after its
-- lease ran out belongs to a sender that died, and is claimed again.  The
-- attempt number fences the result: a sender records it only while the
-- row still carries the attempt it claimed.
ALTER TABLE outbound_mail
	ADD COLUMN kind ENUM('alert', 'reply', 'ack') NOT NULL
	    DEFAULT 'alert' AFTER created_at,
	ADD COLUMN from_address VARCHAR(320) NULL AFTER kind,
	ADD COLUMN from_name VARCHAR(200) NULL AFTER from_address,
	ADD COLUMN in_reply_to VARCHAR(255) CHARACTER SET ascii NULL
	    AFTER message_id,
	ADD COLUMN references_header TEXT CHARACTER SET ascii NULL
	    AFTER in_reply_to,
	ADD COLUMN sent_at DATETIME(6) NULL AFTER last_error,
	ADD COLUMN leased_by VARCHAR(100) NULL AFTER sent_at,
	ADD KEY outbound_mail_ack (to_address, kind, created_at);

-- The acknowledgement of receipt: Mustache templates over number,
-- subject, channel and name (the customer's), sent as plain text.
ALTER TABLE channels
	ADD COLUMN ack_enabled TINYINT(1) NOT NULL DEFAULT 0,
	ADD COLUMN ack_subject VARCHAR(300) NOT NULL
	    DEFAULT 'Re: {{subject}}',
	ADD COLUMN ack_body TEXT NOT NULL DEFAULT
	    '{{#name}}Hello {{name}},{{/name}}{{^name}}Hello,{{/name}}\n\n'
	    'thank you for your message.  We have filed it as ticket '
	    '#{{number}} and will come back to you.  Please keep '
	    '[#{{number}}] in the subject when you write to us about it.\n\n'
	    '-- \n{{channel}}';
