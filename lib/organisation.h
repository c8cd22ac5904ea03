/*
 * organisation.h: the customers' organisations and their customer file.
 *
 * Like contacts, organisations are shared by all agents; the tickets in
 * a customer file are only those of the acting user's channels.
 */
#ifndef TW_ORGANISATION_H
#define TW_ORGANISATION_H

#include "err.h"

struct tw_arena;
struct tw_rows;
struct tw_user;

#define TW_ORG_NAME_MAX		200	/* characters */
#define TW_ORG_NUMBER_MAX	40	/* characters of a customer number */
#define TW_ORG_SEARCH_MAX	100

/*
 * Creates an organisation; customer_number may be NULL.  TW_ERR_CONFLICT
 * when another organisation has that customer number.
 */
enum tw_err	tw_org_create(const char *name, const char *customer_number,
		    long long *id);

/*
 * Organisations whose name or customer number contains q (all for ""):
 * id, name, customer_number, contacts (a count), by name, at most
 * TW_ORG_SEARCH_MAX; *more is set when there were more.
 */
enum tw_err	tw_org_search(struct tw_arena *, const char *q,
		    struct tw_rows **out, int *more);

/*
 * The id of the organisation with this customer number (compared as the
 * collation does: case and accents aside); TW_ERR_NOTFOUND when none.
 */
enum tw_err	tw_org_by_number(struct tw_arena *, const char *number,
		    long long *id);

/*
 * The customer file: the organisation (id, name, customer_number,
 * mail_domain, created_at), its contacts (id, name, emails, phones) and
 * its tickets in the user's channels (the columns of
 * tw_contact_tickets()), the newest TW_CONTACT_TICKETS_MAX of them; *more
 * says there are older ones (the queue's organisation filter pages
 * through all).  TW_ERR_NOTFOUND when there is none.
 */
enum tw_err	tw_org_file(struct tw_arena *, const struct tw_user *,
		    long long id, struct tw_rows **org,
		    struct tw_rows **contacts, struct tw_rows **tickets,
		    int *more);

#endif
