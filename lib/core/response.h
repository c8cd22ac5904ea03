/*
 * response.h: status, headers, cookies and bodies sent back over FastCGI.
 *
 * Every response carries the security headers of the design: a
 * Content-Security-Policy that allows no script at all, nosniff, a strict
 * referrer policy, no framing and no caching of signed-in pages.  Error
 * responses are the one place where result codes become HTTP statuses.
 */
#ifndef TW_RESPONSE_H
#define TW_RESPONSE_H

#include <stddef.h>

#include "err.h"

struct tw_request;

/* Adds a header; a name or value with CR, LF or NUL is dropped. */
void		tw_resp_header(struct tw_request *, const char *name,
		    const char *value);

/*
 * Sets a cookie: Path=/, HttpOnly, SameSite=Lax, and Secure on HTTPS.
 * max_age < 0 makes a session cookie, 0 deletes the cookie.
 */
void		tw_resp_cookie(struct tw_request *, const char *name,
		    const char *value, long max_age);

/* Answers 303 See Other to a path on this site. */
enum tw_err	tw_resp_redirect(struct tw_request *, const char *location);

/* Sends status, the headers so far, ctype and the body. */
enum tw_err	tw_resp_send(struct tw_request *, int status,
		    const char *ctype, const char *body, size_t len);

/*
 * The same download with its bytes left to nginx: the answer names uri,
 * an internal location of nginx's, in X-Accel-Redirect, and nginx sends
 * the file from there (with ranges, without copying it through here).
 * nginx keeps Content-Type and Content-Disposition of this answer; the
 * location itself must add the security headers.
 */
enum tw_err	tw_resp_download_accel(struct tw_request *, const char *ctype,
		    const char *filename, const char *uri);

/*
 * Sends data as a download: Content-Disposition attachment with the name
 * encoded per RFC 6266, and a sandboxing CSP.
 */
enum tw_err	tw_resp_download(struct tw_request *, const char *ctype,
		    const char *filename, const char *data, size_t len);

/*
 * Answers for a failed request: the status of code, and the sentence in
 * req->fail_message (or a generic one) as JSON or an HTML page.  A 5xx is
 * logged with the request id, which the page shows as the reference.
 */
void		tw_resp_error(struct tw_request *, enum tw_err code);

#endif
