/*
 * status.c: listing, adding and renaming statuses.
 */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "db.h"
#include "refdata.h"
#include "status.h"

enum {
	SQL_LIST,
	SQL_INSERT,
	SQL_CODE,
	SQL_FIND,
	SQL_RENAME,
	SQL__MAX
};

static const char *const sql[SQL__MAX] = {
	[SQL_LIST] =
	    "SELECT id, code, name, side, code LIKE 'custom\\_%' AS custom "
	    "FROM statuses ORDER BY position, id",
	/* A temporary unique code until the id is known. */
	[SQL_INSERT] =
	    "INSERT INTO statuses (code, name, side, position) "
	    "SELECT REPLACE(UUID(), '-', ''), ?, ?, "
	    "COALESCE(MAX(position), 0) + 10 FROM statuses",
	[SQL_CODE] =
	    "UPDATE statuses SET code = CONCAT('custom_', id) WHERE id = ?",
	[SQL_FIND] =
	    "SELECT 1 FROM statuses WHERE id = ? FOR UPDATE",
	[SQL_RENAME] =
	    "UPDATE statuses SET name = ? WHERE id = ?",
};

int
tw_status_side_valid(const char *side)
{
	return side != NULL && (strcmp(side, "us") == 0 ||
	    strcmp(side, "customer") == 0 || strcmp(side, "done") == 0);
}

enum tw_err
tw_status_list(struct tw_arena *a, struct tw_rows **out)
{
	return tw_db_query(a, sql[SQL_LIST], out, TW_NOARGS);
}

struct add {
	const char		*name, *side;
	unsigned long long	 id;
};

static enum tw_err
add_txn(void *ctx)
{
	struct add	*c = ctx;
	enum tw_err	 rc;

	rc = tw_db_exec(sql[SQL_INSERT], NULL, &c->id,
	    TW_ARGS(TW_S(c->name), TW_S(c->side)));
	if (rc != TW_OK)
		return rc;
	return tw_db_exec(sql[SQL_CODE], NULL, NULL,
	    TW_ARGS(TW_I((long long)c->id)));
}

enum tw_err
tw_status_add(const char *name, const char *side, long long *id)
{
	struct add	c = { name, side, 0 };
	enum tw_err	rc;

	if (!tw_status_side_valid(side))
		return TW_ERR_INVALID;
	rc = tw_db_txn(add_txn, &c);
	*id = (long long)c.id;
	tw_refdata_changed();
	return rc;
}

struct rename {
	struct tw_arena	*arena;
	long long	 id;
	const char	*name;
};

static enum tw_err
rename_txn(void *ctx)
{
	struct rename	*c = ctx;
	struct tw_rows	*r;
	enum tw_err	 rc;

	rc = tw_db_query(c->arena, sql[SQL_FIND], &r, TW_ARGS(TW_I(c->id)));
	if (rc != TW_OK)
		return rc;
	if (r->nrows == 0)
		return TW_ERR_NOTFOUND;
	return tw_db_exec(sql[SQL_RENAME], NULL, NULL,
	    TW_ARGS(TW_S(c->name), TW_I(c->id)));
}

enum tw_err
tw_status_rename(struct tw_arena *a, long long id, const char *name)
{
	struct rename	c = { a, id, name };
	enum tw_err	rc;

	rc = tw_db_txn(rename_txn, &c);
	tw_refdata_changed();
	return rc;
}
