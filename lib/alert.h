/*
 * alert.h: alerts for new items on watched tickets, and the mail they
 * queue.
 *
 * Every watcher of a ticket (for a channel: each of its members) who may
 * see the ticket gets one alert per new item, except the item's author.
 * Alerted agents with an email address and notifications on also get a
 * mail queued in outbound_mail, in their language, for the mail sender
 * to deliver; nothing is sent here.
 */
#ifndef TW_ALERT_H
#define TW_ALERT_H

#include "err.h"

struct tw_arena;
struct tw_rows;

#define TW_ALERT_PAGE	100	/* alerts the list shows */

/*
 * Alerts the watchers of ticket_id about item_id, written by author_id
 * (0 for the system), and queues their mail.  Runs inside the caller's
 * transaction, so the alerts stand or fall with the item.
 */
enum tw_err	tw_alert_item(struct tw_arena *, long long ticket_id,
		    long long item_id, long long author_id);

/*
 * What opening a ticket means here: user_id, who opened it and owns it,
 * watches it.  Nobody is alerted about its first item: the opener is its
 * only watcher then, and nobody is alerted about their own items.  Runs
 * inside the caller's transaction.
 */
enum tw_err	tw_alert_ticket_created(long long ticket_id, long long user_id);

/*
 * The counts the navigation shows: unread alerts and reminders due now.
 * Two index-only counts (alerts_unread, reminders_due).
 */
enum tw_err	tw_alert_counts(struct tw_arena *, long long user_id,
		    long long *unread, long long *due);

/*
 * The same counts as columns of the session statement, where the user is
 * u (see tw_auth_session_columns): a page then needs no statement of its
 * own for them.
 */
const char	*tw_alert_count_columns(void);

/*
 * The counts as the session statement read them, if it did: 1 with
 * *unread and *due set, else 0.  identity is the request's.
 */
int		tw_alert_counts_read(const struct tw_rows *identity,
		    long long *unread, long long *due);

/*
 * The newest alerts of user_id on tickets the user can still see: id,
 * number, subject, item_id, author, created_at, unread (1 or 0).
 */
enum tw_err	tw_alert_list(struct tw_arena *, long long user_id,
		    struct tw_rows **out);

/*
 * Marks alert_id of user_id read, or every unread alert of user_id when
 * alert_id is 0.  TW_ERR_NOTFOUND when alert_id is not the user's.
 */
enum tw_err	tw_alert_read(struct tw_arena *, long long user_id,
		    long long alert_id);

/*
 * Marks read the unread alerts an agent can no longer open: those of
 * user_id on tickets of channel_id (the agent left it), or those on
 * ticket_id of agents who are no members of its channel (it moved).
 * Each runs inside the transaction that makes the change.
 */
enum tw_err	tw_alert_forget_channel(long long user_id,
		    long long channel_id);
enum tw_err	tw_alert_forget_unseen(long long ticket_id);

/* Whether user_id wants alerts mailed (*on), and switching it. */
enum tw_err	tw_alert_mail_get(struct tw_arena *, long long user_id,
		    int *on);
enum tw_err	tw_alert_mail_set(long long user_id, int on);

/*
 * The address of ticket number (item_id > 0 adds the item's anchor):
 * [http] public_url followed by the path, or the path alone when no
 * public URL is configured.  In the arena.
 */
const char	*tw_alert_link(struct tw_arena *, long long number,
		    long long item_id);

/*
 * The host name that makes Message-IDs and calendar UIDs unique: the
 * host of [http] public_url, else "ticketwerk.invalid".  In the arena.
 */
const char	*tw_alert_host(struct tw_arena *);

#endif
