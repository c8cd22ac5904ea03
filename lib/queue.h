/*
 * queue.h: the ticket queue filtered, searched, sorted and counted.
 *
 * The caller validates the request into a struct tw_queue_filter; this
 * module turns the filters present into SQL made of constant fragments
 * with ? placeholders, and sees only tickets of the acting user's
 * channels, like lib/ticket.c.
 */
#ifndef TW_QUEUE_H
#define TW_QUEUE_H

#include <stddef.h>

#include "err.h"

struct tw_arena;
struct tw_rows;
struct tw_user;

/*
 * Counts are exact up to this many tickets, or to the end of the page
 * asked for where that lies further, and "more than" beyond: counting
 * walks every ticket it counts, about half a microsecond of the server's
 * time each, and counting to 1,000 cost the server more than the rest
 * of the queue page together.
 */
#define TW_QUEUE_COUNT_MAX	200
#define TW_QUEUE_WORDS_MAX	8	/* search words used */
#define TW_QUEUE_SEARCH_SECONDS	"2"	/* time limit of a search */

enum tw_queue_sort {
	TW_QUEUE_SORT_CREATED,
	TW_QUEUE_SORT_UPDATED,
	TW_QUEUE_SORT_PRIORITY,
	TW_QUEUE_SORT_NUMBER,
	TW_QUEUE_SORT_SUBJECT,
	TW_QUEUE_SORT__MAX
};

/*
 * What to show.  Zero and NULL mean "any"; dates are UTC instants
 * "YYYY-MM-DD HH:MM:SS", from inclusive and to exclusive.
 */
struct tw_queue_filter {
	long long		 channel;
	const char		*status;	/* status code */
	const char		*side;		/* us, customer or done */
	long long		 owner;
	long long		 assignee;
	int			 prio_min;	/* 1..9, 0: open */
	int			 prio_max;
	long long		 organisation;
	int			 handled_only;	/* channels the user handles */
	const char		*created_from;
	const char		*created_to;
	const char		*updated_from;
	const char		*updated_to;
	const char		*match;		/* from tw_queue_match() */
	enum tw_queue_sort	 sort;
	int			 desc;
};

/* The parameter name of a sort order, and back; -1 when unknown. */
const char	*tw_queue_sort_name(enum tw_queue_sort);
int		 tw_queue_sort_parse(const char *);

/*
 * The search words of text as a MariaDB boolean-mode expression that
 * requires each of them ("+printer +toner"), in the arena.  Words are
 * runs of letters and digits; those the full-text index leaves out
 * (under three characters, InnoDB's stop words) are dropped, since
 * requiring one would match nothing.  NULL when no word remains.
 */
const char	*tw_queue_match(struct tw_arena *, const char *text);

/*
 * One page (from 1, TW_QUEUE_PAGE rows) of the tickets that pass f, in
 * its order, and *total: how many pass, with *more set when more than
 * *total do (see TW_QUEUE_COUNT_MAX).  Rows:
 * number, subject, type, priority, status, status_name, side, channel,
 * organisation, owner, assignee, created_at, updated_at.  TW_ERR_INVALID
 * when a search matches too much to finish within
 * TW_QUEUE_SEARCH_SECONDS.
 */
enum tw_err	 tw_queue_find(struct tw_arena *, const struct tw_user *,
		    const struct tw_queue_filter *f, long long page,
		    struct tw_rows **out, long long *total, int *more);

/* What the filter form offers, each in the arena. */
struct tw_queue_choices {
	struct tw_rows	*channels;	/* id, name, role: the user's */
	struct tw_rows	*statuses;	/* id, code, name, side */
	struct tw_rows	*agents;	/* id, login, name: active users */
};

/* Gathers the choices from the process's reference data (refdata.h). */
enum tw_err	 tw_queue_choices(struct tw_arena *, const struct tw_user *,
		    struct tw_queue_choices *);

/* The name of organisation id; TW_ERR_NOTFOUND when there is none. */
enum tw_err	 tw_queue_organisation(struct tw_arena *, long long id,
		    const char **name);

#endif
