/*
 * test_imap.c: mailboxes polled over IMAP, against the Dovecot server
 * ./ticketwerk test runs (TW_IMAP_URL, TW_IMAP_USER, TW_IMAP_PASSWORD,
 * TW_IMAP_CA): each test drops messages into a folder of its own with
 * IMAP APPEND, sets a mailbox up through the admin API and runs
 * ticketwerk-jobs --once --only imap, also killed at its fault points.
 *
 * Every test makes its own mailbox the only one due before a run, so
 * the runner's work (and a fault point) concerns that mailbox alone.
 * One test holds a whole conversation: mail in over IMAP, the agent's
 * reply out over SMTP (the test run's sink), the answer back in.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <unistd.h>

#include <check.h>
#include <curl/curl.h>
#include <json-c/json.h>

#include "db.h"
#include "arena.h"
#include "http.h"
#include "mail.h"
#include "sink.h"
#include "suites.h"

#define KILLED	128	/* fx_run's status for a runner a signal ended */

static const char sql_items_with[] =
    "SELECT COUNT(*) FROM items WHERE message_id = ?";
static const char sql_items_saying[] =
    "SELECT COUNT(*) FROM items WHERE kind = 'email_in' AND body LIKE ?";
static const char sql_ticket_facts[] =
    "SELECT CONCAT(t.type, '|', c.name, '|', COALESCE(o.name, '-')) "
    "FROM items i JOIN tickets t ON t.id = i.ticket_id "
    "JOIN channels c ON c.id = t.channel_id "
    "LEFT JOIN organisations o ON o.id = t.organisation_id "
    "WHERE i.message_id = ?";
static const char sql_only_due[] =
    "UPDATE mailboxes SET next_poll_at = IF(id = ?, UTC_TIMESTAMP(6), "
    "UTC_TIMESTAMP(6) + INTERVAL 1 DAY)";
static const char sql_lease_ran_out[] =
    "UPDATE mailboxes SET lease_until = UTC_TIMESTAMP(6) - INTERVAL 1 "
    "SECOND WHERE id = ?";
static const char sql_lease_held[] =
    "UPDATE mailboxes SET lease_owner = 'another runner', lease_until = "
    "UTC_TIMESTAMP(6) + INTERVAL 1 HOUR WHERE id = ?";
static const char sql_last_uid[] =
    "SELECT last_uid FROM mailboxes WHERE id = ?";
static const char sql_uidvalidity[] =
    "SELECT uidvalidity FROM mailboxes WHERE id = ?";
static const char sql_counts[] =
    "SELECT CONCAT(taken, '|', dropped, '|', refused) FROM mailboxes "
    "WHERE id = ?";
static const char sql_error[] =
    "SELECT COALESCE(last_error, '-') FROM mailboxes WHERE id = ?";
static const char sql_polled[] =
    "SELECT last_poll_at IS NOT NULL FROM mailboxes WHERE id = ?";
static const char sql_sealed_hex[] =
    "SELECT HEX(password_sealed) FROM mailboxes WHERE id = ?";
static const char sql_sealed_len[] =
    "SELECT LENGTH(password_sealed) FROM mailboxes WHERE id = ?";
/* Makes the database refuse every item whose text holds a marker. */
static const char sql_poison[] =
    "CREATE TRIGGER tw_test_poison BEFORE INSERT ON items FOR EACH ROW "
    "IF NEW.body LIKE '%poison-5f3a91%' THEN SIGNAL SQLSTATE '45000' "
    "SET MESSAGE_TEXT = 'refused by the test'; END IF";
static const char sql_poison_off[] =
    "DROP TRIGGER IF EXISTS tw_test_poison";
static const char sql_sealed_has[] =
    "SELECT LOCATE(?, password_sealed) FROM mailboxes WHERE id = ?";

/* The test IMAP server's settings; the test is skipped without them. */
static int
imap_ready(void)
{
	const char	*names[] = { "TW_IMAP_URL", "TW_IMAP_USER",
	    "TW_IMAP_PASSWORD", "TW_IMAP_CA", NULL };
	size_t		 i;

	for (i = 0; names[i] != NULL; i++)
		if (getenv(names[i]) == NULL || *getenv(names[i]) == '\0') {
			printf("SKIP imap: %s is not set (no test IMAP "
			    "server)\n", names[i]);
			return 0;
		}
	return 1;
}

/* Collects what libcurl writes. */
static size_t
collect(char *p, size_t size, size_t n, void *ctx)
{
	char	**out = ctx;
	size_t	  old = *out != NULL ? strlen(*out) : 0;

	*out = realloc(*out, old + size * n + 1);
	ck_assert_ptr_nonnull(*out);
	memcpy(*out + old, p, size * n);
	(*out)[old + size * n] = '\0';
	return size * n;
}

/* A handle for the test server, at folder (NULL: no folder). */
static CURL *
imap_handle(const char *folder, char **out)
{
	CURL	*c = curl_easy_init();
	char	*url = fx_printf("%s/%s", getenv("TW_IMAP_URL"),
	    folder != NULL ? folder : "");

	ck_assert_ptr_nonnull(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_USERNAME, getenv("TW_IMAP_USER"));
	curl_easy_setopt(c, CURLOPT_PASSWORD, getenv("TW_IMAP_PASSWORD"));
	curl_easy_setopt(c, CURLOPT_CAINFO, getenv("TW_IMAP_CA"));
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	free(url);
	return c;
}

/*
 * Runs an IMAP command on folder (NULL: none selected); returns the
 * untagged lines of the answer (to free).
 */
static char *
imap_do(const char *folder, const char *command)
{
	char		*out = NULL;
	CURL		*c = imap_handle(folder, &out);
	CURLcode	 rc;

	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, command);
	rc = curl_easy_perform(c);
	ck_assert_msg(rc == CURLE_OK, "IMAP %s: %s", command,
	    curl_easy_strerror(rc));
	curl_easy_cleanup(c);
	return out != NULL ? out : strdup("");
}

struct upload {
	const char	*p;
	size_t		 left;
};

static size_t
upload(char *dst, size_t size, size_t n, void *ctx)
{
	struct upload	*u = ctx;
	size_t		 take = size * n < u->left ? size * n : u->left;

	memcpy(dst, u->p, take);
	u->p += take;
	u->left -= take;
	return take;
}

/*
 * Drops the n messages of raw into folder with APPEND, over one
 * connection.  libcurl appends with \Seen set, so every message of the
 * folder is made unseen again afterwards.
 */
static void
drop_all(const char *folder, char *const *raw, size_t n)
{
	struct upload	 u;
	char		*out = NULL;
	CURL		*c = imap_handle(folder, &out);
	CURLcode	 rc;
	size_t		 i;

	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, upload);
	curl_easy_setopt(c, CURLOPT_READDATA, &u);
	for (i = 0; i < n; i++) {
		u.p = raw[i];
		u.left = strlen(raw[i]);
		curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE,
		    (curl_off_t)u.left);
		rc = curl_easy_perform(c);
		ck_assert_msg(rc == CURLE_OK, "APPEND to %s: %s", folder,
		    curl_easy_strerror(rc));
	}
	curl_easy_cleanup(c);
	free(out);
	free(imap_do(folder, "UID STORE 1:* -FLAGS.SILENT (\\Seen)"));
}

static void
drop(const char *folder, const char *raw)
{
	char	*one = (char *)raw;

	drop_all(folder, &one, 1);
}

/* Whether message uid of folder is \Seen; -1 when there is none. */
static int
seen(const char *folder, unsigned uid)
{
	char	*cmd = fx_printf("UID FETCH %u (FLAGS)", uid);
	char	*out = imap_do(folder, cmd), *line, *want;
	int	 result = -1;

	want = fx_printf("(UID %u FLAGS (", uid);
	for (line = strtok(out, "\r\n"); line != NULL;
	    line = strtok(NULL, "\r\n"))
		if (strstr(line, want) != NULL)
			result = strstr(line, "\\Seen") != NULL;
	free(want);
	free(out);
	free(cmd);
	return result;
}

static void
folder_new(const char *folder)
{
	char	*cmd = fx_printf("CREATE %s", folder);

	free(imap_do(NULL, cmd));
	free(cmd);
}

static void
folder_delete(const char *folder)
{
	char	*cmd = fx_printf("DELETE %s", folder);

	free(imap_do(NULL, cmd));
	free(cmd);
}

/* The JSON body of a mailbox form. */
static char *
mailbox_json(const char *name, const char *folder, const char *password,
    long long channel, const char *unknown)
{
	struct json_object	*o = json_object_new_object();
	char			*url, *body;

	url = fx_printf("%s/%s", getenv("TW_IMAP_URL"), folder);
	json_object_object_add(o, "name", json_object_new_string(name));
	json_object_object_add(o, "url", json_object_new_string(url));
	json_object_object_add(o, "username",
	    json_object_new_string(getenv("TW_IMAP_USER")));
	json_object_object_add(o, "password",
	    json_object_new_string(password));
	json_object_object_add(o, "channel", json_object_new_int64(channel));
	json_object_object_add(o, "poll_seconds", json_object_new_int(300));
	json_object_object_add(o, "unknown_senders",
	    json_object_new_string(unknown));
	json_object_object_add(o, "enabled", json_object_new_boolean(1));
	body = strdup(json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	free(url);
	return body;
}

/* Adds a mailbox for folder through the admin API; returns its id. */
static long long
mailbox_add(const char *token, const char *folder, const char *password,
    const char *channel, const char *unknown)
{
	struct http_resp	*r;
	struct json_object	*res;
	char			*body;
	long long		 id;

	body = mailbox_json(folder, folder, password, fx_channel(channel),
	    unknown);
	r = fx_api(token, "POST", "/admin/mailboxes/", body);
	ck_assert_msg(r->status == 201, "POST /admin/mailboxes/: %ld %s",
	    r->status, r->body);
	res = http_json(r);
	id = http_json_int(res, "mailbox.id", 0);
	ck_assert_msg(id > 0, "no mailbox.id in %s", r->body);
	json_object_put(res);
	http_resp_free(r);
	free(body);
	return id;
}

/*
 * Runs ticketwerk-jobs --once --only imap, killed at fault when that is
 * not NULL.  Returns its exit status.  Touches no database connection,
 * so a forked test process may call it.
 */
static int
run_imap(const char *fault)
{
	const char *const	 argv[] = { "--once", "--only", "imap", NULL };
	int			 status;

	if (fault != NULL)
		setenv("TW_JOBS_FAULT", fault, 1);
	free(fx_run("ticketwerk-jobs", NULL, 0, argv, &status));
	unsetenv("TW_JOBS_FAULT");
	return status;
}

/* run_imap() with mailbox id alone due. */
static int
poll_once(long long id, const char *fault)
{
	fx_db_exec(sql_only_due, TW_ARGS(TW_I(id)));
	return run_imap(fault);
}

static long long
items_with(const char *message_id)
{
	return fx_db_int(sql_items_with, -1, TW_ARGS(TW_S(message_id)));
}

static long long
mailbox_int(const char *sql, long long id)
{
	return fx_db_int(sql, -1, TW_ARGS(TW_I(id)));
}

static void
counts_are(long long id, const char *want)
{
	ck_assert_str_eq(fx_db_str(sql_counts, NULL, TW_ARGS(TW_I(id))),
	    want);
}

/* Everything one test sets up: a folder, a token, a sender. */
struct fixture {
	char	*folder;
	char	*token;
	char	*from;
};

static void
setup(struct fixture *f, const char *tag)
{
	f->folder = fx_marker(tag);
	f->token = fx_token("admin");
	f->from = fx_printf("%s@heyer-plan.example", f->folder);
	folder_new(f->folder);
}

static void
teardown(struct fixture *f, long long mailbox)
{
	struct http_resp	*r;
	char			*path;

	if (mailbox > 0) {
		path = fx_printf("/admin/mailboxes/%lld/delete", mailbox);
		r = fx_api(f->token, "POST", path, NULL);
		ck_assert_int_eq(r->status, 204);
		http_resp_free(r);
		free(path);
	}
	folder_delete(f->folder);
	free(f->folder);
	free(f->token);
	free(f->from);
}

/* A message id unique to the test. */
static char *
msgid(const struct fixture *f, const char *which)
{
	return fx_printf("%s.%s@customer.example", f->folder, which);
}

/* A mailbox of the test's folder, feeding Support. */
static long long
box_for(const struct fixture *f, const char *password, const char *unknown)
{
	return mailbox_add(f->token, f->folder, password, "Support", unknown);
}

/*
 * Sets the test up with one message (Message-ID *id, to free) in its
 * folder and a mailbox for it; returns the mailbox.
 */
static long long
one_message(struct fixture *f, const char *tag, const char *password,
    const char *unknown, char **id)
{
	char	*m;

	setup(f, tag);
	*id = msgid(f, "1");
	m = fx_message(f->from, tag, *id, "", "Eine Nachricht.");
	drop(f->folder, m);
	free(m);
	return box_for(f, password, unknown);
}

/*
 * A conversation through the real servers: the customer's mail comes in
 * over IMAP, the agent's reply goes out over SMTP threaded to it, and
 * the customer's answer to that reply (which names the reply only in
 * In-Reply-To, the subject without the number) comes back in over IMAP
 * to the same ticket.
 */
START_TEST(test_conversation_round_trip)
{
	struct fixture	 f;
	struct tw_arena	*ar;
	struct tw_mail	 sent;
	struct fx_got	 g;
	struct http_resp *r;
	char		*id1, *id3, *reply, *path, *m, *irt, *tag;
	long long	 box, number;

	if (!imap_ready() || !fx_have_sink("imap conversation"))
		return;
	box = one_message(&f, "imap-talk", getenv("TW_IMAP_PASSWORD"), "domain",
	    &id1);
	ck_assert_int_eq(poll_once(box, NULL), EX_OK);
	number = fx_db_int("SELECT t.number FROM items i JOIN tickets t "
	    "ON t.id = i.ticket_id WHERE i.message_id = ?", 0,
	    TW_ARGS(TW_S(id1)));
	ck_assert_int_gt(number, 0);

	/* The agent answers by mail from the ticket. */
	path = fx_printf("/tickets/%lld/items", number);
	r = fx_api(f.token, "POST", path, "{\"kind\": \"email_out\", "
	    "\"body\": \"Bitte starten Sie den Drucker neu.\"}");
	ck_assert_msg(r->status == 201, "reply: %ld %s", r->status, r->body);
	http_resp_free(r);
	reply = strdup(fx_db_str("SELECT message_id FROM items i JOIN tickets "
	    "t ON t.id = i.ticket_id WHERE t.number = ? AND i.kind = "
	    "'email_out'", NULL, TW_ARGS(TW_I(number))));
	ar = tw_arena_new();
	g = fx_sent_once(reply, ar, &sent);
	ck_assert_str_eq(sent.from_addr, "support@ticketwerk.example");
	ck_assert_str_eq(sent.in_reply_to, id1);
	tag = fx_printf("[#%lld]", number);
	ck_assert_msg(strstr(sent.subject, tag) != NULL, "subject %s",
	    sent.subject);
	fx_got_free(&g);

	/* The customer answers the reply; only In-Reply-To leads back. */
	id3 = msgid(&f, "3");
	irt = fx_printf("In-Reply-To: <%s>\r\n", reply);
	m = fx_message(f.from, "Drucker", id3, irt, "Neustart hat geholfen.");
	drop(f.folder, m);
	ck_assert_int_eq(poll_once(box, NULL), EX_OK);
	ck_assert_int_eq(fx_db_int("SELECT t.number FROM items i JOIN tickets "
	    "t ON t.id = i.ticket_id WHERE i.message_id = ?", 0,
	    TW_ARGS(TW_S(id3))), number);

	tw_arena_free(ar);
	free(m);
	free(irt);
	free(id3);
	free(tag);
	free(reply);
	free(path);
	free(id1);
	teardown(&f, box);
}
END_TEST

START_TEST(test_mail_becomes_ticket_once)
{
	struct fixture	 f;
	char		*id1, *id2, *m, *facts;
	long long	 box;

	if (!imap_ready())
		return;
	setup(&f, "imap-new");
	id1 = msgid(&f, "1");
	id2 = msgid(&f, "2");
	m = fx_message(f.from, "Drucker", id1, "", "Der Drucker druckt nicht.");
	drop(f.folder, m);
	free(m);
	m = fx_message(f.from, "Scanner", id2, "", "Der Scanner auch nicht.");
	drop(f.folder, m);
	free(m);
	ck_assert_int_eq(seen(f.folder, 1), 0);
	box = mailbox_add(f.token, f.folder, getenv("TW_IMAP_PASSWORD"),
	    "Sales", "domain");

	/* Both become tickets in the mailbox's channel, then are \Seen. */
	ck_assert_int_eq(poll_once(box, NULL), EX_OK);
	ck_assert_int_eq(items_with(id1), 1);
	ck_assert_int_eq(items_with(id2), 1);
	facts = fx_printf("email|Sales|Heyer Plan AG");
	ck_assert_str_eq(fx_db_str(sql_ticket_facts, NULL,
	    TW_ARGS(TW_S(id1))), facts);
	ck_assert_int_eq(seen(f.folder, 1), 1);
	ck_assert_int_eq(seen(f.folder, 2), 1);
	ck_assert_int_eq(mailbox_int(sql_last_uid, box), 2);
	counts_are(box, "2|0|0");
	ck_assert_str_eq(fx_db_str(sql_error, NULL, TW_ARGS(TW_I(box))), "-");
	ck_assert_int_eq(mailbox_int(sql_polled, box), 1);

	/* The next poll finds nothing new and takes nothing again. */
	ck_assert_int_eq(poll_once(box, NULL), EX_OK);
	ck_assert_int_eq(items_with(id1), 1);
	ck_assert_int_eq(items_with(id2), 1);
	counts_are(box, "2|0|0");

	free(facts);
	free(id1);
	free(id2);
	teardown(&f, box);
}
END_TEST

START_TEST(test_unknown_senders_unassigned)
{
	struct fixture	 f;
	char		*id;
	long long	 box;

	if (!imap_ready())
		return;
	box = one_message(&f, "imap-unassigned", getenv("TW_IMAP_PASSWORD"),
	    "unassigned", &id);

	/* The sender's domain is Heyer Plan's, but the mailbox says none. */
	ck_assert_int_eq(poll_once(box, NULL), EX_OK);
	ck_assert_str_eq(fx_db_str(sql_ticket_facts, NULL,
	    TW_ARGS(TW_S(id))), "email|Support|-");
	free(id);
	teardown(&f, box);
}
END_TEST

/* Killed at fault, then run again: the message is in exactly once. */
static void
crash_then_poll(const char *tag, const char *fault, long long items_after,
    const char *counts)
{
	struct fixture	 f;
	char		*id;
	long long	 box;

	box = one_message(&f, tag, getenv("TW_IMAP_PASSWORD"), "domain",
	    &id);

	ck_assert_int_eq(poll_once(box, fault), KILLED);
	ck_assert_int_eq(items_with(id), items_after);
	ck_assert_int_eq(seen(f.folder, 1), 0);
	ck_assert_int_eq(mailbox_int(sql_last_uid, box), 0);

	/* The dead runner's lease holds the mailbox until it runs out. */
	ck_assert_int_eq(poll_once(box, NULL), EX_OK);
	ck_assert_int_eq(items_with(id), items_after);
	ck_assert_int_eq(seen(f.folder, 1), 0);

	fx_db_exec(sql_lease_ran_out, TW_ARGS(TW_I(box)));
	ck_assert_int_eq(poll_once(box, NULL), EX_OK);
	ck_assert_int_eq(items_with(id), 1);
	ck_assert_int_eq(seen(f.folder, 1), 1);
	ck_assert_int_eq(mailbox_int(sql_last_uid, box), 1);
	counts_are(box, counts);

	free(id);
	teardown(&f, box);
}

START_TEST(test_killed_between_fetch_and_commit)
{
	if (imap_ready())
		crash_then_poll("imap-fetch", "after_fetch", 0, "1|0|0");
}
END_TEST

START_TEST(test_killed_between_commit_and_mark)
{
	/* Committed before the kill: the second run meets a known one. */
	if (imap_ready())
		crash_then_poll("imap-commit", "after_commit", 1, "0|1|0");
}
END_TEST

START_TEST(test_no_message_id_taken_once)
{
	struct fixture	 f;
	char		*m, *like;
	long long	 box;

	if (!imap_ready())
		return;
	setup(&f, "imap-noid");
	m = fx_printf("From: <%s>\r\nSubject: ohne ID\r\n\r\n%s\r\n", f.from,
	    f.folder);
	like = fx_printf("%s%%", f.folder);
	drop(f.folder, m);
	box = box_for(&f, getenv("TW_IMAP_PASSWORD"), "domain");

	/* Committed, then killed: fetched again, it is known by its bytes. */
	ck_assert_int_eq(poll_once(box, "after_commit"), KILLED);
	ck_assert_int_eq(fx_db_int(sql_items_saying, -1, TW_ARGS(TW_S(like))),
	    1);
	fx_db_exec(sql_lease_ran_out, TW_ARGS(TW_I(box)));
	ck_assert_int_eq(poll_once(box, NULL), EX_OK);
	ck_assert_int_eq(fx_db_int(sql_items_saying, -1, TW_ARGS(TW_S(like))),
	    1);
	counts_are(box, "0|1|0");
	free(like);
	free(m);
	teardown(&f, box);
}
END_TEST

START_TEST(test_long_headers_taken_in)
{
	struct fixture	 f;
	char		*m, *name, *id, *like;
	long long	 box;

	if (!imap_ready())
		return;
	setup(&f, "imap-long");
	name = calloc(1, 301);
	memset(name, 'n', 300);
	id = calloc(1, 301);
	memset(id, 'i', 300);
	memcpy(id, f.folder, strlen(f.folder));
	m = fx_printf("From: %s <%s>\r\nSubject: lang\r\nMessage-ID: "
	    "<%s@x.example>\r\n\r\n%s\r\n", name, f.from, id, f.folder);
	like = fx_printf("%s%%", f.folder);
	drop(f.folder, m);
	drop(f.folder, m);
	box = box_for(&f, getenv("TW_IMAP_PASSWORD"), "domain");

	/* Longer than their columns, yet in, once: the second copy is
	 * known by the Message-ID made from the long one. */
	ck_assert_int_eq(poll_once(box, NULL), EX_OK);
	ck_assert_int_eq(fx_db_int(sql_items_saying, -1, TW_ARGS(TW_S(like))),
	    1);
	counts_are(box, "1|1|0");
	ck_assert_int_eq(seen(f.folder, 2), 1);
	free(like);
	free(m);
	free(id);
	free(name);
	teardown(&f, box);
}
END_TEST

START_TEST(test_refused_by_database_passed_over)
{
	struct fixture	 f;
	char		*bad, *good, *id;
	long long	 box;
	int		 i;

	if (!imap_ready())
		return;
	setup(&f, "imap-poison");
	id = msgid(&f, "good");
	bad = fx_message(f.from, "Gift", f.folder, "",
	    "poison-5f3a91: the database refuses this one.");
	good = fx_message(f.from, "Gut", id, "", "This one comes after it.");
	drop(f.folder, bad);
	drop(f.folder, good);
	box = box_for(&f, getenv("TW_IMAP_PASSWORD"), "domain");
	fx_db_exec(sql_poison, TW_NOARGS);

	/* Refused twice: the error shows, the mail behind it waits ... */
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(poll_once(box, NULL), EX_OK);
		ck_assert_str_eq(fx_db_str(sql_error, NULL,
		    TW_ARGS(TW_I(box))), "store");
		ck_assert_int_eq(items_with(id), 0);
		ck_assert_int_eq(mailbox_int(sql_last_uid, box), 0);
	}

	/* ... and the third time it is passed over, left unmarked. */
	ck_assert_int_eq(poll_once(box, NULL), EX_OK);
	fx_db_exec(sql_poison_off, TW_NOARGS);
	ck_assert_int_eq(items_with(id), 1);
	ck_assert_int_eq(seen(f.folder, 1), 0);
	ck_assert_int_eq(seen(f.folder, 2), 1);
	counts_are(box, "1|0|1");
	ck_assert_str_eq(fx_db_str(sql_error, NULL, TW_ARGS(TW_I(box))), "-");
	free(good);
	free(bad);
	free(id);
	teardown(&f, box);
}
END_TEST

START_TEST(test_runners_side_by_side)
{
	enum { N = 120 };
	struct fixture	 f;
	char		*raw[N], *ids[N];
	long long	 box;
	pid_t		 other;
	int		 i, st;

	if (!imap_ready())
		return;
	setup(&f, "imap-race");
	for (i = 0; i < N; i++) {
		ids[i] = fx_printf("%s.%d@customer.example", f.folder, i);
		raw[i] = fx_message(f.from, "Ansturm", ids[i], "", "Viele.");
	}
	drop_all(f.folder, raw, N);
	box = box_for(&f, getenv("TW_IMAP_PASSWORD"), "domain");

	/* Two runners at once, each taking turns of 50 until none is due:
	 * between them every message comes in once.  (The forked process
	 * must not use the fixture's database connection, which is the
	 * parent's too.) */
	fx_db_exec(sql_only_due, TW_ARGS(TW_I(box)));
	if ((other = fork()) == 0)
		_exit(run_imap(NULL) == EX_OK ? 0 : 1);
	ck_assert_int_eq(run_imap(NULL), EX_OK);
	ck_assert(waitpid(other, &st, 0) == other);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);

	for (i = 0; i < N; i++)
		ck_assert_msg(items_with(ids[i]) == 1, "message %d: %lld "
		    "items", i, items_with(ids[i]));
	counts_are(box, "120|0|0");
	ck_assert_int_eq(mailbox_int(sql_last_uid, box), N);
	for (i = 0; i < N; i++) {
		free(raw[i]);
		free(ids[i]);
	}
	teardown(&f, box);
}
END_TEST

START_TEST(test_lease_keeps_runners_apart)
{
	struct fixture	 f;
	char		*id;
	long long	 box;

	if (!imap_ready())
		return;
	box = one_message(&f, "imap-lease", getenv("TW_IMAP_PASSWORD"),
	    "domain", &id);

	/* Another runner holds it: this one leaves it alone ... */
	fx_db_exec(sql_lease_held, TW_ARGS(TW_I(box)));
	ck_assert_int_eq(poll_once(box, NULL), EX_OK);
	ck_assert_int_eq(items_with(id), 0);

	/* ... until that runner's time is up. */
	fx_db_exec(sql_lease_ran_out, TW_ARGS(TW_I(box)));
	ck_assert_int_eq(poll_once(box, NULL), EX_OK);
	ck_assert_int_eq(items_with(id), 1);
	free(id);
	teardown(&f, box);
}
END_TEST

START_TEST(test_uidvalidity_change_doubles_nothing)
{
	struct fixture	 f;
	char		*a, *b, *ma, *mb;
	long long	 box, first;

	if (!imap_ready())
		return;
	setup(&f, "imap-uidvalidity");
	a = msgid(&f, "a");
	b = msgid(&f, "b");
	ma = fx_message(f.from, "Erste", a, "", "Die erste Mail.");
	mb = fx_message(f.from, "Zweite", b, "", "Die zweite Mail.");
	drop(f.folder, ma);
	box = box_for(&f, getenv("TW_IMAP_PASSWORD"), "domain");
	ck_assert_int_eq(poll_once(box, NULL), EX_OK);
	ck_assert_int_eq(items_with(a), 1);
	first = mailbox_int(sql_uidvalidity, box);
	ck_assert_int_gt(first, 0);

	/*
	 * The folder is made anew: b gets UID 1, a (again) UID 2.  A poller
	 * that kept its last UID (1) would pass b over; one that forgot
	 * the Message-IDs would take a twice.
	 */
	folder_delete(f.folder);
	folder_new(f.folder);
	drop(f.folder, mb);
	drop(f.folder, ma);
	ck_assert_int_eq(poll_once(box, NULL), EX_OK);
	ck_assert_int_ne(mailbox_int(sql_uidvalidity, box), first);
	ck_assert_int_eq(items_with(a), 1);
	ck_assert_int_eq(items_with(b), 1);
	ck_assert_int_eq(mailbox_int(sql_last_uid, box), 2);
	ck_assert_int_eq(seen(f.folder, 1), 1);
	ck_assert_int_eq(seen(f.folder, 2), 1);
	counts_are(box, "2|1|0");

	free(ma);
	free(mb);
	free(a);
	free(b);
	teardown(&f, box);
}
END_TEST

START_TEST(test_unusable_messages_do_not_block)
{
	struct fixture	 f;
	char		*big, *big_id, *id, *m, *body;
	long long	 box;

	if (!imap_ready())
		return;
	setup(&f, "imap-refuse");
	body = calloc(1, 8001);
	memset(body, 'x', 8000);
	big_id = msgid(&f, "big");
	big = fx_message(f.from, "Zu gross", big_id, "", body);
	id = msgid(&f, "ok");
	m = fx_message(f.from, "Passt", id, "", "Diese passt.");
	drop(f.folder, big);
	drop(f.folder, "\r\n\r\n");	/* no message at all */
	drop(f.folder, m);
	box = box_for(&f, getenv("TW_IMAP_PASSWORD"), "domain");

	/* Over [mail] message_max, and nothing: both passed over. */
	setenv("TW_MAIL_MESSAGE_MAX", "4096", 1);
	ck_assert_int_eq(poll_once(box, NULL), EX_OK);
	unsetenv("TW_MAIL_MESSAGE_MAX");
	ck_assert_int_eq(items_with(big_id), 0);
	ck_assert_int_eq(items_with(id), 1);
	ck_assert_int_eq(seen(f.folder, 1), 0);
	ck_assert_int_eq(seen(f.folder, 2), 0);
	ck_assert_int_eq(seen(f.folder, 3), 1);
	ck_assert_int_eq(mailbox_int(sql_last_uid, box), 3);
	counts_are(box, "1|0|2");

	free(body);
	free(big);
	free(big_id);
	free(m);
	free(id);
	teardown(&f, box);
}
END_TEST

/* The admin page of mailbox id, as HTML. */
static struct http_resp *
admin_page(struct http_agent *admin, long long id)
{
	char			*path = fx_printf("/admin/mailboxes/%lld", id);
	struct http_resp	*r = http_get(admin, path);

	ck_assert_int_eq(r->status, 200);
	free(path);
	return r;
}

START_TEST(test_wrong_password_then_fixed)
{
	struct fixture		 f;
	struct http_agent	*admin;
	struct http_resp	*r;
	char			*id, *body, *path, *hex1;
	long long		 box;

	if (!imap_ready())
		return;
	box = one_message(&f, "imap-login", "not-the-password", "domain",
	    &id);
	admin = fx_signin("admin", fx_password());

	/* Refused: the error is on the mailbox and its page, nothing lost. */
	ck_assert_int_eq(poll_once(box, NULL), EX_OK);
	ck_assert_str_eq(fx_db_str(sql_error, NULL, TW_ARGS(TW_I(box))),
	    "login");
	ck_assert_int_eq(items_with(id), 0);
	ck_assert_int_eq(seen(f.folder, 1), 0);
	r = admin_page(admin, box);
	ck_assert(http_body_has(r, "The server refused the user name or "
	    "password."));
	ck_assert(!http_body_has(r, "not-the-password"));
	http_resp_free(r);

	/* A change without a password keeps the stored one. */
	hex1 = strdup(fx_db_str(sql_sealed_hex, NULL, TW_ARGS(TW_I(box))));
	path = fx_printf("/admin/mailboxes/%lld", box);
	body = mailbox_json(f.folder, f.folder, "", fx_channel("Support"),
	    "domain");
	r = fx_api(f.token, "POST", path, body);
	ck_assert_msg(r->status == 200, "%ld %s", r->status, r->body);
	ck_assert(!http_body_has(r, "not-the-password"));
	http_resp_free(r);
	free(body);
	ck_assert_str_eq(fx_db_str(sql_sealed_hex, NULL, TW_ARGS(TW_I(box))),
	    hex1);

	/* The right password: the message comes in, the error goes. */
	body = mailbox_json(f.folder, f.folder, getenv("TW_IMAP_PASSWORD"),
	    fx_channel("Support"), "domain");
	r = fx_api(f.token, "POST", path, body);
	ck_assert_int_eq(r->status, 200);
	http_resp_free(r);
	ck_assert_str_ne(fx_db_str(sql_sealed_hex, NULL, TW_ARGS(TW_I(box))),
	    hex1);
	ck_assert_int_eq(poll_once(box, NULL), EX_OK);
	ck_assert_int_eq(items_with(id), 1);
	ck_assert_str_eq(fx_db_str(sql_error, NULL, TW_ARGS(TW_I(box))), "-");
	ck_assert_int_eq(seen(f.folder, 1), 1);
	r = admin_page(admin, box);
	ck_assert(!http_body_has(r, "The server refused"));
	http_resp_free(r);

	free(hex1);
	free(body);
	free(path);
	free(id);
	http_agent_free(admin);
	teardown(&f, box);
}
END_TEST

START_TEST(test_password_sealed_at_rest)
{
	struct fixture		 f;
	struct http_resp	*r;
	const char		*pw = getenv("TW_IMAP_PASSWORD");
	char			*path;
	long long		 box;

	if (!imap_ready())
		return;
	setup(&f, "imap-sealed");
	box = box_for(&f, pw, "domain");

	/* Version, nonce, ciphertext, tag; the plaintext nowhere in it. */
	ck_assert_int_eq(mailbox_int(sql_sealed_len, box),
	    (long long)strlen(pw) + 1 + 12 + 16);
	ck_assert_int_eq(fx_db_int(sql_sealed_has, -1, TW_ARGS(TW_S(pw),
	    TW_I(box))), 0);

	/* Written, never shown. */
	path = fx_printf("/admin/mailboxes/%lld", box);
	r = fx_api(f.token, "GET", path, NULL);
	ck_assert_int_eq(r->status, 200);
	ck_assert(!http_body_has(r, pw));
	ck_assert(http_body_has(r, "\"has_password\":true"));
	http_resp_free(r);
	r = fx_api(f.token, "GET", "/admin/mailboxes/", NULL);
	ck_assert_int_eq(r->status, 200);
	ck_assert(!http_body_has(r, pw));
	http_resp_free(r);

	free(path);
	teardown(&f, box);
}
END_TEST

/* POSTs a JSON mailbox and asserts a 422 about field, with message. */
static void
refused_json(const char *token, const char *body, const char *field,
    const char *message)
{
	struct http_resp	*r = fx_api(token, "POST", "/admin/mailboxes/",
	    body);
	struct json_object	*o = http_json(r);

	ck_assert_msg(r->status == 422, "%s: %ld %s", body, r->status,
	    r->body);
	ck_assert_str_eq(http_json_str(o, "error.field"), field);
	ck_assert_msg(strcmp(http_json_str(o, "error.message"), message) == 0,
	    "%s: %s", body, http_json_str(o, "error.message"));
	json_object_put(o);
	http_resp_free(r);
}

/* A mailbox form's JSON with field replaced by value (a JSON text). */
static char *
with_field(const char *field, const char *value)
{
	struct json_object	*o;
	char			*base, *out;

	base = mailbox_json("imap-bad", "INBOX", "x", fx_channel("Support"),
	    "domain");
	o = json_tokener_parse(base);
	json_object_object_add(o, field, json_tokener_parse(value));
	out = strdup(json_object_to_json_string(o));
	json_object_put(o);
	free(base);
	return out;
}

START_TEST(test_admin_pages_refuse)
{
	static const struct {
		const char	*field, *value, *message;
	} bad[] = {
		{ "url", "\"https://mail.example.com/\"",
		    "The URL must start with imaps:// or imap://." },
		{ "url", "\"imaps://user@mail.example.com/\"",
		    "The URL must name a server by its host name or address, "
		    "without a user name." },
		{ "url", "\"imaps://mail.example.com:99999/\"",
		    "The port must be a number from 1 to 65535." },
		{ "url", "\"imaps://mail.example.com/INBOX;UID=1\"",
		    "The folder may hold only printable ASCII characters "
		    "(write spaces as %20), no * or %, and at most 200 of "
		    "them." },
		{ "poll_seconds", "5", "Poll every must be between 30 "
		    "seconds and one day (86400 seconds)." },
		{ "poll_seconds", "86401", "Poll every must be between 30 "
		    "seconds and one day (86400 seconds)." },
		{ "channel", "999999999", "There is no such channel." },
		{ "password", "\"\"", "Password is required." },
		{ "unknown_senders", "\"everybody\"", "Unknown senders go to "
		    "their domain's organisation or to none." },
	};
	struct http_agent	*agent, *admin;
	struct http_resp	*r;
	char			*token = fx_token("admin"), *body, *csrf;
	char			*form;
	size_t			 i;

	if (!imap_ready())
		return;

	/* Agents who are not administrators see nothing of it. */
	agent = fx_signin("ksturm", fx_password());
	r = http_get(agent, "/admin/mailboxes/");
	ck_assert_int_eq(r->status, 403);
	http_resp_free(r);
	r = http_get_json(agent, "/admin/mailboxes/");
	ck_assert_int_eq(r->status, 403);
	http_resp_free(r);
	body = fx_token("ksturm");
	r = fx_api(body, "POST", "/admin/mailboxes/", "{}");
	ck_assert_int_eq(r->status, 403);
	http_resp_free(r);
	free(body);
	http_agent_free(agent);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		body = with_field(bad[i].field, bad[i].value);
		refused_json(token, body, bad[i].field, bad[i].message);
		free(body);
	}

	/* A form without its CSRF token is refused; one with a mistake
	 * comes back with the sentence and what was entered. */
	admin = fx_signin("admin", fx_password());
	r = http_post_form(admin, "/admin/mailboxes/", "name=x");
	ck_assert_int_eq(r->status, 403);
	http_resp_free(r);
	r = http_get(admin, "/admin/mailboxes/");
	ck_assert_int_eq(r->status, 200);
	csrf = http_csrf(r);
	http_resp_free(r);
	form = fx_printf("_csrf=%s&name=Kept+name&url=pop3%%3A%%2F%%2Fx&"
	    "username=u&password=p&channel=%lld&poll_seconds=300", csrf,
	    fx_channel("Support"));
	r = http_post_form(admin, "/admin/mailboxes/", form);
	ck_assert_int_eq(r->status, 422);
	ck_assert(http_body_has(r, "The URL must start with imaps:// or "
	    "imap://."));
	ck_assert(http_body_has(r, "value=\"Kept name\""));
	http_resp_free(r);

	r = fx_api(token, "GET", "/admin/mailboxes/999999999", NULL);
	ck_assert_int_eq(r->status, 404);
	http_resp_free(r);

	free(form);
	free(csrf);
	free(token);
	http_agent_free(admin);
}
END_TEST

Suite *
tw_imap_suite(void)
{
	Suite	*s = suite_create("imap");
	TCase	*tc = fx_tcase("mailboxes", 120);

	tcase_add_test(tc, test_mail_becomes_ticket_once);
	tcase_add_test(tc, test_conversation_round_trip);
	tcase_add_test(tc, test_unknown_senders_unassigned);
	tcase_add_test(tc, test_killed_between_fetch_and_commit);
	tcase_add_test(tc, test_killed_between_commit_and_mark);
	tcase_add_test(tc, test_no_message_id_taken_once);
	tcase_add_test(tc, test_long_headers_taken_in);
	tcase_add_test(tc, test_refused_by_database_passed_over);
	tcase_add_test(tc, test_runners_side_by_side);
	tcase_add_test(tc, test_lease_keeps_runners_apart);
	tcase_add_test(tc, test_uidvalidity_change_doubles_nothing);
	tcase_add_test(tc, test_unusable_messages_do_not_block);
	tcase_add_test(tc, test_wrong_password_then_fixed);
	tcase_add_test(tc, test_password_sealed_at_rest);
	tcase_add_test(tc, test_admin_pages_refuse);
	suite_add_tcase(s, tc);
	return s;
}
