/*
 * test_tickets.c: the first ticket slice end to end, in HTML through the
 * forms and in JSON with an API token: opening tickets, reading them,
 * the queue, adding items, idempotent retries, who may see and write
 * what, and the headers every response carries.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <json-c/json.h>

#include "http.h"
#include "suites.h"

static const char csp[] = "default-src 'none'; style-src 'self'; "
    "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'";

/*
 * A request with an API token: body (JSON text, or NULL) and one extra
 * header line (or NULL).
 */
static struct http_resp *
api(const char *token, const char *method, const char *path,
    const char *body, const char *extra)
{
	struct http_resp	*r;
	char			*auth = fx_bearer(token);
	const char		*h[] = { auth, "Content-Type: application/json",
	    extra, NULL };

	r = http_request(NULL, method, path, h, body,
	    body != NULL ? strlen(body) : 0);
	free(auth);
	return r;
}

/* The JSON text of a new ticket. */
static char *
ticket_json(const char *subject, long long channel, const char *body)
{
	struct json_object	*o = json_object_new_object();
	char			*s;

	json_object_object_add(o, "subject", json_object_new_string(subject));
	json_object_object_add(o, "channel", json_object_new_int64(channel));
	if (body != NULL)
		json_object_object_add(o, "body", json_object_new_string(body));
	s = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	return s;
}

/* The ticket number at the end of a Location "/tickets/N...", or 0. */
static long long
location_number(const struct http_resp *r)
{
	char		*loc = http_header(r, "Location", 0);
	long long	 n = 0;

	if (loc != NULL && strncmp(loc, "/tickets/", 9) == 0)
		n = strtoll(loc + 9, NULL, 10);
	free(loc);
	return n;
}

/* Where number is in the tickets array of a queue page; -1 if absent. */
static int
queue_index(struct json_object *page, long long number)
{
	struct json_object	*list = http_json_at(page, "tickets");
	size_t			 i;

	if (!json_object_is_type(list, json_type_array))
		return -1;
	for (i = 0; i < json_object_array_length(list); i++)
		if (http_json_int(json_object_array_get_idx(list, i),
		    "number", 0) == number)
			return (int)i;
	return -1;
}

/* Whether the channels of a /tickets/new answer include name. */
static int
has_channel(const struct http_resp *r, const char *name)
{
	struct json_object	*o = http_json(r), *list, *c;
	const char		*v;
	size_t			 i;
	int			 found = 0;

	list = http_json_at(o, "channels");
	for (i = 0; json_object_is_type(list, json_type_array) &&
	    i < json_object_array_length(list); i++) {
		c = json_object_array_get_idx(list, i);
		v = http_json_str(c, "name");
		found |= v != NULL && strcmp(v, name) == 0 &&
		    http_json_int(c, "id", 0) == fx_channel(name);
	}
	json_object_put(o);
	return found;
}

static long long
count_items(long long number)
{
	return fx_db_int("SELECT COUNT(*) FROM items i JOIN tickets t "
	    "ON t.id = i.ticket_id WHERE t.number = ?", -1,
	    TW_ARGS(TW_I(number)));
}

START_TEST(test_html_slice)
{
	struct http_agent	*a;
	struct http_resp	*r;
	char			*csrf, *key, *subject, *s, *body, *note, *path;
	char			*loc;
	long long		 number, support = fx_channel("Support");

	a = fx_signin("admin", fx_password());
	r = http_get(a, "/tickets/new");
	ck_assert_int_eq(r->status, 200);
	csrf = http_csrf(r);
	key = http_form_value(r->body, "request_key");
	ck_assert_msg(csrf != NULL && key != NULL && *key != '\0',
	    "the new-ticket form lacks _csrf or request_key");
	ck_assert(http_body_has(r, "name=\"subject\""));
	http_resp_free(r);

	subject = fx_marker("itest-html");
	s = http_urlenc(subject);
	body = fx_printf("_csrf=%s&request_key=%s&subject=%s&channel=%lld"
	    "&priority=3&type=on_behalf&body=First+description", csrf, key, s,
	    support);
	r = http_post_form(a, "/tickets/", body);
	ck_assert_msg(r->status == 303, "POST /tickets/: %ld %s", r->status,
	    r->body);
	number = location_number(r);
	ck_assert_msg(number > 0, "no /tickets/N in the Location");
	http_resp_free(r);

	/* A second click sends the form's request_key again. */
	r = http_post_form(a, "/tickets/", body);
	ck_assert_int_eq(r->status, 303);
	ck_assert_int_eq(location_number(r), number);
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM tickets "
	    "WHERE subject = ?", -1, TW_ARGS(TW_S(subject))), 1);
	http_resp_free(r);

	path = fx_printf("/tickets/%lld", number);
	r = http_get(a, path);
	ck_assert_int_eq(r->status, 200);
	ck_assert_msg(http_body_has(r, subject), "the page lacks the subject");
	ck_assert(http_body_has(r, "First description"));
	free(csrf);
	csrf = http_csrf(r);
	http_resp_free(r);

	r = http_get(a, "/tickets/");
	ck_assert_int_eq(r->status, 200);
	ck_assert_msg(http_body_has(r, subject), "the queue lacks the ticket");
	http_resp_free(r);

	note = fx_marker("itest-note");
	free(body);
	body = fx_printf("_csrf=%s&body=%s&kind=note&visibility=internal",
	    csrf, note);
	free(s);
	s = fx_printf("%s/items", path);
	r = http_post_form(a, s, body);
	ck_assert_msg(r->status == 303, "POST %s: %ld %s", s, r->status,
	    r->body);
	loc = http_header(r, "Location", 0);
	free(s);
	s = fx_printf("%s#item-", path);
	ck_assert_msg(loc != NULL && strncmp(loc, s, strlen(s)) == 0,
	    "Location after a note: %s", loc);
	http_resp_free(r);

	r = http_get(a, path);
	ck_assert_int_eq(r->status, 200);
	ck_assert_msg(http_body_has(r, note), "the page lacks the new note");
	ck_assert_int_eq(count_items(number), 2);

	http_resp_free(r);
	free(loc);
	free(note);
	free(path);
	free(body);
	free(s);
	free(subject);
	free(key);
	free(csrf);
	http_agent_free(a);
}
END_TEST

START_TEST(test_json_slice)
{
	struct http_resp	*r;
	struct json_object	*o, *items, *last;
	char			*token, *subject, *body, *path, *loc, *want;
	long long		 number, sales = fx_channel("Sales");

	token = fx_token("admin");
	subject = fx_marker("itest-json");
	body = ticket_json(subject, sales, "Described in JSON");
	r = api(token, "POST", "/tickets/", body, NULL);
	ck_assert_msg(r->status == 201, "POST /tickets/: %ld %s", r->status,
	    r->body);
	o = http_json(r);
	number = http_json_int(o, "ticket.number", 0);
	ck_assert_msg(number > 0, "no ticket.number in %s", r->body);
	ck_assert_str_eq(http_json_str(o, "ticket.subject"), subject);
	ck_assert_str_eq(http_json_str(o, "ticket.channel"), "Sales");
	items = http_json_at(o, "items");
	ck_assert_msg(json_object_is_type(items, json_type_array) &&
	    json_object_array_length(items) == 1, "items: %s", r->body);
	loc = http_header(r, "Location", 0);
	path = fx_printf("/tickets/%lld", number);
	ck_assert_str_eq(loc, path);
	json_object_put(o);
	http_resp_free(r);

	r = api(token, "GET", path, NULL, NULL);
	ck_assert_int_eq(r->status, 200);
	o = http_json(r);
	ck_assert_int_eq(http_json_int(o, "ticket.number", 0), number);
	ck_assert_str_eq(http_json_str(o, "ticket.subject"), subject);
	ck_assert(json_object_get_boolean(http_json_at(o, "can_write")));
	json_object_put(o);
	http_resp_free(r);

	want = fx_printf("%s/items", path);
	r = api(token, "POST", want, "{\"body\":\"Called back\","
	    "\"kind\":\"call\",\"visibility\":\"customer\"}", NULL);
	ck_assert_msg(r->status == 201, "POST items: %ld %s", r->status,
	    r->body);
	o = http_json(r);
	ck_assert_int_gt(http_json_int(o, "id", 0), 0);
	ck_assert_int_eq(http_json_int(o, "ticket", 0), number);
	ck_assert_str_eq(http_json_str(o, "kind"), "call");
	json_object_put(o);
	http_resp_free(r);

	r = api(token, "GET", path, NULL, NULL);
	o = http_json(r);
	items = http_json_at(o, "items");
	ck_assert_int_eq(json_object_array_length(items), 2);
	last = json_object_array_get_idx(items, 1);
	ck_assert_str_eq(http_json_str(last, "body"), "Called back");
	ck_assert_str_eq(http_json_str(last, "kind"), "call");
	ck_assert_str_eq(http_json_str(last, "visibility"), "customer");
	json_object_put(o);
	http_resp_free(r);

	/* Newest first: only tickets opened since then can come before. */
	r = api(token, "GET", "/tickets/", NULL, NULL);
	ck_assert_int_eq(r->status, 200);
	o = http_json(r);
	ck_assert_msg(queue_index(o, number) >= 0 &&
	    queue_index(o, number) < 5, "ticket %lld is at index %d of the "
	    "queue", number, queue_index(o, number));
	ck_assert_int_eq(http_json_int(o, "page", 0), 1);
	ck_assert(json_object_is_type(http_json_at(o, "prev_page"),
	    json_type_null));

	json_object_put(o);
	http_resp_free(r);
	free(want);
	free(loc);
	free(path);
	free(body);
	free(subject);
	free(token);
}
END_TEST

START_TEST(test_idempotency_key)
{
	struct http_resp	*r;
	struct json_object	*o;
	char			*token, *subject, *body, *key, *header;
	char			*keyed, *other;
	long long		 first, n, support = fx_channel("Support");
	int			 i;

	token = fx_token("admin");
	subject = fx_marker("itest-idem");
	key = fx_marker("itest-key");
	header = fx_printf("Idempotency-Key: %s", key);
	body = ticket_json(subject, support, "Once only");

	first = 0;
	for (i = 0; i < 2; i++) {
		r = api(token, "POST", "/tickets/", body, header);
		ck_assert_msg(r->status == 201, "attempt %d: %ld %s", i + 1,
		    r->status, r->body);
		o = http_json(r);
		n = http_json_int(o, "ticket.number", 0);
		ck_assert_int_gt(n, 0);
		if (i == 0)
			first = n;
		ck_assert_int_eq(n, first);
		json_object_put(o);
		http_resp_free(r);
	}

	/* The same key as a request_key field in the body. */
	keyed = fx_printf("{\"subject\":\"%s\",\"channel\":%lld,"
	    "\"request_key\":\"%s\"}", subject, support, key);
	r = api(token, "POST", "/tickets/", keyed, NULL);
	ck_assert_int_eq(r->status, 201);
	ck_assert_int_eq(location_number(r), first);
	http_resp_free(r);

	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM tickets "
	    "WHERE subject = ?", -1, TW_ARGS(TW_S(subject))), 1);
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM items i "
	    "JOIN tickets t ON t.id = i.ticket_id WHERE t.subject = ?", -1,
	    TW_ARGS(TW_S(subject))), 1);
	ck_assert_int_eq(fx_db_int("SELECT ticket_number FROM request_keys "
	    "WHERE request_key = ?", -1, TW_ARGS(TW_S(key))), first);

	/* Another key is another ticket. */
	free(header);
	other = fx_marker("itest-key");
	header = fx_printf("Idempotency-Key: %s", other);
	r = api(token, "POST", "/tickets/", body, header);
	ck_assert_int_eq(r->status, 201);
	ck_assert_int_ne(location_number(r), first);
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM tickets "
	    "WHERE subject = ?", -1, TW_ARGS(TW_S(subject))), 2);
	http_resp_free(r);

	/* Keys belong to their user: ksturm's first use of it is new. */
	free(header);
	header = fx_printf("Idempotency-Key: %s", key);
	free(token);
	token = fx_token("ksturm");
	r = api(token, "POST", "/tickets/", body, header);
	ck_assert_int_eq(r->status, 201);
	n = location_number(r);
	ck_assert_msg(n > 0 && n != first, "ksturm's key gave #%lld", n);
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM tickets "
	    "WHERE subject = ?", -1, TW_ARGS(TW_S(subject))), 3);

	http_resp_free(r);
	free(other);
	free(keyed);
	free(body);
	free(header);
	free(key);
	free(subject);
	free(token);
}
END_TEST

START_TEST(test_other_channel_is_not_found)
{
	struct http_agent	*a;
	struct http_resp	*r;
	struct json_object	*o;
	char			*token, *subject, *path, *csrf, *body;
	long long		 number;

	token = fx_token("admin");
	subject = fx_marker("itest-sales");
	number = fx_ticket_new(token, subject, fx_channel("Sales"));
	path = fx_printf("/tickets/%lld", number);

	/* ksturm handles Support and reads Internal, but has no Sales. */
	a = fx_signin("ksturm", fx_password());
	r = http_get(a, path);
	ck_assert_msg(r->status == 404, "HTML: %ld", r->status);
	ck_assert(!http_body_has(r, subject));
	csrf = http_csrf(r);
	http_resp_free(r);

	r = http_get_json(a, path);
	ck_assert_msg(r->status == 404, "JSON: %ld", r->status);
	o = http_json(r);
	ck_assert_int_eq(http_json_int(o, "error.status", 0), 404);
	ck_assert(!http_body_has(r, subject));
	json_object_put(o);
	http_resp_free(r);

	r = http_get_json(a, "/tickets/");
	o = http_json(r);
	ck_assert_int_eq(queue_index(o, number), -1);
	json_object_put(o);
	http_resp_free(r);

	/* Writing to it is the same 404 as reading it. */
	free(path);
	path = fx_printf("/tickets/%lld/items", number);
	body = fx_printf("_csrf=%s&body=Hello", csrf);
	r = http_post_form(a, path, body);
	ck_assert_msg(r->status == 404, "POST item: %ld", r->status);
	ck_assert_int_eq(count_items(number), 0);

	http_resp_free(r);
	free(body);
	free(csrf);
	free(path);
	free(subject);
	free(token);
	http_agent_free(a);
}
END_TEST

START_TEST(test_reader_cannot_write)
{
	struct http_agent	*a;
	struct http_resp	*r;
	struct json_object	*o;
	char			*token, *subject, *path, *items, *action;
	char			*csrf, *body, *mtoken;
	long long		 number;

	token = fx_token("admin");
	subject = fx_marker("itest-reads");
	number = fx_ticket_new(token, subject, fx_channel("Support"));
	path = fx_printf("/tickets/%lld", number);
	items = fx_printf("/tickets/%lld/items", number);
	action = fx_printf("action=\"%s\"", items);

	/* mroth reads along in Support: sees the ticket, without a form. */
	a = fx_signin("mroth", fx_password());
	r = http_get(a, path);
	ck_assert_msg(r->status == 200, "HTML: %ld", r->status);
	ck_assert(http_body_has(r, subject));
	ck_assert_msg(!http_body_has(r, action), "a reader gets the note form");
	csrf = http_csrf(r);
	http_resp_free(r);

	r = http_get_json(a, path);
	ck_assert_int_eq(r->status, 200);
	o = http_json(r);
	ck_assert_str_eq(http_json_str(o, "ticket.subject"), subject);
	ck_assert(!json_object_get_boolean(http_json_at(o, "can_write")));
	json_object_put(o);
	http_resp_free(r);

	body = fx_printf("_csrf=%s&body=Reader+note&kind=note", csrf);
	r = http_post_form(a, items, body);
	ck_assert_msg(r->status == 403, "a reader's note was answered %ld",
	    r->status);
	http_resp_free(r);

	mtoken = fx_token("mroth");
	r = api(mtoken, "POST", items, "{\"body\":\"Reader note\"}", NULL);
	ck_assert_msg(r->status == 403, "a reader's JSON note: %ld",
	    r->status);
	ck_assert_int_eq(count_items(number), 0);
	http_resp_free(r);

	/* New tickets go only to channels one handles. */
	r = api(mtoken, "GET", "/tickets/new", NULL, NULL);
	ck_assert_int_eq(r->status, 200);
	ck_assert_msg(has_channel(r, "Sales") && !has_channel(r, "Support"),
	    "mroth may open tickets in: %s", r->body);
	http_resp_free(r);
	free(body);
	body = ticket_json(subject, fx_channel("Support"), NULL);
	r = api(mtoken, "POST", "/tickets/", body, NULL);
	ck_assert_msg(r->status == 422, "a reader opened a ticket: %ld",
	    r->status);
	o = http_json(r);
	ck_assert_str_eq(http_json_str(o, "error.field"), "channel");
	json_object_put(o);
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM tickets "
	    "WHERE subject = ?", -1, TW_ARGS(TW_S(subject))), 1);

	http_resp_free(r);
	free(mtoken);
	free(body);
	free(csrf);
	free(action);
	free(items);
	free(path);
	free(subject);
	free(token);
	http_agent_free(a);
}
END_TEST

START_TEST(test_idempotency_concurrent)
{
	struct http_call	*calls[4];
	struct http_resp	*r;
	CURLM			*multi;
	CURLMsg			*m;
	char			*token, *auth, *key, *subject, *body;
	const char		*h[4] = { NULL, NULL,
	    "Content-Type: application/json", NULL };
	long long		 numbers[4], want = 0;
	int			 running, left, i;

	token = fx_token("admin");
	auth = fx_bearer(token);
	key = fx_marker("itest-race");
	subject = fx_marker("itest-race");
	h[0] = auth;
	h[1] = fx_printf("Idempotency-Key: %s", key);
	body = ticket_json(subject, fx_channel("Support"), "Raced");

	/* Four requests with one key, all in flight at once. */
	ck_assert_ptr_nonnull(multi = curl_multi_init());
	for (i = 0; i < 4; i++) {
		calls[i] = http_call_new(NULL, "POST", "/tickets/", h, body,
		    strlen(body));
		numbers[i] = 0;
		curl_multi_add_handle(multi, calls[i]->easy);
	}
	do {
		curl_multi_perform(multi, &running);
		if (running > 0)
			curl_multi_poll(multi, NULL, 0, 100, NULL);
	} while (running > 0);

	while ((m = curl_multi_info_read(multi, &left)) != NULL) {
		for (i = 0; i < 4 && calls[i]->easy != m->easy_handle; i++)
			;
		ck_assert_int_lt(i, 4);
		curl_multi_remove_handle(multi, m->easy_handle);
		r = http_call_finish(calls[i], m->data.result);
		ck_assert_msg(r->status == 201, "request %d: %ld %s", i,
		    r->status, r->body);
		numbers[i] = location_number(r);
		http_resp_free(r);
	}
	for (i = 0; i < 4; i++) {
		if (i == 0)
			want = numbers[0];
		ck_assert_msg(numbers[i] > 0 && numbers[i] == want,
		    "request %d got #%lld, request 0 #%lld", i, numbers[i],
		    want);
	}
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM tickets "
	    "WHERE subject = ?", -1, TW_ARGS(TW_S(subject))), 1);

	curl_multi_cleanup(multi);
	free((char *)h[1]);
	free(body);
	free(subject);
	free(key);
	free(auth);
	free(token);
}
END_TEST

/* Asserts the headers every response of the application carries. */
static void
assert_security_headers(const struct http_resp *r, const char *what)
{
	static const char *const want[][2] = {
		{ "X-Content-Type-Options", "nosniff" },
		{ "X-Frame-Options", "DENY" },
		{ "Cache-Control", "no-store" },
		{ "Referrer-Policy", "same-origin" },
		{ "Content-Security-Policy", csp },
	};
	char	*v, *again;
	size_t	 i;

	ck_assert_msg(r->status != 0, "%s: no response", what);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		v = http_header(r, want[i][0], 0);
		again = http_header(r, want[i][0], 1);
		ck_assert_msg(v != NULL, "%s (%ld): no %s", what, r->status,
		    want[i][0]);
		ck_assert_msg(strcmp(v, want[i][1]) == 0,
		    "%s (%ld): %s is \"%s\"", what, r->status, want[i][0], v);
		ck_assert_msg(again == NULL, "%s (%ld): %s twice", what,
		    r->status, want[i][0]);
		free(v);
	}
}

START_TEST(test_security_headers)
{
	struct http_agent	*a, *anon;
	struct http_resp	*r;
	char			*token;
	size_t			 i;
	static const char *const paths[] = { "/tickets/", "/tickets/new",
	    "/signin", "/healthz", "/no-such-page", "/tickets/999999999999",
	    "/tickets/?page=0", NULL };

	a = fx_signin("admin", fx_password());
	anon = http_agent_new();
	token = fx_token("admin");

	for (i = 0; paths[i] != NULL; i++) {
		r = http_get(a, paths[i]);
		assert_security_headers(r, paths[i]);
		http_resp_free(r);
		r = http_get_json(a, paths[i]);
		assert_security_headers(r, paths[i]);
		http_resp_free(r);
		r = http_get(anon, paths[i]);
		assert_security_headers(r, paths[i]);
		http_resp_free(r);
		r = api(token, "GET", paths[i], NULL, NULL);
		assert_security_headers(r, paths[i]);
		http_resp_free(r);
	}
	r = api(token, "POST", "/tickets/", "{}", NULL);
	ck_assert_int_eq(r->status, 422);
	assert_security_headers(r, "POST /tickets/");
	http_resp_free(r);
	r = http_post_form(a, "/tickets/", "subject=x");
	ck_assert_int_eq(r->status, 403);
	assert_security_headers(r, "POST /tickets/ without _csrf");

	http_resp_free(r);
	free(token);
	http_agent_free(anon);
	http_agent_free(a);
}
END_TEST

Suite *
tw_tickets_suite(void)
{
	Suite	*s = suite_create("tickets");
	TCase	*tc = fx_tcase("tickets", 60);

	tcase_add_test(tc, test_html_slice);
	tcase_add_test(tc, test_json_slice);
	tcase_add_test(tc, test_idempotency_key);
	tcase_add_test(tc, test_idempotency_concurrent);
	tcase_add_test(tc, test_other_channel_is_not_found);
	tcase_add_test(tc, test_reader_cannot_write);
	tcase_add_test(tc, test_security_headers);
	suite_add_tcase(s, tc);
	return s;
}
