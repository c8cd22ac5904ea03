/*
 * admin.c: administration of agents and channels (administrators only;
 * the routes carry TW_ROUTE_ADMIN), and every agent's own settings.
 */
#include "config.h"

#include <limits.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "auth.h"
#include "channel.h"
#include "crypto.h"
#include "db.h"
#include "handlers.h"
#include "i18n.h"
#include "log.h"
#include "request.h"
#include "route.h"
#include "response.h"
#include "user.h"
#include "valid.h"
#include "view.h"

/* Rows as a JSON array of objects. */
static struct json_object *
rows_array(const struct tw_rows *r)
{
	struct json_object	*a = json_object_new_array_ext((int)r->nrows);
	size_t			 i;

	for (i = 0; i < r->nrows; i++)
		json_object_array_add(a, tw_rows_json(r, i));
	return a;
}

static enum tw_err
render_agents(struct tw_request *req, int status)
{
	struct json_object	*m = json_object_new_object();
	struct tw_rows		*r;
	enum tw_err		 rc;

	if ((rc = tw_user_list(req->arena, &r)) != TW_OK) {
		json_object_put(m);
		return rc;
	}
	tw_json_set(m, "agents", rows_array(r));
	tw_view_add_error(req, m);
	return tw_view(req, status, "admin_agents", m);
}

enum tw_err
admin_agents(struct tw_request *req)
{
	return render_agents(req, 200);
}

enum tw_err
admin_agent_add(struct tw_request *req)
{
	const char	*login, *name, *email, *password;
	long long	 id = 0;
	int		 is_admin;
	enum tw_err	 rc;

	if ((rc = tw_valid_text(req, "login", 1, 64, TW_TEXT_LINE,
	    &login)) != TW_OK ||
	    (rc = tw_valid_text(req, "name", 1, 200, TW_TEXT_LINE,
	    &name)) != TW_OK ||
	    (rc = tw_valid_email(req, "email", &email)) != TW_OK ||
	    (rc = tw_valid_text(req, "password", TW_PASSWORD_MIN,
	    TW_PASSWORD_MAX, TW_TEXT_LINE, &password)) != TW_OK ||
	    (rc = tw_valid_bool(req, "is_admin", &is_admin)) != TW_OK)
		goto refused;
	if (!tw_user_login_valid(login)) {
		rc = tw_fail(req, TW_ERR_INVALID, "login",
		    tw_t(req->lang, "error_login"));
		goto refused;
	}

	rc = tw_user_add(login, name, email, password, is_admin, &id);
	if (rc == TW_ERR_CONFLICT) {
		rc = tw_fail(req, TW_ERR_INVALID, "login",
		    tw_t(req->lang, "error_login_taken"));
		goto refused;
	}
	if (rc != TW_OK)
		return rc;
	tw_log(TW_LOG_INFO, "agent_added", "req", req->id, "login", login,
	    "by", req->user->login, (char *)NULL);
	return tw_resp_redirect(req, tw_arena_printf(req->arena,
	    "/admin/agents/%lld", id));

refused:
	if (req->wants_json || rc != TW_ERR_INVALID)
		return rc;
	return render_agents(req, 422);
}

static enum tw_err
render_agent(struct tw_request *req, long long id, int status)
{
	struct json_object	*m, *agent;
	struct tw_rows		*r;
	const char		*lang;
	enum tw_err		 rc;

	if ((rc = tw_user_get(req->arena, id, &r)) != TW_OK)
		return rc;
	m = json_object_new_object();
	agent = tw_rows_json(r, 0);
	lang = tw_rows_str(r, 0, "lang");
	tw_json_set(agent, "lang_en", json_object_new_boolean(
	    lang != NULL && strcmp(lang, "en") == 0));
	tw_json_set(agent, "lang_de", json_object_new_boolean(
	    lang != NULL && strcmp(lang, "de") == 0));
	tw_json_set(m, "agent", agent);
	tw_view_add_error(req, m);
	return tw_view(req, status, "admin_agent", m);
}

enum tw_err
admin_agent(struct tw_request *req)
{
	long long	id = tw_route_id(req, 0);

	return id > 0 ? render_agent(req, id, 200) : TW_ERR_NOTFOUND;
}

/* "" for the browser's language, else "en" or "de". */
static enum tw_err
read_lang(struct tw_request *req, const char **lang)
{
	enum tw_err	rc;

	if ((rc = tw_valid_text(req, "lang", 0, 2, TW_TEXT_LINE |
	    TW_TEXT_OPTIONAL, lang)) != TW_OK)
		return rc;
	if (**lang != '\0' && strcmp(*lang, "en") != 0 &&
	    strcmp(*lang, "de") != 0)
		return tw_fail(req, TW_ERR_INVALID, "lang",
		    tw_t(req->lang, "error_lang"));
	return TW_OK;
}

enum tw_err
admin_agent_update(struct tw_request *req)
{
	struct tw_user_edit	 e;
	long long		 id = tw_route_id(req, 0);
	enum tw_err		 rc;

	if (id <= 0)
		return TW_ERR_NOTFOUND;
	memset(&e, 0, sizeof(e));
	if ((rc = tw_valid_text(req, "name", 1, 200, TW_TEXT_LINE,
	    &e.name)) != TW_OK ||
	    (rc = tw_valid_email(req, "email", &e.email)) != TW_OK ||
	    (rc = read_lang(req, &e.lang)) != TW_OK ||
	    (rc = tw_valid_bool(req, "is_admin", &e.is_admin)) != TW_OK ||
	    (rc = tw_valid_bool(req, "active", &e.active)) != TW_OK)
		goto refused;

	/* Nobody locks themselves out of the administration. */
	if (id == req->user->id && (!e.active || !e.is_admin)) {
		rc = tw_fail(req, TW_ERR_INVALID, "active",
		    tw_t(req->lang, "error_self_lockout"));
		goto refused;
	}

	if ((rc = tw_user_update(id, &e)) != TW_OK)
		return rc;
	tw_log(TW_LOG_INFO, "agent_changed", "req", req->id,
	    "agent", req->route_params[0], "active", e.active ? "1" : "0",
	    "by", req->user->login, (char *)NULL);
	return tw_resp_redirect(req, tw_arena_printf(req->arena,
	    "/admin/agents/%lld", id));

refused:
	if (req->wants_json || rc != TW_ERR_INVALID)
		return rc;
	return render_agent(req, id, 422);
}

static enum tw_err
render_channels(struct tw_request *req, int status)
{
	struct json_object	*m = json_object_new_object();
	struct tw_rows		*r;
	enum tw_err		 rc;

	if ((rc = tw_channel_list(req->arena, &r)) != TW_OK) {
		json_object_put(m);
		return rc;
	}
	tw_json_set(m, "channels", rows_array(r));
	tw_view_add_error(req, m);
	return tw_view(req, status, "admin_channels", m);
}

enum tw_err
admin_channels(struct tw_request *req)
{
	return render_channels(req, 200);
}

enum tw_err
admin_channel_add(struct tw_request *req)
{
	const char	*name, *email;
	long long	 id = 0;
	enum tw_err	 rc;

	if ((rc = tw_valid_text(req, "name", 1, 100, TW_TEXT_LINE,
	    &name)) != TW_OK ||
	    (rc = tw_valid_email(req, "email", &email)) != TW_OK)
		goto refused;
	rc = tw_channel_add(name, email, &id);
	if (rc == TW_ERR_CONFLICT) {
		rc = tw_fail(req, TW_ERR_INVALID, "name",
		    tw_t(req->lang, "error_channel_taken"));
		goto refused;
	}
	if (rc != TW_OK)
		return rc;
	return tw_resp_redirect(req, tw_arena_printf(req->arena,
	    "/admin/channels/%lld", id));

refused:
	if (req->wants_json || rc != TW_ERR_INVALID)
		return rc;
	return render_channels(req, 422);
}

static enum tw_err
render_channel(struct tw_request *req, long long id, int status)
{
	struct json_object	*m, *list, *o;
	struct tw_rows		*c, *members, *agents;
	size_t			 i;
	enum tw_err		 rc;

	if ((rc = tw_channel_get(req->arena, id, &c)) != TW_OK ||
	    (rc = tw_channel_members(req->arena, id, &members)) != TW_OK ||
	    (rc = tw_user_list(req->arena, &agents)) != TW_OK)
		return rc;

	m = json_object_new_object();
	tw_json_set(m, "channel", tw_rows_json(c, 0));
	list = json_object_new_array();
	for (i = 0; i < members->nrows; i++) {
		o = tw_rows_json(members, i);
		tw_json_set(o, "handles", json_object_new_boolean(
		    strcmp(tw_rows_str(members, i, "role"), "handles") == 0));
		tw_json_set(o, "informal", json_object_new_boolean(
		    strcmp(tw_rows_str(members, i, "subscription"),
		    "informal") == 0));
		json_object_array_add(list, o);
	}
	tw_json_set(m, "members", list);
	tw_json_set(m, "agents", rows_array(agents));
	tw_view_add_error(req, m);
	return tw_view(req, status, "admin_channel", m);
}

enum tw_err
admin_channel(struct tw_request *req)
{
	long long	id = tw_route_id(req, 0);

	return id > 0 ? render_channel(req, id, 200) : TW_ERR_NOTFOUND;
}

/* One of the allowed words in field, the first one when absent. */
static enum tw_err
read_choice(struct tw_request *req, const char *field,
    const char *const *allowed, const char **out)
{
	const char	*v;
	enum tw_err	 rc;

	if ((rc = tw_valid_text(req, field, 0, 20, TW_TEXT_LINE |
	    TW_TEXT_OPTIONAL, &v)) != TW_OK)
		return rc;
	if (*v == '\0') {
		*out = allowed[0];
		return TW_OK;
	}
	for (; *allowed != NULL; allowed++)
		if (strcmp(v, *allowed) == 0) {
			*out = *allowed;
			return TW_OK;
		}
	return tw_fail(req, TW_ERR_INVALID, field,
	    tw_t(req->lang, tw_arena_concat(req->arena, "error_", field)));
}

/* After a membership changed: the channel as JSON, or back to its page. */
static enum tw_err
members_changed(struct tw_request *req, long long channel)
{
	if (req->wants_json)
		return render_channel(req, channel, 200);
	return tw_resp_redirect(req, tw_arena_printf(req->arena,
	    "/admin/channels/%lld", channel));
}

enum tw_err
admin_member_set(struct tw_request *req)
{
	static const char *const roles[] = { "handles", "reads", NULL };
	static const char *const subs[] = { "standard", "informal", NULL };
	const char	*role, *sub;
	long long	 channel = tw_route_id(req, 0), agent;
	enum tw_err	 rc;

	if (channel <= 0)
		return TW_ERR_NOTFOUND;
	if ((rc = tw_valid_int_required(req, "agent", 1, LLONG_MAX,
	    &agent)) != TW_OK ||
	    (rc = read_choice(req, "role", roles, &role)) != TW_OK ||
	    (rc = read_choice(req, "subscription", subs, &sub)) != TW_OK)
		goto refused;

	rc = tw_channel_member_set(channel, agent, role, sub);
	if (rc == TW_ERR_NOTFOUND) {
		rc = tw_fail(req, TW_ERR_INVALID, "agent",
		    tw_t(req->lang, "error_agent"));
		goto refused;
	}
	if (rc != TW_OK)
		return rc;
	return members_changed(req, channel);

refused:
	if (req->wants_json || rc != TW_ERR_INVALID)
		return rc;
	return render_channel(req, channel, 422);
}

enum tw_err
admin_member_remove(struct tw_request *req)
{
	long long	channel = tw_route_id(req, 0), agent;
	enum tw_err	rc;

	if (channel <= 0)
		return TW_ERR_NOTFOUND;
	if ((rc = tw_valid_int_required(req, "agent", 1, LLONG_MAX,
	    &agent)) != TW_OK)
		return rc;
	if ((rc = tw_channel_member_remove(channel, agent)) != TW_OK)
		return rc;
	return members_changed(req, channel);
}

enum tw_err
admin_index(struct tw_request *req)
{
	return tw_view(req, 200, "admin_index", json_object_new_object());
}

static enum tw_err
render_settings(struct tw_request *req, int status)
{
	struct json_object	*m = json_object_new_object();
	const char		*lang = req->user->lang;

	tw_json_set(m, "lang_en", json_object_new_boolean(
	    lang != NULL && strcmp(lang, "en") == 0));
	tw_json_set(m, "lang_de", json_object_new_boolean(
	    lang != NULL && strcmp(lang, "de") == 0));
	tw_json_set(m, "lang_auto",
	    json_object_new_boolean(lang == NULL));
	tw_view_add_error(req, m);
	return tw_view(req, status, "settings", m);
}

enum tw_err
settings_form(struct tw_request *req)
{
	return render_settings(req, 200);
}

enum tw_err
settings_update(struct tw_request *req)
{
	const char	*lang;
	enum tw_err	 rc;

	if ((rc = read_lang(req, &lang)) != TW_OK) {
		if (req->wants_json || rc != TW_ERR_INVALID)
			return rc;
		return render_settings(req, 422);
	}
	if ((rc = tw_user_set_lang(req->user->id, lang)) != TW_OK)
		return rc;
	return tw_resp_redirect(req, "/settings");
}
