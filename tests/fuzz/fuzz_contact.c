/*
 * fuzz_contact.c: libFuzzer harness for the contact input checks: the
 * E.164 normaliser and the e-mail address check.
 *
 * The input, cut at its first NUL, is given to both.  What they accept is
 * held to their promises: a number is '+' and 7 to 15 digits, the first
 * not 0, and normalising it again gives itself; an address has one '@',
 * is no longer than allowed, its domain is lower case, and checking it
 * again gives itself.
 */
#include "config.h"

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "email.h"
#include "phone.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_phone(const char *in)
{
	char	out[TW_PHONE_E164_MAX + 1], again[TW_PHONE_E164_MAX + 1];
	size_t	n;

	if (tw_phone_e164(in, "49", out) != TW_OK) {
		if (*out != '\0')
			abort();
		return;
	}
	n = strlen(out);
	if (out[0] != '+' || n < 8 || n > 16 || out[1] == '0' ||
	    strspn(out + 1, "0123456789") != n - 1)
		abort();
	if (tw_phone_e164(out, "49", again) != TW_OK ||
	    strcmp(out, again) != 0)
		abort();
}

static void
check_email(const char *in)
{
	char		 out[TW_EMAIL_MAX + 1], again[TW_EMAIL_MAX + 1];
	const char	*at, *p;

	if (tw_email_norm(in, out) != TW_OK)
		return;
	if (strlen(out) > TW_EMAIL_MAX || (at = strchr(out, '@')) == NULL ||
	    strchr(at + 1, '@') != NULL)
		abort();
	for (p = at + 1; *p != '\0'; p++)
		if (isupper((unsigned char)*p))
			abort();
	if (tw_email_norm(out, again) != TW_OK || strcmp(out, again) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s = malloc(size + 1);

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	check_phone(s);
	check_email(s);
	free(s);
	return 0;
}
