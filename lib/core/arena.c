/*
 * arena.c: a bump allocator over a list of blocks, with cleanups.
 *
 * The first block stays allocated across resets so that a worker serving
 * small requests calls malloc only for the odd large one.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

#define BLOCK_SIZE	(64 * 1024)
#define ALIGN		(_Alignof(max_align_t))

struct block {
	struct block	*next;
	size_t		 size;	/* usable bytes after the header */
	size_t		 used;
	max_align_t	 data[];
};

struct cleanup {
	struct cleanup	*next;
	void		(*fn)(void *);
	void		*arg;
};

struct tw_arena {
	struct block	*head;		/* current block, newest first */
	struct block	*first;		/* kept across resets */
	struct cleanup	*cleanups;	/* newest first */
	size_t		 total;
};

static void *
xmalloc(size_t n)
{
	void	*p;

	if ((p = malloc(n)) == NULL) {
		fprintf(stderr, "level=fatal event=oom bytes=%zu\n", n);
		abort();
	}
	return p;
}

static struct block *
block_new(size_t size)
{
	struct block	*b;

	if (size > SIZE_MAX - sizeof(*b)) {
		fprintf(stderr, "level=fatal event=oom bytes=%zu\n", size);
		abort();
	}
	b = xmalloc(sizeof(*b) + size);
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

struct tw_arena *
tw_arena_new(void)
{
	struct tw_arena	*a;

	a = xmalloc(sizeof(*a));
	a->head = a->first = block_new(BLOCK_SIZE);
	a->cleanups = NULL;
	a->total = 0;
	return a;
}

void
tw_arena_reset(struct tw_arena *a)
{
	struct cleanup	*c;
	struct block	*b, *next;

	/* The records live in the arena: unlink each before running it. */
	while ((c = a->cleanups) != NULL) {
		a->cleanups = c->next;
		c->fn(c->arg);
	}

	/* Keep only the first block, which is the standard size. */
	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		if (b != a->first)
			free(b);
	}
	a->head = a->first;
	a->first->next = NULL;
	a->first->used = 0;
	a->total = 0;
}

void
tw_arena_free(struct tw_arena *a)
{
	if (a == NULL)
		return;
	tw_arena_reset(a);
	free(a->head);
	free(a);
}

void *
tw_arena_alloc(struct tw_arena *a, size_t n)
{
	struct block	*b = a->head;
	size_t		 need;
	void		*p;

	if (n == 0)
		n = 1;
	if (n > SIZE_MAX - ALIGN) {
		fprintf(stderr, "level=fatal event=oom bytes=%zu\n", n);
		abort();
	}
	need = (n + ALIGN - 1) & ~(ALIGN - 1);

	if (b->size - b->used < need) {
		/* Big requests get a block of their own behind the current one,
		 * so the rest of the current block is not wasted. */
		if (need > BLOCK_SIZE / 4) {
			struct block *big = block_new(need);

			big->used = need;
			big->next = b->next;
			b->next = big;
			a->total += need;
			return big->data;
		}
		b = block_new(BLOCK_SIZE);
		b->next = a->head;
		a->head = b;
	}

	p = (char *)b->data + b->used;
	b->used += need;
	a->total += need;
	return p;
}

void *
tw_arena_calloc(struct tw_arena *a, size_t count, size_t size)
{
	void	*p;

	if (size != 0 && count > SIZE_MAX / size) {
		fprintf(stderr, "level=fatal event=oom count=%zu size=%zu\n",
		    count, size);
		abort();
	}
	p = tw_arena_alloc(a, count * size);
	memset(p, 0, count * size);
	return p;
}

char *
tw_arena_memdup(struct tw_arena *a, const void *src, size_t n)
{
	char	*p;

	p = tw_arena_alloc(a, n + 1);
	if (n > 0)
		memcpy(p, src, n);
	p[n] = '\0';
	return p;
}

char *
tw_arena_concat(struct tw_arena *a, const char *s1, const char *s2)
{
	size_t	 n1, n2;
	char	*p;

	if (s1 == NULL)
		s1 = "";
	if (s2 == NULL)
		s2 = "";
	n1 = strlen(s1);
	n2 = strlen(s2);
	p = tw_arena_alloc(a, n1 + n2 + 1);

	memcpy(p, s1, n1);
	memcpy(p + n1, s2, n2 + 1);
	return p;
}

char *
tw_arena_strndup(struct tw_arena *a, const char *s, size_t n)
{
	return tw_arena_memdup(a, s, strnlen(s, n));
}

char *
tw_arena_strdup(struct tw_arena *a, const char *s)
{
	if (s == NULL)
		return NULL;
	return tw_arena_memdup(a, s, strlen(s));
}

char *
tw_arena_vprintf(struct tw_arena *a, const char *fmt, va_list ap)
{
	va_list	 ap2;
	int	 n;
	char	*p;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return tw_arena_strdup(a, "");

	p = tw_arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
tw_arena_printf(struct tw_arena *a, const char *fmt, ...)
{
	va_list	 ap;
	char	*p;

	va_start(ap, fmt);
	p = tw_arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

void
tw_arena_cleanup(struct tw_arena *a, void (*fn)(void *), void *arg)
{
	struct cleanup	*c;

	c = tw_arena_alloc(a, sizeof(*c));
	c->fn = fn;
	c->arg = arg;
	c->next = a->cleanups;
	a->cleanups = c;
}

size_t
tw_arena_used(const struct tw_arena *a)
{
	return a->total;
}
