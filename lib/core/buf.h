/*
 * buf.h: a growable byte buffer whose memory comes from an arena.
 *
 * The contents are always NUL-terminated, so b->data can be passed as a C
 * string when no NUL bytes were appended.  The escapers write text meant
 * for one output context each; data reaches markup only through them.
 */
#ifndef TW_BUF_H
#define TW_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct tw_arena;

struct tw_buf {
	struct tw_arena	*arena;
	char		*data;
	size_t		 len;
	size_t		 cap;
};

/* Starts an empty buffer in the arena. */
void	tw_buf_init(struct tw_buf *, struct tw_arena *);

void	tw_buf_append(struct tw_buf *, const void *, size_t);
void	tw_buf_puts(struct tw_buf *, const char *);
void	tw_buf_putc(struct tw_buf *, char);
void	tw_buf_printf(struct tw_buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	tw_buf_vprintf(struct tw_buf *, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));
void	tw_buf_truncate(struct tw_buf *, size_t len);

/* Appends v in decimal, as printf's %lld would, without printf. */
void	tw_buf_int(struct tw_buf *, long long v);

/*
 * Writes v (or the unsigned u) in decimal to out, which has room for
 * TW_INT_TEXT bytes, and returns the length; out ends in a NUL.
 */
#define TW_INT_TEXT	24
size_t	tw_int_text(char *out, long long v);
size_t	tw_uint_text(char *out, unsigned long long u);

/* HTML text and quoted attribute values: & < > " ' ` = are escaped. */
void	tw_buf_html(struct tw_buf *, const char *, size_t);

/* A URL query value or path segment: all but unreserved bytes as %XX. */
void	tw_buf_urlenc(struct tw_buf *, const char *, size_t);

#endif
