-- The queue's filters, sort orders and full-text search.
--
-- Each filter that narrows the queue a lot gets an index that leads with
-- it and ends in the default order (created_at, id), so a filtered page
-- is read in order and stops after a page instead of sorting the match.
-- The FULLTEXT indexes serve the search box: a ticket matches when its
-- subject does or when one of its items does.

ALTER TABLE tickets
	ADD KEY tickets_channel_status (channel_id, status_id, created_at, id),
	ADD KEY tickets_status_created (status_id, created_at, id),
	ADD KEY tickets_owner_created (owner_id, created_at, id),
	ADD KEY tickets_assignee_created (assignee_id, created_at, id),
	ADD KEY tickets_org_created (organisation_id, created_at, id),
	ADD KEY tickets_updated (updated_at, id, channel_id),
	ADD KEY tickets_priority (priority, created_at, id, channel_id);

-- The filter form lists the active agents by name on every queue page.
ALTER TABLE users ADD KEY users_active_name (active, name, id);

ALTER TABLE tickets ADD FULLTEXT KEY tickets_subject_ft (subject);
ALTER TABLE items ADD FULLTEXT KEY items_body_ft (body);
