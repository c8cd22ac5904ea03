/*
 * test_imap.c: what the mailbox poller reads from IMAP servers and
 * administrators: mailbox URLs, response lines of SELECT, UID SEARCH
 * and UID FETCH (also as a hostile server might send them), quoting.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "imap_parse.h"
#include "suites.h"

/* ---- URLs ---- */

static void
url_is(const char *in, int tls, const char *host, unsigned port,
    const char *folder)
{
	struct tw_arena		*a = tw_arena_new();
	struct tw_imap_url	 u;
	const char		*problem = "unset";

	ck_assert_msg(tw_imap_url_parse(a, in, &u, &problem) == TW_OK,
	    "%s refused (%s)", in, problem);
	ck_assert_ptr_null(problem);
	ck_assert_int_eq(u.tls, tls);
	ck_assert_str_eq(u.host, host);
	ck_assert_uint_eq(u.port, port);
	ck_assert_str_eq(u.folder, folder);
	tw_arena_free(a);
}

static void
url_refused(const char *in, const char *problem_want)
{
	struct tw_arena		*a = tw_arena_new();
	struct tw_imap_url	 u;
	const char		*problem = NULL;

	ck_assert_msg(tw_imap_url_parse(a, in, &u, &problem) ==
	    TW_ERR_INVALID, "%s accepted", in);
	ck_assert_msg(problem != NULL && strcmp(problem, problem_want) == 0,
	    "%s: problem %s, not %s", in, problem ? problem : "NULL",
	    problem_want);
	tw_arena_free(a);
}

START_TEST(test_url_forms)
{
	url_is("imaps://mail.example.com:993/INBOX", 1, "mail.example.com",
	    993, "INBOX");
	url_is("imaps://Mail.Example.COM", 1, "mail.example.com", 993,
	    "INBOX");
	url_is("imaps://mail.example.com/", 1, "mail.example.com", 993,
	    "INBOX");
	url_is("IMAP://127.0.0.1:10143/Support", 0, "127.0.0.1", 10143,
	    "Support");
	url_is("imap://mx1", 0, "mx1", 143, "INBOX");
	url_is("imaps://[::1]:18473/INBOX", 1, "[::1]", 18473, "INBOX");
	url_is("imaps://h.example/Kunden%20Post", 1, "h.example", 993,
	    "Kunden Post");
	url_is("imaps://h.example/Archiv/2026/", 1, "h.example", 993,
	    "Archiv/2026");
	url_is("imaps://h.example/a%22b%5Cc", 1, "h.example", 993,
	    "a\"b\\c");
}
END_TEST

START_TEST(test_url_refused)
{
	char	long_folder[300];

	url_refused("pop3://mail.example.com", "scheme");
	url_refused("https://mail.example.com/INBOX", "scheme");
	url_refused("imaps:/mail.example.com", "scheme");
	url_refused("", "scheme");
	url_refused("imaps://", "host");
	url_refused("imaps://:993/INBOX", "host");
	url_refused("imaps://user:pw@mail.example.com/", "host");
	url_refused("imaps://mail..example.com/", "host");
	url_refused("imaps://-mail.example.com/", "host");
	url_refused("imaps://mail.example.com-/", "host");
	url_refused("imaps://mail_x.example.com/", "host");
	url_refused("imaps://[::1/", "host");
	url_refused("imaps://[zz::1]/", "host");
	url_refused("imaps://mail example.com/", "host");
	url_refused("imaps://mail.example.com:0/", "port");
	url_refused("imaps://mail.example.com:65536/", "port");
	url_refused("imaps://mail.example.com:99a/", "port");
	url_refused("imaps://mail.example.com:/", "port");
	url_refused("imaps://mail.example.com:0993/", "port");
	url_refused("imaps://h.example/INBOX;UID=5", "folder");
	url_refused("imaps://h.example/INBOX?x", "folder");
	url_refused("imaps://h.example/IN*", "folder");
	url_refused("imaps://h.example/IN%25", "folder");
	url_refused("imaps://h.example/IN%0d%0aX", "folder");
	url_refused("imaps://h.example/Post%", "folder");
	url_refused("imaps://h.example/Post%4", "folder");
	url_refused("imaps://h.example/Post%zz", "folder");
	url_refused("imaps://h.example/B\xc3\xbcro", "folder");

	memset(long_folder, 'a', sizeof(long_folder) - 1);
	long_folder[sizeof(long_folder) - 1] = '\0';
	memcpy(long_folder, "imaps://h.example/", 18);
	url_refused(long_folder, "folder");
}
END_TEST

/* ---- Response lines ---- */

static enum tw_imap_kind
kind(const char *line)
{
	return tw_imap_line_kind(line, strlen(line), "tw7");
}

START_TEST(test_line_kinds)
{
	ck_assert_int_eq(kind("* 3 EXISTS"), TW_IMAP_UNTAGGED);
	ck_assert_int_eq(kind("+ go ahead"), TW_IMAP_CONTINUE);
	ck_assert_int_eq(kind("+"), TW_IMAP_CONTINUE);
	ck_assert_int_eq(kind("tw7 OK done"), TW_IMAP_OK);
	ck_assert_int_eq(kind("tw7 ok"), TW_IMAP_OK);
	ck_assert_int_eq(kind("tw7 NO [NONEXISTENT] no folder"), TW_IMAP_NO);
	ck_assert_int_eq(kind("tw7 BAD what"), TW_IMAP_BAD);

	/* Another tag, a prefix of ours, a status run into the text. */
	ck_assert_int_eq(kind("tw6 OK done"), TW_IMAP_MALFORMED);
	ck_assert_int_eq(kind("tw77 OK done"), TW_IMAP_MALFORMED);
	ck_assert_int_eq(kind("tw7 OKAY"), TW_IMAP_MALFORMED);
	ck_assert_int_eq(kind("tw7"), TW_IMAP_MALFORMED);
	ck_assert_int_eq(kind(""), TW_IMAP_MALFORMED);
	ck_assert_int_eq(kind("*3 EXISTS"), TW_IMAP_MALFORMED);
	ck_assert_int_eq(tw_imap_line_kind("tw7 OK \0x", 9, "tw7"),
	    TW_IMAP_MALFORMED);

	ck_assert(tw_imap_is_bye("* BYE shutting down", 19));
	ck_assert(tw_imap_is_bye("* BYE", 5));
	ck_assert(!tw_imap_is_bye("* BYEBYE", 8));
	ck_assert(!tw_imap_is_bye("* OK", 4));
}
END_TEST

static enum tw_err
uidvalidity(const char *line, uint32_t *v)
{
	return tw_imap_parse_uidvalidity(line, strlen(line), v);
}

START_TEST(test_uidvalidity)
{
	uint32_t	v = 0;

	ck_assert_int_eq(uidvalidity("* OK [UIDVALIDITY 1796325734] UIDs "
	    "valid", &v), TW_OK);
	ck_assert_uint_eq(v, 1796325734u);
	ck_assert_int_eq(uidvalidity("* OK [UIDVALIDITY 4294967295]", &v),
	    TW_OK);
	ck_assert_uint_eq(v, 4294967295u);

	ck_assert_int_eq(uidvalidity("* OK [UIDNEXT 2] next", &v),
	    TW_ERR_NOTFOUND);
	ck_assert_int_eq(uidvalidity("* 1 EXISTS", &v), TW_ERR_NOTFOUND);
	ck_assert_int_eq(uidvalidity("* OK [UIDVALIDITY 0]", &v),
	    TW_ERR_INVALID);
	ck_assert_int_eq(uidvalidity("* OK [UIDVALIDITY 4294967296]", &v),
	    TW_ERR_INVALID);
	ck_assert_int_eq(uidvalidity("* OK [UIDVALIDITY 99999999999]", &v),
	    TW_ERR_INVALID);
	ck_assert_int_eq(uidvalidity("* OK [UIDVALIDITY -1]", &v),
	    TW_ERR_INVALID);
	ck_assert_int_eq(uidvalidity("* OK [UIDVALIDITY 12", &v),
	    TW_ERR_INVALID);
	ck_assert_int_eq(uidvalidity("* OK [UIDVALIDITY ]", &v),
	    TW_ERR_INVALID);
	ck_assert_uint_eq(v, 4294967295u);
}
END_TEST

static enum tw_err
search(const char *line, uint32_t *uids, size_t max, size_t *n)
{
	return tw_imap_parse_search(line, strlen(line), uids, max, n);
}

START_TEST(test_search)
{
	uint32_t	uids[4];
	size_t		n = 0;

	ck_assert_int_eq(search("* SEARCH", uids, 4, &n), TW_OK);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(search("* SEARCH 7 9 4294967295", uids, 4, &n),
	    TW_OK);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(uids[0], 7);
	ck_assert_uint_eq(uids[2], 4294967295u);
	ck_assert_int_eq(search("* SEARCH 12 13", uids, 4, &n),
	    TW_ERR_TOOBIG);
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(uids[3], 12);

	n = 0;
	ck_assert_int_eq(search("* 3 EXISTS", uids, 4, &n), TW_ERR_NOTFOUND);
	ck_assert_int_eq(search("* SEARCHES 1", uids, 4, &n),
	    TW_ERR_NOTFOUND);
	ck_assert_int_eq(search("* SEARCH 0", uids, 4, &n), TW_ERR_INVALID);
	ck_assert_int_eq(search("* SEARCH 1  2", uids, 4, &n),
	    TW_ERR_INVALID);
	ck_assert_int_eq(search("* SEARCH 1 ", uids, 4, &n), TW_ERR_INVALID);
	ck_assert_int_eq(search("* SEARCH 4294967296", uids, 4, &n),
	    TW_ERR_INVALID);
	ck_assert_int_eq(search("* SEARCH 1 x", uids, 4, &n),
	    TW_ERR_INVALID);
	ck_assert_int_eq(search("* SEARCH 007", uids, 4, &n),
	    TW_ERR_INVALID);
}
END_TEST

static enum tw_err
fetch(const char *line, struct tw_imap_fetch *f)
{
	return tw_imap_parse_fetch(line, strlen(line), f);
}

START_TEST(test_fetch_size)
{
	struct tw_imap_fetch	f;

	ck_assert_int_eq(fetch("* 3 FETCH (UID 17 RFC822.SIZE 2048)", &f),
	    TW_OK);
	ck_assert_uint_eq(f.seq, 3);
	ck_assert_uint_eq(f.uid, 17);
	ck_assert_int_eq(f.size, 2048);
	ck_assert_int_eq(f.literal, -1);
	ck_assert(f.done);
	ck_assert(!f.body);

	/* Flags and other values in between are passed over. */
	ck_assert_int_eq(fetch("* 3 FETCH (FLAGS (\\Seen $Label1) "
	    "INTERNALDATE \"03-Dec-2026 10:00:00 +0100\" MODSEQ (12) "
	    "RFC822.SIZE 5 UID 17)", &f), TW_OK);
	ck_assert_uint_eq(f.uid, 17);
	ck_assert_int_eq(f.size, 5);

	/* A flag update alone names no size. */
	ck_assert_int_eq(fetch("* 3 FETCH (FLAGS ())", &f), TW_OK);
	ck_assert_int_eq(f.size, -1);
	ck_assert_uint_eq(f.uid, 0);
}
END_TEST

START_TEST(test_fetch_body_literal)
{
	struct tw_imap_fetch	f;
	const char		*tail = " FLAGS (\\Seen))";

	ck_assert_int_eq(fetch("* 1 FETCH (UID 5 BODY[] {97}", &f), TW_OK);
	ck_assert_uint_eq(f.uid, 5);
	ck_assert_int_eq(f.literal, 97);
	ck_assert(f.body);
	ck_assert(!f.done);

	ck_assert_int_eq(tw_imap_parse_fetch_more(tail, strlen(tail), &f),
	    TW_OK);
	ck_assert(f.done);
	ck_assert_int_eq(f.literal, -1);

	/* Done is done: nothing may follow. */
	ck_assert_int_eq(tw_imap_parse_fetch_more(")", 1, &f),
	    TW_ERR_INVALID);

	/* The UID may also come after the literal. */
	ck_assert_int_eq(fetch("* 1 FETCH (BODY[] {0}", &f), TW_OK);
	ck_assert_int_eq(f.literal, 0);
	ck_assert_int_eq(tw_imap_parse_fetch_more(" UID 9)", 7, &f), TW_OK);
	ck_assert_uint_eq(f.uid, 9);
	ck_assert(f.done);

	ck_assert_int_eq(fetch("* 1 FETCH (UID 5 BODY[] NIL)", &f), TW_OK);
	ck_assert(f.body);
	ck_assert_int_eq(f.literal, -1);
	ck_assert(f.done);
}
END_TEST

START_TEST(test_fetch_hostile)
{
	static const char *const bad[] = {
		"* 1 FETCH UID 5)",			/* no list */
		"* 1 FETCH (UID 5",			/* not closed */
		"* 1 FETCH (UID 5))",			/* closed twice */
		"* 1 FETCH (UID 5) extra",
		"* 1 FETCH (UID 0)",
		"* 1 FETCH (UID 5 UID 6)",		/* said twice */
		"* 1 FETCH (UID x)",
		"* 1 FETCH (UID 4294967296)",
		"* 1 FETCH (RFC822.SIZE 99999999999)",
		"* 1 FETCH (UID 5 BODY[] {12} trailing",
		"* 1 FETCH (UID 5 BODY[] {-1}",
		"* 1 FETCH (UID 5 BODY[] {}",
		"* 1 FETCH (UID 5 BODY[] {4294967296}",
		"* 1 FETCH (UID 5 BODY[] \"quoted\")",
		"* 1 FETCH (UID 5 BODY[HEADER] {12}",	/* not asked for */
		"* 1 FETCH (UID 5 X-ATTR {12}",
		"* 1 FETCH (FLAGS (\\Seen)",
		"* 1 FETCH (FLAGS ((((((((((x)))))))))))",
		"* 1 FETCH (X \"unterminated)",
		"* 1 FETCH (X \"bad \\q escape\")",
		"* 1 FETCH ( UID 5)",
		"* 1 FETCH (UID  5)",
		"* 1 FETCH ()x",
		"* 1 FETCH (UID 5 BODY[] NIL BODY[] NIL)",
	};
	struct tw_imap_fetch	f;
	size_t			i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(fetch(bad[i], &f) == TW_ERR_INVALID,
		    "accepted: %s", bad[i]);

	ck_assert_int_eq(fetch("* 1 EXISTS", &f), TW_ERR_NOTFOUND);
	ck_assert_int_eq(fetch("* 0 FETCH (UID 5)", &f), TW_ERR_NOTFOUND);
	ck_assert_int_eq(fetch("* x FETCH (UID 5)", &f), TW_ERR_NOTFOUND);
	ck_assert_int_eq(fetch("* 1 FETCHED (UID 5)", &f), TW_ERR_NOTFOUND);

	/* No byte past the given length is read. */
	ck_assert_int_eq(tw_imap_parse_fetch("* 1 FETCH (UID 5)", 16, &f),
	    TW_ERR_INVALID);
	ck_assert_int_eq(fetch("* 1 FETCH ()", &f), TW_OK);
}
END_TEST

START_TEST(test_quote)
{
	struct tw_arena	*a = tw_arena_new();

	ck_assert_str_eq(tw_imap_quote(a, "INBOX"), "\"INBOX\"");
	ck_assert_str_eq(tw_imap_quote(a, "a\"b\\c"), "\"a\\\"b\\\\c\"");
	ck_assert_str_eq(tw_imap_quote(a, ""), "\"\"");
	ck_assert_ptr_null(tw_imap_quote(a, "a\r\nb"));
	ck_assert_ptr_null(tw_imap_quote(a, "B\xc3\xbcro"));
	tw_arena_free(a);
}
END_TEST

Suite *
tw_imap_suite(void)
{
	Suite	*s = suite_create("imap");
	TCase	*tc = tcase_create("imap");

	tcase_add_test(tc, test_url_forms);
	tcase_add_test(tc, test_url_refused);
	tcase_add_test(tc, test_line_kinds);
	tcase_add_test(tc, test_uidvalidity);
	tcase_add_test(tc, test_search);
	tcase_add_test(tc, test_fetch_size);
	tcase_add_test(tc, test_fetch_body_literal);
	tcase_add_test(tc, test_fetch_hostile);
	tcase_add_test(tc, test_quote);
	suite_add_tcase(s, tc);
	return s;
}
