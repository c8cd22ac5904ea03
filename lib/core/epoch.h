/*
 * epoch.h: whether what a process keeps in memory is still current.
 *
 * The database holds one counter, cache_epoch.n, which triggers bump on
 * every change to the data processes keep copies of.  A copy is good for
 * as long as the counter still reads as it did when the copy was loaded.
 * The counter is read once per request, with the session or API token
 * (tw_epoch_note), and forgotten when the request ends; outside a
 * request, every tw_epoch_get reads it again.
 */
#ifndef TW_EPOCH_H
#define TW_EPOCH_H

#include "err.h"

struct tw_arena;

/* Remembers n as the counter's value for the rest of this request. */
void		 tw_epoch_note(long long n);

/*
 * Forgets the value noted: at the end of each request, and after this
 * process changed cached data itself, so the next tw_epoch_get reads the
 * counter again.
 */
void		 tw_epoch_forget(void);

/*
 * The counter as noted in this request, or as read now.  Inside a
 * transaction the value read may count changes that never commit:
 * nothing loaded there should be kept (see tw_db_in_txn).
 */
enum tw_err	 tw_epoch_get(struct tw_arena *, long long *n);

#endif
