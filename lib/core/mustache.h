/*
 * mustache.h: Mustache templates, compiled once and rendered many times.
 *
 * A template is compiled into an array of operations when a program
 * starts and kept for the life of the process; rendering walks that array
 * over a json-c value and never looks at the template text again.  The
 * core modules of the Mustache specification are implemented: variables,
 * sections, inverted sections, comments, partials and delimiter changes,
 * with the specification's rules for standalone lines and the indentation
 * of standalone partials.  Lambdas, template inheritance and dynamic
 * partial names are not.
 *
 * Templates are ours; the data is not.  Every value is written through
 * tw_buf_html() unless the template asks for it raw with {{{x}}} or
 * {{&x}}, strings may hold any byte including NUL, and rendering stops
 * with an error when sections and partials nest deeper than
 * TW_MUSTACHE_DEPTH_MAX.
 *
 * Values render as follows:
 *   - strings as their bytes; integers in decimal; other numbers in the
 *     shortest form that reads back as the same double (1.210 -> 1.21,
 *     2.0 -> 2), always with a '.' whatever the locale;
 *   - true and false as "true" and "false";
 *   - null, a missing name, objects and arrays as nothing.
 * A section is skipped (and an inverted section rendered) for false, null,
 * a missing name, an empty array and an empty string.  Numbers, including
 * 0, and objects, including {}, count as true.
 */
#ifndef TW_MUSTACHE_H
#define TW_MUSTACHE_H

#include <stddef.h>

#include "err.h"

struct json_object;
struct tw_buf;

/* Sections and partials nested deeper than this stop the render. */
#define TW_MUSTACHE_DEPTH_MAX	64

/* A compiled template; it holds no pointer into the text compiled. */
struct tw_mustache;

/*
 * Compiles the template src of len bytes (no terminating NUL needed).
 * Returns the template, which the caller frees with tw_mustache_free().
 * On a syntax error (a tag that is never closed, sections that do not
 * pair up, a bad name or delimiter change, sections nested deeper than
 * TW_MUSTACHE_DEPTH_MAX) or when memory runs out, returns NULL and writes
 * one sentence naming the line into err, which holds errlen bytes and may
 * be NULL.
 */
struct tw_mustache	*tw_mustache_compile(const char *src, size_t len,
			    char *err, size_t errlen);

/* Frees a compiled template; NULL is ignored. */
void			 tw_mustache_free(struct tw_mustache *);

/*
 * Looks up the partial called name for {{>name}}.  Returns a compiled
 * template that stays valid during the render, or NULL when there is no
 * such partial, which renders as nothing.  Compiling and keeping partials
 * is the caller's job.  Partials are compiled on their own, so a
 * delimiter change in the including template does not apply to them.
 */
typedef const struct tw_mustache *(*tw_mustache_partial_fn)(void *ctx,
			    const char *name);

/*
 * Renders t over data (any json-c value; NULL is JSON null) and appends
 * the output to out.  partial, called with pctx, resolves partials and
 * may be NULL when there are none.  Returns TW_OK, or TW_ERR_INTERNAL
 * when sections and partials nest deeper than TW_MUSTACHE_DEPTH_MAX (a
 * partial that includes itself without end); out then holds part of the
 * page, which the caller throws away.  Memory for the output comes from
 * out's arena; rendering allocates nothing else.
 */
enum tw_err		 tw_mustache_render(const struct tw_mustache *t,
			    struct json_object *data,
			    tw_mustache_partial_fn partial, void *pctx,
			    struct tw_buf *out);

/*
 * Renders t over data as plain text, for mail and other output that is
 * not a page: {{x}} writes the value as it is, like {{{x}}}.  No
 * partials.  Returns as tw_mustache_render().
 */
enum tw_err		 tw_mustache_render_text(const struct tw_mustache *t,
			    struct json_object *data, struct tw_buf *out);

#endif
