/*
 * ticket.c: creating, listing and reading tickets, and adding items.
 */
#include "config.h"

#include <string.h>

#include "alert.h"
#include "arena.h"
#include "attachment.h"
#include "contact.h"
#include "db.h"
#include "reply.h"
#include "request.h"
#include "text.h"
#include "ticket.h"
#include "ticket_change.h"

enum {
	SQL_KEY_GET,
	SQL_KEY_ADD,
	SQL_INSERT,
	SQL_INSERT_INCOMING,
	SQL_ITEM_INSERT,
	SQL_GET,
	SQL_ITEMS,
	SQL_LOCK,
	SQL_TOUCH,
	SQL__MAX
};

/* Visibility is part of every read: the join on channel_members. */
static const char *const sql[SQL__MAX] = {
	[SQL_KEY_GET] =
	    "SELECT ticket_number FROM request_keys "
	    "WHERE user_id = ? AND request_key = ? AND ticket_number > 0",
	[SQL_KEY_ADD] =
	    "INSERT INTO request_keys (user_id, request_key, ticket_number) "
	    "VALUES (?, ?, ?)",
	/* Only an agent who handles the channel opens a ticket in it: one
	 * who does not inserts no row. */
	[SQL_INSERT] =
	    "INSERT INTO tickets (number, type, subject, channel_id, "
	    "status_id, priority, owner_id, created_by) "
	    "SELECT NEXT VALUE FOR ticket_numbers, ?, ?, m.channel_id, "
	    "(SELECT id FROM statuses WHERE code = 'new'), ?, m.user_id, "
	    "m.user_id FROM channel_members m WHERE m.user_id = ? "
	    "AND m.channel_id = ? AND m.role = 'handles' "
	    "RETURNING id, number",
	[SQL_INSERT_INCOMING] =
	    "INSERT INTO tickets (number, type, subject, channel_id, "
	    "status_id, priority, organisation_id, contact_id) VALUES ("
	    "NEXT VALUE FOR ticket_numbers, ?, ?, ?, "
	    "(SELECT id FROM statuses WHERE code = 'new'), 5, ?, ?) "
	    "RETURNING id, number",
	[SQL_ITEM_INSERT] =
	    "INSERT INTO items (ticket_id, kind, visibility, author_id, body) "
	    "VALUES (?, ?, ?, ?, ?)",
	[SQL_GET] =
	    "SELECT t.id, t.number, t.subject, t.type, t.priority, "
	    "s.code AS status, s.name AS status_name, s.side, "
	    "c.name AS channel, m.role AS my_role, "
	    "o.name AS organisation, ct.name AS contact, "
	    "t.organisation_id, t.contact_id, "
	    "ow.name AS owner, asg.name AS assignee, cr.name AS creator, "
	    "t.created_at, t.updated_at, t.version, "
	    "mt.number AS merged_into, "
	    "t.channel_id, t.status_id, t.colour, t.category_id, "
	    "cat.name AS category, ow.login AS owner_login, "
	    "asg.login AS assignee_login, c.email AS channel_email, "
	    "(SELECT e.email FROM contact_emails e "
	    "WHERE e.contact_id = t.contact_id ORDER BY e.id LIMIT 1) "
	    "AS contact_email, "
	    "EXISTS (SELECT 1 FROM reminders r WHERE r.ticket_id = t.id) "
	    "AS any_reminder, "
	    "EXISTS (SELECT 1 FROM appointments a WHERE a.ticket_id = t.id) "
	    "AS any_appointment, "
	    "EXISTS (SELECT 1 FROM items i JOIN item_attachments ia "
	    "ON ia.item_id = i.id WHERE i.ticket_id = t.id) AS any_attachment, "
	    "EXISTS (SELECT 1 FROM outbound_mail om WHERE om.ticket_id = t.id) "
	    "AS any_mail "
	    "FROM tickets t "
	    "JOIN channel_members m ON m.channel_id = t.channel_id "
	    "AND m.user_id = ? "
	    "JOIN statuses s ON s.id = t.status_id "
	    "JOIN channels c ON c.id = t.channel_id "
	    "LEFT JOIN organisations o ON o.id = t.organisation_id "
	    "LEFT JOIN contacts ct ON ct.id = t.contact_id "
	    "LEFT JOIN users ow ON ow.id = t.owner_id "
	    "LEFT JOIN users asg ON asg.id = t.assignee_id "
	    "LEFT JOIN users cr ON cr.id = t.created_by "
	    "LEFT JOIN tickets mt ON mt.id = t.merged_into "
	    "LEFT JOIN categories cat ON cat.id = t.category_id "
	    "WHERE t.number = ?",
	[SQL_ITEMS] =
	    "SELECT i.id, i.kind, i.visibility, i.body, i.body_html, "
	    "i.message_id, i.auto_submitted, i.mail_from, i.mail_from_name, "
	    "i.mail_to, i.mail_cc, i.created_at, u.name AS author "
	    "FROM items i LEFT JOIN users u ON u.id = i.author_id "
	    "WHERE i.ticket_id = ? ORDER BY i.created_at, i.id",
	[SQL_LOCK] =
	    "SELECT t.id, m.role FROM tickets t "
	    "JOIN channel_members m ON m.channel_id = t.channel_id "
	    "AND m.user_id = ? "
	    "WHERE t.number = ? FOR UPDATE",
	[SQL_TOUCH] =
	    "UPDATE tickets SET updated_at = UTC_TIMESTAMP(6), "
	    "version = version + 1 WHERE id = ?",
};

static const char *const type_names[TW_TICKET_TYPE__MAX] = {
	[TW_TICKET_INTERNAL] = "internal",
	[TW_TICKET_EMAIL] = "email",
	[TW_TICKET_ON_BEHALF] = "on_behalf",
	[TW_TICKET_WEB_FORM] = "web_form",
};

static const char *const kind_names[TW_ITEM_KIND__MAX] = {
	[TW_ITEM_EMAIL_IN] = "email_in",
	[TW_ITEM_EMAIL_OUT] = "email_out",
	[TW_ITEM_CALL] = "call",
	[TW_ITEM_NOTE] = "note",
	[TW_ITEM_INTERNAL] = "internal",
	[TW_ITEM_SYSTEM] = "system",
	[TW_ITEM_WEB_FORM] = "web_form",
};

const char *
tw_ticket_type_name(enum tw_ticket_type t)
{
	return (unsigned)t < TW_TICKET_TYPE__MAX ? type_names[t] : "internal";
}

const char *
tw_item_kind_name(enum tw_item_kind k)
{
	return (unsigned)k < TW_ITEM_KIND__MAX ? kind_names[k] : "note";
}

static int
lookup(const char *const *names, int n, const char *s)
{
	int	i;

	for (i = 0; s != NULL && i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

int
tw_ticket_type_parse(const char *s, enum tw_ticket_type *out)
{
	int	i = lookup(type_names, TW_TICKET_TYPE__MAX, s);

	if (i < 0)
		return 0;
	*out = (enum tw_ticket_type)i;
	return 1;
}

int
tw_item_kind_parse(const char *s, enum tw_item_kind *out)
{
	int	i = lookup(kind_names, TW_ITEM_KIND__MAX, s);

	if (i < 0)
		return 0;
	*out = (enum tw_item_kind)i;
	return 1;
}

struct create {
	struct tw_arena			*arena;
	const struct tw_user		*user;
	const struct tw_ticket_new	*in;
	long long			 number;
};

/* Returns the ticket an earlier request with the same key made, if any. */
static enum tw_err
find_by_key(struct tw_arena *a, long long user_id, const char *key,
    long long *number)
{
	struct tw_rows	*r;
	enum tw_err	 rc;

	*number = 0;
	rc = tw_db_query(a, sql[SQL_KEY_GET], &r,
	    TW_ARGS(TW_I(user_id), TW_S(key)));
	if (rc == TW_OK && r->nrows == 1)
		*number = tw_rows_int(r, 0, "ticket_number", 0);
	return rc;
}

static enum tw_err
insert_item(long long ticket_id, long long author, enum tw_item_kind kind,
    int customer_visible, const char *body, unsigned long long *id)
{
	return tw_db_exec(sql[SQL_ITEM_INSERT], NULL, id,
	    TW_ARGS(TW_I(ticket_id), TW_S(tw_item_kind_name(kind)),
	    TW_S(customer_visible ? "customer" : "internal"),
	    TW_I(author), TW_S(body)));
}

static enum tw_err
create_txn(void *ctx)
{
	struct create			*c = ctx;
	const struct tw_ticket_new	*in = c->in;
	struct tw_rows			*r;
	unsigned long long		 item_id = 0;
	long long			 uid = c->user->id, id;
	enum tw_err			 rc;

	if (in->request_key != NULL) {
		rc = find_by_key(c->arena, uid, in->request_key, &c->number);
		if (rc != TW_OK || c->number > 0)
			return rc;
	}

	rc = tw_db_query(c->arena, sql[SQL_INSERT], &r,
	    TW_ARGS(TW_S(tw_ticket_type_name(in->type)), TW_S(in->subject),
	    TW_I(in->priority), TW_I(uid), TW_I(in->channel_id)));
	if (rc != TW_OK)
		return rc;
	if (r->nrows == 0)
		return TW_ERR_NOTFOUND;
	id = tw_rows_int(r, 0, "id", 0);
	c->number = tw_rows_int(r, 0, "number", 0);
	if (in->contact_id > 0 && (rc = tw_contact_link_ticket(id,
	    in->contact_id)) != TW_OK)
		return rc == TW_ERR_NOTFOUND ? TW_ERR_CONFLICT : rc;

	if ((in->body != NULL && *in->body != '\0') || in->nattachments > 0) {
		rc = insert_item(id, uid, in->type == TW_TICKET_INTERNAL ?
		    TW_ITEM_INTERNAL : TW_ITEM_NOTE, 0,
		    in->body != NULL ? in->body : "", &item_id);
		if (rc == TW_OK)
			rc = tw_attachment_link((long long)item_id,
			    in->attachments, in->nattachments);
		if (rc != TW_OK)
			return rc;
	}

	if ((rc = tw_alert_ticket_created(id, uid)) != TW_OK)
		return rc;

	/* The key goes in with the ticket: a concurrent request with the
	 * same key waits on its row, fails with a conflict once this one
	 * commits (its own ticket rolling back), and the caller answers it
	 * with this ticket. */
	if (in->request_key != NULL)
		rc = tw_db_exec(sql[SQL_KEY_ADD], NULL, NULL,
		    TW_ARGS(TW_I(uid), TW_S(in->request_key),
		    TW_I(c->number)));
	return rc;
}

enum tw_err
tw_ticket_create(struct tw_arena *a, const struct tw_user *user,
    const struct tw_ticket_new *in, long long *number)
{
	struct create	c = { a, user, in, 0 };
	enum tw_err	rc;

	rc = tw_db_txn(create_txn, &c);
	if (rc == TW_ERR_CONFLICT && in->request_key != NULL) {
		/* A concurrent request with the same key won the race. */
		rc = find_by_key(a, user->id, in->request_key, &c.number);
		if (rc == TW_OK && c.number == 0)
			rc = TW_ERR_CONFLICT;
	}
	*number = c.number;
	return rc;
}

enum tw_err
tw_ticket_open_incoming(struct tw_arena *a, enum tw_ticket_type type,
    const char *subject, long long channel_id, long long org,
    long long contact, long long *id, long long *number)
{
	struct tw_rows	*r;
	enum tw_err	 rc;

	subject = tw_text_cut(a, subject, TW_TICKET_SUBJECT_MAX);
	rc = tw_db_query(a, sql[SQL_INSERT_INCOMING], &r, TW_ARGS(
	    TW_S(tw_ticket_type_name(type)), TW_S(subject), TW_I(channel_id),
	    org > 0 ? TW_I(org) : TW_NULLARG,
	    contact > 0 ? TW_I(contact) : TW_NULLARG));
	if (rc != TW_OK)
		return rc;
	if (r->nrows != 1)
		return TW_ERR_DB;
	*id = tw_rows_int(r, 0, "id", 0);
	if (number != NULL)
		*number = tw_rows_int(r, 0, "number", 0);
	return TW_OK;
}

enum tw_err
tw_ticket_get(struct tw_arena *a, const struct tw_user *user,
    long long number, struct tw_rows **ticket, struct tw_rows **items)
{
	enum tw_err	rc;

	rc = tw_db_query(a, sql[SQL_GET], ticket,
	    TW_ARGS(TW_I(user->id), TW_I(number)));
	if (rc != TW_OK)
		return rc;
	if ((*ticket)->nrows == 0)
		return TW_ERR_NOTFOUND;

	/* A merged ticket's items live on its target now. */
	if (tw_rows_str(*ticket, 0, "merged_into") != NULL) {
		*items = tw_arena_calloc(a, 1, sizeof(**items));
		return TW_OK;
	}
	return tw_db_query(a, sql[SQL_ITEMS], items,
	    TW_ARGS(TW_I(tw_rows_int(*ticket, 0, "id", 0))));
}

struct add_item {
	struct tw_arena			*arena;
	const struct tw_user		*user;
	long long			 number;
	const struct tw_item_new	*in;
	unsigned long long		 id;
};

static enum tw_err
add_item_txn(void *ctx)
{
	struct add_item	*c = ctx;
	struct tw_rows	*r;
	long long	 ticket_id;
	enum tw_err	 rc;

	/* Members who read along see the ticket but may not write to it. */
	rc = tw_db_query(c->arena, sql[SQL_LOCK], &r,
	    TW_ARGS(TW_I(c->user->id), TW_I(c->number)));
	if (rc != TW_OK)
		return rc;
	if (r->nrows == 0)
		return TW_ERR_NOTFOUND;
	if (strcmp(tw_rows_str(r, 0, "role"), "handles") != 0)
		return TW_ERR_FORBIDDEN;
	ticket_id = tw_rows_int(r, 0, "id", 0);

	rc = insert_item(ticket_id, c->user->id, c->in->kind,
	    c->in->customer_visible, c->in->body, &c->id);
	if (rc == TW_OK)
		rc = tw_attachment_link((long long)c->id, c->in->attachments,
		    c->in->nattachments);
	if (rc == TW_OK && c->in->kind == TW_ITEM_EMAIL_OUT)
		rc = tw_reply_queue(c->arena, ticket_id, (long long)c->id,
		    c->in->to, c->in->cc, c->in->body);
	if (rc != TW_OK)
		return rc;
	rc = tw_alert_item(c->arena, ticket_id, (long long)c->id,
	    c->user->id);
	if (rc != TW_OK)
		return rc;

	/* Changes sent with the item bump the version themselves. */
	if (c->in->change != NULL) {
		rc = tw_ticket_change_locked(c->arena, c->user, ticket_id,
		    c->in->change);
		if (rc != TW_OK || c->in->change->nchanged > 0)
			return rc;
	}
	return tw_db_exec(sql[SQL_TOUCH], NULL, NULL,
	    TW_ARGS(TW_I(ticket_id)));
}

enum tw_err
tw_ticket_add_item(struct tw_arena *a, const struct tw_user *user,
    long long number, const struct tw_item_new *in, long long *item_id)
{
	struct add_item	c = { a, user, number, in, 0 };
	enum tw_err	rc;

	rc = tw_db_txn(add_item_txn, &c);
	if (item_id != NULL)
		*item_id = (long long)c.id;
	return rc;
}
