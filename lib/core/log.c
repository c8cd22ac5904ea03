/*
 * log.c: key=value lines on stderr.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "log.h"

static const char	*prog = "ticketwerk";
static enum tw_log_level min_level = TW_LOG_INFO;

static const char *const level_names[TW_LOG__MAX] = {
	"debug", "info", "warn", "error", "fatal"
};

void
tw_log_init(const char *name)
{
	const char	*env;
	int		 i;

	prog = name;
	if ((env = getenv("TW_LOG_LEVEL")) == NULL)
		return;
	for (i = 0; i < TW_LOG__MAX; i++)
		if (strcasecmp(env, level_names[i]) == 0)
			min_level = (enum tw_log_level)i;
}

/* Whether v can be written bare: printable ASCII without space, quote, =. */
static int
is_bare(const char *v)
{
	const unsigned char *p;

	if (*v == '\0')
		return 0;
	for (p = (const unsigned char *)v; *p != '\0'; p++)
		if (*p <= ' ' || *p >= 0x7f || *p == '"' || *p == '=' ||
		    *p == '\\')
			return 0;
	return 1;
}

void
tw_log_kv(char *dst, size_t n, const char *key, const char *value)
{
	size_t			 len = strlen(dst);
	const unsigned char	*p;
	int			 w;

	if (value == NULL)
		value = "-";
	if (len + 1 >= n)
		return;
	w = snprintf(dst + len, n - len, "%s%s=", len ? " " : "", key);
	if (w < 0 || (size_t)w >= n - len)
		return;
	len += (size_t)w;

	if (is_bare(value)) {
		snprintf(dst + len, n - len, "%s", value);
		return;
	}

	/* Quoted: escape quote, backslash and every control byte. Bytes of
	 * UTF-8 sequences pass through; a cut sequence at the end is fine. */
	if (len + 2 >= n)
		return;
	dst[len++] = '"';
	for (p = (const unsigned char *)value; *p != '\0' && len + 6 < n; p++) {
		if (*p == '"' || *p == '\\') {
			dst[len++] = '\\';
			dst[len++] = (char)*p;
		} else if (*p < 0x20 || *p == 0x7f) {
			len += (size_t)snprintf(dst + len, n - len, "\\x%02x",
			    *p);
		} else
			dst[len++] = (char)*p;
	}
	dst[len++] = '"';
	dst[len] = '\0';
}

void
tw_log(enum tw_log_level level, const char *event, ...)
{
	char		 line[4096], ts[32];
	size_t		 n;
	struct timespec	 now;
	struct tm	 tm;
	va_list		 ap;
	const char	*k, *v;

	if (level < min_level)
		return;

	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	n = strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(ts + n, sizeof(ts) - n, ".%03dZ",
	    (int)(now.tv_nsec / 1000000) % 1000);

	line[0] = '\0';
	tw_log_kv(line, sizeof(line), "ts", ts);
	tw_log_kv(line, sizeof(line), "level", level_names[level]);
	tw_log_kv(line, sizeof(line), "prog", prog);
	tw_log_kv(line, sizeof(line), "event", event);

	va_start(ap, event);
	while ((k = va_arg(ap, const char *)) != NULL) {
		v = va_arg(ap, const char *);
		tw_log_kv(line, sizeof(line), k, v);
	}
	va_end(ap);

	fprintf(stderr, "%s\n", line);
}
