/*
 * forms.c: the public side of web forms, /forms/KEY.
 *
 *	GET  /forms/KEY		the form, hosted here (no script, our CSP)
 *	POST /forms/KEY		a post from the hosted form or from a form
 *				on the provider's website
 *	GET  /forms/KEY/thanks	the thank-you page
 *
 * The routes are served as nobody's (TW_ROUTE_ANON): other sites' pages
 * post here on purpose, so a session cookie the browser might carry is
 * not even looked at, and there is no CSRF token to check.  A post can
 * do one thing, raise a ticket in the form's channel; the key, the
 * honeypot and the rate limits (see webform.h) guard that one thing.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "contact.h"
#include "email.h"
#include "handlers.h"
#include "i18n.h"
#include "log.h"
#include "request.h"
#include "response.h"
#include "ticket.h"
#include "valid.h"
#include "view.h"
#include "webform.h"

/* The field people leave empty and robots fill in. */
#define HONEYPOT	"website"

static const char *const fields[] = { "name", "email", "subject", "message" };
#define NFIELDS	(sizeof(fields) / sizeof(fields[0]))

/*
 * The form page with status: the fields empty, or for a refused post
 * (status other than 200) as they were sent, with the reason.
 */
static enum tw_err
render_form(struct tw_request *req, const struct tw_webform *f, int status)
{
	struct json_object	*m = json_object_new_object();
	const char		*v;
	size_t			 i;

	json_object_object_add(m, "title", json_object_new_string(f->name));
	json_object_object_add(m, "action", json_object_new_string(
	    tw_arena_printf(req->arena, "/forms/%s", f->key)));
	for (i = 0; status != 200 && i < NFIELDS; i++)
		if ((v = tw_req_field(req, fields[i])) != NULL)
			json_object_object_add(m, fields[i],
			    json_object_new_string(v));
	tw_view_add_error(req, m);
	return tw_view(req, status, "webform", m);
}

static enum tw_err
find_form(struct tw_request *req, struct tw_webform *f)
{
	enum tw_err	rc;

	rc = tw_webform_find(req->arena, req->route_params[0], f);
	if (rc == TW_ERR_NOTFOUND)
		return tw_fail(req, rc, NULL, tw_t(req->lang,
		    "webform_unknown"));
	return rc;
}

enum tw_err
webform_show(struct tw_request *req)
{
	struct tw_webform	f;
	enum tw_err		rc;

	if ((rc = find_form(req, &f)) != TW_OK)
		return rc;
	return render_form(req, &f, 200);
}

enum tw_err
webform_thanks(struct tw_request *req)
{
	struct json_object	*m;
	struct tw_webform	 f;
	enum tw_err		 rc;

	if ((rc = find_form(req, &f)) != TW_OK)
		return rc;
	m = json_object_new_object();
	json_object_object_add(m, "title", json_object_new_string(f.name));
	json_object_object_add(m, "action", json_object_new_string(
	    tw_arena_printf(req->arena, "/forms/%s", f.key)));
	return tw_view(req, 200, "webform_thanks", m);
}

/* The visitor's fields, each checked; the address in its stored form. */
static enum tw_err
read_post(struct tw_request *req, struct tw_webform_post *p)
{
	char		*norm = tw_arena_alloc(req->arena, TW_EMAIL_MAX + 1);
	enum tw_err	 rc;

	memset(p, 0, sizeof(*p));
	p->remote_addr = req->remote_addr;
	if ((rc = tw_valid_text(req, "name", 1, TW_CONTACT_NAME_MAX,
	    TW_TEXT_LINE, &p->name)) != TW_OK ||
	    (rc = tw_valid_text(req, "email", 1, TW_EMAIL_MAX, TW_TEXT_LINE,
	    &p->email)) != TW_OK ||
	    (rc = tw_valid_text(req, "subject", 1, TW_TICKET_SUBJECT_MAX,
	    TW_TEXT_LINE, &p->subject)) != TW_OK ||
	    (rc = tw_valid_text(req, "message", 1, TW_WEBFORM_MESSAGE_MAX, 0,
	    &p->message)) != TW_OK)
		return rc;
	if (tw_email_norm(p->email, norm) != TW_OK)
		return tw_fail(req, TW_ERR_INVALID, "email",
		    tw_t(req->lang, "webform_error_email"));
	p->email = norm;
	return TW_OK;
}

/*
 * The answer to a post that was taken, or caught by the honeypot: the
 * two must look the same.  JSON clients get 202; browsers go to the
 * form's thank-you page, or to Ticketwerk's own when the form has none
 * or was the hosted one (whose CSP lets forms go nowhere else).
 */
static enum tw_err
thanked(struct tw_request *req, const struct tw_webform *f)
{
	struct json_object	*m;
	const char		*hosted = tw_req_field(req, "hosted");

	if (req->wants_json) {
		m = json_object_new_object();
		json_object_object_add(m, "received",
		    json_object_new_boolean(1));
		json_object_object_add(m, "message", json_object_new_string(
		    tw_t(req->lang, "webform_thanks")));
		return tw_view(req, 202, "webform_thanks", m);
	}
	if (f->thanks_url == NULL || (hosted != NULL && *hosted != '\0'))
		return tw_resp_redirect(req, tw_arena_printf(req->arena,
		    "/forms/%s/thanks", f->key));

	/* Checked when it was saved: http or https, no CR or LF. */
	tw_resp_header(req, "Location", f->thanks_url);
	return tw_resp_send(req, 303, "text/plain; charset=utf-8", "", 0);
}

static void
log_post(struct tw_request *req, const struct tw_webform *f,
    const char *event, const char *ticket)
{
	tw_log(TW_LOG_INFO, event, "req", req->id,
	    "form", tw_arena_printf(req->arena, "%lld", f->id),
	    "addr", req->remote_addr, "ticket", ticket, (char *)NULL);
}

static enum tw_err
throttled(struct tw_request *req, const struct tw_webform *f, long wait)
{
	char	s[24];

	snprintf(s, sizeof(s), "%ld", wait);
	tw_resp_header(req, "Retry-After", s);
	log_post(req, f, "form_throttled", NULL);
	tw_fail(req, TW_ERR_THROTTLED, NULL, tw_t(req->lang,
	    "webform_throttled"));
	if (req->wants_json)
		return TW_ERR_THROTTLED;
	return render_form(req, f, 429);
}

enum tw_err
webform_post(struct tw_request *req)
{
	struct tw_webform	 f;
	struct tw_webform_post	 p;
	const char		*trap;
	long long		 number;
	long			 wait;
	enum tw_err		 rc;

	if ((rc = find_form(req, &f)) != TW_OK)
		return rc;

	/* XXX: the address is nginx's REMOTE_ADDR; behind another proxy
	 * it is the proxy's for every visitor, and the limit per address
	 * becomes one for all of them until nginx's realip module is set
	 * up there. */
	rc = tw_webform_admit(req->arena, &f, req->remote_addr, &wait);
	if (rc == TW_ERR_THROTTLED)
		return throttled(req, &f, wait);
	if (rc != TW_OK)
		return rc;

	trap = tw_req_field(req, HONEYPOT);
	if (trap != NULL && trap[strspn(trap, " \t\r\n")] != '\0') {
		if ((rc = tw_webform_trap(&f, req->remote_addr)) != TW_OK)
			return rc;
		log_post(req, &f, "form_honeypot", NULL);
		return thanked(req, &f);
	}

	if ((rc = read_post(req, &p)) != TW_OK) {
		if (req->wants_json || rc != TW_ERR_INVALID)
			return rc;
		return render_form(req, &f, 422);
	}
	if ((rc = tw_webform_raise(req->arena, &f, &p, &number)) != TW_OK)
		return rc;
	log_post(req, &f, "form_ticket",
	    tw_arena_printf(req->arena, "%lld", number));
	return thanked(req, &f);
}
