/*
 * valid.h: validators for request fields.
 *
 * A handler reads each field through one of these before it does
 * anything else.  A validator returns TW_OK with a typed value, or fails
 * the request with 422 and a sentence naming the field (400 when the
 * field is sent twice).  Field labels come from the catalog key
 * "field_<name>", so the sentence is in the request's language.
 */
#ifndef TW_VALID_H
#define TW_VALID_H

#include <stddef.h>

#include "err.h"

struct tw_arena;
struct tw_request;

#define TW_TEXT_LINE	0x1	/* one line: no control characters at all */
#define TW_TEXT_OPTIONAL 0x2	/* absent or empty gives "" */
#define TW_TEXT_AS_TYPED 0x4	/* keep surrounding white space (secrets) */

/*
 * A text field of min..max characters (UTF-8 code points), trimmed of
 * surrounding white space unless TW_TEXT_AS_TYPED.  Multi-line text may
 * hold tab, CR and LF but no other control characters.
 */
enum tw_err	tw_valid_text(struct tw_request *, const char *field,
		    size_t min, size_t max, unsigned flags, const char **out);

/* A whole number in min..max; def when the field is absent or empty. */
enum tw_err	tw_valid_int(struct tw_request *, const char *field,
		    long long min, long long max, long long def,
		    long long *out);

/* A required whole number in min..max. */
enum tw_err	tw_valid_int_required(struct tw_request *, const char *field,
		    long long min, long long max, long long *out);

/*
 * Names the catalog key of field's label for the messages of this
 * request, where one form labels a field differently from the default
 * "field_<name>" (a ticket's "body" is a description, a note's its text).
 */
void		tw_valid_label(struct tw_request *, const char *field,
		    const char *key);

/*
 * A yes/no field: absent, "", "0", "off" and "false" are no; "1", "on"
 * and "true" (and JSON true) are yes; anything else is 422.
 */
enum tw_err	tw_valid_bool(struct tw_request *, const char *field,
		    int *out);

/*
 * An optional email address (empty gives ""): one @, a non-empty local
 * part and a domain with a dot, no spaces or controls, at most 254 bytes;
 * the domain is lower-cased.
 */
enum tw_err	tw_valid_email(struct tw_request *, const char *field,
		    const char **out);

/* The string length in code points of valid UTF-8. */
size_t		tw_utf8_chars(const char *, size_t len);

/*
 * s (valid UTF-8) cut to at most max code points: s itself when it is
 * short enough, else a copy in the arena.
 */
const char	*tw_utf8_cut(struct tw_arena *, const char *s, size_t max);

#endif
