/*
 * secret.c: AES-256-GCM sealing through OpenSSL's EVP interface.
 *
 * The additional authenticated data is the version byte followed by the
 * owner label, so neither can be changed without the tag failing.
 */
#include "config.h"

#include <limits.h>
#include <string.h>

#include <openssl/evp.h>

#include "arena.h"
#include "crypto.h"
#include "secret.h"

#define SEAL_VERSION		1
#define NONCE_LEN	12
#define TAG_LEN		16

enum tw_err
tw_secret_key(const char *hex, unsigned char key[TW_SECRET_KEY_LEN])
{
	unsigned char	any = 0;
	size_t		i;

	if (hex == NULL || strlen(hex) != 2 * TW_SECRET_KEY_LEN ||
	    tw_hex_decode(hex, key, TW_SECRET_KEY_LEN) != TW_SECRET_KEY_LEN)
		return TW_ERR_INVALID;
	for (i = 0; i < TW_SECRET_KEY_LEN; i++)
		any |= key[i];
	return any != 0 ? TW_OK : TW_ERR_INVALID;
}

/*
 * A context ready to encrypt (enc 1) or decrypt (0) under key and
 * nonce, the version byte and the owner label fed as additional data;
 * NULL when OpenSSL fails.  The caller frees it.
 */
static EVP_CIPHER_CTX *
start(int enc, const unsigned char *key, const unsigned char *nonce,
    unsigned char version, const char *owner)
{
	EVP_CIPHER_CTX	*ctx;
	int		 n;

	if ((ctx = EVP_CIPHER_CTX_new()) == NULL)
		return NULL;
	if (EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL,
	    enc) == 1 &&
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, NONCE_LEN,
	    NULL) == 1 &&
	    EVP_CipherInit_ex(ctx, NULL, NULL, key, nonce, enc) == 1 &&
	    EVP_CipherUpdate(ctx, NULL, &n, &version, 1) == 1 &&
	    EVP_CipherUpdate(ctx, NULL, &n, (const unsigned char *)owner,
	    (int)strlen(owner)) == 1)
		return ctx;
	EVP_CIPHER_CTX_free(ctx);
	return NULL;
}

enum tw_err
tw_secret_seal(struct tw_arena *a, const unsigned char key[TW_SECRET_KEY_LEN],
    const char *owner, const void *plain, size_t len, unsigned char **out,
    size_t *outlen)
{
	EVP_CIPHER_CTX	*ctx;
	unsigned char	*buf, *nonce, *ct;
	int		 n, fin, ok;

	if (len > (size_t)INT_MAX - TW_SECRET_OVERHEAD)
		return TW_ERR_TOOBIG;
	buf = tw_arena_alloc(a, len + TW_SECRET_OVERHEAD);
	buf[0] = SEAL_VERSION;
	nonce = buf + 1;
	ct = nonce + NONCE_LEN;
	if (tw_random(nonce, NONCE_LEN) != TW_OK)
		return TW_ERR_IO;

	if ((ctx = start(1, key, nonce, SEAL_VERSION, owner)) == NULL)
		return TW_ERR_INTERNAL;
	ok = EVP_EncryptUpdate(ctx, ct, &n, plain, (int)len) == 1 &&
	    EVP_EncryptFinal_ex(ctx, ct + n, &fin) == 1 &&
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, TAG_LEN,
	    ct + len) == 1;
	EVP_CIPHER_CTX_free(ctx);
	if (!ok)
		return TW_ERR_INTERNAL;

	*out = buf;
	*outlen = len + TW_SECRET_OVERHEAD;
	return TW_OK;
}

enum tw_err
tw_secret_open(struct tw_arena *a, const unsigned char key[TW_SECRET_KEY_LEN],
    const char *owner, const unsigned char *sealed, size_t sealedlen,
    char **plain, size_t *len)
{
	EVP_CIPHER_CTX		*ctx;
	const unsigned char	*nonce, *ct, *tag;
	unsigned char		 tagcopy[TAG_LEN];
	char			*buf;
	size_t			 ctlen;
	int			 n, fin, ok;

	if (sealedlen < TW_SECRET_OVERHEAD || sealed[0] != SEAL_VERSION ||
	    sealedlen > (size_t)INT_MAX)
		return TW_ERR_INVALID;
	nonce = sealed + 1;
	ct = nonce + NONCE_LEN;
	ctlen = sealedlen - TW_SECRET_OVERHEAD;
	tag = ct + ctlen;
	memcpy(tagcopy, tag, TAG_LEN);
	buf = tw_arena_alloc(a, ctlen + 1);

	if ((ctx = start(0, key, nonce, sealed[0], owner)) == NULL)
		return TW_ERR_INTERNAL;
	ok = EVP_DecryptUpdate(ctx, (unsigned char *)buf, &n, ct,
	    (int)ctlen) == 1 &&
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, TAG_LEN,
	    tagcopy) == 1;

	/* The tag is checked here; nothing decrypted is used without it. */
	if (ok)
		ok = EVP_DecryptFinal_ex(ctx, (unsigned char *)buf + n,
		    &fin) == 1;
	EVP_CIPHER_CTX_free(ctx);
	if (!ok) {
		memset(buf, 0, ctlen);
		return TW_ERR_FORBIDDEN;
	}

	buf[ctlen] = '\0';
	*plain = buf;
	*len = ctlen;
	return TW_OK;
}
