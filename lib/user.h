/*
 * user.h: agents: creating them and changing their passwords.
 *
 * Signing in and sessions live in core/auth; this module is what the
 * administration tools call.
 */
#ifndef TW_USER_H
#define TW_USER_H

#include "err.h"

struct tw_arena;
struct tw_rows;

/* Checks a login name: 1 to 64 of a-z 0-9 . _ - ; returns 1 when valid. */
int		tw_user_login_valid(const char *login);

/*
 * Creates an agent with an Argon2id hash of password and an optional
 * email address (NULL or "" for none).  TW_ERR_INVALID for
 * a bad login or a password outside 8..1024 bytes, TW_ERR_CONFLICT when
 * the login exists.  *id receives the new id (id may be NULL).
 */
enum tw_err	tw_user_add(const char *login, const char *name,
		    const char *email, const char *password, int is_admin,
		    long long *id);

/* Replaces the password of login; TW_ERR_NOTFOUND when there is none. */
enum tw_err	tw_user_set_password(const char *login, const char *password);

/* Every agent (id, login, name, email, is_admin, active, lang), by name. */
enum tw_err	tw_user_list(struct tw_arena *, struct tw_rows **out);

/* One agent by id, the same columns; TW_ERR_NOTFOUND when none. */
enum tw_err	tw_user_get(struct tw_arena *, long long id,
		    struct tw_rows **out);

struct tw_user_edit {
	const char	*name;
	const char	*email;		/* "" for none */
	const char	*lang;		/* "en", "de" or "" for the browser's */
	int		 is_admin;
	int		 active;
};

/*
 * Changes an agent.  Deactivating one ends all their sessions and API
 * tokens in the same transaction.  TW_ERR_NOTFOUND when there is none.
 */
enum tw_err	tw_user_update(long long id, const struct tw_user_edit *);

/* Sets only the language of an agent ("" for the browser's). */
enum tw_err	tw_user_set_lang(long long id, const char *lang);

/* The id of login; TW_ERR_NOTFOUND when there is none. */
enum tw_err	tw_user_id(struct tw_arena *, const char *login,
		    long long *id);

#endif
