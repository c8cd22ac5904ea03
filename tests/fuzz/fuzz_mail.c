/*
 * fuzz_mail.c: libFuzzer harness for the mail parser and the HTML
 * sanitiser, the two parsers that read what strangers send by mail.
 *
 * An input starting with the byte 'H' is HTML for the sanitiser, any
 * other input is a raw message, which the parser must take whenever the
 * HTTP feeder's check (tw_mail_has_header()) would let it through.
 * Whatever comes back is checked against the parsers' promises: valid
 * UTF-8 everywhere, file names without directories, and sanitised HTML
 * free of anything that could run or load (no script or style element,
 * no event attribute, no URL with a scheme outside the allow-list).
 * Pointing the HTML's cid: images at addresses (with characters that
 * need escaping) must not change its markup, and a kept Content-ID is
 * plain printable ASCII.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "form.h"
#include "html.h"
#include "mail.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_utf8(const char *s)
{
	if (s != NULL && !tw_utf8_valid(s, strlen(s)))
		abort();
}

/* The elements the sanitiser may write; nothing else may appear. */
static int
allowed_tag(const char *p, size_t n)
{
	static const char *const tags[] = {
		"a", "abbr", "b", "blockquote", "br", "caption", "cite",
		"code", "dd", "del", "div", "dl", "dt", "em", "h1", "h2",
		"h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
		"ol", "p", "pre", "q", "s", "small", "span", "strike",
		"strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
		"thead", "tr", "tt", "u", "ul", NULL
	};
	const char *const	*t;

	for (t = tags; *t != NULL; t++)
		if (strlen(*t) == n && strncasecmp(p, *t, n) == 0)
			return 1;
	return 0;
}

/*
 * Sanitised HTML holds only allowed elements, no event attribute, and
 * links and images only with allowed schemes; text between the tags is
 * escaped, so it may say anything.
 */
static void
check_html(const char *h)
{
	const char	*p, *end, *name, *v;
	size_t		 n;

	if (h == NULL)
		return;
	check_utf8(h);
	for (p = h; (p = strchr(p, '<')) != NULL; p = end) {
		if ((end = strchr(p, '>')) == NULL)
			abort();
		name = p + 1 + (p[1] == '/');
		n = strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789");
		if (!allowed_tag(name, n))
			abort();
		for (v = name + n; v < end; v++) {
			if (*v == '"') {
				/* Skip a quoted value (escaped, so no '"'). */
				if ((v = strchr(v + 1, '"')) == NULL ||
				    v > end)
					abort();
				continue;
			}
			if (*v == ' ' && strncasecmp(v + 1, "on", 2) == 0)
				abort();
			if (*v == ' ' && (strncmp(v + 1, "href=\"", 6) ==
			    0 || strncmp(v + 1, "src=\"", 5) == 0)) {
				const char *u = strchr(v, '"') + 1;

				if (strncasecmp(u, "http:", 5) != 0 &&
				    strncasecmp(u, "https:", 6) != 0 &&
				    strncasecmp(u, "mailto:", 7) != 0 &&
				    strncasecmp(u, "tel:", 4) != 0 &&
				    strncasecmp(u, "cid:", 4) != 0)
					abort();
				if (v[1] == 's' &&
				    strncasecmp(u, "cid:", 4) != 0)
					abort();
			}
		}
	}
}

/* Every Content-ID is known, at an address full of markup characters. */
static const char *
any_url(void *ctx, const char *cid)
{
	(void)ctx;
	(void)cid;
	return "/t/1/attachments/2/a\"b<c>&d'e";
}

/* How often c occurs in s. */
static size_t
count(const char *s, char c)
{
	size_t	n = 0;

	for (; (s = strchr(s, c)) != NULL; s++)
		n++;
	return n;
}

/* The images rewritten, the markup the same. */
static void
check_images(struct tw_arena *a, const char *h)
{
	const char	*r;

	if (h == NULL)
		return;
	r = tw_html_inline_images(a, h, any_url, NULL);
	if (count(r, '<') != count(h, '<') || count(r, '>') !=
	    count(h, '>') || count(r, '"') != count(h, '"'))
		abort();
	check_utf8(r);
}

static void
check_content_id(struct tw_arena *a, const char *cid)
{
	const char	*k = tw_html_content_id(a, cid);

	if (k == NULL)
		return;
	for (; *k != '\0'; k++)
		if (*k <= ' ' || *k > '~' || *k == '<' || *k == '>')
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tw_arena	*a;
	struct tw_mail		 m;
	const char		*html, *text;
	size_t			 i;
	enum tw_err		 rc;

	if (a == NULL)
		a = tw_arena_new();

	if (size > 0 && data[0] == 'H') {
		char *copy = tw_arena_memdup(a, data + 1, size - 1);

		/* The sanitiser takes UTF-8, as the mail parser hands it. */
		copy = tw_utf8_repair(a, copy, size - 1);
		if (tw_html_sanitize(a, copy, strlen(copy), &html,
		    &text) == TW_OK) {
			check_html(html);
			check_images(a, html);
			check_utf8(text);
		}
		tw_arena_reset(a);
		return 0;
	}

	rc = tw_mail_parse(a, (const char *)data, size, &m);

	/* What the HTTP feeder lets through as a message, the parser
	 * takes. */
	if (rc != TW_OK && tw_mail_has_header((const char *)data, size))
		abort();
	if (rc == TW_OK) {
		check_utf8(m.subject);
		check_utf8(m.from_name);
		check_utf8(m.from_addr);
		check_utf8(m.text);
		check_html(m.html);
		check_images(a, m.html);
		for (i = 0; i < m.nattachments; i++) {
			check_content_id(a, m.attachments[i].content_id);
			check_utf8(m.attachments[i].filename);
			if (*m.attachments[i].filename == '\0' ||
			    strchr(m.attachments[i].filename, '/') != NULL)
				abort();
		}
	}
	tw_arena_reset(a);
	return 0;
}
