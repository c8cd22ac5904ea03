/*
 * user.c: agent accounts.
 */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "crypto.h"
#include "db.h"
#include "form.h"
#include "user.h"

enum {
	SQL_ADD,
	SQL_SET_PASSWORD,
	SQL_ID,
	SQL__MAX
};

static const char *const sql[SQL__MAX] = {
	[SQL_ADD] =
	    "INSERT INTO users (login, name, password_hash, is_admin) "
	    "VALUES (?, ?, ?, ?)",
	[SQL_SET_PASSWORD] =
	    "UPDATE users SET password_hash = ? WHERE login = ?",
	[SQL_ID] =
	    "SELECT id FROM users WHERE login = ?",
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
tw_user_add(const char *login, const char *name, const char *password,
    int is_admin, long long *id)
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
	    TW_S(name), TW_S(hash), TW_I(is_admin ? 1 : 0)));
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
