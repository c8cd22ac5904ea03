/*
 * workflow.c: permitted status transitions per channel, and the agents
 * a channel's tickets may have as owner or assignee.
 */
#include "config.h"

#include "arena.h"
#include "db.h"
#include "refdata.h"
#include "workflow.h"

enum {
	SQL_COUNT,
	SQL_PERMITS,
	SQL_LIST,
	SQL_CLEAR,
	SQL_INSERT,
	SQL_STATUS,
	SQL_CHANNELS,
	SQL__MAX
};

static const char *const sql[SQL__MAX] = {
	[SQL_COUNT] =
	    "SELECT COUNT(*) AS n FROM workflow_transitions "
	    "WHERE channel_id = ?",
	[SQL_PERMITS] =
	    "SELECT 1 FROM workflow_transitions WHERE channel_id = ? "
	    "AND from_status_id = ? AND to_status_id = ?",
	[SQL_LIST] =
	    "SELECT from_status_id AS from_id, to_status_id AS to_id "
	    "FROM workflow_transitions WHERE channel_id = ?",
	[SQL_CLEAR] =
	    "DELETE FROM workflow_transitions WHERE channel_id = ?",
	[SQL_INSERT] =
	    "INSERT INTO workflow_transitions (channel_id, from_status_id, "
	    "to_status_id) VALUES (?, ?, ?)",
	[SQL_STATUS] =
	    "SELECT 1 FROM statuses WHERE id = ?",
	[SQL_CHANNELS] =
	    "SELECT c.id, c.name, EXISTS (SELECT 1 FROM workflow_transitions w "
	    "WHERE w.channel_id = c.id) AS own FROM channels c ORDER BY c.name",
};

/* Whether the channel has transitions of its own. */
static enum tw_err
has_own(struct tw_arena *a, long long channel_id, int *own)
{
	struct tw_rows	*r;
	enum tw_err	 rc;

	rc = tw_db_query(a, sql[SQL_COUNT], &r, TW_ARGS(TW_I(channel_id)));
	*own = rc == TW_OK && tw_rows_int(r, 0, "n", 0) > 0;
	return rc;
}

enum tw_err
tw_workflow_allowed(struct tw_arena *a, long long channel_id,
    long long from_status, struct tw_rows **out)
{
	return tw_refdata_next_statuses(a, channel_id, from_status, out);
}

enum tw_err
tw_workflow_permits(struct tw_arena *a, long long channel_id,
    long long from, long long to, int *ok)
{
	struct tw_rows	*r;
	enum tw_err	 rc;
	int		 own;

	*ok = 0;
	if ((rc = has_own(a, channel_id, &own)) != TW_OK)
		return rc;
	if (!own) {
		*ok = from != to;
		return TW_OK;
	}
	rc = tw_db_query(a, sql[SQL_PERMITS], &r,
	    TW_ARGS(TW_I(channel_id), TW_I(from), TW_I(to)));
	*ok = rc == TW_OK && r->nrows > 0;
	return rc;
}

enum tw_err
tw_workflow_list(struct tw_arena *a, long long channel_id,
    struct tw_rows **out)
{
	return tw_db_query(a, sql[SQL_LIST], out, TW_ARGS(TW_I(channel_id)));
}

struct set {
	struct tw_arena			*arena;
	long long			 channel_id;
	const struct tw_transition	*t;
	size_t				 n;
};

static enum tw_err
status_exists(struct tw_arena *a, long long id)
{
	struct tw_rows	*r;
	enum tw_err	 rc;

	rc = tw_db_query(a, sql[SQL_STATUS], &r, TW_ARGS(TW_I(id)));
	if (rc == TW_OK && r->nrows == 0)
		rc = TW_ERR_INVALID;
	return rc;
}

static enum tw_err
set_txn(void *ctx)
{
	struct set	*c = ctx;
	size_t		 i;
	enum tw_err	 rc;

	rc = tw_db_exec(sql[SQL_CLEAR], NULL, NULL,
	    TW_ARGS(TW_I(c->channel_id)));
	for (i = 0; rc == TW_OK && i < c->n; i++) {
		if (c->t[i].from == c->t[i].to)
			return TW_ERR_INVALID;
		if ((rc = status_exists(c->arena, c->t[i].from)) != TW_OK ||
		    (rc = status_exists(c->arena, c->t[i].to)) != TW_OK)
			return rc;
		rc = tw_db_exec(sql[SQL_INSERT], NULL, NULL,
		    TW_ARGS(TW_I(c->channel_id), TW_I(c->t[i].from),
		    TW_I(c->t[i].to)));
		/* The same pair twice is one permission, not an error. */
		if (rc == TW_ERR_CONFLICT)
			rc = TW_OK;
	}
	return rc;
}

enum tw_err
tw_workflow_set(struct tw_arena *a, long long channel_id,
    const struct tw_transition *t, size_t n)
{
	struct set	c = { a, channel_id, t, n };
	enum tw_err	rc;

	rc = tw_db_txn(set_txn, &c);
	tw_refdata_changed();
	return rc;
}

enum tw_err
tw_workflow_agents(struct tw_arena *a, long long channel_id,
    struct tw_rows **out)
{
	return tw_refdata_channel_agents(a, channel_id, out);
}

enum tw_err
tw_workflow_channels(struct tw_arena *a, struct tw_rows **out)
{
	return tw_db_query(a, sql[SQL_CHANNELS], out, TW_NOARGS);
}
