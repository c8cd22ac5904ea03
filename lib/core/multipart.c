/*
 * multipart.c: the multipart/form-data parser declared in form.h
 * (RFC 7578): the boundary from the Content-Type, the delimiter lines,
 * each part's headers and Content-Disposition, and uploads and text
 * fields.  Checking and appending fields is shared with form.c through
 * form_int.h.
 *
 * As in form.c, offsets are compared as "bytes left" (len - pos), never
 * by forming pointers past the end of the body, and every count and
 * length passes its limit before anything is allocated for it.
 */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "form.h"
#include "form_int.h"

/* RFC 2046 section 5.1.1: a boundary has 1 to 70 characters. */
#define BOUNDARY_MAX	70

/* Media types are short; this is room for any registered one. */
#define TYPE_MAX	255

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
		return tw_form_fail(p, TW_ERR_MEDIATYPE, "The body is not "
		    "multipart/form-data.");
	while (*s == ' ' || *s == '\t')
		s++;
	for (n = 0; s[n] != '\0' && s[n] != ';' && s[n] != ' ' &&
	    s[n] != '\t'; n++)
		continue;
	if (!eq_nocase(s, n, "multipart/form-data"))
		return tw_form_fail(p, TW_ERR_MEDIATYPE, "The body is not "
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
		for (name = s; tw_form_is_tchar(*s); s++)
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
	return tw_form_fail(p, TW_ERR_BADREQ, "The multipart boundary is "
	    "missing or invalid.");
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
		if (!tw_form_is_tchar(s[i]))
			return 0;

	v = tw_form_skip_ows(colon + 1, e);
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

	for (name = s; s < e && tw_form_is_tchar(*s); s++)
		continue;
	if (!eq_nocase(name, (size_t)(s - name), "form-data"))
		return 0;

	for (;;) {
		s = tw_form_skip_ows(s, e);
		if (s == e)
			return 1;
		if (*s++ != ';')
			return 0;
		s = tw_form_skip_ows(s, e);
		if (s == e)
			return 1;

		for (name = s; s < e && tw_form_is_tchar(*s); s++)
			continue;
		if ((nn = (size_t)(s - name)) == 0)
			return 0;
		v = tw_form_skip_ows(s, e);
		if (v == e || *v != '=')
			return 0;
		v = tw_form_skip_ows(v + 1, e);
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

	if (pct && !tw_form_measure_pct(src, n, &len))
		return tw_form_fail(p, TW_ERR_BADREQ, "An upload's file name "
		    "contains a malformed percent escape.");
	if (len > p->lim->value_max)
		return tw_form_fail(p, TW_ERR_TOOBIG, "An upload's file name "
		    "is longer than %s.",
		    tw_form_size_text(p->arena, p->lim->value_max));

	name = tw_arena_alloc(p->arena, len + 1);
	if (pct)
		tw_form_decode_pct(name, src, n, 0);
	else {
		memcpy(name, src, n);
		name[n] = '\0';
	}

	if (!tw_utf8_valid(name, len))
		return tw_form_fail(p, TW_ERR_BADREQ, "An upload's file name "
		    "is not valid UTF-8.");
	if (tw_form_has_control(name, len))
		return tw_form_fail(p, TW_ERR_BADREQ, "An upload's file name "
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
		return tw_form_fail(p, TW_ERR_BADREQ, "A multipart part has a "
		    "malformed filename* parameter.");
	if (n == 0 && part->len == 0)
		return TW_OK;

	if (f->nuploads >= p->lim->uploads_max)
		return tw_form_fail(p, TW_ERR_TOOBIG, "The form has more "
		    "than %zu file uploads.", p->lim->uploads_max);
	if (part->len > p->lim->upload_max)
		return tw_form_fail(p, TW_ERR_TOOBIG, "An uploaded file is "
		    "larger than %s.",
		    tw_form_size_text(p->arena, p->lim->upload_max));
	if ((rc = copy_filename(p, src, n, pct, &filename)) != TW_OK)
		return rc;

	if (part->type != NULL) {
		if (part->typelen == 0 || part->typelen > TYPE_MAX)
			return tw_form_fail(p, TW_ERR_BADREQ, "An upload's "
			    "content type is empty or too long.");
		for (i = 0; i < part->typelen; i++)
			if ((unsigned char)part->type[i] > 0x7E)
				return tw_form_fail(p, TW_ERR_BADREQ,
				    "An upload's content type is not ASCII.");
		type = tw_arena_memdup(p->arena, part->type, part->typelen);
	}

	f->uploads = tw_form_grow(p->arena, f->uploads, f->nuploads,
	    &f->uploadcap, sizeof(*f->uploads), p->lim->uploads_max);
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

	if ((rc = tw_form_room_param(p)) != TW_OK)
		return rc;
	if ((rc = tw_form_check_text(p, &tw_form_value_rule, part->data,
	    part->len)) != TW_OK)
		return rc;
	return tw_form_add_param(p,
	    tw_arena_memdup(p->arena, d->name, d->namelen),
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
		return tw_form_fail(p, TW_ERR_BADREQ, "A multipart part has "
		    "no valid Content-Disposition header.");
	if (d.name == NULL || d.namelen == 0)
		return tw_form_fail(p, TW_ERR_BADREQ, "A multipart part has "
		    "no field name.");
	if ((rc = tw_form_check_text(p, &tw_form_name_rule, d.name,
	    d.namelen)) != TW_OK)
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
			return tw_form_fail(p, TW_ERR_BADREQ, "The multipart "
			    "body ends before its closing boundary.");
		if (eol == 0)
			break;
		if (!take_header(&part, m->body + at, eol))
			return tw_form_fail(p, TW_ERR_BADREQ, "A multipart "
			    "part has a malformed header.");
		at += eol + 2;
	}
	at += 2;

	if ((end = next_delim(m, at)) == m->len)
		return tw_form_fail(p, TW_ERR_BADREQ, "The multipart body "
		    "ends before its closing boundary.");
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

	tw_form_begin(&p, a, lim, out);
	if ((rc = parse_boundary(&p, content_type, &m)) != TW_OK)
		return tw_form_finish(&p, rc);
	m.body = body;
	m.len = len;

	/* The preamble before the first delimiter is ignored. */
	if (delim_at(&m, 0, 1))
		pos = m.dlen - 2;
	else if ((pos = next_delim(&m, 0)) < len)
		pos += m.dlen;
	else
		return tw_form_finish(&p, tw_form_fail(&p, TW_ERR_BADREQ,
		    "The multipart body has no boundary line."));

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
	return tw_form_finish(&p, rc);
}
