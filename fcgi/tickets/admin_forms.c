/*
 * admin_forms.c: the administration of web forms (administrators only;
 * the routes carry TW_ROUTE_ADMIN): the list, adding one, and the page
 * of one form with its public address, the HTML to put on the website,
 * its settings, disabling it and replacing its key.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "channel.h"
#include "conf.h"
#include "db.h"
#include "handlers.h"
#include "i18n.h"
#include "log.h"
#include "request.h"
#include "response.h"
#include "route.h"
#include "valid.h"
#include "view.h"
#include "webform.h"

/* Row i of a form listing as JSON, with its public address. */
static struct json_object *
form_json(struct tw_request *req, const struct tw_rows *r, size_t i)
{
	struct json_object	*o = tw_rows_json(r, i);

	json_object_object_add(o, "address", json_object_new_string(
	    tw_conf_url(req->arena, tw_arena_printf(req->arena,
	    "/forms/%s", tw_rows_str(r, i, "public_key")))));
	json_object_object_add(o, "active", json_object_new_boolean(
	    tw_rows_int(r, i, "active", 0) != 0));
	return o;
}

/* The channels to choose from, the one with id chosen selected. */
static enum tw_err
add_channels(struct tw_request *req, struct json_object *m,
    long long chosen)
{
	struct json_object	*list, *o;
	struct tw_rows		*r;
	size_t			 i;
	enum tw_err		 rc;

	if ((rc = tw_channel_list(req->arena, &r)) != TW_OK)
		return rc;
	list = json_object_new_array_ext((int)r->nrows);
	for (i = 0; i < r->nrows; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "id",
		    json_object_new_int64(tw_rows_int(r, i, "id", 0)));
		json_object_object_add(o, "name",
		    json_object_new_string(tw_rows_str(r, i, "name")));
		json_object_object_add(o, "selected", json_object_new_boolean(
		    tw_rows_int(r, i, "id", 0) == chosen));
		json_object_array_add(list, o);
	}
	json_object_object_add(m, "channels", list);
	return TW_OK;
}

/* A text field as sent, for a form shown again; "" when absent. */
static struct json_object *
sent(struct tw_request *req, const char *field)
{
	const char	*v = tw_req_field(req, field);

	return json_object_new_string(v != NULL ? v : "");
}

/* The channel a refused form was sent with, or 0. */
static long long
sent_channel(struct tw_request *req)
{
	const char	*v = tw_req_field(req, "channel");

	return v != NULL ? strtoll(v, NULL, 10) : 0;
}

static enum tw_err
render_forms(struct tw_request *req, int status)
{
	struct json_object	*m = json_object_new_object(), *list, *add;
	struct tw_rows		*r;
	size_t			 i;
	enum tw_err		 rc;

	if ((rc = tw_webform_list(req->arena, &r)) != TW_OK ||
	    (rc = add_channels(req, m, status != 200 ? sent_channel(req) :
	    0)) != TW_OK) {
		json_object_put(m);
		return rc;
	}
	list = json_object_new_array_ext((int)r->nrows);
	for (i = 0; i < r->nrows; i++)
		json_object_array_add(list, form_json(req, r, i));
	json_object_object_add(m, "forms", list);
	json_object_object_add(m, "empty",
	    json_object_new_boolean(r->nrows == 0));

	/* A refused addition shows the form again as it was sent. */
	add = json_object_new_object();
	if (status != 200) {
		json_object_object_add(add, "name", sent(req, "name"));
		json_object_object_add(add, "thanks_url",
		    sent(req, "thanks_url"));
	}
	json_object_object_add(m, "add", add);
	tw_view_add_error(req, m);
	return tw_view(req, status, "admin_forms", m);
}

static enum tw_err
render_form(struct tw_request *req, long long id, int status)
{
	struct json_object	*m, *form;
	struct tw_rows		*r;
	enum tw_err		 rc;

	if ((rc = tw_webform_get(req->arena, id, &r)) != TW_OK)
		return rc;
	m = json_object_new_object();
	form = form_json(req, r, 0);
	if (status != 200) {
		json_object_object_add(form, "name", sent(req, "name"));
		json_object_object_add(form, "thanks_url",
		    sent(req, "thanks_url"));
	}
	json_object_object_add(m, "form", form);
	if ((rc = add_channels(req, m, tw_rows_int(r, 0, "channel_id",
	    0))) != TW_OK) {
		json_object_put(m);
		return rc;
	}
	tw_view_add_error(req, m);
	return tw_view(req, status, "admin_form", m);
}

/* The fields of a form's settings; active and new_key only on updates. */
static enum tw_err
read_edit(struct tw_request *req, struct tw_webform_edit *e, int update)
{
	enum tw_err	rc;

	memset(e, 0, sizeof(*e));
	e->active = 1;
	if ((rc = tw_valid_text(req, "name", 1, TW_WEBFORM_NAME_MAX,
	    TW_TEXT_LINE, &e->name)) != TW_OK ||
	    (rc = tw_valid_int_required(req, "channel", 1, LLONG_MAX,
	    &e->channel_id)) != TW_OK ||
	    (rc = tw_valid_text(req, "thanks_url", 0, TW_WEBFORM_URL_MAX,
	    TW_TEXT_LINE | TW_TEXT_OPTIONAL, &e->thanks_url)) != TW_OK)
		return rc;
	if (*e->thanks_url != '\0' && !tw_webform_url_valid(e->thanks_url))
		return tw_fail(req, TW_ERR_INVALID, "thanks_url",
		    tw_t(req->lang, "error_thanks_url"));
	if (!update)
		return TW_OK;
	if ((rc = tw_valid_bool(req, "active", &e->active)) != TW_OK)
		return rc;
	return tw_valid_bool(req, "new_key", &e->new_key);
}

/* The sentences for what the library refused; other codes stand. */
static enum tw_err
refused_edit(struct tw_request *req, enum tw_err rc)
{
	if (rc == TW_ERR_CONFLICT)
		return tw_fail(req, TW_ERR_INVALID, "name",
		    tw_t(req->lang, "error_form_taken"));
	if (rc == TW_ERR_INVALID)
		return tw_fail(req, TW_ERR_INVALID, "channel",
		    tw_t(req->lang, "error_form_channel"));
	return rc;
}

/* Answers a saved form: 303 to its page, or the form as JSON. */
static enum tw_err
saved(struct tw_request *req, long long id, int status)
{
	struct json_object	*m;
	struct tw_rows		*r;
	enum tw_err		 rc;

	if (!req->wants_json)
		return tw_resp_redirect(req, tw_arena_printf(req->arena,
		    "/admin/forms/%lld", id));
	if ((rc = tw_webform_get(req->arena, id, &r)) != TW_OK)
		return rc;
	m = json_object_new_object();
	json_object_object_add(m, "form", form_json(req, r, 0));
	return tw_view(req, status, "admin_form", m);
}

enum tw_err
admin_forms(struct tw_request *req)
{
	return render_forms(req, 200);
}

enum tw_err
admin_form_add(struct tw_request *req)
{
	struct tw_webform_edit	 e;
	long long		 id = 0;
	enum tw_err		 rc;

	if ((rc = read_edit(req, &e, 0)) == TW_OK)
		rc = refused_edit(req, tw_webform_add(req->arena, &e, &id));
	if (rc == TW_OK) {
		tw_log(TW_LOG_INFO, "form_added", "req", req->id,
		    "form", tw_arena_printf(req->arena, "%lld", id),
		    "by", req->user->login, (char *)NULL);
		return saved(req, id, 201);
	}
	if (req->wants_json || rc != TW_ERR_INVALID)
		return rc;
	return render_forms(req, 422);
}

enum tw_err
admin_form(struct tw_request *req)
{
	long long	id = tw_route_id(req, 0);

	return id > 0 ? render_form(req, id, 200) : TW_ERR_NOTFOUND;
}

enum tw_err
admin_form_update(struct tw_request *req)
{
	struct tw_webform_edit	 e;
	long long		 id = tw_route_id(req, 0);
	enum tw_err		 rc;

	if (id <= 0)
		return TW_ERR_NOTFOUND;
	if ((rc = read_edit(req, &e, 1)) == TW_OK)
		rc = refused_edit(req, tw_webform_update(req->arena, id, &e));
	if (rc == TW_OK) {
		tw_log(TW_LOG_INFO, "form_changed", "req", req->id,
		    "form", req->route_params[0], "active", e.active ? "1" :
		    "0", "new_key", e.new_key ? "1" : "0",
		    "by", req->user->login, (char *)NULL);
		return saved(req, id, 200);
	}
	if (req->wants_json || rc != TW_ERR_INVALID)
		return rc;
	return render_form(req, id, 422);
}
