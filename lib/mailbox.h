/*
 * mailbox.h: the mailboxes polled over IMAP, as the administration sees
 * them: where each one is, how to log in, which channel it feeds, and
 * how its polling went.
 *
 * Passwords are kept sealed (secret.h) under [mail] key and bound to
 * the mailbox's id; they are written, never shown.  The polling itself
 * is mailbox_poll.c's.
 */
#ifndef TW_MAILBOX_H
#define TW_MAILBOX_H

#include <stddef.h>

#include "err.h"
#include "secret.h"

struct tw_arena;
struct tw_rows;

#define TW_MAILBOX_POLL_MIN	30		/* seconds */
#define TW_MAILBOX_POLL_MAX	86400
#define TW_MAILBOX_POLL_DEFAULT	300
#define TW_MAILBOX_PASSWORD_MAX	512		/* bytes */

/* A mailbox as a form writes it. */
struct tw_mailbox_edit {
	const char	*name;
	const char	*url;		/* checked by tw_imap_url_parse() */
	const char	*username;
	const char	*password;	/* "" or NULL on a change: keep it */
	long long	 channel_id;
	long long	 poll_seconds;
	const char	*unknown_senders;	/* "domain" or "unassigned" */
	int		 enabled;
};

/*
 * Every mailbox with its channel's name and its state: id, name, url,
 * username, channel_id, channel, poll_seconds, unknown_senders, enabled,
 * has_password, last_poll_at, last_error, last_error_at, taken,
 * dropped, refused.  Never the password.
 */
enum tw_err	tw_mailbox_list(struct tw_arena *, struct tw_rows **out);

/* One mailbox as in the list; TW_ERR_NOTFOUND when there is none. */
enum tw_err	tw_mailbox_get(struct tw_arena *, long long id,
		    struct tw_rows **out);

/*
 * Adds a mailbox, due for polling at once; *id its id.  TW_ERR_CONFLICT
 * when the name is taken, TW_ERR_NOTFOUND when the channel does not
 * exist, TW_ERR_UNAVAILABLE when [mail] key is not set (nothing can be
 * sealed).
 */
enum tw_err	tw_mailbox_add(struct tw_arena *,
		    const struct tw_mailbox_edit *, long long *id);

/*
 * Changes a mailbox and makes it due at once.  A changed URL or user
 * name starts the mailbox over (its folder is another one): every
 * message there is looked at again, and those taken in before are
 * recognised by their Message-ID.  Codes as for tw_mailbox_add(), and
 * TW_ERR_NOTFOUND for no such mailbox.
 */
enum tw_err	tw_mailbox_update(struct tw_arena *, long long id,
		    const struct tw_mailbox_edit *);

/* Switches polling on or off; TW_ERR_NOTFOUND when there is none. */
enum tw_err	tw_mailbox_enable(long long id, int enabled);

/* Deletes a mailbox; TW_ERR_NOTFOUND when there is none. */
enum tw_err	tw_mailbox_delete(long long id);

/* The key of [mail] key; TW_ERR_UNAVAILABLE when it is unset or bad. */
enum tw_err	tw_mailbox_key(unsigned char key[TW_SECRET_KEY_LEN]);

/*
 * Opens the sealed password of mailbox id (len bytes from its
 * password_sealed column) into *password, in the arena.
 * TW_ERR_FORBIDDEN when it does not open (another key, another row).
 */
enum tw_err	tw_mailbox_password(struct tw_arena *, long long id,
		    const char *sealed, size_t len, char **password);

#endif
