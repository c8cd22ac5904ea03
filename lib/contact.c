/*
 * contact.c: contacts, their addresses and numbers, and their tickets.
 */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "buf.h"
#include "contact.h"
#include "db.h"
#include "request.h"
#include "text.h"

enum {
	SQL_ORG_EXISTS,
	SQL_INSERT,
	SQL_LOCK,
	SQL_RENAME,
	SQL_SET_ORG,
	SQL_EMAIL_ADD,
	SQL_EMAIL_REMOVE,
	SQL_PHONE_ADD,
	SQL_PHONE_REMOVE,
	SQL_GET,
	SQL_EMAILS,
	SQL_PHONES,
	SQL_SEARCH,
	SQL_TICKETS,
	SQL_LINK,
	SQL_ADOPT_EMAILS,
	SQL_ADOPT_PHONES,
	SQL_BY_EMAIL,
	SQL_INSERT_BY_DOMAIN,
	SQL__MAX
};

static const char *const sql[SQL__MAX] = {
	[SQL_ORG_EXISTS] =
	    "SELECT 1 FROM organisations WHERE id = ?",
	[SQL_INSERT] =
	    "INSERT INTO contacts (name, organisation_id) VALUES (?, ?)",
	[SQL_LOCK] =
	    "SELECT id FROM contacts WHERE id = ? FOR UPDATE",
	[SQL_RENAME] =
	    "UPDATE contacts SET name = ? WHERE id = ?",
	[SQL_SET_ORG] =
	    "UPDATE contacts SET organisation_id = ? WHERE id = ?",
	[SQL_EMAIL_ADD] =
	    "INSERT INTO contact_emails (contact_id, email) VALUES (?, ?)",
	[SQL_EMAIL_REMOVE] =
	    "DELETE FROM contact_emails WHERE id = ? AND contact_id = ?",
	[SQL_PHONE_ADD] =
	    "INSERT INTO contact_phones (contact_id, e164) VALUES (?, ?)",
	[SQL_PHONE_REMOVE] =
	    "DELETE FROM contact_phones WHERE id = ? AND contact_id = ?",
	[SQL_GET] =
	    "SELECT c.id, c.name, c.organisation_id, o.name AS organisation, "
	    "o.customer_number, c.created_at "
	    "FROM contacts c LEFT JOIN organisations o "
	    "ON o.id = c.organisation_id WHERE c.id = ?",
	[SQL_EMAILS] =
	    "SELECT id, email FROM contact_emails WHERE contact_id = ? "
	    "ORDER BY id",
	[SQL_PHONES] =
	    "SELECT id, e164 FROM contact_phones WHERE contact_id = ? "
	    "ORDER BY id",
	/* The collation compares names and addresses without case. */
	[SQL_SEARCH] =
	    "SELECT c.id, c.name, c.organisation_id, o.name AS organisation, "
	    "(SELECT GROUP_CONCAT(e.email ORDER BY e.id SEPARATOR ', ') "
	    "FROM contact_emails e WHERE e.contact_id = c.id) AS emails, "
	    "(SELECT GROUP_CONCAT(p.e164 ORDER BY p.id SEPARATOR ', ') "
	    "FROM contact_phones p WHERE p.contact_id = c.id) AS phones "
	    "FROM contacts c "
	    "LEFT JOIN organisations o ON o.id = c.organisation_id "
	    "WHERE c.name LIKE ? "
	    "OR EXISTS (SELECT 1 FROM contact_emails e "
	    "WHERE e.contact_id = c.id AND e.email LIKE ?) "
	    "OR EXISTS (SELECT 1 FROM contact_phones p "
	    "WHERE p.contact_id = c.id AND (p.e164 = ? OR p.e164 LIKE ?)) "
	    "ORDER BY c.name, c.id LIMIT ?",
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
	    "WHERE t.contact_id = ? "
	    "ORDER BY t.created_at DESC, t.id DESC LIMIT ?",
	[SQL_LINK] =
	    "UPDATE tickets t JOIN contacts c ON c.id = ? "
	    "SET t.contact_id = c.id, t.organisation_id = c.organisation_id "
	    "WHERE t.id = ?",
	[SQL_ADOPT_EMAILS] =
	    "INSERT IGNORE INTO contact_emails (contact_id, email) "
	    "SELECT c.id, CONCAT(SUBSTRING_INDEX(c.email, '@', 1), '@', "
	    "LOWER(SUBSTRING_INDEX(c.email, '@', -1))) FROM contacts c "
	    "WHERE c.email LIKE '_%@_%' AND NOT EXISTS (SELECT 1 FROM "
	    "contact_emails e WHERE e.contact_id = c.id)",
	[SQL_ADOPT_PHONES] =
	    "INSERT IGNORE INTO contact_phones (contact_id, e164) "
	    "SELECT c.id, c.phone FROM contacts c "
	    "WHERE c.phone REGEXP '^[+][1-9][0-9]{6,14}$' AND NOT EXISTS "
	    "(SELECT 1 FROM contact_phones p WHERE p.contact_id = c.id)",
	[SQL_BY_EMAIL] =
	    "SELECT c.id, c.organisation_id FROM contact_emails e "
	    "JOIN contacts c ON c.id = e.contact_id WHERE e.email = ? "
	    "ORDER BY c.id LIMIT 1",
	/* A new sender's contact, in the organisation of its domain. */
	[SQL_INSERT_BY_DOMAIN] =
	    "INSERT INTO contacts (organisation_id, name) "
	    "SELECT (SELECT id FROM organisations WHERE mail_domain = ? "
	    "ORDER BY id LIMIT 1), ? RETURNING id, organisation_id",
};

struct write {
	struct tw_arena			*arena;
	long long			 id;
	const struct tw_contact_edit	*in;
};

static enum tw_err
check_org(struct tw_arena *a, long long org)
{
	struct tw_rows	*r;
	enum tw_err	 rc;

	if (org <= 0)
		return TW_OK;
	rc = tw_db_query(a, sql[SQL_ORG_EXISTS], &r, TW_ARGS(TW_I(org)));
	if (rc == TW_OK && r->nrows == 0)
		rc = TW_ERR_INVALID;
	return rc;
}

static struct tw_dbarg
org_arg(long long org)
{
	return org > 0 ? TW_I(org) : TW_NULLARG;
}

/* The additions and removals of an edit, on a contact that exists. */
static enum tw_err
apply_lists(long long id, const struct tw_contact_edit *in)
{
	enum tw_err	rc = TW_OK;

	if (in->remove_email > 0)
		rc = tw_db_exec(sql[SQL_EMAIL_REMOVE], NULL, NULL,
		    TW_ARGS(TW_I(in->remove_email), TW_I(id)));
	if (rc == TW_OK && in->remove_phone > 0)
		rc = tw_db_exec(sql[SQL_PHONE_REMOVE], NULL, NULL,
		    TW_ARGS(TW_I(in->remove_phone), TW_I(id)));
	if (rc == TW_OK && in->add_email != NULL)
		rc = tw_db_exec(sql[SQL_EMAIL_ADD], NULL, NULL,
		    TW_ARGS(TW_I(id), TW_S(in->add_email)));
	if (rc == TW_OK && in->add_phone != NULL)
		rc = tw_db_exec(sql[SQL_PHONE_ADD], NULL, NULL,
		    TW_ARGS(TW_I(id), TW_S(in->add_phone)));
	return rc;
}

static enum tw_err
create_txn(void *ctx)
{
	struct write		*w = ctx;
	unsigned long long	 id;
	enum tw_err		 rc;

	if ((rc = check_org(w->arena, w->in->organisation_id)) != TW_OK)
		return rc;
	rc = tw_db_exec(sql[SQL_INSERT], NULL, &id, TW_ARGS(
	    TW_S(w->in->name), org_arg(w->in->organisation_id)));
	if (rc != TW_OK)
		return rc;
	w->id = (long long)id;
	return apply_lists(w->id, w->in);
}

enum tw_err
tw_contact_create(struct tw_arena *a, const struct tw_contact_edit *in,
    long long *id)
{
	struct write	w = { a, 0, in };
	enum tw_err	rc;

	rc = tw_db_txn(create_txn, &w);
	*id = rc == TW_OK ? w.id : 0;
	return rc;
}

static enum tw_err
update_txn(void *ctx)
{
	struct write			*w = ctx;
	const struct tw_contact_edit	*in = w->in;
	struct tw_rows			*r;
	enum tw_err			 rc;

	rc = tw_db_query(w->arena, sql[SQL_LOCK], &r, TW_ARGS(TW_I(w->id)));
	if (rc != TW_OK)
		return rc;
	if (r->nrows == 0)
		return TW_ERR_NOTFOUND;

	if (in->name != NULL && (rc = tw_db_exec(sql[SQL_RENAME], NULL, NULL,
	    TW_ARGS(TW_S(in->name), TW_I(w->id)))) != TW_OK)
		return rc;
	if (in->organisation_id >= 0) {
		if ((rc = check_org(w->arena, in->organisation_id)) != TW_OK)
			return rc;
		rc = tw_db_exec(sql[SQL_SET_ORG], NULL, NULL, TW_ARGS(
		    org_arg(in->organisation_id), TW_I(w->id)));
		if (rc != TW_OK)
			return rc;
	}
	return apply_lists(w->id, in);
}

enum tw_err
tw_contact_update(struct tw_arena *a, long long id,
    const struct tw_contact_edit *in)
{
	struct write	w = { a, id, in };

	return tw_db_txn(update_txn, &w);
}

enum tw_err
tw_contact_get(struct tw_arena *a, long long id, struct tw_rows **contact,
    struct tw_rows **emails, struct tw_rows **phones)
{
	enum tw_err	rc;

	rc = tw_db_query(a, sql[SQL_GET], contact, TW_ARGS(TW_I(id)));
	if (rc != TW_OK)
		return rc;
	if ((*contact)->nrows == 0)
		return TW_ERR_NOTFOUND;
	if ((rc = tw_db_query(a, sql[SQL_EMAILS], emails,
	    TW_ARGS(TW_I(id)))) != TW_OK)
		return rc;
	return tw_db_query(a, sql[SQL_PHONES], phones, TW_ARGS(TW_I(id)));
}

const char *
tw_like_contains(struct tw_arena *a, const char *q)
{
	struct tw_buf	b;

	tw_buf_init(&b, a);
	tw_buf_putc(&b, '%');
	for (; *q != '\0'; q++) {
		if (*q == '%' || *q == '_' || *q == '\\')
			tw_buf_putc(&b, '\\');
		tw_buf_putc(&b, *q);
	}
	tw_buf_putc(&b, '%');
	return b.data;
}

enum tw_err
tw_contact_search(struct tw_arena *a, const char *q, const char *e164,
    const char *digits, struct tw_rows **out, int *more)
{
	const char	*like = tw_like_contains(a, q);
	enum tw_err	 rc;

	rc = tw_db_query(a, sql[SQL_SEARCH], out, TW_ARGS(TW_S(like),
	    TW_S(like), TW_S(e164), TW_S(digits != NULL ?
	    tw_like_contains(a, digits) : NULL),
	    TW_I(TW_CONTACT_SEARCH_MAX + 1)));
	if (rc != TW_OK)
		return rc;

	/* One row more than the limit tells whether there were more. */
	*more = (*out)->nrows > TW_CONTACT_SEARCH_MAX;
	if (*more)
		(*out)->nrows = TW_CONTACT_SEARCH_MAX;
	return TW_OK;
}

enum tw_err
tw_contact_tickets(struct tw_arena *a, const struct tw_user *user,
    long long id, struct tw_rows **out)
{
	return tw_db_query(a, sql[SQL_TICKETS], out, TW_ARGS(TW_I(user->id),
	    TW_I(id), TW_I(TW_CONTACT_TICKETS_MAX)));
}

enum tw_err
tw_contact_link_ticket(long long ticket_id, long long contact_id)
{
	unsigned long long	n = 0;
	enum tw_err		rc;

	rc = tw_db_exec(sql[SQL_LINK], &n, NULL,
	    TW_ARGS(TW_I(contact_id), TW_I(ticket_id)));
	if (rc == TW_OK && n == 0)
		rc = TW_ERR_NOTFOUND;
	return rc;
}

enum tw_err
tw_contact_match_email(struct tw_arena *a, const char *email,
    const char *name, int by_domain, long long *contact, long long *org)
{
	struct tw_rows	*r;
	const char	*at;
	enum tw_err	 rc;

	*contact = *org = 0;
	if (*email == '\0')
		return TW_OK;
	rc = tw_db_query(a, sql[SQL_BY_EMAIL], &r, TW_ARGS(TW_S(email)));
	if (rc != TW_OK)
		return rc;
	if (r->nrows == 1) {
		*contact = tw_rows_int(r, 0, "id", 0);
		*org = tw_rows_int(r, 0, "organisation_id", 0);
		return TW_OK;
	}

	at = by_domain ? strrchr(email, '@') : NULL;
	name = tw_text_cut(a, *name != '\0' ? name : email,
	    TW_CONTACT_NAME_MAX);
	rc = tw_db_query(a, sql[SQL_INSERT_BY_DOMAIN], &r, TW_ARGS(
	    TW_S(at != NULL ? at + 1 : NULL), TW_S(name)));
	if (rc != TW_OK)
		return rc;
	if (r->nrows != 1)
		return TW_ERR_DB;
	*contact = tw_rows_int(r, 0, "id", 0);
	*org = tw_rows_int(r, 0, "organisation_id", 0);
	return tw_db_exec(sql[SQL_EMAIL_ADD], NULL, NULL,
	    TW_ARGS(TW_I(*contact), TW_S(email)));
}

enum tw_err
tw_contact_adopt_legacy(void)
{
	enum tw_err	rc;

	rc = tw_db_exec(sql[SQL_ADOPT_EMAILS], NULL, NULL, TW_NOARGS);
	if (rc != TW_OK)
		return rc;
	return tw_db_exec(sql[SQL_ADOPT_PHONES], NULL, NULL, TW_NOARGS);
}
