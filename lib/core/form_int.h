/*
 * form_int.h: what the form parsers in form.c and multipart.c share.
 * It is private to those two files; other code includes form.h.
 *
 * One call of a parser is a struct parse: it knows the arena, the limits
 * and the form, and remembers how much the form held when the call began,
 * so that a failure drops what the call added.  The helpers below check
 * text against the limits, percent-decode, and append fields; form.c
 * holds them, next to the urlencoded and cookie parsers.
 */
#ifndef TW_FORM_INT_H
#define TW_FORM_INT_H

#include <stddef.h>

#include "err.h"

struct tw_arena;
struct tw_form;
struct tw_form_limits;

/* One call of a parser: where results go and what to undo on failure. */
struct parse {
	struct tw_arena			*arena;
	const struct tw_form_limits	*lim;
	struct tw_form			*form;
	size_t				 nparams;	/* at the start */
	size_t				 nuploads;
};

/*
 * What a text check calls the text in its messages, and whether it is a
 * name: names have their own length limit and no control characters.
 */
struct text_rule {
	const char	*what;
	int		 is_name;
};

/* The rules for a field name and a field value. */
extern const struct text_rule tw_form_name_rule;
extern const struct text_rule tw_form_value_rule;

/* Whether c may appear in an HTTP token (RFC 9110 section 5.6.2). */
int		 tw_form_is_tchar(char c);

/*
 * Whether the n bytes at s hold a control character: C0, DEL, or C1
 * (U+0080 to U+009F, encoded as C2 80 to C2 9F).
 */
int		 tw_form_has_control(const char *s, size_t n);

/* Skips spaces and tabs from s, stopping at e. */
const char	*tw_form_skip_ows(const char *s, const char *e);

/* A size for a message: "10 MiB", "64 KiB" or "200 bytes", in the arena. */
const char	*tw_form_size_text(struct tw_arena *a, size_t n);

/*
 * Starts a call: p remembers what out holds, lim NULL means the default
 * limits, and out's error is cleared.
 */
void		 tw_form_begin(struct parse *p, struct tw_arena *a,
		    const struct tw_form_limits *lim, struct tw_form *out);

/* Ends a call: on failure the form drops what the call added. */
enum tw_err	 tw_form_finish(struct parse *p, enum tw_err rc);

/*
 * Sets the form's error to a formatted sentence, in the arena, and
 * returns rc.
 */
enum tw_err	 tw_form_fail(struct parse *p, enum tw_err rc,
		    const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));

/*
 * Returns an array with room for n + 1 elements of size bytes, given the
 * array old holding n elements in room for *cap.  Doubles the room, but
 * not beyond max elements, so the limit bounds what is allocated.  The
 * array lives in the arena.
 */
void		*tw_form_grow(struct tw_arena *a, void *old, size_t n,
		    size_t *cap, size_t size, size_t max);

/* TW_OK when one more text field fits the limit, else TW_ERR_TOOBIG. */
enum tw_err	 tw_form_room_param(struct parse *p);

/*
 * Appends a field whose name and value already live in the arena.
 * Returns TW_OK or TW_ERR_TOOBIG.
 */
enum tw_err	 tw_form_add_param(struct parse *p, const char *name,
		    const char *value, size_t len);

/*
 * Checks a decoded name or value before it is kept: its length against
 * the limit, then no NUL byte, well-formed UTF-8, and for names no control
 * character at all.  Returns TW_OK, TW_ERR_TOOBIG or TW_ERR_BADREQ.
 */
enum tw_err	 tw_form_check_text(struct parse *p,
		    const struct text_rule *r, const char *s, size_t n);

/*
 * Measures the percent-decoded length of the n bytes at s into *dlen.
 * Returns 0 when a '%' is not followed by two hex digits.
 */
int		 tw_form_measure_pct(const char *s, size_t n, size_t *dlen);

/*
 * Decodes the n bytes at s, already measured, into dst and NUL-terminates
 * it; with plus set, '+' becomes a space as in form bodies.
 */
void		 tw_form_decode_pct(char *dst, const char *s, size_t n,
		    int plus);

#endif
