/*
 * test_merge.c: merging two tickets and splitting items off, over HTTP.
 * Every item must end up on exactly one ticket.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <json-c/json.h>

#include "db.h"
#include "http.h"
#include "suites.h"

static const char sql_items_of[] =
    "SELECT COUNT(*) FROM items i JOIN tickets t ON t.id = i.ticket_id "
    "WHERE t.number = ? AND i.kind <> 'system'";
static const char sql_items_marked[] =
    "SELECT COUNT(*) FROM items WHERE body LIKE CONCAT(?, '%')";
static const char sql_events_of[] =
    "SELECT COUNT(*) FROM items i JOIN tickets t ON t.id = i.ticket_id "
    "WHERE t.number = ? AND i.kind = 'system' AND i.body LIKE ?";
static const char sql_item_ids[] =
    "SELECT GROUP_CONCAT(i.id ORDER BY i.id) FROM items i "
    "JOIN tickets t ON t.id = i.ticket_id "
    "WHERE t.number = ? AND i.kind <> 'system'";

/* Adds an item whose text starts with marker; asserts the 201. */
static void
add_item(const char *token, long long number, const char *marker, int n)
{
	char			*path, *body;
	struct http_resp	*r;

	path = fx_printf("/tickets/%lld/items", number);
	body = fx_printf("{\"body\":\"%s item %d\"}", marker, n);
	r = fx_api(token, "POST", path, body);
	ck_assert_msg(r->status == 201, "add item: %ld %s", r->status,
	    r->body);
	http_resp_free(r);
	free(path);
	free(body);
}

static long long
items_of(long long number)
{
	return fx_db_int(sql_items_of, -1, TW_ARGS(TW_I(number)));
}

static long long
events_of(long long number, const char *event)
{
	char		*like = fx_printf("%%\"event\":\"%s\"%%", event);
	long long	 n;

	n = fx_db_int(sql_events_of, -1, TW_ARGS(TW_I(number), TW_S(like)));
	free(like);
	return n;
}

START_TEST(test_merge_moves_every_item_once)
{
	char			*token = fx_token("admin");
	char			*marker = fx_marker("itest-merge");
	long long		 support = fx_channel("Support");
	long long		 a, b;
	struct http_resp	*r;
	struct json_object	*o;
	char			*path, *body, *loc;

	a = fx_ticket_new(token, marker, support);
	b = fx_ticket_new(token, marker, support);
	add_item(token, a, marker, 1);
	add_item(token, a, marker, 2);
	add_item(token, b, marker, 3);

	path = fx_printf("/tickets/%lld/merge", a);
	body = fx_printf("{\"target\":%lld}", b);
	r = fx_api(token, "POST", path, body);
	ck_assert_msg(r->status == 200, "merge: %ld %s", r->status, r->body);
	o = http_json(r);
	ck_assert_int_eq(http_json_int(o, "merged_into", 0), b);
	json_object_put(o);
	http_resp_free(r);

	/* Exactly once: all three on the target, none left behind. */
	ck_assert_int_eq(items_of(a), 0);
	ck_assert_int_eq(items_of(b), 3);
	ck_assert_int_eq(fx_db_int(sql_items_marked, -1,
	    TW_ARGS(TW_S(marker))), 3);
	ck_assert_int_eq(events_of(b, "merged_from"), 1);
	ck_assert_int_eq(events_of(a, "merged_into"), 1);

	/* The old number leads to the target, in JSON and HTML. */
	free(path);
	path = fx_printf("/tickets/%lld", a);
	{
		char		*auth = fx_bearer(token);
		const char	*h[] = { auth, NULL };

		r = http_request(NULL, "GET", path, h, NULL, 0);
		free(auth);
	}
	ck_assert_int_eq(r->status, 303);
	loc = http_header(r, "Location", 0);
	free(body);
	body = fx_printf("/tickets/%lld", b);
	ck_assert_str_eq(loc, body);
	free(loc);
	http_resp_free(r);

	/* Merging again, or into itself, is refused and changes nothing. */
	free(path);
	path = fx_printf("/tickets/%lld/merge", b);
	free(body);
	body = fx_printf("{\"target\":%lld}", b);
	r = fx_api(token, "POST", path, body);
	ck_assert_int_eq(r->status, 422);
	o = http_json(r);
	ck_assert_str_eq(http_json_str(o, "error.field"), "target");
	json_object_put(o);
	http_resp_free(r);
	ck_assert_int_eq(items_of(b), 3);

	free(path);
	free(body);
	free(marker);
	free(token);
}
END_TEST

START_TEST(test_merge_permissions)
{
	char			*admin = fx_token("admin");
	char			*ksturm = fx_token("ksturm");
	char			*mroth = fx_token("mroth");
	char			*marker = fx_marker("itest-mergeperm");
	long long		 s1, s2, sales;
	struct http_resp	*r;
	char			*path, *body;

	s1 = fx_ticket_new(admin, marker, fx_channel("Support"));
	s2 = fx_ticket_new(admin, marker, fx_channel("Support"));
	sales = fx_ticket_new(admin, marker, fx_channel("Sales"));

	/* Into a ticket one cannot see: as if it did not exist. */
	path = fx_printf("/tickets/%lld/merge", s1);
	body = fx_printf("{\"target\":%lld}", sales);
	r = fx_api(ksturm, "POST", path, body);
	ck_assert_int_eq(r->status, 422);
	http_resp_free(r);

	/* Reading along is not enough to merge. */
	free(body);
	body = fx_printf("{\"target\":%lld}", s2);
	r = fx_api(mroth, "POST", path, body);
	ck_assert_int_eq(r->status, 403);
	http_resp_free(r);

	ck_assert_int_eq(events_of(s1, "merged_into"), 0);
	free(path);
	free(body);
	free(marker);
	free(admin);
	free(ksturm);
	free(mroth);
}
END_TEST

START_TEST(test_split_through_the_form)
{
	char			*token = fx_token("admin");
	char			*marker = fx_marker("itest-split");
	struct http_agent	*agent = fx_signin("admin", fx_password());
	long long		 n, m;
	const char		*ids;
	char			*path, *body, *csrf, *loc;
	char			*first, *second, *third;
	struct http_resp	*r;

	n = fx_ticket_new(token, marker, fx_channel("Support"));
	add_item(token, n, marker, 1);
	add_item(token, n, marker, 2);
	add_item(token, n, marker, 3);
	ids = fx_db_str(sql_item_ids, NULL, TW_ARGS(TW_I(n)));
	ck_assert_ptr_nonnull(ids);
	first = strdup(ids);
	second = strchr(first, ',');
	ck_assert_ptr_nonnull(second);
	*second++ = '\0';
	third = strchr(second, ',');
	ck_assert_ptr_nonnull(third);
	*third++ = '\0';

	path = fx_printf("/tickets/%lld/split", n);
	r = http_get(agent, path);
	ck_assert_int_eq(r->status, 200);
	ck_assert(http_body_has(r, "name=\"item\""));
	csrf = http_csrf(r);
	http_resp_free(r);

	/* Taking every item is refused: the ticket would be left empty. */
	body = fx_printf("_csrf=%s&subject=%s-all&item=%s&item=%s&item=%s",
	    csrf, marker, first, second, third);
	r = http_post_form(agent, path, body);
	ck_assert_int_eq(r->status, 422);
	http_resp_free(r);
	ck_assert_int_eq(items_of(n), 3);

	free(body);
	body = fx_printf("_csrf=%s&subject=%s-new&item=%s&item=%s", csrf,
	    marker, first, second);
	r = http_post_form(agent, path, body);
	ck_assert_msg(r->status == 303, "split: %ld", r->status);
	loc = http_header(r, "Location", 0);
	ck_assert(strncmp(loc, "/tickets/", 9) == 0);
	m = atoll(loc + 9);
	http_resp_free(r);

	ck_assert_int_eq(items_of(n), 1);
	ck_assert_int_eq(items_of(m), 2);
	ck_assert_int_eq(fx_db_int(sql_items_marked, -1,
	    TW_ARGS(TW_S(marker))), 3);
	ck_assert_int_eq(events_of(m, "split_from"), 1);
	ck_assert_int_eq(events_of(n, "split_to"), 1);

	/* The history says so in words on both pages. */
	free(path);
	path = fx_printf("/tickets/%lld", m);
	r = http_get(agent, path);
	free(body);
	body = fx_printf("Split off from ticket #%lld.", n);
	ck_assert_msg(http_body_has(r, body), "no split sentence");
	http_resp_free(r);

	free(loc);
	free(first);
	free(csrf);
	free(path);
	free(body);
	free(marker);
	free(token);
	http_agent_free(agent);
}
END_TEST

Suite *
tw_merge_suite(void)
{
	Suite	*s = suite_create("merge");
	TCase	*tc = fx_tcase("merge", 60);

	tcase_add_test(tc, test_merge_moves_every_item_once);
	tcase_add_test(tc, test_merge_permissions);
	tcase_add_test(tc, test_split_through_the_form);
	suite_add_tcase(s, tc);
	return s;
}
