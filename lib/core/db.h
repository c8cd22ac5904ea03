/*
 * db.h: the process's one MariaDB connection and prepared statements.
 *
 * Every statement is prepared once per connection and cached by the
 * address of its SQL text, so SQL must be a string constant (each module
 * keeps its statements in one table).  Values are bound, never pasted.
 * Results come back as strings in the request arena, with SQL NULL as a
 * NULL pointer and the column kinds kept so a row can become JSON.
 *
 * A connection lost outside a transaction is reopened and the statement
 * tried again once; tw_db_txn() retries a whole transaction that lost a
 * deadlock or a Galera certification race a bounded number of times.
 */
#ifndef TW_DB_H
#define TW_DB_H

#include <stddef.h>
#include <string.h>

#include "err.h"

struct json_object;
struct tw_arena;

enum tw_dbtype {
	TW_DB_NULL,
	TW_DB_INT,
	TW_DB_STR,
};

/* One bound value.  Strings are not copied: they must outlive the call. */
struct tw_dbarg {
	enum tw_dbtype	 type;
	long long	 i;
	const char	*s;
	size_t		 len;
};

#define TW_I(x)		((struct tw_dbarg){ .type = TW_DB_INT, .i = (x) })
#define TW_S(x)		tw_dbarg_str(x)
#define TW_SN(x, n)	((struct tw_dbarg){ .type = TW_DB_STR, .s = (x), \
			    .len = (n) })
#define TW_NULLARG	((struct tw_dbarg){ .type = TW_DB_NULL })
/* Expands to the count and the array: tw_db_query(a, SQL, &r, TW_ARGS(...)) */
#define TW_ARGS(...)	(sizeof((struct tw_dbarg[]){ __VA_ARGS__ }) / \
			    sizeof(struct tw_dbarg)), \
			    ((struct tw_dbarg[]){ __VA_ARGS__ })
#define TW_NOARGS	0, NULL

static inline struct tw_dbarg
tw_dbarg_str(const char *s)
{
	struct tw_dbarg	v = { .type = TW_DB_NULL };

	if (s != NULL) {
		v.type = TW_DB_STR;
		v.s = s;
		v.len = strlen(s);
	}
	return v;
}

/* A result set, all of it in the arena. */
struct tw_rows {
	size_t		  nrows;
	size_t		  ncols;
	const char	**names;	/* column names or aliases */
	int		 *numeric;	/* 1 where the column is an integer */
	char		**cells;	/* nrows * ncols; NULL for SQL NULL */
	size_t		 *lens;
};

/* Connects with the [db] settings; TW_ERR_UNAVAILABLE when it cannot. */
enum tw_err	 tw_db_open(void);

/* Closes the connection and forgets the prepared statements. */
void		 tw_db_close(void);

/*
 * Closes the statement cached for the SQL text at this address, if any,
 * so text built at run time can be freed and its address reused.
 */
void		 tw_db_forget(const char *sql);

/* Runs a SELECT; *out is in the arena (empty, never NULL, on success). */
enum tw_err	 tw_db_query(struct tw_arena *, const char *sql,
		    struct tw_rows **out, size_t nargs,
		    const struct tw_dbarg *args);

/*
 * Runs INSERT, UPDATE or DELETE.  affected and insert_id may be NULL.
 * A duplicate key is TW_ERR_CONFLICT.
 */
enum tw_err	 tw_db_exec(const char *sql, unsigned long long *affected,
		    unsigned long long *insert_id, size_t nargs,
		    const struct tw_dbarg *args);

/* Runs constant SQL text that may hold several statements (migrations). */
enum tw_err	 tw_db_script(const char *sql);

/*
 * Runs fn(ctx) inside a transaction and commits when it returns TW_OK.
 * Any other result rolls back; TW_ERR_DEADLOCK (and a connection lost
 * before commit) is retried up to three times in all.
 */
enum tw_err	 tw_db_txn(enum tw_err (*fn)(void *ctx), void *ctx);

/* Whether a tw_db_txn() transaction is open. */
int		 tw_db_in_txn(void);

/*
 * An empty result in the arena with room for max rows of the columns
 * named (integers where numeric[i]), for rows made without a statement.
 * Add a row with tw_rows_add; the cells are not copied.
 */
struct tw_rows	*tw_rows_new(struct tw_arena *, size_t max, size_t ncols,
		    const char *const *names, const int *numeric);
void		 tw_rows_add(struct tw_rows *, const char *const *cells,
		    const size_t *lens);

/* Cell access by row and column name; NULL / def when NULL or absent. */
const char	*tw_rows_str(const struct tw_rows *, size_t row,
		    const char *col);
long long	 tw_rows_int(const struct tw_rows *, size_t row,
		    const char *col, long long def);

/*
 * Row r as a JSON object keyed by column name (integers as numbers).
 * The keys are the column names themselves, not copies: the object must
 * be gone before the rows' arena is reset, as a view model is.
 */
struct json_object *tw_rows_json(const struct tw_rows *, size_t row);

/* The server's message of the last failure, for logs only. */
const char	*tw_db_error(void);

/* Whether the last failure was a statement over its max_statement_time. */
int		 tw_db_timed_out(void);

#endif
