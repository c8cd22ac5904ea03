-- Who wrote an incoming mail and who else it went to, as its From, To
-- and Cc said: the ticket page shows them with the mail, and a reply
-- copies the others in.  Lists hold addresses joined by ", ".
ALTER TABLE items
	ADD COLUMN mail_from VARCHAR(320) NULL AFTER auto_submitted,
	ADD COLUMN mail_from_name VARCHAR(200) NULL AFTER mail_from,
	ADD COLUMN mail_to TEXT NULL AFTER mail_from_name,
	ADD COLUMN mail_cc TEXT NULL AFTER mail_to;

-- The copies of an outgoing mail, as a list like the above.
ALTER TABLE outbound_mail
	ADD COLUMN cc_addresses TEXT NULL AFTER to_address;
