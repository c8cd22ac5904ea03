/*
 * mail.c: the walk over a GMime message that fills struct tw_mail.
 */
#include "config.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "arena.h"
#include "buf.h"
#include "form.h"
#include "html.h"
#include "log.h"
#include "mail.h"

#define PARTS_DEPTH_MAX	32	/* multiparts nested deeper are left out */
#define ATTACH_MAX	256	/* attachments kept from one message */
#define REFS_MAX	64	/* References kept, the newest */

/* Subjects of out-of-office answers that carry no telling header. */
static const char *const auto_subjects[] = {
	"out of office", "automatic reply", "auto-reply", "autoreply",
	"automatische antwort", "abwesenheitsnotiz", "abwesenheit:",
	"vacation reply", "away from the office", "auto:", NULL
};

struct parse {
	struct tw_arena	*arena;
	struct tw_mail	*mail;
	struct tw_buf	 text;
	struct tw_buf	 html;
	size_t		 cap;
};

void
tw_mail_init(void)
{
	static int	done;

	if (!done) {
		g_mime_init();
		done = 1;
	}
}

/* The length of the UTF-8 sequence lead byte c starts, or 0. */
static size_t
sequence_length(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 0;
}

char *
tw_utf8_repair(struct tw_arena *a, const char *s, size_t len)
{
	struct tw_buf	b;
	size_t		i = 0, n;

	/* Most text is sound: one check and one copy instead of a walk. */
	if (memchr(s, '\0', len) == NULL && tw_utf8_valid(s, len))
		return tw_arena_memdup(a, s, len);

	tw_buf_init(&b, a);
	while (i < len) {
		if (s[i] == '\0') {
			i++;
			continue;
		}
		n = sequence_length((unsigned char)s[i]);
		if (n == 0 || i + n > len || !tw_utf8_valid(s + i, n)) {
			tw_buf_puts(&b, "\xef\xbf\xbd");
			i++;
			continue;
		}
		tw_buf_append(&b, s + i, n);
		i += n;
	}
	return b.data;
}

/* The address of a mailbox, lower-cased in the arena, or NULL. */
static const char *
mailbox_lower(struct parse *p, InternetAddress *addr)
{
	const char	*mailbox;
	char		*lower;
	size_t		 i;

	if (!INTERNET_ADDRESS_IS_MAILBOX(addr))
		return NULL;
	mailbox = internet_address_mailbox_get_addr(
	    INTERNET_ADDRESS_MAILBOX(addr));
	if (mailbox == NULL)
		return NULL;
	lower = tw_utf8_repair(p->arena, mailbox, strlen(mailbox));
	for (i = 0; lower[i] != '\0'; i++)
		lower[i] = (char)tolower((unsigned char)lower[i]);
	return lower;
}

static void
read_from(struct parse *p, GMimeMessage *msg)
{
	InternetAddressList	*list = g_mime_message_get_from(msg);
	InternetAddress		*addr;
	const char		*name, *mailbox;

	p->mail->from_name = "";
	p->mail->from_addr = "";
	if (list == NULL || internet_address_list_length(list) < 1)
		return;
	addr = internet_address_list_get_address(list, 0);
	if ((name = internet_address_get_name(addr)) != NULL)
		p->mail->from_name = tw_utf8_repair(p->arena, name,
		    strlen(name));
	if ((mailbox = mailbox_lower(p, addr)) != NULL)
		p->mail->from_addr = mailbox;
}

/* Adds the mailbox addr to l when it is an address and there is room. */
static void
add_recipient(struct parse *p, struct tw_addrlist *l, InternetAddress *addr)
{
	const char	*mailbox;

	if ((mailbox = mailbox_lower(p, addr)) != NULL)
		(void)tw_addrlist_add(p->arena, l, mailbox);
}

/* The addresses of To or Cc, with those of a group ("team: a, b;"). */
static void
read_recipients(struct parse *p, GMimeMessage *msg, GMimeAddressType type,
    struct tw_addrlist *l)
{
	InternetAddressList	*list, *members;
	InternetAddress		*addr;
	int			 i, j, n;

	if ((list = g_mime_message_get_addresses(msg, type)) == NULL)
		return;
	n = internet_address_list_length(list);
	for (i = 0; i < n && l->n < TW_ADDRLIST_MAX; i++) {
		addr = internet_address_list_get_address(list, i);
		if (!INTERNET_ADDRESS_IS_GROUP(addr)) {
			add_recipient(p, l, addr);
			continue;
		}
		members = internet_address_group_get_members(
		    INTERNET_ADDRESS_GROUP(addr));
		for (j = 0; j < internet_address_list_length(members) &&
		    l->n < TW_ADDRLIST_MAX; j++)
			add_recipient(p, l,
			    internet_address_list_get_address(members, j));
	}
}

static void
read_references(struct parse *p, GMimeMessage *msg)
{
	GMimeReferences	*refs;
	const char	*v;
	int		 n, i, first;

	v = g_mime_object_get_header(GMIME_OBJECT(msg), "In-Reply-To");
	if (v != NULL && (refs = g_mime_references_parse(NULL, v)) != NULL) {
		if (g_mime_references_length(refs) > 0)
			p->mail->in_reply_to = tw_utf8_repair(p->arena,
			    g_mime_references_get_message_id(refs, 0),
			    strlen(g_mime_references_get_message_id(refs,
			    0)));
		g_mime_references_free(refs);
	}

	v = g_mime_object_get_header(GMIME_OBJECT(msg), "References");
	if (v == NULL || (refs = g_mime_references_parse(NULL, v)) == NULL)
		return;
	n = g_mime_references_length(refs);
	first = n > REFS_MAX ? n - REFS_MAX : 0;
	p->mail->references = tw_arena_calloc(p->arena, (size_t)(n - first) +
	    1, sizeof(char *));
	for (i = first; i < n; i++) {
		const char *id = g_mime_references_get_message_id(refs, i);

		p->mail->references[p->mail->nreferences++] =
		    tw_utf8_repair(p->arena, id, strlen(id));
	}
	g_mime_references_free(refs);
}

/* The decoded bytes of a part's content, in the arena. */
static const char *
content(struct parse *p, GMimePart *part, size_t *len)
{
	GMimeDataWrapper	*w = g_mime_part_get_content(part);
	GMimeStream		*mem;
	GByteArray		*bytes;
	const char		*out;

	*len = 0;
	if (w == NULL)
		return "";
	mem = g_mime_stream_mem_new();
	g_mime_data_wrapper_write_to_stream(w, mem);
	bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	*len = bytes->len;
	out = tw_arena_memdup(p->arena, bytes->data, bytes->len);
	g_object_unref(mem);
	return out;
}

/*
 * A part's text converted to UTF-8 from its charset.  NUL bytes are
 * dropped before the conversion, which would otherwise end the text at
 * the first one; bytes that do not convert become U+FFFD.
 */
static const char *
part_text(struct parse *p, GMimePart *part)
{
	const char	*charset, *raw;
	char		*bytes, *converted;
	size_t		 len, i, n = 0;
	iconv_t		 cd;

	raw = content(p, part, &len);
	bytes = tw_arena_alloc(p->arena, len + 1);
	for (i = 0; i < len; i++)
		if (raw[i] != '\0')
			bytes[n++] = raw[i];
	bytes[n] = '\0';

	charset = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part),
	    "charset");
	if (charset == NULL || strcasecmp(charset, "utf-8") == 0 ||
	    strcasecmp(charset, "us-ascii") == 0)
		return tw_utf8_repair(p->arena, bytes, n);

	if ((cd = g_mime_iconv_open("UTF-8", charset)) == (iconv_t)-1)
		return tw_utf8_repair(p->arena, bytes, n);
	converted = g_mime_iconv_strndup(cd, bytes, n);
	g_mime_iconv_close(cd);
	if (converted == NULL)
		return tw_utf8_repair(p->arena, bytes, n);
	raw = tw_utf8_repair(p->arena, converted, strlen(converted));
	g_free(converted);
	return raw;
}

/* A file name without directories or control characters, never "". */
static const char *
safe_filename(struct parse *p, const char *name, const char *type)
{
	const char	*base;
	char		*copy, *c;

	if (name == NULL || *name == '\0') {
		if (type != NULL && strcasecmp(type, "message/rfc822") == 0)
			return "message.eml";
		return "attachment";
	}
	base = name;
	for (c = (char *)name; *c != '\0'; c++)
		if (*c == '/' || *c == '\\')
			base = c + 1;
	if (*base == '\0')
		base = "attachment";
	copy = tw_utf8_repair(p->arena, base, strlen(base));
	for (c = copy; *c != '\0'; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '_';
	return copy;
}

static struct tw_mail_attachment *
new_attachment(struct parse *p)
{
	struct tw_mail	*m = p->mail;
	struct tw_mail_attachment *grown;

	if (m->nattachments == ATTACH_MAX)
		return NULL;
	if (m->nattachments == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 8;
		grown = tw_arena_calloc(p->arena, p->cap, sizeof(*grown));
		if (m->nattachments > 0)
			memcpy(grown, m->attachments,
			    m->nattachments * sizeof(*grown));
		m->attachments = grown;
	}
	return &m->attachments[m->nattachments++];
}

static void
add_part_attachment(struct parse *p, GMimePart *part, const char *type)
{
	struct tw_mail_attachment	*at;
	const char			*cid;
	GMimeContentDisposition		*disp;

	if ((at = new_attachment(p)) == NULL)
		return;
	at->type = tw_arena_strdup(p->arena, type);
	at->filename = safe_filename(p, g_mime_part_get_filename(part), type);
	cid = g_mime_part_get_content_id(part);
	at->content_id = cid == NULL ? NULL :
	    tw_utf8_repair(p->arena, cid, strlen(cid));
	disp = g_mime_object_get_content_disposition(GMIME_OBJECT(part));
	at->inline_part = at->content_id != NULL && (disp == NULL ||
	    !g_mime_content_disposition_is_attachment(disp));
	at->data = content(p, part, &at->len);
}

/* A forwarded message is kept whole, as an .eml file. */
static void
add_message_attachment(struct parse *p, GMimeMessagePart *mp)
{
	struct tw_mail_attachment	*at;
	GMimeMessage			*inner;
	GMimeStream			*mem;
	GByteArray			*bytes;
	const char			*subject, *name;

	inner = g_mime_message_part_get_message(mp);
	if (inner == NULL || (at = new_attachment(p)) == NULL)
		return;
	at->type = "message/rfc822";
	name = g_mime_object_get_content_disposition_parameter(
	    GMIME_OBJECT(mp), "filename");
	if (name == NULL)
		name = g_mime_object_get_content_type_parameter(
		    GMIME_OBJECT(mp), "name");
	subject = g_mime_message_get_subject(inner);
	if (name != NULL && *name != '\0')
		at->filename = safe_filename(p, name, at->type);
	else if (subject != NULL && *subject != '\0')
		at->filename = tw_arena_printf(p->arena, "%s.eml",
		    safe_filename(p, subject, NULL));
	else
		at->filename = "message.eml";

	mem = g_mime_stream_mem_new();
	g_mime_object_write_to_stream(GMIME_OBJECT(inner), NULL, mem);
	bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	at->len = bytes->len;
	at->data = tw_arena_memdup(p->arena, bytes->data, bytes->len);
	g_object_unref(mem);
}

static void
append_text(struct tw_buf *b, const char *s)
{
	if (*s == '\0')
		return;
	if (b->len > 0)
		tw_buf_puts(b, "\n\n");
	tw_buf_puts(b, s);
}

static void
walk_part(struct parse *p, GMimePart *part)
{
	GMimeContentType	*ct;
	const char		*type, *filename;
	char			*mime;

	ct = g_mime_object_get_content_type(GMIME_OBJECT(part));
	mime = g_mime_content_type_get_mime_type(ct);
	type = tw_arena_strdup(p->arena, mime);
	g_free(mime);
	filename = g_mime_part_get_filename(part);

	if (strcasecmp(type, "message/delivery-status") == 0)
		p->mail->bounce = 1;

	/* Text shown in the mail body, unless it is clearly a file. */
	if (!g_mime_part_is_attachment(part) && filename == NULL) {
		if (strcasecmp(type, "text/plain") == 0) {
			append_text(&p->text, part_text(p, part));
			return;
		}
		if (strcasecmp(type, "text/html") == 0) {
			append_text(&p->html, part_text(p, part));
			return;
		}
	}
	add_part_attachment(p, part, type);
}

static void
walk(struct parse *p, GMimeObject *o, int depth)
{
	GMimeMultipart	*mp;
	int		 i, n;

	if (depth > PARTS_DEPTH_MAX)
		return;
	if (GMIME_IS_MULTIPART(o)) {
		mp = GMIME_MULTIPART(o);
		n = g_mime_multipart_get_count(mp);

		/* Of alternatives, a text and an HTML version are enough. */
		for (i = 0; i < n; i++)
			walk(p, g_mime_multipart_get_part(mp, i), depth + 1);
		return;
	}
	if (GMIME_IS_MESSAGE_PART(o)) {
		add_message_attachment(p, GMIME_MESSAGE_PART(o));
		return;
	}
	if (GMIME_IS_PART(o))
		walk_part(p, GMIME_PART(o));
}

static int
has_prefix_ci(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* RFC 3834 and the headers and subjects mailers use in practice. */
static void
classify(struct parse *p, GMimeMessage *msg)
{
	GMimeObject	*o = GMIME_OBJECT(msg);
	const char	*v, *const *s;
	char		 lower[128];
	size_t		 i;

	if ((v = g_mime_object_get_header(o, "Auto-Submitted")) != NULL &&
	    !has_prefix_ci(v, "no"))
		p->mail->auto_reply = 1;
	if (g_mime_object_get_header(o, "X-Autoreply") != NULL ||
	    g_mime_object_get_header(o, "X-Autorespond") != NULL ||
	    g_mime_object_get_header(o, "X-Autogenerated") != NULL)
		p->mail->auto_reply = 1;
	if ((v = g_mime_object_get_header(o, "Precedence")) != NULL &&
	    (has_prefix_ci(v, "bulk") || has_prefix_ci(v, "junk") ||
	    has_prefix_ci(v, "list")))
		p->mail->auto_reply = 1;

	for (i = 0; i < sizeof(lower) - 1 && p->mail->subject[i] != '\0';
	    i++)
		lower[i] = (char)tolower((unsigned char)p->mail->subject[i]);
	lower[i] = '\0';
	for (s = auto_subjects; *s != NULL; s++)
		if (strstr(lower, *s) != NULL)
			p->mail->auto_reply = 1;

	v = g_mime_object_get_header(o, "Content-Type");
	if (v != NULL && strcasestr(v, "multipart/report") != NULL &&
	    strcasestr(v, "delivery-status") != NULL)
		p->mail->bounce = 1;
	if (has_prefix_ci(p->mail->from_addr, "mailer-daemon@") ||
	    has_prefix_ci(p->mail->from_addr, "postmaster@"))
		p->mail->bounce = 1;
	if (p->mail->bounce)
		p->mail->auto_reply = 1;
}

/*
 * A multipart without a single part (its boundary never appears) still
 * has content: GMime keeps it as the prologue.
 */
static void
take_prologue(struct parse *p, GMimeObject *top)
{
	const char	*pro;

	if (p->text.len > 0 || p->html.len > 0 || !GMIME_IS_MULTIPART(top) ||
	    g_mime_multipart_get_count(GMIME_MULTIPART(top)) > 0)
		return;
	if ((pro = g_mime_multipart_get_prologue(GMIME_MULTIPART(top))) !=
	    NULL)
		append_text(&p->text, tw_utf8_repair(p->arena, pro,
		    strlen(pro)));
}

/* Fills out the body: text, sanitised HTML, text derived from HTML. */
static void
finish_body(struct parse *p)
{
	const char	*html = NULL, *derived = NULL;

	if (p->html.len > 0 && tw_html_sanitize(p->arena, p->html.data,
	    p->html.len, &html, &derived) == TW_OK)
		p->mail->html = html;
	if (p->text.len > 0)
		p->mail->text = p->text.data;
	else
		p->mail->text = derived != NULL ? derived : "";
}

static void
fill(struct parse *p, GMimeMessage *msg)
{
	const char	*v;
	GDateTime	*date;
	GMimeObject	*top;

	v = g_mime_message_get_subject(msg);
	p->mail->subject = v == NULL ? "" :
	    tw_utf8_repair(p->arena, v, strlen(v));
	read_from(p, msg);
	read_recipients(p, msg, GMIME_ADDRESS_TYPE_TO, &p->mail->to);
	read_recipients(p, msg, GMIME_ADDRESS_TYPE_CC, &p->mail->cc);
	v = g_mime_message_get_message_id(msg);
	p->mail->message_id = v == NULL || *v == '\0' ? NULL :
	    tw_utf8_repair(p->arena, v, strlen(v));
	read_references(p, msg);
	if ((date = g_mime_message_get_date(msg)) != NULL)
		p->mail->date = (time_t)g_date_time_to_unix(date);

	if ((top = g_mime_message_get_mime_part(msg)) != NULL) {
		walk(p, top, 0);
		take_prologue(p, top);
	}
	finish_body(p);
	classify(p, msg);
}

/*
 * Skips blank lines and the white space in front of the first header:
 * some mailers put them there, and GMime then finds no header at all.
 */
static void
skip_blank_start(const char **raw, size_t *len)
{
	const char	*s = *raw, *end = *raw + *len;

	while (s < end && (*s == ' ' || *s == '\t' || *s == '\r' ||
	    *s == '\n'))
		s++;
	*len = (size_t)(end - s);
	*raw = s;
}

/* Whether line (up to end) starts with a header name and a colon. */
static int
is_header_start(const char *line, const char *end)
{
	const char	*s;

	for (s = line; s < end && *s > ' ' && *s < 0x7f && *s != ':'; s++)
		;
	return s > line && s < end && *s == ':';
}

/*
 * Skips what comes before the first header: an mbox "From " line, which
 * is the delivery envelope, and blank space.
 */
static void
skip_envelope(const char **raw, size_t *len)
{
	const char	*nl;

	if (*len > 5 && memcmp(*raw, "From ", 5) == 0 &&
	    (nl = memchr(*raw, '\n', *len)) != NULL) {
		*len -= (size_t)(nl + 1 - *raw);
		*raw = nl + 1;
	}
	skip_blank_start(raw, len);
}

int
tw_mail_has_header(const char *raw, size_t len)
{
	const char	*eol;

	skip_envelope(&raw, &len);
	if ((eol = memchr(raw, '\n', len)) == NULL)
		eol = raw + len;
	return is_header_start(raw, eol);
}

/*
 * In the header block, a line that neither starts a header nor folds the
 * one before is most likely a fold whose white space a mailer lost (seen:
 * "boundary=" on a line of its own).  Such lines get one space in front,
 * so the header they belong to keeps them.  Returns raw itself when
 * nothing needs mending, else a mended copy in the arena.
 */
static const char *
mend_headers(struct tw_arena *a, const char *raw, size_t *len)
{
	const char	*s = raw, *end = raw + *len, *eol;
	struct tw_buf	 b;
	int		 mended = 0, first = 1;

	tw_buf_init(&b, a);
	while (s < end) {
		eol = memchr(s, '\n', (size_t)(end - s));
		eol = eol == NULL ? end : eol + 1;
		if (*s == '\n' || (*s == '\r' && s + 1 < end && s[1] == '\n'))
			break;
		if (!first && *s != ' ' && *s != '\t' &&
		    !is_header_start(s, eol)) {
			tw_buf_putc(&b, ' ');
			mended = 1;
		}
		tw_buf_append(&b, s, (size_t)(eol - s));
		first = 0;
		s = eol;
	}
	if (!mended)
		return raw;
	tw_buf_append(&b, s, (size_t)(end - s));
	*len = b.len;
	return b.data;
}

enum tw_err
tw_mail_parse(struct tw_arena *a, const char *raw, size_t len,
    struct tw_mail *out)
{
	struct parse	 p;
	GMimeStream	*stream;
	GMimeParser	*parser;
	GMimeMessage	*msg;

	memset(out, 0, sizeof(*out));
	if (len > TW_MAIL_MAX)
		return TW_ERR_TOOBIG;
	tw_mail_init();

	skip_envelope(&raw, &len);
	if (len == 0)
		return TW_ERR_INVALID;
	raw = mend_headers(a, raw, &len);

	stream = g_mime_stream_mem_new_with_buffer(raw, len);
	parser = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	msg = g_mime_parser_construct_message(parser, NULL);
	g_object_unref(parser);
	g_object_unref(stream);

	/* Nothing is lost: what GMime cannot read is kept as plain text. */
	if (msg == NULL) {
		out->subject = out->from_name = out->from_addr = "";
		out->text = tw_utf8_repair(a, raw, len);
		return TW_OK;
	}

	memset(&p, 0, sizeof(p));
	p.arena = a;
	p.mail = out;
	tw_buf_init(&p.text, a);
	tw_buf_init(&p.html, a);
	fill(&p, msg);
	g_object_unref(msg);
	return TW_OK;
}
