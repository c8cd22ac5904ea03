/*
 * test_intake.c: the pure functions of the intake paths: cutting text to
 * a number of characters, telling a message from other bodies, naming an
 * ingestion's result, and the checks on web forms' thank-you URLs and
 * keys.
 */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "ingest.h"
#include "mail.h"
#include "suites.h"
#include "text.h"
#include "webform.h"

START_TEST(test_text_cut)
{
	struct tw_arena	*a = tw_arena_new();
	const char	*s = "Gr\xc3\xb6\xc3\x9f" "e";	/* 5 characters */

	ck_assert_ptr_eq(tw_text_cut(a, s, 5), s);
	ck_assert_ptr_eq(tw_text_cut(a, s, 6), s);
	ck_assert_str_eq(tw_text_cut(a, s, 4), "Gr\xc3\xb6\xc3\x9f");
	ck_assert_str_eq(tw_text_cut(a, s, 3), "Gr\xc3\xb6");
	ck_assert_str_eq(tw_text_cut(a, s, 0), "");
	ck_assert_str_eq(tw_text_cut(a, "", 3), "");
	tw_arena_free(a);
}
END_TEST

START_TEST(test_mail_has_header)
{
	static const char *const yes[] = {
		"From: a@b.example\r\n\r\nHi\r\n",
		"Subject:x",
		"From a@b.example Thu Dec  3 10:00:00 2026\nFrom: a@b\n\nHi\n",
		"\r\n \tX-Any-Thing: 1\n",
	};
	static const char *const no[] = {
		"", "   \r\n", "Dies ist keine Mail.\r\n", "<html>\r\n",
		": no name\n", "From a@b.example Thu Dec  3 10:00:00 2026\n",
		"Two words: here\n",
	};
	size_t	i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		ck_assert_msg(tw_mail_has_header(yes[i], strlen(yes[i])),
		    "refused: %s", yes[i]);
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		ck_assert_msg(!tw_mail_has_header(no[i], strlen(no[i])),
		    "taken: %s", no[i]);
}
END_TEST

START_TEST(test_ingest_result_name)
{
	struct tw_ingest_result	r;

	memset(&r, 0, sizeof(r));
	ck_assert_str_eq(tw_ingest_result_name(&r), "added");
	r.created = 1;
	ck_assert_str_eq(tw_ingest_result_name(&r), "created");
	r.created = 0;
	r.own = 1;
	ck_assert_str_eq(tw_ingest_result_name(&r), "own");
	r.duplicate = 1;
	ck_assert_str_eq(tw_ingest_result_name(&r), "duplicate");
}
END_TEST

START_TEST(test_webform_url)
{
	static const char *const yes[] = {
		"https://www.provider.example/danke",
		"http://provider.example",
		"HTTPS://provider.example:8443/a/b?c=d&e=f#top",
		"https://provider.example/%C3%BC",
		"https://[2001:db8::1]/thanks",
	};
	static const char *const no[] = {
		"", "javascript:alert(1)", "//provider.example/x",
		"ftp://provider.example/", "https://", "https:///path",
		"https://bank.example@evil.example/",
		"https://provider.example/a b", "https://provider.example/\"x",
		"https://provider.example/<x>", "https://provider.example/\r\n",
		"https://provider.example/\xc3\xbc", "data:text/html,x",
		"https://:443/",
	};
	char	long_url[TW_WEBFORM_URL_MAX + 2];
	size_t	i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		ck_assert_msg(tw_webform_url_valid(yes[i]), "refused: %s",
		    yes[i]);
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		ck_assert_msg(!tw_webform_url_valid(no[i]), "taken: %s",
		    no[i]);

	memcpy(long_url, "https://a.example/", 18);
	memset(long_url + 18, 'x', sizeof(long_url) - 19);
	long_url[sizeof(long_url) - 1] = '\0';
	ck_assert(!tw_webform_url_valid(long_url));
	long_url[sizeof(long_url) - 2] = '\0';
	ck_assert(tw_webform_url_valid(long_url));
}
END_TEST

START_TEST(test_webform_key)
{
	ck_assert(tw_webform_key_valid("0123456789abcdef0123456789abcdef"));
	ck_assert(!tw_webform_key_valid("0123456789ABCDEF0123456789abcdef"));
	ck_assert(!tw_webform_key_valid("0123456789abcdef0123456789abcde"));
	ck_assert(!tw_webform_key_valid("0123456789abcdef0123456789abcdef0"));
	ck_assert(!tw_webform_key_valid("0123456789abcdef0123456789abcdeg"));
	ck_assert(!tw_webform_key_valid(""));
	ck_assert(!tw_webform_key_valid("../../etc/passwd"));
}
END_TEST

Suite *
tw_intake_suite(void)
{
	Suite	*s = suite_create("intake");
	TCase	*tc = tcase_create("intake");

	tcase_add_test(tc, test_text_cut);
	tcase_add_test(tc, test_mail_has_header);
	tcase_add_test(tc, test_ingest_result_name);
	tcase_add_test(tc, test_webform_url);
	tcase_add_test(tc, test_webform_key);
	suite_add_tcase(s, tc);
	return s;
}
