/*
 * db.c: the MariaDB connection, the statement cache, binding and fetching.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>
#include <mysql.h>
#include <mysqld_error.h>
#include <errmsg.h>

#include "arena.h"
#include "buf.h"
#include "conf.h"
#include "db.h"
#include "log.h"

#define STMT_MAX	256	/* distinct statements cached per process */
#define TXN_TRIES	3
#define ARGS_MAX	64	/* bound values per statement */

struct cached {
	const char	*sql;
	MYSQL_STMT	*stmt;
};

static MYSQL		*conn;
static struct cached	 cache[STMT_MAX];
static size_t		 ncache;
static int		 in_txn;
static char		 last_error[512];
static int		 last_timed_out;

static void
remember_error(const char *msg)
{
	snprintf(last_error, sizeof(last_error), "%s", msg);
}

const char *
tw_db_error(void)
{
	return last_error;
}

int
tw_db_timed_out(void)
{
	return last_timed_out;
}

/* Maps a server or client error number to a result code. */
static enum tw_err
map_errno(unsigned int no)
{
	last_timed_out = no == ER_STATEMENT_TIMEOUT;
	switch (no) {
	case ER_LOCK_DEADLOCK:
	case ER_LOCK_WAIT_TIMEOUT:
		return TW_ERR_DEADLOCK;
	case ER_DUP_ENTRY:
		return TW_ERR_CONFLICT;
	case CR_SERVER_GONE_ERROR:
	case CR_SERVER_LOST:
	case CR_CONNECTION_ERROR:
	case CR_CONN_HOST_ERROR:
	case ER_CONNECTION_KILLED:
		return TW_ERR_UNAVAILABLE;
	default:
		return TW_ERR_DB;
	}
}

static void
forget_statements(void)
{
	size_t	i;

	for (i = 0; i < ncache; i++)
		mysql_stmt_close(cache[i].stmt);
	ncache = 0;
}

void
tw_db_forget(const char *sql)
{
	size_t	i;

	for (i = 0; i < ncache; i++)
		if (cache[i].sql == sql) {
			mysql_stmt_close(cache[i].stmt);
			memmove(cache + i, cache + i + 1,
			    (ncache - i - 1) * sizeof(cache[0]));
			ncache--;
			return;
		}
}

void
tw_db_close(void)
{
	forget_statements();
	if (conn != NULL)
		mysql_close(conn);
	conn = NULL;
	in_txn = 0;
}

enum tw_err
tw_db_open(void)
{
	const char	*init = "SET time_zone = '+00:00', sql_mode = "
	    "'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ENGINE_SUBSTITUTION,"
	    "ERROR_FOR_DIVISION_BY_ZERO'";
	unsigned int	 timeout = 5;

	if (conn != NULL)
		return TW_OK;
	if ((conn = mysql_init(NULL)) == NULL)
		return TW_ERR_NOMEM;
	mysql_options(conn, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	mysql_options(conn, MYSQL_INIT_COMMAND, init);
	mysql_options(conn, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);

	if (mysql_real_connect(conn, NULL,
	    tw_conf_str("db", "user", "ticketwerk"),
	    tw_conf_str("db", "password", ""),
	    tw_conf_str("db", "name", "ticketwerk"), 0,
	    tw_conf_str("db", "socket", NULL), 0) == NULL) {
		remember_error(mysql_error(conn));
		tw_log(TW_LOG_ERROR, "db_connect", "error", last_error,
		    (char *)NULL);
		mysql_close(conn);
		conn = NULL;
		return TW_ERR_UNAVAILABLE;
	}
	return TW_OK;
}

/* Finds or prepares the statement for sql; NULL with *rc set on failure. */
static MYSQL_STMT *
prepare(const char *sql, enum tw_err *rc)
{
	MYSQL_STMT	*st;
	size_t		 i;

	for (i = 0; i < ncache; i++)
		if (cache[i].sql == sql)
			return cache[i].stmt;

	if ((*rc = tw_db_open()) != TW_OK)
		return NULL;
	if ((st = mysql_stmt_init(conn)) == NULL) {
		*rc = TW_ERR_NOMEM;
		return NULL;
	}
	if (mysql_stmt_prepare(st, sql, strlen(sql)) != 0) {
		remember_error(mysql_stmt_error(st));
		*rc = map_errno(mysql_stmt_errno(st));
		tw_log(TW_LOG_ERROR, "db_prepare", "error", last_error,
		    "sql", sql, (char *)NULL);
		mysql_stmt_close(st);
		return NULL;
	}

	if (ncache == STMT_MAX) {
		/* XXX: a full cache closes the oldest statement; with more
		 * than STMT_MAX distinct statements this would thrash. */
		mysql_stmt_close(cache[0].stmt);
		memmove(cache, cache + 1, (STMT_MAX - 1) * sizeof(cache[0]));
		ncache--;
	}
	cache[ncache].sql = sql;
	cache[ncache].stmt = st;
	ncache++;
	return st;
}

static enum tw_err
bind_args(MYSQL_STMT *st, size_t nargs, const struct tw_dbarg *args,
    MYSQL_BIND *b)
{
	size_t	i;

	if (mysql_stmt_param_count(st) != nargs) {
		remember_error("parameter count does not match the statement");
		return TW_ERR_INTERNAL;
	}
	memset(b, 0, nargs * sizeof(*b));
	for (i = 0; i < nargs; i++) {
		switch (args[i].type) {
		case TW_DB_NULL:
			b[i].buffer_type = MYSQL_TYPE_NULL;
			break;
		case TW_DB_INT:
			b[i].buffer_type = MYSQL_TYPE_LONGLONG;
			b[i].buffer = (void *)&args[i].i;
			break;
		case TW_DB_STR:
			b[i].buffer_type = MYSQL_TYPE_STRING;
			b[i].buffer = (void *)args[i].s;
			b[i].buffer_length = args[i].len;
			break;
		}
	}
	if (nargs > 0 && mysql_stmt_bind_param(st, b) != 0) {
		remember_error(mysql_stmt_error(st));
		return TW_ERR_INTERNAL;
	}
	return TW_OK;
}

/*
 * Prepares, binds and executes.  A lost connection outside a transaction
 * is reopened once and the statement run again.
 */
static enum tw_err
run(const char *sql, size_t nargs, const struct tw_dbarg *args,
    MYSQL_STMT **out)
{
	MYSQL_BIND	 binds[ARGS_MAX];
	MYSQL_STMT	*st;
	enum tw_err	 rc = TW_OK;
	int		 attempt;

	if (nargs > ARGS_MAX)
		return TW_ERR_INTERNAL;
	for (attempt = 0; attempt < 2; attempt++) {
		if ((st = prepare(sql, &rc)) == NULL)
			goto failed;
		if ((rc = bind_args(st, nargs, args, binds)) != TW_OK)
			return rc;
		if (mysql_stmt_execute(st) == 0) {
			*out = st;
			return TW_OK;
		}
		remember_error(mysql_stmt_error(st));
		rc = map_errno(mysql_stmt_errno(st));
failed:
		if (rc != TW_ERR_UNAVAILABLE || in_txn)
			break;
		tw_log(TW_LOG_WARN, "db_reconnect", "error", last_error,
		    (char *)NULL);
		tw_db_close();
	}
	if (rc != TW_ERR_DEADLOCK && rc != TW_ERR_CONFLICT)
		tw_log(TW_LOG_ERROR, "db_execute", "error", last_error,
		    "sql", sql, (char *)NULL);
	return rc;
}

static int
is_integer_type(enum enum_field_types t)
{
	return t == MYSQL_TYPE_TINY || t == MYSQL_TYPE_SHORT ||
	    t == MYSQL_TYPE_LONG || t == MYSQL_TYPE_LONGLONG ||
	    t == MYSQL_TYPE_INT24 || t == MYSQL_TYPE_YEAR;
}

/*
 * How a column is fetched: as text converted by the client library, or
 * as a number or an instant written as text here.  The library converts
 * those with sprintf, which cost more than the rest of a fetch.
 */
enum fetch {
	FETCH_TEXT,
	FETCH_INT,
	FETCH_UINT,
	FETCH_TIME,
};

struct columns {
	enum fetch	*how;
	unsigned	*decimals;	/* of an instant's seconds */
	enum enum_field_types *type;
};

static enum fetch
fetch_kind(const MYSQL_FIELD *f)
{
	if (is_integer_type(f->type))
		return (f->flags & UNSIGNED_FLAG) ? FETCH_UINT : FETCH_INT;
	if ((f->type == MYSQL_TYPE_DATETIME ||
	    f->type == MYSQL_TYPE_TIMESTAMP) && f->decimals <= 6)
		return FETCH_TIME;
	if (f->type == MYSQL_TYPE_DATE)
		return FETCH_TIME;
	return FETCH_TEXT;
}

static void
describe(struct tw_arena *a, MYSQL_STMT *st, struct tw_rows *r,
    struct columns *c)
{
	MYSQL_RES	*meta;
	MYSQL_FIELD	*f;
	size_t		 i;

	r->ncols = mysql_stmt_field_count(st);
	r->names = tw_arena_calloc(a, r->ncols + 1, sizeof(*r->names));
	r->numeric = tw_arena_calloc(a, r->ncols + 1, sizeof(*r->numeric));
	c->how = tw_arena_calloc(a, r->ncols + 1, sizeof(*c->how));
	c->decimals = tw_arena_calloc(a, r->ncols + 1, sizeof(*c->decimals));
	c->type = tw_arena_calloc(a, r->ncols + 1, sizeof(*c->type));
	if ((meta = mysql_stmt_result_metadata(st)) == NULL)
		return;
	f = mysql_fetch_fields(meta);
	for (i = 0; i < r->ncols; i++) {
		r->names[i] = tw_arena_strdup(a, f[i].name);
		r->numeric[i] = is_integer_type(f[i].type);
		c->how[i] = fetch_kind(&f[i]);
		c->decimals[i] = f[i].decimals;
		c->type[i] = f[i].type;
	}
	mysql_free_result(meta);
}

static char *
put_digits(char *p, unsigned v, int n)
{
	int	i;

	for (i = n - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + n;
}

/*
 * An instant as the client library writes it: "YYYY-MM-DD" for a DATE,
 * else "YYYY-MM-DD HH:MM:SS" and the column's decimals of the second.
 */
static size_t
time_text(char *out, const MYSQL_TIME *t, enum enum_field_types type,
    unsigned decimals)
{
	char	*p = out;

	p = put_digits(p, t->year, 4);
	*p++ = '-';
	p = put_digits(p, t->month, 2);
	*p++ = '-';
	p = put_digits(p, t->day, 2);
	if (type != MYSQL_TYPE_DATE) {
		*p++ = ' ';
		p = put_digits(p, t->hour, 2);
		*p++ = ':';
		p = put_digits(p, t->minute, 2);
		*p++ = ':';
		p = put_digits(p, t->second, 2);
		if (decimals > 0) {
			char	frac[6];

			put_digits(frac, (unsigned)t->second_part, 6);
			*p++ = '.';
			memcpy(p, frac, decimals);
			p += decimals;
		}
	}
	*p = '\0';
	return (size_t)(p - out);
}

/* The cell of column i as text in the arena, from the fetched row. */
static char *
cell_text(struct tw_arena *a, MYSQL_STMT *st, const struct columns *c,
    MYSQL_BIND *b, size_t i, size_t *len)
{
	char	*cell;

	switch (c->how[i]) {
	case FETCH_INT:
	case FETCH_UINT:
		cell = tw_arena_alloc(a, TW_INT_TEXT);
		*len = c->how[i] == FETCH_INT ?
		    tw_int_text(cell, *(long long *)b[i].buffer) :
		    tw_uint_text(cell, *(unsigned long long *)b[i].buffer);
		return cell;
	case FETCH_TIME:
		cell = tw_arena_alloc(a, 32);
		*len = time_text(cell, b[i].buffer, c->type[i],
		    c->decimals[i]);
		return cell;
	case FETCH_TEXT:
		break;
	}
	cell = tw_arena_alloc(a, *len + 1);
	if (*len > 0) {
		MYSQL_BIND one = b[i];

		one.buffer = cell;
		one.buffer_length = *len;
		mysql_stmt_fetch_column(st, &one, (unsigned int)i, 0);
	}
	cell[*len] = '\0';
	return cell;
}

/* Binds each column for fetch_all: text with no room, so that a fetch
 * learns each cell's length; numbers and instants in their own form. */
static MYSQL_BIND *
bind_columns(struct tw_arena *a, const struct tw_rows *r,
    const struct columns *c, unsigned long *len, my_bool *isnull)
{
	MYSQL_BIND	*b = tw_arena_calloc(a, r->ncols + 1, sizeof(*b));
	size_t		 i;

	for (i = 0; i < r->ncols; i++) {
		b[i].length = &len[i];
		b[i].is_null = &isnull[i];
		switch (c->how[i]) {
		case FETCH_INT:
		case FETCH_UINT:
			b[i].buffer_type = MYSQL_TYPE_LONGLONG;
			b[i].buffer = tw_arena_calloc(a, 1, sizeof(long long));
			b[i].is_unsigned = c->how[i] == FETCH_UINT;
			break;
		case FETCH_TIME:
			b[i].buffer_type = c->type[i] == MYSQL_TYPE_DATE ?
			    MYSQL_TYPE_DATE : MYSQL_TYPE_DATETIME;
			b[i].buffer = tw_arena_calloc(a, 1,
			    sizeof(MYSQL_TIME));
			break;
		case FETCH_TEXT:
			b[i].buffer_type = MYSQL_TYPE_STRING;
			break;
		}
	}
	return b;
}

/* Fetches every row as text into the arena (see bind_columns). */
static enum tw_err
fetch_all(struct tw_arena *a, MYSQL_STMT *st, struct tw_rows *r,
    const struct columns *c)
{
	MYSQL_BIND	*b;
	unsigned long	*len;
	my_bool		*isnull;
	size_t		 i, row, k, n;
	int		 frc;

	if (mysql_stmt_store_result(st) != 0) {
		remember_error(mysql_stmt_error(st));
		return map_errno(mysql_stmt_errno(st));
	}
	r->nrows = mysql_stmt_num_rows(st);
	r->cells = tw_arena_calloc(a, r->nrows * r->ncols + 1,
	    sizeof(*r->cells));
	r->lens = tw_arena_calloc(a, r->nrows * r->ncols + 1,
	    sizeof(*r->lens));

	len = tw_arena_calloc(a, r->ncols + 1, sizeof(*len));
	isnull = tw_arena_calloc(a, r->ncols + 1, sizeof(*isnull));
	b = bind_columns(a, r, c, len, isnull);
	if (r->ncols > 0 && mysql_stmt_bind_result(st, b) != 0) {
		remember_error(mysql_stmt_error(st));
		mysql_stmt_free_result(st);
		return TW_ERR_INTERNAL;
	}

	for (row = 0; row < r->nrows; row++) {
		frc = mysql_stmt_fetch(st);
		if (frc != 0 && frc != MYSQL_DATA_TRUNCATED)
			break;
		for (i = 0; i < r->ncols; i++) {
			if (isnull[i])
				continue;
			k = row * r->ncols + i;
			n = len[i];
			r->cells[k] = cell_text(a, st, c, b, i, &n);
			r->lens[k] = n;
		}
	}
	mysql_stmt_free_result(st);
	return TW_OK;
}

enum tw_err
tw_db_query(struct tw_arena *a, const char *sql, struct tw_rows **out,
    size_t nargs, const struct tw_dbarg *args)
{
	struct tw_rows	*r;
	struct columns	 cols;
	MYSQL_STMT	*st;
	enum tw_err	 rc;

	*out = NULL;
	if ((rc = run(sql, nargs, args, &st)) != TW_OK)
		return rc;

	r = tw_arena_calloc(a, 1, sizeof(*r));
	describe(a, st, r, &cols);
	if ((rc = fetch_all(a, st, r, &cols)) != TW_OK)
		return rc;
	*out = r;
	return TW_OK;
}

enum tw_err
tw_db_exec(const char *sql, unsigned long long *affected,
    unsigned long long *insert_id, size_t nargs, const struct tw_dbarg *args)
{
	MYSQL_STMT	*st;
	enum tw_err	 rc;

	if ((rc = run(sql, nargs, args, &st)) != TW_OK)
		return rc;
	if (affected != NULL)
		*affected = mysql_stmt_affected_rows(st);
	if (insert_id != NULL)
		*insert_id = mysql_stmt_insert_id(st);
	return TW_OK;
}

enum tw_err
tw_db_script(const char *sql)
{
	enum tw_err	rc;
	int		status;

	if ((rc = tw_db_open()) != TW_OK)
		return rc;
	mysql_set_server_option(conn, MYSQL_OPTION_MULTI_STATEMENTS_ON);
	status = mysql_real_query(conn, sql, strlen(sql));
	while (status == 0) {
		MYSQL_RES *res = mysql_store_result(conn);

		if (res != NULL)
			mysql_free_result(res);
		if ((status = mysql_next_result(conn)) > 0)
			break;
		if (status == -1) {
			status = 0;
			break;
		}
	}
	if (status != 0) {
		remember_error(mysql_error(conn));
		rc = map_errno(mysql_errno(conn));
	}
	mysql_set_server_option(conn, MYSQL_OPTION_MULTI_STATEMENTS_OFF);
	return status == 0 ? TW_OK : rc;
}

static enum tw_err
simple(const char *sql)
{
	if (conn == NULL && tw_db_open() != TW_OK)
		return TW_ERR_UNAVAILABLE;
	if (mysql_real_query(conn, sql, strlen(sql)) != 0) {
		remember_error(mysql_error(conn));
		return map_errno(mysql_errno(conn));
	}
	return TW_OK;
}

enum tw_err
tw_db_txn(enum tw_err (*fn)(void *), void *ctx)
{
	enum tw_err	rc = TW_ERR_INTERNAL;
	int		try;

	for (try = 0; try < TXN_TRIES; try++) {
		if (try > 0)
			usleep(1000u * (unsigned)(try * 10 + rand() % 10));
		if ((rc = simple("START TRANSACTION")) != TW_OK) {
			if (rc == TW_ERR_UNAVAILABLE) {
				tw_db_close();
				continue;
			}
			return rc;
		}

		in_txn = 1;
		rc = fn(ctx);
		if (rc == TW_OK)
			rc = simple("COMMIT");
		in_txn = 0;
		if (rc == TW_OK)
			return TW_OK;

		simple("ROLLBACK");
		if (rc == TW_ERR_UNAVAILABLE)
			tw_db_close();
		else if (rc != TW_ERR_DEADLOCK)
			return rc;
		tw_log(TW_LOG_WARN, "db_retry", "error", last_error,
		    (char *)NULL);
	}
	return rc;
}

int
tw_db_in_txn(void)
{
	return in_txn;
}

struct tw_rows *
tw_rows_new(struct tw_arena *a, size_t max, size_t ncols,
    const char *const *names, const int *numeric)
{
	struct tw_rows	*r = tw_arena_calloc(a, 1, sizeof(*r));

	r->ncols = ncols;
	r->names = (const char **)tw_arena_memdup(a, names,
	    ncols * sizeof(*names));
	r->numeric = (int *)tw_arena_memdup(a, numeric,
	    ncols * sizeof(*numeric));
	r->cells = tw_arena_calloc(a, max * ncols + 1, sizeof(*r->cells));
	r->lens = tw_arena_calloc(a, max * ncols + 1, sizeof(*r->lens));
	return r;
}

void
tw_rows_add(struct tw_rows *r, const char *const *cells, const size_t *lens)
{
	size_t	i, k = r->nrows * r->ncols;

	for (i = 0; i < r->ncols; i++) {
		r->cells[k + i] = (char *)cells[i];
		r->lens[k + i] = lens[i];
	}
	r->nrows++;
}

static long
column(const struct tw_rows *r, const char *col)
{
	size_t	i;

	for (i = 0; i < r->ncols; i++)
		if (strcmp(r->names[i], col) == 0)
			return (long)i;
	return -1;
}

const char *
tw_rows_str(const struct tw_rows *r, size_t row, const char *col)
{
	long	c;

	if (row >= r->nrows || (c = column(r, col)) < 0)
		return NULL;
	return r->cells[row * r->ncols + (size_t)c];
}

long long
tw_rows_int(const struct tw_rows *r, size_t row, const char *col,
    long long def)
{
	const char	*s = tw_rows_str(r, row, col);

	return s == NULL ? def : strtoll(s, NULL, 10);
}

struct json_object *
tw_rows_json(const struct tw_rows *r, size_t row)
{
	struct json_object	*o = json_object_new_object();
	struct json_object	*v;
	size_t			 i, k;

	for (i = 0; i < r->ncols; i++) {
		k = row * r->ncols + i;
		if (r->cells[k] == NULL)
			v = NULL;
		else if (r->numeric[i])
			v = json_object_new_int64(strtoll(r->cells[k], NULL,
			    10));
		else
			v = json_object_new_string_len(r->cells[k],
			    (int)r->lens[k]);
		json_object_object_add_ex(o, r->names[i], v,
		    JSON_C_OBJECT_ADD_CONSTANT_KEY);
	}
	return o;
}
