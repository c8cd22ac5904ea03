/*
 * test_crm.c: the pure checks behind contacts and attachments: phone
 * numbers to E.164, e-mail addresses, and the names and types files are
 * kept and served under.
 */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "attachment.h"
#include "email.h"
#include "phone.h"
#include "suites.h"
#include "valid.h"

/* Asserts that in normalises to want with country code cc. */
static void
phone_is(const char *in, const char *cc, const char *want)
{
	char	out[TW_PHONE_E164_MAX + 1];

	ck_assert_msg(tw_phone_e164(in, cc, out) == TW_OK,
	    "\"%s\" was refused", in);
	ck_assert_str_eq(out, want);
}

static void
phone_refused(const char *in)
{
	char	out[TW_PHONE_E164_MAX + 1];

	ck_assert_msg(tw_phone_e164(in, "49", out) == TW_ERR_INVALID,
	    "\"%s\" was accepted as %s", in, out);
	ck_assert_str_eq(out, "");
}

START_TEST(test_phone_forms_of_one_number)
{
	static const char *const forms[] = {
		"+49 30 1234567",
		"+49301234567",
		"0049 (30) 123-4567",
		"0049301234567",
		"030 1234567",
		"030/1234567",
		"(030) 123 45 67",
		"030-123.45.67",
		"+49 (0)30 1234567",
		"0049 (0)30 1234567",
		"  +49 30 1234567  ",
	};
	size_t	i;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
		phone_is(forms[i], "49", "+49301234567");
}
END_TEST

START_TEST(test_phone_other_countries)
{
	phone_is("+43 1 5123456", "49", "+4315123456");
	phone_is("0043 1 5123456", "49", "+4315123456");
	phone_is("+1 (212) 555-0100", "49", "+12125550100");
	/* The default country code comes from the caller. */
	phone_is("01 5123456", "43", "+4315123456");
	phone_is("0171 2345678", "49", "+491712345678");
}
END_TEST

START_TEST(test_phone_garbage)
{
	phone_refused("");
	phone_refused("   ");
	phone_refused("hello");
	phone_refused("030 CALL-ME");
	phone_refused("1234567");		/* no prefix: area unknown */
	phone_refused("+49 30 12345678901234");	/* 16 digits */
	phone_refused("+12345");		/* too short */
	phone_refused("030 12");
	phone_refused("++49 30 1234567");
	phone_refused("+49 30 +1234567");
	phone_refused("+0 30 1234567");		/* no country code 0 */
	phone_refused("000 30 1234567");
	phone_refused("(030 1234567");
	phone_refused("030) 1234567");
	phone_refused("(0)(30) 1234567");
	phone_refused("030\t1234567");
	phone_refused("030 1234567;drop");
	phone_refused("+49 30 1234567 ext. 5");
	phone_refused("0049 30 1234567 0000000000000000000000000000000");
}
END_TEST

START_TEST(test_phone_bad_default)
{
	char	out[TW_PHONE_E164_MAX + 1];

	ck_assert_int_eq(tw_phone_e164("030 1234567", NULL, out),
	    TW_ERR_INVALID);
	ck_assert_int_eq(tw_phone_e164("030 1234567", "4x", out),
	    TW_ERR_INVALID);
	ck_assert_int_eq(tw_phone_e164("030 1234567", "", out),
	    TW_ERR_INVALID);
	/* An international number needs no default. */
	ck_assert_int_eq(tw_phone_e164("+49 30 1234567", NULL, out), TW_OK);
	ck_assert_int_eq(tw_phone_e164(NULL, "49", out), TW_ERR_INVALID);
}
END_TEST

static void
email_is(const char *in, const char *want)
{
	char	out[TW_EMAIL_MAX + 1];

	ck_assert_msg(tw_email_norm(in, out) == TW_OK, "\"%s\" was refused",
	    in);
	ck_assert_str_eq(out, want);
}

static void
email_refused(const char *in)
{
	char	out[TW_EMAIL_MAX + 1];

	ck_assert_msg(tw_email_norm(in, out) == TW_ERR_INVALID,
	    "\"%s\" was accepted", in);
}

START_TEST(test_email_valid)
{
	email_is("jana.heyer@heyer-plan.example",
	    "jana.heyer@heyer-plan.example");
	email_is("Jana.Heyer@Heyer-Plan.EXAMPLE",
	    "Jana.Heyer@heyer-plan.example");
	email_is("o'brien+tag@mail.example.com",
	    "o'brien+tag@mail.example.com");
	email_is("x@a.de", "x@a.de");
}
END_TEST

START_TEST(test_email_invalid)
{
	char	long_local[80], long_label[80], *p;

	email_refused("");
	email_refused("jana");
	email_refused("@example.com");
	email_refused("jana@");
	email_refused("jana@localhost");
	email_refused("jana@@example.com");
	email_refused("ja na@example.com");
	email_refused(".jana@example.com");
	email_refused("jana.@example.com");
	email_refused("ja..na@example.com");
	email_refused("jana@example..com");
	email_refused("jana@-example.com");
	email_refused("jana@example-.com");
	email_refused("jana@example.com.");
	email_refused("jana@192.168.0.1");
	email_refused("jana@[192.168.0.1]");
	email_refused("\"jana\"@example.com");
	email_refused("jana@exa_mple.com");
	email_refused("jana\n@example.com");
	email_refused("jana@example.com\r\nBcc: x@y.z");
	email_refused("jäna@example.com");

	memset(long_local, 'a', 65);
	strcpy(long_local + 65, "@example.com");
	email_refused(long_local);
	p = long_label;
	*p++ = 'x';
	*p++ = '@';
	memset(p, 'b', 64);
	strcpy(p + 64, ".de");
	email_refused(long_label);
}
END_TEST

/* Asserts what tw_attachment_filename() makes of in. */
static void
name_is(struct tw_arena *a, const char *in, const char *want)
{
	ck_assert_str_eq(tw_attachment_filename(a, in), want);
}

START_TEST(test_attachment_names)
{
	struct tw_arena	*a = tw_arena_new();

	name_is(a, "report.pdf", "report.pdf");
	name_is(a, "", "attachment");
	name_is(a, ".", "attachment");
	name_is(a, "..", "attachment");
	/* U+202E, U+2066, U+200F and U+061C go; other UTF-8 stays. */
	name_is(a, "invoice\xe2\x80\xaegnp.exe", "invoicegnp.exe");
	name_is(a, "\xe2\x81\xa6" "a\xe2\x80\x8f\xd8\x9c.txt", "a.txt");
	name_is(a, "M\xc3\xa4rz \xe2\x80\x94 Bericht.txt",
	    "M\xc3\xa4rz \xe2\x80\x94 Bericht.txt");
	name_is(a, "\xe2\x80\xae", "attachment");
	tw_arena_free(a);
}
END_TEST

START_TEST(test_attachment_long_names)
{
	struct tw_arena	*a = tw_arena_new();
	char		 in[700];
	const char	*out;
	size_t		 i;

	/* 300 characters: 255 kept, the extension among them. */
	memset(in, 'x', 296);
	strcpy(in + 296, ".txt");
	out = tw_attachment_filename(a, in);
	ck_assert_uint_eq(strlen(out), 255);
	ck_assert_str_eq(out + 251, ".txt");

	/* Cut between characters, never inside one. */
	for (i = 0; i < 300; i++)
		memcpy(in + 2 * i, "\xc3\xa4", 2);
	in[600] = '\0';
	out = tw_attachment_filename(a, in);
	ck_assert_uint_eq(strlen(out), 510);
	ck_assert_uint_eq(tw_utf8_chars(out, strlen(out)), 255);

	/* An extension too long to be one is cut like the rest. */
	memset(in, 'y', 100);
	in[100] = '.';
	memset(in + 101, 'z', 250);
	in[351] = '\0';
	out = tw_attachment_filename(a, in);
	ck_assert_uint_eq(strlen(out), 255);
	ck_assert_int_eq(strncmp(out, in, 255), 0);
	tw_arena_free(a);
}
END_TEST

START_TEST(test_attachment_types)
{
	struct tw_arena	*a = tw_arena_new();

	ck_assert_str_eq(tw_attachment_type(a, "Image/PNG"), "image/png");
	ck_assert_str_eq(tw_attachment_type(a, "text/plain; charset=utf-8"),
	    "text/plain");
	ck_assert_str_eq(tw_attachment_type(a, NULL),
	    "application/octet-stream");
	ck_assert_str_eq(tw_attachment_type(a, "text"),
	    "application/octet-stream");
	ck_assert_str_eq(tw_attachment_type(a, "text/"),
	    "application/octet-stream");
	ck_assert_str_eq(tw_attachment_type(a, "/html"),
	    "application/octet-stream");
	ck_assert_str_eq(tw_attachment_type(a, "text/ht\"ml"),
	    "application/octet-stream");
	ck_assert_str_eq(tw_attachment_type(a, "a/b/c"),
	    "application/octet-stream");

	ck_assert_str_eq(tw_attachment_serve_type("image/png"), "image/png");
	ck_assert_str_eq(tw_attachment_serve_type("application/pdf"),
	    "application/pdf");
	ck_assert_str_eq(tw_attachment_serve_type("application/vnd."
	    "openxmlformats-officedocument.wordprocessingml.document"),
	    "application/vnd.openxmlformats-officedocument."
	    "wordprocessingml.document");
	ck_assert_str_eq(tw_attachment_serve_type("text/html"),
	    "application/octet-stream");
	ck_assert_str_eq(tw_attachment_serve_type("image/svg+xml"),
	    "application/octet-stream");
	ck_assert_str_eq(tw_attachment_serve_type("application/xhtml+xml"),
	    "application/octet-stream");
	ck_assert_str_eq(tw_attachment_serve_type("text/xml"),
	    "application/octet-stream");
	ck_assert_str_eq(tw_attachment_serve_type("image/png2"),
	    "application/octet-stream");
	tw_arena_free(a);
}
END_TEST

Suite *
tw_crm_suite(void)
{
	Suite	*s = suite_create("crm");
	TCase	*tc = tcase_create("phone and email");

	tcase_add_test(tc, test_phone_forms_of_one_number);
	tcase_add_test(tc, test_phone_other_countries);
	tcase_add_test(tc, test_phone_garbage);
	tcase_add_test(tc, test_phone_bad_default);
	tcase_add_test(tc, test_email_valid);
	tcase_add_test(tc, test_email_invalid);
	suite_add_tcase(s, tc);

	tc = tcase_create("attachment names and types");
	tcase_add_test(tc, test_attachment_names);
	tcase_add_test(tc, test_attachment_long_names);
	tcase_add_test(tc, test_attachment_types);
	suite_add_tcase(s, tc);
	return s;
}
