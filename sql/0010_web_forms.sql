-- Web forms: forms on the provider's own website that raise tickets.
-- Each form posts to /forms/KEY; the key is the form's only credential,
-- so it is long and random, and a new one can replace it.

CREATE TABLE web_forms (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	name		VARCHAR(100) NOT NULL,
	channel_id	BIGINT UNSIGNED NOT NULL,
	-- 128 random bits as 32 lower-case hex digits.
	public_key	CHAR(32) CHARACTER SET ascii NOT NULL,
	-- Where a browser goes after posting (http or https), or NULL for
	-- the thank-you page Ticketwerk shows itself.
	thanks_url	VARCHAR(2000) NULL,
	active		TINYINT(1) NOT NULL DEFAULT 1,
	created_at	DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	UNIQUE KEY web_forms_key (public_key),
	UNIQUE KEY web_forms_name (name),
	CONSTRAINT web_forms_channel_fk FOREIGN KEY (channel_id)
	    REFERENCES channels (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The posts of the last day: those of the last hour count for the rate
-- limits (per form, and per address within it; a post the honeypot
-- caught counts too).  The job runner deletes older rows, so client
-- addresses are kept no longer than that.
CREATE TABLE web_form_posts (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	form_id		BIGINT UNSIGNED NOT NULL,
	remote_addr	VARCHAR(45) NOT NULL,
	honeypot	TINYINT(1) NOT NULL DEFAULT 0,
	ticket_id	BIGINT UNSIGNED NULL,
	created_at	DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	KEY web_form_posts_form (form_id, created_at),
	KEY web_form_posts_at (created_at),
	CONSTRAINT web_form_posts_form_fk FOREIGN KEY (form_id)
	    REFERENCES web_forms (id) ON DELETE CASCADE,
	CONSTRAINT web_form_posts_ticket_fk FOREIGN KEY (ticket_id)
	    REFERENCES tickets (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A ticket raised by a form, and the customer's message on it.  Values
-- added at the end of an ENUM change no stored row.
ALTER TABLE tickets MODIFY type
    ENUM('internal', 'email', 'on_behalf', 'web_form') NOT NULL;
ALTER TABLE items MODIFY kind
    ENUM('email_in', 'email_out', 'call', 'note', 'internal', 'system',
    'web_form') NOT NULL;
