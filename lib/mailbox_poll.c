/*
 * mailbox_poll.c: one turn of the "imap" task: claim a due mailbox,
 * take in its new messages one at a time, record how it went.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "conf.h"
#include "crypto.h"
#include "db.h"
#include "fault.h"
#include "imap.h"
#include "imap_parse.h"
#include "ingest.h"
#include "log.h"
#include "mail.h"
#include "mailbox.h"
#include "mailbox_poll.h"

#define TURN_MESSAGES	50			/* messages in one turn */
#define TURN_BYTES	(128 * 1024 * 1024)	/* fetched in one turn */
#define UIDS_MAX	10000			/* UIDs listed at once */

enum {
	SQL_DUE,
	SQL_CLAIM,
	SQL_LOAD,
	SQL_RESTART,
	SQL_TAKEN,
	SQL_FAILED,
	SQL_FAILURES,
	SQL_FINISH,
	SQL__MAX
};

static const char *const sql[SQL__MAX] = {
	[SQL_DUE] =
	    "SELECT id FROM mailboxes WHERE enabled = 1 "
	    "AND next_poll_at <= UTC_TIMESTAMP(6) AND (lease_until IS NULL "
	    "OR lease_until < UTC_TIMESTAMP(6)) ORDER BY next_poll_at LIMIT 1",
	/* Only one runner's update finds the lease free. */
	[SQL_CLAIM] =
	    "UPDATE mailboxes SET lease_owner = ?, "
	    "lease_until = UTC_TIMESTAMP(6) + INTERVAL ? SECOND "
	    "WHERE id = ? AND enabled = 1 AND (lease_until IS NULL "
	    "OR lease_until < UTC_TIMESTAMP(6))",
	[SQL_LOAD] =
	    "SELECT name, url, username, HEX(password_sealed) AS sealed, "
	    "channel_id, unknown_senders, poll_seconds, uidvalidity, "
	    "last_uid FROM mailboxes WHERE id = ? AND lease_owner = ?",
	[SQL_RESTART] =
	    "UPDATE mailboxes SET uidvalidity = ?, last_uid = 0 "
	    "WHERE id = ? AND lease_owner = ?",
	/* Also renews the lease: the turn is making progress. */
	[SQL_TAKEN] =
	    "UPDATE mailboxes SET last_uid = ?, taken = taken + ?, "
	    "dropped = dropped + ?, refused = refused + ?, "
	    "failed_uid = NULL, failures = 0, "
	    "lease_until = UTC_TIMESTAMP(6) + INTERVAL ? SECOND "
	    "WHERE id = ? AND lease_owner = ? AND last_uid < ?",
	/* failures counts the polls in a row that uid failed in. */
	[SQL_FAILED] =
	    "UPDATE mailboxes SET "
	    "failures = IF(failed_uid <=> ?, failures + 1, 1), "
	    "failed_uid = ? WHERE id = ? AND lease_owner = ?",
	[SQL_FAILURES] =
	    "SELECT failures FROM mailboxes WHERE id = ? AND lease_owner = ?",
	[SQL_FINISH] =
	    "UPDATE mailboxes SET last_poll_at = UTC_TIMESTAMP(6), "
	    "last_error = ?, last_error_at = IF(? IS NULL, NULL, "
	    "UTC_TIMESTAMP(6)), next_poll_at = UTC_TIMESTAMP(6) + "
	    "INTERVAL ? SECOND, lease_owner = NULL, lease_until = NULL "
	    "WHERE id = ? AND lease_owner = ?",
};

/* What happened to one message. */
enum outcome {
	TAKEN,		/* a ticket or an item */
	DROPPED,	/* known already, or our own */
	REFUSED		/* can never be taken in */
};

struct poll {
	struct tw_arena		*arena;
	long long		 id;
	char			 lease[33];
	long			 lease_seconds;
	const char		*name;
	struct tw_ingest_source	 src;
	long long		 poll_seconds;
	long long		 uidvalidity;	/* 0 when never seen */
	uint32_t		 last_uid;
	struct tw_imap		*imap;
	size_t			 fetched;	/* bytes this turn */
	long long		 counts[3];	/* by enum outcome */
	const char		*problem;	/* recorded on the mailbox */
	int			 waiting;	/* messages left for later */
	int			 lost;		/* the lease went to another */
};

/* Claims the mailbox due longest, if any: p->id stays 0 otherwise. */
static enum tw_err
claim(struct poll *p)
{
	char			 token[TW_TOKEN_HEX + 1];
	struct tw_rows		*r;
	unsigned long long	 n = 0;
	long long		 id;
	enum tw_err		 rc;

	if ((rc = tw_db_query(p->arena, sql[SQL_DUE], &r, TW_NOARGS)) !=
	    TW_OK || r->nrows == 0)
		return rc;
	id = tw_rows_int(r, 0, "id", 0);
	if ((rc = tw_token_new(token)) != TW_OK)
		return rc;
	memcpy(p->lease, token, 32);
	p->lease[32] = '\0';

	rc = tw_db_exec(sql[SQL_CLAIM], &n, NULL, TW_ARGS(TW_S(p->lease),
	    TW_I(p->lease_seconds), TW_I(id)));
	if (rc == TW_OK && n == 1)
		p->id = id;
	return rc;
}

/* Reads the claimed mailbox's row; fills the login for it. */
static enum tw_err
load(struct poll *p, struct tw_imap_url *url, struct tw_imap_login *login)
{
	struct tw_rows	*r;
	const char	*sealed_hex, *problem;
	unsigned char	*sealed;
	char		*password;
	int		 n;
	enum tw_err	 rc;

	if ((rc = tw_db_query(p->arena, sql[SQL_LOAD], &r, TW_ARGS(
	    TW_I(p->id), TW_S(p->lease)))) != TW_OK)
		return rc;
	if (r->nrows == 0) {
		p->lost = 1;
		return TW_OK;
	}
	p->name = tw_rows_str(r, 0, "name");
	p->src.channel_id = tw_rows_int(r, 0, "channel_id", 0);
	p->src.unknown = strcmp(tw_rows_str(r, 0, "unknown_senders"),
	    "unassigned") == 0 ? TW_INGEST_UNASSIGNED : TW_INGEST_BY_DOMAIN;
	p->poll_seconds = tw_rows_int(r, 0, "poll_seconds",
	    TW_MAILBOX_POLL_DEFAULT);
	p->uidvalidity = tw_rows_int(r, 0, "uidvalidity", 0);
	p->last_uid = (uint32_t)tw_rows_int(r, 0, "last_uid", 0);

	if (tw_imap_url_parse(p->arena, tw_rows_str(r, 0, "url"), url,
	    &problem) != TW_OK) {
		p->problem = "url";
		return TW_OK;
	}
	sealed_hex = tw_rows_str(r, 0, "sealed");
	sealed = tw_arena_alloc(p->arena, sealed_hex != NULL ?
	    strlen(sealed_hex) / 2 + 1 : 1);
	n = sealed_hex != NULL ? tw_hex_decode(sealed_hex, sealed,
	    strlen(sealed_hex) / 2) : -1;
	if (n < 0 || tw_mailbox_password(p->arena, p->id,
	    (const char *)sealed, (size_t)n, &password) != TW_OK) {
		p->problem = "key";
		return TW_OK;
	}

	login->url = url;
	login->user = tw_rows_str(r, 0, "username");
	login->password = password;
	login->ca_file = tw_conf_str("mail", "ca_file", "");
	login->timeout = tw_conf_int("mail", "timeout_seconds", 60);
	return TW_OK;
}

/* Moves the mailbox past uid, counting what happened to it. */
static enum tw_err
record(struct poll *p, uint32_t uid, enum outcome what)
{
	unsigned long long	n = 0;
	enum tw_err		rc;

	rc = tw_db_exec(sql[SQL_TAKEN], &n, NULL, TW_ARGS(TW_I(uid),
	    TW_I(what == TAKEN), TW_I(what == DROPPED), TW_I(what == REFUSED),
	    TW_I(p->lease_seconds), TW_I(p->id), TW_S(p->lease), TW_I(uid)));
	if (rc != TW_OK)
		return rc;
	if (n != 1) {
		tw_log(TW_LOG_WARN, "mailbox_lease_lost", "mailbox", p->name,
		    (char *)NULL);
		p->lost = 1;
		return TW_OK;
	}
	p->last_uid = uid;
	p->counts[what]++;
	return TW_OK;
}

static void
log_message(struct poll *p, uint32_t uid, enum tw_log_level level,
    const char *result, long long ticket)
{
	char	u[16], t[24];

	snprintf(u, sizeof(u), "%lu", (unsigned long)uid);
	snprintf(t, sizeof(t), "%lld", ticket);
	tw_log(level, "mail_ingested", "mailbox", p->name, "uid", u,
	    "ticket", t, "result", result, (char *)NULL);
}

/* A message that can never be taken in: passed over, left unmarked. */
static enum tw_err
refuse(struct poll *p, uint32_t uid, const char *why)
{
	log_message(p, uid, TW_LOG_WARN, why, 0);
	return record(p, uid, REFUSED);
}

/*
 * A message that could not be stored, for a reason that may pass (the
 * database away) or may not (a value the database refuses each time).
 * It is tried again at the next poll; after [mail] attempts_max polls in
 * a row it is passed over like a message that is no message.
 */
static enum tw_err
failed(struct poll *p, uint32_t uid, enum tw_err why)
{
	struct tw_rows	*r;
	long		 max = tw_conf_int("mail", "attempts_max", 3);
	enum tw_err	 rc;

	log_message(p, uid, TW_LOG_ERROR, tw_err_str(why), 0);
	p->problem = "store";
	if (why == TW_ERR_UNAVAILABLE)
		return TW_OK;
	if ((rc = tw_db_exec(sql[SQL_FAILED], NULL, NULL, TW_ARGS(TW_I(uid),
	    TW_I(uid), TW_I(p->id), TW_S(p->lease)))) != TW_OK ||
	    (rc = tw_db_query(p->arena, sql[SQL_FAILURES], &r, TW_ARGS(
	    TW_I(p->id), TW_S(p->lease)))) != TW_OK || r->nrows == 0)
		return rc;
	if (tw_rows_int(r, 0, "failures", 0) < max)
		return TW_OK;
	p->problem = NULL;
	return refuse(p, uid, "failed again and again");
}

/* Takes the fetched message in; records and marks it once committed. */
static enum tw_err
ingest(struct poll *p, uint32_t uid, const char *raw, size_t len)
{
	struct tw_ingest_result	res;
	enum tw_err		rc;

	rc = tw_ingest_from(p->arena, raw, len, &p->src, &res);
	if (rc == TW_ERR_INVALID || rc == TW_ERR_TOOBIG)
		return refuse(p, uid, rc == TW_ERR_INVALID ? "not a message" :
		    "too large");
	if (rc != TW_OK)
		return failed(p, uid, rc);
	tw_fault_point("after_commit");

	log_message(p, uid, TW_LOG_INFO, res.duplicate ? "duplicate" :
	    res.own ? "own" : res.created ? "created" : "added", res.number);
	if ((rc = record(p, uid, res.duplicate || res.own ? DROPPED :
	    TAKEN)) != TW_OK || p->lost)
		return rc;
	if (tw_imap_mark_seen(p->imap, uid) != TW_OK)
		p->problem = tw_imap_problem(p->imap);
	return TW_OK;
}

/* One message: its size, its bytes, then in it goes. */
static enum tw_err
take_message(struct poll *p, uint32_t uid, size_t max)
{
	long long	size;
	char		*raw;
	size_t		 len;
	enum tw_err	 rc;

	rc = tw_imap_size(p->imap, uid, &size);
	if (rc == TW_OK && size > (long long)max)
		return refuse(p, uid, "too large");
	if (rc == TW_OK)
		rc = tw_imap_fetch(p->imap, uid, max, &raw, &len);
	if (rc == TW_ERR_NOTFOUND)
		return record(p, uid, DROPPED);		/* gone meanwhile */
	if (rc == TW_ERR_TOOBIG)
		return refuse(p, uid, "too large");
	if (rc != TW_OK) {
		p->problem = tw_imap_problem(p->imap);
		return TW_OK;
	}
	tw_fault_point("after_fetch");

	p->fetched += len;
	rc = ingest(p, uid, raw, len);
	free(raw);
	return rc;
}

/*
 * The folder's UIDVALIDITY against the one stored: a new one means the
 * UIDs we know name other messages now, so the mailbox starts over.
 */
static enum tw_err
check_uidvalidity(struct poll *p, uint32_t uidvalidity)
{
	unsigned long long	n = 0;
	char			old[24], now[24];
	enum tw_err		rc;

	if (p->uidvalidity == (long long)uidvalidity)
		return TW_OK;
	rc = tw_db_exec(sql[SQL_RESTART], &n, NULL, TW_ARGS(TW_I(uidvalidity),
	    TW_I(p->id), TW_S(p->lease)));
	if (rc != TW_OK || n != 1) {
		p->lost = rc == TW_OK;
		return rc;
	}
	if (p->uidvalidity != 0) {
		snprintf(old, sizeof(old), "%lld", p->uidvalidity);
		snprintf(now, sizeof(now), "%lu", (unsigned long)uidvalidity);
		tw_log(TW_LOG_WARN, "mailbox_restarted", "mailbox", p->name,
		    "uidvalidity_was", old, "uidvalidity", now, (char *)NULL);
	}
	p->uidvalidity = uidvalidity;
	p->last_uid = 0;
	return TW_OK;
}

/* The largest message this runner takes ([mail] message_max). */
static size_t
message_max(void)
{
	long	max = tw_conf_int("mail", "message_max", TW_MAIL_MAX);

	return max > 0 && max < TW_MAIL_MAX ? (size_t)max : TW_MAIL_MAX;
}

/* Logs in, lists what is new and takes it in, as far as this turn goes. */
static enum tw_err
poll_folder(struct poll *p, const struct tw_imap_login *login)
{
	uint32_t	*uids, uidvalidity;
	size_t		 i, n, max = message_max();
	enum tw_err	 rc;

	if (tw_imap_open(login, &p->imap, &p->problem) != TW_OK)
		return TW_OK;
	if (tw_imap_select(p->imap, login->url->folder, &uidvalidity) !=
	    TW_OK) {
		p->problem = tw_imap_problem(p->imap);
		return TW_OK;
	}
	if ((rc = check_uidvalidity(p, uidvalidity)) != TW_OK || p->lost)
		return rc;

	uids = tw_arena_calloc(p->arena, UIDS_MAX, sizeof(*uids));
	if (tw_imap_uids_after(p->imap, p->last_uid, uids, UIDS_MAX, &n) !=
	    TW_OK) {
		p->problem = tw_imap_problem(p->imap);
		return TW_OK;
	}
	for (i = 0; i < n; i++) {
		if (i == TURN_MESSAGES || p->fetched > TURN_BYTES) {
			p->waiting = 1;
			break;
		}
		if ((rc = take_message(p, uids[i], max)) != TW_OK ||
		    p->problem != NULL || p->lost)
			return rc;
	}
	p->waiting |= n == UIDS_MAX;
	return TW_OK;
}

/* Writes how the poll went and gives the lease back. */
static enum tw_err
finish(struct poll *p)
{
	char		taken[24], dropped[24], refused[24];
	long long	delay = p->poll_seconds;

	if (p->waiting && p->problem == NULL)
		delay = 0;
	snprintf(taken, sizeof(taken), "%lld", p->counts[TAKEN]);
	snprintf(dropped, sizeof(dropped), "%lld", p->counts[DROPPED]);
	snprintf(refused, sizeof(refused), "%lld", p->counts[REFUSED]);
	tw_log(p->problem != NULL ? TW_LOG_WARN : TW_LOG_INFO,
	    "mailbox_polled", "mailbox", p->name, "taken", taken, "dropped",
	    dropped, "refused", refused, "problem", p->problem, (char *)NULL);

	return tw_db_exec(sql[SQL_FINISH], NULL, NULL, TW_ARGS(
	    TW_S(p->problem), TW_S(p->problem), TW_I(delay), TW_I(p->id),
	    TW_S(p->lease)));
}

enum tw_err
tw_mailbox_poll(struct tw_arena *a, int *more)
{
	struct poll		p;
	struct tw_imap_url	url;
	struct tw_imap_login	login;
	enum tw_err		rc;

	*more = 0;
	memset(&p, 0, sizeof(p));
	p.arena = a;
	p.lease_seconds = tw_conf_int("mail", "lease_seconds", 300);
	if (p.lease_seconds < 10)
		p.lease_seconds = 10;
	if ((rc = claim(&p)) != TW_OK || p.id == 0)
		return rc;
	*more = 1;

	memset(&login, 0, sizeof(login));
	rc = load(&p, &url, &login);
	if (rc == TW_OK && !p.lost && p.problem == NULL)
		rc = poll_folder(&p, &login);
	tw_imap_close(p.imap);
	if (rc != TW_OK || p.lost)
		return rc;
	return finish(&p);
}
