/*
 * test_admin.c: administration of agents and channels, and personal
 * settings, over HTTP.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <json-c/json.h>

#include "db.h"
#include "http.h"
#include "suites.h"

static const char sql_user_id[] = "SELECT id FROM users WHERE login = ?";
static const char sql_channel_id[] = "SELECT id FROM channels WHERE name = ?";
static const char sql_sessions_of[] =
    "SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id "
    "WHERE u.login = ?";

/* POSTs a form with the page's CSRF token taken from GET form_path. */
static struct http_resp *
submit(struct http_agent *a, const char *form_path, const char *path,
    const char *fields)
{
	struct http_resp	*r;
	char			*csrf, *body;

	r = http_get(a, form_path);
	ck_assert_msg(r->status == 200, "GET %s: %ld", form_path, r->status);
	csrf = http_csrf(r);
	ck_assert_ptr_nonnull(csrf);
	http_resp_free(r);

	body = fx_printf("_csrf=%s&%s", csrf, fields);
	r = http_post_form(a, path, body);
	free(body);
	free(csrf);
	return r;
}

START_TEST(test_admin_only)
{
	struct http_agent	*agent = fx_signin("ksturm", fx_password());
	char			*token = fx_token("ksturm");
	char			*auth = fx_bearer(token);
	const char		*h[] = { auth, NULL };
	struct http_resp	*r;

	r = http_get(agent, "/admin/agents/");
	ck_assert_int_eq(r->status, 403);
	http_resp_free(r);
	r = http_request(NULL, "GET", "/admin/channels/", h, NULL, 0);
	ck_assert_int_eq(r->status, 403);
	http_resp_free(r);

	/* Nor does a non-admin see the link. */
	r = http_get(agent, "/tickets/");
	ck_assert(!http_body_has(r, "href=\"/admin/\""));
	http_resp_free(r);

	free(auth);
	free(token);
	http_agent_free(agent);
}
END_TEST

START_TEST(test_agent_and_channel_lifecycle)
{
	struct http_agent	*admin = fx_signin("admin", fx_password());
	struct http_agent	*newbie;
	char			*login = fx_marker("itest-adm");
	char			*chan = fx_marker("itest-chan");
	char			*fields, *path, *token, *auth;
	long long		 uid, cid;
	struct http_resp	*r;

	/* A new agent, who can sign in. */
	fields = fx_printf("login=%s&name=New+Agent&email=new@Example.COM"
	    "&password=%s", login, fx_password());
	r = submit(admin, "/admin/agents/", "/admin/agents/", fields);
	ck_assert_msg(r->status == 303, "add agent: %ld", r->status);
	http_resp_free(r);
	free(fields);
	uid = fx_db_int(sql_user_id, 0, TW_ARGS(TW_S(login)));
	ck_assert_int_gt(uid, 0);

	/* The same login again is refused with the field named. */
	fields = fx_printf("login=%s&name=Again&password=%s", login,
	    fx_password());
	r = submit(admin, "/admin/agents/", "/admin/agents/", fields);
	ck_assert_int_eq(r->status, 422);
	ck_assert(http_body_has(r, "This login is taken."));
	http_resp_free(r);
	free(fields);

	/* A new channel with the agent as a handler. */
	fields = fx_printf("name=%s", chan);
	r = submit(admin, "/admin/channels/", "/admin/channels/", fields);
	ck_assert_msg(r->status == 303, "add channel: %ld", r->status);
	http_resp_free(r);
	free(fields);
	cid = fx_db_int(sql_channel_id, 0, TW_ARGS(TW_S(chan)));
	ck_assert_int_gt(cid, 0);

	path = fx_printf("/admin/channels/%lld/members", cid);
	fields = fx_printf("agent=%lld&role=handles&subscription=informal",
	    uid);
	free(chan);
	chan = fx_printf("/admin/channels/%lld", cid);
	r = submit(admin, chan, path, fields);
	ck_assert_int_eq(r->status, 303);
	http_resp_free(r);
	free(fields);

	/* A role that does not exist is refused. */
	fields = fx_printf("agent=%lld&role=owns", uid);
	r = submit(admin, chan, path, fields);
	ck_assert_int_eq(r->status, 422);
	http_resp_free(r);
	free(fields);

	/* The agent now handles the channel: it is offered for tickets. */
	token = fx_token(login);
	auth = fx_bearer(token);
	{
		const char *h[] = { auth, NULL };

		r = http_request(NULL, "GET", "/tickets/new", h, NULL, 0);
	}
	fields = fx_printf("\"id\":%lld", cid);
	ck_assert_msg(http_body_has(r, fields), "channel not offered");
	http_resp_free(r);
	free(fields);

	/* Deactivated: the session and the token stop working at once. */
	newbie = fx_signin(login, fx_password());
	ck_assert_int_eq(fx_db_int(sql_sessions_of, -1, TW_ARGS(TW_S(login))),
	    1);
	free(path);
	path = fx_printf("/admin/agents/%lld", uid);
	r = submit(admin, path, path, "name=New+Agent&email=new%40example.com");
	ck_assert_int_eq(r->status, 303);
	http_resp_free(r);
	ck_assert_int_eq(fx_db_int(sql_sessions_of, -1, TW_ARGS(TW_S(login))),
	    0);
	r = http_get(newbie, "/tickets/");
	ck_assert_int_eq(r->status, 303);
	http_resp_free(r);
	{
		const char *h[] = { auth, NULL };

		r = http_request(NULL, "GET", "/tickets/", h, NULL, 0);
	}
	ck_assert_int_eq(r->status, 401);
	http_resp_free(r);

	free(auth);
	free(token);
	free(path);
	free(chan);
	free(login);
	http_agent_free(newbie);
	http_agent_free(admin);
}
END_TEST

START_TEST(test_no_self_lockout)
{
	struct http_agent	*admin = fx_signin("admin", fx_password());
	long long		 uid = fx_db_int(sql_user_id, 0,
	    TW_ARGS(TW_S("admin")));
	char			*path = fx_printf("/admin/agents/%lld", uid);
	struct http_resp	*r;

	r = submit(admin, path, path, "name=Administrator&is_admin=1");
	ck_assert_int_eq(r->status, 422);
	http_resp_free(r);
	r = http_get(admin, "/admin/");
	ck_assert_int_eq(r->status, 200);
	http_resp_free(r);

	free(path);
	http_agent_free(admin);
}
END_TEST

START_TEST(test_language_setting)
{
	char			*login = fx_user_new("itest-lang");
	struct http_agent	*a = fx_signin(login, fx_password());
	struct http_resp	*r;

	r = submit(a, "/settings", "/settings", "lang=de");
	ck_assert_int_eq(r->status, 303);
	http_resp_free(r);

	/* The setting wins over the default, English. */
	r = http_get(a, "/tickets/");
	ck_assert(http_body_has(r, "<html lang=\"de\">"));
	ck_assert(http_body_has(r, "Warteschlange"));
	http_resp_free(r);

	r = submit(a, "/settings", "/settings", "lang=fr");
	ck_assert_int_eq(r->status, 422);
	http_resp_free(r);

	free(login);
	http_agent_free(a);
}
END_TEST

Suite *
tw_admin_suite(void)
{
	Suite	*s = suite_create("admin");
	TCase	*tc = fx_tcase("admin", 60);

	tcase_add_test(tc, test_admin_only);
	tcase_add_test(tc, test_agent_and_channel_lifecycle);
	tcase_add_test(tc, test_no_self_lockout);
	tcase_add_test(tc, test_language_setting);
	suite_add_tcase(s, tc);
	return s;
}
