/*
 * ingest.c: threading, matching and storing one parsed mail.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "arena.h"
#include "attachment.h"
#include "crypto.h"
#include "db.h"
#include "email.h"
#include "ingest.h"
#include "mail.h"
#include "ticket.h"
#include "ticket_change.h"

/*
 * What the columns hold.  Hostile mail may stretch any header; a value
 * the database refused would refuse the whole message, again on every
 * delivery, so each is made to fit first.
 */
#define MESSAGE_ID_MAX	255			/* items.message_id */
#define CONTACT_NAME_MAX 200			/* contacts.name */
#define ITEM_TEXT_MAX	(4 * 1024 * 1024)	/* bytes of items.body,
						 * body_html; one statement
						 * stays within the server's
						 * max_allowed_packet */

enum {
	SQL_SEEN,
	SQL_OWN,
	SQL_BY_NUMBER,
	SQL_BY_MESSAGE,
	SQL_CONTACT,
	SQL_ORG_BY_DOMAIN,
	SQL_CONTACT_NEW,
	SQL_EMAIL_NEW,
	SQL_TICKET_NEW,
	SQL_ITEM_NEW,
	SQL_TOUCH,
	SQL_NUMBER,
	SQL_CHANNEL,
	SQL__MAX
};

static const char *const sql[SQL__MAX] = {
	[SQL_SEEN] =
	    "SELECT t.number FROM items i JOIN tickets t ON t.id = i.ticket_id "
	    "WHERE i.message_id = ?",
	[SQL_OWN] =
	    "SELECT 1 FROM channels WHERE email = ?",
	/* A merged ticket's mail goes on to its target. */
	[SQL_BY_NUMBER] =
	    "SELECT COALESCE(t.merged_into, t.id) AS id FROM tickets t "
	    "WHERE t.number = ?",
	[SQL_BY_MESSAGE] =
	    "SELECT COALESCE(t.merged_into, t.id) AS id FROM items i "
	    "JOIN tickets t ON t.id = i.ticket_id WHERE i.message_id = ?",
	[SQL_CONTACT] =
	    "SELECT c.id, c.organisation_id FROM contact_emails e "
	    "JOIN contacts c ON c.id = e.contact_id WHERE e.email = ? "
	    "ORDER BY c.id LIMIT 1",
	[SQL_ORG_BY_DOMAIN] =
	    "SELECT id FROM organisations WHERE mail_domain = ? "
	    "ORDER BY id LIMIT 1",
	[SQL_CONTACT_NEW] =
	    "INSERT INTO contacts (organisation_id, name) VALUES (?, ?)",
	[SQL_EMAIL_NEW] =
	    "INSERT INTO contact_emails (contact_id, email) VALUES (?, ?)",
	[SQL_TICKET_NEW] =
	    "INSERT INTO tickets (number, type, subject, channel_id, "
	    "status_id, priority, organisation_id, contact_id) VALUES ("
	    "NEXT VALUE FOR ticket_numbers, 'email', ?, ?, "
	    "(SELECT id FROM statuses WHERE code = 'new'), 5, ?, ?)",
	[SQL_ITEM_NEW] =
	    "INSERT INTO items (ticket_id, kind, visibility, body, "
	    "message_id, body_html, auto_submitted) "
	    "VALUES (?, 'email_in', 'customer', ?, ?, ?, ?)",
	[SQL_TOUCH] =
	    "UPDATE tickets SET updated_at = UTC_TIMESTAMP(6), "
	    "version = version + 1 WHERE id = ?",
	[SQL_NUMBER] =
	    "SELECT number FROM tickets WHERE id = ?",
	[SQL_CHANNEL] =
	    "SELECT id FROM channels WHERE name = ?",
};

struct ingest {
	struct tw_arena			*arena;
	const struct tw_mail		*mail;
	const struct tw_ingest_source	*src;
	const struct tw_attachment_ref	*refs;
	size_t				 nrefs;
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

/* s cut to at most max characters (code points) of its valid UTF-8. */
static const char *
cut_chars(struct tw_arena *a, const char *s, size_t max)
{
	size_t	i, chars = 0;

	for (i = 0; s[i] != '\0'; i++) {
		if (((unsigned char)s[i] & 0xc0) == 0x80)
			continue;
		if (chars++ == max)
			return tw_arena_strndup(a, s, i);
	}
	return s;
}

/* The first row's first column as a number, or 0. */
static long long
first_id(struct tw_arena *a, int which, struct tw_dbarg arg,
    enum tw_err *rc)
{
	struct tw_rows	*r;

	*rc = tw_db_query(a, sql[which], &r, 1, &arg);
	if (*rc != TW_OK || r->nrows == 0 || r->cells[0] == NULL)
		return 0;
	return strtoll(r->cells[0], NULL, 10);
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
		*ticket_id = first_id(c->arena, SQL_BY_NUMBER, TW_I(number),
		    &rc);
	if (rc == TW_OK && *ticket_id == 0 && m->in_reply_to != NULL)
		*ticket_id = first_id(c->arena, SQL_BY_MESSAGE,
		    TW_S(m->in_reply_to), &rc);

	/* References run oldest first; the newest we know wins. */
	for (i = m->nreferences; rc == TW_OK && *ticket_id == 0 && i > 0; i--)
		*ticket_id = first_id(c->arena, SQL_BY_MESSAGE,
		    TW_S(m->references[i - 1]), &rc);
	return rc;
}

/*
 * The sender's contact and organisation; an unknown sender becomes a
 * contact, of the organisation whose mail domain is the address's when
 * the feeder wants that.
 */
static enum tw_err
match_contact(struct ingest *c, long long *contact, long long *org)
{
	const struct tw_mail	*m = c->mail;
	struct tw_rows		*r;
	unsigned long long	 id;
	const char		*at;
	enum tw_err		 rc;

	*contact = *org = 0;
	if (*m->from_addr == '\0')
		return TW_OK;
	rc = tw_db_query(c->arena, sql[SQL_CONTACT], &r,
	    TW_ARGS(TW_S(m->from_addr)));
	if (rc != TW_OK)
		return rc;
	if (r->nrows == 1) {
		*contact = tw_rows_int(r, 0, "id", 0);
		*org = tw_rows_int(r, 0, "organisation_id", 0);
		return TW_OK;
	}

	if (c->src->unknown == TW_INGEST_BY_DOMAIN &&
	    (at = strrchr(m->from_addr, '@')) != NULL)
		*org = first_id(c->arena, SQL_ORG_BY_DOMAIN, TW_S(at + 1), &rc);
	if (rc != TW_OK)
		return rc;
	rc = tw_db_exec(sql[SQL_CONTACT_NEW], NULL, &id, TW_ARGS(
	    *org > 0 ? TW_I(*org) : TW_NULLARG, TW_S(cut_chars(c->arena,
	    *m->from_name != '\0' ? m->from_name : m->from_addr,
	    CONTACT_NAME_MAX))));
	if (rc != TW_OK)
		return rc;
	*contact = (long long)id;
	return tw_db_exec(sql[SQL_EMAIL_NEW], NULL, NULL,
	    TW_ARGS(TW_I(*contact), TW_S(m->from_addr)));
}

static enum tw_err
open_ticket(struct ingest *c, long long contact, long long org,
    long long *ticket_id)
{
	const char		*subject = c->mail->subject;
	unsigned long long	 id;
	enum tw_err		 rc;

	if (*subject == '\0')
		subject = "(no subject)";
	subject = cut_chars(c->arena, subject, TW_TICKET_SUBJECT_MAX);
	rc = tw_db_exec(sql[SQL_TICKET_NEW], NULL, &id, TW_ARGS(TW_S(subject),
	    TW_I(c->src->channel_id), org > 0 ? TW_I(org) : TW_NULLARG,
	    contact > 0 ? TW_I(contact) : TW_NULLARG));
	*ticket_id = (long long)id;
	c->out->created = 1;
	return rc;
}

static enum tw_err
add_mail_item(struct ingest *c, long long ticket_id)
{
	const struct tw_mail	*m = c->mail;
	unsigned long long	 id;
	enum tw_err		 rc;

	rc = tw_db_exec(sql[SQL_ITEM_NEW], NULL, &id, TW_ARGS(TW_I(ticket_id),
	    TW_S(m->text), TW_S(m->message_id), TW_S(m->html),
	    TW_I(m->auto_reply ? 1 : 0)));
	if (rc != TW_OK)
		return rc;
	c->out->item_id = (long long)id;
	return tw_attachment_link((long long)id, c->refs, c->nrefs);
}

static enum tw_err
ingest_txn(void *ctx)
{
	struct ingest	*c = ctx;
	long long	 ticket_id, contact, org;
	enum tw_err	 rc;

	if ((rc = find_ticket(c, &ticket_id)) != TW_OK)
		return rc;
	if (ticket_id == 0) {
		if ((rc = match_contact(c, &contact, &org)) != TW_OK ||
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
	c->out->number = first_id(c->arena, SQL_NUMBER, TW_I(ticket_id), &rc);
	return rc;
}

/* Stores the mail's files; they are linked inside the transaction. */
static enum tw_err
store_files(struct ingest *c)
{
	const struct tw_mail		*m = c->mail;
	struct tw_attachment_ref	*refs;
	size_t				 i;
	enum tw_err			 rc;

	refs = tw_arena_calloc(c->arena, m->nattachments + 1, sizeof(*refs));
	for (i = 0; i < m->nattachments; i++) {
		rc = tw_attachment_store(c->arena, m->attachments[i].data,
		    m->attachments[i].len, tw_attachment_type(c->arena,
		    m->attachments[i].type), &refs[i].id);
		if (rc != TW_OK)
			return rc;
		refs[i].filename = tw_attachment_filename(c->arena,
		    m->attachments[i].filename);
	}
	c->refs = refs;
	c->nrefs = m->nattachments;
	return TW_OK;
}

/* A message we have: its ticket's number, or 0. */
static enum tw_err
seen(struct tw_arena *a, const char *message_id, long long *number)
{
	enum tw_err	rc = TW_OK;

	*number = 0;
	if (message_id != NULL)
		*number = first_id(a, SQL_SEEN, TW_S(message_id), &rc);
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
 * Makes the mail's values fit their columns.  A message without a
 * Message-ID gets one made from its bytes, and one whose Message-ID is
 * too long one made from that: the same message taken in twice is then
 * known the second time.  An address too long for any mailbox is no
 * address to match; text past ITEM_TEXT_MAX is cut, HTML that long is
 * left out (the text stays).
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
tw_ingest_from(struct tw_arena *a, const char *raw, size_t len,
    const struct tw_ingest_source *src, struct tw_ingest_result *out)
{
	struct tw_mail	 m;
	struct ingest	 c = { a, &m, src, NULL, 0, out };
	enum tw_err	 rc;

	memset(out, 0, sizeof(*out));
	if ((rc = tw_mail_parse(a, raw, len, &m)) != TW_OK)
		return rc;
	out->auto_reply = m.auto_reply;
	fit_columns(a, &m, raw, len);

	if ((rc = seen(a, m.message_id, &out->number)) != TW_OK)
		return rc;
	if (out->number > 0) {
		out->duplicate = 1;
		return TW_OK;
	}
	if (*m.from_addr != '\0' && first_id(a, SQL_OWN, TW_S(m.from_addr),
	    &rc) > 0) {
		out->own = 1;
		return TW_OK;
	}
	if (rc != TW_OK || (rc = store_files(&c)) != TW_OK)
		return rc;

	rc = tw_db_txn(ingest_txn, &c);

	/* The same message delivered twice at once: the second insert meets
	 * the unique Message-ID and finds the first one's ticket. */
	if (rc == TW_ERR_CONFLICT) {
		memset(out, 0, sizeof(*out));
		if ((rc = seen(a, m.message_id, &out->number)) == TW_OK)
			out->duplicate = out->number > 0;
	}
	return rc;
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
tw_ingest_channel(struct tw_arena *a, const char *name, long long *id)
{
	enum tw_err	rc = TW_OK;

	*id = first_id(a, SQL_CHANNEL, TW_S(name), &rc);
	if (rc == TW_OK && *id == 0)
		return TW_ERR_NOTFOUND;
	return rc;
}
