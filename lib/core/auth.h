/*
 * auth.h: who is asking, and whether they may.
 *
 * Agents sign in with a password (Argon2id) and get a session: a random
 * 256-bit token in an HttpOnly, SameSite cookie, of which the database
 * keeps only the SHA-256.  Sessions end after an idle time and after an
 * absolute time.  API clients send `Authorization: Bearer <token>`; API
 * tokens are stored the same way, so checking one costs a digest.
 *
 * Every unsafe request made with a cookie must carry the CSRF token of its
 * session (HMAC of the session key under [auth] secret); anonymous forms
 * (the sign-in form) are bound to a pre-session cookie the same way.
 */
#ifndef TW_AUTH_H
#define TW_AUTH_H

#include "crypto.h"
#include "err.h"

struct tw_arena;
struct tw_request;

/* Reads [auth] settings; TW_ERR_INVALID when the secret is unusable. */
enum tw_err	 tw_auth_init(void);

/*
 * Sets req->user from a bearer token or a session cookie.  No credentials
 * is TW_OK with req->user NULL; a bearer token that matches nothing is
 * TW_ERR_UNAUTH.
 */
enum tw_err	 tw_auth_identify(struct tw_request *);

/*
 * Columns the session statement reads along with the user, for what a
 * program shows on every page of a signed-in user (the tickets program's
 * alert and reminder counts): constant SQL that may refer to the user
 * as u.id, "(SELECT ... WHERE user_id = u.id) AS name, ...".  Call once
 * before the first request; the values are in req->identity.
 */
void		 tw_auth_session_columns(const char *select);

/* The CSRF token for forms on this response (set up on first use). */
const char	*tw_auth_csrf(struct tw_request *);

/*
 * Checks an unsafe request: API-token requests pass; cookie requests need
 * a same-origin Origin/Sec-Fetch-Site and the form field _csrf (or the
 * X-CSRF-Token header) matching.  TW_ERR_FORBIDDEN otherwise.
 */
enum tw_err	 tw_auth_check_csrf(struct tw_request *);

/*
 * Signs in: throttles per account and per address, verifies the password,
 * starts a session and sets its cookie.  TW_ERR_FORBIDDEN for a wrong
 * login or password (the same answer and about the same time for both),
 * TW_ERR_THROTTLED when too many attempts failed.
 */
enum tw_err	 tw_auth_signin(struct tw_request *, const char *login,
		    const char *password);

/* Ends the request's session and clears its cookie. */
enum tw_err	 tw_auth_signout(struct tw_request *);

/* Creates an API token for user; the token (64 hex) is written to out. */
enum tw_err	 tw_auth_token_create(long long user_id, const char *name,
		    char out[TW_TOKEN_HEX + 1]);

/*
 * Deletes what has run out: ended sessions, sign-in failures too old to
 * count and Idempotency-Keys older than a day, a batch of each at a time;
 * *more says a batch was full.  Needs tw_auth_init().
 */
enum tw_err	 tw_auth_tidy(struct tw_arena *, int *more);

#endif
