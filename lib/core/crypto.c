/*
 * crypto.c: random tokens from getrandom(2), digests from OpenSSL and
 * password hashes from libargon2.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include <argon2.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/core_names.h>
#include <openssl/sha.h>

#include "crypto.h"
#include "text.h"

/* OWASP's Argon2id baseline: 19 MiB, two passes, one lane. */
#define ARGON_M_KIB	19456
#define ARGON_T		2
#define ARGON_P		1
#define ARGON_SALT	16
#define ARGON_HASHLEN	32

static void
to_hex(const unsigned char *in, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t		 i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[in[i] >> 4];
		out[2 * i + 1] = hex[in[i] & 15];
	}
	out[2 * n] = '\0';
}

enum tw_err
tw_random(void *buf, size_t n)
{
	unsigned char	*p = buf;
	ssize_t		 got;

	while (n > 0) {
		got = getrandom(p, n, 0);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return TW_ERR_IO;
		}
		p += got;
		n -= (size_t)got;
	}
	return TW_OK;
}

enum tw_err
tw_token_new(char out[TW_TOKEN_HEX + 1])
{
	unsigned char	raw[TW_TOKEN_HEX / 2];

	if (tw_random(raw, sizeof(raw)) != TW_OK)
		return TW_ERR_IO;
	to_hex(raw, sizeof(raw), out);
	return TW_OK;
}

/*
 * SHA-256, looked up once: OpenSSL 3 looks an algorithm up by name on
 * every one-shot call, which cost more than all else of a session check.
 * NULL when the lookup fails; callers fall back to the one-shot calls.
 */
static const EVP_MD *
sha256_md(void)
{
	static EVP_MD	*md;

	if (md == NULL)
		md = EVP_MD_fetch(NULL, "SHA2-256", NULL);
	return md;
}

void
tw_sha256_hex(const void *p, size_t n, char out[65])
{
	unsigned char	md[SHA256_DIGEST_LENGTH];

	if (sha256_md() == NULL ||
	    !EVP_Digest(p, n, md, NULL, sha256_md(), NULL))
		SHA256(p, n, md);
	to_hex(md, sizeof(md), out);
}

/*
 * An HMAC-SHA-256 context keyed with key, kept for the next call with the
 * same key (the CSRF secret, every time): keying it looks the algorithms
 * up by name.  NULL when OpenSSL cannot make one.
 */
static EVP_MAC_CTX *
hmac_keyed(const void *key, size_t keylen)
{
	static EVP_MAC		*mac;
	static EVP_MAC_CTX	*ctx;
	static unsigned char	 kept[128];
	static size_t		 keptlen;
	OSSL_PARAM		 params[2];

	if (ctx != NULL && keylen == keptlen && memcmp(key, kept, keylen) == 0)
		return ctx;
	if (keylen > sizeof(kept) ||
	    (mac == NULL && (mac = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL))
		return NULL;
	EVP_MAC_CTX_free(ctx);
	keptlen = 0;
	params[0] = OSSL_PARAM_construct_utf8_string("digest",
	    (char *)"SHA2-256", 0);
	params[1] = OSSL_PARAM_construct_end();
	if ((ctx = EVP_MAC_CTX_new(mac)) == NULL ||
	    !EVP_MAC_init(ctx, key, keylen, params)) {
		EVP_MAC_CTX_free(ctx);
		return ctx = NULL;
	}
	memcpy(kept, key, keylen);
	keptlen = keylen;
	return ctx;
}

void
tw_hmac_hex(const void *key, size_t keylen, const char *msg, char out[65])
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen = 0;
	size_t		 len = 0;
	EVP_MAC_CTX	*base, *c = NULL;

	if ((base = hmac_keyed(key, keylen)) != NULL &&
	    (c = EVP_MAC_CTX_dup(base)) != NULL &&
	    EVP_MAC_update(c, (const unsigned char *)msg, strlen(msg)) &&
	    EVP_MAC_final(c, md, &len, sizeof(md)))
		mdlen = (unsigned int)len;
	else
		HMAC(EVP_sha256(), key, (int)keylen,
		    (const unsigned char *)msg, strlen(msg), md, &mdlen);
	EVP_MAC_CTX_free(c);
	to_hex(md, mdlen, out);
}

int
tw_ct_equal(const void *a, const void *b, size_t n)
{
	const unsigned char	*x = a, *y = b;
	unsigned char		 d = 0;
	size_t			 i;

	for (i = 0; i < n; i++)
		d |= x[i] ^ y[i];
	return d == 0;
}

int
tw_hex_decode(const char *hex, unsigned char *out, size_t max)
{
	size_t	i, n = strlen(hex);
	int	hi, lo;

	if (n % 2 != 0 || n / 2 > max)
		return -1;
	for (i = 0; i < n / 2; i++) {
		hi = tw_hex_digit(hex[2 * i]);
		lo = tw_hex_digit(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return (int)(n / 2);
}

enum tw_err
tw_password_hash(const char *password, char *out, size_t outlen)
{
	unsigned char	salt[ARGON_SALT];
	int		rc;

	if (tw_random(salt, sizeof(salt)) != TW_OK)
		return TW_ERR_IO;
	rc = argon2id_hash_encoded(ARGON_T, ARGON_M_KIB, ARGON_P, password,
	    strlen(password), salt, sizeof(salt), ARGON_HASHLEN, out, outlen);
	return rc == ARGON2_OK ? TW_OK : TW_ERR_INTERNAL;
}

enum tw_err
tw_password_verify(const char *password, const char *phc, int *rehash)
{
	unsigned	m = 0, t = 0, p = 0;

	*rehash = 0;
	if (strncmp(phc, "$argon2id$", 10) != 0)
		return TW_ERR_FORBIDDEN;
	if (argon2id_verify(phc, password, strlen(password)) != ARGON2_OK)
		return TW_ERR_FORBIDDEN;

	/* $argon2id$v=19$m=...,t=...,p=...$salt$hash */
	if (sscanf(phc, "$argon2id$v=%*u$m=%u,t=%u,p=%u", &m, &t, &p) != 3 ||
	    m < ARGON_M_KIB || t < ARGON_T)
		*rehash = 1;
	return TW_OK;
}
