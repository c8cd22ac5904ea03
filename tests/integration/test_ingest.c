/*
 * test_ingest.c: mail into tickets through ticketwerk-mailgate, with
 * messages written here: a new ticket with its contact matched by mail
 * domain, redelivery stored once, replies threaded by the number in the
 * subject and by In-Reply-To, a closed ticket reopened, our own mail
 * ignored, machines' mail marked, attachments kept, and the exit codes
 * an MTA acts on.
 */
#include "config.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <check.h>

#include "db.h"
#include "http.h"
#include "suites.h"
#include "text.h"

static const char sql_ticket_of[] =
    "SELECT t.number FROM items i JOIN tickets t ON t.id = i.ticket_id "
    "WHERE i.message_id = ?";
static const char sql_items_with[] =
    "SELECT COUNT(*) FROM items WHERE message_id = ?";
static const char sql_items_of[] =
    "SELECT COUNT(*) FROM items i JOIN tickets t ON t.id = i.ticket_id "
    "WHERE t.number = ? AND i.kind = 'email_in'";
static const char sql_ticket_facts[] =
    "SELECT CONCAT(t.type, '|', c.name, '|', COALESCE(o.name, '-'), '|', "
    "COALESCE(ct.name, '-')) FROM tickets t "
    "JOIN channels c ON c.id = t.channel_id "
    "LEFT JOIN organisations o ON o.id = t.organisation_id "
    "LEFT JOIN contacts ct ON ct.id = t.contact_id WHERE t.number = ?";
static const char sql_status_of[] =
    "SELECT s.code FROM tickets t JOIN statuses s ON s.id = t.status_id "
    "WHERE t.number = ?";
static const char sql_close[] =
    "UPDATE tickets SET status_id = (SELECT id FROM statuses "
    "WHERE code = 'closed') WHERE number = ?";
static const char sql_auto_of[] =
    "SELECT auto_submitted FROM items WHERE message_id = ?";
static const char sql_files_of[] =
    "SELECT COUNT(*) FROM item_attachments a JOIN items i "
    "ON i.id = a.item_id WHERE i.message_id = ?";
static const char sql_subject_count[] =
    "SELECT COUNT(*) FROM tickets WHERE subject = ?";

/* Hands a message to the mailgate for channel; returns its exit code. */
static int
gate(const char *channel, const char *raw)
{
	const char	*argv[] = { "--channel", channel, NULL };
	char		*out;
	int		 status;

	out = fx_run("ticketwerk-mailgate", raw, strlen(raw), argv, &status);
	free(out);
	return status;
}

START_TEST(test_new_mail_threads_and_dedupes)
{
	char		*marker = fx_marker("itest-mail");
	char		*from = fx_printf("%s@heyer-plan.example", marker);
	char		*id1 = fx_printf("%s.1@customer.example", marker);
	char		*id2 = fx_printf("%s.2@customer.example", marker);
	char		*id3 = fx_printf("%s.3@customer.example", marker);
	char		*m, *subject, *facts, *irt;
	long long	 number;

	/* A new mail opens an email ticket; the domain finds the
	 * organisation, and the unknown sender becomes its contact. */
	m = fx_message(from, marker, id1, "", "Der Drucker druckt nicht.");
	ck_assert_int_eq(gate("Support", m), EX_OK);
	number = fx_db_int(sql_ticket_of, 0, TW_ARGS(TW_S(id1)));
	ck_assert_int_gt(number, 0);
	facts = fx_printf("email|Support|Heyer Plan AG|Kunde");
	ck_assert_str_eq(fx_db_str(sql_ticket_facts, NULL,
	    TW_ARGS(TW_I(number))), facts);

	/* Delivered again: stored once. */
	ck_assert_int_eq(gate("Support", m), EX_OK);
	ck_assert_int_eq(fx_db_int(sql_items_with, -1, TW_ARGS(TW_S(id1))),
	    1);
	ck_assert_int_eq(fx_db_int(sql_subject_count, -1,
	    TW_ARGS(TW_S(marker))), 1);
	free(m);

	/* An answer with the number in the subject joins the ticket. */
	subject = fx_printf("Re: AW: %s [#%lld]", marker, number);
	m = fx_message(from, subject, id2, "", "Jetzt geht es wieder nicht.");
	ck_assert_int_eq(gate("Support", m), EX_OK);
	ck_assert_int_eq(fx_db_int(sql_ticket_of, 0, TW_ARGS(TW_S(id2))),
	    number);
	free(m);

	/* The ticket is closed; an answer by In-Reply-To alone reopens it. */
	fx_db_exec(sql_close, TW_ARGS(TW_I(number)));
	irt = fx_printf("In-Reply-To: <%s>\r\n", id1);
	m = fx_message(from, "Noch eine Frage", id3, irt, "Und noch etwas.");
	ck_assert_int_eq(gate("Support", m), EX_OK);
	ck_assert_int_eq(fx_db_int(sql_ticket_of, 0, TW_ARGS(TW_S(id3))),
	    number);
	ck_assert_int_eq(fx_db_int(sql_items_of, -1, TW_ARGS(TW_I(number))),
	    3);
	ck_assert_str_ne(fx_db_str(sql_status_of, NULL,
	    TW_ARGS(TW_I(number))), "closed");

	free(m);
	free(irt);
	free(subject);
	free(facts);
	free(id1);
	free(id2);
	free(id3);
	free(from);
	free(marker);
}
END_TEST

START_TEST(test_own_and_machine_mail)
{
	char	*marker = fx_marker("itest-mail");
	char	*id1 = fx_printf("%s.own@ticketwerk.example", marker);
	char	*id2 = fx_printf("%s.ooo@customer.example", marker);
	char	*m;

	/* Our own address: accepted, and no ticket comes of it. */
	m = fx_message("support@ticketwerk.example", marker, id1, "", "Loop?");
	ck_assert_int_eq(gate("Support", m), EX_OK);
	ck_assert_int_eq(fx_db_int(sql_items_with, -1, TW_ARGS(TW_S(id1))),
	    0);
	free(m);

	/* An out-of-office answer is stored, marked as a machine's. */
	m = fx_message("away@customer.example", marker, id2,
	    "Auto-Submitted: auto-replied\r\n", "Ich bin nicht im Haus.");
	ck_assert_int_eq(gate("Support", m), EX_OK);
	ck_assert_int_eq(fx_db_int(sql_auto_of, -1, TW_ARGS(TW_S(id2))), 1);
	free(m);

	free(id1);
	free(id2);
	free(marker);
}
END_TEST

START_TEST(test_attachments_and_exit_codes)
{
	char	*marker = fx_marker("itest-mail");
	char	*id = fx_printf("%s.att@customer.example", marker);
	char	*m;

	m = fx_printf("From: <c@customer.example>\r\nSubject: %s\r\n"
	    "Message-ID: <%s>\r\nMIME-Version: 1.0\r\nContent-Type: "
	    "multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: "
	    "text/plain\r\n\r\nSiehe Anhang.\r\n--b\r\nContent-Type: "
	    "text/csv; name=\"liste.csv\"\r\nContent-Disposition: attachment; "
	    "filename=\"liste.csv\"\r\nContent-Transfer-Encoding: base64\r\n"
	    "\r\nYSxiLGMKMSwyLDMK\r\n--b--\r\n", marker, id);
	ck_assert_int_eq(gate("Support", m), EX_OK);
	ck_assert_int_eq(fx_db_int(sql_files_of, -1, TW_ARGS(TW_S(id))), 1);

	/* What the MTA acts on: an unknown channel bounces, bad arguments
	 * are a usage error. */
	ck_assert_int_eq(gate("No such channel", m), EX_NOUSER);
	{
		const char	*argv[] = { "--mailbox", "x", NULL };
		int		 status;

		free(fx_run("ticketwerk-mailgate", "", 0, argv, &status));
		ck_assert_int_eq(status, EX_USAGE);
	}

	free(m);
	free(id);
	free(marker);
}
END_TEST

/* HTML mail shows on the ticket page sanitised: markup kept, script not. */
START_TEST(test_html_mail_shown_sanitised)
{
	char			*marker = fx_marker("itest-mail");
	char			*id, *m, *path;
	struct http_agent	*a;
	struct http_resp	*r;
	long long		 number;

	id = fx_printf("%s.html@customer.example", marker);
	m = fx_printf("From: <h@customer.example>\r\nSubject: %s\r\n"
	    "Message-ID: <%s>\r\nMIME-Version: 1.0\r\nContent-Type: "
	    "text/html; charset=utf-8\r\n\r\n<p>Bitte <b>dringend</b> "
	    "pr\xc3\xbc" "fen<script>alert(1)</script><img src=x "
	    "onerror=alert(2)></p>\r\n", marker, id);
	ck_assert_int_eq(gate("Support", m), EX_OK);
	number = fx_db_int(sql_ticket_of, 0, TW_ARGS(TW_S(id)));
	ck_assert_int_gt(number, 0);

	a = fx_signin("admin", fx_password());
	path = fx_printf("/tickets/%lld", number);
	r = http_get(a, path);
	ck_assert_int_eq(r->status, 200);
	ck_assert(http_body_has(r,
	    "<p>Bitte <b>dringend</b> pr\xc3\xbc" "fen"));
	ck_assert(!http_body_has(r, "<script>alert"));
	ck_assert(!http_body_has(r, "onerror"));
	http_resp_free(r);

	http_agent_free(a);
	free(path);
	free(m);
	free(id);
	free(marker);
}
END_TEST

/*
 * Every message of the shared corpus goes in through the mailgate, each
 * once (a Message-ID seen in an earlier run is a harmless duplicate).
 */
START_TEST(test_corpus_goes_in)
{
	const char	*shared = getenv("TW_SHARED_DATA");
	char		 dir[4096], path[4400], *raw;
	struct dirent	*e;
	DIR		*d;
	size_t		 len, n = 0;

	snprintf(dir, sizeof(dir), "%s/mail-corpus",
	    shared != NULL ? shared : "../shared/data");
	if ((d = opendir(dir)) == NULL) {
		printf("SKIP ingest corpus: %s not found\n", dir);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);

		if (l < 5 || (strcmp(e->d_name + l - 4, ".eml") != 0 &&
		    strcmp(e->d_name + l - 4, ".box") != 0))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		raw = tw_file_read(path, 64 * 1024 * 1024, &len);
		ck_assert_ptr_nonnull(raw);
		{
			const char	*argv[] = { "--channel", "Support",
			    NULL };
			int		 status;

			free(fx_run("ticketwerk-mailgate", raw, len, argv,
			    &status));
			ck_assert_msg(status == EX_OK, "%s: exit %d",
			    e->d_name, status);
		}
		free(raw);
		n++;
	}
	closedir(d);
	ck_assert_uint_ge(n, 20);
	printf("ingest corpus: %zu messages taken in\n", n);
}
END_TEST

Suite *
tw_ingest_suite(void)
{
	Suite	*s = suite_create("ingest");
	TCase	*tc = fx_tcase("ingest", 60);

	tcase_add_test(tc, test_new_mail_threads_and_dedupes);
	tcase_add_test(tc, test_own_and_machine_mail);
	tcase_add_test(tc, test_attachments_and_exit_codes);
	tcase_add_test(tc, test_html_mail_shown_sanitised);
	tcase_add_test(tc, test_corpus_goes_in);
	suite_add_tcase(s, tc);
	return s;
}
