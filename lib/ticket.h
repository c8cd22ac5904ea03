/*
 * ticket.h: tickets and their items.
 *
 * Every function takes the acting user and sees only tickets of channels
 * that user is a member of: a ticket in another channel is reported as
 * not found, so ticket numbers cannot be probed.  Input is validated by
 * the caller; this module checks access and keeps writes atomic.
 */
#ifndef TW_TICKET_H
#define TW_TICKET_H

#include <stddef.h>

#include "err.h"

struct tw_arena;
struct tw_attachment_ref;
struct tw_rows;
struct tw_ticket_change;
struct tw_user;

#define TW_TICKET_SUBJECT_MAX	250	/* characters */
#define TW_TICKET_BODY_MAX	65536	/* bytes of an item's text */
#define TW_QUEUE_PAGE		50

enum tw_ticket_type {
	TW_TICKET_INTERNAL,
	TW_TICKET_EMAIL,
	TW_TICKET_ON_BEHALF,
	TW_TICKET_WEB_FORM,
	TW_TICKET_TYPE__MAX
};

enum tw_item_kind {
	TW_ITEM_EMAIL_IN,
	TW_ITEM_EMAIL_OUT,
	TW_ITEM_CALL,
	TW_ITEM_NOTE,
	TW_ITEM_INTERNAL,
	TW_ITEM_SYSTEM,
	TW_ITEM_WEB_FORM,
	TW_ITEM_KIND__MAX
};

struct tw_ticket_new {
	enum tw_ticket_type	 type;
	const char		*subject;
	const char		*body;		/* first item; may be "" */
	long long		 channel_id;
	int			 priority;	/* 1..9 */
	const char		*request_key;	/* idempotency key or NULL */
	long long		 contact_id;	/* 0: none; sets the org */
	const struct tw_attachment_ref *attachments;	/* of the first item */
	size_t			 nattachments;
};

struct tw_item_new {
	enum tw_item_kind	 kind;
	int			 customer_visible;
	const char		*body;
	struct tw_ticket_change	*change;	/* made with the item; NULL */
	const struct tw_attachment_ref *attachments;	/* stored already */
	size_t			 nattachments;
	const char		*to;	/* TW_ITEM_EMAIL_OUT: the address */
	const char		*cc;	/* and its copies (lib/addrlist.h) */
};

/* The SQL names of the enums (for parsing input and for views). */
const char	*tw_ticket_type_name(enum tw_ticket_type);
const char	*tw_item_kind_name(enum tw_item_kind);
int		 tw_ticket_type_parse(const char *, enum tw_ticket_type *);
int		 tw_item_kind_parse(const char *, enum tw_item_kind *);

/*
 * Opens a ticket in one transaction: the ticket, its first item and the
 * request key.  The same request key again returns the ticket it made
 * the first time.  TW_ERR_NOTFOUND when user does not handle the channel,
 * TW_ERR_CONFLICT when the contact vanished in the meantime.
 */
enum tw_err	tw_ticket_create(struct tw_arena *, const struct tw_user *,
		    const struct tw_ticket_new *, long long *number);

/*
 * Opens a ticket that came in from outside, by mail or through a web
 * form: of type, in channel_id, status new, priority 5, nobody's, for
 * contact and org (0: none), the subject cut to TW_TICKET_SUBJECT_MAX.
 * Runs inside the caller's transaction.  *id and *number (which may be
 * NULL) get the new ticket's.
 */
enum tw_err	tw_ticket_open_incoming(struct tw_arena *, enum tw_ticket_type,
		    const char *subject, long long channel_id, long long org,
		    long long contact, long long *id, long long *number);

/*
 * A ticket and its items in order; TW_ERR_NOTFOUND when not visible.
 * The ticket row carries the names shown and the state the edit form
 * starts from (channel_id, status_id, colour, category_id, category,
 * owner_login, assignee_login), what a reply starts from (channel_email,
 * contact_email: the contact's first address), and whether the ticket has
 * a reminder, an appointment, an attachment or outgoing mail at all
 * (any_reminder, any_appointment, any_attachment, any_mail: 0 or 1), so
 * that a page need not look for what is not there.  An item's body_html,
 * when not NULL, is mail HTML that lib/html.c sanitised before it was
 * stored: the one thing a page may show raw.  Items that came by mail
 * carry auto_submitted and mail_from, mail_from_name, mail_to, mail_cc.
 * A merged ticket has the column merged_into (the target's number) and
 * no items.
 */
enum tw_err	tw_ticket_get(struct tw_arena *, const struct tw_user *,
		    long long number, struct tw_rows **ticket,
		    struct tw_rows **items);

/*
 * Adds an item to a visible ticket and bumps its version; a member who
 * only reads along gets TW_ERR_FORBIDDEN.  The item's change, if any, is
 * made in the same transaction (see tw_ticket_change_locked()), and when
 * it is refused the item is not added either.  An item of kind
 * TW_ITEM_EMAIL_OUT is also queued as mail to its address, to (see
 * lib/reply.h); TW_ERR_CONFLICT when the channel has no address.
 */
enum tw_err	tw_ticket_add_item(struct tw_arena *, const struct tw_user *,
		    long long number, const struct tw_item_new *,
		    long long *item_id);

#endif
