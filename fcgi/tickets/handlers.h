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

/* ticket.c, for the handlers of other files about one ticket */
long long	route_number(const struct tw_request *);
enum tw_err	ticket_page(struct tw_request *, long long number, int status);

/* follow.c: watchers, the follow-up reminder, the ticket page's part */
enum tw_err	watchers_add(struct tw_request *);
enum tw_err	watchers_remove(struct tw_request *);
enum tw_err	reminder_set(struct tw_request *);

/*
 * Adds to the ticket page's model m what this area shows of the ticket
 * (a visible one: ticket is its row from tw_ticket_get()): watchers,
 * the reminder, appointments, and the choices and failure of its forms.
 */
void		ticket_follow_view(struct tw_request *, struct json_object *m,
		    const struct tw_rows *ticket);

/* The answers of follow.c's changes, shared with appointments.c. */
enum tw_err	follow_done(struct tw_request *, long long number,
		    int status, const char *anchor);
enum tw_err	follow_failed(struct tw_request *, long long number,
		    enum tw_err rc);
enum tw_err	follow_when(struct tw_request *, const char *field,
		    long long *out);

/* appointments.c */
enum tw_err	appointment_create(struct tw_request *);
enum tw_err	appointment_ics(struct tw_request *);

/* alerts.c: the alerts list, the due list, the navigation's counts */
enum tw_err	alerts_list(struct tw_request *);
enum tw_err	alerts_read(struct tw_request *);
enum tw_err	alerts_settings(struct tw_request *);
enum tw_err	due_list(struct tw_request *);
void		alerts_layout(struct tw_request *, struct json_object *m);

#endif
