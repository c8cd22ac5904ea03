/*
 * test_form.c: the request input parsers: UTF-8, urlencoded forms and
 * query strings, cookies, multipart/form-data and JSON.
 *
 * Inputs are copied into heap blocks of exactly their length, so that a
 * parser reading one byte too far trips AddressSanitizer in the
 * sanitizer build.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "form.h"
#include "suites.h"

/* A string literal and its length, NUL bytes inside included. */
#define LIT(s)	(s), (sizeof(s) - 1)

static struct tw_arena	*arena;
static struct tw_form	 form;
static char		*copies[64];
static size_t		 ncopies;

static void
setup(void)
{
	arena = tw_arena_new();
	memset(&form, 0, sizeof(form));
	ncopies = 0;
}

static void
teardown(void)
{
	while (ncopies > 0)
		free(copies[--ncopies]);
	tw_arena_free(arena);
}

/* The n bytes at s in a heap block of exactly n bytes, no NUL after. */
static const char *
exact(const char *s, size_t n)
{
	char	*p;

	ck_assert_uint_lt(ncopies, sizeof(copies) / sizeof(copies[0]));
	p = malloc(n > 0 ? n : 1);
	ck_assert_ptr_nonnull(p);
	memcpy(p, s, n);
	copies[ncopies++] = p;
	return p;
}

static enum tw_err
urlenc(const char *s, size_t n, const struct tw_form_limits *lim)
{
	return tw_form_urlencoded(arena, exact(s, n), n, lim, &form);
}

static enum tw_err
multipart(const char *ct, const char *s, size_t n,
    const struct tw_form_limits *lim)
{
	return tw_form_multipart(arena, ct, exact(s, n), n, lim, &form);
}

static enum tw_err
json(const char *s, size_t n, size_t depth, struct json_object **o,
    const char **err)
{
	return tw_form_json(arena, exact(s, n), n, depth, o, err);
}

/* Asserts a failure with the code and a message containing part. */
static void
assert_fail(enum tw_err rc, enum tw_err want, const char *part)
{
	ck_assert_int_eq(rc, want);
	ck_assert_ptr_nonnull(form.error);
	ck_assert_msg(strstr(form.error, part) != NULL,
	    "error \"%s\" lacks \"%s\"", form.error, part);
}

#define CT	"multipart/form-data; boundary=XyZ"

/* UTF-8 */

START_TEST(test_utf8_valid)
{
	ck_assert(tw_utf8_valid(LIT("")));
	ck_assert(tw_utf8_valid(LIT("plain ascii")));
	ck_assert(tw_utf8_valid(LIT("caf\xC3\xA9")));
	ck_assert(tw_utf8_valid(LIT("\xE2\x82\xAC")));		/* euro */
	ck_assert(tw_utf8_valid(LIT("\xF0\x9F\x98\x80")));	/* emoji */
	ck_assert(tw_utf8_valid(LIT("\xED\x9F\xBF")));	/* U+D7FF */
	ck_assert(tw_utf8_valid(LIT("\xEE\x80\x80")));	/* U+E000 */
	/* U+10FFFF, the last code point */
	ck_assert(tw_utf8_valid(LIT("\xF4\x8F\xBF\xBF")));
	ck_assert(tw_utf8_valid(LIT("a\0b")));
}
END_TEST

START_TEST(test_utf8_invalid)
{
	ck_assert(!tw_utf8_valid(LIT("\xC0\x80")));	/* overlong NUL */
	ck_assert(!tw_utf8_valid(LIT("\xC1\xBF")));
	ck_assert(!tw_utf8_valid(LIT("\xE0\x80\x80")));
	ck_assert(!tw_utf8_valid(LIT("\xE0\x9F\xBF")));
	ck_assert(!tw_utf8_valid(LIT("\xF0\x80\x80\x80")));
	ck_assert(!tw_utf8_valid(LIT("\xF0\x8F\xBF\xBF")));
	ck_assert(!tw_utf8_valid(LIT("\xED\xA0\x80")));	/* surrogate */
	ck_assert(!tw_utf8_valid(LIT("\xED\xBF\xBF")));
	ck_assert(!tw_utf8_valid(LIT("\xF4\x90\x80\x80")));	/* U+110000 */
	ck_assert(!tw_utf8_valid(LIT("\xF5\x80\x80\x80")));
	ck_assert(!tw_utf8_valid(LIT("\xFF")));
	ck_assert(!tw_utf8_valid(LIT("\x80")));
	ck_assert(!tw_utf8_valid(LIT("a\xBF")));
	ck_assert(!tw_utf8_valid(LIT("\xC3")));		/* truncated */
	ck_assert(!tw_utf8_valid(LIT("\xE2\x82")));
	ck_assert(!tw_utf8_valid(LIT("\xF0\x9F\x98")));
	ck_assert(!tw_utf8_valid(LIT("\xC3" "a")));
	ck_assert(!tw_utf8_valid(LIT("\xE2\x82" "a")));
}
END_TEST

START_TEST(test_utf8_respects_len)
{
	const char	*s = exact(LIT("ab\xF0\x9F\x98\x80"));

	ck_assert(tw_utf8_valid(s, 2));
	ck_assert(!tw_utf8_valid(s, 5));	/* the emoji cut short */
	ck_assert(tw_utf8_valid(s, 6));
}
END_TEST

/* urlencoded */

START_TEST(test_urlenc_basic)
{
	ck_assert_int_eq(urlenc(LIT("a=1&b=two+words&c=%41%42%c3%A9&d=%2B"),
	    NULL), TW_OK);
	ck_assert_uint_eq(form.nparams, 4);
	ck_assert_str_eq(form.params[0].name, "a");
	ck_assert_str_eq(form.params[0].value, "1");
	ck_assert_uint_eq(form.params[0].len, 1);
	ck_assert_str_eq(tw_form_get(&form, "b"), "two words");
	ck_assert_str_eq(tw_form_get(&form, "c"), "AB\xC3\xA9");
	ck_assert_uint_eq(form.params[2].len, 4);
	ck_assert_str_eq(tw_form_get(&form, "d"), "+");
	ck_assert_ptr_null(form.error);
}
END_TEST

START_TEST(test_urlenc_shapes)
{
	ck_assert_int_eq(urlenc(LIT("&&flag&e=&x+y=%F0%9F%98%80&"), NULL),
	    TW_OK);
	ck_assert_uint_eq(form.nparams, 3);
	ck_assert_str_eq(tw_form_get(&form, "flag"), "");
	ck_assert_uint_eq(form.params[0].len, 0);
	ck_assert_str_eq(tw_form_get(&form, "e"), "");
	ck_assert_str_eq(tw_form_get(&form, "x y"), "\xF0\x9F\x98\x80");

	/* A value may hold '='; only the first one splits. */
	ck_assert_int_eq(urlenc(LIT("q=a=b"), NULL), TW_OK);
	ck_assert_str_eq(tw_form_get(&form, "q"), "a=b");

	/* Nothing at all is an empty form. */
	ck_assert_int_eq(tw_form_urlencoded(arena, NULL, 0, NULL, &form),
	    TW_OK);
	ck_assert_uint_eq(form.nparams, 4);
}
END_TEST

START_TEST(test_urlenc_not_terminated)
{
	const char	*s = exact(LIT("a=1&b=22%41"));

	/* Stops at len, in the middle of what follows. */
	ck_assert_int_eq(tw_form_urlencoded(arena, s, 8, NULL, &form), TW_OK);
	ck_assert_str_eq(tw_form_get(&form, "b"), "22");

	/* An escape cut by len is truncated, not read beyond. */
	ck_assert_int_eq(tw_form_urlencoded(arena, s, 10, NULL, &form),
	    TW_ERR_BADREQ);
}
END_TEST

START_TEST(test_urlenc_bad_escapes)
{
	assert_fail(urlenc(LIT("a=%zz"), NULL), TW_ERR_BADREQ,
	    "malformed percent escape");
	assert_fail(urlenc(LIT("a=%4"), NULL), TW_ERR_BADREQ, "percent");
	assert_fail(urlenc(LIT("a=%"), NULL), TW_ERR_BADREQ, "percent");
	assert_fail(urlenc(LIT("a=%4g"), NULL), TW_ERR_BADREQ, "percent");
	assert_fail(urlenc(LIT("%g1=x"), NULL), TW_ERR_BADREQ, "percent");
	ck_assert_uint_eq(form.nparams, 0);
}
END_TEST

START_TEST(test_urlenc_nul_and_utf8)
{
	assert_fail(urlenc(LIT("a=x%00y"), NULL), TW_ERR_BADREQ,
	    "A field value contains a NUL byte.");
	assert_fail(urlenc(LIT("a%00=1"), NULL), TW_ERR_BADREQ,
	    "A field name contains a NUL byte.");
	assert_fail(urlenc(LIT("a=%C0%80"), NULL), TW_ERR_BADREQ,
	    "A field value is not valid UTF-8.");
	assert_fail(urlenc(LIT("a=%ED%A0%80"), NULL), TW_ERR_BADREQ,
	    "not valid UTF-8");
	assert_fail(urlenc(LIT("a=%F4%90%80%80"), NULL), TW_ERR_BADREQ,
	    "not valid UTF-8");
	assert_fail(urlenc(LIT("a=%E2%82"), NULL), TW_ERR_BADREQ,
	    "not valid UTF-8");
	assert_fail(urlenc(LIT("\xFF=1"), NULL), TW_ERR_BADREQ,
	    "A field name is not valid UTF-8.");
	assert_fail(urlenc(LIT("a%01b=1"), NULL), TW_ERR_BADREQ,
	    "A field name contains a control character.");
	assert_fail(urlenc(LIT("=x"), NULL), TW_ERR_BADREQ, "no name");

	/* Line breaks from a textarea are fine in values. */
	ck_assert_int_eq(urlenc(LIT("t=a%0D%0Ab"), NULL), TW_OK);
	ck_assert_str_eq(tw_form_get(&form, "t"), "a\r\nb");
}
END_TEST

START_TEST(test_urlenc_limits)
{
	struct tw_form_limits	 lim = tw_form_default_limits;
	char			 big[2 + 2049];

	memcpy(big, "a=", 2);
	memset(big + 2, 'x', sizeof(big) - 2);
	lim.fields_max = 3;
	lim.name_max = 4;
	lim.value_max = 5;

	/* Exactly at each limit passes; decoded lengths count. */
	ck_assert_int_eq(urlenc(LIT("%61bcd=12345&b=%31%32%33%34%35&c=1"),
	    &lim), TW_OK);
	ck_assert_uint_eq(form.nparams, 3);

	memset(&form, 0, sizeof(form));
	assert_fail(urlenc(LIT("a=1&b=2&c=3&d=4"), &lim), TW_ERR_TOOBIG,
	    "The form has more than 3 fields.");
	ck_assert_uint_eq(form.nparams, 0);
	assert_fail(urlenc(LIT("abcde=1"), &lim), TW_ERR_TOOBIG,
	    "A field name is longer than 4 bytes.");
	assert_fail(urlenc(LIT("a=123456"), &lim), TW_ERR_TOOBIG,
	    "A field value is longer than 5 bytes.");
	assert_fail(urlenc(LIT("a=%31%32%33%34%35%36"), &lim), TW_ERR_TOOBIG,
	    "longer than 5 bytes");

	/* Round sizes read as KiB or MiB. */
	lim = tw_form_default_limits;
	lim.value_max = 2;
	assert_fail(urlenc(LIT("a=123"), &lim), TW_ERR_TOOBIG,
	    "longer than 2 bytes.");
	lim.value_max = 2048;
	assert_fail(urlenc(big, sizeof(big), &lim), TW_ERR_TOOBIG,
	    "A field value is longer than 2 KiB.");
}
END_TEST

START_TEST(test_urlenc_appends_and_rolls_back)
{
	struct tw_form_limits	 lim = tw_form_default_limits;

	lim.fields_max = 3;
	ck_assert_int_eq(urlenc(LIT("q=1&page=2"), &lim), TW_OK);
	ck_assert_int_eq(urlenc(LIT("x=1"), &lim), TW_OK);
	ck_assert_uint_eq(form.nparams, 3);

	/* The query and the body share fields_max. */
	assert_fail(urlenc(LIT("y=1"), &lim), TW_ERR_TOOBIG, "3 fields");
	ck_assert_uint_eq(form.nparams, 3);

	/* A failure keeps what was there before the call. */
	lim.fields_max = 10;
	assert_fail(urlenc(LIT("y=1&z=%zz"), &lim), TW_ERR_BADREQ, "percent");
	ck_assert_uint_eq(form.nparams, 3);
	ck_assert_ptr_null(tw_form_get(&form, "y"));
	ck_assert_str_eq(tw_form_get(&form, "page"), "2");
}
END_TEST

START_TEST(test_urlenc_hostile_count)
{
	size_t	 n = 100000, i;
	char	*s;

	/* Many fields fail at the limit without memory for all of them. */
	s = malloc(n * 4);
	ck_assert_ptr_nonnull(s);
	for (i = 0; i < n; i++)
		memcpy(s + i * 4, "a=1&", 4);
	ck_assert_int_eq(tw_form_urlencoded(arena, s, n * 4, NULL, &form),
	    TW_ERR_TOOBIG);
	ck_assert_str_eq(form.error, "The form has more than 200 fields.");
	ck_assert_uint_lt(tw_arena_used(arena), 64 * 1024);
	free(s);
}
END_TEST

START_TEST(test_duplicates)
{
	ck_assert_int_eq(urlenc(LIT("t=1&u=0&t=2&t=3"), NULL), TW_OK);
	ck_assert_uint_eq(tw_form_count(&form, "t"), 3);
	ck_assert_uint_eq(tw_form_count(&form, "u"), 1);
	ck_assert_uint_eq(tw_form_count(&form, "v"), 0);
	ck_assert_str_eq(tw_form_get(&form, "t"), "1");
	ck_assert_ptr_null(tw_form_get(&form, "v"));
}
END_TEST

START_TEST(test_errors_do_not_echo)
{
	assert_fail(urlenc(LIT("<script>=%zz"), NULL), TW_ERR_BADREQ,
	    "percent");
	ck_assert_ptr_null(strstr(form.error, "script"));
	assert_fail(multipart(CT, LIT("--XyZ\r\nContent-Disposition: "
	    "form-data; name=\"<b>\"\r\n\r\n\xFF\r\n--XyZ--"), NULL),
	    TW_ERR_BADREQ, "UTF-8");
	ck_assert_ptr_null(strstr(form.error, "<b>"));
}
END_TEST

/* cookies */

START_TEST(test_cookies_basic)
{
	ck_assert_int_eq(tw_form_cookies(arena, "__Host-sid=abc123; "
	    "theme=dark;lang=\"de\"; e=", NULL, &form), TW_OK);
	ck_assert_uint_eq(form.nparams, 4);
	ck_assert_str_eq(tw_form_get(&form, "__Host-sid"), "abc123");
	ck_assert_str_eq(tw_form_get(&form, "theme"), "dark");
	ck_assert_str_eq(tw_form_get(&form, "lang"), "de");
	ck_assert_uint_eq(form.params[2].len, 2);
	ck_assert_str_eq(tw_form_get(&form, "e"), "");

	ck_assert_int_eq(tw_form_cookies(arena, NULL, NULL, &form), TW_OK);
	ck_assert_int_eq(tw_form_cookies(arena, "", NULL, &form), TW_OK);
	ck_assert_uint_eq(form.nparams, 4);
}
END_TEST

START_TEST(test_cookies_whitespace_and_dups)
{
	ck_assert_int_eq(tw_form_cookies(arena, "  a = 1 ;\tb=2;;a=3 ",
	    NULL, &form), TW_OK);
	ck_assert_str_eq(tw_form_get(&form, "a"), "1");
	ck_assert_str_eq(tw_form_get(&form, "b"), "2");
	ck_assert_uint_eq(tw_form_count(&form, "a"), 2);
}
END_TEST

START_TEST(test_cookies_malformed_skipped)
{
	struct tw_form_limits	 lim = tw_form_default_limits;

	lim.name_max = 5;
	lim.value_max = 4;
	ck_assert_int_eq(tw_form_cookies(arena, "novalue; =x; ok=1; "
	    "q=\"open; sp=a b; co=x,y; bs=a\\b; dq=a\"b; na(me)=1; "
	    "utf=\xC3\xA9; long=12345; longname=1; fine=1234", &lim, &form),
	    TW_OK);
	ck_assert_uint_eq(form.nparams, 2);
	ck_assert_str_eq(tw_form_get(&form, "ok"), "1");
	ck_assert_str_eq(tw_form_get(&form, "fine"), "1234");
	ck_assert_ptr_null(form.error);
}
END_TEST

START_TEST(test_cookies_too_many)
{
	struct tw_form_limits	 lim = tw_form_default_limits;

	lim.fields_max = 2;
	assert_fail(tw_form_cookies(arena, "a=1; b=2; c=3", &lim, &form),
	    TW_ERR_TOOBIG, "more than 2 fields");
	ck_assert_uint_eq(form.nparams, 0);
}
END_TEST

/* multipart */

static const char mp_body[] =
    "This preamble is ignored.\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"subject\"\r\n"
    "\r\n"
    "Printer on fire\r\n"
    "--XyZ  \r\n"
    "content-disposition: form-data; name=tags\r\n"
    "Content-Type: text/plain; charset=UTF-8\r\n"
    "\r\n"
    "urgent\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"tags\"\r\n"
    "\r\n"
    "line one\r\nline two\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"file\"; "
	"filename=\"C:\\Users\\me\\photo.png\"\r\n"
    "Content-Type: image/png\r\n"
    "\r\n"
    "\x89PNG\r\n\x1A\n\0\0--XyZ\r\n--Xy"
    "\r\n--XyZ--\r\n"
    "This epilogue is ignored, even --XyZ in it.\r\n";

START_TEST(test_multipart_basic)
{
	static const char	 png[] = "\x89PNG\r\n\x1A\n\0\0--XyZ\r\n--Xy";
	const struct tw_upload	*u;
	const char		*body;
	size_t			 len = sizeof(mp_body) - 1;

	body = exact(mp_body, len);
	ck_assert_int_eq(tw_form_multipart(arena, CT, body, len, NULL,
	    &form), TW_OK);
	ck_assert_ptr_null(form.error);
	ck_assert_uint_eq(form.nparams, 3);
	ck_assert_str_eq(tw_form_get(&form, "subject"), "Printer on fire");
	ck_assert_uint_eq(tw_form_count(&form, "tags"), 2);
	ck_assert_str_eq(form.params[1].value, "urgent");
	ck_assert_str_eq(form.params[2].value, "line one\r\nline two");
	ck_assert_uint_eq(form.params[2].len, 18);

	ck_assert_uint_eq(form.nuploads, 1);
	u = tw_form_upload(&form, "file");
	ck_assert_ptr_nonnull(u);
	ck_assert_str_eq(u->field, "file");
	ck_assert_str_eq(u->filename, "photo.png");
	ck_assert_str_eq(u->type, "image/png");

	/* Binary data with NULs and partial boundaries, not copied. */
	ck_assert_uint_eq(u->len, sizeof(png) - 1);
	ck_assert(memcmp(u->data, png, sizeof(png) - 1) == 0);
	ck_assert(u->data > body && u->data + u->len < body + len);
	ck_assert_ptr_null(tw_form_upload(&form, "subject"));
}
END_TEST

START_TEST(test_multipart_boundary_in_data)
{
	static const char	 data[] =
	    "1\r\n--XyZabc 2--XyZ\r\n3\r\n--X\r\n--XyZ x\r\n";
	const struct tw_upload	*u;

	/*
	 * The boundary inside data but not ending a line, without its
	 * CRLF, and cut short are all data.
	 */
	ck_assert_int_eq(multipart(CT, LIT("--XyZ\r\n"
	    "Content-Disposition: form-data; name=f; filename=a.bin\r\n"
	    "\r\n"
	    "1\r\n--XyZabc 2--XyZ\r\n3\r\n--X\r\n--XyZ x\r\n"
	    "\r\n--XyZ--"), NULL), TW_OK);
	u = tw_form_upload(&form, "f");
	ck_assert_ptr_nonnull(u);
	ck_assert_uint_eq(u->len, sizeof(data) - 1);
	ck_assert(memcmp(u->data, data, sizeof(data) - 1) == 0);
	ck_assert_str_eq(u->type, "application/octet-stream");
}
END_TEST

START_TEST(test_multipart_content_types)
{
	static const char body[] = "--b\r\nContent-Disposition: form-data; "
	    "name=a\r\n\r\n1\r\n--b--";

	ck_assert_int_eq(multipart("Multipart/Form-Data; BOUNDARY=b",
	    LIT(body), NULL), TW_OK);
	ck_assert_int_eq(multipart("multipart/form-data;charset=utf-8; "
	    "boundary=\"b\"", LIT(body), NULL), TW_OK);
	ck_assert_int_eq(multipart("multipart/form-data; x=\"q;\\\"\"; "
	    "boundary=b;", LIT(body), NULL), TW_OK);
	ck_assert_uint_eq(form.nparams, 3);

	/* Quoted boundaries may hold spaces and the RFC 2046 specials. */
	ck_assert_int_eq(multipart("multipart/form-data; "
	    "boundary=\"a b:c?\"", LIT("--a b:c?\r\n"
	    "Content-Disposition: form-data; name=q\r\n\r\nv\r\n"
	    "--a b:c?--\r\n"), NULL), TW_OK);
	ck_assert_str_eq(tw_form_get(&form, "q"), "v");

	/* A 70-character boundary is the longest there is. */
	ck_assert_int_eq(multipart("multipart/form-data; boundary="
	    "0123456789012345678901234567890123456789012345678901234567890123"
	    "456789", LIT("--"
	    "0123456789012345678901234567890123456789012345678901234567890123"
	    "456789--"), NULL), TW_OK);
}
END_TEST

START_TEST(test_multipart_bad_boundary)
{
	static const char body[] = "--b\r\nContent-Disposition: form-data; "
	    "name=a\r\n\r\n1\r\n--b--";

	assert_fail(multipart("application/x-www-form-urlencoded",
	    LIT(body), NULL), TW_ERR_MEDIATYPE, "not multipart/form-data");
	assert_fail(multipart(NULL, LIT(body), NULL), TW_ERR_MEDIATYPE,
	    "multipart");
	assert_fail(multipart("multipart/form-datax; boundary=b", LIT(body),
	    NULL), TW_ERR_MEDIATYPE, "multipart");
	assert_fail(multipart("multipart/form-data", LIT(body), NULL),
	    TW_ERR_BADREQ, "boundary is missing or invalid");
	assert_fail(multipart("multipart/form-data; boundary=", LIT(body),
	    NULL), TW_ERR_BADREQ, "missing or invalid");
	assert_fail(multipart("multipart/form-data; boundary=\"\"",
	    LIT(body), NULL), TW_ERR_BADREQ, "missing or invalid");
	assert_fail(multipart("multipart/form-data; boundary=\"b \"",
	    LIT(body), NULL), TW_ERR_BADREQ, "missing or invalid");
	assert_fail(multipart("multipart/form-data; boundary=\"b",
	    LIT(body), NULL), TW_ERR_BADREQ, "missing or invalid");
	assert_fail(multipart("multipart/form-data; boundary=b@c",
	    LIT(body), NULL), TW_ERR_BADREQ, "missing or invalid");
	assert_fail(multipart("multipart/form-data; boundary=b; boundary=b",
	    LIT(body), NULL), TW_ERR_BADREQ, "missing or invalid");
	assert_fail(multipart("multipart/form-data; boundary=\"b\"x",
	    LIT(body), NULL), TW_ERR_BADREQ, "missing or invalid");
	assert_fail(multipart("multipart/form-data boundary=b",
	    LIT(body), NULL), TW_ERR_BADREQ, "missing or invalid");
	assert_fail(multipart("multipart/form-data; boundary="
	    "0123456789012345678901234567890123456789012345678901234567890123"
	    "4567890", LIT(body), NULL), TW_ERR_BADREQ, "missing or invalid");
	ck_assert_uint_eq(form.nparams, 0);
}
END_TEST

START_TEST(test_multipart_unterminated)
{
	assert_fail(multipart(CT, LIT("--XyZ\r\n"
	    "Content-Disposition: form-data; name=a\r\n\r\n1"), NULL),
	    TW_ERR_BADREQ, "ends before its closing boundary");
	assert_fail(multipart(CT, LIT("--XyZ\r\n"
	    "Content-Disposition: form-data; name=a\r\n\r\n1\r\n--XyZ\r\n"),
	    NULL), TW_ERR_BADREQ, "closing boundary");
	assert_fail(multipart(CT, LIT("--XyZ\r\n"
	    "Content-Disposition: form-data; name=a\r\n"), NULL),
	    TW_ERR_BADREQ, "closing boundary");
	assert_fail(multipart(CT, LIT("--XyZ\r\n"
	    "Content-Disposition: form-data; name=a\r\n\r\n1\r\n--XyZ-"),
	    NULL), TW_ERR_BADREQ, "closing boundary");
	assert_fail(multipart(CT, LIT("no boundary here"), NULL),
	    TW_ERR_BADREQ, "no boundary line");
	assert_fail(multipart(CT, LIT(""), NULL), TW_ERR_BADREQ,
	    "no boundary line");

	/* Lines must end in CRLF. */
	assert_fail(multipart(CT, LIT("--XyZ\n"
	    "Content-Disposition: form-data; name=a\n\n1\n--XyZ--\n"), NULL),
	    TW_ERR_BADREQ, "no boundary line");
	ck_assert_uint_eq(form.nparams, 0);

	/* A body of only the closing delimiter has no fields. */
	ck_assert_int_eq(multipart(CT, LIT("--XyZ--"), NULL), TW_OK);
	ck_assert_uint_eq(form.nparams, 0);
}
END_TEST

START_TEST(test_multipart_bad_parts)
{
	assert_fail(multipart(CT, LIT("--XyZ\r\n"
	    "Content-Disposition: form-data; filename=\"a\"\r\n\r\n1\r\n"
	    "--XyZ--"), NULL), TW_ERR_BADREQ, "A multipart part has no field "
	    "name.");
	assert_fail(multipart(CT, LIT("--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"\"\r\n\r\n1\r\n"
	    "--XyZ--"), NULL), TW_ERR_BADREQ, "no field name");
	assert_fail(multipart(CT, LIT("--XyZ\r\n"
	    "Content-Type: text/plain\r\n\r\n1\r\n--XyZ--"), NULL),
	    TW_ERR_BADREQ, "Content-Disposition");
	assert_fail(multipart(CT, LIT("--XyZ\r\n"
	    "Content-Disposition: attachment; name=a\r\n\r\n1\r\n--XyZ--"),
	    NULL), TW_ERR_BADREQ, "Content-Disposition");
	assert_fail(multipart(CT, LIT("--XyZ\r\n"
	    "Content-Disposition: form-data; name=a; name=b\r\n\r\n1\r\n"
	    "--XyZ--"), NULL), TW_ERR_BADREQ, "Content-Disposition");
	assert_fail(multipart(CT, LIT("--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"a\r\n\r\n1\r\n--XyZ--"),
	    NULL), TW_ERR_BADREQ, "Content-Disposition");
	assert_fail(multipart(CT, LIT("--XyZ\r\n"
	    "Content-Disposition form-data; name=a\r\n\r\n1\r\n--XyZ--"),
	    NULL), TW_ERR_BADREQ, "malformed header");
	assert_fail(multipart(CT, LIT("--XyZ\r\n"
	    "Content-Disposition: form-data; name=a\r\n"
	    "Content-Disposition: form-data; name=b\r\n\r\n1\r\n--XyZ--"),
	    NULL), TW_ERR_BADREQ, "malformed header");
	assert_fail(multipart(CT, LIT("--XyZ\r\n"
	    "Content-Disposition: form-data; name=a; filename=a\r\n"
	    "Content-Type: text/plain\r\nContent-Type: text/html\r\n\r\n"
	    "1\r\n--XyZ--"), NULL), TW_ERR_BADREQ, "malformed header");
	assert_fail(multipart(CT, LIT("--XyZ\r\n"
	    "Content-Disposition: form-data; name=a\rX: y\r\n\r\n1\r\n"
	    "--XyZ--"), NULL), TW_ERR_BADREQ, "malformed header");
	assert_fail(multipart(CT, LIT("--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"a\xC0\x80\"\r\n\r\n1\r\n"
	    "--XyZ--"), NULL), TW_ERR_BADREQ, "A field name is not valid "
	    "UTF-8.");
	assert_fail(multipart(CT, LIT("--XyZ\r\n"
	    "Content-Disposition: form-data; name=a\r\n\r\nx\0y\r\n"
	    "--XyZ--"), NULL), TW_ERR_BADREQ, "A field value contains a NUL "
	    "byte.");
	assert_fail(multipart(CT, LIT("--XyZ\r\n"
	    "Content-Disposition: form-data; name=a\r\n\r\n\xED\xA0\x80\r\n"
	    "--XyZ--"), NULL), TW_ERR_BADREQ, "A field value is not valid "
	    "UTF-8.");
	ck_assert_uint_eq(form.nparams, 0);
	ck_assert_uint_eq(form.nuploads, 0);
}
END_TEST

START_TEST(test_multipart_filenames)
{
	ck_assert_int_eq(multipart(CT, LIT("--XyZ\r\n"
	    "Content-Disposition: form-data; name=a; "
	    "filename=\"../../etc/passwd\"\r\n\r\nx\r\n"
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=b; filename=\"plain.txt\"; "
	    "filename*=UTF-8''%E2%82%AC%20rates.txt\r\n\r\nx\r\n"
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=c; filename=\"fall.txt\"; "
	    "filename*=iso-8859-1'en'%A3.txt\r\n\r\nx\r\n"
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=d; filename=\"dir/\"\r\n"
	    "\r\nx\r\n"
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=e; "
	    "filename=\"\xC3\xA9t\xC3\xA9 a%22b.txt\"\r\n\r\nx\r\n"
	    "--XyZ--"), NULL), TW_OK);
	ck_assert_uint_eq(form.nuploads, 5);
	ck_assert_str_eq(tw_form_upload(&form, "a")->filename, "passwd");
	ck_assert_str_eq(tw_form_upload(&form, "b")->filename,
	    "\xE2\x82\xAC rates.txt");
	ck_assert_str_eq(tw_form_upload(&form, "c")->filename, "fall.txt");
	ck_assert_str_eq(tw_form_upload(&form, "d")->filename, "");
	ck_assert_str_eq(tw_form_upload(&form, "e")->filename,
	    "\xC3\xA9t\xC3\xA9 a%22b.txt");
	ck_assert_uint_eq(form.nparams, 0);
}
END_TEST

START_TEST(test_multipart_bad_filenames)
{
	assert_fail(multipart(CT, LIT("--XyZ\r\n"
	    "Content-Disposition: form-data; name=a; filename=\"a\tb\"\r\n"
	    "\r\nx\r\n--XyZ--"), NULL), TW_ERR_BADREQ, "An upload's file "
	    "name contains a control character.");
	assert_fail(multipart(CT, LIT("--XyZ\r\n"
	    "Content-Disposition: form-data; name=a; "
	    "filename*=UTF-8''a%0Ab\r\n\r\nx\r\n--XyZ--"), NULL),
	    TW_ERR_BADREQ, "control character");
	assert_fail(multipart(CT, LIT("--XyZ\r\n"
	    "Content-Disposition: form-data; name=a; "
	    "filename*=UTF-8''a%C2%85b\r\n\r\nx\r\n--XyZ--"), NULL),
	    TW_ERR_BADREQ, "control character");
	assert_fail(multipart(CT, LIT("--XyZ\r\n"
	    "Content-Disposition: form-data; name=a; filename=\"\xFF.txt\"\r\n"
	    "\r\nx\r\n--XyZ--"), NULL), TW_ERR_BADREQ, "An upload's file name "
	    "is not valid UTF-8.");
	assert_fail(multipart(CT, LIT("--XyZ\r\n"
	    "Content-Disposition: form-data; name=a; "
	    "filename*=UTF-8''%C0%80\r\n\r\nx\r\n--XyZ--"), NULL),
	    TW_ERR_BADREQ, "not valid UTF-8");
	assert_fail(multipart(CT, LIT("--XyZ\r\n"
	    "Content-Disposition: form-data; name=a; "
	    "filename*=UTF-8''%zz\r\n\r\nx\r\n--XyZ--"), NULL),
	    TW_ERR_BADREQ, "percent escape");
	assert_fail(multipart(CT, LIT("--XyZ\r\n"
	    "Content-Disposition: form-data; name=a; "
	    "filename*=noquotes\r\n\r\nx\r\n--XyZ--"), NULL),
	    TW_ERR_BADREQ, "filename*");
	ck_assert_uint_eq(form.nuploads, 0);
}
END_TEST

START_TEST(test_multipart_empty_file_input)
{
	/* What a browser sends for a file input left empty. */
	ck_assert_int_eq(multipart(CT, LIT("--XyZ\r\n"
	    "Content-Disposition: form-data; name=att; filename=\"\"\r\n"
	    "Content-Type: application/octet-stream\r\n\r\n\r\n"
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=empty; filename=e.txt\r\n"
	    "\r\n\r\n--XyZ--"), NULL), TW_OK);
	ck_assert_uint_eq(form.nuploads, 1);
	ck_assert_ptr_null(tw_form_upload(&form, "att"));
	ck_assert_uint_eq(tw_form_upload(&form, "empty")->len, 0);
}
END_TEST

START_TEST(test_multipart_limits)
{
	struct tw_form_limits	 lim = tw_form_default_limits;
	static const char	 two[] = "--XyZ\r\n"
	    "Content-Disposition: form-data; name=a; filename=a\r\n\r\n"
	    "1234\r\n--XyZ\r\n"
	    "Content-Disposition: form-data; name=b; filename=b\r\n\r\n"
	    "12345\r\n--XyZ--";

	lim.upload_max = 5;
	ck_assert_int_eq(multipart(CT, LIT(two), &lim), TW_OK);
	ck_assert_uint_eq(form.nuploads, 2);

	memset(&form, 0, sizeof(form));
	lim.upload_max = 4;
	assert_fail(multipart(CT, LIT(two), &lim), TW_ERR_TOOBIG,
	    "An uploaded file is larger than 4 bytes.");
	ck_assert_uint_eq(form.nuploads, 0);

	lim.upload_max = 10 * 1024 * 1024;
	lim.uploads_max = 1;
	assert_fail(multipart(CT, LIT(two), &lim), TW_ERR_TOOBIG,
	    "The form has more than 1 file uploads.");
	ck_assert_uint_eq(form.nuploads, 0);

	assert_fail(multipart(CT, LIT("--XyZ\r\n"
	    "Content-Disposition: form-data; name=a\r\n\r\n1\r\n--XyZ\r\n"
	    "Content-Disposition: form-data; name=b\r\n\r\n2\r\n--XyZ--"),
	    &(struct tw_form_limits){ 1, 8, 8, 1, 8 }), TW_ERR_TOOBIG,
	    "more than 1 fields");
	assert_fail(multipart(CT, LIT("--XyZ\r\n"
	    "Content-Disposition: form-data; name=abcd\r\n\r\n1\r\n--XyZ--"),
	    &(struct tw_form_limits){ 1, 3, 8, 1, 8 }), TW_ERR_TOOBIG,
	    "A field name is longer than 3 bytes.");
	assert_fail(multipart(CT, LIT("--XyZ\r\n"
	    "Content-Disposition: form-data; name=a\r\n\r\n1234\r\n--XyZ--"),
	    &(struct tw_form_limits){ 1, 3, 3, 1, 8 }), TW_ERR_TOOBIG,
	    "A field value is longer than 3 bytes.");
	assert_fail(multipart(CT, LIT("--XyZ\r\n"
	    "Content-Disposition: form-data; name=a; filename=abcd\r\n\r\n"
	    "1\r\n--XyZ--"), &(struct tw_form_limits){ 1, 3, 3, 1, 8 }),
	    TW_ERR_TOOBIG, "file name is longer than 3 bytes");
	assert_fail(multipart(CT, LIT("--XyZ\r\n"
	    "Content-Disposition: form-data; name=a; filename=a\r\n"
	    "Content-Type: \r\n\r\n1\r\n--XyZ--"), NULL), TW_ERR_BADREQ,
	    "content type");
}
END_TEST

START_TEST(test_multipart_big_upload)
{
	static const char	 head[] = "--XyZ\r\n"
	    "Content-Disposition: form-data; name=a; filename=a\r\n\r\n";
	struct tw_form_limits	 lim = tw_form_default_limits;
	size_t			 data = 1024 * 1024 + 1, len;
	char			*body;

	len = sizeof(head) - 1 + data + 9;
	body = malloc(len);
	ck_assert_ptr_nonnull(body);
	memcpy(body, head, sizeof(head) - 1);
	memset(body + sizeof(head) - 1, 'z', data);
	memcpy(body + len - 9, "\r\n--XyZ--", 9);

	lim.upload_max = 1024 * 1024;
	assert_fail(tw_form_multipart(arena, CT, body, len, &lim, &form),
	    TW_ERR_TOOBIG, "An uploaded file is larger than 1 MiB.");
	lim.upload_max = data;
	ck_assert_int_eq(tw_form_multipart(arena, CT, body, len, &lim, &form),
	    TW_OK);
	ck_assert_uint_eq(form.uploads[0].len, data);
	free(body);
}
END_TEST

START_TEST(test_multipart_appends)
{
	/* A query string first, then the multipart body, in one form. */
	ck_assert_int_eq(urlenc(LIT("id=7"), NULL), TW_OK);
	ck_assert_int_eq(multipart(CT, LIT("--XyZ\r\n"
	    "Content-Disposition: form-data; name=id\r\n\r\n8\r\n--XyZ--"),
	    NULL), TW_OK);
	ck_assert_uint_eq(tw_form_count(&form, "id"), 2);
	ck_assert_str_eq(tw_form_get(&form, "id"), "7");
}
END_TEST

/* JSON */

START_TEST(test_json_basic)
{
	struct json_object	*o, *v;
	const char		*err;

	ck_assert_int_eq(json(LIT(" {\"a\": [1, 2, {\"b\": \"c\xC3\xA9\"}], "
	    "\"d\": true, \"e\": 1.5}\r\n"), 3, &o, &err), TW_OK);
	ck_assert_ptr_null(err);
	ck_assert(json_object_is_type(o, json_type_object));
	ck_assert(json_object_object_get_ex(o, "a", &v));
	ck_assert_uint_eq(json_object_array_length(v), 3);
	ck_assert(json_object_object_get_ex(o, "e", &v));
	ck_assert(json_object_get_double(v) == 1.5);

	/* A number at the very end of the input is complete. */
	ck_assert_int_eq(json(LIT("12345"), 0, &o, &err), TW_OK);
	ck_assert_int_eq(json_object_get_int(o), 12345);
	ck_assert_int_eq(json(LIT("\"\xF0\x9F\x98\x80\""), 0, &o, &err),
	    TW_OK);
	ck_assert_str_eq(json_object_get_string(o), "\xF0\x9F\x98\x80");

	/* The JSON null is a value, given as NULL. */
	ck_assert_int_eq(json(LIT("null"), 0, &o, &err), TW_OK);
	ck_assert_ptr_null(o);
}
END_TEST

START_TEST(test_json_not_terminated)
{
	struct json_object	*o;
	const char		*err;
	const char		*s = exact(LIT("[1]2"));

	ck_assert_int_eq(tw_form_json(arena, s, 3, 4, &o, &err), TW_OK);
	ck_assert_uint_eq(json_object_array_length(o), 1);
	s = exact(LIT("123"));
	ck_assert_int_eq(tw_form_json(arena, s, 2, 4, &o, &err), TW_OK);
	ck_assert_int_eq(json_object_get_int(o), 12);
}
END_TEST

START_TEST(test_json_trailing)
{
	struct json_object	*o;
	const char		*err;

	ck_assert_int_eq(json(LIT("{} x"), 4, &o, &err), TW_ERR_BADREQ);
	ck_assert_ptr_null(o);
	ck_assert_str_eq(err, "The JSON body has data after its value.");
	ck_assert_int_eq(json(LIT("{}{}"), 4, &o, &err), TW_ERR_BADREQ);
	ck_assert_str_eq(err, "The JSON body has data after its value.");
	ck_assert_int_eq(json(LIT("1 2"), 4, &o, &err), TW_ERR_BADREQ);
	ck_assert_int_eq(json(LIT("truex"), 4, &o, &err), TW_ERR_BADREQ);
	ck_assert_int_eq(json(LIT("[1]]"), 4, &o, &err), TW_ERR_BADREQ);
	ck_assert_ptr_null(o);
}
END_TEST

START_TEST(test_json_depth)
{
	struct json_object	*o;
	const char		*err;
	char			 deep[82];

	ck_assert_int_eq(json(LIT("[[[1]]]"), 3, &o, &err), TW_OK);
	ck_assert_int_eq(json(LIT("{\"a\":{\"b\":[1]}}"), 3, &o, &err),
	    TW_OK);
	ck_assert_int_eq(json(LIT("[[[[1]]]]"), 3, &o, &err), TW_ERR_TOOBIG);
	ck_assert_ptr_null(o);
	ck_assert_str_eq(err, "The JSON body nests arrays and objects more "
	    "than 3 deep.");
	ck_assert_int_eq(json(LIT("[[[[]]]]"), 3, &o, &err), TW_ERR_TOOBIG);
	ck_assert_int_eq(json(LIT("[{\"a\":[{}]}]"), 3, &o, &err),
	    TW_ERR_TOOBIG);
	ck_assert_int_eq(json(LIT("1"), 0, &o, &err), TW_OK);
	ck_assert_int_eq(json(LIT("[]"), 0, &o, &err), TW_ERR_TOOBIG);

	/* Brackets inside strings do not nest. */
	ck_assert_int_eq(json(LIT("[\"[[[[{{{{\\\"[[[\"]"), 1, &o, &err),
	    TW_OK);

	memset(deep, '[', 41);
	memset(deep + 41, ']', 41);
	ck_assert_int_eq(json(deep, sizeof(deep), 40, &o, &err),
	    TW_ERR_TOOBIG);
	ck_assert_int_eq(json(deep, sizeof(deep), 41, &o, &err), TW_OK);
}
END_TEST

START_TEST(test_json_utf8)
{
	struct json_object	*o;
	const char		*err;

	ck_assert_int_eq(json(LIT("\"\xC0\x80\""), 4, &o, &err),
	    TW_ERR_BADREQ);
	ck_assert_str_eq(err, "The JSON body is not valid UTF-8.");
	ck_assert_int_eq(json(LIT("[\"\xED\xA0\x80\"]"), 4, &o, &err),
	    TW_ERR_BADREQ);
	ck_assert_int_eq(json(LIT("{\"\xF4\x90\x80\x80\":1}"), 4, &o, &err),
	    TW_ERR_BADREQ);
	ck_assert_int_eq(json(LIT("\"\xE2\x82\""), 4, &o, &err),
	    TW_ERR_BADREQ);
	ck_assert_str_eq(err, "The JSON body is not valid UTF-8.");
	ck_assert_ptr_null(o);
}
END_TEST

START_TEST(test_json_strictness)
{
	static const char	*bad[] = {
		"", "  ", "'a'", "[1,]", "01", "1.", ".5", "NaN",
		"Infinity", "-Infinity", "[1e400]", "/* c */ 1", "\"\\x\"",
		"{\"a\" 1}", "tru", "\"a\tb\"", "\"\\u0000\"",
		"{\"k\\u0000\":1}", "\f1",
	};
	struct json_object	*o;
	const char		*err;
	size_t			 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(json(bad[i], strlen(bad[i]), 4, &o, &err) ==
		    TW_ERR_BADREQ, "accepted %s", bad[i]);
		ck_assert_ptr_null(o);
		ck_assert_ptr_nonnull(err);
	}
	ck_assert_int_eq(json(LIT("[NaN]"), 4, &o, &err), TW_ERR_BADREQ);
	ck_assert_str_eq(err, "The JSON body is not valid JSON.");
	ck_assert_int_eq(json(LIT("1e400"), 4, &o, &err), TW_ERR_BADREQ);
	ck_assert_str_eq(err, "The JSON body has a number out of range.");
	ck_assert_int_eq(json(LIT("[1,\0 2]"), 4, &o, &err), TW_ERR_BADREQ);
	ck_assert_int_eq(json(LIT("\"a\0b\""), 4, &o, &err), TW_ERR_BADREQ);

	/* An escaped backslash before u0000 is just text. */
	ck_assert_int_eq(json(LIT("\"\\\\u0000\""), 4, &o, &err), TW_OK);
	ck_assert_str_eq(json_object_get_string(o), "\\u0000");
	ck_assert_int_eq(json(LIT("\"a\\tb\\u00e9\""), 4, &o, &err), TW_OK);
	ck_assert_str_eq(json_object_get_string(o), "a\tb\xC3\xA9");
}
END_TEST

START_TEST(test_json_error_does_not_echo)
{
	struct json_object	*o;
	const char		*err;

	ck_assert_int_eq(json(LIT("{\"<script>\": nope}"), 4, &o, &err),
	    TW_ERR_BADREQ);
	ck_assert_ptr_null(strstr(err, "script"));
	ck_assert_ptr_null(strstr(err, "nope"));
}
END_TEST

Suite *
tw_form_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("form");

	tc = tcase_create("utf8");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_utf8_valid);
	tcase_add_test(tc, test_utf8_invalid);
	tcase_add_test(tc, test_utf8_respects_len);
	suite_add_tcase(s, tc);

	tc = tcase_create("urlencoded");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_urlenc_basic);
	tcase_add_test(tc, test_urlenc_shapes);
	tcase_add_test(tc, test_urlenc_not_terminated);
	tcase_add_test(tc, test_urlenc_bad_escapes);
	tcase_add_test(tc, test_urlenc_nul_and_utf8);
	tcase_add_test(tc, test_urlenc_limits);
	tcase_add_test(tc, test_urlenc_appends_and_rolls_back);
	tcase_add_test(tc, test_urlenc_hostile_count);
	tcase_add_test(tc, test_duplicates);
	tcase_add_test(tc, test_errors_do_not_echo);
	suite_add_tcase(s, tc);

	tc = tcase_create("cookies");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_cookies_basic);
	tcase_add_test(tc, test_cookies_whitespace_and_dups);
	tcase_add_test(tc, test_cookies_malformed_skipped);
	tcase_add_test(tc, test_cookies_too_many);
	suite_add_tcase(s, tc);

	tc = tcase_create("multipart");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_multipart_basic);
	tcase_add_test(tc, test_multipart_boundary_in_data);
	tcase_add_test(tc, test_multipart_content_types);
	tcase_add_test(tc, test_multipart_bad_boundary);
	tcase_add_test(tc, test_multipart_unterminated);
	tcase_add_test(tc, test_multipart_bad_parts);
	tcase_add_test(tc, test_multipart_filenames);
	tcase_add_test(tc, test_multipart_bad_filenames);
	tcase_add_test(tc, test_multipart_empty_file_input);
	tcase_add_test(tc, test_multipart_limits);
	tcase_add_test(tc, test_multipart_big_upload);
	tcase_add_test(tc, test_multipart_appends);
	suite_add_tcase(s, tc);

	tc = tcase_create("json");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_json_basic);
	tcase_add_test(tc, test_json_not_terminated);
	tcase_add_test(tc, test_json_trailing);
	tcase_add_test(tc, test_json_depth);
	tcase_add_test(tc, test_json_utf8);
	tcase_add_test(tc, test_json_strictness);
	tcase_add_test(tc, test_json_error_does_not_echo);
	suite_add_tcase(s, tc);

	return s;
}
