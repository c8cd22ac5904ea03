/*
 * test_arena.c: the request arena and the buffer on top of it.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "suites.h"

static int	cleanup_order[4];
static int	cleanup_count;

static void
record_cleanup(void *arg)
{
	cleanup_order[cleanup_count++] = *(int *)arg;
}

START_TEST(test_alloc_aligned_and_distinct)
{
	struct tw_arena	*a = tw_arena_new();
	char		*p, *q;

	p = tw_arena_alloc(a, 3);
	q = tw_arena_alloc(a, 5);
	ck_assert_ptr_ne(p, q);
	ck_assert_uint_eq((uintptr_t)q % _Alignof(max_align_t), 0);
	ck_assert_uint_ge((size_t)(q - p), 3);
	tw_arena_free(a);
}
END_TEST

START_TEST(test_large_and_many)
{
	struct tw_arena	*a = tw_arena_new();
	char		*big;
	int		 i;

	/* More than one block of small pieces plus one oversized piece. */
	for (i = 0; i < 10000; i++)
		memset(tw_arena_alloc(a, 100), i & 0xff, 100);
	big = tw_arena_alloc(a, 5 * 1024 * 1024);
	memset(big, 'x', 5 * 1024 * 1024);
	ck_assert_uint_ge(tw_arena_used(a), 10000 * 100 + 5 * 1024 * 1024);

	tw_arena_reset(a);
	ck_assert_uint_eq(tw_arena_used(a), 0);
	ck_assert_ptr_nonnull(tw_arena_alloc(a, 10));
	tw_arena_free(a);
}
END_TEST

START_TEST(test_cleanups_reverse_order)
{
	struct tw_arena	*a = tw_arena_new();
	int		 one = 1, two = 2, three = 3;

	cleanup_count = 0;
	tw_arena_cleanup(a, record_cleanup, &one);
	tw_arena_cleanup(a, record_cleanup, &two);
	tw_arena_cleanup(a, record_cleanup, &three);
	tw_arena_reset(a);
	ck_assert_int_eq(cleanup_count, 3);
	ck_assert_int_eq(cleanup_order[0], 3);
	ck_assert_int_eq(cleanup_order[2], 1);

	/* A reset arena runs nothing twice. */
	tw_arena_reset(a);
	ck_assert_int_eq(cleanup_count, 3);
	tw_arena_free(a);
}
END_TEST

START_TEST(test_strings)
{
	struct tw_arena	*a = tw_arena_new();

	ck_assert_str_eq(tw_arena_strdup(a, "abc"), "abc");
	ck_assert_str_eq(tw_arena_strndup(a, "abcdef", 3), "abc");
	ck_assert_str_eq(tw_arena_strndup(a, "ab", 10), "ab");
	ck_assert_str_eq(tw_arena_printf(a, "%d-%s", 42, "x"), "42-x");
	ck_assert_ptr_null(tw_arena_strdup(a, NULL));
	tw_arena_free(a);
}
END_TEST

START_TEST(test_buf_grows_and_escapes)
{
	struct tw_arena	*a = tw_arena_new();
	struct tw_buf	 b;
	int		 i;

	tw_buf_init(&b, a);
	for (i = 0; i < 1000; i++)
		tw_buf_printf(&b, "%03d", i);
	ck_assert_uint_eq(b.len, 3000);
	ck_assert_int_eq(memcmp(b.data + 2997, "999", 4), 0);

	tw_buf_truncate(&b, 0);
	tw_buf_html(&b, "<a href=\"x\">'&`</a>", 19);
	ck_assert_str_eq(b.data, "&lt;a href&#61;&quot;x&quot;&gt;&#39;&amp;"
	    "&#96;&lt;/a&gt;");

	tw_buf_truncate(&b, 0);
	tw_buf_urlenc(&b, "a b/ü~", 7);
	ck_assert_str_eq(b.data, "a%20b%2F%C3%BC~");
	tw_arena_free(a);
}
END_TEST

Suite *
tw_arena_suite(void)
{
	Suite	*s = suite_create("arena");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_alloc_aligned_and_distinct);
	tcase_add_test(tc, test_large_and_many);
	tcase_add_test(tc, test_cleanups_reverse_order);
	tcase_add_test(tc, test_strings);
	tcase_add_test(tc, test_buf_grows_and_escapes);
	suite_add_tcase(s, tc);
	return s;
}
