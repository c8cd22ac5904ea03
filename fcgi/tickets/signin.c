/*
 * signin.c: the sign-in form, signing in and signing out.
 */
#include "config.h"

#include <string.h>

#include <json-c/json.h>

#include "auth.h"
#include "handlers.h"
#include "i18n.h"
#include "request.h"
#include "response.h"
#include "valid.h"
#include "view.h"

/* Where to go after signing in: a path on this site, else the queue. */
static const char *
safe_next(const char *next)
{
	if (next == NULL || next[0] != '/' || next[1] == '/' ||
	    next[1] == '\\' || strpbrk(next, "\r\n") != NULL)
		return "/tickets/";
	return next;
}

static enum tw_err
render(struct tw_request *req, int status, const char *login,
    const char *error)
{
	struct json_object	*m = json_object_new_object();

	tw_json_set(m, "next",
	    json_object_new_string(safe_next(tw_req_param(req, "next"))));
	if (login != NULL)
		tw_json_set(m, "login",
		    json_object_new_string(login));
	if (error != NULL)
		tw_json_set(m, "error",
		    json_object_new_string(error));
	return tw_view(req, status, "signin", m);
}

enum tw_err
signin_form(struct tw_request *req)
{
	if (req->user != NULL)
		return tw_resp_redirect(req,
		    safe_next(tw_req_param(req, "next")));
	return render(req, 200, NULL, NULL);
}

enum tw_err
signin_submit(struct tw_request *req)
{
	const char	*login, *password;
	enum tw_err	 rc;

	if ((rc = tw_valid_text(req, "login", 1, 64, TW_TEXT_LINE,
	    &login)) != TW_OK ||
	    (rc = tw_valid_text(req, "password", 1, TW_PASSWORD_MAX,
	    TW_TEXT_LINE, &password)) != TW_OK) {
		if (req->wants_json)
			return rc;
		return render(req, tw_err_http(rc), NULL, req->fail_message);
	}

	rc = tw_auth_signin(req, login, password);
	if (rc == TW_ERR_FORBIDDEN || rc == TW_ERR_THROTTLED) {
		const char *msg = tw_t(req->lang, rc == TW_ERR_THROTTLED ?
		    "signin_throttled" : "signin_wrong");

		if (rc == TW_ERR_THROTTLED)
			tw_resp_header(req, "Retry-After", "900");
		if (req->wants_json)
			return tw_fail(req, rc == TW_ERR_FORBIDDEN ?
			    TW_ERR_UNAUTH : rc, NULL, msg);
		return render(req, rc == TW_ERR_FORBIDDEN ? 401 : 429, login,
		    msg);
	}
	if (rc != TW_OK)
		return rc;

	if (req->wants_json) {
		struct json_object *m = json_object_new_object();

		tw_json_set(m, "signed_in",
		    json_object_new_boolean(1));
		return tw_view(req, 200, "signin", m);
	}
	return tw_resp_redirect(req, safe_next(tw_req_param(req, "next")));
}

enum tw_err
signout_submit(struct tw_request *req)
{
	tw_auth_signout(req);
	return tw_resp_redirect(req, "/signin");
}
