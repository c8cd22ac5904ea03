-- When a request last stored each file.  A file no item refers to is
-- deleted once it has not been stored for a while: long enough that the
-- request which stored it has either linked it or failed.

ALTER TABLE attachments
	ADD COLUMN stored_at DATETIME(6) NOT NULL
	    DEFAULT CURRENT_TIMESTAMP(6),
	ADD KEY attachments_stored (stored_at);
