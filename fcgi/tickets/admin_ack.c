/*
 * admin_ack.c: a channel's acknowledgement of receipt, as administrators
 * edit it (the routes carry TW_ROUTE_ADMIN): on or off, the subject and
 * the text, with a preview over made-up values.
 */
#include "config.h"

#include <json-c/json.h>

#include "ack.h"
#include "arena.h"
#include "db.h"
#include "handlers.h"
#include "i18n.h"
#include "log.h"
#include "request.h"
#include "response.h"
#include "route.h"
#include "valid.h"
#include "view.h"

/* Values the preview fills in, in the request's language. */
static struct json_object *
sample(struct tw_request *req, const char *channel)
{
	struct json_object	*d = json_object_new_object();

	json_object_object_add(d, "number", json_object_new_int(4319));
	json_object_object_add(d, "subject", json_object_new_string(
	    tw_t(req->lang, "ack_sample_subject")));
	json_object_object_add(d, "channel",
	    json_object_new_string(channel));
	json_object_object_add(d, "name", json_object_new_string(
	    tw_t(req->lang, "ack_sample_name")));
	return d;
}

/*
 * Renders subject and body over the sample into the model's "preview";
 * fails the request naming the field of a template that does not
 * render.
 */
static enum tw_err
preview(struct tw_request *req, struct json_object *m, const char *channel,
    const char *subject, const char *body)
{
	static const char *const fields[2] = { "ack_subject", "ack_body" };
	struct json_object	*d = sample(req, channel), *p;
	const char		*src[2] = { subject, body }, *out[2];
	const char		*why = NULL;
	size_t			 i;

	for (i = 0; i < 2; i++) {
		if (tw_ack_render(req->arena, src[i], d, &out[i], &why) ==
		    TW_OK)
			continue;
		json_object_put(d);
		return tw_fail(req, TW_ERR_INVALID, fields[i],
		    tw_arena_printf(req->arena, "%s %s",
		    tw_t(req->lang, "error_ack_template"), why));
	}
	json_object_put(d);
	if (m == NULL)
		return TW_OK;
	p = json_object_new_object();
	json_object_object_add(p, "subject", json_object_new_string(out[0]));
	json_object_object_add(p, "body", json_object_new_string(out[1]));
	json_object_object_add(m, "preview", p);
	return TW_OK;
}

/* The page, with the stored template or what a failed form sent. */
static enum tw_err
render(struct tw_request *req, long long id, int status)
{
	struct json_object	*m, *c;
	struct tw_rows		*r;
	const char		*v;
	enum tw_err		 rc;

	if ((rc = tw_ack_template_get(req->arena, id, &r)) != TW_OK)
		return rc;
	m = json_object_new_object();
	c = tw_rows_json(r, 0);
	if (req->fail_message != NULL) {
		if ((v = tw_req_field(req, "ack_subject")) != NULL)
			json_object_object_add(c, "ack_subject",
			    json_object_new_string(v));
		if ((v = tw_req_field(req, "ack_body")) != NULL)
			json_object_object_add(c, "ack_body",
			    json_object_new_string(v));
	} else
		preview(req, m, tw_rows_str(r, 0, "name"),
		    tw_rows_str(r, 0, "ack_subject"),
		    tw_rows_str(r, 0, "ack_body"));
	json_object_object_add(c, "on", json_object_new_boolean(
	    tw_rows_int(r, 0, "ack_enabled", 0) != 0));
	json_object_object_add(m, "channel", c);
	tw_view_add_error(req, m);
	return tw_view(req, status, "admin_channel_ack", m);
}

enum tw_err
admin_ack(struct tw_request *req)
{
	long long	id = tw_route_id(req, 0);

	return id > 0 ? render(req, id, 200) : TW_ERR_NOTFOUND;
}

enum tw_err
admin_ack_save(struct tw_request *req)
{
	struct tw_rows	*r;
	const char	*subject, *body;
	long long	 id = tw_route_id(req, 0);
	int		 on;
	enum tw_err	 rc;

	if (id <= 0)
		return TW_ERR_NOTFOUND;
	if ((rc = tw_ack_template_get(req->arena, id, &r)) != TW_OK)
		return rc;
	if ((rc = tw_valid_bool(req, "ack_enabled", &on)) != TW_OK ||
	    (rc = tw_valid_text(req, "ack_subject", 1, TW_ACK_SUBJECT_MAX,
	    TW_TEXT_LINE, &subject)) != TW_OK ||
	    (rc = tw_valid_text(req, "ack_body", 1, TW_ACK_BODY_MAX, 0,
	    &body)) != TW_OK ||
	    (rc = preview(req, NULL, tw_rows_str(r, 0, "name"), subject,
	    body)) != TW_OK)
		goto refused;

	if ((rc = tw_ack_template_set(id, on, subject, body)) != TW_OK)
		return rc;
	tw_log(TW_LOG_INFO, "ack_template_changed", "req", req->id,
	    "channel", tw_rows_str(r, 0, "name"), "enabled", on ? "1" : "0",
	    "by", req->user->login, (char *)NULL);
	return tw_resp_redirect(req, tw_arena_printf(req->arena,
	    "/admin/channels/%lld/acknowledgement", id));

refused:
	if (req->wants_json || rc != TW_ERR_INVALID)
		return rc;
	return render(req, id, 422);
}
