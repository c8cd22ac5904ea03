/*
 * arena.h: the per-request memory pool.
 *
 * Everything a request allocates comes from one arena and is released in
 * one step by tw_arena_reset() after the response.  Resources the arena
 * did not allocate (a json-c object, a prepared statement, an xmlDoc) are
 * registered with tw_arena_cleanup() and released by the same reset, in
 * reverse order of registration.
 *
 * Allocation failures abort the process: a worker that cannot get memory
 * is replaced by multiwatch, which is safer than limping on.
 */
#ifndef TW_ARENA_H
#define TW_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct tw_arena;

/* A new, empty arena; free it with tw_arena_free(). */
struct tw_arena	*tw_arena_new(void);

/* Runs the cleanups and releases all blocks but the first. */
void		 tw_arena_reset(struct tw_arena *);

/* Resets the arena and frees it; NULL is ignored. */
void		 tw_arena_free(struct tw_arena *);

/* n bytes aligned for any type, uninitialised / zeroed. */
void		*tw_arena_alloc(struct tw_arena *, size_t n);
void		*tw_arena_calloc(struct tw_arena *, size_t count, size_t size);

/* Copies of strings, always NUL-terminated. */
char		*tw_arena_strdup(struct tw_arena *, const char *);
char		*tw_arena_strndup(struct tw_arena *, const char *, size_t);
char		*tw_arena_memdup(struct tw_arena *, const void *, size_t);
/* a and b one after the other (NULL as ""), without printf's cost. */
char		*tw_arena_concat(struct tw_arena *, const char *a,
		    const char *b);

/* A formatted string in the arena. */
char		*tw_arena_printf(struct tw_arena *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
char		*tw_arena_vprintf(struct tw_arena *, const char *, va_list)
		    __attribute__((format(printf, 2, 0)));

/* Calls fn(arg) at the next reset, after cleanups registered later. */
void		 tw_arena_cleanup(struct tw_arena *, void (*fn)(void *),
		    void *arg);

/* Bytes handed out since the last reset (for tests and logging). */
size_t		 tw_arena_used(const struct tw_arena *);

#endif
