/*
 * test_ical.c: the iCalendar writer: text escaping, parameter quoting,
 * line folding at 75 octets without cutting UTF-8 sequences, CRLF line
 * ends and a whole event.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "ical.h"
#include "suites.h"

static struct tw_arena	*arena;

static void
setup(void)
{
	arena = tw_arena_new();
}

static void
teardown(void)
{
	tw_arena_free(arena);
}

static const char *
text(const char *s)
{
	struct tw_buf	b;

	tw_buf_init(&b, arena);
	tw_ical_text(&b, s);
	return b.data != NULL ? b.data : "";
}

/* Every physical line of b ends in CRLF and holds at most 75 octets. */
static void
check_lines(const struct tw_buf *b)
{
	const char	*p = b->data, *end = b->data + b->len, *crlf;

	while (p < end) {
		crlf = strstr(p, "\r\n");
		ck_assert_msg(crlf != NULL, "a line without CRLF");
		ck_assert_int_le(crlf - p, 75);
		p = crlf + 2;
	}
}

/* Folds s (one logical line) and returns the result. */
static struct tw_buf
folded(const char *s)
{
	struct tw_buf	b;

	tw_buf_init(&b, arena);
	tw_ical_line(&b, s, strlen(s));
	return b;
}

/*
 * Checks the physical lines of b: each ends in CRLF, none is over 75
 * octets, continuations start with a space, no line starts with a UTF-8
 * continuation byte after the fold's space, and unfolding gives want.
 */
static void
check_folding(const struct tw_buf *b, const char *want)
{
	struct tw_buf	 unfolded;
	const char	*p = b->data, *end = b->data + b->len, *crlf;
	int		 first = 1;

	tw_buf_init(&unfolded, arena);
	while (p < end) {
		crlf = strstr(p, "\r\n");
		ck_assert_msg(crlf != NULL, "a line without CRLF");
		ck_assert_int_le(crlf - p, 75);
		ck_assert_ptr_null(memchr(p, '\n', (size_t)(crlf - p)));
		if (!first) {
			ck_assert_int_eq(*p, ' ');
			p++;
			ck_assert_msg(((unsigned char)*p & 0xc0) != 0x80,
			    "a fold cut a UTF-8 sequence");
		}
		if (crlf > p)
			ck_assert_msg(((unsigned char)crlf[-1] & 0xe0) !=
			    0xc0 && ((unsigned char)crlf[-1] & 0xf0) != 0xe0 &&
			    ((unsigned char)crlf[-1] & 0xf8) != 0xf0,
			    "a line ends in the lead byte of a sequence");
		tw_buf_append(&unfolded, p, (size_t)(crlf - p));
		p = crlf + 2;
		first = 0;
	}
	ck_assert_str_eq(unfolded.data, want);
}

/* The content lines of b with their folds taken out (RFC 5545 3.1). */
static const char *
unfold(const struct tw_buf *b)
{
	struct tw_buf	 out;
	size_t		 i;

	tw_buf_init(&out, arena);
	for (i = 0; i < b->len; i++) {
		if (b->data[i] == '\r' && i + 2 < b->len &&
		    b->data[i + 1] == '\n' && b->data[i + 2] == ' ') {
			i += 2;
			continue;
		}
		tw_buf_putc(&out, b->data[i]);
	}
	return out.data;
}

START_TEST(test_text_escaping)
{
	ck_assert_str_eq(text("plain words"), "plain words");
	ck_assert_str_eq(text("a,b;c\\d"), "a\\,b\\;c\\\\d");
	ck_assert_str_eq(text("one\ntwo\r\nthree\rfour"),
	    "one\\ntwo\\nthree\\nfour");
	ck_assert_str_eq(text("tab\there\x01\x7f"), "tab\there");
	ck_assert_str_eq(text("Grüße, Köln"), "Grüße\\, Köln");
}
END_TEST

START_TEST(test_short_line)
{
	struct tw_buf	b = folded("SUMMARY:short");

	ck_assert_str_eq(b.data, "SUMMARY:short\r\n");
}
END_TEST

START_TEST(test_fold_ascii)
{
	char		line[201];
	struct tw_buf	b;

	memset(line, 'x', 200);
	line[200] = '\0';
	memcpy(line, "DESCRIPTION:", 12);
	b = folded(line);
	check_folding(&b, line);

	/* 75 on the first line, then 74 after each space. */
	ck_assert_int_eq(strstr(b.data, "\r\n") - b.data, 75);
	ck_assert_int_eq(b.len, 200 + 3 * 2 + 2);

	/* Exactly 75 octets stay one line. */
	line[75] = '\0';
	b = folded(line);
	ck_assert_int_eq(b.len, 77);
}
END_TEST

START_TEST(test_fold_utf8)
{
	struct tw_buf	 b;
	char		 line[400];
	size_t		 pad;
	static const char *const chars[] = { "ä", "€", "😀" };
	size_t		 c;

	/* Every offset of two-, three- and four-octet characters against
	 * the fold positions. */
	for (c = 0; c < 3; c++) {
		for (pad = 0; pad < 4; pad++) {
			strcpy(line, "SUMMARY:");
			memset(line + 8, 'a', pad);
			line[8 + pad] = '\0';
			while (strlen(line) + strlen(chars[c]) < sizeof(line))
				strcat(line, chars[c]);
			b = folded(line);
			check_folding(&b, line);
		}
	}
}
END_TEST

START_TEST(test_event)
{
	static const struct tw_ical_attendee people[] = {
		{ "Anna \"Ann\" Berg", "anna@example.org" },
		{ "No Mail", NULL },
		{ NULL, "bob@example.org" },
	};
	struct tw_ical_event	ev = {
		.uid = "appointment-7@ticketwerk",
		.stamp = 1764780300,		/* 2025-12-03 16:45:00 UTC */
		.start = 1764860400,		/* 2025-12-04 15:00:00 UTC */
		.end = 1764864000,
		.summary = "On-site visit; bring cables, too",
		.location = "Köln, Hauptstr. 1",
		.description = "Ticket #1001\nhttps://tw.example/tickets/1001",
		.attendees = people,
		.nattendees = 3,
	};
	struct tw_buf		b;
	const char		*p, *u;

	tw_buf_init(&b, arena);
	ck_assert_int_eq(tw_ical_event(&b, &ev), 0);
	check_lines(&b);
	u = unfold(&b);

	ck_assert_int_eq(strncmp(u, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n",
	    30), 0);
	ck_assert_ptr_nonnull(strstr(u, "\r\nBEGIN:VEVENT\r\n"));
	ck_assert_ptr_nonnull(strstr(u,
	    "\r\nUID:appointment-7@ticketwerk\r\n"));
	ck_assert_ptr_nonnull(strstr(u, "\r\nDTSTAMP:20251203T164500Z\r\n"));
	ck_assert_ptr_nonnull(strstr(u, "\r\nDTSTART:20251204T150000Z\r\n"));
	ck_assert_ptr_nonnull(strstr(u, "\r\nDTEND:20251204T160000Z\r\n"));
	ck_assert_ptr_nonnull(strstr(u,
	    "\r\nSUMMARY:On-site visit\\; bring cables\\, too\r\n"));
	ck_assert_ptr_nonnull(strstr(u,
	    "\r\nLOCATION:Köln\\, Hauptstr. 1\r\n"));
	ck_assert_ptr_nonnull(strstr(u, "\r\nDESCRIPTION:Ticket #1001\\n"
	    "https://tw.example/tickets/1001\r\n"));
	ck_assert_ptr_nonnull(strstr(u, "\r\nATTENDEE;CN=\"Anna ^'Ann^' "
	    "Berg\";ROLE=REQ-PARTICIPANT:mailto:anna@example.org\r\n"));
	ck_assert_ptr_nonnull(strstr(u, "\r\nATTENDEE;ROLE=REQ-"
	    "PARTICIPANT:mailto:bob@example.org\r\n"));
	ck_assert_ptr_null(strstr(u, "No Mail"));
	ck_assert_ptr_nonnull(strstr(u, "\r\nSEQUENCE:0\r\n"));
	ck_assert_ptr_nonnull(strstr(u, "\r\nSTATUS:CONFIRMED\r\n"));
	ck_assert_int_eq(strcmp(u + strlen(u) - 27,
	    "END:VEVENT\r\nEND:VCALENDAR\r\n"), 0);

	/* Changed twice, then cancelled. */
	ev.sequence = 3;
	ev.cancelled = 1;
	tw_buf_init(&b, arena);
	ck_assert_int_eq(tw_ical_event(&b, &ev), 0);
	u = unfold(&b);
	ck_assert_ptr_nonnull(strstr(u, "\r\nSEQUENCE:3\r\n"));
	ck_assert_ptr_nonnull(strstr(u, "\r\nSTATUS:CANCELLED\r\n"));
	ck_assert_ptr_null(strstr(u, "CONFIRMED"));
	ck_assert_ptr_nonnull(strstr(u, "\r\nMETHOD:PUBLISH\r\n"));
	ck_assert_ptr_null(strstr(u, "ORGANIZER"));

	/* Sent to the attendees: a method and an organiser. */
	ev.method = "CANCEL";
	ev.organizer = &people[0];
	tw_buf_init(&b, arena);
	ck_assert_int_eq(tw_ical_event(&b, &ev), 0);
	check_lines(&b);
	u = unfold(&b);
	ck_assert_ptr_nonnull(strstr(u, "\r\nMETHOD:CANCEL\r\n"));
	ck_assert_ptr_nonnull(strstr(u, "\r\nORGANIZER;CN=\"Anna ^'Ann^' "
	    "Berg\":mailto:anna@example.org\r\n"));

	/* No bare LF anywhere: every line break is CRLF. */
	for (p = b.data; (p = strchr(p, '\n')) != NULL; p++)
		ck_assert_int_eq(p[-1], '\r');
}
END_TEST

START_TEST(test_event_out_of_range)
{
	struct tw_ical_event	ev = { .uid = "x", .stamp = 0, .start = 0,
	    .end = (time_t)400000000000LL, .summary = "far" };
	struct tw_buf		b;

	tw_buf_init(&b, arena);
	ck_assert_int_eq(tw_ical_event(&b, &ev), -1);
}
END_TEST

Suite *
tw_ical_suite(void)
{
	Suite	*s = suite_create("ical");
	TCase	*tc = tcase_create("writer");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_text_escaping);
	tcase_add_test(tc, test_short_line);
	tcase_add_test(tc, test_fold_ascii);
	tcase_add_test(tc, test_fold_utf8);
	tcase_add_test(tc, test_event);
	tcase_add_test(tc, test_event_out_of_range);
	suite_add_tcase(s, tc);
	return s;
}
