/*
 * test_queue.c: the queue's filters one by one and combined, the search
 * over subjects and item text, sort orders, counts, saved views, pager
 * links that keep the filters, and bulk changes with their permission
 * checks.  Each test works on tickets of an organisation of its own, so
 * other tests' tickets never get in the way.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <json-c/json.h>

#include "http.h"
#include "suites.h"

/* Tickets of one test: their organisation and numbers. */
struct set {
	char		*tag;
	long long	 org;
	long long	 n[4];
};

static long long
org_new(const char *name)
{
	fx_db_exec("INSERT INTO organisations (name) VALUES (?)",
	    TW_ARGS(TW_S(name)));
	return fx_db_int("SELECT id FROM organisations WHERE name = ?", 0,
	    TW_ARGS(TW_S(name)));
}

/* vsnprintf into a malloc'd string. */
static char *
vformat(const char *fmt, va_list ap)
{
	va_list	 copy;
	char	*out;
	int	 n;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	ck_assert(n >= 0 && (out = malloc((size_t)n + 1)) != NULL);
	vsnprintf(out, (size_t)n + 1, fmt, ap);
	return out;
}

/* Opens a ticket whose first item is body; returns its number. */
static long long
ticket_with_body(const char *token, const char *subject, long long channel,
    const char *body)
{
	struct json_object	*o = json_object_new_object(), *res;
	struct http_resp	*r;
	char			*auth = fx_bearer(token);
	const char		*h[] = { auth,
	    "Content-Type: application/json", NULL };
	const char		*text;
	long long		 number;

	json_object_object_add(o, "subject", json_object_new_string(subject));
	json_object_object_add(o, "channel", json_object_new_int64(channel));
	json_object_object_add(o, "body", json_object_new_string(body));
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	r = http_request(NULL, "POST", "/tickets/", h, text, strlen(text));
	ck_assert_msg(r->status == 201, "POST /tickets/: %ld", r->status);
	res = http_json(r);
	number = http_json_int(res, "ticket.number", 0);

	json_object_put(res);
	json_object_put(o);
	http_resp_free(r);
	free(auth);
	return number;
}

/*
 * Four tickets in an organisation of their own, all opened by admin:
 *   n[0] Support, answered (customer's turn), priority 2
 *   n[1] Support, new, priority 7, owned by ksturm, assigned to admin
 *   n[2] Sales, closed, priority 5
 *   n[3] Support, new, priority 5, opened 2026-01-15 23:30 UTC, which is
 *        already 16 January in Berlin
 */
static void
set_new(struct set *s, const char *token)
{
	long long	support = fx_channel("Support"), i;
	char		*subject;

	s->tag = fx_marker("queue");
	s->org = org_new(s->tag);
	for (i = 0; i < 4; i++) {
		subject = fx_printf("%s ticket %lld", s->tag, i);
		s->n[i] = fx_ticket_new(token, subject,
		    i == 2 ? fx_channel("Sales") : support);
		free(subject);
	}
	fx_db_exec("UPDATE tickets SET organisation_id = ? WHERE number IN "
	    "(?, ?, ?, ?)", TW_ARGS(TW_I(s->org), TW_I(s->n[0]),
	    TW_I(s->n[1]), TW_I(s->n[2]), TW_I(s->n[3])));
	fx_db_exec("UPDATE tickets SET priority = 2, status_id = (SELECT id "
	    "FROM statuses WHERE code = 'answered') WHERE number = ?",
	    TW_ARGS(TW_I(s->n[0])));
	fx_db_exec("UPDATE tickets SET priority = 7, owner_id = ?, "
	    "assignee_id = ? WHERE number = ?",
	    TW_ARGS(TW_I(fx_user_id("ksturm")), TW_I(fx_user_id("admin")),
	    TW_I(s->n[1])));
	fx_db_exec("UPDATE tickets SET status_id = (SELECT id FROM statuses "
	    "WHERE code = 'closed') WHERE number = ?",
	    TW_ARGS(TW_I(s->n[2])));
	fx_db_exec("UPDATE tickets SET created_at = '2026-01-15 23:30:00', "
	    "updated_at = '2026-01-15 23:30:00' WHERE number = ?",
	    TW_ARGS(TW_I(s->n[3])));
}

/* GET of the queue in JSON with the query after "?"; asserts 200. */
static struct json_object *
queue(struct http_agent *a, const char *fmt, ...)
{
	struct json_object	*o;
	struct http_resp	*r;
	va_list			 ap;
	char			*query, *path;

	va_start(ap, fmt);
	query = vformat(fmt, ap);
	va_end(ap);
	path = fx_printf("/tickets/?%s", query);
	r = http_get_json(a, path);
	ck_assert_msg(r->status == 200, "GET %s: %ld %s", path, r->status,
	    r->body);
	o = http_json(r);
	ck_assert_ptr_nonnull(o);

	http_resp_free(r);
	free(path);
	free(query);
	return o;
}

/*
 * Asserts that the page lists exactly the tickets want[0..n) of s, by
 * index, in that order, and counts n.  what names the query.
 */
static void
expect(struct json_object *page, const struct set *s, const char *what,
    size_t n, ...)
{
	struct json_object	*list = http_json_at(page, "tickets");
	va_list			 ap;
	size_t			 i;
	long long		 got, want;

	ck_assert_msg(json_object_is_type(list, json_type_array),
	    "%s: no tickets", what);
	ck_assert_msg(json_object_array_length(list) == n,
	    "%s: %zu tickets, want %zu", what,
	    json_object_array_length(list), n);
	ck_assert_msg(http_json_int(page, "total", -1) == (long long)n,
	    "%s: total %lld, want %zu", what,
	    http_json_int(page, "total", -1), n);
	va_start(ap, n);
	for (i = 0; i < n; i++) {
		want = s->n[va_arg(ap, int)];
		got = http_json_int(json_object_array_get_idx(list, i),
		    "number", 0);
		ck_assert_msg(got == want, "%s: row %zu is #%lld, want #%lld",
		    what, i, got, want);
	}
	va_end(ap);
	json_object_put(page);
}

START_TEST(test_each_filter)
{
	struct http_agent	*a = fx_signin("admin", fx_password());
	char			*token = fx_token("admin");
	struct set		 s;
	long long		 o, ks = fx_user_id("ksturm");

	set_new(&s, token);
	o = s.org;
	expect(queue(a, "organisation=%lld&sort=number&dir=asc", o), &s,
	    "organisation", 4, 0, 1, 2, 3);
	expect(queue(a, "organisation=%lld&channel=%lld", o,
	    fx_channel("Sales")), &s, "channel", 1, 2);
	expect(queue(a, "organisation=%lld&status=answered", o), &s,
	    "status", 1, 0);
	expect(queue(a, "organisation=%lld&side=customer", o), &s,
	    "side customer", 1, 0);
	expect(queue(a, "organisation=%lld&side=done", o), &s,
	    "side done", 1, 2);
	expect(queue(a, "organisation=%lld&side=us&sort=number&dir=asc", o),
	    &s, "side us", 2, 1, 3);
	expect(queue(a, "organisation=%lld&owner=%lld", o, ks), &s,
	    "owner", 1, 1);
	expect(queue(a, "organisation=%lld&assignee=me", o), &s,
	    "assignee me", 1, 1);
	expect(queue(a, "organisation=%lld&priority=2", o), &s,
	    "one priority", 1, 0);
	expect(queue(a, "organisation=%lld&priority=5-9&sort=number&dir=asc",
	    o), &s, "priority range", 3, 1, 2, 3);

	/* 23:30 UTC on 15 January is 00:30 on the 16th in Berlin. */
	expect(queue(a, "organisation=%lld&created_from=2026-01-16&"
	    "created_to=2026-01-16", o), &s, "created on the 16th", 1, 3);
	expect(queue(a, "organisation=%lld&created_to=2026-01-15", o), &s,
	    "created until the 15th", 0);
	expect(queue(a, "organisation=%lld&updated_to=2026-01-16", o), &s,
	    "updated until the 16th", 1, 3);
	expect(queue(a, "organisation=%lld&updated_from=2026-01-17&"
	    "sort=number&dir=asc", o), &s, "updated from the 17th", 3,
	    0, 1, 2);

	/* Combinations narrow further; the search word is in the subject. */
	expect(queue(a, "organisation=%lld&channel=%lld&side=us&priority=7",
	    o, fx_channel("Support")), &s, "channel+side+priority", 1, 1);
	expect(queue(a, "organisation=%lld&q=%s&status=new&sort=number&"
	    "dir=asc", o, s.tag + strlen("queue-")), &s, "search+status", 2,
	    1, 3);
	expect(queue(a, "q=%s&sort=number&dir=desc",
	    s.tag + strlen("queue-")), &s, "search alone", 4, 3, 2, 1, 0);

	free(token);
	free(s.tag);
	http_agent_free(a);
}
END_TEST

/* Asserts the names one queue row shows, by column. */
static void
expect_row(struct json_object *page, long long number, const char *what,
    const char *const *cols, const char *const *want)
{
	struct json_object	*list = http_json_at(page, "tickets");
	struct json_object	*row = NULL;
	const char		*got;
	size_t			 i;

	for (i = 0; i < json_object_array_length(list); i++) {
		row = json_object_array_get_idx(list, i);
		if (http_json_int(row, "number", 0) == number)
			break;
	}
	ck_assert_msg(i < json_object_array_length(list), "%s: no #%lld",
	    what, number);
	for (i = 0; cols[i] != NULL; i++) {
		got = http_json_str(row, cols[i]);
		ck_assert_msg(got != NULL && strcmp(got, want[i]) == 0,
		    "%s: %s is %s, want %s", what, cols[i],
		    got != NULL ? got : "(none)", want[i]);
	}
	json_object_put(page);
}

/*
 * A row names its status, side, channel, organisation, owner and
 * assignee, an owner no longer active included, whether the page came
 * in one statement (an early page) or in two (a search).
 */
START_TEST(test_row_names)
{
	struct http_agent	*a = fx_signin("admin", fx_password());
	char			*token = fx_token("admin");
	char			*gone = fx_user_new("gone");
	const char		*cols[] = { "status", "status_name", "side",
	    "channel", "organisation", "owner", "assignee", NULL };
	const char		*want[7];
	char			*owner;
	struct set		 s;

	set_new(&s, token);
	fx_db_exec("UPDATE tickets SET owner_id = ? WHERE number = ?",
	    TW_ARGS(TW_I(fx_user_id(gone)), TW_I(s.n[1])));
	fx_db_exec("UPDATE users SET active = 0 WHERE login = ?",
	    TW_ARGS(TW_S(gone)));
	want[0] = "new";
	want[1] = "New";
	want[2] = "us";
	want[3] = "Support";
	want[4] = s.tag;
	owner = strdup(fx_db_str("SELECT name FROM users WHERE login = ?",
	    NULL, TW_ARGS(TW_S(gone))));
	want[5] = owner;
	want[6] = fx_db_str("SELECT name FROM users WHERE login = 'admin'",
	    NULL, TW_NOARGS);

	expect_row(queue(a, "organisation=%lld", s.org), s.n[1],
	    "early page", cols, want);
	expect_row(queue(a, "q=%s", s.tag + strlen("queue-")), s.n[1],
	    "search", cols, want);
	expect_row(queue(a, "organisation=%lld&page=1&sort=subject", s.org),
	    s.n[1], "by subject", cols, want);

	free(owner);
	free(gone);
	free(token);
	free(s.tag);
	http_agent_free(a);
}
END_TEST

START_TEST(test_search_item_text)
{
	struct http_agent	*a = fx_signin("admin", fx_password());
	char			*token = fx_token("admin");
	char			*word = fx_marker("zq"), *body, *subject;
	struct json_object	*o;
	struct set		 s = { 0 };

	/* The word (after "zq-") appears only in the first item's text. */
	subject = fx_marker("queue-subject");
	body = fx_printf("The customer mentions %s in passing.", word + 3);
	s.n[0] = ticket_with_body(token, subject, fx_channel("Support"),
	    body);
	expect(queue(a, "q=%s", word + 3), &s, "word in an item", 1, 0);
	expect(queue(a, "q=%s+nothingelse", word + 3), &s,
	    "all words required", 0);

	/* Another channel's ticket is not found by an agent without it. */
	s.n[1] = ticket_with_body(token, subject, fx_channel("Sales"), body);
	o = queue(a, "q=%s&sort=number&dir=asc", word + 3);
	expect(o, &s, "admin sees both", 2, 0, 1);
	http_agent_free(a);
	a = fx_signin("ksturm", fx_password());
	expect(queue(a, "q=%s", word + 3), &s, "ksturm sees Support only", 1,
	    0);

	free(subject);
	free(body);
	free(word);
	free(token);
	http_agent_free(a);
}
END_TEST

START_TEST(test_invalid_values)
{
	static const char *const bad[][2] = {
		{ "channel=abc", "channel" },
		{ "channel=99999999", "channel" },
		{ "status=nope", "status" },
		{ "side=them", "side" },
		{ "owner=x", "owner" },
		{ "owner=99999999", "owner" },
		{ "assignee=-1", "assignee" },
		{ "priority=0", "priority" },
		{ "priority=10", "priority" },
		{ "priority=4-2", "priority" },
		{ "organisation=99999999999", "organisation" },
		{ "created_from=2026-13-01", "created_from" },
		{ "created_to=2026-02-30", "created_to" },
		{ "updated_from=yesterday", "updated_from" },
		{ "updated_to=2026-1-1", "updated_to" },
		{ "sort=colour", "sort" },
		{ "dir=up", "dir" },
		{ "view=everything", "view" },
		{ "q=a+of", "q" },
	};
	struct http_agent	*a = fx_signin("admin", fx_password());
	struct http_resp	*r;
	struct json_object	*o;
	size_t			 i;
	char			*path;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		path = fx_printf("/tickets/?%s", bad[i][0]);
		r = http_get_json(a, path);
		ck_assert_msg(r->status == 422, "%s: %ld", path, r->status);
		o = http_json(r);
		ck_assert_msg(http_json_str(o, "error.field") != NULL &&
		    strcmp(http_json_str(o, "error.field"), bad[i][1]) == 0,
		    "%s: field %s", path, http_json_str(o, "error.field"));
		json_object_put(o);
		http_resp_free(r);

		/* The page says so in words, without repeating the value. */
		r = http_get(a, path);
		ck_assert_msg(r->status == 422, "HTML %s: %ld", path,
		    r->status);
		ck_assert(http_body_has(r, "the queue does not know") ||
		    http_body_has(r, "three letters"));
		http_resp_free(r);
		free(path);
	}
	http_agent_free(a);
}
END_TEST

START_TEST(test_sort_orders)
{
	struct http_agent	*a = fx_signin("admin", fx_password());
	char			*token = fx_token("admin");
	struct set		 s;
	long long		 o;

	set_new(&s, token);
	o = s.org;
	fx_db_exec("UPDATE tickets SET subject = CONCAT(?, ' b') WHERE "
	    "number = ?", TW_ARGS(TW_S(s.tag), TW_I(s.n[0])));
	fx_db_exec("UPDATE tickets SET subject = CONCAT(?, ' a') WHERE "
	    "number = ?", TW_ARGS(TW_S(s.tag), TW_I(s.n[2])));
	fx_db_exec("UPDATE tickets SET updated_at = UTC_TIMESTAMP(6) + "
	    "INTERVAL 1 HOUR WHERE number = ?", TW_ARGS(TW_I(s.n[1])));

	expect(queue(a, "organisation=%lld", o), &s, "default: newest first",
	    4, 2, 1, 0, 3);
	expect(queue(a, "organisation=%lld&sort=created&dir=asc", o), &s,
	    "oldest first", 4, 3, 0, 1, 2);
	expect(queue(a, "organisation=%lld&sort=number&dir=desc", o), &s,
	    "number descending", 4, 3, 2, 1, 0);
	expect(queue(a, "organisation=%lld&sort=priority&dir=desc", o), &s,
	    "priority descending", 4, 1, 2, 3, 0);
	expect(queue(a, "organisation=%lld&sort=priority&dir=asc", o), &s,
	    "priority ascending", 4, 0, 3, 2, 1);
	expect(queue(a, "organisation=%lld&sort=subject&dir=asc", o), &s,
	    "subject ascending", 4, 2, 0, 1, 3);
	expect(queue(a, "organisation=%lld&sort=updated&dir=desc", o), &s,
	    "last changed first", 4, 1, 2, 0, 3);

	free(token);
	free(s.tag);
	http_agent_free(a);
}
END_TEST

START_TEST(test_views)
{
	struct http_agent	*a = fx_signin("admin", fx_password()), *m;
	struct http_resp	*r;
	char			*token = fx_token("admin");
	struct set		 s;
	long long		 o;

	set_new(&s, token);
	o = s.org;
	expect(queue(a, "view=mine&organisation=%lld&sort=number&dir=asc",
	    o), &s, "mine", 3, 0, 2, 3);
	expect(queue(a, "view=waiting&organisation=%lld", o), &s,
	    "waiting on customer", 1, 0);

	/* mroth handles Sales and only reads along in Support. */
	m = fx_signin("mroth", fx_password());
	expect(queue(m, "organisation=%lld&sort=number&dir=asc", o), &s,
	    "mroth sees both channels", 4, 0, 1, 2, 3);
	expect(queue(m, "view=channels&organisation=%lld", o), &s,
	    "mroth's own channels", 1, 2);

	/* The tabs are links at the top of the page, the current marked. */
	r = http_get(a, "/tickets/?view=waiting");
	ck_assert_int_eq(r->status, 200);
	ck_assert(http_body_has(r, "href=\"/tickets/?view&#61;mine\""));
	ck_assert(http_body_has(r, "href=\"/tickets/?view&#61;waiting\" "
	    "aria-current=\"page\""));
	http_resp_free(r);

	free(token);
	free(s.tag);
	http_agent_free(m);
	http_agent_free(a);
}
END_TEST

/* n tickets of a new organisation straight into the database; its id. */
static long long
org_with_tickets(const char *tag, int n)
{
	long long	org = org_new(tag);

	fx_db_exec("INSERT INTO tickets (number, type, subject, channel_id, "
	    "status_id, priority, organisation_id, created_by) "
	    "SELECT NEXT VALUE FOR ticket_numbers, 'email', "
	    "CONCAT(?, ' count ', seq), ?, (SELECT id FROM statuses WHERE "
	    "code = 'new'), 4, ?, NULL FROM seq_1_to_300 WHERE seq <= ?",
	    TW_ARGS(TW_S(tag), TW_I(fx_channel("Support")), TW_I(org),
	    TW_I(n)));
	return org;
}

/* Asserts the count of a queue answer: total, total_more, next_page. */
static void
assert_count(struct json_object *o, long long total, int more,
    long long next, const char *what)
{
	struct json_object	*v;

	ck_assert_msg(http_json_int(o, "total", -1) == total,
	    "%s: total %lld, want %lld", what, http_json_int(o, "total", -1),
	    total);
	v = http_json_at(o, "total_more");
	ck_assert_msg(json_object_get_boolean(v) == more,
	    "%s: total_more %d, want %d", what, json_object_get_boolean(v),
	    more);
	ck_assert_msg(http_json_int(o, "next_page", 0) == next,
	    "%s: next_page %lld, want %lld", what,
	    http_json_int(o, "next_page", 0), next);
}

/*
 * Counts are exact up to 200 tickets, or to the end of the page shown
 * when that lies further; beyond, the page says "more than".
 */
START_TEST(test_count_limit)
{
	struct http_agent	*a = fx_signin("admin", fx_password());
	struct json_object	*o;
	struct http_resp	*r;
	char			*tag = fx_marker("count"), *path;
	char			*tag2 = fx_marker("count-exact");
	long long		 org = org_with_tickets(tag, 260);
	long long		 exact = org_with_tickets(tag2, 200);

	o = queue(a, "organisation=%lld", org);
	assert_count(o, 200, 1, 2, "page 1 of 260");
	json_object_put(o);
	o = queue(a, "organisation=%lld&page=5", org);
	assert_count(o, 250, 1, 6, "page 5 of 260");
	json_object_put(o);
	o = queue(a, "organisation=%lld&page=6", org);
	assert_count(o, 260, 0, 0, "page 6 of 260");
	ck_assert_int_eq(json_object_array_length(
	    http_json_at(o, "tickets")), 10);
	json_object_put(o);

	o = queue(a, "organisation=%lld", exact);
	assert_count(o, 200, 0, 2, "page 1 of 200");
	json_object_put(o);
	o = queue(a, "organisation=%lld&page=4", exact);
	assert_count(o, 200, 0, 0, "page 4 of 200");
	json_object_put(o);

	path = fx_printf("/tickets/?organisation=%lld", org);
	r = http_get(a, path);
	ck_assert_int_eq(r->status, 200);
	ck_assert(http_body_has(r, "1–50 of more than 200"));
	http_resp_free(r);
	free(path);
	path = fx_printf("/tickets/?organisation=%lld", exact);
	r = http_get(a, path);
	ck_assert(http_body_has(r, "1–50 of 200<"));
	http_resp_free(r);

	free(path);
	free(tag2);
	free(tag);
	http_agent_free(a);
}
END_TEST

START_TEST(test_pages_keep_filters)
{
	struct http_agent	*a = fx_signin("admin", fx_password());
	struct json_object	*o;
	struct http_resp	*r;
	char			*tag = fx_marker("pages"), *want, *path;
	const char		*next, *prev;
	long long		 org = org_new(tag);

	/* 55 tickets straight into the database. */
	fx_db_exec("INSERT INTO tickets (number, type, subject, channel_id, "
	    "status_id, priority, organisation_id, owner_id, created_by) "
	    "SELECT NEXT VALUE FOR ticket_numbers, 'email', "
	    "CONCAT(?, ' page ', seq), ?, (SELECT id FROM statuses WHERE "
	    "code = 'new'), 3, ?, NULL, NULL FROM seq_1_to_55",
	    TW_ARGS(TW_S(tag), TW_I(fx_channel("Support")), TW_I(org)));

	o = queue(a, "organisation=%lld&priority=3&sort=number&dir=asc", org);
	ck_assert_int_eq(http_json_int(o, "total", 0), 55);
	ck_assert_int_eq(json_object_array_length(
	    http_json_at(o, "tickets")), 50);
	ck_assert_str_eq(http_json_str(o, "first_fmt"), "1");
	ck_assert_str_eq(http_json_str(o, "last_fmt"), "50");
	want = fx_printf("/tickets/?priority=3&organisation=%lld&sort=number&"
	    "dir=asc&page=2", org);
	next = http_json_str(o, "next_href");
	ck_assert_msg(next != NULL && strcmp(next, want) == 0,
	    "next_href %s, want %s", next, want);
	ck_assert_ptr_null(http_json_str(o, "prev_href"));
	path = strdup(next);
	json_object_put(o);

	r = http_get_json(a, path);
	ck_assert_int_eq(r->status, 200);
	o = http_json(r);
	ck_assert_int_eq(json_object_array_length(
	    http_json_at(o, "tickets")), 5);
	ck_assert_str_eq(http_json_str(o, "first_fmt"), "51");
	ck_assert_ptr_null(http_json_str(o, "next_href"));
	prev = http_json_str(o, "prev_href");
	ck_assert_msg(prev != NULL && strstr(prev, "priority=3&") != NULL &&
	    strstr(prev, "page=1") != NULL, "prev_href %s", prev);
	json_object_put(o);
	http_resp_free(r);

	/* The page shows "1–50 of 55"; a search with spaces is encoded. */
	free(path);
	path = fx_printf("/tickets/?organisation=%lld&q=%s+page", org,
	    tag + strlen("pages-"));
	r = http_get(a, path);
	ck_assert_int_eq(r->status, 200);
	ck_assert(http_body_has(r, "1–50 of 55"));
	free(want);
	want = fx_printf("q&#61;%s%%20page&amp;page&#61;2",
	    tag + strlen("pages-"));
	ck_assert_msg(http_body_has(r, want), "no next link with %s", want);
	http_resp_free(r);

	free(path);
	free(want);
	free(tag);
	http_agent_free(a);
}
END_TEST

/* A bulk form post by agent a; returns the JSON answer, asserting st. */
static struct json_object *
bulk(struct http_agent *a, long st, const char *fmt, ...)
{
	struct http_resp	*r;
	struct json_object	*o;
	const char		*h[] = { "Accept: application/json",
	    "Content-Type: application/x-www-form-urlencoded", NULL };
	char			*csrf, *body, *rest;
	va_list			 ap;

	r = http_get(a, "/tickets/");
	csrf = http_csrf(r);
	ck_assert_ptr_nonnull(csrf);
	http_resp_free(r);
	va_start(ap, fmt);
	rest = vformat(fmt, ap);
	va_end(ap);
	body = fx_printf("_csrf=%s&%s", csrf, rest);

	r = http_request(a, "POST", "/tickets/bulk", h, body, strlen(body));
	ck_assert_msg(r->status == st, "bulk %s: %ld %s", rest, r->status,
	    r->body);
	o = http_json(r);

	http_resp_free(r);
	free(body);
	free(rest);
	free(csrf);
	return o;
}

static const char *
result_of(struct json_object *o, long long number)
{
	struct json_object	*list = http_json_at(o, "results"), *e;
	size_t			 i;

	for (i = 0; i < json_object_array_length(list); i++) {
		e = json_object_array_get_idx(list, i);
		if (http_json_int(e, "number", 0) == number)
			return http_json_str(e, "result");
	}
	return "absent";
}

static long long
ticket_col(long long number, int which)
{
	return which == 0 ? fx_db_int("SELECT assignee_id FROM tickets WHERE "
	    "number = ?", 0, TW_ARGS(TW_I(number))) : which == 1 ?
	    fx_db_int("SELECT status_id FROM tickets WHERE number = ?", 0,
	    TW_ARGS(TW_I(number))) : fx_db_int("SELECT channel_id FROM "
	    "tickets WHERE number = ?", 0, TW_ARGS(TW_I(number)));
}

START_TEST(test_bulk)
{
	struct http_agent	*k = fx_signin("ksturm", fx_password());
	struct http_agent	*m = fx_signin("mroth", fx_password());
	struct http_resp	*r;
	struct json_object	*o;
	char			*token = fx_token("admin"), *body, *csrf;
	struct set		 s;
	long long		 answered, ks = fx_user_id("ksturm");
	long long		 support = fx_channel("Support");

	set_new(&s, token);
	answered = fx_db_int("SELECT id FROM statuses WHERE code = "
	    "'answered'", 0, TW_NOARGS);

	/* ksturm handles Support; the Sales ticket is not his to see. */
	o = bulk(k, 200, "ticket%%5B%%5D=%lld&ticket%%5B%%5D=%lld&"
	    "ticket%%5B%%5D=%lld&action=assign&assignee=me", s.n[1], s.n[2],
	    s.n[3]);
	ck_assert_str_eq(result_of(o, s.n[1]), "changed");
	ck_assert_str_eq(result_of(o, s.n[2]), "not_found");
	ck_assert_str_eq(result_of(o, s.n[3]), "changed");
	ck_assert_int_eq(http_json_int(o, "changed", -1), 2);
	json_object_put(o);
	ck_assert_int_eq(ticket_col(s.n[1], 0), ks);
	ck_assert_int_eq(ticket_col(s.n[3], 0), ks);
	ck_assert_int_eq(ticket_col(s.n[2], 0), 0);

	/* Status: the answered one is reported unchanged. */
	o = bulk(k, 200, "ticket%%5B%%5D=%lld&ticket%%5B%%5D=%lld&"
	    "action=status&status=answered", s.n[0], s.n[3]);
	ck_assert_str_eq(result_of(o, s.n[0]), "unchanged");
	ck_assert_str_eq(result_of(o, s.n[3]), "changed");
	json_object_put(o);
	ck_assert_int_eq(ticket_col(s.n[3], 1), answered);

	/* A bulk change is recorded like a single one: one history item
	 * for the assignee, one for the status. */
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM items i "
	    "JOIN tickets t ON t.id = i.ticket_id WHERE t.number = ? "
	    "AND i.kind = 'system'", -1, TW_ARGS(TW_I(s.n[3]))), 2);

	/* mroth only reads Support: forbidden, and nothing changes. */
	o = bulk(m, 200, "ticket%%5B%%5D=%lld&action=channel&channel=%lld",
	    s.n[0], fx_channel("Sales"));
	ck_assert_str_eq(result_of(o, s.n[0]), "forbidden");
	json_object_put(o);
	ck_assert_int_eq(ticket_col(s.n[0], 2), support);

	/* A channel one does not handle, an unknown action or status. */
	json_object_put(bulk(k, 422, "ticket%%5B%%5D=%lld&action=channel&"
	    "channel=%lld", s.n[0], fx_channel("Sales")));
	json_object_put(bulk(k, 422, "ticket%%5B%%5D=%lld&action=delete",
	    s.n[0]));
	json_object_put(bulk(k, 422, "ticket%%5B%%5D=%lld&action=status&"
	    "status=gone", s.n[0]));
	json_object_put(bulk(k, 422, "action=status&status=new"));
	json_object_put(bulk(k, 422, "ticket%%5B%%5D=x1&action=status&"
	    "status=new"));
	ck_assert_int_eq(ticket_col(s.n[0], 2), support);

	/* Without the CSRF token nothing happens. */
	body = fx_printf("ticket%%5B%%5D=%lld&action=status&status=closed",
	    s.n[1]);
	r = http_post_form(k, "/tickets/bulk", body);
	ck_assert_int_eq(r->status, 403);
	ck_assert_int_ne(ticket_col(s.n[1], 1), fx_db_int("SELECT id FROM "
	    "statuses WHERE code = 'closed'", 0, TW_NOARGS));
	http_resp_free(r);

	/* The HTML answer lists each ticket's result. */
	free(body);
	r = http_get(k, "/tickets/");
	csrf = http_csrf(r);
	body = fx_printf("_csrf=%s&ticket%%5B%%5D=%lld&action=status&"
	    "status=new", csrf, s.n[3]);
	http_resp_free(r);
	r = http_post_form(k, "/tickets/bulk", body);
	ck_assert_int_eq(r->status, 200);
	ck_assert(http_body_has(r, "Changed"));
	http_resp_free(r);

	free(csrf);
	free(body);
	free(token);
	free(s.tag);
	http_agent_free(m);
	http_agent_free(k);
}
END_TEST

Suite *
tw_queue_suite(void)
{
	Suite	*s = suite_create("queue");
	TCase	*tc = fx_tcase("queue", 60);

	tcase_add_test(tc, test_each_filter);
	tcase_add_test(tc, test_row_names);
	tcase_add_test(tc, test_search_item_text);
	tcase_add_test(tc, test_invalid_values);
	tcase_add_test(tc, test_sort_orders);
	tcase_add_test(tc, test_views);
	tcase_add_test(tc, test_pages_keep_filters);
	tcase_add_test(tc, test_count_limit);
	tcase_add_test(tc, test_bulk);
	suite_add_tcase(s, tc);
	return s;
}
