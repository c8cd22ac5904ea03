/*
 * text.h: small helpers over C strings and files that several core
 * modules share.
 */
#ifndef TW_TEXT_H
#define TW_TEXT_H

#include <stddef.h>

struct tw_arena;

/* The value of a hex digit, or -1. */
int	 tw_hex_digit(char c);

/* Cuts white space off both ends of s in place; returns the new start. */
char	*tw_trim(char *s);

/*
 * s cut to at most max characters (code points) of its valid UTF-8: s
 * itself when it is short enough, else a copy in the arena.
 */
const char *tw_text_cut(struct tw_arena *, const char *s, size_t max);

/*
 * Reads a whole file of at most max bytes into a malloc'd, NUL-terminated
 * buffer the caller frees; *len (may be NULL) gets its length.  NULL when
 * the file cannot be read or is larger.
 */
char	*tw_file_read(const char *path, size_t max, size_t *len);

#endif
