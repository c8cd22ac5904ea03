/*
 * mailbox.c: the mailboxes table for the administration, and the sealed
 * passwords in it.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "conf.h"
#include "db.h"
#include "log.h"
#include "mailbox.h"
#include "secret.h"

enum {
	SQL_LIST,
	SQL_GET,
	SQL_CHANNEL,
	SQL_ADD,
	SQL_UPDATE,
	SQL_SEAL,
	SQL_ENABLE,
	SQL_DELETE,
	SQL__MAX
};

#define COLUMNS \
	"SELECT m.id, m.name, m.url, m.username, m.channel_id, " \
	"c.name AS channel, m.poll_seconds, m.unknown_senders, m.enabled, " \
	"m.password_sealed IS NOT NULL AS has_password, m.last_poll_at, " \
	"m.last_error, m.last_error_at, m.taken, m.dropped, m.refused " \
	"FROM mailboxes m JOIN channels c ON c.id = m.channel_id "

static const char *const sql[SQL__MAX] = {
	[SQL_LIST] = COLUMNS "ORDER BY m.name",
	[SQL_GET] = COLUMNS "WHERE m.id = ?",
	[SQL_CHANNEL] =
	    "SELECT id FROM channels WHERE id = ?",
	[SQL_ADD] =
	    "INSERT INTO mailboxes (name, url, username, channel_id, "
	    "poll_seconds, unknown_senders, enabled) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?)",
	/* Progress is reset before the URL and user name change, as
	 * assignments see the values of those to their left. */
	[SQL_UPDATE] =
	    "UPDATE mailboxes SET "
	    "last_uid = IF(url = ? AND username = ?, last_uid, 0), "
	    "uidvalidity = IF(url = ? AND username = ?, uidvalidity, NULL), "
	    "name = ?, url = ?, username = ?, channel_id = ?, "
	    "poll_seconds = ?, unknown_senders = ?, enabled = ?, "
	    "next_poll_at = UTC_TIMESTAMP(6) WHERE id = ?",
	[SQL_SEAL] =
	    "UPDATE mailboxes SET password_sealed = ? WHERE id = ?",
	[SQL_ENABLE] =
	    "UPDATE mailboxes SET enabled = ?, "
	    "next_poll_at = UTC_TIMESTAMP(6) WHERE id = ?",
	[SQL_DELETE] =
	    "DELETE FROM mailboxes WHERE id = ?",
};

/* The label a mailbox's sealed password is bound to. */
static void
owner_label(long long id, char *out, size_t n)
{
	snprintf(out, n, "mailbox:%lld", id);
}

enum tw_err
tw_mailbox_key(unsigned char key[TW_SECRET_KEY_LEN])
{
	if (tw_secret_key(tw_conf_str("mail", "key", ""), key) != TW_OK) {
		tw_log_fail("mail_key", "[mail] key must be 64 hex digits, "
		    "not all zero");
		return TW_ERR_UNAVAILABLE;
	}
	return TW_OK;
}

enum tw_err
tw_mailbox_password(struct tw_arena *a, long long id, const char *sealed,
    size_t len, char **password)
{
	unsigned char	key[TW_SECRET_KEY_LEN];
	char		owner[32];
	size_t		n;
	enum tw_err	rc;

	if ((rc = tw_mailbox_key(key)) != TW_OK)
		return rc;
	owner_label(id, owner, sizeof(owner));
	rc = tw_secret_open(a, key, owner, (const unsigned char *)sealed, len,
	    password, &n);
	memset(key, 0, sizeof(key));
	return rc == TW_ERR_INVALID ? TW_ERR_FORBIDDEN : rc;
}

enum tw_err
tw_mailbox_list(struct tw_arena *a, struct tw_rows **out)
{
	return tw_db_query(a, sql[SQL_LIST], out, TW_NOARGS);
}

enum tw_err
tw_mailbox_get(struct tw_arena *a, long long id, struct tw_rows **out)
{
	enum tw_err	rc;

	if ((rc = tw_db_query(a, sql[SQL_GET], out,
	    TW_ARGS(TW_I(id)))) != TW_OK)
		return rc;
	return (*out)->nrows == 1 ? TW_OK : TW_ERR_NOTFOUND;
}

struct write {
	struct tw_arena			*arena;
	const struct tw_mailbox_edit	*e;
	long long			 id;	/* 0: a new mailbox */
	unsigned char			 key[TW_SECRET_KEY_LEN];
};

/* Seals the form's password for the mailbox, if it brought one. */
static enum tw_err
seal_password(struct write *w)
{
	unsigned char		*sealed;
	size_t			 len;
	char			 owner[32];
	unsigned long long	 n;
	enum tw_err		 rc;

	if (w->e->password == NULL || *w->e->password == '\0')
		return TW_OK;
	owner_label(w->id, owner, sizeof(owner));
	if ((rc = tw_secret_seal(w->arena, w->key, owner, w->e->password,
	    strlen(w->e->password), &sealed, &len)) != TW_OK)
		return rc;
	rc = tw_db_exec(sql[SQL_SEAL], &n, NULL, TW_ARGS(
	    TW_SN((const char *)sealed, len), TW_I(w->id)));
	return rc;
}

static enum tw_err
write_txn(void *ctx)
{
	struct write			*w = ctx;
	const struct tw_mailbox_edit	*e = w->e;
	struct tw_rows			*r;
	unsigned long long		 id, n;
	enum tw_err			 rc;

	if ((rc = tw_db_query(w->arena, sql[SQL_CHANNEL], &r,
	    TW_ARGS(TW_I(e->channel_id)))) != TW_OK)
		return rc;
	if (r->nrows == 0)
		return TW_ERR_NOTFOUND;

	if (w->id == 0) {
		rc = tw_db_exec(sql[SQL_ADD], NULL, &id, TW_ARGS(
		    TW_S(e->name), TW_S(e->url), TW_S(e->username),
		    TW_I(e->channel_id), TW_I(e->poll_seconds),
		    TW_S(e->unknown_senders), TW_I(e->enabled ? 1 : 0)));
		if (rc != TW_OK)
			return rc;
		w->id = (long long)id;
	} else {
		rc = tw_db_exec(sql[SQL_UPDATE], &n, NULL, TW_ARGS(
		    TW_S(e->url), TW_S(e->username), TW_S(e->url),
		    TW_S(e->username), TW_S(e->name), TW_S(e->url),
		    TW_S(e->username), TW_I(e->channel_id),
		    TW_I(e->poll_seconds), TW_S(e->unknown_senders),
		    TW_I(e->enabled ? 1 : 0), TW_I(w->id)));
		if (rc != TW_OK)
			return rc;
	}
	return seal_password(w);
}

/* Adds (id 0) or changes a mailbox in one transaction. */
static enum tw_err
write_mailbox(struct tw_arena *a, long long id,
    const struct tw_mailbox_edit *e, long long *out)
{
	struct write	w;
	struct tw_rows	*r;
	enum tw_err	 rc;

	memset(&w, 0, sizeof(w));
	w.arena = a;
	w.e = e;
	w.id = id;
	if ((rc = tw_mailbox_key(w.key)) != TW_OK)
		return rc;
	if (id != 0 && (rc = tw_mailbox_get(a, id, &r)) != TW_OK)
		return rc;

	rc = tw_db_txn(write_txn, &w);
	memset(w.key, 0, sizeof(w.key));
	if (rc == TW_OK && out != NULL)
		*out = w.id;
	return rc;
}

enum tw_err
tw_mailbox_add(struct tw_arena *a, const struct tw_mailbox_edit *e,
    long long *id)
{
	return write_mailbox(a, 0, e, id);
}

enum tw_err
tw_mailbox_update(struct tw_arena *a, long long id,
    const struct tw_mailbox_edit *e)
{
	return write_mailbox(a, id, e, NULL);
}

/* Runs a one-row change of mailbox id; TW_ERR_NOTFOUND when no row. */
static enum tw_err
change_one(int which, size_t nargs, const struct tw_dbarg *args)
{
	unsigned long long	n = 0;
	enum tw_err		rc;

	if ((rc = tw_db_exec(sql[which], &n, NULL, nargs, args)) != TW_OK)
		return rc;
	return n == 1 ? TW_OK : TW_ERR_NOTFOUND;
}

enum tw_err
tw_mailbox_enable(long long id, int enabled)
{
	return change_one(SQL_ENABLE, TW_ARGS(TW_I(enabled ? 1 : 0),
	    TW_I(id)));
}

enum tw_err
tw_mailbox_delete(long long id)
{
	return change_one(SQL_DELETE, TW_ARGS(TW_I(id)));
}
