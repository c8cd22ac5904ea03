-- Workflow: categories per channel, colour markings, and the status
-- transitions a channel permits.

CREATE TABLE categories (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	channel_id	BIGINT UNSIGNED NOT NULL,
	name		VARCHAR(100) NOT NULL,
	UNIQUE KEY categories_channel_name (channel_id, name),
	CONSTRAINT categories_channel_fk FOREIGN KEY (channel_id)
	    REFERENCES channels (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A removed category leaves its tickets without one; the history items
-- keep its name.
ALTER TABLE tickets
	ADD COLUMN category_id BIGINT UNSIGNED NULL AFTER priority,
	ADD COLUMN colour ENUM('none', 'red', 'orange', 'yellow', 'green',
	    'blue', 'purple') NOT NULL DEFAULT 'none' AFTER category_id,
	ADD CONSTRAINT tickets_category_fk FOREIGN KEY (category_id)
	    REFERENCES categories (id) ON DELETE SET NULL;

-- The transitions a channel permits.  A channel without rows here
-- permits every change between two statuses (the standard workflow).
CREATE TABLE workflow_transitions (
	channel_id	BIGINT UNSIGNED NOT NULL,
	from_status_id	BIGINT UNSIGNED NOT NULL,
	to_status_id	BIGINT UNSIGNED NOT NULL,
	PRIMARY KEY (channel_id, from_status_id, to_status_id),
	CONSTRAINT workflow_channel_fk FOREIGN KEY (channel_id)
	    REFERENCES channels (id) ON DELETE CASCADE,
	CONSTRAINT workflow_from_fk FOREIGN KEY (from_status_id)
	    REFERENCES statuses (id) ON DELETE CASCADE,
	CONSTRAINT workflow_to_fk FOREIGN KEY (to_status_id)
	    REFERENCES statuses (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
