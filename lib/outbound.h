/*
 * outbound.h: the outbound_mail queue, and the task that empties it.
 *
 * Whatever mail Ticketwerk sends (agents' alerts, replies written on a
 * ticket, acknowledgements of receipt) is first a row in outbound_mail,
 * written in the transaction that causes it, so a change rolled back
 * sends nothing and a message queued is never lost.  The task "outbound"
 * of ticketwerk-jobs sends the rows that are due, one at a time:
 *
 *	claim	one due row ('queued' and due, or 'sending' with its lease
 *		run out), skipping rows another runner has locked; the claim
 *		counts an attempt and leases the row for longer than one
 *		SMTP transaction may take
 *	build	the message (lib/mail_build.c) with the files of its item
 *	send	it over SMTP (lib/smtp.c)
 *	record	'sent' with the time; or, when the server may take it later,
 *		'queued' again after a pause that doubles with each attempt
 *		([smtp] retry_seconds up to retry_max_seconds); or 'failed'
 *		when the server refused it for good or after [smtp]
 *		attempts_max attempts.  The error stays in last_error.
 *
 * XXX: a runner that dies between the server's 250 and recording it
 * leaves a row whose lease runs out, and the message is sent again with
 * the same Message-ID; SMTP offers no way to ask whether it arrived.
 *
 * XXX: sent rows are kept for good, as the ticket page's record; nothing
 * prunes them yet, which costs disk space in proportion to mail sent.
 */
#ifndef TW_OUTBOUND_H
#define TW_OUTBOUND_H

#include "err.h"

struct tw_arena;
struct tw_rows;

enum tw_outbound_kind {
	TW_OUTBOUND_ALERT,
	TW_OUTBOUND_REPLY,
	TW_OUTBOUND_ACK,
	TW_OUTBOUND_INVITATION,
	TW_OUTBOUND_KIND__MAX
};

/* A message to queue.  Message-IDs are written as in a header, in <>. */
struct tw_outbound_new {
	enum tw_outbound_kind	 kind;
	const char		*from_addr;
	const char		*from_name;
	const char		*to_addr;
	const char		*cc_addrs;	/* a list (lib/addrlist.h) */
	const char		*subject;
	const char		*body;
	const char		*message_id;
	const char		*in_reply_to;	/* NULL: none */
	const char		*references;	/* "<a@b> <c@d>", or NULL */
	long long		 ticket_id;
	long long		 item_id;	/* 0: none */
	const char		*calendar;	/* iCalendar with METHOD */
};

/* Queues m; runs inside the caller's transaction. */
enum tw_err	tw_outbound_queue(const struct tw_outbound_new *m);

/*
 * The task: sends up to a batch of due messages and sets *more when a
 * full batch went, so the runner gives it another turn at once.  A
 * message that could not be sent is recorded as such and does not fail
 * the turn; only a database failure does.
 */
enum tw_err	tw_outbound_run(struct tw_arena *, int *more);

/*
 * Seconds to wait after failed attempt number attempt (1 for the first):
 * base doubled for each attempt before it, at most cap.
 */
long		tw_outbound_backoff(long attempt, long base, long cap);

/*
 * A new Message-ID in header form, "<tw.HEX@domain>" with 128 random
 * bits, for mail sent from address from (the domain is its domain, else
 * that of [http] public_url).  In the arena.
 */
const char	*tw_outbound_message_id(struct tw_arena *, const char *from);

/*
 * The sender of mail that belongs to no channel (agents' alerts): [smtp]
 * from, else ticketwerk@ and the host of [http] public_url; and [smtp]
 * from_name.  In the arena or the configuration.
 */
void		tw_outbound_default_from(struct tw_arena *, const char **addr,
		    const char **name);

/*
 * Where an answer on ticket_id threads in: *in_reply_to is the
 * Message-ID of the ticket's newest incoming mail (NULL when there is
 * none), *references those of its mails, oldest first, in header form
 * separated by spaces (NULL when none).  In the arena.
 */
enum tw_err	tw_outbound_thread(struct tw_arena *, long long ticket_id,
		    const char **in_reply_to, const char **references);

/*
 * The replies and acknowledgements of ticket_id as the ticket page shows
 * them: item_id, kind, to_address, cc_addresses, state, attempts,
 * next_attempt_at, sent_at, last_error, oldest first.
 */
enum tw_err	tw_outbound_of_ticket(struct tw_arena *, long long ticket_id,
		    struct tw_rows **out);

#endif
