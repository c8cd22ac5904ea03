/*
 * refdata.c: the per-process copy of the reference data (see refdata.h).
 *
 * A copy is a snapshot: the six tables as loaded, in an arena of its
 * own, with their integer columns parsed once.  The process holds the
 * current snapshot; each request that reads one holds it too, until its
 * arena is reset, so a snapshot replaced in mid-request stays intact for
 * whoever still reads it and is freed by the last one to let go.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "db.h"
#include "epoch.h"
#include "refdata.h"

enum {
	SQL_STATUSES,
	SQL_USERS,
	SQL_CHANNELS,
	SQL_MEMBERS,
	SQL_CATEGORIES,
	SQL_TRANSITIONS,
	SQL__MAX
};

/*
 * The column order is relied on below (the COL_ names).  Orders by name
 * are the database's collation; lists made from these keep them.
 */
static const char *const sql[SQL__MAX] = {
	[SQL_STATUSES] =
	    "SELECT id, code, name, side FROM statuses ORDER BY position, id",
	[SQL_USERS] =
	    "SELECT id, login, name, active FROM users ORDER BY name, id",
	[SQL_CHANNELS] =
	    "SELECT id, name, email FROM channels ORDER BY name, id",
	[SQL_MEMBERS] =
	    "SELECT user_id, channel_id, role FROM channel_members "
	    "ORDER BY user_id, channel_id",
	[SQL_CATEGORIES] =
	    "SELECT id, channel_id, name FROM categories ORDER BY name, id",
	[SQL_TRANSITIONS] =
	    "SELECT channel_id, from_status_id, to_status_id "
	    "FROM workflow_transitions",
};

enum { COL_ID = 0 };				/* statuses, users, channels */
enum { COL_U_LOGIN = 1, COL_U_NAME, COL_U_ACTIVE };
enum { COL_C_NAME = 1, COL_C_EMAIL };
enum { COL_M_USER = 0, COL_M_CHANNEL, COL_M_ROLE };
enum { COL_K_CHANNEL = 1, COL_K_NAME };
enum { COL_T_CHANNEL = 0, COL_T_FROM, COL_T_TO };

/* What tw_refdata_memo keeps, in the snapshot's arena. */
struct memo {
	struct memo	*next;
	const char	*key;
	void		*value;
};

/* A user's id and row, for finding users by id. */
struct user_key {
	long long	 id;
	size_t		 row;
};

struct snapshot {
	long long	 epoch;
	struct user_key	*user_by_id;	/* in the order of the ids */
	unsigned	 refs;
	struct tw_arena	*arena;
	struct memo	*memos;
	struct tw_rows	*rows[SQL__MAX];
	long long	*num[SQL__MAX];	/* the integer cells, 0 for others */
};

static struct snapshot	*current;

static void
destroy(struct snapshot *s)
{
	tw_arena_free(s->arena);
	free(s);
}

/* Lets go of one hold on a snapshot; the last one frees it. */
static void
release(void *p)
{
	struct snapshot	*s = p;

	if (s != NULL && --s->refs == 0)
		destroy(s);
}

/* The integer cells of r, parsed once. */
static long long *
parse_numbers(struct tw_arena *a, const struct tw_rows *r)
{
	long long	*num;
	size_t		 i, n = r->nrows * r->ncols;

	num = tw_arena_calloc(a, n + 1, sizeof(*num));
	for (i = 0; i < n; i++)
		if (r->numeric[i % r->ncols] && r->cells[i] != NULL)
			num[i] = strtoll(r->cells[i], NULL, 10);
	return num;
}

static long long
num(const struct snapshot *s, int table, size_t row, int col)
{
	return s->num[table][row * s->rows[table]->ncols + (size_t)col];
}

static const char *
cell(const struct snapshot *s, int table, size_t row, int col, size_t *len)
{
	size_t	k = row * s->rows[table]->ncols + (size_t)col;

	*len = s->rows[table]->lens[k];
	return s->rows[table]->cells[k];
}

static int
by_id(const void *x, const void *y)
{
	const struct user_key	*a = x, *b = y;

	return (a->id > b->id) - (a->id < b->id);
}

/* The users' ids and row numbers in the order of the ids. */
static struct user_key *
index_users(struct snapshot *s)
{
	struct user_key	*idx;
	size_t		 i, n = s->rows[SQL_USERS]->nrows;

	idx = tw_arena_calloc(s->arena, n + 1, sizeof(*idx));
	for (i = 0; i < n; i++) {
		idx[i].id = num(s, SQL_USERS, i, COL_ID);
		idx[i].row = i;
	}
	qsort(idx, n, sizeof(*idx), by_id);
	return idx;
}

/* A new snapshot of the tables as they are now, not yet held. */
static enum tw_err
load(long long epoch, struct snapshot **out)
{
	struct snapshot	*s;
	enum tw_err	 rc = TW_OK;
	int		 i;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return TW_ERR_NOMEM;
	s->epoch = epoch;
	s->arena = tw_arena_new();
	for (i = 0; i < SQL__MAX && rc == TW_OK; i++)
		if ((rc = tw_db_query(s->arena, sql[i], &s->rows[i],
		    TW_NOARGS)) == TW_OK)
			s->num[i] = parse_numbers(s->arena, s->rows[i]);
	if (rc != TW_OK) {
		destroy(s);
		return rc;
	}
	s->user_by_id = index_users(s);
	*out = s;
	return TW_OK;
}

/*
 * The snapshot good for this request, held until the arena is reset.
 * One loaded inside a transaction may hold what never commits, so the
 * process does not keep it.
 */
static enum tw_err
acquire(struct tw_arena *a, struct snapshot **out)
{
	struct snapshot	*s;
	long long	 epoch;
	enum tw_err	 rc;

	if ((rc = tw_epoch_get(a, &epoch)) != TW_OK)
		return rc;
	if (current != NULL && current->epoch == epoch)
		s = current;
	else {
		if ((rc = load(epoch, &s)) != TW_OK)
			return rc;
		if (!tw_db_in_txn()) {
			release(current);
			current = s;
			s->refs++;
		}
	}
	s->refs++;
	tw_arena_cleanup(a, release, s);
	*out = s;
	return TW_OK;
}

/* The role of user in channel, or NULL: members are by user, channel. */
static const char *
role_of(const struct snapshot *s, long long user, long long channel,
    size_t *len)
{
	size_t		lo = 0, hi = s->rows[SQL_MEMBERS]->nrows, mid;
	long long	u, c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		u = num(s, SQL_MEMBERS, mid, COL_M_USER);
		c = num(s, SQL_MEMBERS, mid, COL_M_CHANNEL);
		if (u == user && c == channel)
			return cell(s, SQL_MEMBERS, mid, COL_M_ROLE, len);
		if (u < user || (u == user && c < channel))
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Appends columns cols of row of table, then extra (if not NULL). */
static void
add_from(struct tw_rows *out, const struct snapshot *s, int table,
    size_t row, const int *cols, size_t ncols, const char *extra,
    size_t extralen)
{
	const char	*cells[8];
	size_t		 lens[8], i;

	for (i = 0; i < ncols; i++)
		cells[i] = cell(s, table, row, cols[i], &lens[i]);
	cells[i] = extra;
	lens[i] = extralen;
	tw_rows_add(out, cells, lens);
}

void
tw_refdata_changed(void)
{
	tw_epoch_forget();
}

enum tw_err
tw_refdata_statuses(struct tw_arena *a, struct tw_rows **out)
{
	struct snapshot		*s;
	enum tw_err		 rc;

	if ((rc = acquire(a, &s)) != TW_OK)
		return rc;
	*out = s->rows[SQL_STATUSES];
	return TW_OK;
}

enum tw_err
tw_refdata_agents(struct tw_arena *a, struct tw_rows **out)
{
	static const char *const names[] = { "id", "login", "name" };
	static const int numeric[] = { 1, 0, 0 };
	static const int cols[] = { COL_ID, COL_U_LOGIN, COL_U_NAME };
	struct snapshot		*s;
	size_t			 i, n;
	enum tw_err		 rc;

	if ((rc = acquire(a, &s)) != TW_OK)
		return rc;
	n = s->rows[SQL_USERS]->nrows;
	*out = tw_rows_new(a, n, 3, names, numeric);
	for (i = 0; i < n; i++)
		if (num(s, SQL_USERS, i, COL_U_ACTIVE))
			add_from(*out, s, SQL_USERS, i, cols, 3, NULL, 0);
	return TW_OK;
}

enum tw_err
tw_refdata_user_channels(struct tw_arena *a, long long user_id,
    int handles_only, struct tw_rows **out)
{
	static const char *const names[] = { "id", "name", "role" };
	static const int numeric[] = { 1, 0, 0 };
	static const int cols[] = { COL_ID, COL_C_NAME };
	struct snapshot		*s;
	const char		*role;
	size_t			 i, n, len;
	enum tw_err		 rc;

	if ((rc = acquire(a, &s)) != TW_OK)
		return rc;
	n = s->rows[SQL_CHANNELS]->nrows;
	*out = tw_rows_new(a, n, handles_only ? 2 : 3, names, numeric);
	for (i = 0; i < n; i++) {
		role = role_of(s, user_id, num(s, SQL_CHANNELS, i, COL_ID),
		    &len);
		if (role == NULL ||
		    (handles_only && strcmp(role, "handles") != 0))
			continue;
		add_from(*out, s, SQL_CHANNELS, i, cols, 2, role, len);
	}
	return TW_OK;
}

enum tw_err
tw_refdata_channel_agents(struct tw_arena *a, long long channel_id,
    struct tw_rows **out)
{
	static const char *const names[] = { "id", "login", "name", "role" };
	static const int numeric[] = { 1, 0, 0, 0 };
	static const int cols[] = { COL_ID, COL_U_LOGIN, COL_U_NAME };
	struct snapshot		*s;
	const char		*role;
	size_t			 i, n, len;
	enum tw_err		 rc;

	if ((rc = acquire(a, &s)) != TW_OK)
		return rc;
	n = s->rows[SQL_USERS]->nrows;
	*out = tw_rows_new(a, n, 4, names, numeric);
	for (i = 0; i < n; i++) {
		if (!num(s, SQL_USERS, i, COL_U_ACTIVE) ||
		    (role = role_of(s, num(s, SQL_USERS, i, COL_ID),
		    channel_id, &len)) == NULL)
			continue;
		add_from(*out, s, SQL_USERS, i, cols, 3, role, len);
	}
	return TW_OK;
}

enum tw_err
tw_refdata_categories(struct tw_arena *a, long long channel_id,
    struct tw_rows **out)
{
	static const char *const names[] = { "id", "name" };
	static const int numeric[] = { 1, 0 };
	static const int cols[] = { COL_ID, COL_K_NAME };
	struct snapshot		*s;
	size_t			 i, n;
	enum tw_err		 rc;

	if ((rc = acquire(a, &s)) != TW_OK)
		return rc;
	n = s->rows[SQL_CATEGORIES]->nrows;
	*out = tw_rows_new(a, n, 2, names, numeric);
	for (i = 0; i < n; i++)
		if (num(s, SQL_CATEGORIES, i, COL_K_CHANNEL) == channel_id)
			add_from(*out, s, SQL_CATEGORIES, i, cols, 2, NULL, 0);
	return TW_OK;
}

/* Whether the channel has transitions, and whether from -> to is one. */
static void
transitions(const struct snapshot *s, long long channel, long long from,
    long long to, int *own, int *permits)
{
	size_t	i, n = s->rows[SQL_TRANSITIONS]->nrows;

	*own = *permits = 0;
	for (i = 0; i < n; i++) {
		if (num(s, SQL_TRANSITIONS, i, COL_T_CHANNEL) != channel)
			continue;
		*own = 1;
		if (num(s, SQL_TRANSITIONS, i, COL_T_FROM) == from &&
		    num(s, SQL_TRANSITIONS, i, COL_T_TO) == to)
			*permits = 1;
	}
}

enum tw_err
tw_refdata_next_statuses(struct tw_arena *a, long long channel_id,
    long long from, struct tw_rows **out)
{
	static const char *const names[] = { "id", "code", "name", "side" };
	static const int numeric[] = { 1, 0, 0, 0 };
	static const int cols[] = { 0, 1, 2, 3 };
	struct snapshot		*s;
	long long		 to;
	size_t			 i, n;
	int			 own, permits;
	enum tw_err		 rc;

	if ((rc = acquire(a, &s)) != TW_OK)
		return rc;
	n = s->rows[SQL_STATUSES]->nrows;
	*out = tw_rows_new(a, n, 4, names, numeric);
	for (i = 0; i < n; i++) {
		if ((to = num(s, SQL_STATUSES, i, COL_ID)) == from)
			continue;
		transitions(s, channel_id, from, to, &own, &permits);
		if (!own || permits)
			add_from(*out, s, SQL_STATUSES, i, cols, 4, NULL, 0);
	}
	return TW_OK;
}

/* The row of table whose first column is id, or -1. */
static long
find_row(const struct snapshot *s, int table, long long id)
{
	size_t	i;

	for (i = 0; i < s->rows[table]->nrows; i++)
		if (num(s, table, i, COL_ID) == id)
			return (long)i;
	return -1;
}

enum tw_err
tw_refdata_names(struct tw_arena *a, const struct tw_refnames **out)
{
	struct snapshot	*s;
	enum tw_err	 rc;

	if ((rc = acquire(a, &s)) != TW_OK)
		return rc;
	*out = (const struct tw_refnames *)s;
	return TW_OK;
}

const char *
tw_refnames_user(const struct tw_refnames *names, long long id,
    size_t *len)
{
	const struct snapshot	*s = (const struct snapshot *)names;
	size_t			 lo = 0, hi = s->rows[SQL_USERS]->nrows, mid;
	long long		 at;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		at = s->user_by_id[mid].id;
		if (at == id)
			return cell(s, SQL_USERS, s->user_by_id[mid].row,
			    COL_U_NAME, len);
		if (at < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	*len = 0;
	return NULL;
}

const char *
tw_refnames_channel(const struct tw_refnames *names, long long id,
    size_t *len)
{
	const struct snapshot	*s = (const struct snapshot *)names;
	long			 row = find_row(s, SQL_CHANNELS, id);

	*len = 0;
	return row < 0 ? NULL :
	    cell(s, SQL_CHANNELS, (size_t)row, COL_C_NAME, len);
}

int
tw_refnames_status(const struct tw_refnames *names, long long id,
    const char **cells, size_t *lens)
{
	const struct snapshot	*s = (const struct snapshot *)names;
	long			 row = find_row(s, SQL_STATUSES, id);
	int			 i;

	for (i = 0; i < 3; i++) {
		cells[i] = NULL;
		lens[i] = 0;
		if (row >= 0)
			cells[i] = cell(s, SQL_STATUSES, (size_t)row, i + 1,
			    &lens[i]);
	}
	return row >= 0;
}

void *
tw_refdata_memo(struct tw_arena *a, const char *key,
    void *(*make)(struct tw_arena *, void *), void *ctx)
{
	struct snapshot	*s;
	struct memo	*m;
	void		*v;

	if (acquire(a, &s) != TW_OK)
		return NULL;
	for (m = s->memos; m != NULL; m = m->next)
		if (strcmp(m->key, key) == 0)
			return m->value;

	if ((v = make(s->arena, ctx)) == NULL)
		return NULL;
	m = tw_arena_alloc(s->arena, sizeof(*m));
	m->key = tw_arena_strdup(s->arena, key);
	m->value = v;
	m->next = s->memos;
	s->memos = m;
	return v;
}

enum tw_err
tw_refdata_own_addresses(struct tw_arena *a, const char **out)
{
	struct snapshot		*s;
	struct tw_buf		 b;
	const char		*email;
	size_t			 i, len;
	enum tw_err		 rc;

	if ((rc = acquire(a, &s)) != TW_OK)
		return rc;
	tw_buf_init(&b, a);
	for (i = 0; i < s->rows[SQL_CHANNELS]->nrows; i++) {
		if ((email = cell(s, SQL_CHANNELS, i, COL_C_EMAIL, &len)) ==
		    NULL)
			continue;
		if (b.len > 0)
			tw_buf_puts(&b, ", ");
		tw_buf_append(&b, email, len);
	}
	*out = b.len > 0 ? b.data : NULL;
	return TW_OK;
}
