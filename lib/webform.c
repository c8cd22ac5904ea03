/*
 * webform.c: web forms, their keys and limits, and the tickets their
 * posts raise.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "ack.h"
#include "alert.h"
#include "arena.h"
#include "conf.h"
#include "contact.h"
#include "crypto.h"
#include "db.h"
#include "ticket.h"
#include "webform.h"

#define TIDY_BATCH	1000	/* posts one tidying statement deletes */

enum {
	SQL_LIST,
	SQL_GET,
	SQL_CHANNEL_EXISTS,
	SQL_INSERT,
	SQL_LOCK,
	SQL_UPDATE,
	SQL_REKEY,
	SQL_FIND,
	SQL_COUNTS,
	SQL_POST,
	SQL_ITEM,
	SQL_TIDY,
	SQL__MAX
};

#define FORM_COLUMNS \
	"SELECT f.id, f.name, f.channel_id, c.name AS channel, " \
	"f.public_key, f.thanks_url, f.active, " \
	"(SELECT COUNT(*) FROM web_form_posts p WHERE p.form_id = f.id " \
	"AND p.ticket_id IS NOT NULL) AS tickets, " \
	"(SELECT COUNT(*) FROM web_form_posts p WHERE p.form_id = f.id " \
	"AND p.honeypot = 1) AS trapped " \
	"FROM web_forms f JOIN channels c ON c.id = f.channel_id "

static const char *const sql[SQL__MAX] = {
	[SQL_LIST] =
	    FORM_COLUMNS "ORDER BY f.name, f.id",
	[SQL_GET] =
	    FORM_COLUMNS "WHERE f.id = ?",
	[SQL_CHANNEL_EXISTS] =
	    "SELECT 1 FROM channels WHERE id = ?",
	[SQL_INSERT] =
	    "INSERT INTO web_forms (name, channel_id, public_key, thanks_url, "
	    "active) VALUES (?, ?, ?, ?, ?)",
	[SQL_LOCK] =
	    "SELECT id FROM web_forms WHERE id = ? FOR UPDATE",
	[SQL_UPDATE] =
	    "UPDATE web_forms SET name = ?, channel_id = ?, thanks_url = ?, "
	    "active = ? WHERE id = ?",
	[SQL_REKEY] =
	    "UPDATE web_forms SET public_key = ? WHERE id = ?",
	[SQL_FIND] =
	    "SELECT id, name, channel_id, thanks_url FROM web_forms "
	    "WHERE public_key = ? AND active = 1",
	/* The form's posts of the last hour, and among them the address's;
	 * the waits are the seconds until the oldest of each stops
	 * counting. */
	[SQL_COUNTS] =
	    "SELECT COUNT(*) AS form_posts, "
	    "COALESCE(SUM(remote_addr = ?), 0) AS addr_posts, "
	    "TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(6) - INTERVAL 1 HOUR, "
	    "MIN(created_at)) + 1 AS form_wait, "
	    "TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(6) - INTERVAL 1 HOUR, "
	    "MIN(IF(remote_addr = ?, created_at, NULL))) + 1 AS addr_wait "
	    "FROM web_form_posts WHERE form_id = ? "
	    "AND created_at > UTC_TIMESTAMP(6) - INTERVAL 1 HOUR",
	[SQL_POST] =
	    "INSERT INTO web_form_posts (form_id, remote_addr, honeypot, "
	    "ticket_id) VALUES (?, LEFT(?, 45), ?, ?)",
	[SQL_ITEM] =
	    "INSERT INTO items (ticket_id, kind, visibility, body) "
	    "VALUES (?, 'web_form', 'customer', ?)",
	[SQL_TIDY] =
	    "DELETE FROM web_form_posts "
	    "WHERE created_at < UTC_TIMESTAMP(6) - INTERVAL 1 DAY LIMIT ?",
};

/* The characters RFC 3986 lets stand in a URL, less the quote marks. */
static int
url_char(char c)
{
	return c > ' ' && c < 0x7f && strchr("\"<>\\^`{|}", c) == NULL;
}

int
tw_webform_url_valid(const char *url)
{
	const char	*host, *p;
	size_t		 n;

	if (strncasecmp(url, "https://", 8) == 0)
		host = url + 8;
	else if (strncasecmp(url, "http://", 7) == 0)
		host = url + 7;
	else
		return 0;
	if (strlen(url) > TW_WEBFORM_URL_MAX)
		return 0;
	for (p = url; *p != '\0'; p++)
		if (!url_char(*p))
			return 0;

	/* A user name before the host ("https://bank@evil.example") would
	 * show one site and lead to another. */
	n = strcspn(host, "/?#");
	return n > 0 && memchr(host, '@', n) == NULL && *host != ':';
}

int
tw_webform_key_valid(const char *key)
{
	size_t	i;

	for (i = 0; i < TW_WEBFORM_KEY_HEX; i++)
		if (!((key[i] >= '0' && key[i] <= '9') ||
		    (key[i] >= 'a' && key[i] <= 'f')))
			return 0;
	return key[i] == '\0';
}

enum tw_err
tw_webform_list(struct tw_arena *a, struct tw_rows **out)
{
	return tw_db_query(a, sql[SQL_LIST], out, TW_NOARGS);
}

enum tw_err
tw_webform_get(struct tw_arena *a, long long id, struct tw_rows **out)
{
	enum tw_err	rc;

	rc = tw_db_query(a, sql[SQL_GET], out, TW_ARGS(TW_I(id)));
	if (rc == TW_OK && (*out)->nrows == 0)
		rc = TW_ERR_NOTFOUND;
	return rc;
}

/* 128 random bits as TW_WEBFORM_KEY_HEX hex digits, into key. */
static enum tw_err
new_key(char key[TW_TOKEN_HEX + 1])
{
	enum tw_err	rc;

	if ((rc = tw_token_new(key)) != TW_OK)
		return rc;
	key[TW_WEBFORM_KEY_HEX] = '\0';
	return TW_OK;
}

static enum tw_err
check_channel(struct tw_arena *a, long long channel_id)
{
	struct tw_rows	*r;
	enum tw_err	 rc;

	rc = tw_db_query(a, sql[SQL_CHANNEL_EXISTS], &r,
	    TW_ARGS(TW_I(channel_id)));
	if (rc == TW_OK && r->nrows == 0)
		rc = TW_ERR_INVALID;
	return rc;
}

static struct tw_dbarg
url_arg(const char *url)
{
	return *url != '\0' ? TW_S(url) : TW_NULLARG;
}

enum tw_err
tw_webform_add(struct tw_arena *a, const struct tw_webform_edit *in,
    long long *id)
{
	char			key[TW_TOKEN_HEX + 1];
	unsigned long long	row = 0;
	enum tw_err		rc;

	*id = 0;
	if ((rc = check_channel(a, in->channel_id)) != TW_OK ||
	    (rc = new_key(key)) != TW_OK)
		return rc;
	rc = tw_db_exec(sql[SQL_INSERT], NULL, &row, TW_ARGS(TW_S(in->name),
	    TW_I(in->channel_id), TW_S(key), url_arg(in->thanks_url),
	    TW_I(in->active != 0)));
	*id = (long long)row;
	return rc;
}

struct update {
	struct tw_arena			*arena;
	long long			 id;
	const struct tw_webform_edit	*in;
};

static enum tw_err
update_txn(void *ctx)
{
	struct update			*u = ctx;
	const struct tw_webform_edit	*in = u->in;
	struct tw_rows			*r;
	char				 key[TW_TOKEN_HEX + 1];
	enum tw_err			 rc;

	rc = tw_db_query(u->arena, sql[SQL_LOCK], &r, TW_ARGS(TW_I(u->id)));
	if (rc != TW_OK)
		return rc;
	if (r->nrows == 0)
		return TW_ERR_NOTFOUND;
	if ((rc = check_channel(u->arena, in->channel_id)) != TW_OK)
		return rc;

	rc = tw_db_exec(sql[SQL_UPDATE], NULL, NULL, TW_ARGS(TW_S(in->name),
	    TW_I(in->channel_id), url_arg(in->thanks_url),
	    TW_I(in->active != 0), TW_I(u->id)));
	if (rc != TW_OK || !in->new_key)
		return rc;
	if ((rc = new_key(key)) != TW_OK)
		return rc;
	return tw_db_exec(sql[SQL_REKEY], NULL, NULL,
	    TW_ARGS(TW_S(key), TW_I(u->id)));
}

enum tw_err
tw_webform_update(struct tw_arena *a, long long id,
    const struct tw_webform_edit *in)
{
	struct update	u = { a, id, in };

	return tw_db_txn(update_txn, &u);
}

enum tw_err
tw_webform_find(struct tw_arena *a, const char *key, struct tw_webform *out)
{
	struct tw_rows	*r;
	enum tw_err	 rc;

	memset(out, 0, sizeof(*out));
	if (!tw_webform_key_valid(key))
		return TW_ERR_NOTFOUND;
	rc = tw_db_query(a, sql[SQL_FIND], &r, TW_ARGS(TW_S(key)));
	if (rc != TW_OK)
		return rc;
	if (r->nrows == 0)
		return TW_ERR_NOTFOUND;

	out->id = tw_rows_int(r, 0, "id", 0);
	out->name = tw_rows_str(r, 0, "name");
	out->key = key;
	out->channel_id = tw_rows_int(r, 0, "channel_id", 0);
	out->thanks_url = tw_rows_str(r, 0, "thanks_url");
	return TW_OK;
}

enum tw_err
tw_webform_admit(struct tw_arena *a, const struct tw_webform *f,
    const char *addr, long *retry_after)
{
	long		 per_addr = tw_conf_int("forms", "per_address_hour", 5);
	long		 per_form = tw_conf_int("forms", "per_form_hour", 100);
	struct tw_rows	*r;
	enum tw_err	 rc;

	*retry_after = 0;
	rc = tw_db_query(a, sql[SQL_COUNTS], &r,
	    TW_ARGS(TW_S(addr), TW_S(addr), TW_I(f->id)));
	if (rc != TW_OK)
		return rc;
	if (tw_rows_int(r, 0, "addr_posts", 0) >= per_addr)
		*retry_after = tw_rows_int(r, 0, "addr_wait", 3600);
	else if (tw_rows_int(r, 0, "form_posts", 0) >= per_form)
		*retry_after = tw_rows_int(r, 0, "form_wait", 3600);
	else
		return TW_OK;
	if (*retry_after < 1)
		*retry_after = 1;
	return TW_ERR_THROTTLED;
}

enum tw_err
tw_webform_trap(const struct tw_webform *f, const char *addr)
{
	return tw_db_exec(sql[SQL_POST], NULL, NULL,
	    TW_ARGS(TW_I(f->id), TW_S(addr), TW_I(1), TW_NULLARG));
}

struct raise {
	struct tw_arena			*arena;
	const struct tw_webform		*form;
	const struct tw_webform_post	*post;
	long long			 ticket_id;
	long long			 item_id;
	long long			 number;
};

/*
 * What follows a ticket raised from a form, inside its transaction: the
 * watchers are alerted about the message, as for any new ticket, and
 * the customer gets the channel's acknowledgement of receipt, as for a
 * mail (within the same hourly limit per address).
 */
static enum tw_err
webform_raised(struct raise *r)
{
	enum tw_err	rc;

	if ((rc = tw_alert_item(r->arena, r->ticket_id, r->item_id, 0)) !=
	    TW_OK)
		return rc;
	return tw_ack_queue(r->arena, r->ticket_id, r->post->email);
}

static enum tw_err
raise_txn(void *ctx)
{
	struct raise			*r = ctx;
	const struct tw_webform_post	*p = r->post;
	unsigned long long		 item;
	long long			 contact, org;
	enum tw_err			 rc;

	if ((rc = tw_contact_match_email(r->arena, p->email, p->name, 1,
	    &contact, &org)) != TW_OK)
		return rc;
	if ((rc = tw_ticket_open_incoming(r->arena, TW_TICKET_WEB_FORM,
	    p->subject, r->form->channel_id, org, contact, &r->ticket_id,
	    &r->number)) != TW_OK)
		return rc;
	if ((rc = tw_db_exec(sql[SQL_ITEM], NULL, &item,
	    TW_ARGS(TW_I(r->ticket_id), TW_S(p->message)))) != TW_OK)
		return rc;
	r->item_id = (long long)item;

	if ((rc = tw_db_exec(sql[SQL_POST], NULL, NULL, TW_ARGS(
	    TW_I(r->form->id), TW_S(p->remote_addr), TW_I(0),
	    TW_I(r->ticket_id)))) != TW_OK)
		return rc;
	return webform_raised(r);
}

enum tw_err
tw_webform_raise(struct tw_arena *a, const struct tw_webform *f,
    const struct tw_webform_post *p, long long *number)
{
	struct raise	r = { a, f, p, 0, 0, 0 };
	enum tw_err	rc;

	rc = tw_db_txn(raise_txn, &r);
	*number = rc == TW_OK ? r.number : 0;
	return rc;
}

enum tw_err
tw_webform_tidy(struct tw_arena *a, int *more)
{
	unsigned long long	n = 0;
	enum tw_err		rc;

	(void)a;
	rc = tw_db_exec(sql[SQL_TIDY], &n, NULL, TW_ARGS(TW_I(TIDY_BATCH)));
	*more = rc == TW_OK && n == TIDY_BATCH;
	return rc;
}
