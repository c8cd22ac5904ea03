/*
 * test_core.c: the pure parts of the request core: routes, language
 * choice and locale formatting, tokens and digests, password hashes.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "crypto.h"
#include "i18n.h"
#include "request.h"
#include "route.h"
#include "suites.h"
#include "valid.h"

static enum tw_err
handler_a(struct tw_request *req)
{
	(void)req;
	return TW_OK;
}

static enum tw_err
handler_b(struct tw_request *req)
{
	(void)req;
	return TW_ERR_INVALID;
}

static const struct tw_route routes[] = {
	{ "GET", "/tickets/", handler_a, 0 },
	{ "POST", "/tickets/", handler_b, 0 },
	{ "GET", "/tickets/new", handler_a, 0 },
	{ "GET", "/tickets/{number}", handler_b, 0 },
	{ "POST", "/tickets/{number}/items", handler_a, 0 },
	{ "GET", "/a/{x}/b/{y}", handler_a, 0 },
};
#define NROUTES	(sizeof(routes) / sizeof(routes[0]))

static const struct tw_route *
route(struct tw_request *req, struct tw_arena *a, const char *method,
    const char *path, enum tw_err *rc)
{
	memset(req, 0, sizeof(*req));
	req->arena = a;
	req->method = method;
	req->path = path;
	tw_buf_init(&req->headers, a);
	return tw_route_match(routes, NROUTES, req, rc);
}

/* The decimal writer agrees with printf, also at the ends of the range. */
START_TEST(test_int_text)
{
	static const long long v[] = { 0, 7, -7, 10, 1001070, -1001070,
	    LLONG_MAX, LLONG_MIN };
	struct tw_arena	*a = tw_arena_new();
	struct tw_buf	 b;
	char		 text[TW_INT_TEXT], want[64];
	size_t		 i, n;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		snprintf(want, sizeof(want), "%lld", v[i]);
		n = tw_int_text(text, v[i]);
		ck_assert_str_eq(text, want);
		ck_assert_uint_eq(n, strlen(want));
		tw_buf_init(&b, a);
		tw_buf_puts(&b, "n=");
		tw_buf_int(&b, v[i]);
		ck_assert_str_eq(b.data + 2, want);
	}
	snprintf(want, sizeof(want), "%llu", ULLONG_MAX);
	ck_assert_uint_eq(tw_uint_text(text, ULLONG_MAX), strlen(want));
	ck_assert_str_eq(text, want);
	tw_arena_free(a);
}
END_TEST

START_TEST(test_route_match)
{
	struct tw_arena		*a = tw_arena_new();
	struct tw_request	 req;
	const struct tw_route	*r;
	enum tw_err		 rc;

	r = route(&req, a, "GET", "/tickets/", &rc);
	ck_assert_ptr_eq(r, &routes[0]);
	r = route(&req, a, "POST", "/tickets/", &rc);
	ck_assert_ptr_eq(r, &routes[1]);
	r = route(&req, a, "HEAD", "/tickets/", &rc);
	ck_assert_ptr_eq(r, &routes[0]);

	/* A literal route listed first wins over the pattern. */
	r = route(&req, a, "GET", "/tickets/new", &rc);
	ck_assert_ptr_eq(r, &routes[2]);

	r = route(&req, a, "GET", "/tickets/4319", &rc);
	ck_assert_ptr_eq(r, &routes[3]);
	ck_assert_uint_eq(req.nroute_params, 1);
	ck_assert_str_eq(req.route_params[0], "4319");

	r = route(&req, a, "GET", "/a/one/b/two", &rc);
	ck_assert_ptr_eq(r, &routes[5]);
	ck_assert_str_eq(req.route_params[0], "one");
	ck_assert_str_eq(req.route_params[1], "two");
	tw_arena_free(a);
}
END_TEST

START_TEST(test_route_misses)
{
	struct tw_arena		*a = tw_arena_new();
	struct tw_request	 req;
	enum tw_err		 rc;

	ck_assert_ptr_null(route(&req, a, "GET", "/nothing", &rc));
	ck_assert_int_eq(rc, TW_ERR_NOTFOUND);

	/* A parameter never matches an empty or a multi-segment piece. */
	ck_assert_ptr_null(route(&req, a, "GET", "/tickets//items", &rc));
	ck_assert_ptr_null(route(&req, a, "GET", "/tickets/1/2", &rc));
	ck_assert_int_eq(rc, TW_ERR_NOTFOUND);
	ck_assert_ptr_null(route(&req, a, "GET", "/tickets", &rc));

	/* The path exists for other methods: 405 with an Allow header. */
	ck_assert_ptr_null(route(&req, a, "DELETE", "/tickets/", &rc));
	ck_assert_int_eq(rc, TW_ERR_METHOD);
	ck_assert_ptr_nonnull(strstr(req.headers.data,
	    "Allow: GET, POST\r\n"));
	tw_arena_free(a);
}
END_TEST

static void
load_catalogs(void)
{
	ck_assert_int_eq(tw_i18n_load(TW_SRCDIR "/htdocs/locale"), TW_OK);
}

START_TEST(test_i18n_pick)
{
	load_catalogs();
	ck_assert_str_eq(tw_i18n_pick(NULL, "de-DE,de;q=0.9,en;q=0.8"), "de");
	ck_assert_str_eq(tw_i18n_pick(NULL, "fr-FR, en-GB;q=0.7, de;q=0.5"),
	    "en");
	ck_assert_str_eq(tw_i18n_pick(NULL, "en;q=0.2, de;q=0.3"), "de");
	ck_assert_str_eq(tw_i18n_pick("de", "en"), "de");
	ck_assert_str_eq(tw_i18n_pick("xx", "de"), "de");
	ck_assert_str_eq(tw_i18n_pick(NULL, "fr"), "en");
	ck_assert_str_eq(tw_i18n_pick(NULL, ""), "en");
	/* "den" is not "de", and garbage falls back to the default. */
	ck_assert_str_eq(tw_i18n_pick(NULL, "den;q=1"), "en");
	ck_assert_str_eq(tw_i18n_pick(NULL, ";;,,q=,"), "en");
}
END_TEST

START_TEST(test_i18n_catalogs_agree)
{
	load_catalogs();
	ck_assert_str_eq(tw_t("de", "signin_submit"), "Anmelden");
	ck_assert_str_eq(tw_t("en", "signin_submit"), "Sign in");
	ck_assert_str_eq(tw_t("en", "no_such_key"), "no_such_key");
}
END_TEST

START_TEST(test_i18n_formats)
{
	char	out[64];
	time_t	t;

	load_catalogs();
	tw_i18n_number("de", 1234567, out, sizeof(out));
	ck_assert_str_eq(out, "1.234.567");
	tw_i18n_number("en", -1234567, out, sizeof(out));
	ck_assert_str_eq(out, "-1,234,567");
	tw_i18n_number("en", 999, out, sizeof(out));
	ck_assert_str_eq(out, "999");

	tw_i18n_money("de", 148600, out, sizeof(out));
	ck_assert_str_eq(out, "1.486,00\u00a0\u20ac");
	tw_i18n_money("en", 148600, out, sizeof(out));
	ck_assert_str_eq(out, "\u20ac1,486.00");
	tw_i18n_money("en", -5, out, sizeof(out));
	ck_assert_str_eq(out, "-\u20ac0.05");

	/* Stored in UTC, shown in Europe/Berlin: +1 h in winter, +2 h in
	 * summer. */
	t = tw_i18n_parse_utc("2026-12-03 16:45:12.123456");
	ck_assert_int_ne(t, -1);
	tw_i18n_datetime("de", t, out, sizeof(out));
	ck_assert_str_eq(out, "03.12.2026 17:45");
	tw_i18n_datetime("en", t, out, sizeof(out));
	ck_assert_str_eq(out, "3 Dec 2026 17:45");
	t = tw_i18n_parse_utc("2026-07-01 10:00:00");
	tw_i18n_datetime("de", t, out, sizeof(out));
	ck_assert_str_eq(out, "01.07.2026 12:00");

	ck_assert_int_eq(tw_i18n_parse_utc("yesterday"), -1);
	ck_assert_int_eq(tw_i18n_parse_utc("2026-12-0x 16:45:12"), -1);
	ck_assert_int_eq(tw_i18n_parse_utc("2026-12-03T16:45:12"), -1);
	t = tw_i18n_parse_utc("2026-01-09 07:05:00");
	tw_i18n_datetime("en", t, out, sizeof(out));
	ck_assert_str_eq(out, "9 Jan 2026 08:05");
	ck_assert_int_eq(tw_i18n_parse_utc(NULL), -1);
}
END_TEST

START_TEST(test_tokens_and_digests)
{
	char	a[TW_TOKEN_HEX + 1], b[TW_TOKEN_HEX + 1], h[65];
	size_t	i;

	ck_assert_int_eq(tw_token_new(a), TW_OK);
	ck_assert_int_eq(tw_token_new(b), TW_OK);
	ck_assert_uint_eq(strlen(a), 64);
	ck_assert_str_ne(a, b);
	for (i = 0; i < 64; i++)
		ck_assert(strchr("0123456789abcdef", a[i]) != NULL);

	/* FIPS 180-2 and RFC 4231 test vectors. */
	tw_sha256_hex("abc", 3, h);
	ck_assert_str_eq(h, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	tw_hmac_hex("Jefe", 4, "what do ya want for nothing?", h);
	ck_assert_str_eq(h, "5bdcc146bf60754e6a042426089575c7"
	    "5a003f089d2739839dec58b964ec3843");

	ck_assert(tw_ct_equal("abcd", "abcd", 4));
	ck_assert(!tw_ct_equal("abcd", "abce", 4));
}
END_TEST

START_TEST(test_password_hashes)
{
	char		 phc[128];
	char		 longpw[129];
	const char	*emoji = "p\xf0\x9f\x94\x91ssw\xc3\xb6rd";
	int		 rehash;

	memset(longpw, 'x', 128);
	longpw[128] = '\0';
	ck_assert_int_eq(tw_password_hash(longpw, phc, sizeof(phc)), TW_OK);
	ck_assert(strncmp(phc, "$argon2id$v=19$m=19456,t=2,p=1$", 31) == 0);
	ck_assert_int_eq(tw_password_verify(longpw, phc, &rehash), TW_OK);
	ck_assert_int_eq(rehash, 0);

	/* No truncation: one more or one less character is wrong. */
	longpw[127] = 'y';
	ck_assert_int_eq(tw_password_verify(longpw, phc, &rehash),
	    TW_ERR_FORBIDDEN);

	ck_assert_int_eq(tw_password_hash(emoji, phc, sizeof(phc)), TW_OK);
	ck_assert_int_eq(tw_password_verify(emoji, phc, &rehash), TW_OK);
	ck_assert_int_eq(tw_password_verify("PSSWORD", phc, &rehash),
	    TW_ERR_FORBIDDEN);

	/* Weaker stored parameters verify but ask for a new hash. */
	ck_assert_int_eq(tw_password_verify("password",
	    "$argon2id$v=19$m=4096,t=1,p=1$c29tZXNhbHQxMjM0NTY3OA$"
	    "JVAiKzJb6rVxaFXqsRONLf9udm8kDc3i+muQbmvUZbA", &rehash), TW_OK);
	ck_assert_int_eq(rehash, 1);
	ck_assert_int_eq(tw_password_verify("x", "not a hash", &rehash),
	    TW_ERR_FORBIDDEN);
}
END_TEST

START_TEST(test_utf8_chars)
{
	ck_assert_uint_eq(tw_utf8_chars("abc", 3), 3);
	ck_assert_uint_eq(tw_utf8_chars("\xc3\xa4\xc3\xb6", 4), 2);
	ck_assert_uint_eq(tw_utf8_chars("\xf0\x9f\x94\x91", 4), 1);
}
END_TEST

Suite *
tw_core_suite(void)
{
	Suite	*s = suite_create("core");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_int_text);
	tcase_add_test(tc, test_route_match);
	tcase_add_test(tc, test_route_misses);
	tcase_add_test(tc, test_i18n_pick);
	tcase_add_test(tc, test_i18n_catalogs_agree);
	tcase_add_test(tc, test_i18n_formats);
	tcase_add_test(tc, test_tokens_and_digests);
	tcase_add_test(tc, test_password_hashes);
	tcase_add_test(tc, test_utf8_chars);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	return s;
}
