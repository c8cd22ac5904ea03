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
#include "invitation.h"
#include "request.h"
#include "when.h"

enum {
	SQL_LOCK,
	SQL_MEMBER,
	SQL_INSERT,
	SQL_PARTICIPANT,
	SQL_LOCK_ONE,
	SQL_UPDATE,
	SQL_FORGET_PEOPLE,
	SQL_CANCEL,
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
	[SQL_LOCK_ONE] =
	    "SELECT cancelled_at IS NOT NULL AS cancelled FROM appointments "
	    "WHERE id = ? AND ticket_id = ? FOR UPDATE",
	[SQL_UPDATE] =
	    "UPDATE appointments SET title = ?, location = ?, starts_at = ?, "
	    "ends_at = ?, sequence = sequence + 1, "
	    "updated_at = UTC_TIMESTAMP(6) WHERE id = ?",
	[SQL_FORGET_PEOPLE] =
	    "DELETE FROM appointment_participants WHERE appointment_id = ?",
	[SQL_CANCEL] =
	    "UPDATE appointments SET cancelled_at = UTC_TIMESTAMP(6), "
	    "sequence = sequence + 1, updated_at = UTC_TIMESTAMP(6) "
	    "WHERE id = ?",
	/* A subquery per appointment rather than GROUP BY over a join,
	 * which costs a temporary table even when there is no row. */
	[SQL_LIST] =
	    "SELECT a.id, a.title, a.location, a.starts_at, a.ends_at, "
	    "a.sequence, a.cancelled_at IS NOT NULL AS cancelled, "
	    "(SELECT GROUP_CONCAT(u.name ORDER BY u.name SEPARATOR ', ') "
	    "FROM appointment_participants p JOIN users u ON u.id = p.user_id "
	    "WHERE p.appointment_id = a.id) AS participants "
	    "FROM appointments a WHERE a.ticket_id = ? "
	    "ORDER BY a.starts_at, a.id LIMIT ?",
	[SQL_GET] =
	    "SELECT a.id, a.title, a.location, a.starts_at, a.ends_at, "
	    "a.sequence, a.cancelled_at IS NOT NULL AS cancelled, "
	    "t.number, t.subject FROM appointments a "
	    "JOIN tickets t ON t.id = a.ticket_id "
	    "JOIN channel_members m ON m.channel_id = t.channel_id "
	    "AND m.user_id = ? WHERE t.number = ? AND a.id = ?",
	[SQL_PEOPLE] =
	    "SELECT u.id AS user_id, u.name, u.email, u.lang "
	    "FROM appointment_participants p "
	    "JOIN users u ON u.id = p.user_id "
	    "WHERE p.appointment_id = ? ORDER BY u.name",
};

/* What one change to a ticket's appointments works on. */
struct change {
	struct tw_arena				*arena;
	const struct tw_user			*user;
	long long				 number;
	long long				 id;	/* 0: a new one */
	const struct tw_appointment_new		*in;	/* NULL: cancel */
	long long				 ticket_id;
	long long				 channel_id;
};

/* TW_OK when every participant belongs to the ticket's channel. */
static enum tw_err
check_people(struct change *c)
{
	struct tw_rows	*r;
	size_t		 i;
	enum tw_err	 rc;

	for (i = 0; i < c->in->nparticipants; i++) {
		rc = tw_db_query(c->arena, sql[SQL_MEMBER], &r, TW_ARGS(
		    TW_I(c->in->participants[i]), TW_I(c->channel_id)));
		if (rc != TW_OK)
			return rc;
		if (r->nrows == 0)
			return TW_ERR_INVALID;
	}
	return TW_OK;
}

/*
 * Locks the ticket for a member who handles its channel, and the
 * appointment c->id of it when there is one; TW_ERR_CONFLICT for a
 * cancelled appointment unless cancelling it again (*cancelled says).
 */
static enum tw_err
lock(struct change *c, int *cancelled)
{
	struct tw_rows	*r;
	enum tw_err	 rc;

	*cancelled = 0;
	rc = tw_db_query(c->arena, sql[SQL_LOCK], &r,
	    TW_ARGS(TW_I(c->user->id), TW_I(c->number)));
	if (rc != TW_OK)
		return rc;
	if (r->nrows == 0)
		return TW_ERR_NOTFOUND;
	if (strcmp(tw_rows_str(r, 0, "role"), "handles") != 0)
		return TW_ERR_FORBIDDEN;
	c->ticket_id = tw_rows_int(r, 0, "id", 0);
	c->channel_id = tw_rows_int(r, 0, "channel_id", 0);
	if (c->id == 0)
		return TW_OK;

	rc = tw_db_query(c->arena, sql[SQL_LOCK_ONE], &r,
	    TW_ARGS(TW_I(c->id), TW_I(c->ticket_id)));
	if (rc != TW_OK)
		return rc;
	if (r->nrows == 0)
		return TW_ERR_NOTFOUND;
	*cancelled = tw_rows_int(r, 0, "cancelled", 0) != 0;
	return *cancelled && c->in != NULL ? TW_ERR_CONFLICT : TW_OK;
}

/* Writes the appointment's fields and participants, new or changed. */
static enum tw_err
write_appointment(struct change *c)
{
	unsigned long long	 id = 0;
	char			 start[32], end[32];
	size_t			 i;
	enum tw_err		 rc;

	tw_when_sql(c->in->start, start, sizeof(start));
	tw_when_sql(c->in->end, end, sizeof(end));
	if (c->id == 0) {
		rc = tw_db_exec(sql[SQL_INSERT], NULL, &id, TW_ARGS(
		    TW_I(c->ticket_id), TW_S(c->in->title),
		    TW_S(c->in->location), TW_S(start), TW_S(end),
		    TW_I(c->user->id)));
		c->id = (long long)id;
	} else {
		rc = tw_db_exec(sql[SQL_UPDATE], NULL, NULL, TW_ARGS(
		    TW_S(c->in->title), TW_S(c->in->location), TW_S(start),
		    TW_S(end), TW_I(c->id)));
		if (rc == TW_OK)
			rc = tw_db_exec(sql[SQL_FORGET_PEOPLE], NULL, NULL,
			    TW_ARGS(TW_I(c->id)));
	}
	for (i = 0; rc == TW_OK && i < c->in->nparticipants; i++)
		rc = tw_db_exec(sql[SQL_PARTICIPANT], NULL, NULL, TW_ARGS(
		    TW_I(c->id), TW_I(c->in->participants[i])));
	return rc;
}

/*
 * Makes, changes or cancels the appointment, and queues the mail that
 * tells its participants (and those a change dropped).
 */
static enum tw_err
change_txn(void *ctx)
{
	struct change	*c = ctx;
	struct tw_rows	*before = NULL;
	int		 cancelled;
	enum tw_err	 rc;

	if ((rc = lock(c, &cancelled)) != TW_OK)
		return rc;
	if (c->in == NULL) {
		if (cancelled)
			return TW_OK;
		rc = tw_db_exec(sql[SQL_CANCEL], NULL, NULL,
		    TW_ARGS(TW_I(c->id)));
	} else {
		if ((rc = check_people(c)) != TW_OK)
			return rc;
		if (c->id > 0 && (rc = tw_appointment_people(c->arena, c->id,
		    &before)) != TW_OK)
			return rc;
		rc = write_appointment(c);
	}
	if (rc != TW_OK)
		return rc;
	return tw_invitation_queue(c->arena, c->id, c->user->id, before);
}

enum tw_err
tw_appointment_add(struct tw_arena *a, const struct tw_user *user,
    long long number, const struct tw_appointment_new *in, long long *id)
{
	struct change	c = { a, user, number, 0, in, 0, 0 };
	enum tw_err	rc;

	rc = tw_db_txn(change_txn, &c);
	*id = rc == TW_OK ? c.id : 0;
	return rc;
}

enum tw_err
tw_appointment_change(struct tw_arena *a, const struct tw_user *user,
    long long number, long long id, const struct tw_appointment_new *in)
{
	struct change	c = { a, user, number, id, in, 0, 0 };

	return id > 0 ? tw_db_txn(change_txn, &c) : TW_ERR_NOTFOUND;
}

enum tw_err
tw_appointment_cancel(struct tw_arena *a, const struct tw_user *user,
    long long number, long long id)
{
	struct change	c = { a, user, number, id, NULL, 0, 0 };

	return id > 0 ? tw_db_txn(change_txn, &c) : TW_ERR_NOTFOUND;
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
tw_appointment_get(struct tw_arena *a, const struct tw_user *user,
    long long number, long long id, struct tw_rows **row,
    struct tw_rows **people)
{
	enum tw_err	rc;

	rc = tw_db_query(a, sql[SQL_GET], row,
	    TW_ARGS(TW_I(user->id), TW_I(number), TW_I(id)));
	if (rc != TW_OK)
		return rc;
	if ((*row)->nrows == 0)
		return TW_ERR_NOTFOUND;
	return tw_appointment_people(a, id, people);
}

enum tw_err
tw_appointment_people(struct tw_arena *a, long long id,
    struct tw_rows **out)
{
	return tw_db_query(a, sql[SQL_PEOPLE], out, TW_ARGS(TW_I(id)));
}

enum tw_err
tw_appointment_ical(struct tw_arena *a, const struct tw_user *user,
    long long number, long long id, const char *site, struct tw_buf *out)
{
	struct tw_ical_event	 ev;
	struct tw_rows		*r, *people;
	const char		*link;
	enum tw_err		 rc;

	rc = tw_appointment_get(a, user, number, id, &r, &people);
	if (rc != TW_OK)
		return rc;

	if (site != NULL)
		link = tw_arena_printf(a, "%s/tickets/%lld", site, number);
	else
		link = tw_alert_link(a, number, 0);
	tw_appointment_event(a, r, people, link, &ev);
	return tw_ical_event(out, &ev) == 0 ? TW_OK : TW_ERR_INTERNAL;
}

void
tw_appointment_event(struct tw_arena *a, const struct tw_rows *r,
    const struct tw_rows *people, const char *link,
    struct tw_ical_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->uid = tw_arena_printf(a, "appointment-%s@%s",
	    tw_rows_str(r, 0, "id"), tw_alert_host(a));
	ev->stamp = time(NULL);
	ev->start = tw_i18n_parse_utc(tw_rows_str(r, 0, "starts_at"));
	ev->end = tw_i18n_parse_utc(tw_rows_str(r, 0, "ends_at"));
	ev->summary = tw_rows_str(r, 0, "title");
	ev->location = tw_rows_str(r, 0, "location");
	ev->description = tw_arena_printf(a, "#%s %s\n%s",
	    tw_rows_str(r, 0, "number"), tw_rows_str(r, 0, "subject"), link);
	ev->url = link[0] == '/' ? NULL : link;
	ev->attendees = attendees(a, people);
	ev->nattendees = people->nrows;
	ev->sequence = (unsigned)tw_rows_int(r, 0, "sequence", 0);
	ev->cancelled = tw_rows_int(r, 0, "cancelled", 0) != 0;
}
