/*
 * ingest.h: one raw mail into the ticket it belongs to.
 *
 * The one path every mail takes, whichever feeder brought it (mailgate,
 * IMAP, HTTP): parse it, drop it when its Message-ID was seen before or
 * when it comes from one of our own addresses, find its ticket by the
 * number in the subject ("[#4319]") or by In-Reply-To and References to
 * a message we know, else open a ticket of type "email" in the channel;
 * match the sender to a contact by any of its addresses (an unknown
 * sender becomes a contact, of the organisation whose mail domain
 * matches unless the feeder wants it unassigned); add the mail as an
 * item with its attachments; reopen a closed ticket; alert the watchers;
 * queue the channel's acknowledgement of receipt when the mail opened
 * the ticket and no machine sent it.  All of it in one transaction.
 */
#ifndef TW_INGEST_H
#define TW_INGEST_H

#include <stddef.h>

#include "err.h"

struct tw_arena;

struct tw_ingest_result {
	long long	number;		/* the ticket's; 0 when ignored */
	long long	item_id;
	int		created;	/* a new ticket was opened */
	int		duplicate;	/* the Message-ID was there already */
	int		own;		/* from one of our addresses: ignored */
	int		reopened;	/* a closed ticket opened again */
	int		auto_reply;	/* sent by a machine: do not answer */
};

/* What to do with a sender no contact has. */
enum tw_ingest_unknown {
	TW_INGEST_BY_DOMAIN,	/* the organisation of the address's domain */
	TW_INGEST_UNASSIGNED	/* no organisation */
};

/* Where a mail came from, and how its feeder wants it taken in. */
struct tw_ingest_source {
	long long		channel_id;	/* new tickets open here */
	enum tw_ingest_unknown	unknown;
};

/*
 * Takes in len bytes of a raw message from src.  A message without a
 * Message-ID gets one made from its bytes, so taking it in again is
 * harmless too.  TW_ERR_TOOBIG over TW_MAIL_MAX, TW_ERR_INVALID when it
 * is not a message at all, TW_ERR_IO when an attachment cannot be
 * stored, a database code when the transaction fails (nothing is then
 * stored, so the feeder may try again).
 */
enum tw_err	tw_ingest_from(struct tw_arena *, const char *raw, size_t len,
		    const struct tw_ingest_source *src,
		    struct tw_ingest_result *out);

/* tw_ingest_from() for channel_id, unknown senders by their domain. */
enum tw_err	tw_ingest(struct tw_arena *, const char *raw, size_t len,
		    long long channel_id, struct tw_ingest_result *out);

/*
 * What became of the mail, in one word for logs and API answers:
 * "created" (a new ticket), "added" (to a ticket that was there),
 * "duplicate" (seen before) or "own" (from one of our addresses).
 */
const char	*tw_ingest_result_name(const struct tw_ingest_result *);

/* The id of the channel called name; TW_ERR_NOTFOUND when none. */
enum tw_err	tw_ingest_channel(struct tw_arena *, const char *name,
		    long long *id);

/*
 * The ticket number in a subject written "... [#4319]" (the last one
 * wins), or 0.
 */
long long	tw_ingest_subject_number(const char *subject);

#endif
