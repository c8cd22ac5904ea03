/*
 * test_outbound.c: mail going out, through the real stack: a reply
 * written on the ticket page reaches the SMTP server on loopback
 * (tests/mail/smtp_sink.py, which ./ticketwerk test starts) threaded and
 * with its file, and the customer's answer comes back to the ticket; an
 * outage delays a message and loses nothing, and it arrives once; a
 * permanent refusal ends as failed; the ticket page shows each state;
 * acknowledgements of receipt go out from the channel's template, but
 * not to machines and not beyond the hourly limit; alert mail goes out
 * too; two runners at once send every message once.
 *
 * The sender is ticketwerk-jobs --once --only outbound.  Every test gets
 * a channel of its own, so the messages it looks for are its own; the
 * sink keeps everything it received, so messages are found by their
 * Message-ID.  Without a sink (TW_SMTP_SINK_HOME unset) the tests print
 * SKIP and pass.
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <unistd.h>

#include <check.h>
#include <json-c/json.h>

#include "arena.h"
#include "buf.h"
#include "db.h"
#include "http.h"
#include "mail.h"
#include "sink.h"
#include "suites.h"
#include "text.h"

static const char sql_channel_add[] =
    "INSERT INTO channels (name, email, ack_enabled) VALUES (?, ?, ?)";
static const char sql_member_add[] =
    "INSERT INTO channel_members (channel_id, user_id, role) "
    "VALUES (?, ?, 'handles')";
static const char sql_number_of[] =
    "SELECT t.number FROM items i JOIN tickets t ON t.id = i.ticket_id "
    "WHERE i.message_id = ?";
static const char sql_reply_id[] =
    "SELECT i.message_id FROM items i JOIN tickets t ON t.id = i.ticket_id "
    "WHERE t.number = ? AND i.kind = 'email_out' ORDER BY i.id DESC "
    "LIMIT 1";
static const char sql_mail_state[] =
    "SELECT CONCAT(o.state, '|', o.attempts, '|', "
    "o.next_attempt_at > UTC_TIMESTAMP(6), '|', "
    "COALESCE(o.last_error, '')) FROM outbound_mail o "
    "WHERE o.message_id = ?";
static const char sql_mail_due_now[] =
    "UPDATE outbound_mail SET next_attempt_at = UTC_TIMESTAMP(6) "
    "WHERE message_id = ?";
static const char sql_in_items[] =
    "SELECT COUNT(*) FROM items i JOIN tickets t ON t.id = i.ticket_id "
    "WHERE t.number = ? AND i.kind = 'email_in'";
static const char sql_acks_to[] =
    "SELECT COUNT(*) FROM outbound_mail WHERE kind = 'ack' "
    "AND to_address = ?";
static const char sql_ack_id[] =
    "SELECT o.message_id FROM outbound_mail o "
    "JOIN tickets t ON t.id = o.ticket_id "
    "WHERE o.kind = 'ack' AND t.number = ?";
static const char sql_alert_id[] =
    "SELECT message_id FROM outbound_mail WHERE kind = 'alert' "
    "AND to_address = ?";
static const char sql_user_mail[] =
    "UPDATE users SET email = ?, notify_email = 1 WHERE login = ?";
static const char sql_copied_cc[] =
    "SELECT COUNT(*) FROM items i JOIN tickets t ON t.id = i.ticket_id "
    "WHERE t.number = ? AND i.kind = 'email_in' AND i.mail_cc = ?";
static const char sql_watch[] =
    "INSERT INTO ticket_watchers (ticket_id, user_id) "
    "SELECT t.id, u.id FROM tickets t, users u "
    "WHERE t.number = ? AND u.login = ?";

/* A channel of the test's own, with the admin handling it. */
struct chan {
	char		*name;
	char		*email;
	long long	 id;
};

static void
channel_new(struct chan *c, int ack)
{
	c->name = fx_marker("out");
	c->email = fx_printf("%s@ticketwerk.example", c->name);
	fx_db_exec(sql_channel_add, TW_ARGS(TW_S(c->name), TW_S(c->email),
	    TW_I(ack)));
	c->id = fx_channel(c->name);
	fx_db_exec(sql_member_add, TW_ARGS(TW_I(c->id),
	    TW_I(fx_user_id("admin"))));
}

static void
channel_free(struct chan *c)
{
	free(c->name);
	free(c->email);
}

/*
 * A customer's mail into channel c through the mailgate; extra holds
 * more header lines.  Returns the number of its ticket.
 */
static long long
customer_mail(const struct chan *c, const char *from, const char *subject,
    const char *id, const char *extra)
{
	char		*m;
	long long	 number;

	m = fx_printf("From: Jana Kunde <%s>\r\nTo: %s\r\nSubject: %s\r\n"
	    "Message-ID: <%s>\r\nDate: Thu, 3 Dec 2026 10:00:00 +0100\r\n%s"
	    "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
	    "\r\nDer Drucker druckt nicht.\r\n", from, c->email, subject, id,
	    extra);
	ck_assert_int_eq(fx_mailgate(c->name, m), EX_OK);
	free(m);
	number = fx_db_int(sql_number_of, 0, TW_ARGS(TW_S(id)));
	ck_assert_msg(number > 0, "the mail %s made no ticket", id);
	return number;
}

/*
 * What most tests start from: a channel of their own, a customer's mail
 * that opened a ticket there, and the admin's API token.
 */
struct scene {
	struct chan	 c;
	char		*marker;
	char		*cust;		/* the customer's address */
	char		*in_id;		/* the mail's Message-ID */
	char		*token;
	long long	 number;	/* the mail's ticket */
};

static void
scene_new(struct scene *s, const char *tag)
{
	channel_new(&s->c, 0);
	s->marker = fx_marker(tag);
	s->cust = fx_printf("%s@customer.example", s->marker);
	s->in_id = fx_printf("%s.in@customer.example", s->marker);
	s->number = customer_mail(&s->c, s->cust, s->marker, s->in_id, "");
	s->token = fx_token("admin");
}

static void
scene_free(struct scene *s)
{
	free(s->token);
	free(s->in_id);
	free(s->cust);
	free(s->marker);
	channel_free(&s->c);
}

/* Adds an item through the JSON API; json is the request body. */
static void
api_item(const char *token, long long number, const char *json)
{
	struct http_resp	*r;
	char			*path;

	path = fx_printf("/tickets/%lld/items", number);
	r = fx_api(token, "POST", path, json);
	ck_assert_msg(r->status == 201, "POST %s %s: %ld %s", path, json,
	    r->status, r->body);
	http_resp_free(r);
	free(path);
}

/*
 * The Message-ID (no brackets) of the newest reply on ticket number; the
 * caller frees it.
 */
static char *
reply_id(long long number)
{
	const char	*id = fx_db_str(sql_reply_id, NULL,
	    TW_ARGS(TW_I(number)));

	ck_assert_msg(id != NULL, "ticket %lld has no reply with an id",
	    number);
	return strdup(id);
}

/* Writes a reply through the JSON API; returns its Message-ID to free. */
static char *
api_reply(const char *token, long long number, const char *json)
{
	api_item(token, number, json);
	return reply_id(number);
}

/* outbound_mail's "state|attempts|later|error" of message id. */
static char *
mail_state(const char *bare_id)
{
	char		*id = fx_printf("<%s>", bare_id);
	const char	*s = fx_db_str(sql_mail_state, NULL,
	    TW_ARGS(TW_S(id)));

	ck_assert_msg(s != NULL, "no outbound_mail row for %s", id);
	free(id);
	return strdup(s);
}

/*
 * Asserts that message id (no brackets) is in outbound_mail with a
 * "state|attempts|later|error" line that starts with want, with an error
 * unless it was sent, and that the sink got it arrived times.
 */
static void
assert_mail(const char *id, const char *want, int arrived)
{
	char		*state = mail_state(id);
	struct fx_got	 g = fx_sink_find(id);

	ck_assert_msg(strncmp(state, want, strlen(want)) == 0, "%s: %s", id,
	    state);
	ck_assert_msg(strncmp(state, "sent|", 5) == 0 ||
	    state[strlen(state) - 1] != '|', "%s: no error kept", id);
	ck_assert_msg(g.count == arrived, "%s arrived %d times", id, g.count);
	fx_got_free(&g);
	free(state);
}

/* The ticket page as the signed-in agent a sees it. */
static struct http_resp *
page(struct http_agent *a, long long number)
{
	struct http_resp	*r;
	char			*path = fx_printf("/tickets/%lld", number);

	r = http_get(a, path);
	ck_assert_msg(r->status == 200, "GET %s: %ld", path, r->status);
	free(path);
	return r;
}

/*
 * The delivery state of the newest reply on ticket number as the JSON API
 * shows it (its item's "mails"[0]); the caller puts it.
 */
static struct json_object *
reply_json(const char *token, long long number)
{
	struct http_resp	*r;
	struct json_object	*o, *items, *item, *mail = NULL;
	char			*path = fx_printf("/tickets/%lld", number);
	size_t			 i;

	r = fx_api(token, "GET", path, NULL);
	ck_assert_int_eq(r->status, 200);
	o = http_json(r);
	items = http_json_at(o, "items");
	ck_assert_ptr_nonnull(items);
	for (i = 0; i < json_object_array_length(items); i++) {
		item = json_object_array_get_idx(items, i);
		if (strcmp(http_json_str(item, "kind"), "email_out") == 0 &&
		    json_object_object_get_ex(item, "mails", &mail))
			mail = json_object_array_get_idx(mail, 0);
	}
	ck_assert_msg(mail != NULL, "no reply with a mail state: %s",
	    r->body);
	json_object_get(mail);
	json_object_put(o);
	http_resp_free(r);
	free(path);
	return mail;
}

/* Asserts that the ticket page, as the admin sees it, holds both texts. */
static void
page_shows(long long number, const char *one, const char *two)
{
	struct http_agent	*a = fx_signin("admin", fx_password());
	struct http_resp	*r = page(a, number);

	ck_assert_msg(http_body_has(r, one), "the page lacks %s", one);
	ck_assert_msg(http_body_has(r, two), "the page lacks %s", two);
	http_resp_free(r);
	http_agent_free(a);
}

START_TEST(reply_reaches_customer_and_answer_threads_back)
{
	struct scene		 sc;
	static const char	 file[] = "Messwerte\nA;B\n1;2\n";
	static const char	 text[] = "Guten Tag,\r\nbitte "
	    "pr\xc3\xbc" "fen Sie die Werte.";
	struct http_agent	*a;
	struct http_resp	*r;
	struct tw_arena		*ar;
	struct tw_mail		 m;
	struct fx_got		 g;
	char			*path, *csrf, *to;
	char			*answer_id, *irt, *subject, *id;

	if (!fx_have_sink("outbound reply"))
		return;
	scene_new(&sc, "reply");

	/* The page offers mail to the contact's address. */
	a = fx_signin("admin", fx_password());
	r = page(a, sc.number);
	to = http_form_value(r->body, "to");
	ck_assert_ptr_nonnull(to);
	ck_assert_str_eq(to, sc.cust);
	ck_assert(http_body_has(r, "value=\"email_out\""));
	csrf = http_csrf(r);
	http_resp_free(r);

	{
		struct fx_part	p[] = {
			{ "_csrf", NULL, NULL, csrf, strlen(csrf) },
			{ "kind", NULL, NULL, "email_out", 9 },
			{ "to", NULL, NULL, to, strlen(to) },
			{ "body", NULL, NULL, text, sizeof(text) - 1 },
			{ "attachment", "filename=\"werte.csv\"", "text/csv",
			  file, sizeof(file) - 1 },
		};

		path = fx_printf("/tickets/%lld/items", sc.number);
		r = fx_post_parts(NULL, a, path, p, 5);
		ck_assert_msg(r->status == 303, "POST %s: %ld %s", path,
		    r->status, r->body);
		http_resp_free(r);
		free(path);
	}
	id = reply_id(sc.number);
	ar = tw_arena_new();
	g = fx_sent_once(id, ar, &m);
	ck_assert_str_eq(m.from_addr, sc.c.email);
	ck_assert_str_eq(m.from_name, sc.c.name);
	subject = fx_printf("Re: %s [#%lld]", sc.marker, sc.number);
	ck_assert_str_eq(m.subject, subject);
	ck_assert_str_eq(m.in_reply_to, sc.in_id);
	ck_assert_uint_eq(m.nreferences, 1);
	ck_assert_str_eq(m.references[0], sc.in_id);
	ck_assert_ptr_nonnull(strstr(m.text, "bitte pr\xc3\xbc" "fen Sie"));
	ck_assert_uint_eq(m.nattachments, 1);
	ck_assert_str_eq(m.attachments[0].filename, "werte.csv");
	ck_assert_str_eq(m.attachments[0].type, "text/csv");
	ck_assert_uint_eq(m.attachments[0].len, sizeof(file) - 1);
	ck_assert(memcmp(m.attachments[0].data, file, sizeof(file) - 1) == 0);
	ck_assert_msg(strcasestr(g.raw, "\nTo: ") != NULL &&
	    strstr(g.raw, sc.cust) != NULL, "To is not the customer");

	/* The envelope: from the channel, to the customer, over TLS. */
	{
		char	*env = fx_printf("from %s\nrcpt %s\ntls yes\n",
		    sc.c.email, sc.cust);

		ck_assert_str_eq(g.env, env);
		free(env);
	}
	fx_got_free(&g);

	/* The page says it was sent. */
	r = page(a, sc.number);
	ck_assert(http_body_has(r, "delivery delivery-sent"));
	http_resp_free(r);

	/* The customer answers without the number; In-Reply-To finds it. */
	answer_id = fx_printf("%s.answer@customer.example", sc.marker);
	irt = fx_printf("In-Reply-To: <%s>\r\nReferences: <%s> <%s>\r\n", id,
	    sc.in_id, id);
	ck_assert_int_eq(customer_mail(&sc.c, sc.cust, "Werte anbei", answer_id,
	    irt), sc.number);
	ck_assert_int_eq(fx_db_int(sql_in_items, -1, TW_ARGS(TW_I(sc.number))),
	    2);

	tw_arena_free(ar);
	http_agent_free(a);
	free(subject);
	free(irt);
	free(answer_id);
	free(id);
	free(csrf);
	free(to);
	scene_free(&sc);
}
END_TEST

START_TEST(outage_delays_and_delivers_once)
{
	struct scene		 sc;
	struct json_object	*o;
	char			*id;

	if (!fx_have_sink("outbound outage"))
		return;
	scene_new(&sc, "outage");

	/* The server is down when the reply is written and sent. */
	fx_sink_ctl("stop");
	id = api_reply(sc.token, sc.number, "{\"kind\": \"email_out\", "
	    "\"body\": \"Wir melden uns.\"}");
	fx_send_now();
	assert_mail(id, "queued|1|1|", 0);

	/* The page shows it waiting, with the reason. */
	page_shows(sc.number, "delivery delivery-queued",
	    "class=\"delivery-error\"");
	o = reply_json(sc.token, sc.number);
	ck_assert_str_eq(http_json_str(o, "state"), "queued");
	ck_assert_int_eq(http_json_int(o, "attempts", -1), 1);
	ck_assert_ptr_nonnull(http_json_str(o, "last_error"));
	ck_assert_ptr_nonnull(http_json_str(o, "next_attempt_at"));
	json_object_put(o);

	/* Back up: the pause after a failure still holds it back ... */
	fx_sink_ctl("start");
	fx_send_now();
	assert_mail(id, "queued|1|", 0);

	/* ... until its time comes; then it goes, once. */
	{
		char	*bracketed = fx_printf("<%s>", id);

		fx_db_exec(sql_mail_due_now, TW_ARGS(TW_S(bracketed)));
		free(bracketed);
	}
	fx_send_now();
	fx_send_now();
	assert_mail(id, "sent|2|", 1);

	free(id);
	scene_free(&sc);
}
END_TEST

START_TEST(refused_for_good_ends_failed)
{
	struct scene		 sc;
	char			*body;
	char			*id;

	if (!fx_have_sink("outbound refused"))
		return;
	scene_new(&sc, "refused");

	/* The sink refuses reject-* for good, as a server does a mailbox
	 * that does not exist. */
	body = fx_printf("{\"kind\": \"email_out\", \"body\": \"Hallo\", "
	    "\"to\": \"reject-%s@customer.example\"}", sc.marker);
	id = api_reply(sc.token, sc.number, body);
	fx_send_now();
	assert_mail(id, "failed|1|", 0);
	page_shows(sc.number, "delivery delivery-failed", "550");

	free(id);
	free(body);
	scene_free(&sc);
}
END_TEST

/*
 * A mail that went to several people: the ticket shows who wrote it and
 * who else had it, and the reply goes to its sender with the others in
 * copy, less our own addresses, in the header and in the envelope.
 */
START_TEST(reply_to_all)
{
	struct scene		 sc;
	struct http_agent	*a;
	struct http_resp	*r;
	struct json_object	*o, *item, *mail;
	struct tw_arena		*ar;
	struct tw_mail		 m;
	struct fx_got		 g;
	char			*eva, *boss, *own, *cc_header, *id, *json, *env;
	char			*in_id, *path, *value, *want, *body;
	long long		 number, item_id;
	size_t			 i;

	if (!fx_have_sink("outbound reply to all"))
		return;
	scene_new(&sc, "all");
	eva = fx_printf("eva.%s@customer.example", sc.marker);
	boss = fx_printf("boss.%s@customer.example", sc.marker);
	own = strdup(sc.c.email);
	for (i = 0; own[i] != '@'; i++)
		own[i] = (char)toupper((unsigned char)own[i]);
	cc_header = fx_printf("Cc: Eva Kollegin <%s>, Support <%s>\r\n", eva,
	    own);
	in_id = fx_printf("%s.cc@customer.example", sc.marker);
	number = customer_mail(&sc.c, sc.cust, sc.marker, in_id, cc_header);
	ck_assert_int_ne(number, sc.number);

	/* The item says who wrote and who had it; the reply is to all. */
	path = fx_printf("/tickets/%lld", number);
	r = fx_api(sc.token, "GET", path, NULL);
	o = http_json(r);
	item = json_object_array_get_idx(http_json_at(o, "items"), 0);
	ck_assert_str_eq(http_json_str(item, "mail_from"), sc.cust);
	ck_assert_str_eq(http_json_str(item, "mail_from_name"), "Jana Kunde");
	ck_assert_str_eq(http_json_str(item, "mail_to"), sc.c.email);
	want = fx_printf("%s, %s", eva, sc.c.email);
	ck_assert_str_eq(http_json_str(item, "mail_cc"), want);
	ck_assert_str_eq(http_json_str(o, "reply.to"), sc.cust);
	ck_assert_str_eq(http_json_str(o, "reply.cc"), eva);
	item_id = http_json_int(item, "id", 0);
	json_object_put(o);
	http_resp_free(r);

	/* A copy of the mail on another ticket still says who had it. */
	free(path);
	path = fx_printf("/tickets/%lld/items/%lld/copy", number, item_id);
	body = fx_printf("{\"target\": \"%lld\"}", sc.number);
	r = fx_api(sc.token, "POST", path, body);
	ck_assert_msg(r->status < 400, "POST %s: %ld %s", path, r->status,
	    r->body);
	http_resp_free(r);
	ck_assert_int_eq(fx_db_int(sql_copied_cc, -1, TW_ARGS(TW_I(sc.number),
	    TW_S(want))), 1);

	a = fx_signin("admin", fx_password());
	r = page(a, number);
	value = http_form_value(r->body, "cc");
	ck_assert_str_eq(value, eva);
	ck_assert(http_body_has(r, "Jana Kunde &lt;"));
	ck_assert(http_body_has(r, "class=\"mail-addresses\""));
	http_resp_free(r);

	/* The agent adds one; the customer typed in copy again is dropped. */
	json = fx_printf("{\"kind\": \"email_out\", \"body\": \"Erledigt.\", "
	    "\"cc\": \"%s; %s %s\"}", eva, boss, sc.cust);
	id = api_reply(sc.token, number, json);
	ar = tw_arena_new();
	g = fx_sent_once(id, ar, &m);
	ck_assert_str_eq(m.from_addr, sc.c.email);
	ck_assert_uint_eq(m.to.n, 1);
	ck_assert_str_eq(m.to.addr[0], sc.cust);
	ck_assert_uint_eq(m.cc.n, 2);
	ck_assert_str_eq(m.cc.addr[0], eva);
	ck_assert_str_eq(m.cc.addr[1], boss);
	env = fx_printf("from %s\nrcpt %s\nrcpt %s\nrcpt %s\ntls yes\n",
	    sc.c.email, sc.cust, eva, boss);
	ck_assert_str_eq(g.env, env);
	fx_got_free(&g);

	/* The ticket's record of the mail names the copies. */
	mail = reply_json(sc.token, number);
	free(want);
	want = fx_printf("%s, %s", eva, boss);
	ck_assert_str_eq(http_json_str(mail, "cc_addresses"), want);
	json_object_put(mail);

	tw_arena_free(ar);
	http_agent_free(a);
	free(env);
	free(body);
	free(json);
	free(id);
	free(value);
	free(want);
	free(path);
	free(in_id);
	free(cc_header);
	free(own);
	free(boss);
	free(eva);
	scene_free(&sc);
}
END_TEST

/* Asserts that the item json on ticket number is refused naming field. */
static void
refused_on(const char *token, long long number, const char *json,
    const char *field)
{
	struct http_resp	*r;
	struct json_object	*o;
	char			*path;

	path = fx_printf("/tickets/%lld/items", number);
	r = fx_api(token, "POST", path, json);
	ck_assert_msg(r->status == 422, "%s: %ld", json, r->status);
	o = http_json(r);
	ck_assert_str_eq(http_json_str(o, "error.field"), field);
	json_object_put(o);
	http_resp_free(r);
	free(path);
}

/* What a mail item is refused for, before anything is queued. */
START_TEST(reply_input_is_checked)
{
	struct scene		 sc;
	size_t			 i;
	static const char *const bad[] = {
		"{\"kind\": \"email_out\", \"body\": \"x\", "
		"\"to\": \"not an address\"}",
		"{\"kind\": \"email_out\", \"body\": \"x\", "
		"\"to\": \"a@b.example\\r\\nBcc: victim@evil.example\"}",
		"{\"kind\": \"email_out\", \"body\": \"x\", "
		"\"to\": \"a@localhost\"}",
	};
	static const char *const bad_cc[] = {
		"{\"kind\": \"email_out\", \"body\": \"x\", "
		"\"cc\": \"eva@customer.example, no-address\"}",
		"{\"kind\": \"email_out\", \"body\": \"x\", "
		"\"cc\": \"a@b.example\\r\\nBcc: victim@evil.example\"}",
	};
	static const char	 no_to[] = "{\"kind\": \"email_out\", "
	    "\"body\": \"x\"}";

	scene_new(&sc, "checked");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		refused_on(sc.token, sc.number, bad[i], "to");
	for (i = 0; i < sizeof(bad_cc) / sizeof(bad_cc[0]); i++)
		refused_on(sc.token, sc.number, bad_cc[i], "cc");
	{
		struct tw_buf	 b;
		struct tw_arena	*ar = tw_arena_new();

		/* One copy more than a mail may have. */
		tw_buf_init(&b, ar);
		tw_buf_puts(&b, "{\"kind\": \"email_out\", \"body\": \"x\", "
		    "\"cc\": \"");
		for (i = 0; i <= 20; i++)
			tw_buf_printf(&b, "c%zu@customer.example, ", i);
		tw_buf_puts(&b, "\"}");
		refused_on(sc.token, sc.number, b.data, "cc");
		tw_arena_free(ar);
	}
	ck_assert_ptr_null(fx_db_str(sql_reply_id, NULL,
	    TW_ARGS(TW_I(sc.number))));

	/* A ticket without a contact needs an address. */
	refused_on(sc.token, fx_ticket_new(sc.token, sc.marker, sc.c.id),
	    no_to, "to");

	/* A channel without an address cannot send at all. */
	fx_db_exec("UPDATE channels SET email = NULL WHERE id = ?",
	    TW_ARGS(TW_I(sc.c.id)));
	refused_on(sc.token, sc.number, no_to, "kind");
	scene_free(&sc);
}
END_TEST

/* The template as an administrator sets it on the channel's page. */
static void
set_ack_template(struct http_agent *a, const struct chan *c)
{
	struct http_resp	*r;
	char			*path, *csrf, *body, *s, *b;

	path = fx_printf("/admin/channels/%lld/acknowledgement", c->id);
	r = http_get(a, path);
	ck_assert_int_eq(r->status, 200);
	csrf = http_csrf(r);
	http_resp_free(r);

	/* A template that does not parse is refused, naming the line. */
	s = http_urlenc("Eingang: {{subject}}");
	b = http_urlenc("{{#name}}never closed");
	body = fx_printf("_csrf=%s&ack_enabled=1&ack_subject=%s&ack_body=%s",
	    csrf, s, b);
	r = http_post_form(a, path, body);
	ck_assert_int_eq(r->status, 422);
	ck_assert(http_body_has(r, "line 1"));
	http_resp_free(r);
	free(body);
	free(b);

	b = http_urlenc("Hallo {{name}},\nIhr Ticket #{{number}} in "
	    "{{channel}} ist angelegt: {{subject}} & mehr.");
	body = fx_printf("_csrf=%s&ack_enabled=1&ack_subject=%s&ack_body=%s",
	    csrf, s, b);
	r = http_post_form(a, path, body);
	ck_assert_msg(r->status == 303, "POST %s: %ld", path, r->status);
	http_resp_free(r);

	r = http_get(a, path);
	ck_assert(http_body_has(r, "checked"));
	ck_assert(http_body_has(r, "Eingang: {{subject}}"));
	http_resp_free(r);

	free(body);
	free(b);
	free(s);
	free(csrf);
	free(path);
}

START_TEST(acknowledgements)
{
	struct chan		 c;
	struct http_agent	*a;
	struct tw_arena		*ar;
	struct tw_mail		 m;
	struct fx_got		 g;
	char			*marker, *cust, *id, *want, *bot, *subj;
	const char		*ack;
	long long		 number, n;
	int			 i;

	if (!fx_have_sink("outbound acknowledgement"))
		return;
	channel_new(&c, 0);
	a = fx_signin("admin", fx_password());
	set_ack_template(a, &c);
	marker = fx_marker("ack");
	cust = fx_printf("%s@customer.example", marker);

	/* A new mail ticket gets one, from the template, marked as a
	 * machine's answer and threaded to the mail. */
	id = fx_printf("%s.1@customer.example", marker);
	number = customer_mail(&c, cust, marker, id, "");
	ack = fx_db_str(sql_ack_id, NULL, TW_ARGS(TW_I(number)));
	ck_assert_ptr_nonnull(ack);
	ar = tw_arena_new();
	g = fx_sent_once(ack, ar, &m);
	want = fx_printf("Eingang: %s [#%lld]", marker, number);
	ck_assert_str_eq(m.subject, want);
	free(want);
	want = fx_printf("Hallo Jana Kunde,\r\nIhr Ticket #%lld in %s ist "
	    "angelegt: %s & mehr.\r\n", number, c.name, marker);
	ck_assert_str_eq(m.text, want);
	free(want);
	ck_assert_str_eq(m.from_addr, c.email);
	ck_assert_str_eq(m.in_reply_to, id);
	ck_assert_int_eq(m.auto_reply, 1);
	fx_got_free(&g);
	free(id);

	/* An out-of-office answer opens a ticket but gets none. */
	bot = fx_printf("bot-%s@customer.example", marker);
	id = fx_printf("%s.ooo@customer.example", marker);
	subj = fx_printf("Abwesenheitsnotiz %s", marker);
	number = customer_mail(&c, bot, subj, id, "Auto-Submitted: "
	    "auto-replied\r\n");
	ck_assert_int_eq(fx_db_int(sql_acks_to, -1, TW_ARGS(TW_S(bot))), 0);
	free(subj);
	free(id);

	/* At most [mail] ack_per_hour per address: two here, the mailgate
	 * reads the setting from the environment. */
	setenv("TW_MAIL_ACK_PER_HOUR", "2", 1);
	for (i = 2; i <= 4; i++) {
		id = fx_printf("%s.%d@customer.example", marker, i);
		subj = fx_printf("%s Nummer %d", marker, i);
		n = customer_mail(&c, cust, subj, id, "");
		ck_assert_int_ne(n, number);
		free(subj);
		free(id);
	}
	unsetenv("TW_MAIL_ACK_PER_HOUR");
	ck_assert_int_eq(fx_db_int(sql_acks_to, -1, TW_ARGS(TW_S(cust))), 2);

	tw_arena_free(ar);
	http_agent_free(a);
	free(bot);
	free(cust);
	free(marker);
	channel_free(&c);
}
END_TEST

START_TEST(alert_mail_goes_out)
{
	struct chan		 c;
	struct tw_arena		*ar;
	struct tw_mail		 m;
	struct fx_got		 g;
	char			*marker, *login, *addr, *token, *body, *want;
	char			*note;
	const char		*id;
	long long		 number;

	if (!fx_have_sink("outbound alert"))
		return;
	channel_new(&c, 0);
	marker = fx_marker("alert");
	login = fx_user_new("watcher");
	addr = fx_printf("%s@agents.example", login);
	fx_db_exec(sql_user_mail, TW_ARGS(TW_S(addr), TW_S(login)));
	fx_db_exec(sql_member_add, TW_ARGS(TW_I(c.id),
	    TW_I(fx_user_id(login))));
	token = fx_token("admin");
	number = fx_ticket_new(token, marker, c.id);
	fx_db_exec(sql_watch, TW_ARGS(TW_I(number), TW_S(login)));

	note = fx_printf("Notiz %s", marker);
	body = fx_printf("{\"body\": \"%s\"}", note);
	api_item(token, number, body);
	id = fx_db_str(sql_alert_id, NULL, TW_ARGS(TW_S(addr)));
	ck_assert_ptr_nonnull(id);
	ar = tw_arena_new();
	g = fx_sent_once(id, ar, &m);
	want = fx_printf("[#%lld] %s", number, marker);
	ck_assert_str_eq(m.subject, want);
	ck_assert_ptr_nonnull(strstr(m.text, note));
	ck_assert_int_eq(m.auto_reply, 1);
	ck_assert_ptr_nonnull(strstr(g.env, addr));
	fx_got_free(&g);

	tw_arena_free(ar);
	free(want);
	free(note);
	free(body);
	free(token);
	free(addr);
	free(login);
	free(marker);
	channel_free(&c);
}
END_TEST

/* Runs the sender in a child process; returns its pid. */
static pid_t
sender_start(void)
{
	pid_t	pid = fork();

	ck_assert(pid >= 0);
	if (pid == 0) {
		const char *const	argv[] = { "--once", "--only",
		    "outbound", NULL };
		int			status;

		free(fx_run("ticketwerk-jobs", NULL, 0, argv, &status));
		_exit(status);
	}
	return pid;
}

START_TEST(two_runners_send_each_once)
{
	struct scene		 sc;
	enum { N = 8 };
	struct fx_got	 g;
	char		*ids[N];
	pid_t		 p1, p2;
	int		 i, st1, st2;

	if (!fx_have_sink("outbound runners"))
		return;
	scene_new(&sc, "runners");
	for (i = 0; i < N; i++) {
		ids[i] = api_reply(sc.token, sc.number, "{\"kind\": "
		    "\"email_out\", \"body\": \"Eine von vielen.\"}");
	}

	p1 = sender_start();
	p2 = sender_start();
	ck_assert(waitpid(p1, &st1, 0) == p1 && waitpid(p2, &st2, 0) == p2);
	ck_assert(WIFEXITED(st1) && WEXITSTATUS(st1) == EX_OK);
	ck_assert(WIFEXITED(st2) && WEXITSTATUS(st2) == EX_OK);

	for (i = 0; i < N; i++) {
		g = fx_sink_find(ids[i]);
		ck_assert_msg(g.count == 1, "%s arrived %d times", ids[i],
		    g.count);
		fx_got_free(&g);
		free(ids[i]);
	}
	scene_free(&sc);
}
END_TEST

Suite *
tw_outbound_suite(void)
{
	Suite	*s = suite_create("outbound");
	TCase	*tc = fx_tcase("outbound", 120);

	tcase_add_checked_fixture(tc, fx_sink_up, NULL);
	tcase_add_test(tc, reply_reaches_customer_and_answer_threads_back);
	tcase_add_test(tc, outage_delays_and_delivers_once);
	tcase_add_test(tc, refused_for_good_ends_failed);
	tcase_add_test(tc, reply_to_all);
	tcase_add_test(tc, reply_input_is_checked);
	tcase_add_test(tc, acknowledgements);
	tcase_add_test(tc, alert_mail_goes_out);
	tcase_add_test(tc, two_runners_send_each_once);
	suite_add_tcase(s, tc);
	return s;
}
