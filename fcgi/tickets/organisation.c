/*
 * organisation.c: the list of organisations, creating one, and the
 * customer file: an organisation with its contacts and tickets.
 */
#include "config.h"

#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "db.h"
#include "handlers.h"
#include "i18n.h"
#include "organisation.h"
#include "request.h"
#include "route.h"
#include "response.h"
#include "valid.h"
#include "view.h"

#define SEARCH_MAX	200

static enum tw_err
render_list(struct tw_request *req, int status, const char *q)
{
	struct json_object	*m, *list;
	struct tw_rows		*rows;
	const char		*v;
	size_t			 i;
	int			 more;
	enum tw_err		 rc;

	if ((rc = tw_org_search(req->arena, q, &rows, &more)) != TW_OK)
		return rc;

	m = json_object_new_object();
	list = json_object_new_array_ext((int)rows->nrows);
	for (i = 0; i < rows->nrows; i++)
		json_object_array_add(list, tw_rows_json(rows, i));
	tw_json_set(m, "q", json_object_new_string(q));
	tw_json_set(m, "organisations", list);
	tw_json_set(m, "more", json_object_new_boolean(more));
	tw_json_set(m, "empty",
	    json_object_new_boolean(rows->nrows == 0));

	/* A failed create shows the form again with what was sent. */
	if (req->fail_message != NULL) {
		tw_json_set(m, "error",
		    json_object_new_string(req->fail_message));
		if ((v = tw_req_field(req, "name")) != NULL)
			tw_json_set(m, "name",
			    json_object_new_string(v));
		if ((v = tw_req_field(req, "customer_number")) != NULL)
			tw_json_set(m, "customer_number",
			    json_object_new_string(v));
	}
	return tw_view(req, status, "organisations", m);
}

enum tw_err
org_list(struct tw_request *req)
{
	const char	*q;
	enum tw_err	 rc;

	tw_valid_label(req, "q", "field_search");
	if ((rc = tw_valid_text(req, "q", 0, SEARCH_MAX, TW_TEXT_LINE |
	    TW_TEXT_OPTIONAL, &q)) != TW_OK)
		return rc;
	return render_list(req, 200, q);
}

static enum tw_err
show(struct tw_request *req, long long id, int status)
{
	struct json_object	*m, *o, *list, *c;
	struct tw_rows		*org, *contacts, *tickets;
	size_t			 i;
	int			 more;
	enum tw_err		 rc;

	rc = tw_org_file(req->arena, req->user, id, &org, &contacts,
	    &tickets, &more);
	if (rc != TW_OK)
		return rc;

	m = json_object_new_object();
	o = tw_rows_json(org, 0);
	add_datetime(req, o, "created_at");
	tw_json_set(m, "title", json_object_new_string(
	    tw_rows_str(org, 0, "name")));
	tw_json_set(m, "organisation", o);
	list = json_object_new_array_ext((int)contacts->nrows);
	for (i = 0; i < contacts->nrows; i++) {
		c = tw_rows_json(contacts, i);
		json_object_array_add(list, c);
	}
	tw_json_set(m, "contacts", list);
	tw_json_set(m, "tickets", ticket_list_view(req, tickets));
	tw_json_set(m, "has_tickets",
	    json_object_new_boolean(tickets->nrows > 0));
	if (more)
		json_object_object_add(m, "all_tickets", json_object_new_string(
		    tw_arena_printf(req->arena, "/tickets/?organisation=%lld",
		    id)));
	return tw_view(req, status, "organisation", m);
}

enum tw_err
org_show(struct tw_request *req)
{
	long long	id = tw_route_id(req, 0);

	return id > 0 ? show(req, id, 200) : TW_ERR_NOTFOUND;
}

enum tw_err
org_create(struct tw_request *req)
{
	const char	*name, *number;
	long long	 id = 0;
	enum tw_err	 rc;

	if ((rc = tw_valid_text(req, "name", 1, TW_ORG_NAME_MAX,
	    TW_TEXT_LINE, &name)) != TW_OK)
		goto failed;
	if ((rc = tw_valid_text(req, "customer_number", 0, TW_ORG_NUMBER_MAX,
	    TW_TEXT_LINE | TW_TEXT_OPTIONAL, &number)) != TW_OK)
		goto failed;

	rc = tw_org_create(name, *number != '\0' ? number : NULL, &id);
	if (rc == TW_ERR_CONFLICT)
		rc = tw_fail(req, TW_ERR_INVALID, "customer_number",
		    tw_t(req->lang, "error_customer_number_taken"));
	if (rc != TW_OK)
		goto failed;

	tw_resp_header(req, "Location",
	    tw_arena_printf(req->arena, "/organisations/%lld", id));
	if (req->wants_json)
		return show(req, id, 201);
	return tw_resp_redirect(req,
	    tw_arena_printf(req->arena, "/organisations/%lld", id));

failed:
	if (req->wants_json || rc != TW_ERR_INVALID)
		return rc;
	return render_list(req, 422, "");
}
