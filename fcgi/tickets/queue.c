/*
 * queue.c: the start page and the ticket queue.
 */
#include "config.h"

#include <stdio.h>

#include <json-c/json.h>

#include "arena.h"
#include "db.h"
#include "handlers.h"
#include "i18n.h"
#include "request.h"
#include "queue.h"
#include "response.h"
#include "ticket.h"
#include "valid.h"
#include "view.h"

enum tw_err
home(struct tw_request *req)
{
	return tw_resp_redirect(req, "/tickets/");
}

void
add_datetime(struct tw_request *req, struct json_object *o, const char *key)
{
	struct json_object	*v;
	char			 text[64];
	time_t			 t;

	if (!json_object_object_get_ex(o, key, &v) ||
	    (t = tw_i18n_parse_utc(json_object_get_string(v))) == -1)
		return;
	tw_i18n_datetime(req->lang, t, text, sizeof(text));
	tw_json_set(o, tw_arena_concat(req->arena, key, "_fmt"),
	    json_object_new_string(text));
}

struct json_object *
ticket_view(struct tw_request *req, const struct tw_rows *rows, size_t r)
{
	struct json_object	*o = tw_rows_json(rows, r);
	const char		*side = tw_rows_str(rows, r, "side");

	tw_json_set(o, "label", json_object_new_string(
	    tw_arena_concat(req->arena, "#",
	    tw_rows_str(rows, r, "number"))));
	if (side != NULL)
		tw_json_set(o, "side_label", json_object_new_string(
		    tw_t(req->lang, tw_arena_concat(req->arena, "side_",
		    side))));
	add_datetime(req, o, "created_at");
	add_datetime(req, o, "updated_at");
	return o;
}

/*
 * The queue: the tickets that pass the filters of the query string, a
 * page at a time, with their count; the page adds the filter form.
 */
enum tw_err
queue_list(struct tw_request *req)
{
	struct tw_queue_choices	 c;
	struct tw_queue_filter	 f;
	struct json_object	*m, *list;
	struct tw_rows		*rows;
	long long		 page, total;
	size_t			 i;
	int			 more;
	enum tw_err		 rc;

	if ((rc = tw_valid_int(req, "page", 1, 100000, 1, &page)) != TW_OK)
		return rc;
	if ((rc = tw_queue_choices(req->arena, req->user, &c)) != TW_OK ||
	    (rc = queue_filter_read(req, &c, &f)) != TW_OK)
		return rc;
	rc = tw_queue_find(req->arena, req->user, &f, page, &rows, &total,
	    &more);
	if (rc == TW_ERR_INVALID)
		return tw_fail(req, rc, "q", tw_t(req->lang,
		    "queue_search_broad"));
	if (rc != TW_OK)
		return rc;

	m = json_object_new_object();
	list = json_object_new_array_ext((int)rows->nrows);
	for (i = 0; i < rows->nrows; i++)
		json_object_array_add(list, ticket_view(req, rows, i));
	tw_json_set(m, "tickets", list);
	tw_json_set(m, "empty",
	    json_object_new_boolean(rows->nrows == 0));
	queue_add_pager(req, m, page, rows->nrows, total, more);
	if (!req->wants_json)
		queue_add_form(req, m, &c, &f);
	return tw_view(req, 200, "queue", m);
}
