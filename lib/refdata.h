/*
 * refdata.h: the reference data every page asks for, kept per process.
 *
 * Agents, channels and their members, statuses, categories and workflow
 * transitions change rarely and are read on nearly every page.  Each
 * process keeps one copy of them, loaded in six statements and kept for
 * as long as the database's change counter (epoch.h) reads as it did at
 * loading; triggers bump that counter on every change to these tables,
 * so a page never shows them older than the request it answers.  A copy
 * loaded inside a transaction is used for that request only.
 *
 * The functions answer as the statements they replace did: rows in the
 * arena, with the columns named below, whose strings stay valid until
 * the arena is reset.
 */
#ifndef TW_REFDATA_H
#define TW_REFDATA_H

#include "err.h"

struct tw_arena;
struct tw_rows;

/*
 * Says that this process changed reference data: the next read in this
 * request checks the change counter again instead of trusting the value
 * it read with the session.  (Other processes find out by the counter.)
 */
void		 tw_refdata_changed(void);

/* Every status in its order: id, code, name, side. */
enum tw_err	 tw_refdata_statuses(struct tw_arena *, struct tw_rows **out);

/* The active agents by name: id, login, name. */
enum tw_err	 tw_refdata_agents(struct tw_arena *, struct tw_rows **out);

/*
 * The channels user_id is a member of, by name: id, name, role; or only
 * those the user handles, by name: id, name.
 */
enum tw_err	 tw_refdata_user_channels(struct tw_arena *, long long user_id,
		    int handles_only, struct tw_rows **out);

/* The active members of a channel by name: id, login, name, role. */
enum tw_err	 tw_refdata_channel_agents(struct tw_arena *,
		    long long channel_id, struct tw_rows **out);

/* A channel's categories by name: id, name. */
enum tw_err	 tw_refdata_categories(struct tw_arena *, long long channel_id,
		    struct tw_rows **out);

/*
 * The statuses a ticket of the channel may take from status from, in
 * their order: id, code, name, side.  A channel without transitions of
 * its own permits every other status.
 */
enum tw_err	 tw_refdata_next_statuses(struct tw_arena *,
		    long long channel_id, long long from,
		    struct tw_rows **out);

/*
 * Our own mail addresses, every channel's that has one, joined by ", "
 * as lib/addrlist.h joins them; NULL when there is none.
 */
enum tw_err	 tw_refdata_own_addresses(struct tw_arena *, const char **out);

/*
 * Names by id from one copy of the reference data, for rows read with
 * the ids only: a statement that joins four small tables per row costs
 * the server more than the lookups here.  The copy is held until the
 * arena is reset.  Each lookup answers NULL for an id it does not know.
 */
struct tw_refnames;

enum tw_err	 tw_refdata_names(struct tw_arena *,
		    const struct tw_refnames **out);

/* A user's name, active or not. */
const char	*tw_refnames_user(const struct tw_refnames *, long long id,
		    size_t *len);

/* A channel's name. */
const char	*tw_refnames_channel(const struct tw_refnames *, long long id,
		    size_t *len);

/* A status's code, name and side, into cells[0..2] and lens[0..2]. */
int		 tw_refnames_status(const struct tw_refnames *, long long id,
		    const char **cells, size_t *lens);

/*
 * Something made from the reference data and kept with this copy of it:
 * what is stored under key, or else make(keep, ctx), stored and returned
 * (unless NULL).  make allocates only from keep, which lasts as long as
 * the copy, and may register cleanups on it.  The result stays valid
 * until the arena a is reset.
 */
void		*tw_refdata_memo(struct tw_arena *a, const char *key,
		    void *(*make)(struct tw_arena *keep, void *ctx),
		    void *ctx);

#endif
