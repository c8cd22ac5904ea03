/*
 * smtp.h: handing one message to the SMTP server, with libcurl.
 *
 * The server and how to reach it come from [smtp] in the configuration:
 *
 *	url		smtp://host:port (STARTTLS where the server offers
 *			it) or smtps://host:port (TLS from the start)
 *	starttls	try (the default), require, or off
 *	user, password	for AUTH, when the server wants it
 *	ca_file		the CA certificates to check the server by (the
 *			system's when empty)
 *	connect_timeout, timeout	seconds
 *	envelope_from	the address bounces go to (MAIL FROM); empty: the
 *			message's From
 *
 * The server's answer decides what comes next: a message it took is
 * sent; a 5xx answer to the envelope or the data is permanent, and no
 * retry would help; anything else (no connection, a 4xx, a timeout, a
 * refused login) may pass, and the caller tries again later.
 */
#ifndef TW_SMTP_H
#define TW_SMTP_H

#include <stddef.h>

#include "err.h"

struct tw_addrlist;
struct tw_arena;

enum tw_smtp_outcome {
	TW_SMTP_SENT,
	TW_SMTP_RETRY,		/* try again later */
	TW_SMTP_REJECTED	/* the server refused it for good */
};

/*
 * Sends len bytes of raw message text from envelope sender from (used
 * unless [smtp] envelope_from is set) to the address to and the copies
 * cc (NULL: none).  The server takes it for all of them or for none: a
 * recipient it refuses fails the whole attempt, so no retry sends it
 * twice to the others.  *outcome
 * says how it went; *why is a sentence for the ticket page and the log
 * when it was not sent (in the arena), else NULL.  Returns TW_OK once
 * the attempt was made, whatever its outcome; TW_ERR_INTERNAL when
 * libcurl cannot be set up at all.
 */
enum tw_err	tw_smtp_send(struct tw_arena *, const char *from,
		    const char *to, const struct tw_addrlist *cc,
		    const char *raw, size_t len,
		    enum tw_smtp_outcome *outcome, const char **why);

/*
 * How an attempt that ended with libcurl's result curl_rc (a CURLcode)
 * and the server's last reply code (0 when none came) is to be taken.
 */
enum tw_smtp_outcome tw_smtp_outcome(int curl_rc, long reply_code);

#endif
