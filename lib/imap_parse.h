/*
 * imap_parse.h: the parts of IMAP4 (RFC 3501, RFC 9051) the mailbox
 * poller reads and writes, as pure functions over bytes.
 *
 * Every byte from an IMAP server is hostile: these parsers accept only
 * the exact forms of the few responses the poller asks for, refuse
 * anything else as malformed, and bound every number.  They never read
 * past len and need no NUL at the end.  Lines are given without their
 * CRLF.
 */
#ifndef TW_IMAP_PARSE_H
#define TW_IMAP_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct tw_arena;

#define TW_IMAP_LINE_MAX	65536	/* bytes of one response line */

/* Where a mailbox is: imap[s]://host[:port][/folder]. */
struct tw_imap_url {
	int		 tls;		/* imaps: TLS from the first byte;
					 * imap: STARTTLS, which is required */
	const char	*host;		/* lower case; IPv6 in brackets */
	unsigned	 port;		/* 993 or 143 unless given */
	const char	*folder;	/* decoded; "INBOX" when not given */
};

/*
 * Parses a mailbox URL into *out (strings in the arena).  No user,
 * password, query or fragment may be in it; the folder is printable
 * ASCII (percent-encoded in the URL where needed) without '*', '%'
 * and at most 200 bytes.  TW_ERR_INVALID with *problem naming the part
 * that is wrong: "scheme", "host", "port" or "folder".
 */
enum tw_err	tw_imap_url_parse(struct tw_arena *, const char *url,
		    struct tw_imap_url *out, const char **problem);

/* What a response line is, for a command sent with tag. */
enum tw_imap_kind {
	TW_IMAP_UNTAGGED,	/* "* ..." */
	TW_IMAP_CONTINUE,	/* "+ ..." */
	TW_IMAP_OK,		/* "tag OK ..." */
	TW_IMAP_NO,		/* "tag NO ...": refused */
	TW_IMAP_BAD,		/* "tag BAD ...": not understood */
	TW_IMAP_MALFORMED	/* anything else, another tag too */
};

enum tw_imap_kind tw_imap_line_kind(const char *line, size_t len,
		    const char *tag);

/* Whether an untagged line is "* BYE ...": the server is leaving. */
int		tw_imap_is_bye(const char *line, size_t len);

/*
 * The UIDVALIDITY of "* OK [UIDVALIDITY n] ..." (RFC 3501 7.1).
 * TW_ERR_NOTFOUND when the line is another response, TW_ERR_INVALID
 * when n is not a number in 1..2^32-1.
 */
enum tw_err	tw_imap_parse_uidvalidity(const char *line, size_t len,
		    uint32_t *out);

/*
 * Appends the UIDs of "* SEARCH n n ..." (RFC 3501 7.2.5) to uids,
 * which holds *n of at most max.  TW_ERR_NOTFOUND when the line is
 * another response, TW_ERR_INVALID for anything but numbers in
 * 1..2^32-1 single-spaced, TW_ERR_TOOBIG when more than max.
 */
enum tw_err	tw_imap_parse_search(const char *line, size_t len,
		    uint32_t *uids, size_t max, size_t *n);

/* What the FETCH responses of one message said so far. */
struct tw_imap_fetch {
	uint32_t	seq;		/* the message sequence number */
	uint32_t	uid;		/* 0 until UID was given */
	long long	size;		/* RFC822.SIZE, -1 until given */
	long long	literal;	/* bytes of the BODY[] literal that
					 * follow the line, or -1 */
	int		body;		/* BODY[] was given (NIL: no body) */
	int		done;		/* the closing ')' was read */
};

/*
 * Parses "* n FETCH (att value ...)" (RFC 3501 7.4.2) into a zeroed *f:
 * UID, RFC822.SIZE and BODY[] are read, FLAGS and other simple values
 * skipped.  When the line ends in the literal of BODY[], f->literal is
 * its size and the caller reads that many bytes, then hands the next
 * line to tw_imap_parse_fetch_more().  TW_ERR_NOTFOUND when the line is
 * another response, TW_ERR_INVALID when it is malformed or a literal
 * comes for anything but BODY[].
 */
enum tw_err	tw_imap_parse_fetch(const char *line, size_t len,
		    struct tw_imap_fetch *f);

/* Parses the rest of a FETCH response after its literal. */
enum tw_err	tw_imap_parse_fetch_more(const char *line, size_t len,
		    struct tw_imap_fetch *f);

/*
 * s as an IMAP quoted string (RFC 3501 4.3) in the arena, or NULL when
 * s holds a byte outside printable ASCII.
 */
char		*tw_imap_quote(struct tw_arena *, const char *s);

#endif
