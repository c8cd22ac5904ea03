/*
 * appointments.c: making, changing and cancelling an appointment from a
 * ticket, and handing it out as an iCalendar file.
 */
#include "config.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <fcgiapp.h>
#include <json-c/json.h>

#include "appointment.h"
#include "arena.h"
#include "buf.h"
#include "conf.h"
#include "db.h"
#include "handlers.h"
#include "i18n.h"
#include "request.h"
#include "response.h"
#include "ticket.h"
#include "valid.h"
#include "view.h"
#include "watch.h"
#include "when.h"

/* A positive id in s, or 0. */
static long long
parse_id(const char *s)
{
	char		*end;
	long long	 n;

	if (s == NULL || !isdigit((unsigned char)*s) || strlen(s) > 18)
		return 0;
	n = strtoll(s, &end, 10);
	return *end == '\0' && n > 0 ? n : 0;
}

/*
 * The site the calendar file links back to: [http] public_url when set,
 * else the scheme and Host of this request, if the Host is a plain host
 * name, else NULL (a path then stands in).  The Host header comes from
 * the client, but the file goes back to that same client.
 */
static const char *
site(struct tw_request *req)
{
	const char	*host = FCGX_GetParam("HTTP_HOST", req->fcgi->envp);
	const char	*conf = tw_conf_str("http", "public_url", "");
	size_t		 n;

	if (*conf != '\0') {
		n = strlen(conf);
		return tw_arena_strndup(req->arena, conf,
		    conf[n - 1] == '/' ? n - 1 : n);
	}
	if (host == NULL || *host == '\0' || strlen(host) > 255 ||
	    host[strspn(host, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]")] != '\0')
		return NULL;
	return tw_arena_printf(req->arena, "%s://%s",
	    req->https ? "https" : "http", host);
}

/*
 * The participants: repeated form fields "participant", or the JSON
 * array "participants", of user ids.  422 for anything not an id and
 * for more than TW_APPOINTMENT_PEOPLE_MAX.
 */
static enum tw_err
read_people(struct tw_request *req, struct tw_appointment_new *in)
{
	struct json_object	*list = NULL;
	long long		*ids;
	size_t			 i, n = 0, max = TW_APPOINTMENT_PEOPLE_MAX;

	ids = tw_arena_calloc(req->arena, max, sizeof(*ids));
	if (req->json != NULL) {
		if (json_object_object_get_ex(req->json, "participants",
		    &list) && list != NULL &&
		    !json_object_is_type(list, json_type_array))
			goto invalid;
		for (i = 0; list != NULL &&
		    i < json_object_array_length(list); i++) {
			if (n == max || !json_object_is_type(
			    json_object_array_get_idx(list, i), json_type_int))
				goto invalid;
			ids[n] = json_object_get_int64(
			    json_object_array_get_idx(list, i));
			if (ids[n++] <= 0)
				goto invalid;
		}
	} else {
		for (i = 0; i < req->form.nparams; i++) {
			const struct tw_param *p = &req->form.params[i];

			if (strcmp(p->name, "participant") != 0)
				continue;
			if (n == max || (ids[n++] = parse_id(p->value)) == 0)
				goto invalid;
		}
	}
	in->participants = ids;
	in->nparticipants = n;
	return TW_OK;

invalid:
	return tw_fail(req, TW_ERR_INVALID, "participants",
	    tw_t(req->lang, "error_participants"));
}

static enum tw_err
read_appointment(struct tw_request *req, struct tw_appointment_new *in)
{
	long long	start, end;
	enum tw_err	rc;

	tw_valid_label(req, "title", "field_appointment_title");
	if ((rc = tw_valid_text(req, "title", 1, TW_APPOINTMENT_TEXT_MAX,
	    TW_TEXT_LINE, &in->title)) != TW_OK)
		return rc;
	if ((rc = tw_valid_text(req, "location", 0, TW_APPOINTMENT_TEXT_MAX,
	    TW_TEXT_LINE | TW_TEXT_OPTIONAL, &in->location)) != TW_OK)
		return rc;
	if ((rc = follow_when(req, "start", &start)) != TW_OK ||
	    (rc = follow_when(req, "end", &end)) != TW_OK)
		return rc;
	if (end <= start)
		return tw_fail(req, TW_ERR_INVALID, "end",
		    tw_t(req->lang, "error_end_before_start"));
	in->start = (time_t)start;
	in->end = (time_t)end;
	return read_people(req, in);
}

enum tw_err
appointment_create(struct tw_request *req)
{
	struct tw_appointment_new	 in;
	long long			 number = ticket_route_number(req);
	long long			 id = 0;
	enum tw_err			 rc;

	if (number <= 0)
		return TW_ERR_NOTFOUND;
	memset(&in, 0, sizeof(in));
	if ((rc = read_appointment(req, &in)) != TW_OK)
		return follow_failed(req, number, rc);

	rc = tw_appointment_add(req->arena, req->user, number, &in, &id);
	if (rc == TW_ERR_INVALID)
		rc = tw_fail(req, rc, "participants",
		    tw_t(req->lang, "error_participant_member"));
	if (rc != TW_OK)
		return follow_failed(req, number, rc);

	tw_resp_header(req, "Location", tw_arena_printf(req->arena,
	    "/tickets/%lld/appointments/%lld.ics", number, id));
	return follow_done(req, number, 201, "appointments");
}

/* An instant of row as a datetime-local value, into the model o. */
static void
add_input(struct json_object *o, const struct tw_rows *row,
    const char *col, const char *key)
{
	char	input[32];
	time_t	t = tw_i18n_parse_utc(tw_rows_str(row, 0, col));

	if (t == -1)
		return;
	tw_when_input(t, input, sizeof(input));
	json_object_object_add(o, key, json_object_new_string(input));
}

/*
 * The form's values: what was sent when it comes back with a sentence,
 * else the appointment as it stands.
 */
static void
add_values(struct tw_request *req, struct json_object *m,
    const struct tw_rows *row)
{
	static const char *const fields[] = { "title", "location", "start",
	    "end", NULL };
	const char	*v;
	size_t		 i;

	json_object_object_add(m, "title", json_object_new_string(
	    tw_rows_str(row, 0, "title")));
	json_object_object_add(m, "location", json_object_new_string(
	    tw_rows_str(row, 0, "location")));
	add_input(m, row, "starts_at", "start");
	add_input(m, row, "ends_at", "end");
	if (req->fail_message == NULL)
		return;
	for (i = 0; fields[i] != NULL; i++)
		if ((v = tw_req_field(req, fields[i])) != NULL)
			json_object_object_add(m, fields[i],
			    json_object_new_string(v));
}

/* The channel's agents to choose from, those taking part checked. */
static void
add_choices(struct tw_request *req, struct json_object *m,
    long long channel_id, const struct tw_rows *people)
{
	struct json_object	*list, *o;
	struct tw_rows		*agents;
	size_t			 i, j;
	int			 in;

	if (tw_watch_agents(req->arena, channel_id, &agents) != TW_OK)
		return;
	list = json_object_new_array();
	for (i = 0; i < agents->nrows; i++) {
		o = tw_rows_json(agents, i);
		for (in = 0, j = 0; j < people->nrows && !in; j++)
			in = tw_rows_int(people, j, "user_id", 0) ==
			    tw_rows_int(agents, i, "user_id", -1);
		json_object_object_add(o, "checked",
		    json_object_new_boolean(in));
		json_object_array_add(list, o);
	}
	json_object_object_add(m, "agents", list);
}

/* The page that changes or cancels appointment id of ticket number. */
static enum tw_err
render_edit(struct tw_request *req, long long number, long long id,
    int status)
{
	struct json_object	*m, *o;
	struct tw_rows		*ticket, *items, *row, *people;
	enum tw_err		 rc;

	if ((rc = tw_ticket_get(req->arena, req->user, number, &ticket,
	    &items)) != TW_OK)
		return rc;
	if ((rc = tw_appointment_get(req->arena, req->user, number, id, &row,
	    &people)) != TW_OK)
		return rc;

	m = json_object_new_object();
	json_object_object_add(m, "ticket", ticket_view(req, ticket, 0));
	o = tw_rows_json(row, 0);
	json_object_object_add(o, "cancelled", json_object_new_boolean(
	    tw_rows_int(row, 0, "cancelled", 0)));
	json_object_object_add(o, "ics", json_object_new_string(
	    tw_arena_printf(req->arena, "/tickets/%lld/appointments/%lld.ics",
	    number, id)));
	json_object_object_add(m, "appointment", o);
	add_values(req, m, row);
	add_choices(req, m, tw_rows_int(ticket, 0, "channel_id", 0), people);
	tw_view_add_error(req, m);
	return tw_view(req, status, "appointment_edit", m);
}

/* The appointment id of the route, after the ticket number. */
static long long
route_appointment(struct tw_request *req)
{
	return parse_id(req->route_params[1]);
}

enum tw_err
appointment_edit_form(struct tw_request *req)
{
	long long	number = ticket_route_number(req);
	long long	id = route_appointment(req);

	if (number <= 0 || id <= 0)
		return TW_ERR_NOTFOUND;
	return render_edit(req, number, id, 200);
}

enum tw_err
appointment_change(struct tw_request *req)
{
	struct tw_appointment_new	 in;
	long long			 number = ticket_route_number(req);
	long long			 id = route_appointment(req);
	enum tw_err			 rc;

	if (number <= 0 || id <= 0)
		return TW_ERR_NOTFOUND;
	memset(&in, 0, sizeof(in));
	if ((rc = read_appointment(req, &in)) == TW_OK) {
		rc = tw_appointment_change(req->arena, req->user, number, id,
		    &in);
		if (rc == TW_ERR_INVALID)
			rc = tw_fail(req, rc, "participants",
			    tw_t(req->lang, "error_participant_member"));
		if (rc == TW_ERR_CONFLICT)
			rc = tw_fail(req, rc, "appointment",
			    tw_t(req->lang, "error_appointment_cancelled"));
	}
	if (rc == TW_OK)
		return follow_done(req, number, 200, "appointments");
	if (req->wants_json || rc != TW_ERR_INVALID)
		return rc;
	return render_edit(req, number, id, 422);
}

enum tw_err
appointment_cancel(struct tw_request *req)
{
	long long	number = ticket_route_number(req);
	long long	id = route_appointment(req);
	enum tw_err	rc;

	if (number <= 0 || id <= 0)
		return TW_ERR_NOTFOUND;
	if ((rc = tw_appointment_cancel(req->arena, req->user, number,
	    id)) != TW_OK)
		return rc;
	return follow_done(req, number, 200, "appointments");
}

enum tw_err
appointment_ics(struct tw_request *req)
{
	struct tw_buf	 out;
	const char	*file = req->route_params[1];
	long long	 number = ticket_route_number(req), id;
	size_t		 n;
	enum tw_err	 rc;

	/* The last segment is "<id>.ics". */
	n = file != NULL ? strlen(file) : 0;
	if (number <= 0 || n <= 4 || strcmp(file + n - 4, ".ics") != 0 ||
	    (id = parse_id(tw_arena_strndup(req->arena, file, n - 4))) == 0)
		return TW_ERR_NOTFOUND;

	tw_buf_init(&out, req->arena);
	rc = tw_appointment_ical(req->arena, req->user, number, id,
	    site(req), &out);
	if (rc != TW_OK)
		return rc;
	return tw_resp_download(req, "text/calendar; charset=utf-8",
	    tw_arena_printf(req->arena, "ticket-%lld-appointment-%lld.ics",
	    number, id), out.data, out.len);
}
