/*
 * alert.c: alerting watchers and queueing their mail.
 */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "alert.h"
#include "buf.h"
#include "conf.h"
#include "db.h"
#include "i18n.h"
#include "watch.h"

enum {
	SQL_WATCHED,
	SQL_INSERT,
	SQL_ITEM,
	SQL_RECIPIENTS,
	SQL_MAIL,
	SQL_COUNTS,
	SQL_LIST,
	SQL_READ_ONE,
	SQL_READ_ALL,
	SQL_MINE,
	SQL_MAIL_GET,
	SQL_MAIL_SET,
	SQL_FORGET_CHANNEL,
	SQL_FORGET_TICKET,
	SQL__MAX
};

/* The navigation's counts, for one user or as columns beside users u. */
#define COUNT_COLUMNS(user1, user2) \
    "(SELECT COUNT(*) FROM alerts " \
    "WHERE user_id =" user1 "AND read_at IS NULL) AS alerts_unread, " \
    "(SELECT COUNT(*) FROM reminders " \
    "WHERE user_id =" user2 "AND due_at <= UTC_TIMESTAMP(6)) AS alerts_due"

static const char *const sql[SQL__MAX] = {
	[SQL_WATCHED] =
	    "SELECT EXISTS (SELECT 1 FROM ticket_watchers "
	    "WHERE ticket_id = ?) AS watched",
	/* Agents watching directly and members of watching channels, once
	 * each, if they may see the ticket, and not the author. */
	[SQL_INSERT] =
	    "INSERT INTO alerts (user_id, ticket_id, item_id) "
	    "SELECT w.user_id, t.id, ? FROM ("
	    "SELECT user_id FROM ticket_watchers "
	    "WHERE ticket_id = ? AND user_id IS NOT NULL "
	    "UNION SELECT m.user_id FROM ticket_watchers cw "
	    "JOIN channel_members m ON m.channel_id = cw.channel_id "
	    "WHERE cw.ticket_id = ? AND cw.channel_id IS NOT NULL) AS w "
	    "JOIN tickets t ON t.id = ? "
	    "JOIN channel_members v ON v.channel_id = t.channel_id "
	    "AND v.user_id = w.user_id "
	    "JOIN users u ON u.id = w.user_id AND u.active = 1 "
	    "WHERE w.user_id <> ?",
	[SQL_ITEM] =
	    "SELECT t.number, t.subject, c.name AS channel, i.body, "
	    "u.name AS author FROM items i "
	    "JOIN tickets t ON t.id = i.ticket_id "
	    "JOIN channels c ON c.id = t.channel_id "
	    "LEFT JOIN users u ON u.id = i.author_id WHERE i.id = ?",
	[SQL_RECIPIENTS] =
	    "SELECT a.id, u.email, u.lang FROM alerts a "
	    "JOIN users u ON u.id = a.user_id "
	    "WHERE a.item_id = ? AND u.notify_email = 1 "
	    "AND u.email IS NOT NULL AND u.email <> ''",
	[SQL_MAIL] =
	    "INSERT INTO outbound_mail (to_address, subject, body_text, "
	    "message_id, ticket_id, item_id) VALUES (?, ?, ?, ?, ?, ?)",
	/* Alerts on tickets an agent can no longer see are marked read
	 * when that happens (SQL_FORGET_*), so this count agrees with the
	 * list, which hides them. */
	[SQL_COUNTS] = "SELECT " COUNT_COLUMNS(" ? ", " ? "),
	/* alerts_recent walks one agent's alerts newest first and stops
	 * after a page, where small tables tempt the optimiser to sort. */
	[SQL_LIST] =
	    "SELECT a.id, t.number, t.subject, a.item_id, "
	    "u.name AS author, i.kind, a.created_at, "
	    "a.read_at IS NULL AS unread "
	    "FROM alerts a FORCE INDEX (alerts_recent) "
	    "JOIN tickets t ON t.id = a.ticket_id "
	    "JOIN channel_members m ON m.channel_id = t.channel_id "
	    "AND m.user_id = a.user_id "
	    "JOIN items i ON i.id = a.item_id "
	    "LEFT JOIN users u ON u.id = i.author_id "
	    "WHERE a.user_id = ? ORDER BY a.id DESC LIMIT ?",
	[SQL_READ_ONE] =
	    "UPDATE alerts SET read_at = UTC_TIMESTAMP(6) "
	    "WHERE id = ? AND user_id = ? AND read_at IS NULL",
	[SQL_READ_ALL] =
	    "UPDATE alerts SET read_at = UTC_TIMESTAMP(6) "
	    "WHERE user_id = ? AND read_at IS NULL",
	[SQL_MINE] =
	    "SELECT 1 FROM alerts WHERE id = ? AND user_id = ?",
	[SQL_MAIL_GET] =
	    "SELECT notify_email FROM users WHERE id = ?",
	[SQL_MAIL_SET] =
	    "UPDATE users SET notify_email = ? WHERE id = ?",
	[SQL_FORGET_CHANNEL] =
	    "UPDATE alerts a JOIN tickets t ON t.id = a.ticket_id "
	    "SET a.read_at = UTC_TIMESTAMP(6) "
	    "WHERE a.user_id = ? AND t.channel_id = ? AND a.read_at IS NULL",
	[SQL_FORGET_TICKET] =
	    "UPDATE alerts a JOIN tickets t ON t.id = a.ticket_id "
	    "LEFT JOIN channel_members m ON m.channel_id = t.channel_id "
	    "AND m.user_id = a.user_id SET a.read_at = UTC_TIMESTAMP(6) "
	    "WHERE a.ticket_id = ? AND a.read_at IS NULL "
	    "AND m.user_id IS NULL",
};

const char *
tw_alert_link(struct tw_arena *a, long long number, long long item_id)
{
	if (item_id > 0)
		return tw_conf_url(a, tw_arena_printf(a,
		    "/tickets/%lld#item-%lld", number, item_id));
	return tw_conf_url(a, tw_arena_printf(a, "/tickets/%lld", number));
}

const char *
tw_alert_host(struct tw_arena *a)
{
	const char	*base = tw_conf_str("http", "public_url", "");
	const char	*p = strstr(base, "://");
	size_t		 n;

	if (p == NULL || p[3] == '\0')
		return "ticketwerk.invalid";
	p += 3;
	n = strcspn(p, ":/");
	return n > 0 ? tw_arena_strndup(a, p, n) : "ticketwerk.invalid";
}

/* The text of an alert mail in lang, for the item row it. */
static const char *
mail_body(struct tw_arena *a, const char *lang, const struct tw_rows *it,
    long long item_id)
{
	struct tw_buf	 b;
	const char	*author = tw_rows_str(it, 0, "author");
	long long	 number = tw_rows_int(it, 0, "number", 0);

	tw_buf_init(&b, a);
	tw_buf_printf(&b, "%s #%lld: %s\n", tw_t(lang, "alert_mail_intro"),
	    number, tw_rows_str(it, 0, "subject"));
	tw_buf_printf(&b, "%s: %s\n", tw_t(lang, "alert_mail_author"),
	    author != NULL ? author : tw_t(lang, "alert_system"));
	tw_buf_printf(&b, "%s: %s\n\n", tw_t(lang, "col_channel"),
	    tw_rows_str(it, 0, "channel"));
	tw_buf_puts(&b, tw_rows_str(it, 0, "body"));
	tw_buf_printf(&b, "\n\n%s\n\n-- \n%s\n",
	    tw_alert_link(a, number, item_id), tw_t(lang, "alert_mail_why"));
	return b.data;
}

/* Queues one mail per alerted agent who wants mail and has an address. */
static enum tw_err
queue_mail(struct tw_arena *a, long long ticket_id, long long item_id)
{
	struct tw_rows	*it, *to;
	const char	*lang, *subject, *host;
	size_t		 i;
	enum tw_err	 rc;

	rc = tw_db_query(a, sql[SQL_RECIPIENTS], &to,
	    TW_ARGS(TW_I(item_id)));
	if (rc != TW_OK || to->nrows == 0)
		return rc;
	rc = tw_db_query(a, sql[SQL_ITEM], &it, TW_ARGS(TW_I(item_id)));
	if (rc != TW_OK)
		return rc;
	if (it->nrows == 0)
		return TW_ERR_NOTFOUND;

	subject = tw_arena_printf(a, "[#%s] %s", tw_rows_str(it, 0, "number"),
	    tw_rows_str(it, 0, "subject"));
	host = tw_alert_host(a);
	for (i = 0; i < to->nrows; i++) {
		lang = tw_i18n_pick(tw_rows_str(to, i, "lang"), NULL);
		rc = tw_db_exec(sql[SQL_MAIL], NULL, NULL, TW_ARGS(
		    TW_S(tw_rows_str(to, i, "email")), TW_S(subject),
		    TW_S(mail_body(a, lang, it, item_id)),
		    TW_S(tw_arena_printf(a, "<alert-%s@%s>",
		    tw_rows_str(to, i, "id"), host)),
		    TW_I(ticket_id), TW_I(item_id)));
		if (rc != TW_OK)
			return rc;
	}
	return TW_OK;
}

enum tw_err
tw_alert_item(struct tw_arena *a, long long ticket_id, long long item_id,
    long long author_id)
{
	struct tw_rows		*r;
	unsigned long long	 n = 0;
	enum tw_err		 rc;

	/* Most tickets new to the intake have no watchers yet; a look at
	 * the index costs a fraction of the insert's join. */
	rc = tw_db_query(a, sql[SQL_WATCHED], &r, TW_ARGS(TW_I(ticket_id)));
	if (rc != TW_OK || tw_rows_int(r, 0, "watched", 0) == 0)
		return rc;
	rc = tw_db_exec(sql[SQL_INSERT], &n, NULL, TW_ARGS(TW_I(item_id),
	    TW_I(ticket_id), TW_I(ticket_id), TW_I(ticket_id),
	    TW_I(author_id)));
	if (rc != TW_OK || n == 0)
		return rc;
	return queue_mail(a, ticket_id, item_id);
}

enum tw_err
tw_alert_ticket_created(long long ticket_id, long long user_id)
{
	return tw_watch_add_user(ticket_id, user_id);
}

enum tw_err
tw_alert_counts(struct tw_arena *a, long long user_id, long long *unread,
    long long *due)
{
	struct tw_rows	*r;
	enum tw_err	 rc;

	*unread = *due = 0;
	rc = tw_db_query(a, sql[SQL_COUNTS], &r,
	    TW_ARGS(TW_I(user_id), TW_I(user_id)));
	if (rc != TW_OK)
		return rc;
	*unread = tw_rows_int(r, 0, "alerts_unread", 0);
	*due = tw_rows_int(r, 0, "alerts_due", 0);
	return TW_OK;
}

const char *
tw_alert_count_columns(void)
{
	return COUNT_COLUMNS(" u.id ", " u.id ");
}

int
tw_alert_counts_read(const struct tw_rows *identity, long long *unread,
    long long *due)
{
	if (identity == NULL ||
	    tw_rows_str(identity, 0, "alerts_unread") == NULL)
		return 0;
	*unread = tw_rows_int(identity, 0, "alerts_unread", 0);
	*due = tw_rows_int(identity, 0, "alerts_due", 0);
	return 1;
}

enum tw_err
tw_alert_list(struct tw_arena *a, long long user_id, struct tw_rows **out)
{
	return tw_db_query(a, sql[SQL_LIST], out,
	    TW_ARGS(TW_I(user_id), TW_I(TW_ALERT_PAGE)));
}

enum tw_err
tw_alert_read(struct tw_arena *a, long long user_id, long long alert_id)
{
	struct tw_rows		*r;
	unsigned long long	 n = 0;
	enum tw_err		 rc;

	if (alert_id == 0)
		return tw_db_exec(sql[SQL_READ_ALL], NULL, NULL,
		    TW_ARGS(TW_I(user_id)));

	rc = tw_db_exec(sql[SQL_READ_ONE], &n, NULL,
	    TW_ARGS(TW_I(alert_id), TW_I(user_id)));
	if (rc != TW_OK || n > 0)
		return rc;

	/* Nothing changed: read before, or not this user's alert. */
	rc = tw_db_query(a, sql[SQL_MINE], &r,
	    TW_ARGS(TW_I(alert_id), TW_I(user_id)));
	if (rc == TW_OK && r->nrows == 0)
		rc = TW_ERR_NOTFOUND;
	return rc;
}

enum tw_err
tw_alert_mail_get(struct tw_arena *a, long long user_id, int *on)
{
	struct tw_rows	*r;
	enum tw_err	 rc;

	rc = tw_db_query(a, sql[SQL_MAIL_GET], &r, TW_ARGS(TW_I(user_id)));
	if (rc != TW_OK)
		return rc;
	*on = tw_rows_int(r, 0, "notify_email", 1) != 0;
	return TW_OK;
}

enum tw_err
tw_alert_mail_set(long long user_id, int on)
{
	return tw_db_exec(sql[SQL_MAIL_SET], NULL, NULL,
	    TW_ARGS(TW_I(on != 0), TW_I(user_id)));
}

enum tw_err
tw_alert_forget_channel(long long user_id, long long channel_id)
{
	return tw_db_exec(sql[SQL_FORGET_CHANNEL], NULL, NULL,
	    TW_ARGS(TW_I(user_id), TW_I(channel_id)));
}

enum tw_err
tw_alert_forget_unseen(long long ticket_id)
{
	return tw_db_exec(sql[SQL_FORGET_TICKET], NULL, NULL,
	    TW_ARGS(TW_I(ticket_id)));
}
