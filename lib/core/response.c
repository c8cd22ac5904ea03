/*
 * response.c: writing the response to the FastCGI stream.
 */
#include "config.h"

#include <string.h>

#include <fcgiapp.h>
#include <json-c/json.h>

#include "arena.h"
#include "buf.h"
#include "i18n.h"
#include "log.h"
#include "request.h"
#include "response.h"
#include "view.h"

static const char csp_header[] = "Content-Security-Policy: "
    "default-src 'none'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'\r\n";

static int
header_safe(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s == '\r' || *s == '\n')
			return 0;
	return 1;
}

void
tw_resp_header(struct tw_request *req, const char *name, const char *value)
{
	if (!header_safe(name) || !header_safe(value))
		return;
	tw_buf_printf(&req->headers, "%s: %s\r\n", name, value);
}

void
tw_resp_cookie(struct tw_request *req, const char *name, const char *value,
    long max_age)
{
	struct tw_buf	c;

	tw_buf_init(&c, req->arena);
	tw_buf_printf(&c, "%s=%s; Path=/; HttpOnly; SameSite=Lax", name,
	    value);
	if (max_age >= 0)
		tw_buf_printf(&c, "; Max-Age=%ld", max_age);
	if (req->https)
		tw_buf_puts(&c, "; Secure");
	tw_resp_header(req, "Set-Cookie", c.data);
}

static const char *
reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 303: return "See Other";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	default: return status < 500 ? "Client Error" : "Server Error";
	}
}

/*
 * Writes the status line, the headers every response carries, those the
 * handler added, extra (already formatted lines) and Content-Length, in
 * one piece.  libfcgi's own printf knows no %zu, so formatting happens
 * here.
 */
static void
write_head(struct tw_request *req, int status, const char *ctype,
    const char *extra, size_t len)
{
	struct tw_buf	h;

	req->status = status;
	req->responded = 1;

	tw_buf_init(&h, req->arena);
	tw_buf_printf(&h, "Status: %d %s\r\n", status, reason(status));
	if (ctype != NULL)
		tw_buf_printf(&h, "Content-Type: %s\r\n", ctype);
	tw_buf_puts(&h, "X-Content-Type-Options: nosniff\r\n"
	    "Referrer-Policy: same-origin\r\n"
	    "X-Frame-Options: DENY\r\n"
	    "Cross-Origin-Opener-Policy: same-origin\r\n"
	    "Cache-Control: no-store\r\n");
	if (req->https)
		tw_buf_puts(&h, "Strict-Transport-Security: max-age=31536000; "
		    "includeSubDomains\r\n");
	tw_buf_append(&h, req->headers.data, req->headers.len);
	tw_buf_puts(&h, extra);
	tw_buf_printf(&h, "Content-Length: %zu\r\n\r\n", len);
	FCGX_PutStr(h.data, (int)h.len, req->fcgi->out);
}

static void
write_body(struct tw_request *req, const char *body, size_t len)
{
	if (strcmp(req->method, "HEAD") != 0 && len > 0)
		FCGX_PutStr(body, (int)len, req->fcgi->out);
}

enum tw_err
tw_resp_send(struct tw_request *req, int status, const char *ctype,
    const char *body, size_t len)
{
	write_head(req, status, ctype, csp_header, len);
	write_body(req, body, len);
	return TW_OK;
}

enum tw_err
tw_resp_redirect(struct tw_request *req, const char *location)
{
	/* Only paths on this site: "//host" or "/\host" would leave it. */
	if (location[0] != '/' || location[1] == '/' || location[1] == '\\')
		location = "/";
	tw_resp_header(req, "Location", location);
	return tw_resp_send(req, 303, "text/plain; charset=utf-8", "", 0);
}

/*
 * The header lines of a download: an ASCII fallback name plus the exact
 * UTF-8 name (RFC 6266), and a CSP that sandboxes whatever it is.
 */
static const char *
download_headers(struct tw_request *req, const char *filename)
{
	struct tw_buf	 cd;
	const char	*p;

	tw_buf_init(&cd, req->arena);
	tw_buf_puts(&cd, "Content-Disposition: attachment; filename=\"");
	for (p = filename; *p != '\0'; p++)
		tw_buf_putc(&cd, (*p >= 0x20 && *p < 0x7f && *p != '"' &&
		    *p != '\\') ? *p : '_');
	tw_buf_puts(&cd, "\"; filename*=UTF-8''");
	tw_buf_urlenc(&cd, filename, strlen(filename));
	tw_buf_puts(&cd, "\r\nContent-Security-Policy: sandbox; "
	    "default-src 'none'\r\n");
	return cd.data;
}

enum tw_err
tw_resp_download(struct tw_request *req, const char *ctype,
    const char *filename, const char *data, size_t len)
{
	write_head(req, 200, ctype, download_headers(req, filename), len);
	write_body(req, data, len);
	return TW_OK;
}

enum tw_err
tw_resp_download_accel(struct tw_request *req, const char *ctype,
    const char *filename, const char *uri)
{
	if (uri[0] != '/' || !header_safe(uri))
		return TW_ERR_INTERNAL;
	tw_resp_header(req, "X-Accel-Redirect", uri);
	write_head(req, 200, ctype, download_headers(req, filename), 0);
	return TW_OK;
}

/* A generic sentence for codes whose handler gave none. */
static const char *
default_message(struct tw_request *req, enum tw_err code)
{
	switch (code) {
	case TW_ERR_NOTFOUND: return tw_t(req->lang, "error_notfound");
	case TW_ERR_METHOD: return tw_t(req->lang, "error_method");
	case TW_ERR_UNAUTH: return tw_t(req->lang, "error_unauth");
	case TW_ERR_FORBIDDEN: return tw_t(req->lang, "error_forbidden");
	case TW_ERR_UNAVAILABLE: return tw_t(req->lang, "error_unavailable");
	default: return tw_t(req->lang, "error_internal");
	}
}

void
tw_resp_error(struct tw_request *req, enum tw_err code)
{
	struct json_object	*m;
	const char		*msg = req->fail_message;
	int			 status = tw_err_http(code);

	if (req->responded)
		return;
	if (status >= 500) {
		/* The cause goes to the log; the page only shows the id. */
		tw_log(TW_LOG_ERROR, "request_failed", "req", req->id,
		    "path", req->path, "error", tw_err_str(code),
		    "detail", msg, (char *)NULL);
		msg = NULL;
	}
	if (msg == NULL)
		msg = default_message(req, code);

	m = json_object_new_object();
	tw_json_set(m, "status", json_object_new_int(status));
	tw_json_set(m, "message", json_object_new_string(msg));
	if (req->fail_field != NULL && status < 500)
		tw_json_set(m, "field",
		    json_object_new_string(req->fail_field));
	if (status >= 500)
		tw_json_set(m, "reference",
		    json_object_new_string(req->id));
	tw_view_error(req, status, m);
}
