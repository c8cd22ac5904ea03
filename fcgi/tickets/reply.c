/*
 * reply.c: the ticket page's part in mail to the customer: the addresses a
 * mail item goes to, and the delivery state of each mail sent.
 */
#include "config.h"

#include <string.h>

#include <json-c/json.h>

#include "addrlist.h"
#include "arena.h"
#include "db.h"
#include "email.h"
#include "handlers.h"
#include "i18n.h"
#include "outbound.h"
#include "reply.h"
#include "request.h"
#include "ticket.h"
#include "valid.h"

/*
 * The copies of a reply: what the form's cc holds, less the address it
 * goes to.  Nothing is sent when one of them is no address.
 */
static enum tw_err
read_copies(struct tw_request *req, const char *to, const char **cc)
{
	struct tw_addrlist	 l = { .n = 0 };
	const char		*text, *bad;
	enum tw_err		 rc;

	*cc = NULL;
	if ((text = tw_req_field(req, "cc")) == NULL)
		return TW_OK;
	rc = tw_addrlist_parse(req->arena, text, &l, &bad);
	if (rc == TW_ERR_TOOBIG)
		return tw_fail(req, TW_ERR_INVALID, "cc",
		    tw_t(req->lang, "error_reply_cc_many"));
	if (rc != TW_OK)
		return tw_fail(req, TW_ERR_INVALID, "cc",
		    tw_arena_printf(req->arena, "%s %s",
		    tw_t(req->lang, "error_reply_cc"), bad));

	tw_addrlist_remove(&l, to);
	*cc = tw_addrlist_join(req->arena, &l);
	return TW_OK;
}

enum tw_err
reply_read(struct tw_request *req, long long number, struct tw_item_new *it)
{
	const char	*to, *def, *def_cc, *from;
	char		 norm[TW_EMAIL_MAX + 1];
	enum tw_err	 rc;

	if ((rc = tw_reply_defaults(req->arena, req->user, number, &def,
	    &def_cc, &from)) != TW_OK)
		return rc;
	if (from == NULL)
		return tw_fail(req, TW_ERR_INVALID, "kind",
		    tw_t(req->lang, "error_reply_no_channel_address"));

	if ((rc = tw_valid_email(req, "to", &to)) != TW_OK)
		return rc;
	if (*to == '\0')
		to = def;
	if (to == NULL)
		return tw_fail(req, TW_ERR_INVALID, "to",
		    tw_t(req->lang, "error_reply_to_missing"));

	/* What goes to an SMTP server must be an address it accepts. */
	if (tw_email_norm(to, norm) != TW_OK)
		return tw_fail(req, TW_ERR_INVALID, "to",
		    tw_t(req->lang, "error_reply_to"));
	it->to = tw_arena_strdup(req->arena, norm);
	if ((rc = read_copies(req, it->to, &it->cc)) != TW_OK)
		return rc;
	it->customer_visible = 1;
	return TW_OK;
}

/* One row of tw_outbound_of_ticket() as the page shows it. */
static struct json_object *
mail_view(struct tw_request *req, const struct tw_rows *r, size_t i)
{
	struct json_object	*o = tw_rows_json(r, i);
	const char		*state = tw_rows_str(r, i, "state");
	int			 waiting;

	waiting = strcmp(state, "queued") == 0 || strcmp(state, "sending") == 0;
	add_datetime(req, o, "next_attempt_at");
	add_datetime(req, o, "sent_at");
	json_object_object_add(o, "waiting", json_object_new_boolean(waiting));
	json_object_object_add(o, "sent",
	    json_object_new_boolean(strcmp(state, "sent") == 0));
	json_object_object_add(o, "failed",
	    json_object_new_boolean(strcmp(state, "failed") == 0));
	json_object_object_add(o, "tried", json_object_new_boolean(
	    tw_rows_int(r, i, "attempts", 0) > 0));
	json_object_object_add(o, "kind_label", json_object_new_string(
	    tw_t(req->lang, tw_arena_printf(req->arena, "mail_kind_%s",
	    tw_rows_str(r, i, "kind")))));
	return o;
}

/* The item object in items whose id is id, or NULL. */
static struct json_object *
item_with_id(struct json_object *items, long long id)
{
	struct json_object	*o, *v;
	size_t			 i, n = json_object_array_length(items);

	for (i = 0; i < n; i++) {
		o = json_object_array_get_idx(items, i);
		if (json_object_object_get_ex(o, "id", &v) &&
		    json_object_get_int64(v) == id)
			return o;
	}
	return NULL;
}

/* Adds "mails" to each item in items that has outgoing mail. */
static void
add_mails(struct tw_request *req, long long ticket_id,
    struct json_object *items)
{
	struct json_object	*item, *list;
	struct tw_rows		*r;
	size_t			 i;

	if (tw_outbound_of_ticket(req->arena, ticket_id, &r) != TW_OK)
		return;
	for (i = 0; i < r->nrows; i++) {
		item = item_with_id(items, tw_rows_int(r, i, "item_id", 0));
		if (item == NULL)
			continue;
		if (!json_object_object_get_ex(item, "mails", &list)) {
			list = json_object_new_array();
			json_object_object_add(item, "mails", list);
		}
		json_object_array_add(list, mail_view(req, r, i));
	}
}

void
reply_view(struct tw_request *req, struct json_object *m,
    const struct tw_rows *ticket, const struct tw_rows *items,
    struct json_object *list)
{
	struct json_object	*o = json_object_new_object();
	const char		*to, *cc, *from, *sent;

	if (tw_rows_int(ticket, 0, "any_mail", 1) != 0)
		add_mails(req, tw_rows_int(ticket, 0, "id", 0), list);
	if (tw_reply_defaults_of(req->arena, ticket, items, &to, &cc,
	    &from) != TW_OK)
		to = cc = from = NULL;

	/* A form that failed shows the addresses as they were typed. */
	if (req->fail_message != NULL && (sent = tw_req_field(req, "to")) !=
	    NULL)
		to = sent;
	if (req->fail_message != NULL && (sent = tw_req_field(req, "cc")) !=
	    NULL)
		cc = sent;
	json_object_object_add(o, "to", json_object_new_string(
	    to != NULL ? to : ""));
	json_object_object_add(o, "cc", json_object_new_string(
	    cc != NULL ? cc : ""));
	json_object_object_add(o, "from", from != NULL ?
	    json_object_new_string(from) : NULL);
	json_object_object_add(o, "possible",
	    json_object_new_boolean(from != NULL));
	json_object_object_add(m, "reply", o);
}
