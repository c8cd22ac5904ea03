/*
 * secret.h: small secrets sealed for keeping at rest.
 *
 * A secret the program must use again later (a mailbox password, which
 * cannot be stored as a hash) is sealed with AES-256-GCM under a key from
 * the configuration.  The sealed form is
 *
 *	version (1 byte) | nonce (12 bytes) | ciphertext | tag (16 bytes)
 *
 * with a fresh random nonce per sealing.  The version byte and a label
 * naming the secret's owner (say "mailbox:7") are authenticated with it,
 * so a sealed value copied to another owner, or altered in any bit, does
 * not open.
 */
#ifndef TW_SECRET_H
#define TW_SECRET_H

#include <stddef.h>

#include "err.h"

struct tw_arena;

#define TW_SECRET_KEY_LEN	32	/* bytes of a key */
#define TW_SECRET_OVERHEAD	(1 + 12 + 16)	/* bytes added by sealing */

/*
 * Reads a key written as 64 hex digits.  TW_ERR_INVALID when it is not
 * exactly that, or all zero (the mark of a key never drawn).
 */
enum tw_err	tw_secret_key(const char *hex,
		    unsigned char key[TW_SECRET_KEY_LEN]);

/*
 * Seals len bytes of plain, bound to the label owner.  *out (in the
 * arena) gets len + TW_SECRET_OVERHEAD bytes.  TW_ERR_IO when no random
 * nonce could be drawn, TW_ERR_INTERNAL when OpenSSL fails.
 */
enum tw_err	tw_secret_seal(struct tw_arena *,
		    const unsigned char key[TW_SECRET_KEY_LEN],
		    const char *owner, const void *plain, size_t len,
		    unsigned char **out, size_t *outlen);

/*
 * Opens what tw_secret_seal() made for owner.  *plain (in the arena) is
 * NUL-terminated, *len its bytes.  TW_ERR_FORBIDDEN when it does not
 * authenticate (another key, another owner, a changed byte),
 * TW_ERR_INVALID when it is too short or of an unknown version,
 * TW_ERR_INTERNAL when OpenSSL fails.
 */
enum tw_err	tw_secret_open(struct tw_arena *,
		    const unsigned char key[TW_SECRET_KEY_LEN],
		    const char *owner, const unsigned char *sealed,
		    size_t sealedlen, char **plain, size_t *len);

#endif
