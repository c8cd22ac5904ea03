/*
 * test_queue.c: the queue's pure helpers: the search expression built
 * from what a person typed, and the sort order names.
 */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "queue.h"
#include "suites.h"

START_TEST(test_match_words)
{
	struct tw_arena	*a = tw_arena_new();
	const char	*m;

	ck_assert_str_eq(tw_queue_match(a, "printer toner"),
	    "+printer +toner");

	/* Operators and quotes are separators, never syntax. */
	ck_assert_str_eq(tw_queue_match(a, "+vpn -\"tunnel\" (x)* @8 ~mail<"),
	    "+vpn +tunnel +mail");
	ck_assert_str_eq(tw_queue_match(a, "e-mail"), "+mail");

	/* Short and stop words would match nothing when required. */
	ck_assert_str_eq(tw_queue_match(a, "the printer is on the desk"),
	    "+printer +desk");
	ck_assert_ptr_null(tw_queue_match(a, "a to of"));
	ck_assert_ptr_null(tw_queue_match(a, "  \t "));
	ck_assert_ptr_null(tw_queue_match(a, ""));

	/* Letters outside ASCII are part of words; three count, not bytes. */
	ck_assert_str_eq(tw_queue_match(a, "Größe äöü öl"), "+Größe +äöü");

	/* At most TW_QUEUE_WORDS_MAX words. */
	m = tw_queue_match(a, "one1 two2 three3 four4 five5 six6 seven7 "
	    "eight8 nine9 ten10");
	ck_assert_str_eq(m, "+one1 +two2 +three3 +four4 +five5 +six6 "
	    "+seven7 +eight8");
	tw_arena_free(a);
}
END_TEST

START_TEST(test_sort_names)
{
	int	s;

	for (s = 0; s < TW_QUEUE_SORT__MAX; s++)
		ck_assert_int_eq(tw_queue_sort_parse(tw_queue_sort_name(
		    (enum tw_queue_sort)s)), s);
	ck_assert_int_eq(tw_queue_sort_parse("created"),
	    TW_QUEUE_SORT_CREATED);
	ck_assert_int_eq(tw_queue_sort_parse("Created"), -1);
	ck_assert_int_eq(tw_queue_sort_parse("t.id; DROP"), -1);
	ck_assert_int_eq(tw_queue_sort_parse(NULL), -1);
}
END_TEST

Suite *
tw_queue_suite(void)
{
	Suite	*s = suite_create("queue");
	TCase	*tc = tcase_create("queue");

	tcase_add_test(tc, test_match_words);
	tcase_add_test(tc, test_sort_names);
	suite_add_tcase(s, tc);
	return s;
}
