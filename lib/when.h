/*
 * when.h: date-times as people type them and as forms show them.
 *
 * Agents enter times in the display time zone (Europe/Berlin unless
 * [i18n] timezone says otherwise, set process-wide by i18n.c); the
 * database holds UTC.  API clients may send UTC with a trailing Z.
 */
#ifndef TW_WHEN_H
#define TW_WHEN_H

#include <stddef.h>
#include <time.h>

/*
 * Parses "YYYY-MM-DDTHH:MM" with optional ":SS" (a space may stand for
 * the T) as a local time, or the same with a trailing 'Z' as UTC.  A
 * local time skipped by a clock change counts as the one an hour later.
 * Returns 0 with *out set, or -1 for anything else, including impossible
 * dates and years outside 2000..2199.
 */
int		tw_when_parse(const char *s, time_t *out);

/* t as "YYYY-MM-DDTHH:MM" local time, for a datetime-local input. */
void		tw_when_input(time_t t, char *out, size_t n);

/* t as "YYYY-MM-DD HH:MM:SS" in UTC, for a DATETIME column. */
void		tw_when_sql(time_t t, char *out, size_t n);

#endif
