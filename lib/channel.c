/*
 * channel.c: channel membership queries.
 */
#include "config.h"

#include "alert.h"
#include "arena.h"
#include "channel.h"
#include "db.h"
#include "refdata.h"

enum {
	SQL_HANDLES,
	SQL_LIST,
	SQL_GET,
	SQL_ADD,
	SQL_MEMBERS,
	SQL_MEMBER_SET,
	SQL_MEMBER_REMOVE,
	SQL__MAX
};

static const char *const sql[SQL__MAX] = {
	[SQL_HANDLES] =
	    "SELECT 1 FROM channel_members WHERE user_id = ? "
	    "AND channel_id = ? AND role = 'handles'",
	[SQL_LIST] =
	    "SELECT c.id, c.name, c.email, "
	    "SUM(m.role = 'handles') AS handlers, "
	    "SUM(m.role = 'reads') AS readers "
	    "FROM channels c LEFT JOIN channel_members m "
	    "ON m.channel_id = c.id GROUP BY c.id ORDER BY c.name",
	[SQL_GET] =
	    "SELECT id, name, email FROM channels WHERE id = ?",
	[SQL_ADD] =
	    "INSERT INTO channels (name, email) VALUES (?, NULLIF(?, ''))",
	[SQL_MEMBERS] =
	    "SELECT u.id AS user_id, u.login, u.name, m.role, m.subscription "
	    "FROM channel_members m JOIN users u ON u.id = m.user_id "
	    "WHERE m.channel_id = ? ORDER BY m.role, u.name",
	[SQL_MEMBER_SET] =
	    "INSERT INTO channel_members (channel_id, user_id, role, "
	    "subscription) SELECT c.id, u.id, ?, ? FROM channels c, users u "
	    "WHERE c.id = ? AND u.id = ? "
	    "ON DUPLICATE KEY UPDATE role = VALUES(role), "
	    "subscription = VALUES(subscription)",
	[SQL_MEMBER_REMOVE] =
	    "DELETE FROM channel_members WHERE channel_id = ? AND user_id = ?",
};

enum tw_err
tw_channel_handled(struct tw_arena *a, long long user_id,
    struct tw_rows **out)
{
	return tw_refdata_user_channels(a, user_id, 1, out);
}

enum tw_err
tw_channel_check_handles(struct tw_arena *a, long long user_id,
    long long channel_id)
{
	struct tw_rows	*r;
	enum tw_err	 rc;

	rc = tw_db_query(a, sql[SQL_HANDLES], &r,
	    TW_ARGS(TW_I(user_id), TW_I(channel_id)));
	if (rc != TW_OK)
		return rc;
	return r->nrows == 1 ? TW_OK : TW_ERR_NOTFOUND;
}

enum tw_err
tw_channel_list(struct tw_arena *a, struct tw_rows **out)
{
	return tw_db_query(a, sql[SQL_LIST], out, TW_NOARGS);
}

enum tw_err
tw_channel_get(struct tw_arena *a, long long id, struct tw_rows **out)
{
	enum tw_err	rc;

	rc = tw_db_query(a, sql[SQL_GET], out, TW_ARGS(TW_I(id)));
	if (rc == TW_OK && (*out)->nrows == 0)
		return TW_ERR_NOTFOUND;
	return rc;
}

enum tw_err
tw_channel_add(const char *name, const char *email, long long *id)
{
	unsigned long long	new_id = 0;
	enum tw_err		rc;

	rc = tw_db_exec(sql[SQL_ADD], NULL, &new_id,
	    TW_ARGS(TW_S(name), TW_S(email)));
	*id = (long long)new_id;
	tw_refdata_changed();
	return rc;
}

enum tw_err
tw_channel_members(struct tw_arena *a, long long id, struct tw_rows **out)
{
	return tw_db_query(a, sql[SQL_MEMBERS], out, TW_ARGS(TW_I(id)));
}

enum tw_err
tw_channel_member_set(long long channel_id, long long user_id,
    const char *role, const char *subscription)
{
	unsigned long long	n = 0;
	enum tw_err		rc;

	rc = tw_db_exec(sql[SQL_MEMBER_SET], &n, NULL, TW_ARGS(TW_S(role),
	    TW_S(subscription), TW_I(channel_id), TW_I(user_id)));
	tw_refdata_changed();
	if (rc == TW_OK && n == 0) {
		struct tw_arena	*a = tw_arena_new();
		struct tw_rows	*r;

		/* Nothing changed: an identical membership, or no such
		 * channel or agent. */
		rc = tw_channel_members(a, channel_id, &r);
		if (rc == TW_OK) {
			size_t i;

			rc = TW_ERR_NOTFOUND;
			for (i = 0; i < r->nrows; i++)
				if (tw_rows_int(r, i, "user_id", 0) ==
				    user_id)
					rc = TW_OK;
		}
		tw_arena_free(a);
	}
	return rc;
}

struct leave {
	long long	channel_id;
	long long	user_id;
};

/* Ends the membership and marks read what the agent can no longer see. */
static enum tw_err
leave_txn(void *ctx)
{
	struct leave		*l = ctx;
	unsigned long long	 n = 0;
	enum tw_err		 rc;

	rc = tw_db_exec(sql[SQL_MEMBER_REMOVE], &n, NULL,
	    TW_ARGS(TW_I(l->channel_id), TW_I(l->user_id)));
	if (rc != TW_OK)
		return rc;
	if (n == 0)
		return TW_ERR_NOTFOUND;
	return tw_alert_forget_channel(l->user_id, l->channel_id);
}

enum tw_err
tw_channel_member_remove(long long channel_id, long long user_id)
{
	struct leave	l = { channel_id, user_id };
	enum tw_err	rc;

	rc = tw_db_txn(leave_txn, &l);
	tw_refdata_changed();
	return rc;
}
