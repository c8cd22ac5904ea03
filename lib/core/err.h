/*
 * err.h: the one result-code type of the library.
 *
 * Library functions return an enum tw_err and pass results through
 * out-parameters.  Only the request edge (response.c) turns a code into
 * an HTTP status, through tw_err_http().
 */
#ifndef TW_ERR_H
#define TW_ERR_H

enum tw_err {
	TW_OK = 0,
	TW_ERR_NOMEM,		/* allocation failed */
	TW_ERR_BADREQ,		/* malformed request: 400 */
	TW_ERR_UNAUTH,		/* not signed in: 401 */
	TW_ERR_FORBIDDEN,	/* signed in, not allowed, or CSRF: 403 */
	TW_ERR_NOTFOUND,	/* no such thing, or not visible: 404 */
	TW_ERR_METHOD,		/* method not allowed on the path: 405 */
	TW_ERR_CONFLICT,	/* stale version or duplicate: 409 */
	TW_ERR_TOOBIG,		/* body, field or upload over a limit: 413 */
	TW_ERR_MEDIATYPE,	/* body type not understood: 415 */
	TW_ERR_INVALID,		/* well-formed but a field is wrong: 422 */
	TW_ERR_THROTTLED,	/* too many attempts: 429 */
	TW_ERR_DB,		/* database failed: 500 */
	TW_ERR_DEADLOCK,	/* transaction lost a race; retried */
	TW_ERR_UNAVAILABLE,	/* database unreachable: 503 */
	TW_ERR_IO,		/* file or socket failed: 500 */
	TW_ERR_INTERNAL,	/* a bug: 500 */
	TW_ERR__MAX
};

/* A short English description of the code; never NULL. */
const char	*tw_err_str(enum tw_err);

/* The HTTP status the request edge answers for the code. */
int		 tw_err_http(enum tw_err);

#endif
