/*
 * category.c: the categories of each channel.
 */
#include "config.h"

#include "arena.h"
#include "category.h"
#include "db.h"
#include "refdata.h"

enum {
	SQL_CHANNEL_EXISTS,
	SQL_INSERT,
	SQL_RENAME,
	SQL_REMOVE,
	SQL_CHANNEL,
	SQL__MAX
};

static const char *const sql[SQL__MAX] = {
	[SQL_CHANNEL_EXISTS] =
	    "SELECT 1 FROM channels WHERE id = ?",
	[SQL_INSERT] =
	    "INSERT INTO categories (channel_id, name) VALUES (?, ?)",
	[SQL_RENAME] =
	    "UPDATE categories SET name = ? WHERE id = ?",
	[SQL_REMOVE] =
	    "DELETE FROM categories WHERE id = ?",
	[SQL_CHANNEL] =
	    "SELECT channel_id FROM categories WHERE id = ?",
};

enum tw_err
tw_category_list(struct tw_arena *a, long long channel_id,
    struct tw_rows **out)
{
	return tw_refdata_categories(a, channel_id, out);
}

enum tw_err
tw_category_add(struct tw_arena *a, long long channel_id, const char *name,
    long long *id)
{
	struct tw_rows		*r;
	unsigned long long	 new_id = 0;
	enum tw_err		 rc;

	rc = tw_db_query(a, sql[SQL_CHANNEL_EXISTS], &r,
	    TW_ARGS(TW_I(channel_id)));
	if (rc != TW_OK)
		return rc;
	if (r->nrows == 0)
		return TW_ERR_NOTFOUND;
	rc = tw_db_exec(sql[SQL_INSERT], NULL, &new_id,
	    TW_ARGS(TW_I(channel_id), TW_S(name)));
	*id = (long long)new_id;
	tw_refdata_changed();
	return rc;
}

enum tw_err
tw_category_rename(struct tw_arena *a, long long id, const char *name)
{
	long long	channel_id;
	enum tw_err	rc;

	if ((rc = tw_category_channel(a, id, &channel_id)) != TW_OK)
		return rc;
	rc = tw_db_exec(sql[SQL_RENAME], NULL, NULL,
	    TW_ARGS(TW_S(name), TW_I(id)));
	tw_refdata_changed();
	return rc;
}

enum tw_err
tw_category_remove(long long id)
{
	unsigned long long	n = 0;
	enum tw_err		rc;

	rc = tw_db_exec(sql[SQL_REMOVE], &n, NULL, TW_ARGS(TW_I(id)));
	tw_refdata_changed();
	if (rc == TW_OK && n == 0)
		rc = TW_ERR_NOTFOUND;
	return rc;
}

enum tw_err
tw_category_channel(struct tw_arena *a, long long id, long long *channel_id)
{
	struct tw_rows	*r;
	enum tw_err	 rc;

	rc = tw_db_query(a, sql[SQL_CHANNEL], &r, TW_ARGS(TW_I(id)));
	if (rc != TW_OK)
		return rc;
	if (r->nrows == 0)
		return TW_ERR_NOTFOUND;
	*channel_id = tw_rows_int(r, 0, "channel_id", 0);
	return TW_OK;
}
