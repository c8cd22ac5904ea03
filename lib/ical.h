/*
 * ical.h: an iCalendar (RFC 5545) writer for one event.
 *
 * Pure functions over a buffer: no database and no request.  Input text
 * must be valid UTF-8 (the validators see to that).  Text values
 * are escaped (section 3.3.11), parameter values quoted with RFC 6868
 * caret escapes, times written in UTC with a trailing Z, and every
 * content line ends in CRLF, folded at 75 octets (section 3.1) without
 * cutting a UTF-8 sequence in two.
 */
#ifndef TW_ICAL_H
#define TW_ICAL_H

#include <stddef.h>
#include <time.h>

struct tw_buf;

#define TW_ICAL_LINE_MAX	75	/* octets of a line, without CRLF */

struct tw_ical_attendee {
	const char	*name;		/* may be NULL */
	const char	*email;		/* required; others are skipped */
};

struct tw_ical_event {
	const char			*uid;
	time_t				 stamp;		/* DTSTAMP */
	time_t				 start;
	time_t				 end;
	const char			*summary;
	const char			*location;	/* may be NULL */
	const char			*description;	/* may be NULL */
	const char			*url;		/* may be NULL */
	const struct tw_ical_attendee	*attendees;
	size_t				 nattendees;
	unsigned			 sequence;	/* changes made */
	int				 cancelled;
	const char			*method;	/* NULL: PUBLISH */
	const struct tw_ical_attendee	*organizer;	/* may be NULL */
};

/*
 * Appends s as an iCalendar TEXT value: backslash, semicolon and comma
 * get a backslash, a line break (LF or CRLF) becomes \n, and other
 * control characters but the tab are dropped.
 */
void	tw_ical_text(struct tw_buf *, const char *s);

/*
 * Appends one content line of len octets, folded so no physical line is
 * longer than 75 octets (a continuation starts with a space, so it holds
 * 74 of the line's), each ending in CRLF.  A fold never falls inside a
 * UTF-8 sequence.
 */
void	tw_ical_line(struct tw_buf *, const char *line, size_t len);

/*
 * Appends a whole VCALENDAR with the one VEVENT ev describes: its
 * SEQUENCE counts the changes, so a calendar that imported an earlier
 * file takes the newer one in its place, and a cancelled event says
 * STATUS:CANCELLED, so the calendar drops it.  METHOD is PUBLISH for a
 * file to import, REQUEST or CANCEL for one sent to the attendees (iTIP,
 * RFC 5546, which wants an ORGANIZER too).  Returns 0,
 * or -1 when a time cannot be written (before year 1 or after 9999).
 */
int	tw_ical_event(struct tw_buf *, const struct tw_ical_event *ev);

#endif
