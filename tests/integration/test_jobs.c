/*
 * test_jobs.c: the job runner, ticketwerk-jobs, as the instance's owner
 * runs it: its tidying task deletes what has run out and keeps what has
 * not, its collector deletes stored files no item refers to once they
 * are old enough, and bad arguments are refused with EX_USAGE.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>

#include <check.h>

#include "conf.h"
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

static const char sql_files_of[] =
    "SELECT GROUP_CONCAT(a.sha256 ORDER BY ia.filename) "
    "FROM items i JOIN item_attachments ia ON ia.item_id = i.id "
    "JOIN attachments a ON a.id = ia.attachment_id "
    "WHERE i.message_id = ?";
static const char sql_unlink[] =
    "DELETE ia FROM item_attachments ia JOIN attachments a "
    "ON a.id = ia.attachment_id WHERE a.sha256 = ?";
static const char sql_age[] =
    "UPDATE attachments SET stored_at = UTC_TIMESTAMP(6) - INTERVAL ? HOUR "
    "WHERE sha256 = ?";
static const char sql_file_count[] =
    "SELECT COUNT(*) FROM attachments WHERE sha256 = ?";

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

/* Whether the stored file of hash sha is on disk. */
static int
on_disk(const char *sha)
{
	struct stat	 st;
	char		 path[4096];

	snprintf(path, sizeof(path), "%s/data/attachments/%.2s/%s",
	    tw_conf_str("paths", "var", ""), sha, sha + 2);
	return stat(path, &st) == 0;
}

/* Takes in a mail with three text files, each unique to marker. */
static void
mail_with_files(const char *marker, const char *id)
{
	char	*m;

	m = fx_printf("From: <gc@customer.example>\r\nSubject: %s\r\n"
	    "Message-ID: <%s>\r\nMIME-Version: 1.0\r\nContent-Type: "
	    "multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n"
	    "Content-Type: text/plain\r\n\r\nDrei Dateien.\r\n"
	    "--b\r\nContent-Type: text/plain; name=\"1.txt\"\r\n"
	    "Content-Disposition: attachment; filename=\"1.txt\"\r\n\r\n"
	    "one %s\r\n--b\r\nContent-Type: text/plain; name=\"2.txt\"\r\n"
	    "Content-Disposition: attachment; filename=\"2.txt\"\r\n\r\n"
	    "two %s\r\n--b\r\nContent-Type: text/plain; name=\"3.txt\"\r\n"
	    "Content-Disposition: attachment; filename=\"3.txt\"\r\n\r\n"
	    "three %s\r\n--b--\r\n", marker, id, marker, marker, marker);
	ck_assert_int_eq(fx_mailgate("Support", m), EX_OK);
	free(m);
}

/*
 * Three stored files: one nothing refers to and not stored for two days
 * (collected), one as old but still on an item (kept), one nothing
 * refers to but stored just now (kept, its request may still link it).
 * A collected file stored again comes back.
 */
START_TEST(collector_deletes_old_orphans_only)
{
	const char *const	 argv[] = { "--once", "--only", "attachments",
				    NULL };
	char			*marker = fx_marker("gc");
	char			*id = fx_printf("%s@customer.example", marker);
	char			*again = fx_printf("%s.2@customer.example",
				    marker);
	char			 sha[3][65];
	const char		*list;
	int			 i;

	ck_assert_int_eq(tw_conf_load(NULL), TW_OK);
	mail_with_files(marker, id);
	list = fx_db_str(sql_files_of, NULL, TW_ARGS(TW_S(id)));
	ck_assert_ptr_nonnull(list);
	ck_assert_int_eq(sscanf(list, "%64[0-9a-f],%64[0-9a-f],%64[0-9a-f]",
	    sha[0], sha[1], sha[2]), 3);
	for (i = 0; i < 3; i++)
		ck_assert(on_disk(sha[i]));

	ck_assert_uint_eq(fx_db_exec(sql_unlink, TW_ARGS(TW_S(sha[0]))), 1);
	ck_assert_uint_eq(fx_db_exec(sql_age, TW_ARGS(TW_I(48),
	    TW_S(sha[0]))), 1);
	ck_assert_uint_eq(fx_db_exec(sql_age, TW_ARGS(TW_I(48),
	    TW_S(sha[1]))), 1);
	ck_assert_uint_eq(fx_db_exec(sql_unlink, TW_ARGS(TW_S(sha[2]))), 1);

	ck_assert_int_eq(jobs(argv), EX_OK);

	ck_assert_int_eq(fx_db_int(sql_file_count, -1,
	    TW_ARGS(TW_S(sha[0]))), 0);
	ck_assert(!on_disk(sha[0]));
	for (i = 1; i < 3; i++) {
		ck_assert_int_eq(fx_db_int(sql_file_count, -1,
		    TW_ARGS(TW_S(sha[i]))), 1);
		ck_assert(on_disk(sha[i]));
	}

	/* The same content sent again is stored again. */
	mail_with_files(marker, again);
	ck_assert_int_eq(fx_db_int(sql_file_count, -1,
	    TW_ARGS(TW_S(sha[0]))), 1);
	ck_assert(on_disk(sha[0]));

	free(again);
	free(id);
	free(marker);
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
	tcase_add_test(tc, collector_deletes_old_orphans_only);
	tcase_add_test(tc, bad_arguments_are_usage_errors);
	suite_add_tcase(s, tc);
	return s;
}
