/*
 * fuzz_imap.c: libFuzzer harness for what the mailbox poller reads from
 * IMAP servers and administrators: response lines and mailbox URLs.
 *
 * The input is cut into lines at CRLF, as a server's answer would be,
 * and every parser reads each line from a copy of exactly its length,
 * so AddressSanitizer sees any read past it.  What they return is held
 * to their promises: UIDs and UIDVALIDITY are never 0, a SEARCH fills
 * no more than it was given, a literal is announced only where the
 * line ends, a quoted string holds only printable ASCII.  The first
 * line is also parsed as a mailbox URL.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "imap_parse.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_fetch(const char *line, size_t len)
{
	struct tw_imap_fetch	f;
	enum tw_err		rc = tw_imap_parse_fetch(line, len, &f);

	if (rc != TW_OK)
		return;
	if (f.seq == 0 || (f.done && f.literal >= 0) ||
	    (!f.done && f.literal < 0) || f.size < -1)
		abort();
	if (f.literal >= 0 && (len == 0 || line[len - 1] != '}' || !f.body))
		abort();

	/* What follows a literal goes on from the same state. */
	if (!f.done && tw_imap_parse_fetch_more(line, len, &f) == TW_OK &&
	    f.done && f.literal >= 0)
		abort();
}

static void
check_line(const char *line, size_t len)
{
	uint32_t	uids[8], v = 0;
	size_t		n = 0, i;

	(void)tw_imap_line_kind(line, len, "tw1");
	(void)tw_imap_is_bye(line, len);
	if (tw_imap_parse_uidvalidity(line, len, &v) == TW_OK && v == 0)
		abort();
	switch (tw_imap_parse_search(line, len, uids, 8, &n)) {
	case TW_OK:
	case TW_ERR_TOOBIG:
	case TW_ERR_INVALID:
		if (n > 8)
			abort();
		for (i = 0; i < n; i++)
			if (uids[i] == 0)
				abort();
		break;
	default:
		if (n != 0)
			abort();
	}
	check_fetch(line, len);
}

static void
check_url(struct tw_arena *a, const char *s)
{
	struct tw_imap_url	 u;
	const char		*problem, *p, *q;

	if (tw_imap_url_parse(a, s, &u, &problem) != TW_OK) {
		if (problem == NULL)
			abort();
		return;
	}
	if (u.port == 0 || u.port > 65535 || *u.host == '\0' ||
	    strlen(u.folder) > 200 || (q = tw_imap_quote(a, u.folder)) == NULL)
		abort();
	for (p = u.folder; *p != '\0'; p++)
		if (*p < 0x20 || *p > 0x7e || *p == '*' || *p == '%')
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tw_arena	*a = tw_arena_new();
	const char	*p = (const char *)data, *end = p + size, *eol;
	char		*line, *first;
	size_t		 len;

	first = tw_arena_strndup(a, p, size);
	check_url(a, first);
	while (p < end) {
		eol = memmem(p, (size_t)(end - p), "\r\n", 2);
		len = eol != NULL ? (size_t)(eol - p) : (size_t)(end - p);
		line = malloc(len + 1);
		memcpy(line, p, len);
		check_line(line, len);
		free(line);
		p += len + (eol != NULL ? 2 : 0);
	}
	tw_arena_free(a);
	return 0;
}
