/*
 * test_crm.c: contacts and organisations over HTTP: creating them in
 * JSON and through the forms, one search box for names, addresses and
 * numbers in any usual form, changing a contact's addresses and numbers,
 * tickets linked to a contact, and the customer file that lists only
 * tickets of the reader's channels.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <json-c/json.h>

#include "http.h"
#include "suites.h"

/* Seven digits drawn from a fresh marker: a subscriber number. */
static char *
random_digits(void)
{
	char	*m = fx_marker("n"), *d = malloc(8);
	size_t	 i;

	ck_assert_ptr_nonnull(d);
	for (i = 0; i < 7; i++)
		d[i] = (char)('0' + (unsigned char)m[2 + i] % 10);
	d[0] = d[0] == '0' ? '7' : d[0];
	d[7] = '\0';
	free(m);
	return d;
}

/* Creates an organisation through the API; returns its id. */
static long long
org_new(const char *token, const char *name, const char *number)
{
	struct http_resp	*r;
	struct json_object	*o = json_object_new_object(), *res;
	long long		 id;

	json_object_object_add(o, "name", json_object_new_string(name));
	json_object_object_add(o, "customer_number",
	    json_object_new_string(number));
	r = fx_api(token, "POST", "/organisations/",
	    json_object_to_json_string(o));
	ck_assert_msg(r->status == 201, "POST /organisations/: %ld %s",
	    r->status, r->body);
	res = http_json(r);
	id = http_json_int(res, "organisation.id", 0);
	ck_assert_int_gt(id, 0);
	json_object_put(res);
	json_object_put(o);
	http_resp_free(r);
	return id;
}

/* Creates a contact through the API; returns its id. */
static long long
contact_new(const char *token, const char *name, long long org,
    const char *email, const char *phone)
{
	struct http_resp	*r;
	struct json_object	*o = json_object_new_object(), *res;
	long long		 id;

	json_object_object_add(o, "name", json_object_new_string(name));
	if (org > 0)
		json_object_object_add(o, "organisation",
		    json_object_new_int64(org));
	if (email != NULL)
		json_object_object_add(o, "email",
		    json_object_new_string(email));
	if (phone != NULL)
		json_object_object_add(o, "phone",
		    json_object_new_string(phone));
	r = fx_api(token, "POST", "/contacts/", json_object_to_json_string(o));
	ck_assert_msg(r->status == 201, "POST /contacts/: %ld %s", r->status,
	    r->body);
	res = http_json(r);
	id = http_json_int(res, "contact.id", 0);
	ck_assert_int_gt(id, 0);
	json_object_put(res);
	json_object_put(o);
	http_resp_free(r);
	return id;
}

/* The ids a search for q finds, as a count of how often id is among them. */
static int
search_finds(const char *token, const char *q, long long id)
{
	struct http_resp	*r;
	struct json_object	*o, *list;
	char			*enc = http_urlenc(q), *path;
	size_t			 i;
	int			 found = 0;

	path = fx_printf("/contacts/?q=%s", enc);
	r = fx_api(token, "GET", path, NULL);
	ck_assert_msg(r->status == 200, "GET %s: %ld", path, r->status);
	o = http_json(r);
	list = http_json_at(o, "contacts");
	ck_assert(json_object_is_type(list, json_type_array));
	for (i = 0; i < json_object_array_length(list); i++)
		if (http_json_int(json_object_array_get_idx(list, i), "id",
		    0) == id)
			found++;
	json_object_put(o);
	http_resp_free(r);
	free(path);
	free(enc);
	return found;
}

/* POST of a JSON body to a contact; returns the response. */
static struct http_resp *
edit(const char *token, long long id, const char *json)
{
	char			*path = fx_printf("/contacts/%lld", id);
	struct http_resp	*r = fx_api(token, "POST", path, json);

	free(path);
	return r;
}

static long long
count_emails(long long id)
{
	return fx_db_int("SELECT COUNT(*) FROM contact_emails "
	    "WHERE contact_id = ?", -1, TW_ARGS(TW_I(id)));
}

static long long
count_phones(long long id)
{
	return fx_db_int("SELECT COUNT(*) FROM contact_phones "
	    "WHERE contact_id = ?", -1, TW_ARGS(TW_I(id)));
}

/* Asserts a 422 about field, and that its message is a sentence. */
static void
assert_422(struct http_resp *r, const char *field)
{
	struct json_object	*o = http_json(r);
	const char		*msg;

	ck_assert_msg(r->status == 422, "expected 422 about %s: %ld %s",
	    field, r->status, r->body);
	ck_assert_str_eq(http_json_str(o, "error.field"), field);
	msg = http_json_str(o, "error.message");
	ck_assert_msg(msg != NULL && strlen(msg) > 10 &&
	    msg[strlen(msg) - 1] == '.', "message: %s", r->body);
	json_object_put(o);
	http_resp_free(r);
}

START_TEST(test_search_name_email_phone)
{
	char		*token = fx_token("admin"), *name, *email, *upper;
	char		*digits, *q, *local;
	long long	 org, id;
	size_t		 i;
	const char	*prefixes[] = { "+49 30 ", "0049 (30) ", "030 ",
	    "030/", "+49 (0)30 ", "+4930" };

	name = fx_marker("Crm Search");
	local = fx_marker("Mixed.Case");
	email = fx_printf("%s@Example-%s.COM", local, local + 11);
	digits = random_digits();
	org = org_new(token, name, name + 11);
	q = fx_printf("030 %s", digits);
	id = contact_new(token, name, org, email, q);
	free(q);

	/* Stored with the domain lower-cased and the number in E.164. */
	q = fx_printf("%s@example-%s.com", local, local + 11);
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM contact_emails "
	    "WHERE contact_id = ? AND email = BINARY ?", -1,
	    TW_ARGS(TW_I(id), TW_S(q))), 1);
	free(q);
	q = fx_printf("+4930%s", digits);
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM contact_phones "
	    "WHERE contact_id = ? AND e164 = ?", -1,
	    TW_ARGS(TW_I(id), TW_S(q))), 1);
	free(q);

	/* By part of the name, in other capitals. */
	q = strdup(name + 4);
	for (i = 0; q[i] != '\0'; i++)
		q[i] = (char)(q[i] >= 'a' && q[i] <= 'z' ? q[i] - 32 : q[i]);
	ck_assert_int_eq(search_finds(token, q, id), 1);
	free(q);

	/* By address, without regard to case. */
	upper = strdup(email);
	for (i = 0; upper[i] != '\0'; i++)
		if (upper[i] >= 'a' && upper[i] <= 'z')
			upper[i] = (char)(upper[i] - 32);
	ck_assert_int_eq(search_finds(token, upper, id), 1);
	ck_assert_int_eq(search_finds(token, local + 11, id), 1);

	/* By number, however it is written. */
	for (i = 0; i <= sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		if (i < sizeof(prefixes) / sizeof(prefixes[0]))
			q = fx_printf("%s%s", prefixes[i], digits);
		else
			q = fx_printf("0049 (30) %.3s-%s", digits, digits + 3);
		ck_assert_msg(search_finds(token, q, id) == 1,
		    "searching \"%s\" did not find the contact", q);
		free(q);
	}
	/* A part of the number is enough. */
	ck_assert_int_eq(search_finds(token, digits + 1, id), 1);
	/* Another number does not find it. */
	q = fx_printf("030 %s9", digits);
	ck_assert_int_eq(search_finds(token, q, id), 0);
	free(q);

	/* LIKE's wildcards are searched for, not obeyed. */
	ck_assert_int_eq(search_finds(token, "%", id), 0);
	ck_assert_int_eq(search_finds(token, "_", id), 0);

	free(upper);
	free(digits);
	free(email);
	free(local);
	free(name);
	free(token);
}
END_TEST

START_TEST(test_several_addresses_and_numbers)
{
	struct http_resp	*r;
	struct json_object	*o;
	char			*token = fx_token("admin"), *name, *a, *b;
	char			*d1, *d2, *body, *second, *path;
	long long		 id, email_id;

	name = fx_marker("Crm Multi");
	a = fx_printf("first@%s.example", name + 10);
	b = fx_printf("second@%s.example", name + 10);
	d1 = random_digits();
	d2 = random_digits();
	id = contact_new(token, name, 0, a, NULL);
	ck_assert_int_eq(count_emails(id), 1);
	ck_assert_int_eq(count_phones(id), 0);

	body = fx_printf("{\"add_email\":\"%s\"}", b);
	r = edit(token, id, body);
	ck_assert_msg(r->status == 200, "add_email: %ld %s", r->status,
	    r->body);
	http_resp_free(r);
	free(body);
	ck_assert_int_eq(count_emails(id), 2);

	/* The same address again, in other capitals, is refused. */
	second = strdup(b);
	second[0] = 'S';
	body = fx_printf("{\"add_email\":\"%s\"}", second);
	assert_422(edit(token, id, body), "add_email");
	free(body);
	ck_assert_int_eq(count_emails(id), 2);

	assert_422(edit(token, id, "{\"add_email\":\"not an address\"}"),
	    "add_email");
	assert_422(edit(token, id, "{\"add_email\":\"x@y\"}"), "add_email");

	body = fx_printf("{\"add_phone\":\"+49 40 %s\"}", d1);
	r = edit(token, id, body);
	ck_assert_int_eq(r->status, 200);
	http_resp_free(r);
	free(body);
	body = fx_printf("{\"add_phone\":\"0171 %s\"}", d2);
	r = edit(token, id, body);
	ck_assert_int_eq(r->status, 200);
	http_resp_free(r);
	free(body);
	ck_assert_int_eq(count_phones(id), 2);

	/* The same number in another form is the same number. */
	body = fx_printf("{\"add_phone\":\"0049 (40) %s\"}", d1);
	assert_422(edit(token, id, body), "add_phone");
	free(body);
	assert_422(edit(token, id, "{\"add_phone\":\"call me maybe\"}"),
	    "add_phone");
	assert_422(edit(token, id, "{\"add_phone\":\"1234567\"}"),
	    "add_phone");
	ck_assert_int_eq(count_phones(id), 2);

	/* A bad field loses nothing: the valid one in the same request
	 * is not written either. */
	body = fx_printf("{\"name\":\"Renamed\",\"add_phone\":\"abc\"}");
	assert_422(edit(token, id, body), "add_phone");
	free(body);
	path = fx_printf("/contacts/%lld", id);
	r = fx_api(token, "GET", path, NULL);
	ck_assert_int_eq(r->status, 200);
	o = http_json(r);
	ck_assert_str_eq(http_json_str(o, "contact.name"), name);
	ck_assert_int_eq(json_object_array_length(http_json_at(o,
	    "contact.emails")), 2);
	ck_assert_int_eq(json_object_array_length(http_json_at(o,
	    "contact.phones")), 2);
	email_id = http_json_int(json_object_array_get_idx(http_json_at(o,
	    "contact.emails"), 0), "id", 0);
	json_object_put(o);
	http_resp_free(r);

	body = fx_printf("{\"remove_email\":%lld}", email_id);
	r = edit(token, id, body);
	ck_assert_int_eq(r->status, 200);
	o = http_json(r);
	ck_assert_int_eq(json_object_array_length(http_json_at(o,
	    "contact.emails")), 1);
	ck_assert_str_eq(http_json_str(json_object_array_get_idx(
	    http_json_at(o, "contact.emails"), 0), "email"), b);
	json_object_put(o);
	http_resp_free(r);
	free(body);

	/* Not a contact: 404; an organisation that does not exist: 422. */
	r = edit(token, 999999999, "{\"name\":\"x\"}");
	ck_assert_int_eq(r->status, 404);
	http_resp_free(r);
	assert_422(edit(token, id, "{\"organisation\":999999999}"),
	    "organisation");

	free(path);
	free(second);
	free(d1);
	free(d2);
	free(a);
	free(b);
	free(name);
	free(token);
}
END_TEST

/* Opens a ticket in channel for contact through the API. */
static long long
ticket_for(const char *token, const char *subject, long long channel,
    long long contact, struct json_object **out)
{
	struct http_resp	*r;
	char			*body;
	long long		 n;

	body = fx_printf("{\"subject\":\"%s\",\"channel\":%lld,"
	    "\"contact\":%lld}", subject, channel, contact);
	r = fx_api(token, "POST", "/tickets/", body);
	ck_assert_msg(r->status == 201, "POST /tickets/: %ld %s", r->status,
	    r->body);
	*out = http_json(r);
	n = http_json_int(*out, "ticket.number", 0);
	ck_assert_int_gt(n, 0);
	http_resp_free(r);
	free(body);
	return n;
}

START_TEST(test_customer_file_permitted_tickets)
{
	struct http_resp	*r;
	struct json_object	*o;
	char			*admin = fx_token("admin"), *login, *token;
	char			*name, *s1, *s2, *path, *cpath, *tpath, *want;
	long long		 org, contact, t1, t2;

	name = fx_marker("Crm File");
	org = org_new(admin, name, name + 9);
	contact = contact_new(admin, name, org, NULL, NULL);

	s1 = fx_marker("crm-support");
	s2 = fx_marker("crm-accounting");
	t1 = ticket_for(admin, s1, fx_channel("Support"), contact, &o);
	ck_assert_int_eq(http_json_int(o, "ticket.contact_id", 0), contact);
	ck_assert_int_eq(http_json_int(o, "ticket.organisation_id", 0), org);
	ck_assert_str_eq(http_json_str(o, "ticket.organisation"), name);
	json_object_put(o);
	t2 = ticket_for(admin, s2, fx_channel("Accounting"), contact, &o);
	json_object_put(o);

	/* An agent of Support only. */
	login = fx_user_new("crm");
	fx_db_exec("INSERT INTO channel_members (channel_id, user_id, role) "
	    "SELECT ?, id, 'handles' FROM users WHERE login = ?",
	    TW_ARGS(TW_I(fx_channel("Support")), TW_S(login)));
	token = fx_token(login);

	path = fx_printf("/organisations/%lld", org);
	r = fx_api(token, "GET", path, NULL);
	ck_assert_int_eq(r->status, 200);
	o = http_json(r);
	ck_assert_msg(fx_json_lists(o, "tickets", t1),
	    "the file lacks the Support "
	    "ticket: %s", r->body);
	ck_assert_msg(!fx_json_lists(o, "tickets", t2),
	    "the file shows an Accounting "
	    "ticket to a Support agent: %s", r->body);
	ck_assert_int_eq(http_json_int(json_object_array_get_idx(
	    http_json_at(o, "contacts"), 0), "id", 0), contact);
	json_object_put(o);
	http_resp_free(r);

	/* The admin, a member of both, sees both. */
	r = fx_api(admin, "GET", path, NULL);
	o = http_json(r);
	ck_assert(fx_json_lists(o, "tickets", t1) &&
	    fx_json_lists(o, "tickets", t2));
	json_object_put(o);
	http_resp_free(r);

	/* The contact's page filters the same way. */
	cpath = fx_printf("/contacts/%lld", contact);
	r = fx_api(token, "GET", cpath, NULL);
	ck_assert_int_eq(r->status, 200);
	o = http_json(r);
	ck_assert(fx_json_lists(o, "tickets", t1) &&
	    !fx_json_lists(o, "tickets", t2));
	json_object_put(o);
	http_resp_free(r);

	/* So does the HTML page; the ticket page links to the file. */
	r = http_get(fx_signin(login, fx_password()), path);
	ck_assert_int_eq(r->status, 200);
	ck_assert(http_body_has(r, s1));
	ck_assert(!http_body_has(r, s2));
	http_resp_free(r);
	tpath = fx_printf("/tickets/%lld", t1);
	r = http_get(fx_signin(login, fx_password()), tpath);
	ck_assert_int_eq(r->status, 200);
	want = fx_printf("href=\"/organisations/%lld\"", org);
	ck_assert_msg(http_body_has(r, want), "the ticket page lacks %s",
	    want);
	free(want);
	want = fx_printf("href=\"/contacts/%lld\"", contact);
	ck_assert_msg(http_body_has(r, want), "the ticket page lacks %s",
	    want);
	http_resp_free(r);

	r = fx_api(token, "GET", "/organisations/999999999", NULL);
	ck_assert_int_eq(r->status, 404);
	http_resp_free(r);
	r = fx_api(token, "GET", "/contacts/999999999", NULL);
	ck_assert_int_eq(r->status, 404);
	http_resp_free(r);

	free(want);
	free(tpath);
	free(cpath);
	free(path);
	free(s1);
	free(s2);
	free(name);
	free(token);
	free(login);
	free(admin);
}
END_TEST

/*
 * A customer file lists the newest tickets only and then leads to the
 * queue, filtered to the organisation, which holds all of them.
 */
START_TEST(test_customer_file_leads_to_queue)
{
	struct json_object	*o;
	char			*admin = fx_token("admin"), *name, *path;
	char			*all, *want, *page5;
	long long		 org;

	name = fx_marker("Crm Big");
	org = org_new(admin, name, name + 8);
	path = fx_printf("/organisations/%lld", org);
	o = http_json(fx_api(admin, "GET", path, NULL));
	ck_assert_ptr_null(http_json_at(o, "all_tickets"));
	json_object_put(o);

	fx_db_exec("INSERT INTO tickets (number, type, subject, channel_id, "
	    "status_id, organisation_id) SELECT NEXT VALUE FOR ticket_numbers, "
	    "'email', CONCAT(?, ' ', seq), ?, (SELECT id FROM statuses "
	    "WHERE code = 'new'), ? FROM seq_1_to_201",
	    TW_ARGS(TW_S(name), TW_I(fx_channel("Support")), TW_I(org)));
	o = http_json(fx_api(admin, "GET", path, NULL));
	ck_assert_int_eq(json_object_array_length(http_json_at(o, "tickets")),
	    200);
	want = fx_printf("/tickets/?organisation=%lld", org);
	ck_assert_str_eq(http_json_str(o, "all_tickets"), want);
	all = strdup(want);
	json_object_put(o);

	/* The queue counts exactly up to the page shown: the fifth page
	 * holds the 201st ticket alone. */
	page5 = fx_printf("%s&page=5", all);
	o = http_json(fx_api(admin, "GET", page5, NULL));
	ck_assert_int_eq(http_json_int(o, "total", 0), 201);
	ck_assert_int_eq(json_object_array_length(http_json_at(o, "tickets")),
	    1);
	json_object_put(o);
	free(page5);

	free(all);
	free(want);
	free(path);
	free(name);
	free(admin);
}
END_TEST

/* Naming the organisation by customer number, when the list stops short. */
START_TEST(test_contact_org_by_number)
{
	struct http_agent	*a = fx_signin("admin", fx_password());
	struct http_resp	*r;
	struct json_object	*o;
	char			*admin = fx_token("admin"), *name, *body;
	char			*csrf, *enc, *path, *number;
	long long		 org, contact;

	name = fx_marker("Crm Number");
	number = fx_printf("K-%s", name + 11);
	org = org_new(admin, name, number);

	/* JSON: the number stands for the id. */
	body = fx_printf("{\"name\":\"%s\",\"customer_number\":\"%s\"}",
	    name, number);
	r = fx_api(admin, "POST", "/contacts/", body);
	ck_assert_msg(r->status == 201, "%ld %s", r->status, r->body);
	o = http_json(r);
	contact = http_json_int(o, "contact.id", 0);
	json_object_put(o);
	http_resp_free(r);
	ck_assert_int_eq(fx_db_int("SELECT organisation_id FROM contacts "
	    "WHERE id = ?", 0, TW_ARGS(TW_I(contact))), org);

	/* The form: an unknown number is refused with a sentence, and
	 * nothing is made. */
	r = http_get(a, "/contacts/new");
	csrf = http_csrf(r);
	http_resp_free(r);
	enc = http_urlenc(name);
	free(body);
	body = fx_printf("_csrf=%s&name=%s&organisation=0&customer_number="
	    "no-such-number&email=&phone=", csrf, enc);
	r = http_post_form(a, "/contacts/", body);
	ck_assert_int_eq(r->status, 422);
	ck_assert(http_body_has(r, "No organisation has this customer "
	    "number."));
	ck_assert(http_body_has(r, "value=\"no-such-number\""));
	http_resp_free(r);
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM contacts "
	    "WHERE name = ?", -1, TW_ARGS(TW_S(name))), 1);

	/* Moving a contact: the number wins over the select. */
	ck_assert_uint_eq(fx_db_exec("UPDATE contacts SET organisation_id = "
	    "NULL WHERE id = ?", TW_ARGS(TW_I(contact))), 1);
	free(body);
	body = fx_printf("_csrf=%s&organisation=0&customer_number=%s", csrf,
	    number);
	path = fx_printf("/contacts/%lld", contact);
	r = http_post_form(a, path, body);
	ck_assert_msg(r->status == 303, "POST %s: %ld", path, r->status);
	http_resp_free(r);
	ck_assert_int_eq(fx_db_int("SELECT organisation_id FROM contacts "
	    "WHERE id = ?", 0, TW_ARGS(TW_I(contact))), org);

	http_agent_free(a);
	free(path);
	free(enc);
	free(csrf);
	free(body);
	free(number);
	free(name);
	free(admin);
}
END_TEST

START_TEST(test_ticket_unknown_contact)
{
	struct http_resp	*r;
	char			*token = fx_token("admin"), *body, *subject;

	subject = fx_marker("crm-nocontact");
	body = fx_printf("{\"subject\":\"%s\",\"channel\":%lld,"
	    "\"contact\":999999999}", subject, fx_channel("Support"));
	r = fx_api(token, "POST", "/tickets/", body);
	assert_422(r, "contact");
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM tickets "
	    "WHERE subject = ?", -1, TW_ARGS(TW_S(subject))), 0);
	free(body);
	free(subject);
	free(token);
}
END_TEST

START_TEST(test_html_forms)
{
	struct http_agent	*a = fx_signin("admin", fx_password());
	struct http_resp	*r;
	char			*csrf, *name, *enc, *body, *loc, *q, *digits;
	char			*path, *key, *subject;
	long long		 id;

	r = http_get(a, "/contacts/new");
	ck_assert_int_eq(r->status, 200);
	csrf = http_csrf(r);
	ck_assert_ptr_nonnull(csrf);
	http_resp_free(r);

	/* A bad number: 422, the page says why and keeps the name. */
	name = fx_marker("Crm Html");
	enc = http_urlenc(name);
	body = fx_printf("_csrf=%s&name=%s&organisation=0&email="
	    "&phone=not+a+number", csrf, enc);
	r = http_post_form(a, "/contacts/", body);
	ck_assert_int_eq(r->status, 422);
	ck_assert(http_body_has(r, "This is not a phone number"));
	ck_assert(http_body_has(r, name));
	http_resp_free(r);
	free(body);

	digits = random_digits();
	body = fx_printf("_csrf=%s&name=%s&organisation=0&email="
	    "&phone=0221+%s", csrf, enc, digits);
	r = http_post_form(a, "/contacts/", body);
	ck_assert_msg(r->status == 303, "POST /contacts/: %ld", r->status);
	loc = http_header(r, "Location", 0);
	ck_assert(loc != NULL && strncmp(loc, "/contacts/", 10) == 0);
	id = strtoll(loc + 10, NULL, 10);
	ck_assert_int_gt(id, 0);
	http_resp_free(r);

	q = fx_printf("/contacts/?q=%%2B49221%s", digits);
	r = http_get(a, q);
	ck_assert_int_eq(r->status, 200);
	ck_assert(http_body_has(r, name));
	http_resp_free(r);

	/* An address added through the contact page's form. */
	r = http_get(a, loc);
	ck_assert_int_eq(r->status, 200);
	ck_assert(http_body_has(r, "name=\"add_email\""));
	http_resp_free(r);
	free(body);
	body = fx_printf("_csrf=%s&add_email=Html%%40Example.ORG", csrf);
	r = http_post_form(a, loc, body);
	ck_assert_int_eq(r->status, 303);
	http_resp_free(r);
	r = http_get(a, loc);
	ck_assert(http_body_has(r, "Html@example.org"));
	http_resp_free(r);

	/* A ticket for the contact from the form linked on its page. */
	path = fx_printf("/tickets/new?contact=%lld", id);
	r = http_get(a, path);
	ck_assert_int_eq(r->status, 200);
	ck_assert(http_body_has(r, name));
	key = http_form_value(r->body, "request_key");
	http_resp_free(r);
	subject = fx_marker("crm-html-ticket");
	free(body);
	body = fx_printf("_csrf=%s&request_key=%s&subject=%s&channel=%lld"
	    "&priority=5&type=on_behalf&contact=%lld", csrf, key, subject,
	    fx_channel("Support"), id);
	r = http_post_form(a, "/tickets/", body);
	ck_assert_int_eq(r->status, 303);
	http_resp_free(r);
	ck_assert_int_eq(fx_db_int("SELECT contact_id FROM tickets "
	    "WHERE subject = ?", -1, TW_ARGS(TW_S(subject))), id);

	/* Without the CSRF token nothing is written. */
	free(body);
	body = fx_printf("add_email=nocsrf%%40example.org");
	r = http_post_form(a, loc, body);
	ck_assert_int_eq(r->status, 403);
	http_resp_free(r);
	ck_assert_int_eq(count_emails(id), 1);

	free(subject);
	free(key);
	free(path);
	free(q);
	free(loc);
	free(digits);
	free(body);
	free(enc);
	free(name);
	free(csrf);
	http_agent_free(a);
}
END_TEST

START_TEST(test_organisations)
{
	struct http_resp	*r;
	char			*token = fx_token("admin"), *name, *body, *q;

	name = fx_marker("Crm Org");
	org_new(token, name, name + 8);

	/* A customer number is unique. */
	body = fx_printf("{\"name\":\"Other\",\"customer_number\":\"%s\"}",
	    name + 8);
	assert_422(fx_api(token, "POST", "/organisations/", body),
	    "customer_number");
	free(body);
	assert_422(fx_api(token, "POST", "/organisations/", "{\"name\":\"\"}"),
	    "name");

	q = fx_printf("/organisations/?q=%s", name + 8);
	r = fx_api(token, "GET", q, NULL);
	ck_assert_int_eq(r->status, 200);
	ck_assert(http_body_has(r, name));
	http_resp_free(r);

	/* The demo contacts' single values moved to the new tables. */
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM contacts c "
	    "WHERE c.email IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
	    "contact_emails e WHERE e.contact_id = c.id)", -1, TW_NOARGS), 0);
	ck_assert_int_gt(fx_db_int("SELECT COUNT(*) FROM contact_phones p "
	    "JOIN contacts c ON c.id = p.contact_id WHERE p.e164 = c.phone",
	    -1, TW_NOARGS), 0);

	free(q);
	free(name);
	free(token);
}
END_TEST

Suite *
tw_crm_suite(void)
{
	Suite	*s = suite_create("crm");
	TCase	*tc = fx_tcase("contacts and organisations", 60);

	tcase_add_test(tc, test_search_name_email_phone);
	tcase_add_test(tc, test_several_addresses_and_numbers);
	tcase_add_test(tc, test_customer_file_permitted_tickets);
	tcase_add_test(tc, test_customer_file_leads_to_queue);
	tcase_add_test(tc, test_contact_org_by_number);
	tcase_add_test(tc, test_ticket_unknown_contact);
	tcase_add_test(tc, test_html_forms);
	tcase_add_test(tc, test_organisations);
	suite_add_tcase(s, tc);
	return s;
}
