/*
 * watch.c: ticket watchers, agents and channels.
 */
#include "config.h"

#include <stddef.h>

#include "db.h"
#include "refdata.h"
#include "request.h"
#include "watch.h"

enum {
	SQL_ADD_USER,
	SQL_ADD_CHANNEL,
	SQL_TICKET,
	SQL_MEMBER,
	SQL_LOGIN_MEMBER,
	SQL_REMOVE_USER,
	SQL_REMOVE_CHANNEL,
	SQL_LIST,
	SQL__MAX
};

static const char *const sql[SQL__MAX] = {
	[SQL_ADD_USER] =
	    "INSERT INTO ticket_watchers (ticket_id, user_id, added_by) "
	    "VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE ticket_id = ticket_id",
	[SQL_ADD_CHANNEL] =
	    "INSERT INTO ticket_watchers (ticket_id, channel_id, added_by) "
	    "VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE ticket_id = ticket_id",
	/* The ticket, if the acting user is a member of its channel. */
	[SQL_TICKET] =
	    "SELECT t.id, t.channel_id FROM tickets t "
	    "JOIN channel_members m ON m.channel_id = t.channel_id "
	    "AND m.user_id = ? WHERE t.number = ?",
	[SQL_MEMBER] =
	    "SELECT 1 FROM channel_members WHERE user_id = ? "
	    "AND channel_id = ?",
	/* An active agent by login who is a member of the channel. */
	[SQL_LOGIN_MEMBER] =
	    "SELECT u.id FROM users u JOIN channel_members m "
	    "ON m.user_id = u.id AND m.channel_id = ? "
	    "WHERE u.login = ? AND u.active = 1",
	[SQL_REMOVE_USER] =
	    "DELETE w FROM ticket_watchers w JOIN users u "
	    "ON u.id = w.user_id WHERE w.ticket_id = ? AND u.login = ?",
	[SQL_REMOVE_CHANNEL] =
	    "DELETE FROM ticket_watchers WHERE ticket_id = ? "
	    "AND channel_id = ?",
	[SQL_LIST] =
	    "SELECT IF(w.user_id IS NULL, 'channel', 'user') AS kind, "
	    "w.user_id, u.login, w.channel_id, "
	    "COALESCE(u.name, c.name) AS name "
	    "FROM ticket_watchers w "
	    "LEFT JOIN users u ON u.id = w.user_id "
	    "LEFT JOIN channels c ON c.id = w.channel_id "
	    "WHERE w.ticket_id = ? "
	    "ORDER BY w.user_id IS NULL, COALESCE(u.name, c.name)",
};

enum tw_err
tw_watch_add_user(long long ticket_id, long long user_id)
{
	return tw_db_exec(sql[SQL_ADD_USER], NULL, NULL,
	    TW_ARGS(TW_I(ticket_id), TW_I(user_id), TW_I(user_id)));
}

/* The id and channel of a ticket user may see; TW_ERR_NOTFOUND if none. */
static enum tw_err
visible(struct tw_arena *a, const struct tw_user *user, long long number,
    long long *ticket_id, long long *channel_id)
{
	struct tw_rows	*r;
	enum tw_err	 rc;

	rc = tw_db_query(a, sql[SQL_TICKET], &r,
	    TW_ARGS(TW_I(user->id), TW_I(number)));
	if (rc != TW_OK)
		return rc;
	if (r->nrows == 0)
		return TW_ERR_NOTFOUND;
	*ticket_id = tw_rows_int(r, 0, "id", 0);
	*channel_id = tw_rows_int(r, 0, "channel_id", 0);
	return TW_OK;
}

/* TW_OK when user_id belongs to channel_id, else TW_ERR_INVALID. */
static enum tw_err
member(struct tw_arena *a, long long user_id, long long channel_id)
{
	struct tw_rows	*r;
	enum tw_err	 rc;

	rc = tw_db_query(a, sql[SQL_MEMBER], &r,
	    TW_ARGS(TW_I(user_id), TW_I(channel_id)));
	if (rc != TW_OK)
		return rc;
	return r->nrows == 1 ? TW_OK : TW_ERR_INVALID;
}

enum tw_err
tw_watch_add(struct tw_arena *a, const struct tw_user *user,
    long long number, const struct tw_watch_target *t)
{
	struct tw_rows	*r;
	long long	 ticket_id, channel_id;
	enum tw_err	 rc;

	if ((rc = visible(a, user, number, &ticket_id, &channel_id)) != TW_OK)
		return rc;

	/* A channel watches only when the user belongs to it, so channel
	 * ids cannot be probed. */
	if (t->login == NULL) {
		if ((rc = member(a, user->id, t->channel_id)) != TW_OK)
			return rc;
		return tw_db_exec(sql[SQL_ADD_CHANNEL], NULL, NULL,
		    TW_ARGS(TW_I(ticket_id), TW_I(t->channel_id),
		    TW_I(user->id)));
	}

	rc = tw_db_query(a, sql[SQL_LOGIN_MEMBER], &r,
	    TW_ARGS(TW_I(channel_id), TW_S(t->login)));
	if (rc != TW_OK)
		return rc;
	if (r->nrows == 0)
		return TW_ERR_INVALID;
	return tw_db_exec(sql[SQL_ADD_USER], NULL, NULL,
	    TW_ARGS(TW_I(ticket_id), TW_I(tw_rows_int(r, 0, "id", 0)),
	    TW_I(user->id)));
}

enum tw_err
tw_watch_remove(struct tw_arena *a, const struct tw_user *user,
    long long number, const struct tw_watch_target *t)
{
	unsigned long long	 n = 0;
	long long		 ticket_id, channel_id;
	enum tw_err		 rc;

	if ((rc = visible(a, user, number, &ticket_id, &channel_id)) != TW_OK)
		return rc;

	if (t->login == NULL)
		rc = tw_db_exec(sql[SQL_REMOVE_CHANNEL], &n, NULL,
		    TW_ARGS(TW_I(ticket_id), TW_I(t->channel_id)));
	else
		rc = tw_db_exec(sql[SQL_REMOVE_USER], &n, NULL,
		    TW_ARGS(TW_I(ticket_id), TW_S(t->login)));
	if (rc != TW_OK)
		return rc;
	return n > 0 ? TW_OK : TW_ERR_NOTFOUND;
}

enum tw_err
tw_watch_list(struct tw_arena *a, long long ticket_id, struct tw_rows **out)
{
	return tw_db_query(a, sql[SQL_LIST], out, TW_ARGS(TW_I(ticket_id)));
}

enum tw_err
tw_watch_agents(struct tw_arena *a, long long channel_id,
    struct tw_rows **agents)
{
	enum tw_err	rc;

	if ((rc = tw_refdata_channel_agents(a, channel_id, agents)) != TW_OK)
		return rc;
	(*agents)->names[0] = "user_id";
	return TW_OK;
}

enum tw_err
tw_watch_channels(struct tw_arena *a, long long user_id,
    struct tw_rows **channels)
{
	return tw_refdata_user_channels(a, user_id, 0, channels);
}
