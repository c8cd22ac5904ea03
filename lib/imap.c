/*
 * imap.c: one IMAP session over a libcurl connection: commands out,
 * response lines and literals in, with a time limit on every wait and a
 * bound on every line.
 */
#include "config.h"

#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "arena.h"
#include "imap.h"
#include "imap_parse.h"
#include "log.h"

#define CHUNK		16384		/* bytes asked of one receive */
#define SKIP_MAX	(1024 * 1024)	/* a literal nobody asked for */
#define COMMAND_MAX	1024		/* bytes of one command line */

struct tw_imap {
	CURL		*curl;
	struct tw_arena	*arena;
	char		*buf;		/* unread bytes are buf[start..end) */
	size_t		 start, end, cap;
	unsigned	 next_tag;
	char		 tag[16];
	long		 timeout_ms;
	int		 broken;
	const char	*problem;
};

/* Called with each untagged line of a command's response. */
typedef enum tw_err (*untagged_fn)(struct tw_imap *, const char *line,
    size_t len, void *ctx);

/* Ends the session's use: the failure is logged and remembered. */
static enum tw_err
fail(struct tw_imap *s, const char *problem, const char *detail)
{
	s->broken = 1;
	s->problem = problem;
	tw_log(TW_LOG_WARN, "imap_failed", "problem", problem, "detail",
	    detail, (char *)NULL);
	return TW_ERR_IO;
}

/* Waits until the socket is ready for events, within the time limit. */
static enum tw_err
wait_socket(struct tw_imap *s, short events)
{
	curl_socket_t	sock;
	struct pollfd	pfd;
	int		n;

	if (curl_easy_getinfo(s->curl, CURLINFO_ACTIVESOCKET, &sock) !=
	    CURLE_OK || sock == CURL_SOCKET_BAD)
		return fail(s, "closed", "no socket");
	pfd.fd = sock;
	pfd.events = events;
	n = poll(&pfd, 1, (int)s->timeout_ms);
	if (n == 0)
		return fail(s, "timeout", "no answer in time");
	if (n < 0)
		return fail(s, "closed", "poll failed");
	return TW_OK;
}

static enum tw_err
send_all(struct tw_imap *s, const char *p, size_t len)
{
	size_t		sent;
	CURLcode	rc;
	enum tw_err	err;

	while (len > 0) {
		rc = curl_easy_send(s->curl, p, len, &sent);
		if (rc == CURLE_AGAIN) {
			if ((err = wait_socket(s, POLLOUT)) != TW_OK)
				return err;
			continue;
		}
		if (rc != CURLE_OK)
			return fail(s, "closed", curl_easy_strerror(rc));
		p += sent;
		len -= sent;
	}
	return TW_OK;
}

/* Receives at least one byte into dst (at most cap); *got how many. */
static enum tw_err
recv_some(struct tw_imap *s, char *dst, size_t cap, size_t *got)
{
	CURLcode	rc;
	enum tw_err	err;

	for (;;) {
		rc = curl_easy_recv(s->curl, dst, cap, got);
		if (rc == CURLE_OK && *got > 0)
			return TW_OK;
		if (rc == CURLE_OK)
			return fail(s, "closed", "the server closed the "
			    "connection");
		if (rc != CURLE_AGAIN)
			return fail(s, "closed", curl_easy_strerror(rc));
		if ((err = wait_socket(s, POLLIN)) != TW_OK)
			return err;
	}
}

/*
 * The next response line, without its CRLF; *line points into the
 * session's buffer and stays valid until the next read.
 */
static enum tw_err
read_line(struct tw_imap *s, const char **line, size_t *len)
{
	const char	*crlf;
	size_t		 got, searched = 0;
	enum tw_err	 rc;

	for (;;) {
		crlf = memmem(s->buf + s->start + searched,
		    s->end - s->start - searched, "\r\n", 2);
		if (crlf != NULL)
			break;
		if (s->end - s->start > TW_IMAP_LINE_MAX)
			return fail(s, "protocol", "response line too long");
		if (s->end > s->start)
			searched = s->end - s->start - 1;

		/* Keep the unread bytes at the start, with room after. */
		memmove(s->buf, s->buf + s->start, s->end - s->start);
		s->end -= s->start;
		s->start = 0;
		if ((rc = recv_some(s, s->buf + s->end, s->cap - s->end,
		    &got)) != TW_OK)
			return rc;
		s->end += got;
	}
	*line = s->buf + s->start;
	*len = (size_t)(crlf - *line);
	s->start += *len + 2;
	return TW_OK;
}

/* Reads n bytes of a literal into dst, or discards them when dst is NULL. */
static enum tw_err
read_literal(struct tw_imap *s, char *dst, size_t n)
{
	char		scratch[CHUNK];
	size_t		take, got;
	enum tw_err	rc;

	take = s->end - s->start < n ? s->end - s->start : n;
	if (dst != NULL)
		memcpy(dst, s->buf + s->start, take);
	s->start += take;
	while (take < n) {
		rc = recv_some(s, dst != NULL ? dst + take : scratch,
		    dst != NULL ? n - take : (n - take < CHUNK ? n - take :
		    CHUNK), &got);
		if (rc != TW_OK)
			return rc;
		take += got;
	}
	return TW_OK;
}

/*
 * Skips a literal announced at the end of a line we do not read ("...
 * {12}"), and the lines that continue the response after it.
 */
static enum tw_err
skip_literals(struct tw_imap *s, const char *line, size_t len)
{
	size_t		i, n;
	enum tw_err	rc;

	while (len > 2 && line[len - 1] == '}') {
		for (i = len - 1, n = 0; i > 0 && line[i - 1] >= '0' &&
		    line[i - 1] <= '9'; i--)
			;
		if (i == 0 || line[i - 1] != '{' || i == len - 1)
			return TW_OK;	/* text that ends in '}' */
		if (len - 1 - i > 7)
			return fail(s, "protocol", "literal too large");
		for (; i < len - 1; i++)
			n = n * 10 + (size_t)(line[i] - '0');
		if (n > SKIP_MAX)
			return fail(s, "protocol", "literal too large");
		if ((rc = read_literal(s, NULL, n)) != TW_OK ||
		    (rc = read_line(s, &line, &len)) != TW_OK)
			return rc;
	}
	return TW_OK;
}

/*
 * Sends one command and reads its response; fn sees each untagged line.
 * TW_OK for OK, TW_ERR_FORBIDDEN for NO; anything else breaks the
 * session.
 */
static enum tw_err
command(struct tw_imap *s, untagged_fn fn, void *ctx, const char *fmt, ...)
{
	char		 out[COMMAND_MAX];
	const char	*line;
	size_t		 len;
	va_list		 ap;
	int		 n;
	enum tw_err	 rc;

	if (s->broken)
		return TW_ERR_IO;
	snprintf(s->tag, sizeof(s->tag), "tw%u", ++s->next_tag);
	n = snprintf(out, sizeof(out), "%s ", s->tag);
	va_start(ap, fmt);
	n += vsnprintf(out + n, sizeof(out) - (size_t)n, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n + 2 >= sizeof(out))
		return fail(s, "protocol", "command too long");
	memcpy(out + n, "\r\n", 2);
	if ((rc = send_all(s, out, (size_t)n + 2)) != TW_OK)
		return rc;

	for (;;) {
		if ((rc = read_line(s, &line, &len)) != TW_OK)
			return rc;
		switch (tw_imap_line_kind(line, len, s->tag)) {
		case TW_IMAP_UNTAGGED:
			if (tw_imap_is_bye(line, len))
				return fail(s, "closed", "the server said BYE");
			rc = fn != NULL ? fn(s, line, len, ctx) :
			    skip_literals(s, line, len);
			if (rc != TW_OK)
				return rc;
			break;
		case TW_IMAP_OK:
			return TW_OK;
		case TW_IMAP_NO:
			return TW_ERR_FORBIDDEN;
		default:
			return fail(s, "protocol", "unexpected response");
		}
	}
}

/* Maps a failed connect-and-login to a problem word. */
static const char *
open_problem(CURLcode rc)
{
	switch (rc) {
	case CURLE_LOGIN_DENIED:
		return "login";
	case CURLE_OPERATION_TIMEDOUT:
		return "timeout";
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
		return "connect";
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_USE_SSL_FAILED:
		return "tls";
	default:
		return "protocol";
	}
}

static void
set_options(CURL *c, const struct tw_imap_login *l, const char *url)
{
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "imap,imaps");
	curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (l->ca_file != NULL && *l->ca_file != '\0')
		curl_easy_setopt(c, CURLOPT_CAINFO, l->ca_file);
	curl_easy_setopt(c, CURLOPT_USERNAME, l->user);
	curl_easy_setopt(c, CURLOPT_PASSWORD, l->password);
	curl_easy_setopt(c, CURLOPT_CONNECT_ONLY, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, l->timeout);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, l->timeout);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
}

enum tw_err
tw_imap_open(const struct tw_imap_login *l, struct tw_imap **out,
    const char **problem)
{
	struct tw_imap	*s;
	char		 url[512];
	CURLcode	 rc;

	*out = NULL;
	snprintf(url, sizeof(url), "%s://%s:%u/", l->url->tls ? "imaps" :
	    "imap", l->url->host, l->url->port);
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->curl = curl_easy_init()) == NULL) {
		free(s);
		*problem = "protocol";
		return TW_ERR_NOMEM;
	}
	s->arena = tw_arena_new();
	s->cap = TW_IMAP_LINE_MAX + 2 + CHUNK;
	s->buf = tw_arena_alloc(s->arena, s->cap);
	s->timeout_ms = (l->timeout > 0 ? l->timeout : 60) * 1000;
	set_options(s->curl, l, url);

	if ((rc = curl_easy_perform(s->curl)) != CURLE_OK) {
		*problem = open_problem(rc);
		tw_log(TW_LOG_WARN, "imap_failed", "problem", *problem,
		    "detail", curl_easy_strerror(rc), (char *)NULL);
		s->broken = 1;
		tw_imap_close(s);
		return rc == CURLE_LOGIN_DENIED ? TW_ERR_FORBIDDEN : TW_ERR_IO;
	}
	*out = s;
	return TW_OK;
}

static enum tw_err
on_select(struct tw_imap *s, const char *line, size_t len, void *ctx)
{
	switch (tw_imap_parse_uidvalidity(line, len, ctx)) {
	case TW_OK:
	case TW_ERR_NOTFOUND:
		return skip_literals(s, line, len);
	default:
		return fail(s, "protocol", "malformed UIDVALIDITY");
	}
}

enum tw_err
tw_imap_select(struct tw_imap *s, const char *folder, uint32_t *uidvalidity)
{
	const char	*quoted = tw_imap_quote(s->arena, folder);
	enum tw_err	 rc;

	*uidvalidity = 0;
	if (quoted == NULL) {
		s->problem = "folder";
		return TW_ERR_NOTFOUND;
	}
	rc = command(s, on_select, uidvalidity, "SELECT %s", quoted);
	if (rc == TW_ERR_FORBIDDEN) {
		s->problem = "folder";
		return TW_ERR_NOTFOUND;
	}
	if (rc == TW_OK && *uidvalidity == 0)
		return fail(s, "protocol", "SELECT without UIDVALIDITY");
	return rc;
}

struct search {
	uint32_t	*uids;
	size_t		 max, n;
};

static enum tw_err
on_search(struct tw_imap *s, const char *line, size_t len, void *ctx)
{
	struct search	*r = ctx;

	switch (tw_imap_parse_search(line, len, r->uids, r->max, &r->n)) {
	case TW_OK:
	case TW_ERR_TOOBIG:	/* the lowest come first; enough for now */
		return TW_OK;
	case TW_ERR_NOTFOUND:
		return skip_literals(s, line, len);
	default:
		return fail(s, "protocol", "malformed SEARCH");
	}
}

static int
cmp_uid(const void *a, const void *b)
{
	uint32_t	x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

enum tw_err
tw_imap_uids_after(struct tw_imap *s, uint32_t last, uint32_t *uids,
    size_t max, size_t *n)
{
	struct search	r = { uids, max, 0 };
	size_t		i, kept = 0;
	enum tw_err	rc;

	*n = 0;
	if (last == UINT32_MAX)
		return TW_OK;
	rc = command(s, on_search, &r, "UID SEARCH UID %lu:*",
	    (unsigned long)last + 1);
	if (rc == TW_ERR_FORBIDDEN)
		return fail(s, "protocol", "UID SEARCH refused");
	if (rc != TW_OK)
		return rc;

	/* "n:*" names the last message even when its UID is below n. */
	qsort(uids, r.n, sizeof(*uids), cmp_uid);
	for (i = 0; i < r.n; i++)
		if (uids[i] > last && (kept == 0 || uids[kept - 1] != uids[i]))
			uids[kept++] = uids[i];
	*n = kept;
	return TW_OK;
}

struct fetch {
	uint32_t	 uid;
	size_t		 max;
	long long	 size;
	char		*raw;
	size_t		 len;
	int		 found;
	int		 toobig;
};

/* Reads one FETCH response; keeps the body when it is the one asked for. */
static enum tw_err
on_fetch(struct tw_imap *s, const char *line, size_t len, void *ctx)
{
	struct fetch		*r = ctx;
	struct tw_imap_fetch	 f;
	char			*body = NULL;
	size_t			 bodylen = 0;
	enum tw_err		 rc;

	rc = tw_imap_parse_fetch(line, len, &f);
	if (rc == TW_ERR_NOTFOUND)
		return skip_literals(s, line, len);
	while (rc == TW_OK && !f.done) {
		if (f.literal < 0 || body != NULL)
			return fail(s, "protocol", "malformed FETCH");
		if ((size_t)f.literal > r->max) {
			r->toobig = 1;
			return fail(s, "protocol", "message over the limit");
		}
		bodylen = (size_t)f.literal;
		if ((body = malloc(bodylen + 1)) == NULL)
			return fail(s, "protocol", "out of memory");
		if ((rc = read_literal(s, body, bodylen)) != TW_OK ||
		    (rc = read_line(s, &line, &len)) != TW_OK)
			break;
		rc = tw_imap_parse_fetch_more(line, len, &f);
	}
	if (rc != TW_OK) {
		free(body);
		return s->broken ? rc : fail(s, "protocol", "malformed FETCH");
	}

	if (f.uid == r->uid) {
		if (f.size >= 0)
			r->size = f.size;
		if (body != NULL && r->raw == NULL) {
			body[bodylen] = '\0';
			r->raw = body;
			r->len = bodylen;
			r->found = 1;
			return TW_OK;
		}
	}
	free(body);
	return TW_OK;
}

enum tw_err
tw_imap_size(struct tw_imap *s, uint32_t uid, long long *size)
{
	struct fetch	r = { uid, 0, -1, NULL, 0, 0, 0 };
	enum tw_err	rc;

	*size = -1;
	rc = command(s, on_fetch, &r, "UID FETCH %lu (RFC822.SIZE)",
	    (unsigned long)uid);
	if (rc == TW_ERR_FORBIDDEN || (rc == TW_OK && r.size < 0))
		return TW_ERR_NOTFOUND;
	*size = r.size;
	return rc;
}

enum tw_err
tw_imap_fetch(struct tw_imap *s, uint32_t uid, size_t max, char **raw,
    size_t *len)
{
	struct fetch	r = { uid, max, -1, NULL, 0, 0, 0 };
	enum tw_err	rc;

	*raw = NULL;
	*len = 0;
	rc = command(s, on_fetch, &r, "UID FETCH %lu (BODY.PEEK[])",
	    (unsigned long)uid);
	if (r.toobig) {
		free(r.raw);
		return TW_ERR_TOOBIG;
	}
	if (rc != TW_OK || !r.found) {
		free(r.raw);
		return rc == TW_OK || rc == TW_ERR_FORBIDDEN ?
		    TW_ERR_NOTFOUND : rc;
	}
	*raw = r.raw;
	*len = r.len;
	return TW_OK;
}

enum tw_err
tw_imap_mark_seen(struct tw_imap *s, uint32_t uid)
{
	enum tw_err	rc;

	rc = command(s, NULL, NULL, "UID STORE %lu +FLAGS.SILENT (\\Seen)",
	    (unsigned long)uid);
	if (rc == TW_ERR_FORBIDDEN)
		s->problem = "flags";
	return rc;
}

const char *
tw_imap_problem(const struct tw_imap *s)
{
	return s->problem;
}

void
tw_imap_close(struct tw_imap *s)
{
	char	out[32];
	int	n;

	if (s == NULL)
		return;

	/* A polite goodbye; its answer would only be "* BYE". */
	if (!s->broken) {
		n = snprintf(out, sizeof(out), "tw%u LOGOUT\r\n",
		    ++s->next_tag);
		s->timeout_ms = 2000;
		(void)send_all(s, out, (size_t)n);
	}
	curl_easy_cleanup(s->curl);
	tw_arena_free(s->arena);
	free(s);
}
