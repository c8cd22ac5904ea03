/*
 * epoch.c: the counter of changes to cached data (see epoch.h).
 */
#include "config.h"

#include "db.h"
#include "epoch.h"

static const char sql_epoch[] =
    "SELECT n FROM cache_epoch WHERE id = 1";

static long long	noted;	/* 0: not read in this request */

void
tw_epoch_note(long long n)
{
	noted = n;
}

void
tw_epoch_forget(void)
{
	noted = 0;
}

enum tw_err
tw_epoch_get(struct tw_arena *a, long long *n)
{
	struct tw_rows	*r;
	enum tw_err	 rc;

	if (noted > 0) {
		*n = noted;
		return TW_OK;
	}
	if ((rc = tw_db_query(a, sql_epoch, &r, TW_NOARGS)) != TW_OK)
		return rc;
	*n = tw_rows_int(r, 0, "n", 0);
	return TW_OK;
}
