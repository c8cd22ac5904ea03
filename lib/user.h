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

/* Checks a login name: 1 to 64 of a-z 0-9 . _ - ; returns 1 when valid. */
int		tw_user_login_valid(const char *login);

/*
 * Creates an agent with an Argon2id hash of password.  TW_ERR_INVALID for
 * a bad login or a password outside 8..1024 bytes, TW_ERR_CONFLICT when
 * the login exists.  *id receives the new id (id may be NULL).
 */
enum tw_err	tw_user_add(const char *login, const char *name,
		    const char *password, int is_admin, long long *id);

/* Replaces the password of login; TW_ERR_NOTFOUND when there is none. */
enum tw_err	tw_user_set_password(const char *login, const char *password);

/* The id of login; TW_ERR_NOTFOUND when there is none. */
enum tw_err	tw_user_id(struct tw_arena *, const char *login,
		    long long *id);

#endif
