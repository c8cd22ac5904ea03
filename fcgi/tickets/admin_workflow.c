/*
 * admin_workflow.c: the administrators' pages for statuses, and per channel for
 * its workflow (the permitted status transitions) and its categories.
 * The routes carry TW_ROUTE_ADMIN, so only administrators get here.
 */
#include "config.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "category.h"
#include "db.h"
#include "handlers.h"
#include "i18n.h"
#include "request.h"
#include "route.h"
#include "response.h"
#include "status.h"
#include "valid.h"
#include "view.h"
#include "workflow.h"

#define TRANSITIONS_MAX	1024

static const char *const sides[] = { "us", "customer", "done" };

static enum tw_err
render_statuses(struct tw_request *req, int status)
{
	struct json_object	*m, *list, *o;
	struct tw_rows		*r;
	size_t			 i;
	enum tw_err		 rc;

	if ((rc = tw_status_list(req->arena, &r)) != TW_OK)
		return rc;
	m = json_object_new_object();
	list = json_object_new_array();
	for (i = 0; i < r->nrows; i++) {
		o = tw_rows_json(r, i);
		tw_json_set(o, "side_label", json_object_new_string(
		    tw_t(req->lang, tw_arena_concat(req->arena, "side_",
		    tw_rows_str(r, i, "side")))));
		json_object_array_add(list, o);
	}
	tw_json_set(m, "statuses", list);

	list = json_object_new_array();
	for (i = 0; i < sizeof(sides) / sizeof(sides[0]); i++) {
		o = json_object_new_object();
		tw_json_set(o, "value",
		    json_object_new_string(sides[i]));
		tw_json_set(o, "label", json_object_new_string(
		    tw_t(req->lang, tw_arena_concat(req->arena, "side_",
		    sides[i]))));
		json_object_array_add(list, o);
	}
	tw_json_set(m, "sides", list);
	tw_view_add_error(req, m);
	return tw_view(req, status, "admin_statuses", m);
}

enum tw_err
admin_statuses(struct tw_request *req)
{
	return render_statuses(req, 200);
}

/* Answers a failed admin form: JSON as it is, HTML as the page again. */
static enum tw_err
refused_statuses(struct tw_request *req, enum tw_err rc)
{
	if (req->wants_json || rc != TW_ERR_INVALID)
		return rc;
	return render_statuses(req, 422);
}

/* {"id": id, "name": name} with status, or 303 to location. */
static enum tw_err
answer_saved(struct tw_request *req, int status, long long id,
    const char *name, const char *location)
{
	struct json_object	*m;

	if (!req->wants_json)
		return tw_resp_redirect(req, location);
	m = json_object_new_object();
	tw_json_set(m, "id", json_object_new_int64(id));
	if (name != NULL)
		tw_json_set(m, "name",
		    json_object_new_string(name));
	return tw_view(req, status, "admin_statuses", m);
}

enum tw_err
admin_status_add(struct tw_request *req)
{
	const char	*name, *side;
	long long	 id = 0;
	enum tw_err	 rc;

	tw_valid_label(req, "name", "field_status_name");
	if ((rc = tw_valid_text(req, "name", 1, TW_STATUS_NAME_MAX,
	    TW_TEXT_LINE, &name)) != TW_OK ||
	    (rc = tw_valid_text(req, "side", 1, 16, TW_TEXT_LINE,
	    &side)) != TW_OK)
		return refused_statuses(req, rc);
	if (!tw_status_side_valid(side))
		return refused_statuses(req, tw_fail(req, TW_ERR_INVALID,
		    "side", tw_t(req->lang, "error_side")));

	if ((rc = tw_status_add(name, side, &id)) != TW_OK)
		return rc;
	return answer_saved(req, 201, id, name, "/admin/statuses");
}

enum tw_err
admin_status_rename(struct tw_request *req)
{
	const char	*name;
	long long	 id = tw_route_id(req, 0);
	enum tw_err	 rc;

	if (id <= 0)
		return TW_ERR_NOTFOUND;
	tw_valid_label(req, "name", "field_status_name");
	if ((rc = tw_valid_text(req, "name", 1, TW_STATUS_NAME_MAX,
	    TW_TEXT_LINE, &name)) != TW_OK)
		return refused_statuses(req, rc);
	if ((rc = tw_status_rename(req->arena, id, name)) != TW_OK)
		return rc;
	return answer_saved(req, 200, id, name, "/admin/statuses");
}

enum tw_err
admin_workflows(struct tw_request *req)
{
	struct json_object	*m, *list;
	struct tw_rows		*r;
	size_t			 i;
	enum tw_err		 rc;

	if ((rc = tw_workflow_channels(req->arena, &r)) != TW_OK)
		return rc;
	m = json_object_new_object();
	list = json_object_new_array();
	for (i = 0; i < r->nrows; i++)
		json_object_array_add(list, tw_rows_json(r, i));
	tw_json_set(m, "channels", list);
	return tw_view(req, 200, "admin_workflows", m);
}

/* Whether rows (from_id, to_id) hold the pair. */
static int
has_pair(const struct tw_rows *r, long long from, long long to)
{
	size_t	i;

	for (i = 0; i < r->nrows; i++)
		if (tw_rows_int(r, i, "from_id", 0) == from &&
		    tw_rows_int(r, i, "to_id", 0) == to)
			return 1;
	return 0;
}

/*
 * The transition matrix: a row per status it starts from, a cell per
 * status it may go to.  A channel on the standard workflow shows every
 * transition checked, which is what it permits.
 */
static struct json_object *
matrix(struct tw_request *req, const struct tw_rows *st,
    const struct tw_rows *own)
{
	struct json_object	*rows = json_object_new_array(), *row, *cells;
	struct json_object	*c;
	long long		 from, to;
	size_t			 i, j;

	for (i = 0; i < st->nrows; i++) {
		from = tw_rows_int(st, i, "id", 0);
		row = json_object_new_object();
		tw_json_set(row, "name", json_object_new_string(
		    tw_rows_str(st, i, "name")));
		cells = json_object_new_array();
		for (j = 0; j < st->nrows; j++) {
			to = tw_rows_int(st, j, "id", 0);
			c = json_object_new_object();
			tw_json_set(c, "value",
			    json_object_new_string(tw_arena_printf(req->arena,
			    "%s:%s", tw_rows_str(st, i, "code"),
			    tw_rows_str(st, j, "code"))));
			tw_json_set(c, "label",
			    json_object_new_string(tw_arena_printf(req->arena,
			    "%s → %s", tw_rows_str(st, i, "name"),
			    tw_rows_str(st, j, "name"))));
			tw_json_set(c, "self",
			    json_object_new_boolean(from == to));
			tw_json_set(c, "checked",
			    json_object_new_boolean(from != to &&
			    (own->nrows == 0 || has_pair(own, from, to))));
			json_object_array_add(cells, c);
		}
		tw_json_set(row, "cells", cells);
		json_object_array_add(rows, row);
	}
	return rows;
}

/* The channel's row of tw_workflow_channels(); NULL when there is none. */
static struct json_object *
find_channel(struct tw_request *req, long long id)
{
	struct tw_rows	*r;
	size_t		 i;

	if (tw_workflow_channels(req->arena, &r) != TW_OK)
		return NULL;
	for (i = 0; i < r->nrows; i++)
		if (tw_rows_int(r, i, "id", 0) == id)
			return tw_rows_json(r, i);
	return NULL;
}

static enum tw_err
render_channel(struct tw_request *req, long long id, int status)
{
	struct json_object	*m, *chan, *list;
	struct tw_rows		*st, *own, *cats;
	size_t			 i;
	enum tw_err		 rc;

	if ((chan = find_channel(req, id)) == NULL)
		return TW_ERR_NOTFOUND;
	m = json_object_new_object();
	tw_json_set(m, "channel", chan);
	tw_json_set(m, "title", json_object_new_string(
	    json_object_get_string(json_object_object_get(chan, "name"))));

	if ((rc = tw_status_list(req->arena, &st)) != TW_OK ||
	    (rc = tw_workflow_list(req->arena, id, &own)) != TW_OK ||
	    (rc = tw_category_list(req->arena, id, &cats)) != TW_OK) {
		json_object_put(m);
		return rc;
	}
	tw_json_set(m, "matrix", matrix(req, st, own));
	list = json_object_new_array();
	for (i = 0; i < cats->nrows; i++)
		json_object_array_add(list, tw_rows_json(cats, i));
	tw_json_set(m, "categories", list);
	tw_view_add_error(req, m);
	return tw_view(req, status, "admin_workflow", m);
}

enum tw_err
admin_workflow(struct tw_request *req)
{
	long long	id = tw_route_id(req, 0);

	if (id <= 0)
		return TW_ERR_NOTFOUND;
	return render_channel(req, id, 200);
}

static enum tw_err
refused_channel(struct tw_request *req, long long id, enum tw_err rc)
{
	if (req->wants_json || rc != TW_ERR_INVALID)
		return rc;
	return render_channel(req, id, 422);
}

/* The status id of code in st, or 0. */
static long long
status_id(const struct tw_rows *st, const char *code, size_t len)
{
	const char	*c;
	size_t		 i;

	for (i = 0; i < st->nrows; i++) {
		c = tw_rows_str(st, i, "code");
		if (strlen(c) == len && strncmp(c, code, len) == 0)
			return tw_rows_int(st, i, "id", 0);
	}
	return 0;
}

/* Adds "from:to" (status codes) to t; 0 when it names no transition. */
static int
parse_pair(const struct tw_rows *st, const char *s, struct tw_transition *t)
{
	const char	*colon = s != NULL ? strchr(s, ':') : NULL;

	if (colon == NULL)
		return 0;
	t->from = status_id(st, s, (size_t)(colon - s));
	t->to = status_id(st, colon + 1, strlen(colon + 1));
	return t->from > 0 && t->to > 0 && t->from != t->to;
}

/*
 * The transitions sent: the form's checked "allow" boxes, or the JSON
 * body's "allow" array, each "from:to" in status codes.
 *
 * XXX: a form holds at most 200 fields ([http] limits), one per checked
 * box, so with more than about 14 statuses a fully checked matrix cannot
 * be saved through the page; JSON clients are not affected.
 */
static enum tw_err
read_transitions(struct tw_request *req, const struct tw_rows *st,
    struct tw_transition **out, size_t *n)
{
	struct json_object	*list = NULL, *v;
	struct tw_transition	*t = NULL;
	const char		*s;
	size_t			 i, count;

	*n = 0;
	if (req->json != NULL) {
		if (json_object_object_get_ex(req->json, "allow", &list) &&
		    !json_object_is_type(list, json_type_array))
			list = NULL;
		count = list != NULL ? json_object_array_length(list) : 0;
	} else
		count = req->form.nparams;
	if (count > TRANSITIONS_MAX)
		return tw_fail(req, TW_ERR_INVALID, "allow",
		    tw_t(req->lang, "error_allow"));

	*out = t = tw_arena_calloc(req->arena, count + 1, sizeof(*t));
	for (i = 0; i < count; i++) {
		if (list != NULL) {
			v = json_object_array_get_idx(list, i);
			s = json_object_is_type(v, json_type_string) ?
			    json_object_get_string(v) : NULL;
		} else if (strcmp(req->form.params[i].name, "allow") == 0)
			s = req->form.params[i].value;
		else
			continue;
		if (!parse_pair(st, s, &t[*n]))
			return tw_fail(req, TW_ERR_INVALID, "allow",
			    tw_t(req->lang, "error_allow"));
		(*n)++;
	}
	return TW_OK;
}

enum tw_err
admin_workflow_save(struct tw_request *req)
{
	struct tw_transition	*t = NULL;
	struct tw_rows		*st;
	struct json_object	*chan;
	long long		 id = tw_route_id(req, 0);
	size_t			 n;
	enum tw_err		 rc;

	if (id <= 0 || (chan = find_channel(req, id)) == NULL)
		return TW_ERR_NOTFOUND;
	json_object_put(chan);
	if ((rc = tw_status_list(req->arena, &st)) != TW_OK)
		return rc;
	if ((rc = read_transitions(req, st, &t, &n)) != TW_OK)
		return refused_channel(req, id, rc);

	if ((rc = tw_workflow_set(req->arena, id, t, n)) != TW_OK)
		return rc;
	if (req->wants_json)
		return render_channel(req, id, 200);
	return tw_resp_redirect(req, tw_arena_printf(req->arena,
	    "/admin/channels/%lld/workflow", id));
}

/* A category name, or the request's failure. */
static enum tw_err
read_category(struct tw_request *req, const char **name)
{
	tw_valid_label(req, "name", "field_category_name");
	return tw_valid_text(req, "name", 1, TW_CATEGORY_NAME_MAX,
	    TW_TEXT_LINE, name);
}

/* Answers a category saved (or refused) for the page of channel id. */
static enum tw_err
category_answer(struct tw_request *req, long long channel, enum tw_err rc,
    int status, long long id, const char *name)
{
	if (rc == TW_ERR_CONFLICT)
		rc = tw_fail(req, TW_ERR_CONFLICT, "name",
		    tw_t(req->lang, "error_category_taken"));
	if (rc == TW_ERR_CONFLICT && !req->wants_json)
		return render_channel(req, channel, 409);
	if (rc != TW_OK)
		return refused_channel(req, channel, rc);
	return answer_saved(req, status, id, name, tw_arena_printf(
	    req->arena, "/admin/channels/%lld/workflow", channel));
}

enum tw_err
admin_category_add(struct tw_request *req)
{
	const char	*name;
	long long	 channel = tw_route_id(req, 0), id = 0;
	enum tw_err	 rc;

	if (channel <= 0)
		return TW_ERR_NOTFOUND;
	if ((rc = read_category(req, &name)) != TW_OK)
		return refused_channel(req, channel, rc);
	rc = tw_category_add(req->arena, channel, name, &id);
	return category_answer(req, channel, rc, 201, id, name);
}

enum tw_err
admin_category_rename(struct tw_request *req)
{
	const char	*name;
	long long	 id = tw_route_id(req, 0), channel;
	enum tw_err	 rc;

	if (id <= 0 || (rc = tw_category_channel(req->arena, id,
	    &channel)) == TW_ERR_NOTFOUND)
		return TW_ERR_NOTFOUND;
	if (rc != TW_OK)
		return rc;
	if ((rc = read_category(req, &name)) != TW_OK)
		return refused_channel(req, channel, rc);
	rc = tw_category_rename(req->arena, id, name);
	return category_answer(req, channel, rc, 200, id, name);
}

enum tw_err
admin_category_remove(struct tw_request *req)
{
	long long	id = tw_route_id(req, 0), channel;
	enum tw_err	rc;

	if (id <= 0 || (rc = tw_category_channel(req->arena, id,
	    &channel)) == TW_ERR_NOTFOUND)
		return TW_ERR_NOTFOUND;
	if (rc != TW_OK)
		return rc;
	rc = tw_category_remove(id);
	return category_answer(req, channel, rc, 200, id, NULL);
}
