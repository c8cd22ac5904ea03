/*
 * ticket_change.h: what agents change on a ticket, and its history.
 *
 * Status (within the transitions the channel permits), owner, assignee,
 * priority, category, colour marking and channel change together in one
 * transaction that checks the version the agent saw.  Every field that
 * changes becomes one system item whose body is a small JSON object,
 * {"field": "status", "from": "New", "to": "Closed", "version": 4}, which
 * the views render through the catalog; fields sent with their current
 * value record nothing.  Names are stored rather than ids, so the history
 * still reads right after a rename or a removal.
 */
#ifndef TW_TICKET_CHANGE_H
#define TW_TICKET_CHANGE_H

#include <stddef.h>

#include "err.h"

struct tw_arena;
struct tw_rows;
struct tw_user;

enum tw_colour {
	TW_COLOUR_NONE,
	TW_COLOUR_RED,
	TW_COLOUR_ORANGE,
	TW_COLOUR_YELLOW,
	TW_COLOUR_GREEN,
	TW_COLOUR_BLUE,
	TW_COLOUR_PURPLE,
	TW_COLOUR__MAX
};

/* A numeric field of struct tw_ticket_change that is left as it is. */
#define TW_UNCHANGED	(-1)

struct tw_ticket_change {
	/* What to change: NULL or TW_UNCHANGED leaves a field alone. */
	long long	 version;	/* the version seen; 0: no check */
	int		 lenient;	/* check it only when a field changes */
	const char	*status;	/* a status code */
	const char	*owner;		/* a login; "" for nobody */
	const char	*assignee;	/* a login; "" for nobody */
	long long	 priority;	/* 1..9 */
	long long	 category;	/* a category id; 0 for none */
	long long	 colour;	/* an enum tw_colour */
	long long	 channel;	/* a channel id */

	/* Filled in by the call. */
	size_t		 nchanged;	/* history items written */
	const char	*refused;	/* the field TW_ERR_INVALID is about */
	struct tw_rows	*allowed;	/* for a refused status: code, name */
};

/* A change that changes nothing (every field TW_UNCHANGED or NULL). */
void		tw_ticket_change_init(struct tw_ticket_change *);

/* 1 when ch asks for no field at all, as after tw_ticket_change_init(). */
int		tw_ticket_change_empty(const struct tw_ticket_change *);

/* The SQL name of a colour, and the colour of a name (1 when known). */
const char	*tw_colour_name(enum tw_colour);
int		 tw_colour_parse(const char *, enum tw_colour *);

/*
 * Applies ch to the ticket number in a transaction of its own.  Returns
 * TW_ERR_NOTFOUND when user cannot see the ticket, TW_ERR_FORBIDDEN when
 * user only reads along, TW_ERR_CONFLICT when ch->version is not the
 * ticket's, and TW_ERR_INVALID with ch->refused set when a value is not
 * acceptable (a forbidden transition also fills ch->allowed).  Nothing is
 * written unless everything is acceptable.
 */
enum tw_err	tw_ticket_update(struct tw_arena *, const struct tw_user *,
		    long long number, struct tw_ticket_change *);

/*
 * The same inside the caller's transaction, for a ticket whose access
 * the caller has checked: locks the row, checks and writes.  The version
 * goes up by one only when something changed (ch->nchanged > 0).
 */
enum tw_err	tw_ticket_change_locked(struct tw_arena *,
		    const struct tw_user *, long long ticket_id,
		    struct tw_ticket_change *);

/*
 * Reopens a closed ticket because the customer wrote again (by mail, in
 * the portal or on the phone): a ticket whose status is on the side
 * "done" goes back to In progress when it has an owner, else to New, and
 * the change is recorded as a system item by author_id (0: by the
 * system).  Workflows do not apply: the customer's word always reopens.
 * Must run inside the caller's transaction (the one that records what
 * the customer wrote); *reopened says whether the ticket was closed.
 */
enum tw_err	tw_ticket_reopen(struct tw_arena *, long long ticket_id,
		    long long author_id, int *reopened);

/*
 * The system items recorded after version on ticket_id, oldest first:
 * body, author, created_at.  For showing what a stale form missed.
 */
enum tw_err	tw_ticket_changes_since(struct tw_arena *, long long ticket_id,
		    long long version, struct tw_rows **out);

#endif
