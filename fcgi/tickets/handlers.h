/*
 * handlers.h: the handlers of tw-tickets, one file per resource.
 */
#ifndef TW_TICKETS_HANDLERS_H
#define TW_TICKETS_HANDLERS_H

#include "err.h"

struct json_object;
struct tw_request;
struct tw_rows;

/* signin.c */
enum tw_err	signin_form(struct tw_request *);
enum tw_err	signin_submit(struct tw_request *);
enum tw_err	signout_submit(struct tw_request *);

/* queue.c */
enum tw_err	home(struct tw_request *);
enum tw_err	queue_list(struct tw_request *);

/* queue_filter.c */
struct tw_queue_choices;
struct tw_queue_filter;

/*
 * Reads the queue's query parameters into f, checking each against the
 * choices c; a value the queue does not know fails the request (422).
 */
enum tw_err	queue_filter_read(struct tw_request *,
		    const struct tw_queue_choices *c,
		    struct tw_queue_filter *f);

/* Whether the owner or assignee filter names a user by id. */
int		queue_filter_needs_agents(const struct tw_request *);

/* Adds the count ("1-50 of 1,234") and the pager links, filters kept. */
void		queue_add_pager(struct tw_request *, struct json_object *,
		    long long page, size_t nrows, long long total);

/* Adds the filter form's values and choices and the saved views. */
void		queue_add_form(struct tw_request *, struct json_object *,
		    const struct tw_queue_choices *c,
		    const struct tw_queue_filter *f);

/* bulk.c */
enum tw_err	queue_bulk(struct tw_request *);

/* ticket.c */
enum tw_err	ticket_new_form(struct tw_request *);
enum tw_err	ticket_create(struct tw_request *);
enum tw_err	ticket_show(struct tw_request *);
enum tw_err	ticket_add_item(struct tw_request *);

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
