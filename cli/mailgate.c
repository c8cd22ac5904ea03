/*
 * mailgate.c: ticketwerk-mailgate, which takes one raw message on
 * standard input into the ticket system, for an MTA's pipe transport or
 * fetchmail's mda option:
 *
 *	ticketwerk-mailgate --channel Support < message
 *
 * Exit codes follow sysexits(3), so the MTA knows whether to retry:
 * EX_TEMPFAIL when the database is unreachable or a transaction failed
 * (nothing was stored), EX_DATAERR for input that is no message or too
 * large, EX_NOUSER for an unknown channel, EX_USAGE for bad arguments.
 * A message seen before, or sent from one of our own addresses, is
 * accepted and dropped (exit 0), which makes redelivery harmless.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "arena.h"
#include "conf.h"
#include "db.h"
#include "ingest.h"
#include "log.h"
#include "mail.h"

/* Reads standard input whole; NULL when it is larger than max. */
static char *
read_stdin(size_t max, size_t *len)
{
	size_t	 cap = 64 * 1024, n = 0, got;
	char	*buf = malloc(cap), *grown;

	while (buf != NULL && (got = fread(buf + n, 1, cap - n, stdin)) > 0) {
		n += got;
		if (n > max) {
			free(buf);
			return NULL;
		}
		if (n == cap) {
			cap *= 2;
			if ((grown = realloc(buf, cap)) == NULL)
				free(buf);
			buf = grown;
		}
	}
	*len = n;
	return buf;
}

static int
exit_code(enum tw_err rc)
{
	switch (rc) {
	case TW_OK:
		return EX_OK;
	case TW_ERR_TOOBIG:
	case TW_ERR_INVALID:
		return EX_DATAERR;
	case TW_ERR_NOTFOUND:
		return EX_NOUSER;
	case TW_ERR_IO:
		return EX_IOERR;
	default:
		return EX_TEMPFAIL;
	}
}

int
main(int argc, char **argv)
{
	struct tw_ingest_result	 res;
	struct tw_arena		*a;
	const char		*channel = NULL;
	char			*raw, num[24];
	size_t			 len;
	long long		 channel_id;
	enum tw_err		 rc;

	tw_log_init("mailgate");
	if (argc == 3 && strcmp(argv[1], "--channel") == 0)
		channel = argv[2];
	if (channel == NULL) {
		fprintf(stderr, "usage: ticketwerk-mailgate --channel NAME "
		    "< message\n");
		return EX_USAGE;
	}
	if (tw_conf_load(NULL) != TW_OK)
		return EX_CONFIG;
	if ((raw = read_stdin(TW_MAIL_MAX, &len)) == NULL) {
		tw_log(TW_LOG_WARN, "mail_refused", "why", "too large",
		    (char *)NULL);
		return EX_DATAERR;
	}

	a = tw_arena_new();
	rc = tw_ingest_channel(a, channel, &channel_id);
	if (rc == TW_OK)
		rc = tw_ingest(a, raw, len, channel_id, &res);
	snprintf(num, sizeof(num), "%lld", rc == TW_OK ? res.number : 0);
	tw_log(rc == TW_OK ? TW_LOG_INFO : TW_LOG_ERROR, "mail_ingested",
	    "channel", channel, "ticket", num, "result", rc != TW_OK ?
	    tw_err_str(rc) : tw_ingest_result_name(&res), "auto",
	    rc == TW_OK && res.auto_reply ? "1" : "0", (char *)NULL);

	tw_arena_free(a);
	free(raw);
	tw_db_close();
	return exit_code(rc);
}
