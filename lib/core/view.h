/*
 * view.h: view models out as JSON or as HTML pages.
 *
 * A handler fills a json-c object and hands it to tw_view().  A client
 * that asks for application/json gets that object as it is; anyone else
 * gets the page's template, htdocs/templates/<page>.mustache, rendered
 * over it, with these keys added for the layout: t (the catalog of the
 * request's language), me (the signed-in user), csrf (the token every
 * form carries), lang.
 */
#ifndef TW_VIEW_H
#define TW_VIEW_H

#include "err.h"

struct json_object;
struct tw_buf;
struct tw_request;

/* Compiles every template in dir; kept for the life of the process. */
enum tw_err	tw_view_init(const char *dir);

/* Answers with the model (whose reference the call takes over). */
enum tw_err	tw_view(struct tw_request *, int status, const char *page,
		    struct json_object *model);

/* Answers with an error model {status, message, field?, reference?}. */
void		tw_view_error(struct tw_request *, int status,
		    struct json_object *model);

/*
 * A program's own layout keys: fn adds them to the model of every HTML
 * page a signed-in user gets (counts for the navigation, say), after the
 * core's keys.  The core knows no domain module, so a program that has
 * such keys registers fn once at start-up; NULL removes it.
 */
typedef void	(*tw_view_layout_fn)(struct tw_request *,
		    struct json_object *model);
void		tw_view_set_layout_hook(tw_view_layout_fn fn);

/*
 * Adds why the request failed, if it did, to a page's model: "error" (the
 * sentence) and "error_field" (the field it is about), so a form page
 * shown again with status 422 can say what to correct.
 */
void		tw_view_add_error(struct tw_request *, struct json_object *m);

/*
 * Renders template name over ctx alone and appends the text to out: for
 * pieces of a page a program keeps and reuses.  TW_ERR_INTERNAL when
 * there is no such template.
 */
enum tw_err	tw_view_render(const char *name, struct json_object *ctx,
		    struct tw_buf *out);

/*
 * Adds v to o under key as json_object_object_add does, but without
 * copying key, which must outlive o: a string literal, or text in the
 * request's arena when o belongs to a model given to tw_view (models
 * are released before the arena's memory).
 */
int		tw_json_set(struct json_object *o, const char *key,
		    struct json_object *v);

/* Releases the compiled templates. */
void		tw_view_free(void);

#endif
