/*
 * mustache_compile.c: the Mustache compiler, tw_mustache_compile() and
 * tw_mustache_free() of mustache.h.
 *
 * Compiling scans the text once, with the delimiters in force, and turns
 * it into the flat array of operations described in mustache_int.h.
 * Standalone lines are removed while compiling.  The indentation of a
 * standalone partial cannot be applied then: a partial is compiled once
 * but may be included at several depths.  So the compiler marks each
 * operation that begins a line of output (and text knows its own line
 * breaks), and records the whitespace before a standalone partial's tag
 * for the renderer to write.
 */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "mustache.h"
#include "mustache_int.h"

/* A tag as the scanner found it. */
struct tag {
	char		 sigil;		/* # ^ / > ! = & { or 0 for a name */
	size_t		 start;		/* offset of the opening delimiter */
	size_t		 end;		/* offset after the closing one */
	size_t		 body;		/* the content, whitespace trimmed */
	size_t		 bodylen;
};

/* A section whose closing tag is still to come. */
struct open {
	size_t		 op;		/* index of its operation */
	size_t		 tag;		/* offset of its tag, for messages */
	size_t		 name;		/* its name in the source */
	size_t		 namelen;
};

struct compiler {
	const char	*src;
	size_t		 len;
	size_t		 text;		/* start of text not yet emitted */
	const char	*otag;		/* the delimiters in force */
	const char	*ctag;
	size_t		 olen;
	size_t		 clen;
	struct op	*ops;
	size_t		 nops;
	size_t		 opcap;
	char		*pool;
	size_t		 npool;
	size_t		 poolcap;
	unsigned long	*hashes;
	size_t		 nhashes;
	size_t		 hashcap;
	struct open	 open[TW_MUSTACHE_DEPTH_MAX];
	size_t		 nopen;
	char		*err;
	size_t		 errlen;
};

static int
is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* The 1-based line of offset pos, for error messages. */
static size_t
line_at(const struct compiler *c, size_t pos)
{
	size_t	 i, line = 1;

	for (i = 0; i < pos && i < c->len; i++)
		if (c->src[i] == '\n')
			line++;
	return line;
}

/* Writes the error sentence and returns -1 for the caller to pass on. */
static int
fail(struct compiler *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
fail(struct compiler *c, const char *fmt, ...)
{
	va_list	 ap;

	if (c->err != NULL && c->errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(c->err, c->errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int
is_line_start(const struct compiler *c, size_t pos)
{
	return pos == 0 || c->src[pos - 1] == '\n';
}

/*
 * Finds needle in src from offset from on.  Returns 1 and sets *at to its
 * offset, or returns 0.
 */
static int
search(const struct compiler *c, size_t from, const char *needle,
    size_t nlen, size_t *at)
{
	const char	*p;

	while (from < c->len && c->len - from >= nlen) {
		p = memchr(c->src + from, needle[0], c->len - from - nlen + 1);
		if (p == NULL)
			return 0;
		from = (size_t)(p - c->src);
		if (memcmp(p, needle, nlen) == 0) {
			*at = from;
			return 1;
		}
		from++;
	}
	return 0;
}

/* Appends n bytes to the pool; returns their offset or SIZE_MAX. */
static size_t
pool_add(struct compiler *c, const char *s, size_t n)
{
	size_t	 cap, off;
	char	*p;

	if (c->poolcap - c->npool < n) {
		cap = c->poolcap > 0 ? c->poolcap : 256;
		while (cap - c->npool < n) {
			if (cap > SIZE_MAX / 2)
				return SIZE_MAX;
			cap *= 2;
		}
		if ((p = realloc(c->pool, cap)) == NULL)
			return SIZE_MAX;
		c->pool = p;
		c->poolcap = cap;
	}
	off = c->npool;
	if (n > 0)
		memcpy(c->pool + off, s, n);
	c->npool += n;
	return off;
}

/* A new zeroed operation at the end of the array, or NULL. */
/* The hash json-c's objects give key (see mustache_int.h). */
static unsigned long
key_hash(const char *key)
{
	static struct json_object	*probe;

	if (probe == NULL)
		probe = json_object_new_object();
	return lh_get_hash(json_object_get_object(probe), key);
}

/* Appends the hash of the pool's NUL-terminated text at off. */
static int
hash_add(struct compiler *c, size_t off)
{
	unsigned long	*p;
	size_t		 cap;

	if (c->nhashes == c->hashcap) {
		cap = c->hashcap > 0 ? c->hashcap * 2 : 32;
		if (cap > SIZE_MAX / sizeof *p ||
		    (p = realloc(c->hashes, cap * sizeof *p)) == NULL)
			return -1;
		c->hashes = p;
		c->hashcap = cap;
	}
	c->hashes[c->nhashes++] = key_hash(c->pool + off);
	return 0;
}

static struct op *
op_add(struct compiler *c, enum opkind kind, int bol)
{
	size_t		 cap;
	struct op	*p;

	if (c->nops == c->opcap) {
		cap = c->opcap > 0 ? c->opcap * 2 : 32;
		if (cap > SIZE_MAX / sizeof *p ||
		    (p = realloc(c->ops, cap * sizeof *p)) == NULL) {
			fail(c, "Out of memory compiling the template.");
			return NULL;
		}
		c->ops = p;
		c->opcap = cap;
	}
	p = &c->ops[c->nops++];
	memset(p, 0, sizeof *p);
	p->kind = kind;
	p->bol = bol;
	return p;
}

/*
 * Emits the text from offset from to offset to as one operation.  An
 * empty text is emitted only when it must carry the start of a line.
 */
static int
emit_text(struct compiler *c, size_t from, size_t to, int bol)
{
	struct op	*op;

	if (from == to && !bol)
		return 0;
	if ((op = op_add(c, OP_TEXT, bol)) == NULL)
		return -1;
	op->str = from;
	op->len = to - from;
	return 0;
}

/*
 * Parses the tag whose opening delimiter starts at offset start: its
 * sigil, where it ends, and its trimmed content.  Returns 0, or -1 when
 * the tag is never closed.
 */
static int
parse_tag(struct compiler *c, size_t start, struct tag *t)
{
	size_t	 s, e, at;
	char	 lead;

	t->start = start;
	t->sigil = 0;
	s = start + c->olen;
	if (s < c->len && c->src[s] != '\0' &&
	    strchr("#^/>!=&{", c->src[s]) != NULL)
		t->sigil = c->src[s++];

	/* {{{x}}} ends with "}" and =x y= with "=" before the delimiter. */
	lead = t->sigil == '{' ? '}' : t->sigil == '=' ? '=' : 0;
	at = lead ? s + 1 : s;
	for (;;) {
		if (!search(c, at, c->ctag, c->clen, &at))
			return fail(c, "The tag on line %zu is not closed.",
			    line_at(c, start));
		if (!lead || c->src[at - 1] == lead)
			break;
		at++;
	}
	e = lead ? at - 1 : at;
	t->end = at + c->clen;

	while (s < e && is_space(c->src[s]))
		s++;
	while (e > s && is_space(c->src[e - 1]))
		e--;
	t->body = s;
	t->bodylen = e - s;
	return 0;
}

/*
 * Whether a tag that may stand alone does: only spaces and tabs between
 * it and the start of its line and between it and the line's end.  If so
 * sets *linestart to where the line starts and *next to where the next
 * one does (past "\n" or "\r\n").
 */
static int
is_standalone(const struct compiler *c, const struct tag *t,
    size_t *linestart, size_t *next)
{
	size_t	 b, e;

	if (t->sigil == 0 || t->sigil == '&' || t->sigil == '{')
		return 0;

	b = t->start;
	while (b > c->text && (c->src[b - 1] == ' ' || c->src[b - 1] == '\t'))
		b--;
	if (!is_line_start(c, b))
		return 0;

	e = t->end;
	while (e < c->len && (c->src[e] == ' ' || c->src[e] == '\t'))
		e++;
	if (e == c->len)
		*next = e;
	else if (c->src[e] == '\n')
		*next = e + 1;
	else if (c->src[e] == '\r' && e + 1 < c->len && c->src[e + 1] == '\n')
		*next = e + 2;
	else
		return 0;
	*linestart = b;
	return 1;
}

/* Whether the tag's content is one name: no whitespace, no NUL. */
static int
is_name(const struct compiler *c, const struct tag *t)
{
	size_t	 i;

	if (t->bodylen == 0)
		return 0;
	for (i = t->body; i < t->body + t->bodylen; i++)
		if (is_space(c->src[i]) || c->src[i] == '\0')
			return 0;
	return 1;
}

/*
 * Stores the tag's dotted name in the pool as NUL-terminated segments and
 * points op at them.  "." is the top of the context stack: no segments.
 */
static int
add_name(struct compiler *c, const struct tag *t, struct op *op)
{
	const char	*s = c->src + t->body, *dot;
	size_t		 n = t->bodylen, seg, off;

	if (!is_name(c, t))
		return fail(c, "The tag on line %zu has no valid name.",
		    line_at(c, t->start));
	op->len = 0;
	if (n == 1 && s[0] == '.')
		return 0;

	op->str = c->npool;
	op->hash = c->nhashes;
	for (;;) {
		dot = memchr(s, '.', n);
		seg = dot != NULL ? (size_t)(dot - s) : n;
		if (seg == 0)
			return fail(c, "The name '%.*s' on line %zu has an "
			    "empty part.", (int)(t->bodylen > 60 ? 60 :
			    t->bodylen), c->src + t->body,
			    line_at(c, t->start));
		if ((off = pool_add(c, s, seg)) == SIZE_MAX ||
		    pool_add(c, "", 1) == SIZE_MAX || hash_add(c, off) != 0)
			return fail(c, "Out of memory compiling the template.");
		op->len++;
		if (dot == NULL)
			return 0;
		s += seg + 1;
		n -= seg + 1;
	}
}

/* {{#name}} and {{^name}}: the operation, and the section left open. */
static int
open_section(struct compiler *c, const struct tag *t, int bol)
{
	struct op	*op;
	struct open	*o;

	if (c->nopen == TW_MUSTACHE_DEPTH_MAX)
		return fail(c, "Sections are nested more than %d deep on "
		    "line %zu.", TW_MUSTACHE_DEPTH_MAX, line_at(c, t->start));
	op = op_add(c, t->sigil == '#' ? OP_SECTION : OP_INVERTED, bol);
	if (op == NULL || add_name(c, t, op) != 0)
		return -1;

	o = &c->open[c->nopen++];
	o->op = c->nops - 1;
	o->tag = t->start;
	o->name = t->body;
	o->namelen = t->bodylen;
	return 0;
}

/* {{/name}}: closes the innermost open section, which must match. */
static int
close_section(struct compiler *c, const struct tag *t)
{
	struct open	*o;
	int		 tn = (int)(t->bodylen > 60 ? 60 : t->bodylen);

	if (c->nopen == 0)
		return fail(c, "The closing tag '%.*s' on line %zu has no "
		    "open section.", tn, c->src + t->body,
		    line_at(c, t->start));
	o = &c->open[c->nopen - 1];
	if (o->namelen != t->bodylen ||
	    memcmp(c->src + o->name, c->src + t->body, t->bodylen) != 0)
		return fail(c, "The closing tag '%.*s' on line %zu does not "
		    "match the section '%.*s' opened on line %zu.", tn,
		    c->src + t->body, line_at(c, t->start),
		    (int)(o->namelen > 60 ? 60 : o->namelen),
		    c->src + o->name, line_at(c, o->tag));

	c->ops[o->op].body = c->nops - o->op - 1;
	c->nopen--;
	return 0;
}

/* {{=<% %>=}}: two new delimiters, without whitespace or '='. */
static int
set_delimiters(struct compiler *c, const struct tag *t)
{
	const char	*s = c->src + t->body, *end = s + t->bodylen;
	const char	*o, *cl;
	size_t		 olen, clen;

	o = s;
	while (s < end && !is_space(*s) && *s != '=')
		s++;
	olen = (size_t)(s - o);
	while (s < end && is_space(*s))
		s++;
	cl = s;
	while (s < end && !is_space(*s) && *s != '=')
		s++;
	clen = (size_t)(s - cl);
	if (olen == 0 || clen == 0 || s != end ||
	    memchr(o, '\0', olen) != NULL || memchr(cl, '\0', clen) != NULL)
		return fail(c, "The delimiter change on line %zu is "
		    "malformed.", line_at(c, t->start));

	c->otag = o;
	c->olen = olen;
	c->ctag = cl;
	c->clen = clen;
	return 0;
}

/* {{>name}}: the partial's name and, standalone, its indentation. */
static int
add_partial(struct compiler *c, const struct tag *t, int bol, int alone,
    size_t linestart)
{
	struct op	*op;

	if (!is_name(c, t))
		return fail(c, "The tag on line %zu has no valid name.",
		    line_at(c, t->start));
	if ((op = op_add(c, OP_PARTIAL, bol)) == NULL)
		return -1;
	op->str = pool_add(c, c->src + t->body, t->bodylen);
	if (op->str == SIZE_MAX || pool_add(c, "", 1) == SIZE_MAX)
		return fail(c, "Out of memory compiling the template.");
	if (alone) {
		op->standalone = 1;
		op->indent = linestart;
		op->indentlen = t->start - linestart;
	}
	return 0;
}

/* A variable: {{name}}, {{{name}}} or {{&name}}. */
static int
add_var(struct compiler *c, const struct tag *t, int bol)
{
	struct op	*op;

	op = op_add(c, t->sigil == 0 ? OP_VAR : OP_RAW, bol);
	if (op == NULL)
		return -1;
	return add_name(c, t, op);
}

/*
 * Turns one tag into operations.  Tags that write nothing still carry the
 * start of a line (an empty text), so a partial's indentation is written
 * there as the specification's "indent every line, then render" does.
 */
static int
apply_tag(struct compiler *c, const struct tag *t, int alone,
    size_t linestart)
{
	int	 bol;

	bol = !alone && is_line_start(c, t->start);
	switch (t->sigil) {
	case '#':
	case '^':
		return open_section(c, t, bol);
	case '>':
		return add_partial(c, t, bol, alone, linestart);
	case '/':
	case '!':
	case '=':
		if (emit_text(c, t->start, t->start, bol) != 0)
			return -1;
		if (t->sigil == '/')
			return close_section(c, t);
		if (t->sigil == '=')
			return set_delimiters(c, t);
		return 0;
	default:
		return add_var(c, t, bol);
	}
}

/* Scans the whole template; returns 0 or -1 with the error written. */
static int
scan(struct compiler *c)
{
	struct tag	 t;
	size_t		 at, end, linestart = 0, next = 0;
	int		 alone;

	while (search(c, c->text, c->otag, c->olen, &at)) {
		if (parse_tag(c, at, &t) != 0)
			return -1;
		alone = is_standalone(c, &t, &linestart, &next);

		end = alone ? linestart : t.start;
		if (emit_text(c, c->text, end,
		    c->text < end && is_line_start(c, c->text)) != 0)
			return -1;
		if (apply_tag(c, &t, alone, linestart) != 0)
			return -1;
		c->text = alone ? next : t.end;
	}
	if (emit_text(c, c->text, c->len,
	    c->text < c->len && is_line_start(c, c->text)) != 0)
		return -1;

	if (c->nopen > 0)
		return fail(c, "The section '%.*s' opened on line %zu is not "
		    "closed.", (int)(c->open[c->nopen - 1].namelen > 60 ? 60 :
		    c->open[c->nopen - 1].namelen),
		    c->src + c->open[c->nopen - 1].name,
		    line_at(c, c->open[c->nopen - 1].tag));
	return 0;
}

struct tw_mustache *
tw_mustache_compile(const char *src, size_t len, char *err, size_t errlen)
{
	struct compiler		 c;
	struct tw_mustache	*t = NULL;

	memset(&c, 0, sizeof c);
	c.src = src;
	c.len = len;
	c.otag = "{{";
	c.olen = 2;
	c.ctag = "}}";
	c.clen = 2;
	c.err = err;
	c.errlen = errlen;
	if (err != NULL && errlen > 0)
		err[0] = '\0';

	/* The text operations point into this copy of the template. */
	if (pool_add(&c, src, len) == SIZE_MAX ||
	    pool_add(&c, "", 1) == SIZE_MAX) {
		fail(&c, "Out of memory compiling the template.");
		goto cleanup;
	}
	if (scan(&c) != 0)
		goto cleanup;

	if ((t = malloc(sizeof *t)) == NULL) {
		fail(&c, "Out of memory compiling the template.");
		goto cleanup;
	}
	t->ops = c.ops;
	t->nops = c.nops;
	t->pool = c.pool;
	t->hashes = c.hashes;
	return t;

cleanup:
	free(c.ops);
	free(c.pool);
	free(c.hashes);
	return NULL;
}

void
tw_mustache_free(struct tw_mustache *t)
{
	if (t == NULL)
		return;
	free(t->ops);
	free(t->pool);
	free(t->hashes);
	free(t);
}
