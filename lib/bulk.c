/*
 * bulk.c: applying one change to many tickets in one transaction.
 *
 * Each ticket goes through the same change as a single one
 * (tw_ticket_change_locked: permitted transitions, history items, a new
 * version), so a bulk change is recorded like any other.
 */
#include "config.h"

#include <string.h>

#include "bulk.h"
#include "db.h"
#include "request.h"
#include "ticket_change.h"

enum {
	SQL_AGENT,
	SQL_STATUS,
	SQL_HANDLES,
	SQL_LOCK,
	SQL__MAX
};

static const char *const sql[SQL__MAX] = {
	[SQL_AGENT] =
	    "SELECT login FROM users WHERE id = ? AND active = 1",
	[SQL_STATUS] =
	    "SELECT id FROM statuses WHERE code = ?",
	[SQL_HANDLES] =
	    "SELECT 1 FROM channel_members WHERE user_id = ? "
	    "AND channel_id = ? AND role = 'handles'",
	/* Visibility first: the join finds only the user's channels. */
	[SQL_LOCK] =
	    "SELECT t.id, m.role FROM tickets t JOIN channel_members m "
	    "ON m.channel_id = t.channel_id AND m.user_id = ? "
	    "WHERE t.number = ? FOR UPDATE",
};

static const char *const action_names[TW_BULK_ACTION__MAX] = {
	[TW_BULK_ASSIGN] = "assign",
	[TW_BULK_STATUS] = "status",
	[TW_BULK_CHANNEL] = "channel",
};

static const char *const result_names[TW_BULK_RESULT__MAX] = {
	[TW_BULK_CHANGED] = "changed",
	[TW_BULK_UNCHANGED] = "unchanged",
	[TW_BULK_NOTFOUND] = "not_found",
	[TW_BULK_FORBIDDEN] = "forbidden",
	[TW_BULK_REFUSED] = "refused",
};

struct bulk {
	struct tw_arena			*arena;
	const struct tw_user		*user;
	const struct tw_bulk_change	*change;
	const long long			*numbers;
	size_t				 n;
	enum tw_bulk_result		*results;
	const char			*login;	/* the assignee's */
};

const char *
tw_bulk_action_name(enum tw_bulk_action a)
{
	return (unsigned)a < TW_BULK_ACTION__MAX ? action_names[a] : "assign";
}

int
tw_bulk_action_parse(const char *s)
{
	int	i;

	for (i = 0; s != NULL && i < TW_BULK_ACTION__MAX; i++)
		if (strcmp(action_names[i], s) == 0)
			return i;
	return -1;
}

const char *
tw_bulk_result_name(enum tw_bulk_result r)
{
	return (unsigned)r < TW_BULK_RESULT__MAX ? result_names[r] :
	    "not_found";
}

/*
 * The id the change sets (user, status or channel), checked: the
 * assignee active, the status known, the channel one the user handles.
 * TW_ERR_INVALID when it is not.
 */
static enum tw_err
resolve_target(struct bulk *b)
{
	const struct tw_bulk_change	*c = b->change;
	struct tw_rows			*r;
	enum tw_err			 rc;

	switch (c->action) {
	case TW_BULK_ASSIGN:
		rc = tw_db_query(b->arena, sql[SQL_AGENT], &r,
		    TW_ARGS(TW_I(c->assignee)));
		if (rc == TW_OK && r->nrows == 1)
			b->login = tw_rows_str(r, 0, "login");
		break;
	case TW_BULK_STATUS:
		rc = tw_db_query(b->arena, sql[SQL_STATUS], &r,
		    TW_ARGS(TW_S(c->status)));
		break;
	case TW_BULK_CHANNEL:
		rc = tw_db_query(b->arena, sql[SQL_HANDLES], &r,
		    TW_ARGS(TW_I(b->user->id), TW_I(c->channel)));
		break;
	default:
		return TW_ERR_INVALID;
	}
	if (rc != TW_OK)
		return rc;
	return r->nrows == 1 ? TW_OK : TW_ERR_INVALID;
}

/*
 * Changes one ticket as b->change says and stores the outcome.  A value
 * the ticket's own rules refuse (a transition its channel's workflow
 * does not permit, an assignee outside its channel) leaves that ticket
 * alone and reports it; the others still change.
 */
static enum tw_err
change_one(struct bulk *b, long long number, enum tw_bulk_result *res)
{
	struct tw_ticket_change	 ch;
	struct tw_rows		*r;
	enum tw_err		 rc;

	rc = tw_db_query(b->arena, sql[SQL_LOCK], &r,
	    TW_ARGS(TW_I(b->user->id), TW_I(number)));
	if (rc != TW_OK)
		return rc;
	if (r->nrows == 0) {
		*res = TW_BULK_NOTFOUND;
		return TW_OK;
	}
	if (strcmp(tw_rows_str(r, 0, "role"), "handles") != 0) {
		*res = TW_BULK_FORBIDDEN;
		return TW_OK;
	}

	tw_ticket_change_init(&ch);
	if (b->change->action == TW_BULK_ASSIGN)
		ch.assignee = b->login;
	else if (b->change->action == TW_BULK_STATUS)
		ch.status = b->change->status;
	else
		ch.channel = b->change->channel;

	rc = tw_ticket_change_locked(b->arena, b->user,
	    tw_rows_int(r, 0, "id", 0), &ch);
	if (rc == TW_ERR_INVALID) {
		*res = TW_BULK_REFUSED;
		return TW_OK;
	}
	if (rc == TW_OK)
		*res = ch.nchanged > 0 ? TW_BULK_CHANGED : TW_BULK_UNCHANGED;
	return rc;
}

static enum tw_err
bulk_txn(void *ctx)
{
	struct bulk	*b = ctx;
	size_t		 i;
	enum tw_err	 rc;

	if ((rc = resolve_target(b)) != TW_OK)
		return rc;
	for (i = 0; i < b->n; i++)
		if ((rc = change_one(b, b->numbers[i], &b->results[i])) !=
		    TW_OK)
			return rc;
	return TW_OK;
}

enum tw_err
tw_bulk_apply(struct tw_arena *a, const struct tw_user *user,
    const struct tw_bulk_change *change, const long long *numbers,
    size_t n, enum tw_bulk_result *results)
{
	struct bulk	b = { a, user, change, numbers, n, results, NULL };

	if ((unsigned)change->action >= TW_BULK_ACTION__MAX)
		return TW_ERR_INVALID;
	return tw_db_txn(bulk_txn, &b);
}
