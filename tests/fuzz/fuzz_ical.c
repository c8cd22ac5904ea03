/*
 * fuzz_ical.c: libFuzzer harness for the date-time reader and the
 * iCalendar writer, the two places where what agents type meets a
 * format with rules of its own.
 *
 * The input's first line is parsed as a form date-time; the rest,
 * split at NUL bytes, becomes an event's summary, location, description
 * and an attendee (a piece that is not UTF-8 stands empty, since the
 * writer only ever gets validated text).  The calendar written is
 * checked against RFC 5545's promises: every line ends in CRLF and holds
 * at most 75 octets, no other control byte but the tab appears, no fold
 * cuts a UTF-8 sequence, and unfolded text values hold no unescaped , ;
 * or bare backslash.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "buf.h"
#include "form.h"
#include "ical.h"
#include "when.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_lines(const struct tw_buf *b)
{
	size_t	i, start = 0;

	for (i = 0; i < b->len; i++) {
		if (b->data[i] == '\n') {
			if (i == 0 || b->data[i - 1] != '\r' ||
			    i - 1 - start > TW_ICAL_LINE_MAX)
				abort();
			/* A continuation may not start inside a sequence. */
			if (i + 2 < b->len && b->data[i + 1] == ' ' &&
			    ((unsigned char)b->data[i + 2] & 0xc0) == 0x80)
				abort();
			start = i + 1;
		} else if (b->data[i] == '\r') {
			if (i + 1 >= b->len || b->data[i + 1] != '\n')
				abort();
		} else if ((unsigned char)b->data[i] < 0x20 &&
		    b->data[i] != '\t') {
			abort();
		}
	}
	if (start != b->len)
		abort();
}

/* Every , ; and \ of an escaped text value follows a backslash. */
static void
check_text(struct tw_arena *a, const char *s)
{
	struct tw_buf	b;
	size_t		i;

	tw_buf_init(&b, a);
	tw_ical_text(&b, s);
	for (i = 0; i < b.len; i++) {
		if (b.data[i] == '\\') {
			if (i + 1 >= b.len || strchr("\\;,n",
			    b.data[i + 1]) == NULL)
				abort();
			i++;
		} else if (b.data[i] == ';' || b.data[i] == ',' ||
		    b.data[i] == '\n' || b.data[i] == '\r') {
			abort();
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct tw_arena		*a = tw_arena_new();
	struct tw_ical_attendee	 who;
	struct tw_ical_event	 ev;
	struct tw_buf		 out;
	const char		*field[4];
	char			*s = tw_arena_memdup(a, data, len);
	char			*nl = strchr(s, '\n');
	time_t			 t;
	size_t			 i, n = 0, at;

	if (nl != NULL)
		*nl = '\0';
	if (tw_when_parse(s, &t) == 0 && (t < 946684800 || t > 7258118400))
		abort();

	/* The rest, split at NULs, as the event's free text (the copy keeps
	 * the NULs and ends in one, so no field runs past the input). */
	at = nl != NULL ? (size_t)(nl - s) + 1 : len;
	for (i = 0; i < 4; i++) {
		field[i] = "";
		if (at >= len)
			continue;
		n = strlen(s + at);
		if (tw_utf8_valid(s + at, n))
			field[i] = s + at;
		at += n + 1;
	}
	for (i = 0; i < 4; i++)
		check_text(a, field[i]);

	memset(&ev, 0, sizeof(ev));
	who.name = field[3];
	who.email = field[3];
	ev.uid = field[0];
	ev.stamp = ev.start = 1764860400;
	ev.end = ev.start + 3600;
	ev.summary = field[0];
	ev.location = field[1];
	ev.description = field[2];
	ev.url = field[3];
	ev.attendees = &who;
	ev.nattendees = 1;
	tw_buf_init(&out, a);
	if (tw_ical_event(&out, &ev) != 0)
		abort();
	check_lines(&out);

	tw_arena_free(a);
	return 0;
}
