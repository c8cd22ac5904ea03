/*
 * reply.h: answering the customer by mail from the ticket.
 *
 * An agent's item of kind email_out becomes a mail from the channel's
 * address, queued in the item's transaction: the subject is the
 * ticket's, tagged with its number so the answer finds the ticket again,
 * the Message-ID is new and stored on the item (an answer that quotes it
 * in In-Reply-To threads back through lib/ingest.c), In-Reply-To names
 * the ticket's newest incoming mail and References its mails, and the
 * item's files go with it.  Sending is lib/outbound.c's job.
 */
#ifndef TW_REPLY_H
#define TW_REPLY_H

#include "err.h"

struct tw_arena;
struct tw_rows;
struct tw_user;

/*
 * What a reply on ticket number, as user sees it, would need: *to, the
 * sender of the ticket's newest incoming mail that no machine sent, else
 * the first address of the ticket's contact (NULL when there is neither);
 * *cc, the others that mail went to, less our own channels' addresses
 * and *to (NULL when none; a list as lib/addrlist.h joins it); and *from,
 * the channel's address (NULL when the channel has none, and no reply
 * can be sent).  TW_ERR_NOTFOUND when user cannot see the ticket.  In
 * the arena.
 */
enum tw_err	tw_reply_defaults(struct tw_arena *, const struct tw_user *,
		    long long number, const char **to, const char **cc,
		    const char **from);

/*
 * The same from a ticket and its items as tw_ticket_get() answered them,
 * for a page that has read them already.
 */
enum tw_err	tw_reply_defaults_of(struct tw_arena *,
		    const struct tw_rows *ticket, const struct tw_rows *items,
		    const char **to, const char **cc, const char **from);

/*
 * Answer to all, from the newest mail a person sent on a ticket (its
 * mail_from, mail_to and mail_cc; all NULL when there is none): *to is
 * its sender, else contact (which may be NULL); *cc the others it went
 * to, less own (our addresses, a list) and *to, or NULL.  In the arena.
 */
void		tw_reply_answer_all(struct tw_arena *, const char *contact,
		    const char *mail_from, const char *mail_to,
		    const char *mail_cc, const char *own, const char **to,
		    const char **cc);

/*
 * Queues the mail of item item_id on ticket_id, whose text is body, to
 * the address to and the copies cc (a joined list or NULL; both checked
 * by the caller), and stores its Message-ID on the item.  Runs inside
 * the item's transaction.  TW_ERR_CONFLICT when the channel has no
 * address.
 */
enum tw_err	tw_reply_queue(struct tw_arena *, long long ticket_id,
		    long long item_id, const char *to, const char *cc,
		    const char *body);

/*
 * subject tagged with the ticket number: " [#4319]" added unless the
 * subject carries that number already; "Re: " in front when answer is
 * set and it does not start with a reply prefix already.  In the arena.
 */
const char	*tw_reply_subject(struct tw_arena *, const char *subject,
		    long long number, int answer);

#endif
