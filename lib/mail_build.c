/*
 * mail_build.c: struct tw_mail_out into RFC 5322 text, through GMime.
 */
#include "config.h"

#include <string.h>

#include <gmime/gmime.h>

#include "addrlist.h"
#include "arena.h"
#include "buf.h"
#include "email.h"
#include "mail.h"
#include "mail_build.h"

static const char *const auto_values[TW_MAIL_AUTO__MAX] = {
	[TW_MAIL_HUMAN] = NULL,
	[TW_MAIL_AUTO_REPLIED] = "auto-replied",
	[TW_MAIL_AUTO_GENERATED] = "auto-generated",
};

/* RFC 5322 atext, which with '.' makes either side of a Message-ID. */
static int
id_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' &&
	    strchr("!#$%&'*+-/=?^_`{|}~.", c) != NULL);
}

const char *
tw_mail_id_bare(struct tw_arena *a, const char *id)
{
	size_t	n, i, at = 0, ats = 0;

	if (id == NULL)
		return NULL;
	n = strlen(id);
	if (n >= 2 && id[0] == '<' && id[n - 1] == '>') {
		id++;
		n -= 2;
	}
	if (n == 0 || n > TW_MAIL_ID_MAX)
		return NULL;
	for (i = 0; i < n; i++) {
		if (id[i] == '@') {
			at = i;
			ats++;
		} else if (!id_char((unsigned char)id[i]))
			return NULL;
	}
	if (ats != 1 || at == 0 || at == n - 1)
		return NULL;
	return tw_arena_strndup(a, id, n);
}

/*
 * s as valid UTF-8 with every control character replaced by c, so no CR
 * or LF can end the header it goes into.  In the arena.
 */
static const char *
one_line(struct tw_arena *a, const char *s, char c)
{
	char	*out;
	size_t	 i;

	if (s == NULL)
		return "";
	out = tw_utf8_repair(a, s, strlen(s));
	for (i = 0; out[i] != '\0'; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			out[i] = c;
	return out;
}

/*
 * The text with every line ending as LF, the last line ended too (the
 * quoted-printable encoder adds an end where it wrapped the last line,
 * and not elsewhere); GMime writes the ends as CRLF.
 */
static const char *
unix_lines(struct tw_arena *a, const char *s)
{
	struct tw_buf	b;
	size_t		i;

	tw_buf_init(&b, a);
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] == '\r') {
			tw_buf_putc(&b, '\n');
			if (s[i + 1] == '\n')
				i++;
		} else
			tw_buf_putc(&b, s[i]);
	}
	if (b.len > 0 && b.data[b.len - 1] != '\n')
		tw_buf_putc(&b, '\n');
	return b.data != NULL ? b.data : "";
}

static enum tw_err
add_address(struct tw_arena *a, GMimeMessage *msg, GMimeAddressType type,
    const char *name, const char *addr)
{
	char	norm[TW_EMAIL_MAX + 1];

	if (tw_email_norm(addr, norm) != TW_OK)
		return TW_ERR_INVALID;
	g_mime_message_add_mailbox(msg, type, one_line(a, name, ' '),
	    tw_arena_strdup(a, norm));
	return TW_OK;
}

/* In-Reply-To and References, each id that is well-formed. */
static void
add_threading(struct tw_arena *a, GMimeMessage *msg,
    const struct tw_mail_out *m)
{
	struct tw_buf	 refs;
	const char	*id;
	size_t		 i;

	if ((id = tw_mail_id_bare(a, m->in_reply_to)) != NULL)
		g_mime_object_set_header(GMIME_OBJECT(msg), "In-Reply-To",
		    tw_arena_printf(a, "<%s>", id), NULL);

	tw_buf_init(&refs, a);
	for (i = 0; i < m->nreferences; i++) {
		if ((id = tw_mail_id_bare(a, m->references[i])) == NULL)
			continue;
		tw_buf_printf(&refs, "%s<%s>", refs.len > 0 ? " " : "", id);
	}
	if (refs.len > 0)
		g_mime_object_set_header(GMIME_OBJECT(msg), "References",
		    refs.data, NULL);
}

/* The bytes as the content of part, to be written in encoding. */
static void
set_content(GMimePart *part, const char *data, size_t len,
    GMimeContentEncoding encoding)
{
	GMimeStream		*mem;
	GMimeDataWrapper	*w;

	mem = g_mime_stream_mem_new_with_buffer(data, len);
	w = g_mime_data_wrapper_new_with_stream(mem,
	    GMIME_CONTENT_ENCODING_DEFAULT);
	g_mime_part_set_content(part, w);
	g_object_unref(w);
	g_object_unref(mem);
	g_mime_part_set_content_encoding(part, encoding);
}

/*
 * The text as UTF-8 in quoted-printable.  GMime's own text setter would
 * pick the smallest charset that fits; the text goes as it is instead.
 */
static GMimeObject *
text_part(struct tw_arena *a, const char *text)
{
	GMimePart	*part = g_mime_part_new_with_type("text", "plain");
	const char	*s = unix_lines(a, text);

	g_mime_object_set_content_type_parameter(GMIME_OBJECT(part),
	    "charset", "utf-8");
	set_content(part, s, strlen(s),
	    GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
	return GMIME_OBJECT(part);
}

static GMimeObject *
file_part(struct tw_arena *a, const struct tw_mail_file *f)
{
	GMimeContentType	*ct;
	GMimePart		*part;

	ct = g_mime_content_type_parse(NULL, f->type != NULL ? f->type :
	    "application/octet-stream");
	part = g_mime_part_new_with_type(
	    g_mime_content_type_get_media_type(ct),
	    g_mime_content_type_get_media_subtype(ct));
	g_object_unref(ct);

	set_content(part, f->data, f->len, GMIME_CONTENT_ENCODING_BASE64);
	g_mime_object_set_disposition(GMIME_OBJECT(part), "attachment");
	g_mime_part_set_filename(part, f->filename == NULL ||
	    *f->filename == '\0' ? "attachment" : one_line(a, f->filename,
	    '_'));
	return GMIME_OBJECT(part);
}

/*
 * The METHOD of an iCalendar object (letters only, at most 16), for the
 * part's method parameter; "PUBLISH" when it names none.
 */
static const char *
calendar_method(struct tw_arena *a, const char *cal)
{
	const char	*p = strstr(cal, "\nMETHOD:");
	size_t		 n;

	if (strncmp(cal, "METHOD:", 7) == 0)
		p = cal - 1;
	if (p == NULL)
		return "PUBLISH";
	p += 8;
	n = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
	return n > 0 && n <= 16 ? tw_arena_strndup(a, p, n) : "PUBLISH";
}

/* An invitation: text/calendar with its method, as a calendar reads it. */
static GMimeObject *
calendar_part(struct tw_arena *a, const char *cal)
{
	GMimePart	*part = g_mime_part_new_with_type("text", "calendar");

	g_mime_object_set_content_type_parameter(GMIME_OBJECT(part),
	    "charset", "utf-8");
	g_mime_object_set_content_type_parameter(GMIME_OBJECT(part),
	    "method", calendar_method(a, cal));
	set_content(part, cal, strlen(cal),
	    GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
	g_mime_object_set_disposition(GMIME_OBJECT(part), "attachment");
	g_mime_part_set_filename(part, "invite.ics");
	return GMIME_OBJECT(part);
}

/* The text alone, or in a multipart/mixed with the calendar and files. */
static GMimeObject *
body(struct tw_arena *a, const struct tw_mail_out *m)
{
	GMimeMultipart	*mixed;
	GMimeObject	*part;
	size_t		 i;

	part = text_part(a, m->text != NULL ? m->text : "");
	if (m->nfiles == 0 && m->calendar == NULL)
		return part;
	mixed = g_mime_multipart_new_with_subtype("mixed");
	g_mime_multipart_add(mixed, part);
	g_object_unref(part);
	if (m->calendar != NULL) {
		part = calendar_part(a, m->calendar);
		g_mime_multipart_add(mixed, part);
		g_object_unref(part);
	}
	for (i = 0; i < m->nfiles; i++) {
		part = file_part(a, &m->files[i]);
		g_mime_multipart_add(mixed, part);
		g_object_unref(part);
	}
	return GMIME_OBJECT(mixed);
}

static enum tw_err
headers(struct tw_arena *a, GMimeMessage *msg, const struct tw_mail_out *m)
{
	const char	*id;
	GDateTime	*date;
	size_t		 i;
	enum tw_err	 rc;

	if ((id = tw_mail_id_bare(a, m->message_id)) == NULL)
		return TW_ERR_INVALID;
	if ((rc = add_address(a, msg, GMIME_ADDRESS_TYPE_FROM, m->from_name,
	    m->from_addr)) != TW_OK ||
	    (rc = add_address(a, msg, GMIME_ADDRESS_TYPE_TO, m->to_name,
	    m->to_addr)) != TW_OK)
		return rc;
	for (i = 0; m->cc != NULL && i < m->cc->n; i++)
		if ((rc = add_address(a, msg, GMIME_ADDRESS_TYPE_CC, NULL,
		    m->cc->addr[i])) != TW_OK)
			return rc;

	g_mime_message_set_subject(msg, one_line(a, m->subject, ' '),
	    "utf-8");
	date = g_date_time_new_from_unix_local((gint64)m->date);
	g_mime_message_set_date(msg, date);
	g_date_time_unref(date);
	g_mime_message_set_message_id(msg, id);
	add_threading(a, msg, m);
	if ((unsigned)m->auto_submitted < TW_MAIL_AUTO__MAX &&
	    auto_values[m->auto_submitted] != NULL)
		g_mime_object_set_header(GMIME_OBJECT(msg), "Auto-Submitted",
		    auto_values[m->auto_submitted], NULL);
	return TW_OK;
}

/* The message as text with CRLF line ends, copied into the arena. */
static void
write_out(struct tw_arena *a, GMimeMessage *msg, const char **raw,
    size_t *len)
{
	GMimeFormatOptions	*opts = g_mime_format_options_new();
	GMimeStream		*mem = g_mime_stream_mem_new();
	GByteArray		*bytes;

	g_mime_format_options_set_newline_format(opts,
	    GMIME_NEWLINE_FORMAT_DOS);
	g_mime_object_write_to_stream(GMIME_OBJECT(msg), opts, mem);
	bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	*len = bytes->len;
	*raw = tw_arena_memdup(a, bytes->data, bytes->len);
	g_object_unref(mem);
	g_mime_format_options_free(opts);
}

enum tw_err
tw_mail_build(struct tw_arena *a, const struct tw_mail_out *m,
    const char **raw, size_t *len)
{
	GMimeMessage	*msg;
	GMimeObject	*part;
	enum tw_err	 rc;

	*raw = NULL;
	*len = 0;
	tw_mail_init();
	msg = g_mime_message_new(TRUE);
	if ((rc = headers(a, msg, m)) != TW_OK)
		goto cleanup;

	part = body(a, m);
	g_mime_message_set_mime_part(msg, part);
	g_object_unref(part);
	write_out(a, msg, raw, len);

cleanup:
	g_object_unref(msg);
	return rc;
}
