/*
 * html.c: the allow-list HTML sanitiser and the HTML-to-text walker.
 */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "arena.h"
#include "buf.h"
#include "html.h"
#include "text.h"

#define DEPTH_MAX	64	/* deeper nesting is flattened to its text */

/* Elements written out as they are (their allowed attributes only). */
static const char *const keep[] = {
	"a", "abbr", "b", "blockquote", "br", "caption", "cite", "code",
	"dd", "del", "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5",
	"h6", "hr", "i", "img", "ins", "kbd", "li", "ol", "p", "pre", "q",
	"s", "small", "span", "strike", "strong", "sub", "sup", "table",
	"tbody", "td", "tfoot", "th", "thead", "tr", "tt", "u", "ul", NULL
};

/* Elements dropped with everything inside them. */
static const char *const drop[] = {
	"applet", "audio", "base", "button", "canvas", "embed", "frame",
	"frameset", "head", "iframe", "input", "link", "map", "math",
	"meta", "noembed", "noframes", "noscript", "object", "option",
	"param", "script", "select", "source", "style", "svg", "template",
	"textarea", "title", "track", "video", "xml", NULL
};

/* Elements that end a line in the text form. */
static const char *const blocks[] = {
	"blockquote", "br", "dd", "div", "dl", "dt", "h1", "h2", "h3", "h4",
	"h5", "h6", "hr", "li", "ol", "p", "pre", "table", "tr", "ul", NULL
};

/* Elements without content in HTML. */
static const char *const voids[] = { "br", "hr", "img", NULL };

static int
listed(const char *const *list, const char *name)
{
	for (; *list != NULL; list++)
		if (strcasecmp(*list, name) == 0)
			return 1;
	return 0;
}

/*
 * A URL as a browser reads it: control characters and white space
 * removed (browsers drop tabs and line breaks inside a URL and ignore
 * the rest at its ends), so what is checked is what is written.
 */
static char *
clean_url(struct tw_arena *a, const char *url)
{
	char	*out = tw_arena_alloc(a, strlen(url) + 1), *o = out;

	for (; *url != '\0'; url++)
		if ((unsigned char)*url > ' ' && *url != 0x7f)
			*o++ = *url;
	*o = '\0';
	return out;
}

/*
 * Whether a cleaned URL may stay: a link with an allowed scheme, an
 * image only from the same mail (cid:).
 */
static int
url_allowed(const char *url, int image)
{
	static const char *const link_schemes[] = { "http:", "https:",
	    "mailto:", "tel:", NULL };
	const char *const	*s;

	if (image)
		return strncasecmp(url, "cid:", 4) == 0;
	for (s = link_schemes; *s != NULL; s++)
		if (strncasecmp(url, *s, strlen(*s)) == 0)
			return 1;
	return 0;
}

static void
write_attr(struct tw_buf *out, const char *name, const char *value)
{
	tw_buf_printf(out, " %s=\"", name);
	tw_buf_html(out, value, strlen(value));
	tw_buf_putc(out, '"');
}

/* Writes the attributes of n that are allowed on it. */
static void
write_attrs(struct tw_buf *out, xmlNode *n, const char *tag)
{
	xmlAttr		*a;
	xmlChar		*v;
	const char	*name, *url;

	for (a = n->properties; a != NULL; a = a->next) {
		name = (const char *)a->name;
		if ((v = xmlNodeGetContent((xmlNode *)a)) == NULL)
			continue;

		if (strcasecmp(tag, "a") == 0 &&
		    strcasecmp(name, "href") == 0) {
			url = clean_url(out->arena, (char *)v);
			if (url_allowed(url, 0))
				write_attr(out, "href", url);
		} else if (strcasecmp(tag, "img") == 0 &&
		    strcasecmp(name, "src") == 0) {
			url = clean_url(out->arena, (char *)v);
			if (url_allowed(url, 1))
				write_attr(out, "src", url);
		} else if (strcasecmp(name, "title") == 0 ||
		    (strcasecmp(tag, "img") == 0 &&
		    strcasecmp(name, "alt") == 0) ||
		    ((strcasecmp(tag, "td") == 0 ||
		    strcasecmp(tag, "th") == 0) &&
		    (strcasecmp(name, "colspan") == 0 ||
		    strcasecmp(name, "rowspan") == 0)))
			write_attr(out, name, (char *)v);
		xmlFree(v);
	}
	if (strcasecmp(tag, "a") == 0)
		tw_buf_puts(out, " rel=\"noopener noreferrer nofollow\"");
}

struct walk {
	struct tw_buf	html;
	struct tw_buf	text;
};

static void
text_break(struct tw_buf *t)
{
	if (t->len > 0 && t->data[t->len - 1] != '\n')
		tw_buf_putc(t, '\n');
}

/* Appends text with runs of white space folded, as a browser shows it. */
static void
text_append(struct tw_buf *t, const char *s, int pre)
{
	int	space;

	if (pre) {
		tw_buf_puts(t, s);
		return;
	}
	space = t->len == 0 || isspace((unsigned char)t->data[t->len - 1]);
	for (; *s != '\0'; s++) {
		if (isspace((unsigned char)*s)) {
			if (!space)
				tw_buf_putc(t, ' ');
			space = 1;
			continue;
		}
		tw_buf_putc(t, *s);
		space = 0;
	}
}

static void
walk(struct walk *w, xmlNode *n, int depth, int pre)
{
	const char	*tag;
	int		 kept;

	for (; n != NULL; n = n->next) {
		if (n->type == XML_TEXT_NODE ||
		    n->type == XML_CDATA_SECTION_NODE) {
			const char *s = (const char *)n->content;

			if (s == NULL)
				continue;
			tw_buf_html(&w->html, s, strlen(s));
			text_append(&w->text, s, pre);
			continue;
		}
		if (n->type != XML_ELEMENT_NODE)
			continue;

		tag = (const char *)n->name;
		if (listed(drop, tag))
			continue;
		kept = depth < DEPTH_MAX && listed(keep, tag);
		if (kept) {
			tw_buf_printf(&w->html, "<%s", tag);
			write_attrs(&w->html, n, tag);
			tw_buf_putc(&w->html, '>');
		}
		if (listed(blocks, tag))
			text_break(&w->text);

		/* Unknown elements are unwrapped: their content stays. */
		walk(w, n->children, depth + 1,
		    pre || strcasecmp(tag, "pre") == 0);

		if (kept && !listed(voids, tag))
			tw_buf_printf(&w->html, "</%s>", tag);
		if (listed(blocks, tag))
			text_break(&w->text);
	}
}

/*
 * The text without spaces around line breaks, at most one blank line in
 * a row, and nothing blank at either end.
 */
static const char *
tidy_text(struct tw_arena *a, const struct tw_buf *t)
{
	char		*out = tw_arena_alloc(a, t->len + 1), *o = out;
	const char	*s = t->data;
	int		 newlines = 0;

	for (; *s != '\0'; s++) {
		if (*s == '\n') {
			while (o > out && o[-1] == ' ')
				o--;
			if (newlines < 2 && o > out)
				*o++ = '\n';
			newlines++;
			continue;
		}
		if (*s == ' ' && (newlines > 0 || o == out))
			continue;
		newlines = 0;
		*o++ = *s;
	}
	while (o > out && isspace((unsigned char)o[-1]))
		o--;
	*o = '\0';
	return out;
}

enum tw_err
tw_html_sanitize(struct tw_arena *a, const char *in, size_t len,
    const char **html, const char **text)
{
	htmlDocPtr	 doc;
	struct walk	 w;
	xmlNode		*root;

	if (len > (size_t)INT32_MAX)
		return TW_ERR_TOOBIG;
	doc = htmlReadMemory(in, (int)len, NULL, "UTF-8", HTML_PARSE_NOERROR |
	    HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_RECOVER);
	if (doc == NULL) {
		if (html != NULL)
			*html = "";
		if (text != NULL)
			*text = "";
		return len == 0 ? TW_OK : TW_ERR_INVALID;
	}

	tw_buf_init(&w.html, a);
	tw_buf_init(&w.text, a);
	root = xmlDocGetRootElement(doc);
	if (root != NULL)
		walk(&w, root, 0, 0);
	xmlFreeDoc(doc);

	if (html != NULL)
		*html = w.html.data;
	if (text != NULL)
		*text = tidy_text(a, &w.text);
	return TW_OK;
}

const char *
tw_html_content_id(struct tw_arena *a, const char *cid)
{
	size_t	len, i;

	if (cid == NULL)
		return NULL;
	if (*cid == '<')
		cid++;
	len = strlen(cid);
	if (len > 0 && cid[len - 1] == '>')
		len--;
	if (len == 0 || len > TW_HTML_CID_MAX)
		return NULL;
	for (i = 0; i < len; i++)
		if (cid[i] <= ' ' || cid[i] > '~' || cid[i] == '<' ||
		    cid[i] == '>')
			return NULL;
	return tw_arena_strndup(a, cid, len);
}

/* The entities tw_buf_html() writes, and what they stand for. */
static const struct {
	const char	*entity;
	char		 c;
} entities[] = {
	{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
	{ "&quot;", '"' }, { "&#39;", '\'' }, { "&#96;", '`' },
	{ "&#61;", '=' },
};

/*
 * The Content-ID an attribute value "cid:..." of len bytes names: HTML
 * entities and then %-escapes (RFC 2392) undone.  NULL when it is no
 * cid: address or holds an escape that is not one.
 */
static const char *
cid_of(struct tw_arena *a, const char *v, size_t len)
{
	char	*out, *o;
	size_t	 i, k, n;
	int	 hi, lo;

	if (len < 4 || strncasecmp(v, "cid:", 4) != 0)
		return NULL;
	out = o = tw_arena_alloc(a, len + 1);
	for (i = 4; i < len; i++) {
		if (v[i] == '&') {
			for (k = 0; k < sizeof(entities) / sizeof(*entities);
			    k++) {
				n = strlen(entities[k].entity);
				if (n <= len - i &&
				    memcmp(v + i, entities[k].entity, n) == 0)
					break;
			}
			if (k == sizeof(entities) / sizeof(*entities))
				return NULL;
			*o++ = entities[k].c;
			i += n - 1;
		} else if (v[i] == '%') {
			if (i + 2 >= len || (hi = tw_hex_digit(v[i + 1])) < 0 ||
			    (lo = tw_hex_digit(v[i + 2])) < 0)
				return NULL;
			*o++ = (char)(hi * 16 + lo);
			i += 2;
		} else
			*o++ = v[i];
	}
	*o = '\0';
	return out;
}

const char *
tw_html_inline_images(struct tw_arena *a, const char *html,
    const char *(*url)(void *, const char *), void *ctx)
{
	static const char	 attr[] = "src=\"";
	struct tw_buf		 b;
	const char		*at, *from = html, *end, *cid, *to;

	if (html == NULL || strstr(html, "cid:") == NULL)
		return html;
	tw_buf_init(&b, a);
	while ((at = strstr(from, attr)) != NULL) {
		at += sizeof(attr) - 1;
		if ((end = strchr(at, '"')) == NULL)
			break;
		tw_buf_append(&b, from, (size_t)(at - from));
		cid = cid_of(a, at, (size_t)(end - at));
		if (cid != NULL && (to = url(ctx, cid)) != NULL)
			tw_buf_html(&b, to, strlen(to));
		else
			tw_buf_append(&b, at, (size_t)(end - at));
		from = end;
	}
	tw_buf_puts(&b, from);
	return b.data;
}
