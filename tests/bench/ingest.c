/*
 * ingest.c: tw-bench-ingest, the mail intake's benchmark.  It runs
 * messages through tw_ingest() against the database of TW_CONFIG and
 * prints how many it takes per second, and how their time splits between
 * parsing and the rest (the lookups, the files and the transaction).
 *
 *	tw-bench-ingest [-n MESSAGES] [-j WORKERS] [-c CHANNEL] [CORPUS]
 *
 * The messages are those of the corpus directory (*.eml and *.box; the
 * run goes on with generated ones alone when it is missing, and says so
 * in a SKIP line) and four kinds written here: plain text from a few
 * hundred senders, text with HTML, a reply naming an earlier message
 * by In-Reply-To, and text with a 24 KB attachment.  They are taken in
 * turn until MESSAGES were run, each with a Message-ID of its own, so
 * that none is a duplicate.  WORKERS processes (2 by default, one per
 * core) share them, each with its own connection, as FastCGI workers
 * or IMAP pollers would; they start ingesting together, and the rate is
 * all messages over the time until the last one finished.
 *
 * Parsing is measured apart, by parsing every message once beforehand;
 * what tw_ingest() takes beyond that is the rest.  Built by make, not
 * installed; tests/bench/ingest.sh runs it.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "conf.h"
#include "db.h"
#include "ingest.h"
#include "log.h"
#include "mail.h"
#include "text.h"

#define CORPUS_MAX	1000		/* messages read from the corpus */
#define KINDS		4		/* generated kinds of message */
#define ATTACHMENT	(24 * 1024)	/* bytes of the generated file */

struct message {
	char	*raw;
	size_t	 len;
};

/* What one worker reports to the parent. */
struct tally {
	double		parse_s;	/* parsing alone, all its messages */
	double		ingest_s;	/* tw_ingest(), all its messages */
	long		created, added, duplicate, own, failed;
};

static double
now_s(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads the corpus's messages into list; returns how many. */
static size_t
read_corpus(const char *dir, struct message *list, size_t max)
{
	struct dirent	*e;
	DIR		*d;
	char		 path[4096];
	size_t		 n = 0, l;

	if ((d = opendir(dir)) == NULL)
		return 0;
	while (n < max && (e = readdir(d)) != NULL) {
		l = strlen(e->d_name);
		if (l < 5 || (strcmp(e->d_name + l - 4, ".eml") != 0 &&
		    strcmp(e->d_name + l - 4, ".box") != 0))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		list[n].raw = tw_file_read(path, TW_MAIL_MAX, &list[n].len);
		if (list[n].raw != NULL)
			n++;
	}
	closedir(d);
	return n;
}

/*
 * A generated message of kind (0 to KINDS - 1), the i-th of this worker;
 * parent is the Message-ID a reply answers.  In the arena.
 */
static struct message
generate(struct tw_arena *a, int kind, size_t i, const char *parent)
{
	struct message	 m;
	struct tw_buf	 b;
	size_t		 k;

	tw_buf_init(&b, a);
	tw_buf_printf(&b, "From: Kunde %zu <kunde%zu@%s>\r\n"
	    "To: support@ticketwerk.example\r\n"
	    "Date: Thu, 3 Dec 2026 10:%02zu:00 +0100\r\nMIME-Version: 1.0\r\n",
	    i % 300, i % 300, i % 3 == 0 ? "heyer-plan.example" :
	    "kunden.example", i % 60);
	switch (kind) {
	case 0:
		tw_buf_printf(&b, "Subject: Drucker im %zu. Stock\r\n"
		    "Content-Type: text/plain; charset=utf-8\r\n"
		    "Content-Transfer-Encoding: 8bit\r\n\r\n"
		    "Guten Tag,\r\n\r\nder Drucker druckt nur Streifen. "
		    "Können Sie bitte jemanden schicken?\r\n\r\nGrüße\r\n",
		    i % 9);
		break;
	case 1:
		tw_buf_puts(&b, "Subject: =?utf-8?q?Zugang_gesperrt_f=C3=BCr_"
		    "das_Portal?=\r\nContent-Type: multipart/alternative; "
		    "boundary=\"alt\"\r\n\r\n--alt\r\n"
		    "Content-Type: text/plain; charset=utf-8\r\n\r\n"
		    "Mein Zugang ist gesperrt.\r\n--alt\r\n"
		    "Content-Type: text/html; charset=utf-8\r\n\r\n"
		    "<html><body><p>Mein <b>Zugang</b> ist gesperrt.</p>"
		    "<p style=\"color: red\" onclick=\"x()\">Bitte "
		    "dringend.</p><script>alert(1)</script></body></html>"
		    "\r\n--alt--\r\n");
		break;
	case 2:
		tw_buf_printf(&b, "Subject: Re: Drucker\r\n"
		    "In-Reply-To: <%s>\r\n"
		    "Content-Type: text/plain; charset=iso-8859-1\r\n"
		    "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
		    "Jetzt geht es wieder nicht, sch=F6n w=E4r's.\r\n\r\n"
		    "> Wir haben den Toner getauscht.\r\n", parent);
		break;
	default:
		tw_buf_puts(&b, "Subject: Protokoll anbei\r\nContent-Type: "
		    "multipart/mixed; boundary=\"mix\"\r\n\r\n--mix\r\n"
		    "Content-Type: text/plain\r\n\r\nDas Protokoll.\r\n"
		    "--mix\r\nContent-Type: application/octet-stream; "
		    "name=\"log.bin\"\r\nContent-Disposition: attachment; "
		    "filename=\"log.bin\"\r\n"
		    "Content-Transfer-Encoding: base64\r\n\r\n");
		/* A file per sender, so the store sees new files and known. */
		for (k = 0; k < ATTACHMENT / 57; k++)
			tw_buf_printf(&b, "%c%075zu\r\n",
			    'A' + (int)(i % 50 % 26), k);
		tw_buf_puts(&b, "--mix--\r\n");
		break;
	}
	m.raw = b.data;
	m.len = b.len;
	return m;
}

/* The end of the header block: where its blank line starts, or len. */
static size_t
header_end(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\n' && i > 0 && i + 1 < len && (s[i + 1] == '\n' ||
		    (s[i + 1] == '\r' && i + 2 < len && s[i + 2] == '\n')))
			return i + 1;
	}
	return len;
}

/*
 * The message with every Message-ID header (and its folded lines) left
 * out and "Message-ID: <id>" put last in the header block, in the arena.
 */
static struct message
with_id(struct tw_arena *a, const struct message *in, const char *id)
{
	struct message	 m;
	struct tw_buf	 b;
	size_t		 end = header_end(in->raw, in->len), i = 0, eol;
	int		 dropping = 0;

	tw_buf_init(&b, a);
	while (i < end) {
		eol = i;
		while (eol < end && in->raw[eol] != '\n')
			eol++;
		eol = eol < end ? eol + 1 : end;
		if (in->raw[i] != ' ' && in->raw[i] != '\t')
			dropping = eol - i > 11 &&
			    strncasecmp(in->raw + i, "Message-ID:", 11) == 0;
		if (!dropping)
			tw_buf_append(&b, in->raw + i, eol - i);
		i = eol;
	}
	if (b.len > 0 && b.data[b.len - 1] != '\n')
		tw_buf_puts(&b, "\r\n");
	tw_buf_printf(&b, "Message-ID: <%s>\r\n", id);
	tw_buf_append(&b, in->raw + end, in->len - end);
	m.raw = b.data;
	m.len = b.len;
	return m;
}

/* This worker's messages: the corpus and the kinds in turn. */
static struct message *
prepare(struct tw_arena *a, const struct message *corpus, size_t ncorpus,
    size_t n, int worker, const char *run)
{
	struct message	*list = tw_arena_calloc(a, n, sizeof(*list));
	struct message	 m;
	const char	*id, *parent = "none@bench.invalid";
	size_t		 i, pool = ncorpus + KINDS;

	for (i = 0; i < n; i++) {
		id = tw_arena_printf(a, "bench-%s-%d-%zu@bench.invalid", run,
		    worker, i);
		if (i % pool < ncorpus)
			m = corpus[i % pool];
		else
			m = generate(a, (int)(i % pool - ncorpus), i, parent);
		list[i] = with_id(a, &m, id);
		if (i % pool == ncorpus)
			parent = id;
	}
	return list;
}

static void
count(struct tally *t, enum tw_err rc, const struct tw_ingest_result *r)
{
	if (rc != TW_OK)
		t->failed++;
	else if (r->duplicate)
		t->duplicate++;
	else if (r->own)
		t->own++;
	else if (r->created)
		t->created++;
	else
		t->added++;
}

/*
 * One worker: parses its messages, says it is ready on ready_fd, waits
 * for the go on go_fd, ingests them, and writes its tally to ready_fd.
 */
static int
work(int worker, size_t n, const struct message *corpus, size_t ncorpus,
    long long channel, const char *run, int ready_fd, int go_fd)
{
	struct tw_arena		*keep = tw_arena_new(), *a = tw_arena_new();
	struct tw_ingest_result	 res;
	struct message		*list;
	struct tally		 t;
	struct tw_mail		 m;
	enum tw_err		 rc;
	double			 t0;
	size_t			 i;
	char			 c = 'r';

	memset(&t, 0, sizeof(t));
	list = prepare(keep, corpus, ncorpus, n, worker, run);
	t0 = now_s();
	for (i = 0; i < n; i++) {
		if (tw_mail_parse(a, list[i].raw, list[i].len, &m) != TW_OK)
			t.failed++;
		tw_arena_reset(a);
	}
	t.parse_s = now_s() - t0;

	if (write(ready_fd, &c, 1) != 1 || read(go_fd, &c, 1) != 1)
		return 1;
	t0 = now_s();
	for (i = 0; i < n; i++) {
		rc = tw_ingest(a, list[i].raw, list[i].len, channel, &res);
		if (rc != TW_OK)
			fprintf(stderr, "bench ingest: message %zu: %s (%s)\n",
			    i, tw_err_str(rc), tw_db_error());
		count(&t, rc, &res);
		tw_arena_reset(a);
	}
	t.ingest_s = now_s() - t0;
	if (write(ready_fd, &t, sizeof(t)) != (ssize_t)sizeof(t))
		return 1;
	tw_arena_free(a);
	tw_arena_free(keep);
	tw_db_close();
	return 0;
}

/* Starts the workers together and adds up their tallies into sum. */
static int
run_workers(int workers, size_t n, const struct message *corpus,
    size_t ncorpus, long long channel, const char *run, struct tally *sum,
    double *wall)
{
	struct tally	t;
	int		ready[2], go[2], w, status, bad = 0;
	char		c;
	double		t0;

	if (pipe(ready) != 0 || pipe(go) != 0)
		return 1;
	for (w = 0; w < workers; w++) {
		if (fork() == 0) {
			/* Each worker opens a connection of its own. */
			_exit(work(w, n / (size_t)workers + ((size_t)w <
			    n % (size_t)workers), corpus, ncorpus, channel,
			    run, ready[1], go[0]));
		}
	}
	for (w = 0; w < workers; w++)
		if (read(ready[0], &c, 1) != 1)
			return 1;
	t0 = now_s();
	for (w = 0; w < workers; w++)
		if (write(go[1], "g", 1) != 1)
			return 1;

	memset(sum, 0, sizeof(*sum));
	for (w = 0; w < workers; w++) {
		if (read(ready[0], &t, sizeof(t)) != (ssize_t)sizeof(t))
			return 1;
		sum->parse_s += t.parse_s;
		sum->ingest_s += t.ingest_s;
		sum->created += t.created;
		sum->added += t.added;
		sum->duplicate += t.duplicate;
		sum->own += t.own;
		sum->failed += t.failed;
	}
	*wall = now_s() - t0;
	while (wait(&status) > 0)
		bad |= !WIFEXITED(status) || WEXITSTATUS(status) != 0;
	return bad;
}

static void
report(int workers, size_t n, size_t ncorpus, const struct tally *s,
    double wall)
{
	double	per_parse = s->parse_s / (double)n * 1e3;
	double	per_all = s->ingest_s / (double)n * 1e3;

	printf("bench ingest: %zu messages (%zu from the corpus, %d kinds "
	    "generated) through tw_ingest() by %d workers\n", n, ncorpus,
	    KINDS, workers);
	printf("bench ingest: %.1f messages/s (%.2f s in all)\n",
	    (double)n / wall, wall);
	printf("bench ingest: per message %.2f ms: parsing %.2f ms (%.0f %%),"
	    " lookups, files and transaction %.2f ms (%.0f %%)\n", per_all,
	    per_parse, per_parse / per_all * 100.0, per_all - per_parse,
	    (per_all - per_parse) / per_all * 100.0);
	printf("bench ingest: created %ld, added %ld, own %ld, duplicate %ld,"
	    " failed %ld\n", s->created, s->added, s->own, s->duplicate,
	    s->failed);
}

static int
usage(void)
{
	fprintf(stderr, "usage: tw-bench-ingest [-n MESSAGES] [-j WORKERS] "
	    "[-c CHANNEL] [CORPUS]\n");
	return 2;
}

int
main(int argc, char **argv)
{
	struct message	*corpus = calloc(CORPUS_MAX, sizeof(*corpus));
	struct tw_arena	*a;
	struct tally	 sum;
	const char	*channel = "Support", *dir = NULL;
	char		 run[32];
	long long	 channel_id;
	size_t		 n = 2000, ncorpus = 0;
	double		 wall;
	int		 workers = 2, opt;

	while ((opt = getopt(argc, argv, "n:j:c:")) != -1) {
		switch (opt) {
		case 'n': n = strtoul(optarg, NULL, 10); break;
		case 'j': workers = atoi(optarg); break;
		case 'c': channel = optarg; break;
		default: return usage();
		}
	}
	if (optind < argc)
		dir = argv[optind++];
	if (optind < argc || n == 0 || workers < 1 || corpus == NULL)
		return usage();

	tw_log_init("bench-ingest");
	if (tw_conf_load(NULL) != TW_OK || tw_db_open() != TW_OK) {
		fprintf(stderr, "bench ingest: no database (TW_CONFIG=%s)\n",
		    getenv("TW_CONFIG"));
		return 1;
	}
	a = tw_arena_new();
	if (tw_ingest_channel(a, channel, &channel_id) != TW_OK) {
		fprintf(stderr, "bench ingest: no channel %s\n", channel);
		return 1;
	}
	tw_db_close();	/* the workers must not share it */
	if (dir != NULL)
		ncorpus = read_corpus(dir, corpus, CORPUS_MAX);
	if (ncorpus == 0)
		printf("SKIP bench ingest corpus: %s holds no messages; "
		    "generated ones only\n", dir != NULL ? dir : "none named");
	snprintf(run, sizeof(run), "%lx%x", (long)time(NULL),
	    (unsigned)getpid());

	if (run_workers(workers, n, corpus, ncorpus, channel_id, run, &sum,
	    &wall) != 0) {
		fprintf(stderr, "bench ingest: a worker failed\n");
		return 1;
	}
	report(workers, n, ncorpus, &sum, wall);
	tw_arena_free(a);
	tw_db_close();
	return sum.failed > 0;
}
