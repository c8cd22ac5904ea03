/*
 * err.c: descriptions and HTTP statuses of the result codes.
 */
#include "config.h"

#include "err.h"

static const struct {
	const char	*text;
	int		 http;
} errs[TW_ERR__MAX] = {
	[TW_OK] =		{ "no error", 200 },
	[TW_ERR_NOMEM] =	{ "out of memory", 500 },
	[TW_ERR_BADREQ] =	{ "malformed request", 400 },
	[TW_ERR_UNAUTH] =	{ "sign-in required", 401 },
	[TW_ERR_FORBIDDEN] =	{ "not allowed", 403 },
	[TW_ERR_NOTFOUND] =	{ "not found", 404 },
	[TW_ERR_METHOD] =	{ "method not allowed", 405 },
	[TW_ERR_CONFLICT] =	{ "changed in the meantime", 409 },
	[TW_ERR_TOOBIG] =	{ "too large", 413 },
	[TW_ERR_MEDIATYPE] =	{ "unsupported content type", 415 },
	[TW_ERR_INVALID] =	{ "invalid input", 422 },
	[TW_ERR_THROTTLED] =	{ "too many attempts", 429 },
	[TW_ERR_DB] =		{ "database error", 500 },
	[TW_ERR_DEADLOCK] =	{ "transaction deadlock", 500 },
	[TW_ERR_UNAVAILABLE] =	{ "database unavailable", 503 },
	[TW_ERR_IO] =		{ "input/output error", 500 },
	[TW_ERR_INTERNAL] =	{ "internal error", 500 },
};

const char *
tw_err_str(enum tw_err e)
{
	if ((unsigned)e >= TW_ERR__MAX)
		return "unknown error";
	return errs[e].text;
}

int
tw_err_http(enum tw_err e)
{
	if ((unsigned)e >= TW_ERR__MAX)
		return 500;
	return errs[e].http;
}
