/*
 * test_mail_http.c: mail taken in over HTTP, POST /mail?channel=NAME,
 * through nginx and tw-tickets into tw_ingest(): a new ticket (201) with
 * its contact, the same message again and our own mail (200, saying
 * which), a reply added to its ticket, and each refusal a sender acts
 * on: 401 without a token, 404 for a channel the agent does not handle,
 * 413 over the mail size (from nginx) while a message larger than other
 * requests may be still goes in, 415 for another type, 422 for a body
 * that is no message, and 503 when the transaction fails, with nothing
 * stored and the next attempt taken.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <json-c/json.h>

#include "db.h"
#include "http.h"
#include "suites.h"

#define MAIL_MAX	(50 * 1024 * 1024)	/* TW_MAIL_MAX */

static const char sql_ticket_of[] =
    "SELECT t.number FROM items i JOIN tickets t ON t.id = i.ticket_id "
    "WHERE i.message_id = ?";
static const char sql_items_with[] =
    "SELECT COUNT(*) FROM items WHERE message_id = ?";
static const char sql_ticket_facts[] =
    "SELECT CONCAT(t.type, '|', c.name, '|', COALESCE(o.name, '-'), '|', "
    "COALESCE(ct.name, '-')) FROM tickets t "
    "JOIN channels c ON c.id = t.channel_id "
    "LEFT JOIN organisations o ON o.id = t.organisation_id "
    "LEFT JOIN contacts ct ON ct.id = t.contact_id WHERE t.number = ?";
static const char sql_contacts_with[] =
    "SELECT COUNT(*) FROM contact_emails WHERE email = ?";
static const char sql_files_of[] =
    "SELECT COUNT(*) FROM item_attachments a JOIN items i "
    "ON i.id = a.item_id WHERE i.message_id = ?";
static const char sql_handles[] =
    "INSERT INTO channel_members (channel_id, user_id, role) "
    "VALUES (?, ?, 'handles')";

/* Refuses, inside the transaction, any item whose text holds the word. */
static const char sql_refuse[] =
    "CREATE TRIGGER itest_mail_refuse BEFORE INSERT ON items "
    "FOR EACH ROW BEGIN IF NEW.body LIKE '%itest-refuse-me%' THEN "
    "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by the test'; "
    "END IF; END";
static const char sql_refuse_end[] =
    "DROP TRIGGER IF EXISTS itest_mail_refuse";

/* POSTs len bytes to /mail?channel=channel with the token and ctype. */
static struct http_resp *
post_mail(const char *token, const char *channel, const char *ctype,
    const char *body, size_t len)
{
	struct http_resp	*r;
	char			*auth = token != NULL ? fx_bearer(token) : NULL;
	char			*type = fx_printf("Content-Type: %s", ctype);
	char			*enc = http_urlenc(channel);
	char			*path = fx_printf("/mail?channel=%s", enc);
	const char		*h[] = { type, auth, NULL };

	/* Without a token, auth's NULL ends the list early. */

	r = http_request(NULL, "POST", path, h, body, len);
	free(path);
	free(enc);
	free(type);
	free(auth);
	return r;
}

static struct http_resp *
post_message(const char *token, const char *channel, const char *raw)
{
	return post_mail(token, channel, "message/rfc822", raw, strlen(raw));
}

/*
 * Asserts a JSON error with status and a sentence (a full stop at its
 * end) in a JSON body, whatever the client asked for.
 */
static void
assert_error(struct http_resp *r, long status, const char *what)
{
	struct json_object	*o;
	const char		*msg, *ctype;

	ck_assert_msg(r->status == status, "%s: status %ld, not %ld: %s",
	    what, r->status, status, r->body);
	ctype = http_header(r, "Content-Type", 0);
	ck_assert_msg(ctype != NULL && strncmp(ctype, "application/json",
	    16) == 0, "%s: answered as %s", what, ctype);
	o = http_json(r);
	ck_assert_msg(o != NULL, "%s: not JSON: %s", what, r->body);
	ck_assert_int_eq(http_json_int(o, "error.status", 0), status);
	msg = http_json_str(o, "error.message");
	ck_assert_msg(msg != NULL && strlen(msg) > 20 &&
	    msg[strlen(msg) - 1] == '.', "%s: no sentence: %s", what,
	    r->body);
	json_object_put(o);
	free((char *)ctype);
}

START_TEST(test_new_duplicate_reply_own)
{
	char		*token = fx_token("admin");
	char		*marker = fx_marker("itest-mailhttp");
	char		*from = fx_printf("%s@heyer-plan.example", marker);
	char		*id1 = fx_printf("%s.1@customer.example", marker);
	char		*id2 = fx_printf("%s.2@customer.example", marker);
	char		*id3 = fx_printf("%s.3@ticketwerk.example", marker);
	char		*m, *subject, *location, *want;
	struct http_resp *r;
	struct json_object *o;
	long long		 number, item;

	/* New: 201 with the ticket and the item, the sender a new contact
	 * of the organisation that has the domain. */
	m = fx_message(from, marker, id1, "", "Der Drucker druckt nicht.");
	r = post_message(token, "Support", m);
	ck_assert_msg(r->status == 201, "new mail: %ld %s", r->status,
	    r->body);
	o = http_json(r);
	number = http_json_int(o, "ticket", 0);
	item = http_json_int(o, "item", 0);
	ck_assert_str_eq(http_json_str(o, "result"), "created");
	ck_assert_int_eq(number, fx_db_int(sql_ticket_of, -1,
	    TW_ARGS(TW_S(id1))));
	ck_assert_int_gt(item, 0);
	location = http_header(r, "Location", 0);
	want = fx_printf("/tickets/%lld#item-%lld", number, item);
	ck_assert_str_eq(location, want);
	ck_assert_str_eq(fx_db_str(sql_ticket_facts, NULL,
	    TW_ARGS(TW_I(number))), "email|Support|Heyer Plan AG|Kunde");
	ck_assert_int_eq(fx_db_int(sql_contacts_with, -1,
	    TW_ARGS(TW_S(from))), 1);
	json_object_put(o);
	http_resp_free(r);

	/* The same message again: 200, a duplicate of that ticket, kept
	 * once. */
	r = post_message(token, "Support", m);
	ck_assert_msg(r->status == 200, "again: %ld %s", r->status, r->body);
	o = http_json(r);
	ck_assert_str_eq(http_json_str(o, "result"), "duplicate");
	ck_assert_int_eq(http_json_int(o, "ticket", 0), number);
	ck_assert_int_eq(fx_db_int(sql_items_with, -1, TW_ARGS(TW_S(id1))),
	    1);
	json_object_put(o);
	http_resp_free(r);
	free(m);

	/* A reply with the number in its subject: 201, added to it. */
	subject = fx_printf("Re: %s [#%lld]", marker, number);
	m = fx_message(from, subject, id2, "", "Immer noch nicht.");
	r = post_message(token, "Support", m);
	ck_assert_msg(r->status == 201, "reply: %ld %s", r->status, r->body);
	o = http_json(r);
	ck_assert_str_eq(http_json_str(o, "result"), "added");
	ck_assert_int_eq(http_json_int(o, "ticket", 0), number);
	json_object_put(o);
	http_resp_free(r);
	free(m);

	/* From one of our own addresses: 200, own, nothing stored. */
	m = fx_message("support@ticketwerk.example", marker, id3, "",
	    "Loop?");
	r = post_message(token, "Support", m);
	ck_assert_msg(r->status == 200, "own: %ld %s", r->status, r->body);
	o = http_json(r);
	ck_assert_str_eq(http_json_str(o, "result"), "own");
	ck_assert_int_eq(fx_db_int(sql_items_with, -1, TW_ARGS(TW_S(id3))),
	    0);
	json_object_put(o);
	http_resp_free(r);

	free(m);
	free(subject);
	free(want);
	free(location);
	free(id1);
	free(id2);
	free(id3);
	free(from);
	free(marker);
	free(token);
}
END_TEST

START_TEST(test_token_and_channel)
{
	char			*marker = fx_marker("itest-mailhttp");
	char			*id = fx_printf("%s@customer.example", marker);
	char			*login = fx_user_new("itest-mailhttp");
	char			*token, *m;
	struct http_resp	*r;

	m = fx_message("a@customer.example", marker, id, "", "Hallo.");

	/* No token, and a token nobody has: 401, as JSON. */
	r = post_message(NULL, "Support", m);
	assert_error(r, 401, "no token");
	http_resp_free(r);
	r = post_message("0123456789abcdef0123456789abcdef0123456789abcdef"
	    "0123456789abcdef", "Support", m);
	assert_error(r, 401, "unknown token");
	http_resp_free(r);

	/* An agent who handles Sales only: Support and a channel that does
	 * not exist are both not found, and nothing is stored. */
	fx_db_exec(sql_handles, TW_ARGS(TW_I(fx_channel("Sales")),
	    TW_I(fx_user_id(login))));
	token = fx_token(login);
	r = post_message(token, "Support", m);
	assert_error(r, 404, "a channel the agent does not handle");
	http_resp_free(r);
	r = post_message(token, "No such channel", m);
	assert_error(r, 404, "a channel that does not exist");
	http_resp_free(r);
	ck_assert_int_eq(fx_db_int(sql_items_with, -1, TW_ARGS(TW_S(id))),
	    0);

	/* Sales, which the agent handles, takes it. */
	r = post_message(token, "Sales", m);
	ck_assert_msg(r->status == 201, "Sales: %ld %s", r->status, r->body);
	http_resp_free(r);
	ck_assert_int_eq(fx_db_int(sql_items_with, -1, TW_ARGS(TW_S(id))),
	    1);

	free(token);
	free(m);
	free(login);
	free(id);
	free(marker);
}
END_TEST

START_TEST(test_type_and_content)
{
	char			*token = fx_token("admin");
	char			*marker = fx_marker("itest-mailhttp");
	char			*id = fx_printf("%s@customer.example", marker);
	char			*m = fx_message("b@customer.example", marker,
	    id, "", "Hallo.");
	struct http_resp	*r;

	r = post_mail(token, "Support", "text/plain", m, strlen(m));
	assert_error(r, 415, "text/plain");
	http_resp_free(r);
	r = post_mail(token, "Support", "application/json", "{}", 2);
	assert_error(r, 415, "JSON");
	http_resp_free(r);

	r = post_mail(token, "Support", "message/rfc822",
	    "Dies ist keine Mail, nur ein Satz.\r\n", 36);
	assert_error(r, 422, "a sentence");
	http_resp_free(r);
	r = post_mail(token, "Support", "message/rfc822", "", 0);
	assert_error(r, 422, "an empty body");
	http_resp_free(r);
	ck_assert_int_eq(fx_db_int(sql_items_with, -1, TW_ARGS(TW_S(id))),
	    0);

	free(m);
	free(id);
	free(marker);
	free(token);
}
END_TEST

/*
 * A message over the mail size is refused before it reaches the
 * program; one larger than any other request may be goes in whole.
 */
START_TEST(test_sizes)
{
	char			*token = fx_token("admin");
	char			*marker = fx_marker("itest-mailhttp");
	char			*id = fx_printf("%s@customer.example", marker);
	char			*big, *head, *m;
	struct http_resp	*r;
	size_t			 i, n, data = 2 * 1024 * 1024 / 78 * 78;

	big = malloc(MAIL_MAX + 1);
	ck_assert_ptr_nonnull(big);
	head = fx_message("c@customer.example", marker, id, "", "");
	n = strlen(head);
	memcpy(big, head, n);
	memset(big + n, 'x', MAIL_MAX + 1 - n);
	r = post_mail(token, "Support", "message/rfc822", big, MAIL_MAX + 1);
	assert_error(r, 413, "50 MiB and a byte");
	http_resp_free(r);
	ck_assert_int_eq(fx_db_int(sql_items_with, -1, TW_ARGS(TW_S(id))),
	    0);
	free(head);

	/* 2 MiB of base64 in one attachment: twice what a request that is
	 * no mail may send. */
	head = fx_printf("From: <c@customer.example>\r\nSubject: %s\r\n"
	    "Message-ID: <%s>\r\nMIME-Version: 1.0\r\nContent-Type: "
	    "multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: "
	    "text/plain\r\n\r\nDas Protokoll.\r\n--b\r\nContent-Type: "
	    "application/octet-stream; name=\"log.bin\"\r\n"
	    "Content-Disposition: attachment; filename=\"log.bin\"\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n", marker, id);
	n = strlen(head);
	memcpy(big, head, n);
	/* Lines of 76 base64 characters, as a mailer writes them. */
	for (i = 0; i < data; i += 78) {
		memset(big + n + i, 'Q', 76);
		memcpy(big + n + i + 76, "\r\n", 2);
	}
	m = big + n + data;
	memcpy(m, "\r\n--b--\r\n", 9);
	r = post_mail(token, "Support", "message/rfc822", big,
	    n + data + 9);
	ck_assert_msg(r->status == 201, "2 MiB: %ld %s", r->status, r->body);
	http_resp_free(r);
	ck_assert_int_eq(fx_db_int(sql_files_of, -1, TW_ARGS(TW_S(id))), 1);

	free(head);
	free(big);
	free(id);
	free(marker);
	free(token);
}
END_TEST

/*
 * A transaction that fails (a trigger refuses the item) answers 503 with
 * Retry-After, leaves no ticket and no contact behind, and the same
 * message sent again once the fault is gone is taken.
 */
START_TEST(test_failed_transaction_is_503)
{
	char		*token = fx_token("admin");
	char		*marker = fx_marker("itest-mailhttp");
	char		*from = fx_printf("%s@customer.example", marker);
	char		*id = fx_printf("%s@customer.example", marker);
	char		*m, *retry;
	struct http_resp *r;

	m = fx_message(from, marker, id, "",
	    "Bitte itest-refuse-me speichern.");
	ck_assert_int_eq(fx_db_int("SELECT 1", 0, TW_NOARGS), 1);
	ck_assert_int_eq(tw_db_script(sql_refuse_end), TW_OK);
	ck_assert_int_eq(tw_db_script(sql_refuse), TW_OK);

	r = post_message(token, "Support", m);
	ck_assert_int_eq(tw_db_script(sql_refuse_end), TW_OK);
	ck_assert_msg(r->status == 503, "status %ld: %s", r->status, r->body);
	retry = http_header(r, "Retry-After", 0);
	ck_assert_msg(retry != NULL && atoi(retry) > 0, "Retry-After: %s",
	    retry);
	http_resp_free(r);
	ck_assert_int_eq(fx_db_int(sql_items_with, -1, TW_ARGS(TW_S(id))),
	    0);
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM tickets "
	    "WHERE subject = ?", -1, TW_ARGS(TW_S(marker))), 0);
	ck_assert_int_eq(fx_db_int(sql_contacts_with, -1,
	    TW_ARGS(TW_S(from))), 0);

	r = post_message(token, "Support", m);
	ck_assert_msg(r->status == 201, "again: %ld %s", r->status, r->body);
	http_resp_free(r);
	ck_assert_int_eq(fx_db_int(sql_items_with, -1, TW_ARGS(TW_S(id))),
	    1);

	free(retry);
	free(m);
	free(id);
	free(from);
	free(marker);
	free(token);
}
END_TEST

Suite *
tw_mail_http_suite(void)
{
	Suite	*s = suite_create("mail_http");
	TCase	*tc = fx_tcase("mail_http", 120);

	tcase_add_test(tc, test_new_duplicate_reply_own);
	tcase_add_test(tc, test_token_and_channel);
	tcase_add_test(tc, test_type_and_content);
	tcase_add_test(tc, test_sizes);
	tcase_add_test(tc, test_failed_transaction_is_503);
	suite_add_tcase(s, tc);
	return s;
}
