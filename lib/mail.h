/*
 * mail.h: one raw RFC 822 message, parsed into what a ticket needs.
 *
 * GMime does the MIME work: encoded words in headers, transfer
 * encodings, any charset to UTF-8, nested multiparts, forwarded messages.
 * This module decides what is the message's text, what its (sanitised)
 * HTML, which parts are attachments, and whether the message was sent
 * by a machine (an auto-reply or a delivery report), which must never be
 * answered.  Threading and storing are the ingestion's job.
 */
#ifndef TW_MAIL_H
#define TW_MAIL_H

#include <stddef.h>
#include <time.h>

#include "addrlist.h"
#include "err.h"

struct tw_arena;

#define TW_MAIL_MAX	(50 * 1024 * 1024)	/* bytes of one message */

struct tw_mail_attachment {
	const char	*filename;	/* never NULL; no directories */
	const char	*type;		/* "image/png" */
	const char	*content_id;	/* for inline images, or NULL */
	const char	*data;
	size_t		 len;
	int		 inline_part;	/* shown inside the HTML */
};

struct tw_mail {
	const char	 *subject;	/* "" when missing */
	const char	 *from_name;	/* "" when missing */
	const char	 *from_addr;	/* lower-case, or "" when missing */
	struct tw_addrlist to;		/* lower-case; what is no address */
	struct tw_addrlist cc;		/* is left out, as is the rest past
					 * TW_ADDRLIST_MAX */
	const char	 *message_id;	/* without <>, or NULL */
	const char	 *in_reply_to;	/* without <>, or NULL */
	const char	**references;	/* without <>, oldest first */
	size_t		  nreferences;
	time_t		  date;		/* 0 when missing or unreadable */
	const char	 *text;		/* UTF-8 text; derived from the HTML
					 * when the mail has none */
	const char	 *html;		/* sanitised HTML, or NULL */
	struct tw_mail_attachment *attachments;
	size_t		  nattachments;
	int		  auto_reply;	/* out-of-office, machine, bulk */
	int		  bounce;	/* a delivery status report */
};

/*
 * Parses len bytes of a raw message (an mbox "From " line first is
 * skipped).  Everything in *out lives in the arena.  TW_ERR_TOOBIG over
 * TW_MAIL_MAX, TW_ERR_INVALID when nothing like a message is there.
 */
enum tw_err	tw_mail_parse(struct tw_arena *, const char *raw, size_t len,
		    struct tw_mail *out);

/* Sets GMime up, once per process; the functions here call it. */
void		tw_mail_init(void);

/*
 * Whether raw starts like a message, with a header field ("Name:") after
 * any mbox "From " line and blank space.  tw_mail_parse() takes anything
 * that is not empty, keeping what it cannot read as text, since an MTA
 * has nobody to tell; a feeder with a client to answer checks this first.
 */
int		tw_mail_has_header(const char *raw, size_t len);

/*
 * Copies len bytes into the arena as valid UTF-8: NUL bytes are dropped,
 * and every byte that does not start or continue a well-formed sequence
 * becomes U+FFFD.
 */
char		*tw_utf8_repair(struct tw_arena *, const char *s, size_t len);

#endif
