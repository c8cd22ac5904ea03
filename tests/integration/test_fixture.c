/*
 * test_fixture.c: what every integration suite shares: the environment
 * of the instance under test, its database, the admin command, agents
 * signed in through the form, and tickets opened through the API.
 */
#include "config.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <check.h>
#include <json-c/json.h>

#include "arena.h"
#include "conf.h"
#include "db.h"
#include "http.h"
#include "log.h"
#include "suites.h"

#define OUTPUT_MAX	4096
#define BOUNDARY	"tw-test-boundary-7f3a"

static struct tw_arena	*arena;

char *
fx_printf(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	ck_assert_msg(n >= 0 && (s = malloc((size_t)n + 1)) != NULL,
	    "out of memory");

	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

const char *
fx_password(void)
{
	const char	*p = getenv("TW_ADMIN_PASSWORD");

	ck_assert_msg(p != NULL && *p != '\0', "TW_ADMIN_PASSWORD is not set");
	return p;
}

char *
fx_marker(const char *tag)
{
	unsigned char	 raw[8];
	char		*out;
	size_t		 i, n = strlen(tag) + 2 + 2 * sizeof(raw);
	int		 fd;

	fd = open("/dev/urandom", O_RDONLY);
	ck_assert_msg(fd >= 0 && read(fd, raw, sizeof(raw)) ==
	    (ssize_t)sizeof(raw), "cannot read /dev/urandom");
	close(fd);

	out = malloc(n);
	ck_assert_ptr_nonnull(out);
	snprintf(out, n, "%s-", tag);
	for (i = 0; i < sizeof(raw); i++)
		snprintf(out + strlen(out), 3, "%02x", raw[i]);
	return out;
}

/* Opens the database once per test process. */
static void
db_ready(void)
{
	if (arena != NULL) {
		tw_arena_reset(arena);
		return;
	}
	tw_log_init("tw-integration");
	ck_assert_msg(getenv("TW_CONFIG") != NULL, "TW_CONFIG is not set");
	ck_assert_msg(tw_conf_load(NULL) == TW_OK, "cannot read TW_CONFIG");
	ck_assert_msg(tw_db_open() == TW_OK, "cannot open the database: %s",
	    tw_db_error());
	arena = tw_arena_new();
}

/* Runs a SELECT in the fixture's arena; fails the test on an error. */
static struct tw_rows *
query(const char *sql, size_t nargs, const struct tw_dbarg *args)
{
	struct tw_rows	*rows;
	enum tw_err	 rc;

	db_ready();
	rc = tw_db_query(arena, sql, &rows, nargs, args);
	ck_assert_msg(rc == TW_OK, "query failed: %s", tw_db_error());
	return rows;
}

long long
fx_db_int(const char *sql, long long def, size_t nargs,
    const struct tw_dbarg *args)
{
	struct tw_rows	*rows = query(sql, nargs, args);

	if (rows->nrows == 0 || rows->cells[0] == NULL)
		return def;
	return strtoll(rows->cells[0], NULL, 10);
}

const char *
fx_db_str(const char *sql, size_t *len, size_t nargs,
    const struct tw_dbarg *args)
{
	struct tw_rows	*rows = query(sql, nargs, args);

	if (rows->nrows == 0 || rows->cells[0] == NULL)
		return NULL;
	if (len != NULL)
		*len = rows->lens[0];
	return rows->cells[0];
}

unsigned long long
fx_db_exec(const char *sql, size_t nargs, const struct tw_dbarg *args)
{
	unsigned long long	n = 0;

	db_ready();
	ck_assert_msg(tw_db_exec(sql, &n, NULL, nargs, args) == TW_OK,
	    "statement failed: %s", tw_db_error());
	return n;
}

long long
fx_channel(const char *name)
{
	long long	id;

	id = fx_db_int("SELECT id FROM channels WHERE name = ?", 0,
	    TW_ARGS(TW_S(name)));
	ck_assert_msg(id > 0, "no channel %s: is the demo data loaded?", name);
	return id;
}

/* Reads fd to its end into out (size n), NUL-terminated. */
static void
read_all(int fd, char *out, size_t n)
{
	size_t	got = 0;
	ssize_t	r;

	while (got + 1 < n && (r = read(fd, out + got, n - 1 - got)) > 0)
		got += (size_t)r;
	out[got] = '\0';
}

/* The path of a program built beside ticketwerk-admin. */
static void
program_path(const char *name, char *path, size_t n)
{
	const char	*admin = getenv("TW_ADMIN"), *root = getenv("TW_ROOT");
	const char	*slash;

	if (admin != NULL && *admin != '\0') {
		slash = strrchr(admin, '/');
		snprintf(path, n, "%.*s%s", slash == NULL ? 0 :
		    (int)(slash - admin + 1), admin, name);
	} else if (root != NULL && *root != '\0')
		snprintf(path, n, "%s/build/cli/%s", root, name);
	else
		snprintf(path, n, "build/cli/%s", name);
}

/*
 * Who the instance's programs run as: the owner of its data directory.
 * As root, the tools run as that user too, so the files they write stay
 * the programs' own (0 when there is nothing to change).
 */
static void
owner_of_data(uid_t *uid, gid_t *gid)
{
	const char	*var;
	char		 dir[4096];
	struct stat	 st;

	*uid = 0;
	*gid = 0;
	if (geteuid() != 0 || tw_conf_load(NULL) != TW_OK ||
	    (var = tw_conf_str("paths", "var", NULL)) == NULL)
		return;
	snprintf(dir, sizeof(dir), "%s/data", var);
	if (stat(dir, &st) == 0) {
		*uid = st.st_uid;
		*gid = st.st_gid;
	}
}

char *
fx_run(const char *name, const char *input, size_t len,
    const char *const *argv, int *status)
{
	uid_t		 uid;
	gid_t		 gid;
	const char	*args[16];
	char		 out[OUTPUT_MAX], path[4096];
	int		 in[2], res[2], st;
	size_t		 i, n;
	pid_t		 pid;

	program_path(name, path, sizeof(path));
	args[0] = path;
	for (n = 1; argv[n - 1] != NULL && n < 15; n++)
		args[n] = argv[n - 1];
	args[n] = NULL;

	owner_of_data(&uid, &gid);
	ck_assert(pipe(in) == 0 && pipe(res) == 0);
	if ((pid = fork()) == 0) {
		dup2(in[0], 0);
		dup2(res[1], 1);
		close(in[1]);
		close(res[0]);
		if (uid != 0 && (setgid(gid) != 0 || setuid(uid) != 0))
			_exit(126);
		execv(path, (char *const *)args);
		_exit(127);
	}
	ck_assert_msg(pid > 0, "fork failed");
	close(in[0]);
	close(res[1]);
	if (input != NULL && write(in[1], input, len) < 0)
		ck_abort_msg("cannot write to %s", name);
	close(in[1]);
	read_all(res[0], out, sizeof(out));
	close(res[0]);
	ck_assert(waitpid(pid, &st, 0) == pid);
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128;

	for (i = strlen(out); i > 0 && out[i - 1] == '\n'; i--)
		out[i - 1] = '\0';
	return strdup(out);
}

int
fx_mailgate(const char *channel, const char *raw)
{
	const char	*argv[] = { "--channel", channel, NULL };
	char		*out;
	int		 status;

	out = fx_run("ticketwerk-mailgate", raw, strlen(raw), argv, &status);
	free(out);
	return status;
}

char *
fx_admin(const char *input, const char *const *argv)
{
	char	*out;
	int	 status;

	out = fx_run("ticketwerk-admin", input, input != NULL ?
	    strlen(input) : 0, argv, &status);
	if (status != 0) {
		free(out);
		return NULL;
	}
	return out;
}

char *
fx_user_new(const char *tag)
{
	char		*login = fx_marker(tag), *input, *out;
	const char	*argv[] = { "user", "add", login, "--name", login,
	    NULL };
	size_t		 n = strlen(fx_password()) + 2;

	input = malloc(n);
	ck_assert_ptr_nonnull(input);
	snprintf(input, n, "%s\n", fx_password());
	out = fx_admin(input, argv);
	ck_assert_msg(out != NULL, "ticketwerk-admin user add %s failed "
	    "(TW_ADMIN=%s)", login, getenv("TW_ADMIN"));
	free(input);
	free(out);
	return login;
}

char *
fx_token(const char *login)
{
	const char	*argv[] = { "token", "create", "--user", login,
	    "--name", "integration tests", NULL };
	char		*token = fx_admin(NULL, argv);

	ck_assert_msg(token != NULL && strlen(token) == 64,
	    "ticketwerk-admin token create --user %s failed (TW_ADMIN=%s)",
	    login, getenv("TW_ADMIN"));
	return token;
}

char *
fx_message(const char *from, const char *subject, const char *id,
    const char *extra, const char *body)
{
	return fx_printf("From: Kunde <%s>\r\nTo: support@ticketwerk.example"
	    "\r\nSubject: %s\r\nMessage-ID: <%s>\r\nDate: Thu, 3 Dec 2026 "
	    "10:00:00 +0100\r\n%sMIME-Version: 1.0\r\nContent-Type: text/plain;"
	    " charset=utf-8\r\n\r\n%s\r\n", from, subject, id, extra, body);
}

char *
fx_bearer(const char *token)
{
	size_t	 n = strlen(token) + 32;
	char	*h = malloc(n);

	ck_assert_ptr_nonnull(h);
	snprintf(h, n, "Authorization: Bearer %s", token);
	return h;
}

struct http_agent *
fx_signin(const char *login, const char *password)
{
	struct http_agent	*a = http_agent_new();
	struct http_resp	*r;
	char			*csrf, *u, *p, *body;
	size_t			 n;

	r = http_get(a, "/signin");
	ck_assert_msg(r->status == 200, "GET /signin: %ld", r->status);
	csrf = http_csrf(r);
	ck_assert_msg(csrf != NULL, "the sign-in form has no _csrf");
	http_resp_free(r);

	u = http_urlenc(login);
	p = http_urlenc(password);
	n = strlen(csrf) + strlen(u) + strlen(p) + 64;
	body = malloc(n);
	ck_assert_ptr_nonnull(body);
	snprintf(body, n, "_csrf=%s&login=%s&password=%s&next=%%2Ftickets%%2F",
	    csrf, u, p);
	r = http_post_form(a, "/signin", body);
	ck_assert_msg(r->status == 303, "signing in as %s: status %ld", login,
	    r->status);
	ck_assert_msg(http_cookie(a, "tw_session") != NULL,
	    "signing in as %s set no tw_session cookie", login);

	http_resp_free(r);
	free(body);
	free(u);
	free(p);
	free(csrf);
	return a;
}

long long
fx_ticket_new(const char *token, const char *subject, long long channel)
{
	struct json_object	*o = json_object_new_object(), *res;
	struct http_resp	*r;
	char			*auth = fx_bearer(token);
	const char		*h[] = { auth,
	    "Content-Type: application/json", NULL };
	const char		*body;
	long long		 number;

	json_object_object_add(o, "subject", json_object_new_string(subject));
	json_object_object_add(o, "channel", json_object_new_int64(channel));
	body = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	r = http_request(NULL, "POST", "/tickets/", h, body, strlen(body));
	ck_assert_msg(r->status == 201, "POST /tickets/: %ld %s", r->status,
	    r->body);
	res = http_json(r);
	number = http_json_int(res, "ticket.number", 0);
	ck_assert_msg(number > 0, "no ticket.number in %s", r->body);

	json_object_put(res);
	json_object_put(o);
	http_resp_free(r);
	free(auth);
	return number;
}

TCase *
fx_tcase(const char *name, double seconds)
{
	TCase	*tc = tcase_create(name);

	tcase_set_timeout(tc, seconds);
	return tc;
}

struct http_resp *
fx_api(const char *token, const char *method, const char *path,
    const char *body)
{
	struct http_resp	*r;
	char			*auth = fx_bearer(token);
	const char		*h[] = { auth, "Content-Type: application/json",
	    "Accept: application/json", NULL };

	r = http_request(NULL, method, path, h, body,
	    body != NULL ? strlen(body) : 0);
	free(auth);
	return r;
}

long long
fx_user_id(const char *login)
{
	return fx_db_int("SELECT id FROM users WHERE login = ?", 0,
	    TW_ARGS(TW_S(login)));
}

int
fx_json_lists(struct json_object *o, const char *key, long long number)
{
	struct json_object	*list = http_json_at(o, key);
	size_t			 i;

	for (i = 0; json_object_is_type(list, json_type_array) &&
	    i < json_object_array_length(list); i++)
		if (http_json_int(json_object_array_get_idx(list, i),
		    "number", 0) == number)
			return 1;
	return 0;
}

/* A multipart/form-data body of the parts; *len gets its size. */
static char *
multipart(const struct fx_part *parts, size_t n, size_t *len)
{
	char	*body, *p, *head;
	size_t	 i, cap = 256;

	for (i = 0; i < n; i++)
		cap += parts[i].len + 512 + (parts[i].disposition != NULL ?
		    strlen(parts[i].disposition) : 0);
	p = body = malloc(cap);
	ck_assert_ptr_nonnull(body);
	for (i = 0; i < n; i++) {
		head = fx_printf("--" BOUNDARY "\r\nContent-Disposition: "
		    "form-data; name=\"%s\"%s%s\r\n%s%s%s\r\n", parts[i].name,
		    parts[i].disposition != NULL ? "; " : "",
		    parts[i].disposition != NULL ? parts[i].disposition : "",
		    parts[i].type != NULL ? "Content-Type: " : "",
		    parts[i].type != NULL ? parts[i].type : "",
		    parts[i].type != NULL ? "\r\n" : "");
		memcpy(p, head, strlen(head));
		p += strlen(head);
		free(head);
		memcpy(p, parts[i].data, parts[i].len);
		p += parts[i].len;
		memcpy(p, "\r\n", 2);
		p += 2;
	}
	memcpy(p, "--" BOUNDARY "--\r\n", strlen("--" BOUNDARY "--\r\n"));
	p += strlen("--" BOUNDARY "--\r\n");
	*len = (size_t)(p - body);
	return body;
}

struct http_resp *
fx_post_parts(const char *token, struct http_agent *a, const char *path,
    const struct fx_part *parts, size_t n)
{
	struct http_resp	*r;
	char			*auth = token != NULL ? fx_bearer(token) : NULL;
	const char		*h[] = { "Content-Type: multipart/form-data; "
	    "boundary=" BOUNDARY, "Accept: application/json", auth, NULL };
	char			*body;
	size_t			 len;

	if (token == NULL)
		h[1] = "Accept: text/html";
	body = multipart(parts, n, &len);
	r = http_request(a, "POST", path, h, body, len);
	free(body);
	free(auth);
	return r;
}
