/*
 * status.h: ticket statuses: the four standard ones and those an
 * administrator adds.
 *
 * Each status sits on a side that says whose turn it is: "us", the
 * "customer", or "done".  Standard statuses have fixed codes (new,
 * in_progress, answered, closed) that the program relies on; custom ones
 * get the code custom_<id>.  Any status can be renamed.
 */
#ifndef TW_STATUS_H
#define TW_STATUS_H

#include "err.h"

struct tw_arena;
struct tw_rows;

#define TW_STATUS_NAME_MAX	100	/* characters */

/* Returns 1 when side is "us", "customer" or "done". */
int		tw_status_side_valid(const char *side);

/* Every status (id, code, name, side, custom), in their order. */
enum tw_err	tw_status_list(struct tw_arena *, struct tw_rows **out);

/* Adds a custom status after the others; *id gets its id. */
enum tw_err	tw_status_add(const char *name, const char *side,
		    long long *id);

/* Renames status id; TW_ERR_NOTFOUND when there is none. */
enum tw_err	tw_status_rename(struct tw_arena *, long long id,
		    const char *name);

#endif
