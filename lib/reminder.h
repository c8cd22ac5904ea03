/*
 * reminder.h: follow-up reminders: a ticket comes back to an agent on a
 * date.
 *
 * A reminder is for the ticket's owner (for the acting agent when the
 * ticket has none); there is at most one per ticket and agent, so
 * setting it again replaces it.  Functions see only tickets of the
 * acting user's channels and report others as not found.
 * When the ticket changes owner, the old owner's reminder goes to the
 * new one (tw_reminder_hand_over), so it comes due for whoever handles
 * the ticket then.
 */
#ifndef TW_REMINDER_H
#define TW_REMINDER_H

#include <time.h>

#include "err.h"

struct tw_arena;
struct tw_rows;
struct tw_user;

#define TW_REMINDER_NOTE_MAX	500	/* characters */
#define TW_REMINDER_LIST_MAX	200	/* reminders the due list shows */

/* Sets or replaces the reminder of ticket number for its owner. */
enum tw_err	tw_reminder_set(struct tw_arena *, const struct tw_user *,
		    long long number, time_t due, const char *note);

/*
 * Clears the reminder of ticket number for its owner and for user;
 * TW_ERR_NOTFOUND when the ticket is not visible or had none.
 */
enum tw_err	tw_reminder_clear(struct tw_arena *, const struct tw_user *,
		    long long number);

/*
 * The reminder on ticket_id for its owner or user_id, if any: due_at,
 * note, agent (the name of whom it is for).  The caller has checked
 * that the ticket is visible.
 */
enum tw_err	tw_reminder_of_ticket(struct tw_arena *, long long ticket_id,
		    long long user_id, struct tw_rows **out);

/*
 * The reminders of user_id on tickets the user can see, soonest first:
 * number, subject, due_at, note, is_due (1 when the date has passed).
 */
enum tw_err	tw_reminder_list(struct tw_arena *, long long user_id,
		    struct tw_rows **out);

/*
 * Gives the reminder of agent from on ticket_id to agent to, unless to
 * has one there already (then each keeps their own).  Runs inside the
 * transaction that changes the owner.
 */
enum tw_err	tw_reminder_hand_over(long long ticket_id, long long from,
		    long long to);

#endif
