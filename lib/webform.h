/*
 * webform.h: web forms, through which a form on the provider's own
 * website raises tickets.
 *
 * A form belongs to a channel and has a public key, 128 random bits that
 * are both its address (/forms/KEY) and its only credential: any
 * visitor's browser must be able to post to it from another site, so
 * there is no sign-in and no CSRF token.  What keeps it from being
 * abused instead: the key, which only the provider's website shows and
 * an administrator can replace; a honeypot field that people never see
 * and robots fill in; and rate limits per client address and per form.
 *
 * A valid post raises a ticket in one transaction and changes nothing
 * else: the sender matched to a contact by address (or made one, as for
 * mail), a ticket of type "web_form" in the form's channel, the message
 * as its first item, visible to the customer, and the watchers alerted.
 */
#ifndef TW_WEBFORM_H
#define TW_WEBFORM_H

#include "err.h"

struct tw_arena;
struct tw_rows;

#define TW_WEBFORM_NAME_MAX	100	/* characters */
#define TW_WEBFORM_URL_MAX	2000	/* bytes of a thank-you URL */
#define TW_WEBFORM_KEY_HEX	32	/* hex digits of a public key */
#define TW_WEBFORM_MESSAGE_MAX	16000	/* characters: 64,000 bytes at most */

/* A new form, or a form's new state. */
struct tw_webform_edit {
	const char	*name;
	long long	 channel_id;
	const char	*thanks_url;	/* "" for Ticketwerk's own page */
	int		 active;
	int		 new_key;	/* replace the key (updates only) */
};

/* An active form, as the public endpoint sees it. */
struct tw_webform {
	long long	 id;
	const char	*name;
	const char	*key;
	long long	 channel_id;
	const char	*thanks_url;	/* NULL for Ticketwerk's own page */
};

/* What a visitor sent, checked by the caller. */
struct tw_webform_post {
	const char	*name;		/* of the sender */
	const char	*email;		/* as tw_email_norm() writes it */
	const char	*subject;
	const char	*message;
	const char	*remote_addr;	/* the client's address */
};

/*
 * Whether url may be a thank-you page: http or https, a host without
 * user name or password, only the printable ASCII characters a URL may
 * hold, at most TW_WEBFORM_URL_MAX bytes.
 */
int		tw_webform_url_valid(const char *url);

/* Whether key has the form of a public key: 32 lower-case hex digits. */
int		tw_webform_key_valid(const char *key);

/*
 * Every form by name: id, name, channel_id, channel, public_key,
 * thanks_url, active, and from the posts of the last day tickets (how
 * many raised one) and trapped (how many the honeypot caught).
 */
enum tw_err	tw_webform_list(struct tw_arena *, struct tw_rows **out);

/* One form, with the columns of the list; TW_ERR_NOTFOUND when none. */
enum tw_err	tw_webform_get(struct tw_arena *, long long id,
		    struct tw_rows **out);

/*
 * A new form with a new key.  TW_ERR_CONFLICT when the name is taken,
 * TW_ERR_INVALID when the channel does not exist.
 */
enum tw_err	tw_webform_add(struct tw_arena *,
		    const struct tw_webform_edit *, long long *id);

/*
 * Changes a form, and gives it a new key when asked to.
 * TW_ERR_NOTFOUND, TW_ERR_CONFLICT and TW_ERR_INVALID as for adding.
 */
enum tw_err	tw_webform_update(struct tw_arena *, long long id,
		    const struct tw_webform_edit *);

/*
 * The active form with this key.  TW_ERR_NOTFOUND for a key that is
 * malformed, unknown or of a disabled form: the three look the same.
 */
enum tw_err	tw_webform_find(struct tw_arena *, const char *key,
		    struct tw_webform *out);

/*
 * Whether one more post from addr may be taken within the hour:
 * TW_ERR_THROTTLED when the address reached [forms] per_address_hour
 * posts to this form, or the form [forms] per_form_hour posts from
 * anyone; *retry_after then says in how many seconds the oldest of them
 * stops counting.
 */
enum tw_err	tw_webform_admit(struct tw_arena *, const struct tw_webform *,
		    const char *addr, long *retry_after);

/*
 * Records a post the honeypot caught, so that it counts for the rate
 * limits; nothing else comes of it.
 */
enum tw_err	tw_webform_trap(const struct tw_webform *, const char *addr);

/*
 * Raises the ticket for a post, in one transaction (see above); *number
 * gets its number.
 */
enum tw_err	tw_webform_raise(struct tw_arena *, const struct tw_webform *,
		    const struct tw_webform_post *, long long *number);

/*
 * Deletes posts older than a day, a batch at a time; *more says the
 * batch was full.  A task of the job runner.
 */
enum tw_err	tw_webform_tidy(struct tw_arena *, int *more);

#endif
