/*
 * merge.h: merging two tickets into one and splitting items off into a
 * new ticket.
 *
 * Both keep every item exactly once: a merge moves all items of the
 * source to the target, a split moves the chosen items to a new ticket.
 * Each records what happened as a system item on both tickets.  The
 * acting agent must handle the channels of every ticket involved.
 */
#ifndef TW_MERGE_H
#define TW_MERGE_H

#include <stddef.h>

#include "err.h"

struct tw_arena;
struct tw_user;

/*
 * Merges ticket number source into number target: the items move, the
 * source is closed and points at the target from then on.  TW_ERR_NOTFOUND
 * when either is not visible, TW_ERR_FORBIDDEN when the agent only reads
 * along in one of them, TW_ERR_INVALID for a ticket merged into itself or
 * one that was merged before.
 */
enum tw_err	tw_ticket_merge(struct tw_arena *, const struct tw_user *,
		    long long source, long long target);

/*
 * Moves the items with the given ids of ticket number source to a new
 * ticket in the same channel with the given subject; *number receives
 * the new ticket's number.  TW_ERR_INVALID when an id is not an item of
 * the source, or when the split would take every item.
 */
enum tw_err	tw_ticket_split(struct tw_arena *, const struct tw_user *,
		    long long source, const long long *items, size_t nitems,
		    const char *subject, long long *number);

/*
 * Follows merges from ticket number: the number of the ticket it now
 * lives in (number itself when it was never merged), or 0 when it is not
 * visible to user.
 */
long long	tw_ticket_resolve(struct tw_arena *, const struct tw_user *,
		    long long number);

#endif
