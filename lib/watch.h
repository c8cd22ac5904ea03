/*
 * watch.h: who watches a ticket.
 *
 * A watcher is one agent or a whole channel; watchers get an alert for
 * every new item (see alert.h).  The creator of a ticket watches it from
 * the start.  Functions taking the acting user see only tickets of that
 * user's channels, and report any other ticket as not found.
 */
#ifndef TW_WATCH_H
#define TW_WATCH_H

#include "err.h"

struct tw_arena;
struct tw_rows;
struct tw_user;

/* Whom to add or remove: an agent by login, or a channel by id. */
struct tw_watch_target {
	const char	*login;		/* NULL when channel_id is used */
	long long	 channel_id;
};

/*
 * Makes user_id a watcher of ticket_id; watching already is not an
 * error.  No access check: for the ticket module's own transactions
 * (creation, owner changes), which run it inside theirs.
 */
enum tw_err	tw_watch_add_user(long long ticket_id, long long user_id);

/*
 * Adds a watcher to ticket number as user.  TW_ERR_NOTFOUND when user
 * cannot see the ticket; TW_ERR_INVALID when the agent does not exist or
 * is no member of the ticket's channel, or the channel is not one of
 * user's own.  Adding a watcher twice is not an error.
 */
enum tw_err	tw_watch_add(struct tw_arena *, const struct tw_user *,
		    long long number, const struct tw_watch_target *);

/*
 * Removes a watcher; TW_ERR_NOTFOUND when the ticket is not visible or
 * the target did not watch it.
 */
enum tw_err	tw_watch_remove(struct tw_arena *, const struct tw_user *,
		    long long number, const struct tw_watch_target *);

/*
 * The watchers of ticket_id, agents by name and then channels: kind
 * ("user" or "channel"), user_id, login, channel_id, name.  The caller
 * has checked that the ticket is visible.  Rows live in the arena.
 */
enum tw_err	tw_watch_list(struct tw_arena *, long long ticket_id,
		    struct tw_rows **out);

/*
 * What the ticket page offers to add: the active agents of the ticket's
 * channel (user_id, login, name, role) and the channels user_id belongs
 * to (id, name, role), each by name.
 */
enum tw_err	tw_watch_agents(struct tw_arena *, long long channel_id,
		    struct tw_rows **agents);
enum tw_err	tw_watch_channels(struct tw_arena *, long long user_id,
		    struct tw_rows **channels);

#endif
