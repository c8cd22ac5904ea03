/*
 * request.h: one HTTP request as the FastCGI programs see it.
 *
 * struct tw_request owns everything about the request and its response:
 * the arena, the parsed input, the signed-in user and the headers and
 * body being built.  tw_request_read() fills it from the FastCGI
 * parameters and body, checking the size limits before reading.
 */
#ifndef TW_REQUEST_H
#define TW_REQUEST_H

#include <stddef.h>

#include "buf.h"
#include "err.h"
#include "form.h"

struct json_object;
struct tw_arena;
struct FCGX_Request;

#define TW_ROUTE_PARAMS	4

struct tw_user {
	long long	 id;
	const char	*login;
	const char	*name;
	const char	*lang;		/* preferred language or NULL */
	int		 is_admin;
};

struct tw_request {
	struct tw_arena		*arena;
	struct FCGX_Request	*fcgi;
	char			 id[17];	/* in log lines, 500 pages */

	/* From the FastCGI parameters; never NULL ("" when absent). */
	const char	*method;
	const char	*path;		/* decoded path, without the query */
	const char	*query_string;
	const char	*content_type;
	const char	*accept;
	const char	*accept_language;
	const char	*authorization;
	const char	*origin;
	const char	*sec_fetch_site;
	const char	*remote_addr;
	const char	*user_agent;
	int		 https;
	size_t		 content_length;

	/* Parsed input. */
	struct tw_form	 query;
	struct tw_form	 form;		/* urlencoded or multipart body */
	struct tw_form	 cookies;
	struct json_object *json;	/* JSON body, owned by the arena */
	const char	*route_params[TW_ROUTE_PARAMS];
	size_t		 nroute_params;

	/* Who is asking. */
	struct tw_user	*user;		/* NULL when not signed in */
	const struct tw_rows *identity;	/* the session's or token's row */
	const char	*session_key;	/* SHA-256 of the session cookie */
	const char	*csrf;		/* token the forms of this page carry */
	int		 via_api_token;
	int		 wants_json;
	const char	*lang;		/* "en" or "de" */

	/* The response being built. */
	int		 status;
	struct tw_buf	 headers;
	int		 responded;
	const char	*label_field;	/* one field labelled unusually */
	const char	*label_key;	/* ... and its catalog key */
	const char	*fail_field;	/* the field a 4xx is about */
	const char	*fail_message;	/* the sentence a 4xx shows */
	long		 started_us;
};

/* Request limits from the [http] section, read once at start-up. */
struct tw_request_limits {
	size_t			body_max;
	size_t			upload_max;	/* of a multipart body */
	struct tw_form_limits	form;
};

void		tw_request_limits_load(struct tw_request_limits *);

/* "10 MiB", "512 KiB" or "100 bytes" for a limit, in the arena. */
const char	*tw_size_text(struct tw_arena *, size_t n);

/*
 * Fills req from the FastCGI request's parameters: method, path, the
 * headers it uses, the query and the cookies.  The body is left unread
 * until the route is known, since the route decides how it is read.  On
 * failure req->fail_message says why, and the code is the one to answer
 * with.
 */
enum tw_err	tw_request_read(struct tw_request *, struct FCGX_Request *,
		    const struct tw_request_limits *);

/*
 * Reads the body and parses it by its content type into req->form or
 * req->json.  A body over the limit is refused from its Content-Length
 * before a byte is read.
 */
enum tw_err	tw_request_read_body(struct tw_request *,
		    const struct tw_request_limits *);

/*
 * The body as it was sent, for a route that takes it whole (flagged
 * TW_ROUTE_RAW): TW_ERR_TOOBIG over max bytes, decided from the
 * Content-Length before a byte is read.  *data is in the arena and
 * NUL-terminated; *len is its length.
 */
enum tw_err	tw_request_raw_body(struct tw_request *, size_t max,
		    const char **data, size_t *len);

/* Whether the body's media type (before any parameters) is type. */
int		tw_req_is_type(const struct tw_request *, const char *type);

/* A query or form field: the first value, or NULL. */
const char	*tw_req_param(const struct tw_request *, const char *name);

/* The value of a body field: the form, or a string member of the JSON. */
const char	*tw_req_field(const struct tw_request *, const char *name);

/* Whether the method may change state (anything but GET and HEAD). */
int		tw_req_unsafe(const struct tw_request *);

/*
 * Records why the request fails and returns code, so a handler can say
 * `return tw_fail(req, TW_ERR_INVALID, "subject", "...")`.  field may be
 * NULL; message is shown to the person and must not repeat their input.
 */
enum tw_err	tw_fail(struct tw_request *, enum tw_err code,
		    const char *field, const char *message);

#endif
