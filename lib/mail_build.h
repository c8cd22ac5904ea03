/*
 * mail_build.h: one outgoing message, composed as RFC 5322 text.
 *
 * The caller fills a plain struct; GMime writes the message: addresses
 * with display names, the subject in RFC 2047 encoded words where it is
 * not ASCII, the text as UTF-8 quoted-printable, files in base64 with
 * their names (RFC 2231 where needed), an invitation's iCalendar object
 * as a text/calendar part with its method (iMIP, RFC 6047), lines ending
 * in CRLF.  Nothing
 * the caller passes can add a header of its own: control characters in
 * the subject, names and file names become spaces or underscores,
 * addresses must pass tw_email_norm(), and Message-IDs must be made of
 * the characters RFC 5322 allows in one.  Sending is lib/smtp.c's job.
 */
#ifndef TW_MAIL_BUILD_H
#define TW_MAIL_BUILD_H

#include <stddef.h>
#include <time.h>

#include "err.h"

struct tw_addrlist;
struct tw_arena;

#define TW_MAIL_ID_MAX	250	/* bytes of one Message-ID, without <> */

/* What RFC 3834 says of a message, in its Auto-Submitted header. */
enum tw_mail_auto {
	TW_MAIL_HUMAN,		/* no header: a person wrote it */
	TW_MAIL_AUTO_REPLIED,	/* answers a message: an acknowledgement */
	TW_MAIL_AUTO_GENERATED,	/* on its own: an alert */
	TW_MAIL_AUTO__MAX
};

struct tw_mail_file {
	const char	*filename;
	const char	*type;		/* "application/pdf" */
	const char	*data;
	size_t		 len;
};

struct tw_mail_out {
	const char		 *from_name;	/* may be NULL or "" */
	const char		 *from_addr;
	const char		 *to_name;	/* may be NULL or "" */
	const char		 *to_addr;
	const struct tw_addrlist *cc;		/* NULL: none */
	const char		 *subject;	/* UTF-8 */
	time_t			  date;
	const char		 *message_id;	/* with or without <> */
	const char		 *in_reply_to;	/* NULL: none */
	const char		**references;	/* oldest first */
	size_t			  nreferences;
	enum tw_mail_auto	  auto_submitted;
	const char		 *text;		/* UTF-8, any line ends */
	const struct tw_mail_file *files;
	size_t			  nfiles;
	const char		 *calendar;	/* iCalendar with METHOD */
};

/*
 * Writes the message m into *raw (len bytes, in the arena).  A
 * reference or In-Reply-To that is not a well-formed Message-ID is left
 * out (they come from other people's mail); TW_ERR_INVALID when an
 * address or the message's own Message-ID is not well-formed.
 */
enum tw_err	tw_mail_build(struct tw_arena *, const struct tw_mail_out *m,
		    const char **raw, size_t *len);

/*
 * The Message-ID id (with or without <>) without its brackets, in the
 * arena, or NULL when it is not one: an id-left and an id-right of
 * atext and dots around one '@', at most TW_MAIL_ID_MAX bytes.
 */
const char	*tw_mail_id_bare(struct tw_arena *, const char *id);

#endif
