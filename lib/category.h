/*
 * category.h: ticket categories, which an administrator defines per
 * channel.  A ticket has at most one, of its own channel.
 */
#ifndef TW_CATEGORY_H
#define TW_CATEGORY_H

#include "err.h"

struct tw_arena;
struct tw_rows;

#define TW_CATEGORY_NAME_MAX	100	/* characters */

/* The categories of channel_id (id, name), by name. */
enum tw_err	tw_category_list(struct tw_arena *, long long channel_id,
		    struct tw_rows **out);

/*
 * Adds a category to channel_id; *id gets its id.  TW_ERR_CONFLICT when
 * the channel has one of that name, TW_ERR_NOTFOUND when there is no
 * such channel.
 */
enum tw_err	tw_category_add(struct tw_arena *, long long channel_id,
		    const char *name, long long *id);

/*
 * Renames category id; TW_ERR_NOTFOUND when there is none,
 * TW_ERR_CONFLICT when its channel has another of that name.
 */
enum tw_err	tw_category_rename(struct tw_arena *, long long id,
		    const char *name);

/* Removes category id; its tickets are left without a category. */
enum tw_err	tw_category_remove(long long id);

/* The channel of category id; TW_ERR_NOTFOUND when there is none. */
enum tw_err	tw_category_channel(struct tw_arena *, long long id,
		    long long *channel_id);

#endif
