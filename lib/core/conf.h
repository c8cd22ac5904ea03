/*
 * conf.h: the ini configuration file, with environment overrides.
 *
 * The file has [section] headers and key = value lines; '#' and ';' start
 * comments.  TW_<SECTION>_<KEY> in the environment (upper case) overrides
 * the file, so `TW_DB_SOCKET=/x` replaces [db] socket.  The values live
 * for the whole process.
 */
#ifndef TW_CONF_H
#define TW_CONF_H

#include "err.h"

struct tw_arena;

/*
 * Reads the file at path, or the one named by TW_CONFIG when path is NULL.
 * No file at all is fine (defaults and environment apply); a file that
 * cannot be parsed is TW_ERR_INVALID, and the line is logged.
 */
enum tw_err	 tw_conf_load(const char *path);

/* Parses ini text (for tests); replaces what was loaded before. */
enum tw_err	 tw_conf_parse(const char *text);

/* The value of section.key, the environment first; def when unset. */
const char	*tw_conf_str(const char *section, const char *key,
		    const char *def);

/* The value as a number; def when unset or not a whole number. */
long		 tw_conf_int(const char *section, const char *key, long def);

/*
 * The address of path (which starts with '/') as the outside world
 * reaches this site: [http] public_url without a trailing '/' followed
 * by path, or path alone when no public URL is set.  In the arena.
 */
const char	*tw_conf_url(struct tw_arena *, const char *path);

/* Forgets everything loaded. */
void		 tw_conf_clear(void);

#endif
