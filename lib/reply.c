/*
 * reply.c: an agent's mail item queued as mail to the customer.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "addrlist.h"
#include "arena.h"
#include "db.h"
#include "ingest.h"
#include "outbound.h"
#include "refdata.h"
#include "reply.h"
#include "request.h"
#include "ticket.h"

enum {
	SQL_TICKET,
	SQL_ITEM_ID,
	SQL__MAX
};

static const char *const sql[SQL__MAX] = {
	[SQL_TICKET] =
	    "SELECT t.number, t.subject, t.contact_id, c.name AS channel, "
	    "c.email AS channel_email FROM tickets t "
	    "JOIN channels c ON c.id = t.channel_id WHERE t.id = ?",
	[SQL_ITEM_ID] =
	    "UPDATE items SET message_id = ? WHERE id = ?",
};

/* Prefixes mailers put in front of an answer's subject. */
static const char *const answer_prefixes[] = {
	"re:", "aw:", "antw:", "sv:", "vs:", NULL
};

const char *
tw_reply_subject(struct tw_arena *a, const char *subject, long long number,
    int answer)
{
	const char *const	*p;
	const char		*re = answer ? "Re: " : "";

	for (p = answer_prefixes; answer && *p != NULL; p++)
		if (strncasecmp(subject, *p, strlen(*p)) == 0)
			re = "";
	if (tw_ingest_subject_number(subject) == number)
		return tw_arena_printf(a, "%s%s", re, subject);
	return tw_arena_printf(a, "%s%s%s[#%lld]", re, subject,
	    *subject != '\0' ? " " : "", number);
}

static enum tw_err
load_ticket(struct tw_arena *a, long long ticket_id, struct tw_rows **t)
{
	enum tw_err	rc;

	rc = tw_db_query(a, sql[SQL_TICKET], t, TW_ARGS(TW_I(ticket_id)));
	if (rc == TW_OK && (*t)->nrows == 0)
		rc = TW_ERR_NOTFOUND;
	return rc;
}

void
tw_reply_answer_all(struct tw_arena *a, const char *contact,
    const char *mail_from, const char *mail_to, const char *mail_cc,
    const char *own, const char **to, const char **cc)
{
	struct tw_addrlist	 l = { .n = 0 };
	const char		*except;

	*to = mail_from != NULL ? mail_from : contact;
	except = tw_arena_printf(a, "%s, %s", *to != NULL ? *to : "",
	    own != NULL ? own : "");
	tw_addrlist_add_text(a, &l, mail_to, except);
	tw_addrlist_add_text(a, &l, mail_cc, except);
	*cc = tw_addrlist_join(a, &l);
}

/* The newest item of items that a person sent by mail, or -1. */
static long
newest_mail(const struct tw_rows *items)
{
	size_t	i;

	for (i = items->nrows; i > 0; i--) {
		const char	*kind = tw_rows_str(items, i - 1, "kind");

		if (strcmp(kind, "email_in") == 0 &&
		    tw_rows_int(items, i - 1, "auto_submitted", 0) == 0)
			return (long)(i - 1);
	}
	return -1;
}

enum tw_err
tw_reply_defaults_of(struct tw_arena *a, const struct tw_rows *ticket,
    const struct tw_rows *items, const char **to, const char **cc,
    const char **from)
{
	const char	*mail[3] = { NULL, NULL, NULL };
	const char	*own;
	long		 last = newest_mail(items);
	enum tw_err	 rc;

	*to = *cc = *from = NULL;
	if ((rc = tw_refdata_own_addresses(a, &own)) != TW_OK)
		return rc;
	if (last >= 0) {
		mail[0] = tw_rows_str(items, (size_t)last, "mail_from");
		mail[1] = tw_rows_str(items, (size_t)last, "mail_to");
		mail[2] = tw_rows_str(items, (size_t)last, "mail_cc");
	}
	*from = tw_rows_str(ticket, 0, "channel_email");
	tw_reply_answer_all(a, tw_rows_str(ticket, 0, "contact_email"),
	    mail[0], mail[1], mail[2], own, to, cc);
	return TW_OK;
}

enum tw_err
tw_reply_defaults(struct tw_arena *a, const struct tw_user *user,
    long long number, const char **to, const char **cc, const char **from)
{
	struct tw_rows	*ticket, *items;
	enum tw_err	 rc;

	*to = *cc = *from = NULL;
	rc = tw_ticket_get(a, user, number, &ticket, &items);
	if (rc != TW_OK)
		return rc;
	return tw_reply_defaults_of(a, ticket, items, to, cc, from);
}

enum tw_err
tw_reply_queue(struct tw_arena *a, long long ticket_id, long long item_id,
    const char *to, const char *cc, const char *body)
{
	struct tw_outbound_new	 m;
	struct tw_rows		*t;
	const char		*id;
	enum tw_err		 rc;

	if ((rc = load_ticket(a, ticket_id, &t)) != TW_OK)
		return rc;
	memset(&m, 0, sizeof(m));
	if ((m.from_addr = tw_rows_str(t, 0, "channel_email")) == NULL)
		return TW_ERR_CONFLICT;
	if ((rc = tw_outbound_thread(a, ticket_id, &m.in_reply_to,
	    &m.references)) != TW_OK)
		return rc;

	m.kind = TW_OUTBOUND_REPLY;
	m.from_name = tw_rows_str(t, 0, "channel");
	m.to_addr = to;
	m.cc_addrs = cc;
	m.subject = tw_reply_subject(a, tw_rows_str(t, 0, "subject"),
	    tw_rows_int(t, 0, "number", 0), m.in_reply_to != NULL);
	m.body = body;
	m.message_id = tw_outbound_message_id(a, m.from_addr);
	m.ticket_id = ticket_id;
	m.item_id = item_id;
	if ((rc = tw_outbound_queue(&m)) != TW_OK)
		return rc;

	/* Items keep Message-IDs without their brackets. */
	id = tw_arena_strndup(a, m.message_id + 1, strlen(m.message_id) - 2);
	return tw_db_exec(sql[SQL_ITEM_ID], NULL, NULL,
	    TW_ARGS(TW_S(id), TW_I(item_id)));
}
