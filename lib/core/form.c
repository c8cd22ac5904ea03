/*
 * form.c: the request input parsers declared in form.h.
 *
 * Every parser measures before it allocates: a name or value is copied
 * into the arena only after its decoded length passed its limit, and a
 * form's arrays grow only after the count passed its limit.  Offsets are
 * compared as "bytes left" (len - pos), never by forming pointers past
 * the end of the input.
 */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "form.h"

/* RFC 2046 section 5.1.1: a boundary has 1 to 70 characters. */
#define BOUNDARY_MAX	70

/* Media types are short; this is room for any registered one. */
#define TYPE_MAX	255

/* json-c allocates its parse stack up front, so its depth is capped. */
#define JSON_DEPTH_CAP	1000

const struct tw_form_limits tw_form_default_limits = {
	.fields_max = 200,
	.name_max = 128,
	.value_max = 64 * 1024,
	.uploads_max = 10,
	.upload_max = 10 * 1024 * 1024,
};

/* One call of a parser: where results go and what to undo on failure. */
struct parse {
	struct tw_arena			*arena;
	const struct tw_form_limits	*lim;
	struct tw_form			*form;
	size_t				 nparams;	/* at the start */
	size_t				 nuploads;
};

/* A multipart body and the delimiter "\r\n--boundary" that splits it. */
struct mp {
	const char	*body;
	size_t		 len;
	char		 delim[4 + BOUNDARY_MAX];
	size_t		 dlen;
};

/* The header values of one multipart part, pointing into the body. */
struct part {
	const char	*disp;		/* Content-Disposition or NULL */
	size_t		 displen;
	const char	*type;		/* Content-Type, or NULL */
	size_t		 typelen;
	const char	*data;
	size_t		 len;
};

/* The parameters of a Content-Disposition: form-data header. */
struct disposition {
	const char	*name;		/* NULL when absent */
	size_t		 namelen;
	const char	*filename;
	size_t		 filenamelen;
	const char	*ext;		/* filename*, still encoded */
	size_t		 extlen;
};

/*
 * What a text check calls the text in its messages, and whether it is a
 * name: names have their own length limit and no control characters.
 */
struct text_rule {
	const char	*what;
	int		 is_name;
};

static const struct text_rule name_rule = { "field name", 1 };
static const struct text_rule value_rule = { "field value", 0 };

int
tw_utf8_valid(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, k, n;
	unsigned char		 c, lo, hi;

	while (i < len) {
		if ((c = p[i]) < 0x80) {
			i++;
			continue;
		}

		/*
		 * Table 3-7 of the Unicode Standard: the lead byte sets the
		 * length and the range of the second byte, which excludes
		 * overlong forms, surrogates and code points past U+10FFFF.
		 */
		lo = 0x80;
		hi = 0xBF;
		if (c >= 0xC2 && c <= 0xDF)
			n = 1;
		else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			if (c == 0xE0)
				lo = 0xA0;
			else if (c == 0xED)
				hi = 0x9F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			if (c == 0xF0)
				lo = 0x90;
			else if (c == 0xF4)
				hi = 0x8F;
		} else
			return 0;

		if (len - i - 1 < n || p[i + 1] < lo || p[i + 1] > hi)
			return 0;
		for (k = 2; k <= n; k++)
			if ((p[i + k] & 0xC0) != 0x80)
				return 0;
		i += n + 1;
	}
	return 1;
}

/* The value of a hex digit, or -1. */
static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Whether c may appear in an HTTP token (RFC 9110 section 5.6.2). */
static int
is_tchar(char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* Whether the n bytes at s equal the lower-case ASCII lit, ignoring case. */
static int
eq_nocase(const char *s, size_t n, const char *lit)
{
	size_t	 i;
	char	 c;

	if (n != strlen(lit))
		return 0;
	for (i = 0; i < n; i++) {
		c = s[i];
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c != lit[i])
			return 0;
	}
	return 1;
}

/*
 * Whether the n bytes at s hold a control character: C0, DEL, or C1
 * (U+0080 to U+009F, encoded as C2 80 to C2 9F).
 */
static int
has_control(const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i;

	for (i = 0; i < n; i++) {
		if (p[i] < 0x20 || p[i] == 0x7F)
			return 1;
		if (p[i] == 0xC2 && n - i > 1 && p[i + 1] >= 0x80 &&
		    p[i + 1] <= 0x9F)
			return 1;
	}
	return 0;
}

/* Skips spaces and tabs from s, stopping at e. */
static const char *
skip_ows(const char *s, const char *e)
{
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	return s;
}

/*
 * The offset of the first n bytes equal to needle in the hn bytes at h,
 * or hn when there is none.  needle starts with a byte that appears
 * nowhere else in it, so this naive search stays linear.
 */
static size_t
find(const char *h, size_t hn, const char *needle, size_t n)
{
	const char	*p;
	size_t		 at = 0;

	while (hn - at >= n) {
		p = memchr(h + at, needle[0], hn - at - n + 1);
		if (p == NULL)
			break;
		at = (size_t)(p - h);
		if (memcmp(p, needle, n) == 0)
			return at;
		at++;
	}
	return hn;
}

/* A size for a message: "10 MiB", "64 KiB" or "200 bytes", in the arena. */
static const char *
size_text(struct tw_arena *a, size_t n)
{
	if (n >= 1024 * 1024 && n % (1024 * 1024) == 0)
		return tw_arena_printf(a, "%zu MiB", n / (1024 * 1024));
	if (n >= 1024 && n % 1024 == 0)
		return tw_arena_printf(a, "%zu KiB", n / 1024);
	return tw_arena_printf(a, "%zu bytes", n);
}

static void
begin(struct parse *p, struct tw_arena *a,
    const struct tw_form_limits *lim, struct tw_form *out)
{
	p->arena = a;
	p->lim = lim != NULL ? lim : &tw_form_default_limits;
	p->form = out;
	p->nparams = out->nparams;
	p->nuploads = out->nuploads;
	out->error = NULL;
}

/* Ends a call: on failure the form drops what the call added. */
static enum tw_err
finish(struct parse *p, enum tw_err rc)
{
	if (rc != TW_OK) {
		p->form->nparams = p->nparams;
		p->form->nuploads = p->nuploads;
	}
	return rc;
}

/* Sets the form's error to a formatted sentence and returns rc. */
static enum tw_err
fail(struct parse *p, enum tw_err rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum tw_err
fail(struct parse *p, enum tw_err rc, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	p->form->error = tw_arena_vprintf(p->arena, fmt, ap);
	va_end(ap);
	return rc;
}

/*
 * Returns an array with room for n + 1 elements of size bytes, given the
 * array old holding n elements in room for *cap.  Doubles the room, but
 * not beyond max elements, so the limit bounds what is allocated.
 */
static void *
grow(struct tw_arena *a, void *old, size_t n, size_t *cap, size_t size,
    size_t max)
{
	size_t	 ncap;
	void	*p;

	if (n < *cap)
		return old;

	ncap = *cap < 8 ? 8 : *cap > max / 2 ? max : *cap * 2;
	if (ncap < n + 1)
		ncap = n + 1;
	p = tw_arena_calloc(a, ncap, size);
	if (n > 0)
		memcpy(p, old, n * size);
	*cap = ncap;
	return p;
}

/* TW_OK when one more text field fits the limit. */
static enum tw_err
room_param(struct parse *p)
{
	if (p->form->nparams >= p->lim->fields_max)
		return fail(p, TW_ERR_TOOBIG, "The form has more than %zu "
		    "fields.", p->lim->fields_max);
	return TW_OK;
}

/* Appends a field whose name and value already live in the arena. */
static enum tw_err
add_param(struct parse *p, const char *name, const char *value, size_t len)
{
	struct tw_form	*f = p->form;
	enum tw_err	 rc;

	if ((rc = room_param(p)) != TW_OK)
		return rc;

	f->params = grow(p->arena, f->params, f->nparams, &f->paramcap,
	    sizeof(*f->params), p->lim->fields_max);
	f->params[f->nparams].name = name;
	f->params[f->nparams].value = value;
	f->params[f->nparams].len = len;
	f->nparams++;
	return TW_OK;
}

/*
 * Checks a decoded name or value before it is kept: its length against
 * the limit, then no NUL byte, well-formed UTF-8, and for names no control
 * character at all.
 */
static enum tw_err
check_text(struct parse *p, const struct text_rule *r, const char *s,
    size_t n)
{
	size_t	 max;

	max = r->is_name ? p->lim->name_max : p->lim->value_max;
	if (n > max)
		return fail(p, TW_ERR_TOOBIG, "A %s is longer than %s.",
		    r->what, size_text(p->arena, max));
	if (memchr(s, '\0', n) != NULL)
		return fail(p, TW_ERR_BADREQ, "A %s contains a NUL byte.",
		    r->what);
	if (!tw_utf8_valid(s, n))
		return fail(p, TW_ERR_BADREQ, "A %s is not valid UTF-8.",
		    r->what);
	if (r->is_name && has_control(s, n))
		return fail(p, TW_ERR_BADREQ, "A %s contains a control "
		    "character.", r->what);
	return TW_OK;
}

/*
 * Measures the percent-decoded length of the n bytes at s into *dlen.
 * Returns 0 when a '%' is not followed by two hex digits.
 */
static int
measure_pct(const char *s, size_t n, size_t *dlen)
{
	size_t	 i, d = 0;

	for (i = 0; i < n; i++, d++) {
		if (s[i] != '%')
			continue;
		if (n - i < 3 || hexval(s[i + 1]) < 0 || hexval(s[i + 2]) < 0)
			return 0;
		i += 2;
	}
	*dlen = d;
	return 1;
}

/*
 * Decodes the n bytes at s, already measured, into dst and NUL-terminates
 * it; with plus set, '+' becomes a space as in form bodies.
 */
static void
decode_pct(char *dst, const char *s, size_t n, int plus)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (s[i] == '%') {
			*dst++ = (char)(hexval(s[i + 1]) << 4 |
			    hexval(s[i + 2]));
			i += 2;
		} else if (s[i] == '+' && plus)
			*dst++ = ' ';
		else
			*dst++ = s[i];
	}
	*dst = '\0';
}

/*
 * Decodes one urlencoded name or value of n bytes into *dst, an arena
 * string of *dlen bytes, after checking it against the rule.
 */
static enum tw_err
decode_field(struct parse *p, const struct text_rule *r, const char *s,
    size_t n, char **dst, size_t *dlen)
{
	size_t	 max;

	max = r->is_name ? p->lim->name_max : p->lim->value_max;
	if (!measure_pct(s, n, dlen))
		return fail(p, TW_ERR_BADREQ, "A form field contains a "
		    "malformed percent escape.");
	if (*dlen > max)
		return fail(p, TW_ERR_TOOBIG, "A %s is longer than %s.",
		    r->what, size_text(p->arena, max));

	*dst = tw_arena_alloc(p->arena, *dlen + 1);
	decode_pct(*dst, s, n, 1);
	return check_text(p, r, *dst, *dlen);
}

/* Adds one "name=value" piece of n bytes, n > 0, to the form. */
static enum tw_err
add_pair(struct parse *p, const char *s, size_t n)
{
	const char	*eq;
	char		*name, *value;
	size_t		 rawlen, namelen, vallen;
	enum tw_err	 rc;

	if ((rc = room_param(p)) != TW_OK)
		return rc;

	eq = memchr(s, '=', n);
	rawlen = eq != NULL ? (size_t)(eq - s) : n;
	if (rawlen == 0)
		return fail(p, TW_ERR_BADREQ, "A form field has no name.");

	if ((rc = decode_field(p, &name_rule, s, rawlen, &name,
	    &namelen)) != TW_OK)
		return rc;
	if (eq == NULL)
		rc = decode_field(p, &value_rule, "", 0, &value, &vallen);
	else
		rc = decode_field(p, &value_rule, eq + 1, n - rawlen - 1,
		    &value, &vallen);
	if (rc != TW_OK)
		return rc;

	return add_param(p, name, value, vallen);
}

enum tw_err
tw_form_urlencoded(struct tw_arena *a, const char *s, size_t len,
    const struct tw_form_limits *lim, struct tw_form *out)
{
	struct parse	 p;
	const char	*amp;
	size_t		 pos = 0, n;
	enum tw_err	 rc = TW_OK;

	begin(&p, a, lim, out);
	while (pos < len && rc == TW_OK) {
		amp = memchr(s + pos, '&', len - pos);
		n = amp != NULL ? (size_t)(amp - (s + pos)) : len - pos;
		if (n > 0)
			rc = add_pair(&p, s + pos, n);
		pos += n + 1;
	}
	return finish(&p, rc);
}

/* Whether c is a cookie-octet of RFC 6265 section 4.1.1. */
static int
is_cookie_octet(char c)
{
	unsigned char	 u = (unsigned char)c;

	return u >= 0x21 && u <= 0x7E && u != '"' && u != ',' && u != ';' &&
	    u != '\\';
}

/*
 * Adds the cookie in the n bytes at s, one piece between semicolons, or
 * skips it when it is malformed or over a length limit.
 */
static enum tw_err
add_cookie(struct parse *p, const char *s, size_t n)
{
	const char	*e = s + n, *eq, *ne, *v;
	size_t		 namelen, vlen, i;
	enum tw_err	 rc;

	/* RFC 6265 section 5.2 trims white space around name and value. */
	s = skip_ows(s, e);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if ((eq = memchr(s, '=', (size_t)(e - s))) == NULL)
		return TW_OK;
	for (ne = eq; ne > s && (ne[-1] == ' ' || ne[-1] == '\t'); ne--)
		continue;
	v = skip_ows(eq + 1, e);

	namelen = (size_t)(ne - s);
	if (namelen == 0 || namelen > p->lim->name_max)
		return TW_OK;
	for (i = 0; i < namelen; i++)
		if (!is_tchar(s[i]))
			return TW_OK;

	vlen = (size_t)(e - v);
	if (vlen > 0 && v[0] == '"') {
		if (vlen < 2 || v[vlen - 1] != '"')
			return TW_OK;
		v++;
		vlen -= 2;
	}
	if (vlen > p->lim->value_max)
		return TW_OK;
	for (i = 0; i < vlen; i++)
		if (!is_cookie_octet(v[i]))
			return TW_OK;

	if ((rc = room_param(p)) != TW_OK)
		return rc;
	return add_param(p, tw_arena_memdup(p->arena, s, namelen),
	    tw_arena_memdup(p->arena, v, vlen), vlen);
}

enum tw_err
tw_form_cookies(struct tw_arena *a, const char *header,
    const struct tw_form_limits *lim, struct tw_form *out)
{
	struct parse	 p;
	size_t		 n;
	enum tw_err	 rc = TW_OK;

	begin(&p, a, lim, out);
	if (header == NULL)
		return TW_OK;

	while (*header != '\0' && rc == TW_OK) {
		n = strcspn(header, ";");
		rc = add_cookie(&p, header, n);
		header += n;
		if (*header == ';')
			header++;
	}
	return finish(&p, rc);
}

/* Whether c is one of RFC 2046's bchars, which includes the space. */
static int
is_bchar(char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("'()+_,-./:=? ", c) != NULL;
}

/*
 * Reads one parameter value of a Content-Type at *sp, a quoted-string
 * with backslash escapes or a bare word up to ';' or white space, into
 * dst of room bytes.  Returns its length, or room + 1 when it does not
 * fit, or (size_t)-1 when a quote is not closed.
 */
static size_t
read_ct_value(const char **sp, char *dst, size_t room)
{
	const char	*s = *sp;
	size_t		 n = 0;
	int		 quoted = *s == '"';

	if (quoted)
		s++;
	for (;;) {
		if (*s == '\0') {
			if (quoted)
				return (size_t)-1;
			break;
		}
		if (quoted && *s == '"') {
			s++;
			break;
		}
		if (!quoted && (*s == ';' || *s == ' ' || *s == '\t'))
			break;
		if (quoted && *s == '\\' && s[1] != '\0')
			s++;
		if (n < room)
			dst[n] = *s;
		n++;
		s++;
	}
	*sp = s;
	return n > room ? room + 1 : n;
}

/*
 * Takes the boundary from a Content-Type of multipart/form-data (RFC 2045
 * section 5.1 syntax) and stores "\r\n--boundary" in m.  Returns TW_OK,
 * TW_ERR_MEDIATYPE, or TW_ERR_BADREQ when the boundary is missing, given
 * twice or invalid (RFC 2046 section 5.1.1).
 */
static enum tw_err
parse_boundary(struct parse *p, const char *ct, struct mp *m)
{
	const char	*s = ct, *name;
	char		 val[BOUNDARY_MAX + 1];
	size_t		 n, blen = 0, i;
	int		 seen = 0;

	if (ct == NULL)
		return fail(p, TW_ERR_MEDIATYPE, "The body is not "
		    "multipart/form-data.");
	while (*s == ' ' || *s == '\t')
		s++;
	for (n = 0; s[n] != '\0' && s[n] != ';' && s[n] != ' ' &&
	    s[n] != '\t'; n++)
		continue;
	if (!eq_nocase(s, n, "multipart/form-data"))
		return fail(p, TW_ERR_MEDIATYPE, "The body is not "
		    "multipart/form-data.");
	s += n;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			break;
		if (*s++ != ';')
			goto bad;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			break;
		for (name = s; is_tchar(*s); s++)
			continue;
		n = (size_t)(s - name);
		if (n == 0 || *s != '=')
			goto bad;
		s++;
		if (eq_nocase(name, n, "boundary")) {
			if (seen++)
				goto bad;
			blen = read_ct_value(&s, val, sizeof(val) - 1);
		} else if (read_ct_value(&s, NULL, 0) == (size_t)-1)
			goto bad;
	}

	if (!seen || blen == 0 || blen > BOUNDARY_MAX || val[blen - 1] == ' ')
		goto bad;
	for (i = 0; i < blen; i++)
		if (!is_bchar(val[i]))
			goto bad;
	memcpy(m->delim, "\r\n--", 4);
	memcpy(m->delim + 4, val, blen);
	m->dlen = 4 + blen;
	return TW_OK;

bad:
	return fail(p, TW_ERR_BADREQ, "The multipart boundary is missing or "
	    "invalid.");
}

/*
 * Whether a delimiter line starts at offset at: "\r\n--boundary", or
 * without the CRLF when bare (the first one may open the body), followed
 * by "--" for the last one or by optional white space and CRLF.
 */
static int
delim_at(const struct mp *m, size_t at, int bare)
{
	const char	*d = m->delim + (bare ? 2 : 0);
	size_t		 dn = m->dlen - (bare ? 2 : 0), t;

	if (m->len - at < dn || memcmp(m->body + at, d, dn) != 0)
		return 0;

	t = at + dn;
	if (m->len - t >= 2 && m->body[t] == '-' && m->body[t + 1] == '-')
		return 1;
	while (t < m->len && (m->body[t] == ' ' || m->body[t] == '\t'))
		t++;
	return m->len - t >= 2 && m->body[t] == '\r' && m->body[t + 1] == '\n';
}

/*
 * The offset of the next delimiter line at or after from, or m->len.  A
 * boundary followed by anything else is data, not a delimiter.
 */
static size_t
next_delim(const struct mp *m, size_t from)
{
	size_t	 at;

	while (from < m->len) {
		at = from + find(m->body + from, m->len - from, m->delim,
		    m->dlen);
		if (at == m->len || delim_at(m, at, 0))
			return at;
		from = at + 1;
	}
	return m->len;
}

/*
 * Notes one header line of n bytes (without its CRLF) of a part.  Returns
 * 0 when it is malformed: a control byte, no colon, a name that is not a
 * token, or a second Content-Disposition or Content-Type.
 */
static int
take_header(struct part *part, const char *s, size_t n)
{
	const char	*colon, *v, *e = s + n;
	size_t		 i;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] < 0x20 && s[i] != '\t') ||
		    s[i] == 0x7F)
			return 0;
	if ((colon = memchr(s, ':', n)) == NULL || colon == s)
		return 0;
	for (i = 0; s + i < colon; i++)
		if (!is_tchar(s[i]))
			return 0;

	v = skip_ows(colon + 1, e);
	while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (eq_nocase(s, (size_t)(colon - s), "content-disposition")) {
		if (part->disp != NULL)
			return 0;
		part->disp = v;
		part->displen = (size_t)(e - v);
	} else if (eq_nocase(s, (size_t)(colon - s), "content-type")) {
		if (part->type != NULL)
			return 0;
		part->type = v;
		part->typelen = (size_t)(e - v);
	}
	return 1;
}

/*
 * Records one Content-Disposition parameter.  Returns 0 when it was given
 * before, since two names would leave the meaning to the parser.
 */
static int
set_disp_param(struct disposition *d, const char *name, size_t n,
    const char *v, size_t vn)
{
	const char	**dst = NULL;
	size_t		 *dstlen = NULL;

	if (eq_nocase(name, n, "name")) {
		dst = &d->name;
		dstlen = &d->namelen;
	} else if (eq_nocase(name, n, "filename")) {
		dst = &d->filename;
		dstlen = &d->filenamelen;
	} else if (eq_nocase(name, n, "filename*")) {
		dst = &d->ext;
		dstlen = &d->extlen;
	} else
		return 1;

	if (*dst != NULL)
		return 0;
	*dst = v;
	*dstlen = vn;
	return 1;
}

/*
 * Parses the n bytes of a Content-Disposition value: "form-data" and its
 * parameters.  Quoted values end at the next quote, since browsers send
 * names and file names with '"' written as %22 and a '\' as is (HTML's
 * multipart/form-data encoding algorithm).  Returns 0 when malformed.
 */
static int
parse_disposition(const char *s, size_t n, struct disposition *d)
{
	const char	*e = s + n, *name, *v;
	size_t		 nn, vn;

	for (name = s; s < e && is_tchar(*s); s++)
		continue;
	if (!eq_nocase(name, (size_t)(s - name), "form-data"))
		return 0;

	for (;;) {
		s = skip_ows(s, e);
		if (s == e)
			return 1;
		if (*s++ != ';')
			return 0;
		s = skip_ows(s, e);
		if (s == e)
			return 1;

		for (name = s; s < e && is_tchar(*s); s++)
			continue;
		if ((nn = (size_t)(s - name)) == 0)
			return 0;
		v = skip_ows(s, e);
		if (v == e || *v != '=')
			return 0;
		v = skip_ows(v + 1, e);
		if (v < e && *v == '"') {
			v++;
			for (s = v; s < e && *s != '"'; s++)
				continue;
			if (s == e)
				return 0;
			vn = (size_t)(s++ - v);
		} else {
			for (s = v; s < e && *s != ';' && *s != ' ' &&
			    *s != '\t'; s++)
				continue;
			vn = (size_t)(s - v);
		}
		if (!set_disp_param(d, name, nn, v, vn))
			return 0;
	}
}

/*
 * Chooses the source of an upload's file name without copying it: the
 * value of filename* when its charset is UTF-8 (RFC 8187), which then
 * needs percent-decoding (*pct set), else filename, else "".  Returns 0
 * when filename* lacks its two quotes.
 */
static int
pick_filename(const struct disposition *d, const char **src, size_t *n,
    int *pct)
{
	const char	*q1, *q2, *e;

	*src = "";
	*n = 0;
	*pct = 0;
	if (d->ext != NULL) {
		e = d->ext + d->extlen;
		if ((q1 = memchr(d->ext, '\'', d->extlen)) == NULL ||
		    (q2 = memchr(q1 + 1, '\'', (size_t)(e - q1 - 1))) == NULL)
			return 0;
		if (eq_nocase(d->ext, (size_t)(q1 - d->ext), "utf-8")) {
			*src = q2 + 1;
			*n = (size_t)(e - q2 - 1);
			*pct = 1;
			return 1;
		}
	}
	if (d->filename != NULL) {
		*src = d->filename;
		*n = d->filenamelen;
	}
	return 1;
}

/*
 * Copies and checks an upload's file name into *out, keeping only what
 * follows the last '/' or '\', so no client picks a path.
 */
static enum tw_err
copy_filename(struct parse *p, const char *src, size_t n, int pct,
    const char **out)
{
	char	*name;
	size_t	 len = n, i;

	if (pct && !measure_pct(src, n, &len))
		return fail(p, TW_ERR_BADREQ, "An upload's file name "
		    "contains a malformed percent escape.");
	if (len > p->lim->value_max)
		return fail(p, TW_ERR_TOOBIG, "An upload's file name is "
		    "longer than %s.", size_text(p->arena, p->lim->value_max));

	name = tw_arena_alloc(p->arena, len + 1);
	if (pct)
		decode_pct(name, src, n, 0);
	else {
		memcpy(name, src, n);
		name[n] = '\0';
	}

	if (!tw_utf8_valid(name, len))
		return fail(p, TW_ERR_BADREQ, "An upload's file name is not "
		    "valid UTF-8.");
	if (has_control(name, len))
		return fail(p, TW_ERR_BADREQ, "An upload's file name "
		    "contains a control character.");

	for (i = len; i > 0; i--)
		if (name[i - 1] == '/' || name[i - 1] == '\\')
			break;
	*out = name + i;
	return TW_OK;
}

/* Appends the file part to the uploads, checking the limits first. */
static enum tw_err
add_file_part(struct parse *p, const struct part *part,
    const struct disposition *d)
{
	struct tw_form	*f = p->form;
	struct tw_upload *u;
	const char	*src, *filename = NULL;
	const char	*type = "application/octet-stream";
	size_t		 n, i;
	int		 pct;
	enum tw_err	 rc;

	if (!pick_filename(d, &src, &n, &pct))
		return fail(p, TW_ERR_BADREQ, "A multipart part has a "
		    "malformed filename* parameter.");
	if (n == 0 && part->len == 0)
		return TW_OK;

	if (f->nuploads >= p->lim->uploads_max)
		return fail(p, TW_ERR_TOOBIG, "The form has more than %zu "
		    "file uploads.", p->lim->uploads_max);
	if (part->len > p->lim->upload_max)
		return fail(p, TW_ERR_TOOBIG, "An uploaded file is larger "
		    "than %s.", size_text(p->arena, p->lim->upload_max));
	if ((rc = copy_filename(p, src, n, pct, &filename)) != TW_OK)
		return rc;

	if (part->type != NULL) {
		if (part->typelen == 0 || part->typelen > TYPE_MAX)
			return fail(p, TW_ERR_BADREQ, "An upload's content "
			    "type is empty or too long.");
		for (i = 0; i < part->typelen; i++)
			if ((unsigned char)part->type[i] > 0x7E)
				return fail(p, TW_ERR_BADREQ, "An upload's "
				    "content type is not ASCII.");
		type = tw_arena_memdup(p->arena, part->type, part->typelen);
	}

	f->uploads = grow(p->arena, f->uploads, f->nuploads, &f->uploadcap,
	    sizeof(*f->uploads), p->lim->uploads_max);
	u = &f->uploads[f->nuploads++];
	u->field = tw_arena_memdup(p->arena, d->name, d->namelen);
	u->filename = filename;
	u->type = type;
	u->data = part->data;
	u->len = part->len;
	return TW_OK;
}

/* Appends the text part to the fields, copying its value. */
static enum tw_err
add_text_part(struct parse *p, const struct part *part,
    const struct disposition *d)
{
	enum tw_err	 rc;

	if ((rc = room_param(p)) != TW_OK)
		return rc;
	if ((rc = check_text(p, &value_rule, part->data, part->len)) != TW_OK)
		return rc;
	return add_param(p, tw_arena_memdup(p->arena, d->name, d->namelen),
	    tw_arena_memdup(p->arena, part->data, part->len), part->len);
}

/* Adds one part whose headers and data were found. */
static enum tw_err
add_part(struct parse *p, const struct part *part)
{
	struct disposition	 d;
	enum tw_err		 rc;

	memset(&d, 0, sizeof(d));
	if (part->disp == NULL ||
	    !parse_disposition(part->disp, part->displen, &d))
		return fail(p, TW_ERR_BADREQ, "A multipart part has no valid "
		    "Content-Disposition header.");
	if (d.name == NULL || d.namelen == 0)
		return fail(p, TW_ERR_BADREQ, "A multipart part has no field "
		    "name.");
	if ((rc = check_text(p, &name_rule, d.name, d.namelen)) != TW_OK)
		return rc;

	if (d.filename != NULL || d.ext != NULL)
		return add_file_part(p, part, &d);
	return add_text_part(p, part, &d);
}

/*
 * Reads the part whose headers start at *pos: its header lines up to an
 * empty one, then its data up to the next delimiter.  Leaves *pos just
 * past that delimiter's boundary.
 */
static enum tw_err
read_part(struct parse *p, const struct mp *m, size_t *pos)
{
	struct part	 part;
	size_t		 at = *pos, eol, end;

	memset(&part, 0, sizeof(part));
	for (;;) {
		eol = find(m->body + at, m->len - at, "\r\n", 2);
		if (eol == m->len - at)
			return fail(p, TW_ERR_BADREQ, "The multipart body "
			    "ends before its closing boundary.");
		if (eol == 0)
			break;
		if (!take_header(&part, m->body + at, eol))
			return fail(p, TW_ERR_BADREQ, "A multipart part has "
			    "a malformed header.");
		at += eol + 2;
	}
	at += 2;

	if ((end = next_delim(m, at)) == m->len)
		return fail(p, TW_ERR_BADREQ, "The multipart body ends before "
		    "its closing boundary.");
	part.data = m->body + at;
	part.len = end - at;
	*pos = end + m->dlen;
	return add_part(p, &part);
}

enum tw_err
tw_form_multipart(struct tw_arena *a, const char *content_type,
    const char *body, size_t len, const struct tw_form_limits *lim,
    struct tw_form *out)
{
	struct parse	 p;
	struct mp	 m;
	size_t		 pos;
	enum tw_err	 rc;

	begin(&p, a, lim, out);
	if ((rc = parse_boundary(&p, content_type, &m)) != TW_OK)
		return finish(&p, rc);
	m.body = body;
	m.len = len;

	/* The preamble before the first delimiter is ignored. */
	if (delim_at(&m, 0, 1))
		pos = m.dlen - 2;
	else if ((pos = next_delim(&m, 0)) < len)
		pos += m.dlen;
	else
		return finish(&p, fail(&p, TW_ERR_BADREQ, "The multipart body "
		    "has no boundary line."));

	/*
	 * After each boundary: "--" ends the body, or a part follows past
	 * the white space and CRLF that delim_at() made sure are there.
	 */
	while (rc == TW_OK) {
		if (len - pos >= 2 && body[pos] == '-' && body[pos + 1] == '-')
			break;
		while (body[pos] == ' ' || body[pos] == '\t')
			pos++;
		pos += 2;
		rc = read_part(&p, &m, &pos);
	}
	return finish(&p, rc);
}

/* The message for JSON nested deeper than depth_max, in the arena. */
static const char *
depth_text(struct tw_arena *a, size_t depth_max)
{
	return tw_arena_printf(a, "The JSON body nests arrays and objects "
	    "more than %zu deep.", depth_max);
}

/*
 * Checks what json-c lets pass in the raw body: raw control bytes (a NUL
 * among them), "\u0000" escapes, NaN and Infinity, "1." numbers, and
 * arrays and objects nested deeper than depth_max.  Outside strings a '['
 * or '{' opens a level; a malformed body that confuses the count is
 * rejected by json-c later anyway.
 */
static enum tw_err
scan_json(struct tw_arena *a, const char *s, size_t len, size_t depth_max,
    const char **error)
{
	size_t	 i, depth = 0;
	int	 instr = 0;
	char	 c;

	for (i = 0; i < len; i++) {
		c = s[i];
		if (instr) {
			if ((unsigned char)c < 0x20)
				goto bad;
			if (c == '"')
				instr = 0;
			else if (c == '\\') {
				if (len - i > 5 && memcmp(s + i + 1, "u0000",
				    5) == 0) {
					*error = "The JSON body has a string "
					    "with a NUL character.";
					return TW_ERR_BADREQ;
				}
				i++;
			}
			continue;
		}

		switch (c) {
		case '"':
			instr = 1;
			break;
		case '[':
		case '{':
			if (++depth > depth_max) {
				*error = depth_text(a, depth_max);
				return TW_ERR_TOOBIG;
			}
			break;
		case ']':
		case '}':
			if (depth > 0)
				depth--;
			break;
		case '.':
			if (i == 0 || s[i - 1] < '0' || s[i - 1] > '9' ||
			    len - i < 2 || s[i + 1] < '0' || s[i + 1] > '9')
				goto bad;
			break;
		case 'N':
		case 'I':
			goto bad;
		case ' ':
		case '\t':
		case '\r':
		case '\n':
			break;
		default:
			if ((unsigned char)c < 0x20)
				goto bad;
			break;
		}
	}
	return TW_OK;

bad:
	*error = "The JSON body is not valid JSON.";
	return TW_ERR_BADREQ;
}

/*
 * Whether every number in o is finite: json-c turns "1e400" into an
 * infinity.  The recursion is bounded by the nesting depth checked before.
 */
static int
all_finite(struct json_object *o)
{
	size_t	 i, n;

	switch (json_object_get_type(o)) {
	case json_type_double:
		return isfinite(json_object_get_double(o));
	case json_type_array:
		n = json_object_array_length(o);
		for (i = 0; i < n; i++)
			if (!all_finite(json_object_array_get_idx(o, i)))
				return 0;
		return 1;
	case json_type_object: {
		json_object_object_foreach(o, key, val) {
			(void)key;
			if (!all_finite(val))
				return 0;
		}
		return 1;
	}
	default:
		return 1;
	}
}

static void
put_json(void *o)
{
	json_object_put(o);
}

/*
 * Runs json-c over the body, copied with a NUL so that a number at the
 * end is complete, and checks that only white space follows the value.
 */
static enum tw_err
parse_json(struct tw_arena *a, const char *body, size_t len, size_t depth,
    struct json_object **out, const char **error)
{
	struct json_tokener	*tok;
	enum json_tokener_error	 jerr;
	char			*copy;
	size_t			 end;

	copy = tw_arena_memdup(a, body, len);
	if ((tok = json_tokener_new_ex((int)depth + 1)) == NULL) {
		*error = "The server ran out of memory.";
		return TW_ERR_NOMEM;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_ALLOW_TRAILING_CHARS);
	*out = json_tokener_parse_ex(tok, copy, (int)len + 1);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);

	if (jerr != json_tokener_success) {
		json_object_put(*out);
		*out = NULL;
		if (jerr == json_tokener_error_depth) {
			*error = depth_text(a, depth);
			return TW_ERR_TOOBIG;
		}
		*error = "The JSON body is not valid JSON.";
		return TW_ERR_BADREQ;
	}
	if (*out != NULL)
		tw_arena_cleanup(a, put_json, *out);

	for (; end < len; end++)
		if (strchr(" \t\r\n", copy[end]) == NULL) {
			*error = "The JSON body has data after its value.";
			return TW_ERR_BADREQ;
		}
	if (!all_finite(*out)) {
		*error = "The JSON body has a number out of range.";
		return TW_ERR_BADREQ;
	}
	return TW_OK;
}

enum tw_err
tw_form_json(struct tw_arena *a, const char *body, size_t len,
    size_t depth_max, struct json_object **out, const char **error)
{
	struct json_object	*o = NULL;
	enum tw_err		 rc;

	*out = NULL;
	*error = NULL;
	if (depth_max > JSON_DEPTH_CAP)
		depth_max = JSON_DEPTH_CAP;

	if (len > INT_MAX - 1) {
		*error = "The JSON body is too large.";
		return TW_ERR_TOOBIG;
	}
	if (len == 0) {
		*error = "The JSON body is empty.";
		return TW_ERR_BADREQ;
	}
	if ((rc = scan_json(a, body, len, depth_max, error)) != TW_OK)
		return rc;
	if (!tw_utf8_valid(body, len)) {
		*error = "The JSON body is not valid UTF-8.";
		return TW_ERR_BADREQ;
	}

	if ((rc = parse_json(a, body, len, depth_max, &o, error)) != TW_OK)
		return rc;
	*out = o;
	return TW_OK;
}

const char *
tw_form_get(const struct tw_form *f, const char *name)
{
	size_t	 i;

	for (i = 0; i < f->nparams; i++)
		if (strcmp(f->params[i].name, name) == 0)
			return f->params[i].value;
	return NULL;
}

size_t
tw_form_count(const struct tw_form *f, const char *name)
{
	size_t	 i, n = 0;

	for (i = 0; i < f->nparams; i++)
		if (strcmp(f->params[i].name, name) == 0)
			n++;
	return n;
}

const struct tw_upload *
tw_form_upload(const struct tw_form *f, const char *name)
{
	size_t	 i;

	for (i = 0; i < f->nuploads; i++)
		if (strcmp(f->uploads[i].field, name) == 0)
			return &f->uploads[i];
	return NULL;
}
