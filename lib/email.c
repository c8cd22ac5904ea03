/*
 * email.c: the e-mail address check.
 */
#include "config.h"

#include <ctype.h>
#include <string.h>

#include "email.h"

#define LABEL_MAX	63

/* RFC 5322 atext: what a dot-atom may hold besides the dots. */
static int
atext(unsigned char c)
{
	return isalnum(c) || (c != '\0' && strchr("!#$%&'*+/=?^_`{|}~-",
	    c) != NULL);
}

/* Whether the len bytes at s are a dot-atom. */
static int
local_ok(const char *s, size_t len)
{
	size_t	i;

	if (len == 0 || len > TW_EMAIL_LOCAL_MAX || s[0] == '.' ||
	    s[len - 1] == '.')
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] == '.' && s[i + 1] == '.')
			return 0;
		if (s[i] != '.' && !atext((unsigned char)s[i]))
			return 0;
	}
	return 1;
}

/* Whether s is a host name of two labels or more (RFC 1123 2.1). */
static int
domain_ok(const char *s)
{
	const char	*label = s, *p;
	size_t		 len, labels = 0;
	int		 alldigits = 1;

	for (p = s; ; p++) {
		if (*p != '.' && *p != '\0') {
			if (!isalnum((unsigned char)*p) && *p != '-')
				return 0;
			continue;
		}
		len = (size_t)(p - label);
		if (len == 0 || len > LABEL_MAX || label[0] == '-' ||
		    label[len - 1] == '-')
			return 0;
		labels++;
		alldigits = strspn(label, "0123456789") >= len;
		if (*p == '\0')
			break;
		label = p + 1;
	}
	return labels >= 2 && !alldigits;
}

enum tw_err
tw_email_norm(const char *in, char out[TW_EMAIL_MAX + 1])
{
	const char	*at;
	size_t		 len, i;

	*out = '\0';
	if (in == NULL || (len = strlen(in)) > TW_EMAIL_MAX ||
	    (at = strrchr(in, '@')) == NULL)
		return TW_ERR_INVALID;
	if (!local_ok(in, (size_t)(at - in)) || !domain_ok(at + 1))
		return TW_ERR_INVALID;

	memcpy(out, in, len + 1);
	for (i = (size_t)(at - in) + 1; i < len; i++)
		out[i] = (char)tolower((unsigned char)out[i]);
	return TW_OK;
}
