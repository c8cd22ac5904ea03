/*
 * appointment.c: appointments of a ticket and their calendar files.
 */
#include "config.h"

#include <string.h>

#include "alert.h"
#include "appointment.h"
#include "arena.h"
#include "buf.h"
#include "db.h"
#include "i18n.h"
#include "ical.h"
#include "request.h"
#include "when.h"

enum {
	SQL_LOCK,
	SQL_MEMBER,
	SQL_INSERT,
	SQL_PARTICIPANT,
	SQL_LIST,
	SQL_GET,
	SQL_PEOPLE,
	SQL__MAX
};

static const char *const sql[SQL__MAX] = {
	[SQL_LOCK] =
	    "SELECT t.id, t.channel_id, m.role FROM tickets t "
	    "JOIN channel_members m ON m.channel_id = t.channel_id "
	    "AND m.user_id = ? WHERE t.number = ? FOR UPDATE",
	[SQL_MEMBER] =
	    "SELECT 1 FROM channel_members m JOIN users u ON u.id = m.user_id "
	    "WHERE m.user_id = ? AND m.channel_id = ? AND u.active = 1",
	[SQL_INSERT] =
	    "INSERT INTO appointments (ticket_id, title, location, "
	    "starts_at, ends_at, created_by) VALUES (?, ?, ?, ?, ?, ?)",
	[SQL_PARTICIPANT] =
	    "INSERT INTO appointment_participants (appointment_id, user_id) "
	    "VALUES (?, ?) ON DUPLICATE KEY UPDATE user_id = user_id",
	/* A subquery per appointment rather than GROUP BY over a join,
	 * which costs a temporary table even when there is no row. */
	[SQL_LIST] =
	    "SELECT a.id, a.title, a.location, a.starts_at, a.ends_at, "
	    "(SELECT GROUP_CONCAT(u.name ORDER BY u.name SEPARATOR ', ') "
	    "FROM appointment_participants p JOIN users u ON u.id = p.user_id "
	    "WHERE p.appointment_id = a.id) AS participants "
	    "FROM appointments a WHERE a.ticket_id = ? "
	    "ORDER BY a.starts_at, a.id LIMIT ?",
	[SQL_GET] =
	    "SELECT a.id, a.title, a.location, a.starts_at, a.ends_at, "
	    "t.number, t.subject FROM appointments a "
	    "JOIN tickets t ON t.id = a.ticket_id "
	    "JOIN channel_members m ON m.channel_id = t.channel_id "
	    "AND m.user_id = ? WHERE t.number = ? AND a.id = ?",
	[SQL_PEOPLE] =
	    "SELECT u.name, u.email FROM appointment_participants p "
	    "JOIN users u ON u.id = p.user_id "
	    "WHERE p.appointment_id = ? ORDER BY u.name",
};

struct add {
	struct tw_arena				*arena;
	const struct tw_user			*user;
	long long				 number;
	const struct tw_appointment_new		*in;
	unsigned long long			 id;
};

/* TW_OK when every participant belongs to channel_id. */
static enum tw_err
check_people(struct add *c, long long channel_id)
{
	struct tw_rows	*r;
	size_t		 i;
	enum tw_err	 rc;

	for (i = 0; i < c->in->nparticipants; i++) {
		rc = tw_db_query(c->arena, sql[SQL_MEMBER], &r, TW_ARGS(
		    TW_I(c->in->participants[i]), TW_I(channel_id)));
		if (rc != TW_OK)
			return rc;
		if (r->nrows == 0)
			return TW_ERR_INVALID;
	}
	return TW_OK;
}

static enum tw_err
add_txn(void *ctx)
{
	struct add	*c = ctx;
	struct tw_rows	*r;
	char		 start[32], end[32];
	long long	 ticket_id;
	size_t		 i;
	enum tw_err	 rc;

	rc = tw_db_query(c->arena, sql[SQL_LOCK], &r,
	    TW_ARGS(TW_I(c->user->id), TW_I(c->number)));
	if (rc != TW_OK)
		return rc;
	if (r->nrows == 0)
		return TW_ERR_NOTFOUND;
	if (strcmp(tw_rows_str(r, 0, "role"), "handles") != 0)
		return TW_ERR_FORBIDDEN;
	ticket_id = tw_rows_int(r, 0, "id", 0);
	if ((rc = check_people(c, tw_rows_int(r, 0, "channel_id", 0))) !=
	    TW_OK)
		return rc;

	tw_when_sql(c->in->start, start, sizeof(start));
	tw_when_sql(c->in->end, end, sizeof(end));
	rc = tw_db_exec(sql[SQL_INSERT], NULL, &c->id, TW_ARGS(
	    TW_I(ticket_id), TW_S(c->in->title), TW_S(c->in->location),
	    TW_S(start), TW_S(end), TW_I(c->user->id)));
	for (i = 0; rc == TW_OK && i < c->in->nparticipants; i++)
		rc = tw_db_exec(sql[SQL_PARTICIPANT], NULL, NULL, TW_ARGS(
		    TW_I((long long)c->id), TW_I(c->in->participants[i])));
	return rc;
}

enum tw_err
tw_appointment_add(struct tw_arena *a, const struct tw_user *user,
    long long number, const struct tw_appointment_new *in, long long *id)
{
	struct add	c = { a, user, number, in, 0 };
	enum tw_err	rc;

	rc = tw_db_txn(add_txn, &c);
	*id = (long long)c.id;
	return rc;
}

enum tw_err
tw_appointment_list(struct tw_arena *a, long long ticket_id,
    struct tw_rows **out)
{
	return tw_db_query(a, sql[SQL_LIST], out,
	    TW_ARGS(TW_I(ticket_id), TW_I(TW_APPOINTMENT_LIST_MAX)));
}

/* The participants of rows as iCalendar attendees, in the arena. */
static struct tw_ical_attendee *
attendees(struct tw_arena *a, const struct tw_rows *people)
{
	struct tw_ical_attendee	*list;
	size_t			 i;

	list = tw_arena_calloc(a, people->nrows + 1, sizeof(*list));
	for (i = 0; i < people->nrows; i++) {
		list[i].name = tw_rows_str(people, i, "name");
		list[i].email = tw_rows_str(people, i, "email");
	}
	return list;
}

enum tw_err
tw_appointment_ical(struct tw_arena *a, const struct tw_user *user,
    long long number, long long id, const char *site, struct tw_buf *out)
{
	struct tw_ical_event	 ev;
	struct tw_rows		*r, *people;
	const char		*link;
	enum tw_err		 rc;

	rc = tw_db_query(a, sql[SQL_GET], &r,
	    TW_ARGS(TW_I(user->id), TW_I(number), TW_I(id)));
	if (rc != TW_OK)
		return rc;
	if (r->nrows == 0)
		return TW_ERR_NOTFOUND;
	rc = tw_db_query(a, sql[SQL_PEOPLE], &people, TW_ARGS(TW_I(id)));
	if (rc != TW_OK)
		return rc;

	if (site != NULL)
		link = tw_arena_printf(a, "%s/tickets/%lld", site, number);
	else
		link = tw_alert_link(a, number, 0);
	memset(&ev, 0, sizeof(ev));
	ev.uid = tw_arena_printf(a, "appointment-%lld@%s", id,
	    tw_alert_host(a));
	ev.stamp = time(NULL);
	ev.start = tw_i18n_parse_utc(tw_rows_str(r, 0, "starts_at"));
	ev.end = tw_i18n_parse_utc(tw_rows_str(r, 0, "ends_at"));
	ev.summary = tw_rows_str(r, 0, "title");
	ev.location = tw_rows_str(r, 0, "location");
	ev.description = tw_arena_printf(a, "#%lld %s\n%s", number,
	    tw_rows_str(r, 0, "subject"), link);
	ev.url = link[0] == '/' ? NULL : link;
	ev.attendees = attendees(a, people);
	ev.nattendees = people->nrows;
	return tw_ical_event(out, &ev) == 0 ? TW_OK : TW_ERR_INTERNAL;
}
