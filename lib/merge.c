/*
 * merge.c: merging and splitting tickets, each in one transaction.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "db.h"
#include "merge.h"
#include "request.h"

#define RESOLVE_HOPS	8	/* merges followed before giving up */
#define SPLIT_MAX	500	/* items one split may move */

enum {
	SQL_LOCK,
	SQL_MOVE_ALL,
	SQL_CLOSE_MERGED,
	SQL_TOUCH,
	SQL_SYSTEM_ITEM,
	SQL_RESOLVE,
	SQL_ITEM_OF,
	SQL_ITEM_COUNT,
	SQL_MOVE_ONE,
	SQL_SPLIT_INSERT,
	SQL_NUMBER,
	SQL__MAX
};

static const char *const sql[SQL__MAX] = {
	/* Locks in id order, so two merges of the same pair cannot
	 * deadlock each other. */
	[SQL_LOCK] =
	    "SELECT t.id, t.number, t.merged_into, t.channel_id, t.type, "
	    "t.priority, t.organisation_id, t.contact_id, m.role "
	    "FROM tickets t JOIN channel_members m "
	    "ON m.channel_id = t.channel_id AND m.user_id = ? "
	    "WHERE t.number IN (?, ?) ORDER BY t.id FOR UPDATE",
	[SQL_MOVE_ALL] =
	    "UPDATE items SET ticket_id = ? WHERE ticket_id = ?",
	[SQL_CLOSE_MERGED] =
	    "UPDATE tickets SET merged_into = ?, "
	    "status_id = (SELECT id FROM statuses WHERE code = 'closed'), "
	    "version = version + 1, updated_at = UTC_TIMESTAMP(6) "
	    "WHERE id = ?",
	[SQL_TOUCH] =
	    "UPDATE tickets SET version = version + 1, "
	    "updated_at = UTC_TIMESTAMP(6) WHERE id = ?",
	[SQL_SYSTEM_ITEM] =
	    "INSERT INTO items (ticket_id, kind, visibility, author_id, body) "
	    "VALUES (?, 'system', 'internal', ?, ?)",
	[SQL_RESOLVE] =
	    "SELECT mt.number AS target FROM tickets t "
	    "JOIN channel_members m ON m.channel_id = t.channel_id "
	    "AND m.user_id = ? "
	    "LEFT JOIN tickets mt ON mt.id = t.merged_into "
	    "WHERE t.number = ?",
	[SQL_ITEM_OF] =
	    "SELECT 1 FROM items WHERE id = ? AND ticket_id = ? "
	    "AND kind <> 'system'",
	[SQL_ITEM_COUNT] =
	    "SELECT COUNT(*) AS n FROM items WHERE ticket_id = ? "
	    "AND kind <> 'system'",
	[SQL_MOVE_ONE] =
	    "UPDATE items SET ticket_id = ? WHERE id = ? AND ticket_id = ?",
	[SQL_SPLIT_INSERT] =
	    "INSERT INTO tickets (number, type, subject, channel_id, "
	    "status_id, priority, organisation_id, contact_id, owner_id, "
	    "created_by, split_from) VALUES (NEXT VALUE FOR ticket_numbers, "
	    "?, ?, ?, (SELECT id FROM statuses WHERE code = 'new'), ?, ?, ?, "
	    "?, ?, ?)",
	[SQL_NUMBER] =
	    "SELECT number FROM tickets WHERE id = ?",
};

/* Records event about other_number on ticket_id as a system item. */
static enum tw_err
record(long long ticket_id, long long user_id, const char *event,
    long long other_number)
{
	char	body[96];

	snprintf(body, sizeof(body), "{\"event\":\"%s\",\"number\":%lld}",
	    event, other_number);
	return tw_db_exec(sql[SQL_SYSTEM_ITEM], NULL, NULL,
	    TW_ARGS(TW_I(ticket_id), TW_I(user_id), TW_S(body)));
}

/* The locked row of number in r, or -1. */
static long
row_of(const struct tw_rows *r, long long number)
{
	size_t	i;

	for (i = 0; i < r->nrows; i++)
		if (tw_rows_int(r, i, "number", 0) == number)
			return (long)i;
	return -1;
}

/* Both tickets must be visible, handled by the agent, and not merged. */
static enum tw_err
check_pair(const struct tw_rows *r, long long a, long long b, long *ra,
    long *rb)
{
	if ((*ra = row_of(r, a)) < 0 || (*rb = row_of(r, b)) < 0)
		return TW_ERR_NOTFOUND;
	if (strcmp(tw_rows_str(r, (size_t)*ra, "role"), "handles") != 0 ||
	    strcmp(tw_rows_str(r, (size_t)*rb, "role"), "handles") != 0)
		return TW_ERR_FORBIDDEN;
	if (tw_rows_str(r, (size_t)*ra, "merged_into") != NULL ||
	    tw_rows_str(r, (size_t)*rb, "merged_into") != NULL)
		return TW_ERR_INVALID;
	return TW_OK;
}

struct merge {
	struct tw_arena		*arena;
	const struct tw_user	*user;
	long long		 source, target;
};

static enum tw_err
merge_txn(void *ctx)
{
	struct merge	*c = ctx;
	struct tw_rows	*r;
	long long	 sid, tid, uid = c->user->id;
	long		 rs, rt;
	enum tw_err	 rc;

	rc = tw_db_query(c->arena, sql[SQL_LOCK], &r, TW_ARGS(TW_I(uid),
	    TW_I(c->source), TW_I(c->target)));
	if (rc != TW_OK)
		return rc;
	if ((rc = check_pair(r, c->source, c->target, &rs, &rt)) != TW_OK)
		return rc;
	sid = tw_rows_int(r, (size_t)rs, "id", 0);
	tid = tw_rows_int(r, (size_t)rt, "id", 0);

	if ((rc = tw_db_exec(sql[SQL_MOVE_ALL], NULL, NULL,
	    TW_ARGS(TW_I(tid), TW_I(sid)))) != TW_OK ||
	    (rc = tw_db_exec(sql[SQL_CLOSE_MERGED], NULL, NULL,
	    TW_ARGS(TW_I(tid), TW_I(sid)))) != TW_OK ||
	    (rc = tw_db_exec(sql[SQL_TOUCH], NULL, NULL,
	    TW_ARGS(TW_I(tid)))) != TW_OK)
		return rc;

	if ((rc = record(tid, uid, "merged_from", c->source)) != TW_OK)
		return rc;
	return record(sid, uid, "merged_into", c->target);
}

enum tw_err
tw_ticket_merge(struct tw_arena *a, const struct tw_user *user,
    long long source, long long target)
{
	struct merge	c = { a, user, source, target };

	if (source == target)
		return TW_ERR_INVALID;
	return tw_db_txn(merge_txn, &c);
}

struct split {
	struct tw_arena		*arena;
	const struct tw_user	*user;
	long long		 source;
	const long long		*items;
	size_t			 nitems;
	const char		*subject;
	long long		 number;
};

/* Every chosen id is a non-system item of the source, and some stay. */
static enum tw_err
check_items(struct split *c, long long sid)
{
	struct tw_rows	*r;
	size_t		 i;
	enum tw_err	 rc;

	for (i = 0; i < c->nitems; i++) {
		rc = tw_db_query(c->arena, sql[SQL_ITEM_OF], &r,
		    TW_ARGS(TW_I(c->items[i]), TW_I(sid)));
		if (rc != TW_OK)
			return rc;
		if (r->nrows == 0)
			return TW_ERR_INVALID;
	}
	rc = tw_db_query(c->arena, sql[SQL_ITEM_COUNT], &r,
	    TW_ARGS(TW_I(sid)));
	if (rc != TW_OK)
		return rc;
	return tw_rows_int(r, 0, "n", 0) > (long long)c->nitems ? TW_OK :
	    TW_ERR_INVALID;
}

static enum tw_err
split_insert(struct split *c, const struct tw_rows *r, long *id)
{
	unsigned long long	 new_id;
	struct tw_rows		*n;
	const char		*org = tw_rows_str(r, 0, "organisation_id");
	const char		*contact = tw_rows_str(r, 0, "contact_id");
	enum tw_err		 rc;

	rc = tw_db_exec(sql[SQL_SPLIT_INSERT], NULL, &new_id, TW_ARGS(
	    TW_S(tw_rows_str(r, 0, "type")), TW_S(c->subject),
	    TW_I(tw_rows_int(r, 0, "channel_id", 0)),
	    TW_I(tw_rows_int(r, 0, "priority", 5)),
	    org ? TW_I(tw_rows_int(r, 0, "organisation_id", 0)) : TW_NULLARG,
	    contact ? TW_I(tw_rows_int(r, 0, "contact_id", 0)) : TW_NULLARG,
	    TW_I(c->user->id), TW_I(c->user->id),
	    TW_I(tw_rows_int(r, 0, "id", 0))));
	if (rc != TW_OK)
		return rc;
	*id = (long)new_id;
	rc = tw_db_query(c->arena, sql[SQL_NUMBER], &n,
	    TW_ARGS(TW_I((long long)new_id)));
	if (rc == TW_OK)
		c->number = tw_rows_int(n, 0, "number", 0);
	return rc;
}

static enum tw_err
split_txn(void *ctx)
{
	struct split	*c = ctx;
	struct tw_rows	*r;
	long long	 sid, uid = c->user->id;
	long		 nid;
	size_t		 i;
	enum tw_err	 rc;

	/* The same number twice locks the one ticket. */
	rc = tw_db_query(c->arena, sql[SQL_LOCK], &r, TW_ARGS(TW_I(uid),
	    TW_I(c->source), TW_I(c->source)));
	if (rc != TW_OK)
		return rc;
	if (r->nrows == 0)
		return TW_ERR_NOTFOUND;
	if (strcmp(tw_rows_str(r, 0, "role"), "handles") != 0)
		return TW_ERR_FORBIDDEN;
	if (tw_rows_str(r, 0, "merged_into") != NULL)
		return TW_ERR_INVALID;
	sid = tw_rows_int(r, 0, "id", 0);

	if ((rc = check_items(c, sid)) != TW_OK)
		return rc;
	if ((rc = split_insert(c, r, &nid)) != TW_OK)
		return rc;
	for (i = 0; i < c->nitems; i++)
		if ((rc = tw_db_exec(sql[SQL_MOVE_ONE], NULL, NULL, TW_ARGS(
		    TW_I(nid), TW_I(c->items[i]), TW_I(sid)))) != TW_OK)
			return rc;
	if ((rc = tw_db_exec(sql[SQL_TOUCH], NULL, NULL,
	    TW_ARGS(TW_I(sid)))) != TW_OK)
		return rc;

	if ((rc = record(nid, uid, "split_from", c->source)) != TW_OK)
		return rc;
	return record(sid, uid, "split_to", c->number);
}

enum tw_err
tw_ticket_split(struct tw_arena *a, const struct tw_user *user,
    long long source, const long long *items, size_t nitems,
    const char *subject, long long *number)
{
	struct split	c = { a, user, source, items, nitems, subject, 0 };
	enum tw_err	rc;

	if (nitems == 0 || nitems > SPLIT_MAX)
		return TW_ERR_INVALID;
	rc = tw_db_txn(split_txn, &c);
	*number = c.number;
	return rc;
}

long long
tw_ticket_resolve(struct tw_arena *a, const struct tw_user *user,
    long long number)
{
	struct tw_rows	*r;
	int		 hop;

	for (hop = 0; hop < RESOLVE_HOPS; hop++) {
		if (tw_db_query(a, sql[SQL_RESOLVE], &r, TW_ARGS(
		    TW_I(user->id), TW_I(number))) != TW_OK || r->nrows == 0)
			return 0;
		if (tw_rows_str(r, 0, "target") == NULL)
			return number;
		number = tw_rows_int(r, 0, "target", 0);
	}
	return number;
}
