/*
 * ack.c: acknowledgements of receipt, from each channel's template.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "ack.h"
#include "arena.h"
#include "buf.h"
#include "conf.h"
#include "db.h"
#include "email.h"
#include "log.h"
#include "mustache.h"
#include "outbound.h"
#include "reply.h"
#include "valid.h"

#define SUBJECT_MAX	300	/* characters outbound_mail.subject holds */

enum {
	SQL_TICKET,
	SQL_OWN,
	SQL_RECENT,
	SQL_TEMPLATE_GET,
	SQL_TEMPLATE_SET,
	SQL__MAX
};

static const char *const sql[SQL__MAX] = {
	/* The first item is what opened the ticket; the state of its
	 * acknowledgement shows there. */
	[SQL_TICKET] =
	    "SELECT t.number, t.subject, c.name AS channel, "
	    "c.email AS channel_email, c.ack_enabled, c.ack_subject, "
	    "c.ack_body, COALESCE(ct.name, '') AS name, "
	    "(SELECT MIN(i.id) FROM items i WHERE i.ticket_id = t.id) "
	    "AS item_id FROM tickets t "
	    "JOIN channels c ON c.id = t.channel_id "
	    "LEFT JOIN contacts ct ON ct.id = t.contact_id WHERE t.id = ?",
	[SQL_OWN] =
	    "SELECT 1 FROM channels WHERE email = ?",
	/* outbound_mail_ack answers this from the index. */
	[SQL_RECENT] =
	    "SELECT COUNT(*) AS n FROM outbound_mail "
	    "WHERE to_address = ? AND kind = 'ack' "
	    "AND created_at > UTC_TIMESTAMP(6) - INTERVAL 1 HOUR",
	[SQL_TEMPLATE_GET] =
	    "SELECT id, name, email, ack_enabled, ack_subject, ack_body "
	    "FROM channels WHERE id = ?",
	[SQL_TEMPLATE_SET] =
	    "UPDATE channels SET ack_enabled = ?, ack_subject = ?, "
	    "ack_body = ? WHERE id = ?",
};

enum tw_err
tw_ack_render(struct tw_arena *a, const char *src, struct json_object *data,
    const char **out, const char **why)
{
	struct tw_mustache	*t;
	struct tw_buf		 b;
	char			 err[200];
	enum tw_err		 rc;

	*out = NULL;
	if ((t = tw_mustache_compile(src, strlen(src), err,
	    sizeof(err))) == NULL) {
		if (why != NULL)
			*why = tw_arena_strdup(a, err);
		return TW_ERR_INVALID;
	}
	tw_buf_init(&b, a);
	tw_buf_puts(&b, "");
	rc = tw_mustache_render_text(t, data, &b);
	tw_mustache_free(t);
	if (rc != TW_OK) {
		if (why != NULL)
			*why = "the template nests too deeply";
		return TW_ERR_INVALID;
	}
	*out = b.data;
	return TW_OK;
}

/* What the templates see of the ticket in row t. */
static struct json_object *
template_data(const struct tw_rows *t)
{
	struct json_object	*d = json_object_new_object();

	json_object_object_add(d, "number",
	    json_object_new_int64(tw_rows_int(t, 0, "number", 0)));
	json_object_object_add(d, "subject",
	    json_object_new_string(tw_rows_str(t, 0, "subject")));
	json_object_object_add(d, "channel",
	    json_object_new_string(tw_rows_str(t, 0, "channel")));
	json_object_object_add(d, "name",
	    json_object_new_string(tw_rows_str(t, 0, "name")));
	return d;
}

/*
 * Whether to may get an acknowledgement now; logs why not.
 *
 * XXX: two mails from one address taken in at the same moment both count
 * the hour before either acknowledgement is committed, so the limit can
 * be passed by the number of intakes running at once; a loop between two
 * systems, which the limit is for, is sequential and still stops.
 */
static enum tw_err
may_send(struct tw_arena *a, const char *to, int *ok)
{
	struct tw_rows	*r;
	long		 limit = tw_conf_int("mail", "ack_per_hour", 3);
	enum tw_err	 rc;

	*ok = 0;
	rc = tw_db_query(a, sql[SQL_OWN], &r, TW_ARGS(TW_S(to)));
	if (rc != TW_OK || r->nrows > 0)
		return rc;
	rc = tw_db_query(a, sql[SQL_RECENT], &r, TW_ARGS(TW_S(to)));
	if (rc != TW_OK)
		return rc;
	if (tw_rows_int(r, 0, "n", 0) >= limit) {
		tw_log(TW_LOG_INFO, "ack_limited", "to", to, (char *)NULL);
		return TW_OK;
	}
	*ok = 1;
	return TW_OK;
}

/* The acknowledgement of ticket row t as a message to queue. */
static enum tw_err
compose(struct tw_arena *a, long long ticket_id, const struct tw_rows *t,
    struct tw_outbound_new *m)
{
	struct json_object	*data = template_data(t);
	const char		*subject, *why = NULL;
	enum tw_err		 rc;

	rc = tw_ack_render(a, tw_rows_str(t, 0, "ack_subject"), data,
	    &subject, &why);
	if (rc == TW_OK)
		rc = tw_ack_render(a, tw_rows_str(t, 0, "ack_body"), data,
		    &m->body, &why);
	json_object_put(data);
	if (rc != TW_OK) {
		tw_log(TW_LOG_ERROR, "ack_template_failed", "channel",
		    tw_rows_str(t, 0, "channel"), "error", why, (char *)NULL);
		return rc;
	}

	m->kind = TW_OUTBOUND_ACK;
	m->from_addr = tw_rows_str(t, 0, "channel_email");
	m->from_name = tw_rows_str(t, 0, "channel");
	m->subject = tw_utf8_cut(a, tw_reply_subject(a, subject,
	    tw_rows_int(t, 0, "number", 0), 0), SUBJECT_MAX);
	m->message_id = tw_outbound_message_id(a, m->from_addr);
	m->ticket_id = ticket_id;
	m->item_id = tw_rows_int(t, 0, "item_id", 0);
	return tw_outbound_thread(a, ticket_id, &m->in_reply_to,
	    &m->references);
}

enum tw_err
tw_ack_queue(struct tw_arena *a, long long ticket_id, const char *to_address)
{
	struct tw_outbound_new	 m;
	struct tw_rows		*t;
	char			 to[TW_EMAIL_MAX + 1];
	int			 ok;
	enum tw_err		 rc;

	if (tw_email_norm(to_address, to) != TW_OK)
		return TW_OK;
	rc = tw_db_query(a, sql[SQL_TICKET], &t, TW_ARGS(TW_I(ticket_id)));
	if (rc != TW_OK)
		return rc;
	if (t->nrows == 0)
		return TW_ERR_NOTFOUND;
	if (tw_rows_int(t, 0, "ack_enabled", 0) == 0 ||
	    tw_rows_str(t, 0, "channel_email") == NULL)
		return TW_OK;
	if ((rc = may_send(a, to, &ok)) != TW_OK || !ok)
		return rc;

	memset(&m, 0, sizeof(m));
	m.to_addr = tw_arena_strdup(a, to);
	rc = compose(a, ticket_id, t, &m);
	if (rc == TW_ERR_INVALID)
		return TW_OK;
	if (rc != TW_OK)
		return rc;
	return tw_outbound_queue(&m);
}

enum tw_err
tw_ack_template_get(struct tw_arena *a, long long channel_id,
    struct tw_rows **out)
{
	enum tw_err	rc;

	rc = tw_db_query(a, sql[SQL_TEMPLATE_GET], out,
	    TW_ARGS(TW_I(channel_id)));
	if (rc == TW_OK && (*out)->nrows == 0)
		rc = TW_ERR_NOTFOUND;
	return rc;
}

enum tw_err
tw_ack_template_set(long long channel_id, int enabled, const char *subject,
    const char *body)
{
	return tw_db_exec(sql[SQL_TEMPLATE_SET], NULL, NULL, TW_ARGS(
	    TW_I(enabled != 0), TW_S(subject), TW_S(body),
	    TW_I(channel_id)));
}
