/*
 * user.c: agent accounts.
 */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "crypto.h"
#include "db.h"
#include "refdata.h"
#include "form.h"
#include "user.h"

enum {
	SQL_ADD,
	SQL_SET_PASSWORD,
	SQL_ID,
	SQL_LIST,
	SQL_GET,
	SQL_UPDATE,
	SQL_END_SESSIONS,
	SQL_END_TOKENS,
	SQL_SET_LANG,
	SQL__MAX
};

static const char *const sql[SQL__MAX] = {
	[SQL_ADD] =
	    "INSERT INTO users (login, name, email, password_hash, is_admin) "
	    "VALUES (?, ?, NULLIF(?, ''), ?, ?)",
	[SQL_SET_PASSWORD] =
	    "UPDATE users SET password_hash = ? WHERE login = ?",
	[SQL_ID] =
	    "SELECT id FROM users WHERE login = ?",
	[SQL_LIST] =
	    "SELECT id, login, name, email, is_admin, active, lang "
	    "FROM users ORDER BY active DESC, name",
	[SQL_GET] =
	    "SELECT id, login, name, email, is_admin, active, lang "
	    "FROM users WHERE id = ?",
	[SQL_UPDATE] =
	    "UPDATE users SET name = ?, email = NULLIF(?, ''), "
	    "lang = NULLIF(?, ''), is_admin = ?, active = ? WHERE id = ?",
	[SQL_END_SESSIONS] =
	    "DELETE FROM sessions WHERE user_id = ?",
	[SQL_END_TOKENS] =
	    "DELETE FROM api_tokens WHERE user_id = ?",
	[SQL_SET_LANG] =
	    "UPDATE users SET lang = NULLIF(?, '') WHERE id = ?",
};

int
tw_user_login_valid(const char *login)
{
	size_t	i, n = strlen(login);

	if (n == 0 || n > 64)
		return 0;
	for (i = 0; i < n; i++)
		if (!((login[i] >= 'a' && login[i] <= 'z') ||
		    (login[i] >= '0' && login[i] <= '9') ||
		    login[i] == '.' || login[i] == '_' || login[i] == '-'))
			return 0;
	return 1;
}

static int
password_valid(const char *password)
{
	size_t	n = strlen(password);

	return n >= TW_PASSWORD_MIN && n <= TW_PASSWORD_MAX &&
	    tw_utf8_valid(password, n);
}

enum tw_err
tw_user_add(const char *login, const char *name, const char *email,
    const char *password, int is_admin, long long *id)
{
	char			hash[128];
	unsigned long long	new_id = 0;
	enum tw_err		rc;

	if (!tw_user_login_valid(login) || !password_valid(password) ||
	    *name == '\0' || strlen(name) > 200 ||
	    !tw_utf8_valid(name, strlen(name)))
		return TW_ERR_INVALID;
	if ((rc = tw_password_hash(password, hash, sizeof(hash))) != TW_OK)
		return rc;
	rc = tw_db_exec(sql[SQL_ADD], NULL, &new_id, TW_ARGS(TW_S(login),
	    TW_S(name), TW_S(email), TW_S(hash), TW_I(is_admin ? 1 : 0)));
	tw_refdata_changed();
	if (rc == TW_OK && id != NULL)
		*id = (long long)new_id;
	return rc;
}

enum tw_err
tw_user_set_password(const char *login, const char *password)
{
	char			hash[128];
	unsigned long long	n = 0;
	enum tw_err		rc;

	if (!password_valid(password))
		return TW_ERR_INVALID;
	if ((rc = tw_password_hash(password, hash, sizeof(hash))) != TW_OK)
		return rc;
	rc = tw_db_exec(sql[SQL_SET_PASSWORD], &n, NULL,
	    TW_ARGS(TW_S(hash), TW_S(login)));
	if (rc == TW_OK && n == 0) {
		/* An unchanged hash is impossible (fresh salt), so no row
		 * means no such login. */
		return TW_ERR_NOTFOUND;
	}
	return rc;
}

enum tw_err
tw_user_id(struct tw_arena *a, const char *login, long long *id)
{
	struct tw_rows	*r;
	enum tw_err	 rc;

	rc = tw_db_query(a, sql[SQL_ID], &r, TW_ARGS(TW_S(login)));
	if (rc != TW_OK)
		return rc;
	if (r->nrows == 0)
		return TW_ERR_NOTFOUND;
	*id = tw_rows_int(r, 0, "id", 0);
	return TW_OK;
}

enum tw_err
tw_user_list(struct tw_arena *a, struct tw_rows **out)
{
	return tw_db_query(a, sql[SQL_LIST], out, TW_NOARGS);
}

enum tw_err
tw_user_get(struct tw_arena *a, long long id, struct tw_rows **out)
{
	enum tw_err	rc;

	rc = tw_db_query(a, sql[SQL_GET], out, TW_ARGS(TW_I(id)));
	if (rc == TW_OK && (*out)->nrows == 0)
		return TW_ERR_NOTFOUND;
	return rc;
}

struct update {
	long long			 id;
	const struct tw_user_edit	*edit;
	unsigned long long		 found;
};

static enum tw_err
update_txn(void *ctx)
{
	struct update			*c = ctx;
	const struct tw_user_edit	*e = c->edit;
	enum tw_err			 rc;

	rc = tw_db_exec(sql[SQL_UPDATE], &c->found, NULL, TW_ARGS(
	    TW_S(e->name), TW_S(e->email), TW_S(e->lang),
	    TW_I(e->is_admin ? 1 : 0), TW_I(e->active ? 1 : 0), TW_I(c->id)));
	if (rc != TW_OK || e->active)
		return rc;

	/* A deactivated agent is out at once, on every device and API. */
	if ((rc = tw_db_exec(sql[SQL_END_SESSIONS], NULL, NULL,
	    TW_ARGS(TW_I(c->id)))) != TW_OK)
		return rc;
	return tw_db_exec(sql[SQL_END_TOKENS], NULL, NULL,
	    TW_ARGS(TW_I(c->id)));
}

enum tw_err
tw_user_update(long long id, const struct tw_user_edit *edit)
{
	struct tw_arena	*a = tw_arena_new();
	struct tw_rows	*r;
	struct update	 c = { id, edit, 0 };
	enum tw_err	 rc;

	/* Affected rows count changed rows only, so look first. */
	if ((rc = tw_user_get(a, id, &r)) == TW_OK)
		rc = tw_db_txn(update_txn, &c);
	tw_arena_free(a);
	tw_refdata_changed();
	return rc;
}

enum tw_err
tw_user_set_lang(long long id, const char *lang)
{
	return tw_db_exec(sql[SQL_SET_LANG], NULL, NULL,
	    TW_ARGS(TW_S(lang), TW_I(id)));
}
