/*
 * test_crash.c: tw-tickets workers killed with SIGKILL while tickets are
 * being opened.  Clients retry what got no answer with the same
 * idempotency key; afterwards every key has made exactly one ticket, the
 * service answers, and multiwatch has replaced the dead workers.
 *
 * Only workers of the instance under test are killed: the children of the
 * multiwatch named by TW_TICKETS_PIDFILE (or a pid file beside TW_CONFIG),
 * and only after their environment shows that instance's TW_CONFIG.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <check.h>
#include <curl/curl.h>
#include <json-c/json.h>

#include "http.h"
#include "suites.h"

#define TICKETS		200
#define PARALLEL	4
#define ATTEMPTS	6
#define WORKERS_MAX	64

struct job {
	char		*key;
	char		*subject;
	char		*body;
	long long	 number;
	int		 attempts;
	long		 status;	/* of the last answer */
	int		 running;
};

struct load {
	struct job	 jobs[TICKETS];
	const char	*token;
	CURLM		*multi;
	size_t		 next;		/* the first job never started */
	size_t		 done;		/* answered for good, either way */
	size_t		 retries;
	size_t		 running;
	size_t		 queue[TICKETS];	/* jobs waiting for a retry */
	size_t		 nqueue;
};

static double
now_s(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads a whole small file into buf (size n); returns bytes, or -1. */
static ssize_t
slurp(const char *path, char *buf, size_t n)
{
	FILE	*f;
	size_t	 got;

	if ((f = fopen(path, "r")) == NULL)
		return -1;
	got = fread(buf, 1, n - 1, f);
	fclose(f);
	buf[got] = '\0';
	return (ssize_t)got;
}

/* The parent pid of pid, from /proc/pid/stat; -1 when it is gone. */
static pid_t
parent_of(pid_t pid)
{
	char		 path[64], buf[512];
	const char	*p;
	int		 ppid;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (slurp(path, buf, sizeof(buf)) <= 0)
		return -1;
	/* "pid (comm) state ppid": comm may hold spaces and parentheses. */
	if ((p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 1, " %*c %d", &ppid) != 1)
		return -1;
	return (pid_t)ppid;
}

/* The children of parent, sorted; returns how many. */
static size_t
children_of(pid_t parent, pid_t *out, size_t max)
{
	DIR		*d;
	struct dirent	*e;
	char		*end;
	long		 pid;
	size_t		 n = 0, i, j;
	pid_t		 t;

	ck_assert_ptr_nonnull(d = opendir("/proc"));
	while ((e = readdir(d)) != NULL && n < max) {
		pid = strtol(e->d_name, &end, 10);
		if (*end != '\0' || pid <= 0)
			continue;
		if (parent_of((pid_t)pid) == parent)
			out[n++] = (pid_t)pid;
	}
	closedir(d);
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && out[j - 1] > out[j]; j--) {
			t = out[j];
			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	return n;
}

/* Whether pid's environment holds TW_CONFIG=conf (or the same file). */
static int
runs_config(pid_t pid, const char *conf)
{
	char		 path[64], env[65536], a[PATH_MAX], b[PATH_MAX];
	const char	*v;
	ssize_t		 n, i;

	snprintf(path, sizeof(path), "/proc/%d/environ", (int)pid);
	if ((n = slurp(path, env, sizeof(env))) <= 0)
		return 0;
	for (i = 0; i < n; i += (ssize_t)strlen(env + i) + 1) {
		if (strncmp(env + i, "TW_CONFIG=", 10) != 0)
			continue;
		v = env + i + 10;
		if (strcmp(v, conf) == 0)
			return 1;
		return realpath(v, a) != NULL && realpath(conf, b) != NULL &&
		    strcmp(a, b) == 0;
	}
	return 0;
}

/*
 * The pid of the multiwatch serving tw-tickets for the instance under
 * test: from TW_TICKETS_PIDFILE, else from run/tw-tickets.pid or
 * run/tickets.pid beside TW_CONFIG.  Fails the test when none is found.
 */
static pid_t
find_multiwatch(const char *conf)
{
	char		 dir[PATH_MAX], path[PATH_MAX + 32], buf[64];
	const char	*env = getenv("TW_TICKETS_PIDFILE");
	const char	*names[] = { "tw-tickets.pid", "tickets.pid" };
	char		*slash;
	size_t		 i;
	long		 pid;

	snprintf(dir, sizeof(dir), "%s", conf);
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	else
		snprintf(dir, sizeof(dir), ".");

	for (i = 0; i < 3; i++) {
		if (i == 0 && env == NULL)
			continue;
		if (i == 0)
			snprintf(path, sizeof(path), "%s", env);
		else
			snprintf(path, sizeof(path), "%s/run/%s", dir,
			    names[i - 1]);
		if (slurp(path, buf, sizeof(buf)) <= 0 ||
		    (pid = strtol(buf, NULL, 10)) <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/comm", pid);
		if (slurp(path, buf, sizeof(buf)) > 0 &&
		    strcmp(buf, "multiwatch\n") == 0)
			return (pid_t)pid;
	}
	ck_abort_msg("no multiwatch for tw-tickets found: set "
	    "TW_TICKETS_PIDFILE to its spawn-fcgi pid file");
	return -1;
}

/* Sends job i (again), with its key, as one more transfer of the load. */
static void
job_start(struct load *l, size_t i)
{
	struct job		*j = &l->jobs[i];
	struct http_call	*call;
	char			*auth = fx_bearer(l->token);
	char			*key = fx_printf("Idempotency-Key: %s", j->key);
	const char		*h[] = { auth, key,
	    "Content-Type: application/json", NULL };

	call = http_call_new(NULL, "POST", "/tickets/", h, j->body,
	    strlen(j->body));
	curl_easy_setopt(call->easy, CURLOPT_TIMEOUT, 20L);
	call->user = j;
	curl_easy_setopt(call->easy, CURLOPT_PRIVATE, call);
	curl_multi_add_handle(l->multi, call->easy);
	j->running = 1;
	j->attempts++;
	l->running++;
	free(key);
	free(auth);
}

/* Whether an answer says the request may not have been served. */
static int
retryable(const struct http_resp *r)
{
	return r->status == 0 || r->status == 502 || r->status == 503 ||
	    r->status == 504;
}

/*
 * Takes the answer to job j: queues it for a retry when the request may
 * not have been served, else records the outcome for good.
 */
static void
job_done(struct load *l, struct job *j, struct http_resp *r)
{
	struct json_object	*o;
	size_t			 i = (size_t)(j - l->jobs);

	j->running = 0;
	j->status = r->status;
	l->running--;
	if (retryable(r) && j->attempts < ATTEMPTS) {
		l->queue[l->nqueue++] = i;
		l->retries++;
		return;
	}
	if (r->status == 201 && (o = http_json(r)) != NULL) {
		j->number = http_json_int(o, "ticket.number", 0);
		json_object_put(o);
	}
	l->done++;
}

/* Starts jobs until PARALLEL run: retries first, then new ones. */
static void
fill(struct load *l)
{
	while (l->running < PARALLEL) {
		if (l->nqueue > 0)
			job_start(l, l->queue[--l->nqueue]);
		else if (l->next < TICKETS)
			job_start(l, l->next++);
		else
			break;
	}
}

/* Collects the transfers that ended. */
static void
reap(struct load *l)
{
	struct http_call	*call;
	struct http_resp	*r;
	struct job		*call_job;
	CURLMsg			*m;
	CURL			*easy;
	int			 left;

	while ((m = curl_multi_info_read(l->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		easy = m->easy_handle;
		curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&call);
		curl_multi_remove_handle(l->multi, easy);
		call_job = call->user;
		r = http_call_finish(call, m->data.result);
		job_done(l, call_job, r);
		http_resp_free(r);
	}
}

/* Kills pid with SIGKILL if it is still a worker of multiwatch. */
static void
kill_worker(pid_t multiwatch, pid_t pid)
{
	ck_assert_msg(parent_of(pid) == multiwatch,
	    "worker %d is gone before it could be killed", (int)pid);
	ck_assert_msg(kill(pid, SIGKILL) == 0, "kill %d: %s", (int)pid,
	    strerror(errno));
}

/* Whether /healthz answers 200 within seconds. */
static int
healthy_within(double seconds)
{
	struct http_call	*call;
	struct http_resp	*r;
	double			 start = now_s(), left;
	long			 status = 0;

	while (status != 200 && (left = seconds - (now_s() - start)) > 0) {
		call = http_call_new(NULL, "GET", "/healthz", NULL, NULL, 0);
		curl_easy_setopt(call->easy, CURLOPT_TIMEOUT_MS,
		    (long)(left * 1000) + 1);
		r = http_call_finish(call, curl_easy_perform(call->easy));
		status = r->status;
		http_resp_free(r);
		if (status != 200)
			usleep(50 * 1000);
	}
	return status == 200;
}

/* Prepares the jobs: a key and a subject each, all under marker. */
static void
load_init(struct load *l, const char *marker, const char *token)
{
	long long	support = fx_channel("Support");
	size_t		i;

	memset(l, 0, sizeof(*l));
	l->token = token;
	ck_assert_ptr_nonnull(l->multi = curl_multi_init());
	for (i = 0; i < TICKETS; i++) {
		l->jobs[i].key = fx_printf("%s-k%zu", marker, i);
		l->jobs[i].subject = fx_printf("%s n%zu", marker, i);
		l->jobs[i].body = fx_printf("{\"subject\":\"%s\","
		    "\"channel\":%lld}", l->jobs[i].subject, support);
	}
}

/*
 * Runs the load and kills victims[k] once kill_at[k] tickets are done.
 * Returns when every job is answered for good.
 */
static void
load_run(struct load *l, pid_t multiwatch, const pid_t *victims,
    size_t nvictims, const size_t *kill_at)
{
	size_t	killed = 0;
	int	still;

	while (l->done < TICKETS) {
		fill(l);
		curl_multi_perform(l->multi, &still);
		reap(l);
		if (killed < nvictims && l->done >= kill_at[killed] &&
		    l->running > 0)
			kill_worker(multiwatch, victims[killed++]);
		if (l->done < TICKETS)
			curl_multi_poll(l->multi, NULL, 0, 100, NULL);
	}
	ck_assert_uint_eq(killed, nvictims);
}

/* Asserts that every job got its 201 and its own ticket. */
static void
check_jobs(const struct load *l)
{
	const struct job	*j;
	long long		 stored;
	size_t			 i, k;

	for (i = 0; i < TICKETS; i++) {
		j = &l->jobs[i];
		ck_assert_msg(j->status == 201 && j->number > 0,
		    "%s: status %ld after %d attempts", j->key, j->status,
		    j->attempts);
		stored = fx_db_int("SELECT number FROM tickets "
		    "WHERE subject = ?", -1, TW_ARGS(TW_S(j->subject)));
		ck_assert_msg(stored == j->number, "%s: answered #%lld, "
		    "stored #%lld", j->key, j->number, stored);
		for (k = 0; k < i; k++)
			ck_assert_msg(l->jobs[k].number != j->number,
			    "%s and %s both got #%lld", l->jobs[k].key, j->key,
			    j->number);
	}
}

/*
 * Waits up to seconds for multiwatch to run n workers again, none of
 * them a victim; returns how many new pids there are.
 */
static size_t
await_replacements(pid_t multiwatch, const pid_t *before, size_t n,
    const pid_t *victims, size_t nvictims, double seconds)
{
	pid_t	now[WORKERS_MAX];
	double	start = now_s();
	size_t	m, i, k, fresh, dead;

	do {
		m = children_of(multiwatch, now, WORKERS_MAX);
		fresh = dead = 0;
		for (i = 0; i < m; i++) {
			for (k = 0; k < n && before[k] != now[i]; k++)
				;
			fresh += k == n;
			for (k = 0; k < nvictims; k++)
				dead += victims[k] == now[i];
		}
		if (m == n && dead == 0 && fresh >= nvictims)
			return fresh;
		usleep(100 * 1000);
	} while (now_s() - start < seconds);
	return 0;
}

START_TEST(test_worker_killed_under_load)
{
	static struct load	 l;
	const char		*conf = getenv("TW_CONFIG");
	char			*token, *marker, *pattern;
	pid_t			 mw, workers[WORKERS_MAX], victims[2];
	size_t			 n, i, nvictims, fresh;
	const size_t		 kill_at[2] = { TICKETS / 5, TICKETS / 2 };
	double			 start;

	ck_assert_msg(conf != NULL, "TW_CONFIG is not set");
	mw = find_multiwatch(conf);
	n = children_of(mw, workers, WORKERS_MAX);
	ck_assert_msg(n > 0, "multiwatch %d has no workers", (int)mw);
	for (i = 0; i < n; i++)
		ck_assert_msg(runs_config(workers[i], conf), "worker %d of "
		    "multiwatch %d does not run TW_CONFIG=%s; not killing it",
		    (int)workers[i], (int)mw, conf);
	nvictims = n >= 2 ? 2 : 1;
	for (i = 0; i < nvictims; i++)
		victims[i] = workers[i];

	token = fx_token("admin");
	marker = fx_marker("itest-crash");
	load_init(&l, marker, token);
	start = now_s();
	load_run(&l, mw, victims, nvictims, kill_at);
	fprintf(stderr, "crash: %d tickets in %.1f s over %d connections, "
	    "killed %zu of %zu workers, %zu requests retried\n", TICKETS,
	    now_s() - start, PARALLEL, nvictims, n, l.retries);

	ck_assert_msg(healthy_within(2.0), "/healthz did not answer 200 "
	    "within 2 s");
	check_jobs(&l);
	pattern = fx_printf("%s %%", marker);
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM tickets "
	    "WHERE subject LIKE ?", -1, TW_ARGS(TW_S(pattern))), TICKETS);
	ck_assert_int_eq(fx_db_int("SELECT COUNT(DISTINCT subject) "
	    "FROM tickets WHERE subject LIKE ?", -1, TW_ARGS(TW_S(pattern))),
	    TICKETS);
	free(pattern);
	pattern = fx_printf("%s-k%%", marker);
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM request_keys "
	    "WHERE request_key LIKE ? AND ticket_number > 0", -1,
	    TW_ARGS(TW_S(pattern))), TICKETS);

	fresh = await_replacements(mw, workers, n, victims, nvictims, 10.0);
	ck_assert_msg(fresh >= nvictims, "multiwatch %d did not replace the "
	    "killed workers", (int)mw);

	free(pattern);
	free(marker);
	free(token);
}
END_TEST

Suite *
tw_crash_suite(void)
{
	Suite	*s = suite_create("crash");
	TCase	*tc = fx_tcase("crash", 120);

	tcase_add_test(tc, test_worker_killed_under_load);
	suite_add_tcase(s, tc);
	return s;
}
