-- The queue sorted by subject walks this index in order and checks each
-- ticket's channel from it, as the other orders do (0004), instead of
-- sorting every visible ticket: on a million tickets that sort took
-- over a second.  The id after the subject makes the order total.

ALTER TABLE tickets
	ADD KEY tickets_subject (subject, id, channel_id);
