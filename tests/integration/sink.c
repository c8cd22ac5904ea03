/*
 * sink.c: the SMTP server on loopback that ./ticketwerk test starts
 * (tests/mail/smtp_sink.py), as the suites that send mail use it: its
 * control script, the messages it received, and the sender run once.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <check.h>

#include "arena.h"
#include "mail.h"
#include "sink.h"
#include "suites.h"
#include "text.h"

#define SINK_FILE_MAX	(16 * 1024 * 1024)

const char *
fx_sink_home(void)
{
	const char	*home = getenv("TW_SMTP_SINK_HOME");

	return home != NULL && *home != '\0' ? home : NULL;
}

/* Whether there is a sink; prints SKIP for test when there is none. */
int
fx_have_sink(const char *test)
{
	if (fx_sink_home() != NULL && getenv("TW_SMTP_SINK_CTL") != NULL)
		return 1;
	printf("SKIP %s: no SMTP server (TW_SMTP_SINK_HOME unset)\n",
	    test);
	return 0;
}

/* Runs the sink's control script with cmd (start, stop). */
void
fx_sink_ctl(const char *cmd)
{
	char	*line = fx_printf("\"$TW_SMTP_SINK_CTL\" %s", cmd);

	ck_assert_msg(system(line) == 0, "smtp-sink %s failed", cmd);
	free(line);
}

/* Each test starts with the sink up, whatever the one before did. */
void
fx_sink_up(void)
{
	if (fx_sink_home() != NULL && getenv("TW_SMTP_SINK_CTL") != NULL)
		fx_sink_ctl("start");
}

/* Every message the sink holds with Message-ID id (no brackets). */
struct fx_got
fx_sink_find(const char *id)
{
	struct fx_got	 g = { NULL, 0, NULL, 0 };
	struct tw_arena	*a = tw_arena_new();
	struct tw_mail	 m;
	struct dirent	*e;
	char		*dir, *path, *raw;
	size_t		 n, len;
	DIR		*d;

	dir = fx_printf("%s/mail", fx_sink_home());
	ck_assert_msg((d = opendir(dir)) != NULL, "cannot open %s", dir);
	while ((e = readdir(d)) != NULL) {
		n = strlen(e->d_name);
		if (n < 5 || strcmp(e->d_name + n - 4, ".env") != 0)
			continue;
		path = fx_printf("%s/%.*s.eml", dir, (int)(n - 4), e->d_name);
		raw = tw_file_read(path, SINK_FILE_MAX, &len);
		ck_assert_msg(raw != NULL, "cannot read %s", path);
		if (tw_mail_parse(a, raw, len, &m) == TW_OK &&
		    m.message_id != NULL && strcmp(m.message_id, id) == 0) {
			free(g.raw);
			free(g.env);
			g.raw = raw;
			g.len = len;
			free(path);
			path = fx_printf("%s/%s", dir, e->d_name);
			g.env = tw_file_read(path, 4096, NULL);
			g.count++;
		} else
			free(raw);
		free(path);
		tw_arena_reset(a);
	}
	closedir(d);
	free(dir);
	tw_arena_free(a);
	return g;
}

void
fx_got_free(struct fx_got *g)
{
	free(g->raw);
	free(g->env);
}

/* Runs the sender once, as the instance's owner would. */
void
fx_send_now(void)
{
	const char *const	argv[] = { "--once", "--only", "outbound",
	    NULL };
	char			*out;
	int			 status;

	out = fx_run("ticketwerk-jobs", NULL, 0, argv, &status);
	ck_assert_msg(status == EX_OK, "ticketwerk-jobs: exit %d: %s", status,
	    out);
	free(out);
}

/*
 * Sends what is due, then finds the message with Message-ID id (with or
 * without <>) in the sink, asserts it arrived once and parses it into
 * *m, in ar.  The caller frees the result with fx_got_free().
 */
struct fx_got
fx_sent_once(const char *id, struct tw_arena *ar, struct tw_mail *m)
{
	char		*bare;
	struct fx_got	 g;

	bare = *id == '<' ? strndup(id + 1, strlen(id) - 2) : strdup(id);
	fx_send_now();
	g = fx_sink_find(bare);
	ck_assert_msg(g.count == 1, "%s arrived %d times", bare, g.count);
	ck_assert_int_eq(tw_mail_parse(ar, g.raw, g.len, m), TW_OK);
	free(bare);
	return g;
}
