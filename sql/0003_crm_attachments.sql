-- Contacts with several e-mail addresses and phone numbers, and files
-- attached to items.
--
-- contacts.email and contacts.phone stay for now: their values move to
-- the new tables here, and ticketwerk-admin seed copies what it writes
-- there.  The new tables are what the program reads.

CREATE TABLE contact_emails (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	contact_id	BIGINT UNSIGNED NOT NULL,
	-- As checked by tw_email_norm(): the domain lower-cased.  The
	-- collation compares without regard to case, so the unique key
	-- also refuses the same address in other capitals.
	email		VARCHAR(254) NOT NULL,
	created_at	DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	UNIQUE KEY contact_emails_contact (contact_id, email),
	KEY contact_emails_email (email),
	CONSTRAINT contact_emails_contact_fk FOREIGN KEY (contact_id)
	    REFERENCES contacts (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE contact_phones (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	contact_id	BIGINT UNSIGNED NOT NULL,
	-- E.164 as tw_phone_e164() writes it: '+' and up to 15 digits.
	e164		VARCHAR(16) CHARACTER SET ascii NOT NULL,
	created_at	DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	UNIQUE KEY contact_phones_contact (contact_id, e164),
	KEY contact_phones_e164 (e164),
	CONSTRAINT contact_phones_contact_fk FOREIGN KEY (contact_id)
	    REFERENCES contacts (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The old single values.  Domains are lower-cased as the program does;
-- a phone already in E.164 form moves, anything else stays behind in
-- contacts.phone for a person to retype.
INSERT IGNORE INTO contact_emails (contact_id, email)
	SELECT id, CONCAT(SUBSTRING_INDEX(email, '@', 1), '@',
	    LOWER(SUBSTRING_INDEX(email, '@', -1)))
	FROM contacts WHERE email LIKE '_%@_%';
INSERT IGNORE INTO contact_phones (contact_id, e164)
	SELECT id, phone FROM contacts
	WHERE phone REGEXP '^[+][1-9][0-9]{6,14}$';

-- A file is stored once, named by its SHA-256 under INSTANCE/data/
-- attachments; items refer to it under the name it was sent with.
CREATE TABLE attachments (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	sha256		CHAR(64) CHARACTER SET ascii NOT NULL,
	size		BIGINT UNSIGNED NOT NULL,
	-- The Content-Type it was sent with; served only when allowed.
	type		VARCHAR(100) CHARACTER SET ascii NOT NULL,
	created_at	DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	UNIQUE KEY attachments_sha256 (sha256)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE item_attachments (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	item_id		BIGINT UNSIGNED NOT NULL,
	attachment_id	BIGINT UNSIGNED NOT NULL,
	-- Metadata only, never part of a path on disk.
	filename	VARCHAR(255) NOT NULL,
	KEY item_attachments_item (item_id),
	KEY item_attachments_attachment (attachment_id),
	CONSTRAINT item_attachments_item_fk FOREIGN KEY (item_id)
	    REFERENCES items (id) ON DELETE CASCADE,
	CONSTRAINT item_attachments_attachment_fk FOREIGN KEY (attachment_id)
	    REFERENCES attachments (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
