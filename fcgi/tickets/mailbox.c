/*
 * mailbox.c: administration of the mailboxes polled over IMAP
 * (administrators only; the routes carry TW_ROUTE_ADMIN): the list with
 * each mailbox's state, adding, changing, switching on and off, deleting.
 * A password is written, never shown; left empty on a change, the stored
 * one stays.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "channel.h"
#include "db.h"
#include "handlers.h"
#include "i18n.h"
#include "imap_parse.h"
#include "log.h"
#include "mailbox.h"
#include "request.h"
#include "response.h"
#include "route.h"
#include "valid.h"
#include "view.h"

/* The fields a form sends back when it is shown again. */
static const char *const form_fields[] = {
	"name", "url", "username", "channel", "poll_seconds",
	"unknown_senders", NULL
};

/* Row i as a view object: flags as booleans, dates and the error in words. */
static struct json_object *
mailbox_view(struct tw_request *req, const struct tw_rows *r, size_t i)
{
	struct json_object	*o = tw_rows_json(r, i);
	const char		*error = tw_rows_str(r, i, "last_error");

	json_object_object_add(o, "enabled", json_object_new_boolean(
	    tw_rows_int(r, i, "enabled", 0) != 0));
	json_object_object_add(o, "has_password", json_object_new_boolean(
	    tw_rows_int(r, i, "has_password", 0) != 0));
	json_object_object_add(o, "unassigned", json_object_new_boolean(
	    strcmp(tw_rows_str(r, i, "unknown_senders"), "unassigned") == 0));
	add_datetime(req, o, "last_poll_at");
	add_datetime(req, o, "last_error_at");
	if (error != NULL)
		json_object_object_add(o, "last_error_text",
		    json_object_new_string(tw_t(req->lang, tw_arena_printf(
		    req->arena, "mailbox_error_%s", error))));
	return o;
}

/*
 * The channels to choose from, the one with id selected marked (a form
 * shown again keeps its choice).
 */
static enum tw_err
add_channels(struct tw_request *req, struct json_object *m, long long id)
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
		json_object_object_add(o, "id", json_object_new_int64(
		    tw_rows_int(r, i, "id", 0)));
		json_object_object_add(o, "name", json_object_new_string(
		    tw_rows_str(r, i, "name")));
		json_object_object_add(o, "selected", json_object_new_boolean(
		    tw_rows_int(r, i, "id", 0) == id));
		json_object_array_add(list, o);
	}
	json_object_object_add(m, "channels", list);
	return TW_OK;
}

/*
 * Puts what the failed form sent over the values in o, so the page shows
 * them again (never the password).  Returns the channel it chose, or def.
 */
static long long
keep_entered(struct tw_request *req, struct json_object *o, long long def)
{
	const char	*v;
	size_t		 i;
	int		 on;

	for (i = 0; form_fields[i] != NULL; i++)
		if ((v = tw_req_field(req, form_fields[i])) != NULL)
			json_object_object_add(o, form_fields[i],
			    json_object_new_string(v));
	v = tw_req_field(req, "unknown_senders");
	if (v != NULL)
		json_object_object_add(o, "unassigned",
		    json_object_new_boolean(strcmp(v, "unassigned") == 0));
	v = tw_req_field(req, "enabled");
	on = v != NULL && (strcmp(v, "1") == 0 || strcmp(v, "on") == 0 ||
	    strcmp(v, "true") == 0);
	json_object_object_add(o, "enabled", json_object_new_boolean(on));
	v = tw_req_field(req, "channel");
	return v != NULL ? strtoll(v, NULL, 10) : def;
}

static enum tw_err
render_list(struct tw_request *req, int status)
{
	struct json_object	*m, *list, *form;
	struct tw_rows		*r;
	long long		 channel = 0;
	size_t			 i;
	enum tw_err		 rc;

	if ((rc = tw_mailbox_list(req->arena, &r)) != TW_OK)
		return rc;
	m = json_object_new_object();
	list = json_object_new_array_ext((int)r->nrows);
	for (i = 0; i < r->nrows; i++)
		json_object_array_add(list, mailbox_view(req, r, i));
	json_object_object_add(m, "mailboxes", list);
	json_object_object_add(m, "empty", json_object_new_boolean(
	    r->nrows == 0));

	/* The add form: its defaults, or what a failed try sent. */
	form = json_object_new_object();
	json_object_object_add(form, "poll_seconds",
	    json_object_new_int(TW_MAILBOX_POLL_DEFAULT));
	json_object_object_add(form, "enabled", json_object_new_boolean(1));
	if (status != 200)
		channel = keep_entered(req, form, 0);
	json_object_object_add(m, "form", form);
	if ((rc = add_channels(req, m, channel)) != TW_OK) {
		json_object_put(m);
		return rc;
	}
	tw_view_add_error(req, m);
	return tw_view(req, status, "admin_mailboxes", m);
}

static enum tw_err
render_one(struct tw_request *req, long long id, int status)
{
	struct json_object	*m, *o;
	struct tw_rows		*r;
	long long		 channel;
	enum tw_err		 rc;

	if ((rc = tw_mailbox_get(req->arena, id, &r)) != TW_OK)
		return rc;
	m = json_object_new_object();
	o = mailbox_view(req, r, 0);
	channel = tw_rows_int(r, 0, "channel_id", 0);
	if (status != 200 && status != 201)
		channel = keep_entered(req, o, channel);
	json_object_object_add(m, "mailbox", o);
	json_object_object_add(m, "title", json_object_new_string(
	    tw_rows_str(r, 0, "name")));
	if ((rc = add_channels(req, m, channel)) != TW_OK) {
		json_object_put(m);
		return rc;
	}
	tw_view_add_error(req, m);
	return tw_view(req, status, "admin_mailbox", m);
}

enum tw_err
admin_mailboxes(struct tw_request *req)
{
	return render_list(req, 200);
}

enum tw_err
admin_mailbox(struct tw_request *req)
{
	long long	id = tw_route_id(req, 0);

	return id > 0 ? render_one(req, id, 200) : TW_ERR_NOTFOUND;
}

/* A refusal naming field, with the sentence of catalog key. */
static enum tw_err
refuse(struct tw_request *req, const char *field, const char *key)
{
	return tw_fail(req, TW_ERR_INVALID, field, tw_t(req->lang, key));
}

/*
 * Reads and checks a mailbox form into e.  Adding needs a password; a
 * change without one keeps the stored password.
 */
static enum tw_err
read_form(struct tw_request *req, struct tw_mailbox_edit *e, int adding)
{
	struct tw_imap_url	 url;
	const char		*problem;
	unsigned		 pw_flags = TW_TEXT_LINE | TW_TEXT_AS_TYPED;
	enum tw_err		 rc;

	memset(e, 0, sizeof(*e));
	if (!adding)
		pw_flags |= TW_TEXT_OPTIONAL;
	if ((rc = tw_valid_text(req, "name", 1, 100, TW_TEXT_LINE,
	    &e->name)) != TW_OK ||
	    (rc = tw_valid_text(req, "url", 1, 300, TW_TEXT_LINE,
	    &e->url)) != TW_OK ||
	    (rc = tw_valid_text(req, "username", 1, 255, TW_TEXT_LINE,
	    &e->username)) != TW_OK ||
	    (rc = tw_valid_text(req, "password", 1, TW_MAILBOX_PASSWORD_MAX,
	    pw_flags, &e->password)) != TW_OK ||
	    (rc = tw_valid_int_required(req, "channel", 1, LLONG_MAX,
	    &e->channel_id)) != TW_OK ||
	    (rc = tw_valid_int(req, "poll_seconds", 0, LLONG_MAX,
	    TW_MAILBOX_POLL_DEFAULT, &e->poll_seconds)) != TW_OK ||
	    (rc = tw_valid_text(req, "unknown_senders", 0, 20, TW_TEXT_LINE |
	    TW_TEXT_OPTIONAL, &e->unknown_senders)) != TW_OK ||
	    (rc = tw_valid_bool(req, "enabled", &e->enabled)) != TW_OK)
		return rc;

	if (tw_imap_url_parse(req->arena, e->url, &url, &problem) != TW_OK)
		return refuse(req, "url", tw_arena_printf(req->arena,
		    "error_mailbox_%s", problem));
	if (e->poll_seconds < TW_MAILBOX_POLL_MIN ||
	    e->poll_seconds > TW_MAILBOX_POLL_MAX)
		return refuse(req, "poll_seconds", "error_mailbox_poll");
	if (*e->unknown_senders == '\0')
		e->unknown_senders = "domain";
	if (strcmp(e->unknown_senders, "domain") != 0 &&
	    strcmp(e->unknown_senders, "unassigned") != 0)
		return refuse(req, "unknown_senders", "error_mailbox_unknown");
	return TW_OK;
}

/* Maps what the library refused to a sentence about a field. */
static enum tw_err
refused_write(struct tw_request *req, enum tw_err rc)
{
	switch (rc) {
	case TW_ERR_CONFLICT:
		return refuse(req, "name", "error_mailbox_taken");
	case TW_ERR_NOTFOUND:
		return refuse(req, "channel", "error_mailbox_channel");
	case TW_ERR_UNAVAILABLE:	/* no [mail] key: ours to fix */
		return tw_fail(req, TW_ERR_INTERNAL, NULL, tw_t(req->lang,
		    "error_mailbox_key"));
	default:
		return rc;
	}
}

static void
log_change(struct tw_request *req, const char *event, long long id)
{
	char	n[24];

	snprintf(n, sizeof(n), "%lld", id);
	tw_log(TW_LOG_INFO, event, "req", req->id, "mailbox", n, "by",
	    req->user->login, (char *)NULL);
}

/* The answer to a change of mailbox id: the mailbox, or its page. */
static enum tw_err
answer(struct tw_request *req, long long id, int status)
{
	const char	*path = tw_arena_printf(req->arena,
	    "/admin/mailboxes/%lld", id);

	if (!req->wants_json)
		return tw_resp_redirect(req, path);
	if (status == 201)
		tw_resp_header(req, "Location", path);
	return render_one(req, id, status);
}

enum tw_err
admin_mailbox_add(struct tw_request *req)
{
	struct tw_mailbox_edit	e;
	long long		id = 0;
	enum tw_err		rc;

	if ((rc = read_form(req, &e, 1)) != TW_OK ||
	    (rc = tw_mailbox_add(req->arena, &e, &id)) != TW_OK) {
		rc = refused_write(req, rc);
		if (req->wants_json || rc != TW_ERR_INVALID)
			return rc;
		return render_list(req, 422);
	}
	log_change(req, "mailbox_added", id);
	return answer(req, id, 201);
}

enum tw_err
admin_mailbox_update(struct tw_request *req)
{
	struct tw_mailbox_edit	 e;
	struct tw_rows		*r;
	long long		 id = tw_route_id(req, 0);
	enum tw_err		 rc;

	if (id <= 0)
		return TW_ERR_NOTFOUND;
	if ((rc = tw_mailbox_get(req->arena, id, &r)) != TW_OK)
		return rc;
	if ((rc = read_form(req, &e, 0)) != TW_OK ||
	    (rc = tw_mailbox_update(req->arena, id, &e)) != TW_OK) {
		rc = refused_write(req, rc);
		if (req->wants_json || rc != TW_ERR_INVALID)
			return rc;
		return render_one(req, id, 422);
	}
	log_change(req, "mailbox_changed", id);
	return answer(req, id, 200);
}

enum tw_err
admin_mailbox_enable(struct tw_request *req)
{
	long long	id = tw_route_id(req, 0);
	int		enabled;
	enum tw_err	rc;

	if (id <= 0)
		return TW_ERR_NOTFOUND;
	if ((rc = tw_valid_bool(req, "enabled", &enabled)) != TW_OK ||
	    (rc = tw_mailbox_enable(id, enabled)) != TW_OK)
		return rc;
	log_change(req, enabled ? "mailbox_enabled" : "mailbox_disabled", id);
	return answer(req, id, 200);
}

enum tw_err
admin_mailbox_delete(struct tw_request *req)
{
	long long	id = tw_route_id(req, 0);
	enum tw_err	rc;

	if (id <= 0)
		return TW_ERR_NOTFOUND;
	if ((rc = tw_mailbox_delete(id)) != TW_OK)
		return rc;
	log_change(req, "mailbox_deleted", id);
	if (req->wants_json)
		return tw_resp_send(req, 204, "text/plain; charset=utf-8", "",
		    0);
	return tw_resp_redirect(req, "/admin/mailboxes/");
}
