/*
 * request.c: reading a request from FastCGI into struct tw_request.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <fcgiapp.h>
#include <json-c/json.h>

#include "arena.h"
#include "conf.h"
#include "request.h"

#define JSON_DEPTH_MAX	16

void
tw_request_limits_load(struct tw_request_limits *l)
{
	l->body_max = (size_t)tw_conf_int("http", "body_max", 1024 * 1024);
	l->upload_max = (size_t)tw_conf_int("http", "upload_max",
	    10 * 1024 * 1024);
	l->form = tw_form_default_limits;
	l->form.upload_max = l->upload_max;
	l->form.value_max = (size_t)tw_conf_int("http", "value_max",
	    (long)l->form.value_max);
}

static const char *
param(struct tw_request *req, const char *name)
{
	const char	*v = FCGX_GetParam(name, req->fcgi->envp);

	return v == NULL ? "" : v;
}

/* Whether the media type of ctype (before any ';') is type. */
static int
is_type(const char *ctype, const char *type)
{
	size_t	n = strlen(type);

	return strncasecmp(ctype, type, n) == 0 &&
	    (ctype[n] == '\0' || ctype[n] == ';' || ctype[n] == ' ');
}

static void
read_params(struct tw_request *req)
{
	const char	*cl, *uri, *q;

	req->method = param(req, "REQUEST_METHOD");
	req->query_string = param(req, "QUERY_STRING");
	req->content_type = param(req, "CONTENT_TYPE");
	req->accept = param(req, "HTTP_ACCEPT");
	req->accept_language = param(req, "HTTP_ACCEPT_LANGUAGE");
	req->authorization = param(req, "HTTP_AUTHORIZATION");
	req->origin = param(req, "HTTP_ORIGIN");
	req->sec_fetch_site = param(req, "HTTP_SEC_FETCH_SITE");
	req->remote_addr = param(req, "REMOTE_ADDR");
	req->user_agent = param(req, "HTTP_USER_AGENT");
	req->https = strcasecmp(param(req, "HTTPS"), "on") == 0;

	/* nginx's $document_uri is decoded and normalised; fall back to the
	 * raw request URI without its query for other servers. */
	uri = param(req, "DOCUMENT_URI");
	if (*uri == '\0') {
		uri = param(req, "REQUEST_URI");
		if ((q = strchr(uri, '?')) != NULL)
			uri = tw_arena_strndup(req->arena, uri,
			    (size_t)(q - uri));
	}
	req->path = *uri == '\0' ? "/" : uri;

	/* API clients: those who ask for JSON, those with a bearer token,
	 * and those who send JSON without asking for a page. */
	req->wants_json = strstr(req->accept, "application/json") != NULL ||
	    strncasecmp(req->authorization, "Bearer ", 7) == 0 ||
	    (is_type(req->content_type, "application/json") &&
	    strstr(req->accept, "text/html") == NULL);

	cl = param(req, "CONTENT_LENGTH");
	req->content_length = *cl == '\0' ? 0 : strtoull(cl, NULL, 10);
}

const char *
tw_size_text(struct tw_arena *a, size_t n)
{
	if (n >= 1024 * 1024 && n % (1024 * 1024) == 0)
		return tw_arena_printf(a, "%zu MiB", n / (1024 * 1024));
	if (n >= 1024 && n % 1024 == 0)
		return tw_arena_printf(a, "%zu KiB", n / 1024);
	return tw_arena_printf(a, "%zu bytes", n);
}

/* Reads the Content-Length bytes of the body into the arena. */
static enum tw_err
read_all(struct tw_request *req, char **body)
{
	char	*p;
	int	 got = 0;

	if (req->content_length > INT_MAX)
		return tw_fail(req, TW_ERR_TOOBIG, NULL,
		    "The request body is larger than this server accepts.");
	p = tw_arena_alloc(req->arena, req->content_length + 1);
	if (req->content_length > 0)
		got = FCGX_GetStr(p, (int)req->content_length,
		    req->fcgi->in);
	if (got < 0 || (size_t)got != req->content_length)
		return tw_fail(req, TW_ERR_BADREQ, NULL,
		    "The request body ended before its announced length.");
	p[got] = '\0';
	*body = p;
	return TW_OK;
}

static enum tw_err
read_body(struct tw_request *req, const struct tw_request_limits *l,
    char **body)
{
	int	files;

	*body = NULL;
	if (req->content_length == 0)
		return TW_OK;
	/* Only forms with files may be as large as the files. */
	files = is_type(req->content_type, "multipart/form-data");
	if (req->content_length > (files ? l->upload_max : l->body_max))
		return tw_fail(req, TW_ERR_TOOBIG, NULL, !files ?
		    "The request body is larger than this server accepts." :
		    tw_arena_printf(req->arena, "The files are larger than "
		    "the %s this server accepts in one upload.",
		    tw_size_text(req->arena, l->upload_max)));
	return read_all(req, body);
}

static enum tw_err
parse_body(struct tw_request *req, const char *body,
    const struct tw_request_limits *l)
{
	const char	*why = NULL;
	enum tw_err	 rc;

	if (body == NULL)
		return TW_OK;

	if (is_type(req->content_type, "application/x-www-form-urlencoded")) {
		rc = tw_form_urlencoded(req->arena, body, req->content_length,
		    &l->form, &req->form);
		why = req->form.error;
	} else if (is_type(req->content_type, "multipart/form-data")) {
		rc = tw_form_multipart(req->arena, req->content_type, body,
		    req->content_length, &l->form, &req->form);
		why = req->form.error;
	} else if (is_type(req->content_type, "application/json")) {
		rc = tw_form_json(req->arena, body, req->content_length,
		    JSON_DEPTH_MAX, &req->json, &why);
		if (rc == TW_OK &&
		    !json_object_is_type(req->json, json_type_object))
			return tw_fail(req, TW_ERR_BADREQ, NULL,
			    "The JSON body must be an object.");
	} else
		return tw_fail(req, TW_ERR_MEDIATYPE, NULL, "The body must be "
		    "a form, multipart/form-data or application/json.");

	if (rc != TW_OK)
		return tw_fail(req, rc, NULL, why != NULL ? why :
		    "The request body could not be read.");
	return TW_OK;
}

enum tw_err
tw_request_read(struct tw_request *req, FCGX_Request *fcgi,
    const struct tw_request_limits *l)
{
	const char	*cookie;
	enum tw_err	 rc;

	req->fcgi = fcgi;
	read_params(req);

	if (!tw_utf8_valid(req->path, strlen(req->path)))
		return tw_fail(req, TW_ERR_BADREQ, NULL,
		    "The address is not valid UTF-8.");

	rc = tw_form_urlencoded(req->arena, req->query_string,
	    strlen(req->query_string), &l->form, &req->query);
	if (rc != TW_OK)
		return tw_fail(req, rc, NULL, req->query.error);

	/* Cookies we did not set may be malformed; the parser skips them. */
	cookie = param(req, "HTTP_COOKIE");
	tw_form_cookies(req->arena, cookie, &l->form, &req->cookies);
	return TW_OK;
}

enum tw_err
tw_request_read_body(struct tw_request *req,
    const struct tw_request_limits *l)
{
	char		*body;
	enum tw_err	 rc;

	if ((rc = read_body(req, l, &body)) != TW_OK)
		return rc;
	return parse_body(req, body, l);
}

enum tw_err
tw_request_raw_body(struct tw_request *req, size_t max, const char **data,
    size_t *len)
{
	char		*body;
	enum tw_err	 rc;

	*data = NULL;
	*len = 0;
	if (req->content_length > max)
		return tw_fail(req, TW_ERR_TOOBIG, NULL, tw_arena_printf(
		    req->arena, "The body is larger than the %s this "
		    "address accepts.", tw_size_text(req->arena, max)));
	if ((rc = read_all(req, &body)) != TW_OK)
		return rc;
	*data = body;
	*len = req->content_length;
	return TW_OK;
}

const char *
tw_req_param(const struct tw_request *req, const char *name)
{
	const char	*v;

	if ((v = tw_form_get(&req->form, name)) != NULL)
		return v;
	return tw_form_get(&req->query, name);
}

const char *
tw_req_field(const struct tw_request *req, const char *name)
{
	struct json_object	*v;

	if (req->json == NULL)
		return tw_form_get(&req->form, name);
	if (!json_object_object_get_ex(req->json, name, &v))
		return NULL;
	switch (json_object_get_type(v)) {
	case json_type_string:
	case json_type_int:
		return json_object_get_string(v);
	default:
		return NULL;
	}
}

int
tw_req_is_type(const struct tw_request *req, const char *type)
{
	return is_type(req->content_type, type);
}

int
tw_req_unsafe(const struct tw_request *req)
{
	return strcmp(req->method, "GET") != 0 &&
	    strcmp(req->method, "HEAD") != 0;
}

enum tw_err
tw_fail(struct tw_request *req, enum tw_err code, const char *field,
    const char *message)
{
	req->fail_field = field;
	req->fail_message = message;
	return code;
}
