/*
 * test_secret.c: sealing secrets with AES-256-GCM: keys from the
 * configuration, round trips, and refusal of another key, another
 * owner, any flipped bit, another version and cut input.
 */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "secret.h"
#include "suites.h"

static const char key_hex[] =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

START_TEST(test_secret_key)
{
	unsigned char	key[TW_SECRET_KEY_LEN];

	ck_assert_int_eq(tw_secret_key(key_hex, key), TW_OK);
	ck_assert_uint_eq(key[31], 0x1f);
	ck_assert_int_eq(tw_secret_key("", key), TW_ERR_INVALID);
	ck_assert_int_eq(tw_secret_key("00ff", key), TW_ERR_INVALID);
	ck_assert_int_eq(tw_secret_key("0000000000000000000000000000000000000"
	    "000000000000000000000000000", key), TW_ERR_INVALID);
	ck_assert_int_eq(tw_secret_key("zz0102030405060708090a0b0c0d0e0f1011"
	    "12131415161718191a1b1c1d1e1f", key), TW_ERR_INVALID);
	ck_assert_int_eq(tw_secret_key(NULL, key), TW_ERR_INVALID);
}
END_TEST

START_TEST(test_secret_round_trip)
{
	struct tw_arena	*a = tw_arena_new();
	unsigned char	 key[TW_SECRET_KEY_LEN], *s1, *s2;
	size_t		 n1, n2, len;
	char		*plain;

	ck_assert_int_eq(tw_secret_key(key_hex, key), TW_OK);
	ck_assert_int_eq(tw_secret_seal(a, key, "mailbox:7", "pass wörd", 10,
	    &s1, &n1), TW_OK);
	ck_assert_uint_eq(n1, 10 + TW_SECRET_OVERHEAD);
	ck_assert_uint_eq(s1[0], 1);
	ck_assert(memmem(s1, n1, "pass", 4) == NULL);

	ck_assert_int_eq(tw_secret_open(a, key, "mailbox:7", s1, n1, &plain,
	    &len), TW_OK);
	ck_assert_uint_eq(len, 10);
	ck_assert_str_eq(plain, "pass wörd");

	/* A fresh nonce each time: the same secret seals differently. */
	ck_assert_int_eq(tw_secret_seal(a, key, "mailbox:7", "pass wörd", 10,
	    &s2, &n2), TW_OK);
	ck_assert_uint_eq(n2, n1);
	ck_assert(memcmp(s1, s2, n1) != 0);

	ck_assert_int_eq(tw_secret_seal(a, key, "mailbox:7", "", 0, &s2,
	    &n2), TW_OK);
	ck_assert_int_eq(tw_secret_open(a, key, "mailbox:7", s2, n2, &plain,
	    &len), TW_OK);
	ck_assert_uint_eq(len, 0);
	tw_arena_free(a);
}
END_TEST

START_TEST(test_secret_refused)
{
	struct tw_arena	*a = tw_arena_new();
	unsigned char	 key[TW_SECRET_KEY_LEN], other[TW_SECRET_KEY_LEN];
	unsigned char	*s, *copy;
	size_t		 n, len, bit;
	char		*plain;

	ck_assert_int_eq(tw_secret_key(key_hex, key), TW_OK);
	memcpy(other, key, sizeof(other));
	other[5] ^= 0x40;
	ck_assert_int_eq(tw_secret_seal(a, key, "mailbox:7", "secret1", 7,
	    &s, &n), TW_OK);

	ck_assert_int_eq(tw_secret_open(a, other, "mailbox:7", s, n, &plain,
	    &len), TW_ERR_FORBIDDEN);
	ck_assert_int_eq(tw_secret_open(a, key, "mailbox:8", s, n, &plain,
	    &len), TW_ERR_FORBIDDEN);
	ck_assert_int_eq(tw_secret_open(a, key, "mailbox:70", s, n, &plain,
	    &len), TW_ERR_FORBIDDEN);

	/* Every single flipped bit after the version byte is noticed. */
	copy = tw_arena_alloc(a, n);
	for (bit = 8; bit < n * 8; bit++) {
		memcpy(copy, s, n);
		copy[bit / 8] ^= (unsigned char)(1u << (bit % 8));
		ck_assert_msg(tw_secret_open(a, key, "mailbox:7", copy, n,
		    &plain, &len) == TW_ERR_FORBIDDEN, "bit %zu", bit);
	}

	/* Another version, a cut tag, nothing at all. */
	memcpy(copy, s, n);
	copy[0] = 2;
	ck_assert_int_eq(tw_secret_open(a, key, "mailbox:7", copy, n, &plain,
	    &len), TW_ERR_INVALID);
	ck_assert_int_eq(tw_secret_open(a, key, "mailbox:7", s, n - 1,
	    &plain, &len), TW_ERR_FORBIDDEN);
	ck_assert_int_eq(tw_secret_open(a, key, "mailbox:7", s,
	    TW_SECRET_OVERHEAD - 1, &plain, &len), TW_ERR_INVALID);
	ck_assert_int_eq(tw_secret_open(a, key, "mailbox:7", s, 0, &plain,
	    &len), TW_ERR_INVALID);
	tw_arena_free(a);
}
END_TEST

Suite *
tw_secret_suite(void)
{
	Suite	*s = suite_create("secret");
	TCase	*tc = tcase_create("secret");

	tcase_add_test(tc, test_secret_key);
	tcase_add_test(tc, test_secret_round_trip);
	tcase_add_test(tc, test_secret_refused);
	suite_add_tcase(s, tc);
	return s;
}
