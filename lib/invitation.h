/*
 * invitation.h: appointments mailed to the agents taking part.
 *
 * Each participant with an address, but the agent who acted, gets a
 * mail in their language with the event attached as text/calendar (iMIP,
 * RFC 6047): METHOD:REQUEST for a new or changed appointment, which a
 * calendar adds or updates (the sequence counts the changes), and
 * METHOD:CANCEL for a cancelled one, and for a participant a change
 * dropped.  The organiser is the ticket's channel.  The mail goes
 * through outbound_mail like any other.
 */
#ifndef TW_INVITATION_H
#define TW_INVITATION_H

#include "err.h"

struct tw_arena;
struct tw_rows;

/*
 * Queues the mail for appointment id as it now stands, changed by
 * actor_id; before holds its participants before a change (user_id,
 * name, email, lang), or is NULL.  Runs inside the transaction that
 * made the change.
 */
enum tw_err	tw_invitation_queue(struct tw_arena *, long long id,
		    long long actor_id, const struct tw_rows *before);

#endif
