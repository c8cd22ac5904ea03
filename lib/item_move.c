/*
 * item_move.c: moving and copying items between tickets.
 */
#include "config.h"

#include <string.h>

#include "db.h"
#include "item_move.h"
#include "request.h"

enum {
	SQL_LOCK,
	SQL_ITEM,
	SQL_MOVE,
	SQL_COPY,
	SQL_COPY_LINKS,
	SQL_TOUCH,
	SQL_NOTE,
	SQL__MAX
};

static const char *const sql[SQL__MAX] = {
	[SQL_LOCK] =
	    "SELECT t.id, m.role FROM tickets t "
	    "JOIN channel_members m ON m.channel_id = t.channel_id "
	    "AND m.user_id = ? "
	    "WHERE t.number = ? FOR UPDATE",
	[SQL_ITEM] =
	    "SELECT id FROM items WHERE id = ? AND ticket_id = ? FOR UPDATE",
	[SQL_MOVE] =
	    "UPDATE items SET ticket_id = ? WHERE id = ?",
	[SQL_COPY] =
	    "INSERT INTO items (ticket_id, kind, visibility, author_id, body, "
	    "body_html, auto_submitted, mail_from, mail_from_name, mail_to, "
	    "mail_cc, created_at) SELECT ?, kind, visibility, author_id, body, "
	    "body_html, auto_submitted, mail_from, mail_from_name, mail_to, "
	    "mail_cc, created_at FROM items WHERE id = ?",
	[SQL_COPY_LINKS] =
	    "INSERT INTO item_attachments (item_id, attachment_id, filename, "
	    "content_id) SELECT ?, attachment_id, filename, content_id "
	    "FROM item_attachments WHERE item_id = ? ORDER BY id",
	[SQL_TOUCH] =
	    "UPDATE tickets SET updated_at = UTC_TIMESTAMP(6), "
	    "version = version + 1 WHERE id = ?",
	[SQL_NOTE] =
	    "INSERT INTO items (ticket_id, kind, visibility, author_id, body) "
	    "VALUES (?, 'system', 'internal', ?, ?)",
};

struct move {
	struct tw_arena		*arena;
	const struct tw_user	*user;
	long long		 number, item_id, target;
	enum tw_item_move_mode	 mode;
	const char		*note_from, *note_to;
	long long		 new_id;
};

/* Locks a ticket the user handles; *id gets its row id. */
static enum tw_err
lock_ticket(struct move *c, long long number, long long *id)
{
	struct tw_rows	*r;
	enum tw_err	 rc;

	rc = tw_db_query(c->arena, sql[SQL_LOCK], &r,
	    TW_ARGS(TW_I(c->user->id), TW_I(number)));
	if (rc != TW_OK)
		return rc;
	if (r->nrows == 0)
		return TW_ERR_NOTFOUND;
	if (strcmp(tw_rows_str(r, 0, "role"), "handles") != 0)
		return TW_ERR_FORBIDDEN;
	*id = tw_rows_int(r, 0, "id", 0);
	return TW_OK;
}

static enum tw_err
copy_item(long long item_id, long long to, long long *new_id)
{
	unsigned long long	id;
	enum tw_err		rc;

	rc = tw_db_exec(sql[SQL_COPY], NULL, &id,
	    TW_ARGS(TW_I(to), TW_I(item_id)));
	if (rc != TW_OK)
		return rc;
	*new_id = (long long)id;
	return tw_db_exec(sql[SQL_COPY_LINKS], NULL, NULL,
	    TW_ARGS(TW_I(*new_id), TW_I(item_id)));
}

/* Records what happened on ticket id, when there is something to say. */
static enum tw_err
note(struct move *c, long long id, const char *text)
{
	if (text == NULL)
		return TW_OK;
	return tw_db_exec(sql[SQL_NOTE], NULL, NULL,
	    TW_ARGS(TW_I(id), TW_I(c->user->id), TW_S(text)));
}

static enum tw_err
move_txn(void *ctx)
{
	struct move	*c = ctx;
	struct tw_rows	*r;
	long long	 from = 0, to = 0, first, second;
	enum tw_err	 rc;

	/* Both tickets in number order, so two opposite moves cannot
	 * deadlock each other. */
	first = c->number < c->target ? c->number : c->target;
	second = c->number < c->target ? c->target : c->number;
	if ((rc = lock_ticket(c, first, first == c->number ? &from : &to)) !=
	    TW_OK)
		return rc;
	if ((rc = lock_ticket(c, second, second == c->number ? &from :
	    &to)) != TW_OK)
		return rc;

	rc = tw_db_query(c->arena, sql[SQL_ITEM], &r,
	    TW_ARGS(TW_I(c->item_id), TW_I(from)));
	if (rc != TW_OK)
		return rc;
	if (r->nrows == 0)
		return TW_ERR_NOTFOUND;

	if (c->mode == TW_ITEM_COPY)
		rc = copy_item(c->item_id, to, &c->new_id);
	else {
		rc = tw_db_exec(sql[SQL_MOVE], NULL, NULL,
		    TW_ARGS(TW_I(to), TW_I(c->item_id)));
		c->new_id = c->item_id;
	}
	if (rc != TW_OK)
		return rc;

	if ((rc = note(c, from, c->note_from)) != TW_OK ||
	    (rc = note(c, to, c->note_to)) != TW_OK)
		return rc;
	if ((rc = tw_db_exec(sql[SQL_TOUCH], NULL, NULL,
	    TW_ARGS(TW_I(to)))) != TW_OK)
		return rc;
	return tw_db_exec(sql[SQL_TOUCH], NULL, NULL, TW_ARGS(TW_I(from)));
}

enum tw_err
tw_item_move(struct tw_arena *a, const struct tw_user *user,
    long long number, long long item_id, long long target,
    enum tw_item_move_mode mode, const char *note_from, const char *note_to,
    long long *new_id)
{
	struct move	c = { a, user, number, item_id, target, mode, note_from,
	    note_to, 0 };
	enum tw_err	rc;

	if (number == target)
		return TW_ERR_INVALID;
	rc = tw_db_txn(move_txn, &c);
	if (new_id != NULL)
		*new_id = rc == TW_OK ? c.new_id : 0;
	return rc;
}
