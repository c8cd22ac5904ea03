/*
 * handlers.h: the handlers of tw-tickets, one file per resource.
 */
#ifndef TW_TICKETS_HANDLERS_H
#define TW_TICKETS_HANDLERS_H

#include <stddef.h>

#include "err.h"

struct json_object;
struct tw_attachment_ref;
struct tw_request;
struct tw_rows;

/* signin.c */
enum tw_err	signin_form(struct tw_request *);
enum tw_err	signin_submit(struct tw_request *);
enum tw_err	signout_submit(struct tw_request *);

/* queue.c */
enum tw_err	home(struct tw_request *);
enum tw_err	queue_list(struct tw_request *);

/* ticket.c */
enum tw_err	ticket_new_form(struct tw_request *);
enum tw_err	ticket_create(struct tw_request *);
enum tw_err	ticket_show(struct tw_request *);
enum tw_err	ticket_add_item(struct tw_request *);

/* contact.c */
enum tw_err	contact_list(struct tw_request *);
enum tw_err	contact_new_form(struct tw_request *);
enum tw_err	contact_create(struct tw_request *);
enum tw_err	contact_show(struct tw_request *);
enum tw_err	contact_update(struct tw_request *);

/* organisation.c */
enum tw_err	org_list(struct tw_request *);
enum tw_err	org_create(struct tw_request *);
enum tw_err	org_show(struct tw_request *);

/* The route's parameter i as an id: digits only; 0 when malformed. */
long long	route_id(const struct tw_request *, size_t i);

/* A ticket listing as an array of ticket_view() objects. */
struct json_object *ticket_list_view(struct tw_request *,
		    const struct tw_rows *);

/* attachment.c */
enum tw_err	attachment_download(struct tw_request *);
enum tw_err	item_move(struct tw_request *);
enum tw_err	item_copy(struct tw_request *);

/*
 * Stores the request's uploaded files for an item on ticket number, or on
 * a new ticket in channel (the other 0), after checking every one against
 * [attachments] file_max (413 otherwise); *refs (in the arena) and *n
 * name them.  Files are written before the item's transaction, so the
 * user's right to write there is checked first: 404 or 403 as the item
 * would get, and nothing stored (n 0) for a channel the user does not
 * handle, which creating the ticket then reports.  No uploads: *n is 0.
 */
enum tw_err	read_attachments(struct tw_request *, long long number,
		    long long channel, struct tw_attachment_ref **refs,
		    size_t *n);

/*
 * Adds to every item object in items its "attachments" (id, filename,
 * size, size_text, type, url) and "has_attachments".
 */
void		add_attachments(struct tw_request *, long long ticket_id,
		    long long number, struct json_object *items);

/* The country code for numbers written without one ([phone] default_cc). */
const char	*phone_default_cc(void);

/*
 * Row r of a ticket listing as a view object: the columns, plus the
 * display forms the pages need (label "#1001", dates in the request's
 * language).  The caller owns the object.
 */
struct json_object *ticket_view(struct tw_request *, const struct tw_rows *,
		    size_t r);

/* Adds key_fmt, the value of column key formatted as a local date. */
void		add_datetime(struct tw_request *, struct json_object *,
		    const char *key);

#endif
