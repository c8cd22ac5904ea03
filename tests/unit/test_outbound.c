/*
 * test_outbound.c: the pure parts of outgoing mail.
 *
 * A message built by lib/mail_build.c is parsed back by lib/mail.c and
 * must say what was put in (subject, sender, text, files); nothing put in
 * a field can add a header; the subject tag, the retry pauses, the
 * reading of SMTP answers and the plain-text rendering of templates.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <curl/curl.h>
#include <json-c/json.h>

#include "ack.h"
#include "addrlist.h"
#include "arena.h"
#include "buf.h"
#include "mail.h"
#include "mail_build.h"
#include "mustache.h"
#include "outbound.h"
#include "reply.h"
#include "smtp.h"
#include "suites.h"

/* A file of every byte value, so base64 has to carry each of them. */
static char	binary[512];

static struct tw_mail_out
sample(void)
{
	static const char	*refs[] = { "first@customer.example",
	    "<second@ticketwerk.example>" };
	static struct tw_mail_file files[2];
	static struct tw_addrlist cc = { { "eva@customer.example",
	    "Chef@Customer.example" }, 2 };
	struct tw_mail_out	 m;
	size_t			 i;

	for (i = 0; i < sizeof(binary); i++)
		binary[i] = (char)(i & 0xff);
	files[0].filename = "Angebot f\xc3\xbcr M\xc3\xbcller.pdf";
	files[0].type = "application/pdf";
	files[0].data = binary;
	files[0].len = sizeof(binary);
	files[1].filename = "notes.txt";
	files[1].type = "text/plain";
	files[1].data = "line one\nline two\n";
	files[1].len = strlen(files[1].data);

	memset(&m, 0, sizeof(m));
	m.from_name = "Support \"Nord\"";
	m.from_addr = "support@ticketwerk.example";
	m.to_name = "J\xc3\xb6rg Kunde";
	m.to_addr = "joerg@customer.example";
	m.cc = &cc;
	m.subject = "Re: Dr\xc3\xbc" "cker streikt \xe2\x80\x93 bitte "
	    "pr\xc3\xbc" "fen [#4319]";
	m.date = 1764756000;
	m.message_id = "<tw.0123abcd@ticketwerk.example>";
	m.in_reply_to = "first@customer.example";
	m.references = refs;
	m.nreferences = 2;
	m.text = "Gr\xc3\xbc\xc3\x9f" "e,\r\n\r\nder Drucker l\xc3\xa4uft "
	    "wieder.\r\n.\r\nEine Zeile mit einem Punkt davor.\n-- \nSupport";
	m.files = files;
	m.nfiles = 2;
	return m;
}

/* s with CRLF turned into LF, in the arena. */
static const char *
lf(struct tw_arena *a, const char *s)
{
	struct tw_buf	b;

	tw_buf_init(&b, a);
	tw_buf_puts(&b, "");
	for (; *s != '\0'; s++)
		if (!(s[0] == '\r' && s[1] == '\n'))
			tw_buf_putc(&b, *s);
	return b.data;
}

/* Whether raw has a header line that starts with name (e.g. "Bcc:"). */
static int
has_header(const char *raw, size_t len, const char *name)
{
	const char	*p = raw, *end = raw + len;
	size_t		 n = strlen(name);

	while (p < end) {
		if ((size_t)(end - p) >= n && strncasecmp(p, name, n) == 0)
			return 1;
		if (*p == '\r' || *p == '\n')	/* the blank line */
			break;
		p = memchr(p, '\n', (size_t)(end - p));
		if (p == NULL)
			break;
		p++;
	}
	return 0;
}

START_TEST(built_message_parses_back)
{
	struct tw_arena		*a = tw_arena_new();
	struct tw_mail_out	 m = sample();
	struct tw_mail		 got;
	const char		*raw;
	size_t			 len, i;

	ck_assert_int_eq(tw_mail_build(a, &m, &raw, &len), TW_OK);
	ck_assert_int_eq(tw_mail_parse(a, raw, len, &got), TW_OK);

	ck_assert_str_eq(got.subject, m.subject);
	ck_assert_str_eq(got.from_addr, "support@ticketwerk.example");
	ck_assert_str_eq(got.from_name, "Support \"Nord\"");
	ck_assert_uint_eq(got.to.n, 1);
	ck_assert_str_eq(got.to.addr[0], "joerg@customer.example");
	ck_assert_uint_eq(got.cc.n, 2);
	ck_assert_str_eq(got.cc.addr[0], "eva@customer.example");
	ck_assert_str_eq(got.cc.addr[1], "chef@customer.example");
	ck_assert_str_eq(got.message_id, "tw.0123abcd@ticketwerk.example");
	ck_assert_str_eq(got.in_reply_to, "first@customer.example");
	ck_assert_uint_eq(got.nreferences, 2);
	ck_assert_str_eq(got.references[0], "first@customer.example");
	ck_assert_str_eq(got.references[1], "second@ticketwerk.example");
	ck_assert_int_eq(got.date, m.date);
	/* The last line gets its line end. */
	ck_assert_str_eq(lf(a, got.text), tw_arena_printf(a, "%s\n",
	    lf(a, m.text)));
	ck_assert_int_eq(got.auto_reply, 0);

	ck_assert_uint_eq(got.nattachments, 2);
	for (i = 0; i < 2; i++) {
		ck_assert_str_eq(got.attachments[i].filename,
		    m.files[i].filename);
		ck_assert_str_eq(got.attachments[i].type, m.files[i].type);
		ck_assert_uint_eq(got.attachments[i].len, m.files[i].len);
		ck_assert(memcmp(got.attachments[i].data, m.files[i].data,
		    m.files[i].len) == 0);
	}
	tw_arena_free(a);
}
END_TEST

/*
 * An invitation: the calendar goes along as text/calendar with the
 * method of its METHOD line, and comes back whole.
 */
START_TEST(invitation_carries_calendar)
{
	static const char	 cal[] = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
	    "METHOD:CANCEL\r\nBEGIN:VEVENT\r\nUID:appointment-7@x\r\n"
	    "SUMMARY:Besuch vor Ort\\, K\xc3\xb6ln\r\nEND:VEVENT\r\n"
	    "END:VCALENDAR\r\n";
	struct tw_arena		*a = tw_arena_new();
	struct tw_mail_out	 m = sample();
	struct tw_mail		 got;
	const char		*raw;
	size_t			 len;

	m.nfiles = 0;
	m.calendar = cal;
	ck_assert_int_eq(tw_mail_build(a, &m, &raw, &len), TW_OK);
	ck_assert_ptr_nonnull(strstr(raw, "Content-Type: text/calendar; "
	    "charset=utf-8; method=CANCEL"));
	ck_assert_int_eq(tw_mail_parse(a, raw, len, &got), TW_OK);
	ck_assert_uint_eq(got.nattachments, 1);
	ck_assert_str_eq(got.attachments[0].filename, "invite.ics");
	ck_assert_str_eq(got.attachments[0].type, "text/calendar");
	ck_assert_uint_eq(got.attachments[0].len, strlen(cal));
	ck_assert(memcmp(got.attachments[0].data, cal, strlen(cal)) == 0);
	ck_assert_str_eq(lf(a, got.text), tw_arena_printf(a, "%s\n",
	    lf(a, m.text)));
	tw_arena_free(a);
}
END_TEST

/* Seven bits, CRLF everywhere, lines short, the subject encoded. */
START_TEST(built_message_is_plain_ascii)
{
	struct tw_arena		*a = tw_arena_new();
	struct tw_mail_out	 m = sample();
	const char		*raw, *line;
	size_t			 len, i;

	ck_assert_int_eq(tw_mail_build(a, &m, &raw, &len), TW_OK);
	for (i = 0, line = raw; i < len; i++) {
		ck_assert_msg((unsigned char)raw[i] < 0x80,
		    "an 8-bit byte at %zu", i);
		if (raw[i] == '\n') {
			ck_assert_msg(i > 0 && raw[i - 1] == '\r',
			    "a bare LF at %zu", i);
			ck_assert_msg(raw + i - line <= 998,
			    "a line longer than RFC 5322 allows");
			line = raw + i + 1;
		}
	}
	ck_assert_ptr_nonnull(strstr(raw, "Subject: Re: =?UTF-8?"));
	ck_assert_ptr_nonnull(strstr(raw, "quoted-printable"));
	ck_assert_ptr_nonnull(strcasestr(raw, "\r\nMessage-Id: "
	    "<tw.0123abcd@ticketwerk.example>\r\n"));
	ck_assert(!has_header(raw, len, "Auto-Submitted:"));
	tw_arena_free(a);
}
END_TEST

START_TEST(auto_submitted_header)
{
	struct tw_arena		*a = tw_arena_new();
	struct tw_mail_out	 m = sample();
	struct tw_mail		 got;
	const char		*raw;
	size_t			 len;

	m.auto_submitted = TW_MAIL_AUTO_REPLIED;
	ck_assert_int_eq(tw_mail_build(a, &m, &raw, &len), TW_OK);
	ck_assert(has_header(raw, len, "Auto-Submitted: auto-replied"));

	/* Our own parser takes it for what it is: a machine's answer. */
	ck_assert_int_eq(tw_mail_parse(a, raw, len, &got), TW_OK);
	ck_assert_int_eq(got.auto_reply, 1);
	tw_arena_free(a);
}
END_TEST

/*
 * CR and LF in any field the caller fills: a header of one's own cannot
 * be added; an address or Message-ID that tries it is refused.
 */
START_TEST(no_header_injection)
{
	static const char	*evil = "x\r\nBcc: victim@evil.example\r\n"
	    "X-Injected: 1";
	static const char	*refs[] = { "a@b.example>\r\nX-Injected: 1" };
	struct tw_arena		*a = tw_arena_new();
	struct tw_mail_out	 m = sample();
	struct tw_mail_file	 f = { "a\r\nX-Injected: 1.txt", "text/plain",
	    "x", 1 };
	struct tw_mail		 got;
	const char		*raw;
	size_t			 len;

	m.subject = evil;
	m.from_name = evil;
	m.to_name = evil;
	m.in_reply_to = "a@b.example>\r\nX-Injected: 1";
	m.references = refs;
	m.nreferences = 1;
	m.files = &f;
	m.nfiles = 1;
	ck_assert_int_eq(tw_mail_build(a, &m, &raw, &len), TW_OK);
	ck_assert(!has_header(raw, len, "Bcc:"));
	ck_assert(!has_header(raw, len, "X-Injected:"));
	ck_assert(strstr(raw, "\nX-Injected") == NULL);
	ck_assert(strstr(raw, "\nBcc") == NULL);
	ck_assert(!has_header(raw, len, "In-Reply-To:"));
	ck_assert(!has_header(raw, len, "References:"));
	ck_assert_int_eq(tw_mail_parse(a, raw, len, &got), TW_OK);
	ck_assert_str_eq(got.subject, "x  Bcc: victim@evil.example  "
	    "X-Injected: 1");

	m = sample();
	m.to_addr = "joerg@customer.example\r\nBcc: victim@evil.example";
	ck_assert_int_eq(tw_mail_build(a, &m, &raw, &len), TW_ERR_INVALID);
	m = sample();
	m.from_addr = "support@ticketwerk.example>\r\nBcc: x@evil.example";
	ck_assert_int_eq(tw_mail_build(a, &m, &raw, &len), TW_ERR_INVALID);
	m = sample();
	m.message_id = "<a@b.example>\r\nBcc: victim@evil.example";
	ck_assert_int_eq(tw_mail_build(a, &m, &raw, &len), TW_ERR_INVALID);
	tw_arena_free(a);
}
END_TEST

START_TEST(message_ids)
{
	struct tw_arena	*a = tw_arena_new();
	const char	*id;

	ck_assert_str_eq(tw_mail_id_bare(a, "<a.b@c.example>"),
	    "a.b@c.example");
	ck_assert_str_eq(tw_mail_id_bare(a, "a.b@c.example"),
	    "a.b@c.example");
	ck_assert_ptr_null(tw_mail_id_bare(a, "no-at-sign"));
	ck_assert_ptr_null(tw_mail_id_bare(a, "two@at@signs"));
	ck_assert_ptr_null(tw_mail_id_bare(a, "<>"));
	ck_assert_ptr_null(tw_mail_id_bare(a, "a b@c"));
	ck_assert_ptr_null(tw_mail_id_bare(a, "@c"));

	id = tw_outbound_message_id(a, "support@ticketwerk.example");
	ck_assert_int_eq(strncmp(id, "<tw.", 4), 0);
	ck_assert_ptr_nonnull(strstr(id, "@ticketwerk.example>"));
	ck_assert_uint_eq(strlen(id), strlen("<tw.@ticketwerk.example>") +
	    32);
	ck_assert_str_ne(id, tw_outbound_message_id(a,
	    "support@ticketwerk.example"));
	ck_assert_ptr_nonnull(tw_mail_id_bare(a, id));
	tw_arena_free(a);
}
END_TEST

START_TEST(subject_tag)
{
	struct tw_arena	*a = tw_arena_new();

	ck_assert_str_eq(tw_reply_subject(a, "Drucker", 4319, 0),
	    "Drucker [#4319]");
	ck_assert_str_eq(tw_reply_subject(a, "Drucker [#4319]", 4319, 0),
	    "Drucker [#4319]");
	ck_assert_str_eq(tw_reply_subject(a, "Drucker", 4319, 1),
	    "Re: Drucker [#4319]");
	ck_assert_str_eq(tw_reply_subject(a, "AW: Drucker [#4319]", 4319, 1),
	    "AW: Drucker [#4319]");
	ck_assert_str_eq(tw_reply_subject(a, "RE: Drucker", 4319, 1),
	    "RE: Drucker [#4319]");
	/* Another ticket's number is not ours: ours is added. */
	ck_assert_str_eq(tw_reply_subject(a, "Wie [#12]", 4319, 0),
	    "Wie [#12] [#4319]");
	ck_assert_str_eq(tw_reply_subject(a, "", 7, 0), "[#7]");
	tw_arena_free(a);
}
END_TEST

START_TEST(backoff_doubles_up_to_cap)
{
	ck_assert_int_eq(tw_outbound_backoff(1, 60, 3600), 60);
	ck_assert_int_eq(tw_outbound_backoff(2, 60, 3600), 120);
	ck_assert_int_eq(tw_outbound_backoff(3, 60, 3600), 240);
	ck_assert_int_eq(tw_outbound_backoff(6, 60, 3600), 1920);
	ck_assert_int_eq(tw_outbound_backoff(7, 60, 3600), 3600);
	ck_assert_int_eq(tw_outbound_backoff(1000, 60, 3600), 3600);
	ck_assert_int_eq(tw_outbound_backoff(1, 0, 3600), 1);
}
END_TEST

START_TEST(smtp_answers)
{
	static const struct {
		int			curl_rc;
		long			reply;
		enum tw_smtp_outcome	outcome;
	} cases[] = {
		{ CURLE_OK, 250, TW_SMTP_SENT },
		{ CURLE_COULDNT_CONNECT, 0, TW_SMTP_RETRY },
		{ CURLE_OPERATION_TIMEDOUT, 0, TW_SMTP_RETRY },
		{ CURLE_SEND_ERROR, 451, TW_SMTP_RETRY },
		{ CURLE_SEND_ERROR, 550, TW_SMTP_REJECTED },
		{ CURLE_WEIRD_SERVER_REPLY, 554, TW_SMTP_REJECTED },
		/* A refused login is our configuration, not the message. */
		{ CURLE_LOGIN_DENIED, 535, TW_SMTP_RETRY },
		{ CURLE_USE_SSL_FAILED, 0, TW_SMTP_RETRY },
	};
	size_t	i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ck_assert_msg(tw_smtp_outcome(cases[i].curl_rc,
		    cases[i].reply) == cases[i].outcome, "case %zu", i);
}
END_TEST

/* Templates are text: nothing is escaped, sections work, errors say so. */
START_TEST(ack_templates_render_as_text)
{
	struct tw_arena		*a = tw_arena_new();
	struct json_object	*d = json_object_new_object();
	const char		*out, *why = NULL;

	json_object_object_add(d, "number", json_object_new_int(4319));
	json_object_object_add(d, "name",
	    json_object_new_string("M\xc3\xbcller & S\xc3\xb6hne <GmbH>"));
	ck_assert_int_eq(tw_ack_render(a, "Hallo {{name}}, #{{number}}", d,
	    &out, &why), TW_OK);
	ck_assert_str_eq(out, "Hallo M\xc3\xbcller & S\xc3\xb6hne <GmbH>, "
	    "#4319");
	ck_assert_int_eq(tw_ack_render(a, "{{#name}}Hi {{name}}{{/name}}"
	    "{{^name}}Hi{{/name}}{{^subject}}!{{/subject}}", d, &out, &why),
	    TW_OK);
	ck_assert_str_eq(out, "Hi M\xc3\xbcller & S\xc3\xb6hne <GmbH>!");
	ck_assert_int_eq(tw_ack_render(a, "", d, &out, &why), TW_OK);
	ck_assert_str_eq(out, "");

	ck_assert_int_eq(tw_ack_render(a, "{{#name}}never closed", d, &out,
	    &why), TW_ERR_INVALID);
	ck_assert_ptr_nonnull(why);
	ck_assert_ptr_null(out);
	json_object_put(d);
	tw_arena_free(a);
}
END_TEST

/*
 * Address lists: each address once whatever its case, pieces that are
 * no address named, at most TW_ADDRLIST_MAX, and joined as stored.
 */
START_TEST(address_lists)
{
	struct tw_arena		*a = tw_arena_new();
	struct tw_addrlist	 l = { .n = 0 };
	const char		*bad;
	char			 many[64 * (TW_ADDRLIST_MAX + 1)];
	size_t			 i, len = 0;

	ck_assert_int_eq(tw_addrlist_parse(a, " eva@Customer.example;"
	    "chef@customer.example,\r\n\tEVA@customer.example  ", &l, &bad),
	    TW_OK);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_str_eq(tw_addrlist_join(a, &l),
	    "eva@customer.example, chef@customer.example");
	ck_assert(tw_addrlist_has(&l, "Chef@Customer.Example"));
	ck_assert(!tw_addrlist_has(&l, "chef@customer.example.org"));

	/* A piece that is no address stops the parse and is named. */
	ck_assert_int_eq(tw_addrlist_parse(a, "x@y.example, kein@adresse, "
	    "z@y.example", &l, &bad), TW_ERR_INVALID);
	ck_assert_str_eq(bad, "kein@adresse");
	ck_assert_int_eq(tw_addrlist_parse(a, "a@b.example\r\nBcc: v@e.example",
	    &l, &bad), TW_ERR_INVALID);
	ck_assert_str_eq(bad, "Bcc:");

	tw_addrlist_remove(&l, "EVA@customer.example");
	ck_assert_str_eq(tw_addrlist_join(a, &l),
	    "chef@customer.example, x@y.example, a@b.example");
	l.n = 0;
	ck_assert_ptr_null(tw_addrlist_join(a, &l));

	/* One more than fits is refused, and the list keeps the rest. */
	for (i = 0; i <= TW_ADDRLIST_MAX; i++)
		len += (size_t)snprintf(many + len, sizeof(many) - len,
		    "c%zu@customer.example ", i);
	ck_assert_int_eq(tw_addrlist_parse(a, many, &l, &bad), TW_ERR_TOOBIG);
	ck_assert_ptr_null(bad);
	ck_assert_uint_eq(l.n, TW_ADDRLIST_MAX);

	/* Text lists: looked up, and added from less an exception. */
	ck_assert(tw_addrlist_text_has("a@b.example, Own@Desk.example",
	    "own@desk.example"));
	ck_assert(!tw_addrlist_text_has("a@b.example", "b.example"));
	ck_assert(!tw_addrlist_text_has(NULL, "a@b.example"));
	l.n = 0;
	tw_addrlist_add_text(a, &l, "own@desk.example, junk, c@d.example, "
	    "jana@kunde.example", "jana@kunde.example, OWN@desk.example");
	ck_assert_str_eq(tw_addrlist_join(a, &l), "c@d.example");
	tw_arena_free(a);
}
END_TEST

/* Answer to all: the sender, the others in copy, never us or twice. */
START_TEST(answer_all)
{
	struct tw_arena	*a = tw_arena_new();
	const char	*to, *cc;

	tw_reply_answer_all(a, "contact@kunde.example", "jana@kunde.example",
	    "support@desk.example, eva@kunde.example",
	    "Jana@Kunde.example, sales@desk.example, chef@kunde.example, "
	    "eva@kunde.example", "support@desk.example, sales@desk.example",
	    &to, &cc);
	ck_assert_str_eq(to, "jana@kunde.example");
	ck_assert_str_eq(cc, "eva@kunde.example, chef@kunde.example");

	/* No mail yet: the contact, nobody in copy. */
	tw_reply_answer_all(a, "contact@kunde.example", NULL, NULL, NULL,
	    "support@desk.example", &to, &cc);
	ck_assert_str_eq(to, "contact@kunde.example");
	ck_assert_ptr_null(cc);

	/* A mail without a usable sender, on a ticket without contact. */
	tw_reply_answer_all(a, NULL, NULL, "support@desk.example, "
	    "eva@kunde.example", NULL, NULL, &to, &cc);
	ck_assert_ptr_null(to);
	ck_assert_str_eq(cc, "support@desk.example, eva@kunde.example");
	tw_arena_free(a);
}
END_TEST

/* To and Cc of a message: groups opened, what is no address left out. */
START_TEST(recipients_parsed)
{
	struct tw_arena	*a = tw_arena_new();
	struct tw_mail	 m;
	static const char raw[] =
	    "From: Jana <jana@kunde.example>\r\n"
	    "To: Team: a@kunde.example, \"B\" <B@Kunde.example>;, "
	    "support@desk.example\r\n"
	    "Cc: undisclosed-recipients:;, no-address, "
	    "=?utf-8?q?Eva_M=C3=BCller?= <eva@kunde.example>, "
	    "a@kunde.example\r\n"
	    "Subject: x\r\n\r\nText\r\n";

	ck_assert_int_eq(tw_mail_parse(a, raw, sizeof(raw) - 1, &m), TW_OK);
	ck_assert_str_eq(tw_addrlist_join(a, &m.to),
	    "a@kunde.example, b@kunde.example, support@desk.example");
	ck_assert_str_eq(tw_addrlist_join(a, &m.cc),
	    "eva@kunde.example, a@kunde.example");
	tw_arena_free(a);
}
END_TEST

Suite *
tw_outbound_suite(void)
{
	Suite	*s = suite_create("outbound");
	TCase	*tc = tcase_create("outbound");

	tcase_add_test(tc, built_message_parses_back);
	tcase_add_test(tc, invitation_carries_calendar);
	tcase_add_test(tc, built_message_is_plain_ascii);
	tcase_add_test(tc, auto_submitted_header);
	tcase_add_test(tc, no_header_injection);
	tcase_add_test(tc, message_ids);
	tcase_add_test(tc, subject_tag);
	tcase_add_test(tc, backoff_doubles_up_to_cap);
	tcase_add_test(tc, smtp_answers);
	tcase_add_test(tc, ack_templates_render_as_text);
	tcase_add_test(tc, address_lists);
	tcase_add_test(tc, answer_all);
	tcase_add_test(tc, recipients_parsed);
	suite_add_tcase(s, tc);
	return s;
}
