/*
 * imap_parse.c: mailbox URLs, and the response lines of the IMAP
 * commands the poller sends (SELECT, UID SEARCH, UID FETCH, UID STORE),
 * read with a cursor that never passes the end of its line.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "imap_parse.h"
#include "text.h"

#define FOLDER_MAX	200	/* bytes of a folder name */
#define HOST_MAX	253	/* bytes of a host name (RFC 1035) */
#define LABEL_MAX	63

/* A position in a line and its end. */
struct cur {
	const char	*p;
	const char	*end;
};

static int
at_end(const struct cur *c)
{
	return c->p >= c->end;
}

/* Takes ch when it comes next. */
static int
take_char(struct cur *c, char ch)
{
	if (at_end(c) || *c->p != ch)
		return 0;
	c->p++;
	return 1;
}

/* Takes the word w (case-insensitive, as IMAP atoms are) when it comes. */
static int
take_word(struct cur *c, const char *w)
{
	size_t	n = strlen(w);

	if ((size_t)(c->end - c->p) < n || strncasecmp(c->p, w, n) != 0)
		return 0;
	c->p += n;
	return 1;
}

/*
 * A number of at most max; nonzero when nz.  Leading zeros are refused
 * in nz-numbers (RFC 3501 9) and in every number longer than one digit,
 * so one value has one spelling.
 */
static int
take_number(struct cur *c, uint64_t max, int nz, uint64_t *out)
{
	const char	*start = c->p;
	uint64_t	 v = 0;

	while (!at_end(c) && *c->p >= '0' && *c->p <= '9') {
		if (c->p - start >= 10)
			return 0;
		v = v * 10 + (uint64_t)(*c->p - '0');
		c->p++;
	}
	if (c->p == start || (*start == '0' && c->p - start > 1) ||
	    (nz && v == 0) || v > max)
		return 0;
	*out = v;
	return 1;
}

/* ---- URLs ---- */

static int
is_host_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9') || ch == '-' || ch == '.';
}

/* A DNS name or IPv4 address: labels of letters, digits and '-'. */
static int
valid_hostname(const char *h, size_t n)
{
	size_t	i, label = 0;

	if (n == 0 || n > HOST_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		if (!is_host_char(h[i]))
			return 0;
		if (h[i] == '.') {
			if (label == 0 || h[i - 1] == '-')
				return 0;
			label = 0;
			continue;
		}
		if (label == 0 && h[i] == '-')
			return 0;
		if (++label > LABEL_MAX)
			return 0;
	}
	return label > 0 && h[n - 1] != '-';
}

/* "[" IPv6 "]": hex digits, ':' and '.' (a trailing IPv4 part). */
static int
valid_ipv6(const char *h, size_t n)
{
	size_t	i;

	if (n < 4 || h[0] != '[' || h[n - 1] != ']')
		return 0;
	for (i = 1; i < n - 1; i++)
		if (strchr("0123456789abcdefABCDEF:.", h[i]) == NULL)
			return 0;
	return 1;
}

/*
 * Decodes the path after the first '/' into a folder name; NULL if bad.
 * XXX: a folder whose name is not ASCII (sent in modified UTF-7, RFC 3501
 * 5.1.3) cannot be named yet; such a mailbox needs its folder renamed.
 */
static char *
decode_folder(struct tw_arena *a, const char *p, size_t n)
{
	char	*out = tw_arena_alloc(a, n + 1);
	size_t	 i, o = 0;
	int	 hi, lo;
	char	 ch;

	while (n > 0 && p[n - 1] == '/')
		n--;
	for (i = 0; i < n; i++) {
		ch = p[i];
		if (ch == '%') {
			if (i + 2 >= n)
				return NULL;
			if ((hi = tw_hex_digit(p[i + 1])) < 0 ||
			    (lo = tw_hex_digit(p[i + 2])) < 0)
				return NULL;
			ch = (char)(hi << 4 | lo);
			i += 2;
		} else if (ch == ';' || ch == '?' || ch == '#')
			return NULL;
		if (ch < 0x20 || ch > 0x7e || ch == '*' || ch == '%')
			return NULL;
		out[o++] = ch;
	}
	if (o == 0)
		return tw_arena_strdup(a, "INBOX");
	if (o > FOLDER_MAX)
		return NULL;
	out[o] = '\0';
	return out;
}

/* Host and port from the authority part [host][:port]. */
static enum tw_err
parse_authority(struct tw_arena *a, const char *p, size_t n,
    struct tw_imap_url *out, const char **problem)
{
	const char	*colon = NULL;
	struct cur	 c;
	uint64_t	 port;
	size_t		 hostlen, i;
	char		*host;

	/* User names and passwords belong in their own fields. */
	if (memchr(p, '@', n) != NULL)
		goto bad_host;
	if (n > 0 && p[0] == '[') {
		if ((colon = memchr(p, ']', n)) == NULL)
			goto bad_host;
		colon++;
		if (colon < p + n && *colon != ':')
			goto bad_host;
		if (colon == p + n)
			colon = NULL;
	} else
		colon = memchr(p, ':', n);

	hostlen = colon != NULL ? (size_t)(colon - p) : n;
	if (!(hostlen > 0 && p[0] == '[' ? valid_ipv6(p, hostlen) :
	    valid_hostname(p, hostlen)))
		goto bad_host;
	host = tw_arena_strndup(a, p, hostlen);
	for (i = 0; i < hostlen; i++)
		if (host[i] >= 'A' && host[i] <= 'Z')
			host[i] = (char)(host[i] - 'A' + 'a');
	out->host = host;

	if (colon != NULL) {
		c.p = colon + 1;
		c.end = p + n;
		if (!take_number(&c, 65535, 1, &port) || !at_end(&c)) {
			*problem = "port";
			return TW_ERR_INVALID;
		}
		out->port = (unsigned)port;
	}
	return TW_OK;

bad_host:
	*problem = "host";
	return TW_ERR_INVALID;
}

enum tw_err
tw_imap_url_parse(struct tw_arena *a, const char *url,
    struct tw_imap_url *out, const char **problem)
{
	const char	*p, *slash;
	size_t		 authlen;
	enum tw_err	 rc;

	memset(out, 0, sizeof(*out));
	*problem = "scheme";
	if (strncasecmp(url, "imaps://", 8) == 0) {
		out->tls = 1;
		out->port = 993;
		p = url + 8;
	} else if (strncasecmp(url, "imap://", 7) == 0) {
		out->port = 143;
		p = url + 7;
	} else
		return TW_ERR_INVALID;

	slash = strchr(p, '/');
	authlen = slash != NULL ? (size_t)(slash - p) : strlen(p);
	if ((rc = parse_authority(a, p, authlen, out, problem)) != TW_OK)
		return rc;

	out->folder = slash == NULL ? "INBOX" :
	    decode_folder(a, slash + 1, strlen(slash + 1));
	if (out->folder == NULL) {
		*problem = "folder";
		return TW_ERR_INVALID;
	}
	*problem = NULL;
	return TW_OK;
}

/* ---- Response lines ---- */

enum tw_imap_kind
tw_imap_line_kind(const char *line, size_t len, const char *tag)
{
	struct cur	c = { line, line + len };
	size_t		taglen = strlen(tag);

	if (memchr(line, '\0', len) != NULL)
		return TW_IMAP_MALFORMED;
	if (take_word(&c, "* "))
		return TW_IMAP_UNTAGGED;
	if (len == 1 && line[0] == '+')
		return TW_IMAP_CONTINUE;
	if (take_word(&c, "+ "))
		return TW_IMAP_CONTINUE;

	if (taglen == 0 || len <= taglen || memcmp(line, tag, taglen) != 0 ||
	    line[taglen] != ' ')
		return TW_IMAP_MALFORMED;
	c.p = line + taglen + 1;
	if (take_word(&c, "OK") && (at_end(&c) || *c.p == ' '))
		return TW_IMAP_OK;
	if (take_word(&c, "NO") && (at_end(&c) || *c.p == ' '))
		return TW_IMAP_NO;
	if (take_word(&c, "BAD") && (at_end(&c) || *c.p == ' '))
		return TW_IMAP_BAD;
	return TW_IMAP_MALFORMED;
}

int
tw_imap_is_bye(const char *line, size_t len)
{
	struct cur	c = { line, line + len };

	return take_word(&c, "* BYE") && (at_end(&c) || *c.p == ' ');
}

enum tw_err
tw_imap_parse_uidvalidity(const char *line, size_t len, uint32_t *out)
{
	struct cur	c = { line, line + len };
	uint64_t	v;

	if (!take_word(&c, "* OK [UIDVALIDITY "))
		return TW_ERR_NOTFOUND;
	if (!take_number(&c, UINT32_MAX, 1, &v) || !take_char(&c, ']'))
		return TW_ERR_INVALID;
	*out = (uint32_t)v;
	return TW_OK;
}

enum tw_err
tw_imap_parse_search(const char *line, size_t len, uint32_t *uids,
    size_t max, size_t *n)
{
	struct cur	c = { line, line + len };
	uint64_t	v;

	if (!take_word(&c, "* SEARCH") || (!at_end(&c) && *c.p != ' '))
		return TW_ERR_NOTFOUND;
	while (!at_end(&c)) {
		if (!take_char(&c, ' ') || !take_number(&c, UINT32_MAX, 1, &v))
			return TW_ERR_INVALID;
		if (*n >= max)
			return TW_ERR_TOOBIG;
		uids[(*n)++] = (uint32_t)v;
	}
	return TW_OK;
}

/* ---- FETCH ---- */

/* Skips a quoted string (RFC 3501 4.3): no CR, LF or NUL; \" and \\. */
static int
skip_quoted(struct cur *c)
{
	if (!take_char(c, '"'))
		return 0;
	while (!at_end(c)) {
		if (*c->p == '"') {
			c->p++;
			return 1;
		}
		if (*c->p == '\\') {
			c->p++;
			if (at_end(c) || (*c->p != '"' && *c->p != '\\'))
				return 0;
		} else if (*c->p == '\r' || *c->p == '\n' || *c->p == '\0')
			return 0;
		c->p++;
	}
	return 0;
}

/* An atom, flag or number: printable, no specials but '\' in front. */
static int
skip_atom(struct cur *c)
{
	const char	*start = c->p;

	if (!at_end(c) && *c->p == '\\')
		c->p++;
	while (!at_end(c) && *c->p > 0x20 && *c->p < 0x7f &&
	    strchr("(){%*\"\\]", *c->p) == NULL)
		c->p++;
	return c->p > start;
}

/* A value we do not read: atom, number, quoted, NIL or a (list). */
static int
skip_value(struct cur *c, int depth)
{
	if (depth > 8)
		return 0;
	if (!at_end(c) && *c->p == '"')
		return skip_quoted(c);
	if (!take_char(c, '('))
		return skip_atom(c);
	while (!take_char(c, ')')) {
		if (!skip_value(c, depth + 1))
			return 0;
		if (!at_end(c) && *c->p == ' ')
			c->p++;
		else if (at_end(c) || *c->p != ')')
			return 0;
	}
	return 1;
}

/* The value of BODY[]: a literal announced at the end of the line, or NIL. */
static int
take_body(struct cur *c, struct tw_imap_fetch *f)
{
	uint64_t	n;

	f->body = 1;
	if (take_word(c, "NIL"))
		return 1;
	if (!take_char(c, '{') || !take_number(c, UINT32_MAX, 0, &n) ||
	    !take_char(c, '}') || !at_end(c))
		return 0;
	f->literal = (long long)n;
	return 1;
}

/* One "NAME value" pair of a FETCH response. */
static int
take_attribute(struct cur *c, struct tw_imap_fetch *f)
{
	uint64_t	v;

	if (take_word(c, "UID ")) {
		if (f->uid != 0 || !take_number(c, UINT32_MAX, 1, &v))
			return 0;
		f->uid = (uint32_t)v;
		return 1;
	}
	if (take_word(c, "RFC822.SIZE ")) {
		if (f->size >= 0 || !take_number(c, UINT32_MAX, 0, &v))
			return 0;
		f->size = (long long)v;
		return 1;
	}
	if (take_word(c, "BODY[] "))
		return !f->body && take_body(c, f);
	if (!skip_atom(c) || !take_char(c, ' '))
		return 0;
	return skip_value(c, 0);
}

/*
 * Attributes up to the closing ')' or a literal at the end of the line.
 * first: the list just opened, so no space comes before the first one.
 */
static enum tw_err
take_attributes(struct cur *c, struct tw_imap_fetch *f, int first)
{
	f->literal = -1;
	for (;;) {
		if (take_char(c, ')')) {
			if (!at_end(c))
				return TW_ERR_INVALID;
			f->done = 1;
			return TW_OK;
		}
		if (!first && !take_char(c, ' '))
			return TW_ERR_INVALID;
		first = 0;
		if (!take_attribute(c, f))
			return TW_ERR_INVALID;
		if (f->literal >= 0)
			return TW_OK;
	}
}

enum tw_err
tw_imap_parse_fetch(const char *line, size_t len, struct tw_imap_fetch *f)
{
	struct cur	c = { line, line + len };
	uint64_t	seq;

	memset(f, 0, sizeof(*f));
	f->size = f->literal = -1;
	if (!take_word(&c, "* ") || !take_number(&c, UINT32_MAX, 1, &seq))
		return TW_ERR_NOTFOUND;
	if (!take_word(&c, " FETCH "))
		return TW_ERR_NOTFOUND;
	f->seq = (uint32_t)seq;
	if (!take_char(&c, '('))
		return TW_ERR_INVALID;
	return take_attributes(&c, f, 1);
}

enum tw_err
tw_imap_parse_fetch_more(const char *line, size_t len,
    struct tw_imap_fetch *f)
{
	struct cur	c = { line, line + len };

	if (f->done)
		return TW_ERR_INVALID;
	return take_attributes(&c, f, 0);
}

char *
tw_imap_quote(struct tw_arena *a, const char *s)
{
	size_t	 i, o = 0, n = strlen(s);
	char	*out = tw_arena_alloc(a, 2 * n + 3);

	out[o++] = '"';
	for (i = 0; i < n; i++) {
		if (s[i] < 0x20 || s[i] > 0x7e)
			return NULL;
		if (s[i] == '"' || s[i] == '\\')
			out[o++] = '\\';
		out[o++] = s[i];
	}
	out[o++] = '"';
	out[o] = '\0';
	return out;
}
