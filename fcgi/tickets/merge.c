/*
 * merge.c: merging a ticket into another and splitting items off.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "db.h"
#include "handlers.h"
#include "i18n.h"
#include "merge.h"
#include "request.h"
#include "response.h"
#include "ticket.h"
#include "valid.h"
#include "view.h"

#define SPLIT_ITEMS_MAX	500

static enum tw_err
answer_moved(struct tw_request *req, int status, const char *key,
    long long number)
{
	struct json_object	*m;
	const char		*where;

	where = tw_arena_printf(req->arena, "/tickets/%lld", number);
	if (!req->wants_json)
		return tw_resp_redirect(req, where);
	tw_resp_header(req, "Location", where);
	m = json_object_new_object();
	json_object_object_add(m, key, json_object_new_int64(number));
	return tw_view(req, status, "ticket", m);
}

/* Maps the domain's refusal to a sentence naming what was wrong. */
static enum tw_err
refuse(struct tw_request *req, enum tw_err rc, const char *field,
    const char *key)
{
	if (rc == TW_ERR_INVALID)
		return tw_fail(req, rc, field, tw_t(req->lang, key));
	return rc;
}

enum tw_err
ticket_merge(struct tw_request *req)
{
	long long	source = ticket_route_number(req), target;
	enum tw_err	rc;

	if (source <= 0)
		return TW_ERR_NOTFOUND;
	if ((rc = tw_valid_int_required(req, "target", 1, LLONG_MAX,
	    &target)) != TW_OK)
		return rc;

	rc = tw_ticket_merge(req->arena, req->user, source, target);
	if (rc == TW_ERR_NOTFOUND && tw_ticket_resolve(req->arena, req->user,
	    source) == source)
		return tw_fail(req, TW_ERR_INVALID, "target",
		    tw_t(req->lang, "error_merge_target"));
	if (rc != TW_OK)
		return refuse(req, rc, "target", "error_merge");
	return answer_moved(req, 200, "merged_into", target);
}

static enum tw_err
render_split(struct tw_request *req, long long number, int status)
{
	struct json_object	*m, *list, *o;
	struct tw_rows		*ticket, *items;
	size_t			 i;
	enum tw_err		 rc;

	rc = tw_ticket_get(req->arena, req->user, number, &ticket, &items);
	if (rc != TW_OK)
		return rc;

	m = json_object_new_object();
	tw_json_set(m, "ticket", ticket_view(req, ticket, 0));
	list = json_object_new_array();
	for (i = 0; i < items->nrows; i++) {
		if (strcmp(tw_rows_str(items, i, "kind"), "system") == 0)
			continue;
		o = tw_rows_json(items, i);
		add_datetime(req, o, "created_at");
		json_object_array_add(list, o);
	}
	tw_json_set(m, "items", list);
	tw_json_set(m, "subject", json_object_new_string(
	    tw_req_field(req, "subject") != NULL ?
	    tw_req_field(req, "subject") : tw_rows_str(ticket, 0, "subject")));
	tw_view_add_error(req, m);
	return tw_view(req, status, "ticket_split", m);
}

enum tw_err
ticket_split_form(struct tw_request *req)
{
	long long	number = ticket_route_number(req);

	if (number <= 0)
		return TW_ERR_NOTFOUND;
	return render_split(req, number, 200);
}

/* The ids in the repeated field "item" (form) or array "items" (JSON). */
static enum tw_err
read_items(struct tw_request *req, long long **out, size_t *n)
{
	struct json_object	*arr, *v;
	const char		*s;
	char			*end;
	size_t			 i, count;

	*n = 0;
	if (req->json != NULL) {
		if (!json_object_object_get_ex(req->json, "items", &arr) ||
		    !json_object_is_type(arr, json_type_array))
			goto none;
		count = json_object_array_length(arr);
	} else
		count = tw_form_count(&req->form, "item");
	if (count == 0 || count > SPLIT_ITEMS_MAX)
		goto none;

	*out = tw_arena_calloc(req->arena, count, sizeof(**out));
	for (i = 0; i < req->form.nparams && req->json == NULL; i++) {
		if (strcmp(req->form.params[i].name, "item") != 0)
			continue;
		s = req->form.params[i].value;
		(*out)[*n] = strtoll(s, &end, 10);
		if (*s == '\0' || *end != '\0' || (*out)[*n] <= 0)
			goto none;
		(*n)++;
	}
	for (i = 0; req->json != NULL && i < count; i++) {
		v = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(v, json_type_int) ||
		    json_object_get_int64(v) <= 0)
			goto none;
		(*out)[(*n)++] = json_object_get_int64(v);
	}
	return TW_OK;

none:
	return tw_fail(req, TW_ERR_INVALID, "items",
	    tw_t(req->lang, "error_split_items"));
}

enum tw_err
ticket_split(struct tw_request *req)
{
	long long	 source = ticket_route_number(req), number = 0;
	long long	*items = NULL;
	const char	*subject;
	size_t		 nitems = 0;
	enum tw_err	 rc;

	if (source <= 0)
		return TW_ERR_NOTFOUND;
	if ((rc = tw_valid_text(req, "subject", 1, TW_TICKET_SUBJECT_MAX,
	    TW_TEXT_LINE, &subject)) != TW_OK ||
	    (rc = read_items(req, &items, &nitems)) != TW_OK)
		goto invalid;

	rc = tw_ticket_split(req->arena, req->user, source, items, nitems,
	    subject, &number);
	if (rc == TW_OK)
		return answer_moved(req, 201, "number", number);
	rc = refuse(req, rc, "items", "error_split_items");

invalid:
	if (rc != TW_ERR_INVALID || req->wants_json)
		return rc;
	return render_split(req, source, 422);
}
