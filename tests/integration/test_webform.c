/*
 * test_webform.c: web forms over HTTP, through nginx into tw-portal and
 * tw-tickets' administration: a post raises a ticket in the form's
 * channel with its contact matched or made, and changes nothing else;
 * a bad address is refused with a sentence; a filled honeypot is
 * thanked like a real post and raises nothing; the rate limits answer
 * 429; disabled, replaced and unknown keys are not found; only
 * administrators manage forms; and the posts kept for the limits are
 * forgotten after a day.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <json-c/json.h>

#include "conf.h"
#include "db.h"
#include "http.h"
#include "suites.h"

static const char sql_ticket_facts[] =
    "SELECT CONCAT(t.type, '|', c.name, '|', COALESCE(o.name, '-'), '|', "
    "COALESCE(ct.name, '-'), '|', COALESCE(t.created_by, '-')) "
    "FROM tickets t JOIN channels c ON c.id = t.channel_id "
    "LEFT JOIN organisations o ON o.id = t.organisation_id "
    "LEFT JOIN contacts ct ON ct.id = t.contact_id WHERE t.subject = ?";
static const char sql_first_item[] =
    "SELECT CONCAT(i.kind, '|', i.visibility, '|', "
    "COALESCE(i.author_id, '-'), '|', i.body) FROM items i "
    "JOIN tickets t ON t.id = i.ticket_id WHERE t.subject = ? "
    "ORDER BY i.id LIMIT 1";
static const char sql_tickets_with[] =
    "SELECT COUNT(*) FROM tickets WHERE subject = ?";
static const char sql_contact_of[] =
    "SELECT t.contact_id FROM tickets t WHERE t.subject = ?";
static const char sql_addresses[] =
    "SELECT COUNT(*) FROM contact_emails WHERE email = ?";
static const char sql_posts[] =
    "SELECT COUNT(*) FROM web_form_posts WHERE form_id = ? "
    "AND honeypot = ?";
static const char sql_post_old[] =
    "INSERT INTO web_form_posts (form_id, remote_addr, created_at) "
    "VALUES (?, ?, UTC_TIMESTAMP(6) - INTERVAL 30 MINUTE)";

/* A form made through the administration's JSON API. */
struct form {
	long long	 id;
	char		*key;
	char		*path;		/* /forms/KEY */
};

static void
form_new(const char *token, const char *channel, const char *thanks,
    struct form *f)
{
	struct http_resp	*r;
	struct json_object	*o;
	char			*name = fx_marker("itest-form"), *body;

	body = fx_printf("{\"name\":\"%s\",\"channel\":%lld,"
	    "\"thanks_url\":\"%s\"}", name, fx_channel(channel), thanks);
	r = fx_api(token, "POST", "/admin/forms/", body);
	ck_assert_msg(r->status == 201, "adding a form: %ld %s", r->status,
	    r->body);
	o = http_json(r);
	f->id = http_json_int(o, "form.id", 0);
	f->key = strdup(http_json_str(o, "form.public_key"));
	f->path = fx_printf("/forms/%s", f->key);
	ck_assert_int_gt(f->id, 0);
	ck_assert_uint_eq(strlen(f->key), 32);
	json_object_put(o);
	http_resp_free(r);
	free(body);
	free(name);
}

static void
form_free(struct form *f)
{
	free(f->key);
	free(f->path);
}

/* A form post from a browser on another site: urlencoded, no cookie. */
static struct http_resp *
post(const char *path, const char *name, const char *email,
    const char *subject, const char *message, const char *extra)
{
	struct http_resp	*r;
	char			*n = http_urlenc(name), *e = http_urlenc(email);
	char			*s = http_urlenc(subject);
	char			*m = http_urlenc(message), *body;
	const char		*h[] = { "Origin: https://www.provider.example",
	    "Content-Type: application/x-www-form-urlencoded", NULL };

	body = fx_printf("name=%s&email=%s&subject=%s&message=%s%s", n, e, s,
	    m, extra);
	r = http_request(NULL, "POST", path, h, body, strlen(body));
	free(body);
	free(m);
	free(s);
	free(e);
	free(n);
	return r;
}

/* The same as a JSON client sends it. */
static struct http_resp *
post_json(const char *path, const char *email, const char *subject,
    const char *website)
{
	struct http_resp	*r;
	char			*body;
	const char		*h[] = { "Content-Type: application/json",
	    "Accept: application/json", NULL };

	body = fx_printf("{\"name\":\"Jo Test\",\"email\":\"%s\","
	    "\"subject\":\"%s\",\"message\":\"Hallo.\",\"website\":\"%s\"}",
	    email, subject, website);
	r = http_request(NULL, "POST", path, h, body, strlen(body));
	free(body);
	return r;
}

static void
assert_redirect(struct http_resp *r, const char *to, const char *what)
{
	char	*loc = http_header(r, "Location", 0);

	ck_assert_msg(r->status == 303, "%s: status %ld: %s", what, r->status,
	    r->body);
	ck_assert_msg(loc != NULL && strcmp(loc, to) == 0,
	    "%s: to %s, not %s", what, loc, to);
	ck_assert_msg(http_header(r, "Set-Cookie", 0) == NULL,
	    "%s set a cookie", what);
	free(loc);
}

START_TEST(test_post_raises_ticket)
{
	char		*token = fx_token("admin");
	char		*marker = fx_marker("itest-form");
	char		*email = fx_printf("%s@heyer-plan.example", marker);
	char		*upper = fx_printf("%s@HEYER-PLAN.example", marker);
	char		*subject2 = fx_printf("%s again", marker);
	char		*thanks, *facts, *c;
	struct http_resp *r;
	struct json_object *o;
	struct form	 f;
	long long	 contact;

	form_new(token, "Sales", "", &f);
	fx_db_exec("UPDATE channels SET ack_enabled = 1 WHERE name = 'Sales'",
	    TW_NOARGS);
	thanks = fx_printf("%s/thanks", f.path);
	for (c = upper; *c != '@'; c++)
		*c = (char)toupper((unsigned char)*c);

	/* The hosted form shows, and sets no cookie. */
	r = http_get(NULL, f.path);
	ck_assert_int_eq(r->status, 200);
	ck_assert(http_body_has(r, "name=\"website\""));
	ck_assert(http_header(r, "Set-Cookie", 0) == NULL);
	http_resp_free(r);

	/* A post from another site: a ticket in Sales for a new contact of
	 * the organisation with the domain; nobody's, with the message as
	 * its first item for the customer. */
	r = post(f.path, "Anna Beispiel", email, marker,
	    "Bitte rufen Sie mich an.\nDanke!", "");
	assert_redirect(r, thanks, "a post");
	http_resp_free(r);
	facts = fx_printf("web_form|Sales|Heyer Plan AG|Anna Beispiel|-");
	ck_assert_str_eq(fx_db_str(sql_ticket_facts, NULL,
	    TW_ARGS(TW_S(marker))), facts);
	ck_assert_str_eq(fx_db_str(sql_first_item, NULL,
	    TW_ARGS(TW_S(marker))), "web_form|customer|-|Bitte rufen Sie mich "
	    "an.\nDanke!");
	ck_assert_int_eq(fx_db_int(sql_posts, -1,
	    TW_ARGS(TW_I(f.id), TW_I(0))), 1);
	contact = fx_db_int(sql_contact_of, 0, TW_ARGS(TW_S(marker)));
	ck_assert_int_gt(contact, 0);

	/* The customer is told the ticket's number, as for a mail. */
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM outbound_mail o "
	    "JOIN tickets t ON t.id = o.ticket_id WHERE o.kind = 'ack' "
	    "AND o.to_address = ? AND t.subject = ?", -1,
	    TW_ARGS(TW_S(email), TW_S(marker))), 1);
	fx_db_exec("UPDATE channels SET ack_enabled = 0 WHERE name = 'Sales'",
	    TW_NOARGS);

	/* The same address in other capitals, as JSON: the same contact,
	 * no second address, and 202. */
	r = post_json(f.path, upper, subject2, "");
	ck_assert_msg(r->status == 202, "JSON: %ld %s", r->status, r->body);
	o = http_json(r);
	ck_assert(json_object_get_boolean(http_json_at(o, "received")));
	json_object_put(o);
	http_resp_free(r);
	ck_assert_int_eq(fx_db_int(sql_contact_of, 0,
	    TW_ARGS(TW_S(subject2))), contact);
	ck_assert_int_eq(fx_db_int(sql_addresses, -1, TW_ARGS(TW_S(email))),
	    1);

	form_free(&f);
	free(facts);
	free(thanks);
	free(subject2);
	free(upper);
	free(email);
	free(marker);
	free(token);
}
END_TEST

/* Where a browser goes: the form's own page, or ours for hosted posts. */
START_TEST(test_thanks_url)
{
	char			*token = fx_token("admin");
	char			*marker = fx_marker("itest-form");
	char			*ours;
	struct http_resp	*r;
	struct form		 f;

	form_new(token, "Support", "https://www.provider.example/danke?x=1",
	    &f);
	ours = fx_printf("%s/thanks", f.path);
	r = post(f.path, "Bo", "bo@customer.example", marker, "Hallo.", "");
	assert_redirect(r, "https://www.provider.example/danke?x=1",
	    "a post from the website");
	http_resp_free(r);
	r = post(f.path, "Bo", "bo@customer.example", marker, "Hallo.",
	    "&hosted=1");
	assert_redirect(r, ours, "a post from the hosted form");
	http_resp_free(r);
	r = http_get(NULL, ours);
	ck_assert_int_eq(r->status, 200);
	http_resp_free(r);
	ck_assert_int_eq(fx_db_int(sql_tickets_with, -1,
	    TW_ARGS(TW_S(marker))), 2);

	form_free(&f);
	free(ours);
	free(marker);
	free(token);
}
END_TEST

START_TEST(test_bad_input_refused)
{
	char			*token = fx_token("admin");
	char			*marker = fx_marker("itest-form");
	struct http_resp	*r;
	struct json_object	*o;
	const char		*msg;
	struct form		 f;

	form_new(token, "Support", "", &f);

	/* A browser gets the form again: the sentence, and what was
	 * written kept. */
	r = post(f.path, "Anna", "anna.example.com", marker, "Hallo.", "");
	ck_assert_int_eq(r->status, 422);
	ck_assert_msg(http_body_has(r, "This is not an e-mail address we "
	    "can answer"), "no sentence: %s", r->body);
	ck_assert(http_body_has(r, marker));
	http_resp_free(r);

	/* A JSON client gets the sentence and the field. */
	r = post_json(f.path, "anna@", marker, "");
	ck_assert_int_eq(r->status, 422);
	o = http_json(r);
	msg = http_json_str(o, "error.message");
	ck_assert_msg(msg != NULL && msg[strlen(msg) - 1] == '.', "%s",
	    r->body);
	ck_assert_str_eq(http_json_str(o, "error.field"), "email");
	json_object_put(o);
	http_resp_free(r);

	/* No message at all. */
	r = post(f.path, "Anna", "anna@customer.example", marker, "", "");
	ck_assert_int_eq(r->status, 422);
	ck_assert(http_body_has(r, "Message"));
	http_resp_free(r);

	ck_assert_int_eq(fx_db_int(sql_tickets_with, -1,
	    TW_ARGS(TW_S(marker))), 0);
	form_free(&f);
	free(marker);
	free(token);
}
END_TEST

/* A filled honeypot is thanked like a post and raises nothing. */
START_TEST(test_honeypot)
{
	char			*token = fx_token("admin");
	char			*marker = fx_marker("itest-form");
	char			*thanks;
	struct http_resp	*r;
	struct json_object	*o;
	struct form		 f;

	form_new(token, "Support", "", &f);
	thanks = fx_printf("%s/thanks", f.path);
	r = post(f.path, "Bot", "bot@spam.example", marker, "Buy now.",
	    "&website=http%3A%2F%2Fspam.example%2F");
	assert_redirect(r, thanks, "a post with the honeypot filled");
	http_resp_free(r);
	r = post_json(f.path, "bot@spam.example", marker, "x");
	ck_assert_int_eq(r->status, 202);
	o = http_json(r);
	ck_assert(json_object_get_boolean(http_json_at(o, "received")));
	json_object_put(o);
	http_resp_free(r);

	ck_assert_int_eq(fx_db_int(sql_tickets_with, -1,
	    TW_ARGS(TW_S(marker))), 0);
	ck_assert_int_eq(fx_db_int(sql_addresses, -1,
	    TW_ARGS(TW_S("bot@spam.example"))), 0);
	ck_assert_int_eq(fx_db_int(sql_posts, -1,
	    TW_ARGS(TW_I(f.id), TW_I(1))), 2);

	form_free(&f);
	free(thanks);
	free(marker);
	free(token);
}
END_TEST

START_TEST(test_rate_limits)
{
	char			*token = fx_token("admin");
	char			*marker = fx_marker("itest-form");
	char			*retry;
	struct http_resp	*r;
	struct form		 f, g;
	long			 per_addr, per_form, i;

	ck_assert_int_eq(fx_db_int("SELECT 1", 0, TW_NOARGS), 1);
	per_addr = tw_conf_int("forms", "per_address_hour", 5);
	per_form = tw_conf_int("forms", "per_form_hour", 100);

	/* One address: per_addr posts are taken, the next is not. */
	form_new(token, "Support", "", &f);
	for (i = 0; i < per_addr; i++) {
		r = post(f.path, "Cy", "cy@customer.example", marker,
		    "Hallo.", "");
		ck_assert_msg(r->status == 303, "post %ld: %ld", i + 1,
		    r->status);
		http_resp_free(r);
	}
	r = post(f.path, "Cy", "cy@customer.example", marker, "Noch eins.",
	    "");
	ck_assert_msg(r->status == 429, "one too many: %ld", r->status);
	retry = http_header(r, "Retry-After", 0);
	ck_assert_msg(retry != NULL && atol(retry) > 0 &&
	    atol(retry) <= 3601, "Retry-After: %s", retry);
	ck_assert(http_body_has(r, "Too many messages"));
	ck_assert(http_body_has(r, "Noch eins."));
	free(retry);
	http_resp_free(r);
	r = post_json(f.path, "cy@customer.example", marker, "");
	ck_assert_int_eq(r->status, 429);
	http_resp_free(r);
	ck_assert_int_eq(fx_db_int(sql_tickets_with, -1,
	    TW_ARGS(TW_S(marker))), per_addr);

	/* One form: once others sent per_form within the hour, a new
	 * address is refused as well. */
	form_new(token, "Support", "", &g);
	for (i = 0; i < per_form; i++) {
		char *addr = fx_printf("192.0.2.%ld", i % 250);

		fx_db_exec(sql_post_old, TW_ARGS(TW_I(g.id), TW_S(addr)));
		free(addr);
	}
	r = post(g.path, "Cy", "cy@customer.example", marker, "Hallo.", "");
	ck_assert_msg(r->status == 429, "a full form: %ld", r->status);
	http_resp_free(r);

	form_free(&g);
	form_free(&f);
	free(marker);
	free(token);
}
END_TEST

START_TEST(test_disabled_new_key_unknown)
{
	char			*token = fx_token("admin");
	char			*marker = fx_marker("itest-form");
	char			*body, *path, *old;
	struct http_resp	*r;
	struct json_object	*o;
	struct form		 f;
	long long		 support = fx_channel("Support");

	form_new(token, "Support", "", &f);
	path = fx_printf("/admin/forms/%lld", f.id);

	/* Disabled: the hosted form and posts are not found. */
	body = fx_printf("{\"name\":\"%s\",\"channel\":%lld,\"active\":false}",
	    marker, support);
	r = fx_api(token, "POST", path, body);
	ck_assert_msg(r->status == 200, "disabling: %ld %s", r->status,
	    r->body);
	http_resp_free(r);
	free(body);
	r = http_get(NULL, f.path);
	ck_assert_int_eq(r->status, 404);
	http_resp_free(r);
	r = post(f.path, "Di", "di@customer.example", marker, "Hallo.", "");
	ck_assert_int_eq(r->status, 404);
	ck_assert(http_body_has(r, "no form at this address"));
	http_resp_free(r);

	/* Active again with a new key: the old key is gone. */
	body = fx_printf("{\"name\":\"%s\",\"channel\":%lld,\"active\":true,"
	    "\"new_key\":true}", marker, support);
	r = fx_api(token, "POST", path, body);
	ck_assert_int_eq(r->status, 200);
	o = http_json(r);
	ck_assert_str_ne(http_json_str(o, "form.public_key"), f.key);
	old = f.path;
	f.path = fx_printf("/forms/%s", http_json_str(o, "form.public_key"));
	json_object_put(o);
	http_resp_free(r);
	free(body);
	r = http_get(NULL, old);
	ck_assert_int_eq(r->status, 404);
	http_resp_free(r);
	r = post(f.path, "Di", "di@customer.example", marker, "Hallo.", "");
	ck_assert_int_eq(r->status, 303);
	http_resp_free(r);

	/* Keys nobody was given, and what is no key at all. */
	r = http_get(NULL, "/forms/0123456789abcdef0123456789abcdef");
	ck_assert_int_eq(r->status, 404);
	http_resp_free(r);
	r = post("/forms/nokey", "Di", "di@customer.example", marker,
	    "Hallo.", "");
	ck_assert_int_eq(r->status, 404);
	http_resp_free(r);
	ck_assert_int_eq(fx_db_int(sql_tickets_with, -1,
	    TW_ARGS(TW_S(marker))), 1);

	form_free(&f);
	free(old);
	free(path);
	free(marker);
	free(token);
}
END_TEST

START_TEST(test_admin_only)
{
	char			*login = fx_user_new("itest-form");
	char			*token = fx_token(login);
	char			*admin = fx_token("admin");
	char			*body;
	struct http_resp	*r;
	struct json_object	*o;

	body = fx_printf("{\"name\":\"x\",\"channel\":%lld}",
	    fx_channel("Support"));
	r = fx_api(token, "GET", "/admin/forms/", NULL);
	ck_assert_int_eq(r->status, 403);
	http_resp_free(r);
	r = fx_api(token, "POST", "/admin/forms/", body);
	ck_assert_int_eq(r->status, 403);
	http_resp_free(r);
	r = http_get(NULL, "/admin/forms/");
	ck_assert_int_eq(r->status, 303);
	http_resp_free(r);
	free(body);

	/* What the administration refuses: a thank-you page that is no
	 * web address, or one that hides its host behind a user name. */
	body = fx_printf("{\"name\":\"x\",\"channel\":%lld,"
	    "\"thanks_url\":\"javascript:alert(1)\"}", fx_channel("Support"));
	r = fx_api(admin, "POST", "/admin/forms/", body);
	ck_assert_int_eq(r->status, 422);
	o = http_json(r);
	ck_assert_str_eq(http_json_str(o, "error.field"), "thanks_url");
	json_object_put(o);
	http_resp_free(r);
	free(body);
	body = fx_printf("{\"name\":\"x\",\"channel\":%lld,"
	    "\"thanks_url\":\"https://bank.example@evil.example/\"}",
	    fx_channel("Support"));
	r = fx_api(admin, "POST", "/admin/forms/", body);
	ck_assert_int_eq(r->status, 422);
	http_resp_free(r);
	free(body);

	free(admin);
	free(token);
	free(login);
}
END_TEST

/* The job runner forgets posts, and the addresses in them, after a day. */
START_TEST(test_posts_forgotten)
{
	const char	*argv[] = { "--once", "--only", "forms_tidy", NULL };
	char		*token = fx_token("admin"), *out;
	struct form	 f;
	int		 status;

	form_new(token, "Support", "", &f);
	fx_db_exec("INSERT INTO web_form_posts (form_id, remote_addr, "
	    "created_at) VALUES (?, '192.0.2.1', UTC_TIMESTAMP(6) - "
	    "INTERVAL 25 HOUR), (?, '192.0.2.2', UTC_TIMESTAMP(6) - "
	    "INTERVAL 23 HOUR)", TW_ARGS(TW_I(f.id), TW_I(f.id)));

	out = fx_run("ticketwerk-jobs", NULL, 0, argv, &status);
	ck_assert_msg(status == 0, "ticketwerk-jobs: exit %d: %s", status,
	    out);
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM web_form_posts "
	    "WHERE form_id = ? AND remote_addr = '192.0.2.1'", -1,
	    TW_ARGS(TW_I(f.id))), 0);
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM web_form_posts "
	    "WHERE form_id = ? AND remote_addr = '192.0.2.2'", -1,
	    TW_ARGS(TW_I(f.id))), 1);

	free(out);
	form_free(&f);
	free(token);
}
END_TEST

Suite *
tw_webform_suite(void)
{
	Suite	*s = suite_create("webform");
	TCase	*tc = fx_tcase("webform", 120);

	tcase_add_test(tc, test_post_raises_ticket);
	tcase_add_test(tc, test_thanks_url);
	tcase_add_test(tc, test_bad_input_refused);
	tcase_add_test(tc, test_honeypot);
	tcase_add_test(tc, test_rate_limits);
	tcase_add_test(tc, test_disabled_new_key_unknown);
	tcase_add_test(tc, test_admin_only);
	tcase_add_test(tc, test_posts_forgotten);
	suite_add_tcase(s, tc);
	return s;
}
