/*
 * outbound.c: queueing mail, and the task that sends what is due.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addrlist.h"
#include "alert.h"
#include "arena.h"
#include "attachment.h"
#include "buf.h"
#include "conf.h"
#include "crypto.h"
#include "db.h"
#include "email.h"
#include "log.h"
#include "mail_build.h"
#include "outbound.h"
#include "smtp.h"

#define BATCH		20	/* messages one turn sends at most */
#define THREAD_MAX	20	/* Message-IDs in a References header */
#define LEASE_SPARE	60	/* seconds a lease outlasts one attempt */

enum {
	SQL_QUEUE,
	SQL_DUE,
	SQL_CLAIM,
	SQL_ROW,
	SQL_SENT,
	SQL_RETRY,
	SQL_FAILED,
	SQL_NEWEST_IN,
	SQL_THREAD,
	SQL_OF_TICKET,
	SQL__MAX
};

static const char *const sql[SQL__MAX] = {
	[SQL_QUEUE] =
	    "INSERT INTO outbound_mail (kind, from_address, from_name, "
	    "to_address, cc_addresses, subject, body_text, calendar, "
	    "message_id, in_reply_to, references_header, ticket_id, item_id) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	/* A 'sending' row whose lease ran out lost its sender. */
	[SQL_DUE] =
	    "SELECT id FROM outbound_mail "
	    "WHERE state IN ('queued', 'sending') "
	    "AND next_attempt_at <= UTC_TIMESTAMP(6) "
	    "ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED",
	[SQL_CLAIM] =
	    "UPDATE outbound_mail SET state = 'sending', "
	    "attempts = attempts + 1, leased_by = ?, "
	    "next_attempt_at = UTC_TIMESTAMP(6) + INTERVAL ? SECOND "
	    "WHERE id = ?",
	[SQL_ROW] =
	    "SELECT kind, from_address, from_name, to_address, cc_addresses, "
	    "subject, "
	    "body_text, calendar, message_id, in_reply_to, references_header, "
	    "item_id, "
	    "attempts, UNIX_TIMESTAMP(created_at) AS created "
	    "FROM outbound_mail WHERE id = ?",
	/* The attempt number fences a sender whose lease was taken over. */
	[SQL_SENT] =
	    "UPDATE outbound_mail SET state = 'sent', "
	    "sent_at = UTC_TIMESTAMP(6), last_error = NULL, leased_by = NULL "
	    "WHERE id = ? AND attempts = ? AND state = 'sending'",
	[SQL_RETRY] =
	    "UPDATE outbound_mail SET state = 'queued', last_error = ?, "
	    "next_attempt_at = UTC_TIMESTAMP(6) + INTERVAL ? SECOND, "
	    "leased_by = NULL "
	    "WHERE id = ? AND attempts = ? AND state = 'sending'",
	[SQL_FAILED] =
	    "UPDATE outbound_mail SET state = 'failed', last_error = ?, "
	    "leased_by = NULL "
	    "WHERE id = ? AND attempts = ? AND state = 'sending'",
	[SQL_NEWEST_IN] =
	    "SELECT message_id FROM items WHERE ticket_id = ? "
	    "AND kind = 'email_in' AND message_id IS NOT NULL "
	    "ORDER BY created_at DESC, id DESC LIMIT 1",
	[SQL_THREAD] =
	    "SELECT message_id FROM items WHERE ticket_id = ? "
	    "AND kind IN ('email_in', 'email_out') AND message_id IS NOT NULL "
	    "ORDER BY created_at DESC, id DESC LIMIT ?",
	[SQL_OF_TICKET] =
	    "SELECT item_id, kind, to_address, cc_addresses, state, attempts, "
	    "next_attempt_at, sent_at, last_error FROM outbound_mail "
	    "WHERE ticket_id = ? AND kind IN ('reply', 'ack') "
	    "AND item_id IS NOT NULL ORDER BY id",
};

static const char *const kind_names[TW_OUTBOUND_KIND__MAX] = {
	[TW_OUTBOUND_ALERT] = "alert",
	[TW_OUTBOUND_REPLY] = "reply",
	[TW_OUTBOUND_ACK] = "ack",
	[TW_OUTBOUND_INVITATION] = "invitation",
};

/* One claimed row on its way out. */
struct send {
	struct tw_arena	*arena;
	long long	 id;
	long long	 attempt;
	struct tw_rows	*row;
	const char	*why;		/* a failure, for the row and the log */
};

enum tw_err
tw_outbound_queue(const struct tw_outbound_new *m)
{
	return tw_db_exec(sql[SQL_QUEUE], NULL, NULL, TW_ARGS(
	    TW_S(kind_names[m->kind]), TW_S(m->from_addr), TW_S(m->from_name),
	    TW_S(m->to_addr), TW_S(m->cc_addrs), TW_S(m->subject),
	    TW_S(m->body),
	    TW_S(m->calendar), TW_S(m->message_id), TW_S(m->in_reply_to),
	    TW_S(m->references),
	    TW_I(m->ticket_id), m->item_id > 0 ? TW_I(m->item_id) :
	    TW_NULLARG));
}

long
tw_outbound_backoff(long attempt, long base, long cap)
{
	long	wait = base < 1 ? 1 : base;

	while (--attempt > 0 && wait < cap)
		wait *= 2;
	return wait < cap ? wait : cap;
}

const char *
tw_outbound_message_id(struct tw_arena *a, const char *from)
{
	unsigned char	 raw[16];
	char		 hex[2 * sizeof(raw) + 1];
	const char	*at = from != NULL ? strrchr(from, '@') : NULL;
	size_t		 i;

	if (tw_random(raw, sizeof(raw)) != TW_OK)
		memset(raw, 0, sizeof(raw));
	for (i = 0; i < sizeof(raw); i++)
		snprintf(hex + 2 * i, 3, "%02x", raw[i]);
	return tw_arena_printf(a, "<tw.%s@%s>", hex, at != NULL && at[1] !=
	    '\0' ? at + 1 : tw_alert_host(a));
}

void
tw_outbound_default_from(struct tw_arena *a, const char **addr,
    const char **name)
{
	*addr = tw_conf_str("smtp", "from", "");
	if (**addr == '\0')
		*addr = tw_arena_printf(a, "ticketwerk@%s", tw_alert_host(a));
	*name = tw_conf_str("smtp", "from_name", "Ticketwerk");
}

enum tw_err
tw_outbound_thread(struct tw_arena *a, long long ticket_id,
    const char **in_reply_to, const char **references)
{
	struct tw_rows	*r;
	struct tw_buf	 b;
	size_t		 i;
	enum tw_err	 rc;

	*in_reply_to = *references = NULL;
	rc = tw_db_query(a, sql[SQL_NEWEST_IN], &r, TW_ARGS(TW_I(ticket_id)));
	if (rc != TW_OK)
		return rc;
	if (r->nrows > 0)
		*in_reply_to = tw_arena_printf(a, "<%s>",
		    tw_rows_str(r, 0, "message_id"));

	rc = tw_db_query(a, sql[SQL_THREAD], &r, TW_ARGS(TW_I(ticket_id),
	    TW_I(THREAD_MAX)));
	if (rc != TW_OK || r->nrows == 0)
		return rc;
	tw_buf_init(&b, a);
	for (i = r->nrows; i > 0; i--)
		tw_buf_printf(&b, "%s<%s>", b.len > 0 ? " " : "",
		    tw_rows_str(r, i - 1, "message_id"));
	*references = b.data;
	return TW_OK;
}

enum tw_err
tw_outbound_of_ticket(struct tw_arena *a, long long ticket_id,
    struct tw_rows **out)
{
	return tw_db_query(a, sql[SQL_OF_TICKET], out,
	    TW_ARGS(TW_I(ticket_id)));
}

/* Host and process, so an operator sees which runner holds a lease. */
static const char *
runner_name(struct tw_arena *a)
{
	char	host[64];

	if (gethostname(host, sizeof(host)) != 0)
		strcpy(host, "?");
	host[sizeof(host) - 1] = '\0';
	return tw_arena_printf(a, "%s:%ld", host, (long)getpid());
}

static enum tw_err
claim_txn(void *ctx)
{
	struct send	*s = ctx;
	struct tw_rows	*r;
	long		 lease;
	enum tw_err	 rc;

	s->id = 0;
	rc = tw_db_query(s->arena, sql[SQL_DUE], &r, TW_NOARGS);
	if (rc != TW_OK || r->nrows == 0)
		return rc;
	s->id = tw_rows_int(r, 0, "id", 0);
	lease = tw_conf_int("smtp", "connect_timeout", 10) +
	    tw_conf_int("smtp", "timeout", 60) + LEASE_SPARE;
	return tw_db_exec(sql[SQL_CLAIM], NULL, NULL, TW_ARGS(
	    TW_S(runner_name(s->arena)), TW_I(lease), TW_I(s->id)));
}

/* The files of the reply's item, read from the attachment store. */
static enum tw_err
load_files(struct send *s, struct tw_mail_out *m)
{
	struct tw_mail_file	*f;
	struct tw_rows		*r;
	long long		 item = tw_rows_int(s->row, 0, "item_id", 0);
	size_t			 i;
	enum tw_err		 rc;

	if (item <= 0 || strcmp(tw_rows_str(s->row, 0, "kind"), "reply") != 0)
		return TW_OK;
	if ((rc = tw_attachment_of_item(s->arena, item, &r)) != TW_OK)
		return rc;
	f = tw_arena_calloc(s->arena, r->nrows + 1, sizeof(*f));
	for (i = 0; i < r->nrows; i++) {
		f[i].filename = tw_rows_str(r, i, "filename");
		f[i].type = tw_rows_str(r, i, "type");
		f[i].len = (size_t)tw_rows_int(r, i, "size", 0);
		rc = tw_attachment_read(s->arena, tw_rows_str(r, i, "sha256"),
		    f[i].len, &f[i].data);
		if (rc != TW_OK)
			return rc;
	}
	m->files = f;
	m->nfiles = r->nrows;
	return TW_OK;
}

/* The Message-IDs of a References header, in the arena. */
static const char **
split_ids(struct tw_arena *a, const char *header, size_t *n)
{
	const char	**ids, *p, *end;
	size_t		  cap = 1;

	*n = 0;
	if (header == NULL)
		return NULL;
	for (p = header; *p != '\0'; p++)
		cap += *p == ' ';
	ids = tw_arena_calloc(a, cap + 1, sizeof(*ids));
	for (p = header; *p != '\0'; p = *end != '\0' ? end + 1 : end) {
		end = strchr(p, ' ');
		if (end == NULL)
			end = p + strlen(p);
		if (end > p && *n < cap)
			ids[(*n)++] = tw_arena_strndup(a, p, (size_t)(end - p));
	}
	return ids;
}

/* The claimed row as a message to build; alerts come from [smtp] from. */
static void
fill_message(struct send *s, struct tw_mail_out *m)
{
	const struct tw_rows	*r = s->row;
	const char		*kind = tw_rows_str(r, 0, "kind");

	memset(m, 0, sizeof(*m));
	m->from_addr = tw_rows_str(r, 0, "from_address");
	m->from_name = tw_rows_str(r, 0, "from_name");
	if (m->from_addr == NULL)
		tw_outbound_default_from(s->arena, &m->from_addr,
		    &m->from_name);
	m->to_addr = tw_rows_str(r, 0, "to_address");
	m->subject = tw_rows_str(r, 0, "subject");
	m->text = tw_rows_str(r, 0, "body_text");
	m->calendar = tw_rows_str(r, 0, "calendar");
	m->date = (time_t)tw_rows_int(r, 0, "created", 0);
	m->message_id = tw_rows_str(r, 0, "message_id");
	m->in_reply_to = tw_rows_str(r, 0, "in_reply_to");
	m->references = split_ids(s->arena, tw_rows_str(r, 0,
	    "references_header"), &m->nreferences);
	if (strcmp(kind, "ack") == 0)
		m->auto_submitted = TW_MAIL_AUTO_REPLIED;
	else if (strcmp(kind, "alert") == 0 ||
	    strcmp(kind, "invitation") == 0)
		m->auto_submitted = TW_MAIL_AUTO_GENERATED;
}

/* Builds and sends the claimed row; *outcome says how it went. */
static enum tw_err
deliver(struct send *s, enum tw_smtp_outcome *outcome)
{
	struct tw_mail_out	 m;
	struct tw_addrlist	 cc = { .n = 0 };
	const char		*raw, *cc_text, *bad;
	char			 from[TW_EMAIL_MAX + 1], to[TW_EMAIL_MAX + 1];
	size_t			 len;
	enum tw_err		 rc;

	*outcome = TW_SMTP_REJECTED;
	fill_message(s, &m);
	if (load_files(s, &m) != TW_OK) {
		s->why = "a file of the message is missing from the store";
		return TW_OK;
	}
	cc_text = tw_rows_str(s->row, 0, "cc_addresses");
	m.cc = &cc;
	if (tw_addrlist_parse(s->arena, cc_text != NULL ? cc_text : "", &cc,
	    &bad) != TW_OK ||
	    tw_mail_build(s->arena, &m, &raw, &len) != TW_OK ||
	    tw_email_norm(m.from_addr, from) != TW_OK ||
	    tw_email_norm(m.to_addr, to) != TW_OK) {
		s->why = "an address or the Message-ID is not valid";
		return TW_OK;
	}
	rc = tw_smtp_send(s->arena, from, to, &cc, raw, len, outcome,
	    &s->why);
	if (rc != TW_OK)
		*outcome = TW_SMTP_RETRY;
	return TW_OK;
}

/* Writes down how the attempt went, and says so in the log. */
static enum tw_err
record(struct send *s, enum tw_smtp_outcome outcome)
{
	const char	*event, *msgid = tw_rows_str(s->row, 0, "message_id");
	char		 id[24], attempt[24];
	long		 wait = 0;
	enum tw_err	 rc;

	if (outcome == TW_SMTP_RETRY && s->attempt >=
	    tw_conf_int("smtp", "attempts_max", 30))
		outcome = TW_SMTP_REJECTED;
	if (outcome == TW_SMTP_SENT) {
		event = "mail_sent";
		rc = tw_db_exec(sql[SQL_SENT], NULL, NULL,
		    TW_ARGS(TW_I(s->id), TW_I(s->attempt)));
	} else if (outcome == TW_SMTP_RETRY) {
		event = "mail_deferred";
		wait = tw_outbound_backoff(s->attempt, tw_conf_int("smtp",
		    "retry_seconds", 60), tw_conf_int("smtp",
		    "retry_max_seconds", 3600));
		rc = tw_db_exec(sql[SQL_RETRY], NULL, NULL, TW_ARGS(
		    TW_S(s->why), TW_I(wait), TW_I(s->id), TW_I(s->attempt)));
	} else {
		event = "mail_failed";
		rc = tw_db_exec(sql[SQL_FAILED], NULL, NULL, TW_ARGS(
		    TW_S(s->why), TW_I(s->id), TW_I(s->attempt)));
	}

	snprintf(id, sizeof(id), "%lld", s->id);
	snprintf(attempt, sizeof(attempt), "%lld", s->attempt);
	tw_log(outcome == TW_SMTP_SENT ? TW_LOG_INFO : TW_LOG_WARN, event,
	    "id", id, "kind", tw_rows_str(s->row, 0, "kind"), "attempt",
	    attempt, "message_id", msgid, "error", s->why, (char *)NULL);
	return rc;
}

/* Claims, sends and records one message; *sent 0 when none was due. */
static enum tw_err
send_one(struct tw_arena *a, int *sent)
{
	struct send		s = { a, 0, 0, NULL, NULL };
	enum tw_smtp_outcome	outcome;
	enum tw_err		rc;

	*sent = 0;
	if ((rc = tw_db_txn(claim_txn, &s)) != TW_OK || s.id == 0)
		return rc;
	rc = tw_db_query(a, sql[SQL_ROW], &s.row, TW_ARGS(TW_I(s.id)));
	if (rc != TW_OK)
		return rc;
	if (s.row->nrows == 0)
		return TW_OK;
	s.attempt = tw_rows_int(s.row, 0, "attempts", 0);
	*sent = 1;

	if ((rc = deliver(&s, &outcome)) != TW_OK)
		return rc;
	return record(&s, outcome);
}

enum tw_err
tw_outbound_run(struct tw_arena *a, int *more)
{
	int		sent = 1, n;
	enum tw_err	rc = TW_OK;

	/* Each message's files leave the arena before the next is read. */
	for (n = 0; n < BATCH && sent && rc == TW_OK; n += sent) {
		rc = send_one(a, &sent);
		tw_arena_reset(a);
	}
	*more = rc == TW_OK && n == BATCH;
	return rc;
}
