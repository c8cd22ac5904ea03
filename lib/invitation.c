/*
 * invitation.c: the mail that tells participants of an appointment, with
 * the event for their calendars.
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
#include "outbound.h"

static const char sql_one[] =
    "SELECT a.id, a.title, a.location, a.starts_at, a.ends_at, a.sequence, "
    "a.cancelled_at IS NOT NULL AS cancelled, t.id AS ticket_id, t.number, "
    "t.subject, c.name AS channel, c.email AS channel_email "
    "FROM appointments a JOIN tickets t ON t.id = a.ticket_id "
    "JOIN channels c ON c.id = t.channel_id WHERE a.id = ?";

/* What every mail about one appointment shares. */
struct invite {
	struct tw_arena		*arena;
	const struct tw_rows	*row;
	const struct tw_rows	*people;
	struct tw_ical_attendee	 organizer;
	const char		*from_addr;	/* NULL: [smtp] from */
	const char		*from_name;
	const char		*link;
	long long		 actor_id;
};

/* Whether user_id is among the rows of people. */
static int
takes_part(const struct tw_rows *people, long long user_id)
{
	size_t	i;

	for (i = 0; i < people->nrows; i++)
		if (tw_rows_int(people, i, "user_id", 0) == user_id)
			return 1;
	return 0;
}

/* The subject: what happened, the title, the ticket number. */
static const char *
subject(struct invite *v, const char *lang, const char *method)
{
	const char	*what;

	if (strcmp(method, "CANCEL") == 0)
		what = "invitation_cancelled";
	else if (tw_rows_int(v->row, 0, "sequence", 0) > 0)
		what = "invitation_changed";
	else
		what = "invitation_new";
	return tw_arena_printf(v->arena, "%s: %s [#%s]", tw_t(lang, what),
	    tw_rows_str(v->row, 0, "title"), tw_rows_str(v->row, 0, "number"));
}

/* The text: when, where, which ticket, and why this mail came. */
static const char *
body(struct invite *v, const char *lang)
{
	const struct tw_rows	*r = v->row;
	struct tw_buf		 b;
	char			 start[64], end[64];

	tw_i18n_datetime(lang, tw_i18n_parse_utc(tw_rows_str(r, 0,
	    "starts_at")), start, sizeof(start));
	tw_i18n_datetime(lang, tw_i18n_parse_utc(tw_rows_str(r, 0,
	    "ends_at")), end, sizeof(end));
	tw_buf_init(&b, v->arena);
	tw_buf_printf(&b, "%s\n\n%s: %s - %s\n", tw_rows_str(r, 0, "title"),
	    tw_t(lang, "invitation_when"), start, end);
	if (*tw_rows_str(r, 0, "location") != '\0')
		tw_buf_printf(&b, "%s: %s\n", tw_t(lang, "invitation_where"),
		    tw_rows_str(r, 0, "location"));
	tw_buf_printf(&b, "%s: #%s %s\n%s\n\n-- \n%s\n",
	    tw_t(lang, "invitation_ticket"), tw_rows_str(r, 0, "number"),
	    tw_rows_str(r, 0, "subject"), v->link,
	    tw_t(lang, "invitation_why"));
	return b.data;
}

/*
 * Queues one mail to row i of who, with method.  The event names its
 * participants; a participant a change dropped gets one naming only
 * them (dropped), which cancels it for them.
 */
static enum tw_err
queue_one(struct invite *v, const struct tw_rows *who, size_t i,
    const char *method, int dropped)
{
	struct tw_outbound_new	 m;
	struct tw_ical_event	 ev;
	struct tw_ical_attendee	 alone;
	struct tw_buf		 cal;
	const char		*lang, *email = tw_rows_str(who, i, "email");

	if (email == NULL || *email == '\0' ||
	    tw_rows_int(who, i, "user_id", 0) == v->actor_id)
		return TW_OK;
	lang = tw_i18n_pick(tw_rows_str(who, i, "lang"), NULL);

	tw_appointment_event(v->arena, v->row, v->people, v->link, &ev);
	if (dropped) {
		alone.name = tw_rows_str(who, i, "name");
		alone.email = email;
		ev.attendees = &alone;
		ev.nattendees = 1;
	}
	ev.method = method;
	ev.organizer = &v->organizer;
	ev.cancelled |= strcmp(method, "CANCEL") == 0;
	tw_buf_init(&cal, v->arena);
	if (tw_ical_event(&cal, &ev) != 0)
		return TW_ERR_INTERNAL;

	memset(&m, 0, sizeof(m));
	m.kind = TW_OUTBOUND_INVITATION;
	m.from_addr = v->from_addr;
	m.from_name = v->from_name;
	m.to_addr = email;
	m.subject = subject(v, lang, method);
	m.body = body(v, lang);
	m.calendar = cal.data;
	m.message_id = tw_outbound_message_id(v->arena, v->organizer.email);
	m.ticket_id = tw_rows_int(v->row, 0, "ticket_id", 0);
	return tw_outbound_queue(&m);
}

/* The channel organises: its address, else the sender of alert mail. */
static void
organizer(struct invite *v)
{
	const char	*email = tw_rows_str(v->row, 0, "channel_email");
	const char	*name;

	if (email != NULL && *email != '\0') {
		v->from_addr = email;
		v->from_name = tw_rows_str(v->row, 0, "channel");
		v->organizer.email = email;
		v->organizer.name = v->from_name;
		return;
	}
	tw_outbound_default_from(v->arena, &email, &name);
	v->organizer.email = email;
	v->organizer.name = name;
}

enum tw_err
tw_invitation_queue(struct tw_arena *a, long long id, long long actor_id,
    const struct tw_rows *before)
{
	struct invite	 v;
	struct tw_rows	*row, *people;
	const char	*method;
	size_t		 i;
	enum tw_err	 rc;

	if ((rc = tw_db_query(a, sql_one, &row, TW_ARGS(TW_I(id)))) != TW_OK)
		return rc;
	if (row->nrows == 0)
		return TW_ERR_NOTFOUND;
	if ((rc = tw_appointment_people(a, id, &people)) != TW_OK)
		return rc;

	memset(&v, 0, sizeof(v));
	v.arena = a;
	v.row = row;
	v.people = people;
	v.actor_id = actor_id;
	v.link = tw_alert_link(a, tw_rows_int(row, 0, "number", 0), 0);
	organizer(&v);

	method = tw_rows_int(row, 0, "cancelled", 0) ? "CANCEL" : "REQUEST";
	for (i = 0; i < people->nrows; i++)
		if ((rc = queue_one(&v, people, i, method, 0)) != TW_OK)
			return rc;
	for (i = 0; before != NULL && i < before->nrows; i++)
		if (!takes_part(people, tw_rows_int(before, i, "user_id", 0)) &&
		    (rc = queue_one(&v, before, i, "CANCEL", 1)) != TW_OK)
			return rc;
	return TW_OK;
}
