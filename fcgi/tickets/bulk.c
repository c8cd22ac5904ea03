/*
 * bulk.c: POST /tickets/bulk, one change for the tickets ticked in the
 * queue, answered with what happened to each of them.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "bulk.h"
#include "handlers.h"
#include "i18n.h"
#include "request.h"
#include "view.h"

/* A ticket number as the form sends it, "4319" or "#4319"; 0 if not. */
static long long
parse_number(const char *s)
{
	size_t	i;

	if (*s == '#')
		s++;
	for (i = 0; s[i] != '\0'; i++)
		if (!isdigit((unsigned char)s[i]) || i >= 18)
			return 0;
	return i > 0 ? strtoll(s, NULL, 10) : 0;
}

static int
cmp_number(const void *a, const void *b)
{
	long long	x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

/* Appends the number of one ticket field; 0 when the value is not one. */
static int
add_number(long long *out, size_t *n, const char *s)
{
	long long	v = parse_number(s);

	if (v == 0 || *n == TW_BULK_MAX)
		return 0;
	out[(*n)++] = v;
	return 1;
}

/*
 * The ticked tickets, from the form's ticket[] fields or the JSON body's
 * "tickets" array, sorted and without repeats so rows are locked in one
 * order.  422 when there are none, too many or a malformed one.
 */
static enum tw_err
read_numbers(struct tw_request *req, long long **out, size_t *n)
{
	struct json_object	*list, *v;
	size_t			 i, j;
	long long		*nums;
	int			 ok = 1;

	nums = tw_arena_calloc(req->arena, TW_BULK_MAX, sizeof(*nums));
	*n = 0;
	if (req->json != NULL && json_object_object_get_ex(req->json,
	    "tickets", &list) && json_object_is_type(list, json_type_array)) {
		for (i = 0; ok && i < json_object_array_length(list); i++) {
			v = json_object_array_get_idx(list, i);
			ok = add_number(nums, n, json_object_get_string(v));
		}
	}
	for (i = 0; ok && i < req->form.nparams; i++)
		if (strcmp(req->form.params[i].name, "ticket[]") == 0)
			ok = add_number(nums, n, req->form.params[i].value);
	if (!ok || *n == 0)
		return tw_fail(req, TW_ERR_INVALID, "ticket",
		    tw_t(req->lang, ok ? "bulk_none" : "bulk_bad_ticket"));

	qsort(nums, *n, sizeof(*nums), cmp_number);
	for (i = j = 0; i < *n; i++)
		if (j == 0 || nums[j - 1] != nums[i])
			nums[j++] = nums[i];
	*n = j;
	*out = nums;
	return TW_OK;
}

/* The action and its value; the field the value comes from on failure. */
static enum tw_err
read_change(struct tw_request *req, struct tw_bulk_change *c,
    const char **field)
{
	const char	*v;
	int		 a;

	memset(c, 0, sizeof(*c));
	*field = "action";
	if ((a = tw_bulk_action_parse(tw_req_field(req, "action"))) < 0)
		return TW_ERR_INVALID;
	c->action = (enum tw_bulk_action)a;

	*field = a == TW_BULK_ASSIGN ? "assignee" : tw_bulk_action_name(
	    c->action);
	if ((v = tw_req_field(req, *field)) == NULL || *v == '\0')
		return TW_ERR_INVALID;
	if (c->action == TW_BULK_STATUS)
		c->status = v;
	else if (c->action == TW_BULK_ASSIGN && strcmp(v, "me") == 0)
		c->assignee = req->user->id;
	else if ((c->assignee = c->channel = parse_number(v)) == 0)
		return TW_ERR_INVALID;
	return TW_OK;
}

static struct json_object *
results_view(struct tw_request *req, const long long *nums, size_t n,
    const enum tw_bulk_result *res, int *changed)
{
	struct json_object	*list = json_object_new_array(), *o;
	const char		*name;
	size_t			 i;

	*changed = 0;
	for (i = 0; i < n; i++) {
		name = tw_bulk_result_name(res[i]);
		o = json_object_new_object();
		tw_json_set(o, "number",
		    json_object_new_int64(nums[i]));
		tw_json_set(o, "result",
		    json_object_new_string(name));
		tw_json_set(o, "result_label",
		    json_object_new_string(tw_t(req->lang,
		    tw_arena_concat(req->arena, "bulk_", name))));
		tw_json_set(o, "visible", json_object_new_boolean(
		    res[i] != TW_BULK_NOTFOUND));
		json_object_array_add(list, o);
		*changed += res[i] == TW_BULK_CHANGED;
	}
	return list;
}

enum tw_err
queue_bulk(struct tw_request *req)
{
	struct tw_bulk_change	 c;
	struct json_object	*m, *list;
	enum tw_bulk_result	*res;
	const char		*field;
	long long		*nums = NULL;
	size_t			 n = 0;
	int			 changed;
	enum tw_err		 rc;

	if ((rc = read_numbers(req, &nums, &n)) != TW_OK)
		return rc;
	if (read_change(req, &c, &field) != TW_OK)
		return tw_fail(req, TW_ERR_INVALID, field,
		    tw_t(req->lang, "bulk_bad_change"));
	res = tw_arena_calloc(req->arena, n, sizeof(*res));
	rc = tw_bulk_apply(req->arena, req->user, &c, nums, n, res);
	if (rc == TW_ERR_INVALID)
		return tw_fail(req, rc, field,
		    tw_t(req->lang, "bulk_bad_change"));
	if (rc != TW_OK)
		return rc;

	m = json_object_new_object();
	list = results_view(req, nums, n, res, &changed);
	tw_json_set(m, "action", json_object_new_string(
	    tw_bulk_action_name(c.action)));
	tw_json_set(m, "results", list);
	tw_json_set(m, "changed", json_object_new_int(changed));
	tw_json_set(m, "count", json_object_new_int64((long long)n));
	return tw_view(req, 200, "bulk", m);
}
