/*
 * form.c: the shared side of the request input parsers in form.h: the
 * default limits, the state of one parser call and the helpers that check,
 * decode and append fields (declared in form_int.h), then the parsers for
 * urlencoded bodies and query strings and for Cookie headers, and the
 * field lookups.  multipart.c, json_body.c and utf8.c hold the rest.
 *
 * Every parser measures before it allocates: a name or value is copied
 * into the arena only after its decoded length passed its limit, and a
 * form's arrays grow only after the count passed its limit.  Offsets are
 * compared as "bytes left" (len - pos), never by forming pointers past
 * the end of the input.
 */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "arena.h"
#include "form.h"
#include "text.h"
#include "form_int.h"

const struct tw_form_limits tw_form_default_limits = {
	.fields_max = 200,
	.name_max = 128,
	.value_max = 64 * 1024,
	.uploads_max = 10,
	.upload_max = 10 * 1024 * 1024,
};

const struct text_rule tw_form_name_rule = { "field name", 1 };
const struct text_rule tw_form_value_rule = { "field value", 0 };

int
tw_form_is_tchar(char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

int
tw_form_has_control(const char *s, size_t n)
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

const char *
tw_form_skip_ows(const char *s, const char *e)
{
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	return s;
}

const char *
tw_form_size_text(struct tw_arena *a, size_t n)
{
	if (n >= 1024 * 1024 && n % (1024 * 1024) == 0)
		return tw_arena_printf(a, "%zu MiB", n / (1024 * 1024));
	if (n >= 1024 && n % 1024 == 0)
		return tw_arena_printf(a, "%zu KiB", n / 1024);
	return tw_arena_printf(a, "%zu bytes", n);
}

void
tw_form_begin(struct parse *p, struct tw_arena *a,
    const struct tw_form_limits *lim, struct tw_form *out)
{
	p->arena = a;
	p->lim = lim != NULL ? lim : &tw_form_default_limits;
	p->form = out;
	p->nparams = out->nparams;
	p->nuploads = out->nuploads;
	out->error = NULL;
}

enum tw_err
tw_form_finish(struct parse *p, enum tw_err rc)
{
	if (rc != TW_OK) {
		p->form->nparams = p->nparams;
		p->form->nuploads = p->nuploads;
	}
	return rc;
}

enum tw_err
tw_form_fail(struct parse *p, enum tw_err rc, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	p->form->error = tw_arena_vprintf(p->arena, fmt, ap);
	va_end(ap);
	return rc;
}

void *
tw_form_grow(struct tw_arena *a, void *old, size_t n, size_t *cap, size_t size,
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

enum tw_err
tw_form_room_param(struct parse *p)
{
	if (p->form->nparams >= p->lim->fields_max)
		return tw_form_fail(p, TW_ERR_TOOBIG, "The form has more "
		    "than %zu fields.", p->lim->fields_max);
	return TW_OK;
}

enum tw_err
tw_form_add_param(struct parse *p, const char *name, const char *value,
    size_t len)
{
	struct tw_form	*f = p->form;
	enum tw_err	 rc;

	if ((rc = tw_form_room_param(p)) != TW_OK)
		return rc;

	f->params = tw_form_grow(p->arena, f->params, f->nparams, &f->paramcap,
	    sizeof(*f->params), p->lim->fields_max);
	f->params[f->nparams].name = name;
	f->params[f->nparams].value = value;
	f->params[f->nparams].len = len;
	f->nparams++;
	return TW_OK;
}

enum tw_err
tw_form_check_text(struct parse *p, const struct text_rule *r, const char *s,
    size_t n)
{
	size_t	 max;

	max = r->is_name ? p->lim->name_max : p->lim->value_max;
	if (n > max)
		return tw_form_fail(p, TW_ERR_TOOBIG, "A %s is longer than %s.",
		    r->what, tw_form_size_text(p->arena, max));
	if (memchr(s, '\0', n) != NULL)
		return tw_form_fail(p, TW_ERR_BADREQ, "A %s contains a NUL "
		    "byte.", r->what);
	if (!tw_utf8_valid(s, n))
		return tw_form_fail(p, TW_ERR_BADREQ, "A %s is not valid "
		    "UTF-8.", r->what);
	if (r->is_name && tw_form_has_control(s, n))
		return tw_form_fail(p, TW_ERR_BADREQ, "A %s contains a control "
		    "character.", r->what);
	return TW_OK;
}

int
tw_form_measure_pct(const char *s, size_t n, size_t *dlen)
{
	size_t	 i, d = 0;

	for (i = 0; i < n; i++, d++) {
		if (s[i] != '%')
			continue;
		if (n - i < 3 || tw_hex_digit(s[i + 1]) < 0 ||
		    tw_hex_digit(s[i + 2]) < 0)
			return 0;
		i += 2;
	}
	*dlen = d;
	return 1;
}

void
tw_form_decode_pct(char *dst, const char *s, size_t n, int plus)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (s[i] == '%') {
			*dst++ = (char)(tw_hex_digit(s[i + 1]) << 4 |
			    tw_hex_digit(s[i + 2]));
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
	if (!tw_form_measure_pct(s, n, dlen))
		return tw_form_fail(p, TW_ERR_BADREQ, "A form field contains a "
		    "malformed percent escape.");
	if (*dlen > max)
		return tw_form_fail(p, TW_ERR_TOOBIG, "A %s is longer than %s.",
		    r->what, tw_form_size_text(p->arena, max));

	*dst = tw_arena_alloc(p->arena, *dlen + 1);
	tw_form_decode_pct(*dst, s, n, 1);
	return tw_form_check_text(p, r, *dst, *dlen);
}

/* Adds one "name=value" piece of n bytes, n > 0, to the form. */
static enum tw_err
add_pair(struct parse *p, const char *s, size_t n)
{
	const char	*eq;
	char		*name, *value;
	size_t		 rawlen, namelen, vallen;
	enum tw_err	 rc;

	if ((rc = tw_form_room_param(p)) != TW_OK)
		return rc;

	eq = memchr(s, '=', n);
	rawlen = eq != NULL ? (size_t)(eq - s) : n;
	if (rawlen == 0)
		return tw_form_fail(p, TW_ERR_BADREQ, "A form field has no "
		    "name.");

	if ((rc = decode_field(p, &tw_form_name_rule, s, rawlen, &name,
	    &namelen)) != TW_OK)
		return rc;
	if (eq == NULL)
		rc = decode_field(p, &tw_form_value_rule, "", 0, &value,
		    &vallen);
	else
		rc = decode_field(p, &tw_form_value_rule, eq + 1,
		    n - rawlen - 1, &value, &vallen);
	if (rc != TW_OK)
		return rc;

	return tw_form_add_param(p, name, value, vallen);
}

enum tw_err
tw_form_urlencoded(struct tw_arena *a, const char *s, size_t len,
    const struct tw_form_limits *lim, struct tw_form *out)
{
	struct parse	 p;
	const char	*amp;
	size_t		 pos = 0, n;
	enum tw_err	 rc = TW_OK;

	tw_form_begin(&p, a, lim, out);
	while (pos < len && rc == TW_OK) {
		amp = memchr(s + pos, '&', len - pos);
		n = amp != NULL ? (size_t)(amp - (s + pos)) : len - pos;
		if (n > 0)
			rc = add_pair(&p, s + pos, n);
		pos += n + 1;
	}
	return tw_form_finish(&p, rc);
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
	s = tw_form_skip_ows(s, e);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if ((eq = memchr(s, '=', (size_t)(e - s))) == NULL)
		return TW_OK;
	for (ne = eq; ne > s && (ne[-1] == ' ' || ne[-1] == '\t'); ne--)
		continue;
	v = tw_form_skip_ows(eq + 1, e);

	namelen = (size_t)(ne - s);
	if (namelen == 0 || namelen > p->lim->name_max)
		return TW_OK;
	for (i = 0; i < namelen; i++)
		if (!tw_form_is_tchar(s[i]))
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

	if ((rc = tw_form_room_param(p)) != TW_OK)
		return rc;
	return tw_form_add_param(p, tw_arena_memdup(p->arena, s, namelen),
	    tw_arena_memdup(p->arena, v, vlen), vlen);
}

enum tw_err
tw_form_cookies(struct tw_arena *a, const char *header,
    const struct tw_form_limits *lim, struct tw_form *out)
{
	struct parse	 p;
	size_t		 n;
	enum tw_err	 rc = TW_OK;

	tw_form_begin(&p, a, lim, out);
	if (header == NULL)
		return TW_OK;

	while (*header != '\0' && rc == TW_OK) {
		n = strcspn(header, ";");
		rc = add_cookie(&p, header, n);
		header += n;
		if (*header == ';')
			header++;
	}
	return tw_form_finish(&p, rc);
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
