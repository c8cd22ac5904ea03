/*
 * test_workflow.c: changing tickets over HTTP, in JSON and through the
 * forms: permitted and forbidden status transitions, owner and assignee,
 * categories, colours, moving between channels, changes made with an
 * item, stale versions, the history items every change leaves, the
 * administration pages, and reopening a closed ticket.
 *
 * Each test makes channels of its own, so a workflow set here never
 * touches the tickets of other suites.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <json-c/json.h>

#include "arena.h"
#include "db.h"
#include "http.h"
#include "suites.h"
#include "ticket_change.h"

/* POSTs body to /tickets/number with token; returns the response. */
static struct http_resp *
change(const char *token, long long number, const char *body)
{
	char			*path = fx_printf("/tickets/%lld", number);
	struct http_resp	*r = fx_api(token, "POST", path, body);

	free(path);
	return r;
}

/* Adds login to channel with role ("handles" or "reads"). */
static void
member(long long channel, const char *login, const char *role)
{
	fx_db_exec("INSERT INTO channel_members (channel_id, user_id, role) "
	    "VALUES (?, ?, ?)", TW_ARGS(TW_I(channel), TW_I(fx_user_id(login)),
	    TW_S(role)));
}

/* A new channel of its own that admin handles; returns its id. */
static long long
channel_new(const char *tag)
{
	char		*name = fx_marker(tag);
	long long	 id;

	fx_db_exec("INSERT INTO channels (name) VALUES (?)",
	    TW_ARGS(TW_S(name)));
	id = fx_channel(name);
	member(id, "admin", "handles");
	free(name);
	return id;
}

/* A ticket in channel opened by token's user. */
static long long
ticket_in(const char *token, long long channel)
{
	char		*subject = fx_marker("wf");
	long long	 n = fx_ticket_new(token, subject, channel);

	free(subject);
	return n;
}

static long long
ticket_int(long long number, const char *col)
{
	/* Column names cannot be bound; each is a constant statement. */
	if (strcmp(col, "version") == 0)
		return fx_db_int("SELECT version FROM tickets WHERE number = ?",
		    -1, TW_ARGS(TW_I(number)));
	if (strcmp(col, "priority") == 0)
		return fx_db_int("SELECT priority FROM tickets "
		    "WHERE number = ?", -1, TW_ARGS(TW_I(number)));
	if (strcmp(col, "owner_id") == 0)
		return fx_db_int("SELECT owner_id FROM tickets "
		    "WHERE number = ?", 0, TW_ARGS(TW_I(number)));
	if (strcmp(col, "assignee_id") == 0)
		return fx_db_int("SELECT assignee_id FROM tickets "
		    "WHERE number = ?", 0, TW_ARGS(TW_I(number)));
	if (strcmp(col, "category_id") == 0)
		return fx_db_int("SELECT category_id FROM tickets "
		    "WHERE number = ?", 0, TW_ARGS(TW_I(number)));
	if (strcmp(col, "channel_id") == 0)
		return fx_db_int("SELECT channel_id FROM tickets "
		    "WHERE number = ?", 0, TW_ARGS(TW_I(number)));
	ck_abort_msg("no column %s", col);
	return 0;
}

static const char *
ticket_status(long long number)
{
	return fx_db_str("SELECT s.code FROM tickets t JOIN statuses s "
	    "ON s.id = t.status_id WHERE t.number = ?", NULL,
	    TW_ARGS(TW_I(number)));
}

/* How many system items of number record a change of field. */
static long long
history(long long number, const char *field)
{
	return fx_db_int("SELECT COUNT(*) FROM items i JOIN tickets t "
	    "ON t.id = i.ticket_id WHERE t.number = ? AND i.kind = 'system' "
	    "AND JSON_VALUE(i.body, '$.field') = ?", -1,
	    TW_ARGS(TW_I(number), TW_S(field)));
}

static long long
system_items(long long number)
{
	return fx_db_int("SELECT COUNT(*) FROM items i JOIN tickets t "
	    "ON t.id = i.ticket_id WHERE t.number = ? AND i.kind = 'system'",
	    -1, TW_ARGS(TW_I(number)));
}

/* Permits only new -> in_progress -> answered in channel (as admin). */
static void
restrict_workflow(const char *admin_token, long long channel)
{
	struct http_resp	*r;
	char			*path;

	path = fx_printf("/admin/channels/%lld/workflow", channel);
	r = fx_api(admin_token, "POST", path, "{\"allow\": "
	    "[\"new:in_progress\", \"in_progress:answered\"]}");
	ck_assert_msg(r->status == 200, "POST %s: %ld %s", path, r->status,
	    r->body);
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM "
	    "workflow_transitions WHERE channel_id = ?", -1,
	    TW_ARGS(TW_I(channel))), 2);
	http_resp_free(r);
	free(path);
}

/* Whether the JSON array at path holds an object whose key is value. */
static int
json_list_has(struct json_object *o, const char *path, const char *key,
    const char *value)
{
	struct json_object	*list = http_json_at(o, path);
	const char		*v;
	size_t			 i;

	for (i = 0; json_object_is_type(list, json_type_array) &&
	    i < json_object_array_length(list); i++) {
		v = http_json_str(json_object_array_get_idx(list, i), key);
		if (v != NULL && strcmp(v, value) == 0)
			return 1;
	}
	return 0;
}

START_TEST(test_transitions_json)
{
	char			*admin = fx_token("admin");
	long long		 channel = channel_new("wf-json"), number;
	struct http_resp	*r;
	struct json_object	*o;

	restrict_workflow(admin, channel);
	number = ticket_in(admin, channel);

	/* new -> closed is not among the permitted. */
	r = change(admin, number, "{\"version\": 1, \"status\": \"closed\"}");
	ck_assert_msg(r->status == 422, "forbidden transition: %ld %s",
	    r->status, r->body);
	o = http_json(r);
	ck_assert_str_eq(http_json_str(o, "error.field"), "status");
	ck_assert_msg(strstr(http_json_str(o, "error.message"),
	    "In progress") != NULL, "the message names no permitted status: "
	    "%s", r->body);
	ck_assert(json_list_has(o, "error.allowed", "code", "in_progress"));
	ck_assert(!json_list_has(o, "error.allowed", "code", "closed"));
	ck_assert_str_eq(ticket_status(number), "new");
	ck_assert_int_eq(ticket_int(number, "version"), 1);
	ck_assert_int_eq(system_items(number), 0);
	json_object_put(o);
	http_resp_free(r);

	/* An unknown status is refused the same way. */
	r = change(admin, number, "{\"version\": 1, \"status\": \"nope\"}");
	ck_assert_int_eq(r->status, 422);
	http_resp_free(r);

	r = change(admin, number,
	    "{\"version\": 1, \"status\": \"in_progress\"}");
	ck_assert_msg(r->status == 200, "permitted transition: %ld %s",
	    r->status, r->body);
	o = http_json(r);
	ck_assert_str_eq(http_json_str(o, "ticket.status"), "in_progress");
	ck_assert_int_eq(http_json_int(o, "ticket.version", 0), 2);
	ck_assert_int_eq(history(number, "status"), 1);
	ck_assert_int_eq(system_items(number), 1);
	json_object_put(o);
	http_resp_free(r);

	/* The standard workflow elsewhere permits new -> closed. */
	number = ticket_in(admin, channel_new("wf-std"));
	r = change(admin, number, "{\"version\": 1, \"status\": \"closed\"}");
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(ticket_status(number), "closed");
	http_resp_free(r);
	free(admin);
}
END_TEST

/* The agent's ticket page and its CSRF token and version. */
static struct http_resp *
page(struct http_agent *a, long long number, char **csrf, char **version)
{
	char			*path = fx_printf("/tickets/%lld", number);
	struct http_resp	*r = http_get(a, path);

	ck_assert_msg(r->status == 200, "GET %s: %ld", path, r->status);
	*csrf = http_csrf(r);
	*version = http_form_value(r->body, "version");
	ck_assert_msg(*csrf != NULL && *version != NULL,
	    "the ticket page has no edit form");
	free(path);
	return r;
}

START_TEST(test_transitions_html)
{
	char			*admin = fx_token("admin"), *csrf, *version;
	char			*body, *path;
	long long		 channel = channel_new("wf-html"), number;
	struct http_agent	*a = fx_signin("admin", fx_password());
	struct http_resp	*r;

	restrict_workflow(admin, channel);
	number = ticket_in(admin, channel);
	http_resp_free(page(a, number, &csrf, &version));
	ck_assert_str_eq(version, "1");

	path = fx_printf("/tickets/%lld", number);
	body = fx_printf("_csrf=%s&version=%s&status=closed&priority=5",
	    csrf, version);
	r = http_post_form(a, path, body);
	ck_assert_msg(r->status == 422, "forbidden transition: %ld",
	    r->status);
	ck_assert(http_body_has(r, "class=\"alert\""));
	ck_assert_msg(http_body_has(r, "not permitted") &&
	    http_body_has(r, "In progress"), "the page does not name the "
	    "permitted statuses");
	ck_assert_str_eq(ticket_status(number), "new");
	ck_assert_int_eq(system_items(number), 0);
	http_resp_free(r);
	free(body);

	body = fx_printf("_csrf=%s&version=%s&status=in_progress&priority=5",
	    csrf, version);
	r = http_post_form(a, path, body);
	ck_assert_msg(r->status == 303, "permitted transition: %ld %s",
	    r->status, r->body);
	ck_assert_str_eq(ticket_status(number), "in_progress");
	http_resp_free(r);

	/* The history item reads in words on the page, once. */
	r = http_get(a, path);
	ck_assert_msg(http_body_has(r, "class=\"change-field\">Status</span>"
	    ": New → In progress"), "the page lacks the status change");
	ck_assert_int_eq(history(number, "status"), 1);
	http_resp_free(r);

	free(body);
	free(path);
	free(csrf);
	free(version);
	free(admin);
	http_agent_free(a);
}
END_TEST

START_TEST(test_owner_assignee)
{
	char			*admin = fx_token("admin");
	char			*handler = fx_user_new("wf-own");
	char			*reader = fx_user_new("wf-read");
	char			*outsider = fx_user_new("wf-out");
	long long		 channel = channel_new("wf-people"), number;
	struct http_resp	*r;
	char			*body, *token;

	member(channel, handler, "handles");
	member(channel, reader, "reads");
	number = ticket_in(admin, channel);

	/* Someone who only reads along cannot own, but can follow. */
	body = fx_printf("{\"version\": 1, \"owner\": \"%s\"}", reader);
	r = change(admin, number, body);
	ck_assert_int_eq(r->status, 422);
	ck_assert(http_body_has(r, "\"field\":\"owner\""));
	http_resp_free(r);
	free(body);

	body = fx_printf("{\"version\": 1, \"assignee\": \"%s\"}", outsider);
	r = change(admin, number, body);
	ck_assert_int_eq(r->status, 422);
	ck_assert(http_body_has(r, "\"field\":\"assignee\""));
	http_resp_free(r);
	free(body);
	ck_assert_int_eq(ticket_int(number, "owner_id"), fx_user_id("admin"));
	ck_assert_int_eq(ticket_int(number, "assignee_id"), 0);
	ck_assert_int_eq(ticket_int(number, "version"), 1);

	body = fx_printf("{\"version\": 1, \"owner\": \"%s\", "
	    "\"assignee\": \"%s\"}", handler, reader);
	r = change(admin, number, body);
	ck_assert_msg(r->status == 200, "%ld %s", r->status, r->body);
	http_resp_free(r);
	ck_assert_int_eq(ticket_int(number, "owner_id"), fx_user_id(handler));
	ck_assert_int_eq(ticket_int(number, "assignee_id"), fx_user_id(reader));
	ck_assert_int_eq(history(number, "owner"), 1);
	ck_assert_int_eq(history(number, "assignee"), 1);

	/* The same values again record nothing and keep the version. */
	free(body);
	body = fx_printf("{\"version\": 2, \"owner\": \"%s\", "
	    "\"assignee\": \"%s\", \"priority\": 5}", handler, reader);
	r = change(admin, number, body);
	ck_assert_int_eq(r->status, 200);
	http_resp_free(r);
	ck_assert_int_eq(ticket_int(number, "version"), 2);
	ck_assert_int_eq(system_items(number), 2);

	/* Who only reads along may not change it; strangers cannot see it. */
	token = fx_token(reader);
	r = change(token, number, "{\"version\": 2, \"priority\": 1}");
	ck_assert_int_eq(r->status, 403);
	http_resp_free(r);
	free(token);
	token = fx_token(outsider);
	r = change(token, number, "{\"version\": 2, \"priority\": 1}");
	ck_assert_int_eq(r->status, 404);
	http_resp_free(r);
	free(token);
	ck_assert_int_eq(ticket_int(number, "priority"), 5);

	/* "" releases the owner. */
	r = change(admin, number, "{\"version\": 2, \"owner\": \"\"}");
	ck_assert_int_eq(r->status, 200);
	http_resp_free(r);
	ck_assert_int_eq(ticket_int(number, "owner_id"), 0);
	ck_assert_int_eq(history(number, "owner"), 2);

	free(body);
	free(handler);
	free(reader);
	free(outsider);
	free(admin);
}
END_TEST

START_TEST(test_conflict_json)
{
	char			*admin = fx_token("admin");
	long long		 number;
	struct http_resp	*r;
	struct json_object	*o;

	number = ticket_in(admin, channel_new("wf-std"));
	r = change(admin, number, "{\"version\": 1, \"priority\": 2}");
	ck_assert_int_eq(r->status, 200);
	http_resp_free(r);

	/* A second client still holding version 1. */
	r = change(admin, number, "{\"version\": 1, \"priority\": 8, "
	    "\"colour\": \"blue\"}");
	ck_assert_msg(r->status == 409, "stale version: %ld %s", r->status,
	    r->body);
	o = http_json(r);
	ck_assert_int_eq(http_json_int(o, "error.status", 0), 409);
	ck_assert_str_eq(http_json_str(o, "error.field"), "version");
	ck_assert_int_eq(http_json_int(o, "ticket.version", 0), 2);
	ck_assert_int_eq(http_json_int(o, "ticket.priority", 0), 2);
	ck_assert(json_list_has(o, "changes", "field", "priority"));
	json_object_put(o);
	http_resp_free(r);

	ck_assert_int_eq(ticket_int(number, "priority"), 2);
	ck_assert_int_eq(ticket_int(number, "version"), 2);
	ck_assert_int_eq(history(number, "colour"), 0);
	ck_assert_int_eq(history(number, "priority"), 1);

	/* The version is required. */
	r = change(admin, number, "{\"priority\": 3}");
	ck_assert_int_eq(r->status, 422);
	ck_assert(http_body_has(r, "\"field\":\"version\""));
	http_resp_free(r);
	free(admin);
}
END_TEST

START_TEST(test_conflict_html)
{
	char			*admin = fx_token("admin"), *csrf, *version;
	char			*body, *path;
	long long		 number;
	struct http_agent	*a = fx_signin("admin", fx_password());
	struct http_resp	*r;

	number = ticket_in(admin, channel_new("wf-std"));
	http_resp_free(page(a, number, &csrf, &version));

	/* Someone else closes the ticket meanwhile. */
	r = change(admin, number, "{\"version\": 1, \"status\": \"closed\"}");
	ck_assert_int_eq(r->status, 200);
	http_resp_free(r);

	path = fx_printf("/tickets/%lld", number);
	body = fx_printf("_csrf=%s&version=%s&status=new&priority=1",
	    csrf, version);
	r = http_post_form(a, path, body);
	ck_assert_msg(r->status == 409, "stale form: %ld", r->status);
	ck_assert(http_body_has(r, "Someone else changed this ticket"));
	ck_assert_msg(http_body_has(r, "Status</span>: New → Closed"),
	    "the page does not list the change it missed");
	ck_assert(http_body_has(r, "name=\"version\" value=\"2\""));
	http_resp_free(r);

	ck_assert_str_eq(ticket_status(number), "closed");
	ck_assert_int_eq(ticket_int(number, "priority"), 5);
	ck_assert_int_eq(history(number, "priority"), 0);

	free(body);
	free(path);
	free(csrf);
	free(version);
	free(admin);
	http_agent_free(a);
}
END_TEST

START_TEST(test_item_with_changes)
{
	char			*admin = fx_token("admin");
	char			*follower = fx_user_new("wf-follow");
	long long		 channel = channel_new("wf-item"), number;
	struct http_resp	*r;
	char			*body, *path;

	member(channel, follower, "reads");
	number = ticket_in(admin, channel);
	path = fx_printf("/tickets/%lld/items", number);

	body = fx_printf("{\"body\": \"Waiting for the customer\", "
	    "\"status\": \"answered\", \"assignee\": \"%s\"}", follower);
	r = fx_api(admin, "POST", path, body);
	ck_assert_msg(r->status == 201, "item with changes: %ld %s",
	    r->status, r->body);
	http_resp_free(r);
	ck_assert_str_eq(ticket_status(number), "answered");
	ck_assert_int_eq(ticket_int(number, "assignee_id"),
	    fx_user_id(follower));
	ck_assert_int_eq(ticket_int(number, "version"), 2);
	ck_assert_int_eq(history(number, "status"), 1);
	ck_assert_int_eq(history(number, "assignee"), 1);

	/* A refused change adds no item either. */
	r = fx_api(admin, "POST", path, "{\"body\": \"Should not appear\", "
	    "\"owner\": \"nobody-here\"}");
	ck_assert_int_eq(r->status, 422);
	http_resp_free(r);
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM items "
	    "WHERE body = 'Should not appear'", -1, TW_NOARGS), 0);

	/* A stale version only matters when a field changes. */
	r = fx_api(admin, "POST", path, "{\"body\": \"Just a note\", "
	    "\"version\": 1, \"status\": \"answered\"}");
	ck_assert_int_eq(r->status, 201);
	http_resp_free(r);
	r = fx_api(admin, "POST", path, "{\"body\": \"Stale change\", "
	    "\"version\": 1, \"status\": \"closed\"}");
	ck_assert_int_eq(r->status, 409);
	http_resp_free(r);
	ck_assert_str_eq(ticket_status(number), "answered");

	free(body);
	free(path);
	free(follower);
	free(admin);
}
END_TEST

START_TEST(test_categories_colour_channel)
{
	char			*admin = fx_token("admin");
	long long		 a = channel_new("wf-cat-a");
	long long		 b = channel_new("wf-cat-b");
	long long		 number, cat_a, cat_b;
	struct http_resp	*r;
	struct json_object	*o;
	char			*path, *body;

	path = fx_printf("/admin/channels/%lld/categories", a);
	r = fx_api(admin, "POST", path, "{\"name\": \"Hardware\"}");
	ck_assert_msg(r->status == 201, "%ld %s", r->status, r->body);
	o = http_json(r);
	cat_a = http_json_int(o, "id", 0);
	json_object_put(o);
	http_resp_free(r);
	r = fx_api(admin, "POST", path, "{\"name\": \"Hardware\"}");
	ck_assert_int_eq(r->status, 409);
	http_resp_free(r);
	free(path);

	path = fx_printf("/admin/channels/%lld/categories", b);
	r = fx_api(admin, "POST", path, "{\"name\": \"Hardware\"}");
	ck_assert_int_eq(r->status, 201);
	o = http_json(r);
	cat_b = http_json_int(o, "id", 0);
	json_object_put(o);
	http_resp_free(r);
	free(path);

	number = ticket_in(admin, a);
	body = fx_printf("{\"version\": 1, \"category\": %lld}", cat_b);
	r = change(admin, number, body);
	ck_assert_int_eq(r->status, 422);
	ck_assert(http_body_has(r, "\"field\":\"category\""));
	http_resp_free(r);
	free(body);

	body = fx_printf("{\"version\": 1, \"category\": %lld, "
	    "\"colour\": \"green\"}", cat_a);
	r = change(admin, number, body);
	ck_assert_int_eq(r->status, 200);
	o = http_json(r);
	ck_assert_str_eq(http_json_str(o, "ticket.category"), "Hardware");
	ck_assert_str_eq(http_json_str(o, "ticket.colour"), "green");
	json_object_put(o);
	http_resp_free(r);
	free(body);
	ck_assert_int_eq(ticket_int(number, "category_id"), cat_a);

	r = change(admin, number, "{\"version\": 2, \"colour\": \"pink\"}");
	ck_assert_int_eq(r->status, 422);
	ck_assert(http_body_has(r, "\"field\":\"colour\""));
	http_resp_free(r);

	/* Moving drops the old channel's category, and says so. */
	body = fx_printf("{\"version\": 2, \"channel\": %lld}", b);
	r = change(admin, number, body);
	ck_assert_msg(r->status == 200, "%ld %s", r->status, r->body);
	http_resp_free(r);
	free(body);
	ck_assert_int_eq(ticket_int(number, "channel_id"), b);
	ck_assert_int_eq(ticket_int(number, "category_id"), 0);
	ck_assert_int_eq(history(number, "channel"), 1);
	ck_assert_int_eq(history(number, "category"), 2);
	ck_assert_int_eq(history(number, "colour"), 1);

	/* A channel the agent does not handle is refused. */
	fx_db_exec("DELETE FROM channel_members WHERE channel_id = ? "
	    "AND user_id = ?", TW_ARGS(TW_I(a), TW_I(fx_user_id("admin"))));
	body = fx_printf("{\"version\": 3, \"channel\": %lld}", a);
	r = change(admin, number, body);
	ck_assert_int_eq(r->status, 422);
	ck_assert(http_body_has(r, "\"field\":\"channel\""));
	http_resp_free(r);
	free(body);

	/* Renaming and removing; the ticket loses a removed category. */
	body = fx_printf("{\"version\": 3, \"category\": %lld}", cat_b);
	r = change(admin, number, body);
	ck_assert_int_eq(r->status, 200);
	http_resp_free(r);
	free(body);
	path = fx_printf("/admin/categories/%lld", cat_b);
	r = fx_api(admin, "POST", path, "{\"name\": \"Printers\"}");
	ck_assert_int_eq(r->status, 200);
	http_resp_free(r);
	free(path);
	ck_assert_str_eq(fx_db_str("SELECT name FROM categories WHERE id = ?",
	    NULL, TW_ARGS(TW_I(cat_b))), "Printers");
	path = fx_printf("/admin/categories/%lld/delete", cat_b);
	r = fx_api(admin, "POST", path, NULL);
	ck_assert_int_eq(r->status, 200);
	http_resp_free(r);
	free(path);
	ck_assert_int_eq(ticket_int(number, "category_id"), 0);

	free(admin);
}
END_TEST

START_TEST(test_colour_html)
{
	char			*admin = fx_token("admin"), *csrf, *version;
	char			*body, *path;
	long long		 number;
	struct http_agent	*a = fx_signin("admin", fx_password());
	struct http_resp	*r;

	number = ticket_in(admin, channel_new("wf-std"));
	http_resp_free(page(a, number, &csrf, &version));
	path = fx_printf("/tickets/%lld", number);
	body = fx_printf("_csrf=%s&version=%s&colour=purple", csrf, version);
	r = http_post_form(a, path, body);
	ck_assert_int_eq(r->status, 303);
	http_resp_free(r);

	r = http_get(a, path);
	ck_assert(http_body_has(r, "class=\"bar mark-purple\""));
	ck_assert(http_body_has(r, "Colour</span>: None → Purple"));
	ck_assert(!http_body_has(r, "style="));
	http_resp_free(r);

	free(body);
	free(path);
	free(csrf);
	free(version);
	free(admin);
	http_agent_free(a);
}
END_TEST

START_TEST(test_admin_access)
{
	char			*login = fx_user_new("wf-agent");
	char			*token = fx_token(login);
	char			*csrf, *body, *name, *path;
	struct http_agent	*a;
	struct http_resp	*r;
	long long		 id;

	r = fx_api(token, "GET", "/admin/statuses", NULL);
	ck_assert_int_eq(r->status, 403);
	http_resp_free(r);
	r = fx_api(token, "POST", "/admin/statuses",
	    "{\"name\": \"Sneaky\", \"side\": \"us\"}");
	ck_assert_int_eq(r->status, 403);
	http_resp_free(r);
	r = fx_api(token, "GET", "/admin/workflows", NULL);
	ck_assert_int_eq(r->status, 403);
	http_resp_free(r);
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM statuses "
	    "WHERE name = 'Sneaky'", -1, TW_NOARGS), 0);

	a = fx_signin(login, fx_password());
	r = http_get(a, "/admin/statuses");
	ck_assert_int_eq(r->status, 403);
	http_resp_free(r);
	http_agent_free(a);

	/* An administrator adds and renames a status through the forms. */
	a = fx_signin("admin", fx_password());
	r = http_get(a, "/admin/statuses");
	ck_assert_int_eq(r->status, 200);
	ck_assert(http_body_has(r, "In progress"));
	csrf = http_csrf(r);
	http_resp_free(r);
	name = fx_marker("Waiting");
	body = fx_printf("_csrf=%s&name=%s&side=customer", csrf, name);
	r = http_post_form(a, "/admin/statuses", body);
	ck_assert_msg(r->status == 303, "add status: %ld %s", r->status,
	    r->body);
	http_resp_free(r);
	id = fx_db_int("SELECT id FROM statuses WHERE name = ? "
	    "AND side = 'customer' AND code = CONCAT('custom_', id)", 0,
	    TW_ARGS(TW_S(name)));
	ck_assert_msg(id > 0, "the custom status is not stored");

	free(body);
	body = fx_printf("_csrf=%s&name=%s&side=sideways", csrf, name);
	r = http_post_form(a, "/admin/statuses", body);
	ck_assert_int_eq(r->status, 422);
	ck_assert(http_body_has(r, "class=\"alert\""));
	http_resp_free(r);

	free(body);
	path = fx_printf("/admin/statuses/%lld", id);
	body = fx_printf("_csrf=%s&name=%s-renamed", csrf, name);
	r = http_post_form(a, path, body);
	ck_assert_int_eq(r->status, 303);
	http_resp_free(r);
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM statuses "
	    "WHERE id = ? AND name LIKE '%-renamed'", -1,
	    TW_ARGS(TW_I(id))), 1);

	/* The workflow matrix, as a form. */
	free(path);
	id = channel_new("wf-matrix");
	path = fx_printf("/admin/channels/%lld/workflow", id);
	r = http_get(a, path);
	ck_assert_int_eq(r->status, 200);
	ck_assert(http_body_has(r, "value=\"new:closed\""));
	http_resp_free(r);
	free(body);
	body = fx_printf("_csrf=%s&allow=new%%3Aanswered&allow=answered%%3A"
	    "closed", csrf);
	free(path);
	path = fx_printf("/admin/channels/%lld/workflow", id);
	r = http_post_form(a, path, body);
	ck_assert_msg(r->status == 303, "save workflow: %ld %s", r->status,
	    r->body);
	http_resp_free(r);
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM "
	    "workflow_transitions WHERE channel_id = ?", -1,
	    TW_ARGS(TW_I(id))), 2);

	free(body);
	body = fx_printf("_csrf=%s&allow=new%%3Anew", csrf);
	r = http_post_form(a, path, body);
	ck_assert_int_eq(r->status, 422);
	http_resp_free(r);
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM "
	    "workflow_transitions WHERE channel_id = ?", -1,
	    TW_ARGS(TW_I(id))), 2);

	free(path);
	free(body);
	free(name);
	free(csrf);
	free(token);
	free(login);
	http_agent_free(a);
}
END_TEST

struct reopen {
	struct tw_arena	*arena;
	long long	 ticket_id;
	int		 reopened;
};

static enum tw_err
reopen_txn(void *ctx)
{
	struct reopen	*c = ctx;

	return tw_ticket_reopen(c->arena, c->ticket_id, 0, &c->reopened);
}

/* Calls the library's tw_ticket_reopen() in a transaction of its own. */
static int
reopen(long long number)
{
	struct reopen	c;
	enum tw_err	rc;

	c.ticket_id = fx_db_int("SELECT id FROM tickets WHERE number = ?", 0,
	    TW_ARGS(TW_I(number)));
	c.arena = tw_arena_new();
	c.reopened = -1;
	rc = tw_db_txn(reopen_txn, &c);
	ck_assert_msg(rc == TW_OK, "tw_ticket_reopen: %s", tw_err_str(rc));
	tw_arena_free(c.arena);
	return c.reopened;
}

START_TEST(test_reopen)
{
	char			*admin = fx_token("admin");
	long long		 number;
	struct http_resp	*r;
	char			*path;

	number = ticket_in(admin, channel_new("wf-std"));
	ck_assert_int_eq(reopen(number), 0);
	ck_assert_int_eq(system_items(number), 0);

	r = change(admin, number, "{\"version\": 1, \"status\": \"closed\"}");
	ck_assert_int_eq(r->status, 200);
	http_resp_free(r);

	/* The ticket has an owner (its creator), so it goes back to work. */
	ck_assert_int_eq(reopen(number), 1);
	ck_assert_str_eq(ticket_status(number), "in_progress");
	ck_assert_int_eq(ticket_int(number, "version"), 3);
	ck_assert_int_eq(history(number, "status"), 2);

	path = fx_printf("/tickets/%lld", number);
	r = fx_api(admin, "GET", path, NULL);
	ck_assert(http_body_has(r, "\"reopened\":\"reopened: the customer "
	    "wrote again\""));
	http_resp_free(r);

	/* Without an owner it starts again as new. */
	r = change(admin, number, "{\"version\": 3, \"status\": \"closed\", "
	    "\"owner\": \"\"}");
	ck_assert_int_eq(r->status, 200);
	http_resp_free(r);
	ck_assert_int_eq(reopen(number), 1);
	ck_assert_str_eq(ticket_status(number), "new");
	ck_assert_int_eq(reopen(number), 0);
	ck_assert_int_eq(history(number, "status"), 4);

	free(path);
	free(admin);
}
END_TEST

/*
 * The programs keep agents, channels and their members, statuses,
 * categories and workflows in memory.  A change made in the database
 * past every program, as a person at the SQL prompt would make it, still
 * shows in the next answer of every worker.
 */
START_TEST(test_reference_data_current)
{
	char			*admin = fx_token("admin"), *path, *category;
	char			*login = fx_user_new("wf-ref"), *renamed;
	long long		 channel = channel_new("wf-ref"), number;
	struct http_resp	*r;
	struct json_object	*o;
	int			 i;

	number = ticket_in(admin, channel);
	path = fx_printf("/tickets/%lld", number);
	for (i = 0; i < 4; i++) {
		r = fx_api(admin, "GET", path, NULL);
		ck_assert_int_eq(r->status, 200);
		o = http_json(r);
		ck_assert(!json_list_has(o, "edit.owners", "login", login));
		ck_assert(json_list_has(o, "edit.statuses", "code", "in_progress"));
		json_object_put(o);
		http_resp_free(r);
	}

	category = fx_marker("wf-ref-category");
	renamed = fx_marker("wf-ref-renamed");
	fx_db_exec("INSERT INTO categories (channel_id, name) VALUES (?, ?)",
	    TW_ARGS(TW_I(channel), TW_S(category)));
	member(channel, login, "handles");
	fx_db_exec("UPDATE users SET name = ? WHERE login = ?",
	    TW_ARGS(TW_S(renamed), TW_S(login)));
	fx_db_exec("INSERT INTO workflow_transitions (channel_id, "
	    "from_status_id, to_status_id) SELECT ?, f.id, t.id "
	    "FROM statuses f, statuses t "
	    "WHERE f.code = 'new' AND t.code = 'closed'",
	    TW_ARGS(TW_I(channel)));

	/* More requests than workers, so each worker answers one. */
	for (i = 0; i < 4; i++) {
		r = fx_api(admin, "GET", path, NULL);
		ck_assert_int_eq(r->status, 200);
		o = http_json(r);
		ck_assert(json_list_has(o, "edit.categories", "label", category));
		ck_assert(json_list_has(o, "edit.owners", "login", login));
		ck_assert(json_list_has(o, "edit.owners", "label", renamed));
		ck_assert(json_list_has(o, "edit.statuses", "code", "closed"));
		ck_assert(!json_list_has(o, "edit.statuses", "code", "in_progress"));
		json_object_put(o);
		http_resp_free(r);
	}

	free(renamed);
	free(category);
	free(path);
	free(login);
	free(admin);
}
END_TEST

Suite *
tw_workflow_suite(void)
{
	Suite	*s = suite_create("workflow");
	TCase	*tc = fx_tcase("workflow", 60);

	tcase_add_test(tc, test_transitions_json);
	tcase_add_test(tc, test_transitions_html);
	tcase_add_test(tc, test_owner_assignee);
	tcase_add_test(tc, test_conflict_json);
	tcase_add_test(tc, test_conflict_html);
	tcase_add_test(tc, test_item_with_changes);
	tcase_add_test(tc, test_categories_colour_channel);
	tcase_add_test(tc, test_colour_html);
	tcase_add_test(tc, test_admin_access);
	tcase_add_test(tc, test_reopen);
	tcase_add_test(tc, test_reference_data_current);
	suite_add_tcase(s, tc);
	return s;
}
