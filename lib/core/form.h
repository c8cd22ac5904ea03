/*
 * form.h: parsers for what a client sends as request input.
 *
 * Query strings and application/x-www-form-urlencoded bodies, Cookie
 * headers, multipart/form-data bodies with file uploads, and JSON bodies.
 * These are pure functions over bytes already in memory: reading the
 * body, checking its total size and choosing a parser by Content-Type is
 * the request layer's job, and checking what a field means is the
 * handler's.
 *
 * Every input byte is treated as hostile.  No input needs a terminating
 * NUL unless its parameter is a C string, nothing is read past a given
 * length, and every count and length is checked against a limit before
 * memory is allocated for it.  Results live in the request arena.
 */
#ifndef TW_FORM_H
#define TW_FORM_H

#include <stddef.h>

#include "err.h"

struct json_object;
struct tw_arena;

/* One text field.  value is NUL-terminated and holds no NUL byte. */
struct tw_param {
	const char	*name;
	const char	*value;
	size_t		 len;		/* bytes in value, no NUL */
};

/* One uploaded file of a multipart body. */
struct tw_upload {
	const char	*field;		/* the form field's name */
	const char	*filename;	/* UTF-8 base name; may be "" */
	const char	*type;		/* the part's Content-Type */
	const char	*data;		/* into the body, not a copy */
	size_t		 len;		/* bytes of data, any values */
};

/*
 * Caps on one form.  fields_max counts the text fields a struct tw_form
 * holds in all, so a query string and a body parsed into the same form
 * share it.  name_max and value_max are in bytes after decoding;
 * value_max also caps an upload's file name.
 */
struct tw_form_limits {
	size_t		 fields_max;
	size_t		 name_max;
	size_t		 value_max;
	size_t		 uploads_max;
	size_t		 upload_max;
};

/*
 * Parsed input.  A zeroed struct is an empty form.  The parsers append to
 * it; on failure they leave the fields and uploads it held before the call
 * and set error.  The arrays live in the arena given to the parsers.
 */
struct tw_form {
	struct tw_param	*params;
	size_t		 nparams;
	struct tw_upload *uploads;
	size_t		 nuploads;
	const char	*error;		/* a sentence, never input */

	/* Private: room in the arrays. */
	size_t		 paramcap;
	size_t		 uploadcap;
};

/*
 * 200 fields, 128-byte names, 64 KiB values, 10 uploads of 10 MiB each.
 */
extern const struct tw_form_limits tw_form_default_limits;

/*
 * Returns 1 when the len bytes at s are well-formed UTF-8 (RFC 3629):
 * no overlong forms, no surrogates, nothing above U+10FFFF, no sequence
 * cut short.  NUL bytes are valid UTF-8; callers that forbid them check
 * separately.  Returns 0 otherwise.
 */
int		 tw_utf8_valid(const char *s, size_t len);

/*
 * Parses len bytes of "name=value&name=value" as sent in a query string
 * or an application/x-www-form-urlencoded body, appending the fields to
 * out.  '+' decodes to a space and %XX to a byte; a piece without '=' is
 * a field with an empty value; empty pieces are skipped.
 *
 * Returns TW_OK, TW_ERR_BADREQ for a malformed percent escape, an empty
 * name, or a name or value that after decoding holds a NUL byte or is not
 * UTF-8 (a name may hold no control character at all), or TW_ERR_TOOBIG
 * when a limit is exceeded.  limits may be NULL for the defaults.
 */
enum tw_err	 tw_form_urlencoded(struct tw_arena *, const char *s,
		    size_t len, const struct tw_form_limits *limits,
		    struct tw_form *out);

/*
 * Parses a Cookie header ("a=b; c=d", RFC 6265 section 4.2) given as a C
 * string, appending each cookie to out as a field.  A value in double
 * quotes loses the quotes; values are not percent-decoded.  Pairs that are
 * malformed, not ASCII as RFC 6265 requires, or over name_max or value_max
 * are skipped: other applications on the same host may set cookies we
 * never read, and they must not lock users out.  header may be NULL.
 *
 * Returns TW_OK, or TW_ERR_TOOBIG when there are more than fields_max
 * cookies in all.  limits may be NULL for the defaults.
 */
enum tw_err	 tw_form_cookies(struct tw_arena *, const char *header,
		    const struct tw_form_limits *limits, struct tw_form *out);

/*
 * Parses a multipart/form-data body (RFC 7578) of len bytes.  The
 * boundary comes from content_type, a C string, quoted or not, and must
 * follow RFC 2046: 1 to 70 characters from its set, not ending in a space.
 * Lines end in CRLF; the preamble and epilogue are ignored.
 *
 * Each part needs a Content-Disposition of form-data with a name.  A part
 * with a filename or filename* (RFC 8187, UTF-8 only) parameter becomes
 * an upload whose data points into body, so body must outlive out; its
 * file name loses everything up to the last '/' or '\' and its type is
 * the part's Content-Type or application/octet-stream.  A file part with
 * an empty name and no data is how browsers send an empty file input, and
 * is skipped.  Other parts become text fields, copied into the arena.
 * Field names and file names in quotes are taken literally up to the next
 * quote, without backslash escapes, as browsers send them.
 *
 * Returns TW_OK; TW_ERR_MEDIATYPE when content_type is not
 * multipart/form-data; TW_ERR_BADREQ for a missing or invalid boundary, a
 * body without its closing delimiter, a malformed part header, a part
 * without a name, a name or text value that is not UTF-8 or holds a NUL,
 * or a file name that is not UTF-8 or holds a control character;
 * TW_ERR_TOOBIG when a limit is exceeded.  limits may be NULL for the
 * defaults.
 */
enum tw_err	 tw_form_multipart(struct tw_arena *,
		    const char *content_type, const char *body, size_t len,
		    const struct tw_form_limits *limits, struct tw_form *out);

/*
 * Parses a JSON body (RFC 8259) of len bytes: one value, optionally
 * surrounded by white space, in UTF-8, with arrays and objects nested at
 * most depth_max deep ("[[1]]" is 2; more than 1000 counts as 1000).
 * Beyond what json-c checks, this rejects raw control bytes, "\u0000"
 * escapes (json-c keys are C strings), NaN, Infinity, "1." and numbers
 * too large for a double.  As json-c does it, integers beyond 64 bits
 * saturate and of duplicate keys the last one wins.
 *
 * On success stores the value in *out, registered for json_object_put()
 * on the arena's next reset, so the caller must not put it, and returns
 * TW_OK; the JSON null is stored as NULL.  Otherwise sets *out to NULL and
 * *error to a sentence, and returns TW_ERR_BADREQ for malformed JSON or
 * TW_ERR_TOOBIG for nesting over depth_max or a body of 2 GiB or more,
 * which json-c cannot take.
 */
enum tw_err	 tw_form_json(struct tw_arena *, const char *body,
		    size_t len, size_t depth_max, struct json_object **out,
		    const char **error);

/* The value of the first field called name, or NULL if there is none. */
const char	*tw_form_get(const struct tw_form *, const char *name);

/*
 * How many fields are called name.  Duplicates are legal (a list of
 * checkboxes); whether one is expected is the caller's decision.
 */
size_t		 tw_form_count(const struct tw_form *, const char *name);

/* The first upload of the field called name, or NULL if there is none. */
const struct tw_upload *tw_form_upload(const struct tw_form *,
		    const char *name);

#endif
