/*
 * buf.c: arena-backed growable buffers and the output escapers.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "buf.h"

void
tw_buf_init(struct tw_buf *b, struct tw_arena *a)
{
	b->arena = a;
	b->cap = 256;
	b->len = 0;
	b->data = tw_arena_alloc(a, b->cap);
	b->data[0] = '\0';
}

/* Makes room for n more bytes plus the terminating NUL. */
static void
reserve(struct tw_buf *b, size_t n)
{
	size_t	 cap;
	char	*p;

	if (b->cap - b->len > n)
		return;
	cap = b->cap;
	while (cap - b->len <= n)
		cap *= 2;
	p = tw_arena_alloc(b->arena, cap);
	memcpy(p, b->data, b->len + 1);
	b->data = p;
	b->cap = cap;
}

void
tw_buf_append(struct tw_buf *b, const void *p, size_t n)
{
	reserve(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
tw_buf_puts(struct tw_buf *b, const char *s)
{
	tw_buf_append(b, s, strlen(s));
}

void
tw_buf_putc(struct tw_buf *b, char c)
{
	reserve(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

void
tw_buf_vprintf(struct tw_buf *b, const char *fmt, va_list ap)
{
	va_list	 ap2;
	int	 n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n <= 0)
		return;
	reserve(b, (size_t)n);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
tw_buf_printf(struct tw_buf *b, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	tw_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void
tw_buf_truncate(struct tw_buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->data[len] = '\0';
	}
}

size_t
tw_uint_text(char *out, unsigned long long u)
{
	char	digits[TW_INT_TEXT], *p = digits + sizeof(digits);
	size_t	n;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	n = (size_t)(digits + sizeof(digits) - p);
	memcpy(out, p, n);
	out[n] = '\0';
	return n;
}

size_t
tw_int_text(char *out, long long v)
{
	if (v >= 0)
		return tw_uint_text(out, (unsigned long long)v);
	out[0] = '-';
	return 1 + tw_uint_text(out + 1, 0ULL - (unsigned long long)v);
}

void
tw_buf_int(struct tw_buf *b, long long v)
{
	char	text[TW_INT_TEXT];

	tw_buf_append(b, text, tw_int_text(text, v));
}

void
tw_buf_html(struct tw_buf *b, const char *s, size_t n)
{
	size_t	 i, start = 0;
	const char *rep;

	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		case '`': rep = "&#96;"; break;
		case '=': rep = "&#61;"; break;
		default: continue;
		}
		tw_buf_append(b, s + start, i - start);
		tw_buf_puts(b, rep);
		start = i + 1;
	}
	tw_buf_append(b, s + start, n - start);
}

void
tw_buf_urlenc(struct tw_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t		 i;
	unsigned char	 c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~') {
			tw_buf_putc(b, (char)c);
			continue;
		}
		tw_buf_putc(b, '%');
		tw_buf_putc(b, hex[c >> 4]);
		tw_buf_putc(b, hex[c & 15]);
	}
}
