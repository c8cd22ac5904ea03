/*
 * test_when.c: reading the date-times of forms in the display time zone
 * (Europe/Berlin here) and in UTC.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "suites.h"
#include "when.h"

static void
berlin(void)
{
	setenv("TZ", "Europe/Berlin", 1);
	tzset();
}

START_TEST(test_when_local_and_utc)
{
	time_t	t;
	char	s[32];

	berlin();
	/* Winter: UTC+1; summer: UTC+2. */
	ck_assert_int_eq(tw_when_parse("2026-12-10T10:00", &t), 0);
	ck_assert_int_eq(t, 1796893200);
	ck_assert_int_eq(tw_when_parse("2026-07-01 12:00:30", &t), 0);
	ck_assert_int_eq(t, 1782900030);
	ck_assert_int_eq(tw_when_parse("2026-12-10T09:00Z", &t), 0);
	ck_assert_int_eq(t, 1796893200);

	tw_when_input(1796893200, s, sizeof(s));
	ck_assert_str_eq(s, "2026-12-10T10:00");
	tw_when_sql(1796893200, s, sizeof(s));
	ck_assert_str_eq(s, "2026-12-10 09:00:00");
}
END_TEST

START_TEST(test_when_refused)
{
	static const char *const bad[] = {
		"", "tomorrow", "2026-12-10", "2026-12-10T10", "2026-2-1T10:00",
		"2026-02-30T10:00", "2025-02-29T10:00", "2026-13-01T10:00",
		"2026-12-10T24:00", "2026-12-10T10:60", "2026-12-10T10:00:61",
		"2026-12-10T10:00+01:00", "2026-12-10T10:00ZZ",
		"1999-12-31T10:00",
		"2200-01-01T00:00", " 2026-12-10T10:00", NULL
	};
	time_t	t;
	size_t	i;

	berlin();
	for (i = 0; bad[i] != NULL; i++)
		ck_assert_msg(tw_when_parse(bad[i], &t) == -1, "took %s",
		    bad[i]);
	ck_assert_int_eq(tw_when_parse(NULL, &t), -1);
	ck_assert_int_eq(tw_when_parse("2028-02-29T10:00", &t), 0);
}
END_TEST

Suite *
tw_when_suite(void)
{
	Suite	*s = suite_create("when");
	TCase	*tc = tcase_create("parse");

	tcase_add_test(tc, test_when_local_and_utc);
	tcase_add_test(tc, test_when_refused);
	suite_add_tcase(s, tc);
	return s;
}
