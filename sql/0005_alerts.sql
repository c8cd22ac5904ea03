-- Staying informed: who watches a ticket, the alerts they get for new
-- items, the mail those alerts queue, follow-up reminders and
-- appointments made from a ticket.  Instants are UTC.

-- Whether an agent wants alerts mailed to them as well.
ALTER TABLE users ADD COLUMN notify_email TINYINT(1) NOT NULL DEFAULT 1;

-- A watcher is either one agent or a whole channel, never both.
CREATE TABLE ticket_watchers (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	ticket_id	BIGINT UNSIGNED NOT NULL,
	user_id		BIGINT UNSIGNED NULL,
	channel_id	BIGINT UNSIGNED NULL,
	added_by	BIGINT UNSIGNED NULL,
	created_at	DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	UNIQUE KEY ticket_watchers_user (ticket_id, user_id),
	UNIQUE KEY ticket_watchers_channel (ticket_id, channel_id),
	KEY ticket_watchers_by_user (user_id),
	KEY ticket_watchers_by_channel (channel_id),
	CONSTRAINT ticket_watchers_one CHECK
	    ((user_id IS NULL) <> (channel_id IS NULL)),
	CONSTRAINT ticket_watchers_ticket_fk FOREIGN KEY (ticket_id)
	    REFERENCES tickets (id) ON DELETE CASCADE,
	CONSTRAINT ticket_watchers_user_fk FOREIGN KEY (user_id)
	    REFERENCES users (id) ON DELETE CASCADE,
	CONSTRAINT ticket_watchers_channel_fk FOREIGN KEY (channel_id)
	    REFERENCES channels (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One alert per agent and item.  The navigation counts unread alerts on
-- every page through alerts_unread: (user_id, read_at) answers the count
-- from the index alone.  alerts_recent gives the list newest first
-- without sorting all of an agent's alerts.
CREATE TABLE alerts (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	user_id		BIGINT UNSIGNED NOT NULL,
	ticket_id	BIGINT UNSIGNED NOT NULL,
	item_id		BIGINT UNSIGNED NOT NULL,
	created_at	DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	read_at		DATETIME(6) NULL,
	UNIQUE KEY alerts_user_item (user_id, item_id),
	KEY alerts_unread (user_id, read_at, id),
	KEY alerts_recent (user_id, id),
	KEY alerts_ticket (ticket_id),
	KEY alerts_item (item_id),
	CONSTRAINT alerts_user_fk FOREIGN KEY (user_id)
	    REFERENCES users (id) ON DELETE CASCADE,
	CONSTRAINT alerts_ticket_fk FOREIGN KEY (ticket_id)
	    REFERENCES tickets (id) ON DELETE CASCADE,
	CONSTRAINT alerts_item_fk FOREIGN KEY (item_id)
	    REFERENCES items (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Mail waiting to be sent.  Rows are written in the transaction that
-- causes them, so a rolled-back change sends nothing; a sender picks
-- queued rows whose next_attempt_at has passed.
CREATE TABLE outbound_mail (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	created_at	DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	to_address	VARCHAR(320) NOT NULL,
	subject		VARCHAR(300) NOT NULL,
	body_text	MEDIUMTEXT NOT NULL,
	message_id	VARCHAR(255) CHARACTER SET ascii NOT NULL,
	state		ENUM('queued', 'sending', 'sent', 'failed') NOT NULL
			    DEFAULT 'queued',
	attempts	INT UNSIGNED NOT NULL DEFAULT 0,
	next_attempt_at	DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	last_error	VARCHAR(1000) NULL,
	ticket_id	BIGINT UNSIGNED NULL,
	item_id		BIGINT UNSIGNED NULL,
	UNIQUE KEY outbound_mail_message_id (message_id),
	KEY outbound_mail_due (state, next_attempt_at),
	KEY outbound_mail_ticket (ticket_id),
	CONSTRAINT outbound_mail_ticket_fk FOREIGN KEY (ticket_id)
	    REFERENCES tickets (id) ON DELETE SET NULL,
	CONSTRAINT outbound_mail_item_fk FOREIGN KEY (item_id)
	    REFERENCES items (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A ticket comes back to an agent on a date: one open reminder per
-- ticket and agent, replaced by setting it again, deleted when cleared.
CREATE TABLE reminders (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	ticket_id	BIGINT UNSIGNED NOT NULL,
	user_id		BIGINT UNSIGNED NOT NULL,
	due_at		DATETIME(6) NOT NULL,
	note		VARCHAR(500) NOT NULL DEFAULT '',
	set_by		BIGINT UNSIGNED NULL,
	created_at	DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	UNIQUE KEY reminders_ticket_user (ticket_id, user_id),
	KEY reminders_due (user_id, due_at),
	CONSTRAINT reminders_ticket_fk FOREIGN KEY (ticket_id)
	    REFERENCES tickets (id) ON DELETE CASCADE,
	CONSTRAINT reminders_user_fk FOREIGN KEY (user_id)
	    REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE appointments (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	ticket_id	BIGINT UNSIGNED NOT NULL,
	title		VARCHAR(250) NOT NULL,
	location	VARCHAR(250) NOT NULL DEFAULT '',
	starts_at	DATETIME NOT NULL,
	ends_at		DATETIME NOT NULL,
	created_by	BIGINT UNSIGNED NULL,
	created_at	DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	KEY appointments_ticket (ticket_id, starts_at),
	CONSTRAINT appointments_order CHECK (ends_at > starts_at),
	CONSTRAINT appointments_ticket_fk FOREIGN KEY (ticket_id)
	    REFERENCES tickets (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE appointment_participants (
	appointment_id	BIGINT UNSIGNED NOT NULL,
	user_id		BIGINT UNSIGNED NOT NULL,
	PRIMARY KEY (appointment_id, user_id),
	KEY appointment_participants_user (user_id),
	CONSTRAINT appointment_participants_appt_fk
	    FOREIGN KEY (appointment_id)
	    REFERENCES appointments (id) ON DELETE CASCADE,
	CONSTRAINT appointment_participants_user_fk FOREIGN KEY (user_id)
	    REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
