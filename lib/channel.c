/*
 * channel.c: channel membership queries.
 */
#include "config.h"

#include "channel.h"
#include "db.h"

enum {
	SQL_HANDLED,
	SQL_HANDLES,
	SQL__MAX
};

static const char *const sql[SQL__MAX] = {
	[SQL_HANDLED] =
	    "SELECT c.id, c.name FROM channels c JOIN channel_members m "
	    "ON m.channel_id = c.id WHERE m.user_id = ? "
	    "AND m.role = 'handles' ORDER BY c.name",
	[SQL_HANDLES] =
	    "SELECT 1 FROM channel_members WHERE user_id = ? "
	    "AND channel_id = ? AND role = 'handles'",
};

enum tw_err
tw_channel_handled(struct tw_arena *a, long long user_id,
    struct tw_rows **out)
{
	return tw_db_query(a, sql[SQL_HANDLED], out,
	    TW_ARGS(TW_I(user_id)));
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
