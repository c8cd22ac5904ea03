/*
 * addrlist.h: lists of e-mail addresses, as a mail's To and Cc carry them
 * and as an agent types the copies of a reply.
 *
 * A list holds each address once (compared without regard to case), in
 * the order first seen, in the stored form of tw_email_norm(), and at
 * most TW_ADDRLIST_MAX of them.  Stored in the database and shown, a
 * list is its addresses joined by ", ".
 */
#ifndef TW_ADDRLIST_H
#define TW_ADDRLIST_H

#include <stddef.h>

#include "err.h"

struct tw_arena;

#define TW_ADDRLIST_MAX	20

struct tw_addrlist {
	const char	*addr[TW_ADDRLIST_MAX];
	size_t		 n;
};

/* Whether list holds addr. */
int		tw_addrlist_has(const struct tw_addrlist *, const char *addr);

/*
 * Adds addr unless the list holds it already.  TW_ERR_INVALID when addr
 * is not an address tw_email_norm() takes, TW_ERR_TOOBIG when the list
 * is full; the list is unchanged then.  The copy is in the arena.
 */
enum tw_err	tw_addrlist_add(struct tw_arena *, struct tw_addrlist *,
		    const char *addr);

/* Takes addr out of the list, keeping the order of the rest. */
void		tw_addrlist_remove(struct tw_addrlist *, const char *addr);

/*
 * Reads the addresses in text, separated by commas, semicolons or white
 * space, into list (which keeps what it had).  On TW_ERR_INVALID *bad is
 * the first piece that is no address, in the arena; TW_ERR_TOOBIG when
 * there are more than the list has room for.
 */
enum tw_err	tw_addrlist_parse(struct tw_arena *, const char *text,
		    struct tw_addrlist *, const char **bad);

/*
 * Whether text, addresses separated as tw_addrlist_parse() reads them,
 * names addr (without regard to case).  NULL names none.
 */
int		tw_addrlist_text_has(const char *text, const char *addr);

/*
 * Adds the addresses of text (as above, or NULL) that except (the same,
 * or NULL) does not name, passing quietly over pieces that are no
 * address and stopping when the list is full.
 */
void		tw_addrlist_add_text(struct tw_arena *, struct tw_addrlist *,
		    const char *text, const char *except);

/* The addresses joined by ", ", or NULL for an empty list.  In the arena. */
const char	*tw_addrlist_join(struct tw_arena *,
		    const struct tw_addrlist *);

#endif
