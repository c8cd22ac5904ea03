/*
 * auth.c: sessions, API tokens, CSRF tokens and sign-in throttling.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <fcgiapp.h>

#include "arena.h"
#include "auth.h"
#include "conf.h"
#include "crypto.h"
#include "db.h"
#include "epoch.h"
#include "log.h"
#include "request.h"
#include "response.h"

#define FAIL_WINDOW	15	/* minutes in which failures count */
#define SEEN_EVERY	60	/* seconds between last_seen updates */
#define KEY_HOURS	24	/* hours an Idempotency-Key is remembered */
#define TIDY_BATCH	1000	/* rows one tidying statement deletes */

enum {
	SQL_SESSION_SEEN,
	SQL_SESSION_NEW,
	SQL_SESSION_END,
	SQL_TOKEN_GET,
	SQL_TOKEN_USED,
	SQL_TOKEN_NEW,
	SQL_USER_BY_LOGIN,
	SQL_USER_REHASH,
	SQL_FAILS_LOGIN,
	SQL_FAILS_ADDR,
	SQL_FAIL_ADD,
	SQL_FAILS_CLEAR,
	SQL_TIDY_SESSIONS,
	SQL_TIDY_FAILS,
	SQL_TIDY_KEYS,
	SQL__MAX
};

/* The session statement in two, for tw_auth_session_columns. */
#define SESSION_HEAD \
    "SELECT u.id, u.login, u.name, u.lang, u.is_admin, " \
    "TIMESTAMPDIFF(SECOND, s.last_seen, UTC_TIMESTAMP(6)) AS idle, " \
    "(SELECT n FROM cache_epoch WHERE id = 1) AS epoch"
#define SESSION_TAIL \
    " FROM sessions s JOIN users u ON u.id = s.user_id " \
    "WHERE s.token_hash = ? AND u.active = 1 " \
    "AND s.expires_at > UTC_TIMESTAMP(6) " \
    "AND s.last_seen > UTC_TIMESTAMP(6) - INTERVAL ? MINUTE"

static const char *const sql[SQL__MAX] = {
	[SQL_SESSION_SEEN] =
	    "UPDATE sessions SET last_seen = UTC_TIMESTAMP(6) "
	    "WHERE token_hash = ?",
	[SQL_SESSION_NEW] =
	    "INSERT INTO sessions (token_hash, user_id, expires_at, "
	    "remote_addr, user_agent) VALUES (?, ?, "
	    "UTC_TIMESTAMP(6) + INTERVAL ? HOUR, ?, LEFT(?, 255))",
	[SQL_SESSION_END] =
	    "DELETE FROM sessions WHERE token_hash = ?",
	[SQL_TOKEN_GET] =
	    "SELECT u.id, u.login, u.name, u.lang, u.is_admin, t.id AS tid, "
	    "t.last_used_at < UTC_TIMESTAMP(6) - INTERVAL 1 MINUTE "
	    "OR t.last_used_at IS NULL AS stale, "
	    "(SELECT n FROM cache_epoch WHERE id = 1) AS epoch "
	    "FROM api_tokens t JOIN users u ON u.id = t.user_id "
	    "WHERE t.token_hash = ? AND u.active = 1",
	[SQL_TOKEN_USED] =
	    "UPDATE api_tokens SET last_used_at = UTC_TIMESTAMP(6) "
	    "WHERE id = ?",
	[SQL_TOKEN_NEW] =
	    "INSERT INTO api_tokens (token_hash, user_id, name) "
	    "VALUES (?, ?, ?)",
	[SQL_USER_BY_LOGIN] =
	    "SELECT id, password_hash FROM users "
	    "WHERE login = ? AND active = 1",
	[SQL_USER_REHASH] =
	    "UPDATE users SET password_hash = ? WHERE id = ?",
	[SQL_FAILS_LOGIN] =
	    "SELECT COUNT(*) AS n FROM signin_failures WHERE login = ? "
	    "AND at > UTC_TIMESTAMP(6) - INTERVAL ? MINUTE",
	[SQL_FAILS_ADDR] =
	    "SELECT COUNT(*) AS n FROM signin_failures WHERE remote_addr = ? "
	    "AND at > UTC_TIMESTAMP(6) - INTERVAL ? MINUTE",
	[SQL_FAIL_ADD] =
	    "INSERT INTO signin_failures (login, remote_addr) VALUES (?, ?)",
	[SQL_FAILS_CLEAR] =
	    "DELETE FROM signin_failures WHERE login = ?",
	[SQL_TIDY_SESSIONS] =
	    "DELETE FROM sessions WHERE expires_at < UTC_TIMESTAMP(6) "
	    "OR last_seen < UTC_TIMESTAMP(6) - INTERVAL ? MINUTE LIMIT ?",
	[SQL_TIDY_FAILS] =
	    "DELETE FROM signin_failures "
	    "WHERE at < UTC_TIMESTAMP(6) - INTERVAL ? MINUTE LIMIT ?",
	[SQL_TIDY_KEYS] =
	    "DELETE FROM request_keys "
	    "WHERE created_at < UTC_TIMESTAMP(6) - INTERVAL ? HOUR LIMIT ?",
};

/* The session statement, with a program's columns once it named any. */
static const char	*session_sql = SESSION_HEAD SESSION_TAIL;
static unsigned char	secret[64];
static size_t		secret_len;
static long		idle_minutes;
static long		absolute_hours;
static long		fails_per_login;
static long		fails_per_addr;

/*
 * A valid Argon2id hash of a random password: an unknown login is checked
 * against it so that it takes as long as a wrong password.
 */
static char		decoy_hash[128];

enum tw_err
tw_auth_init(void)
{
	const char	*hex = tw_conf_str("auth", "secret", "");
	char		 decoy[TW_TOKEN_HEX + 1];
	int		 n;

	n = tw_hex_decode(hex, secret, sizeof(secret));
	if (n < 32) {
		tw_log(TW_LOG_ERROR, "auth_secret",
		    "detail", "[auth] secret must be at least 64 hex digits",
		    (char *)NULL);
		return TW_ERR_INVALID;
	}
	secret_len = (size_t)n;
	idle_minutes = tw_conf_int("auth", "session_idle_minutes", 30);
	absolute_hours = tw_conf_int("auth", "session_absolute_hours", 12);
	fails_per_login = tw_conf_int("auth", "signin_fails_per_login", 5);
	fails_per_addr = tw_conf_int("auth", "signin_fails_per_addr", 20);

	decoy_hash[0] = '\0';
	if (tw_token_new(decoy) == TW_OK)
		tw_password_hash(decoy, decoy_hash, sizeof(decoy_hash));
	return TW_OK;
}

static const char *
session_cookie(const struct tw_request *req)
{
	return req->https ? "__Host-tw_session" : "tw_session";
}

static const char *
pre_cookie(const struct tw_request *req)
{
	return req->https ? "__Host-tw_pre" : "tw_pre";
}

static int
is_token(const char *s)
{
	size_t	i;

	if (s == NULL || strlen(s) != TW_TOKEN_HEX)
		return 0;
	for (i = 0; i < TW_TOKEN_HEX; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/*
 * The user of a session or token row.  The row also carries the change
 * counter of cached data, read here so that no request spends a
 * statement of its own on it.
 */
static struct tw_user *
user_from_row(struct tw_arena *a, const struct tw_rows *r)
{
	struct tw_user	*u = tw_arena_calloc(a, 1, sizeof(*u));

	tw_epoch_note(tw_rows_int(r, 0, "epoch", 0));
	u->id = tw_rows_int(r, 0, "id", 0);
	u->login = tw_rows_str(r, 0, "login");
	u->name = tw_rows_str(r, 0, "name");
	u->lang = tw_rows_str(r, 0, "lang");
	u->is_admin = tw_rows_int(r, 0, "is_admin", 0) != 0;
	return u;
}

static enum tw_err
identify_token(struct tw_request *req, const char *token)
{
	struct tw_rows	*r;
	char		 hash[65];
	enum tw_err	 rc;

	if (!is_token(token))
		return TW_ERR_UNAUTH;
	tw_sha256_hex(token, TW_TOKEN_HEX, hash);
	rc = tw_db_query(req->arena, sql[SQL_TOKEN_GET], &r,
	    TW_ARGS(TW_S(hash)));
	if (rc != TW_OK)
		return rc;
	if (r->nrows == 0)
		return TW_ERR_UNAUTH;

	req->user = user_from_row(req->arena, r);
	req->identity = r;
	req->via_api_token = 1;
	req->wants_json = 1;
	if (tw_rows_int(r, 0, "stale", 0))
		tw_db_exec(sql[SQL_TOKEN_USED], NULL, NULL,
		    TW_ARGS(TW_I(tw_rows_int(r, 0, "tid", 0))));
	return TW_OK;
}

static enum tw_err
identify_session(struct tw_request *req, const char *token)
{
	struct tw_rows	*r;
	char		*hash;
	enum tw_err	 rc;

	if (!is_token(token))
		return TW_OK;
	hash = tw_arena_alloc(req->arena, 65);
	tw_sha256_hex(token, TW_TOKEN_HEX, hash);
	rc = tw_db_query(req->arena, session_sql, &r,
	    TW_ARGS(TW_S(hash), TW_I(idle_minutes)));
	if (rc != TW_OK)
		return rc;
	if (r->nrows == 0)
		return TW_OK;

	req->user = user_from_row(req->arena, r);
	req->identity = r;
	req->session_key = hash;

	/* Idle time only needs minute precision: write at most once a
	 * minute instead of on every request. */
	if (tw_rows_int(r, 0, "idle", 0) >= SEEN_EVERY)
		tw_db_exec(sql[SQL_SESSION_SEEN], NULL, NULL,
		    TW_ARGS(TW_S(hash)));
	return TW_OK;
}

void
tw_auth_session_columns(const char *select)
{
	static const char	 head[] = SESSION_HEAD ", ", tail[] = SESSION_TAIL;
	size_t			 n = strlen(select);
	char			*text;

	if ((text = malloc(sizeof(head) + n + sizeof(tail))) == NULL)
		return;
	memcpy(text, head, sizeof(head) - 1);
	memcpy(text + sizeof(head) - 1, select, n);
	memcpy(text + sizeof(head) - 1 + n, tail, sizeof(tail));
	session_sql = text;
}

enum tw_err
tw_auth_identify(struct tw_request *req)
{
	const char	*auth = req->authorization;

	if (strncasecmp(auth, "Bearer ", 7) == 0)
		return identify_token(req, auth + 7);
	if (*auth != '\0')
		return TW_ERR_UNAUTH;
	return identify_session(req,
	    tw_form_get(&req->cookies, session_cookie(req)));
}

/* HMAC over a tagged key: "s:" for a session, "p:" for a pre-session. */
static const char *
csrf_for(struct tw_request *req, const char *tag, const char *key)
{
	char	 msg[80], *out;

	snprintf(msg, sizeof(msg), "%s%s", tag, key);
	out = tw_arena_alloc(req->arena, 65);
	tw_hmac_hex(secret, secret_len, msg, out);
	return out;
}

const char *
tw_auth_csrf(struct tw_request *req)
{
	const char	*pre;
	char		 fresh[TW_TOKEN_HEX + 1];

	if (req->csrf != NULL)
		return req->csrf;
	if (req->session_key != NULL)
		return req->csrf = csrf_for(req, "s:", req->session_key);

	pre = tw_form_get(&req->cookies, pre_cookie(req));
	if (!is_token(pre)) {
		if (tw_token_new(fresh) != TW_OK)
			return "";
		pre = tw_arena_strdup(req->arena, fresh);
		tw_resp_cookie(req, pre_cookie(req), pre, -1);
	}
	return req->csrf = csrf_for(req, "p:", pre);
}

/* The value of a FastCGI parameter, "" when absent. */
static const char *
fcgi_param(const struct tw_request *req, const char *name)
{
	const char	*v = FCGX_GetParam(name, req->fcgi->envp);

	return v == NULL ? "" : v;
}

/*
 * Whether an Origin header ("scheme://host[:port]") names this server:
 * the host as nginx passes it (without a port) and the port it listens
 * on, 80 or 443 when the origin gives none.
 */
static int
origin_is_us(const struct tw_request *req, const char *o)
{
	const char	*host = fcgi_param(req, "HTTP_HOST");
	const char	*port = fcgi_param(req, "SERVER_PORT");
	const char	*colon, *want_port;
	size_t		 hostlen;

	if (strncmp(o, "http://", 7) == 0) {
		o += 7;
		want_port = "80";
	} else if (strncmp(o, "https://", 8) == 0) {
		o += 8;
		want_port = "443";
	} else
		return 0;

	/* An IPv6 literal keeps its colons inside the brackets. */
	colon = strrchr(o, ':');
	if (colon != NULL && strchr(colon, ']') == NULL)
		want_port = colon + 1;
	else
		colon = o + strlen(o);
	hostlen = (size_t)(colon - o);

	if ((colon = strrchr(host, ':')) != NULL && strchr(colon, ']') == NULL)
		host = tw_arena_strndup(req->arena, host,
		    (size_t)(colon - host));
	return strlen(host) == hostlen && strncasecmp(o, host, hostlen) == 0 &&
	    strcmp(want_port, port) == 0;
}

/*
 * Rejects requests a browser marks as coming from elsewhere: by
 * Sec-Fetch-Site where the browser sends it, else by Origin.  Clients
 * that send neither are not browsers; the CSRF token still applies.
 */
static int
same_origin(const struct tw_request *req)
{
	const char	*site = req->sec_fetch_site;

	if (strcmp(site, "same-origin") == 0)
		return 1;
	if (strcmp(site, "cross-site") == 0 || strcmp(site, "same-site") == 0)
		return 0;
	if (*req->origin == '\0')
		return 1;
	return origin_is_us(req, req->origin);
}

enum tw_err
tw_auth_check_csrf(struct tw_request *req)
{
	const char	*sent, *want;

	if (req->via_api_token)
		return TW_OK;
	if (!same_origin(req))
		return tw_fail(req, TW_ERR_FORBIDDEN, NULL,
		    "The form was sent from another site.");

	sent = tw_form_get(&req->form, "_csrf");
	if (sent == NULL)
		sent = FCGX_GetParam("HTTP_X_CSRF_TOKEN", req->fcgi->envp);
	if (sent == NULL && req->json != NULL)
		sent = tw_req_field(req, "_csrf");

	/* Without a session or pre-session cookie there is nothing the token
	 * could be bound to; computing one would just mint a new cookie. */
	if (req->session_key == NULL &&
	    !is_token(tw_form_get(&req->cookies, pre_cookie(req))))
		want = NULL;
	else
		want = tw_auth_csrf(req);

	if (sent == NULL || want == NULL || strlen(sent) != 64 ||
	    !tw_ct_equal(sent, want, 64))
		return tw_fail(req, TW_ERR_FORBIDDEN, NULL,
		    "The form has expired or did not come from this site. "
		    "Please reload the page and try again.");
	return TW_OK;
}

static long long
count(struct tw_request *req, int which, const char *key)
{
	struct tw_rows	*r;

	if (tw_db_query(req->arena, sql[which], &r,
	    TW_ARGS(TW_S(key), TW_I(FAIL_WINDOW))) != TW_OK)
		return -1;
	return tw_rows_int(r, 0, "n", 0);
}

static enum tw_err
start_session(struct tw_request *req, long long user_id)
{
	char		 token[TW_TOKEN_HEX + 1], hash[65];
	enum tw_err	 rc;

	/* A new token on every sign-in, and the old session ends. */
	if (req->session_key != NULL)
		tw_db_exec(sql[SQL_SESSION_END], NULL, NULL,
		    TW_ARGS(TW_S(req->session_key)));
	if ((rc = tw_token_new(token)) != TW_OK)
		return rc;
	tw_sha256_hex(token, TW_TOKEN_HEX, hash);
	rc = tw_db_exec(sql[SQL_SESSION_NEW], NULL, NULL, TW_ARGS(TW_S(hash),
	    TW_I(user_id), TW_I(absolute_hours), TW_S(req->remote_addr),
	    TW_S(req->user_agent)));
	if (rc != TW_OK)
		return rc;

	tw_resp_cookie(req, session_cookie(req), token, -1);
	tw_resp_cookie(req, pre_cookie(req), "", 0);
	req->session_key = tw_arena_strdup(req->arena, hash);
	req->csrf = NULL;
	return TW_OK;
}

enum tw_err
tw_auth_signin(struct tw_request *req, const char *login,
    const char *password)
{
	struct tw_rows	*r;
	const char	*stored;
	char		 rehashed[128];
	long long	 id, fails_login, fails_addr;
	int		 rehash = 0;
	enum tw_err	 rc;

	fails_login = count(req, SQL_FAILS_LOGIN, login);
	fails_addr = count(req, SQL_FAILS_ADDR, req->remote_addr);
	if (fails_login < 0 || fails_addr < 0)
		return TW_ERR_DB;
	if (fails_login >= fails_per_login || fails_addr >= fails_per_addr) {
		tw_log(TW_LOG_WARN, "signin_throttled", "req", req->id,
		    "login", login, "addr", req->remote_addr, (char *)NULL);
		return TW_ERR_THROTTLED;
	}

	rc = tw_db_query(req->arena, sql[SQL_USER_BY_LOGIN], &r,
	    TW_ARGS(TW_S(login)));
	if (rc != TW_OK)
		return rc;
	stored = r->nrows == 1 ? tw_rows_str(r, 0, "password_hash") :
	    decoy_hash;
	rc = tw_password_verify(password, stored, &rehash);
	if (r->nrows != 1)
		rc = TW_ERR_FORBIDDEN;

	if (rc != TW_OK) {
		tw_db_exec(sql[SQL_FAIL_ADD], NULL, NULL,
		    TW_ARGS(TW_S(login), TW_S(req->remote_addr)));
		tw_log(TW_LOG_INFO, "signin_failed", "req", req->id,
		    "login", login, "addr", req->remote_addr, (char *)NULL);
		return TW_ERR_FORBIDDEN;
	}

	id = tw_rows_int(r, 0, "id", 0);
	if (rehash && tw_password_hash(password, rehashed,
	    sizeof(rehashed)) == TW_OK)
		tw_db_exec(sql[SQL_USER_REHASH], NULL, NULL,
		    TW_ARGS(TW_S(rehashed), TW_I(id)));
	tw_db_exec(sql[SQL_FAILS_CLEAR], NULL, NULL, TW_ARGS(TW_S(login)));
	tw_log(TW_LOG_INFO, "signin", "req", req->id, "login", login,
	    "addr", req->remote_addr, (char *)NULL);
	return start_session(req, id);
}

enum tw_err
tw_auth_signout(struct tw_request *req)
{
	if (req->session_key != NULL)
		tw_db_exec(sql[SQL_SESSION_END], NULL, NULL,
		    TW_ARGS(TW_S(req->session_key)));
	tw_resp_cookie(req, session_cookie(req), "", 0);
	req->session_key = NULL;
	req->user = NULL;
	return TW_OK;
}

enum tw_err
tw_auth_token_create(long long user_id, const char *name,
    char out[TW_TOKEN_HEX + 1])
{
	char		hash[65];
	enum tw_err	rc;

	if ((rc = tw_token_new(out)) != TW_OK)
		return rc;
	tw_sha256_hex(out, TW_TOKEN_HEX, hash);
	return tw_db_exec(sql[SQL_TOKEN_NEW], NULL, NULL,
	    TW_ARGS(TW_S(hash), TW_I(user_id), TW_S(name)));
}

/* Deletes at most TIDY_BATCH rows with one of the tidying statements. */
static enum tw_err
tidy(int which, long long age, int *more)
{
	unsigned long long	n = 0;
	enum tw_err		rc;

	rc = tw_db_exec(sql[which], &n, NULL,
	    TW_ARGS(TW_I(age), TW_I(TIDY_BATCH)));
	if (rc == TW_OK && n == TIDY_BATCH)
		*more = 1;
	return rc;
}

enum tw_err
tw_auth_tidy(struct tw_arena *a, int *more)
{
	enum tw_err	rc;

	(void)a;
	*more = 0;
	if ((rc = tidy(SQL_TIDY_SESSIONS, idle_minutes, more)) != TW_OK)
		return rc;
	if ((rc = tidy(SQL_TIDY_FAILS, FAIL_WINDOW, more)) != TW_OK)
		return rc;
	return tidy(SQL_TIDY_KEYS, KEY_HOURS, more);
}
