-- The foundation: agents and their sign-in, organisations and contacts,
-- channels, statuses, tickets and their items.
-- Instants are UTC (the connection sets time_zone to +00:00).

CREATE TABLE users (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	login		VARCHAR(64) NOT NULL,
	name		VARCHAR(200) NOT NULL,
	email		VARCHAR(320) NULL,
	password_hash	VARCHAR(255) NOT NULL,
	is_admin	TINYINT(1) NOT NULL DEFAULT 0,
	lang		CHAR(2) NULL,
	active		TINYINT(1) NOT NULL DEFAULT 1,
	created_at	DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	UNIQUE KEY users_login (login)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Only the SHA-256 of a session token is stored: a copy of this table
-- does not let anyone in.
CREATE TABLE sessions (
	token_hash	CHAR(64) CHARACTER SET ascii NOT NULL PRIMARY KEY,
	user_id		BIGINT UNSIGNED NOT NULL,
	created_at	DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	last_seen	DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	expires_at	DATETIME(6) NOT NULL,
	remote_addr	VARCHAR(45) NOT NULL DEFAULT '',
	user_agent	VARCHAR(255) NOT NULL DEFAULT '',
	KEY sessions_user (user_id),
	CONSTRAINT sessions_user_fk FOREIGN KEY (user_id)
	    REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE api_tokens (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	token_hash	CHAR(64) CHARACTER SET ascii NOT NULL,
	user_id		BIGINT UNSIGNED NOT NULL,
	name		VARCHAR(100) NOT NULL DEFAULT '',
	created_at	DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	last_used_at	DATETIME(6) NULL,
	UNIQUE KEY api_tokens_hash (token_hash),
	CONSTRAINT api_tokens_user_fk FOREIGN KEY (user_id)
	    REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Failed sign-ins, counted per account and per address for throttling.
CREATE TABLE signin_failures (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	login		VARCHAR(64) NOT NULL,
	remote_addr	VARCHAR(45) NOT NULL,
	at		DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	KEY signin_failures_login (login, at),
	KEY signin_failures_addr (remote_addr, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE organisations (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	name		VARCHAR(200) NOT NULL,
	customer_number	VARCHAR(40) NULL,
	mail_domain	VARCHAR(255) NULL,
	created_at	DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	UNIQUE KEY organisations_customer_number (customer_number),
	KEY organisations_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE contacts (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	organisation_id	BIGINT UNSIGNED NULL,
	name		VARCHAR(200) NOT NULL,
	email		VARCHAR(320) NULL,
	phone		VARCHAR(32) NULL,
	created_at	DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	KEY contacts_org (organisation_id),
	KEY contacts_email (email),
	CONSTRAINT contacts_org_fk FOREIGN KEY (organisation_id)
	    REFERENCES organisations (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE channels (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	name		VARCHAR(100) NOT NULL,
	email		VARCHAR(320) NULL,
	created_at	DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	UNIQUE KEY channels_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Who works a channel's tickets ('handles') and who only reads along.
CREATE TABLE channel_members (
	channel_id	BIGINT UNSIGNED NOT NULL,
	user_id		BIGINT UNSIGNED NOT NULL,
	role		ENUM('handles', 'reads') NOT NULL DEFAULT 'handles',
	subscription	ENUM('standard', 'informal') NOT NULL
			    DEFAULT 'standard',
	PRIMARY KEY (user_id, channel_id),
	KEY channel_members_channel (channel_id),
	CONSTRAINT channel_members_channel_fk FOREIGN KEY (channel_id)
	    REFERENCES channels (id) ON DELETE CASCADE,
	CONSTRAINT channel_members_user_fk FOREIGN KEY (user_id)
	    REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The side says whose turn it is: ours, the customer's, or nobody's.
CREATE TABLE statuses (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	code		VARCHAR(32) CHARACTER SET ascii NOT NULL,
	name		VARCHAR(100) NOT NULL,
	side		ENUM('us', 'customer', 'done') NOT NULL,
	position	INT NOT NULL DEFAULT 0,
	UNIQUE KEY statuses_code (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO statuses (code, name, side, position) VALUES
	('new', 'New', 'us', 10),
	('in_progress', 'In progress', 'us', 20),
	('answered', 'Answered', 'customer', 30),
	('closed', 'Closed', 'done', 40);

-- Ticket numbers come from a sequence: unique, never reused, and not a
-- lock every creating transaction has to queue for.
CREATE SEQUENCE ticket_numbers START WITH 1001 INCREMENT BY 1 CACHE 100;

CREATE TABLE tickets (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	number		BIGINT UNSIGNED NOT NULL,
	type		ENUM('internal', 'email', 'on_behalf') NOT NULL,
	subject		VARCHAR(250) NOT NULL,
	channel_id	BIGINT UNSIGNED NOT NULL,
	status_id	BIGINT UNSIGNED NOT NULL,
	priority	TINYINT UNSIGNED NOT NULL DEFAULT 5,
	organisation_id	BIGINT UNSIGNED NULL,
	contact_id	BIGINT UNSIGNED NULL,
	owner_id	BIGINT UNSIGNED NULL,
	assignee_id	BIGINT UNSIGNED NULL,
	created_by	BIGINT UNSIGNED NULL,
	created_at	DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	updated_at	DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	version		INT UNSIGNED NOT NULL DEFAULT 1,
	UNIQUE KEY tickets_number (number),
	KEY tickets_channel_created (channel_id, created_at),
	-- The queue walks this index newest first and checks each ticket's
	-- channel without touching the row: (created_at, id) gives a stable
	-- order, channel_id makes it covering.
	KEY tickets_created (created_at, id, channel_id),
	KEY tickets_org (organisation_id),
	CONSTRAINT tickets_priority CHECK (priority BETWEEN 1 AND 9),
	CONSTRAINT tickets_channel_fk FOREIGN KEY (channel_id)
	    REFERENCES channels (id),
	CONSTRAINT tickets_status_fk FOREIGN KEY (status_id)
	    REFERENCES statuses (id),
	CONSTRAINT tickets_org_fk FOREIGN KEY (organisation_id)
	    REFERENCES organisations (id),
	CONSTRAINT tickets_contact_fk FOREIGN KEY (contact_id)
	    REFERENCES contacts (id),
	CONSTRAINT tickets_owner_fk FOREIGN KEY (owner_id)
	    REFERENCES users (id),
	CONSTRAINT tickets_assignee_fk FOREIGN KEY (assignee_id)
	    REFERENCES users (id),
	CONSTRAINT tickets_creator_fk FOREIGN KEY (created_by)
	    REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE items (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	ticket_id	BIGINT UNSIGNED NOT NULL,
	kind		ENUM('email_in', 'email_out', 'call', 'note',
			    'internal', 'system') NOT NULL,
	visibility	ENUM('internal', 'customer') NOT NULL
			    DEFAULT 'internal',
	author_id	BIGINT UNSIGNED NULL,
	body		MEDIUMTEXT NOT NULL,
	created_at	DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	KEY items_ticket (ticket_id, created_at),
	CONSTRAINT items_ticket_fk FOREIGN KEY (ticket_id)
	    REFERENCES tickets (id),
	CONSTRAINT items_author_fk FOREIGN KEY (author_id)
	    REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Requests that create something may carry an idempotency key, so a
-- client that retries after a lost answer does not create it twice.
CREATE TABLE request_keys (
	user_id		BIGINT UNSIGNED NOT NULL,
	request_key	VARCHAR(64) CHARACTER SET ascii NOT NULL,
	ticket_number	BIGINT UNSIGNED NOT NULL,
	created_at	DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	PRIMARY KEY (user_id, request_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
