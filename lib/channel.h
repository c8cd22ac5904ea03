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

/* TW_OK when user_id handles channel_id, TW_ERR_NOTFOUND otherwise. */
enum tw_err	tw_channel_check_handles(struct tw_arena *, long long user_id,
		    long long channel_id);

#endif
