/*
 * ticket_change.c: changing a ticket's status, people, priority,
 * category, colour and channel under a version check, with a system item
 * per changed field; and reopening a ticket the customer wrote to.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "alert.h"
#include "arena.h"
#include "db.h"
#include "reminder.h"
#include "request.h"
#include "ticket_change.h"
#include "watch.h"
#include "workflow.h"

enum {
	SQL_ACCESS,
	SQL_LOCK,
	SQL_NAMES,
	SQL_STATUS_BY_CODE,
	SQL_MEMBER,
	SQL_CHANNEL,
	SQL_CATEGORY,
	SQL_UPDATE,
	SQL_HISTORY,
	SQL_SINCE,
	SQL__MAX
};

static const char *const sql[SQL__MAX] = {
	[SQL_ACCESS] =
	    "SELECT t.id, m.role FROM tickets t "
	    "JOIN channel_members m ON m.channel_id = t.channel_id "
	    "AND m.user_id = ? WHERE t.number = ?",
	/* Only the ticket's row is locked; names are read without locks so
	 * that edits of different tickets never wait on a status row. */
	[SQL_LOCK] =
	    "SELECT version, channel_id, status_id, owner_id, assignee_id, "
	    "priority, category_id, colour FROM tickets WHERE id = ? "
	    "FOR UPDATE",
	[SQL_NAMES] =
	    "SELECT s.code, s.name AS status_name, s.side, "
	    "c.name AS channel_name, ow.name AS owner_name, "
	    "asg.name AS assignee_name, cat.name AS category_name "
	    "FROM tickets t JOIN statuses s ON s.id = t.status_id "
	    "JOIN channels c ON c.id = t.channel_id "
	    "LEFT JOIN users ow ON ow.id = t.owner_id "
	    "LEFT JOIN users asg ON asg.id = t.assignee_id "
	    "LEFT JOIN categories cat ON cat.id = t.category_id "
	    "WHERE t.id = ?",
	[SQL_STATUS_BY_CODE] =
	    "SELECT id, name FROM statuses WHERE code = ?",
	/* A login's membership of a channel; by id when the login is NULL. */
	[SQL_MEMBER] =
	    "SELECT u.id, u.name, m.role FROM users u "
	    "JOIN channel_members m ON m.user_id = u.id "
	    "AND m.channel_id = ? "
	    "WHERE u.active = 1 AND (u.login = ? OR (? IS NULL AND u.id = ?))",
	[SQL_CHANNEL] =
	    "SELECT c.name FROM channels c JOIN channel_members m "
	    "ON m.channel_id = c.id AND m.user_id = ? "
	    "AND m.role = 'handles' WHERE c.id = ?",
	[SQL_CATEGORY] =
	    "SELECT name FROM categories WHERE id = ? AND channel_id = ?",
	[SQL_UPDATE] =
	    "UPDATE tickets SET channel_id = ?, status_id = ?, owner_id = ?, "
	    "assignee_id = ?, priority = ?, category_id = ?, colour = ?, "
	    "version = version + 1, updated_at = UTC_TIMESTAMP(6) "
	    "WHERE id = ?",
	[SQL_HISTORY] =
	    "INSERT INTO items (ticket_id, kind, visibility, author_id, body) "
	    "VALUES (?, 'system', 'internal', ?, ?)",
	[SQL_SINCE] =
	    "SELECT i.body, i.created_at, u.name AS author FROM items i "
	    "LEFT JOIN users u ON u.id = i.author_id "
	    "WHERE i.ticket_id = ? AND i.kind = 'system' "
	    "AND CAST(JSON_VALUE(i.body, '$.version') AS UNSIGNED) > ? "
	    "ORDER BY i.id",
};

static const char *const colour_names[TW_COLOUR__MAX] = {
	[TW_COLOUR_NONE] = "none",
	[TW_COLOUR_RED] = "red",
	[TW_COLOUR_ORANGE] = "orange",
	[TW_COLOUR_YELLOW] = "yellow",
	[TW_COLOUR_GREEN] = "green",
	[TW_COLOUR_BLUE] = "blue",
	[TW_COLOUR_PURPLE] = "purple",
};

/* A ticket's fields as they are, or as they will be; names for history. */
struct state {
	long long	 version;
	long long	 channel, status, owner, assignee, priority, category;
	const char	*colour;
	const char	*channel_name, *status_name, *owner_name;
	const char	*assignee_name, *category_name;
	const char	*side;
};

void
tw_ticket_change_init(struct tw_ticket_change *ch)
{
	memset(ch, 0, sizeof(*ch));
	ch->priority = TW_UNCHANGED;
	ch->category = TW_UNCHANGED;
	ch->colour = TW_UNCHANGED;
	ch->channel = TW_UNCHANGED;
}

int
tw_ticket_change_empty(const struct tw_ticket_change *ch)
{
	return ch->status == NULL && ch->owner == NULL &&
	    ch->assignee == NULL && ch->priority == TW_UNCHANGED &&
	    ch->category == TW_UNCHANGED && ch->colour == TW_UNCHANGED &&
	    ch->channel == TW_UNCHANGED;
}

const char *
tw_colour_name(enum tw_colour c)
{
	return (unsigned)c < TW_COLOUR__MAX ? colour_names[c] : "none";
}

int
tw_colour_parse(const char *s, enum tw_colour *out)
{
	int	i;

	for (i = 0; s != NULL && i < TW_COLOUR__MAX; i++)
		if (strcmp(colour_names[i], s) == 0) {
			*out = (enum tw_colour)i;
			return 1;
		}
	return 0;
}

/* Locks the ticket's row and reads its fields and their names. */
static enum tw_err
load(struct tw_arena *a, long long ticket_id, struct state *s)
{
	struct tw_rows	*r, *n;
	enum tw_err	 rc;

	if ((rc = tw_db_query(a, sql[SQL_LOCK], &r,
	    TW_ARGS(TW_I(ticket_id)))) != TW_OK)
		return rc;
	if (r->nrows == 0)
		return TW_ERR_NOTFOUND;
	if ((rc = tw_db_query(a, sql[SQL_NAMES], &n,
	    TW_ARGS(TW_I(ticket_id)))) != TW_OK)
		return rc;

	s->version = tw_rows_int(r, 0, "version", 0);
	s->channel = tw_rows_int(r, 0, "channel_id", 0);
	s->status = tw_rows_int(r, 0, "status_id", 0);
	s->owner = tw_rows_int(r, 0, "owner_id", 0);
	s->assignee = tw_rows_int(r, 0, "assignee_id", 0);
	s->priority = tw_rows_int(r, 0, "priority", 5);
	s->category = tw_rows_int(r, 0, "category_id", 0);
	s->colour = tw_rows_str(r, 0, "colour");

	s->channel_name = tw_rows_str(n, 0, "channel_name");
	s->status_name = tw_rows_str(n, 0, "status_name");
	s->side = tw_rows_str(n, 0, "side");
	s->owner_name = tw_rows_str(n, 0, "owner_name");
	s->assignee_name = tw_rows_str(n, 0, "assignee_name");
	s->category_name = tw_rows_str(n, 0, "category_name");
	return TW_OK;
}

static enum tw_err
refuse(struct tw_ticket_change *ch, const char *field)
{
	ch->refused = field;
	return TW_ERR_INVALID;
}

static enum tw_err
change_channel(struct tw_arena *a, const struct tw_user *user,
    struct tw_ticket_change *ch, struct state *to)
{
	struct tw_rows	*r;
	enum tw_err	 rc;

	if (ch->channel == TW_UNCHANGED || ch->channel == to->channel)
		return TW_OK;

	/* Moving needs the agent in both channels; the caller checked the
	 * ticket's own. */
	if ((rc = tw_db_query(a, sql[SQL_CHANNEL], &r,
	    TW_ARGS(TW_I(user->id), TW_I(ch->channel)))) != TW_OK)
		return rc;
	if (r->nrows == 0)
		return refuse(ch, "channel");
	to->channel = ch->channel;
	to->channel_name = tw_rows_str(r, 0, "name");
	return TW_OK;
}

static enum tw_err
change_status(struct tw_arena *a, struct tw_ticket_change *ch,
    long long channel, struct state *to)
{
	struct tw_rows	*r;
	long long	 id = 0;
	enum tw_err	 rc;
	int		 ok;

	if (ch->status == NULL)
		return TW_OK;
	if ((rc = tw_db_query(a, sql[SQL_STATUS_BY_CODE], &r,
	    TW_ARGS(TW_S(ch->status)))) != TW_OK)
		return rc;
	if (r->nrows > 0 && (id = tw_rows_int(r, 0, "id", 0)) == to->status)
		return TW_OK;

	ok = 0;
	if (r->nrows > 0 && (rc = tw_workflow_permits(a, channel, to->status,
	    id, &ok)) != TW_OK)
		return rc;
	if (!ok) {
		if ((rc = tw_workflow_allowed(a, channel, to->status,
		    &ch->allowed)) != TW_OK)
			return rc;
		return refuse(ch, "status");
	}
	to->status = id;
	to->status_name = tw_rows_str(r, 0, "name");
	return TW_OK;
}

/*
 * Sets *id and *name to the person for field: the login asked for, or,
 * when none was asked for and the ticket moves, the present one, who must
 * qualify in the new channel too.  An owner handles the channel; an
 * assignee may only read along.
 */
static enum tw_err
change_person(struct tw_arena *a, struct tw_ticket_change *ch,
    const char *field, const char *login, int must_handle, long long channel,
    int moved, long long *id, const char **name)
{
	struct tw_rows	*r;
	enum tw_err	 rc;

	if (login != NULL && *login == '\0') {
		*id = 0;
		*name = NULL;
		return TW_OK;
	}
	if (login == NULL && (*id == 0 || !moved))
		return TW_OK;

	if ((rc = tw_db_query(a, sql[SQL_MEMBER], &r,
	    TW_ARGS(TW_I(channel), TW_S(login), TW_S(login),
	    TW_I(*id)))) != TW_OK)
		return rc;
	if (r->nrows == 0 || (must_handle &&
	    strcmp(tw_rows_str(r, 0, "role"), "handles") != 0))
		return refuse(ch, field);
	*id = tw_rows_int(r, 0, "id", 0);
	*name = tw_rows_str(r, 0, "name");
	return TW_OK;
}

/* A category of the ticket's channel; a move drops one of the old. */
static enum tw_err
change_category(struct tw_arena *a, struct tw_ticket_change *ch,
    struct state *to)
{
	struct tw_rows	*r;
	long long	 want = ch->category;
	enum tw_err	 rc;

	if (want == TW_UNCHANGED)
		want = to->category;
	if (want == 0) {
		to->category = 0;
		to->category_name = NULL;
		return TW_OK;
	}

	if ((rc = tw_db_query(a, sql[SQL_CATEGORY], &r,
	    TW_ARGS(TW_I(want), TW_I(to->channel)))) != TW_OK)
		return rc;
	if (r->nrows == 0) {
		if (ch->category != TW_UNCHANGED)
			return refuse(ch, "category");
		want = 0;
	}
	to->category = want;
	to->category_name = want != 0 ? tw_rows_str(r, 0, "name") : NULL;
	return TW_OK;
}

/* Works out the new state from ch; refuses what is not acceptable. */
static enum tw_err
plan(struct tw_arena *a, const struct tw_user *user,
    struct tw_ticket_change *ch, const struct state *from, struct state *to)
{
	enum tw_err	rc;
	int		moved;

	*to = *from;
	if ((rc = change_channel(a, user, ch, to)) != TW_OK)
		return rc;

	/* Transitions follow the workflow of the channel the ticket is in
	 * when it changes, not the one it is moving to. */
	if ((rc = change_status(a, ch, from->channel, to)) != TW_OK)
		return rc;
	moved = to->channel != from->channel;
	if ((rc = change_person(a, ch, "owner", ch->owner, 1, to->channel,
	    moved, &to->owner, &to->owner_name)) != TW_OK)
		return rc;
	if ((rc = change_person(a, ch, "assignee", ch->assignee, 0,
	    to->channel, moved, &to->assignee, &to->assignee_name)) != TW_OK)
		return rc;
	if (ch->priority != TW_UNCHANGED) {
		if (ch->priority < 1 || ch->priority > 9)
			return refuse(ch, "priority");
		to->priority = ch->priority;
	}
	if ((rc = change_category(a, ch, to)) != TW_OK)
		return rc;
	if (ch->colour != TW_UNCHANGED) {
		if (ch->colour < 0 || ch->colour >= TW_COLOUR__MAX)
			return refuse(ch, "colour");
		to->colour = colour_names[ch->colour];
	}
	return TW_OK;
}

/* Writes one system item: field changed from -> to in version. */
static enum tw_err
record(long long ticket_id, long long author, const char *field,
    const char *from, const char *to, long long version, const char *event)
{
	struct json_object	*o = json_object_new_object();
	const char		*body;
	enum tw_err		 rc;

	json_object_object_add(o, "field", json_object_new_string(field));
	json_object_object_add(o, "from", json_object_new_string(
	    from != NULL ? from : ""));
	json_object_object_add(o, "to", json_object_new_string(
	    to != NULL ? to : ""));
	json_object_object_add(o, "version", json_object_new_int64(version));
	if (event != NULL)
		json_object_object_add(o, "event",
		    json_object_new_string(event));
	body = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);

	rc = tw_db_exec(sql[SQL_HISTORY], NULL, NULL,
	    TW_ARGS(TW_I(ticket_id), author > 0 ? TW_I(author) : TW_NULLARG,
	    TW_S(body)));
	json_object_put(o);
	return rc;
}

/* One history item for each field that differs between a and b. */
static enum tw_err
record_all(long long ticket_id, long long author, const struct state *a,
    const struct state *b, size_t *n)
{
	char		 pa[24], pb[24];
	size_t		 i;
	enum tw_err	 rc;
	const struct {
		int		 differs;
		const char	*field, *from, *to;
	} f[] = {
		{ a->status != b->status, "status", a->status_name,
		    b->status_name },
		{ a->owner != b->owner, "owner", a->owner_name, b->owner_name },
		{ a->assignee != b->assignee, "assignee", a->assignee_name,
		    b->assignee_name },
		{ a->priority != b->priority, "priority", pa, pb },
		{ a->category != b->category, "category", a->category_name,
		    b->category_name },
		{ strcmp(a->colour, b->colour) != 0, "colour", a->colour,
		    b->colour },
		{ a->channel != b->channel, "channel", a->channel_name,
		    b->channel_name },
	};

	snprintf(pa, sizeof(pa), "%lld", a->priority);
	snprintf(pb, sizeof(pb), "%lld", b->priority);
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		if (!f[i].differs)
			continue;
		if ((rc = record(ticket_id, author, f[i].field, f[i].from,
		    f[i].to, a->version + 1, NULL)) != TW_OK)
			return rc;
		(*n)++;
	}
	return TW_OK;
}

/* How many fields differ between a and b. */
static size_t
differences(const struct state *a, const struct state *b)
{
	return (a->status != b->status) + (a->owner != b->owner) +
	    (a->assignee != b->assignee) + (a->priority != b->priority) +
	    (a->category != b->category) +
	    (strcmp(a->colour, b->colour) != 0) + (a->channel != b->channel);
}

static enum tw_err
store(long long ticket_id, const struct state *s)
{
	return tw_db_exec(sql[SQL_UPDATE], NULL, NULL,
	    TW_ARGS(TW_I(s->channel), TW_I(s->status),
	    s->owner > 0 ? TW_I(s->owner) : TW_NULLARG,
	    s->assignee > 0 ? TW_I(s->assignee) : TW_NULLARG,
	    TW_I(s->priority),
	    s->category > 0 ? TW_I(s->category) : TW_NULLARG,
	    TW_S(s->colour), TW_I(ticket_id)));
}

enum tw_err
tw_ticket_change_locked(struct tw_arena *a, const struct tw_user *user,
    long long ticket_id, struct tw_ticket_change *ch)
{
	struct state	from, to;
	size_t		n = 0;
	enum tw_err	rc;

	ch->nchanged = 0;
	if (ch->lenient && tw_ticket_change_empty(ch))
		return TW_OK;
	if ((rc = load(a, ticket_id, &from)) != TW_OK)
		return rc;
	if (!ch->lenient && ch->version > 0 && ch->version != from.version)
		return TW_ERR_CONFLICT;

	if ((rc = plan(a, user, ch, &from, &to)) != TW_OK)
		return rc;
	if (differences(&from, &to) == 0)
		return TW_OK;

	/* A form that offers fields along with something else (an item)
	 * sends their old values; only a real change makes them stale. */
	if (ch->version > 0 && ch->version != from.version)
		return TW_ERR_CONFLICT;
	if ((rc = record_all(ticket_id, user->id, &from, &to, &n)) != TW_OK)
		return rc;

	ch->nchanged = n;
	if ((rc = store(ticket_id, &to)) != TW_OK)
		return rc;
	if (to.channel != from.channel &&
	    (rc = tw_alert_forget_unseen(ticket_id)) != TW_OK)
		return rc;

	/* A new owner watches the ticket from now on, as the first did,
	 * and takes over the old owner's reminder. */
	if (to.owner <= 0 || to.owner == from.owner)
		return TW_OK;
	if (from.owner > 0 && (rc = tw_reminder_hand_over(ticket_id,
	    from.owner, to.owner)) != TW_OK)
		return rc;
	return tw_watch_add_user(ticket_id, to.owner);
}

struct update {
	struct tw_arena			*arena;
	const struct tw_user		*user;
	long long			 number;
	struct tw_ticket_change		*ch;
};

static enum tw_err
update_txn(void *ctx)
{
	struct update	*c = ctx;
	struct tw_rows	*r;
	enum tw_err	 rc;

	if ((rc = tw_db_query(c->arena, sql[SQL_ACCESS], &r,
	    TW_ARGS(TW_I(c->user->id), TW_I(c->number)))) != TW_OK)
		return rc;
	if (r->nrows == 0)
		return TW_ERR_NOTFOUND;
	if (strcmp(tw_rows_str(r, 0, "role"), "handles") != 0)
		return TW_ERR_FORBIDDEN;
	return tw_ticket_change_locked(c->arena, c->user,
	    tw_rows_int(r, 0, "id", 0), c->ch);
}

enum tw_err
tw_ticket_update(struct tw_arena *a, const struct tw_user *user,
    long long number, struct tw_ticket_change *ch)
{
	struct update	c = { a, user, number, ch };

	return tw_db_txn(update_txn, &c);
}

enum tw_err
tw_ticket_reopen(struct tw_arena *a, long long ticket_id,
    long long author_id, int *reopened)
{
	struct tw_rows	*r;
	struct state	 from, to;
	const char	*code;
	enum tw_err	 rc;

	*reopened = 0;
	if ((rc = load(a, ticket_id, &from)) != TW_OK)
		return rc;
	if (from.side == NULL || strcmp(from.side, "done") != 0)
		return TW_OK;

	code = from.owner > 0 ? "in_progress" : "new";
	if ((rc = tw_db_query(a, sql[SQL_STATUS_BY_CODE], &r,
	    TW_ARGS(TW_S(code)))) != TW_OK)
		return rc;
	if (r->nrows == 0)
		return TW_ERR_INTERNAL;
	to = from;
	to.status = tw_rows_int(r, 0, "id", 0);
	to.status_name = tw_rows_str(r, 0, "name");

	if ((rc = record(ticket_id, author_id, "status", from.status_name,
	    to.status_name, from.version + 1, "reopen")) != TW_OK)
		return rc;
	if ((rc = store(ticket_id, &to)) != TW_OK)
		return rc;
	*reopened = 1;
	return TW_OK;
}

enum tw_err
tw_ticket_changes_since(struct tw_arena *a, long long ticket_id,
    long long version, struct tw_rows **out)
{
	return tw_db_query(a, sql[SQL_SINCE], out,
	    TW_ARGS(TW_I(ticket_id), TW_I(version)));
}
