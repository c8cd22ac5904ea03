/*
 * ical.c: writing one event as an iCalendar object (RFC 5545).
 *
 * Each property is built unfolded in a scratch buffer and then written
 * out through tw_ical_line(), which folds it and ends it in CRLF.
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include "buf.h"
#include "ical.h"

void
tw_ical_text(struct tw_buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '\\':
		case ';':
		case ',':
			tw_buf_putc(b, '\\');
			tw_buf_putc(b, *s);
			break;
		case '\r':
			if (s[1] != '\n')
				tw_buf_puts(b, "\\n");
			break;
		case '\n':
			tw_buf_puts(b, "\\n");
			break;
		default:
			if (((unsigned char)*s >= 0x20 && *s != 0x7f) ||
			    *s == '\t')
				tw_buf_putc(b, *s);
		}
	}
}

/*
 * Appends s as a quoted parameter value.  A quoted string may hold
 * neither DQUOTE nor control characters; RFC 6868 writes them as ^' and
 * ^n, and the caret itself as ^^.
 */
static void
param(struct tw_buf *b, const char *s)
{
	tw_buf_putc(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '^')
			tw_buf_puts(b, "^^");
		else if (*s == '"')
			tw_buf_puts(b, "^'");
		else if (*s == '\n')
			tw_buf_puts(b, "^n");
		else if ((unsigned char)*s >= 0x20 && *s != 0x7f)
			tw_buf_putc(b, *s);
	}
	tw_buf_putc(b, '"');
}

/* Appends s without control characters: for URIs and identifiers. */
static void
plain(struct tw_buf *b, const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s > 0x20 && *s != 0x7f)
			tw_buf_putc(b, *s);
}

/* Whether byte c continues a UTF-8 sequence (10xxxxxx). */
static int
continues(char c)
{
	return ((unsigned char)c & 0xc0) == 0x80;
}

void
tw_ical_line(struct tw_buf *b, const char *line, size_t len)
{
	size_t	limit = TW_ICAL_LINE_MAX, n;

	while (len > limit) {
		/* Back off to the start of the sequence the limit cuts. */
		n = limit;
		while (n > 0 && continues(line[n]))
			n--;
		if (n == 0)
			n = limit;
		tw_buf_append(b, line, n);
		tw_buf_puts(b, "\r\n ");
		line += n;
		len -= n;
		limit = TW_ICAL_LINE_MAX - 1;
	}
	tw_buf_append(b, line, len);
	tw_buf_puts(b, "\r\n");
}

/* Appends t as a UTC DATE-TIME, 20261203T174500Z; -1 when out of range. */
static int
utc(struct tw_buf *b, time_t t)
{
	struct tm	tm;
	char		s[32];

	if (gmtime_r(&t, &tm) == NULL || tm.tm_year + 1900 < 1 ||
	    tm.tm_year + 1900 > 9999)
		return -1;
	strftime(s, sizeof(s), "%Y%m%dT%H%M%SZ", &tm);
	tw_buf_puts(b, s);
	return 0;
}

/* Folds and writes the scratch line, then empties it. */
static void
flush(struct tw_buf *out, struct tw_buf *line)
{
	tw_ical_line(out, line->data, line->len);
	tw_buf_truncate(line, 0);
}

/* Writes NAME:text with the value escaped, when text is not empty. */
static void
text_prop(struct tw_buf *out, struct tw_buf *line, const char *name,
    const char *text)
{
	if (text == NULL || *text == '\0')
		return;
	tw_buf_puts(line, name);
	tw_buf_putc(line, ':');
	tw_ical_text(line, text);
	flush(out, line);
}

/* Writes NAME:time in UTC; -1 when the time is out of range. */
static int
time_prop(struct tw_buf *out, struct tw_buf *line, const char *name,
    time_t t)
{
	tw_buf_puts(line, name);
	tw_buf_putc(line, ':');
	if (utc(line, t) != 0) {
		tw_buf_truncate(line, 0);
		return -1;
	}
	flush(out, line);
	return 0;
}

static void
attendees(struct tw_buf *out, struct tw_buf *line,
    const struct tw_ical_event *ev)
{
	const struct tw_ical_attendee	*a;
	size_t				 i;

	for (i = 0; i < ev->nattendees; i++) {
		a = &ev->attendees[i];
		if (a->email == NULL || *a->email == '\0')
			continue;
		tw_buf_puts(line, "ATTENDEE");
		if (a->name != NULL && *a->name != '\0') {
			tw_buf_puts(line, ";CN=");
			param(line, a->name);
		}
		tw_buf_puts(line, ";ROLE=REQ-PARTICIPANT:mailto:");
		plain(line, a->email);
		flush(out, line);
	}
}

int
tw_ical_event(struct tw_buf *out, const struct tw_ical_event *ev)
{
	struct tw_buf	line;

	tw_buf_init(&line, out->arena);
	tw_ical_line(out, "BEGIN:VCALENDAR", 15);
	tw_ical_line(out, "VERSION:2.0", 11);
	tw_ical_line(out, "PRODID:-//Ticketwerk//Ticketwerk//EN", 36);
	tw_ical_line(out, "CALSCALE:GREGORIAN", 18);
	tw_buf_puts(&line, "METHOD:");
	plain(&line, ev->method != NULL ? ev->method : "PUBLISH");
	flush(out, &line);
	tw_ical_line(out, "BEGIN:VEVENT", 12);

	tw_buf_puts(&line, "UID:");
	plain(&line, ev->uid);
	flush(out, &line);
	tw_buf_printf(&line, "SEQUENCE:%u", ev->sequence);
	flush(out, &line);
	tw_buf_puts(&line, ev->cancelled ? "STATUS:CANCELLED" :
	    "STATUS:CONFIRMED");
	flush(out, &line);
	if (time_prop(out, &line, "DTSTAMP", ev->stamp) != 0 ||
	    time_prop(out, &line, "DTSTART", ev->start) != 0 ||
	    time_prop(out, &line, "DTEND", ev->end) != 0)
		return -1;

	text_prop(out, &line, "SUMMARY", ev->summary);
	text_prop(out, &line, "LOCATION", ev->location);
	text_prop(out, &line, "DESCRIPTION", ev->description);
	if (ev->url != NULL && *ev->url != '\0') {
		tw_buf_puts(&line, "URL:");
		plain(&line, ev->url);
		flush(out, &line);
	}
	if (ev->organizer != NULL && ev->organizer->email != NULL) {
		tw_buf_puts(&line, "ORGANIZER");
		if (ev->organizer->name != NULL &&
		    *ev->organizer->name != '\0') {
			tw_buf_puts(&line, ";CN=");
			param(&line, ev->organizer->name);
		}
		tw_buf_puts(&line, ":mailto:");
		plain(&line, ev->organizer->email);
		flush(out, &line);
	}
	attendees(out, &line, ev);

	tw_ical_line(out, "END:VEVENT", 10);
	tw_ical_line(out, "END:VCALENDAR", 13);
	return 0;
}
