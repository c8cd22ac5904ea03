/*
 * contact.h: the people tickets are about, with their e-mail addresses
 * and phone numbers.
 *
 * Contacts are shared by all agents: the address book is not split by
 * channel.  Their tickets are, and every listing of tickets here sees
 * only those of the acting user's channels.  Addresses arrive checked
 * (tw_email_norm) and numbers normalised (tw_phone_e164); this module
 * keeps them unique per contact and writes atomically.
 */
#ifndef TW_CONTACT_H
#define TW_CONTACT_H

#include <stddef.h>

#include "err.h"

struct tw_arena;
struct tw_rows;
struct tw_user;

#define TW_CONTACT_NAME_MAX	200	/* characters */
#define TW_CONTACT_SEARCH_MAX	100	/* rows a search returns */
#define TW_CONTACT_TICKETS_MAX	200	/* tickets a customer file lists */

/*
 * A new contact, or changes to one.  For a change, NULL and -1 leave a
 * value as it is and 0 removes nothing.
 */
struct tw_contact_edit {
	const char	*name;
	long long	 organisation_id;	/* 0: none */
	const char	*add_email;		/* checked form */
	long long	 remove_email;		/* id in contact_emails */
	const char	*add_phone;		/* E.164 */
	long long	 remove_phone;		/* id in contact_phones */
};

/*
 * Creates a contact with its first address and number, if given.
 * TW_ERR_INVALID when the organisation does not exist.  *id receives
 * the new contact's id.
 */
enum tw_err	tw_contact_create(struct tw_arena *,
		    const struct tw_contact_edit *, long long *id);

/*
 * Applies the changes in one transaction.  TW_ERR_NOTFOUND when the
 * contact does not exist, TW_ERR_INVALID when the organisation does
 * not, TW_ERR_CONFLICT when the
 * contact already has the address or number being added.  Removing an
 * entry the contact does not have changes nothing.
 */
enum tw_err	tw_contact_update(struct tw_arena *, long long id,
		    const struct tw_contact_edit *);

/*
 * The contact (id, name, organisation_id, organisation, customer_number,
 * created_at) and its addresses (id, email) and numbers (id, e164), in
 * the order they were added.  TW_ERR_NOTFOUND when there is none.
 */
enum tw_err	tw_contact_get(struct tw_arena *, long long id,
		    struct tw_rows **contact, struct tw_rows **emails,
		    struct tw_rows **phones);

/*
 * Contacts whose name or an address contains q (without regard to case),
 * or with the number e164 (may be NULL), or whose number contains digits
 * (may be NULL: at least four digits, for part of a number).  An empty q
 * lists everyone.  Rows: id, name, organisation_id, organisation, emails,
 * phones (the last two comma-separated), by name, at most
 * TW_CONTACT_SEARCH_MAX; *more is set when there were more.
 */
enum tw_err	tw_contact_search(struct tw_arena *, const char *q,
		    const char *e164, const char *digits,
		    struct tw_rows **out, int *more);

/*
 * The tickets of the contact in the user's channels, newest first: the
 * columns of the queue (number, subject, status, status_name, side,
 * channel, contact, created_at, updated_at).
 */
enum tw_err	tw_contact_tickets(struct tw_arena *, const struct tw_user *,
		    long long id, struct tw_rows **out);

/*
 * Links a ticket to a contact and the contact's organisation; called
 * inside the transaction that writes the ticket.  TW_ERR_NOTFOUND when
 * the contact does not exist.
 */
enum tw_err	tw_contact_link_ticket(long long ticket_id,
		    long long contact_id);

/*
 * The contact a message from the address email belongs to, for the
 * intake of mail and web forms: the contact with that address among its
 * addresses (compared without regard to case) and its organisation.  An
 * unknown address becomes a new contact called name (the address when
 * name is empty; cut to TW_CONTACT_NAME_MAX), in the organisation whose
 * registered mail domain is the address's when by_domain, else (and
 * when none has it) in none.  Runs inside
 * the caller's transaction.  An empty email gives *contact 0; *org is 0
 * for a contact without organisation.
 */
enum tw_err	tw_contact_match_email(struct tw_arena *, const char *email,
		    const char *name, int by_domain, long long *contact,
		    long long *org);

/*
 * Copies contacts.email and contacts.phone, as older writers fill them,
 * into the address and number tables where the contact has none there.
 */
enum tw_err	tw_contact_adopt_legacy(void);

/* "%q%" for LIKE, with %, _ and \ in q escaped; in the arena. */
const char	*tw_like_contains(struct tw_arena *, const char *q);

#endif
