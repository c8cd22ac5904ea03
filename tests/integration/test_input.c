/*
 * test_input.c: hostile and malformed input through the whole stack:
 * oversized and malformed bodies, invalid UTF-8, missing and repeated
 * fields, unknown paths and methods, markup and SQL in a subject.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <json-c/json.h>

#include "http.h"
#include "suites.h"

#define BIG	(2 * 1024 * 1024)

static const char form_ctype[] =
    "Content-Type: application/x-www-form-urlencoded";
static const char json_ctype[] = "Content-Type: application/json";

/* A token request: body of len bytes sent as ctype (a header line). */
static struct http_resp *
api(const char *token, const char *method, const char *path,
    const char *ctype, const char *body, size_t len)
{
	struct http_resp	*r;
	char			*auth = fx_bearer(token);
	const char		*h[] = { auth, ctype, NULL };

	r = http_request(NULL, method, path, h, body, len);
	free(auth);
	return r;
}

/* The same with a C string body. */
static struct http_resp *
api_s(const char *token, const char *method, const char *path,
    const char *ctype, const char *body)
{
	return api(token, method, path, ctype, body,
	    body != NULL ? strlen(body) : 0);
}

/*
 * Asserts a JSON error answer: status, the same status in the body, a
 * message, and the field when field is not NULL.
 */
static void
assert_json_error(const struct http_resp *r, long status, const char *field,
    const char *what)
{
	struct json_object	*o = http_json(r);
	const char		*msg;

	ck_assert_msg(r->status == status, "%s: status %ld, not %ld: %s",
	    what, r->status, status, r->body);
	ck_assert_msg(o != NULL, "%s: the body is not JSON: %s", what,
	    r->body);
	ck_assert_int_eq(http_json_int(o, "error.status", 0), status);
	msg = http_json_str(o, "error.message");
	ck_assert_msg(msg != NULL && strlen(msg) > 10,
	    "%s: no sentence in %s", what, r->body);
	if (field != NULL)
		ck_assert_msg(http_json_str(o, "error.field") != NULL &&
		    strcmp(http_json_str(o, "error.field"), field) == 0,
		    "%s: error.field is not %s: %s", what, field, r->body);
	json_object_put(o);
}

START_TEST(test_body_too_large)
{
	struct http_agent	*a;
	struct http_resp	*r;
	char			*token, *body;

	body = malloc(BIG + 1);
	ck_assert_ptr_nonnull(body);
	memcpy(body, "subject=", 8);
	memset(body + 8, 'a', BIG - 8);
	body[BIG] = '\0';

	token = fx_token("admin");
	r = api(token, "POST", "/tickets/", form_ctype, body, BIG);
	assert_json_error(r, 413, NULL, "2 MiB form with a token");
	http_resp_free(r);

	a = fx_signin("admin", fx_password());
	r = http_post_form(a, "/tickets/", body);
	ck_assert_int_eq(r->status, 413);
	ck_assert_msg(http_body_has(r, "larger than this server accepts"),
	    "the 413 page names no reason: %s", r->body);

	http_resp_free(r);
	http_agent_free(a);
	free(token);
	free(body);
}
END_TEST

START_TEST(test_malformed_urlencoded)
{
	struct http_agent	*a;
	struct http_resp	*r;
	char			*token, *body;

	token = fx_token("admin");
	body = fx_printf("subject=%%zz&channel=%lld", fx_channel("Support"));
	r = api_s(token, "POST", "/tickets/", form_ctype, body);
	assert_json_error(r, 400, NULL, "subject=%zz");
	http_resp_free(r);
	r = api_s(token, "POST", "/tickets/", form_ctype, "subject=%4");
	assert_json_error(r, 400, NULL, "subject=%4");
	http_resp_free(r);

	/* The same from a browser: the body is read before anything else. */
	a = fx_signin("admin", fx_password());
	r = http_post_form(a, "/tickets/", body);
	ck_assert_int_eq(r->status, 400);

	http_resp_free(r);
	http_agent_free(a);
	free(body);
	free(token);
}
END_TEST

START_TEST(test_malformed_json)
{
	struct http_resp	*r;
	char			*token;
	size_t			 i;
	static const char *const bad[] = {
		"{\"subject\": \"x\",",
		"{\"subject\": 'x'}",
		"{subject: \"x\"}",
		"[\"not\", \"an\", \"object\"]",
		"{\"subject\": \"x\"} trailing",
		NULL
	};

	token = fx_token("admin");
	for (i = 0; bad[i] != NULL; i++) {
		r = api_s(token, "POST", "/tickets/", json_ctype, bad[i]);
		assert_json_error(r, 400, NULL, bad[i]);
		http_resp_free(r);
	}
	free(token);
}
END_TEST

START_TEST(test_invalid_utf8)
{
	struct http_resp	*r;
	char			*token, *body;
	long long		 support = fx_channel("Support");
	size_t			 i;
	static const char *const bad[] = { "%C3%28", "%C0%AF", "%ED%A0%80",
	    "ok%FF", NULL };

	/* Invalid UTF-8 is refused as a malformed request (400), whether
	 * it arrives percent-encoded in a form or raw in JSON. */
	token = fx_token("admin");
	for (i = 0; bad[i] != NULL; i++) {
		body = fx_printf("subject=%s&channel=%lld", bad[i], support);
		r = api_s(token, "POST", "/tickets/", form_ctype, body);
		assert_json_error(r, 400, NULL, bad[i]);
		http_resp_free(r);
		free(body);
	}

	body = fx_printf("{\"subject\":\"bad \xc3\x28 byte\",\"channel\":%lld}",
	    support);
	r = api_s(token, "POST", "/tickets/", json_ctype, body);
	assert_json_error(r, 400, NULL, "raw invalid UTF-8 in JSON");

	http_resp_free(r);
	free(body);
	free(token);
}
END_TEST

START_TEST(test_subject_required)
{
	struct http_agent	*a;
	struct http_resp	*r;
	struct json_object	*o;
	char			*token, *body, *csrf, *longest;
	long long		 support = fx_channel("Support");

	token = fx_token("admin");
	body = fx_printf("{\"channel\":%lld}", support);
	r = api_s(token, "POST", "/tickets/", json_ctype, body);
	assert_json_error(r, 422, "subject", "no subject");
	o = http_json(r);
	ck_assert_str_eq(http_json_str(o, "error.message"),
	    "Subject is required.");
	json_object_put(o);
	http_resp_free(r);
	free(body);

	body = fx_printf("{\"subject\":\"   \",\"channel\":%lld}", support);
	r = api_s(token, "POST", "/tickets/", json_ctype, body);
	assert_json_error(r, 422, "subject", "a blank subject");
	http_resp_free(r);
	free(body);

	body = fx_printf("{\"subject\":\"two\\nlines\",\"channel\":%lld}",
	    support);
	r = api_s(token, "POST", "/tickets/", json_ctype, body);
	assert_json_error(r, 422, "subject", "a subject of two lines");
	http_resp_free(r);
	free(body);

	longest = malloc(252);
	ck_assert_ptr_nonnull(longest);
	memset(longest, 'x', 251);
	longest[251] = '\0';
	body = fx_printf("{\"subject\":\"%s\",\"channel\":%lld}", longest,
	    support);
	r = api_s(token, "POST", "/tickets/", json_ctype, body);
	assert_json_error(r, 422, "subject", "a subject of 251 characters");
	http_resp_free(r);
	free(body);

	/* The form comes back with the sentence and status 422. */
	a = fx_signin("admin", fx_password());
	r = http_get(a, "/tickets/new");
	csrf = http_csrf(r);
	http_resp_free(r);
	body = fx_printf("_csrf=%s&subject=&channel=%lld&body=Kept+text",
	    csrf, support);
	r = http_post_form(a, "/tickets/", body);
	ck_assert_int_eq(r->status, 422);
	ck_assert_msg(http_body_has(r, "Subject is required."),
	    "the form does not say what is missing");
	ck_assert(http_body_has(r, "name=\"subject\""));
	ck_assert_msg(http_body_has(r, "Kept text"),
	    "the form lost what was typed");

	http_resp_free(r);
	http_agent_free(a);
	free(body);
	free(csrf);
	free(longest);
	free(token);
}
END_TEST

/* Copy of tmpl with its "@C" replaced by the channel id. */
static char *
with_channel(const char *tmpl, long long channel)
{
	const char	*at = strstr(tmpl, "@C");

	if (at == NULL)
		return fx_printf("%s", tmpl);
	return fx_printf("%.*s%lld%s", (int)(at - tmpl), tmpl, channel,
	    at + 2);
}

START_TEST(test_ticket_fields)
{
	struct http_resp	*r;
	char			*token, *body;
	long long		 support = fx_channel("Support");
	size_t			 i;
	static const struct {
		const char	*json;		/* @C: the Support channel */
		const char	*field;
	} bad[] = {
		{ "{\"subject\":\"x\"}", "channel" },
		{ "{\"subject\":\"x\",\"channel\":999999999}", "channel" },
		{ "{\"subject\":\"x\",\"channel\":\"one\"}", "channel" },
		{ "{\"subject\":\"x\",\"channel\":@C,\"priority\":0}",
		    "priority" },
		{ "{\"subject\":\"x\",\"channel\":@C,\"priority\":10}",
		    "priority" },
		{ "{\"subject\":\"x\",\"channel\":@C,\"type\":\"email\"}",
		    "type" },
		{ "{\"subject\":\"x\",\"channel\":@C,\"type\":\"other\"}",
		    "type" },
		{ "{\"subject\":\"a\\u0001b\",\"channel\":@C}", "subject" },
		{ "{\"subject\":\"a\\tb\",\"channel\":@C}", "subject" },
	};

	token = fx_token("admin");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		body = with_channel(bad[i].json, support);
		r = api_s(token, "POST", "/tickets/", json_ctype, body);
		assert_json_error(r, 422, bad[i].field, body);
		http_resp_free(r);
		free(body);
	}

	/* ksturm does not handle Sales, so cannot open a ticket there. */
	free(token);
	token = fx_token("ksturm");
	body = fx_printf("{\"subject\":\"x\",\"channel\":%lld}",
	    fx_channel("Sales"));
	r = api_s(token, "POST", "/tickets/", json_ctype, body);
	assert_json_error(r, 422, "channel", "a channel not handled");
	http_resp_free(r);

	/* A NUL byte is malformed in either encoding. */
	free(body);
	body = fx_printf("subject=a%%00b&channel=%lld", support);
	r = api_s(token, "POST", "/tickets/", form_ctype, body);
	assert_json_error(r, 400, NULL, "%00 in a form");
	http_resp_free(r);
	free(body);
	body = fx_printf("{\"subject\":\"a\\u0000b\",\"channel\":%lld}",
	    support);
	r = api_s(token, "POST", "/tickets/", json_ctype, body);
	assert_json_error(r, 400, NULL, "\\u0000 in JSON");

	http_resp_free(r);
	free(body);
	free(token);
}
END_TEST

START_TEST(test_json_wrong_types)
{
	struct http_resp	*r;
	struct json_object	*o;
	char			*token, *body, *marker, *path, *report, *was;
	const char		*field;
	long long		 support = fx_channel("Support"), number;
	size_t			 i, wrong = 0;
	static const struct {
		const char	*value;
		const char	*field;
	} bad[] = {
		{ "\"channel\":1.5", "channel" },
		{ "\"channel\":[1]", "channel" },
		{ "\"priority\":2.5", "priority" },
		{ "\"priority\":true", "priority" },
		{ "\"priority\":{\"value\":2}", "priority" },
		{ "\"type\":[\"internal\"]", "type" },
		{ "\"body\":{\"text\":\"x\"}", "body" },
		{ "\"kind\":[\"call\"]", "kind" },
		{ "\"visibility\":[\"customer\"]", "visibility" },
	};

	/* A field sent with the wrong JSON type is refused by name, never
	 * taken as absent: a default would silently replace it.  Every
	 * case is tried, and the failure lists all that were accepted. */
	token = fx_token("admin");
	marker = fx_marker("itest-types");
	number = fx_ticket_new(token, marker, support);
	path = fx_printf("/tickets/%lld/items", number);
	report = fx_printf("%s", "");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (strcmp(bad[i].field, "kind") == 0 ||
		    strcmp(bad[i].field, "visibility") == 0) {
			body = fx_printf("{\"body\":\"%s\",%s}", marker,
			    bad[i].value);
			r = api_s(token, "POST", path, json_ctype, body);
		} else {
			if (strcmp(bad[i].field, "channel") == 0)
				body = fx_printf("{\"subject\":\"%s\",%s}",
				    marker, bad[i].value);
			else
				body = fx_printf("{\"subject\":\"%s\","
				    "\"channel\":%lld,%s}", marker, support,
				    bad[i].value);
			r = api_s(token, "POST", "/tickets/", json_ctype,
			    body);
		}
		o = http_json(r);
		field = http_json_str(o, "error.field");
		if (r->status != 422 || field == NULL ||
		    strcmp(field, bad[i].field) != 0) {
			was = report;
			report = fx_printf("%s {%s} -> %ld;", was,
			    bad[i].value, r->status);
			free(was);
			wrong++;
		}
		json_object_put(o);
		http_resp_free(r);
		free(body);
	}
	ck_assert_msg(wrong == 0, "accepted or misreported:%s", report);
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM tickets "
	    "WHERE subject = ?", -1, TW_ARGS(TW_S(marker))), 1);

	free(report);
	free(path);
	free(marker);
	free(token);
}
END_TEST

/* A subject of n copies of the UTF-8 character ch, with marker first. */
static char *
long_subject(const char *marker, const char *ch, size_t n)
{
	size_t	 i, len = strlen(marker), k = strlen(ch);
	char	*s = malloc(len + 1 + n * k + 1), *p;

	ck_assert_ptr_nonnull(s);
	memcpy(s, marker, len);
	p = s + len;
	*p++ = ' ';
	for (i = 0; i < n; i++, p += k)
		memcpy(p, ch, k);
	*p = '\0';
	return s;
}

START_TEST(test_subject_length_in_characters)
{
	struct http_resp	*r;
	struct json_object	*o, *req;
	const char		*stored, *body;
	char			*token, *marker, *subject;
	long long		 support = fx_channel("Support"), number;
	size_t			 len = 0, i;
	static const char *const chars[] = { "\xc3\xa4", "\xf0\x9f\x96\xa8" };

	/* 250 characters are allowed however many bytes they take. */
	token = fx_token("admin");
	for (i = 0; i < 2; i++) {
		marker = fx_marker("itest-len");
		subject = long_subject(marker, chars[i], 250 - strlen(marker) -
		    1);
		req = json_object_new_object();
		json_object_object_add(req, "subject",
		    json_object_new_string(subject));
		json_object_object_add(req, "channel",
		    json_object_new_int64(support));
		body = json_object_to_json_string_ext(req,
		    JSON_C_TO_STRING_PLAIN);
		r = api_s(token, "POST", "/tickets/", json_ctype, body);
		ck_assert_msg(r->status == 201, "250 characters of %zu bytes: "
		    "%ld %s", strlen(chars[i]), r->status, r->body);
		o = http_json(r);
		number = http_json_int(o, "ticket.number", 0);
		ck_assert_str_eq(http_json_str(o, "ticket.subject"), subject);
		stored = fx_db_str("SELECT subject FROM tickets "
		    "WHERE number = ?", &len, TW_ARGS(TW_I(number)));
		ck_assert_msg(stored != NULL && len == strlen(subject) &&
		    memcmp(stored, subject, len) == 0,
		    "the stored subject differs");
		json_object_put(o);
		http_resp_free(r);

		/* One character more is too long. */
		free(subject);
		subject = long_subject(marker, chars[i], 251 - strlen(marker) -
		    1);
		json_object_object_add(req, "subject",
		    json_object_new_string(subject));
		body = json_object_to_json_string_ext(req,
		    JSON_C_TO_STRING_PLAIN);
		r = api_s(token, "POST", "/tickets/", json_ctype, body);
		assert_json_error(r, 422, "subject", "251 characters");
		http_resp_free(r);

		json_object_put(req);
		free(subject);
		free(marker);
	}
	free(token);
}
END_TEST

START_TEST(test_item_fields)
{
	struct http_agent	*a;
	struct http_resp	*r;
	char			*token, *subject, *path, *form, *csrf, *page;
	long long		 number;
	size_t			 i;
	static const struct {
		const char	*json;
		const char	*field;
	} bad[] = {
		{ "{}", "body" },
		{ "{\"body\":\"  \"}", "body" },
		/* Mail to the customer needs an address; this ticket's
		 * has none. */
		{ "{\"body\":\"x\",\"kind\":\"email_out\"}", "to" },
		{ "{\"body\":\"x\",\"kind\":\"email_in\"}", "kind" },
		{ "{\"body\":\"x\",\"kind\":\"system\"}", "kind" },
		{ "{\"body\":\"x\",\"visibility\":\"public\"}",
		    "visibility" },
	};

	token = fx_token("admin");
	subject = fx_marker("itest-items");
	number = fx_ticket_new(token, subject, fx_channel("Support"));
	path = fx_printf("/tickets/%lld/items", number);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = api_s(token, "POST", path, json_ctype, bad[i].json);
		assert_json_error(r, 422, bad[i].field, bad[i].json);
		http_resp_free(r);
	}

	/* In a browser the ticket page comes back with the message. */
	a = fx_signin("admin", fx_password());
	page = fx_printf("/tickets/%lld", number);
	r = http_get(a, page);
	csrf = http_csrf(r);
	http_resp_free(r);
	form = fx_printf("_csrf=%s&body=&kind=note", csrf);
	r = http_post_form(a, path, form);
	ck_assert_int_eq(r->status, 422);
	ck_assert(http_body_has(r, subject));
	ck_assert(http_body_has(r, "<p class=\"alert\" role=\"alert\">"));
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM items i "
	    "JOIN tickets t ON t.id = i.ticket_id WHERE t.number = ?", -1,
	    TW_ARGS(TW_I(number))), 0);

	/* The message names the field as the form labels it ("Text"). */
	ck_assert_msg(http_body_has(r, "<label for=\"body\">Text</label>"),
	    "the note form's label changed; update this test");
	ck_assert_msg(http_body_has(r, "Text is required."),
	    "an empty note is not reported as \"Text is required.\"");

	http_resp_free(r);
	free(form);
	free(csrf);
	free(page);
	free(path);
	free(subject);
	free(token);
	http_agent_free(a);
}
END_TEST

START_TEST(test_duplicate_field)
{
	struct http_resp	*r;
	char			*token, *body, *marker;
	long long		 support = fx_channel("Support");

	token = fx_token("admin");
	marker = fx_marker("itest-dup");
	body = fx_printf("subject=%s&subject=%s-b&channel=%lld", marker, marker,
	    support);
	r = api_s(token, "POST", "/tickets/", form_ctype, body);
	assert_json_error(r, 400, "subject", "subject twice");
	http_resp_free(r);
	free(body);

	/* Once in the query and once in the body is twice as well. */
	body = fx_printf("subject=%s&channel=%lld", marker, support);
	r = api_s(token, "POST", "/tickets/?channel=1", form_ctype, body);
	assert_json_error(r, 400, "channel", "channel in query and body");
	http_resp_free(r);

	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM tickets "
	    "WHERE subject LIKE CONCAT(?, '%')", -1, TW_ARGS(TW_S(marker))), 0);
	free(body);
	free(marker);
	free(token);
}
END_TEST

START_TEST(test_unknown_path)
{
	struct http_agent	*a;
	struct http_resp	*r;
	char			*marker, *path;

	a = fx_signin("admin", fx_password());
	marker = fx_marker("itest-path");
	path = fx_printf("/%s", marker);
	r = http_get(a, path);
	ck_assert_int_eq(r->status, 404);
	ck_assert_msg(!http_body_has(r, marker), "the 404 page repeats the "
	    "path");
	http_resp_free(r);
	r = http_get_json(a, path);
	assert_json_error(r, 404, NULL, path);
	http_resp_free(r);
	r = http_get(NULL, "/tickets/1/items/2");
	ck_assert_int_eq(r->status, 404);

	http_resp_free(r);
	free(path);
	free(marker);
	http_agent_free(a);
}
END_TEST

START_TEST(test_wrong_method)
{
	struct http_resp	*r;
	char			*token, *allow;

	token = fx_token("admin");
	r = api_s(token, "DELETE", "/tickets/", NULL, NULL);
	assert_json_error(r, 405, NULL, "DELETE /tickets/");
	allow = http_header(r, "Allow", 0);
	ck_assert_msg(allow != NULL && strstr(allow, "GET") != NULL &&
	    strstr(allow, "POST") != NULL, "Allow: %s", allow);
	free(allow);
	http_resp_free(r);

	r = api_s(token, "PUT", "/tickets/1", json_ctype, "{}");
	ck_assert_int_eq(r->status, 405);
	allow = http_header(r, "Allow", 0);
	ck_assert_msg(allow != NULL && strcmp(allow, "GET, POST") == 0,
	    "Allow: %s", allow);

	free(allow);
	http_resp_free(r);
	free(token);
}
END_TEST

/*
 * Opens a ticket with subject through JSON and checks that it is stored
 * and returned byte for byte, and escaped in the page.  raw must not
 * appear in the ticket page or the queue, escaped must.
 */
static void
check_stored_exactly(const char *token, struct http_agent *a,
    const char *subject, const char *raw, const char *escaped)
{
	struct http_resp	*r;
	struct json_object	*o, *req;
	const char		*stored, *body;
	char			*path;
	long long		 number;
	size_t			 len = 0;

	req = json_object_new_object();
	json_object_object_add(req, "subject", json_object_new_string(subject));
	json_object_object_add(req, "channel",
	    json_object_new_int64(fx_channel("Support")));
	body = json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN);
	r = api_s(token, "POST", "/tickets/", json_ctype, body);
	ck_assert_msg(r->status == 201, "POST: %ld %s", r->status, r->body);
	o = http_json(r);
	number = http_json_int(o, "ticket.number", 0);
	ck_assert_str_eq(http_json_str(o, "ticket.subject"), subject);
	json_object_put(o);
	json_object_put(req);
	http_resp_free(r);

	path = fx_printf("/tickets/%lld", number);
	r = api_s(token, "GET", path, NULL, NULL);
	o = http_json(r);
	ck_assert_str_eq(http_json_str(o, "ticket.subject"), subject);
	json_object_put(o);
	http_resp_free(r);

	stored = fx_db_str("SELECT subject FROM tickets WHERE number = ?",
	    &len, TW_ARGS(TW_I(number)));
	ck_assert_msg(stored != NULL && len == strlen(subject) &&
	    memcmp(stored, subject, len) == 0, "stored as \"%s\"", stored);

	r = http_get(a, path);
	ck_assert_int_eq(r->status, 200);
	ck_assert_msg(!http_body_has(r, raw), "the page holds %s raw", raw);
	ck_assert_msg(http_body_has(r, escaped), "the page lacks %s", escaped);
	http_resp_free(r);
	r = http_get(a, "/tickets/");
	ck_assert_msg(!http_body_has(r, raw), "the queue holds %s raw", raw);
	ck_assert_msg(http_body_has(r, escaped), "the queue lacks %s",
	    escaped);

	http_resp_free(r);
	free(path);
}

START_TEST(test_markup_in_subject)
{
	struct http_agent	*a;
	char			*token, *marker, *script, *quote;

	token = fx_token("admin");
	a = fx_signin("admin", fx_password());
	marker = fx_marker("itest-xss");
	script = fx_printf("<script>alert(1)</script> '; DROP TABLE tickets; "
	    "-- %s", marker);
	quote = fx_printf("\" onmouseover=\"x %s", marker);

	check_stored_exactly(token, a, script, "<script>",
	    "&lt;script&gt;alert(1)&lt;/script&gt;");
	check_stored_exactly(token, a, quote, "\" onmouseover",
	    "&quot; onmouseover");
	ck_assert_int_gt(fx_db_int("SELECT COUNT(*) FROM tickets", 0,
	    TW_NOARGS), 0);

	free(quote);
	free(script);
	free(marker);
	free(token);
	http_agent_free(a);
}
END_TEST

START_TEST(test_ticket_number_not_numeric)
{
	struct http_agent	*a;
	struct http_resp	*r;
	size_t			 i;
	static const char *const paths[] = { "/tickets/abc", "/tickets/12abc",
	    "/tickets/-1", "/tickets/0", "/tickets/1e3",
	    "/tickets/99999999999999999999999", NULL };

	a = fx_signin("admin", fx_password());
	for (i = 0; paths[i] != NULL; i++) {
		r = http_get(a, paths[i]);
		ck_assert_msg(r->status == 404, "%s: %ld", paths[i], r->status);
		http_resp_free(r);
	}
	http_agent_free(a);
}
END_TEST

START_TEST(test_page_parameter)
{
	struct http_resp	*r;
	char			*token;
	size_t			 i;
	static const char *const bad[] = { "/tickets/?page=0",
	    "/tickets/?page=abc", "/tickets/?page=-1", "/tickets/?page=1x",
	    "/tickets/?page=%201", NULL };

	token = fx_token("admin");
	for (i = 0; bad[i] != NULL; i++) {
		r = api_s(token, "GET", bad[i], NULL, NULL);
		assert_json_error(r, 422, "page", bad[i]);
		http_resp_free(r);
	}
	r = api_s(token, "GET", "/tickets/?page=1&page=2", NULL, NULL);
	assert_json_error(r, 400, "page", "page twice");
	http_resp_free(r);
	r = api_s(token, "GET", "/tickets/?page=2", NULL, NULL);
	ck_assert_int_eq(r->status, 200);

	http_resp_free(r);
	free(token);
}
END_TEST

START_TEST(test_unsupported_type)
{
	struct http_agent	*a;
	struct http_resp	*r;
	char			*token, *csrf, *header;
	const char		*h[] = { "Content-Type: text/plain", NULL,
	    NULL };

	token = fx_token("admin");
	r = api_s(token, "POST", "/tickets/", "Content-Type: text/plain",
	    "subject=plain");
	assert_json_error(r, 415, NULL, "text/plain");
	http_resp_free(r);
	r = api_s(token, "POST", "/tickets/", "Content-Type: application/xml",
	    "<ticket/>");
	assert_json_error(r, 415, NULL, "application/xml");
	http_resp_free(r);
	r = api_s(token, "POST", "/tickets/", "Content-Type: application/jsonx",
	    "{}");
	assert_json_error(r, 415, NULL, "application/jsonx");
	http_resp_free(r);

	/* Parameters and the case of the media type do not matter. */
	r = api_s(token, "POST", "/tickets/",
	    "Content-Type: Application/JSON; charset=utf-8", "{}");
	assert_json_error(r, 422, "subject", "Application/JSON; charset");
	http_resp_free(r);

	a = fx_signin("admin", fx_password());
	r = http_get(a, "/tickets/new");
	csrf = http_csrf(r);
	http_resp_free(r);
	header = fx_printf("X-CSRF-Token: %s", csrf);
	h[1] = header;
	r = http_request(a, "POST", "/tickets/", h, "subject=plain", 13);
	ck_assert_int_eq(r->status, 415);

	http_resp_free(r);
	free(header);
	free(csrf);
	http_agent_free(a);
	free(token);
}
END_TEST

Suite *
tw_input_suite(void)
{
	Suite	*s = suite_create("input");
	TCase	*tc = fx_tcase("input", 60);

	tcase_add_test(tc, test_body_too_large);
	tcase_add_test(tc, test_malformed_urlencoded);
	tcase_add_test(tc, test_malformed_json);
	tcase_add_test(tc, test_invalid_utf8);
	tcase_add_test(tc, test_subject_required);
	tcase_add_test(tc, test_ticket_fields);
	tcase_add_test(tc, test_json_wrong_types);
	tcase_add_test(tc, test_subject_length_in_characters);
	tcase_add_test(tc, test_item_fields);
	tcase_add_test(tc, test_duplicate_field);
	tcase_add_test(tc, test_unknown_path);
	tcase_add_test(tc, test_wrong_method);
	tcase_add_test(tc, test_markup_in_subject);
	tcase_add_test(tc, test_ticket_number_not_numeric);
	tcase_add_test(tc, test_page_parameter);
	tcase_add_test(tc, test_unsupported_type);
	suite_add_tcase(s, tc);
	return s;
}
