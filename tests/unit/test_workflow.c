/*
 * test_workflow.c: the pure parts of changing tickets: the colour
 * palette, which must agree with the SQL enum, the stylesheet and both
 * catalogs; status sides; and what an empty change leaves alone.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "status.h"
#include "suites.h"
#include "text.h"
#include "ticket_change.h"

START_TEST(test_colour_names)
{
	enum tw_colour	c, back;

	for (c = 0; c < TW_COLOUR__MAX; c++) {
		ck_assert_int_eq(tw_colour_parse(tw_colour_name(c), &back), 1);
		ck_assert_int_eq(back, c);
	}
	ck_assert_str_eq(tw_colour_name(TW_COLOUR_NONE), "none");
	ck_assert_str_eq(tw_colour_name(TW_COLOUR__MAX), "none");
	ck_assert_int_eq(tw_colour_parse("pink", &back), 0);
	ck_assert_int_eq(tw_colour_parse("Red", &back), 0);
	ck_assert_int_eq(tw_colour_parse("", &back), 0);
	ck_assert_int_eq(tw_colour_parse(NULL, &back), 0);
}
END_TEST

/* Every colour is in the column's enum, styled, and named in words. */
START_TEST(test_colour_everywhere)
{
	char		*sql, *css, want[64];
	const char	*name, *lang[] = { "en", "de" };
	enum tw_colour	 c;
	size_t		 i;

	sql = tw_file_read(TW_SRCDIR "/sql/0002_workflow.sql", 1 << 20, NULL);
	css = tw_file_read(TW_SRCDIR "/htdocs/static/ticketwerk.css",
	    1 << 20, NULL);
	ck_assert_ptr_nonnull(sql);
	ck_assert_ptr_nonnull(css);
	ck_assert_int_eq(tw_i18n_load(TW_SRCDIR "/htdocs/locale"), TW_OK);

	for (c = 0; c < TW_COLOUR__MAX; c++) {
		name = tw_colour_name(c);
		snprintf(want, sizeof(want), "'%s'", name);
		ck_assert_msg(strstr(sql, want) != NULL,
		    "%s is not in the colour enum", name);
		snprintf(want, sizeof(want), ".mark.mark-%s", name);
		ck_assert_msg(c == TW_COLOUR_NONE || strstr(css, want) != NULL,
		    "no %s in the stylesheet", want);
		snprintf(want, sizeof(want), "colour_%s", name);
		for (i = 0; i < 2; i++)
			ck_assert_msg(strcmp(tw_t(lang[i], want), want) != 0,
			    "%s lacks %s", lang[i], want);
	}
	free(sql);
	free(css);
}
END_TEST

START_TEST(test_sides)
{
	ck_assert(tw_status_side_valid("us"));
	ck_assert(tw_status_side_valid("customer"));
	ck_assert(tw_status_side_valid("done"));
	ck_assert(!tw_status_side_valid("them"));
	ck_assert(!tw_status_side_valid(""));
	ck_assert(!tw_status_side_valid(NULL));
}
END_TEST

START_TEST(test_change_init)
{
	struct tw_ticket_change	ch;

	memset(&ch, 0x5a, sizeof(ch));
	tw_ticket_change_init(&ch);
	ck_assert_ptr_null(ch.status);
	ck_assert_ptr_null(ch.owner);
	ck_assert_ptr_null(ch.assignee);
	ck_assert_int_eq(ch.priority, TW_UNCHANGED);
	ck_assert_int_eq(ch.category, TW_UNCHANGED);
	ck_assert_int_eq(ch.colour, TW_UNCHANGED);
	ck_assert_int_eq(ch.channel, TW_UNCHANGED);
	ck_assert_int_eq(ch.version, 0);
	ck_assert_int_eq(ch.nchanged, 0);
	ck_assert_int_eq(tw_ticket_change_empty(&ch), 1);
	ch.colour = TW_COLOUR_RED;
	ck_assert_int_eq(tw_ticket_change_empty(&ch), 0);
	tw_ticket_change_init(&ch);
	ch.owner = "";
	ck_assert_int_eq(tw_ticket_change_empty(&ch), 0);
}
END_TEST

Suite *
tw_workflow_suite(void)
{
	Suite	*s = suite_create("workflow");
	TCase	*tc = tcase_create("workflow");

	tcase_add_test(tc, test_colour_names);
	tcase_add_test(tc, test_colour_everywhere);
	tcase_add_test(tc, test_sides);
	tcase_add_test(tc, test_change_init);
	suite_add_tcase(s, tc);
	return s;
}
