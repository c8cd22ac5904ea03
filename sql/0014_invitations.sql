-- Invitations to appointments go out as mail with the event attached as
-- text/calendar (iMIP, RFC 6047): calendar holds that iCalendar object,
-- with its METHOD (REQUEST, or CANCEL when a participant is dropped or
-- the appointment is cancelled).

ALTER TABLE outbound_mail
	MODIFY COLUMN kind ENUM('alert', 'reply', 'ack', 'invitation')
	    NOT NULL DEFAULT 'alert',
	ADD COLUMN calendar MEDIUMTEXT NULL AFTER body_text;
