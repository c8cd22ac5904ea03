/*
 * sink.h: the loopback SMTP server of the test run, for the suites that
 * check mail going out.  TW_SMTP_SINK_HOME names its directory and
 * TW_SMTP_SINK_CTL its control script; without them there is no server
 * and the tests that need one print SKIP.
 */
#ifndef FX_SINK_H
#define FX_SINK_H

#include <stddef.h>

struct tw_arena;
struct tw_mail;

/* A message the sink received. */
struct fx_got {
	char		*raw;
	size_t		 len;
	char		*env;	/* the envelope file */
	int		 count;	/* how many messages had this Message-ID */
};

/* The sink's directory, or NULL when the run has none. */
const char	*fx_sink_home(void);

/* Whether there is a sink; prints "SKIP test" when there is none. */
int		 fx_have_sink(const char *test);

/* Runs the sink's control script with cmd ("start", "stop"). */
void		 fx_sink_ctl(const char *cmd);

/* Starts the sink if the run has one (a checked fixture). */
void		 fx_sink_up(void);

/*
 * Every message the sink holds with Message-ID id (no brackets): the
 * last one found, and how many there were.  Free with fx_got_free().
 */
struct fx_got	 fx_sink_find(const char *id);
void		 fx_got_free(struct fx_got *);

/* Runs ticketwerk-jobs --once --only outbound, as the instance's owner. */
void		 fx_send_now(void);

/*
 * Sends what is due, then finds the message with Message-ID id (with or
 * without <>) in the sink, asserts it arrived once and parses it into
 * *m, in ar.
 */
struct fx_got	 fx_sent_once(const char *id, struct tw_arena *ar,
		    struct tw_mail *m);

#endif
