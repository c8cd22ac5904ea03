/*
 * test_alerts.c: staying informed, over HTTP: watchers added and
 * removed, alerts for watchers but not for an item's author, channel
 * watchers' members alerted, the unread count in the navigation, alert
 * mail queued with the ticket number in its subject, follow-up
 * reminders and the due list, and appointments as calendar files.
 *
 * Each test makes its own agents (and, where it matters, its own
 * channel), so counts do not depend on what other tests did.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <json-c/json.h>

#include "http.h"
#include "sink.h"
#include "suites.h"

/* A JSON POST that must be answered with want; returns the body. */
static struct json_object *
api_ok(const char *token, const char *path, const char *body, long want)
{
	struct http_resp	*r = fx_api(token, "POST", path, body);
	struct json_object	*o;

	ck_assert_msg(r->status == want, "POST %s %s: %ld %s", path, body,
	    r->status, r->body);
	o = http_json(r);
	http_resp_free(r);
	return o;
}

/* Makes login a member of channel with role ("handles" or "reads"). */
static void
join(const char *login, long long channel, const char *role)
{
	fx_db_exec("INSERT INTO channel_members (channel_id, user_id, role) "
	    "VALUES (?, ?, ?)", TW_ARGS(TW_I(channel), TW_I(fx_user_id(login)),
	    TW_S(role)));
}

/* A new agent who handles channel, with an email address when mail. */
static char *
agent(const char *tag, long long channel, int mail)
{
	char	*login = fx_user_new(tag), *email;

	join(login, channel, "handles");
	if (mail) {
		email = fx_printf("%s@example.org", login);
		fx_db_exec("UPDATE users SET email = ? WHERE login = ?",
		    TW_ARGS(TW_S(email), TW_S(login)));
		free(email);
	}
	return login;
}

/* A channel of this test's own. */
static long long
channel_new(void)
{
	char		*name = fx_marker("itest-ch");
	long long	 id;

	fx_db_exec("INSERT INTO channels (name) VALUES (?)",
	    TW_ARGS(TW_S(name)));
	id = fx_channel(name);
	free(name);
	return id;
}

/* Alerts of login about ticket number. */
static long long
alerts_of(const char *login, long long number)
{
	return fx_db_int("SELECT COUNT(*) FROM alerts a "
	    "JOIN tickets t ON t.id = a.ticket_id "
	    "JOIN users u ON u.id = a.user_id "
	    "WHERE u.login = ? AND t.number = ?", -1,
	    TW_ARGS(TW_S(login), TW_I(number)));
}

/* Adds a note to ticket number as token's user; returns the item id. */
static long long
note(const char *token, long long number, const char *text)
{
	struct json_object	*o;
	char			*path;
	char			*body = fx_printf("{\"body\":\"%s\"}", text);
	long long		 id;

	path = fx_printf("/tickets/%lld/items", number);
	o = api_ok(token, path, body, 201);
	id = http_json_int(o, "id", 0);
	ck_assert_int_gt(id, 0);
	json_object_put(o);
	free(body);
	free(path);
	return id;
}

/* Whether the watchers array of o holds name with kind. */
static int
watches(struct json_object *o, const char *kind, const char *name)
{
	struct json_object	*list = http_json_at(o, "watchers"), *w;
	const char		*k, *n;
	size_t			 i;

	for (i = 0; json_object_is_type(list, json_type_array) &&
	    i < json_object_array_length(list); i++) {
		w = json_object_array_get_idx(list, i);
		k = http_json_str(w, "kind");
		n = http_json_str(w, strcmp(kind, "user") == 0 ? "login" :
		    "name");
		if (k != NULL && n != NULL && strcmp(k, kind) == 0 &&
		    strcmp(n, name) == 0)
			return 1;
	}
	return 0;
}

/* The number in the navigation's counter named which, or 0 if none. */
static long long
nav_count(const struct http_resp *r, const char *which)
{
	char		*needle = fx_printf("data-count=\"%s\">", which);
	const char	*p = strstr(r->body, needle);
	long long	 n = 0;

	if (p != NULL)
		n = strtoll(p + strlen(needle), NULL, 10);
	free(needle);
	return n;
}

START_TEST(test_watchers_add_remove)
{
	struct json_object	*o;
	long long		 support = fx_channel("Support"), number;
	char			*owner, *other, *stranger, *token, *path, *rm;
	char			*body, *subject = fx_marker("itest-watch");

	owner = agent("itest-wo", support, 0);
	other = agent("itest-ww", support, 0);
	stranger = fx_user_new("itest-wx");
	token = fx_token(owner);
	number = fx_ticket_new(token, subject, support);
	path = fx_printf("/tickets/%lld/watchers", number);
	rm = fx_printf("/tickets/%lld/watchers/remove", number);

	/* The creator watches from the start. */
	body = fx_printf("{\"user\":\"%s\"}", other);
	o = api_ok(token, path, body, 200);
	ck_assert_msg(watches(o, "user", owner), "the creator does not watch");
	ck_assert_msg(watches(o, "user", other), "the agent was not added");
	json_object_put(o);

	/* Twice is fine, and still one watcher. */
	json_object_put(api_ok(token, path, body, 200));
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM ticket_watchers w "
	    "JOIN tickets t ON t.id = w.ticket_id WHERE t.number = ?", -1,
	    TW_ARGS(TW_I(number))), 2);

	/* The whole channel. */
	free(body);
	body = fx_printf("{\"channel\":%lld}", support);
	o = api_ok(token, path, body, 200);
	ck_assert(watches(o, "channel", "Support"));
	json_object_put(o);
	json_object_put(api_ok(token, rm, body, 200));

	/* An agent outside the channel cannot watch; neither or both of
	 * agent and channel is a mistake too. */
	free(body);
	body = fx_printf("{\"user\":\"%s\"}", stranger);
	o = api_ok(token, path, body, 422);
	ck_assert_str_eq(http_json_str(o, "error.field"), "user");
	json_object_put(o);
	json_object_put(api_ok(token, path, "{}", 422));
	free(body);
	body = fx_printf("{\"user\":\"%s\",\"channel\":%lld}", other, support);
	json_object_put(api_ok(token, path, body, 422));

	/* Removing, and removing what is not there. */
	free(body);
	body = fx_printf("{\"user\":\"%s\"}", other);
	o = api_ok(token, rm, body, 200);
	ck_assert(!watches(o, "user", other));
	ck_assert(watches(o, "user", owner));
	json_object_put(o);
	json_object_put(api_ok(token, rm, body, 404));

	/* Someone outside the ticket's channel finds no ticket. */
	free(token);
	token = fx_token(stranger);
	json_object_put(api_ok(token, path, body, 404));
	json_object_put(api_ok(token, rm, body, 404));

	free(body);
	free(rm);
	free(path);
	free(token);
	free(stranger);
	free(other);
	free(owner);
	free(subject);
}
END_TEST

START_TEST(test_alerts_and_mail)
{
	struct json_object	*o;
	long long		 support = fx_channel("Support"), number;
	long long		 item;
	char			*author, *watcher, *quiet, *idle;
	char			*token, *wtoken, *path, *body;
	char			*subject = fx_marker("itest-alert");
	char			*tagged, *email;
	const char		*s;

	author = agent("itest-aa", support, 0);
	watcher = agent("itest-aw", support, 1);
	quiet = agent("itest-aq", support, 1);
	idle = agent("itest-ai", support, 1);

	/* quiet turns alert mail off, as every agent may. */
	token = fx_token(quiet);
	json_object_put(api_ok(token, "/alerts/settings",
	    "{\"notify_email\":2}", 422));
	o = api_ok(token, "/alerts/settings", "{\"notify_email\":0}", 200);
	ck_assert(!json_object_get_boolean(http_json_at(o, "notify_email")));
	json_object_put(o);
	o = http_json(fx_api(token, "GET", "/alerts/", NULL));
	ck_assert(!json_object_get_boolean(http_json_at(o, "notify_email")));
	json_object_put(o);
	ck_assert_int_eq(fx_db_int("SELECT notify_email FROM users "
	    "WHERE login = ?", -1, TW_ARGS(TW_S(quiet))), 0);
	free(token);
	token = fx_token(author);
	number = fx_ticket_new(token, subject, support);
	path = fx_printf("/tickets/%lld/watchers", number);
	body = fx_printf("{\"user\":\"%s\"}", watcher);
	json_object_put(api_ok(token, path, body, 200));
	free(body);
	body = fx_printf("{\"user\":\"%s\"}", quiet);
	json_object_put(api_ok(token, path, body, 200));

	/* The author's own item alerts the watchers, not the author; an
	 * agent of the channel who does not watch hears nothing. */
	item = note(token, number, "First note");
	ck_assert_int_eq(alerts_of(watcher, number), 1);
	ck_assert_int_eq(alerts_of(quiet, number), 1);
	ck_assert_int_eq(alerts_of(author, number), 0);
	ck_assert_int_eq(alerts_of(idle, number), 0);
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM alerts a "
	    "JOIN users u ON u.id = a.user_id WHERE u.login = ? "
	    "AND a.item_id = ? AND a.read_at IS NULL", -1,
	    TW_ARGS(TW_S(watcher), TW_I(item))), 1);

	/* One mail, queued for the watcher who wants mail, tagged with the
	 * ticket number; none for the one who turned mail off. */
	email = fx_printf("%s@example.org", watcher);
	tagged = fx_printf("[#%lld] %s", number, subject);
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM outbound_mail "
	    "WHERE item_id = ?", -1, TW_ARGS(TW_I(item))), 1);
	s = fx_db_str("SELECT subject FROM outbound_mail WHERE item_id = ? "
	    "AND to_address = ?", NULL, TW_ARGS(TW_I(item), TW_S(email)));
	ck_assert_msg(s != NULL && strcmp(s, tagged) == 0,
	    "mail subject %s, wanted %s", s, tagged);
	s = fx_db_str("SELECT state FROM outbound_mail WHERE item_id = ?",
	    NULL, TW_ARGS(TW_I(item)));
	ck_assert_str_eq(s, "queued");
	s = fx_db_str("SELECT body_text FROM outbound_mail WHERE item_id = ?",
	    NULL, TW_ARGS(TW_I(item)));
	ck_assert_msg(s != NULL && strstr(s, "First note") != NULL,
	    "the mail lacks the item's text: %s", s);
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM outbound_mail m "
	    "JOIN tickets t ON t.id = m.ticket_id WHERE t.number = ? "
	    "AND m.message_id LIKE '<%@%>'", -1, TW_ARGS(TW_I(number))), 1);

	/* The watcher's reply alerts the author, who watches as creator. */
	wtoken = fx_token(watcher);
	note(wtoken, number, "Reply");
	ck_assert_int_eq(alerts_of(author, number), 1);
	ck_assert_int_eq(alerts_of(watcher, number), 1);
	ck_assert_int_eq(alerts_of(quiet, number), 2);

	/* The alert list over JSON, newest first, linking to the item. */
	o = http_json(fx_api(wtoken, "GET", "/alerts/", NULL));
	ck_assert_int_eq(http_json_int(o, "unread", -1), 1);
	ck_assert_int_eq(http_json_int(json_object_array_get_idx(
	    http_json_at(o, "alerts"), 0), "item_id", 0), item);
	json_object_put(o);

	free(tagged);
	free(email);
	free(path);
	free(body);
	free(wtoken);
	free(token);
	free(idle);
	free(quiet);
	free(watcher);
	free(author);
	free(subject);
}
END_TEST

START_TEST(test_channel_watchers)
{
	long long	 channel = channel_new(), number;
	char		*author, *reader, *handler, *outsider, *token, *path;
	char		*body, *subject = fx_marker("itest-chw");

	author = agent("itest-ca", channel, 0);
	handler = agent("itest-ch", channel, 0);
	reader = fx_user_new("itest-cr");
	join(reader, channel, "reads");
	outsider = fx_user_new("itest-co");
	token = fx_token(author);
	number = fx_ticket_new(token, subject, channel);

	path = fx_printf("/tickets/%lld/watchers", number);
	body = fx_printf("{\"channel\":%lld}", channel);
	json_object_put(api_ok(token, path, body, 200));
	note(token, number, "For the whole channel");

	/* Every member, readers too, but not the author, and no one else. */
	ck_assert_int_eq(alerts_of(handler, number), 1);
	ck_assert_int_eq(alerts_of(reader, number), 1);
	ck_assert_int_eq(alerts_of(author, number), 0);
	ck_assert_int_eq(alerts_of(outsider, number), 0);

	/* A channel one does not belong to cannot be added. */
	free(token);
	token = fx_token(handler);
	free(body);
	body = fx_printf("{\"channel\":%lld}", fx_channel("Support"));
	json_object_put(api_ok(token, path, body, 422));

	free(body);
	free(path);
	free(token);
	free(outsider);
	free(reader);
	free(handler);
	free(author);
	free(subject);
}
END_TEST

START_TEST(test_unread_count_in_page)
{
	struct http_agent	*a;
	struct http_resp	*r;
	long long		 support = fx_channel("Support"), number, alert;
	long long		 foreign;
	char			*author, *watcher, *token, *path, *body, *csrf;
	char			*subject = fx_marker("itest-unread"), *href;

	author = agent("itest-ua", support, 0);
	watcher = agent("itest-uw", support, 0);
	token = fx_token(author);
	number = fx_ticket_new(token, subject, support);
	path = fx_printf("/tickets/%lld/watchers", number);
	body = fx_printf("{\"user\":\"%s\"}", watcher);
	json_object_put(api_ok(token, path, body, 200));
	note(token, number, "One");
	note(token, number, "Two");

	a = fx_signin(watcher, fx_password());
	r = http_get(a, "/alerts/");
	ck_assert_int_eq(r->status, 200);
	ck_assert_int_eq(nav_count(r, "alerts"), 2);
	ck_assert(http_body_has(r, subject));
	href = fx_printf("href=\"/tickets/%lld#item-", number);
	ck_assert_msg(http_body_has(r, href), "no link to the item");
	ck_assert(http_body_has(r, "class=\"unread\""));
	csrf = http_csrf(r);
	ck_assert_ptr_nonnull(csrf);
	http_resp_free(r);

	/* Marking one read lowers the count on every page. */
	alert = fx_db_int("SELECT MIN(a.id) FROM alerts a JOIN users u "
	    "ON u.id = a.user_id WHERE u.login = ?", 0,
	    TW_ARGS(TW_S(watcher)));
	free(body);
	body = fx_printf("_csrf=%s&id=%lld", csrf, alert);
	r = http_post_form(a, "/alerts/read", body);
	ck_assert_int_eq(r->status, 303);
	http_resp_free(r);
	r = http_get(a, "/tickets/");
	ck_assert_int_eq(nav_count(r, "alerts"), 1);
	http_resp_free(r);

	/* Without the token nothing changes; another's alert is not found. */
	r = http_post_form(a, "/alerts/read", "all=1");
	ck_assert_int_eq(r->status, 403);
	http_resp_free(r);
	foreign = fx_db_int("SELECT MIN(a.id) FROM alerts a JOIN users u "
	    "ON u.id = a.user_id WHERE u.login <> ?", 0,
	    TW_ARGS(TW_S(watcher)));
	if (foreign > 0) {
		free(body);
		body = fx_printf("_csrf=%s&id=%lld", csrf, foreign);
		r = http_post_form(a, "/alerts/read", body);
		ck_assert_int_eq(r->status, 404);
		http_resp_free(r);
	}
	r = http_get(a, "/tickets/");
	ck_assert_int_eq(nav_count(r, "alerts"), 1);
	http_resp_free(r);

	free(body);
	body = fx_printf("_csrf=%s&all=1", csrf);
	r = http_post_form(a, "/alerts/read", body);
	ck_assert_int_eq(r->status, 303);
	http_resp_free(r);
	r = http_get(a, "/alerts/");
	ck_assert_int_eq(nav_count(r, "alerts"), 0);
	ck_assert(!http_body_has(r, "data-count=\"alerts\""));
	ck_assert(!http_body_has(r, "class=\"unread\""));
	http_resp_free(r);

	http_agent_free(a);
	free(href);
	free(csrf);
	free(body);
	free(path);
	free(token);
	free(watcher);
	free(author);
	free(subject);
}
END_TEST

/*
 * Alerts on tickets an agent can no longer open stop counting: those of
 * a ticket moved to a channel the agent is not in, and all of a channel
 * the agent left.
 */
START_TEST(test_unread_follows_visibility)
{
	struct http_agent	*a;
	struct http_resp	*r;
	long long		 support = fx_channel("Support");
	long long		 sales = fx_channel("Sales"), stay, moves;
	char			*author, *watcher, *token, *admin, *path;
	char			*body, *subject = fx_marker("itest-gone");

	author = agent("itest-ga", support, 0);
	join(author, sales, "handles");
	watcher = agent("itest-gw", support, 0);
	token = fx_token(author);
	admin = fx_token("admin");
	stay = fx_ticket_new(token, subject, support);
	moves = fx_ticket_new(token, subject, support);
	body = fx_printf("{\"user\":\"%s\"}", watcher);
	path = fx_printf("/tickets/%lld/watchers", stay);
	json_object_put(api_ok(token, path, body, 200));
	free(path);
	path = fx_printf("/tickets/%lld/watchers", moves);
	json_object_put(api_ok(token, path, body, 200));
	note(token, stay, "Stays");
	note(token, moves, "Moves");

	a = fx_signin(watcher, fx_password());
	r = http_get(a, "/alerts/");
	ck_assert_int_eq(nav_count(r, "alerts"), 2);
	http_resp_free(r);

	/* Moved to Sales, where the watcher is no member. */
	free(path);
	path = fx_printf("/tickets/%lld", moves);
	free(body);
	body = fx_printf("{\"version\":%lld,\"channel\":%lld}",
	    fx_db_int("SELECT version FROM tickets WHERE number = ?", 0,
	    TW_ARGS(TW_I(moves))), sales);
	json_object_put(api_ok(token, path, body, 200));
	r = http_get(a, "/alerts/");
	ck_assert_int_eq(nav_count(r, "alerts"), 1);
	ck_assert(!http_body_has(r, "Moves"));
	http_resp_free(r);

	/* The watcher leaves Support. */
	free(path);
	path = fx_printf("/admin/channels/%lld/members/remove", support);
	free(body);
	body = fx_printf("{\"agent\":%lld}", fx_user_id(watcher));
	json_object_put(api_ok(admin, path, body, 200));
	r = http_get(a, "/alerts/");
	ck_assert_int_eq(nav_count(r, "alerts"), 0);
	http_resp_free(r);

	http_agent_free(a);
	free(body);
	free(path);
	free(admin);
	free(token);
	free(watcher);
	free(author);
	free(subject);
}
END_TEST

START_TEST(test_reminders)
{
	struct http_agent	*a;
	struct http_resp	*r;
	struct json_object	*o;
	long long		 support = fx_channel("Support"), number;
	char			*owner, *token, *path, *subject, *next, *change;
	char			*page;
	const char		*s;

	subject = fx_marker("itest-remind");
	owner = agent("itest-ro", support, 0);
	token = fx_token(owner);
	number = fx_ticket_new(token, subject, support);
	path = fx_printf("/tickets/%lld/reminder", number);

	/* Local time in Berlin: summer time is UTC+2. */
	json_object_put(api_ok(token, path,
	    "{\"due\":\"2026-07-01T12:00\",\"note\":\"Call back\"}", 200));
	s = fx_db_str("SELECT DATE_FORMAT(r.due_at, '%Y-%m-%d %H:%i') "
	    "FROM reminders r JOIN tickets t ON t.id = r.ticket_id "
	    "WHERE t.number = ?", NULL, TW_ARGS(TW_I(number)));
	ck_assert_str_eq(s, "2026-07-01 10:00");

	o = http_json(fx_api(token, "GET", "/due/", NULL));
	ck_assert_msg(fx_json_lists(o, "due", number), "not due");
	ck_assert(!fx_json_lists(o, "upcoming", number));
	json_object_put(o);

	a = fx_signin(owner, fx_password());
	r = http_get(a, "/due/");
	ck_assert_int_eq(r->status, 200);
	ck_assert_int_eq(nav_count(r, "due"), 1);
	ck_assert(http_body_has(r, "Call back"));
	http_resp_free(r);

	/* Setting it again replaces it: one reminder, now upcoming. */
	o = api_ok(token, path, "{\"due\":\"2199-01-01T09:00\"}", 200);
	ck_assert_str_eq(http_json_str(o, "reminder.due_input"),
	    "2199-01-01T09:00");
	json_object_put(o);
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM reminders r "
	    "JOIN tickets t ON t.id = r.ticket_id WHERE t.number = ?", -1,
	    TW_ARGS(TW_I(number))), 1);
	o = http_json(fx_api(token, "GET", "/due/", NULL));
	ck_assert(!fx_json_lists(o, "due", number));
	ck_assert(fx_json_lists(o, "upcoming", number));
	json_object_put(o);
	r = http_get(a, "/due/");
	ck_assert_int_eq(nav_count(r, "due"), 0);
	http_resp_free(r);

	/* A date that is none is refused and changes nothing. */
	o = api_ok(token, path, "{\"due\":\"2026-02-30T09:00\"}", 422);
	ck_assert_str_eq(http_json_str(o, "error.field"), "due");
	json_object_put(o);
	json_object_put(api_ok(token, path, "{\"due\":\"tomorrow\"}", 422));
	json_object_put(api_ok(token, path, "{}", 422));
	o = http_json(fx_api(token, "GET", "/due/", NULL));
	ck_assert(fx_json_lists(o, "upcoming", number));
	json_object_put(o);

	/* A new owner takes the reminder over. */
	next = agent("itest-rn", support, 0);
	change = fx_printf("{\"version\":%lld,\"owner\":\"%s\"}",
	    fx_db_int("SELECT version FROM tickets WHERE number = ?", 0,
	    TW_ARGS(TW_I(number))), next);
	page = fx_printf("/tickets/%lld", number);
	json_object_put(api_ok(token, page, change, 200));
	o = http_json(fx_api(token, "GET", "/due/", NULL));
	ck_assert(!fx_json_lists(o, "upcoming", number));
	json_object_put(o);
	free(token);
	token = fx_token(next);
	o = http_json(fx_api(token, "GET", "/due/", NULL));
	ck_assert_msg(fx_json_lists(o, "upcoming", number),
	    "the new owner has no reminder");
	json_object_put(o);

	/* Clearing, then clearing what is not there. */
	json_object_put(api_ok(token, path, "{\"clear\":\"1\"}", 200));
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM reminders r "
	    "JOIN tickets t ON t.id = r.ticket_id WHERE t.number = ?", -1,
	    TW_ARGS(TW_I(number))), 0);
	json_object_put(api_ok(token, path, "{\"clear\":\"1\"}", 404));

	http_agent_free(a);
	free(page);
	free(change);
	free(next);
	free(path);
	free(token);
	free(owner);
	free(subject);
}
END_TEST

/* Whether every line of body ends in CRLF and has at most 75 octets. */
static int
ical_lines_ok(const struct http_resp *r)
{
	const char	*p = r->body, *end = r->body + r->len, *nl;

	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL ||
		    nl == p || nl[-1] != '\r' || nl - 1 - p > 75)
			return 0;
		p = nl + 1;
	}
	return 1;
}

/* The body with its folds (CRLF and a space) taken out, in place. */
static void
unfold(struct http_resp *r)
{
	size_t	i, o = 0;

	for (i = 0; i < r->len; i++) {
		if (r->body[i] == '\r' && i + 2 < r->len &&
		    r->body[i + 1] == '\n' && r->body[i + 2] == ' ') {
			i += 2;
			continue;
		}
		r->body[o++] = r->body[i];
	}
	r->body[o] = '\0';
	r->len = o;
}

START_TEST(test_appointment_ics)
{
	struct http_resp	*r;
	struct json_object	*o;
	long long		 support = fx_channel("Support"), number, id;
	char			*owner, *guest, *stranger, *token, *path, *body;
	char			*ics, *h, *subject = fx_marker("itest-appt");
	char			*want, *reader;

	owner = agent("itest-po", support, 1);
	guest = agent("itest-pg", support, 1);
	stranger = fx_user_new("itest-px");
	token = fx_token(owner);
	number = fx_ticket_new(token, subject, support);
	path = fx_printf("/tickets/%lld/appointments", number);

	body = fx_printf("{\"title\":\"Visit, on site; bring \\\\ tools\","
	    "\"location\":\"Köln, Hauptstraße 1\",\"start\":"
	    "\"2026-12-10T10:00\",\"end\":\"2026-12-10T11:30\","
	    "\"participants\":[%lld,%lld]}", fx_user_id(owner),
	    fx_user_id(guest));
	r = fx_api(token, "POST", path, body);
	ck_assert_msg(r->status == 201, "POST %s: %ld %s", path, r->status,
	    r->body);
	ics = http_header(r, "Location", 0);
	ck_assert_ptr_nonnull(ics);
	o = http_json(r);
	id = http_json_int(json_object_array_get_idx(http_json_at(o,
	    "appointments"), 0), "id", 0);
	ck_assert_int_gt(id, 0);
	json_object_put(o);
	http_resp_free(r);

	r = fx_api(token, "GET", ics, NULL);
	ck_assert_int_eq(r->status, 200);
	h = http_header(r, "Content-Type", 0);
	ck_assert_str_eq(h, "text/calendar; charset=utf-8");
	free(h);
	h = http_header(r, "Content-Disposition", 0);
	ck_assert_msg(h != NULL && strncmp(h, "attachment;", 11) == 0 &&
	    strstr(h, ".ics\"") != NULL, "Content-Disposition: %s", h);
	free(h);

	ck_assert_msg(strncmp(r->body, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n",
	    30) == 0, "%s", r->body);
	ck_assert(ical_lines_ok(r));
	unfold(r);
	ck_assert(http_body_has(r, "\r\nBEGIN:VEVENT\r\n"));
	ck_assert(http_body_has(r, "\r\nUID:"));
	ck_assert(http_body_has(r, "\r\nDTSTAMP:"));
	/* 10:00 in Berlin in December is 09:00 UTC. */
	ck_assert(http_body_has(r, "\r\nDTSTART:20261210T090000Z\r\n"));
	ck_assert(http_body_has(r, "\r\nDTEND:20261210T103000Z\r\n"));
	ck_assert(http_body_has(r,
	    "\r\nSUMMARY:Visit\\, on site\\; bring \\\\ tools\r\n"));
	ck_assert(http_body_has(r, "\r\nLOCATION:Köln\\, Hauptstraße 1\r\n"));
	want = fx_printf("/tickets/%lld", number);
	ck_assert(http_body_has(r, "\r\nDESCRIPTION:"));
	ck_assert_msg(http_body_has(r, want), "no ticket link in %s", r->body);
	free(want);
	want = fx_printf(":mailto:%s@example.org\r\n", guest);
	ck_assert_msg(http_body_has(r, want), "no ATTENDEE %s", guest);
	ck_assert(http_body_has(r, "\r\nATTENDEE;CN="));
	ck_assert(http_body_has(r, "END:VEVENT\r\nEND:VCALENDAR\r\n"));
	free(want);
	http_resp_free(r);

	/* Listed on the ticket page with its calendar link. */
	want = fx_printf("/tickets/%lld", number);
	r = fx_api(token, "GET", want, NULL);
	ck_assert(http_body_has(r, ics));
	http_resp_free(r);
	free(want);

	/* A member who only reads along may not make appointments. */
	reader = fx_user_new("itest-pr");
	join(reader, support, "reads");
	free(token);
	token = fx_token(reader);
	json_object_put(api_ok(token, path, "{\"title\":\"x\",\"start\":"
	    "\"2026-12-10T10:00\",\"end\":\"2026-12-10T11:00\"}", 403));
	free(token);
	token = fx_token(owner);

	/* Wrong order, strangers as participants, and wrong addresses. */
	json_object_put(api_ok(token, path, "{\"title\":\"x\",\"start\":"
	    "\"2026-12-10T10:00\",\"end\":\"2026-12-10T09:00\"}", 422));
	free(body);
	body = fx_printf("{\"title\":\"x\",\"start\":\"2026-12-10T10:00\","
	    "\"end\":\"2026-12-10T11:00\",\"participants\":[%lld]}",
	    fx_user_id(stranger));
	o = api_ok(token, path, body, 422);
	ck_assert_str_eq(http_json_str(o, "error.field"), "participants");
	json_object_put(o);
	json_object_put(api_ok(token, path, "{\"title\":\"x\",\"start\":"
	    "\"2026-12-10T10:00\",\"end\":\"2026-12-10T11:00\","
	    "\"participants\":\"all\"}", 422));
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM appointments a "
	    "JOIN tickets t ON t.id = a.ticket_id WHERE t.number = ?", -1,
	    TW_ARGS(TW_I(number))), 1);

	want = fx_printf("/tickets/%lld/appointments/%lld.ics", number,
	    id + 1000000);
	r = fx_api(token, "GET", want, NULL);
	ck_assert_int_eq(r->status, 404);
	http_resp_free(r);
	free(want);
	free(token);
	token = fx_token(stranger);
	r = fx_api(token, "GET", ics, NULL);
	ck_assert_int_eq(r->status, 404);
	http_resp_free(r);

	free(ics);
	free(body);
	free(path);
	free(token);
	free(reader);
	free(stranger);
	free(guest);
	free(owner);
	free(subject);
}
END_TEST

/* The calendar file at ics, unfolded; asserts the 200. */
static struct http_resp *
ics_of(const char *token, const char *ics)
{
	struct http_resp	*r = fx_api(token, "GET", ics, NULL);

	ck_assert_int_eq(r->status, 200);
	unfold(r);
	return r;
}

/*
 * An appointment changed (fields and participants, its calendar file
 * counting the change) and cancelled (kept, marked, its file cancelling
 * it), through the API and the forms; refused for readers, strangers,
 * other tickets' appointments and changes after cancelling.
 */
START_TEST(test_appointment_change_cancel)
{
	struct http_agent	*a;
	struct http_resp	*r;
	struct json_object	*o;
	long long		 support = fx_channel("Support"), number, id;
	long long		 other;
	char			*owner, *guest, *guest2, *reader, *stranger;
	char			*token, *path, *ics, *edit, *body, *csrf, *want;
	char			*subject = fx_marker("itest-appt2");

	owner = agent("itest-ao", support, 1);
	guest = agent("itest-ag", support, 1);
	guest2 = agent("itest-ah", support, 1);
	reader = fx_user_new("itest-ar");
	join(reader, support, "reads");
	stranger = fx_user_new("itest-ax");
	token = fx_token(owner);
	number = fx_ticket_new(token, subject, support);
	other = fx_ticket_new(token, subject, support);

	path = fx_printf("/tickets/%lld/appointments", number);
	body = fx_printf("{\"title\":\"Visit\",\"start\":\"2026-12-10T10:00\","
	    "\"end\":\"2026-12-10T11:00\",\"participants\":[%lld]}",
	    fx_user_id(guest));
	o = api_ok(token, path, body, 201);
	id = http_json_int(json_object_array_get_idx(http_json_at(o,
	    "appointments"), 0), "id", 0);
	json_object_put(o);
	ck_assert_int_gt(id, 0);
	ics = fx_printf("%s/%lld.ics", path, id);
	edit = fx_printf("%s/%lld", path, id);
	r = ics_of(token, ics);
	ck_assert(http_body_has(r, "\r\nSEQUENCE:0\r\nSTATUS:CONFIRMED\r\n"));
	http_resp_free(r);

	/* Changed: new time and place, guest2 instead of guest. */
	free(body);
	body = fx_printf("{\"title\":\"Visit moved\",\"location\":\"Bonn\","
	    "\"start\":\"2026-12-11T14:00\",\"end\":\"2026-12-11T15:00\","
	    "\"participants\":[%lld]}", fx_user_id(guest2));
	json_object_put(api_ok(token, edit, body, 200));
	r = ics_of(token, ics);
	ck_assert(http_body_has(r, "\r\nSEQUENCE:1\r\n"));
	ck_assert(http_body_has(r, "\r\nSUMMARY:Visit moved\r\n"));
	ck_assert(http_body_has(r, "\r\nLOCATION:Bonn\r\n"));
	ck_assert(http_body_has(r, "\r\nDTSTART:20261211T130000Z\r\n"));
	want = fx_printf(":mailto:%s@example.org\r\n", guest2);
	ck_assert(http_body_has(r, want));
	free(want);
	want = fx_printf(":mailto:%s@example.org\r\n", guest);
	ck_assert(!http_body_has(r, want));
	free(want);
	http_resp_free(r);

	/* Refused: a bad change (nothing written), a reader, a stranger,
	 * the appointment under another ticket's number. */
	json_object_put(api_ok(token, edit, "{\"title\":\"x\",\"start\":"
	    "\"2026-12-10T10:00\",\"end\":\"2026-12-10T09:00\"}", 422));
	ck_assert_str_eq(fx_db_str("SELECT title FROM appointments "
	    "WHERE id = ?", NULL, TW_ARGS(TW_I(id))), "Visit moved");
	free(token);
	token = fx_token(reader);
	json_object_put(api_ok(token, edit, body, 403));
	want = fx_printf("%s/cancel", edit);
	json_object_put(api_ok(token, want, "{}", 403));
	free(want);
	free(token);
	token = fx_token(stranger);
	json_object_put(api_ok(token, edit, body, 404));
	free(token);
	token = fx_token(owner);
	want = fx_printf("/tickets/%lld/appointments/%lld", other, id);
	json_object_put(api_ok(token, want, body, 404));
	free(want);

	/* The forms: the edit page, a failed change, then cancelling. */
	a = fx_signin(owner, fx_password());
	want = fx_printf("/tickets/%lld", number);
	r = http_get(a, want);
	ck_assert(http_body_has(r, "/edit\">"));
	http_resp_free(r);
	free(want);
	want = fx_printf("%s/edit", edit);
	r = http_get(a, want);
	ck_assert_int_eq(r->status, 200);
	ck_assert(http_body_has(r, "value=\"Visit moved\""));
	ck_assert(http_body_has(r, "value=\"2026-12-11T14:00\""));
	free(want);
	want = fx_printf("value=\"%lld\" checked", fx_user_id(guest2));
	ck_assert_msg(http_body_has(r, want), "%s not checked", guest2);
	free(want);
	csrf = http_csrf(r);
	http_resp_free(r);

	free(body);
	body = fx_printf("_csrf=%s&title=Visit+again&start=2026-12-11T14%%3A00"
	    "&end=2026-12-11T13%%3A00", csrf);
	r = http_post_form(a, edit, body);
	ck_assert_int_eq(r->status, 422);
	ck_assert(http_body_has(r, "The end must come after the start."));
	ck_assert(http_body_has(r, "value=\"Visit again\""));
	http_resp_free(r);

	free(body);
	body = fx_printf("_csrf=%s", csrf);
	want = fx_printf("%s/cancel", edit);
	r = http_post_form(a, want, body);
	ck_assert_int_eq(r->status, 303);
	http_resp_free(r);
	free(want);
	want = fx_printf("/tickets/%lld", number);
	r = http_get(a, want);
	ck_assert(http_body_has(r, "class=\"cancelled\""));
	http_resp_free(r);
	free(want);

	/* Cancelled: the file cancels it; cancelling again changes
	 * nothing; changing it is a conflict. */
	r = ics_of(token, ics);
	ck_assert(http_body_has(r, "\r\nSEQUENCE:2\r\nSTATUS:CANCELLED\r\n"));
	http_resp_free(r);
	want = fx_printf("%s/cancel", edit);
	json_object_put(api_ok(token, want, "{}", 200));
	free(want);
	r = ics_of(token, ics);
	ck_assert(http_body_has(r, "\r\nSEQUENCE:2\r\n"));
	http_resp_free(r);
	free(body);
	body = fx_printf("{\"title\":\"Back\",\"start\":\"2026-12-10T10:00\","
	    "\"end\":\"2026-12-10T11:00\"}");
	json_object_put(api_ok(token, edit, body, 409));

	http_agent_free(a);
	free(csrf);
	free(body);
	free(edit);
	free(ics);
	free(path);
	free(token);
	free(stranger);
	free(reader);
	free(guest2);
	free(guest);
	free(owner);
	free(subject);
}
END_TEST

/*
 * The newest invitation mail queued for address: its Message-ID without
 * brackets, or NULL.
 */
static char *
invitation_to(const char *address)
{
	const char	*id = fx_db_str("SELECT message_id FROM outbound_mail "
	    "WHERE kind = 'invitation' AND to_address = ? ORDER BY id DESC "
	    "LIMIT 1", NULL, TW_ARGS(TW_S(address)));

	return id == NULL ? NULL : strndup(id + 1, strlen(id) - 2);
}

/*
 * Sends what is due and asserts the newest invitation to login's address
 * arrived once, holding every string of want; returns its raw text.
 */
static void
invitation_arrived(const char *login, const char *const *want)
{
	struct fx_got	 g;
	char		*email = fx_printf("%s@example.org", login);
	char		*id = invitation_to(email);
	size_t		 i;

	ck_assert_msg(id != NULL, "no invitation to %s", email);
	fx_send_now();
	g = fx_sink_find(id);
	ck_assert_msg(g.count == 1, "%s arrived %d times", id, g.count);
	for (i = 0; want[i] != NULL; i++)
		ck_assert_msg(strstr(g.raw, want[i]) != NULL,
		    "the mail to %s lacks %s:\n%s", login, want[i], g.raw);
	fx_got_free(&g);
	free(id);
	free(email);
}

/*
 * Participants get the appointment by mail with the event for their
 * calendar: a request when it is made or changed, a cancellation when it
 * is cancelled or they are dropped; the agent who acts gets none.
 */
START_TEST(test_appointment_invitations)
{
	struct json_object	*o;
	long long		 support = fx_channel("Support"), number, id;
	char			*owner, *guest, *dropped, *token, *path, *body;
	char			*subject = fx_marker("itest-invite"), *mine;
	const char		*made[] = { "Subject: Invitation: Visit [#",
	    "method=REQUEST", "METHOD:REQUEST", "SEQUENCE:0", "ORGANIZER",
	    NULL };
	const char		*moved[] = { "Subject: Changed: Visit moved [#",
	    "METHOD:REQUEST", "SEQUENCE:1", NULL };
	const char		*gone[] = {
	    "Subject: Cancelled: Visit moved [#",
	    "method=CANCEL", "METHOD:CANCEL", "STATUS:CANCELLED", NULL };

	if (!fx_have_sink("alerts invitations"))
		return;
	owner = agent("itest-io", support, 1);
	guest = agent("itest-ig", support, 1);
	dropped = agent("itest-id", support, 1);
	token = fx_token(owner);
	number = fx_ticket_new(token, subject, support);
	path = fx_printf("/tickets/%lld/appointments", number);

	body = fx_printf("{\"title\":\"Visit\",\"start\":\"2026-12-10T10:00\","
	    "\"end\":\"2026-12-10T11:00\",\"participants\":[%lld,%lld,%lld]}",
	    fx_user_id(owner), fx_user_id(guest), fx_user_id(dropped));
	o = api_ok(token, path, body, 201);
	id = http_json_int(json_object_array_get_idx(http_json_at(o,
	    "appointments"), 0), "id", 0);
	json_object_put(o);
	invitation_arrived(guest, made);
	invitation_arrived(dropped, made);
	mine = fx_printf("%s@example.org", owner);
	ck_assert_ptr_null(invitation_to(mine));

	/* Changed without one of them: the rest get the change, the one
	 * dropped a cancellation. */
	free(body);
	body = fx_printf("{\"title\":\"Visit moved\",\"start\":"
	    "\"2026-12-11T10:00\",\"end\":\"2026-12-11T11:00\","
	    "\"participants\":[%lld,%lld]}", fx_user_id(owner),
	    fx_user_id(guest));
	free(path);
	path = fx_printf("/tickets/%lld/appointments/%lld", number, id);
	json_object_put(api_ok(token, path, body, 200));
	invitation_arrived(guest, moved);
	invitation_arrived(dropped, gone);

	/* Cancelled. */
	free(body);
	body = fx_printf("%s/cancel", path);
	json_object_put(api_ok(token, body, "{}", 200));
	invitation_arrived(guest, gone);
	ck_assert_ptr_null(invitation_to(mine));

	free(mine);
	free(body);
	free(path);
	free(token);
	free(dropped);
	free(guest);
	free(owner);
	free(subject);
}
END_TEST

START_TEST(test_forms)
{
	struct http_agent	*a;
	struct http_resp	*r;
	long long		 support = fx_channel("Support"), number;
	char			*owner, *other, *token, *page, *body, *csrf;
	char			*loc, *subject = fx_marker("itest-forms");

	owner = agent("itest-fo", support, 0);
	other = agent("itest-fw", support, 0);
	token = fx_token(owner);
	number = fx_ticket_new(token, subject, support);
	page = fx_printf("/tickets/%lld", number);

	a = fx_signin(owner, fx_password());
	r = http_get(a, page);
	ck_assert_int_eq(r->status, 200);
	ck_assert(http_body_has(r, "id=\"watchers\""));
	ck_assert(http_body_has(r, "name=\"due\""));
	ck_assert(http_body_has(r, "name=\"participant\""));
	csrf = http_csrf(r);
	http_resp_free(r);

	body = fx_printf("_csrf=%s&_form=watch&user=%s", csrf, other);
	loc = fx_printf("%s/watchers", page);
	r = http_post_form(a, loc, body);
	ck_assert_int_eq(r->status, 303);
	free(loc);
	loc = http_header(r, "Location", 0);
	ck_assert_msg(loc != NULL && strstr(loc, "#watchers") != NULL,
	    "Location: %s", loc);
	http_resp_free(r);
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM ticket_watchers w "
	    "JOIN tickets t ON t.id = w.ticket_id WHERE t.number = ? "
	    "AND w.user_id = ?", -1, TW_ARGS(TW_I(number),
	    TW_I(fx_user_id(other)))), 1);

	/* A failed appointment form comes back with the sentence and what
	 * was typed. */
	free(body);
	body = fx_printf("_csrf=%s&_form=appointment&title=Kickoff+meeting"
	    "&start=2026-12-10T10%%3A00&end=2026-12-10T09%%3A00", csrf);
	free(loc);
	loc = fx_printf("%s/appointments", page);
	r = http_post_form(a, loc, body);
	ck_assert_int_eq(r->status, 422);
	ck_assert(http_body_has(r, "The end must come after the start."));
	ck_assert(http_body_has(r, "value=\"Kickoff meeting\""));
	http_resp_free(r);

	http_agent_free(a);
	free(loc);
	free(csrf);
	free(body);
	free(page);
	free(token);
	free(other);
	free(owner);
	free(subject);
}
END_TEST

Suite *
tw_alerts_suite(void)
{
	Suite	*s = suite_create("alerts");
	TCase	*tc = fx_tcase("alerts", 60);

	tcase_add_test(tc, test_watchers_add_remove);
	tcase_add_test(tc, test_alerts_and_mail);
	tcase_add_test(tc, test_channel_watchers);
	tcase_add_test(tc, test_unread_count_in_page);
	tcase_add_test(tc, test_unread_follows_visibility);
	tcase_add_test(tc, test_reminders);
	tcase_add_test(tc, test_appointment_ics);
	tcase_add_test(tc, test_appointment_change_cancel);
	tcase_add_test(tc, test_appointment_invitations);
	tcase_add_test(tc, test_forms);
	suite_add_tcase(s, tc);
	return s;
}
