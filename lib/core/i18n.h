/*
 * i18n.h: message catalogs and locale formatting (German and English).
 *
 * Catalogs are htdocs/locale/LANG/NAME.ini files (one per area of the
 * program) of `key = text` lines, loaded once per process.  Templates
 * read them as {{t.key}}; code reads them with tw_t().  Instants are
 * stored in UTC and shown in the display time zone (Europe/Berlin unless
 * [i18n] timezone says otherwise).
 */
#ifndef TW_I18N_H
#define TW_I18N_H

#include <stddef.h>
#include <time.h>

#include "err.h"

struct json_object;

/* Loads dir/LANG/NAME.ini for every language; sets the time zone. */
enum tw_err	 tw_i18n_load(const char *dir);

/*
 * The language to answer in: the user's own setting when it names a
 * catalog, else the best match of the Accept-Language header, else the
 * default ([i18n] default, "en").  Returns a static string.
 */
const char	*tw_i18n_pick(const char *user_lang,
		    const char *accept_language);

/* The text for key in lang; the key itself when it is missing. */
const char	*tw_t(const char *lang, const char *key);

/* The whole catalog of lang as a JSON object (borrowed, never NULL). */
struct json_object *tw_i18n_catalog(const char *lang);

/* Parses "YYYY-MM-DD HH:MM:SS[.ffffff]" in UTC; -1 when malformed. */
time_t		 tw_i18n_parse_utc(const char *);

/* 03.12.2026 17:45 (de) or 3 Dec 2026 17:45 (en), in the display zone. */
void		 tw_i18n_datetime(const char *lang, time_t, char *out,
		    size_t n);

/* 100.000 (de) or 100,000 (en). */
void		 tw_i18n_number(const char *lang, long long, char *out,
		    size_t n);

/* 1.486,00 € (de) or €1,486.00 (en), from integer cents in euro. */
void		 tw_i18n_money(const char *lang, long long cents, char *out,
		    size_t n);

#endif
