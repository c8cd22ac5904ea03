/*
 * log.h: one key=value line per event on stderr.
 *
 * Every line starts with the fixed context `ts= level= prog=` and, inside a
 * request, `req= method= path= status= ms= user=`; the event's own keys
 * follow.  Values with spaces, quotes or control bytes are quoted and
 * escaped, since many come from clients.
 */
#ifndef TW_LOG_H
#define TW_LOG_H

#include <stddef.h>

enum tw_log_level {
	TW_LOG_DEBUG,
	TW_LOG_INFO,
	TW_LOG_WARN,
	TW_LOG_ERROR,
	TW_LOG_FATAL,
	TW_LOG__MAX
};

/* Names the program in every line; the level from TW_LOG_LEVEL. */
void	tw_log_init(const char *prog);

/*
 * Writes one line: the context, then the pairs given as alternating key
 * and value strings, ended by NULL.  A NULL value is written as "-".
 */
void	tw_log(enum tw_log_level, const char *event, ...)
	    __attribute__((sentinel));

/* Appends `key=value` to dst (size n), quoting value as needed. */
void	tw_log_kv(char *dst, size_t n, const char *key, const char *value);

/* Logs an internal failure with the file and line that noticed it. */
#define tw_log_fail(what, detail) \
	tw_log(TW_LOG_ERROR, "failure", "what", (what), "detail", (detail), \
	    "at", __FILE__ ":" TW_STR(__LINE__), (char *)NULL)
#define TW_STR(x)	TW_STR2(x)
#define TW_STR2(x)	#x

#endif
