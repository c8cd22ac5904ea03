/*
 * http.c: the integration tests' HTTP client over libcurl, with a cookie
 * jar per agent and helpers to read pages and JSON.  Failures to allocate
 * end the test process: there is nothing sensible a test could do next.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <json-c/json.h>

#include "http.h"

#define COOKIES_MAX	16
#define TIMEOUT_S	30L

struct cookie {
	char	*name;
	char	*value;
};

struct http_agent {
	CURL		*curl;
	struct cookie	 jar[COOKIES_MAX];
	size_t		 ncookies;
};

/* Growable bytes for what curl hands over. */
struct sink {
	char	**data;
	size_t	 *len;
};

/* Where needle (a C string) starts in the n bytes at hay, or NULL. */
static const char *
find_bytes(const char *hay, size_t n, const char *needle, int nocase)
{
	size_t	i, k = strlen(needle);

	for (i = 0; k <= n && i <= n - k; i++)
		if (nocase ? strncasecmp(hay + i, needle, k) == 0 :
		    memcmp(hay + i, needle, k) == 0)
			return hay + i;
	return NULL;
}

static void *
xmalloc(size_t n)
{
	void	*p;

	if ((p = malloc(n)) == NULL) {
		fputs("tw-integration: out of memory\n", stderr);
		abort();
	}
	return p;
}

static char *
xstrndup(const char *s, size_t n)
{
	char	*p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

const char *
http_base(void)
{
	static char	*base;
	const char	*url;
	size_t		 n;

	if (base != NULL)
		return base;
	if ((url = getenv("TW_TEST_URL")) == NULL || *url == '\0')
		return NULL;
	n = strlen(url);
	while (n > 0 && url[n - 1] == '/')
		n--;
	return base = xstrndup(url, n);
}

struct http_agent *
http_agent_new(void)
{
	struct http_agent	*a = xmalloc(sizeof(*a));

	memset(a, 0, sizeof(*a));
	if ((a->curl = curl_easy_init()) == NULL) {
		fputs("tw-integration: curl_easy_init failed\n", stderr);
		abort();
	}
	return a;
}

void
http_agent_free(struct http_agent *a)
{
	size_t	i;

	if (a == NULL)
		return;
	for (i = 0; i < a->ncookies; i++) {
		free(a->jar[i].name);
		free(a->jar[i].value);
	}
	curl_easy_cleanup(a->curl);
	free(a);
}

const char *
http_cookie(const struct http_agent *a, const char *name)
{
	size_t	i;

	for (i = 0; i < a->ncookies; i++)
		if (strcmp(a->jar[i].name, name) == 0)
			return a->jar[i].value;
	return NULL;
}

/* Removes the cookie name from the jar, if it is there. */
static void
cookie_drop(struct http_agent *a, const char *name)
{
	size_t	i;

	for (i = 0; i < a->ncookies; i++) {
		if (strcmp(a->jar[i].name, name) != 0)
			continue;
		free(a->jar[i].name);
		free(a->jar[i].value);
		a->jar[i] = a->jar[--a->ncookies];
		return;
	}
}

void
http_cookie_set(struct http_agent *a, const char *name, const char *value)
{
	cookie_drop(a, name);
	if (a->ncookies == COOKIES_MAX)
		return;
	a->jar[a->ncookies].name = xstrndup(name, strlen(name));
	a->jar[a->ncookies].value = xstrndup(value, strlen(value));
	a->ncookies++;
}

/*
 * Stores one Set-Cookie value: "name=value; attributes".  An empty value
 * or Max-Age=0 is how a server deletes a cookie.
 */
static void
cookie_store(struct http_agent *a, const char *line)
{
	const char	*eq, *end;
	char		*name, *value;

	if ((eq = strchr(line, '=')) == NULL)
		return;
	end = eq + strcspn(eq, ";");
	name = xstrndup(line, (size_t)(eq - line));
	value = xstrndup(eq + 1, (size_t)(end - eq - 1));
	if (*value == '\0' || find_bytes(end, strlen(end), "Max-Age=0", 1) !=
	    NULL)
		cookie_drop(a, name);
	else
		http_cookie_set(a, name, value);
	free(name);
	free(value);
}

/* curl's write callback: appends to a sink, keeping a NUL after it. */
static size_t
sink_write(char *p, size_t size, size_t n, void *ctx)
{
	struct sink	*s = ctx;
	char		*grown;

	n *= size;
	if ((grown = realloc(*s->data, *s->len + n + 1)) == NULL)
		return 0;
	memcpy(grown + *s->len, p, n);
	*s->len += n;
	grown[*s->len] = '\0';
	*s->data = grown;
	return n;
}

/* The Cookie header line for the agent's jar, or NULL when it is empty. */
static char *
cookie_line(const struct http_agent *a)
{
	size_t	 i, n = strlen("Cookie: ") + 1;
	char	*line;

	if (a == NULL || a->ncookies == 0)
		return NULL;
	for (i = 0; i < a->ncookies; i++)
		n += strlen(a->jar[i].name) + strlen(a->jar[i].value) + 3;
	line = xmalloc(n);
	strcpy(line, "Cookie: ");
	for (i = 0; i < a->ncookies; i++) {
		if (i > 0)
			strcat(line, "; ");
		strcat(line, a->jar[i].name);
		strcat(line, "=");
		strcat(line, a->jar[i].value);
	}
	return line;
}

/* The caller's header lines plus the agent's cookies. */
static struct curl_slist *
header_list(const struct http_agent *a, const char *const *headers)
{
	struct curl_slist	*list = NULL;
	char			*cookie;

	/* No "Expect: 100-continue" pause before large bodies. */
	list = curl_slist_append(list, "Expect:");
	for (; headers != NULL && *headers != NULL; headers++)
		list = curl_slist_append(list, *headers);
	if ((cookie = cookie_line(a)) != NULL) {
		list = curl_slist_append(list, cookie);
		free(cookie);
	}
	return list;
}

/* Sets the method and, when there is one, the body to send. */
static void
set_method(CURL *c, const char *method, const char *body, size_t len)
{
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	else if (strcmp(method, "GET") == 0 && body == NULL)
		curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	if (body != NULL) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)len);
		curl_easy_setopt(c, CURLOPT_COPYPOSTFIELDS, body);
	}
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
	    (strcmp(method, "POST") != 0 || body == NULL))
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
}

struct http_call *
http_call_new(struct http_agent *a, const char *method, const char *path,
    const char *const *headers, const char *body, size_t len)
{
	struct http_call	*call = xmalloc(sizeof(*call));
	struct http_resp	*r = xmalloc(sizeof(*r));
	struct sink		*sinks = xmalloc(2 * sizeof(*sinks));
	const char		*base = http_base();
	char			*url;

	memset(r, 0, sizeof(*r));
	call->agent = a;
	call->resp = r;
	call->easy = a != NULL ? a->curl : curl_easy_init();
	if (call->easy == NULL)
		abort();
	if (a != NULL)
		curl_easy_reset(call->easy);

	url = xmalloc(strlen(base != NULL ? base : "") + strlen(path) + 1);
	strcpy(url, base != NULL ? base : "");
	strcat(url, path);
	curl_easy_setopt(call->easy, CURLOPT_URL, url);
	free(url);

	set_method(call->easy, method, body, len);
	call->headers = header_list(a, headers);
	curl_easy_setopt(call->easy, CURLOPT_HTTPHEADER, call->headers);

	call->sinks = sinks;
	call->user = NULL;
	sinks[0] = (struct sink){ &r->body, &r->len };
	sinks[1] = (struct sink){ &r->head, &r->headlen };
	curl_easy_setopt(call->easy, CURLOPT_WRITEFUNCTION, sink_write);
	curl_easy_setopt(call->easy, CURLOPT_WRITEDATA, &sinks[0]);
	curl_easy_setopt(call->easy, CURLOPT_HEADERFUNCTION, sink_write);
	curl_easy_setopt(call->easy, CURLOPT_HEADERDATA, &sinks[1]);

	curl_easy_setopt(call->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(call->easy, CURLOPT_TIMEOUT, TIMEOUT_S);
	curl_easy_setopt(call->easy, CURLOPT_CONNECTTIMEOUT, 5L);
	curl_easy_setopt(call->easy, CURLOPT_FOLLOWLOCATION, 0L);
	return call;
}

struct http_resp *
http_call_finish(struct http_call *call, CURLcode rc)
{
	struct http_resp	*r = call->resp;
	char			*v;
	size_t			 i;

	r->curl_rc = rc;
	if (rc == CURLE_OK)
		curl_easy_getinfo(call->easy, CURLINFO_RESPONSE_CODE,
		    &r->status);
	if (r->body == NULL)
		r->body = xstrndup("", 0);
	if (r->head == NULL)
		r->head = xstrndup("", 0);

	if (call->agent != NULL)
		for (i = 0; (v = http_header(r, "Set-Cookie", i)) != NULL;
		    i++) {
			cookie_store(call->agent, v);
			free(v);
		}

	free(call->sinks);
	curl_slist_free_all(call->headers);
	if (call->agent == NULL)
		curl_easy_cleanup(call->easy);
	free(call);
	return r;
}

struct http_resp *
http_request(struct http_agent *a, const char *method, const char *path,
    const char *const *headers, const char *body, size_t len)
{
	struct http_call	*call;

	call = http_call_new(a, method, path, headers, body, len);
	return http_call_finish(call, curl_easy_perform(call->easy));
}

struct http_resp *
http_get(struct http_agent *a, const char *path)
{
	return http_request(a, "GET", path, NULL, NULL, 0);
}

struct http_resp *
http_get_json(struct http_agent *a, const char *path)
{
	static const char *const h[] = { "Accept: application/json", NULL };

	return http_request(a, "GET", path, h, NULL, 0);
}

struct http_resp *
http_post_form(struct http_agent *a, const char *path, const char *body)
{
	static const char *const h[] = {
		"Content-Type: application/x-www-form-urlencoded", NULL
	};

	return http_request(a, "POST", path, h, body, strlen(body));
}

void
http_resp_free(struct http_resp *r)
{
	if (r == NULL)
		return;
	free(r->head);
	free(r->body);
	free(r);
}

char *
http_header(const struct http_resp *r, const char *name, size_t nth)
{
	const char	*line, *end, *v;
	size_t		 n = strlen(name);

	for (line = r->head; *line != '\0'; line = end) {
		end = line + strcspn(line, "\r\n");
		v = line + n;
		if ((size_t)(end - line) > n && *v == ':' &&
		    strncasecmp(line, name, n) == 0 && nth-- == 0) {
			for (v++; v < end && (*v == ' ' || *v == '\t'); v++)
				;
			while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
				end--;
			return xstrndup(v, (size_t)(end - v));
		}
		end += strspn(end, "\r\n");
	}
	return NULL;
}

int
http_body_has(const struct http_resp *r, const char *needle)
{
	return find_bytes(r->body, r->len, needle, 0) != NULL;
}

char *
http_form_value(const char *html, const char *name)
{
	char		*attr;
	const char	*at, *open, *close, *v;

	attr = xmalloc(strlen(name) + 9);
	snprintf(attr, strlen(name) + 9, "name=\"%s\"", name);
	at = strstr(html, attr);
	free(attr);
	if (at == NULL)
		return NULL;

	/* The value attribute anywhere inside the same tag. */
	for (open = at; open > html && *open != '<'; open--)
		;
	if ((close = strchr(at, '>')) == NULL)
		return NULL;
	if ((v = strstr(open, " value=\"")) == NULL || v > close)
		return NULL;
	v += strlen(" value=\"");
	return xstrndup(v, strcspn(v, "\""));
}

char *
http_csrf(const struct http_resp *r)
{
	return http_form_value(r->body, "_csrf");
}

char *
http_urlenc(const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	char			*out = xmalloc(3 * strlen(s) + 1), *o = out;
	unsigned char		 c;

	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~", c) != NULL) {
			*o++ = (char)c;
			continue;
		}
		*o++ = '%';
		*o++ = hex[c >> 4];
		*o++ = hex[c & 15];
	}
	*o = '\0';
	return out;
}

struct json_object *
http_json(const struct http_resp *r)
{
	struct json_tokener	*tok;
	struct json_object	*o;

	if ((tok = json_tokener_new()) == NULL)
		return NULL;
	o = json_tokener_parse_ex(tok, r->body, (int)r->len);
	if (json_tokener_get_error(tok) != json_tokener_success ||
	    json_tokener_get_parse_end(tok) != r->len) {
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(tok);
	return o;
}

struct json_object *
http_json_at(struct json_object *o, const char *path)
{
	const char	*dot;
	char		*key;
	int		 found;

	while (o != NULL && *path != '\0') {
		dot = path + strcspn(path, ".");
		key = xstrndup(path, (size_t)(dot - path));
		found = json_object_object_get_ex(o, key, &o);
		free(key);
		if (!found)
			return NULL;
		path = *dot == '.' ? dot + 1 : dot;
	}
	return o;
}

const char *
http_json_str(struct json_object *o, const char *path)
{
	struct json_object	*v = http_json_at(o, path);

	if (!json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

long long
http_json_int(struct json_object *o, const char *path, long long def)
{
	struct json_object	*v = http_json_at(o, path);

	if (!json_object_is_type(v, json_type_int))
		return def;
	return (long long)json_object_get_int64(v);
}
