/*
 * bulk.h: one change applied to many tickets at once.
 *
 * The agent picks tickets in the queue and one change for all of them:
 * a new assignee, status or channel.  Each ticket is checked like a
 * single change: a ticket of a channel the agent is not a member of is
 * reported as not found and left alone, one whose channel the agent only
 * reads along is reported as forbidden.  All changes happen in one
 * transaction, and the result of each ticket is reported.
 */
#ifndef TW_BULK_H
#define TW_BULK_H

#include <stddef.h>

#include "err.h"

struct tw_arena;
struct tw_user;

#define TW_BULK_MAX	100	/* tickets per request */

enum tw_bulk_action {
	TW_BULK_ASSIGN,
	TW_BULK_STATUS,
	TW_BULK_CHANNEL,
	TW_BULK_ACTION__MAX
};

enum tw_bulk_result {
	TW_BULK_CHANGED,
	TW_BULK_UNCHANGED,	/* had the value already */
	TW_BULK_NOTFOUND,	/* no such ticket, or not visible */
	TW_BULK_FORBIDDEN,	/* the agent only reads its channel */
	TW_BULK_REFUSED,	/* the ticket's rules do not allow it */
	TW_BULK_RESULT__MAX
};

struct tw_bulk_change {
	enum tw_bulk_action	 action;
	long long		 assignee;	/* user id */
	const char		*status;	/* status code */
	long long		 channel;	/* channel id */
};

/* The parameter names of actions and results, and back (-1: unknown). */
const char	*tw_bulk_action_name(enum tw_bulk_action);
int		 tw_bulk_action_parse(const char *);
const char	*tw_bulk_result_name(enum tw_bulk_result);

/*
 * Applies change to the tickets numbers[0..n), in one transaction, and
 * stores each ticket's outcome in results[i].  The target must exist:
 * TW_ERR_INVALID for an unknown or inactive assignee or status, and for
 * a channel the user does not handle, before any ticket is touched.
 */
enum tw_err	 tw_bulk_apply(struct tw_arena *, const struct tw_user *,
		    const struct tw_bulk_change *, const long long *numbers,
		    size_t n, enum tw_bulk_result *results);

#endif
