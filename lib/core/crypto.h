/*
 * crypto.h: random tokens, digests and password hashes.
 *
 * Session and API tokens are 256 random bits shown as 64 hex digits; only
 * their SHA-256 is stored, so checking one costs a digest, not a password
 * hash.  Passwords are hashed with Argon2id in the PHC string format, and
 * the parameters are read back from the stored hash so they can be raised
 * later.
 */
#ifndef TW_CRYPTO_H
#define TW_CRYPTO_H

#include <stddef.h>

#include "err.h"

#define TW_TOKEN_HEX	64	/* hex digits of a 256-bit token */
#define TW_PASSWORD_MIN	8	/* bytes; the maximum is 1024 */
#define TW_PASSWORD_MAX	1024

/* Fills buf with n bytes from the kernel's CSPRNG; TW_ERR_IO on failure. */
enum tw_err	tw_random(void *buf, size_t n);

/* A fresh 256-bit token as 64 lower-case hex digits plus NUL. */
enum tw_err	tw_token_new(char out[TW_TOKEN_HEX + 1]);

/* SHA-256 of the n bytes at p, as 64 lower-case hex digits plus NUL. */
void		tw_sha256_hex(const void *p, size_t n, char out[65]);

/* HMAC-SHA-256 of msg under key, as 64 hex digits plus NUL. */
void		tw_hmac_hex(const void *key, size_t keylen, const char *msg,
		    char out[65]);

/* Compares n bytes in time independent of their contents; 1 when equal. */
int		tw_ct_equal(const void *a, const void *b, size_t n);

/* Converts hex digits to bytes; returns bytes written or -1 if not hex. */
int		tw_hex_decode(const char *hex, unsigned char *out, size_t max);

/*
 * Hashes a password with Argon2id (m=19 MiB, t=2, p=1, 16-byte salt) into
 * a PHC string written to out (outlen bytes; 128 is enough).
 */
enum tw_err	tw_password_hash(const char *password, char *out,
		    size_t outlen);

/*
 * Checks a password against a stored PHC string.  Returns TW_OK on a
 * match and TW_ERR_FORBIDDEN otherwise; *rehash is set when the stored
 * parameters are below the current ones.
 */
enum tw_err	tw_password_verify(const char *password, const char *phc,
		    int *rehash);

#endif
