/*
 * ingest.c: threading, matching and storing one parsed mail.
 */
#include "config.h"

#include <ctype.h>
#include <string.h>

#include "ack.h"
#include "addrlist.h"
#include "alert.h"
#include "arena.h"
#include "attachment.h"
#include "contact.h"
#include "crypto.h"
#include "db.h"
#include "email.h"
#include "html.h"
#include "ingest.h"
#include "mail.h"
#include "text.h"
#include "ticket.h"
#include "ticket_change.h"

/* What the columns hold (see fit_columns()). */
#define MESSAGE_ID_MAX	255			/* items.message_id */
#define FROM_NAME_MAX	200			/* items.mail_from_name */
#define ITEM_TEXT_MAX	(4 * 1024 * 1024)	/* bytes of items.body and
						 * body_html: one statement
						 * stays within the server's
						 * max_allowed_packet */

enum {
	SQL_CHECK,
	SQL_BY_NUMBER,
	SQL_BY_MESSAGE,
	SQL_ITEM_NEW,
	SQL_TOUCH,
	SQL_CHANNEL,
	SQL__MAX
};

static const char *const sql[SQL__MAX] = {
	/* Whether the message is here already (its ticket's number), and
	 * whether it comes from one of our own addresses. */
	[SQL_CHECK] =
	    "SELECT (SELECT t.number FROM items i "
	    "JOIN tickets t ON t.id = i.ticket_id WHERE i.message_id = ?) "
	    "AS seen, EXISTS (SELECT 1 FROM channels WHERE email = ?) AS own",
	/* A merged ticket's mail goes on to its target. */
	[SQL_BY_NUMBER] =
	    "SELECT COALESCE(m.id, t.id) AS id, "
	    "COALESCE(m.number, t.number) AS number FROM tickets t "
	    "LEFT JOIN tickets m ON m.id = t.merged_into WHERE t.number = ?",
	[SQL_BY_MESSAGE] =
	    "SELECT COALESCE(m.id, t.id) AS id, "
	    "COALESCE(m.number, t.number) AS number FROM items i "
	    "JOIN tickets t ON t.id = i.ticket_id "
	    "LEFT JOIN tickets m ON m.id = t.merged_into "
	    "WHERE i.message_id = ?",
	[SQL_ITEM_NEW] =
	    "INSERT INTO items (ticket_id, kind, visibility, body, "
	    "message_id, body_html, auto_submitted, mail_from, "
	    "mail_from_name, mail_to, mail_cc) "
	    "VALUES (?, 'email_in', 'customer', ?, ?, ?, ?, ?, ?, ?, ?)",
	[SQL_TOUCH] =
	    "UPDATE tickets SET updated_at = UTC_TIMESTAMP(6), "
	    "version = version + 1 WHERE id = ?",
	[SQL_CHANNEL] =
	    "SELECT id FROM channels WHERE name = ?",
};

/* A file of the mail, written before the transaction that records it. */
struct file {
	char		 sha256[65];
	size_t		 len;
	const char	*type;
};

struct ingest {
	struct tw_arena			*arena;
	const struct tw_mail		*mail;
	const struct tw_ingest_source	*src;
	struct file			*files;
	struct tw_attachment_ref	*refs;	/* one per file */
	struct tw_ingest_result		*out;
};

long long
tw_ingest_subject_number(const char *subject)
{
	const char	*p, *d;
	long long	 found = 0, n;

	for (p = subject; (p = strstr(p, "[#")) != NULL; p++) {
		for (d = p + 2, n = 0; isdigit((unsigned char)*d) &&
		    d - p < 20; d++)
			n = n * 10 + (*d - '0');
		if (*d == ']' && d > p + 2)
			found = n;
	}
	return found;
}

/*
 * Looks up the ticket (a merged one's target) by the query which with
 * arg; *ticket_id and the result's number stay 0 when there is none.
 */
static enum tw_err
find_by(struct ingest *c, int which, struct tw_dbarg arg,
    long long *ticket_id)
{
	struct tw_rows	*r;
	enum tw_err	 rc;

	rc = tw_db_query(c->arena, sql[which], &r, 1, &arg);
	if (rc != TW_OK || r->nrows == 0)
		return rc;
	*ticket_id = tw_rows_int(r, 0, "id", 0);
	c->out->number = tw_rows_int(r, 0, "number", 0);
	return TW_OK;
}

/* The ticket the mail answers: by number, then by the messages it names. */
static enum tw_err
find_ticket(struct ingest *c, long long *ticket_id)
{
	const struct tw_mail	*m = c->mail;
	long long		 number = tw_ingest_subject_number(m->subject);
	size_t			 i;
	enum tw_err		 rc = TW_OK;

	*ticket_id = 0;
	if (number > 0)
		rc = find_by(c, SQL_BY_NUMBER, TW_I(number), ticket_id);
	if (rc == TW_OK && *ticket_id == 0 && m->in_reply_to != NULL)
		rc = find_by(c, SQL_BY_MESSAGE, TW_S(m->in_reply_to),
		    ticket_id);

	/* References run oldest first; the newest we know wins. */
	for (i = m->nreferences; rc == TW_OK && *ticket_id == 0 && i > 0; i--)
		rc = find_by(c, SQL_BY_MESSAGE, TW_S(m->references[i - 1]),
		    ticket_id);
	return rc;
}

/*
 * Writes the mail's files, before the transaction: a file is named by
 * its content, so one written for a transaction that then fails is the
 * same file the next attempt needs.
 */
static enum tw_err
write_files(struct ingest *c)
{
	const struct tw_mail	*m = c->mail;
	size_t			 i;
	enum tw_err		 rc;

	c->files = tw_arena_calloc(c->arena, m->nattachments + 1,
	    sizeof(*c->files));
	c->refs = tw_arena_calloc(c->arena, m->nattachments + 1,
	    sizeof(*c->refs));
	for (i = 0; i < m->nattachments; i++) {
		rc = tw_attachment_write(c->arena, m->attachments[i].data,
		    m->attachments[i].len, c->files[i].sha256);
		if (rc != TW_OK)
			return rc;
		c->files[i].len = m->attachments[i].len;
		c->files[i].type = tw_attachment_type(c->arena,
		    m->attachments[i].type);
		c->refs[i].filename = tw_attachment_filename(c->arena,
		    m->attachments[i].filename);
		c->refs[i].content_id = tw_html_content_id(c->arena,
		    m->attachments[i].content_id);
	}
	return TW_OK;
}

/* Records the written files, inside the transaction that links them. */
static enum tw_err
record_files(struct ingest *c)
{
	size_t		i;
	enum tw_err	rc;

	for (i = 0; i < c->mail->nattachments; i++)
		if ((rc = tw_attachment_record(c->arena, c->files[i].sha256,
		    c->files[i].len, c->files[i].type,
		    &c->refs[i].id)) != TW_OK)
			return rc;
	return TW_OK;
}

static enum tw_err
open_ticket(struct ingest *c, long long contact, long long org,
    long long *ticket_id)
{
	const char	*subject = c->mail->subject;

	c->out->created = 1;
	return tw_ticket_open_incoming(c->arena, TW_TICKET_EMAIL,
	    *subject != '\0' ? subject : "(no subject)", c->src->channel_id,
	    org,
	    contact, ticket_id, &c->out->number);
}

static enum tw_err
add_mail_item(struct ingest *c, long long ticket_id)
{
	const struct tw_mail	*m = c->mail;
	unsigned long long	 id;
	enum tw_err		 rc;

	rc = tw_db_exec(sql[SQL_ITEM_NEW], NULL, &id, TW_ARGS(TW_I(ticket_id),
	    TW_S(m->text), TW_S(m->message_id), TW_S(m->html),
	    TW_I(m->auto_reply ? 1 : 0),
	    TW_S(*m->from_addr != '\0' ? m->from_addr : NULL),
	    TW_S(*m->from_name != '\0' ? tw_text_cut(c->arena, m->from_name,
	    FROM_NAME_MAX) : NULL),
	    TW_S(tw_addrlist_join(c->arena, &m->to)),
	    TW_S(tw_addrlist_join(c->arena, &m->cc))));
	if (rc != TW_OK)
		return rc;
	c->out->item_id = (long long)id;
	return tw_attachment_link((long long)id, c->refs, m->nattachments);
}

static enum tw_err
ingest_txn(void *ctx)
{
	struct ingest	*c = ctx;
	long long	 ticket_id, contact, org;
	enum tw_err	 rc;

	/* A transaction retried after a deadlock starts over. */
	c->out->created = c->out->reopened = 0;
	c->out->number = c->out->item_id = 0;

	if ((rc = record_files(c)) != TW_OK ||
	    (rc = find_ticket(c, &ticket_id)) != TW_OK)
		return rc;
	if (ticket_id == 0) {
		if ((rc = tw_contact_match_email(c->arena, c->mail->from_addr,
		    c->mail->from_name, c->src->unknown == TW_INGEST_BY_DOMAIN,
		    &contact, &org)) != TW_OK ||
		    (rc = open_ticket(c, contact, org, &ticket_id)) != TW_OK)
			return rc;
	}
	if ((rc = add_mail_item(c, ticket_id)) != TW_OK)
		return rc;

	if (!c->out->created) {
		if ((rc = tw_ticket_reopen(c->arena, ticket_id, 0,
		    &c->out->reopened)) != TW_OK ||
		    (rc = tw_db_exec(sql[SQL_TOUCH], NULL, NULL,
		    TW_ARGS(TW_I(ticket_id)))) != TW_OK)
			return rc;
	}
	if ((rc = tw_alert_item(c->arena, ticket_id, c->out->item_id,
	    0)) != TW_OK)
		return rc;

	/* A machine's mail gets no answer from us: no mail loops. */
	if (c->out->created && !c->mail->auto_reply)
		return tw_ack_queue(c->arena, ticket_id, c->mail->from_addr);
	return TW_OK;
}

/*
 * A message we have (*seen, its ticket's number, or 0), and whether from
 * is one of our addresses (*own); either may be NULL, which finds none.
 */
static enum tw_err
check(struct tw_arena *a, const char *message_id, const char *from,
    long long *seen, int *own)
{
	struct tw_rows	*r;
	enum tw_err	 rc;

	rc = tw_db_query(a, sql[SQL_CHECK], &r,
	    TW_ARGS(TW_S(message_id), TW_S(from)));
	*seen = rc == TW_OK ? tw_rows_int(r, 0, "seen", 0) : 0;
	*own = rc == TW_OK && tw_rows_int(r, 0, "own", 0) != 0;
	return rc;
}

/* An identifier made from len bytes at p, in domain: SHA-256@domain. */
static const char *
made_id(struct tw_arena *a, const char *p, size_t len, const char *domain)
{
	char	hex[65];

	tw_sha256_hex(p, len, hex);
	return tw_arena_printf(a, "%s@%s", hex, domain);
}

/* s cut to at most max bytes, at a character's start. */
static const char *
cut_bytes(struct tw_arena *a, const char *s, size_t max)
{
	size_t	n = strlen(s);

	if (n <= max)
		return s;
	for (n = max; n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80; n--)
		;
	return tw_arena_strndup(a, s, n);
}

/*
 * Makes the mail's values fit their columns: hostile mail may stretch
 * any header, and a value the database refused would refuse the whole
 * message, again on every delivery.  A message without a Message-ID
 * gets one made from its bytes, and one whose Message-ID is too long
 * one made from that, so the same message taken in twice is known the
 * second time.  An address too long for any mailbox is no address to
 * match; text past ITEM_TEXT_MAX is cut, HTML that long is left out (the
 * text stays).  Names and subjects are cut where they are stored.
 */
static void
fit_columns(struct tw_arena *a, struct tw_mail *m, const char *raw,
    size_t len)
{
	if (m->message_id == NULL)
		m->message_id = made_id(a, raw, len, "no-message-id.invalid");
	else if (strlen(m->message_id) > MESSAGE_ID_MAX)
		m->message_id = made_id(a, m->message_id,
		    strlen(m->message_id), "long-message-id.invalid");
	if (strlen(m->from_addr) > TW_EMAIL_MAX)
		m->from_addr = "";
	/* XXX: the text of a message past 4 MiB is lost; keeping the raw
	 * message as an attachment would keep it. */
	if (m->text != NULL)
		m->text = cut_bytes(a, m->text, ITEM_TEXT_MAX);
	if (m->html != NULL && strlen(m->html) > ITEM_TEXT_MAX)
		m->html = NULL;
}

enum tw_err
tw_ingest(struct tw_arena *a, const char *raw, size_t len,
    long long channel_id, struct tw_ingest_result *out)
{
	const struct tw_ingest_source	src = {
		channel_id, TW_INGEST_BY_DOMAIN
	};

	return tw_ingest_from(a, raw, len, &src, out);
}

enum tw_err
tw_ingest_from(struct tw_arena *a, const char *raw, size_t len,
    const struct tw_ingest_source *src, struct tw_ingest_result *out)
{
	struct tw_mail	 m;
	struct ingest	 c = { a, &m, src, NULL, NULL, out };
	enum tw_err	 rc;

	memset(out, 0, sizeof(*out));
	if ((rc = tw_mail_parse(a, raw, len, &m)) != TW_OK)
		return rc;
	out->auto_reply = m.auto_reply;
	fit_columns(a, &m, raw, len);

	/* An empty sender is nobody's, not a channel without address. */
	if ((rc = check(a, m.message_id, *m.from_addr != '\0' ?
	    m.from_addr : NULL, &out->number, &out->own)) != TW_OK)
		return rc;
	if (out->number > 0) {
		out->duplicate = 1;
		out->own = 0;
		return TW_OK;
	}
	if (out->own)
		return TW_OK;
	if ((rc = write_files(&c)) != TW_OK)
		return rc;

	rc = tw_db_txn(ingest_txn, &c);

	/* The same message delivered twice at once: the second insert meets
	 * the unique Message-ID and finds the first one's ticket. */
	if (rc == TW_ERR_CONFLICT && m.message_id != NULL) {
		memset(out, 0, sizeof(*out));
		if ((rc = check(a, m.message_id, NULL, &out->number,
		    &out->own)) == TW_OK)
			out->duplicate = out->number > 0;
	}
	return rc;
}

const char *
tw_ingest_result_name(const struct tw_ingest_result *r)
{
	if (r->duplicate)
		return "duplicate";
	if (r->own)
		return "own";
	return r->created ? "created" : "added";
}

enum tw_err
tw_ingest_channel(struct tw_arena *a, const char *name, long long *id)
{
	struct tw_rows	*r;
	enum tw_err	 rc;

	*id = 0;
	rc = tw_db_query(a, sql[SQL_CHANNEL], &r, TW_ARGS(TW_S(name)));
	if (rc != TW_OK)
		return rc;
	if (r->nrows == 0)
		return TW_ERR_NOTFOUND;
	*id = tw_rows_int(r, 0, "id", 0);
	return TW_OK;
}
