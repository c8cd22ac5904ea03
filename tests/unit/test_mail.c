/*
 * test_mail.c: the mail parser over the shared mail corpus, and the HTML
 * sanitiser over hostile markup of our own.
 *
 * Every message of shared/data/mail-corpus must parse; for a table of
 * them, what a ticket needs is checked against what the raw message
 * says.  Without the corpus the corpus tests print SKIP and pass; the
 * sanitiser cases always run.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "form.h"
#include "html.h"
#include "mail.h"
#include "suites.h"
#include "text.h"

/* What the raw messages say; read off the files, header by header. */
static const struct expect {
	const char	*file;
	const char	*subject;	/* a prefix of the decoded subject */
	const char	*from;		/* the sender's address */
	const char	*text;		/* a prefix of the text */
	size_t		 attachments;
	int		 auto_reply;
	int		 bounce;
} expected[] = {
	{ "zammad-mail002.box", "aa\xc3\xa4\xc3\xb6\xc3\xbc\xc3\x9f" "ad asd",
	  "martin@example.com", "\xc3\xa4\xc3\xb6\xc3\xbc\xc3\x9f ad asd",
	  0, 0, 0 },
	{ "zammad-mail004.box", "AW: Ticket Templates [Ticket#11168]",
	  "k.guenther@example.com", "Hallo Katja,", 0, 0, 0 },
	{ "zammad-mail005.box",
	  "Re: XXXX Betatest Ticket Templates [Ticket#11162]",
	  "marc.smith@example.com", "Am 07.05.2012 08:10, schrieb", 0, 0, 0 },
	{ "zammad-mail006.box", "utf8: \xe4\xbd\xbf\xe3\x81\xa3\xe3\x81\xa6 / "
	  "ISO-8859-1: Priorit\xc3\xa4t", "me@bogen.net", "this is a test",
	  0, 0, 0 },
	{ "zammad-mail008.box", "could not rename: ZZZAAuto",
	  "franz.schaefer@example.com", "Gravierend?", 1, 0, 0 },
	{ "zammad-mail010.box", "Gru\xc3\x9f aus Oberalteich",
	  "smith@example.com", "Herzliche Gr\xc3\xbc\xc3\x9f" "e aus", 1, 0,
	  0 },
	{ "zammad-mail014.box", "AW: OTRS [Ticket#118192]",
	  "bernd.mueller@example.com", "\xc3\xa4\xc3\xb6\xc3\xbc\xc3\x9f ad",
	  2, 0, 0 },
	{ "zammad-mail024.box", "Regelsets im Test-Status gefunden: 1",
	  "oracle@ig0-1-db01.example.com", "", 1, 0, 0 },
	{ "zammad-mail028.box", "Bewerbung auf Ihr Stellenangebot",
	  "kontakt@example.de", "", 2, 0, 0 },
	{ "zammad-mail033-undelivered-mail-returned-to-sender.box",
	  "Undelivered Mail Returned to Sender",
	  "mailer-daemon@mx1.zammad.com",
	  "This is the mail system at host mx1.zammad.com", 2, 1, 1 },
	{ "zammad-mail038.box", "test 1234 \xc3\xa4\xc3\xb6\xc3\xbc sig",
	  "me@example.com", "test 1234 \xc3\xa4\xc3\xb6\xc3\xbc sig test", 1,
	  0, 0 },
	{ "zammad-mail043.box", "Kontakte", "databases.en@example.com",
	  "HTML newsletter could be read here:", 0, 1, 0 },
	{ "zammad-mail045.box", "Nouveau message contact \xc3\xa9l\xc3\xa9gi",
	  "r.ordonaud@example.com", "Nouveau message :", 0, 0, 0 },
	{ "zammad-mail054.box", "AW: One Net Business",
	  "karoline.smith@example.com", "some text", 0, 0, 0 },
	{ "zammad-mail081.box", "UTF-8-Attachment-Test", "redacted@redacted",
	  "Regression test case", 1, 0, 0 },
	{ "zammad-mail089.box", "Incident INC678439 -- zugewiesen an",
	  "example@service-now.com", "Incident content", 0, 1, 0 },
	{ "zammad-mail102.box", "Text - Bild - Text - PDF", "top@secret.tld",
	  "Text", 3, 0, 0 },
	{ "sisimai-rfc3834-01.eml", "Away until May 5",
	  "kijitora@example.net", "I am currently away", 0, 1, 0 },
	{ "sisimai-rfc3834-02.eml", "Automatic reply: Nyaan",
	  "nekonyaan@example.org", "I'm out of the office Friday.", 0, 1, 0 },
	{ "sisimai-lhost-gmx-01.eml",
	  "Mail delivery failed: returning message to sender",
	  "mailer-daemon@mail.gmx.com",
	  "This message was created automatically", 0, 1, 1 },
	{ "mailgem-rfc6532-utf8_headers.eml", "S\xc3\xa4ying Hello",
	  "jd\xc3\xb6" "e@m\xc3\xa4" "chine.example", "body", 0, 0, 0 },
	{ "flanker-iphone.eml", "Subject", "someone@somewhere.com", "Hello", 1,
	  0, 0 },
	{ "enmime-bad-header-start.eml", "plain text", "james@makita.skynet",
	  "A text section", 0, 0, 0 },
	{ "enmime-mime-bad-8bit-filename.eml", "Malformed test",
	  "pavel.bazika@some.domain", "Text part", 1, 0, 0 },
	{ "mailgem-attachment_message_rfc822_inline_image.eml", "test",
	  "test@example.com", "", 2, 0, 0 },
};

static int
parse_file(struct tw_arena *a, const char *dir, const char *file,
    struct tw_mail *m)
{
	char	path[4096];
	char	*raw;
	size_t	len;
	int	rc;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	raw = tw_file_read(path, TW_MAIL_MAX, &len);
	ck_assert_msg(raw != NULL, "cannot read %s", path);
	rc = tw_mail_parse(a, raw, len, m);
	free(raw);
	return rc;
}

START_TEST(test_corpus_expectations)
{
	struct tw_arena		*a;
	struct tw_mail		 m;
	const struct expect	*e;
	char			 dir[4096];
	size_t			 i;

	if (!tw_test_data_dir("mail-corpus", dir, sizeof(dir))) {
		printf("SKIP mail corpus: data not found\n");
		return;
	}
	a = tw_arena_new();
	for (i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
		e = &expected[i];
		ck_assert_msg(parse_file(a, dir, e->file, &m) == TW_OK,
		    "%s does not parse", e->file);
		ck_assert_msg(strncmp(m.subject, e->subject,
		    strlen(e->subject)) == 0, "%s: subject [%s]", e->file,
		    m.subject);
		ck_assert_msg(strcmp(m.from_addr, e->from) == 0,
		    "%s: from [%s]", e->file, m.from_addr);
		ck_assert_msg(strncmp(m.text, e->text, strlen(e->text)) == 0,
		    "%s: text starts [%.40s]", e->file, m.text);
		ck_assert_msg(m.nattachments == e->attachments,
		    "%s: %zu attachments", e->file, m.nattachments);
		ck_assert_msg(m.auto_reply == e->auto_reply,
		    "%s: auto-reply %d", e->file, m.auto_reply);
		ck_assert_msg(m.bounce == e->bounce, "%s: bounce %d", e->file,
		    m.bounce);
		tw_arena_reset(a);
	}
	printf("mail corpus: %zu messages match their expectations\n", i);
	tw_arena_free(a);
}
END_TEST

START_TEST(test_corpus_details)
{
	struct tw_arena	*a;
	struct tw_mail	 m;
	char		 dir[4096];

	if (!tw_test_data_dir("mail-corpus", dir, sizeof(dir))) {
		printf("SKIP mail corpus details: data not found\n");
		return;
	}
	a = tw_arena_new();

	/* RFC 2231 file name, and the encoded-word From with a comma. */
	ck_assert_int_eq(parse_file(a, dir, "zammad-mail081.box", &m), TW_OK);
	ck_assert_str_eq(m.attachments[0].filename,
	    "Erkl\xc3\xa4rung.txt");
	ck_assert_int_eq(parse_file(a, dir, "zammad-mail014.box", &m), TW_OK);
	ck_assert_str_eq(m.from_name, "M\xc3\xbcller, Bernd");
	ck_assert_str_eq(m.in_reply_to,
	    "20121203151518.1594.546768@portal.znuny.com");

	/* An inline image of an HTML mail keeps its Content-ID. */
	ck_assert_int_eq(parse_file(a, dir, "zammad-mail010.box", &m), TW_OK);
	ck_assert_ptr_nonnull(m.html);
	ck_assert_str_eq(m.attachments[0].content_id,
	    "image001.jpg@01CDB132.D8A510F0");
	ck_assert(m.attachments[0].inline_part);

	/* References, oldest first; a forwarded message kept whole. */
	ck_assert_int_eq(parse_file(a, dir, "zammad-mail004.box", &m), TW_OK);
	ck_assert_uint_eq(m.nreferences, 2);
	ck_assert_int_eq(parse_file(a, dir,
	    "mailgem-attachment_message_rfc822_inline_image.eml", &m), TW_OK);
	ck_assert_str_eq(m.attachments[1].filename, "Testmail.eml");
	ck_assert_str_eq(m.attachments[1].type, "message/rfc822");
	ck_assert_uint_gt(m.attachments[1].len, 1000);

	/* A message without any Message-ID. */
	ck_assert_int_eq(parse_file(a, dir, "zammad-mail011.box", &m), TW_OK);
	ck_assert_ptr_null(m.message_id);
	tw_arena_free(a);
}
END_TEST

/* Every file in the corpus parses, with valid UTF-8 everywhere. */
START_TEST(test_corpus_all_parse)
{
	struct tw_arena	*a;
	struct tw_mail	 m;
	struct dirent	*e;
	DIR		*d;
	char		 dir[4096];
	size_t		 n = 0, k;

	if (!tw_test_data_dir("mail-corpus", dir, sizeof(dir))) {
		printf("SKIP mail corpus parse: data not found\n");
		return;
	}
	a = tw_arena_new();
	ck_assert_ptr_nonnull(d = opendir(dir));
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);

		if (len < 5 || (strcmp(e->d_name + len - 4, ".eml") != 0 &&
		    strcmp(e->d_name + len - 4, ".box") != 0))
			continue;
		ck_assert_msg(parse_file(a, dir, e->d_name, &m) == TW_OK,
		    "%s does not parse", e->d_name);
		ck_assert(tw_utf8_valid(m.subject, strlen(m.subject)));
		ck_assert(tw_utf8_valid(m.text, strlen(m.text)));
		ck_assert(tw_utf8_valid(m.from_name, strlen(m.from_name)));
		for (k = 0; k < m.nattachments; k++) {
			ck_assert(strchr(m.attachments[k].filename, '/') ==
			    NULL);
			ck_assert(*m.attachments[k].filename != '\0');
		}
		n++;
		tw_arena_reset(a);
	}
	closedir(d);
	ck_assert_uint_ge(n, 20);
	printf("mail corpus: all %zu messages parse\n", n);
	tw_arena_free(a);
}
END_TEST

START_TEST(test_hostile_messages)
{
	static const char binary[] = "Subject: =?utf-8?B?////?=\n"
	    "From: <\"\\\"@@>\n\n\xff\xfe\x00x";
	static const char *const raws[] = {
		"",
		"\r\n\r\n",
		"Subject: no body",
		"Content-Type: multipart/mixed; boundary=x\n\n--x\n--x\n--x--",
		"Content-Type: multipart/mixed\n\nno boundary at all",
		"From: a@b\nContent-Type: text/html; charset=x-unknown\n\n"
		    "<p>hi</p>",
	};
	struct tw_arena	*a = tw_arena_new();
	struct tw_mail	 m;
	size_t		 i;

	for (i = 0; i < sizeof(raws) / sizeof(raws[0]); i++) {
		enum tw_err rc = tw_mail_parse(a, raws[i], strlen(raws[i]),
		    &m);

		ck_assert(rc == TW_OK || rc == TW_ERR_INVALID);
		if (rc == TW_OK)
			ck_assert(tw_utf8_valid(m.text, strlen(m.text)));
	}

	/* Bytes that are not UTF-8, and a NUL, in the body. */
	ck_assert_int_eq(tw_mail_parse(a, binary, sizeof(binary) - 1, &m),
	    TW_OK);
	ck_assert_str_eq(m.text, "\xef\xbf\xbd\xef\xbf\xbdx");

	/* HTML-only mail: text derived from it, HTML kept sanitised. */
	ck_assert_int_eq(tw_mail_parse(a, raws[5], strlen(raws[5]), &m),
	    TW_OK);
	ck_assert_str_eq(m.text, "hi");
	ck_assert_str_eq(m.html, "<p>hi</p>");
	tw_arena_free(a);
}
END_TEST

static const char *
clean(struct tw_arena *a, const char *in, const char **text)
{
	const char	*html;

	ck_assert_int_eq(tw_html_sanitize(a, in, strlen(in), &html, text),
	    TW_OK);
	return html;
}

START_TEST(test_html_allow_list)
{
	struct tw_arena	*a = tw_arena_new();
	const char	*h, *t;

	h = clean(a, "<p onclick=\"x()\">Hi <b>there</b><script>alert(1)"
	    "</script></p><style>p{}</style>", &t);
	ck_assert_str_eq(h, "<p>Hi <b>there</b></p>");
	ck_assert_str_eq(t, "Hi there");

	/* Links: only allowed schemes, after entities and white space. */
	h = clean(a, "<a href=\" jav&#x09;ascript:alert(1)\">x</a>"
	    "<a href=\"https://example.com/?a=1&amp;b=2\">y</a>"
	    "<a href=\"mailto:a@b.example\">z</a>", NULL);
	ck_assert_str_eq(h, "<a rel=\"noopener noreferrer nofollow\">x</a>"
	    "<a href=\"https://example.com/?a&#61;1&amp;b&#61;2\" "
	    "rel=\"noopener noreferrer nofollow\">y</a>"
	    "<a href=\"mailto:a@b.example\" "
	    "rel=\"noopener noreferrer nofollow\">z</a>");

	/* No external loads: only images of the same mail stay. */
	h = clean(a, "<img src=\"http://track.example/p.gif\"><img src="
	    "\"cid:logo@x\" alt=\"Logo\" onerror=\"x\">", NULL);
	ck_assert_str_eq(h, "<img><img src=\"cid:logo@x\" alt=\"Logo\">");

	/* Frames, forms and objects go with their content; unknown
	 * elements are unwrapped. */
	h = clean(a, "<iframe src=x>a</iframe><form><input value=b></form>"
	    "<blink>c</blink><object>d</object>", &t);
	ck_assert_str_eq(h, "c");
	ck_assert_str_eq(t, "c");

	/* Text keeps paragraphs, drops markup, folds spaces. */
	(void)clean(a, "<div>One   two</div><p>Three<br>Four</p>\n\n<ul>"
	    "<li>A</li><li>B</li></ul>", &t);
	ck_assert_str_eq(t, "One two\nThree\nFour\nA\nB");
	tw_arena_free(a);
}
END_TEST

START_TEST(test_html_nesting_and_garbage)
{
	struct tw_arena	*a = tw_arena_new();
	char		*deep;
	const char	*h;
	size_t		 i;

	/* 200 nested elements keep their text; 10,000 do not overflow the
	 * stack (libxml2 stops at its own depth limit, and the walk
	 * flattens what lies deeper than its own). */
	deep = malloc(10000 * 5 + 10);
	ck_assert_ptr_nonnull(deep);
	deep[0] = '\0';
	for (i = 0; i < 200; i++)
		strcat(deep, "<div>");
	strcat(deep, "x");
	h = clean(a, deep, NULL);
	ck_assert_ptr_nonnull(strstr(h, "x"));
	ck_assert_uint_le(strlen(h), 64 * 11 + 1 + 64 * 6);
	for (; i < 10000; i++)
		strcat(deep, "<div>");
	(void)clean(a, deep, NULL);
	free(deep);

	/* Stray markup characters come out as text, never as a tag (libxml2
	 * drops the unparseable "<<<" and implies a paragraph). */
	h = clean(a, "<<<>>>&&&\"'", NULL);
	ck_assert_str_eq(h, "<p>&gt;&gt;&gt;&amp;&amp;&amp;&quot;&#39;</p>");
	ck_assert_str_eq(clean(a, "", NULL), "");
	tw_arena_free(a);
}
END_TEST

/* Looks Content-IDs up in a NULL-terminated list of id, address pairs. */
static const char *
lookup(void *ctx, const char *cid)
{
	const char *const	*pairs = ctx;

	for (; pairs[0] != NULL; pairs += 2)
		if (strcmp(pairs[0], cid) == 0)
			return pairs[1];
	return NULL;
}

START_TEST(test_html_inline_images)
{
	static const char *const	 known[] = {
		"logo@x", "/tickets/7/attachments/3/logo.png",
		"a b&c=d", "/t?a=1&b=\"2\"",
		"x&y=z", "/u/xy",
		NULL, NULL,
	};
	struct tw_arena			*a = tw_arena_new();
	const char			*in, *out;

	/* What the sanitiser writes, pointed at the stored files. */
	in = clean(a, "<p><img src=\"cid:logo@x\" alt=\"Logo\">"
	    "<img src=\"CID:a%20b%26c%3Dd\"><img src=\"cid:other@x\">"
	    "<img src=\"cid:bad%2\"></p>", NULL);
	out = tw_html_inline_images(a, in, lookup, (void *)known);
	ck_assert_str_eq(out, "<p><img src=\"/tickets/7/attachments/3/"
	    "logo.png\" alt=\"Logo\"><img src=\"/t?a&#61;1&amp;b&#61;"
	    "&quot;2&quot;\"><img src=\"cid:other@x\">"
	    "<img src=\"cid:bad%2\"></p>");

	/* Entities the sanitiser wrote are undone before the lookup. */
	in = clean(a, "<img src=\"cid:x&amp;y=z\">", NULL);
	ck_assert_str_eq(in, "<img src=\"cid:x&amp;y&#61;z\">");
	out = tw_html_inline_images(a, in, lookup, (void *)known);
	ck_assert_str_eq(out, "<img src=\"/u/xy\">");

	/* Nothing to do: the same string comes back. */
	in = "<p>no images</p>";
	ck_assert_ptr_eq(tw_html_inline_images(a, in, lookup,
	    (void *)known), in);
	ck_assert_ptr_null(tw_html_inline_images(a, NULL, lookup,
	    (void *)known));

	/* Content-IDs as kept: brackets gone, odd ones refused. */
	ck_assert_str_eq(tw_html_content_id(a, "<part1.x@y>"), "part1.x@y");
	ck_assert_str_eq(tw_html_content_id(a, "plain@y"), "plain@y");
	ck_assert_ptr_null(tw_html_content_id(a, "<>"));
	ck_assert_ptr_null(tw_html_content_id(a, "with space@y"));
	ck_assert_ptr_null(tw_html_content_id(a, "caf\xc3\xa9@y"));
	ck_assert_ptr_null(tw_html_content_id(a, NULL));
	tw_arena_free(a);
}
END_TEST

START_TEST(test_utf8_repair)
{
	struct tw_arena	*a = tw_arena_new();

	ck_assert_str_eq(tw_utf8_repair(a, "ok \xc3\xa4", 5), "ok \xc3\xa4");
	ck_assert_str_eq(tw_utf8_repair(a, "a\xff" "b", 3),
	    "a\xef\xbf\xbd" "b");
	ck_assert_str_eq(tw_utf8_repair(a, "\xc3", 1), "\xef\xbf\xbd");
	ck_assert_str_eq(tw_utf8_repair(a, "\xed\xa0\x80", 3),
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	ck_assert_str_eq(tw_utf8_repair(a, "x\0y", 3), "xy");
	tw_arena_free(a);
}
END_TEST

Suite *
tw_mail_suite(void)
{
	Suite	*s = suite_create("mail");
	TCase	*tc = tcase_create("mail");

	tcase_add_test(tc, test_corpus_expectations);
	tcase_add_test(tc, test_corpus_details);
	tcase_add_test(tc, test_corpus_all_parse);
	tcase_add_test(tc, test_hostile_messages);
	tcase_add_test(tc, test_html_allow_list);
	tcase_add_test(tc, test_html_nesting_and_garbage);
	tcase_add_test(tc, test_html_inline_images);
	tcase_add_test(tc, test_utf8_repair);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
