/*
 * appointments.c: making an appointment from a ticket, and handing it
 * out as an iCalendar file.
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
#include "handlers.h"
#include "i18n.h"
#include "request.h"
#include "response.h"
#include "valid.h"

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
