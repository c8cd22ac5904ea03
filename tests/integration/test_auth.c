/*
 * test_auth.c: signing in and out through the form, the session cookie,
 * CSRF and origin checks, sign-in throttling and API tokens.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <check.h>
#include <json-c/json.h>
#include <openssl/sha.h>

#include "http.h"
#include "suites.h"

static const char wrong_sentence[] = "The login or the password is wrong.";

/* Whether s is exactly 64 lowercase hex digits. */
static int
is_hex64(const char *s)
{
	size_t	i;

	if (s == NULL || strlen(s) != 64)
		return 0;
	for (i = 0; i < 64; i++)
		if (!isdigit((unsigned char)s[i]) && (s[i] < 'a' || s[i] > 'f'))
			return 0;
	return 1;
}

/* The SHA-256 of s as lowercase hex, computed here with OpenSSL. */
static char *
sha256_hex(const char *s)
{
	unsigned char	 md[SHA256_DIGEST_LENGTH];
	char		*out = malloc(2 * sizeof(md) + 1);
	size_t		 i;

	ck_assert_ptr_nonnull(out);
	SHA256((const unsigned char *)s, strlen(s), md);
	for (i = 0; i < sizeof(md); i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	return out;
}

/* The Set-Cookie value of r that sets cookie name, or NULL. */
static char *
set_cookie(const struct http_resp *r, const char *name)
{
	char	*v;
	size_t	 i, n = strlen(name);

	for (i = 0; (v = http_header(r, "Set-Cookie", i)) != NULL; i++) {
		if (strncmp(v, name, n) == 0 && v[n] == '=')
			return v;
		free(v);
	}
	return NULL;
}

/* Whether the Set-Cookie value has the attribute attr (any case). */
static int
has_attr(const char *cookie, const char *attr)
{
	const char	*p = strchr(cookie, ';');
	size_t		 n;

	while (p != NULL) {
		p++;
		while (*p == ' ')
			p++;
		n = strcspn(p, ";");
		while (n > 0 && p[n - 1] == ' ')
			n--;
		if (n == strlen(attr) && strncasecmp(p, attr, n) == 0)
			return 1;
		p = strchr(p, ';');
	}
	return 0;
}

/* Copy of s with every occurrence of what replaced by with. */
static char *
replace_all(const char *s, const char *what, const char *with)
{
	size_t		 nw = strlen(what), count = 0;
	const char	*p;
	char		*out, *o;

	for (p = s; (p = strstr(p, what)) != NULL; p += nw)
		count++;
	out = malloc(strlen(s) + count * strlen(with) + 1);
	ck_assert_ptr_nonnull(out);
	for (o = out; (p = strstr(s, what)) != NULL; s = p + nw) {
		memcpy(o, s, (size_t)(p - s));
		o += p - s;
		strcpy(o, with);
		o += strlen(with);
	}
	strcpy(o, s);
	return out;
}

/*
 * Forgets failed sign-ins of earlier runs' test logins that ended before
 * cleaning up: they count against 127.0.0.1 for 15 minutes.
 */
static void
forget_failures(void)
{
	fx_db_exec("DELETE FROM signin_failures WHERE login LIKE 'itest-%'",
	    TW_NOARGS);
}

/* POSTs the sign-in form of agent a (its token in csrf). */
static struct http_resp *
post_signin(struct http_agent *a, const char *csrf, const char *login,
    const char *password)
{
	struct http_resp	*r;
	char			*u = http_urlenc(login);
	char			*p = http_urlenc(password);
	char			*body;

	body = fx_printf("_csrf=%s&login=%s&password=%s&next=%%2Ftickets%%2F",
	    csrf, u, p);
	r = http_post_form(a, "/signin", body);
	free(body);
	free(u);
	free(p);
	return r;
}

/* A fresh agent that fetched the sign-in form; its token in *csrf. */
static struct http_agent *
open_form(char **csrf)
{
	struct http_agent	*a = http_agent_new();
	struct http_resp	*r = http_get(a, "/signin");

	ck_assert_int_eq(r->status, 200);
	*csrf = http_csrf(r);
	ck_assert_msg(is_hex64(*csrf), "no CSRF token in the sign-in form");
	http_resp_free(r);
	return a;
}

START_TEST(test_signin_form)
{
	struct http_agent	*a;
	struct http_resp	*r;
	char			*csrf, *next, *loc;

	a = http_agent_new();
	r = http_get(a, "/signin?next=%2Ftickets%2Fnew");
	ck_assert_int_eq(r->status, 200);
	ck_assert_msg(is_hex64(http_cookie(a, "tw_pre")),
	    "GET /signin set no tw_pre cookie of 64 hex digits");
	csrf = http_csrf(r);
	ck_assert_msg(is_hex64(csrf), "no _csrf of 64 hex digits in the form");
	next = http_form_value(r->body, "next");
	ck_assert_str_eq(next, "/tickets/new");
	http_resp_free(r);

	r = post_signin(a, csrf, "admin", fx_password());
	ck_assert_int_eq(r->status, 303);
	loc = http_header(r, "Location", 0);
	ck_assert_str_eq(loc, "/tickets/");
	ck_assert_msg(is_hex64(http_cookie(a, "tw_session")),
	    "no tw_session cookie after signing in");
	ck_assert_msg(http_cookie(a, "tw_pre") == NULL,
	    "the pre-session cookie survived the sign-in");
	http_resp_free(r);

	r = http_get(a, "/tickets/");
	ck_assert_int_eq(r->status, 200);
	ck_assert(http_body_has(r, "<h1>Queue</h1>"));
	ck_assert(http_body_has(r, "action=\"/signout\""));
	http_resp_free(r);

	/* Signed in, the form sends the agent on to where next points. */
	r = http_get(a, "/signin?next=%2Ftickets%2Fnew");
	ck_assert_int_eq(r->status, 303);
	free(loc);
	loc = http_header(r, "Location", 0);
	ck_assert_str_eq(loc, "/tickets/new");

	http_resp_free(r);
	free(loc);
	free(next);
	free(csrf);
	http_agent_free(a);
}
END_TEST

START_TEST(test_signin_next_stays_on_site)
{
	struct http_agent	*a;
	struct http_resp	*r;
	char			*csrf, *body, *loc;

	a = open_form(&csrf);
	body = fx_printf("_csrf=%s&login=admin&password=%s"
	    "&next=%%2F%%2Fevil.example%%2F", csrf, fx_password());
	r = http_post_form(a, "/signin", body);
	ck_assert_int_eq(r->status, 303);
	loc = http_header(r, "Location", 0);
	ck_assert_msg(loc != NULL && loc[0] == '/' && loc[1] != '/',
	    "next=//evil.example/ led to Location: %s", loc);

	free(loc);
	free(body);
	free(csrf);
	http_resp_free(r);
	http_agent_free(a);
}
END_TEST

START_TEST(test_signin_wrong)
{
	struct http_agent	*a;
	struct http_resp	*known, *unknown;
	char			*csrf, *user, *nobody, *b1, *b2;

	/* Logins of the same length, so that the pages can be compared. */
	forget_failures();
	user = fx_user_new("itest-wp");
	nobody = fx_marker("itest-nu");
	ck_assert_uint_eq(strlen(user), strlen(nobody));

	a = open_form(&csrf);
	known = post_signin(a, csrf, user, "not-the-password");
	unknown = post_signin(a, csrf, nobody, "not-the-password");

	ck_assert_int_eq(known->status, 401);
	ck_assert_int_eq(unknown->status, 401);
	ck_assert(http_body_has(known, wrong_sentence));
	ck_assert(http_body_has(unknown, wrong_sentence));
	ck_assert_msg(http_cookie(a, "tw_session") == NULL,
	    "a failed sign-in set a session cookie");

	/* Apart from the login written back into the form, the pages for a
	 * wrong password and for an unknown login are the same. */
	b1 = replace_all(known->body, user, "LOGIN");
	b2 = replace_all(unknown->body, nobody, "LOGIN");
	ck_assert_str_eq(b1, b2);

	fx_db_exec("DELETE FROM signin_failures WHERE login IN (?, ?)",
	    TW_ARGS(TW_S(user), TW_S(nobody)));
	free(b1);
	free(b2);
	free(csrf);
	free(user);
	free(nobody);
	http_resp_free(known);
	http_resp_free(unknown);
	http_agent_free(a);
}
END_TEST

START_TEST(test_signin_throttled)
{
	struct http_agent	*a;
	struct http_resp	*r;
	char			*csrf, *user, *retry;
	int			 i;

	forget_failures();
	user = fx_user_new("itest-th");
	a = open_form(&csrf);
	for (i = 0; i < 5; i++) {
		r = post_signin(a, csrf, user, "not-the-password");
		ck_assert_msg(r->status == 401, "attempt %d: status %ld",
		    i + 1, r->status);
		http_resp_free(r);
	}

	/* The sixth attempt is refused even with the right password. */
	r = post_signin(a, csrf, user, fx_password());
	ck_assert_int_eq(r->status, 429);
	retry = http_header(r, "Retry-After", 0);
	ck_assert_msg(retry != NULL && atoi(retry) > 0,
	    "429 without a Retry-After in seconds");
	ck_assert(http_body_has(r, "Too many failed attempts"));
	ck_assert_msg(http_cookie(a, "tw_session") == NULL,
	    "a throttled sign-in set a session cookie");
	http_resp_free(r);

	/* Without the failures on record the same request succeeds. */
	ck_assert_uint_eq(fx_db_exec("DELETE FROM signin_failures "
	    "WHERE login = ?", TW_ARGS(TW_S(user))), 5);
	r = post_signin(a, csrf, user, fx_password());
	ck_assert_int_eq(r->status, 303);

	http_resp_free(r);
	free(retry);
	free(csrf);
	free(user);
	http_agent_free(a);
}
END_TEST

/* POSTs a new ticket as a with the given token and extra headers. */
static struct http_resp *
post_ticket(struct http_agent *a, const char *csrf, const char *subject,
    long long channel, const char *extra)
{
	struct http_resp	*r;
	const char		*h[] = {
	    "Content-Type: application/x-www-form-urlencoded", extra, NULL };
	char			*s = http_urlenc(subject), *body;

	if (csrf != NULL)
		body = fx_printf("_csrf=%s&subject=%s&channel=%lld", csrf, s,
		    channel);
	else
		body = fx_printf("subject=%s&channel=%lld", s, channel);
	r = http_request(a, "POST", "/tickets/", h, body, strlen(body));
	free(body);
	free(s);
	return r;
}

START_TEST(test_csrf)
{
	struct http_agent	*a;
	struct http_resp	*r;
	char			*csrf, *marker, *origin, *header;
	long long		 support = fx_channel("Support");
	int			 i;
	static const char	 zeros[] = "0000000000000000000000000000000000"
	    "000000000000000000000000000000";

	a = fx_signin("admin", fx_password());
	r = http_get(a, "/tickets/new");
	ck_assert_int_eq(r->status, 200);
	csrf = http_csrf(r);
	ck_assert_msg(is_hex64(csrf), "no _csrf in /tickets/new");
	http_resp_free(r);
	marker = fx_marker("itest-csrf");

	r = post_ticket(a, NULL, marker, support, NULL);
	ck_assert_msg(r->status == 403, "without _csrf: %ld", r->status);
	http_resp_free(r);

	r = post_ticket(a, zeros, marker, support, NULL);
	ck_assert_msg(r->status == 403, "wrong _csrf: %ld", r->status);
	http_resp_free(r);

	r = post_ticket(a, csrf, marker, support,
	    "Origin: http://evil.example");
	ck_assert_msg(r->status == 403, "foreign Origin: %ld", r->status);
	http_resp_free(r);

	r = post_ticket(a, csrf, marker, support, "Sec-Fetch-Site: cross-site");
	ck_assert_msg(r->status == 403, "Sec-Fetch-Site cross-site: %ld",
	    r->status);
	http_resp_free(r);

	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM tickets "
	    "WHERE subject = ?", -1, TW_ARGS(TW_S(marker))), 0);

	/* The right token passes the check and reaches validation (an
	 * empty subject), in the field or in the X-CSRF-Token header. */
	r = post_ticket(a, csrf, "", support, NULL);
	ck_assert_msg(r->status == 422, "right _csrf: %ld", r->status);
	http_resp_free(r);
	header = fx_printf("X-CSRF-Token: %s", csrf);
	r = post_ticket(a, NULL, "", support, header);
	ck_assert_msg(r->status == 422, "X-CSRF-Token: %ld", r->status);
	http_resp_free(r);

	/* Browsers send Origin with every form POST, same-site ones too. */
	origin = fx_printf("Origin: %s", http_base());
	r = post_ticket(a, csrf, "", support, origin);
	ck_assert_msg(r->status == 422, "same-origin POST with \"%s\" was "
	    "answered %ld: %s", origin, r->status, r->body);
	http_resp_free(r);
	free(origin);

	/* Our host on another port, or as the start of another name. */
	for (i = 0; i < 3; i++) {
		origin = fx_printf(i == 0 ? "Origin: %s1" : i == 1 ?
		    "Origin: %s.evil.example" : "Origin: null%.0s",
		    http_base());
		r = post_ticket(a, csrf, "", support, origin);
		ck_assert_msg(r->status == 403, "\"%s\" was answered %ld",
		    origin, r->status);
		http_resp_free(r);
		free(origin);
	}
	r = post_ticket(a, csrf, "", support, "Sec-Fetch-Site: same-site");
	ck_assert_msg(r->status == 403, "Sec-Fetch-Site same-site: %ld",
	    r->status);

	http_resp_free(r);
	free(header);
	free(marker);
	free(csrf);
	http_agent_free(a);
}
END_TEST

START_TEST(test_csrf_json_with_cookie)
{
	struct http_agent	*a;
	struct http_resp	*r;
	char			*csrf, *header, *body;
	const char		*h[] = { "Content-Type: application/json",
	    NULL, NULL };

	/* A session cookie makes even a JSON request need the token. */
	a = fx_signin("admin", fx_password());
	r = http_get(a, "/tickets/new");
	csrf = http_csrf(r);
	http_resp_free(r);
	body = fx_printf("{\"subject\":\"\",\"channel\":%lld}",
	    fx_channel("Support"));

	r = http_request(a, "POST", "/tickets/", h, body, strlen(body));
	ck_assert_msg(r->status == 403, "JSON without a token: %ld",
	    r->status);
	http_resp_free(r);
	header = fx_printf("X-CSRF-Token: %s", csrf);
	h[1] = header;
	r = http_request(a, "POST", "/tickets/", h, body, strlen(body));
	ck_assert_msg(r->status == 422, "JSON with X-CSRF-Token: %ld",
	    r->status);

	http_resp_free(r);
	free(header);
	free(body);
	free(csrf);
	http_agent_free(a);
}
END_TEST

START_TEST(test_session_fixation)
{
	struct http_agent	*a;
	struct http_resp	*r;
	char			*csrf;
	static const char	 planted[] = "5eed5eed5eed5eed5eed5eed5eed5eed"
	    "5eed5eed5eed5eed5eed5eed5eed5eed";

	/* A token someone planted before the sign-in is not the session. */
	a = open_form(&csrf);
	http_cookie_set(a, "tw_session", planted);
	r = post_signin(a, csrf, "admin", fx_password());
	ck_assert_int_eq(r->status, 303);
	ck_assert_msg(is_hex64(http_cookie(a, "tw_session")) &&
	    strcmp(http_cookie(a, "tw_session"), planted) != 0,
	    "the planted session token was kept");
	http_resp_free(r);
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM sessions "
	    "WHERE token_hash = ?", -1, TW_ARGS(TW_S(planted))), 0);

	http_cookie_set(a, "tw_session", planted);
	r = http_get(a, "/tickets/");
	ck_assert_int_eq(r->status, 303);

	http_resp_free(r);
	free(csrf);
	http_agent_free(a);
}
END_TEST

START_TEST(test_csrf_signin_form)
{
	struct http_agent	*a, *b;
	struct http_resp	*r;
	char			*csrf_a, *csrf_b, *body;

	a = open_form(&csrf_a);
	b = open_form(&csrf_b);
	ck_assert_str_ne(csrf_a, csrf_b);

	body = fx_printf("login=admin&password=%s", fx_password());
	r = http_post_form(a, "/signin", body);
	ck_assert_msg(r->status == 403, "sign-in without _csrf: %ld",
	    r->status);
	ck_assert(http_cookie(a, "tw_session") == NULL);
	http_resp_free(r);

	/* A token is bound to the pre-session it was made for. */
	r = post_signin(b, csrf_a, "admin", fx_password());
	ck_assert_msg(r->status == 403, "another agent's token: %ld",
	    r->status);
	ck_assert(http_cookie(b, "tw_session") == NULL);

	http_resp_free(r);
	free(body);
	free(csrf_a);
	free(csrf_b);
	http_agent_free(a);
	http_agent_free(b);
}
END_TEST

START_TEST(test_signout)
{
	struct http_agent	*a, *old;
	struct http_resp	*r;
	char			*csrf, *token, *hash, *loc, *body;

	a = fx_signin("admin", fx_password());
	token = strdup(http_cookie(a, "tw_session"));
	hash = sha256_hex(token);
	r = http_get(a, "/tickets/");
	ck_assert_int_eq(r->status, 200);
	csrf = http_csrf(r);
	ck_assert_msg(is_hex64(csrf), "no sign-out token in the page");
	http_resp_free(r);

	r = http_post_form(a, "/signout", "");
	ck_assert_msg(r->status == 403, "sign-out without _csrf: %ld",
	    r->status);
	http_resp_free(r);
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM sessions "
	    "WHERE token_hash = ?", -1, TW_ARGS(TW_S(hash))), 1);

	body = fx_printf("_csrf=%s", csrf);
	r = http_post_form(a, "/signout", body);
	ck_assert_int_eq(r->status, 303);
	loc = http_header(r, "Location", 0);
	ck_assert_str_eq(loc, "/signin");
	ck_assert_msg(http_cookie(a, "tw_session") == NULL,
	    "sign-out did not clear the session cookie");
	http_resp_free(r);
	free(loc);
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM sessions "
	    "WHERE token_hash = ?", -1, TW_ARGS(TW_S(hash))), 0);

	/* Someone who kept the old cookie is signed out all the same. */
	old = http_agent_new();
	http_cookie_set(old, "tw_session", token);
	r = http_get(old, "/tickets/");
	ck_assert_int_eq(r->status, 303);
	loc = http_header(r, "Location", 0);
	ck_assert_msg(loc != NULL && strncmp(loc, "/signin?next=", 13) == 0,
	    "old cookie: Location %s", loc);
	http_resp_free(r);
	r = http_get_json(old, "/tickets/");
	ck_assert_int_eq(r->status, 401);

	http_resp_free(r);
	free(loc);
	free(body);
	free(csrf);
	free(hash);
	free(token);
	http_agent_free(old);
	http_agent_free(a);
}
END_TEST

START_TEST(test_session_cookie)
{
	struct http_agent	*a;
	struct http_resp	*r;
	char			*csrf, *cookie, *token;
	const char		*paths[] = { "/tickets/", "/tickets/new",
	    "/tickets/?page=2", "/signin", "/no-such-page", "/healthz", NULL };
	size_t			 i;

	a = open_form(&csrf);
	r = post_signin(a, csrf, "admin", fx_password());
	ck_assert_int_eq(r->status, 303);
	cookie = set_cookie(r, "tw_session");
	ck_assert_msg(cookie != NULL, "no Set-Cookie for tw_session");
	token = strdup(http_cookie(a, "tw_session"));
	ck_assert_msg(is_hex64(token), "session token %s is not 64 hex digits",
	    token);
	ck_assert_msg(has_attr(cookie, "HttpOnly"), "no HttpOnly: %s", cookie);
	ck_assert_msg(has_attr(cookie, "SameSite=Lax"), "no SameSite=Lax: %s",
	    cookie);
	ck_assert_msg(has_attr(cookie, "Path=/"), "no Path=/: %s", cookie);
	ck_assert_msg(!http_body_has(r, token), "the token is in the body");
	http_resp_free(r);

	/* The token never shows in a page, in HTML or in JSON. */
	for (i = 0; paths[i] != NULL; i++) {
		r = http_get(a, paths[i]);
		ck_assert_msg(r->status != 0, "GET %s failed", paths[i]);
		ck_assert_msg(!http_body_has(r, token),
		    "the session token is in the body of %s", paths[i]);
		http_resp_free(r);
		r = http_get_json(a, paths[i]);
		ck_assert_msg(!http_body_has(r, token),
		    "the session token is in the JSON of %s", paths[i]);
		http_resp_free(r);
	}

	free(token);
	free(cookie);
	free(csrf);
	http_agent_free(a);
}
END_TEST

START_TEST(test_session_stored_hashed)
{
	struct http_agent	*a;
	const char		*token, *login;
	char			*hash;

	a = fx_signin("admin", fx_password());
	token = http_cookie(a, "tw_session");
	hash = sha256_hex(token);

	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM sessions "
	    "WHERE token_hash = ?", -1, TW_ARGS(TW_S(hash))), 1);
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM sessions "
	    "WHERE token_hash = ?", -1, TW_ARGS(TW_S(token))), 0);
	login = fx_db_str("SELECT u.login FROM sessions s "
	    "JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?", NULL,
	    TW_ARGS(TW_S(hash)));
	ck_assert_str_eq(login, "admin");

	free(hash);
	http_agent_free(a);
}
END_TEST

START_TEST(test_api_token)
{
	struct http_resp	*r;
	struct json_object	*o;
	char			*token, *auth, *hash, *wrong, *ctype;
	const char		*h[] = { NULL, NULL };
	const char		*post[] = { NULL,
	    "Content-Type: application/json", NULL };

	token = fx_token("admin");
	auth = fx_bearer(token);
	h[0] = auth;
	r = http_request(NULL, "GET", "/tickets/", h, NULL, 0);
	ck_assert_int_eq(r->status, 200);
	ctype = http_header(r, "Content-Type", 0);
	ck_assert_msg(ctype != NULL && strncmp(ctype, "application/json",
	    16) == 0, "Content-Type %s", ctype);
	o = http_json(r);
	ck_assert_msg(json_object_is_type(http_json_at(o, "tickets"),
	    json_type_array), "no tickets array in %s", r->body);
	ck_assert_int_eq(http_json_int(o, "page", 0), 1);
	json_object_put(o);
	http_resp_free(r);

	/* A token request needs no CSRF token: it reaches validation. */
	post[0] = auth;
	r = http_request(NULL, "POST", "/tickets/", post, "{}", 2);
	ck_assert_msg(r->status == 422, "bearer POST: %ld %s", r->status,
	    r->body);
	http_resp_free(r);

	/* Only the SHA-256 of the token is stored. */
	hash = sha256_hex(token);
	ck_assert_int_eq(fx_db_int("SELECT COUNT(*) FROM api_tokens "
	    "WHERE token_hash = ?", -1, TW_ARGS(TW_S(hash))), 1);

	/* A wrong token, right in form, and one in the wrong form. */
	wrong = fx_bearer(hash);
	h[0] = wrong;
	r = http_request(NULL, "GET", "/tickets/", h, NULL, 0);
	ck_assert_int_eq(r->status, 401);
	o = http_json(r);
	ck_assert_int_eq(http_json_int(o, "error.status", 0), 401);
	json_object_put(o);
	http_resp_free(r);
	h[0] = "Authorization: Bearer not-a-token";
	r = http_request(NULL, "GET", "/tickets/", h, NULL, 0);
	ck_assert_int_eq(r->status, 401);

	http_resp_free(r);
	free(ctype);
	free(wrong);
	free(hash);
	free(auth);
	free(token);
}
END_TEST

Suite *
tw_auth_suite(void)
{
	Suite	*s = suite_create("auth");
	TCase	*tc = fx_tcase("auth", 60);

	tcase_add_test(tc, test_signin_form);
	tcase_add_test(tc, test_signin_next_stays_on_site);
	tcase_add_test(tc, test_signin_wrong);
	tcase_add_test(tc, test_signin_throttled);
	tcase_add_test(tc, test_csrf);
	tcase_add_test(tc, test_csrf_json_with_cookie);
	tcase_add_test(tc, test_csrf_signin_form);
	tcase_add_test(tc, test_session_fixation);
	tcase_add_test(tc, test_signout);
	tcase_add_test(tc, test_session_cookie);
	tcase_add_test(tc, test_session_stored_hashed);
	tcase_add_test(tc, test_api_token);
	suite_add_tcase(s, tc);
	return s;
}
