/*
 * reminder.c: setting, clearing and listing follow-up reminders.
 */
#include "config.h"

#include "db.h"
#include "reminder.h"
#include "request.h"
#include "when.h"

enum {
	SQL_TICKET,
	SQL_SET,
	SQL_CLEAR,
	SQL_OF_TICKET,
	SQL_LIST,
	SQL_HAND_OVER,
	SQL__MAX
};

static const char *const sql[SQL__MAX] = {
	[SQL_TICKET] =
	    "SELECT t.id, COALESCE(t.owner_id, m.user_id) AS for_user "
	    "FROM tickets t JOIN channel_members m "
	    "ON m.channel_id = t.channel_id AND m.user_id = ? "
	    "WHERE t.number = ?",
	[SQL_SET] =
	    "INSERT INTO reminders (ticket_id, user_id, due_at, note, set_by) "
	    "VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE "
	    "due_at = VALUES(due_at), note = VALUES(note), "
	    "set_by = VALUES(set_by), created_at = UTC_TIMESTAMP(6)",
	[SQL_CLEAR] =
	    "DELETE FROM reminders WHERE ticket_id = ? "
	    "AND user_id IN (?, ?)",
	/* The owner's reminder (the user's when nobody owns the ticket)
	 * or the user's own, whichever is due first. */
	[SQL_OF_TICKET] =
	    "SELECT r.due_at, r.note, u.name AS agent, "
	    "r.due_at <= UTC_TIMESTAMP(6) AS is_due "
	    "FROM tickets t JOIN reminders r ON r.ticket_id = t.id "
	    "AND r.user_id IN (COALESCE(t.owner_id, ?), ?) "
	    "JOIN users u ON u.id = r.user_id "
	    "WHERE t.id = ? ORDER BY r.due_at LIMIT 1",
	/* IGNORE: a new owner's own reminder stays, and so does the old. */
	[SQL_HAND_OVER] =
	    "UPDATE IGNORE reminders SET user_id = ? "
	    "WHERE ticket_id = ? AND user_id = ?",
	[SQL_LIST] =
	    "SELECT t.number, t.subject, r.due_at, r.note, "
	    "r.due_at <= UTC_TIMESTAMP(6) AS is_due "
	    "FROM reminders r FORCE INDEX (reminders_due) "
	    "JOIN tickets t ON t.id = r.ticket_id "
	    "JOIN channel_members m ON m.channel_id = t.channel_id "
	    "AND m.user_id = r.user_id "
	    "WHERE r.user_id = ? ORDER BY r.due_at, r.id LIMIT ?",
};

/* The visible ticket's id and whom its reminders are for. */
static enum tw_err
target(struct tw_arena *a, const struct tw_user *user, long long number,
    long long *ticket_id, long long *for_user)
{
	struct tw_rows	*r;
	enum tw_err	 rc;

	rc = tw_db_query(a, sql[SQL_TICKET], &r,
	    TW_ARGS(TW_I(user->id), TW_I(number)));
	if (rc != TW_OK)
		return rc;
	if (r->nrows == 0)
		return TW_ERR_NOTFOUND;
	*ticket_id = tw_rows_int(r, 0, "id", 0);
	*for_user = tw_rows_int(r, 0, "for_user", user->id);
	return TW_OK;
}

enum tw_err
tw_reminder_set(struct tw_arena *a, const struct tw_user *user,
    long long number, time_t due, const char *note)
{
	char		at[32];
	long long	ticket_id, for_user;
	enum tw_err	rc;

	if ((rc = target(a, user, number, &ticket_id, &for_user)) != TW_OK)
		return rc;
	tw_when_sql(due, at, sizeof(at));
	return tw_db_exec(sql[SQL_SET], NULL, NULL, TW_ARGS(TW_I(ticket_id),
	    TW_I(for_user), TW_S(at), TW_S(note), TW_I(user->id)));
}

enum tw_err
tw_reminder_clear(struct tw_arena *a, const struct tw_user *user,
    long long number)
{
	unsigned long long	n = 0;
	long long		ticket_id, for_user;
	enum tw_err		rc;

	if ((rc = target(a, user, number, &ticket_id, &for_user)) != TW_OK)
		return rc;
	rc = tw_db_exec(sql[SQL_CLEAR], &n, NULL, TW_ARGS(TW_I(ticket_id),
	    TW_I(for_user), TW_I(user->id)));
	if (rc != TW_OK)
		return rc;
	return n > 0 ? TW_OK : TW_ERR_NOTFOUND;
}

enum tw_err
tw_reminder_of_ticket(struct tw_arena *a, long long ticket_id,
    long long user_id, struct tw_rows **out)
{
	return tw_db_query(a, sql[SQL_OF_TICKET], out, TW_ARGS(
	    TW_I(user_id), TW_I(user_id), TW_I(ticket_id)));
}

enum tw_err
tw_reminder_list(struct tw_arena *a, long long user_id, struct tw_rows **out)
{
	return tw_db_query(a, sql[SQL_LIST], out,
	    TW_ARGS(TW_I(user_id), TW_I(TW_REMINDER_LIST_MAX)));
}

enum tw_err
tw_reminder_hand_over(long long ticket_id, long long from, long long to)
{
	return tw_db_exec(sql[SQL_HAND_OVER], NULL, NULL,
	    TW_ARGS(TW_I(to), TW_I(ticket_id), TW_I(from)));
}
