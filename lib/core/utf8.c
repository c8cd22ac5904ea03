/*
 * utf8.c: tw_utf8_valid(), the UTF-8 check declared in form.h, which the
 * form parsers run on every name, value, file name and JSON body.
 */
#include "config.h"

#include "form.h"

int
tw_utf8_valid(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, k, n;
	unsigned char		 c, lo, hi;

	while (i < len) {
		if ((c = p[i]) < 0x80) {
			i++;
			continue;
		}

		/*
		 * Table 3-7 of the Unicode Standard: the lead byte sets the
		 * length and the range of the second byte, which excludes
		 * overlong forms, surrogates and code points past U+10FFFF.
		 */
		lo = 0x80;
		hi = 0xBF;
		if (c >= 0xC2 && c <= 0xDF)
			n = 1;
		else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			if (c == 0xE0)
				lo = 0xA0;
			else if (c == 0xED)
				hi = 0x9F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			if (c == 0xF0)
				lo = 0x90;
			else if (c == 0xF4)
				hi = 0x8F;
		} else
			return 0;

		if (len - i - 1 < n || p[i + 1] < lo || p[i + 1] > hi)
			return 0;
		for (k = 2; k <= n; k++)
			if ((p[i + k] & 0xC0) != 0x80)
				return 0;
		i += n + 1;
	}
	return 1;
}
