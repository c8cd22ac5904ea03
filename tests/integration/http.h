/*
 * http.h: the integration tests' HTTP client, a thin layer over libcurl.
 *
 * An agent is one browser or API client: a connection and a cookie jar of
 * its own, filled from Set-Cookie and sent back as one Cookie header.
 * Redirects are never followed, since the tests assert the 303s.  Paths
 * are appended to TW_TEST_URL.  Everything returned is malloc'd unless a
 * comment says otherwise.
 */
#ifndef TW_INTEG_HTTP_H
#define TW_INTEG_HTTP_H

#include <stddef.h>

#include <curl/curl.h>

struct json_object;
struct http_agent;

/* A response, or why there was none (status 0 and a curl error). */
struct http_resp {
	long		 status;
	CURLcode	 curl_rc;
	char		*head;		/* the header lines as received */
	size_t		 headlen;
	char		*body;		/* NUL-terminated; may hold NULs */
	size_t		 len;
};

/*
 * One request being prepared or in flight, for callers that drive many
 * at once with a curl multi handle: add easy to it, and call
 * http_call_finish() once the transfer is done.  CURLOPT_PRIVATE and
 * user are the caller's.
 */
struct http_call {
	CURL			*easy;
	void			*user;
	struct curl_slist	*headers;
	struct http_agent	*agent;		/* NULL: no cookies */
	struct http_resp	*resp;		/* filled as it arrives */
	void			*sinks;		/* where curl writes */
};

/* TW_TEST_URL without a trailing '/', or NULL when it is unset. */
const char	*http_base(void);

/* A new agent with an empty cookie jar; never NULL. */
struct http_agent *http_agent_new(void);

/* Frees the agent, its connection and its cookies; NULL is ignored. */
void		 http_agent_free(struct http_agent *);

/* The value of the agent's cookie name (owned by the agent), or NULL. */
const char	*http_cookie(const struct http_agent *, const char *name);

/* Puts a cookie in the jar, replacing one of the same name. */
void		 http_cookie_set(struct http_agent *, const char *name,
		    const char *value);

/*
 * Prepares method on path with extra header lines ("Name: value", a
 * NULL-terminated array, may be NULL) and len bytes of body (NULL for
 * none).  agent may be NULL for a request without cookies; with an
 * agent, the agent's connection is used, so one call per agent at a time.
 * The caller owns the call until http_call_finish().
 */
struct http_call *http_call_new(struct http_agent *, const char *method,
		    const char *path, const char *const *headers,
		    const char *body, size_t len);

/*
 * Ends a call whose transfer finished with rc: records the status, stores
 * the agent's new cookies and frees the call.  Returns the response,
 * which the caller frees with http_resp_free().
 */
struct http_resp *http_call_finish(struct http_call *, CURLcode rc);

/* Runs one request to the end; see http_call_new(). */
struct http_resp *http_request(struct http_agent *, const char *method,
		    const char *path, const char *const *headers,
		    const char *body, size_t len);

/* GET path. */
struct http_resp *http_get(struct http_agent *, const char *path);

/* GET path with Accept: application/json. */
struct http_resp *http_get_json(struct http_agent *, const char *path);

/* POST of an application/x-www-form-urlencoded body (a C string). */
struct http_resp *http_post_form(struct http_agent *, const char *path,
		    const char *body);

/* Frees a response; NULL is ignored. */
void		 http_resp_free(struct http_resp *);

/*
 * The value of the nth (from 0) header called name, compared without
 * regard to case, without surrounding white space; NULL when there are
 * fewer.
 */
char		*http_header(const struct http_resp *, const char *name,
		    size_t nth);

/* Whether the body holds the bytes of needle. */
int		 http_body_has(const struct http_resp *, const char *needle);

/*
 * The value attribute of the first element with name="name" in html, as
 * written in the page (entities are not decoded), or NULL.
 */
char		*http_form_value(const char *html, const char *name);

/* The page's CSRF token: the value of its _csrf field, or NULL. */
char		*http_csrf(const struct http_resp *);

/* s percent-encoded for a form body or a query string. */
char		*http_urlenc(const char *s);

/* The body parsed as JSON, or NULL; the caller puts it. */
struct json_object *http_json(const struct http_resp *);

/*
 * The member at a dotted path ("error.field") of o, or NULL.  The result
 * belongs to o.
 */
struct json_object *http_json_at(struct json_object *o, const char *path);

/* The string at path (owned by o), or NULL when absent or not a string. */
const char	*http_json_str(struct json_object *o, const char *path);

/* The integer at path, or def when absent or not an integer. */
long long	 http_json_int(struct json_object *o, const char *path,
		    long long def);

#endif
