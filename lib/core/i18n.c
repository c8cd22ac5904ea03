/*
 * i18n.c: catalogs, language choice and locale-aware formatting.
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "conf.h"
#include "i18n.h"
#include "log.h"
#include "text.h"

static const char *const langs[] = { "en", "de" };
#define NLANGS	(sizeof(langs) / sizeof(langs[0]))

static struct json_object	*catalogs[NLANGS];

static int
lang_index(const char *lang)
{
	size_t	i;

	if (lang == NULL)
		return -1;
	for (i = 0; i < NLANGS; i++)
		if (strcasecmp(lang, langs[i]) == 0)
			return (int)i;
	return -1;
}

/* Adds the `key = text` lines of one catalog file to catalogs[i]. */
static enum tw_err
load_file(const char *path, size_t i)
{
	char	 line[2048], *eq, *s;
	FILE	*f;

	if ((f = fopen(path, "r")) == NULL) {
		tw_log(TW_LOG_ERROR, "catalog_open", "path", path,
		    (char *)NULL);
		return TW_ERR_IO;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		s = tw_trim(line);
		if (*s == '\0' || *s == '#' || (eq = strchr(s, '=')) == NULL)
			continue;
		*eq = '\0';
		json_object_object_add(catalogs[i], tw_trim(s),
		    json_object_new_string(tw_trim(eq + 1)));
	}
	fclose(f);
	return TW_OK;
}

/* Loads every dir/LANG/NAME.ini: one file per area of the program. */
static enum tw_err
load_lang(const char *dir, size_t i)
{
	char		 path[1024];
	DIR		*d;
	struct dirent	*e;
	size_t		 n;
	enum tw_err	 rc = TW_OK;

	snprintf(path, sizeof(path), "%s/%s", dir, langs[i]);
	if ((d = opendir(path)) == NULL) {
		tw_log(TW_LOG_ERROR, "catalog_open", "path", path,
		    (char *)NULL);
		return TW_ERR_IO;
	}
	if (catalogs[i] != NULL)
		json_object_put(catalogs[i]);
	catalogs[i] = json_object_new_object();

	while (rc == TW_OK && (e = readdir(d)) != NULL) {
		n = strlen(e->d_name);
		if (n < 5 || strcmp(e->d_name + n - 4, ".ini") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s/%s", dir, langs[i],
		    e->d_name);
		rc = load_file(path, i);
	}
	closedir(d);
	return rc;
}

enum tw_err
tw_i18n_load(const char *dir)
{
	enum tw_err	rc;
	size_t		i;

	for (i = 0; i < NLANGS; i++)
		if ((rc = load_lang(dir, i)) != TW_OK)
			return rc;

	setenv("TZ", tw_conf_str("i18n", "timezone", "Europe/Berlin"), 1);
	tzset();
	return TW_OK;
}

/* The q value of one Accept-Language element ("de-DE;q=0.8"). */
static double
quality(const char *params)
{
	const char	*q = strstr(params, "q=");

	return q == NULL ? 1.0 : strtod(q + 2, NULL);
}

const char *
tw_i18n_pick(const char *user_lang, const char *accept)
{
	char		 copy[512], *save, *part, tag[3];
	double		 best_q = 0.0, q;
	int		 best = -1, i;

	if ((i = lang_index(user_lang)) >= 0)
		return langs[i];

	snprintf(copy, sizeof(copy), "%s", accept != NULL ? accept : "");
	for (part = strtok_r(copy, ",", &save); part != NULL;
	    part = strtok_r(NULL, ",", &save)) {
		part = tw_trim(part);
		if (!isalpha((unsigned char)part[0]) ||
		    !isalpha((unsigned char)part[1]))
			continue;
		tag[0] = part[0];
		tag[1] = part[1];
		tag[2] = '\0';
		if (isalpha((unsigned char)part[2]))
			continue;
		q = quality(part + 2);
		if ((i = lang_index(tag)) >= 0 && q > best_q) {
			best_q = q;
			best = i;
		}
	}
	if (best >= 0)
		return langs[best];
	if ((i = lang_index(tw_conf_str("i18n", "default", "en"))) >= 0)
		return langs[i];
	return langs[0];
}

struct json_object *
tw_i18n_catalog(const char *lang)
{
	int	i = lang_index(lang);

	if (i < 0)
		i = 0;
	if (catalogs[i] == NULL)
		catalogs[i] = json_object_new_object();
	return catalogs[i];
}

const char *
tw_t(const char *lang, const char *key)
{
	struct json_object	*v;

	if (json_object_object_get_ex(tw_i18n_catalog(lang), key, &v))
		return json_object_get_string(v);
	return key;
}

/* The number in the n digits at s, or -1 when one is not a digit. */
static int
digits(const char *s, int n)
{
	int	v = 0;

	for (; n > 0; n--, s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

/* Every listed row formats its dates, so this avoids sscanf and printf. */
time_t
tw_i18n_parse_utc(const char *s)
{
	struct tm	tm;

	if (s == NULL || strlen(s) < 19 || s[4] != '-' || s[7] != '-' ||
	    s[10] != ' ' || s[13] != ':' || s[16] != ':')
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = digits(s, 4) - 1900;
	tm.tm_mon = digits(s + 5, 2) - 1;
	tm.tm_mday = digits(s + 8, 2);
	tm.tm_hour = digits(s + 11, 2);
	tm.tm_min = digits(s + 14, 2);
	tm.tm_sec = digits(s + 17, 2);
	if (tm.tm_year < 0 || tm.tm_mon < 0 || tm.tm_mday < 0 ||
	    tm.tm_hour < 0 || tm.tm_min < 0 || tm.tm_sec < 0)
		return -1;
	return timegm(&tm);
}

static char *
put2(char *p, int v)
{
	*p++ = (char)('0' + v / 10 % 10);
	*p++ = (char)('0' + v % 10);
	return p;
}

void
tw_i18n_datetime(const char *lang, time_t t, char *out, size_t n)
{
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr",
	    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	char		 buf[32], *p = buf;
	struct tm	 tm;
	int		 year;

	localtime_r(&t, &tm);
	year = tm.tm_year + 1900;
	if (lang_index(lang) == 1) {
		p = put2(p, tm.tm_mday);
		*p++ = '.';
		p = put2(p, tm.tm_mon + 1);
		*p++ = '.';
	} else {
		if (tm.tm_mday >= 10)
			*p++ = (char)('0' + tm.tm_mday / 10);
		*p++ = (char)('0' + tm.tm_mday % 10);
		*p++ = ' ';
		memcpy(p, months[tm.tm_mon], 3);
		p += 3;
		*p++ = ' ';
	}
	p = put2(p, year / 100);
	p = put2(p, year % 100);
	*p++ = ' ';
	p = put2(p, tm.tm_hour);
	*p++ = ':';
	p = put2(p, tm.tm_min);
	*p = '\0';
	snprintf(out, n, "%s", buf);
}

/* Writes the digits of v grouped by sep in threes. */
static void
group(unsigned long long v, char sep, char *out, size_t n)
{
	char	digits[32], tmp[48];
	size_t	len, i, j = 0;

	len = (size_t)snprintf(digits, sizeof(digits), "%llu", v);
	for (i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			tmp[j++] = sep;
		tmp[j++] = digits[i];
	}
	tmp[j] = '\0';
	snprintf(out, n, "%s", tmp);
}

void
tw_i18n_number(const char *lang, long long v, char *out, size_t n)
{
	char			grouped[48];
	unsigned long long	mag;

	mag = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	group(mag, lang_index(lang) == 1 ? '.' : ',', grouped,
	    sizeof(grouped));
	snprintf(out, n, "%s%s", v < 0 ? "-" : "", grouped);
}

void
tw_i18n_money(const char *lang, long long cents, char *out, size_t n)
{
	char			euros[48];
	unsigned long long	mag;
	const char		*sign = cents < 0 ? "-" : "";

	mag = cents < 0 ? 0ULL - (unsigned long long)cents :
	    (unsigned long long)cents;
	if (lang_index(lang) == 1) {
		group(mag / 100, '.', euros, sizeof(euros));
		snprintf(out, n, "%s%s,%02llu\u00a0\u20ac", sign, euros,
		    mag % 100);
	} else {
		group(mag / 100, ',', euros, sizeof(euros));
		snprintf(out, n, "%s\u20ac%s.%02llu", sign, euros, mag % 100);
	}
}
