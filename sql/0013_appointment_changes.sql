-- Appointments can be changed and cancelled.  sequence counts the
-- changes (iCalendar's SEQUENCE), so a calendar that imported an older
-- file takes the newer one in its place; a cancelled appointment stays,
-- marked, so its file tells calendars to drop it.

ALTER TABLE appointments
	ADD COLUMN sequence INT UNSIGNED NOT NULL DEFAULT 0,
	ADD COLUMN updated_at DATETIME(6) NULL,
	ADD COLUMN cancelled_at DATETIME(6) NULL;
