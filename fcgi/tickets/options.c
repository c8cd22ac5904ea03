/*
 * options.c: the long lists of agents the forms offer, rendered once.
 *
 * Built as a view model and rendered for every request, the queue's
 * three selects of 200 agents were four tenths of the worker's work, and
 * the ticket page's six lists of a channel's agents as much.  Each list
 * is rendered once per worker, language and copy of the reference data
 * (refdata.h), item by item through its partial template, and kept with
 * where each item ends; a page copies the text and renders afresh only
 * the item it marks as chosen.  The items stay in the model's shape, so
 * the partials are all the markup there is.
 */
#include "config.h"

#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "buf.h"
#include "handlers.h"
#include "refdata.h"
#include "request.h"
#include "view.h"

/* A list as rendered, in the arena of the reference data's copy. */
struct rendered {
	const char		*text;
	size_t			 n;
	size_t			*ends;	/* where item i ends in text */
	const char		**ids;	/* the id field of item i */
	struct json_object	*items;
};

struct make {
	struct tw_request		*req;
	const struct options_list	*list;
};

static void
put_items(void *items)
{
	json_object_put(items);
}

/* Renders every item of the list into keep (see tw_refdata_memo). */
static void *
make(struct tw_arena *keep, void *p)
{
	struct make		*c = p;
	struct rendered		*r;
	struct json_object	*item, *v;
	struct tw_buf		 b;
	size_t			 i;

	r = tw_arena_calloc(keep, 1, sizeof(*r));
	r->items = c->list->items(c->req, c->list->ctx);
	tw_arena_cleanup(keep, put_items, r->items);
	r->n = json_object_array_length(r->items);
	r->ends = tw_arena_calloc(keep, r->n + 1, sizeof(*r->ends));
	r->ids = tw_arena_calloc(keep, r->n + 1, sizeof(*r->ids));

	tw_buf_init(&b, keep);
	for (i = 0; i < r->n; i++) {
		item = json_object_array_get_idx(r->items, i);
		if (tw_view_render(c->list->partial, item, &b) != TW_OK)
			return NULL;
		r->ends[i] = b.len;
		r->ids[i] = json_object_object_get_ex(item, c->list->id, &v) ?
		    tw_arena_strdup(keep, json_object_get_string(v)) : "";
	}
	r->text = b.data;
	return r;
}

enum tw_err
options_item(const char *partial, struct json_object *item,
    struct tw_buf *out)
{
	enum tw_err	rc;

	rc = tw_view_render(partial, item, out);
	json_object_put(item);
	return rc;
}

/* Item i again, marked as selected: a copy, as the list shares it. */
static enum tw_err
put_chosen(const struct options_list *list, const struct rendered *r,
    size_t i, struct tw_buf *out)
{
	struct json_object	*copy = json_object_new_object();

	json_object_object_foreach(json_object_array_get_idx(r->items, i),
	    key, v)
		tw_json_set(copy, key, json_object_get(v));
	tw_json_set(copy, "selected", json_object_new_boolean(1));
	return options_item(list->partial, copy, out);
}

enum tw_err
options_html(struct tw_request *req, const struct options_list *list,
    const char *chosen, struct tw_buf *out, int *found)
{
	struct make		 c = { req, list };
	const struct rendered	*r;
	size_t			 i, start;

	*found = 0;
	r = tw_refdata_memo(req->arena, list->key, make, &c);
	if (r == NULL)
		return TW_ERR_INTERNAL;

	for (i = 0; chosen != NULL && i < r->n; i++)
		if (strcmp(r->ids[i], chosen) == 0)
			break;
	if (chosen == NULL || i == r->n) {
		tw_buf_append(out, r->text, r->n > 0 ? r->ends[r->n - 1] : 0);
		return TW_OK;
	}

	*found = 1;
	start = i > 0 ? r->ends[i - 1] : 0;
	tw_buf_append(out, r->text, start);
	if (put_chosen(list, r, i, out) != TW_OK)
		return TW_ERR_INTERNAL;
	tw_buf_append(out, r->text + r->ends[i], r->ends[r->n - 1] -
	    r->ends[i]);
	return TW_OK;
}
