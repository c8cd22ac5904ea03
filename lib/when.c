/*
 * when.c: reading and writing the date-times of forms.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "when.h"

/* Reads exactly n digits at *s into *v and advances; -1 if not digits. */
static int
digits(const char **s, int n, int *v)
{
	*v = 0;
	while (n-- > 0) {
		if (!isdigit((unsigned char)**s))
			return -1;
		*v = *v * 10 + (**s - '0');
		(*s)++;
	}
	return 0;
}

/* Whether *s is c; advances past it when it is. */
static int
expect(const char **s, char c)
{
	if (**s != c)
		return 0;
	(*s)++;
	return 1;
}

static int
month_days(int year, int month)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (month == 2 && year % 4 == 0 && (year % 100 != 0 ||
	    year % 400 == 0))
		return 29;
	return days[month - 1];
}

int
tw_when_parse(const char *s, time_t *out)
{
	struct tm	tm;
	int		y, mo, d, h, mi, sec = 0, utc;

	if (s == NULL || digits(&s, 4, &y) != 0 || !expect(&s, '-') ||
	    digits(&s, 2, &mo) != 0 || !expect(&s, '-') ||
	    digits(&s, 2, &d) != 0 || (!expect(&s, 'T') && !expect(&s, ' ')) ||
	    digits(&s, 2, &h) != 0 || !expect(&s, ':') ||
	    digits(&s, 2, &mi) != 0)
		return -1;
	if (expect(&s, ':') && digits(&s, 2, &sec) != 0)
		return -1;
	utc = expect(&s, 'Z');
	if (*s != '\0')
		return -1;

	if (y < 2000 || y > 2199 || mo < 1 || mo > 12 || d < 1 ||
	    d > month_days(y, mo) || h > 23 || mi > 59 || sec > 59)
		return -1;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	tm.tm_isdst = -1;
	*out = utc ? timegm(&tm) : mktime(&tm);
	return *out == (time_t)-1 ? -1 : 0;
}

void
tw_when_input(time_t t, char *out, size_t n)
{
	struct tm	tm;

	if (localtime_r(&t, &tm) == NULL ||
	    strftime(out, n, "%Y-%m-%dT%H:%M", &tm) == 0)
		snprintf(out, n, "%s", "");
}

void
tw_when_sql(time_t t, char *out, size_t n)
{
	struct tm	tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, n, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		snprintf(out, n, "%s", "");
}
