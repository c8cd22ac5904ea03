/*
 * channel.h: channels and who belongs to them.
 *
 * A ticket lives in one channel; an agent sees the tickets of the
 * channels they are a member of, whether they handle them or only read
 * along.  Only members who handle a channel may open tickets in it.
 */
#ifndef TW_CHANNEL_H
#define TW_CHANNEL_H

#include "err.h"

struct tw_arena;
struct tw_rows;

/* The channels user_id handles (id, name), by name. */
enum tw_err	tw_channel_handled(struct tw_arena *, long long user_id,
		    struct tw_rows **out);

/* Every channel (id, name, email, handlers, readers), by name. */
enum tw_err	tw_channel_list(struct tw_arena *, struct tw_rows **out);

/* One channel (id, name, email); TW_ERR_NOTFOUND when none. */
enum tw_err	tw_channel_get(struct tw_arena *, long long id,
		    struct tw_rows **out);

/* A new channel; TW_ERR_CONFLICT when the name is taken. */
enum tw_err	tw_channel_add(const char *name, const char *email,
		    long long *id);

/* The members of a channel (user_id, login, name, role, subscription). */
enum tw_err	tw_channel_members(struct tw_arena *, long long id,
		    struct tw_rows **out);

/*
 * Makes user_id a member of channel_id, or changes the membership: role
 * "handles" or "reads", subscription "standard" or "informal".
 * TW_ERR_NOTFOUND when the channel or the agent does not exist.
 */
enum tw_err	tw_channel_member_set(long long channel_id, long long user_id,
		    const char *role, const char *subscription);

/*
 * Ends a membership, and marks read the agent's alerts on the channel's
 * tickets; TW_ERR_NOTFOUND when there was none.
 */
enum tw_err	tw_channel_member_remove(long long channel_id,
		    long long user_id);

/* TW_OK when user_id handles channel_id, TW_ERR_NOTFOUND otherwise. */
enum tw_err	tw_channel_check_handles(struct tw_arena *, long long user_id,
		    long long channel_id);

#endif
