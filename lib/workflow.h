/*
 * workflow.h: what a channel's tickets may become: the status transitions
 * the channel permits, and the agents who may own or follow its tickets.
 *
 * A channel without transitions of its own follows the standard
 * workflow, in which every status may change to every other.
 */
#ifndef TW_WORKFLOW_H
#define TW_WORKFLOW_H

#include <stddef.h>

#include "err.h"

struct tw_arena;
struct tw_rows;

/* One permitted transition, by status id. */
struct tw_transition {
	long long	 from;
	long long	 to;
};

/*
 * The statuses a ticket in channel_id may move to from from_status (id,
 * code, name, side), in the statuses' order, without from_status itself.
 */
enum tw_err	tw_workflow_allowed(struct tw_arena *, long long channel_id,
		    long long from_status, struct tw_rows **out);

/* Sets *ok to whether channel_id permits from -> to. */
enum tw_err	tw_workflow_permits(struct tw_arena *, long long channel_id,
		    long long from, long long to, int *ok);

/*
 * The channel's own transitions (from_id, to_id); none when it follows
 * the standard workflow.
 */
enum tw_err	tw_workflow_list(struct tw_arena *, long long channel_id,
		    struct tw_rows **out);

/*
 * Replaces the channel's transitions with the n given, in a transaction
 * of its own.  n == 0 returns the channel to the standard workflow.
 * TW_ERR_INVALID when a status id does not exist or from == to.
 */
enum tw_err	tw_workflow_set(struct tw_arena *, long long channel_id,
		    const struct tw_transition *, size_t n);

/* Every channel (id, name, own: whether it has transitions of its own). */
enum tw_err	tw_workflow_channels(struct tw_arena *, struct tw_rows **out);

/*
 * The agents who are members of channel_id (id, login, name, role), by
 * name.  Owners must handle the channel; assignees may only read along.
 */
enum tw_err	tw_workflow_agents(struct tw_arena *, long long channel_id,
		    struct tw_rows **out);

#endif
