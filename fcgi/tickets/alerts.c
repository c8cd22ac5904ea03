/*
 * alerts.c: the signed-in agent's alerts and due reminders, and the
 * counts of both in every page's navigation.
 */
#include "config.h"

#include <limits.h>
#include <string.h>

#include <json-c/json.h>

#include "alert.h"
#include "arena.h"
#include "db.h"
#include "handlers.h"
#include "i18n.h"
#include "reminder.h"
#include "request.h"
#include "response.h"
#include "valid.h"
#include "view.h"

/*
 * The layout hook (registered in main.c): alerts_unread and due_count
 * for the navigation.  A failed count leaves them out rather than
 * failing the page, which may be the error page of that very failure.
 */
void
alerts_layout(struct tw_request *req, struct json_object *m)
{
	long long	unread, due;

	/* A GET changes nothing, so what its session read still holds. */
	if ((tw_req_unsafe(req) || !tw_alert_counts_read(req->identity,
	    &unread, &due)) && tw_alert_counts(req->arena, req->user->id,
	    &unread, &due) != TW_OK)
		return;
	tw_json_set(m, "alerts_unread",
	    json_object_new_int64(unread));
	tw_json_set(m, "alerts_new",
	    json_object_new_boolean(unread > 0));
	tw_json_set(m, "due_count", json_object_new_int64(due));
	tw_json_set(m, "due_now", json_object_new_boolean(due > 0));
}

enum tw_err
alerts_list(struct tw_request *req)
{
	struct json_object	*m, *list, *o;
	struct tw_rows		*r;
	long long		 unread, due;
	size_t			 i;
	int			 mail;
	enum tw_err		 rc;

	if ((rc = tw_alert_list(req->arena, req->user->id, &r)) != TW_OK ||
	    (rc = tw_alert_counts(req->arena, req->user->id, &unread,
	    &due)) != TW_OK ||
	    (rc = tw_alert_mail_get(req->arena, req->user->id, &mail)) !=
	    TW_OK)
		return rc;

	m = json_object_new_object();
	list = json_object_new_array_ext((int)r->nrows);
	for (i = 0; i < r->nrows; i++) {
		o = tw_rows_json(r, i);
		add_datetime(req, o, "created_at");
		tw_json_set(o, "unread", json_object_new_boolean(
		    tw_rows_int(r, i, "unread", 0)));
		tw_json_set(o, "href", json_object_new_string(
		    tw_arena_printf(req->arena, "/tickets/%s#item-%s",
		    tw_rows_str(r, i, "number"), tw_rows_str(r, i,
		    "item_id"))));
		json_object_array_add(list, o);
	}
	tw_json_set(m, "alerts", list);
	tw_json_set(m, "has_alerts",
	    json_object_new_boolean(r->nrows > 0));
	tw_json_set(m, "unread", json_object_new_int64(unread));
	tw_json_set(m, "notify_email",
	    json_object_new_boolean(mail));
	return tw_view(req, 200, "alerts", m);
}

/* Switches alert mail on ("notify_email" 1) or off (0). */
enum tw_err
alerts_settings(struct tw_request *req)
{
	struct json_object	*m;
	long long		 on;
	enum tw_err		 rc;

	tw_valid_label(req, "notify_email", "field_notify_email");
	if ((rc = tw_valid_int_required(req, "notify_email", 0, 1, &on)) !=
	    TW_OK)
		return rc;
	if ((rc = tw_alert_mail_set(req->user->id, (int)on)) != TW_OK)
		return rc;

	if (!req->wants_json)
		return tw_resp_redirect(req, "/alerts/");
	m = json_object_new_object();
	tw_json_set(m, "notify_email",
	    json_object_new_boolean(on));
	return tw_view(req, 200, "alerts", m);
}

/* Marks the alert "id", or all of them when "all" is 1. */
enum tw_err
alerts_read(struct tw_request *req)
{
	struct json_object	*m;
	const char		*all = tw_req_field(req, "all");
	long long		 id = 0, unread, due;
	enum tw_err		 rc;

	if (all == NULL || strcmp(all, "1") != 0) {
		tw_valid_label(req, "id", "field_alert");
		if ((rc = tw_valid_int_required(req, "id", 1, LLONG_MAX,
		    &id)) != TW_OK)
			return rc;
	}
	if ((rc = tw_alert_read(req->arena, req->user->id, id)) != TW_OK)
		return rc;

	if (!req->wants_json)
		return tw_resp_redirect(req, "/alerts/");
	if ((rc = tw_alert_counts(req->arena, req->user->id, &unread,
	    &due)) != TW_OK)
		return rc;
	m = json_object_new_object();
	tw_json_set(m, "unread", json_object_new_int64(unread));
	return tw_view(req, 200, "alerts", m);
}

enum tw_err
due_list(struct tw_request *req)
{
	struct json_object	*m, *due, *upcoming, *o;
	struct tw_rows		*r;
	size_t			 i;
	enum tw_err		 rc;

	if ((rc = tw_reminder_list(req->arena, req->user->id, &r)) != TW_OK)
		return rc;

	m = json_object_new_object();
	due = json_object_new_array();
	upcoming = json_object_new_array();
	for (i = 0; i < r->nrows; i++) {
		o = tw_rows_json(r, i);
		add_datetime(req, o, "due_at");
		tw_json_set(o, "is_due", json_object_new_boolean(
		    tw_rows_int(r, i, "is_due", 0)));
		json_object_array_add(tw_rows_int(r, i, "is_due", 0) ? due :
		    upcoming, o);
	}
	tw_json_set(m, "due", due);
	tw_json_set(m, "upcoming", upcoming);
	tw_json_set(m, "has_reminders",
	    json_object_new_boolean(r->nrows > 0));
	return tw_view(req, 200, "due", m);
}
