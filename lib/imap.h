/*
 * imap.h: an IMAP client session for the mailbox poller.
 *
 * libcurl makes the connection, verifies the server's certificate (TLS
 * from the first byte for imaps://, STARTTLS required for imap://) and
 * logs in; the session then speaks the few commands the poller needs
 * over that connection itself (curl_easy_send/curl_easy_recv), because
 * libcurl's own custom IMAP requests pass on only the untagged lines of
 * a response and drop the literal that carries a message's bytes.  Every
 * response is read through imap_parse.c.
 *
 * A failing call leaves a word in tw_imap_problem() for the mailbox's
 * state ("connect", "tls", "login", "timeout", "folder", "protocol",
 * "closed", "flags"); the details go to the log.  After a failure of the
 * connection the session is broken and every further call fails at once.
 */
#ifndef TW_IMAP_H
#define TW_IMAP_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct tw_imap;
struct tw_imap_url;

struct tw_imap_login {
	const struct tw_imap_url *url;
	const char	*user;
	const char	*password;
	const char	*ca_file;	/* PEM file of trusted CAs; NULL or
					 * "" for the system's */
	long		 timeout;	/* seconds without progress */
};

/*
 * Connects and logs in.  TW_ERR_FORBIDDEN when the server refused the
 * login, TW_ERR_IO for anything else; *problem names it.  On success the
 * caller closes *out with tw_imap_close().
 */
enum tw_err	tw_imap_open(const struct tw_imap_login *,
		    struct tw_imap **out, const char **problem);

/*
 * Selects folder (read-write, for flags); *uidvalidity as the server
 * says.  TW_ERR_NOTFOUND when the server refuses the folder.
 */
enum tw_err	tw_imap_select(struct tw_imap *, const char *folder,
		    uint32_t *uidvalidity);

/*
 * The UIDs above last in the selected folder, ascending, at most max of
 * the lowest; *n how many.
 */
enum tw_err	tw_imap_uids_after(struct tw_imap *, uint32_t last,
		    uint32_t *uids, size_t max, size_t *n);

/* The size of message uid (RFC822.SIZE); TW_ERR_NOTFOUND when gone. */
enum tw_err	tw_imap_size(struct tw_imap *, uint32_t uid, long long *size);

/*
 * The bytes of message uid, without setting \Seen (BODY.PEEK[]); *raw is
 * malloc'd for the caller to free.  TW_ERR_NOTFOUND when the message is
 * gone, TW_ERR_TOOBIG when it is over max (the session is then broken).
 */
enum tw_err	tw_imap_fetch(struct tw_imap *, uint32_t uid, size_t max,
		    char **raw, size_t *len);

/* Sets \Seen on message uid. */
enum tw_err	tw_imap_mark_seen(struct tw_imap *, uint32_t uid);

/* The word for the last failure, or NULL. */
const char	*tw_imap_problem(const struct tw_imap *);

/* Logs out (when the session still works) and frees it; NULL is fine. */
void		tw_imap_close(struct tw_imap *);

#endif
