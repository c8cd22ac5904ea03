/*
 * queue_filter.c: the queue's query parameters, read and checked into a
 * struct tw_queue_filter, and the parts of the page that show them: the
 * filter form's choices, the saved views and the pager links, which
 * carry the filters along.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "arena.h"
#include "buf.h"
#include "db.h"
#include "handlers.h"
#include "i18n.h"
#include "queue.h"
#include "request.h"
#include "ticket.h"
#include "valid.h"
#include "view.h"

#define SEARCH_MAX	200	/* characters in the search box */

/* The parameters the pager links carry, in the order they write them. */
static const char *const carried[] = {
	"view", "channel", "status", "side", "owner", "assignee", "priority",
	"organisation", "created_from", "created_to", "updated_from",
	"updated_to", "q", "sort", "dir",
};

/* The saved views: parameter value and catalog key of the tab. */
static const char *const views[][2] = {
	{ "", "queue_view_all" },
	{ "mine", "queue_view_mine" },
	{ "channels", "queue_view_channels" },
	{ "waiting", "queue_view_waiting" },
};

static const char *const sides[] = { "us", "customer", "done" };

/* Fails the request with 422 and the catalog sentence about field. */
static enum tw_err
bad(struct tw_request *req, const char *field)
{
	const char	*text = tw_t(req->lang, "queue_bad_value");
	const char	*label = tw_t(req->lang,
	    tw_arena_concat(req->arena, "field_", field));
	const char	*at = strstr(text, "{field}");

	if (at != NULL)
		text = tw_arena_printf(req->arena, "%.*s%s%s",
		    (int)(at - text), text, label, at + strlen("{field}"));
	return tw_fail(req, TW_ERR_INVALID, field, text);
}

/* The parameter's value, NULL when absent or empty. */
static const char *
param(const struct tw_request *req, const char *name)
{
	const char	*v = tw_form_get(&req->query, name);

	return v != NULL && *v != '\0' ? v : NULL;
}

/* A positive id of at most 18 digits; 0 when s is not one. */
static long long
parse_id(const char *s)
{
	size_t	i;

	for (i = 0; s[i] != '\0'; i++)
		if (!isdigit((unsigned char)s[i]) || i >= 18)
			return 0;
	return i > 0 ? strtoll(s, NULL, 10) : 0;
}

/* Whether column col of some row of rows equals s. */
static int
rows_have(const struct tw_rows *rows, const char *col, const char *s)
{
	const char	*v;
	size_t		 i;

	for (i = 0; i < rows->nrows; i++)
		if ((v = tw_rows_str(rows, i, col)) != NULL &&
		    strcmp(v, s) == 0)
			return 1;
	return 0;
}

/* An agent: "me" or the id of a user the form offers. */
static enum tw_err
parse_agent(struct tw_request *req, const struct tw_queue_choices *c,
    const char *field, long long *out)
{
	const char	*v = param(req, field);

	if (v == NULL)
		return TW_OK;
	if (strcmp(v, "me") == 0) {
		*out = req->user->id;
		return TW_OK;
	}
	if ((*out = parse_id(v)) == 0 || !rows_have(c->agents, "id", v))
		return bad(req, field);
	return TW_OK;
}

/* "3" or "2-4": priorities 1..9, the lower first. */
static enum tw_err
parse_priority(struct tw_request *req, struct tw_queue_filter *f)
{
	const char	*v = param(req, "priority");

	if (v == NULL)
		return TW_OK;
	if (v[0] >= '1' && v[0] <= '9' && v[1] == '\0') {
		f->prio_min = f->prio_max = v[0] - '0';
		return TW_OK;
	}
	if (v[0] >= '1' && v[0] <= '9' && v[1] == '-' && v[2] >= v[0] &&
	    v[2] <= '9' && v[3] == '\0') {
		f->prio_min = v[0] - '0';
		f->prio_max = v[2] - '0';
		return TW_OK;
	}
	return bad(req, "priority");
}

/* Whether s has the shape YYYY-MM-DD. */
static int
is_day(const char *s)
{
	size_t	i;

	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' :
		    !isdigit((unsigned char)s[i]))
			return 0;
	return s[10] == '\0';
}

/*
 * A day YYYY-MM-DD in the display time zone, as the UTC instant it
 * starts, or when end is set the instant the next day starts.
 */
static enum tw_err
parse_day(struct tw_request *req, const char *field, int end,
    const char **out)
{
	const char	*v = param(req, field);
	struct tm	 tm, want;
	time_t		 t;
	char		*utc;

	if (v == NULL)
		return TW_OK;
	if (!is_day(v))
		return bad(req, field);
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = atoi(v) - 1900;
	tm.tm_mon = atoi(v + 5) - 1;
	tm.tm_mday = atoi(v + 8);
	if (tm.tm_year < 70 || tm.tm_year > 1100)
		return bad(req, field);
	want = tm;
	tm.tm_isdst = -1;
	if (mktime(&tm) == -1 || tm.tm_mday != want.tm_mday ||
	    tm.tm_mon != want.tm_mon)
		return bad(req, field);

	tm = want;
	tm.tm_mday += end;
	tm.tm_isdst = -1;
	t = mktime(&tm);
	gmtime_r(&t, &tm);
	utc = tw_arena_alloc(req->arena, 24);
	strftime(utc, 24, "%Y-%m-%d %H:%M:%S", &tm);
	*out = utc;
	return TW_OK;
}

/* The saved view's filters, which the other parameters add to. */
static enum tw_err
apply_view(struct tw_request *req, struct tw_queue_filter *f)
{
	const char	*v = param(req, "view");

	if (v == NULL)
		return TW_OK;
	if (strcmp(v, "mine") == 0)
		f->owner = req->user->id;
	else if (strcmp(v, "channels") == 0)
		f->handled_only = 1;
	else if (strcmp(v, "waiting") == 0)
		f->side = "customer";
	else
		return bad(req, "view");
	return TW_OK;
}

static enum tw_err
parse_sort(struct tw_request *req, struct tw_queue_filter *f)
{
	const char	*v;
	int		 s;

	f->sort = TW_QUEUE_SORT_CREATED;
	f->desc = 1;
	if ((v = param(req, "sort")) != NULL) {
		if ((s = tw_queue_sort_parse(v)) < 0)
			return bad(req, "sort");
		f->sort = (enum tw_queue_sort)s;
	}
	if ((v = param(req, "dir")) != NULL) {
		if (strcmp(v, "asc") != 0 && strcmp(v, "desc") != 0)
			return bad(req, "dir");
		f->desc = v[0] == 'd';
	}
	return TW_OK;
}

/* Channel, status, side and organisation, checked against what exists. */
static enum tw_err
parse_where(struct tw_request *req, const struct tw_queue_choices *c,
    struct tw_queue_filter *f)
{
	const char	*v, *name;
	size_t		 i;
	enum tw_err	 rc;

	if ((v = param(req, "channel")) != NULL &&
	    ((f->channel = parse_id(v)) == 0 ||
	    !rows_have(c->channels, "id", v)))
		return bad(req, "channel");
	if ((v = param(req, "status")) != NULL) {
		if (!rows_have(c->statuses, "code", v))
			return bad(req, "status");
		f->status = v;
	}
	if ((v = param(req, "side")) != NULL) {
		for (i = 0; i < sizeof(sides) / sizeof(sides[0]); i++)
			if (strcmp(sides[i], v) == 0)
				break;
		if (i == sizeof(sides) / sizeof(sides[0]))
			return bad(req, "side");
		f->side = sides[i];
	}
	if ((v = param(req, "organisation")) != NULL) {
		if ((f->organisation = parse_id(v)) == 0)
			return bad(req, "organisation");
		rc = tw_queue_organisation(req->arena, f->organisation, &name);
		if (rc == TW_ERR_NOTFOUND)
			return bad(req, "organisation");
		if (rc != TW_OK)
			return rc;
	}
	return TW_OK;
}

static enum tw_err
parse_search(struct tw_request *req, struct tw_queue_filter *f)
{
	const char	*v = param(req, "q");

	if (v == NULL)
		return TW_OK;
	if (tw_utf8_chars(v, strlen(v)) > SEARCH_MAX)
		return bad(req, "q");
	if ((f->match = tw_queue_match(req->arena, v)) == NULL)
		return tw_fail(req, TW_ERR_INVALID, "q",
		    tw_t(req->lang, "queue_bad_search"));
	return TW_OK;
}

enum tw_err
queue_filter_read(struct tw_request *req, const struct tw_queue_choices *c,
    struct tw_queue_filter *f)
{
	enum tw_err	rc;

	memset(f, 0, sizeof(*f));
	if ((rc = apply_view(req, f)) != TW_OK ||
	    (rc = parse_where(req, c, f)) != TW_OK ||
	    (rc = parse_agent(req, c, "owner", &f->owner)) != TW_OK ||
	    (rc = parse_agent(req, c, "assignee", &f->assignee)) != TW_OK ||
	    (rc = parse_priority(req, f)) != TW_OK ||
	    (rc = parse_day(req, "created_from", 0, &f->created_from)) !=
	    TW_OK ||
	    (rc = parse_day(req, "created_to", 1, &f->created_to)) != TW_OK ||
	    (rc = parse_day(req, "updated_from", 0, &f->updated_from)) !=
	    TW_OK ||
	    (rc = parse_day(req, "updated_to", 1, &f->updated_to)) != TW_OK ||
	    (rc = parse_search(req, f)) != TW_OK)
		return rc;
	return parse_sort(req, f);
}

/*
 * "/tickets/?channel=3&q=printer&" with the parameters the request
 * carried, URL-encoded, for the caller to add the page to.
 */
static const char *
queue_href(struct tw_request *req)
{
	struct tw_buf	 b;
	const char	*v;
	size_t		 i;

	tw_buf_init(&b, req->arena);
	tw_buf_puts(&b, "/tickets/?");
	for (i = 0; i < sizeof(carried) / sizeof(carried[0]); i++) {
		if ((v = param(req, carried[i])) == NULL)
			continue;
		tw_buf_printf(&b, "%s=", carried[i]);
		tw_buf_urlenc(&b, v, strlen(v));
		tw_buf_putc(&b, '&');
	}
	return b.data;
}

void
queue_add_pager(struct tw_request *req, struct json_object *m,
    long long page, size_t nrows, long long total, int more)
{
	const char	*base = queue_href(req);
	long long	 first = (page - 1) * TW_QUEUE_PAGE + 1;
	char		 text[32];
	int		 next;

	tw_json_set(m, "page", json_object_new_int64(page));
	tw_json_set(m, "total", json_object_new_int64(total));
	tw_json_set(m, "total_more", json_object_new_boolean(more));
	tw_i18n_number(req->lang, total, text, sizeof(text));
	tw_json_set(m, "total_fmt", json_object_new_string(text));
	if (nrows > 0) {
		tw_i18n_number(req->lang, first, text, sizeof(text));
		tw_json_set(m, "first_fmt",
		    json_object_new_string(text));
		tw_i18n_number(req->lang, first + (long long)nrows - 1, text,
		    sizeof(text));
		tw_json_set(m, "last_fmt",
		    json_object_new_string(text));
	}

	tw_json_set(m, "prev_page",
	    page > 1 ? json_object_new_int64(page - 1) : NULL);
	if (page > 1)
		tw_json_set(m, "prev_href", json_object_new_string(
		    tw_arena_printf(req->arena, "%spage=%lld", base,
		    page - 1)));
	next = nrows == TW_QUEUE_PAGE && (more || page * TW_QUEUE_PAGE <
	    total);
	tw_json_set(m, "next_page",
	    next ? json_object_new_int64(page + 1) : NULL);
	if (next)
		tw_json_set(m, "next_href", json_object_new_string(
		    tw_arena_printf(req->arena, "%spage=%lld", base,
		    page + 1)));
}

/* An option {value, name, selected} for a select of the form. */
static struct json_object *
option(const char *value, const char *name, int selected)
{
	struct json_object	*o = json_object_new_object();

	tw_json_set(o, "value", json_object_new_string(value));
	tw_json_set(o, "name", json_object_new_string(name));
	tw_json_set(o, "selected",
	    json_object_new_boolean(selected));
	return o;
}

/*
 * Appends to list the options of rows (value and name columns), with the
 * one the parameter field names selected; returns list.
 */
static struct json_object *
add_options(struct tw_request *req, struct json_object *list,
    const struct tw_rows *rows, const char *vcol, const char *ncol,
    const char *field)
{
	const char		*want = param(req, field), *v;
	size_t			 i;

	for (i = 0; i < rows->nrows; i++) {
		v = tw_rows_str(rows, i, vcol);
		json_object_array_add(list, option(v, tw_rows_str(rows, i,
		    ncol), want != NULL && strcmp(want, v) == 0));
	}
	return list;
}

static struct json_object *
options_of(struct tw_request *req, const struct tw_rows *rows,
    const char *vcol, const char *ncol, const char *field)
{
	return add_options(req, json_object_new_array(), rows, vcol, ncol,
	    field);
}

/* The channels the user handles, for moving tickets in bulk. */
static struct json_object *
handled_channels(const struct tw_rows *rows)
{
	struct json_object	*list = json_object_new_array();
	size_t			 i;

	for (i = 0; i < rows->nrows; i++)
		if (strcmp(tw_rows_str(rows, i, "role"), "handles") == 0)
			json_object_array_add(list, option(tw_rows_str(rows,
			    i, "id"), tw_rows_str(rows, i, "name"), 0));
	return list;
}

/* The agents, "me" first, the parameter's choice marked. */
static struct json_object *
agent_options(struct tw_request *req, const struct tw_rows *rows,
    const char *field)
{
	struct json_object	*list = json_object_new_array();
	const char		*want = param(req, field);

	json_object_array_add(list, option("me", tw_t(req->lang, "queue_me"),
	    want != NULL && strcmp(want, "me") == 0));
	return add_options(req, list, rows, "id", "name", field);
}

static struct json_object *
side_options(struct tw_request *req)
{
	struct json_object	*list = json_object_new_array();
	const char		*want = param(req, "side");
	size_t			 i;

	for (i = 0; i < sizeof(sides) / sizeof(sides[0]); i++)
		json_object_array_add(list, option(sides[i], tw_t(req->lang,
		    tw_arena_concat(req->arena, "side_", sides[i])),
		    want != NULL && strcmp(want, sides[i]) == 0));
	return list;
}

static struct json_object *
sort_options(struct tw_request *req, const struct tw_queue_filter *f)
{
	struct json_object	*list = json_object_new_array();
	const char		*name;
	int			 s;

	for (s = 0; s < TW_QUEUE_SORT__MAX; s++) {
		name = tw_queue_sort_name((enum tw_queue_sort)s);
		json_object_array_add(list, option(name, tw_t(req->lang,
		    tw_arena_concat(req->arena, "queue_sort_", name)),
		    (int)f->sort == s));
	}
	return list;
}

static struct json_object *
view_tabs(struct tw_request *req)
{
	struct json_object	*list = json_object_new_array(), *o;
	const char		*now = param(req, "view");
	size_t			 i;

	for (i = 0; i < sizeof(views) / sizeof(views[0]); i++) {
		o = json_object_new_object();
		tw_json_set(o, "href", json_object_new_string(
		    *views[i][0] == '\0' ? "/tickets/" :
		    tw_arena_printf(req->arena, "/tickets/?view=%s",
		    views[i][0])));
		tw_json_set(o, "name", json_object_new_string(
		    tw_t(req->lang, views[i][1])));
		tw_json_set(o, "current", json_object_new_boolean(
		    now == NULL ? i == 0 : strcmp(now, views[i][0]) == 0));
		json_object_array_add(list, o);
	}
	return list;
}

/* The filter's values as sent, for the form's text and date inputs. */
static struct json_object *
filter_values(struct tw_request *req, const struct tw_queue_filter *f)
{
	struct json_object	*o = json_object_new_object();
	const char		*v;
	size_t			 i;

	for (i = 0; i < sizeof(carried) / sizeof(carried[0]); i++)
		if ((v = param(req, carried[i])) != NULL)
			json_object_object_add(o, carried[i],
			    json_object_new_string(v));
	tw_json_set(o, "desc", json_object_new_boolean(f->desc));
	return o;
}

static struct json_object *
every_agent(struct tw_request *req, void *agents)
{
	return agent_options(req, agents, "");
}

/* The agents' options as HTML, the one parameter field names marked. */
static struct json_object *
agents_html(struct tw_request *req, const struct tw_rows *agents,
    const char *field)
{
	struct options_list	 list = { NULL, "option_value", "value",
	    every_agent, (void *)agents };
	struct tw_buf		 b;
	int			 found;

	list.key = tw_arena_concat(req->arena, "queue_agents:", req->lang);
	tw_buf_init(&b, req->arena);
	if (options_html(req, &list, field != NULL ? param(req, field) :
	    NULL, &b, &found) != TW_OK)
		return NULL;
	return json_object_new_string_len(b.data, (int)b.len);
}

void
queue_add_form(struct tw_request *req, struct json_object *m,
    const struct tw_queue_choices *c, const struct tw_queue_filter *f)
{
	tw_json_set(m, "filter", filter_values(req, f));
	tw_json_set(m, "views", view_tabs(req));
	tw_json_set(m, "channel_options",
	    options_of(req, c->channels, "id", "name", "channel"));
	tw_json_set(m, "status_options",
	    options_of(req, c->statuses, "code", "name", "status"));
	tw_json_set(m, "side_options", side_options(req));
	tw_json_set(m, "owner_options", agents_html(req, c->agents, "owner"));
	tw_json_set(m, "assignee_options", agents_html(req, c->agents,
	    "assignee"));
	tw_json_set(m, "sort_options", sort_options(req, f));
	tw_json_set(m, "bulk_channels",
	    handled_channels(c->channels));
	tw_json_set(m, "bulk_statuses",
	    options_of(req, c->statuses, "code", "name", ""));
	tw_json_set(m, "bulk_agents", agents_html(req, c->agents, NULL));
}
