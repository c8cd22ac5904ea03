/*
 * mail.c: POST /mail?channel=NAME, the HTTP feeder of the mail intake.
 *
 * The body is one raw message (Content-Type message/rfc822) for the
 * channel; it goes through tw_ingest() like a message from the mailgate
 * or the IMAP poller.  Only API clients may send: the bearer token of an
 * agent who handles the channel, or of an administrator.  The answer
 * tells a sender what to do next: 201 for a new item, 200 when the
 * message was there already or is our own (nothing to send again), 4xx
 * when sending it again cannot help, 503 when it can.
 */
#include "config.h"

#include <stdio.h>

#include <json-c/json.h>

#include "arena.h"
#include "channel.h"
#include "handlers.h"
#include "i18n.h"
#include "ingest.h"
#include "log.h"
#include "mail.h"
#include "request.h"
#include "response.h"
#include "valid.h"
#include "view.h"

/* Seconds a sender should wait before it tries again after a 503. */
#define RETRY_AFTER	"60"

/* The channel named in the query, if the user may take mail into it. */
static enum tw_err
read_channel(struct tw_request *req, long long *id)
{
	const char	*name;
	enum tw_err	 rc;

	if ((rc = tw_valid_text(req, "channel", 1, 100, TW_TEXT_LINE,
	    &name)) != TW_OK)
		return rc;
	rc = tw_ingest_channel(req->arena, name, id);
	if (rc == TW_OK && !req->user->is_admin)
		rc = tw_channel_check_handles(req->arena, req->user->id, *id);
	if (rc == TW_ERR_NOTFOUND)
		return tw_fail(req, rc, "channel",
		    tw_t(req->lang, "mail_channel_unknown"));
	return rc;
}

/*
 * The code to answer a failed ingestion with: whatever a later attempt
 * may get past (the database, a deadlock, the disk) becomes 503 with
 * Retry-After, since nothing was stored; the rest stands.
 */
static enum tw_err
refused(struct tw_request *req, enum tw_err rc)
{
	switch (rc) {
	case TW_ERR_DB:
	case TW_ERR_DEADLOCK:
	case TW_ERR_CONFLICT:
	case TW_ERR_UNAVAILABLE:
	case TW_ERR_IO:
		tw_fail(req, rc, NULL, tw_err_str(rc));
		tw_resp_header(req, "Retry-After", RETRY_AFTER);
		return TW_ERR_UNAVAILABLE;
	default:
		return rc;
	}
}

static enum tw_err
answer(struct tw_request *req, const struct tw_ingest_result *res)
{
	struct json_object	*m = json_object_new_object();
	int			 stored = !res->duplicate && !res->own;

	json_object_object_add(m, "result",
	    json_object_new_string(tw_ingest_result_name(res)));
	if (res->number > 0)
		json_object_object_add(m, "ticket",
		    json_object_new_int64(res->number));
	if (stored) {
		json_object_object_add(m, "item",
		    json_object_new_int64(res->item_id));
		json_object_object_add(m, "reopened",
		    json_object_new_boolean(res->reopened));
		tw_resp_header(req, "Location", tw_arena_printf(req->arena,
		    "/tickets/%lld#item-%lld", res->number, res->item_id));
	}
	json_object_object_add(m, "auto_reply",
	    json_object_new_boolean(res->auto_reply));
	return tw_view(req, stored ? 201 : 200, "mail", m);
}

enum tw_err
mail_receive(struct tw_request *req)
{
	struct tw_ingest_result	 res;
	const char		*raw;
	char			 num[24];
	size_t			 len;
	long long		 channel;
	enum tw_err		 rc;

	if (!req->via_api_token)
		return tw_fail(req, TW_ERR_UNAUTH, NULL,
		    tw_t(req->lang, "mail_token_needed"));
	if ((rc = read_channel(req, &channel)) != TW_OK)
		return rc;
	if (!tw_req_is_type(req, "message/rfc822"))
		return tw_fail(req, TW_ERR_MEDIATYPE, NULL,
		    tw_t(req->lang, "mail_wrong_type"));
	if ((rc = tw_request_raw_body(req, TW_MAIL_MAX, &raw, &len)) != TW_OK)
		return rc;
	if (!tw_mail_has_header(raw, len))
		return tw_fail(req, TW_ERR_INVALID, NULL,
		    tw_t(req->lang, "mail_not_a_message"));

	rc = tw_ingest(req->arena, raw, len, channel, &res);
	snprintf(num, sizeof(num), "%lld", rc == TW_OK ? res.number : 0);
	tw_log(rc == TW_OK ? TW_LOG_INFO : TW_LOG_WARN, "mail_ingested",
	    "req", req->id, "channel", tw_req_param(req, "channel"),
	    "ticket", num, "result", rc == TW_OK ?
	    tw_ingest_result_name(&res) : tw_err_str(rc),
	    "auto", rc == TW_OK && res.auto_reply ? "1" : "0",
	    "by", req->user->login, (char *)NULL);
	if (rc != TW_OK)
		return refused(req, rc);
	return answer(req, &res);
}
