/*
 * mustache_render.c: the Mustache renderer, tw_mustache_render() of
 * mustache.h, which walks the operations of mustache_int.h over a json-c
 * value.
 *
 * The renderer writes the indentation of the partials it is inside at
 * each operation the compiler marked as the start of a line, and after
 * each line break inside literal text.  This indents every line of the
 * partial but not the line breaks inside an interpolated value, as the
 * specification asks.
 */
#include "config.h"

#include <inttypes.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "buf.h"
#include "mustache.h"
#include "mustache_int.h"

/* The indentation of the standalone partials being rendered. */
struct indent {
	const char		*s;
	size_t			 len;
	const struct indent	*outer;
};

struct render {
	tw_mustache_partial_fn	 partial;
	void			*pctx;
	struct tw_buf		*out;
	struct json_object	*stack[TW_MUSTACHE_DEPTH_MAX + 1];
	size_t			 nstack;
	unsigned		 depth;
	int			 text;		/* nothing is escaped */
};

/* The member key (of hash h) of o, when o is an object that has it. */
static int
get(struct json_object *o, const char *key, unsigned long h,
    struct json_object **v)
{
	struct lh_entry	*e;

	if (!json_object_is_type(o, json_type_object) ||
	    (e = lh_table_lookup_entry_w_hash(json_object_get_object(o), key,
	    h)) == NULL)
		return 0;
	*v = (struct json_object *)lh_entry_v(e);
	return 1;
}

/*
 * Resolves the name of op: its first segment in the innermost context
 * that has it, the others each in the value found before.  Returns 1 and
 * sets *v (NULL for JSON null), or 0 when the name does not resolve.
 */
static int
lookup(const struct render *r, const struct tw_mustache *t,
    const struct op *op, struct json_object **v)
{
	const char	*key;
	size_t		 i, seg;

	if (op->len == 0) {
		*v = r->stack[r->nstack - 1];
		return 1;
	}

	key = t->pool + op->str;
	for (i = r->nstack; i > 0; i--)
		if (get(r->stack[i - 1], key, t->hashes[op->hash], v))
			break;
	if (i == 0)
		return 0;

	for (seg = 1; seg < op->len; seg++) {
		key += strlen(key) + 1;
		if (!get(*v, key, t->hashes[op->hash + seg], v))
			return 0;
	}
	return 1;
}

/* False, null, an empty array and an empty string are false. */
static int
is_truthy(struct json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null:
		return 0;
	case json_type_boolean:
		return json_object_get_boolean(v);
	case json_type_array:
		return json_object_array_length(v) > 0;
	case json_type_string:
		return json_object_get_string_len(v) > 0;
	default:
		return 1;
	}
}

/*
 * Writes a double in the shortest of %.15g and %.17g that reads back
 * unchanged, with '.' as the decimal point whatever LC_NUMERIC says.
 */
static void
put_double(struct tw_buf *out, double d)
{
	char		 s[64], *p;
	const char	*dp;
	size_t		 dplen;
	int		 n;

	n = snprintf(s, sizeof s, "%.15g", d);
	if (strtod(s, NULL) != d)
		n = snprintf(s, sizeof s, "%.17g", d);
	if (n <= 0 || (size_t)n >= sizeof s)
		return;

	dp = localeconv()->decimal_point;
	dplen = strlen(dp);
	if (dplen > 0 && strcmp(dp, ".") != 0 &&
	    (p = strstr(s, dp)) != NULL) {
		*p = '.';
		memmove(p + 1, p + dplen, strlen(p + dplen) + 1);
		n -= (int)dplen - 1;
	}
	tw_buf_append(out, s, (size_t)n);
}

/* The value of a variable tag, escaped unless the tag is raw. */
static void
put_value(struct render *r, const struct tw_mustache *t,
    const struct op *op)
{
	struct json_object	*v;
	int64_t			 i;

	if (!lookup(r, t, op, &v))
		return;
	switch (json_object_get_type(v)) {
	case json_type_string:
		if (op->kind == OP_VAR && !r->text)
			tw_buf_html(r->out, json_object_get_string(v),
			    (size_t)json_object_get_string_len(v));
		else
			tw_buf_append(r->out, json_object_get_string(v),
			    (size_t)json_object_get_string_len(v));
		break;
	case json_type_int:
		/* Above INT64_MAX json-c holds the number as a uint64. */
		i = json_object_get_int64(v);
		if (i == INT64_MAX) {
			char	text[TW_INT_TEXT];

			tw_buf_append(r->out, text, tw_uint_text(text,
			    json_object_get_uint64(v)));
		} else
			tw_buf_int(r->out, i);
		break;
	case json_type_double:
		put_double(r->out, json_object_get_double(v));
		break;
	case json_type_boolean:
		tw_buf_puts(r->out, json_object_get_boolean(v) ?
		    "true" : "false");
		break;
	default:
		break;
	}
}

/* Writes the indentation of the partials, the outermost first. */
static void
put_indent(struct tw_buf *out, const struct indent *in)
{
	if (in == NULL)
		return;
	put_indent(out, in->outer);
	tw_buf_append(out, in->s, in->len);
}

/* Literal text, indented after each line break inside it. */
static void
put_text(struct tw_buf *out, const char *s, size_t n,
    const struct indent *in)
{
	const char	*nl;
	size_t		 line;

	if (in != NULL) {
		while ((nl = memchr(s, '\n', n)) != NULL && nl + 1 < s + n) {
			line = (size_t)(nl + 1 - s);
			tw_buf_append(out, s, line);
			put_indent(out, in);
			s += line;
			n -= line;
		}
	}
	tw_buf_append(out, s, n);
}

static enum tw_err render_ops(struct render *, const struct tw_mustache *,
		    size_t, size_t, const struct indent *);

/*
 * Renders the operations first to last one level deeper, with ctx pushed
 * on the context stack when push is set.
 */
static enum tw_err
render_nested(struct render *r, const struct tw_mustache *t, size_t first,
    size_t last, const struct indent *in, struct json_object *ctx, int push)
{
	enum tw_err	 e;

	if (r->depth >= TW_MUSTACHE_DEPTH_MAX)
		return TW_ERR_INTERNAL;
	r->depth++;
	if (push)
		r->stack[r->nstack++] = ctx;

	e = render_ops(r, t, first, last, in);

	if (push)
		r->nstack--;
	r->depth--;
	return e;
}

/* A section or inverted section at ops[i], over the value it names. */
static enum tw_err
render_section(struct render *r, const struct tw_mustache *t, size_t i,
    const struct indent *in)
{
	const struct op		*op = &t->ops[i];
	struct json_object	*v;
	size_t			 k, n;
	enum tw_err		 e;
	int			 truthy;

	truthy = lookup(r, t, op, &v) && is_truthy(v);
	if (op->kind == OP_INVERTED)
		return truthy ? TW_OK :
		    render_nested(r, t, i + 1, i + 1 + op->body, in, NULL, 0);
	if (!truthy)
		return TW_OK;

	if (!json_object_is_type(v, json_type_array))
		return render_nested(r, t, i + 1, i + 1 + op->body, in, v, 1);
	n = json_object_array_length(v);
	for (k = 0; k < n; k++) {
		e = render_nested(r, t, i + 1, i + 1 + op->body, in,
		    json_object_array_get_idx(v, k), 1);
		if (e != TW_OK)
			return e;
	}
	return TW_OK;
}

/*
 * A partial, in the same context stack.  A standalone one is indented by
 * the whitespace before its tag on top of the indentation in force; one
 * inside a line is not indented at all.
 */
static enum tw_err
render_partial(struct render *r, const struct tw_mustache *t,
    const struct op *op, const struct indent *in)
{
	const struct tw_mustache	*p;
	struct indent			 mine;
	const struct indent		*sub = NULL;

	if (r->partial == NULL ||
	    (p = r->partial(r->pctx, t->pool + op->str)) == NULL)
		return TW_OK;

	if (op->standalone && op->indentlen > 0) {
		mine.s = t->pool + op->indent;
		mine.len = op->indentlen;
		mine.outer = in;
		sub = &mine;
	} else if (op->standalone)
		sub = in;
	return render_nested(r, p, 0, p->nops, sub, NULL, 0);
}

/* Renders ops[first] up to ops[last], indenting lines by in. */
static enum tw_err
render_ops(struct render *r, const struct tw_mustache *t, size_t first,
    size_t last, const struct indent *in)
{
	const struct op	*op;
	size_t		 i;
	enum tw_err	 e = TW_OK;

	for (i = first; i < last; i++) {
		op = &t->ops[i];
		if (op->bol)
			put_indent(r->out, in);
		switch (op->kind) {
		case OP_TEXT:
			put_text(r->out, t->pool + op->str, op->len, in);
			break;
		case OP_VAR:
		case OP_RAW:
			put_value(r, t, op);
			break;
		case OP_SECTION:
		case OP_INVERTED:
			e = render_section(r, t, i, in);
			i += op->body;
			break;
		case OP_PARTIAL:
			e = render_partial(r, t, op, in);
			break;
		}
		if (e != TW_OK)
			return e;
	}
	return TW_OK;
}

/* Renders with the escaping of {{x}} on (HTML) or off (text). */
static enum tw_err
render_all(const struct tw_mustache *t, struct json_object *data,
    tw_mustache_partial_fn partial, void *pctx, struct tw_buf *out, int text)
{
	struct render	 r;

	r.partial = partial;
	r.pctx = pctx;
	r.out = out;
	r.stack[0] = data;
	r.nstack = 1;
	r.depth = 0;
	r.text = text;
	return render_ops(&r, t, 0, t->nops, NULL);
}

enum tw_err
tw_mustache_render(const struct tw_mustache *t, struct json_object *data,
    tw_mustache_partial_fn partial, void *pctx, struct tw_buf *out)
{
	return render_all(t, data, partial, pctx, out, 0);
}

enum tw_err
tw_mustache_render_text(const struct tw_mustache *t,
    struct json_object *data, struct tw_buf *out)
{
	return render_all(t, data, NULL, NULL, out, 1);
}
