/*
 * appointment.h: appointments made from a ticket, with agents taking
 * part, and their iCalendar form.
 *
 * Functions see only tickets of the acting user's channels and report
 * others, and their appointments, as not found.  Making an appointment
 * writes to the ticket, so it needs a member who handles the channel.
 *
 * An appointment can be changed and cancelled; each change counts up its
 * sequence, so its calendar file replaces the one imported before, and a
 * cancelled one stays on the ticket, marked, its file cancelling it.
 *
 * Participants with an address get each new appointment, change and
 * cancellation by mail, the event attached for their calendar (see
 * invitation.h); so does a participant a change drops.
 */
#ifndef TW_APPOINTMENT_H
#define TW_APPOINTMENT_H

#include <stddef.h>
#include <time.h>

#include "err.h"

struct tw_arena;
struct tw_buf;
struct tw_ical_event;
struct tw_rows;
struct tw_user;

#define TW_APPOINTMENT_TEXT_MAX		250	/* characters of title, place */
#define TW_APPOINTMENT_PEOPLE_MAX	50	/* participants */
#define TW_APPOINTMENT_LIST_MAX		100	/* shown on a ticket */

struct tw_appointment_new {
	const char		*title;
	const char		*location;	/* may be "" */
	time_t			 start;
	time_t			 end;
	const long long		*participants;	/* user ids */
	size_t			 nparticipants;
};

/*
 * Adds an appointment to ticket number.  TW_ERR_NOTFOUND when the ticket
 * is not visible, TW_ERR_FORBIDDEN for a member who only reads along,
 * TW_ERR_INVALID when a participant is no member of the ticket's
 * channel.  *id receives the new appointment's id.
 */
enum tw_err	tw_appointment_add(struct tw_arena *, const struct tw_user *,
		    long long number, const struct tw_appointment_new *,
		    long long *id);

/*
 * Changes appointment id of ticket number to what in says (participants
 * replaced), with the same answers as tw_appointment_add(), and
 * TW_ERR_NOTFOUND for an id not on that ticket, TW_ERR_CONFLICT for a
 * cancelled appointment.
 */
enum tw_err	tw_appointment_change(struct tw_arena *,
		    const struct tw_user *, long long number, long long id,
		    const struct tw_appointment_new *in);

/*
 * Cancels appointment id of ticket number; cancelling it again changes
 * nothing.  TW_ERR_NOTFOUND and TW_ERR_FORBIDDEN as for a change.
 */
enum tw_err	tw_appointment_cancel(struct tw_arena *,
		    const struct tw_user *, long long number, long long id);

/*
 * Appointment id of ticket number, when user can see the ticket: *row
 * with id, title, location, starts_at, ends_at, sequence, cancelled,
 * number, subject; *people with user_id, name, email, lang.
 * TW_ERR_NOTFOUND otherwise.
 */
enum tw_err	tw_appointment_get(struct tw_arena *, const struct tw_user *,
		    long long number, long long id, struct tw_rows **row,
		    struct tw_rows **people);

/*
 * The appointments of ticket_id by start: id, title, location,
 * starts_at, ends_at (UTC), sequence, cancelled (1 or 0), participants
 * (names joined by ", ").  The
 * caller has checked that the ticket is visible.
 */
enum tw_err	tw_appointment_list(struct tw_arena *, long long ticket_id,
		    struct tw_rows **out);

/*
 * Appends appointment id of ticket number as an iCalendar object to out,
 * its description linking to the ticket under site ("https://host", no
 * trailing slash; NULL for tw_alert_link()'s choice).  TW_ERR_NOTFOUND
 * when the ticket is not visible to user or has no such appointment.
 */
enum tw_err	tw_appointment_ical(struct tw_arena *, const struct tw_user *,
		    long long number, long long id, const char *site,
		    struct tw_buf *out);

/* The participants of appointment id: user_id, name, email, lang. */
enum tw_err	tw_appointment_people(struct tw_arena *, long long id,
		    struct tw_rows **out);

/*
 * The calendar event of an appointment: row and people as
 * tw_appointment_get() gives them, link the ticket's address.  Strings
 * point into the rows or the arena.
 */
void		tw_appointment_event(struct tw_arena *,
		    const struct tw_rows *row, const struct tw_rows *people,
		    const char *link, struct tw_ical_event *ev);

#endif
