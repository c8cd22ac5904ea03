/*
 * addrlist.c: lists of e-mail addresses.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "addrlist.h"
#include "arena.h"
#include "buf.h"
#include "email.h"

#define SEPARATORS	",; \t\r\n"

int
tw_addrlist_has(const struct tw_addrlist *l, const char *addr)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		if (strcasecmp(l->addr[i], addr) == 0)
			return 1;
	return 0;
}

enum tw_err
tw_addrlist_add(struct tw_arena *a, struct tw_addrlist *l, const char *addr)
{
	char	norm[TW_EMAIL_MAX + 1];

	if (strlen(addr) > TW_EMAIL_MAX || tw_email_norm(addr, norm) != TW_OK)
		return TW_ERR_INVALID;
	if (tw_addrlist_has(l, norm))
		return TW_OK;
	if (l->n == TW_ADDRLIST_MAX)
		return TW_ERR_TOOBIG;

	l->addr[l->n++] = tw_arena_strdup(a, norm);
	return TW_OK;
}

void
tw_addrlist_remove(struct tw_addrlist *l, const char *addr)
{
	size_t	i, kept = 0;

	for (i = 0; i < l->n; i++)
		if (strcasecmp(l->addr[i], addr) != 0)
			l->addr[kept++] = l->addr[i];
	l->n = kept;
}

/*
 * The next piece of *text between separators: its start, with its length
 * in *len and *text moved past it; NULL at the end.
 */
static const char *
next_piece(const char **text, size_t *len)
{
	const char	*piece;

	piece = *text + strspn(*text, SEPARATORS);
	if (*piece == '\0')
		return NULL;
	*len = strcspn(piece, SEPARATORS);
	*text = piece + *len;
	return piece;
}

enum tw_err
tw_addrlist_parse(struct tw_arena *a, const char *text,
    struct tw_addrlist *l, const char **bad)
{
	const char	*piece;
	size_t		 len;
	enum tw_err	 rc;

	*bad = NULL;
	while ((piece = next_piece(&text, &len)) != NULL) {
		piece = tw_arena_strndup(a, piece, len);
		if ((rc = tw_addrlist_add(a, l, piece)) != TW_OK) {
			if (rc == TW_ERR_INVALID)
				*bad = piece;
			return rc;
		}
	}
	return TW_OK;
}

int
tw_addrlist_text_has(const char *text, const char *addr)
{
	const char	*piece;
	size_t		 len, n = strlen(addr);

	if (text == NULL)
		return 0;
	while ((piece = next_piece(&text, &len)) != NULL)
		if (len == n && strncasecmp(piece, addr, n) == 0)
			return 1;
	return 0;
}

void
tw_addrlist_add_text(struct tw_arena *a, struct tw_addrlist *l,
    const char *text, const char *except)
{
	const char	*piece;
	size_t		 len;

	if (text == NULL)
		return;
	while (l->n < TW_ADDRLIST_MAX &&
	    (piece = next_piece(&text, &len)) != NULL) {
		piece = tw_arena_strndup(a, piece, len);
		if (!tw_addrlist_text_has(except, piece))
			(void)tw_addrlist_add(a, l, piece);
	}
}

const char *
tw_addrlist_join(struct tw_arena *a, const struct tw_addrlist *l)
{
	struct tw_buf	b;
	size_t		i;

	if (l->n == 0)
		return NULL;
	tw_buf_init(&b, a);
	for (i = 0; i < l->n; i++) {
		if (i > 0)
			tw_buf_puts(&b, ", ");
		tw_buf_puts(&b, l->addr[i]);
	}
	return b.data;
}
