/*
 * queue.c: the filtered queue, its count and the search expression.
 *
 * Filters are optional, so the statement depends on which are present.
 * It is put together from the constant fragments below, one per filter,
 * with ? placeholders, and the values are bound in the same order.  The
 * statement cache in db.c finds a statement by the address of its text,
 * so each text built here is kept in a small table for the life of the
 * process and handed out again for the same combination; when the table
 * is full the oldest text is dropped, after tw_db_forget() has closed
 * its statement, so no cached statement outlives its text.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "buf.h"
#include "db.h"
#include "log.h"
#include "queue.h"
#include "refdata.h"
#include "request.h"
#include "ticket.h"
#include "valid.h"

#define TEXTS_MAX	64	/* generated statements kept per process */
#define DIRECT_SKIP	100	/* rows a one-step page may walk past */

/* The filters in the order their fragments and values appear. */
enum {
	F_CHANNEL,
	F_STATUS,
	F_SIDE,
	F_OWNER,
	F_ASSIGNEE,
	F_PRIO_MIN,
	F_PRIO_MAX,
	F_ORGANISATION,
	F_HANDLED,
	F_CREATED_FROM,
	F_CREATED_TO,
	F_UPDATED_FROM,
	F_UPDATED_TO,
	F_MATCH,	/* changes the FROM clause, not the WHERE */
	F__MAX
};

static const char *const cond[F__MAX] = {
	[F_CHANNEL] = " AND t.channel_id = ?",
	[F_STATUS] =
	    " AND t.status_id = (SELECT id FROM statuses WHERE code = ?)",
	[F_SIDE] =
	    " AND t.status_id IN (SELECT id FROM statuses WHERE side = ?)",
	[F_OWNER] = " AND t.owner_id = ?",
	[F_ASSIGNEE] = " AND t.assignee_id = ?",
	[F_PRIO_MIN] = " AND t.priority >= ?",
	[F_PRIO_MAX] = " AND t.priority <= ?",
	[F_ORGANISATION] = " AND t.organisation_id = ?",
	[F_HANDLED] = " AND m.role = 'handles'",
	[F_CREATED_FROM] = " AND t.created_at >= ?",
	[F_CREATED_TO] = " AND t.created_at < ?",
	[F_UPDATED_FROM] = " AND t.updated_at >= ?",
	[F_UPDATED_TO] = " AND t.updated_at < ?",
	[F_MATCH] = "",
};

/*
 * A ticket matches when its subject or one of its items does.
 *
 * InnoDB reads the whole posting list of every word searched, so a word
 * found in many items is slow (one in a tenth of five million items took
 * 15 s in the benchmark) and would hold a worker that long: a search runs
 * under a time limit, and the person is asked for a narrower one.
 */
static const char limit_match[] =
    "SET STATEMENT max_statement_time = " TW_QUEUE_SEARCH_SECONDS " FOR ";
static const char from_all[] = "tickets t";
static const char from_match[] =
    "(SELECT id FROM tickets "
    "WHERE MATCH (subject) AGAINST (? IN BOOLEAN MODE) "
    "UNION SELECT ticket_id FROM items "
    "WHERE MATCH (body) AGAINST (? IN BOOLEAN MODE)) AS hit "
    "JOIN tickets t ON t.id = hit.id";
static const char visible[] =
    " JOIN channel_members m ON m.user_id = ? "
    "AND m.channel_id = t.channel_id";

/*
 * The queue unfiltered walks an index in the order asked for and checks
 * each ticket's channel without reading the row (see 0001 and 0004);
 * left alone, the optimiser starts from the small channel_members table
 * and sorts every visible ticket.
 */
static const char *const hint[TW_QUEUE_SORT__MAX] = {
	[TW_QUEUE_SORT_CREATED] = " FORCE INDEX (tickets_created)",
	[TW_QUEUE_SORT_UPDATED] = " FORCE INDEX (tickets_updated)",
	[TW_QUEUE_SORT_PRIORITY] = " FORCE INDEX (tickets_priority)",
	[TW_QUEUE_SORT_NUMBER] = " FORCE INDEX (tickets_number)",
	[TW_QUEUE_SORT_SUBJECT] = " FORCE INDEX (tickets_subject)",
};

/* ORDER BY, ascending and descending. */
static const char *const order[TW_QUEUE_SORT__MAX][2] = {
	[TW_QUEUE_SORT_CREATED] = { "t.created_at ASC, t.id ASC",
	    "t.created_at DESC, t.id DESC" },
	[TW_QUEUE_SORT_UPDATED] = { "t.updated_at ASC, t.id ASC",
	    "t.updated_at DESC, t.id DESC" },
	[TW_QUEUE_SORT_PRIORITY] = {
	    "t.priority ASC, t.created_at ASC, t.id ASC",
	    "t.priority DESC, t.created_at DESC, t.id DESC" },
	[TW_QUEUE_SORT_NUMBER] = { "t.number ASC", "t.number DESC" },
	[TW_QUEUE_SORT_SUBJECT] = { "t.subject ASC, t.id ASC",
	    "t.subject DESC, t.id DESC" },
};

static const char *const sort_names[TW_QUEUE_SORT__MAX] = {
	[TW_QUEUE_SORT_CREATED] = "created",
	[TW_QUEUE_SORT_UPDATED] = "updated",
	[TW_QUEUE_SORT_PRIORITY] = "priority",
	[TW_QUEUE_SORT_NUMBER] = "number",
	[TW_QUEUE_SORT_SUBJECT] = "subject",
};

/*
 * The page's columns carry ids where the reference data has the names
 * (see page_rows()); only the organisation, of which there are too many
 * to keep, is joined.
 */
#define PAGE_COLUMNS \
    "t.number, t.subject, t.type, t.priority, t.status_id, " \
    "t.channel_id, o.name AS organisation, t.owner_id, t.assignee_id, " \
    "t.created_at, t.updated_at"
#define NAME_JOINS "LEFT JOIN organisations o ON o.id = t.organisation_id"

/* The columns of PAGE_COLUMNS, as the statement answers them. */
enum {
	Q_NUMBER, Q_SUBJECT, Q_TYPE, Q_PRIORITY, Q_STATUS_ID, Q_CHANNEL_ID,
	Q_ORGANISATION, Q_OWNER_ID, Q_ASSIGNEE_ID, Q_CREATED_AT, Q_UPDATED_AT
};

/* The columns of the rows tw_queue_find answers (queue.h). */
enum {
	R_NUMBER, R_SUBJECT, R_TYPE, R_PRIORITY, R_STATUS, R_STATUS_NAME,
	R_SIDE, R_CHANNEL, R_ORGANISATION, R_OWNER, R_ASSIGNEE, R_CREATED_AT,
	R_UPDATED_AT, R__MAX
};
static const char *const page_names[R__MAX] = {
	"number", "subject", "type", "priority", "status", "status_name",
	"side", "channel", "organisation", "owner", "assignee", "created_at",
	"updated_at",
};
static const int page_numeric[R__MAX] = { [R_NUMBER] = 1, [R_PRIORITY] = 1 };

/*
 * A page in two steps: the ids of the page from the index alone, then
 * the names for those 50.  Deep pages and searches need it, since a
 * join would otherwise fetch every row skipped or matched.
 */
static const char page_head[] =
    "SELECT " PAGE_COLUMNS " FROM (SELECT STRAIGHT_JOIN t.id FROM ";
static const char page_tail[] =
    ") AS page JOIN tickets t ON t.id = page.id " NAME_JOINS " ORDER BY ";

/*
 * An early page in one step: the walk in order joins the organisation
 * as it goes and stops after the page, with no table to sort in
 * between.  The probe for the count rides along as a last column: a
 * subquery that names no outer table runs once per statement, and a
 * round trip to the server costs more than the probe's walk.
 */
static const char direct_head[] =
    "SELECT STRAIGHT_JOIN " PAGE_COLUMNS ", (";
static const char direct_probed[] = ") AS more FROM ";
static const char direct_joins[] = " " NAME_JOINS;

enum {
	SQL_ORGANISATION,
	SQL__MAX
};

static const char *const sql[SQL__MAX] = {
	[SQL_ORGANISATION] =
	    "SELECT id, name FROM organisations WHERE id = ?",
};

enum kind { KIND_PAGE, KIND_DIRECT, KIND_PROBE, KIND_COUNT };

struct text {
	unsigned	 key;
	char		*sql;
};

static struct text	texts[TEXTS_MAX];
static size_t		ntexts;

/* InnoDB's default stop words: requiring one finds nothing. */
static const char *const stop_words[] = {
	"about", "are", "com", "for", "from", "how", "that", "the", "this",
	"was", "what", "when", "where", "who", "will", "with", "und", "www",
};

const char *
tw_queue_sort_name(enum tw_queue_sort s)
{
	return (unsigned)s < TW_QUEUE_SORT__MAX ? sort_names[s] : "created";
}

int
tw_queue_sort_parse(const char *s)
{
	int	i;

	for (i = 0; s != NULL && i < TW_QUEUE_SORT__MAX; i++)
		if (strcmp(sort_names[i], s) == 0)
			return i;
	return -1;
}

static int
is_word_byte(unsigned char c)
{
	return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' &&
	    c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

/* Whether the word of n bytes is one the full-text index keeps. */
static int
indexed_word(const char *w, size_t n)
{
	size_t	i;

	if (tw_utf8_chars(w, n) < 3)
		return 0;
	for (i = 0; i < sizeof(stop_words) / sizeof(stop_words[0]); i++)
		if (strlen(stop_words[i]) == n &&
		    strncasecmp(stop_words[i], w, n) == 0)
			return 0;
	return 1;
}

const char *
tw_queue_match(struct tw_arena *a, const char *text)
{
	struct tw_buf	 b;
	const char	*p = text, *w;
	int		 words = 0;

	tw_buf_init(&b, a);
	while (p != NULL && *p != '\0' && words < TW_QUEUE_WORDS_MAX) {
		while (*p != '\0' && !is_word_byte((unsigned char)*p))
			p++;
		for (w = p; is_word_byte((unsigned char)*p); p++)
			continue;
		if (p == w || !indexed_word(w, (size_t)(p - w)))
			continue;
		tw_buf_puts(&b, words++ > 0 ? " +" : "+");
		tw_buf_append(&b, w, (size_t)(p - w));
	}
	return words > 0 ? b.data : NULL;
}

/*
 * The values of the filters present in f, at their filter's index, and
 * the set of filters present as a bit mask.  A filter without a value
 * (F_HANDLED) is present with a NULL argument it never binds.
 */
static unsigned
filter_values(const struct tw_queue_filter *f, struct tw_dbarg *v)
{
	unsigned	mask = 0;

#define SET(bit, cond, arg) \
	do { if (cond) { mask |= 1u << (bit); v[bit] = (arg); } } while (0)
	SET(F_CHANNEL, f->channel > 0, TW_I(f->channel));
	SET(F_STATUS, f->status != NULL, TW_S(f->status));
	SET(F_SIDE, f->side != NULL, TW_S(f->side));
	SET(F_OWNER, f->owner > 0, TW_I(f->owner));
	SET(F_ASSIGNEE, f->assignee > 0, TW_I(f->assignee));
	SET(F_PRIO_MIN, f->prio_min > 0, TW_I(f->prio_min));
	SET(F_PRIO_MAX, f->prio_max > 0, TW_I(f->prio_max));
	SET(F_ORGANISATION, f->organisation > 0, TW_I(f->organisation));
	SET(F_HANDLED, f->handled_only, TW_NULLARG);
	SET(F_CREATED_FROM, f->created_from != NULL, TW_S(f->created_from));
	SET(F_CREATED_TO, f->created_to != NULL, TW_S(f->created_to));
	SET(F_UPDATED_FROM, f->updated_from != NULL, TW_S(f->updated_from));
	SET(F_UPDATED_TO, f->updated_to != NULL, TW_S(f->updated_to));
	SET(F_MATCH, f->match != NULL, TW_S(f->match));
#undef SET
	return mask;
}

/*
 * FROM ... WHERE of the query, with the fragments of mask, and for the
 * one-step page the joins of the names.
 */
static void
put_selection(struct tw_buf *b, unsigned mask, enum tw_queue_sort sort,
    enum kind kind)
{
	int	i;

	if (mask & (1u << F_MATCH))
		tw_buf_puts(b, from_match);
	else {
		tw_buf_puts(b, from_all);
		if (mask == 0 && (kind == KIND_PAGE || kind == KIND_DIRECT))
			tw_buf_puts(b, hint[sort]);
	}
	tw_buf_puts(b, visible);
	if (kind == KIND_DIRECT)
		tw_buf_puts(b, direct_joins);
	tw_buf_puts(b, " WHERE TRUE");
	for (i = 0; i < F__MAX; i++)
		if (mask & (1u << i))
			tw_buf_puts(b, cond[i]);
}

/* Whether a ticket passes after the first n: one row or none. */
static void
put_probe(struct tw_buf *b, unsigned mask, enum tw_queue_sort sort)
{
	tw_buf_puts(b, "SELECT STRAIGHT_JOIN 1 AS more FROM ");
	put_selection(b, mask, sort, KIND_PROBE);
	tw_buf_puts(b, " LIMIT 1 OFFSET ?");
}

/* The statement text for a kind, filter set and order, built once. */
static const char *
statement(struct tw_arena *a, enum kind kind, unsigned mask,
    enum tw_queue_sort sort, int desc)
{
	struct tw_buf	 b;
	unsigned	 key;
	size_t		 i;
	char		*text;

	key = mask | (unsigned)sort << F__MAX | (unsigned)(desc != 0) << 20 |
	    (unsigned)kind << 21;
	for (i = 0; i < ntexts; i++)
		if (texts[i].key == key)
			return texts[i].sql;

	tw_buf_init(&b, a);
	if (mask & (1u << F_MATCH))
		tw_buf_puts(&b, limit_match);
	if (kind == KIND_PROBE)
		put_probe(&b, mask, sort);
	else if (kind == KIND_COUNT) {
		tw_buf_puts(&b, "SELECT STRAIGHT_JOIN COUNT(*) AS n FROM ");
		put_selection(&b, mask, sort, kind);
	} else if (kind == KIND_DIRECT) {
		tw_buf_puts(&b, direct_head);
		put_probe(&b, mask, sort);
		tw_buf_puts(&b, direct_probed);
		put_selection(&b, mask, sort, kind);
		tw_buf_puts(&b, " ORDER BY ");
		tw_buf_puts(&b, order[sort][desc != 0]);
		tw_buf_puts(&b, " LIMIT ? OFFSET ?");
	} else {
		tw_buf_puts(&b, page_head);
		put_selection(&b, mask, sort, kind);
		tw_buf_puts(&b, " ORDER BY ");
		tw_buf_puts(&b, order[sort][desc != 0]);
		tw_buf_puts(&b, " LIMIT ? OFFSET ?");
		tw_buf_puts(&b, page_tail);
		tw_buf_puts(&b, order[sort][desc != 0]);
	}
	if ((text = strdup(b.data)) == NULL)
		return NULL;

	if (ntexts == TEXTS_MAX) {
		tw_db_forget(texts[0].sql);
		free(texts[0].sql);
		memmove(texts, texts + 1, (TEXTS_MAX - 1) * sizeof(texts[0]));
		ntexts--;
	}
	texts[ntexts].key = key;
	texts[ntexts].sql = text;
	ntexts++;
	return text;
}

/*
 * The bound values in the order of the ?s: the search expression twice
 * (subjects, items), the user, each filter present, then extra.
 */
static size_t
bind_values(const struct tw_user *user, unsigned mask,
    const struct tw_dbarg *v, const struct tw_dbarg *extra, size_t nextra,
    struct tw_dbarg *out)
{
	size_t	n = 0;
	int	i;

	if (mask & (1u << F_MATCH)) {
		out[n++] = v[F_MATCH];
		out[n++] = v[F_MATCH];
	}
	out[n++] = TW_I(user->id);
	for (i = 0; i < F_MATCH; i++)
		if ((mask & (1u << i)) && i != F_HANDLED)
			out[n++] = v[i];
	if (nextra > 0)
		memcpy(out + n, extra, nextra * sizeof(*extra));
	return n + nextra;
}

/* A statement stopped by its time limit asked too much: TW_ERR_INVALID. */
static enum tw_err
timed_out(enum tw_err rc)
{
	return rc == TW_ERR_DB && tw_db_timed_out() ? TW_ERR_INVALID : rc;
}

/*
 * How many pass, up to upto: a probe for a row past upto answers a large
 * queue in one walk, without the temporary table a bounded COUNT(*)
 * needs; only a queue found to be smaller is counted.  probed says the
 * page's own statement has probed already and found none past upto.
 */
static enum tw_err
count(struct tw_arena *a, const struct tw_user *user, unsigned mask,
    const struct tw_queue_filter *f, const struct tw_dbarg *v,
    long long upto, int probed, long long *total, int *more)
{
	struct tw_dbarg	 args[F__MAX + 4], extra[1];
	struct tw_rows	*r;
	const char	*text;
	size_t		 n;
	enum tw_err	 rc;

	if (!probed) {
		text = statement(a, KIND_PROBE, mask, f->sort, f->desc);
		if (text == NULL)
			return TW_ERR_NOMEM;
		extra[0] = TW_I(upto);
		n = bind_values(user, mask, v, extra, 1, args);
		if ((rc = tw_db_query(a, text, &r, n, args)) != TW_OK)
			return timed_out(rc);
		if (r->nrows > 0) {
			*total = upto;
			*more = 1;
			return TW_OK;
		}
	}

	if ((text = statement(a, KIND_COUNT, mask, f->sort, f->desc)) == NULL)
		return TW_ERR_NOMEM;
	n = bind_values(user, mask, v, NULL, 0, args);
	if ((rc = tw_db_query(a, text, &r, n, args)) != TW_OK)
		return timed_out(rc);
	*total = tw_rows_int(r, 0, "n", 0);
	return TW_OK;
}

/* One cell of an id column, as a number. */
static long long
id_at(const struct tw_rows *r, size_t row, int col)
{
	const char	*v = r->cells[row * r->ncols + (size_t)col];

	return v == NULL ? 0 : strtoll(v, NULL, 10);
}

/* The rows as documented: the ids of in replaced by their names. */
static enum tw_err
page_rows(struct tw_arena *a, const struct tw_rows *in,
    struct tw_rows **out)
{
	static const int		 same[][2] = {
		{ R_NUMBER, Q_NUMBER }, { R_SUBJECT, Q_SUBJECT },
		{ R_TYPE, Q_TYPE }, { R_PRIORITY, Q_PRIORITY },
		{ R_ORGANISATION, Q_ORGANISATION },
		{ R_CREATED_AT, Q_CREATED_AT }, { R_UPDATED_AT, Q_UPDATED_AT },
	};
	const struct tw_refnames	*names;
	const char			*cells[R__MAX];
	size_t				 lens[R__MAX], row, i, k;
	enum tw_err			 rc;

	if ((rc = tw_refdata_names(a, &names)) != TW_OK)
		return rc;
	*out = tw_rows_new(a, in->nrows, R__MAX, page_names, page_numeric);
	for (row = 0; row < in->nrows; row++) {
		for (i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
			k = row * in->ncols + (size_t)same[i][1];
			cells[same[i][0]] = in->cells[k];
			lens[same[i][0]] = in->lens[k];
		}
		tw_refnames_status(names, id_at(in, row, Q_STATUS_ID),
		    cells + R_STATUS, lens + R_STATUS);
		cells[R_CHANNEL] = tw_refnames_channel(names,
		    id_at(in, row, Q_CHANNEL_ID), &lens[R_CHANNEL]);
		cells[R_OWNER] = tw_refnames_user(names,
		    id_at(in, row, Q_OWNER_ID), &lens[R_OWNER]);
		cells[R_ASSIGNEE] = tw_refnames_user(names,
		    id_at(in, row, Q_ASSIGNEE_ID), &lens[R_ASSIGNEE]);
		tw_rows_add(*out, cells, lens);
	}
	return TW_OK;
}

enum tw_err
tw_queue_find(struct tw_arena *a, const struct tw_user *user,
    const struct tw_queue_filter *f, long long page, struct tw_rows **out,
    long long *total, int *more)
{
	struct tw_dbarg	 v[F__MAX], args[2 * (F__MAX + 4)], extra[2];
	struct tw_rows	*ids;
	const char	*text;
	long long	 upto;
	enum kind	 kind;
	unsigned	 mask;
	size_t		 n = 0;
	int		 probed;
	enum tw_err	 rc;

	if (page < 1)
		page = 1;
	mask = filter_values(f, v);
	upto = page * TW_QUEUE_PAGE;
	if (upto < TW_QUEUE_COUNT_MAX)
		upto = TW_QUEUE_COUNT_MAX;

	/* One step where an index gives the order and little is skipped;
	 * a search sorts its hits first either way. */
	kind = KIND_PAGE;
	if (!(mask & (1u << F_MATCH)) &&
	    (page - 1) * TW_QUEUE_PAGE <= DIRECT_SKIP)
		kind = KIND_DIRECT;
	if ((text = statement(a, kind, mask, f->sort, f->desc)) == NULL)
		return TW_ERR_NOMEM;
	if (kind == KIND_DIRECT) {
		extra[0] = TW_I(upto);
		n = bind_values(user, mask, v, extra, 1, args);
	}
	extra[0] = TW_I(TW_QUEUE_PAGE);
	extra[1] = TW_I((page - 1) * TW_QUEUE_PAGE);
	n += bind_values(user, mask, v, extra, 2, args + n);
	if ((rc = tw_db_query(a, text, &ids, n, args)) != TW_OK)
		return timed_out(rc);
	if ((rc = page_rows(a, ids, out)) != TW_OK)
		return rc;

	/* The one-step page's last column: the probe found one past upto. */
	probed = kind == KIND_DIRECT;
	if (probed && ids->nrows > 0 && tw_rows_str(ids, 0, "more") != NULL) {
		*total = upto;
		*more = 1;
		return TW_OK;
	}

	/* A first page that is not full holds them all. */
	*more = 0;
	if (page == 1 && (*out)->nrows < TW_QUEUE_PAGE) {
		*total = (long long)(*out)->nrows;
		return TW_OK;
	}
	return count(a, user, mask, f, v, upto, probed, total, more);
}

enum tw_err
tw_queue_choices(struct tw_arena *a, const struct tw_user *user,
    struct tw_queue_choices *out)
{
	enum tw_err	rc;

	if ((rc = tw_refdata_user_channels(a, user->id, 0,
	    &out->channels)) != TW_OK ||
	    (rc = tw_refdata_statuses(a, &out->statuses)) != TW_OK)
		return rc;
	return tw_refdata_agents(a, &out->agents);
}

enum tw_err
tw_queue_organisation(struct tw_arena *a, long long id, const char **name)
{
	struct tw_rows	*r;
	enum tw_err	 rc;

	*name = NULL;
	rc = tw_db_query(a, sql[SQL_ORGANISATION], &r, TW_ARGS(TW_I(id)));
	if (rc != TW_OK)
		return rc;
	if (r->nrows == 0)
		return TW_ERR_NOTFOUND;
	*name = tw_rows_str(r, 0, "name");
	return TW_OK;
}
