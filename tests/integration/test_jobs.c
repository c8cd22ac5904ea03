/*
 * test_jobs.c: the job runner, ticketwerk-jobs, as the instance's owner
 * runs it: its tidying task deletes what has run out and keeps what has
 * not, and bad arguments are refused with EX_USAGE.
 */
#include "config.h"

#include <stdlib.h>
#include <sysexits.h>

#include <check.h>

#include "db.h"
#include "suites.h"

static const char sql_session_add[] =
    "INSERT INTO sessions (token_hash, user_id, expires_at, last_seen) "
    "SELECT SHA2(?, 256), id, UTC_TIMESTAMP(6) + INTERVAL ? HOUR, "
    "UTC_TIMESTAMP(6) - INTERVAL ? MINUTE FROM users WHERE login = 'admin'";
static const char sql_session_count[] =
    "SELECT COUNT(*) FROM sessions WHERE token_hash = SHA2(?, 256)";
static const char sql_key_add[] =
    "INSERT INTO request_keys (user_id, request_key, ticket_number, "
    "created_at) SELECT id, ?, 1, UTC_TIMESTAMP(6) - INTERVAL ? HOUR "
    "FROM users WHERE login = 'admin'";
static const char sql_key_count[] =
    "SELECT COUNT(*) FROM request_keys WHERE request_key = ?";

/* Runs ticketwerk-jobs with the arguments; returns its exit code. */
static int
jobs(const char *const *argv)
{
	int	status;

	free(fx_run("ticketwerk-jobs", NULL, 0, argv, &status));
	return status;
}

static void
session_add(const char *name, long long hours_left, long long idle_min)
{
	ck_assert_uint_eq(fx_db_exec(sql_session_add, TW_ARGS(TW_S(name),
	    TW_I(hours_left), TW_I(idle_min))), 1);
}

static long long
sessions_named(const char *name)
{
	return fx_db_int(sql_session_count, -1, TW_ARGS(TW_S(name)));
}

START_TEST(tidy_deletes_only_what_ran_out)
{
	const char *const	argv[] = { "--once", "--only", "tidy", NULL };
	char			*name[3];
	int			 i;

	for (i = 0; i < 3; i++)
		name[i] = fx_marker("tidy");
	session_add(name[0], 2, 1);		/* in use */
	session_add(name[1], -1, 1);		/* past its absolute end */
	session_add(name[2], 2, 24 * 60);	/* idle for a day */
	ck_assert_uint_eq(fx_db_exec(sql_key_add,
	    TW_ARGS(TW_S(name[0]), TW_I(1))), 1);
	ck_assert_uint_eq(fx_db_exec(sql_key_add,
	    TW_ARGS(TW_S(name[1]), TW_I(25))), 1);

	ck_assert_int_eq(jobs(argv), EX_OK);

	ck_assert_int_eq(sessions_named(name[0]), 1);
	ck_assert_int_eq(sessions_named(name[1]), 0);
	ck_assert_int_eq(sessions_named(name[2]), 0);
	ck_assert_int_eq(fx_db_int(sql_key_count, -1,
	    TW_ARGS(TW_S(name[0]))), 1);
	ck_assert_int_eq(fx_db_int(sql_key_count, -1,
	    TW_ARGS(TW_S(name[1]))), 0);
	for (i = 0; i < 3; i++)
		free(name[i]);
}
END_TEST

START_TEST(bad_arguments_are_usage_errors)
{
	const char *const	unknown[] = { "--only", "no-such-task", NULL };
	const char *const	stray[] = { "--twice", NULL };
	const char *const	missing[] = { "--only", NULL };

	ck_assert_int_eq(jobs(unknown), EX_USAGE);
	ck_assert_int_eq(jobs(stray), EX_USAGE);
	ck_assert_int_eq(jobs(missing), EX_USAGE);
}
END_TEST

Suite *
tw_jobs_suite(void)
{
	Suite	*s = suite_create("jobs");
	TCase	*tc = fx_tcase("runner", 60);

	tcase_add_test(tc, tidy_deletes_only_what_ran_out);
	tcase_add_test(tc, bad_arguments_are_usage_errors);
	suite_add_tcase(s, tc);
	return s;
}
