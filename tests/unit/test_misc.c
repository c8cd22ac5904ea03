/*
 * test_misc.c: small pure functions of the core: result codes, the
 * configuration reader and the log line format.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "err.h"
#include "log.h"
#include "suites.h"

START_TEST(test_err_table)
{
	int	e;

	for (e = 0; e < TW_ERR__MAX; e++) {
		ck_assert_ptr_nonnull(tw_err_str((enum tw_err)e));
		ck_assert_int_ge(tw_err_http((enum tw_err)e), 200);
	}
	ck_assert_int_eq(tw_err_http(TW_ERR_INVALID), 422);
	ck_assert_int_eq(tw_err_http(TW_ERR_TOOBIG), 413);
	ck_assert_int_eq(tw_err_http(TW_ERR__MAX), 500);
}
END_TEST

START_TEST(test_conf_parse_and_env)
{
	const char *ini =
	    "# comment\n"
	    "[db]\n"
	    "socket = /tmp/x.sock\n"
	    "  name=tw  \n"
	    "[workers]\n"
	    "tickets = 3\n"
	    "bad = 3x\n";

	ck_assert_int_eq(tw_conf_parse(ini), TW_OK);
	ck_assert_str_eq(tw_conf_str("db", "socket", NULL), "/tmp/x.sock");
	ck_assert_str_eq(tw_conf_str("db", "name", NULL), "tw");
	ck_assert_ptr_null(tw_conf_str("db", "missing", NULL));
	ck_assert_int_eq(tw_conf_int("workers", "tickets", 1), 3);
	ck_assert_int_eq(tw_conf_int("workers", "bad", 7), 7);

	setenv("TW_DB_NAME", "fromenv", 1);
	ck_assert_str_eq(tw_conf_str("db", "name", NULL), "fromenv");
	unsetenv("TW_DB_NAME");

	ck_assert_int_eq(tw_conf_parse("[db\nx=1\n"), TW_ERR_INVALID);
	ck_assert_int_eq(tw_conf_parse("[db]\nnovalue\n"), TW_ERR_INVALID);
	tw_conf_clear();
}
END_TEST

START_TEST(test_log_quoting)
{
	char	line[128];

	line[0] = '\0';
	tw_log_kv(line, sizeof(line), "path", "/tickets/");
	tw_log_kv(line, sizeof(line), "ua", "a \"b\"\n");
	tw_log_kv(line, sizeof(line), "user", NULL);
	ck_assert_str_eq(line, "path=/tickets/ ua=\"a \\\"b\\\"\\x0a\" user=-");

	/* A value longer than the line is cut, never overflows. */
	line[0] = '\0';
	tw_log_kv(line, 16, "k", "0123456789012345678901234567890");
	ck_assert_uint_lt(strlen(line), 16);
}
END_TEST

Suite *
tw_misc_suite(void)
{
	Suite	*s = suite_create("misc");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_err_table);
	tcase_add_test(tc, test_conf_parse_and_env);
	tcase_add_test(tc, test_log_quoting);
	suite_add_tcase(s, tc);
	return s;
}
