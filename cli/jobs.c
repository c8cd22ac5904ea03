/*
 * jobs.c: ticketwerk-jobs, which does the work no request waits for.
 *
 *	ticketwerk-jobs			run until SIGTERM or SIGINT
 *	ticketwerk-jobs --once		give every task turns until none has
 *					work left, then exit
 *	ticketwerk-jobs --only NAME	run the task NAME alone (with or
 *					without --once)
 *
 * Each task is one function that does what is due now and says whether
 * more is waiting.  The runner gives a task its next turn at once while
 * it has more, else after the task's interval, [jobs] NAME_seconds in the
 * configuration.  Tasks claim their rows in the database, so several
 * runners may run side by side and a runner killed at any point leaves
 * its work to the next turn of another.
 *
 * Exit codes follow sysexits(3): EX_TEMPFAIL when a turn of --once
 * failed, EX_USAGE for bad arguments, EX_CONFIG when the configuration
 * cannot be read.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "arena.h"
#include "attachment.h"
#include "auth.h"
#include "conf.h"
#include "db.h"
#include "log.h"
#include "outbound.h"
#include "webform.h"
#include "mailbox_poll.h"

#define TURNS_MAX	10000	/* turns one task gets in --once */
#define SLEEP_MAX_MS	1000	/* the longest sleep between looks */

struct job {
	const char	*name;
	long		 interval;	/* seconds, unless configured */
	enum tw_err	(*run)(struct tw_arena *, int *more);
};

static const struct job jobs[] = {
	{ "tidy",	300,	tw_auth_tidy },
	{ "attachments", 3600,	tw_attachment_collect },
	{ "outbound",	10,	tw_outbound_run },
	{ "forms_tidy",	300,	tw_webform_tidy },
	{ "imap",	10,	tw_mailbox_poll },
};

#define NJOBS	(sizeof(jobs) / sizeof(jobs[0]))

static volatile sig_atomic_t	stopping;

static void
on_term(int sig)
{
	(void)sig;
	stopping = 1;
}

static long long
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The pause after a turn without more work, in milliseconds. */
static long long
interval_ms(const struct job *j)
{
	char	key[64];
	long	s;

	snprintf(key, sizeof(key), "%s_seconds", j->name);
	s = tw_conf_int("jobs", key, j->interval);
	return (s < 1 ? 1 : s) * 1000LL;
}

/* One turn of job j; logs a failure.  *more as the task says. */
static enum tw_err
turn(const struct job *j, struct tw_arena *a, int *more)
{
	enum tw_err	rc;

	*more = 0;
	rc = j->run(a, more);
	tw_arena_reset(a);
	if (rc != TW_OK) {
		*more = 0;
		tw_log(TW_LOG_ERROR, "job_failed", "job", j->name,
		    "error", tw_err_str(rc), (char *)NULL);
	}
	return rc;
}

/* --once: each task until it has nothing more; 1 when all went well. */
static int
run_once(const struct job **run, size_t n, struct tw_arena *a)
{
	size_t	i, turns;
	int	more, ok = 1;

	for (i = 0; i < n && !stopping; i++) {
		turns = 0;
		do {
			if (turn(run[i], a, &more) != TW_OK)
				ok = 0;
		} while (more && ++turns < TURNS_MAX && !stopping);
	}
	return ok;
}

/* Sleeps ms milliseconds, or less when a signal comes. */
static void
pause_ms(long long ms)
{
	struct timespec	ts;

	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000;
	nanosleep(&ts, NULL);
}

/* Runs the tasks in run[] until a signal stops the runner. */
static void
run_forever(const struct job **run, size_t n, struct tw_arena *a)
{
	long long	due[NJOBS] = { 0 }, now, next;
	size_t		i;
	int		more;

	while (!stopping) {
		now = now_ms();
		next = now + SLEEP_MAX_MS;
		for (i = 0; i < n && !stopping; i++) {
			if (due[i] <= now) {
				turn(run[i], a, &more);
				due[i] = more ? now : now + interval_ms(run[i]);
			}
			if (due[i] < next)
				next = due[i];
		}
		pause_ms(next - now_ms());
	}
}

/* Fills run[] with the tasks to run; 0 when only names no task. */
static size_t
choose(const char *only, const struct job **run)
{
	size_t	i, n = 0;

	for (i = 0; i < NJOBS; i++)
		if (only == NULL || strcmp(only, jobs[i].name) == 0)
			run[n++] = &jobs[i];
	return n;
}

static int
usage(void)
{
	size_t	i;

	fprintf(stderr, "usage: ticketwerk-jobs [--once] [--only TASK]\n"
	    "tasks:");
	for (i = 0; i < NJOBS; i++)
		fprintf(stderr, " %s", jobs[i].name);
	fputc('\n', stderr);
	return EX_USAGE;
}

int
main(int argc, char **argv)
{
	const struct job	*run[NJOBS];
	struct sigaction	 sa;
	struct tw_arena		*a;
	const char		*only = NULL;
	size_t			 n;
	int			 i, once = 0, ok = 1;

	tw_log_init("jobs");
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--once") == 0)
			once = 1;
		else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
			only = argv[++i];
		else
			return usage();
	}
	if ((n = choose(only, run)) == 0)
		return usage();
	if (tw_conf_load(NULL) != TW_OK || tw_auth_init() != TW_OK)
		return EX_CONFIG;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	a = tw_arena_new();
	tw_log(TW_LOG_INFO, "started", "once", once ? "1" : "0",
	    "only", only != NULL ? only : "", (char *)NULL);
	if (once)
		ok = run_once(run, n, a);
	else
		run_forever(run, n, a);
	tw_log(TW_LOG_INFO, "stopped", (char *)NULL);

	tw_arena_free(a);
	tw_db_close();
	return ok ? EX_OK : EX_TEMPFAIL;
}
