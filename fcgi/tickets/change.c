/*
 * change.c: changing a ticket (status, owner, assignee, priority,
 * category, colour, channel) from its page or the API, and what the
 * ticket page shows for it: the edit form's choices, the history items
 * in words, and what changed under a stale form.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "buf.h"
#include "channel.h"
#include "category.h"
#include "db.h"
#include "handlers.h"
#include "i18n.h"
#include "request.h"
#include "response.h"
#include "ticket_change.h"
#include "valid.h"
#include "view.h"
#include "workflow.h"

#define LOGIN_MAX	64
#define CODE_MAX	32

/* A text field that is absent (NULL) or a line of up to max. */
static enum tw_err
optional_line(struct tw_request *req, const char *field, size_t max,
    const char **out)
{
	*out = NULL;
	if (tw_req_field(req, field) == NULL)
		return TW_OK;
	return tw_valid_text(req, field, 0, max, TW_TEXT_LINE |
	    TW_TEXT_OPTIONAL, out);
}

enum tw_err
change_read(struct tw_request *req, struct tw_ticket_change *ch,
    int lenient)
{
	const char	*colour;
	enum tw_colour	 c;
	enum tw_err	 rc;

	tw_ticket_change_init(ch);
	ch->lenient = lenient;
	if (lenient)
		rc = tw_valid_int(req, "version", 1, UINT_MAX, 0,
		    &ch->version);
	else
		rc = tw_valid_int_required(req, "version", 1, UINT_MAX,
		    &ch->version);
	if (rc != TW_OK)
		return rc;

	if ((rc = optional_line(req, "status", CODE_MAX, &ch->status)) !=
	    TW_OK || (rc = optional_line(req, "owner", LOGIN_MAX,
	    &ch->owner)) != TW_OK || (rc = optional_line(req, "assignee",
	    LOGIN_MAX, &ch->assignee)) != TW_OK)
		return rc;
	if (ch->status != NULL && *ch->status == '\0')
		ch->status = NULL;

	if ((rc = tw_valid_int(req, "priority", 1, 9, TW_UNCHANGED,
	    &ch->priority)) != TW_OK || (rc = tw_valid_int(req, "category",
	    0, LLONG_MAX, TW_UNCHANGED, &ch->category)) != TW_OK ||
	    (rc = tw_valid_int(req, "channel", 1, LLONG_MAX, TW_UNCHANGED,
	    &ch->channel)) != TW_OK)
		return rc;

	if ((rc = optional_line(req, "colour", 16, &colour)) != TW_OK)
		return rc;
	if (colour != NULL && *colour != '\0') {
		if (!tw_colour_parse(colour, &c))
			return tw_fail(req, TW_ERR_INVALID, "colour",
			    tw_t(req->lang, "error_colour"));
		ch->colour = c;
	}
	return TW_OK;
}

/* "New, In progress" from the allowed statuses, or the word for none. */
static const char *
allowed_names(struct tw_request *req, const struct tw_rows *allowed)
{
	struct tw_buf	b;
	size_t		i;

	if (allowed == NULL || allowed->nrows == 0)
		return tw_t(req->lang, "transition_none");
	tw_buf_init(&b, req->arena);
	for (i = 0; i < allowed->nrows; i++) {
		if (i > 0)
			tw_buf_puts(&b, ", ");
		tw_buf_puts(&b, tw_rows_str(allowed, i, "name"));
	}
	return b.data;
}

/* The sentence for a refused field, in the request's language. */
static const char *
refusal(struct tw_request *req, const struct tw_ticket_change *ch)
{
	const char	*field = ch->refused != NULL ? ch->refused : "";
	const char	*text;

	if (strcmp(field, "status") == 0) {
		text = tw_t(req->lang, "error_transition");
		return tw_arena_printf(req->arena, "%s %s.", text,
		    allowed_names(req, ch->allowed));
	}
	if (strcmp(field, "channel") == 0)
		return tw_t(req->lang, "error_channel");
	return tw_t(req->lang, tw_arena_concat(req->arena, "error_",
	    field));
}

/* The permitted statuses as a JSON array of {code, name}. */
static struct json_object *
allowed_json(const struct tw_rows *allowed)
{
	struct json_object	*list = json_object_new_array(), *o;
	size_t			 i;

	for (i = 0; allowed != NULL && i < allowed->nrows; i++) {
		o = json_object_new_object();
		tw_json_set(o, "code", json_object_new_string(
		    tw_rows_str(allowed, i, "code")));
		tw_json_set(o, "name", json_object_new_string(
		    tw_rows_str(allowed, i, "name")));
		json_object_array_add(list, o);
	}
	return list;
}

enum tw_err
change_refused(struct tw_request *req, long long number,
    struct tw_ticket_change *ch, enum tw_err rc)
{
	struct json_object	*m;

	if (rc == TW_ERR_CONFLICT) {
		tw_fail(req, rc, "version", tw_t(req->lang, "error_conflict"));
		return ticket_page(req, number, 409);
	}
	if (rc != TW_ERR_INVALID)
		return rc;

	tw_fail(req, rc, ch->refused, refusal(req, ch));
	if (!req->wants_json)
		return ticket_page(req, number, 422);

	m = json_object_new_object();
	tw_json_set(m, "status", json_object_new_int(422));
	tw_json_set(m, "message",
	    json_object_new_string(req->fail_message));
	tw_json_set(m, "field", json_object_new_string(
	    req->fail_field != NULL ? req->fail_field : ""));
	if (ch->refused != NULL && strcmp(ch->refused, "status") == 0)
		tw_json_set(m, "allowed",
		    allowed_json(ch->allowed));
	tw_view_error(req, 422, m);
	return TW_OK;
}

enum tw_err
ticket_update(struct tw_request *req)
{
	struct tw_ticket_change	 ch;
	long long		 number = ticket_route_number(req);
	enum tw_err		 rc;

	if (number <= 0)
		return TW_ERR_NOTFOUND;
	if ((rc = change_read(req, &ch, 0)) != TW_OK) {
		if (req->wants_json || rc != TW_ERR_INVALID)
			return rc;
		return ticket_page(req, number, 422);
	}

	rc = tw_ticket_update(req->arena, req->user, number, &ch);
	if (rc == TW_ERR_INVALID || rc == TW_ERR_CONFLICT)
		return change_refused(req, number, &ch, rc);
	if (rc != TW_OK)
		return rc;

	if (req->wants_json)
		return ticket_page(req, number, 200);
	return tw_resp_redirect(req,
	    tw_arena_printf(req->arena, "/tickets/%lld", number));
}

/* Fills o as an option of a select: {key, label, selected}. */
static void
add_option_to(struct json_object *o, const char *key, struct json_object *v,
    const char *label, int selected)
{
	tw_json_set(o, key, v);
	tw_json_set(o, "label", json_object_new_string(
	    label != NULL ? label : ""));
	tw_json_set(o, "selected", json_object_new_boolean(selected));
}

/* Adds {key, label, selected} rows for a select to list. */
static void
add_option(struct json_object *list, const char *key, struct json_object *v,
    const char *label, int selected)
{
	struct json_object	*o = json_object_new_object();

	add_option_to(o, key, v, label, selected);
	json_object_array_add(list, o);
}

static int
same(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* The statuses the ticket may take, its own first. */
static struct json_object *
status_options(struct tw_request *req, const struct tw_rows *ticket,
    long long channel, long long status)
{
	struct json_object	*list = json_object_new_array();
	struct tw_rows		*r;
	size_t			 i;

	add_option(list, "code", json_object_new_string(
	    tw_rows_str(ticket, 0, "status")), tw_rows_str(ticket, 0,
	    "status_name"), 1);
	if (tw_workflow_allowed(req->arena, channel, status, &r) != TW_OK)
		return list;
	for (i = 0; i < r->nrows; i++)
		add_option(list, "code", json_object_new_string(
		    tw_rows_str(r, i, "code")), tw_rows_str(r, i, "name"), 0);
	return list;
}

/*
 * Owners (who handle the channel) or assignees (any member), "nobody"
 * first, the one whose login is current (nobody for NULL) selected.
 */
static struct json_object *
people_list(struct tw_request *req, const struct tw_rows *agents,
    int owners, const char *current)
{
	struct json_object	*list = json_object_new_array();
	const char		*login;
	size_t			 i;

	add_option(list, "login", json_object_new_string(""),
	    tw_t(req->lang, "option_nobody"), current == NULL);
	for (i = 0; agents != NULL && i < agents->nrows; i++) {
		if (owners && !same(tw_rows_str(agents, i, "role"), "handles"))
			continue;
		login = tw_rows_str(agents, i, "login");
		add_option(list, "login", json_object_new_string(login),
		    tw_rows_str(agents, i, "name"), same(login, current));
	}
	return list;
}

/* Whether a person of list (from people_list) has login. */
static int
people_have(struct json_object *list, const char *login)
{
	struct json_object	*v;
	size_t			 i;

	for (i = 0; i < json_object_array_length(list); i++)
		if (json_object_object_get_ex(json_object_array_get_idx(list,
		    i), "login", &v) && same(json_object_get_string(v), login))
			return 1;
	return 0;
}

/*
 * The owners or assignees with current chosen.  Someone who left the
 * channel stays chosen until changed, so a form sent unchanged does not
 * change them by accident.
 */
static struct json_object *
people_options(struct tw_request *req, const struct tw_rows *agents,
    int owners, const char *current, const char *current_name)
{
	struct json_object	*list;

	list = people_list(req, agents, owners, current);
	if (current != NULL && !people_have(list, current))
		add_option(list, "login", json_object_new_string(current),
		    current_name, 1);
	return list;
}

struct people {
	long long	channel;
	int		owners;
};

static struct json_object *
people_unchosen(struct tw_request *req, void *ctx)
{
	const struct people	*p = ctx;
	struct tw_rows		*agents = NULL;

	tw_workflow_agents(req->arena, p->channel, &agents);
	return people_list(req, agents, p->owners, "");
}

/* people_options for a page: the same choices, as HTML. */
static struct json_object *
people_html(struct tw_request *req, int owners, long long channel,
    const char *current, const char *current_name)
{
	struct people		 p = { channel, owners };
	struct options_list	 list = { NULL, "option_login", "login",
	    people_unchosen, &p };
	struct json_object	*o;
	struct tw_buf		 b;
	int			 found;

	list.key = tw_arena_printf(req->arena, "%s:%lld:%s", owners ?
	    "owners" : "assignees", channel, req->lang);
	tw_buf_init(&b, req->arena);
	if (options_html(req, &list, current != NULL ? current : "", &b,
	    &found) != TW_OK)
		return NULL;
	if (!found) {
		o = json_object_new_object();
		add_option_to(o, "login", json_object_new_string(current),
		    current_name, 1);
		if (options_item("option_login", o, &b) != TW_OK)
			return NULL;
	}
	return json_object_new_string_len(b.data, (int)b.len);
}

static struct json_object *
id_options(struct tw_request *req, const struct tw_rows *r,
    const char *none_key, long long current)
{
	struct json_object	*list = json_object_new_array();
	long long		 id;
	size_t			 i;

	if (none_key != NULL)
		add_option(list, "id", json_object_new_int64(0),
		    tw_t(req->lang, none_key), current == 0);
	for (i = 0; r != NULL && i < r->nrows; i++) {
		id = tw_rows_int(r, i, "id", 0);
		add_option(list, "id", json_object_new_int64(id),
		    tw_rows_str(r, i, "name"), id == current);
	}
	return list;
}

static struct json_object *
colour_options(struct tw_request *req, const char *current)
{
	struct json_object	*list = json_object_new_array();
	const char		*name;
	int			 c;

	for (c = 0; c < TW_COLOUR__MAX; c++) {
		name = tw_colour_name((enum tw_colour)c);
		add_option(list, "value", json_object_new_string(name),
		    tw_t(req->lang, tw_arena_concat(req->arena, "colour_",
		    name)), same(name, current));
	}
	return list;
}

static struct json_object *
priority_choices(struct tw_request *req, long long current)
{
	struct json_object	*list = json_object_new_array();
	int			 p;

	for (p = 1; p <= 9; p++)
		add_option(list, "value", json_object_new_int(p),
		    tw_arena_printf(req->arena, "%d", p), p == current);
	return list;
}

/* The choices of the edit form, as the ticket is now. */
static struct json_object *
edit_model(struct tw_request *req, const struct tw_rows *ticket)
{
	struct json_object	*e = json_object_new_object();
	struct tw_rows		*agents = NULL, *cats = NULL, *chans = NULL;
	long long		 channel;

	channel = tw_rows_int(ticket, 0, "channel_id", 0);

	tw_category_list(req->arena, channel, &cats);
	tw_channel_handled(req->arena, req->user->id, &chans);

	tw_json_set(e, "statuses", status_options(req, ticket,
	    channel, tw_rows_int(ticket, 0, "status_id", 0)));
	if (req->wants_json) {
		tw_workflow_agents(req->arena, channel, &agents);
		tw_json_set(e, "owners", people_options(req, agents, 1,
		    tw_rows_str(ticket, 0, "owner_login"),
		    tw_rows_str(ticket, 0, "owner")));
		tw_json_set(e, "assignees", people_options(req, agents, 0,
		    tw_rows_str(ticket, 0, "assignee_login"),
		    tw_rows_str(ticket, 0, "assignee")));
	} else {
		tw_json_set(e, "owners", people_html(req, 1, channel,
		    tw_rows_str(ticket, 0, "owner_login"),
		    tw_rows_str(ticket, 0, "owner")));
		tw_json_set(e, "assignees", people_html(req, 0, channel,
		    tw_rows_str(ticket, 0, "assignee_login"),
		    tw_rows_str(ticket, 0, "assignee")));
	}
	tw_json_set(e, "priorities", priority_choices(req,
	    tw_rows_int(ticket, 0, "priority", 5)));
	tw_json_set(e, "categories", id_options(req, cats,
	    "option_no_category", tw_rows_int(ticket, 0, "category_id", 0)));
	tw_json_set(e, "colours", colour_options(req,
	    tw_rows_str(ticket, 0, "colour")));
	tw_json_set(e, "channels", id_options(req, chans, NULL,
	    channel));
	return e;
}

/* A history value in words: colours translated, nothing as a dash. */
static const char *
change_value(struct tw_request *req, const char *field, const char *v)
{
	if (v == NULL || *v == '\0')
		return tw_t(req->lang, "history_none");
	if (strcmp(field, "colour") == 0)
		return tw_t(req->lang, tw_arena_printf(req->arena,
		    "colour_%s", v));
	return v;
}

/*
 * The words of a system item's body {"field", "from", "to", ...}, or
 * NULL when the body is not one.  The caller owns the object.
 */
static struct json_object *
change_words(struct tw_request *req, const char *body)
{
	struct json_object	*src, *o;
	const char		*field, *from, *to, *event;
	struct json_object	*v;

	if (body == NULL || (src = json_tokener_parse(body)) == NULL)
		return NULL;
	field = json_object_object_get_ex(src, "field", &v) ?
	    json_object_get_string(v) : NULL;
	from = json_object_object_get_ex(src, "from", &v) ?
	    json_object_get_string(v) : NULL;
	to = json_object_object_get_ex(src, "to", &v) ?
	    json_object_get_string(v) : NULL;
	event = json_object_object_get_ex(src, "event", &v) ?
	    json_object_get_string(v) : NULL;
	if (field == NULL) {
		json_object_put(src);
		return NULL;
	}

	o = json_object_new_object();
	tw_json_set(o, "field", json_object_new_string(field));
	tw_json_set(o, "label", json_object_new_string(tw_t(
	    req->lang, tw_arena_concat(req->arena, "field_", field))));
	tw_json_set(o, "from", json_object_new_string(
	    change_value(req, field, from)));
	tw_json_set(o, "to", json_object_new_string(
	    change_value(req, field, to)));
	if (event != NULL && strcmp(event, "reopen") == 0)
		tw_json_set(o, "reopened",
		    json_object_new_string(tw_t(req->lang,
		    "history_reopened")));
	json_object_put(src);
	return o;
}

/* Gives each system item of the page its change in words. */
static void
add_history_words(struct tw_request *req, struct json_object *m)
{
	struct json_object	*items, *it, *kind, *body, *w;
	size_t			 i;

	if (!json_object_object_get_ex(m, "items", &items) ||
	    !json_object_is_type(items, json_type_array))
		return;
	for (i = 0; i < json_object_array_length(items); i++) {
		it = json_object_array_get_idx(items, i);
		if (!json_object_object_get_ex(it, "kind", &kind) ||
		    strcmp(json_object_get_string(kind), "system") != 0 ||
		    !json_object_object_get_ex(it, "body", &body))
			continue;
		if ((w = change_words(req, json_object_get_string(body))) !=
		    NULL)
			tw_json_set(it, "change", w);
	}
}

/* What changed since the version a stale form was showing. */
static struct json_object *
conflict_changes(struct tw_request *req, long long ticket_id)
{
	struct json_object	*list = json_object_new_array(), *w;
	struct tw_rows		*r;
	const char		*seen = tw_req_field(req, "version");
	size_t			 i;

	if (seen == NULL || tw_ticket_changes_since(req->arena, ticket_id,
	    atoll(seen), &r) != TW_OK)
		return list;
	for (i = 0; i < r->nrows; i++) {
		if ((w = change_words(req, tw_rows_str(r, i, "body"))) == NULL)
			continue;
		tw_json_set(w, "author", json_object_new_string(
		    tw_rows_str(r, i, "author") != NULL ?
		    tw_rows_str(r, i, "author") : ""));
		tw_json_set(w, "created_at", json_object_new_string(
		    tw_rows_str(r, i, "created_at")));
		add_datetime(req, w, "created_at");
		json_object_array_add(list, w);
	}
	return list;
}

/* The colour of the page's ticket object in words. */
static void
add_colour_label(struct tw_request *req, struct json_object *m,
    const struct tw_rows *ticket)
{
	struct json_object	*t;
	const char		*colour = tw_rows_str(ticket, 0, "colour");

	if (!json_object_object_get_ex(m, "ticket", &t) ||
	    !json_object_is_type(t, json_type_object))
		return;
	tw_json_set(t, "colour_label", json_object_new_string(
	    tw_t(req->lang, tw_arena_concat(req->arena, "colour_",
	    colour != NULL ? colour : "none"))));
}

void
change_page(struct tw_request *req, struct json_object *m,
    const struct tw_rows *ticket, int status)
{
	struct json_object	*err;
	long long		 id = tw_rows_int(ticket, 0, "id", 0);

	add_history_words(req, m);
	add_colour_label(req, m, ticket);
	if (same(tw_rows_str(ticket, 0, "my_role"), "handles"))
		tw_json_set(m, "edit", edit_model(req, ticket));

	if (status == 409) {
		tw_json_set(m, "conflict",
		    json_object_new_boolean(1));
		tw_json_set(m, "changes",
		    conflict_changes(req, id));
	}

	/* API clients get the error in the shape of every other error. */
	if (req->wants_json && req->fail_message != NULL) {
		err = json_object_new_object();
		tw_json_set(err, "status",
		    json_object_new_int(status));
		tw_json_set(err, "message",
		    json_object_new_string(req->fail_message));
		if (req->fail_field != NULL)
			tw_json_set(err, "field",
			    json_object_new_string(req->fail_field));
		tw_json_set(m, "error", err);
	}
}
