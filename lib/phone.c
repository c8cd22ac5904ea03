/*
 * phone.c: the E.164 normaliser.
 */
#include "config.h"

#include <ctype.h>
#include <string.h>

#include "phone.h"

#define DIGITS_MIN	7
#define DIGITS_MAX	15

/* Whether the first two digits of s are "00", the international prefix. */
static int
double_zero(const char *s)
{
	int	zeros = 0;

	for (; *s != '\0' && zeros < 2; s++) {
		if (*s == '0')
			zeros++;
		else if (isdigit((unsigned char)*s))
			return 0;
	}
	return zeros == 2;
}

/*
 * Copies the digits of s to out (room for max digits), checking that
 * everything else is a separator.  "(0)" after the country code is
 * skipped when drop_trunk is set.  Returns the number of digits, or -1
 * for anything malformed.
 */
static int
collect(const char *s, int drop_trunk, char *out, size_t max)
{
	size_t	n = 0;
	int	open = 0, parens = 0;

	for (; *s != '\0'; s++) {
		if (drop_trunk && n > 0 && strncmp(s, "(0)", 3) == 0) {
			s += 2;
			continue;
		}
		if (isdigit((unsigned char)*s)) {
			if (n == max)
				return -1;
			out[n++] = *s;
		} else if (*s == '(') {
			if (open || parens++ > 0)
				return -1;
			open = 1;
		} else if (*s == ')') {
			if (!open)
				return -1;
			open = 0;
		} else if (*s != ' ' && *s != '-' && *s != '.' && *s != '/')
			return -1;
	}
	return open ? -1 : (int)n;
}

enum tw_err
tw_phone_e164(const char *in, const char *default_cc,
    char out[TW_PHONE_E164_MAX + 1])
{
	char		 digits[DIGITS_MAX + 8];
	const char	*p = in;
	size_t		 cclen = 0, n;
	int		 got, international = 0;

	*out = '\0';
	if (in == NULL || strlen(in) > TW_PHONE_INPUT_MAX)
		return TW_ERR_INVALID;
	while (*p == ' ')
		p++;

	/* The prefix says whether a country code follows. */
	if (*p == '+') {
		international = 1;
		p++;
	} else if (double_zero(p))
		international = 2;
	got = collect(p, international, digits, sizeof(digits) - 1);
	if (got < 0)
		return TW_ERR_INVALID;
	digits[got] = '\0';
	if (international == 2) {
		memmove(digits, digits + 2, (size_t)got - 1);
		got -= 2;
	}

	/* A national number: the trunk 0 gives way to the country code. */
	if (!international) {
		if (digits[0] != '0' || default_cc == NULL)
			return TW_ERR_INVALID;
		cclen = strlen(default_cc);
		if (cclen == 0 || cclen > 3 || strspn(default_cc,
		    "0123456789") != cclen || default_cc[0] == '0')
			return TW_ERR_INVALID;
	}

	n = cclen + (size_t)got - (international ? 0 : 1);
	if (n < DIGITS_MIN || n > DIGITS_MAX)
		return TW_ERR_INVALID;
	if (international && digits[0] == '0')
		return TW_ERR_INVALID;

	out[0] = '+';
	if (!international)
		memcpy(out + 1, default_cc, cclen);
	memcpy(out + 1 + cclen, digits + (international ? 0 : 1),
	    n - cclen);
	out[1 + n] = '\0';
	return TW_OK;
}
