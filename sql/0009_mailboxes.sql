-- Mailboxes the job runner polls over IMAP.  Each one feeds a channel;
-- its password is sealed with AES-256-GCM under [mail] key (a version
-- byte, the nonce, the ciphertext and the tag), bound to the row's id so
-- a sealed password copied to another row does not open there.
--
-- Progress is the last UID taken in under the folder's UIDVALIDITY: a
-- message counts as taken once its ticket transaction committed, and the
-- runner moves last_uid past it only then.  A message the database
-- refuses again and again (failed_uid, failures) is passed over after a
-- few polls, so it cannot hold up the mail behind it.  A runner claims a mailbox by
-- writing its lease; a lease that ran out (its runner died) may be taken
-- by the next runner.
CREATE TABLE mailboxes (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	name		VARCHAR(100) NOT NULL,
	url		VARCHAR(300) NOT NULL,
	username	VARCHAR(255) NOT NULL,
	password_sealed	VARBINARY(600) NULL,
	channel_id	BIGINT UNSIGNED NOT NULL,
	poll_seconds	INT UNSIGNED NOT NULL DEFAULT 300,
	-- Unknown senders: the organisation whose mail domain matches
	-- ('domain'), or no organisation at all ('unassigned').
	unknown_senders	ENUM('domain', 'unassigned') NOT NULL DEFAULT 'domain',
	enabled		TINYINT(1) NOT NULL DEFAULT 1,
	uidvalidity	BIGINT UNSIGNED NULL,
	last_uid	BIGINT UNSIGNED NOT NULL DEFAULT 0,
	failed_uid	BIGINT UNSIGNED NULL,
	failures	INT UNSIGNED NOT NULL DEFAULT 0,
	next_poll_at	DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	lease_owner	CHAR(32) NULL,
	lease_until	DATETIME(6) NULL,
	last_poll_at	DATETIME(6) NULL,
	-- A word naming what went wrong ('login', 'connect' ...), NULL
	-- after a poll that went well.
	last_error	VARCHAR(40) NULL,
	last_error_at	DATETIME(6) NULL,
	-- Messages that became tickets or items, that were dropped as
	-- known or our own, and that could never be taken in.
	taken		BIGINT UNSIGNED NOT NULL DEFAULT 0,
	dropped		BIGINT UNSIGNED NOT NULL DEFAULT 0,
	refused		BIGINT UNSIGNED NOT NULL DEFAULT 0,
	created_at	DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	UNIQUE KEY mailboxes_name (name),
	KEY mailboxes_due (enabled, next_poll_at),
	CONSTRAINT mailboxes_poll CHECK (poll_seconds BETWEEN 30 AND 86400),
	CONSTRAINT mailboxes_channel_fk FOREIGN KEY (channel_id)
	    REFERENCES channels (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
