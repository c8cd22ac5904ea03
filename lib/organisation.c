/*
 * organisation.c: organisations and the customer file.
 */
#include "config.h"

#include "contact.h"
#include "db.h"
#include "organisation.h"
#include "request.h"

enum {
	SQL_INSERT,
	SQL_SEARCH,
	SQL_GET,
	SQL_CONTACTS,
	SQL_TICKETS,
	SQL_BY_NUMBER,
	SQL__MAX
};

static const char *const sql[SQL__MAX] = {
	[SQL_INSERT] =
	    "INSERT INTO organisations (name, customer_number) VALUES (?, ?)",
	[SQL_SEARCH] =
	    "SELECT o.id, o.name, o.customer_number, "
	    "(SELECT COUNT(*) FROM contacts c "
	    "WHERE c.organisation_id = o.id) AS contacts "
	    "FROM organisations o "
	    "WHERE o.name LIKE ? OR o.customer_number LIKE ? "
	    "ORDER BY o.name, o.id LIMIT ?",
	[SQL_GET] =
	    "SELECT id, name, customer_number, mail_domain, created_at "
	    "FROM organisations WHERE id = ?",
	[SQL_CONTACTS] =
	    "SELECT c.id, c.name, "
	    "(SELECT GROUP_CONCAT(e.email ORDER BY e.id SEPARATOR ', ') "
	    "FROM contact_emails e WHERE e.contact_id = c.id) AS emails, "
	    "(SELECT GROUP_CONCAT(p.e164 ORDER BY p.id SEPARATOR ', ') "
	    "FROM contact_phones p WHERE p.contact_id = c.id) AS phones "
	    "FROM contacts c WHERE c.organisation_id = ? "
	    "ORDER BY c.name, c.id",
	/* Visibility is the join on channel_members, as everywhere. */
	[SQL_TICKETS] =
	    "SELECT t.number, t.subject, s.code AS status, "
	    "s.name AS status_name, s.side, ch.name AS channel, "
	    "ct.name AS contact, t.created_at, t.updated_at "
	    "FROM tickets t "
	    "JOIN channel_members m ON m.channel_id = t.channel_id "
	    "AND m.user_id = ? "
	    "JOIN statuses s ON s.id = t.status_id "
	    "JOIN channels ch ON ch.id = t.channel_id "
	    "LEFT JOIN contacts ct ON ct.id = t.contact_id "
	    "WHERE t.organisation_id = ? "
	    "ORDER BY t.created_at DESC, t.id DESC LIMIT ?",
	[SQL_BY_NUMBER] =
	    "SELECT id FROM organisations WHERE customer_number = ?",
};

enum tw_err
tw_org_create(const char *name, const char *customer_number, long long *id)
{
	unsigned long long	n = 0;
	enum tw_err		rc;

	rc = tw_db_exec(sql[SQL_INSERT], NULL, &n, TW_ARGS(TW_S(name),
	    TW_S(customer_number)));
	*id = (long long)n;
	return rc;
}

enum tw_err
tw_org_search(struct tw_arena *a, const char *q, struct tw_rows **out,
    int *more)
{
	const char	*like = tw_like_contains(a, q);
	enum tw_err	 rc;

	rc = tw_db_query(a, sql[SQL_SEARCH], out, TW_ARGS(TW_S(like),
	    TW_S(like), TW_I(TW_ORG_SEARCH_MAX + 1)));
	if (rc != TW_OK)
		return rc;
	*more = (*out)->nrows > TW_ORG_SEARCH_MAX;
	if (*more)
		(*out)->nrows = TW_ORG_SEARCH_MAX;
	return TW_OK;
}

enum tw_err
tw_org_file(struct tw_arena *a, const struct tw_user *user, long long id,
    struct tw_rows **org, struct tw_rows **contacts,
    struct tw_rows **tickets, int *more)
{
	enum tw_err	rc;

	*more = 0;
	rc = tw_db_query(a, sql[SQL_GET], org, TW_ARGS(TW_I(id)));
	if (rc != TW_OK)
		return rc;
	if ((*org)->nrows == 0)
		return TW_ERR_NOTFOUND;
	rc = tw_db_query(a, sql[SQL_CONTACTS], contacts, TW_ARGS(TW_I(id)));
	if (rc != TW_OK)
		return rc;
	rc = tw_db_query(a, sql[SQL_TICKETS], tickets, TW_ARGS(
	    TW_I(user->id), TW_I(id), TW_I(TW_CONTACT_TICKETS_MAX + 1)));
	if (rc == TW_OK && (*tickets)->nrows > TW_CONTACT_TICKETS_MAX) {
		(*tickets)->nrows = TW_CONTACT_TICKETS_MAX;
		*more = 1;
	}
	return rc;
}

enum tw_err
tw_org_by_number(struct tw_arena *a, const char *number, long long *id)
{
	struct tw_rows	*r;
	enum tw_err	 rc;

	*id = 0;
	rc = tw_db_query(a, sql[SQL_BY_NUMBER], &r, TW_ARGS(TW_S(number)));
	if (rc != TW_OK)
		return rc;
	if (r->nrows == 0)
		return TW_ERR_NOTFOUND;
	*id = tw_rows_int(r, 0, "id", 0);
	return TW_OK;
}
