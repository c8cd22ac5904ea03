/*
 * follow.c: staying informed about one ticket: its watchers, the
 * follow-up reminder, and what the ticket page shows of both and of the
 * ticket's appointments.
 */
#include "config.h"

#include <limits.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "appointment.h"
#include "arena.h"
#include "db.h"
#include "handlers.h"
#include "i18n.h"
#include "reminder.h"
#include "request.h"
#include "response.h"
#include "ticket.h"
#include "valid.h"
#include "view.h"
#include "watch.h"
#include "when.h"

/* Adds key as the rows of r, one object each, with dates formatted. */
static void
add_rows(struct tw_request *req, struct json_object *m, const char *key,
    const struct tw_rows *r, const char *const *dates)
{
	struct json_object	*list, *o;
	size_t			 i, d;

	list = json_object_new_array_ext((int)r->nrows);
	for (i = 0; i < r->nrows; i++) {
		o = tw_rows_json(r, i);
		for (d = 0; dates != NULL && dates[d] != NULL; d++)
			add_datetime(req, o, dates[d]);
		json_object_array_add(list, o);
	}
	tw_json_set(m, key, list);
}

/* The channel's agents as options {login, label, user_id, name}. */
static struct json_object *
watch_items(struct tw_request *req, void *channel)
{
	struct json_object	*list, *o;
	struct tw_rows		*r;
	size_t			 i;

	if (tw_watch_agents(req->arena, *(long long *)channel, &r) != TW_OK)
		return json_object_new_array();
	list = json_object_new_array_ext((int)r->nrows);
	for (i = 0; i < r->nrows; i++) {
		o = json_object_new_object();
		tw_json_set(o, "login", json_object_new_string(
		    tw_rows_str(r, i, "login")));
		tw_json_set(o, "label", json_object_new_string(
		    tw_rows_str(r, i, "name")));
		tw_json_set(o, "user_id", json_object_new_int64(
		    tw_rows_int(r, i, "user_id", 0)));
		tw_json_set(o, "name", json_object_new_string(
		    tw_rows_str(r, i, "name")));
		json_object_array_add(list, o);
	}
	return list;
}

/*
 * The channel's agents as HTML through partial: the watcher form's
 * options, and the appointment form's participants.
 */
static struct json_object *
agents_html(struct tw_request *req, long long channel, const char *partial)
{
	struct options_list	 list = { NULL, partial, "login", watch_items,
	    &channel };
	struct tw_buf		 b;
	int			 found;

	list.key = tw_arena_printf(req->arena, "%s:%lld", partial, channel);
	tw_buf_init(&b, req->arena);
	if (options_html(req, &list, NULL, &b, &found) != TW_OK)
		return NULL;
	return json_object_new_string_len(b.data, (int)b.len);
}

static void
add_watchers(struct tw_request *req, struct json_object *m,
    long long ticket_id, long long channel_id)
{
	struct tw_rows	*w, *channels;

	if (tw_watch_list(req->arena, ticket_id, &w) == TW_OK)
		add_rows(req, m, "watchers", w, NULL);
	if (req->wants_json || tw_watch_channels(req->arena, req->user->id,
	    &channels) != TW_OK)
		return;
	tw_json_set(m, "watch_agents", agents_html(req, channel_id,
	    "option_login"));
	tw_json_set(m, "participants", agents_html(req, channel_id,
	    "participant"));
	add_rows(req, m, "watch_channels", channels, NULL);
}

static void
add_reminder(struct tw_request *req, struct json_object *m,
    long long ticket_id)
{
	struct json_object	*o;
	struct tw_rows		*r;
	char			 input[32];
	time_t			 t;

	if (tw_reminder_of_ticket(req->arena, ticket_id, req->user->id,
	    &r) != TW_OK || r->nrows == 0)
		return;
	o = tw_rows_json(r, 0);
	add_datetime(req, o, "due_at");
	tw_json_set(o, "is_due", json_object_new_boolean(
	    tw_rows_int(r, 0, "is_due", 0)));
	if ((t = tw_i18n_parse_utc(tw_rows_str(r, 0, "due_at"))) != -1) {
		tw_when_input(t, input, sizeof(input));
		tw_json_set(o, "due_input",
		    json_object_new_string(input));
	}
	tw_json_set(m, "reminder", o);
}

/* The appointments, an empty list without looking when there is none. */
static void
add_appointments(struct tw_request *req, struct json_object *m,
    long long number, long long ticket_id, int any)
{
	static const char *const dates[] = { "starts_at", "ends_at", NULL };
	static struct tw_rows	 none;
	struct json_object	*list, *o;
	struct tw_rows		*r = &none;
	size_t			 i;

	if (any && tw_appointment_list(req->arena, ticket_id, &r) != TW_OK)
		return;
	add_rows(req, m, "appointments", r, dates);
	list = json_object_object_get(m, "appointments");
	for (i = 0; i < r->nrows; i++) {
		o = json_object_array_get_idx(list, i);
		tw_json_set(o, "ics", json_object_new_string(
		    tw_arena_printf(req->arena,
		    "/tickets/%lld/appointments/%s.ics", number,
		    tw_rows_str(r, i, "id"))));
		json_object_object_add(o, "edit", json_object_new_string(
		    tw_arena_printf(req->arena,
		    "/tickets/%lld/appointments/%s/edit", number,
		    tw_rows_str(r, i, "id"))));
		json_object_object_add(o, "cancelled", json_object_new_boolean(
		    tw_rows_int(r, i, "cancelled", 0)));
	}
}

/*
 * A form of this file failed: its name and sentence go to the model for
 * the page to show beside that form, with what was typed, and the
 * failure is taken off the request so the note form does not show it.
 */
static void
add_failure(struct tw_request *req, struct json_object *m)
{
	static const char *const echo[] = { "due", "note", "title",
	    "location", "start", "end", NULL };
	const char	*form = tw_req_field(req, "_form"), *v;
	struct json_object *f;
	size_t		 i;

	if (req->fail_message == NULL || form == NULL ||
	    (strcmp(form, "watch") != 0 && strcmp(form, "reminder") != 0 &&
	    strcmp(form, "appointment") != 0))
		return;
	f = json_object_new_object();
	tw_json_set(f, "message",
	    json_object_new_string(req->fail_message));
	for (i = 0; echo[i] != NULL; i++)
		if ((v = tw_req_field(req, echo[i])) != NULL)
			json_object_object_add(f, echo[i],
			    json_object_new_string(v));
	tw_json_set(m, tw_arena_printf(req->arena, "%s_failed",
	    form), f);
	req->fail_message = NULL;
}

void
ticket_follow_view(struct tw_request *req, struct json_object *m,
    const struct tw_rows *ticket)
{
	long long	id = tw_rows_int(ticket, 0, "id", 0);
	long long	number = tw_rows_int(ticket, 0, "number", 0);

	add_watchers(req, m, id, tw_rows_int(ticket, 0, "channel_id", 0));
	if (tw_rows_int(ticket, 0, "any_reminder", 1))
		add_reminder(req, m, id);
	add_appointments(req, m, number, id,
	    tw_rows_int(ticket, 0, "any_appointment", 1) != 0);
	if (!req->wants_json)
		add_failure(req, m);
}

/*
 * The answer to a successful change: the ticket's follow-up data as JSON
 * with status, or for a browser a redirect to anchor on the ticket page.
 */
enum tw_err
follow_done(struct tw_request *req, long long number, int status,
    const char *anchor)
{
	struct json_object	*m;
	struct tw_rows		*ticket, *items;
	enum tw_err		 rc;

	if (!req->wants_json)
		return tw_resp_redirect(req, tw_arena_printf(req->arena,
		    "/tickets/%lld#%s", number, anchor));

	rc = tw_ticket_get(req->arena, req->user, number, &ticket, &items);
	if (rc != TW_OK)
		return rc;
	m = json_object_new_object();
	tw_json_set(m, "ticket", json_object_new_int64(number));
	ticket_follow_view(req, m, ticket);
	return tw_view(req, status, "ticket", m);
}

/*
 * A failed change: 4xx as JSON, or the ticket page again with the
 * sentence beside the form for an invalid field.
 */
enum tw_err
follow_failed(struct tw_request *req, long long number, enum tw_err rc)
{
	if (req->wants_json || rc != TW_ERR_INVALID)
		return rc;
	return ticket_page(req, number, 422);
}

/* The agent (by login) or the channel (by id) a watcher form names. */
static enum tw_err
read_target(struct tw_request *req, struct tw_watch_target *t)
{
	const char	*login;
	long long	 channel;
	enum tw_err	 rc;

	if ((rc = tw_valid_text(req, "user", 0, 64, TW_TEXT_LINE |
	    TW_TEXT_OPTIONAL, &login)) != TW_OK)
		return rc;
	if ((rc = tw_valid_int(req, "channel", 1, LLONG_MAX, 0,
	    &channel)) != TW_OK)
		return rc;
	if ((*login == '\0') == (channel == 0))
		return tw_fail(req, TW_ERR_INVALID, "user",
		    tw_t(req->lang, "error_watch_target"));
	t->login = *login != '\0' ? login : NULL;
	t->channel_id = channel;
	return TW_OK;
}

enum tw_err
watchers_add(struct tw_request *req)
{
	struct tw_watch_target	t;
	long long		number = ticket_route_number(req);
	enum tw_err		rc;

	if (number <= 0)
		return TW_ERR_NOTFOUND;
	if ((rc = read_target(req, &t)) != TW_OK)
		return follow_failed(req, number, rc);

	rc = tw_watch_add(req->arena, req->user, number, &t);
	if (rc == TW_ERR_INVALID)
		rc = tw_fail(req, rc, t.login != NULL ? "user" : "channel",
		    tw_t(req->lang, t.login != NULL ? "error_watch_agent" :
		    "error_watch_channel"));
	if (rc != TW_OK)
		return follow_failed(req, number, rc);
	return follow_done(req, number, 200, "watchers");
}

enum tw_err
watchers_remove(struct tw_request *req)
{
	struct tw_watch_target	t;
	long long		number = ticket_route_number(req);
	enum tw_err		rc;

	if (number <= 0)
		return TW_ERR_NOTFOUND;
	if ((rc = read_target(req, &t)) != TW_OK)
		return follow_failed(req, number, rc);

	rc = tw_watch_remove(req->arena, req->user, number, &t);
	if (rc != TW_OK)
		return follow_failed(req, number, rc);
	return follow_done(req, number, 200, "watchers");
}

/*
 * A date-time field in the display time zone (see when.h); 422 with a
 * sentence when it is missing or not a date.
 */
enum tw_err
follow_when(struct tw_request *req, const char *field, long long *out)
{
	const char	*v;
	time_t		 t;
	enum tw_err	 rc;

	if ((rc = tw_valid_text(req, field, 1, 32, TW_TEXT_LINE, &v)) !=
	    TW_OK)
		return rc;
	if (tw_when_parse(v, &t) != 0)
		return tw_fail(req, TW_ERR_INVALID, field,
		    tw_t(req->lang, "error_when"));
	*out = (long long)t;
	return TW_OK;
}

enum tw_err
reminder_set(struct tw_request *req)
{
	const char	*note, *clear;
	long long	 number = ticket_route_number(req), due;
	enum tw_err	 rc;

	if (number <= 0)
		return TW_ERR_NOTFOUND;
	clear = tw_req_field(req, "clear");
	if (clear != NULL && strcmp(clear, "1") == 0) {
		rc = tw_reminder_clear(req->arena, req->user, number);
		if (rc != TW_OK)
			return follow_failed(req, number, rc);
		return follow_done(req, number, 200, "reminder");
	}

	tw_valid_label(req, "note", "field_reminder_note");
	if ((rc = follow_when(req, "due", &due)) != TW_OK ||
	    (rc = tw_valid_text(req, "note", 0, TW_REMINDER_NOTE_MAX,
	    TW_TEXT_LINE | TW_TEXT_OPTIONAL, &note)) != TW_OK)
		return follow_failed(req, number, rc);

	rc = tw_reminder_set(req->arena, req->user, number, (time_t)due,
	    note);
	if (rc != TW_OK)
		return follow_failed(req, number, rc);
	return follow_done(req, number, 200, "reminder");
}
