/*
 * ticket.c: opening a ticket, showing one, and adding items to it.
 */
#include "config.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <fcgiapp.h>
#include <json-c/json.h>

#include "arena.h"
#include "channel.h"
#include "contact.h"
#include "crypto.h"
#include "db.h"
#include "handlers.h"
#include "i18n.h"
#include "merge.h"
#include "request.h"
#include "response.h"
#include "ticket.h"
#include "ticket_change.h"
#include "valid.h"
#include "view.h"

long long
ticket_route_number(const struct tw_request *req)
{
	const char	*s = req->route_params[0];
	char		*end;
	long long	 n;

	if (s == NULL)
		return 0;
	if (*s == '#')
		s++;
	if (!isdigit((unsigned char)*s) || strlen(s) > 18)
		return 0;
	n = strtoll(s, &end, 10);
	return *end == '\0' ? n : 0;
}

/*
 * A client's idempotency key, from the Idempotency-Key header or the
 * request_key field: 1..64 of [A-Za-z0-9_-], optionally in quotes as the
 * IETF draft sends it.  *key is NULL when none was sent; a malformed key
 * fails the request, since ignoring it would double tickets on retry.
 */
static enum tw_err
request_key(struct tw_request *req, const char **key)
{
	const char	*k = FCGX_GetParam("HTTP_IDEMPOTENCY_KEY",
	    req->fcgi->envp);
	size_t		 i, n;

	*key = NULL;
	if (k == NULL)
		k = tw_req_field(req, "request_key");
	if (k == NULL || *k == '\0')
		return TW_OK;

	n = strlen(k);
	if (k[0] == '"' && n >= 2 && k[n - 1] == '"')
		k = tw_arena_strndup(req->arena, k + 1, n - 2);
	for (i = 0; k[i] != '\0'; i++)
		if (!isalnum((unsigned char)k[i]) && k[i] != '-' &&
		    k[i] != '_')
			break;
	if (i == 0 || k[i] != '\0' || i > 64)
		return tw_fail(req, TW_ERR_INVALID, "request_key",
		    tw_t(req->lang, "error_request_key"));
	*key = k;
	return TW_OK;
}

static struct json_object *
channel_options(struct tw_request *req, long long selected)
{
	struct json_object	*list, *o;
	struct tw_rows		*rows;
	size_t			 i;

	list = json_object_new_array();
	if (tw_channel_handled(req->arena, req->user->id, &rows) != TW_OK)
		return list;
	for (i = 0; i < rows->nrows; i++) {
		o = tw_rows_json(rows, i);
		tw_json_set(o, "selected", json_object_new_boolean(
		    tw_rows_int(rows, i, "id", 0) == selected));
		json_object_array_add(list, o);
	}
	return list;
}

static struct json_object *
priority_options(long long selected)
{
	struct json_object	*list = json_object_new_array(), *o;
	int			 p;

	for (p = 1; p <= 9; p++) {
		o = json_object_new_object();
		tw_json_set(o, "value", json_object_new_int(p));
		tw_json_set(o, "selected",
		    json_object_new_boolean(p == selected));
		json_object_array_add(list, o);
	}
	return list;
}

/* The contact a new ticket is for (from the form or ?contact=), if any. */
static void
add_contact(struct tw_request *req, struct json_object *m)
{
	struct tw_rows	*c, *e, *p;
	const char	*v = tw_req_param(req, "contact");
	long long	 id = v != NULL ? atoll(v) : 0;

	if (id <= 0 || tw_contact_get(req->arena, id, &c, &e, &p) != TW_OK)
		return;
	tw_json_set(m, "contact", tw_rows_json(c, 0));
}

/* The new-ticket form, empty or with what was sent and why it failed. */
static enum tw_err
render_new(struct tw_request *req, int status)
{
	struct json_object	*m = json_object_new_object();
	char			 key[TW_TOKEN_HEX + 1];
	const char		*v;
	long long		 channel, priority;

	channel = atoll((v = tw_req_field(req, "channel")) ? v : "0");
	priority = atoll((v = tw_req_field(req, "priority")) ? v : "5");
	tw_json_set(m, "channels", channel_options(req, channel));
	tw_json_set(m, "priorities", priority_options(priority));
	tw_json_set(m, "on_behalf", json_object_new_boolean(
	    (v = tw_req_field(req, "type")) == NULL ||
	    strcmp(v, "internal") != 0));

	if ((v = tw_req_field(req, "subject")) != NULL)
		tw_json_set(m, "subject",
		    json_object_new_string(v));
	if ((v = tw_req_field(req, "body")) != NULL)
		tw_json_set(m, "body", json_object_new_string(v));
	add_contact(req, m);

	/* A resubmitted form keeps its key so a retry cannot double it. */
	if ((request_key(req, &v) != TW_OK || v == NULL) &&
	    tw_token_new(key) == TW_OK)
		v = key;
	tw_json_set(m, "request_key", json_object_new_string(v));

	tw_view_add_error(req, m);
	return tw_view(req, status, "ticket_new", m);
}

enum tw_err
ticket_new_form(struct tw_request *req)
{
	return render_new(req, 200);
}

/* The optional contact of a new ticket: the id of one that exists. */
static enum tw_err
read_contact(struct tw_request *req, long long *id)
{
	struct tw_rows	*c, *e, *p;
	enum tw_err	 rc;

	if ((rc = tw_valid_int(req, "contact", 1, LLONG_MAX, 0, id)) !=
	    TW_OK || *id == 0)
		return rc;
	rc = tw_contact_get(req->arena, *id, &c, &e, &p);
	if (rc == TW_ERR_NOTFOUND)
		return tw_fail(req, TW_ERR_INVALID, "contact",
		    tw_t(req->lang, "error_contact"));
	return rc;
}

static enum tw_err
read_new_ticket(struct tw_request *req, struct tw_ticket_new *t)
{
	const char	*type;
	long long	 channel, priority;
	enum tw_err	 rc;

	if ((rc = tw_valid_text(req, "subject", 1, TW_TICKET_SUBJECT_MAX,
	    TW_TEXT_LINE, &t->subject)) != TW_OK)
		return rc;
	if ((rc = tw_valid_text(req, "body", 0, TW_TICKET_BODY_MAX,
	    TW_TEXT_OPTIONAL, &t->body)) != TW_OK)
		return rc;
	if ((rc = tw_valid_int_required(req, "channel", 1, LLONG_MAX,
	    &channel)) != TW_OK)
		return rc;
	if ((rc = tw_valid_int(req, "priority", 1, 9, 5, &priority)) != TW_OK)
		return rc;
	if ((rc = tw_valid_text(req, "type", 0, 20, TW_TEXT_LINE |
	    TW_TEXT_OPTIONAL, &type)) != TW_OK)
		return rc;
	if ((rc = read_contact(req, &t->contact_id)) != TW_OK)
		return rc;

	/* Mail and web form tickets come from the intake, not from here. */
	if (*type == '\0')
		t->type = TW_TICKET_ON_BEHALF;
	else if (!tw_ticket_type_parse(type, &t->type) ||
	    (t->type != TW_TICKET_ON_BEHALF && t->type != TW_TICKET_INTERNAL))
		return tw_fail(req, TW_ERR_INVALID, "type",
		    tw_t(req->lang, "error_ticket_type"));

	t->channel_id = channel;
	t->priority = (int)priority;
	return request_key(req, &t->request_key);
}

/*
 * The ticket's object of the page: its row, without the any_* columns,
 * which tell the page what to look for, and the addresses the reply
 * form is made from ("reply" shows what comes of them).
 */
static struct json_object *
ticket_shown(struct tw_request *req, const struct tw_rows *ticket)
{
	struct json_object	*o = ticket_view(req, ticket, 0);

	json_object_object_del(o, "any_reminder");
	json_object_object_del(o, "any_appointment");
	json_object_object_del(o, "any_attachment");
	json_object_object_del(o, "any_mail");
	json_object_object_del(o, "channel_email");
	json_object_object_del(o, "contact_email");
	return o;
}

static enum tw_err
show(struct tw_request *req, long long number, int status)
{
	struct json_object	*m, *list, *o;
	struct tw_rows		*ticket, *items;
	size_t			 i;
	enum tw_err		 rc;

	rc = tw_ticket_get(req->arena, req->user, number, &ticket, &items);
	if (rc != TW_OK)
		return rc;

	/* A merged ticket's number leads to the ticket it lives on in. */
	if (tw_rows_str(ticket, 0, "merged_into") != NULL)
		return tw_resp_redirect(req, tw_arena_printf(req->arena,
		    "/tickets/%s", tw_rows_str(ticket, 0, "merged_into")));

	m = json_object_new_object();
	tw_json_set(m, "title", json_object_new_string(
	    tw_arena_printf(req->arena, "#%s %s", tw_rows_str(ticket, 0,
	    "number"), tw_rows_str(ticket, 0, "subject"))));
	tw_json_set(m, "ticket", ticket_shown(req, ticket));
	list = json_object_new_array_ext((int)items->nrows);
	for (i = 0; i < items->nrows; i++) {
		o = tw_rows_json(items, i);
		add_datetime(req, o, "created_at");
		if (strcmp(tw_rows_str(items, i, "kind"), "system") == 0)
			history_view(req, o, tw_rows_str(items, i, "body"));
		tw_json_set(o, "kind_label", json_object_new_string(
		    tw_t(req->lang, tw_arena_concat(req->arena, "kind_",
		    tw_rows_str(items, i, "kind")))));
		tw_json_set(o, "customer_visible",
		    json_object_new_boolean(strcmp(tw_rows_str(items, i,
		    "visibility"), "customer") == 0));
		json_object_array_add(list, o);
	}
	add_attachments(req, tw_rows_int(ticket, 0, "id", 0), number, list,
	    tw_rows_int(ticket, 0, "any_attachment", 1) != 0);
	reply_view(req, m, ticket, items, list);
	tw_json_set(m, "items", list);
	tw_json_set(m, "can_write", json_object_new_boolean(
	    strcmp(tw_rows_str(ticket, 0, "my_role"), "handles") == 0));
	ticket_follow_view(req, m, ticket);

	if (req->fail_message != NULL) {
		tw_json_set(m, "error",
		    json_object_new_string(req->fail_message));
		if (tw_req_field(req, "body") != NULL)
			tw_json_set(m, "draft",
			    json_object_new_string(tw_req_field(req, "body")));
	}
	change_page(req, m, ticket, status);
	return tw_view(req, status, "ticket", m);
}

enum tw_err
ticket_page(struct tw_request *req, long long number, int status)
{
	return show(req, number, status);
}

enum tw_err
ticket_create(struct tw_request *req)
{
	struct tw_ticket_new	 t;
	struct tw_attachment_ref *refs;
	long long		 number = 0;
	enum tw_err		 rc;

	memset(&t, 0, sizeof(t));
	if ((rc = read_new_ticket(req, &t)) != TW_OK) {
		if (req->wants_json || rc != TW_ERR_INVALID)
			return rc;
		return render_new(req, 422);
	}
	if ((rc = read_attachments(req, 0, t.channel_id, &refs,
	    &t.nattachments)) != TW_OK)
		return rc;
	t.attachments = refs;

	rc = tw_ticket_create(req->arena, req->user, &t, &number);
	if (rc == TW_ERR_NOTFOUND) {
		rc = tw_fail(req, TW_ERR_INVALID, "channel",
		    tw_t(req->lang, "error_channel"));
		return req->wants_json ? rc : render_new(req, 422);
	}
	if (rc != TW_OK)
		return rc;

	tw_resp_header(req, "Location",
	    tw_arena_printf(req->arena, "/tickets/%lld", number));
	if (req->wants_json)
		return show(req, number, 201);
	return tw_resp_redirect(req,
	    tw_arena_printf(req->arena, "/tickets/%lld", number));
}

enum tw_err
ticket_show(struct tw_request *req)
{
	long long	number = ticket_route_number(req);

	if (number <= 0)
		return TW_ERR_NOTFOUND;
	return show(req, number, 200);
}

static enum tw_err
read_item(struct tw_request *req, struct tw_item_new *it)
{
	const char	*kind, *vis;
	enum tw_err	 rc;

	/* A file may come without words. */
	tw_valid_label(req, "body", "field_note");
	if ((rc = tw_valid_text(req, "body", 1, TW_TICKET_BODY_MAX,
	    req->form.nuploads > 0 ? TW_TEXT_OPTIONAL : 0, &it->body)) !=
	    TW_OK)
		return rc;
	if ((rc = tw_valid_text(req, "kind", 0, 20, TW_TEXT_LINE |
	    TW_TEXT_OPTIONAL, &kind)) != TW_OK)
		return rc;
	if ((rc = tw_valid_text(req, "visibility", 0, 20, TW_TEXT_LINE |
	    TW_TEXT_OPTIONAL, &vis)) != TW_OK)
		return rc;

	/* Agents add notes, calls, internal items and mail to the
	 * customer here; incoming mail and system items are written by the
	 * system itself. */
	if (*kind == '\0')
		it->kind = TW_ITEM_NOTE;
	else if (!tw_item_kind_parse(kind, &it->kind) ||
	    (it->kind != TW_ITEM_NOTE && it->kind != TW_ITEM_CALL &&
	    it->kind != TW_ITEM_INTERNAL && it->kind != TW_ITEM_EMAIL_OUT))
		return tw_fail(req, TW_ERR_INVALID, "kind",
		    tw_t(req->lang, "error_item_kind"));

	if (*vis == '\0' || strcmp(vis, "internal") == 0)
		it->customer_visible = 0;
	else if (strcmp(vis, "customer") == 0)
		it->customer_visible = 1;
	else
		return tw_fail(req, TW_ERR_INVALID, "visibility",
		    tw_t(req->lang, "error_visibility"));
	if (it->kind == TW_ITEM_INTERNAL)
		it->customer_visible = 0;
	return TW_OK;
}

enum tw_err
ticket_add_item(struct tw_request *req)
{
	struct tw_item_new	 it;
	struct tw_ticket_change	 ch;
	struct tw_attachment_ref *refs;
	struct json_object	*m;
	long long		 number = ticket_route_number(req), id = 0;
	enum tw_err		 rc;

	if (number <= 0)
		return TW_ERR_NOTFOUND;
	memset(&it, 0, sizeof(it));
	if ((rc = read_item(req, &it)) != TW_OK ||
	    (it.kind == TW_ITEM_EMAIL_OUT &&
	    (rc = reply_read(req, number, &it)) != TW_OK) ||
	    (rc = change_read(req, &ch, 1)) != TW_OK) {
		if (req->wants_json || rc != TW_ERR_INVALID)
			return rc;
		return show(req, number, 422);
	}
	it.change = &ch;
	if ((rc = read_attachments(req, number, 0, &refs,
	    &it.nattachments)) != TW_OK)
		return rc;
	it.attachments = refs;

	rc = tw_ticket_add_item(req->arena, req->user, number, &it, &id);
	if (rc == TW_ERR_INVALID || rc == TW_ERR_CONFLICT)
		return change_refused(req, number, &ch, rc);
	if (rc != TW_OK)
		return rc;

	if (req->wants_json) {
		m = json_object_new_object();
		tw_json_set(m, "id", json_object_new_int64(id));
		tw_json_set(m, "ticket",
		    json_object_new_int64(number));
		tw_json_set(m, "kind",
		    json_object_new_string(tw_item_kind_name(it.kind)));
		return tw_view(req, 201, "ticket", m);
	}
	return tw_resp_redirect(req, tw_arena_printf(req->arena,
	    "/tickets/%lld#item-%lld", number, id));
}
